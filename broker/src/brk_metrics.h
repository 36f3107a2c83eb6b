// SPDX-License-Identifier: Apache-2.0
/* The broker's hot-path metrics (weir_metrics, metrics/metrics.h): the
 * children every broker resolves once at start-up, so counting a request,
 * socket bytes or appended records is one relaxed atomic add, and the
 * scrape-time collector of partition and group state (brk_metrics_collect.c).
 * Counting happens per request, per batch or per syscall, never per record.
 * The families are process-wide: two brokers in one process add up. */
#ifndef WEIR_BROKER_BRK_METRICS_H
#define WEIR_BROKER_BRK_METRICS_H

#include <stdint.h>
#include <time.h>

#include "metrics/metrics.h"

/* Kafka API keys below this get their own children; the others (and keys
 * this broker does not serve) count under api="Unknown". */
#define BRK_METRICS_API_KEYS 64
#define BRK_METRICS_API_UNKNOWN BRK_METRICS_API_KEYS

typedef struct brk_metrics {
  /* weir_broker_requests_total / _request_errors_total /
   * _request_duration_seconds, indexed by brk__metrics_api_slot. */
  metrics_child_t *requests[BRK_METRICS_API_KEYS + 1];
  metrics_child_t *errors[BRK_METRICS_API_KEYS + 1];
  metrics_child_t *duration[BRK_METRICS_API_KEYS + 1];
  metrics_child_t *bytes_in, *bytes_out; /* socket bytes */
  metrics_child_t *messages_in;          /* offsets appended by Produce */
  metrics_child_t *connections;          /* gauge: open client connections */
  metrics_family_t *topic_bytes_in;      /* {topic}: looked up per topic per Produce */
} brk_metrics_t;

/* Registers the broker families (or finds them: they are process-wide) and
 * resolves the children of every API the broker serves. Never fails: a
 * child the library could not allocate is NULL, and NULL children are
 * no-ops. Loop-independent; call before the loop thread starts. */
void brk__metrics_init(brk_metrics_t *m);

/* The index of api_key in the per-API arrays. */
static inline unsigned brk__metrics_api_slot(int16_t api_key) {
  return api_key >= 0 && api_key < BRK_METRICS_API_KEYS ? (unsigned)api_key : BRK_METRICS_API_UNKNOWN;
}

/* Monotonic nanoseconds, for request durations. */
static inline int64_t brk__metrics_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The scrape-time collector (metrics_collect_fn) of one broker; ctx is its
 * brk_broker_t. Runs on the scraping thread: see brk_metrics_collect.c for
 * how it reads loop-owned state. Registered by brk_server_start, removed by
 * brk_server_stop before the broker is freed. */
void brk__metrics_collect(void *ctx, metrics_writer_t *w);

#endif
