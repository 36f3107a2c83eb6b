// SPDX-License-Identifier: Apache-2.0
/* The produce hot path of a partition (shared/spec/kafka-broker.md §2.4,
 * §3.8): validate every batch's 61-byte header and CRC32C (records are not
 * parsed), roll the segment if needed, assign offsets in place, write all
 * batches with one pwrite, then publish the new end offset and index entries
 * under the partition lock (the flusher reads them). flush.messages triggers
 * a background flush request. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "brk_log_int.h"

static brk_kerr_t validate_all(const brk__topic_cfg_t *cfg, const uint8_t *b, size_t len, int64_t now_ms,
                               int64_t *records) {
  if (len == 0) return BRK_KERR_CORRUPT_MESSAGE;
  size_t pos = 0;
  *records = 0;
  while (pos < len) {
    brk__batch_hdr_t h;
    size_t total = 0;
    brk_kerr_t e = brk__batch_frame(b + pos, len - pos, &h, &total);
    if (e == BRK_KERR_NONE) e = brk__batch_validate(b + pos, &h, total, cfg, now_ms);
    if (e != BRK_KERR_NONE) return e;
    *records += (int64_t)h.last_offset_delta + 1;
    pos += total;
  }
  return BRK_KERR_NONE;
}

static bool need_roll(const brk_partition_t *p, const brk__segment_t *seg, size_t len, int64_t records,
                      int64_t now_ms) {
  const brk__topic_cfg_t *cfg = &p->topic->cfg;
  if (seg->size == 0) return false;
  if (seg->size + (int64_t)len > cfg->segment_bytes) return true;
  if (seg->size + (int64_t)len > (int64_t)UINT32_MAX) return true;
  if (now_ms - seg->created_ms >= cfg->segment_ms) return true;
  return p->leo + records - seg->base > INT32_MAX;
}

/* Offsets (and LogAppendTime) into the validated batches; returns the next offset. */
static int64_t assign_all(uint8_t *b, size_t len, int64_t next, const brk__topic_cfg_t *cfg, int64_t now_ms) {
  size_t pos = 0;
  while (pos < len) {
    brk__batch_hdr_t h;
    size_t total = 0;
    brk__batch_frame(b + pos, len - pos, &h, &total);
    brk__batch_assign(b + pos, total, next, cfg->log_append_time, now_ms);
    next += (int64_t)h.last_offset_delta + 1;
    pos += total;
  }
  return next;
}

static void track_all(brk__segment_t *seg, const uint8_t *b, size_t len, int64_t start, int32_t interval) {
  size_t pos = 0;
  while (pos < len) {
    brk__batch_hdr_t h;
    size_t total = 0;
    brk__batch_frame(b + pos, len - pos, &h, &total);
    brk__segment_track(seg, start + (int64_t)pos, &h, (int64_t)total, interval);
    pos += total;
  }
}

static void maybe_flush(brk_partition_t *p, int64_t records) {
  int64_t every = p->topic->cfg.flush_messages;
  if (every <= 0 || every == INT64_MAX) return;
  p->msgs_since_flush += records;
  if (p->msgs_since_flush < every) return;
  p->msgs_since_flush = 0;
  brk_store_flush_request(p->store, p, p->leo, NULL, NULL);
}

brk_kerr_t brk_partition_append(brk_partition_t *p, uint8_t *batches, size_t len, int64_t now_ms,
                                brk_append_result_t *res) {
  if (atomic_load(&p->store->failed)) return BRK_KERR_KAFKA_STORAGE_ERROR;
  const brk__topic_cfg_t *cfg = &p->topic->cfg;
  int64_t records = 0;
  brk_kerr_t e = validate_all(cfg, batches, len, now_ms, &records);
  if (e != BRK_KERR_NONE) return e;
  brk__segment_t *seg = p->segs[p->n_segs - 1];
  if (need_roll(p, seg, len, records, now_ms)) {
    if (brk__partition_roll(p, now_ms) != BRK_KERR_NONE) {
      brk__store_fail(p->store, p->dir, EIO);
      return BRK_KERR_KAFKA_STORAGE_ERROR;
    }
    seg = p->segs[p->n_segs - 1];
  }
  if (seg->size == 0) seg->created_ms = now_ms;
  int64_t base = p->leo, start = seg->size;
  int64_t next = assign_all(batches, len, base, cfg, now_ms);
  int rc = brk__pwrite_all(seg->file->fd, batches, len, start);
  if (rc != 0) {
    int trc = ftruncate(seg->file->fd, start); /* best effort: the store fails anyway */
    (void)trc;
    brk__store_fail(p->store, p->dir, -rc);
    return BRK_KERR_KAFKA_STORAGE_ERROR;
  }
  pthread_mutex_lock(&p->mu);
  track_all(seg, batches, len, start, cfg->index_interval_bytes);
  p->leo = next;
  pthread_mutex_unlock(&p->mu);
  maybe_flush(p, records);
  if (res) {
    res->base_offset = base;
    res->last_offset = next - 1;
    res->log_append_time = cfg->log_append_time ? now_ms : -1;
    res->log_start_offset = p->log_start;
  }
  return BRK_KERR_NONE;
}
