// SPDX-License-Identifier: Apache-2.0
/* Group coordinator internals shared by brk_group*.c and the group API
 * handlers (brk_api_group_*.c): the group and member records, the state
 * machine entry points and the parked JoinGroup/SyncGroup responses. Wire
 * decoding lives in the handlers; the state machine never touches a reader.
 * Loop thread only. */
#ifndef WEIR_BROKER_BRK_GROUP_INT_H
#define WEIR_BROKER_BRK_GROUP_INT_H

#include "brk_broker_int.h"
#include "brk_group.h"

#define BRK_GROUP_MIN_SESSION_MS 6000    /* group.min.session.timeout.ms */
#define BRK_GROUP_MAX_SESSION_MS 1800000 /* group.max.session.timeout.ms */
#define BRK_GROUP_MAX_MEMBERS 1000       /* group.max.size */
#define BRK_GROUP_ID_MAX 1024            /* longest accepted group/member/instance id */

typedef enum brk_gstate {
  BRK_GSTATE_EMPTY,
  BRK_GSTATE_PREPARING,  /* PreparingRebalance */
  BRK_GSTATE_COMPLETING, /* CompletingRebalance */
  BRK_GSTATE_STABLE,
  BRK_GSTATE_DEAD,
} brk_gstate_t;

typedef struct brk_group brk_group_t;

/* One (name, metadata) entry of a member's JoinGroup Protocols. */
typedef struct brk_gproto {
  char *name;
  uint8_t *meta;
  int32_t meta_len;
} brk_gproto_t;

typedef struct brk_gmember {
  brk_group_t *g;
  char *id;
  char *instance_id; /* static membership; NULL if dynamic */
  char *client_id;
  char *client_host;
  int32_t session_ms, rebalance_ms;
  brk_gproto_t *protos;
  size_t n_protos;
  uint8_t *assignment; /* from the leader's SyncGroup; NULL = none */
  int32_t assignment_len;
  bool awaiting_join;    /* joined the current rebalance (its response may be gone) */
  brk_resp_t *join_resp; /* parked JoinGroup (NULL once answered or cancelled) */
  int16_t join_version;
  brk_resp_t *sync_resp; /* parked SyncGroup */
  int16_t sync_version;
  brk_timer_t session_timer;
} brk_gmember_t;

/* A member id handed out with MEMBER_ID_REQUIRED, waiting for the rejoin. */
typedef struct brk_gpending {
  struct brk_gpending *next;
  brk_group_t *g;
  char *id;
  brk_timer_t timer;
} brk_gpending_t;

struct brk_group {
  brk_groups_t *gs;
  brk_group_t *next;
  char *id;
  brk_gstate_t state;
  int32_t generation;
  char *protocol_type;     /* NULL until the first member joins */
  char *protocol;          /* selected protocol of the current generation, or NULL */
  char *leader;            /* leader member id, or NULL */
  brk_gmember_t **members; /* join order: members[0] is the next leader candidate */
  size_t n_members, cap_members;
  brk_gpending_t *pending;
  brk_timer_t join_timer; /* PreparingRebalance deadline */
  int64_t join_not_before; /* a new group's first rebalance waits until then (initial delay) */
  int64_t join_until;      /* rebalance timeout deadline of the current PreparingRebalance */
};

struct brk_groups {
  brk_broker_t *b;
  brk_group_t *head;
  uint64_t id_seq; /* member id generator state */
};

/* ---- registry (brk_group.c) ---------------------------------------------------- */

brk_group_t *brk__group_find(brk_groups_t *gs, const char *id);
/* Finds or creates (Empty) the group; NULL on allocation failure. */
brk_group_t *brk__group_get_or_create(brk_groups_t *gs, const char *id);
/* Unlinks and frees an Empty group (DeleteGroups). */
void brk__group_remove(brk_groups_t *gs, brk_group_t *g);
const char *brk__group_state_name(brk_gstate_t s);

/* ---- members (brk_group_member.c) ---------------------------------------------- */

