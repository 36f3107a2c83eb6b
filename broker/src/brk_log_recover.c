// SPDX-License-Identifier: Apache-2.0
/* Crash recovery of a partition log (shared/spec/kafka-broker.md §3.4):
 * list the segments, trust sane index files of older segments, walk the
 * batches of the last two segments (every segment after an unclean
 * shutdown's point of doubt) checking framing, offset continuity and CRC32C,
 * truncate at the first bad batch and drop later segments. Everything read
 * from disk is bounds-checked; a corrupt file never crashes this code. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk_log_int.h"
#include "log/log.h"

/* One batch at pos of the mapped file: framed, continuing the offsets,
 * relative offsets within int32, positions within uint32, CRC if asked. */
static bool batch_good(const brk__segment_t *seg, const uint8_t *map, int64_t file_size, int64_t pos,
                       bool strict, bool verify_crc, brk__batch_hdr_t *h, size_t *total) {
  if (brk__batch_frame(map + pos, (size_t)(file_size - pos), h, total) != BRK_KERR_NONE) return false;
  if (strict ? h->base_offset != seg->end_offset : h->base_offset < seg->end_offset) return false;
  if (h->base_offset > INT64_MAX - h->last_offset_delta - 1) return false;
  if (h->base_offset + h->last_offset_delta - seg->base > INT32_MAX) return false;
  if (pos + (int64_t)*total > (int64_t)UINT32_MAX) return false;
  return !verify_crc || brk__batch_crc_ok(map + pos, *total);
}

int64_t brk__segment_scan(brk__segment_t *seg, int64_t from, bool verify_crc, int32_t interval) {
  struct stat st;
  if (fstat(seg->file->fd, &st) < 0) return -errno;
  int64_t file_size = st.st_size;
  seg->size = from;
  if (from >= file_size) return from;
  uint8_t *map = mmap(NULL, (size_t)file_size, PROT_READ, MAP_PRIVATE, seg->file->fd, 0);
  if (map == MAP_FAILED) return -errno;
  int64_t pos = from;
  while (pos < file_size) {
    brk__batch_hdr_t h;
    size_t total = 0;
    if (!batch_good(seg, map, file_size, pos, pos == from && from > 0, verify_crc, &h, &total)) break;
    brk__segment_track(seg, pos, &h, (int64_t)total, interval);
    pos += (int64_t)total;
  }
  munmap(map, (size_t)file_size);
  return pos;
}

static void reset_tracking(brk__segment_t *seg) {
  free(seg->idx);
  seg->idx = NULL;
  seg->n_idx = seg->cap_idx = 0;
  seg->end_offset = seg->base;
  seg->max_ts = -1;
  seg->size = 0;
  seg->bytes_since_idx = 0;
}

/* Sets up seg's state; truncates a bad tail. Returns 1 if truncated, 0, or -errno. */
static int recover_segment(brk_partition_t *p, brk__segment_t *seg, bool verify) {
  int32_t interval = p->topic->cfg.index_interval_bytes;
  struct stat st;
  if (fstat(seg->file->fd, &st) < 0) return -errno;
  int64_t from = 0;
  seg->size = st.st_size;
  if (!verify && brk__segment_load_index(seg, p->dir) && seg->n_idx > 0) {
    const brk__idx_entry_t *last = &seg->idx[seg->n_idx - 1];
    from = last->pos;
    seg->end_offset = seg->base + last->rel;
    seg->max_ts = last->ts_before;
  } else {
    reset_tracking(seg);
  }
  int64_t end = brk__segment_scan(seg, from, verify, interval);
  if (end == from && from > 0) { /* the index points at no batch: rebuild it */
    reset_tracking(seg);
    end = brk__segment_scan(seg, 0, true, interval);
  }
  if (end < 0) return (int)end;
  if (end == st.st_size) return 0;
  log_warn(BRK_LOG_COMPONENT,
           "%s: segment %" PRId64 ": bad or torn batch at byte %" PRId64 " of %" PRId64 ", truncating",
           p->dir, seg->base, end, (int64_t)st.st_size);
  if (ftruncate(seg->file->fd, end) < 0 || fdatasync(seg->file->fd) < 0) return -errno;
  return 1;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Segment base offsets in dir (sorted); removes leftover temp files. */
static int list_segments(const char *dir, int64_t **out, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) return -errno;
  int64_t *bases = NULL;
  size_t cnt = 0, cap = 0;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".tmp") == 0) unlinkat(dirfd(d), e->d_name, 0);
    if (len != 24 || strcmp(e->d_name + 20, ".log") != 0 || strspn(e->d_name, "0123456789") != 20) continue;
    if (cnt == cap) {
      cap = cap ? cap * 2 : 16;
      int64_t *nb = realloc(bases, cap * sizeof *nb);
      if (!nb) {
        rc = -ENOMEM;
        break;
      }
      bases = nb;
    }
    bases[cnt++] = strtoll(e->d_name, NULL, 10);
  }
  closedir(d);
  if (cnt) qsort(bases, cnt, sizeof *bases, cmp_i64);
  *out = bases;
  *n = cnt;
  return rc;
}

static void drop_from(brk_partition_t *p, const int64_t *bases, size_t from, size_t n) {
  for (size_t i = from; i < n; i++) {
    log_warn(BRK_LOG_COMPONENT, "%s: dropping segment %" PRId64 " after a truncated one", p->dir, bases[i]);
    brk__segment_unlink(p->dir, bases[i]);
  }
}

static int recover_all(brk_partition_t *p, const int64_t *bases, size_t n, bool clean) {
  for (size_t i = 0; i < n; i++) {
    int rc = 0;
    brk__segment_t *seg = brk__segment_open(p->dir, bases[i], &rc);
    if (!seg) return rc;
    if (p->n_segs > 0 && seg->base < p->segs[p->n_segs - 1]->end_offset) {
      brk__segment_free(seg);
      drop_from(p, bases, i, n);
      return 0;
    }
    bool verify = !clean || i + 2 >= n;
    rc = recover_segment(p, seg, verify);
    if (rc >= 0 && verify) brk__segment_write_index(seg, p->dir);
    if (rc < 0 || brk__partition_push_segment(p, seg) != 0) {
      brk__segment_free(seg);
      return rc < 0 ? rc : -ENOMEM;
    }
    if (rc == 1) {
      drop_from(p, bases, i + 1, n);
      return 0;
    }
  }
  return 0;
}

int brk__partition_recover(brk_partition_t *p, bool clean, int64_t now_ms) {
  int64_t *bases = NULL;
  size_t n = 0;
  int rc = list_segments(p->dir, &bases, &n);
  if (rc == 0) rc = recover_all(p, bases, n, clean);
  free(bases);
  if (rc != 0) return rc;
  int64_t saved_start = brk__partition_load_log_start(p);
  if (p->n_segs == 0) {
    brk__segment_t *seg = brk__segment_create(p->dir, saved_start > 0 ? saved_start : 0, now_ms, &rc);
    if (!seg) return rc;
    if (brk__partition_push_segment(p, seg) != 0) {
      brk__segment_free(seg);
      return -ENOMEM;
    }
  }
  brk__segment_t *active = p->segs[p->n_segs - 1];
  active->created_ms = now_ms;
  p->leo = active->end_offset;
  p->log_start = p->segs[0]->base > saved_start ? p->segs[0]->base : saved_start;
  if (p->log_start > p->leo) p->log_start = p->leo;
  atomic_store(&p->durable, p->leo);
  return brk__pstate_rebuild(p);
}
