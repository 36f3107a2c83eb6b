// SPDX-License-Identifier: Apache-2.0
/* The flusher thread (shared/spec/kafka-broker.md §3.6, group commit):
 * flush requests queue up while an fdatasync runs; the next round takes them
 * all, syncs each partition touched once (rolled segment files, then the
 * active one, up to the end offset seen under the partition lock), publishes
 * the durable offset and runs the callbacks on this thread. An fdatasync
 * error fails the store (fail-stop) and is reported to every callback. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brk_log_int.h"
#include "log/log.h"

void brk_store_flush_request(brk_store_t *store, brk_partition_t *p, int64_t upto,
                             void (*done)(void *arg, int err), void *arg) {
  (void)upto; /* every sync covers the whole log end seen at sync time, which is >= upto */
  brk__flusher_t *f = &store->flusher;
  brk__flush_req_t *r = malloc(sizeof *r);
  if (!r) { /* no memory to queue: sync inline so the caller still learns the truth */
    int err = fdatasync(p->segs[p->n_segs - 1]->file->fd) < 0 ? errno : 0;
    if (done) done(arg, err);
    return;
  }
  brk__partition_ref(p);
  *r = (brk__flush_req_t){p, done, arg, NULL};
  pthread_mutex_lock(&f->mu);
  if (f->tail) {
    f->tail->next = r;
  } else {
    f->head = r;
  }
  f->tail = r;
  pthread_cond_signal(&f->cond);
  pthread_mutex_unlock(&f->mu);
}

/* Takes the partition's unsynced files and its active file at the current
 * end offset, syncs them, publishes durable. 0 or an errno. */
static int sync_partition(brk_partition_t *p) {
  pthread_mutex_lock(&p->mu);
  brk_file_t **files = p->unsynced;
  size_t n = p->n_unsynced;
  p->unsynced = NULL;
  p->n_unsynced = p->cap_unsynced = 0;
  brk_file_t *active = p->segs[p->n_segs - 1]->file;
  brk_file_ref(active);
  int64_t upto = p->leo;
  pthread_mutex_unlock(&p->mu);
  int err = 0;
  for (size_t i = 0; i < n; i++) {
    if (!err && fdatasync(files[i]->fd) < 0) err = errno;
    brk_file_unref(files[i]);
  }
  free(files);
  if (!err && fdatasync(active->fd) < 0) err = errno;
  brk_file_unref(active);
  if (err) return err;
  int64_t cur = atomic_load(&p->durable);
  while (cur < upto && !atomic_compare_exchange_weak(&p->durable, &cur, upto)) {
  }
  return 0;
}

static void run_round(brk_store_t *store, brk__flush_req_t *list) {
  brk__flusher_t *f = &store->flusher;
  uint64_t gen = ++f->gen;
  int err = 0;
  for (brk__flush_req_t *r = list; r; r = r->next) {
    if (r->p->flush_gen == gen) continue;
    r->p->flush_gen = gen;
    int e = sync_partition(r->p);
    if (e && !err) {
      err = e;
      brk__store_fail(store, r->p->dir, e);
    }
  }
  if (!err && atomic_load(&store->failed)) err = EIO; /* fail-stop: never report durable again */
  while (list) {
    brk__flush_req_t *next = list->next;
    if (list->done) list->done(list->arg, err);
    brk__partition_unref(list->p);
    free(list);
    list = next;
  }
}

static void *flusher_main(void *arg) {
  brk_store_t *store = arg;
  brk__flusher_t *f = &store->flusher;
  pthread_mutex_lock(&f->mu);
  for (;;) {
    while (!f->head && !f->stop) pthread_cond_wait(&f->cond, &f->mu);
    if (!f->head) break;
    brk__flush_req_t *list = f->head;
    f->head = f->tail = NULL;
    pthread_mutex_unlock(&f->mu);
    run_round(store, list);
    pthread_mutex_lock(&f->mu);
  }
  pthread_mutex_unlock(&f->mu);
  return NULL;
}

int brk__flusher_start(brk_store_t *store) {
  brk__flusher_t *f = &store->flusher;
  pthread_mutex_init(&f->mu, NULL);
  pthread_cond_init(&f->cond, NULL);
  int rc = pthread_create(&f->thread, NULL, flusher_main, store);
  if (rc != 0) return -rc;
  f->started = true;
  return 0;
}

void brk__flusher_stop(brk_store_t *store) {
  brk__flusher_t *f = &store->flusher;
  if (!f->started) return;
  pthread_mutex_lock(&f->mu);
  f->stop = true;
  pthread_cond_signal(&f->cond);
  pthread_mutex_unlock(&f->mu);
  pthread_join(f->thread, NULL);
  f->started = false;
  pthread_mutex_destroy(&f->mu);
  pthread_cond_destroy(&f->cond);
}
