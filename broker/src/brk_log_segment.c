// SPDX-License-Identifier: Apache-2.0
/* One segment of a partition log: its .log file (opened, created, removed)
 * and the in-memory bookkeeping of the batches it holds (size, end offset,
 * max timestamp, sparse index entries every index.interval.bytes). Index
 * file I/O and lookups live in brk_log_index.c, scanning in
 * brk_log_recover.c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk_log_int.h"

void brk__segment_path(char *buf, size_t len, const char *dir, int64_t base, const char *ext) {
  snprintf(buf, len, "%s/%020" PRId64 "%s", dir, base, ext);
}

static bool idx_push(brk__segment_t *seg, brk__idx_entry_t e) {
  if (seg->n_idx == seg->cap_idx) {
    size_t cap = seg->cap_idx ? seg->cap_idx * 2 : 64;
    brk__idx_entry_t *n = realloc(seg->idx, cap * sizeof *n);
    if (!n) return false; /* the index is sparse anyway: skipping an entry only slows lookups */
    seg->idx = n;
    seg->cap_idx = cap;
  }
  seg->idx[seg->n_idx++] = e;
  return true;
}

void brk__segment_track(brk__segment_t *seg, int64_t pos, const brk__batch_hdr_t *h, int64_t total,
                        int32_t interval) {
  if (pos > 0 && seg->bytes_since_idx >= interval) {
    brk__idx_entry_t e = {(int32_t)(h->base_offset - seg->base), (uint32_t)pos, seg->max_ts};
    if (idx_push(seg, e)) seg->bytes_since_idx = 0;
  }
  seg->bytes_since_idx += total;
  seg->size = pos + total;
  seg->end_offset = h->base_offset + h->last_offset_delta + 1;
  if (h->max_ts > seg->max_ts) seg->max_ts = h->max_ts;
}

static brk__segment_t *segment_new(int fd, int64_t base, int64_t now_ms, int *err) {
  brk__segment_t *seg = calloc(1, sizeof *seg);
  brk_file_t *f = seg ? brk__file_new(fd) : NULL;
  if (!f) {
    if (!seg) close(fd);
    free(seg);
    *err = -ENOMEM;
    return NULL;
  }
  seg->file = f;
  seg->base = base;
  seg->end_offset = base;
  seg->max_ts = -1;
  seg->created_ms = now_ms;
  return seg;
}

brk__segment_t *brk__segment_create(const char *dir, int64_t base, int64_t now_ms, int *err) {
  char path[PATH_MAX];
  brk__segment_path(path, sizeof path, dir, base, ".log");
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = -errno;
    return NULL;
  }
  int rc = brk__fsync_dir(dir);
  if (rc != 0) {
    close(fd);
    *err = rc;
    return NULL;
  }
  return segment_new(fd, base, now_ms, err);
}

brk__segment_t *brk__segment_open(const char *dir, int64_t base, int *err) {
  char path[PATH_MAX];
  brk__segment_path(path, sizeof path, dir, base, ".log");
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    *err = -errno;
    return NULL;
  }
  return segment_new(fd, base, 0, err);
}

void brk__segment_free(brk__segment_t *seg) {
  if (!seg) return;
  brk_file_unref(seg->file);
  free(seg->idx);
  free(seg);
}

void brk__segment_unlink(const char *dir, int64_t base) {
  static const char *const exts[] = {".log", ".index", ".timeindex"};
  char path[PATH_MAX];
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    brk__segment_path(path, sizeof path, dir, base, exts[i]);
    unlink(path);
  }
}
