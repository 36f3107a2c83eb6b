// SPDX-License-Identifier: Apache-2.0
/* Internals shared by every rest-proxy file: the service context (rp_t), the
 * per-request call state, route tables, and the reply helpers. Each API area
 * (v2 metadata, v2 produce, v2 consumers, v3 admin, v3 produce) owns its
 * handlers and exports one route table; rp_routes.c walks the tables.
 *
 * Threads: handlers run on civetweb workers, many at once with the same rp_t.
 * rp_t is read-only after start except where a field says who locks it. */
#ifndef WEIR_REST_PROXY_RP_INT_H
#define WEIR_REST_PROXY_RP_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http_parse.h"
#include "http/http_server.h"
#include "rest_proxy/rest_proxy.h"
#include "rp_error.h"

typedef struct rp_kafka rp_kafka_t;         /* rp_kafka.h */
typedef struct rp_consumers rp_consumers_t; /* rp_consumers.h */
typedef struct serde serde_t;

/* Media types (rest-proxy.md §1.1). */
#define RP_MT_JSON "application/json"
#define RP_MT_V2 "application/vnd.kafka.v2+json"
#define RP_MT_BINARY_V2 "application/vnd.kafka.binary.v2+json"
#define RP_MT_JSON_V2 "application/vnd.kafka.json.v2+json"
#define RP_MT_AVRO_V2 "application/vnd.kafka.avro.v2+json"
#define RP_MT_JSONSCHEMA_V2 "application/vnd.kafka.jsonschema.v2+json"
#define RP_MT_PROTOBUF_V2 "application/vnd.kafka.protobuf.v2+json"

/* Deepest JSON nesting accepted in a request body (civetweb stacks are small
 * and jansson recurses). */
#define RP_MAX_BODY_DEPTH 64
#define RP_MAX_PARAMS 5
#define RP_MAX_TOPIC_NAME 249 /* BRK_TOPIC_NAME_MAX (asserted in rp_request.c) */

/* The service: config (strings owned), Kafka clients, serde, consumers. */
typedef struct rp {
  rp_config_t cfg;       /* strings strdup'd; advertised_url/schema_registry_url NULL when unset */
  rp_kafka_t *kafka;     /* shared producer + metadata/admin (rp_kafka.c) */
  serde_t *serde;        /* NULL when no schema.registry.url */
  rp_consumers_t *consumers; /* v2 consumer instances (rp_consumers.c) */
} rp_t;

/* One request being served. */
typedef struct rp_call {
  rp_t *rp;
  const http_request_t *req;
  http_response_t *resp;
  http_query_t query;            /* decoded query string */
  char *params[RP_MAX_PARAMS];   /* percent-decoded {captures} in path order */
  size_t nparams;
  json_t *body;                  /* set by rp_call_body (owned by the call) */
} rp_call_t;

/* ---- routes (rp_routes.c) ------------------------------------------------ */

typedef void (*rp_route_fn)(rp_call_t *c);

/* A route: method + pattern of '/'-separated segments, '*' captures one
 * segment into c->params ("v3/clusters/ * /topics/ *" without spaces).
 * `streamed`: the body is not read by the HTTP glue; the handler reads it
 * from c->req->stream (v3 produce). */
typedef struct rp_route {
  const char *method;
  const char *pattern;
  rp_route_fn fn;
  bool streamed;
} rp_route_t;

/* The route tables of each area (defined in the area's file). */
extern const rp_route_t rp_v2_meta_routes[];     /* rp_v2_meta.c: GET /, /topics..., /brokers */
extern const size_t rp_v2_meta_route_count;
extern const rp_route_t rp_v2_produce_routes[];  /* rp_v2_produce.c */
extern const size_t rp_v2_produce_route_count;
extern const rp_route_t rp_v2_consumer_routes[]; /* rp_v2_consumer*.c: /consumers/... */
extern const size_t rp_v2_consumer_route_count;
extern const rp_route_t rp_v3_admin_routes[];    /* rp_v3_*.c: clusters, brokers, topics, configs, partitions, groups */
extern const size_t rp_v3_admin_route_count;
extern const rp_route_t rp_v3_produce_routes[];  /* rp_v3_produce.c: records, records:batch */
extern const size_t rp_v3_produce_route_count;
extern const rp_route_t rp_ops_routes[];         /* rp_ops.c: weir's /metrics and /health */
extern const size_t rp_ops_route_count;

/* The http_handler_fn of the proxy (ctx is an rp_t). */
void rp_handle(void *ctx, const http_request_t *req, http_response_t *resp);
/* The http_stream_match_fn: true when method+path is a streamed route. */
bool rp_is_streamed(void *ctx, const char *method, const char *path);

/* ---- replies (rp_reply.c) ------------------------------------------------ */

/* Error body {"error_code":N,"message":"..."} for code; fmt NULL uses the
 * code's default message. Content type application/json unless the handler
 * set one already. */
void rp_reply_error(rp_call_t *c, rp_code_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An error with an explicit status and error_code (framework errors). */
void rp_reply_status(rp_call_t *c, int status, int error_code, const char *message);
/* JSON answer (body taken; NULL means an empty body) with status and content
 * type (NULL = application/json). */
void rp_reply_json(rp_call_t *c, int status, json_t *body, const char *content_type);
/* Raw bytes answer (body taken, malloc'd). */
void rp_reply_raw(rp_call_t *c, int status, char *body, size_t len, const char *content_type);
/* 204 No Content. */
void rp_reply_no_content(rp_call_t *c);

/* ---- request decoding (rp_request.c) --------------------------------------- */

/* Parses the body into c->body as a JSON object. Missing/empty body: when
 * required, 422/42206 "Request body is empty. Data is required." (returns
 * false); else c->body = NULL and true. Malformed JSON: 400/400 with the
 * parser's message; not an object: 422/422; deeper than RP_MAX_BODY_DEPTH:
 * 400. Returns false after writing the error. */
bool rp_call_body(rp_call_t *c, bool required);

/* "http://host:port" for links (base_uri, self): cfg.advertised_url when set,
 * else "http://" + the request's Host header (else the listener address).
 * Writes a NUL-terminated string; false when it does not fit. */
bool rp_base_url(const rp_call_t *c, char *out, size_t size);

/* Integer query parameter: absent -> dflt; malformed or outside [min,max] ->
 * 400 written and false. */
bool rp_query_int(rp_call_t *c, const char *name, int64_t dflt, int64_t min, int64_t max, int64_t *out);

/* Strict JSON field readers for request objects. Absent (or JSON null) ->
 * *present false and true. Wrong type/range -> 422 written naming the field,
 * false. */
bool rp_field_int(rp_call_t *c, const json_t *obj, const char *name, int64_t min, int64_t max, int64_t *out,
                  bool *present);
bool rp_field_string(rp_call_t *c, const json_t *obj, const char *name, const char **out, bool *present);

/* Monotonic milliseconds (deadlines, idle clocks, cache ages). */
int64_t rp_now_ms(void);

/* True when s is a legal Kafka topic name (1..249 of [a-zA-Z0-9._-], not "."
 * or ".."). */
bool rp_topic_name_valid(const char *s);

#endif
