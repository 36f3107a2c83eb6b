// SPDX-License-Identifier: Apache-2.0
/* Retention (shared/spec/kafka-broker.md §3.2): whole segments go from the
 * head when their largest timestamp is older than retention.ms, while the
 * rest still holds retention.bytes, or when DeleteRecords moved the log
 * start past them; never the active segment. Only topics whose
 * cleanup.policy includes "delete" are trimmed by time and size. */
#include "brk_log_int.h"

static bool should_drop(const brk_partition_t *p, const brk__segment_t *seg, int64_t total, int64_t now_ms) {
  const brk__topic_cfg_t *cfg = &p->topic->cfg;
  if (seg->end_offset <= p->log_start) return true;
  if (!cfg->cleanup_delete) return false;
  if (cfg->retention_ms >= 0 && now_ms - seg->max_ts > cfg->retention_ms) return true;
  return cfg->retention_bytes >= 0 && total - seg->size >= cfg->retention_bytes;
}

static void partition_retention(brk_partition_t *p, int64_t now_ms) {
  int64_t total = 0;
  for (size_t i = 0; i < p->n_segs; i++) total += p->segs[i]->size;
  while (p->n_segs > 1 && should_drop(p, p->segs[0], total, now_ms)) {
    total -= p->segs[0]->size;
    brk__partition_drop_first(p);
  }
}

void brk_store_enforce_retention(brk_store_t *store, int64_t now_ms) {
  for (size_t i = 0; i < store->n_topics; i++) {
    brk__topic_t *t = store->topics[i];
    for (int32_t j = 0; j < t->n_parts; j++) partition_retention(t->parts[j], now_ms);
  }
}
