// SPDX-License-Identifier: Apache-2.0
/* Internals shared by http_server.c (lifecycle), http_conn.c (one request on
 * a civetweb connection) and http_stream.c (streamed request bodies and
 * chunked answers): the server object and the stream state. */
#ifndef WEIR_HTTP_HTTP_INT_H
#define WEIR_HTTP_HTTP_INT_H

#include <civetweb.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/http_server.h"

struct http_server {
  struct mg_context *mg;
  http_handler_fn handler;
  http_stream_match_fn stream_match;
  void *ctx;
  size_t max_body_bytes;
  char *log_component;
  char *error_content_type;
  int port;
  char ip[16]; /* the bound IPv4 address ("0.0.0.0" for all), for http__stop_civetweb */
};

/* One streamed request: the unread body and the chunked answer, if begun. */
struct http_stream {
  struct mg_connection *conn;
  const http_server_t *srv;
  int fd;                /* the connection's socket (to ask what can be read without blocking), or -1 */
  bool chunked;          /* chunked request body, else Content-Length */
  long long remaining;   /* Content-Length bytes not read yet */
  bool ended;            /* the end of the body was read */
  bool read_broken;      /* framing error or broken connection while reading */
  bool begun;            /* the chunked answer's head was sent */
  bool write_broken;
  bool close_after;      /* the handler asked to close the connection */
  int status;            /* status sent by http_stream_begin */
  size_t bytes_out;      /* answer bytes sent in chunks (for the log line) */
};

/* civetweb begin_request callback: runs the whole request (checks, body,
 * handler, response, log line). Returns the HTTP status sent. */
int http__conn_begin_request(struct mg_connection *conn);

/* True when the client asked for (or defaults to) keep-alive. */
bool http__conn_client_keeps_alive(const struct mg_connection *conn);

/* Prepares s for the request on conn (body not read yet). */
void http__stream_init(http_stream_t *s, struct mg_connection *conn, const http_server_t *srv);

/* After the handler: sends the last chunk of a begun answer. */
void http__stream_finish(http_stream_t *s);

/* mg_stop without its poll-quantum delay (http_stop.c). */
void http__stop_civetweb(struct mg_context *mg, const char *ip, int port);

#endif
