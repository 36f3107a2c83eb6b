// SPDX-License-Identifier: Apache-2.0
/* The proxy's Kafka side (rp_kafka.c, rp_kafka_meta.c, rp_batch.c): one
 * shared librdkafka producer (also used for metadata and admin requests)
 * with a poll thread serving delivery reports, a topic metadata cache, the
 * common client configuration for consumers, and produce batches that
 * collect per-record delivery results for one HTTP request. */
#ifndef WEIR_REST_PROXY_RP_KAFKA_H
#define WEIR_REST_PROXY_RP_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_int.h"

/* Creates the producer and its poll thread. NULL with errbuf on failure. */
rp_kafka_t *rp_kafka_new(const rp_config_t *cfg, char *errbuf, size_t errbuf_len);
/* Flushes (bounded) and destroys. Accepts NULL. */
void rp_kafka_destroy(rp_kafka_t *k);

/* The shared handle, for admin APIs (rd_kafka_CreateTopics...), metadata,
 * watermarks. Never destroy it. */
rd_kafka_t *rp_kafka_handle(rp_kafka_t *k);

/* A new client config with bootstrap.servers and the proxy's common client
 * settings (client.id, socket timeouts) set: consumers start from it. */
rd_kafka_conf_t *rp_kafka_conf_new(rp_kafka_t *k);

/* Request timeout for metadata/admin calls (ms). */
#define RP_KAFKA_TIMEOUT_MS 10000

/* The cluster id (from metadata), written NUL-terminated; RP_ERR_KAFKA_RETRIABLE
 * when the cluster cannot be reached. */
rp_code_t rp_kafka_cluster_id(rp_kafka_t *k, char *out, size_t size);

/* GET /health: does the Kafka cluster answer a Metadata request within
 * RP_KAFKA_HEALTH_TIMEOUT_MS? The answer is cached for RP_KAFKA_HEALTH_CACHE_MS
 * (probes may come often; concurrent probes wait for the one running).
 * Returns RP_OK, or RP_ERR_KAFKA_RETRIABLE with the reason written to
 * reason (NUL-terminated). */
#define RP_KAFKA_HEALTH_TIMEOUT_MS 2000
#define RP_KAFKA_HEALTH_CACHE_MS 1000
rp_code_t rp_kafka_health(rp_kafka_t *k, char *reason, size_t size);

/* Full metadata (all topics, internal ones included), fresh from the broker.
 * *md released with rd_kafka_metadata_destroy. */
rp_code_t rp_kafka_metadata(rp_kafka_t *k, const struct rd_kafka_metadata **md);

/* Partition count of topic from the metadata cache (refreshed when older
 * than metadata.max.age, and always re-checked with the broker before saying
 * the topic is missing). Never creates the topic. RP_ERR_TOPIC_NOT_FOUND
 * when it does not exist; RP_ERR_KAFKA_RETRIABLE when Kafka is unreachable. */
rp_code_t rp_kafka_partitions(rp_kafka_t *k, const char *topic, int32_t *count);

/* Forgets the cached metadata of topic (after create/delete/partition
 * changes). topic NULL forgets everything. */
void rp_kafka_forget(rp_kafka_t *k, const char *topic);

/* Runs an admin request result wait: polls queue q for up to timeout_ms and
 * returns the result event (rd_kafka_event_destroy), or NULL on timeout. */
rd_kafka_event_t *rp_kafka_admin_wait(rd_kafka_queue_t *q, int timeout_ms);

/* ---- produce batches (rp_batch.c) ------------------------------------------ */

/* The outcome of one record. */
typedef struct rp_delivery {
  rd_kafka_resp_err_t err;  /* RD_KAFKA_RESP_ERR_NO_ERROR on success */
  int32_t partition;
  int64_t offset;
  int64_t timestamp_ms;     /* the record's timestamp as written */
  size_t key_size, value_size; /* serialized sizes (set by the sender) */
} rp_delivery_t;

/* A set of records sent for one request (v2 produce) or one streamed chunk
 * (v3): slots 0..n-1, each sent at most once; results arrive on the poll
 * thread. */
typedef struct rp_batch rp_batch_t;

rp_batch_t *rp_batch_new(rp_kafka_t *k, size_t n);
/* Frees the batch after waiting for every sent record. Accepts NULL. */
void rp_batch_free(rp_batch_t *b);

/* One record to send. key/value NULL = Kafka null (copied by librdkafka).
 * partition -1 = the partitioner (murmur2 of the key like the Java client,
 * sticky for null keys). timestamp_ms 0 = now. headers taken (may be NULL). */
typedef struct rp_record {
  const char *topic;
  int32_t partition;
  const void *key;
  size_t key_len;
  const void *value;
  size_t value_len;
  int64_t timestamp_ms;
  rd_kafka_headers_t *headers;
} rp_record_t;

/* Enqueues slot i. A local failure (queue full is waited out; unknown
 * partition, too large) is recorded as the slot's result at once. */
void rp_batch_send(rp_batch_t *b, size_t i, const rp_record_t *rec);
/* Marks slot i as not sent (the caller failed it before producing). */
void rp_batch_skip(rp_batch_t *b, size_t i);
/* Blocks until every sent slot has its result. */
void rp_batch_wait(rp_batch_t *b);
/* Result of slot i (valid after rp_batch_wait, or once rp_batch_done(b,i)). */
const rp_delivery_t *rp_batch_result(const rp_batch_t *b, size_t i);
/* How many slots were sent and acknowledged by Kafka (after rp_batch_wait). */
size_t rp_batch_acked(const rp_batch_t *b);

#endif
