// SPDX-License-Identifier: Apache-2.0
/* The registry's HTTP edge, internal to registry/: the request handler given
 * to weir_http (routing, content negotiation, decoding, error mapping) and the
 * per-request call state shared by the reg_http*.c files. Domain rules live
 * in reg_service; this layer only translates HTTP to reg_svc_* calls and
 * their answers back to Confluent-shaped responses. */
#ifndef WEIR_REGISTRY_REG_HTTP_H
#define WEIR_REGISTRY_REG_HTTP_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http_parse.h"
#include "http/http_server.h"
#include "reg_service.h"

/* Shared by every worker; read-only after start. */
typedef struct reg_http {
  reg_service_t *svc;
  int incompatible_error_code; /* 40901 or 409 */
} reg_http_t;

/* The http_handler_fn of the registry (ctx is a reg_http_t). */
void reg_http_handle(void *ctx, const http_request_t *req, http_response_t *resp);

#define REG_HTTP_MAX_SEGMENTS 8
/* Deepest JSON nesting accepted in a request body. civetweb workers run on
 * ~100 KiB stacks and jansson recurses (~400 B a level when dumping). */
#define REG_HTTP_MAX_BODY_DEPTH 64
#define REG_HTTP_MAX_PARAMS 3

/* One request being served. Owned strings are freed by reg_http.c. */
typedef struct reg_http_call {
  const reg_http_t *rh;
  const http_request_t *req;
  http_response_t *resp;
  http_query_t query;  /* decoded query string */
  reg_query_t q;       /* typed view of query (strings borrowed from query/owned) */
  char *params[REG_HTTP_MAX_PARAMS]; /* decoded {captures} in path order */
  char *context;       /* ".ctx" for /contexts/{ctx}/... requests, else NULL */
  char *scope;         /* ":.ctx:" for /contexts/{ctx}/... requests, else NULL */
  char *owned[2];      /* context-qualified query strings handed to the service */
  json_t *body;        /* parsed request body (object) or NULL */
} reg_http_call_t;

/* The http_handler_fn the registry's listener runs (reg_http_ops.c): weir's
 * GET /metrics and GET /health (405 for other methods on those paths), every
 * other request to reg_http_handle. ctx is a reg_http_t. */
void reg_http_ops_handle(void *ctx, const http_request_t *req, http_response_t *resp);

/* --- routing (reg_http_routes.c) --- */
typedef void (*reg_http_route_fn)(reg_http_call_t *c);

typedef enum { REG_ROUTE_FOUND, REG_ROUTE_NO_METHOD, REG_ROUTE_NONE } reg_route_match_t;

/* One raw (still percent-encoded) path segment. */
typedef struct reg_seg {
  const char *p;
  size_t n;
} reg_seg_t;

/* Finds the handler for method + raw segments. On REG_ROUTE_FOUND sets *fn
 * and the indexes of the captured segments (cap_idx[0..*ncap)). */
reg_route_match_t reg_http__route_find(const char *method, const reg_seg_t *segs, size_t n,
                                       reg_http_route_fn *fn, size_t cap_idx[REG_HTTP_MAX_PARAMS],
                                       size_t *ncap);

/* --- decoding (reg_http_decode.c) --- */
/* Fills c->q from c->query. Returns false after writing an error response. */
bool reg_http__decode_query(reg_http_call_t *c);
/* Parses the body into c->body as a JSON object. Missing body: 422 when
 * required, else c->body stays NULL. Returns false after writing an error. */
bool reg_http__decode_object(reg_http_call_t *c, bool required);
/* Builds a RegisterSchemaRequest view of c->body (pointers borrowed from it).
 * Returns false after writing an error response (400/422). */
bool reg_http__decode_schema_req(reg_http_call_t *c, reg_schema_req_t *out);

/* --- answers (reg_http_errors.c) --- */
/* HTTP status and Confluent error_code for a reg_code_t (the one table). */
void reg_http__map_error(reg_code_t code, int incompatible_error_code, int *status, int *error_code);
/* Writes the error body for a service error. */
void reg_http__error(reg_http_call_t *c, reg_code_t code, const char *message);
/* Writes a framework error ({"error_code":status,...}); message NULL gives
 * "HTTP <status> <reason>". */
void reg_http__http_error(reg_http_call_t *c, int status, const char *message);
/* Renders a service answer: error body, 204 for (OK, NULL), else JSON 200.
 * Takes ownership of out. */
void reg_http__reply(reg_http_call_t *c, reg_code_t rc, json_t *out, const reg_error_t *err);
/* Renders a raw-text answer (takes text, free()). */
void reg_http__reply_text(reg_http_call_t *c, reg_code_t rc, char *text, const reg_error_t *err);

/* --- context qualification (reg_http.c) --- */
/* Sets *out to subject qualified with the request's context
 * (":.ctx:subject"; an already qualified subject is kept as is). Caller
 * frees. Returns false after writing a 500 when out of memory. */
bool reg_http__qualify(reg_http_call_t *c, const char *subject, char **out);

#endif
