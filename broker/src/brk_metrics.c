// SPDX-License-Identifier: Apache-2.0
/* Registration of the broker's metric families and resolution of their
 * hot-path children (brk_metrics.h): one requests/errors/duration child per
 * Kafka API the broker serves, named as the API table names it, plus the
 * byte, record and connection counters. The counting itself sits where the
 * events happen (brk_dispatch.c, brk_conn.c, brk_api_produce.c, brk_api_fetch.c);
 * the scrape-time collector is brk_metrics_collect.c. */
#include "brk_metrics.h"

#include "brk_broker_int.h"

void brk__metrics_init(brk_metrics_t *m) {
  metrics_family_t *req = metrics_counter("weir_broker_requests_total",
                                          "Kafka requests received (header decoded), by API.", "api");
  metrics_family_t *err = metrics_counter(
      "weir_broker_request_errors_total",
      "Kafka requests that failed: malformed or unsupported (connection closed), or a Produce/Fetch "
      "answered with an error code for at least one partition.",
      "api");
  metrics_family_t *dur = metrics_histogram(
      "weir_broker_request_duration_seconds",
      "Time from a request being decoded to its response being queued for sending (includes the fsync "
      "wait of acks=all in durable mode and the long-poll wait of Fetch), by API.",
      "api", NULL, 0);
  metrics_child_t *unknown_req = metrics_child1(req, "Unknown");
  metrics_child_t *unknown_err = metrics_child1(err, "Unknown");
  for (unsigned i = 0; i <= BRK_METRICS_API_KEYS; i++) {
    m->requests[i] = unknown_req;
    m->errors[i] = unknown_err;
    m->duration[i] = NULL; /* unknown keys get no response */
  }
  const brk_api_entry_t *apis[BRK_MAX_APIS];
  size_t n = brk__api_list(apis, BRK_MAX_APIS);
  for (size_t i = 0; i < n; i++) {
    unsigned slot = brk__metrics_api_slot(apis[i]->api_key);
    if (slot == BRK_METRICS_API_UNKNOWN) continue;
    m->requests[slot] = metrics_child1(req, apis[i]->name);
    m->errors[slot] = metrics_child1(err, apis[i]->name);
    m->duration[slot] = metrics_child1(dur, apis[i]->name);
  }
  m->bytes_in = metrics_child0(
      metrics_counter("weir_broker_bytes_in_total", "Bytes read from Kafka client sockets.", NULL));
  m->bytes_out = metrics_child0(
      metrics_counter("weir_broker_bytes_out_total", "Bytes written to Kafka client sockets.", NULL));
  m->messages_in = metrics_child0(metrics_counter(
      "weir_broker_messages_in_total",
      "Records appended by Produce (offsets assigned; idempotent duplicates are not counted).", NULL));
  m->connections =
      metrics_child0(metrics_gauge("weir_broker_connections", "Open Kafka client connections.", NULL));
  m->topic_bytes_in = metrics_counter("weir_broker_topic_bytes_in_total",
                                      "Record-batch bytes appended by Produce, by topic.", "topic");
}
