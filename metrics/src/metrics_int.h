// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the metrics sources: the family and child layouts, the
 * allocator hook and the text writer. Nothing here is visible outside
 * weir_metrics. */
#ifndef WEIR_METRICS_INT_H
#define WEIR_METRICS_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "metrics/metrics.h"

typedef enum { METRICS__COUNTER, METRICS__GAUGE, METRICS__HISTOGRAM } metrics__type_t;

struct metrics_child {
  metrics_family_t *family;
  char *values[METRICS_MAX_LABELS];
  struct metrics_child *hash_next; /* chain in the family's lookup table */
  uint64_t hash;
  _Atomic uint64_t count;    /* counter value */
  _Atomic uint64_t bits;     /* gauge value / histogram sum: a double's bits */
  _Atomic uint64_t *buckets; /* histogram: nbounds + 1 non-cumulative counts */
};

#define METRICS__HASH_SLOTS 256u

struct metrics_family {
  char *name;
  char *help;
  metrics__type_t type;
  size_t nlabels;
  char *labels[METRICS_MAX_LABELS];
  double *bounds; /* histogram upper bounds, ascending, without +Inf */
  size_t nbounds;
  pthread_mutex_t lock;       /* guards children, nchildren, slots, overflow */
  metrics_child_t **children; /* in creation order */
  size_t nchildren;
  size_t cap;
  metrics_child_t *slots[METRICS__HASH_SLOTS];
  metrics_child_t *overflow; /* all label values "_other"; never NULL */
  bool overflow_used;        /* rendered only once handed out */
};

struct metrics_writer {
  char *buf;
  size_t len;
  size_t cap;
  bool oom;
};

void *metrics__malloc(size_t n);
void metrics__free(void *p);
char *metrics__strdup(const char *s);

/* Every registered family, in registration order, as a malloc'd snapshot in
 * *out (metrics__free it; the families themselves live forever). Returns 0,
 * or -1 (with *out NULL, *n 0) when out of memory. */
int metrics__families(metrics_family_t ***out, size_t *n);

/* Text output: appends raw bytes / a formatted double / an escaped label
 * value. Failures set w->oom and are reported once by metrics_render. */
void metrics__put(metrics_writer_t *w, const char *s, size_t n);
void metrics__puts(metrics_writer_t *w, const char *s);
void metrics__put_double(metrics_writer_t *w, double v);
void metrics__put_u64(metrics_writer_t *w, uint64_t v);

/* Writes every family's HELP, TYPE and samples. */
void metrics__write_family(metrics_writer_t *w, metrics_family_t *f);

/* Runs the registered collectors, then the process collector. */
void metrics__run_collectors(metrics_writer_t *w);
void metrics__collect_process(metrics_writer_t *w);

/* A double stored as its bit pattern in an atomic 64-bit word. */
double metrics__load_double(_Atomic uint64_t *bits);

#endif
