// SPDX-License-Identifier: Apache-2.0
/* The transaction coordinator (shared/spec/kafka-broker.md §1.6.9): one
 * entry per transactional.id (producer id, epoch, state, partitions, groups,
 * pending offsets), the producer-id allocator (ids reserved in blocks,
 * durably, never reused), request validation (mapping, fencing) and the
 * timer that aborts transactions past their transaction.timeout.ms. The
 * durable log is brk_txn_store.c; completing a transaction brk_txn_end.c. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "brk_txn_int.h"
#include "log/log.h"

enum { PID_BLOCK = 1000, TICK_MS = 1000 };

void brk__txn_entry_clear(brk__txn_entry_t *e) {
  for (size_t i = 0; i < e->n_parts; i++) free(e->parts[i].topic);
  for (size_t i = 0; i < e->n_groups; i++) free(e->groups[i]);
  for (size_t i = 0; i < e->n_offsets; i++) {
    free(e->offsets[i].group);
    free(e->offsets[i].topic);
    free(e->offsets[i].metadata);
  }
  e->n_parts = e->n_groups = e->n_offsets = 0;
}

void brk__txn_entry_free(brk__txn_entry_t *e) {
  if (!e) return;
  brk__txn_entry_clear(e);
  free(e->parts);
  free(e->groups);
  free(e->offsets);
  free(e->tid);
  free(e);
}

brk__txn_entry_t *brk__txn_find(brk_txn_t *t, brk_slice_t tid) {
  for (size_t i = 0; i < t->n_entries; i++) {
    const char *s = t->entries[i]->tid;
    if (strlen(s) == (size_t)tid.len && memcmp(s, tid.ptr, (size_t)tid.len) == 0) return t->entries[i];
  }
  return NULL;
}

brk__txn_entry_t *brk__txn_add(brk_txn_t *t, brk_slice_t tid) {
  if (t->n_entries == t->cap_entries) {
    size_t cap = t->cap_entries ? t->cap_entries * 2 : 16;
    brk__txn_entry_t **a = realloc(t->entries, cap * sizeof *a);
    if (!a) return NULL;
    t->entries = a;
    t->cap_entries = cap;
  }
  brk__txn_entry_t *e = calloc(1, sizeof *e);
  if (!e || !(e->tid = malloc((size_t)tid.len + 1))) {
    free(e);
    return NULL;
  }
  memcpy(e->tid, tid.ptr, (size_t)tid.len);
  e->tid[tid.len] = '\0';
  e->pid = -1;
  e->epoch = -1;
  t->entries[t->n_entries++] = e;
  return e;
}

int64_t brk__txn_alloc_pid(brk_txn_t *t) {
  if (t->next_pid >= t->pid_limit && brk__txn_store_reserve(t, t->next_pid + PID_BLOCK) != 0) return -1;
  return t->next_pid++;
}

brk_kerr_t brk__txn_lookup(brk_txn_t *t, brk_slice_t tid, int64_t pid, int16_t epoch, brk__txn_entry_t **out) {
  brk__txn_entry_t *e = tid.ptr ? brk__txn_find(t, tid) : NULL;
  if (!e || e->pid != pid) return BRK_KERR_INVALID_PRODUCER_ID_MAPPING;
  if (epoch != e->epoch) return BRK_KERR_INVALID_PRODUCER_EPOCH;
  if (e->state == BRK_TXN_PREPARE_COMMIT || e->state == BRK_TXN_PREPARE_ABORT)
    return BRK_KERR_CONCURRENT_TRANSACTIONS;
  *out = e;
  return BRK_KERR_NONE;
}

void brk__txn_begin(brk__txn_entry_t *e) {
  if (e->state == BRK_TXN_ONGOING) return;
  brk__txn_entry_clear(e);
  e->state = BRK_TXN_ONGOING;
  e->start_ms = brk_now_ms();
}

static bool has_part(const brk__txn_entry_t *e, brk_slice_t topic, int32_t partition) {
  for (size_t i = 0; i < e->n_parts; i++)
    if (e->parts[i].partition == partition && strlen(e->parts[i].topic) == (size_t)topic.len &&
        memcmp(e->parts[i].topic, topic.ptr, (size_t)topic.len) == 0)
      return true;
  return false;
}

brk_kerr_t brk__txn_check_produce(brk_txn_t *t, int64_t pid, int16_t epoch, brk_slice_t topic, int32_t partition) {
  for (size_t i = 0; i < t->n_entries; i++) {
    const brk__txn_entry_t *e = t->entries[i];
    if (e->pid != pid) continue;
    if (epoch < e->epoch) return BRK_KERR_INVALID_PRODUCER_EPOCH;
    if (epoch > e->epoch || e->state != BRK_TXN_ONGOING || !has_part(e, topic, partition))
      return BRK_KERR_INVALID_TXN_STATE;
    return BRK_KERR_NONE;
  }
  return BRK_KERR_INVALID_PRODUCER_ID_MAPPING;
}

/* Aborts transactions past their timeout, fencing the producer (epoch bump). */
static void tick(void *arg) {
  brk_txn_t *t = arg;
  int64_t now = brk_now_ms();
  for (size_t i = 0; i < t->n_entries; i++) {
    brk__txn_entry_t *e = t->entries[i];
    if (e->state != BRK_TXN_ONGOING || now - e->start_ms <= e->timeout_ms) continue;
    log_info("broker", "transaction %s timed out after %d ms: aborting", e->tid, e->timeout_ms);
    if (e->epoch < INT16_MAX - 1) e->epoch++;
    brk__txn_end(t, e, false);
  }
  brk_timer_start(t->b->loop, &t->timer, now + TICK_MS, tick, t);
}

brk_txn_t *brk_txn_new(brk_broker_t *b, char *errbuf, size_t errbuf_len) {
  brk_txn_t *t = calloc(1, sizeof *t);
  size_t dl = strlen(b->cfg.data_dir) + sizeof "/broker/txn";
  if (!t || !(t->dir = malloc(dl))) {
    free(t);
    snprintf(errbuf, errbuf_len, "broker: out of memory");
    return NULL;
  }
  snprintf(t->dir, dl, "%s/broker/txn", b->cfg.data_dir);
  t->b = b;
  t->fd = -1;
  if (brk__txn_store_open(t, errbuf, errbuf_len) != 0) {
    brk_txn_free(t);
    return NULL;
  }
  t->next_pid = t->pid_limit;
  for (size_t i = 0; i < t->n_entries; i++) brk__txn_recover_entry(t, t->entries[i]);
  brk_timer_start(b->loop, &t->timer, brk_now_ms() + TICK_MS, tick, t);
  return t;
}

void brk_txn_free(brk_txn_t *t) {
  if (!t) return;
  if (t->b && t->b->loop) brk_timer_stop(t->b->loop, &t->timer);
  for (size_t i = 0; i < t->n_entries; i++) brk__txn_entry_free(t->entries[i]);
  free(t->entries);
  if (t->fd >= 0) close(t->fd);
  free(t->dir);
  free(t);
}
