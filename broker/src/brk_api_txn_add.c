// SPDX-License-Identifier: Apache-2.0
/* AddPartitionsToTxn (key 24) v0-v1 and AddOffsetsToTxn (key 25) v0-v1
 * (shared/spec/kafka-broker.md §1.6.9): validate the transactional id,
 * producer id and epoch, start the transaction (Ongoing), remember the
 * partitions / the consumer group, and persist before answering so markers
 * are written for them even after a restart. */
#include <stdlib.h>
#include <string.h>

#include "brk_txn_int.h"

static char *dup_slice(brk_slice_t s) {
  char *c = malloc((size_t)(s.len > 0 ? s.len : 0) + 1);
  if (c) {
    if (s.len > 0) memcpy(c, s.ptr, (size_t)s.len);
    c[s.len > 0 ? s.len : 0] = '\0';
  }
  return c;
}

static brk_kerr_t add_part(brk__txn_entry_t *e, brk_slice_t topic, int32_t partition) {
  for (size_t i = 0; i < e->n_parts; i++)
    if (e->parts[i].partition == partition && strlen(e->parts[i].topic) == (size_t)topic.len &&
        memcmp(e->parts[i].topic, topic.ptr, (size_t)topic.len) == 0)
      return BRK_KERR_NONE;
  if (e->n_parts == e->cap_parts) {
    size_t cap = e->cap_parts ? e->cap_parts * 2 : 8;
    brk__txn_part_t *a = realloc(e->parts, cap * sizeof *a);
    if (!a) return BRK_KERR_UNKNOWN_SERVER_ERROR;
    e->parts = a;
    e->cap_parts = cap;
  }
  if (!(e->parts[e->n_parts].topic = dup_slice(topic))) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  e->parts[e->n_parts++].partition = partition;
  return BRK_KERR_NONE;
}

static brk_kerr_t part_error(brk_broker_t *b, brk_slice_t topic, int32_t partition) {
  brk_kerr_t err = BRK_KERR_NONE;
  int32_t n = brk__topic_lookup(b, topic, false, &err);
  if (n < 0) return err;
  return partition < 0 || partition >= n ? BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION : BRK_KERR_NONE;
}

/* Writes the per-partition results; adds the partitions when all are valid. */
static int add_partitions(brk_broker_t *b, brk_reader_t *r, brk_writer_t *w, brk__txn_entry_t *e,
                          brk_kerr_t err) {
  int32_t n_topics = brk_read_array_len(r, 6);
  brk_write_i32(w, n_topics);
  for (int32_t t = 0; t < n_topics && brk_reader_ok(r); t++) {
    brk_slice_t topic = brk_read_string(r);
    int32_t n_parts = brk_read_array_len(r, 4);
    brk_write_string_n(w, topic.ptr, topic.len < 0 ? 0 : topic.len);
    brk_write_i32(w, n_parts);
    for (int32_t i = 0; i < n_parts && brk_reader_ok(r); i++) {
      int32_t partition = brk_read_i32(r);
      brk_kerr_t perr = err;
      if (perr == BRK_KERR_NONE && topic.ptr) perr = part_error(b, topic, partition);
      if (perr == BRK_KERR_NONE && topic.ptr) {
        brk__txn_begin(e);
        perr = add_part(e, topic, partition);
      }
      brk_write_i32(w, partition);
      brk_write_i16(w, (int16_t)perr);
    }
  }
  return brk_reader_ok(r) ? 0 : -1;
}

int brk__api_add_partitions_to_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h;
  brk_slice_t tid = brk_read_string(r);
  int64_t pid = brk_read_i64(r);
  int16_t epoch = brk_read_i16(r);
  if (!brk_reader_ok(r)) return -1;
  brk__txn_entry_t *e = NULL;
  brk_kerr_t err = brk__txn_lookup(b->txn, tid, pid, epoch, &e);
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  if (add_partitions(b, r, w, e, err) != 0) return -1;
  if (e && err == BRK_KERR_NONE && brk__txn_store_put(b->txn, e) != 0) {
    /* rare: answered before learning the write failed; the connection is closed */
    return -1;
  }
  return 0;
}

int brk__api_add_offsets_to_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h;
  brk_slice_t tid = brk_read_string(r);
  int64_t pid = brk_read_i64(r);
  int16_t epoch = brk_read_i16(r);
  brk_slice_t group = brk_read_string(r);
  if (!brk_reader_ok(r) || !group.ptr) return -1;
  brk__txn_entry_t *e = NULL;
  brk_kerr_t err = brk__txn_lookup(b->txn, tid, pid, epoch, &e);
  if (err == BRK_KERR_NONE) {
    brk__txn_begin(e);
    bool have = false;
    for (size_t i = 0; i < e->n_groups && !have; i++)
      have = strlen(e->groups[i]) == (size_t)group.len && memcmp(e->groups[i], group.ptr, (size_t)group.len) == 0;
    if (!have && e->n_groups == e->cap_groups) {
      size_t cap = e->cap_groups ? e->cap_groups * 2 : 4;
      char **a = realloc(e->groups, cap * sizeof *a);
      if (a) e->groups = a, e->cap_groups = cap;
    }
    if (!have && e->n_groups < e->cap_groups && (e->groups[e->n_groups] = dup_slice(group))) e->n_groups++;
    else if (!have) err = BRK_KERR_UNKNOWN_SERVER_ERROR;
    if (err == BRK_KERR_NONE && brk__txn_store_put(b->txn, e) != 0) err = BRK_KERR_KAFKA_STORAGE_ERROR;
  }
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)err);
  return 0;
}
