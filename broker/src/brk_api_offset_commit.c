// SPDX-License-Identifier: Apache-2.0
/* OffsetCommit (key 8) v2-7: decodes the request, answers
 * UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist, asks the
 * group coordinator whether the member may commit (brk_groups_check_commit),
 * and stores everything else in ONE durable write (brk_offsets_commit) before
 * answering. RetentionTimeMs (v2-4) is honoured as Kafka does: not -1 sets
 * an explicit expiry. Storage and expiry live in brk_offsets*.c. */
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"
#include "brk_offsets_int.h"

typedef struct commit_part {
  int32_t partition_index;  /* PartitionIndex */
  int64_t committed_offset; /* CommittedOffset */
  int32_t leader_epoch;     /* CommittedLeaderEpoch (v6+, else -1) */
  brk_slice_t metadata;     /* CommittedMetadata (nullable) */
  brk_kerr_t err;
} commit_part_t;

typedef struct commit_topic {
  brk_slice_t name;
  int32_t n;
  commit_part_t *parts;
} commit_topic_t;

typedef struct commit_req {
  brk_slice_t group_id, member_id, instance_id;
  int32_t generation;
  int64_t retention_ms;
  int32_t n_topics;
  commit_topic_t *topics;
} commit_req_t;

static void req_free(commit_req_t *q) {
  for (int32_t i = 0; q->topics && i < q->n_topics; i++) free(q->topics[i].parts);
  free(q->topics);
}

static int decode_partitions(brk_reader_t *r, int16_t v, commit_topic_t *t) {
  /* PartitionIndex 4 + CommittedOffset 8 + CommittedMetadata 2. */
  t->n = brk_read_array_len(r, 14);
  t->parts = t->n > 0 ? calloc((size_t)t->n, sizeof *t->parts) : NULL;
  if (t->n > 0 && !t->parts) return -1;
  for (int32_t j = 0; j < t->n && brk_reader_ok(r); j++) {
    commit_part_t *p = &t->parts[j];
    p->partition_index = brk_read_i32(r);
    p->committed_offset = brk_read_i64(r);
    p->leader_epoch = v >= 6 ? brk_read_i32(r) : -1;
    p->metadata = brk_read_string(r);
  }
  return 0;
}

/* -1 if malformed (or out of memory: the connection is closed either way). */
static int decode(brk_reader_t *r, int16_t v, commit_req_t *q) {
  q->group_id = brk_read_string(r);
  q->generation = brk_read_i32(r);
  q->member_id = brk_read_string(r);
  q->instance_id = v >= 7 ? brk_read_string(r) : (brk_slice_t){NULL, -1};
  q->retention_ms = v <= 4 ? brk_read_i64(r) : -1;
  q->n_topics = brk_read_array_len(r, 6); /* Name 2 + Partitions count 4 */
  q->topics = q->n_topics > 0 ? calloc((size_t)q->n_topics, sizeof *q->topics) : NULL;
  if (q->n_topics > 0 && !q->topics) return -1;
  for (int32_t i = 0; i < q->n_topics && brk_reader_ok(r); i++) {
    q->topics[i].name = brk_read_string(r);
    if (decode_partitions(r, v, &q->topics[i]) != 0) return -1;
  }
  return brk_reader_ok(r) ? 0 : -1;
}

/* A NUL-terminated copy of a wire string (NULL stays NULL). */
static char *slice_dup(brk_slice_t s) {
  if (!s.ptr) return NULL;
  char *d = malloc((size_t)s.len + 1);
  if (d) {
    memcpy(d, s.ptr, (size_t)s.len);
    d[s.len] = '\0';
  }
  return d;
}

