// SPDX-License-Identifier: Apache-2.0
/* weir's operational endpoints on the proxy's listener, outside the Confluent
 * API (no Confluent REST Proxy path is /metrics or /health):
 *   GET /metrics  Prometheus text of the whole process (docs/metrics.md)
 *   GET /health   200 {"status":"UP"} while the Kafka cluster answers
 *                 metadata (rp_kafka_health), else 503 "DOWN" with the reason
 * Neither negotiates content types: Prometheus and load balancers send their
 * own Accept headers. */
#include <stdlib.h>

#include "metrics/metrics.h"
#include "rp_int.h"
#include "rp_kafka.h"

#define RP_SERVICE_NAME "rest-proxy"

static void h_metrics(rp_call_t *c) {
  size_t len = 0;
  char *text = metrics_render(&len);
  if (!text) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    return;
  }
  rp_reply_raw(c, 200, text, len, METRICS_CONTENT_TYPE);
}

static void h_health(rp_call_t *c) {
  char reason[512];
  if (rp_kafka_health(c->rp->kafka, reason, sizeof reason) == RP_OK) {
    rp_reply_json(c, 200, json_pack("{s:s, s:s}", "status", "UP", "service", RP_SERVICE_NAME), RP_MT_JSON);
    return;
  }
  rp_reply_json(c, 503,
                json_pack("{s:s, s:s, s:s}", "status", "DOWN", "service", RP_SERVICE_NAME, "reason", reason),
                RP_MT_JSON);
}

const rp_route_t rp_ops_routes[] = {
    {"GET", "metrics", h_metrics, false},
    {"GET", "health", h_health, false},
};
const size_t rp_ops_route_count = sizeof rp_ops_routes / sizeof rp_ops_routes[0];
