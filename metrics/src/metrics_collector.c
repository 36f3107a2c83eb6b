// SPDX-License-Identifier: Apache-2.0
/* The scrape-time collector table: components register a callback that
 * writes samples of values they already keep (schema counts, group lag), so
 * nothing is mirrored on their hot paths. A scrape holds the table's read
 * lock while the callbacks run, so removal (the write lock) waits for it and
 * a component may free its context right after metrics_remove_collector. */
#include "metrics_int.h"

#define MAX_COLLECTORS 32

typedef struct {
  metrics_collect_fn fn;
  void *ctx;
} collector_t;

static pthread_rwlock_t collectors_lock = PTHREAD_RWLOCK_INITIALIZER;
static collector_t collectors[MAX_COLLECTORS];
static size_t ncollectors;

int metrics_add_collector(metrics_collect_fn fn, void *ctx) {
  int rc = -1;
  pthread_rwlock_wrlock(&collectors_lock);
  if (fn && ncollectors < MAX_COLLECTORS) {
    collectors[ncollectors++] = (collector_t){fn, ctx};
    rc = 0;
  }
  pthread_rwlock_unlock(&collectors_lock);
  return rc;
}

void metrics_remove_collector(metrics_collect_fn fn, void *ctx) {
  pthread_rwlock_wrlock(&collectors_lock);
  for (size_t i = 0; i < ncollectors; i++) {
    if (collectors[i].fn == fn && collectors[i].ctx == ctx) {
      for (size_t j = i + 1; j < ncollectors; j++) /* keep scrape order stable */
        collectors[j - 1] = collectors[j];
      ncollectors--;
      break;
    }
  }
  pthread_rwlock_unlock(&collectors_lock);
}

void metrics__run_collectors(metrics_writer_t *w) {
  pthread_rwlock_rdlock(&collectors_lock);
  for (size_t i = 0; i < ncollectors; i++) collectors[i].fn(collectors[i].ctx, w);
  pthread_rwlock_unlock(&collectors_lock);
}
