// SPDX-License-Identifier: Apache-2.0
/* A component's own small HTTP listener for Prometheus (`metrics.listener`):
 * GET /metrics renders the process-wide metrics registry, GET /health asks
 * the component whether it is alive (200 UP / 503 DOWN), other methods on
 * those two paths get a JSON 405 and other paths a JSON 404 (docs/metrics.md). It knows which component it
 * serves only through a name and a liveness callback; the HTTP transport is weir_http's, the metrics are
 * weir_metrics'. Services with an HTTP API of their own (registry, REST
 * proxy) serve /metrics there instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component.h"
#include "http/http_server.h"
#include "log/log.h"
#include "metrics/metrics.h"
#include "platform/listener.h"

struct weir_metrics_listener {
  http_server_t *http;
  char service[32];
  weir_health_fn health;
  void *health_ctx;
};

static void serve_metrics(http_response_t *resp) {
  size_t len = 0;
  char *text = metrics_render(&len);
  if (!text) {
    http_response_error(resp, 500, 500, "out of memory rendering metrics");
    return;
  }
  resp->content_type = METRICS_CONTENT_TYPE;
  http_response_set_take(resp, 200, text, len);
}

static void serve_health(const weir_metrics_listener_t *l, http_response_t *resp) {
  const char *down = l->health(l->health_ctx);
  char body[320];
  int n = down ? snprintf(body, sizeof body, "{\"status\":\"DOWN\",\"service\":\"%s\",\"reason\":\"%s\"}",
                          l->service, down)
               : snprintf(body, sizeof body, "{\"status\":\"UP\",\"service\":\"%s\"}", l->service);
  if (n < 0 || (size_t)n >= sizeof body) n = 0; /* cannot happen with the fixed texts */
  resp->content_type = "application/json";
  http_response_set_copy(resp, down ? 503 : 200, body, (size_t)n);
}

static void handle(void *ctx, const http_request_t *req, http_response_t *resp) {
  const weir_metrics_listener_t *l = ctx;
  bool metrics = strcmp(req->path, "/metrics") == 0, health = strcmp(req->path, "/health") == 0;
  resp->content_type = "application/json";
  if ((metrics || health) && strcmp(req->method, "GET") != 0)
    http_response_error(resp, 405, 405, "method not allowed: use GET");
  else if (metrics)
    serve_metrics(resp);
  else if (health)
    serve_health(l, resp);
  else
    http_response_error(resp, 404, 404, "not found: this listener serves GET /metrics and GET /health");
}

weir_metrics_listener_t *weir__metrics_listener_start(const char *listen, const char *service,
                                                      weir_health_fn health, void *health_ctx,
                                                      weir_error_t *err) {
  weir_listener_t where;
  if (weir_listener_parse(listen, &where, err) != WEIR_OK) return NULL;
  weir_metrics_listener_t *l = calloc(1, sizeof *l);
  if (!l) {
    weir_error_set(err, WEIR_ERR_NOMEM, "%s: out of memory starting the metrics listener", service);
    return NULL;
  }
  snprintf(l->service, sizeof l->service, "%s", service);
  l->health = health;
  l->health_ctx = health_ctx;
  char addr[300], log_component[48], errbuf[512] = "";
  snprintf(addr, sizeof addr, "%s:%d", where.host, where.port);
  snprintf(log_component, sizeof log_component, "%s.metrics", service);
  http_server_opts_t opts = {.listen = addr,
                             .num_threads = 4,
                             .max_body_bytes = 4096,
                             .handler = handle,
                             .ctx = l,
                             .log_component = log_component};
  l->http = http_server_start(&opts, errbuf, sizeof errbuf);
  if (!l->http) {
    weir_error_set(err, WEIR_ERR_START, "%s: cannot start metrics.listener on %s: %s", service, listen,
                   errbuf);
    free(l);
    return NULL;
  }
  log_info(service, "metrics listening on http://%s:%d (GET /metrics, GET /health)", where.host,
           http_server_port(l->http));
  return l;
}

int weir__metrics_listener_port(const weir_metrics_listener_t *l) {
  return l ? http_server_port(l->http) : -1;
}

void weir__metrics_listener_stop(weir_metrics_listener_t *l) {
  if (!l) return;
  http_server_stop(l->http);
  free(l);
}
