// SPDX-License-Identifier: Apache-2.0
/* Public API of the REST Proxy service: start it on a listener, pointed at a
 * Kafka cluster (librdkafka) and optionally a Schema Registry (serde); ask
 * which port it bound; stop it. Everything else (routes, consumers, produce
 * paths) is internal to rest-proxy/. */
#ifndef WEIR_REST_PROXY_REST_PROXY_H
#define WEIR_REST_PROXY_REST_PROXY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_config {
  const char *listen;               /* "host:port"; port 0 = any free port. Default "0.0.0.0:8082" */
  const char *advertised_url;       /* "http://host:port" used in base_uri/self links; NULL/"" = the request's Host */
  const char *bootstrap_servers;    /* Kafka bootstrap list. Default "127.0.0.1:9092" */
  const char *schema_registry_url;  /* registry URL(s), comma-separated; NULL/"" disables schema formats */
  const char *id;                   /* proxy id embedded in generated consumer names; "" = none */
  int num_threads;                  /* HTTP worker threads (= max concurrent connections). Default 64 */
  size_t max_request_bytes;         /* larger non-streamed bodies get 413. Default 64 MiB */
  int consumer_request_timeout_ms;  /* max wait of a v2 read. Default 1000 */
  int64_t consumer_request_max_bytes; /* cap on ?max_bytes= of a v2 read. Default 64 MiB */
  int consumer_instance_timeout_ms; /* idle consumer instances are closed after this. Default 300000 */
  int fetch_min_bytes;              /* default per-instance fetch.min.bytes, -1 = off. Default -1 */
  int64_t produce_record_max_bytes; /* v3: one streamed record over this is a 400 and drops the
                                       connection. Default 8 MiB (0 = the same default) */
  int64_t streaming_max_duration_ms; /* v3 stream lifetime. Default 86400000 */
  int produce_batch_max_entries;    /* v3 records:batch limit (1..50). Default 10 */
  int producer_linger_ms;           /* librdkafka linger.ms of the shared producer. Default 0 */
  int metadata_max_age_ms;          /* topic metadata cache age. Default 5000 */
} rp_config_t;

/* Fills every field with its default. */
void rp_config_init(rp_config_t *cfg);

typedef struct rp_server rp_server_t;

/* Creates the Kafka clients and serde handle and starts serving. Kafka need
 * not be reachable yet (calls that need it answer 50003/500 until it is).
 * Returns NULL and writes a message to errbuf on failure (bad listen address,
 * port in use, bad URL). The config strings are copied. Release with
 * rp_server_stop. */
rp_server_t *rp_server_start(const rp_config_t *cfg, char *errbuf, size_t errbuf_len);

/* The TCP port actually bound (useful with port 0). */
int rp_server_port(const rp_server_t *srv);

/* Stops serving, waits for in-flight requests, closes every consumer
 * instance (leaving their groups), flushes the producer. Accepts NULL. */
void rp_server_stop(rp_server_t *srv);

#ifdef __cplusplus
}
#endif
#endif
