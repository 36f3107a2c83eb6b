// SPDX-License-Identifier: Apache-2.0
/* JoinGroup (key 11, v0-5; shared/spec/kafka-broker.md §4.2-4.3), as Kafka's
 * GroupCoordinator.handleJoinGroup: validation, the v4+ MEMBER_ID_REQUIRED
 * handshake, static members (v5 GroupInstanceId) replacing their old id,
 * and parking the response until the rebalance completes. The rebalance
 * itself is brk_group_rebalance.c's. */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"

typedef struct join_req {
  int16_t v;
  char *group, *member_id, *instance_id, *protocol_type, *client_id;
  const char *client_host;
  int32_t session_ms, rebalance_ms;
  brk_gproto_t *protos;
  size_t n_protos;
  brk_resp_t *resp;
} join_req_t;

static void reply(join_req_t *q, const brk_group_t *g, const brk_join_result_t *res) {
  brk__join_write(&q->resp->w, q->v, g, res);
  brk_resp_finish(q->resp);
}

static void reply_err(join_req_t *q, brk_kerr_t err) {
  brk_join_result_t res = {.err = err, .generation = -1, .member_id = q->member_id};
  reply(q, NULL, &res);
}

/* Current generation without a rebalance (an unchanged member rejoining). */
static void reply_current(join_req_t *q, brk_group_t *g, const char *member_id, const char *leader,
                          bool members) {
  brk_join_result_t res = {.err = BRK_KERR_NONE,
                           .generation = g->generation,
                           .protocol = g->protocol,
                           .leader = leader,
                           .member_id = member_id,
                           .with_members = members};
  reply(q, g, &res);
}

static bool update_member(brk_gmember_t *m, join_req_t *q) {
  if (!brk__gmember_set_protos(m, q->protos, q->n_protos)) return false;
  m->session_ms = q->session_ms;
  m->rebalance_ms = q->rebalance_ms;
  return true;
}

/* Parks the join and moves the group towards (or through) a rebalance. */
static void park_and_rebalance(brk_group_t *g, brk_gmember_t *m, join_req_t *q) {
  m->awaiting_join = true;
  brk__gmember_park_join(m, q->resp, q->v);
  brk__gmember_touch(m);
  brk__group_maybe_rebalance(g);
  brk__group_try_complete_join(g);
}

static void add_and_rebalance(brk_group_t *g, const char *id, join_req_t *q) {
  bool first = g->n_members == 0;
  brk_gmember_t *m = brk__group_add_member(g, id, q->client_id, q->client_host);
  if (!m) {
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
    return;
  }
  bool ok = update_member(m, q) && (!q->instance_id || (m->instance_id = strdup(q->instance_id)));
  if (ok && first) {
    free(g->protocol_type);
    ok = (g->protocol_type = strdup(q->protocol_type)) != NULL;
  }
  if (!ok) {
    brk__group_drop_member(g, m, BRK_KERR_UNKNOWN_SERVER_ERROR);
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
    return;
  }
  park_and_rebalance(g, m, q);
}

static bool rename_member(brk_group_t *g, brk_gmember_t *m, const char *new_id) {
  char *id = strdup(new_id);
  if (!id) return false;
  if (g->leader && strcmp(g->leader, m->id) == 0) {
    char *l = strdup(new_id);
    if (!l) {
      free(id);
      return false;
    }
    free(g->leader);
    g->leader = l;
  }
  free(m->id);
  m->id = id;
  return true;
}

/* A known static member rejoining with an empty member id (KIP-345): it
 * takes a new id, fencing the old one, and keeps its assignment without a
 * rebalance when the group is Stable and the selected protocol holds. */
static void static_rejoin(brk_group_t *g, brk_gmember_t *m, const char *new_id, join_req_t *q) {
  brk_join_result_t fenced = {.err = BRK_KERR_FENCED_INSTANCE_ID, .generation = -1, .member_id = m->id};
  brk__gmember_answer_join(m, &fenced);
  brk__gmember_answer_sync(m, BRK_KERR_FENCED_INSTANCE_ID);
  char *old_leader = g->leader ? strdup(g->leader) : NULL;
  if ((g->leader && !old_leader) || !rename_member(g, m, new_id) || !update_member(m, q)) {
    free(old_leader);
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
    return;
  }
  brk__gmember_touch(m);
  const char *next = g->state == BRK_GSTATE_STABLE ? brk__group_select_protocol(g) : NULL;
  if (next && g->protocol && strcmp(next, g->protocol) == 0) {
    /* the old leader id keeps this member from re-assigning a Stable group */
    reply_current(q, g, m->id, old_leader, false);
  } else {
    park_and_rebalance(g, m, q);
  }
  free(old_leader);
}

static void join_unknown(brk_group_t *g, join_req_t *q) {
  char *id = brk__group_new_member_id(g->gs, q->client_id);
  if (!id) {
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
    return;
  }
  brk_gmember_t *old = brk__group_static_member(g, q->instance_id);
  if (old) {
    static_rejoin(g, old, id, q);
  } else if (q->instance_id || q->v < 4) {
    add_and_rebalance(g, id, q);
  } else if (!brk__group_add_pending(g, id, q->session_ms)) {
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
  } else {
    brk_join_result_t res = {.err = BRK_KERR_MEMBER_ID_REQUIRED, .generation = -1, .member_id = id};
    reply(q, NULL, &res);
  }
  free(id);
}

