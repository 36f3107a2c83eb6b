// SPDX-License-Identifier: Apache-2.0
/* Completing a transaction (EndTxn, timeouts, re-init; spec §1.6.9): persist
 * PREPARE_COMMIT/ABORT with the partitions and pending offsets, apply the
 * offsets on commit (brk_offsets_commit), write a COMMIT/ABORT control batch
 * to every partition where the producer has an ongoing transaction, then
 * persist COMPLETE. After a restart, a PREPARE entry is redone and a
 * COMPLETE entry's partitions still open for the producer get their marker
 * (the marker may not have been fsynced), so markers are never lost. */
#include <stdlib.h>
#include <string.h>

#include "brk_txn_int.h"
#include "log/log.h"

enum { COORDINATOR_EPOCH = 0 };

static void apply_offsets(brk_txn_t *t, brk__txn_entry_t *e) {
  brk_offset_commit_t *items = calloc(e->n_offsets ? e->n_offsets : 1, sizeof *items);
  if (!items) return;
  for (size_t g = 0; g < e->n_groups; g++) {
    size_t n = 0;
    for (size_t i = 0; i < e->n_offsets; i++) {
      const brk__txn_offset_t *o = &e->offsets[i];
      if (strcmp(o->group, e->groups[g]) != 0) continue;
      items[n++] = (brk_offset_commit_t){o->topic, o->partition, o->offset, o->leader_epoch, o->metadata,
                                         BRK_KERR_NONE};
    }
    if (n && brk_offsets_commit(t->b->offsets, e->groups[g], items, n, brk__wall_ms()) != BRK_KERR_NONE)
      log_error("broker", "transaction %s: committing offsets of group %s failed", e->tid, e->groups[g]);
  }
  free(items);
}

static void write_markers(brk_txn_t *t, const brk__txn_entry_t *e, bool commit) {
  brk_broker_t *b = t->b;
  for (size_t i = 0; i < e->n_parts; i++) {
    const brk__txn_part_t *tp = &e->parts[i];
    brk_partition_t *p = brk_store_partition(b->store, tp->topic, strlen(tp->topic), tp->partition);
    if (!p || !brk_partition_txn_ongoing(p, e->pid)) continue;
    brk_append_result_t res;
    if (brk_partition_append_control(p, e->pid, e->epoch, commit, COORDINATOR_EPOCH, brk__wall_ms(), &res) !=
        BRK_KERR_NONE) {
      log_error("broker", "transaction %s: writing the marker to %s-%d failed", e->tid, tp->topic, tp->partition);
      continue;
    }
    brk_store_flush_request(b->store, p, res.last_offset + 1, NULL, NULL);
    brk__fetch_wake(b, p);
  }
}

brk_kerr_t brk__txn_end(brk_txn_t *t, brk__txn_entry_t *e, bool commit) {
  e->state = commit ? BRK_TXN_PREPARE_COMMIT : BRK_TXN_PREPARE_ABORT;
  if (brk__txn_store_put(t, e) != 0) {
    e->state = BRK_TXN_ONGOING;
    return BRK_KERR_KAFKA_STORAGE_ERROR;
  }
  if (commit) apply_offsets(t, e);
  write_markers(t, e, commit);
  e->state = commit ? BRK_TXN_COMPLETE_COMMIT : BRK_TXN_COMPLETE_ABORT;
  if (brk__txn_store_put(t, e) != 0) log_error("broker", "transaction %s: persisting completion failed", e->tid);
  brk__txn_entry_clear(e);
  return BRK_KERR_NONE;
}

void brk__txn_recover_entry(brk_txn_t *t, brk__txn_entry_t *e) {
  switch (e->state) {
  case BRK_TXN_PREPARE_COMMIT:
  case BRK_TXN_PREPARE_ABORT:
    brk__txn_end(t, e, e->state == BRK_TXN_PREPARE_COMMIT);
    break;
  case BRK_TXN_COMPLETE_COMMIT:
  case BRK_TXN_COMPLETE_ABORT:
    write_markers(t, e, e->state == BRK_TXN_COMPLETE_COMMIT);
    brk__txn_entry_clear(e);
    break;
  case BRK_TXN_ONGOING:
    e->start_ms = brk_now_ms(); /* the timer aborts it unless the producer finishes it */
    break;
  default:
    break;
  }
}