/* Existence of each partition; group_err on every partition that exists. */
static size_t check_partitions(brk_broker_t *b, commit_req_t *q, brk_kerr_t group_err) {
  size_t ok = 0;
  for (int32_t i = 0; i < q->n_topics; i++) {
    commit_topic_t *t = &q->topics[i];
    brk_kerr_t terr = BRK_KERR_NONE;
    int32_t n_parts = t->name.ptr ? brk__topic_lookup(b, t->name, false, &terr) : -1;
    for (int32_t j = 0; j < t->n; j++) {
      commit_part_t *p = &t->parts[j];
      bool exists = p->partition_index >= 0 && p->partition_index < n_parts;
      p->err = !exists ? BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION : group_err;
      if (p->err == BRK_KERR_NONE) ok++;
    }
  }
  return ok;
}

/* Stores every partition still without an error; fills their results. */
static int store(brk_broker_t *b, commit_req_t *q, const char *group, size_t n_ok) {
  brk_offset_commit_t *items = calloc(n_ok, sizeof *items);
  char **strs = calloc(2 * n_ok, sizeof *strs);
  commit_part_t **back = calloc(n_ok, sizeof *back);
  size_t k = 0;
  int rc = items && strs && back ? 0 : -1;
  for (int32_t i = 0; rc == 0 && i < q->n_topics; i++) {
    for (int32_t j = 0; rc == 0 && j < q->topics[i].n; j++) {
      commit_part_t *p = &q->topics[i].parts[j];
      if (p->err != BRK_KERR_NONE) continue;
      strs[2 * k] = slice_dup(q->topics[i].name);
      strs[2 * k + 1] = slice_dup(p->metadata);
      if (!strs[2 * k] || (p->metadata.ptr && !strs[2 * k + 1])) rc = -1;
      items[k] = (brk_offset_commit_t){strs[2 * k],     p->partition_index, p->committed_offset,
                                       p->leader_epoch, strs[2 * k + 1],    BRK_KERR_NONE};
      back[k++] = p;
    }
  }
  if (rc == 0) {
    int64_t now = brk__wall_ms();
    int64_t expire = q->retention_ms >= 0 ? now + q->retention_ms : -1;
    brk_offsets_commit_expiring(b->offsets, group, items, n_ok, now, expire);
    for (size_t i = 0; i < n_ok; i++) back[i]->err = items[i].result;
  }
  for (size_t i = 0; strs && i < 2 * n_ok; i++) free(strs[i]);
  free(strs);
  free(items);
  free(back);
  return rc;
}

static void write_response(const commit_req_t *q, int16_t v, brk_writer_t *w) {
  if (v >= 3) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, q->n_topics);
  for (int32_t i = 0; i < q->n_topics; i++) {
    const commit_topic_t *t = &q->topics[i];
    brk_write_string_n(w, t->name.ptr, t->name.ptr ? t->name.len : -1);
    brk_write_i32(w, t->n);
    for (int32_t j = 0; j < t->n; j++) {
      brk_write_i32(w, t->parts[j].partition_index);
      brk_write_i16(w, (int16_t)t->parts[j].err);
    }
  }
}

int brk__api_offset_commit(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  commit_req_t q = {0};
  char *group = NULL, *member = NULL, *instance = NULL;
  int rc = decode(r, h->api_version, &q);
  if (rc != 0) goto out;
  group = slice_dup(q.group_id);
  member = q.member_id.ptr ? slice_dup(q.member_id) : strdup("");
  instance = slice_dup(q.instance_id);
  if (!member || (q.group_id.ptr && !group) || (q.instance_id.ptr && !instance)) {
    rc = -1;
    goto out;
  }
  brk_kerr_t group_err = BRK_KERR_INVALID_GROUP_ID;
  if (group) group_err = brk_groups_check_commit(b->groups, group, member, q.generation, instance);
  size_t n_ok = check_partitions(b, &q, group_err);
  if (n_ok > 0) rc = store(b, &q, group, n_ok);
  if (rc == 0) write_response(&q, h->api_version, w);
out:
  free(group);
  free(member);
  free(instance);
  req_free(&q);
  return rc;
}
