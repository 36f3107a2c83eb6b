// SPDX-License-Identifier: Apache-2.0
/* OffsetFetch (key 9) v1-5: the committed offsets of a group, for the
 * partitions asked or (v2+, Topics = null) for every partition the group has
 * committed. Partitions without a commit answer offset -1, metadata "" and
 * no error (Kafka does not check topic existence here); an unknown group is
 * not an error. The values come from brk_offsets; transactional offsets
 * pending a commit are not visible here (brk_txn owns them). */
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"
#include "brk_offsets_int.h"

static void write_partition(brk_writer_t *w, int16_t v, int32_t partition, const brk_committed_t *c) {
  brk_write_i32(w, partition);                         /* PartitionIndex */
  brk_write_i64(w, c->offset);                         /* CommittedOffset */
  if (v >= 5) brk_write_i32(w, c->leader_epoch);       /* CommittedLeaderEpoch */
  brk_write_string(w, c->metadata ? c->metadata : ""); /* Metadata */
  brk_write_i16(w, BRK_KERR_NONE);                     /* ErrorCode */
}

/* Topics as requested: each partition looked up. -1 if malformed. */
static int fetch_listed(brk_broker_t *b, const char *group, int16_t v, brk_reader_t *r, int32_t n_topics,
                        brk_writer_t *w) {
  brk_write_i32(w, n_topics);
  for (int32_t i = 0; i < n_topics && brk_reader_ok(r); i++) {
    brk_slice_t name = brk_read_string(r);
    int32_t n = brk_read_array_len(r, 4);
    char topic[256];
    bool named = brk__topic_cstr(name, topic, sizeof topic);
    brk_write_string_n(w, name.ptr, name.ptr ? name.len : -1);
    brk_write_i32(w, n);
    for (int32_t j = 0; j < n && brk_reader_ok(r); j++) {
      int32_t partition = brk_read_i32(r);
      brk_committed_t c = {-1, -1, "", -1};
      if (named && group) brk_offsets_get(b->offsets, group, topic, partition, &c);
      write_partition(w, v, partition, &c);
    }
  }
  return brk_reader_ok(r) ? 0 : -1;
}

typedef struct fetched {
  const char *topic; /* borrowed from the store during the request */
  int32_t partition;
  brk_committed_t c;
} fetched_t;

typedef struct fetched_list {
  fetched_t *items;
  size_t n, cap;
  bool failed;
} fetched_list_t;

static void collect(void *arg, const char *topic, int32_t partition, const brk_committed_t *c) {
  fetched_list_t *l = arg;
  if (l->failed) return;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    fetched_t *ni = realloc(l->items, cap * sizeof *ni);
    if (!ni) {
      l->failed = true;
      return;
    }
    l->items = ni;
    l->cap = cap;
  }
  l->items[l->n++] = (fetched_t){topic, partition, *c};
}

static int by_topic_partition(const void *a, const void *b) {
  const fetched_t *x = a, *y = b;
  int c = strcmp(x->topic, y->topic);
  if (c != 0) return c;
  return (x->partition > y->partition) - (x->partition < y->partition);
}

/* Topics = null: every committed partition of the group, by topic. */
static int fetch_all(brk_broker_t *b, const char *group, int16_t v, brk_writer_t *w) {
  fetched_list_t l = {0};
  if (group) brk_offsets_foreach(b->offsets, group, collect, &l);
  if (l.failed) {
    free(l.items);
    return -1;
  }
  if (l.n) qsort(l.items, l.n, sizeof *l.items, by_topic_partition);
  size_t count_pos = brk_write_placeholder_i32(w);
  int32_t n_topics = 0;
  for (size_t i = 0; i < l.n;) {
    size_t end = i;
    while (end < l.n && strcmp(l.items[end].topic, l.items[i].topic) == 0) end++;
    brk_write_string(w, l.items[i].topic);
    brk_write_i32(w, (int32_t)(end - i));
    for (; i < end; i++) write_partition(w, v, l.items[i].partition, &l.items[i].c);
    n_topics++;
  }
  brk_writer_patch_i32(w, count_pos, n_topics);
  free(l.items);
  return 0;
}

int brk__api_offset_fetch(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  int16_t v = h->api_version;
  brk_slice_t gid = brk_read_string(r);
  /* v1 Topics is not nullable; from v2 a null array (-1) means "all". */
  int32_t raw = brk_read_i32(r);
  if (!brk_reader_ok(r) || raw < -1 || (raw == -1 && v < 2) ||
      (raw > 0 && (size_t)raw > brk_reader_remaining(r) / 6))
    return -1;
  char *group = NULL;
  if (gid.ptr) {
    if (!(group = malloc((size_t)gid.len + 1))) return -1;
    memcpy(group, gid.ptr, (size_t)gid.len);
    group[gid.len] = '\0';
  }
  if (v >= 3) brk_write_i32(w, 0); /* ThrottleTimeMs */
  int rc = raw == -1 ? fetch_all(b, group, v, w) : fetch_listed(b, group, v, r, raw, w);
  if (v >= 2) brk_write_i16(w, group ? BRK_KERR_NONE : BRK_KERR_INVALID_GROUP_ID); /* ErrorCode */
  free(group);
  return rc;
}
