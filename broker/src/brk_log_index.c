// SPDX-License-Identifier: Apache-2.0
/* Sparse indexes of a segment: binary searches of the in-memory entries
 * (by offset, position, time), the .index (int32 relative offset, int32
 * position) and .timeindex (int64 timestamp-before, int32 relative offset)
 * files, big-endian, one entry each per index interval, and a cached header
 * reader for scanning forward from an entry. Index files are written at
 * segment roll and clean shutdown and are rebuildable: anything insane is
 * rejected and rebuilt from the log. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brk_log_int.h"

#define IDX_ENTRY 8
#define TIDX_ENTRY 12

ssize_t brk__index_floor_offset(const brk__segment_t *seg, int64_t target_rel) {
  ssize_t lo = 0, hi = (ssize_t)seg->n_idx - 1, ans = -1;
  while (lo <= hi) {
    ssize_t mid = lo + (hi - lo) / 2;
    if (seg->idx[mid].rel <= target_rel) {
      ans = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return ans;
}

ssize_t brk__index_floor_pos(const brk__segment_t *seg, int64_t limit) {
  ssize_t lo = 0, hi = (ssize_t)seg->n_idx - 1, ans = -1;
  while (lo <= hi) {
    ssize_t mid = lo + (hi - lo) / 2;
    if ((int64_t)seg->idx[mid].pos <= limit) {
      ans = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return ans;
}

ssize_t brk__index_floor_time(const brk__segment_t *seg, int64_t ts) {
  ssize_t lo = 0, hi = (ssize_t)seg->n_idx - 1, ans = -1;
  while (lo <= hi) {
    ssize_t mid = lo + (hi - lo) / 2;
    if (seg->idx[mid].ts_before < ts) {
      ans = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return ans;
}

static int write_tmp_rename(const char *dir, int64_t base, const char *ext, const uint8_t *buf, size_t len) {
  char tmp[PATH_MAX], dst[PATH_MAX], tmpext[32];
  snprintf(tmpext, sizeof tmpext, "%s.tmp", ext);
  brk__segment_path(tmp, sizeof tmp, dir, base, tmpext);
  brk__segment_path(dst, sizeof dst, dir, base, ext);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -errno;
  int rc = brk__pwrite_all(fd, buf, len, 0);
  close(fd);
  if (rc == 0 && rename(tmp, dst) < 0) rc = -errno;
  if (rc != 0) unlink(tmp);
  return rc;
}

int brk__segment_write_index(const brk__segment_t *seg, const char *dir) {
  size_t n = seg->n_idx;
  uint8_t *ib = malloc(n * IDX_ENTRY + 1), *tb = malloc(n * TIDX_ENTRY + 1);
  int rc = -ENOMEM;
  if (ib && tb) {
    for (size_t i = 0; i < n; i++) {
      brk__put_u32(ib + i * IDX_ENTRY, (uint32_t)seg->idx[i].rel);
      brk__put_u32(ib + i * IDX_ENTRY + 4, seg->idx[i].pos);
      brk__put_u64(tb + i * TIDX_ENTRY, (uint64_t)seg->idx[i].ts_before);
      brk__put_u32(tb + i * TIDX_ENTRY + 8, (uint32_t)seg->idx[i].rel);
    }
    rc = write_tmp_rename(dir, seg->base, ".index", ib, n * IDX_ENTRY);
    if (rc == 0) rc = write_tmp_rename(dir, seg->base, ".timeindex", tb, n * TIDX_ENTRY);
  }
  free(ib);
  free(tb);
  return rc;
}

static uint8_t *read_index_file(const char *dir, int64_t base, const char *ext, size_t max, size_t *len) {
  char path[PATH_MAX];
  brk__segment_path(path, sizeof path, dir, base, ext);
  return (uint8_t *)brk__read_small_file(path, max, len);
}

/* Entries must grow strictly in offset and position, stay inside the
 * segment, and have non-decreasing timestamps. */
static bool entries_sane(const brk__segment_t *seg, const uint8_t *ib, const uint8_t *tb, size_t n) {
  int64_t prev_rel = 0, prev_pos = 0, prev_ts = INT64_MIN;
  for (size_t i = 0; i < n; i++) {
    int64_t rel = (int32_t)brk__get_u32(ib + i * IDX_ENTRY);
    int64_t pos = brk__get_u32(ib + i * IDX_ENTRY + 4);
    int64_t ts = (int64_t)brk__get_u64(tb + i * TIDX_ENTRY);
    int64_t trel = (int32_t)brk__get_u32(tb + i * TIDX_ENTRY + 8);
    if (rel <= prev_rel || pos <= prev_pos || pos >= seg->size || trel != rel || ts < prev_ts) return false;
    prev_rel = rel;
    prev_pos = pos;
    prev_ts = ts;
  }
  return true;
}

bool brk__segment_load_index(brk__segment_t *seg, const char *dir) {
  size_t max = (size_t)(seg->size / 61 + 1) * TIDX_ENTRY, ilen = 0, tlen = 0;
  uint8_t *ib = read_index_file(dir, seg->base, ".index", max, &ilen);
  uint8_t *tb = ib ? read_index_file(dir, seg->base, ".timeindex", max, &tlen) : NULL;
  size_t n = ilen / IDX_ENTRY;
  bool ok = tb && ilen % IDX_ENTRY == 0 && tlen == n * TIDX_ENTRY && entries_sane(seg, ib, tb, n);
  if (ok && n > 0) {
    seg->idx = malloc(n * sizeof *seg->idx);
    ok = seg->idx != NULL;
  }
  for (size_t i = 0; ok && i < n; i++) {
    seg->idx[i].rel = (int32_t)brk__get_u32(ib + i * IDX_ENTRY);
    seg->idx[i].pos = brk__get_u32(ib + i * IDX_ENTRY + 4);
    seg->idx[i].ts_before = (int64_t)brk__get_u64(tb + i * TIDX_ENTRY);
  }
  if (ok) seg->n_idx = seg->cap_idx = n;
  free(ib);
  free(tb);
  return ok;
}

void brk__hdr_cursor_init(brk__hdr_cursor_t *c, const brk__segment_t *seg) {
  c->seg = seg;
  c->buf_pos = 0;
  c->buf_len = 0;
}

int brk__hdr_cursor_get(brk__hdr_cursor_t *c, int64_t pos, brk__batch_hdr_t *h, int64_t *total) {
  const brk__segment_t *seg = c->seg;
  if (pos < 0 || pos + BRK_B_HEADER_SIZE > seg->size) return -1;
  if (pos < c->buf_pos || pos + BRK_B_HEADER_SIZE > c->buf_pos + (int64_t)c->buf_len) {
    int64_t want = seg->size - pos < (int64_t)sizeof c->buf ? seg->size - pos : (int64_t)sizeof c->buf;
    ssize_t n = brk__pread_full(seg->file->fd, c->buf, (size_t)want, pos);
    if (n < BRK_B_HEADER_SIZE) return -1;
    c->buf_pos = pos;
    c->buf_len = (size_t)n;
  }
  size_t tot = 0;
  const uint8_t *b = c->buf + (pos - c->buf_pos);
  /* framing against the segment's end, not the buffer's */
  if (brk__batch_frame(b, (size_t)(seg->size - pos), h, &tot) != BRK_KERR_NONE) return -1;
  *total = (int64_t)tot;
  return 0;
}
