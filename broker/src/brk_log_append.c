// SPDX-License-Identifier: Apache-2.0
/* The produce hot path of a partition (shared/spec/kafka-broker.md §2.4,
 * §3.8): validate every batch's 61-byte header and CRC32C (records are not
 * parsed), roll the segment if needed, assign offsets in place, write all
 * batches with one pwrite, then publish the new end offset and index entries
 * under the partition lock (the flusher reads them). flush.messages triggers
 * a background flush request. Idempotent batches are checked against the
 * partition's producer state first (duplicates answer their original
 * offsets unwritten); EndTxn's control batches are appended here too. */
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

static void track_all(brk_partition_t *p, brk__segment_t *seg, const uint8_t *b, size_t len, int64_t start,
                      int control_type) {
  int32_t interval = p->topic->cfg.index_interval_bytes;
  size_t pos = 0;
  while (pos < len) {
    brk__batch_hdr_t h;
    size_t total = 0;
    brk__batch_frame(b + pos, len - pos, &h, &total);
    brk__segment_track(seg, start + (int64_t)pos, &h, (int64_t)total, interval);
    if (brk__pstate_apply(&p->pstate, b + pos, control_type) != 0)
      brk__store_fail(p->store, "producer state", ENOMEM);
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

/* Idempotence (spec §1.6.3): only a lone batch may carry a producer id
 * (Produce v3+ sends one batch per partition). A duplicate of one of the
 * producer's last 5 batches answers its original offsets, unwritten. */
static brk_kerr_t check_producer(const brk_partition_t *p, const uint8_t *b, size_t len, brk__pbatch_t *dup) {
  int64_t pid = (int64_t)brk__get_u64(b + BRK_B_PRODUCER_ID);
  size_t pos = (size_t)brk__get_u32(b + BRK_B_LENGTH) + BRK_B_LOG_OVERHEAD;
  bool multi = pos < len;
  for (; pos < len && pid < 0; pos += (size_t)brk__get_u32(b + pos + BRK_B_LENGTH) + BRK_B_LOG_OVERHEAD)
    pid = (int64_t)brk__get_u64(b + pos + BRK_B_PRODUCER_ID);
  if (pid < 0) return BRK_KERR_NONE;
  if (multi) return BRK_KERR_INVALID_RECORD;
  return brk__pstate_check(&p->pstate, b, dup);
}

/* Writes validated batches at the log end (control_type: see brk__pstate_apply). */
static brk_kerr_t write_batches(brk_partition_t *p, uint8_t *batches, size_t len, int64_t records, int64_t now_ms,
                                int control_type, brk_append_result_t *res) {
  const brk__topic_cfg_t *cfg = &p->topic->cfg;
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
  track_all(p, seg, batches, len, start, control_type);
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

brk_kerr_t brk_partition_append(brk_partition_t *p, uint8_t *batches, size_t len, int64_t now_ms,
                                brk_append_result_t *res) {
  if (atomic_load(&p->store->failed)) return BRK_KERR_KAFKA_STORAGE_ERROR;
  const brk__topic_cfg_t *cfg = &p->topic->cfg;
  int64_t records = 0;
  brk_kerr_t e = validate_all(cfg, batches, len, now_ms, &records);
  if (e != BRK_KERR_NONE) return e;
  brk__pbatch_t dup = {0, 0, -1, -1};
  e = check_producer(p, batches, len, &dup);
  if (e == BRK_KERR_DUPLICATE_SEQUENCE_NUMBER) {
    if (res) *res = (brk_append_result_t){dup.first_off, dup.last_off, -1, p->log_start};
    return BRK_KERR_NONE; /* what Kafka >= 2.x answers: success, original offsets */
  }
  if (e != BRK_KERR_NONE) return e;
  return write_batches(p, batches, len, records, now_ms, -1, res);
}

/* One control record (spec §2.3): key = version 0 + type, value = version 0 + coordinator epoch. */
static size_t build_control(uint8_t *b, int64_t pid, int16_t epoch, bool commit, int32_t coord_epoch,
                            int64_t now_ms) {
  static const uint8_t rec_head[] = {16 << 1, 0, 0, 0, 4 << 1}; /* length 16, attrs, tsDelta, offDelta, keyLen */
  size_t n = BRK_B_HEADER_SIZE;
  memset(b, 0, n);
  memcpy(b + n, rec_head, sizeof rec_head);
  n += sizeof rec_head;
  brk__put_u16(b + n, 0);
  brk__put_u16(b + n + 2, commit ? 1 : 0);
  b[n + 4] = 6 << 1; /* valueLength */
  brk__put_u16(b + n + 5, 0);
  brk__put_u32(b + n + 7, (uint32_t)coord_epoch);
  b[n + 11] = 0; /* headerCount */
  n += 12;
  brk__put_u32(b + BRK_B_LENGTH, (uint32_t)(n - BRK_B_LOG_OVERHEAD));
  b[BRK_B_MAGIC] = 2;
  brk__put_u16(b + BRK_B_ATTRIBUTES, BRK_B_ATTR_TRANSACTIONAL | BRK_B_ATTR_CONTROL);
  brk__put_u64(b + BRK_B_BASE_TS, (uint64_t)now_ms);
  brk__put_u64(b + BRK_B_MAX_TS, (uint64_t)now_ms);
  brk__put_u64(b + BRK_B_PRODUCER_ID, (uint64_t)pid);
  brk__put_u16(b + BRK_B_PRODUCER_EPOCH, (uint16_t)epoch);
  brk__put_u32(b + BRK_B_BASE_SEQ, UINT32_MAX); /* -1 */
  brk__put_u32(b + BRK_B_COUNT, 1);
  brk__put_u32(b + BRK_B_CRC, brk__crc32c(0, b + BRK_B_ATTRIBUTES, n - BRK_B_ATTRIBUTES));
  return n;
}

brk_kerr_t brk_partition_append_control(brk_partition_t *p, int64_t pid, int16_t epoch, bool commit,
                                        int32_t coordinator_epoch, int64_t now_ms, brk_append_result_t *res) {
  if (atomic_load(&p->store->failed)) return BRK_KERR_KAFKA_STORAGE_ERROR;
  uint8_t b[BRK_B_HEADER_SIZE + 32];
  size_t len = build_control(b, pid, epoch, commit, coordinator_epoch, now_ms);
  return write_batches(p, b, len, 1, now_ms, commit ? 1 : 0, res);
}
