// SPDX-License-Identifier: Apache-2.0
/* ListOffsets by timestamp inside one record batch: the batch header only
 * knows the batch's max timestamp, but Kafka answers with the first *record*
 * whose timestamp is >= the target. For CreateTime batches this file reads
 * the records section, decompresses it when the batch is compressed
 * (brk_log_codec.c), and walks the record headers (length, attributes,
 * timestampDelta, offsetDelta); it never looks at keys, values or headers.
 * LogAppendTime batches (every record carries the batch time) and batches
 * that cannot be read or decoded answer with the batch's first offset. */
#include <stdlib.h>

#include "brk_log_codec.h"
#include "brk_log_int.h"

/* Largest records section read for the walk (compressed size); bigger
 * batches fall back to the batch's first offset (message.max.bytes keeps
 * real batches below). Decompressed sections are capped at
 * BRK__DECOMPRESS_MAX_OUT. */
#define SEEK_MAX_RECORDS_BYTES (16 << 20)

typedef struct rec_cursor {
  const uint8_t *p, *end;
} rec_cursor_t;

/* Unsigned LEB128 of at most 10 bytes; false past the end. */
static bool read_uvarlong(rec_cursor_t *c, uint64_t *out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70 && c->p < c->end; shift += 7) {
    uint8_t b = *c->p++;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

static bool read_varlong(rec_cursor_t *c, int64_t *out) {
  uint64_t u;
  if (!read_uvarlong(c, &u)) return false;
  *out = (int64_t)(u >> 1) ^ -(int64_t)(u & 1); /* zigzag */
  return true;
}

/* Walks records; 0 with the first record at/after ts (and not below
 * log_start), 1 when none in this batch qualifies, -1 when malformed. */
static int walk_records(const brk__batch_hdr_t *h, rec_cursor_t *c, int64_t ts, int64_t log_start,
                        int64_t *offset, int64_t *timestamp) {
  for (int32_t i = 0; i < h->count; i++) {
    int64_t len, ts_delta, off_delta;
    if (!read_varlong(c, &len) || len < 1 || len > c->end - c->p) return -1;
    rec_cursor_t rec = {c->p, c->p + len};
    c->p += len;
    rec.p++; /* attributes */
    if (!read_varlong(&rec, &ts_delta) || !read_varlong(&rec, &off_delta)) return -1;
    int64_t rec_offset = h->base_offset + off_delta, rec_ts = h->base_ts + ts_delta;
    if (rec_ts >= ts && rec_offset >= log_start) {
      *offset = rec_offset;
      *timestamp = rec_ts;
      return 0;
    }
  }
  return 1;
}

/* The records section of the batch at pos, decompressed if need be, in a
 * new buffer (free()). 0, or -1 when unreadable, corrupt or over the limits. */
static int load_records(const brk__segment_t *seg, int64_t pos, const brk__batch_hdr_t *h, uint8_t **buf,
                        size_t *len) {
  int64_t records_len = (int64_t)h->length + BRK_B_LOG_OVERHEAD - BRK_B_HEADER_SIZE;
  *buf = NULL;
  *len = 0;
  if (records_len <= 0 || records_len > SEEK_MAX_RECORDS_BYTES) return -1;
  uint8_t *raw = malloc((size_t)records_len);
  if (!raw || brk__pread_full(brk_file_fd(seg->file), raw, (size_t)records_len, pos + BRK_B_HEADER_SIZE) !=
                  records_len) {
    free(raw);
    return -1;
  }
  int codec = h->attributes & BRK_B_ATTR_CODEC_MASK;
  if (codec == BRK__CODEC_NONE) {
    *buf = raw;
    *len = (size_t)records_len;
    return 0;
  }
  int rc = brk__decompress(codec, raw, (size_t)records_len, buf, len, BRK__DECOMPRESS_MAX_OUT);
  free(raw);
  return rc == BRK__DECOMPRESS_OK ? 0 : -1;
}

int brk__batch_seek_time(const brk__segment_t *seg, int64_t pos, const brk__batch_hdr_t *h, int64_t ts,
                         int64_t log_start, int64_t *offset, int64_t *timestamp) {
  uint8_t *buf = NULL;
  size_t len = 0;
  if (!(h->attributes & BRK_B_ATTR_LOG_APPEND_TIME) && load_records(seg, pos, h, &buf, &len) == 0) {
    rec_cursor_t c = {buf, buf + len};
    int rc = walk_records(h, &c, ts, log_start, offset, timestamp);
    free(buf);
    if (rc != -1) return rc;
  }
  /* LogAppendTime, unreadable or undecodable: the batch's first offset, as a whole. */
  *offset = h->base_offset > log_start ? h->base_offset : log_start;
  *timestamp = h->max_ts;
  return 0;
}
