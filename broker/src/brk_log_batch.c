// SPDX-License-Identifier: Apache-2.0
/* Record batch v2 headers (shared/spec/kafka-broker.md §2.1, §2.4): decode
 * the 61-byte header, check framing and CRC32C, apply the produce-time
 * checks and rewrite baseOffset / LogAppendTime fields. Records are never
 * parsed here (the hot path treats them as opaque bytes); no I/O. */
#include <string.h>

#include "brk_log_int.h"

void brk__batch_hdr_decode(const uint8_t *b, brk__batch_hdr_t *h) {
  h->base_offset = (int64_t)brk__get_u64(b + BRK_B_BASE_OFFSET);
  h->length = (int32_t)brk__get_u32(b + BRK_B_LENGTH);
  h->magic = (int8_t)b[BRK_B_MAGIC];
  h->crc = brk__get_u32(b + BRK_B_CRC);
  h->attributes = (int16_t)(((unsigned)b[BRK_B_ATTRIBUTES] << 8) | b[BRK_B_ATTRIBUTES + 1]);
  h->last_offset_delta = (int32_t)brk__get_u32(b + BRK_B_LAST_DELTA);
  h->base_ts = (int64_t)brk__get_u64(b + BRK_B_BASE_TS);
  h->max_ts = (int64_t)brk__get_u64(b + BRK_B_MAX_TS);
  h->count = (int32_t)brk__get_u32(b + BRK_B_COUNT);
}

brk_kerr_t brk__batch_frame(const uint8_t *b, size_t avail, brk__batch_hdr_t *h, size_t *total) {
  /* magic sits at 16: look at it first, v0/v1 message sets are shorter */
  if (avail < BRK_B_MAGIC + 1) return BRK_KERR_CORRUPT_MESSAGE;
  if (b[BRK_B_MAGIC] < 2) return BRK_KERR_UNSUPPORTED_FOR_MESSAGE_FORMAT;
  if (avail < BRK_B_HEADER_SIZE) return BRK_KERR_CORRUPT_MESSAGE;
  brk__batch_hdr_decode(b, h);
  if (h->magic != 2) return BRK_KERR_CORRUPT_MESSAGE;
  if (h->length < BRK_B_HEADER_SIZE - BRK_B_LOG_OVERHEAD) return BRK_KERR_CORRUPT_MESSAGE;
  if ((uint64_t)h->length > avail - BRK_B_LOG_OVERHEAD) return BRK_KERR_CORRUPT_MESSAGE;
  if (h->last_offset_delta < 0) return BRK_KERR_CORRUPT_MESSAGE;
  *total = (size_t)h->length + BRK_B_LOG_OVERHEAD;
  return BRK_KERR_NONE;
}

bool brk__batch_crc_ok(const uint8_t *b, size_t total) {
  uint32_t want = brk__get_u32(b + BRK_B_CRC);
  return brk__crc32c(0, b + BRK_B_ATTRIBUTES, total - BRK_B_ATTRIBUTES) == want;
}

static bool ts_too_far(int64_t ts, int64_t now_ms, int64_t max_diff) {
  if (max_diff < 0 || max_diff == INT64_MAX) return false;
  int64_t d = ts > now_ms ? ts - now_ms : now_ms - ts;
  if (d < 0) return true; /* overflowed: absurd timestamp */
  return d > max_diff;
}

brk_kerr_t brk__batch_validate(const uint8_t *b, const brk__batch_hdr_t *h, size_t total,
                               const brk__topic_cfg_t *cfg, int64_t now_ms) {
  if (!brk__batch_crc_ok(b, total)) return BRK_KERR_CORRUPT_MESSAGE;
  if (total > (size_t)cfg->max_message_bytes) return BRK_KERR_MESSAGE_TOO_LARGE;
  if ((h->attributes & BRK_B_ATTR_CODEC_MASK) > 4) return BRK_KERR_UNSUPPORTED_COMPRESSION_TYPE;
  /* control batches (commit/abort markers) are written by the broker only */
  if (h->attributes & BRK_B_ATTR_CONTROL) return BRK_KERR_CORRUPT_MESSAGE;
  if (h->count < 1 || h->last_offset_delta != h->count - 1) return BRK_KERR_CORRUPT_MESSAGE;
  if (!cfg->log_append_time && ts_too_far(h->max_ts, now_ms, cfg->ts_diff_max_ms))
    return BRK_KERR_INVALID_TIMESTAMP;
  return BRK_KERR_NONE;
}

void brk__batch_assign(uint8_t *b, size_t total, int64_t base_offset, bool log_append_time, int64_t now_ms) {
  brk__put_u64(b + BRK_B_BASE_OFFSET, (uint64_t)base_offset);
  brk__put_u32(b + BRK_B_LEADER_EPOCH, 0);
  if (!log_append_time) return;
  uint16_t attr = (uint16_t)(((unsigned)b[BRK_B_ATTRIBUTES] << 8) | b[BRK_B_ATTRIBUTES + 1]);
  brk__put_u16(b + BRK_B_ATTRIBUTES, (uint16_t)(attr | BRK_B_ATTR_LOG_APPEND_TIME));
  brk__put_u64(b + BRK_B_MAX_TS, (uint64_t)now_ms);
  brk__put_u32(b + BRK_B_CRC, brk__crc32c(0, b + BRK_B_ATTRIBUTES, total - BRK_B_ATTRIBUTES));
}
