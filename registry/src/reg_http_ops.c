// SPDX-License-Identifier: Apache-2.0
/* weir's operational endpoints on the registry's listener, outside the
 * Confluent API (no Confluent path is /metrics or /health): GET /metrics
 * (Prometheus text of the whole process, docs/metrics.md) and GET /health
 * (200 {"status":"UP"} while the store answers, else 503 "DOWN" with the
 * reason). They skip the Confluent content negotiation: Prometheus and load
 * balancers send their own Accept headers. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "reg_http.h"

#define REG_SERVICE_NAME "schema-registry"

static void json_answer(http_response_t *resp, int status, json_t *body) {
  char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
  json_decref(body);
  resp->content_type = "application/json";
  if (!text) {
    http_response_set_copy(resp, 500, "", 0);
    return;
  }
  http_response_set_take(resp, status, text, strlen(text));
}

static void metrics_get(http_response_t *resp) {
  size_t len = 0;
  char *text = metrics_render(&len);
  if (!text) {
    http_response_error(resp, 500, 50001, "out of memory rendering metrics");
    return;
  }
  resp->content_type = METRICS_CONTENT_TYPE;
  http_response_set_take(resp, 200, text, len);
}

static void health_get(const reg_http_t *rh, http_response_t *resp) {
  reg_error_t err = {0};
  if (reg_svc_health(rh->svc, &err) == REG_OK) {
    json_answer(resp, 200, json_pack("{s:s, s:s}", "status", "UP", "service", REG_SERVICE_NAME));
    return;
  }
  json_answer(
      resp, 503,
      json_pack("{s:s, s:s, s:s}", "status", "DOWN", "service", REG_SERVICE_NAME, "reason", err.message));
}

void reg_http_ops_handle(void *ctx, const http_request_t *req, http_response_t *resp) {
  bool metrics = strcmp(req->path, "/metrics") == 0, health = strcmp(req->path, "/health") == 0;
  if (!metrics && !health) {
    reg_http_handle(ctx, req, resp);
  } else if (strcmp(req->method, "GET") != 0) {
    resp->content_type = "application/json";
    http_response_error(resp, 405, 405, NULL);
  } else if (metrics) {
    metrics_get(resp);
  } else {
    health_get(ctx, resp);
  }
}
