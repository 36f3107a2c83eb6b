// SPDX-License-Identifier: Apache-2.0
/* The REST proxy's metrics (docs/metrics.md): the families and their
 * children, resolved once, so the produce and consume paths pay one or two
 * relaxed atomic adds per batch. HTTP request metrics are the glue's
 * (http_metrics.c); the /metrics and /health routes are rp_ops.c. */
#include "rp_metrics.h"

#include <pthread.h>

#include "metrics/metrics.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static metrics_child_t *produced[2], *produce_errors[2], *consumed, *instances;

static void init_children(void) {
  static const char *const apis[] = {"v2", "v3"};
  metrics_family_t *p =
      metrics_counter("weir_rest_proxy_records_produced_total",
                      "Records produced through the REST proxy and acknowledged by Kafka.", "api");
  metrics_family_t *e =
      metrics_counter("weir_rest_proxy_produce_errors_total",
                      "Records of produce requests that were not produced (delivery failed or "
                      "the record was refused).",
                      "api");
  for (size_t i = 0; i < 2; i++) {
    produced[i] = metrics_child1(p, apis[i]);
    produce_errors[i] = metrics_child1(e, apis[i]);
  }
  consumed = metrics_child0(metrics_counter("weir_rest_proxy_records_consumed_total",
                                            "Records returned to clients by v2 consumer reads.", NULL));
  instances = metrics_child0(
      metrics_gauge("weir_rest_proxy_consumer_instances", "v2 consumer instances currently open.", NULL));
}

void rp__metrics_init(void) {
  pthread_once(&once, init_children);
}

void rp__metrics_produced(rp_api_t api, size_t acked, size_t failed) {
  pthread_once(&once, init_children);
  if (acked) metrics_inc(produced[api], acked);
  if (failed) metrics_inc(produce_errors[api], failed);
}

void rp__metrics_consumed(size_t n) {
  pthread_once(&once, init_children);
  if (n) metrics_inc(consumed, n);
}

void rp__metrics_consumer_instances(int delta) {
  pthread_once(&once, init_children);
  metrics_add(instances, delta);
}
