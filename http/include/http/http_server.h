// SPDX-License-Identifier: Apache-2.0
/* weir's HTTP server glue over civetweb, shared by the Schema Registry and the
 * REST proxy: start/stop a listener, hand each request (method, raw path, raw
 * query, headers, fully read body) to one handler callback that fills a
 * response. The glue owns the transport rules (request smuggling checks, body
 * limits, keep-alive, one log line per request); it knows nothing about any
 * route, JSON schema or service error code. IPv4 only, plain HTTP only. */
#ifndef WEIR_HTTP_HTTP_SERVER_H
#define WEIR_HTTP_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One request header, both strings borrowed from the request. */
typedef struct http_header {
  const char *name;
  const char *value;
} http_header_t;

/* A request as the handler sees it. Everything is borrowed and valid only
 * during the handler call. `path` is the raw (not percent-decoded) path
 * without the query; `query` is the raw query string ("" when absent).
 * `body` is NUL-terminated one byte past body_len (never NULL; "" when the
 * request has no body), so text parsers may use it directly. */
typedef struct http_request {
  const char *method;
  const char *path;
  const char *query;
  const char *body;
  size_t body_len;
  const http_header_t *headers;
  size_t num_headers;
  const char *remote_addr; /* dotted IPv4, or "" */
  struct http_stream *stream; /* streamed requests only (opts.stream_match), else NULL */
} http_request_t;

/* Returns the value of the first header named `name` (case-insensitive), or
 * NULL. */
const char *http_request_header(const http_request_t *req, const char *name);

/* What the handler fills. Start from http_response_init; release with
 * http_response_fini. `content_type` must outlive the response (a string
 * literal in practice); NULL means the server's default content type. */
typedef struct http_response {
  int status;
  const char *content_type;
  char *body; /* owned (malloc), may be NULL for an empty body */
  size_t body_len;
  char *location; /* owned (malloc): a Location header (201 answers); NULL = none.
                     Dropped if it holds control characters or is over 900 bytes. */
} http_response_t;

void http_response_init(http_response_t *resp);
void http_response_fini(http_response_t *resp);

/* Replaces the body with `body` (taken: freed by the response), keeps the
 * content type. Returns 0. */
int http_response_set_take(http_response_t *resp, int status, char *body, size_t len);

/* Replaces the body with a copy of `body[0..len)`. Returns 0, or -1 when out
 * of memory (the response is then a bodiless 500). */
int http_response_set_copy(http_response_t *resp, int status, const char *body, size_t len);

/* Writes the JSON error body {"error_code":N,"message":"..."} (message may
 * be NULL: then the reason phrase "HTTP <status> <text>" is used). Keeps the
 * content type. Returns 0, or -1 when out of memory (bodiless 500). */
int http_response_error(http_response_t *resp, int status, int error_code, const char *message);

/* "HTTP 404 Not Found" style text for a status (static storage). */
const char *http_status_text(int status);

/* The request handler: fills resp (status defaults to 200). Called on a
 * civetweb worker thread; many run in parallel with the same ctx. */
typedef void (*http_handler_fn)(void *ctx, const http_request_t *req, http_response_t *resp);

/* ---- streamed requests ----------------------------------------------------
 * For routes the service marks with opts.stream_match, the glue does not read
 * the body: the handler reads it piece by piece with http_stream_read and may
 * answer piece by piece (full duplex: answers flow while the client is still
 * sending) with http_stream_begin/http_stream_write, as a chunked response.
 * If the handler never calls http_stream_begin, the glue sends resp as usual
 * (and then closes the connection when body bytes were left unread). */
typedef struct http_stream http_stream_t;

/* Reads up to cap body bytes (Content-Length or chunked). Returns the count
 * (> 0), 0 at the end of the body, -1 on a broken connection or framing.
 * Never blocks once the end was seen. */
long http_stream_read(http_stream_t *s, void *buf, size_t cap);

/* True when more body bytes have already arrived, so the next
 * http_stream_read returns without waiting for the client (a handler may
 * then read on before answering what it has). False at the end of the body
 * or when it cannot tell. */
bool http_stream_ready(const http_stream_t *s);

/* Sends the status line and headers of a chunked response
 * (Transfer-Encoding: chunked). Returns 0, or -1 if already begun or the
 * connection broke. */
int http_stream_begin(http_stream_t *s, int status, const char *content_type);

/* Sends data[0..len) as one chunk (len 0 is a no-op). Returns 0 or -1 when
 * the connection broke (further writes are no-ops returning -1). */
int http_stream_write(http_stream_t *s, const void *data, size_t len);

/* Asks the glue to close the connection after this response (an oversized
 * streamed record, a stream past its lifetime). */
void http_stream_close_after(http_stream_t *s);

/* Decides per request whether the route is streamed (the raw path). */
typedef bool (*http_stream_match_fn)(void *ctx, const char *method, const char *path);

typedef struct http_server_opts {
  const char *listen;           /* "host:port", "http://host:port" or ":port"; port 0 = ephemeral */
  int num_threads;              /* civetweb workers (= max concurrent connections); 0 = 32 */
  size_t max_body_bytes;        /* larger bodies get 413; 0 = 16 MiB */
  http_handler_fn handler;      /* required */
  void *ctx;                    /* passed to handler */
  const char *log_component;    /* log tag, e.g. "registry"; NULL = "http" */
  const char *error_content_type; /* glue errors and handler responses without a type; NULL = "application/json" */
  http_stream_match_fn stream_match; /* NULL = no streamed routes */
} http_server_opts_t;

typedef struct http_server http_server_t;

/* Binds and starts serving. Returns NULL and writes a message to errbuf on
 * failure (bad listen address, port in use, IPv6 requested). The opts strings
 * are copied. Release with http_server_stop. */
http_server_t *http_server_start(const http_server_opts_t *opts, char *errbuf, size_t errbuf_len);

/* The TCP port actually bound (useful with port 0), or -1. */
int http_server_port(const http_server_t *srv);

/* Stops accepting, waits for in-flight handlers to return, frees. Accepts
 * NULL. Must not be called from a handler. */
void http_server_stop(http_server_t *srv);

#ifdef __cplusplus
}
#endif
#endif
