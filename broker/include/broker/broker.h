// SPDX-License-Identifier: Apache-2.0
/* Public API of the broker: start a single-node Kafka-protocol broker on a
 * listener with a data directory, ask which port it bound, check that it is
 * alive, stop it. A started broker counts its requests, bytes and records
 * and reports partition and group state through the process-wide metrics
 * registry (metrics/metrics.h, weir_broker_* families). The protocol, the
 * event loop and the partition logs are internal to broker/. */
#ifndef WEIR_BROKER_BROKER_H
#define WEIR_BROKER_BROKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct brk_config {
  const char *listen;          /* "host:port"; port 0 = any free port. Default "0.0.0.0:9092" */
  const char *advertised_host; /* host given to clients in Metadata; NULL = the listen host, or
                                  "localhost" when listening on 0.0.0.0 */
  const char *data_dir;        /* partitions live in <data_dir>/broker/. Default "./weir-data" */
  int32_t node_id;             /* default 1 */
  bool auto_create_topics;     /* auto.create.topics.enable, default true */
  int32_t num_partitions;      /* num.partitions for auto-created topics, default 1 */
  int64_t segment_bytes;       /* log.segment.bytes, default 1 GiB */
  int64_t retention_ms;        /* log.retention.ms, default 7 days; -1 = forever */
  int64_t retention_bytes;     /* log.retention.bytes, default -1 */
  int64_t flush_interval_messages; /* log.flush.interval.messages: 1 = acks wait for fsync
                                      (group commit); default INT64_MAX (page cache) */
  int32_t max_request_bytes;   /* socket.request.max.bytes, default 100 MiB */
  int32_t message_max_bytes;   /* message.max.bytes (largest batch), default 1 MiB + overhead */
  int64_t retention_check_interval_ms; /* log.retention.check.interval.ms, default 300000 */
  int64_t offsets_retention_ms; /* offsets.retention.minutes (as ms), default 7 days */
  int32_t transaction_max_timeout_ms; /* transaction.max.timeout.ms, default 900000 */
  int32_t group_initial_rebalance_delay_ms; /* group.initial.rebalance.delay.ms, default 3000 */
} brk_config_t;

/* Fills every field with its default. */
void brk_config_init(brk_config_t *cfg);

typedef struct brk_server brk_server_t;

/* Recovers the logs under data_dir (validating CRCs, truncating torn tails),
 * binds the listener and starts the event-loop thread. Returns NULL and
 * writes a message to errbuf on failure. Config strings are copied. */
brk_server_t *brk_server_start(const brk_config_t *cfg, char *errbuf, size_t errbuf_len);

/* The TCP port actually bound (useful with port 0). */
int brk_server_port(const brk_server_t *srv);

/* Thread-safe (not from the broker's own loop): true when the broker's
 * event loop ran a posted no-op within timeout_ms, i.e. it is alive and not
 * stuck (health checks). Must not race brk_server_stop. */
bool brk_server_alive(brk_server_t *srv, int timeout_ms);

/* Stops accepting, closes connections, flushes and closes the logs, joins
 * the threads. Accepts NULL. */
void brk_server_stop(brk_server_t *srv);

#ifdef __cplusplus
}
#endif
#endif
