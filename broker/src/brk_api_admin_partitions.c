// SPDX-License-Identifier: Apache-2.0
/* CreatePartitions (key 37) v0-1: grows topics to a new total partition
 * count, one result per requested topic (librdkafka fails on a short
 * array). Manual assignments must give exactly one replica, this node, to
 * each new partition. Growing the logs belongs to the store (brk_log.h). The
 * request is decoded completely before any topic changes. */
#include <stdio.h>
#include <stdlib.h>

#include "brk_api_admin.h"

typedef struct grow_topic {
  brk_slice_t name;         /* Name */
  int32_t count;            /* Count: the new total */
  brk_reader_t assignments; /* positioned at Assignments' count */
  int32_t n_assignments;    /* -1: null (the broker chooses) */
} grow_topic_t;

/* Assignments: nullable []{BrokerIds []int32}. Returns the count, -1 if null. */
static int32_t skip_assignments(brk_reader_t *r) {
  brk_reader_t peek = *r;
  bool is_null = brk_read_i32(&peek) == -1;
  int32_t n = brk_read_array_len(r, 4);
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    int32_t n_ids = brk_read_array_len(r, 4);
    for (int32_t j = 0; j < n_ids && brk_reader_ok(r); j++) brk_read_i32(r);
  }
  return is_null ? -1 : n;
}

static int decode(brk_reader_t *r, grow_topic_t **out, int32_t *n_out, bool *validate_only) {
  /* Name 2 + Count 4 + Assignments count 4. */
  int32_t n = brk_read_array_len(r, 10);
  grow_topic_t *topics = n > 0 ? calloc((size_t)n, sizeof *topics) : NULL;
  if (n > 0 && topics == NULL) return -1;
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    topics[i].name = brk_read_string(r);
    topics[i].count = brk_read_i32(r);
    topics[i].assignments = *r;
    topics[i].n_assignments = skip_assignments(r);
  }
  brk_read_i32(r); /* TimeoutMs: growth is synchronous here */
  *validate_only = brk_read_i8(r) != 0;
  if (!brk_reader_ok(r)) {
    free(topics);
    return -1;
  }
  *out = topics;
  *n_out = n;
  return 0;
}

static brk_kerr_t check_assignments(const grow_topic_t *t, int32_t added, int32_t node_id, char *msg,
                                    size_t cap) {
  if (t->n_assignments != added) {
    snprintf(msg, cap, "Increasing the number of partitions by %d but %d assignments provided.", added,
             t->n_assignments);
    return BRK_KERR_INVALID_REPLICA_ASSIGNMENT;
  }
  brk_reader_t r = t->assignments;
  brk_read_array_len(&r, 4);
  for (int32_t i = 0; i < t->n_assignments; i++) {
    int32_t n_ids = brk_read_array_len(&r, 4);
    int32_t broker_id = n_ids > 0 ? brk_read_i32(&r) : -1;
    for (int32_t j = 1; j < n_ids; j++) brk_read_i32(&r);
    if (n_ids != 1 || broker_id != node_id) {
      snprintf(msg, cap, "Each new partition must be assigned to exactly broker %d (single node).", node_id);
      return BRK_KERR_INVALID_REPLICA_ASSIGNMENT;
    }
  }
  return BRK_KERR_NONE;
}

static brk_kerr_t grow_one(brk_broker_t *b, const grow_topic_t *t, bool validate_only, char *msg,
                           size_t cap) {
  char name[BRK_ADMIN_TOPIC_MAX + 1];
  int32_t current =
      brk__admin_topic_cstr(t->name, name) ? brk_store_topic_partitions(brk_broker_store(b), name) : -1;
  if (current < 0) {
    snprintf(msg, cap, name[0] ? "The topic '%s' does not exist." : "The topic does not exist%s.", name);
    return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  }
  if (t->count <= current) {
    snprintf(msg, cap, "Topic currently has %d partitions, %s", current,
             t->count == current ? "which is the same as the requested count."
                                 : "which is higher than the "
                                   "requested count.");
    return BRK_KERR_INVALID_PARTITIONS;
  }
  if (t->count > BRK_ADMIN_MAX_PARTITIONS) {
    snprintf(msg, cap, "Number of partitions %d exceeds the limit of %d.", t->count,
             BRK_ADMIN_MAX_PARTITIONS);
    return BRK_KERR_INVALID_PARTITIONS;
  }
  const brk_config_t *cfg = brk_broker_config(b);
  if (t->n_assignments >= 0) {
    brk_kerr_t err = check_assignments(t, t->count - current, cfg->node_id, msg, cap);
    if (err != BRK_KERR_NONE) return err;
  }
  brk_kerr_t err = brk_store_create_partitions(brk_broker_store(b), name, t->count, validate_only);
  if (err != BRK_KERR_NONE && !brk__admin_store_message(b, err, msg, cap))
    snprintf(msg, cap, "Partitions of topic '%s' could not be created: %s.", name, brk_kerr_name(err));
  return err;
}

int brk_api_create_partitions(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h; /* v0 and v1 share one layout */
  grow_topic_t *topics = NULL;
  int32_t n = 0;
  bool validate_only = false;
  if (decode(r, &topics, &n, &validate_only) != 0) return -1;
  brk_slice_t *names = n > 0 ? malloc((size_t)n * sizeof *names) : NULL;
  for (int32_t i = 0; names != NULL && i < n; i++) names[i] = topics[i].name;
  bool *dup = names ? brk__admin_find_dups(names, NULL, (size_t)n) : NULL;
  free(names);
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n); /* Results */
  for (int32_t i = 0; i < n; i++) {
    char msg[BRK_ADMIN_MSG_CAP] = "";
    brk_kerr_t err = brk__admin_entry_check(
        dup, i, "Create partitions request contains multiple entries for this topic.", msg, sizeof msg);
    if (err == BRK_KERR_NONE) err = grow_one(b, &topics[i], validate_only, msg, sizeof msg);
    brk_write_string_n(w, topics[i].name.ptr, topics[i].name.len); /* Name */
    brk_write_i16(w, (int16_t)err);                                /* ErrorCode */
    brk_write_string(w, err == BRK_KERR_NONE ? NULL : msg);        /* ErrorMessage */
  }
  free(dup);
  free(topics);
  return 0;
}