brk_gmember_t *brk__group_member(const brk_group_t *g, const char *member_id);
brk_gmember_t *brk__group_static_member(const brk_group_t *g, const char *instance_id);
/* True when instance_id belongs to another member id (FENCED_INSTANCE_ID). */
bool brk__group_fenced(const brk_group_t *g, const char *member_id, const char *instance_id);
/* A fresh "<client_id>-<uuid>" member id (malloc'd; free it). */
char *brk__group_new_member_id(brk_groups_t *gs, const char *client_id);
/* Replaces m's protocols by a copy of protos; false on allocation failure. */
bool brk__gmember_set_protos(brk_gmember_t *m, const brk_gproto_t *protos, size_t n);
/* Protocol metadata of m for name, or NULL. */
const brk_gproto_t *brk__gmember_proto(const brk_gmember_t *m, const char *name);
/* True if m's protocols equal protos (names and metadata, in order). */
bool brk__gmember_matches(const brk_gmember_t *m, const brk_gproto_t *protos, size_t n);
/* Adds a member (first one becomes leader); NULL on allocation failure. */
brk_gmember_t *brk__group_add_member(brk_group_t *g, const char *id, const char *client_id,
                                     const char *client_host);
/* Unlinks and frees m, answering its parked join/sync with err. */
void brk__group_drop_member(brk_group_t *g, brk_gmember_t *m, brk_kerr_t err);
void brk__gmember_free(brk_gmember_t *m);
/* Restarts m's session timer. */
void brk__gmember_touch(brk_gmember_t *m);
bool brk__group_is_pending(const brk_group_t *g, const char *id);
/* Adds or removes a pending (MEMBER_ID_REQUIRED) id. */
bool brk__group_add_pending(brk_group_t *g, const char *id, int32_t timeout_ms);
void brk__group_del_pending(brk_group_t *g, const char *id);

/* ---- state machine (brk_group_rebalance.c) ------------------------------------- */

/* Protocol type/names acceptable for this group (empty or sharing one). */
bool brk__group_supports(const brk_group_t *g, const char *protocol_type, const brk_gproto_t *protos,
                         size_t n);
/* The protocol the next generation would use (votes among common ones), or NULL. */
const char *brk__group_select_protocol(const brk_group_t *g);
/* Moves to PreparingRebalance if the state allows it. */
void brk__group_maybe_rebalance(brk_group_t *g);
/* Completes the join phase if every member rejoined. */
void brk__group_try_complete_join(brk_group_t *g);
/* Removes a member that left or expired and updates the group's state. */
void brk__group_remove_member(brk_group_t *g, brk_gmember_t *m, brk_kerr_t err);
/* The leader's SyncGroup: stores assignments, answers every parked sync, Stable. */
void brk__group_set_assignment(brk_group_t *g, const char **ids, const brk_slice_t *assign, size_t n);
/* Session timer callback. */
void brk__gmember_expire(void *arg);

/* ---- parked responses (brk_group_resp.c) --------------------------------------- */

typedef struct brk_join_result {
  brk_kerr_t err;
  int32_t generation;
  const char *protocol; /* NULL -> "" */
  const char *leader;   /* NULL -> "" */
  const char *member_id;
  bool with_members; /* leader: list every member's metadata */
} brk_join_result_t;

/* Writes a JoinGroup response body for version v (members from g). */
void brk__join_write(brk_writer_t *w, int16_t v, const brk_group_t *g, const brk_join_result_t *res);
void brk__sync_write(brk_writer_t *w, int16_t v, brk_kerr_t err, const uint8_t *assign, int32_t len);
/* Parks resp as m's pending JoinGroup/SyncGroup (answering an older one). */
void brk__gmember_park_join(brk_gmember_t *m, brk_resp_t *resp, int16_t v);
void brk__gmember_park_sync(brk_gmember_t *m, brk_resp_t *resp, int16_t v);
/* Answers m's parked JoinGroup with res (no-op if none). */
void brk__gmember_answer_join(brk_gmember_t *m, const brk_join_result_t *res);
/* Answers m's parked SyncGroup with err, or its assignment if err is NONE. */
void brk__gmember_answer_sync(brk_gmember_t *m, brk_kerr_t err);

/* ---- wire helpers and handlers (brk_api_group_*.c) ------------------------------ */

/* A malloc'd NUL-terminated copy of a wire string ("" for null); NULL on
 * allocation failure. */
char *brk__gstr(brk_slice_t s);
/* Like brk__gstr but a null string gives *out NULL; false on allocation failure. */
bool brk__gstr_nullable(brk_slice_t s, char **out);
/* The client host shown by DescribeGroups for the connection of resp. */
const char *brk__gclient_host(const brk_resp_t *resp);

int brk__api_find_coordinator(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                              brk_writer_t *w);                                                     /* 10 */
int brk__api_join_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp); /* 11 */
int brk__api_heartbeat(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);   /* 12 */
int brk__api_leave_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w); /* 13 */
int brk__api_sync_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp); /* 14 */
int brk__api_describe_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                             brk_writer_t *w);                                                        /* 15 */
int brk__api_list_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);   /* 16 */
int brk__api_delete_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w); /* 42 */

#endif