static void join_known(brk_group_t *g, join_req_t *q) {
  if (brk__group_is_pending(g, q->member_id)) {
    add_and_rebalance(g, q->member_id, q);
    return;
  }
  if (brk__group_fenced(g, q->member_id, q->instance_id)) {
    reply_err(q, BRK_KERR_FENCED_INSTANCE_ID);
    return;
  }
  brk_gmember_t *m = brk__group_member(g, q->member_id);
  if (!m || g->state == BRK_GSTATE_EMPTY || g->state == BRK_GSTATE_DEAD) {
    reply_err(q, BRK_KERR_UNKNOWN_MEMBER_ID);
    return;
  }
  bool is_leader = g->leader && strcmp(g->leader, m->id) == 0;
  bool same = brk__gmember_matches(m, q->protos, q->n_protos);
  if (g->state == BRK_GSTATE_COMPLETING && same) {
    reply_current(q, g, m->id, g->leader, is_leader);
    return;
  }
  if (g->state == BRK_GSTATE_STABLE && same && !is_leader) {
    reply_current(q, g, m->id, g->leader, false);
    return;
  }
  if (!update_member(m, q)) {
    reply_err(q, BRK_KERR_UNKNOWN_SERVER_ERROR);
    return;
  }
  park_and_rebalance(g, m, q);
}

static size_t new_members(const brk_group_t *g) {
  size_t n = g->n_members;
  for (const brk_gpending_t *p = g->pending; p; p = p->next) n++;
  return n;
}

static void join_group(brk_group_t *g, join_req_t *q);

static void join(brk_groups_t *gs, join_req_t *q) {
  if (!q->group[0]) {
    reply_err(q, BRK_KERR_INVALID_GROUP_ID);
    return;
  }
  if (q->session_ms < BRK_GROUP_MIN_SESSION_MS || q->session_ms > BRK_GROUP_MAX_SESSION_MS) {
    reply_err(q, BRK_KERR_INVALID_SESSION_TIMEOUT);
    return;
  }
  bool unknown = q->member_id[0] == '\0';
  bool created = unknown && !brk__group_find(gs, q->group);
  brk_group_t *g = unknown ? brk__group_get_or_create(gs, q->group) : brk__group_find(gs, q->group);
  if (!g) {
    reply_err(q, unknown ? BRK_KERR_UNKNOWN_SERVER_ERROR : BRK_KERR_UNKNOWN_MEMBER_ID);
    return;
  }
  join_group(g, q);
  if (created && g->n_members == 0 && !g->pending) brk__group_remove(gs, g); /* a rejected first join */
}

static void join_group(brk_group_t *g, join_req_t *q) {
  bool unknown = q->member_id[0] == '\0';
  if (g->state == BRK_GSTATE_DEAD) {
    reply_err(q, BRK_KERR_COORDINATOR_NOT_AVAILABLE);
    return;
  }
  if (!brk__group_supports(g, q->protocol_type, q->protos, q->n_protos)) {
    reply_err(q, BRK_KERR_INCONSISTENT_GROUP_PROTOCOL);
    return;
  }
  bool adds = unknown ? !brk__group_static_member(g, q->instance_id) : brk__group_is_pending(g, q->member_id);
  if (adds && new_members(g) >= BRK_GROUP_MAX_MEMBERS) {
    if (!unknown) brk__group_del_pending(g, q->member_id);
    reply_err(q, BRK_KERR_GROUP_MAX_SIZE_REACHED);
    return;
  }
  if (unknown)
    join_unknown(g, q);
  else
    join_known(g, q);
}

static void req_free(join_req_t *q) {
  for (size_t i = 0; q->protos && i < q->n_protos; i++) free(q->protos[i].name);
  free(q->protos);
  free(q->group);
  free(q->member_id);
  free(q->instance_id);
  free(q->protocol_type);
  free(q->client_id);
}

/* Decodes the protocols; metadata stays in the frame (copied on store). */
static bool read_protos(brk_reader_t *r, join_req_t *q) {
  int32_t n = brk_read_array_len(r, 6);
  if (!brk_reader_ok(r)) return false;
  q->protos = calloc(n > 0 ? (size_t)n : 1, sizeof *q->protos);
  if (!q->protos) return false;
  for (int32_t i = 0; i < n; i++) {
    brk_slice_t name = brk_read_string(r);
    brk_slice_t meta = brk_read_bytes(r);
    if (!brk_reader_ok(r) || !(q->protos[i].name = brk__gstr(name))) return false;
    q->protos[i].meta = (uint8_t *)meta.ptr;
    q->protos[i].meta_len = meta.len > 0 ? meta.len : 0;
    q->n_protos = (size_t)i + 1;
  }
  return true;
}

int brk__api_join_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp) {
  join_req_t q = {.v = h->api_version, .resp = resp};
  brk_slice_t group = brk_read_string(r);
  q.session_ms = brk_read_i32(r);
  q.rebalance_ms = q.v >= 1 ? brk_read_i32(r) : q.session_ms;
  brk_slice_t member = brk_read_string(r);
  brk_slice_t instance = q.v >= 5 ? brk_read_string(r) : (brk_slice_t){NULL, -1};
  brk_slice_t ptype = brk_read_string(r);
  bool ok = brk_reader_ok(r) && read_protos(r, &q) && brk_reader_ok(r);
  ok = ok && (q.group = brk__gstr(group)) && (q.member_id = brk__gstr(member)) &&
       brk__gstr_nullable(instance, &q.instance_id) && (q.protocol_type = brk__gstr(ptype)) &&
       (q.client_id = brk__gstr(h->client_id));
  if (!ok) {
    req_free(&q);
    return -1;
  }
  q.client_host = brk__gclient_host(resp);
  if (q.rebalance_ms < 0) q.rebalance_ms = q.session_ms;
  join(b->groups, &q);
  req_free(&q);
  return 0;
}
