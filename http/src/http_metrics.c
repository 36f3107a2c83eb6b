// SPDX-License-Identifier: Apache-2.0
/* Request metrics of the HTTP glue, shared by every service on it: requests
 * by service, method and status code, a latency histogram, body bytes in and
 * out, requests in flight. Label values come only from fixed sets (the
 * server's log_component, the known HTTP methods, three-digit status codes),
 * never from client text, so a client cannot grow the series. Each service
 * keeps its resolved children in a table so the per-request cost is a few
 * relaxed atomic adds, no lock. Routes (/metrics) are the services' own. */
#include "http_metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics/metrics.h"

static const char *const methods[] = {"GET",   "HEAD",    "POST",  "PUT",     "DELETE",
                                      "PATCH", "OPTIONS", "TRACE", "CONNECT", "other"};
#define NUM_METHODS (sizeof methods / sizeof methods[0])
#define CODE_MIN 100
#define CODE_MAX 599
#define MAX_SERVICES 8

typedef struct service {
  char name[64];
  metrics_child_t *duration;
  metrics_child_t *bytes_in;
  metrics_child_t *bytes_out;
  metrics_child_t *in_flight;
  metrics_family_t *requests_family;
  /* [method][status - CODE_MIN], resolved on first use (a race resolves the
   * same child twice: harmless). */
  _Atomic(metrics_child_t *) requests[NUM_METHODS][CODE_MAX - CODE_MIN + 1];
} service_t;

static _Atomic(service_t *) services[MAX_SERVICES];
static pthread_mutex_t services_lock = PTHREAD_MUTEX_INITIALIZER;

static metrics_family_t *requests_family(void) {
  return metrics_counter("weir_http_requests_total",
                         "HTTP requests answered, by service, method and status code.",
                         "service,method,code");
}

static service_t *service_new(const char *name) {
  service_t *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  snprintf(s->name, sizeof s->name, "%s", name);
  s->duration = metrics_child1(
      metrics_histogram("weir_http_request_duration_seconds",
                        "Time from the request line to the last response byte written.", "service", NULL, 0),
      s->name);
  s->bytes_in = metrics_child1(
      metrics_counter("weir_http_request_body_bytes_total", "Request body bytes read.", "service"), s->name);
  s->bytes_out = metrics_child1(
      metrics_counter("weir_http_response_body_bytes_total", "Response body bytes written.", "service"),
      s->name);
  s->in_flight = metrics_child1(
      metrics_gauge("weir_http_requests_in_flight", "Requests being served now.", "service"), s->name);
  s->requests_family = requests_family(); /* shows (empty) before the first answer */
  return s;
}

/* The service's table, created on first sight; NULL when the table is full
 * or out of memory (metrics then go uncounted, requests are unaffected). */
static service_t *service_get(const char *name) {
  for (size_t i = 0; i < MAX_SERVICES; i++) {
    service_t *s = atomic_load_explicit(&services[i], memory_order_acquire);
    if (!s) break;
    if (strcmp(s->name, name) == 0) return s;
  }
  service_t *found = NULL;
  pthread_mutex_lock(&services_lock);
  for (size_t i = 0; i < MAX_SERVICES && !found; i++) {
    service_t *s = atomic_load_explicit(&services[i], memory_order_relaxed);
    if (s && strcmp(s->name, name) == 0) {
      found = s;
    } else if (!s) {
      found = service_new(name);
      atomic_store_explicit(&services[i], found, memory_order_release);
      break;
    }
  }
  pthread_mutex_unlock(&services_lock);
  return found;
}

static size_t method_index(const char *method) {
  for (size_t i = 0; method && i + 1 < NUM_METHODS; i++)
    if (strcmp(method, methods[i]) == 0) return i;
  return NUM_METHODS - 1;
}

static metrics_child_t *requests_child(service_t *s, const char *method, int status) {
  size_t m = method_index(method);
  bool cached = status >= CODE_MIN && status <= CODE_MAX;
  if (cached) {
    metrics_child_t *c = atomic_load_explicit(&s->requests[m][status - CODE_MIN], memory_order_relaxed);
    if (c) return c;
  }
  char code[16];
  snprintf(code, sizeof code, "%d", status);
  const char *values[] = {s->name, methods[m], code};
  metrics_child_t *c = metrics_child(s->requests_family, values);
  if (cached) atomic_store_explicit(&s->requests[m][status - CODE_MIN], c, memory_order_relaxed);
  return c;
}

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void http__metrics_request_begin(const char *service) {
  service_t *s = service_get(service);
  if (s) metrics_add(s->in_flight, 1);
}

void http__metrics_request_end(const char *service, const char *method, int status, size_t bytes_in,
                               size_t bytes_out, int64_t t0_us) {
  service_t *s = service_get(service);
  if (!s) return;
  metrics_inc(requests_child(s, method, status), 1);
  metrics_observe(s->duration, (double)(now_us() - t0_us) / 1e6);
  if (bytes_in) metrics_inc(s->bytes_in, bytes_in);
  if (bytes_out) metrics_inc(s->bytes_out, bytes_out);
  metrics_add(s->in_flight, -1);
}

void http__metrics_body_read(const char *service, size_t bytes) {
  service_t *s = service_get(service);
  if (s && bytes) metrics_inc(s->bytes_in, bytes);
}
