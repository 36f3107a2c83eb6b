// SPDX-License-Identifier: Apache-2.0
/* The REST proxy's error codes: one X-macro list giving each code its HTTP
 * status and Confluent error_code (rest-proxy.md §1.2), and the mapping from
 * librdkafka errors. This table is the only place those numbers live; the
 * registry gives some of the same numbers other meanings. */
#ifndef WEIR_REST_PROXY_RP_ERROR_H
#define WEIR_REST_PROXY_RP_ERROR_H

#include <librdkafka/rdkafka.h>

/* X(code, http_status, error_code, default message) */
#define RP_ERRORS(X)                                                                        \
  X(RP_OK, 200, 0, "ok")                                                                    \
  X(RP_ERR_BAD_REQUEST, 400, 400, "Bad Request")                                            \
  X(RP_ERR_NOT_FOUND, 404, 404, "HTTP 404 Not Found")                                       \
  X(RP_ERR_METHOD, 405, 405, "HTTP 405 Method Not Allowed")                                 \
  X(RP_ERR_NOT_ACCEPTABLE, 406, 406, "HTTP 406 Not Acceptable")                             \
  X(RP_ERR_TIMEOUT, 408, 408, "Request timed out")                                          \
  X(RP_ERR_TOO_LARGE, 413, 413, "Request entity too large")                                 \
  X(RP_ERR_UNSUPPORTED_MEDIA, 415, 415, "HTTP 415 Unsupported Media Type")                  \
  X(RP_ERR_UNPROCESSABLE, 422, 422, "Unprocessable entity")                                 \
  X(RP_ERR_CONSUMER_CONFIG_RANGE, 422, 40001, "Consumer configuration out of range")       \
  X(RP_ERR_KAFKA_BAD_REQUEST, 400, 40002, "Kafka rejected the request")                     \
  X(RP_ERR_KAFKA_AUTHN, 401, 40101, "Kafka authentication failed")                          \
  X(RP_ERR_KAFKA_AUTHZ, 403, 40301, "Kafka authorization failed")                           \
  X(RP_ERR_TOPIC_NOT_FOUND, 404, 40401, "Topic not found.")                                 \
  X(RP_ERR_PARTITION_NOT_FOUND, 404, 40402, "Partition not found.")                         \
  X(RP_ERR_CONSUMER_NOT_FOUND, 404, 40403, "Consumer instance not found.")                  \
  X(RP_ERR_UNKNOWN_TOPIC_PARTITION, 404, 40403, "This server does not host this topic-partition.") \
  X(RP_ERR_GROUP_NOT_FOUND, 404, 40405, "Consumer group not found.")                        \
  X(RP_ERR_CLUSTER_NOT_FOUND, 404, 404, "Cluster not found.")                               \
  X(RP_ERR_CONSUMER_FORMAT, 406, 40601, "Consumer format does not match the embedded format requested by the Accept header.") \
  X(RP_ERR_SCHEMA_REGISTRY, 408, 40801, "Schema Registry error")                            \
  X(RP_ERR_CONSUMER_EXISTS, 409, 40902, "Consumer with specified consumer ID already exists in the specified consumer group.") \
  X(RP_ERR_ILLEGAL_STATE, 409, 40903, "Illegal state")                                      \
  X(RP_ERR_KEY_SCHEMA_MISSING, 422, 42201, "Request includes keys but does not include key schema") \
  X(RP_ERR_VALUE_SCHEMA_MISSING, 422, 42202, "Request includes values but does not include value schema") \
  X(RP_ERR_JSON_CONVERSION, 422, 42203, "Conversion of JSON to object failed")              \
  X(RP_ERR_CONSUMER_CONFIG, 422, 42204, "Invalid consumer configuration")                   \
  X(RP_ERR_INVALID_SCHEMA, 422, 42205, "Invalid schema")                                    \
  X(RP_ERR_PAYLOAD, 422, 42206, "Payload error")                                            \
  X(RP_ERR_SERIALIZATION, 422, 42207, "Error serializing message")                          \
  X(RP_ERR_BATCH_INVALID, 422, 42208, "Invalid batch")                                      \
  X(RP_ERR_THROTTLED, 429, 42901, "Request throttled by Kafka")                             \
  X(RP_ERR_KAFKA, 500, 50002, "Kafka error")                                                \
  X(RP_ERR_KAFKA_RETRIABLE, 500, 50003, "Retriable Kafka error")                            \
  X(RP_ERR_INTERNAL, 500, 500, "Internal Server Error")                                     \
  X(RP_ERR_NOMEM, 500, 500, "Out of memory")

typedef enum {
#define RP_X_ENUM(code, status, ecode, text) code,
  RP_ERRORS(RP_X_ENUM)
#undef RP_X_ENUM
} rp_code_t;

/* HTTP status, Confluent error_code and default message of a code. */
int rp_code_status(rp_code_t code);
int rp_code_error_code(rp_code_t code);
const char *rp_code_message(rp_code_t code);

/* The proxy code for a librdkafka error (RP_OK for NO_ERROR): unknown topic
 * -> 40401 (or 40403 for a partition), topic exists / invalid partitions /
 * invalid config / policy -> 40002, auth -> 40101/40301, throttling ->
 * 42901, retriable -> 50003, anything else 50002. */
rp_code_t rp_code_from_kafka(rd_kafka_resp_err_t err);

#endif
