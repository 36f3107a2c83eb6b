// SPDX-License-Identifier: Apache-2.0
/* weir's process-wide metrics: counters, gauges and histograms with labels,
 * rendered in the Prometheus text exposition format (version 0.0.4) for the
 * /metrics endpoints of the registry, the REST proxy and the broker's metrics
 * listener. One registry per process: `weir start` shows every component's
 * metrics on every /metrics endpoint it serves.
 *
 * Hot paths pay one relaxed atomic add: resolve a child (one label-value
 * combination) once, keep the pointer, then metrics_inc/observe it. Values
 * that already live elsewhere (partition sizes, group lag, schema counts) are
 * read at scrape time by collectors instead of being mirrored.
 *
 * Thread-safe throughout. Families and children live until process exit
 * (they are few and bounded: see METRICS_MAX_CHILDREN). */
#ifndef WEIR_METRICS_METRICS_H
#define WEIR_METRICS_METRICS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Label-value combinations per family. Past this, metrics_child returns the
 * family's overflow child (all label values "_other"), so hostile input
 * (paths, topic names) cannot grow memory without bound. */
#define METRICS_MAX_CHILDREN 1024
#define METRICS_MAX_LABELS 4

typedef struct metrics_family metrics_family_t;
typedef struct metrics_child metrics_child_t;

/* Registers a family, or returns the one already registered under `name`
 * (same type and labels; a mismatch is a programming error: abort). `name`
 * and `help` are copied. `labels` is a comma-separated list of label names
 * ("api,version"), "" or NULL for none; at most METRICS_MAX_LABELS. */
metrics_family_t *metrics_counter(const char *name, const char *help, const char *labels);
metrics_family_t *metrics_gauge(const char *name, const char *help, const char *labels);
/* `bounds`: n ascending upper bounds (the +Inf bucket is added); NULL/0 =
 * the default latency buckets in seconds (0.0005 .. 10). */
metrics_family_t *metrics_histogram(const char *name, const char *help, const char *labels,
                                    const double *bounds, size_t n);

/* The child for these label values (one per label name, in order; NULL when
 * the family has no labels). Values are copied and escaped when rendered.
 * Lookups take a lock: resolve once, keep the pointer. */
metrics_child_t *metrics_child(metrics_family_t *family, const char *const *values);
/* Shorthand for a family with no labels or exactly one label. */
metrics_child_t *metrics_child0(metrics_family_t *family);
metrics_child_t *metrics_child1(metrics_family_t *family, const char *value);

/* The updates below are one relaxed atomic operation (a CAS loop for double
 * values), take no lock, and do nothing when `child` is NULL or of another
 * type (metrics_set on a counter). */
/* Counter: adds n (never decreases). Gauge: adds n. */
void metrics_inc(metrics_child_t *child, uint64_t n);
/* Gauge: sets / adds a signed delta. */
void metrics_set(metrics_child_t *child, double value);
void metrics_add(metrics_child_t *child, double delta);
/* Histogram: records one observation (seconds for latencies). */
void metrics_observe(metrics_child_t *child, double value);

/* ---- scrape-time collectors ------------------------------------------- */

/* Where a collector writes its samples during a scrape. */
typedef struct metrics_writer metrics_writer_t;

/* Writes the "# HELP" and "# TYPE" lines of a family a collector owns
 * (type "gauge" or "counter"). Call once per family per scrape, before its
 * samples. */
void metrics_write_header(metrics_writer_t *w, const char *name, const char *help, const char *type);
/* Writes one sample line. `labels`/`values` are n parallel arrays (n may be
 * 0); values are escaped. */
void metrics_write_sample(metrics_writer_t *w, const char *name, const char *const *labels,
                          const char *const *values, size_t n, double value);

/* Called on every scrape, on the scraping thread, after the registered
 * families are written. Must be thread-safe with respect to the component it
 * reads, and quick. */
typedef void (*metrics_collect_fn)(void *ctx, metrics_writer_t *w);

/* Adds / removes a collector (a component adds one when it starts and
 * removes it before it frees ctx; removal waits for a scrape in progress, so
 * never call it while holding a lock the collector takes, nor from inside a
 * collector). Returns 0, or -1 when the collector table (32 entries) is
 * full. The families collectors write must not also be registered ones. */
int metrics_add_collector(metrics_collect_fn fn, void *ctx);
void metrics_remove_collector(metrics_collect_fn fn, void *ctx);

/* Renders every family and collector. Returns a malloc'd NUL-terminated
 * buffer (length in *len), or NULL when out of memory. Content type:
 * METRICS_CONTENT_TYPE. */
char *metrics_render(size_t *len);
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The allocator hook, so tests can fail the Nth allocation (NULL restores
 * malloc/free). Set it before any other metrics call, or keep free_fn able
 * to free what the previous malloc_fn returned (tests wrap malloc/free).
 * When memory runs out, registration aborts (it runs at startup), a
 * metrics_child lookup returns the overflow child, and metrics_render
 * returns NULL. */
void metrics_alloc_set(void *(*malloc_fn)(size_t), void (*free_fn)(void *));

#ifdef __cplusplus
}
#endif
#endif
