// SPDX-License-Identifier: Apache-2.0
/* A partition log: opening (via recovery), the append path (validate every
 * batch, assign offsets, one pwrite, index bookkeeping, roll at
 * segment.bytes / segment.ms), log start / high watermark / durable offset,
 * DeleteRecords, and its lifetime (refcounted: queued flush requests keep a
 * deleted partition alive). Reads are in brk_log_read.c, retention in
 * brk_log_retention.c. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brk_log_int.h"
#include "log/log.h"

#define LOG_START_FILE "log-start-offset"

int brk__partition_push_segment(brk_partition_t *p, brk__segment_t *seg) {
  pthread_mutex_lock(&p->mu);
  int rc = 0;
  if (p->n_segs == p->cap_segs) {
    size_t cap = p->cap_segs ? p->cap_segs * 2 : 8;
    brk__segment_t **n = realloc(p->segs, cap * sizeof *n);
    if (n) {
      p->segs = n;
      p->cap_segs = cap;
    } else {
      rc = -ENOMEM;
    }
  }
  if (rc == 0) p->segs[p->n_segs++] = seg;
  pthread_mutex_unlock(&p->mu);
  return rc;
}

int64_t brk__partition_load_log_start(const brk_partition_t *p) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", p->dir, LOG_START_FILE);
  char *text = brk__read_small_file(path, 64, NULL);
  if (!text) return -1;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  bool ok = errno == 0 && end != text && (*end == '\n' || *end == '\0') && v >= 0;
  free(text);
  return ok ? (int64_t)v : -1;
}

int brk__partition_save_log_start(const brk_partition_t *p) {
  char text[32];
  int len = snprintf(text, sizeof text, "%" PRId64 "\n", p->log_start);
  return brk__write_file_atomic(p->dir, LOG_START_FILE, text, (size_t)len);
}

brk_partition_t *brk__partition_open(brk_store_t *store, brk__topic_t *t, int32_t id, bool clean, int *err) {
  brk_partition_t *p = calloc(1, sizeof *p);
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%" PRId32, t->dir, id);
  if (!p || !(p->dir = strdup(path))) {
    free(p);
    *err = -ENOMEM;
    return NULL;
  }
  p->store = store;
  p->topic = t;
  p->id = id;
  pthread_mutex_init(&p->mu, NULL);
  atomic_init(&p->refs, 1);
  atomic_init(&p->durable, 0);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  int rc = brk__mkdir(p->dir);
  if (rc == 0) rc = brk__partition_recover(p, clean, (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
  if (rc != 0) {
    *err = rc;
    brk__partition_unref(p);
    return NULL;
  }
  return p;
}

void brk__partition_ref(brk_partition_t *p) {
  atomic_fetch_add(&p->refs, 1);
}

void brk__partition_unref(brk_partition_t *p) {
  if (!p || atomic_fetch_sub(&p->refs, 1) != 1) return;
  for (size_t i = 0; i < p->n_segs; i++) brk__segment_free(p->segs[i]);
  for (size_t i = 0; i < p->n_unsynced; i++) brk_file_unref(p->unsynced[i]);
  free(p->segs);
  free(p->unsynced);
  brk__pstate_fini(&p->pstate);
  pthread_mutex_destroy(&p->mu);
  free(p->dir);
  free(p);
}

void brk__partition_shutdown(brk_partition_t *p) {
  for (size_t i = 0; i < p->n_unsynced; i++) {
    if (fdatasync(p->unsynced[i]->fd) < 0) brk__store_fail(p->store, p->dir, errno);
  }
  brk__segment_t *active = p->segs[p->n_segs - 1];
  if (fdatasync(active->file->fd) < 0) brk__store_fail(p->store, p->dir, errno);
  brk__segment_write_index(active, p->dir);
}

static int unsynced_push(brk_partition_t *p, brk_file_t *f) {
  if (p->n_unsynced == p->cap_unsynced) {
    size_t cap = p->cap_unsynced ? p->cap_unsynced * 2 : 4;
    brk_file_t **n = realloc(p->unsynced, cap * sizeof *n);
    if (!n) return -ENOMEM;
    p->unsynced = n;
    p->cap_unsynced = cap;
  }
  brk_file_ref(f);
  p->unsynced[p->n_unsynced++] = f;
  return 0;
}

brk_kerr_t brk__partition_roll(brk_partition_t *p, int64_t now_ms) {
  brk__segment_t *old = p->segs[p->n_segs - 1];
  brk__segment_write_index(old, p->dir);
  int rc = 0;
  brk__segment_t *seg = brk__segment_create(p->dir, p->leo, now_ms, &rc);
  if (seg && (rc = brk__partition_push_segment(p, seg)) != 0) brk__segment_free(seg);
  if (rc != 0) {
    log_error(BRK_LOG_COMPONENT, "%s: cannot roll a new segment at %" PRId64 ": %s", p->dir, p->leo,
              strerror(-rc));
    return BRK_KERR_KAFKA_STORAGE_ERROR;
  }
  pthread_mutex_lock(&p->mu);
  rc = unsynced_push(p, old->file);
  pthread_mutex_unlock(&p->mu);
  if (rc != 0) fdatasync(old->file->fd); /* no memory to queue it: sync now */
  brk_store_flush_request(p->store, p, p->leo, NULL, NULL);
  return BRK_KERR_NONE;
}

void brk__partition_drop_first(brk_partition_t *p) {
  if (p->n_segs < 2) return;
  pthread_mutex_lock(&p->mu);
  brk__segment_t *seg = p->segs[0];
  memmove(p->segs, p->segs + 1, (p->n_segs - 1) * sizeof *p->segs);
  p->n_segs--;
  pthread_mutex_unlock(&p->mu);
  brk__segment_unlink(p->dir, seg->base);
  brk__segment_free(seg); /* open slices keep the file via their reference */
  if (p->log_start < p->segs[0]->base) p->log_start = p->segs[0]->base;
}

int64_t brk_partition_log_start(const brk_partition_t *p) {
  return p->log_start;
}
int64_t brk_partition_high_watermark(const brk_partition_t *p) {
  return p->leo;
}
int64_t brk_partition_size_bytes(const brk_partition_t *p) {
  int64_t size = 0; /* the loop thread is the only writer of segs: no lock needed to read them here */
  for (size_t i = 0; i < p->n_segs; i++) size += p->segs[i]->size;
  return size;
}
int64_t brk_partition_durable_offset(const brk_partition_t *p) {
  return atomic_load(&((brk_partition_t *)p)->durable);
}

brk_kerr_t brk_partition_delete_records(brk_partition_t *p, int64_t before_offset, int64_t *low_watermark) {
  if (before_offset == -1) before_offset = p->leo;
  if (before_offset < 0 || before_offset > p->leo) return BRK_KERR_OFFSET_OUT_OF_RANGE;
  if (before_offset > p->log_start) {
    int64_t old = p->log_start;
    p->log_start = before_offset;
    int rc = brk__partition_save_log_start(p);
    if (rc != 0) {
      p->log_start = old;
      brk__store_fail(p->store, p->dir, -rc);
      return BRK_KERR_KAFKA_STORAGE_ERROR;
    }
    while (p->n_segs > 1 && p->segs[0]->end_offset <= p->log_start) brk__partition_drop_first(p);
  }
  if (low_watermark) *low_watermark = p->log_start;
  return BRK_KERR_NONE;
}
