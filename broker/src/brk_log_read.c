// SPDX-License-Identifier: Apache-2.0
/* Reading a partition: Fetch's slices (whole batches from the one that
 * contains the fetch offset, limited by max bytes at batch boundaries, one
 * slice per segment, never copying data) and ListOffsets by time. Positions
 * come from the sparse index; a short forward scan of batch headers (pread
 * through a small cache) finishes each lookup. read_committed reads stop
 * before the last stable offset. */
#include <stdint.h>
#include <string.h>

#include "brk_log_int.h"

static size_t seg_for_offset(const brk_partition_t *p, int64_t offset) {
  size_t lo = 0, hi = p->n_segs;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (p->segs[mid]->base <= offset) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/* Position of the first batch whose last offset >= offset (seg->size if none). */
static int64_t find_pos(const brk__segment_t *seg, int64_t offset, brk__hdr_cursor_t *c) {
  ssize_t i = brk__index_floor_offset(seg, offset - seg->base);
  int64_t pos = i >= 0 ? seg->idx[i].pos : 0;
  while (pos < seg->size) {
    brk__batch_hdr_t h;
    int64_t total = 0;
    if (brk__hdr_cursor_get(c, pos, &h, &total) != 0) return seg->size;
    if (h.base_offset + h.last_offset_delta >= offset) return pos;
    pos += total;
  }
  return seg->size;
}

/* The last batch boundary in [start, limit]. */
static int64_t boundary_before(const brk__segment_t *seg, int64_t start, int64_t limit,
                               brk__hdr_cursor_t *c) {
  ssize_t i = brk__index_floor_pos(seg, limit);
  int64_t pos = i >= 0 && seg->idx[i].pos > start ? seg->idx[i].pos : start;
  while (pos < seg->size) {
    brk__batch_hdr_t h;
    int64_t total = 0;
    if (brk__hdr_cursor_get(c, pos, &h, &total) != 0 || pos + total > limit) break;
    pos += total;
  }
  return pos;
}

/* End of the slice of seg from pos within budget, not past byte `size`; pos if nothing fits. */
static int64_t slice_end(const brk__segment_t *seg, int64_t size, int64_t pos, int64_t budget, bool whole_first,
                         brk__hdr_cursor_t *c) {
  if (size - pos <= budget) return size;
  int64_t end = boundary_before(seg, pos, pos + budget, c);
  if (end > pos || !whole_first) return end;
  brk__batch_hdr_t h;
  int64_t total = 0;
  return brk__hdr_cursor_get(c, pos, &h, &total) == 0 && pos + total <= size ? pos + total : pos;
}

brk_kerr_t brk_partition_read(brk_partition_t *p, int64_t fetch_offset, int32_t max_bytes, bool at_least_one,
                              brk_read_slice_t *slices, size_t max_slices, size_t *n_slices,
                              int64_t *total_bytes) {
  return brk_partition_read_upto(p, fetch_offset, INT64_MAX, max_bytes, at_least_one, slices, max_slices, n_slices,
                                 total_bytes);
}

brk_kerr_t brk_partition_read_upto(brk_partition_t *p, int64_t fetch_offset, int64_t upto, int32_t max_bytes,
                                   bool at_least_one, brk_read_slice_t *slices, size_t max_slices, size_t *n_slices,
                                   int64_t *total_bytes) {
  *n_slices = 0;
  *total_bytes = 0;
  if (fetch_offset < p->log_start || fetch_offset > p->leo) return BRK_KERR_OFFSET_OUT_OF_RANGE;
  if (fetch_offset >= upto || fetch_offset == p->leo || max_slices == 0) return BRK_KERR_NONE;
  brk__hdr_cursor_t cursor;
  size_t si = seg_for_offset(p, fetch_offset);
  brk__hdr_cursor_init(&cursor, p->segs[si]);
  int64_t pos = find_pos(p->segs[si], fetch_offset, &cursor);
  int64_t budget = max_bytes > 0 ? max_bytes : 0;
  for (; si < p->n_segs && *n_slices < max_slices; si++, pos = 0) {
    const brk__segment_t *seg = p->segs[si];
    brk__hdr_cursor_init(&cursor, seg);
    /* read_committed: stop before the batch holding `upto` (it starts there) */
    int64_t size = upto < seg->end_offset ? find_pos(seg, upto, &cursor) : seg->size;
    if (pos >= size) {
      if (size < seg->size) break;
      continue;
    }
    int64_t end = slice_end(seg, size, pos, budget, at_least_one && *total_bytes == 0, &cursor);
    if (end == pos) break;
    brk_file_ref(seg->file);
    slices[(*n_slices)++] = (brk_read_slice_t){seg->file, pos, end - pos};
    *total_bytes += end - pos;
    budget = budget > end - pos ? budget - (end - pos) : 0;
    if (end < seg->size) break;
  }
  return BRK_KERR_NONE;
}

/* First batch at/after the time index hint with max timestamp >= ts and not
 * wholly below the log start; 0 and the offset and timestamp, or -1. */
static int seg_find_time(const brk_partition_t *p, const brk__segment_t *seg, int64_t ts, int64_t *offset,
                         int64_t *timestamp) {
  brk__hdr_cursor_t cursor, *c = &cursor;
  brk__hdr_cursor_init(c, seg);
  ssize_t i = brk__index_floor_time(seg, ts);
  int64_t pos = i >= 0 ? seg->idx[i].pos : 0;
  while (pos < seg->size) {
    brk__batch_hdr_t h;
    int64_t total = 0;
    if (brk__hdr_cursor_get(c, pos, &h, &total) != 0) return -1;
    if (h.max_ts >= ts && h.base_offset + h.last_offset_delta >= p->log_start &&
        brk__batch_seek_time(seg, pos, &h, ts, p->log_start, offset, timestamp) == 0)
      return 0;
    pos += total;
  }
  return -1;
}

brk_kerr_t brk_partition_offset_for_time(brk_partition_t *p, int64_t ts, int64_t *offset,
                                         int64_t *timestamp) {
  *timestamp = -1;
  if (ts == -1 || ts == -2) {
    *offset = ts == -1 ? p->leo : p->log_start;
    return BRK_KERR_NONE;
  }
  *offset = -1;
  for (size_t i = 0; i < p->n_segs; i++) {
    const brk__segment_t *seg = p->segs[i];
    if (seg->max_ts < ts || seg->end_offset <= p->log_start) continue;
    if (seg_find_time(p, seg, ts, offset, timestamp) == 0) return BRK_KERR_NONE;
  }
  *offset = -1;
  *timestamp = -1;
  return BRK_KERR_NONE;
}
