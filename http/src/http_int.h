// SPDX-License-Identifier: Apache-2.0
/* Internals shared by http_server.c (lifecycle) and http_conn.c (one
 * request on a civetweb connection): the server object. */
#ifndef WEIR_HTTP_HTTP_INT_H
#define WEIR_HTTP_HTTP_INT_H

#include <civetweb.h>

#include "http/http_server.h"

struct http_server {
  struct mg_context *mg;
  http_handler_fn handler;
  void *ctx;
  size_t max_body_bytes;
  char *log_component;
  char *error_content_type;
  int port;
};

/* civetweb begin_request callback: runs the whole request (checks, body,
 * handler, response, log line). Returns the HTTP status sent. */
int http__conn_begin_request(struct mg_connection *conn);

#endif
