// SPDX-License-Identifier: Apache-2.0
/* EndTxn (key 26) v0-v1 and TxnOffsetCommit (key 28) v0-v2
 * (shared/spec/kafka-broker.md §1.6.9). EndTxn completes the ongoing
 * transaction (markers, pending offsets: brk_txn_end.c); a retried EndTxn of
 * the transaction just completed the same way succeeds. TxnOffsetCommit
 * stages offsets in the transaction; they become visible only on commit. */
#include <stdlib.h>
#include <string.h>

#include "brk_txn_int.h"

int brk__api_end_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h;
  brk_slice_t tid = brk_read_string(r);
  int64_t pid = brk_read_i64(r);
  int16_t epoch = brk_read_i16(r);
  bool commit = brk_read_i8(r) != 0;
  if (!brk_reader_ok(r)) return -1;
  brk__txn_entry_t *e = NULL;
  brk_kerr_t err = brk__txn_lookup(b->txn, tid, pid, epoch, &e);
  if (err == BRK_KERR_NONE) {
    if (e->state == BRK_TXN_ONGOING)
      err = brk__txn_end(b->txn, e, commit);
    else if (e->state != (commit ? BRK_TXN_COMPLETE_COMMIT : BRK_TXN_COMPLETE_ABORT))
      err = BRK_KERR_INVALID_TXN_STATE;
  }
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)err);
  return 0;
}

static char *dup_slice(brk_slice_t s) {
  if (!s.ptr) return NULL;
  char *c = malloc((size_t)s.len + 1);
  if (c) {
    memcpy(c, s.ptr, (size_t)s.len);
    c[s.len] = '\0';
  }
  return c;
}

typedef struct staged {
  brk_slice_t group, topic, metadata;
  int32_t partition, leader_epoch;
  int64_t offset;
} staged_t;

static brk_kerr_t stage(brk__txn_entry_t *e, const staged_t *s) {
  brk__txn_offset_t *o = NULL;
  for (size_t i = 0; i < e->n_offsets && !o; i++) {
    brk__txn_offset_t *x = &e->offsets[i];
    if (x->partition == s->partition && strlen(x->topic) == (size_t)s->topic.len &&
        memcmp(x->topic, s->topic.ptr, (size_t)s->topic.len) == 0 && strlen(x->group) == (size_t)s->group.len &&
        memcmp(x->group, s->group.ptr, (size_t)s->group.len) == 0)
      o = x;
  }
  if (!o) {
    if (e->n_offsets == e->cap_offsets) {
      size_t cap = e->cap_offsets ? e->cap_offsets * 2 : 8;
      brk__txn_offset_t *a = realloc(e->offsets, cap * sizeof *a);
      if (!a) return BRK_KERR_UNKNOWN_SERVER_ERROR;
      e->offsets = a;
      e->cap_offsets = cap;
    }
    o = &e->offsets[e->n_offsets];
    memset(o, 0, sizeof *o);
    if (!(o->group = dup_slice(s->group)) || !(o->topic = dup_slice(s->topic))) {
      free(o->group);
      return BRK_KERR_UNKNOWN_SERVER_ERROR;
    }
    o->partition = s->partition;
    e->n_offsets++;
  }
  free(o->metadata);
  o->metadata = dup_slice(s->metadata);
  o->offset = s->offset;
  o->leader_epoch = s->leader_epoch;
  return BRK_KERR_NONE;
}

static bool group_added(const brk__txn_entry_t *e, brk_slice_t group) {
  for (size_t i = 0; i < e->n_groups; i++)
    if (strlen(e->groups[i]) == (size_t)group.len && memcmp(e->groups[i], group.ptr, (size_t)group.len) == 0)
      return true;
  return false;
}

int brk__api_txn_offset_commit(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  staged_t s = {.leader_epoch = -1};
  brk_slice_t tid = brk_read_string(r);
  s.group = brk_read_string(r);
  int64_t pid = brk_read_i64(r);
  int16_t epoch = brk_read_i16(r);
  if (!brk_reader_ok(r) || !s.group.ptr) return -1;
  brk__txn_entry_t *e = NULL;
  brk_kerr_t err = brk__txn_lookup(b->txn, tid, pid, epoch, &e);
  if (err == BRK_KERR_NONE && (e->state != BRK_TXN_ONGOING || !group_added(e, s.group)))
    err = BRK_KERR_INVALID_TXN_STATE;
  int32_t n_topics = brk_read_array_len(r, 6);
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n_topics);
  bool staged_any = false;
  for (int32_t t = 0; t < n_topics && brk_reader_ok(r); t++) {
    s.topic = brk_read_string(r);
    int32_t n_parts = brk_read_array_len(r, 14);
    brk_write_string_n(w, s.topic.ptr, s.topic.len < 0 ? 0 : s.topic.len);
    brk_write_i32(w, n_parts);
    for (int32_t i = 0; i < n_parts && brk_reader_ok(r); i++) {
      s.partition = brk_read_i32(r);
      s.offset = brk_read_i64(r);
      s.leader_epoch = h->api_version >= 2 ? brk_read_i32(r) : -1;
      s.metadata = brk_read_string(r);
      if (!brk_reader_ok(r)) return -1;
      brk_kerr_t perr = err;
      if (perr == BRK_KERR_NONE && !s.topic.ptr) perr = BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
      if (perr == BRK_KERR_NONE && (perr = stage(e, &s)) == BRK_KERR_NONE) staged_any = true;
      brk_write_i32(w, s.partition);
      brk_write_i16(w, (int16_t)perr);
    }
  }
  if (!brk_reader_ok(r)) return -1;
  /* persisted so that a commit after a restart still applies them */
  if (staged_any && brk__txn_store_put(b->txn, e) != 0) return -1;
  return 0;
}
