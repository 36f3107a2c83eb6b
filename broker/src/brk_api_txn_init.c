// SPDX-License-Identifier: Apache-2.0
/* InitProducerId (key 22) v0-v4, flexible from v2 (shared/spec/kafka-broker.md
 * §1.6.3, §1.6.9). Without a transactional id: a fresh producer id, epoch 0.
 * With one: validate transaction.timeout.ms, check the (v3+, KIP-360)
 * producer id/epoch the client already holds, abort an ongoing transaction,
 * bump the epoch (fencing older producers; a new id when it would overflow)
 * and persist before answering. */
#include "brk_txn_int.h"

typedef struct init_req {
  brk_slice_t tid;
  int32_t timeout_ms;
  int64_t pid;
  int16_t epoch;
} init_req_t;

static brk_kerr_t fenced(int16_t version) {
  return version >= 4 ? BRK_KERR_PRODUCER_FENCED : BRK_KERR_INVALID_PRODUCER_EPOCH;
}

static brk_kerr_t init_transactional(brk_broker_t *b, const init_req_t *q, int16_t version,
                                     brk__txn_entry_t **out) {
  brk_txn_t *t = b->txn;
  if (q->timeout_ms <= 0 || q->timeout_ms > b->cfg.transaction_max_timeout_ms)
    return BRK_KERR_INVALID_TRANSACTION_TIMEOUT;
  brk__txn_entry_t *e = brk__txn_find(t, q->tid);
  if (!e && !(e = brk__txn_add(t, q->tid))) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  if (q->pid >= 0 && e->pid >= 0 && (q->pid != e->pid || q->epoch != e->epoch)) return fenced(version);
  if (e->state == BRK_TXN_ONGOING) {
    if (e->epoch < INT16_MAX - 1) e->epoch++;
    brk__txn_end(t, e, false);
  }
  if (e->pid < 0 || e->epoch >= INT16_MAX - 1) {
    int64_t pid = brk__txn_alloc_pid(t);
    if (pid < 0) return BRK_KERR_KAFKA_STORAGE_ERROR;
    e->pid = pid;
    e->epoch = 0;
  } else {
    e->epoch++;
  }
  e->timeout_ms = q->timeout_ms;
  brk__txn_entry_clear(e);
  e->state = BRK_TXN_EMPTY;
  if (brk__txn_store_put(t, e) != 0) return BRK_KERR_KAFKA_STORAGE_ERROR;
  *out = e;
  return BRK_KERR_NONE;
}

int brk__api_init_producer_id(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  bool flex = h->api_version >= 2;
  init_req_t q = {.pid = -1, .epoch = -1};
  q.tid = flex ? brk_read_compact_string(r) : brk_read_string(r);
  q.timeout_ms = brk_read_i32(r);
  if (h->api_version >= 3) {
    q.pid = brk_read_i64(r);
    q.epoch = brk_read_i16(r);
  }
  if (flex) brk_skip_tagged_fields(r);
  if (!brk_reader_ok(r)) return -1;
  int64_t pid = -1;
  int16_t epoch = -1;
  brk_kerr_t err = BRK_KERR_NONE;
  if (!q.tid.ptr) {
    if ((pid = brk__txn_alloc_pid(b->txn)) < 0) err = BRK_KERR_KAFKA_STORAGE_ERROR;
    else epoch = 0;
  } else if (q.tid.len == 0) {
    err = BRK_KERR_INVALID_REQUEST;
  } else {
    brk__txn_entry_t *e = NULL;
    if ((err = init_transactional(b, &q, h->api_version, &e)) == BRK_KERR_NONE) pid = e->pid, epoch = e->epoch;
  }
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)err);
  brk_write_i64(w, pid);
  brk_write_i16(w, epoch);
  if (flex) brk_write_empty_tagged_fields(w);
  return 0;
}
