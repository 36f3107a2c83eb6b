// SPDX-License-Identifier: Apache-2.0
/* Internals of `weir groups`: the plain model of one consumer group that
 * tool_groups_admin.c fetches from a broker with librdkafka's admin API and
 * tool_groups.c prints. The model owns copies of everything; librdkafka
 * objects never outlive the fetch. */
#ifndef WEIR_PLATFORM_TOOL_GROUPS_H
#define WEIR_PLATFORM_TOOL_GROUPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct weir_tg_client weir_tg_client_t;

typedef struct weir_tg_tp {
  char *topic;
  int32_t partition;
} weir_tg_tp_t;

typedef struct weir_tg_member {
  char *member_id, *instance_id, *client_id, *host; /* instance_id may be NULL */
  weir_tg_tp_t *assignment;
  size_t n_assignment;
} weir_tg_member_t;

typedef struct weir_tg_row {
  char *topic;
  int32_t partition;
  int64_t committed; /* -1 = none */
  int64_t log_end;   /* -1 = unknown */
  int member;        /* index into members, -1 = unassigned */
} weir_tg_row_t;

typedef struct weir_tg_group {
  char *group_id;
  char *state;    /* "Stable", "Empty", "Dead", ... */
  char *assignor; /* partition assignor ("" if none) */
  weir_tg_member_t *members;
  size_t n_members;
  weir_tg_row_t *rows; /* committed or assigned partitions, by topic then partition */
  size_t n_rows;
} weir_tg_group_t;

/* Connects (lazily) to bootstrap ("host:port"). NULL + message in errbuf. */
weir_tg_client_t *weir_tg_client_new(const char *bootstrap, char *errbuf, size_t errbuf_len);
void weir_tg_client_destroy(weir_tg_client_t *c); /* accepts NULL */

/* Every consumer group id known to the broker, sorted; free with
 * weir_tg_ids_free. 0, or -1 with errbuf. */
int weir_tg_list(weir_tg_client_t *c, char ***ids, size_t *n, char *errbuf, size_t errbuf_len);
void weir_tg_ids_free(char **ids, size_t n);

/* Describes group: members, committed offsets and log end offsets. 0, or
 * -1 with errbuf. Free with weir_tg_group_fini. */
int weir_tg_describe(weir_tg_client_t *c, const char *group, weir_tg_group_t *out, char *errbuf,
                     size_t errbuf_len);
void weir_tg_group_fini(weir_tg_group_t *g);

#endif
