// SPDX-License-Identifier: Apache-2.0
/* Implements the message halves of http_server.h that need no connection:
 * request header lookup, the response builder (owned body, status, content
 * type), the JSON error body shared by weir's HTTP services, and status
 * reason phrases. Never sends anything (that is http_conn.c). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http_server.h"

const char *http_request_header(const http_request_t *req, const char *name) {
  for (size_t i = 0; i < req->num_headers; i++) {
    if (strcasecmp(req->headers[i].name, name) == 0) return req->headers[i].value;
  }
  return NULL;
}

void http_response_init(http_response_t *resp) {
  resp->status = 200;
  resp->content_type = NULL;
  resp->body = NULL;
  resp->body_len = 0;
  resp->location = NULL;
}

void http_response_fini(http_response_t *resp) {
  if (!resp) return;
  free(resp->body);
  resp->body = NULL;
  resp->body_len = 0;
  free(resp->location);
  resp->location = NULL;
}

int http_response_set_take(http_response_t *resp, int status, char *body, size_t len) {
  free(resp->body);
  resp->status = status;
  resp->body = body;
  resp->body_len = body ? len : 0;
  return 0;
}

/* Leaves a bodiless 500 behind when memory ran out. */
static int response_nomem(http_response_t *resp) {
  http_response_set_take(resp, 500, NULL, 0);
  return -1;
}

int http_response_set_copy(http_response_t *resp, int status, const char *body, size_t len) {
  char *copy = malloc(len + 1);
  if (!copy) return response_nomem(resp);
  if (len > 0) memcpy(copy, body, len);
  copy[len] = '\0';
  return http_response_set_take(resp, status, copy, len);
}

int http_response_error(http_response_t *resp, int status, int error_code, const char *message) {
  json_t *obj = json_pack("{s:i, s:s}", "error_code", error_code, "message",
                          message ? message : http_status_text(status));
  if (!obj) { /* message was not valid UTF-8 */
    obj = json_pack("{s:i, s:s}", "error_code", error_code, "message", http_status_text(status));
  }
  char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
  json_decref(obj);
  if (!text) return response_nomem(resp);
  return http_response_set_take(resp, status, text, strlen(text));
}

/* Reason phrases of the statuses weir's services answer. */
static const struct {
  int status;
  const char *text;
} status_texts[] = {
    {200, "HTTP 200 OK"},
    {204, "HTTP 204 No Content"},
    {400, "HTTP 400 Bad Request"},
    {401, "HTTP 401 Unauthorized"},
    {403, "HTTP 403 Forbidden"},
    {404, "HTTP 404 Not Found"},
    {405, "HTTP 405 Method Not Allowed"},
    {406, "HTTP 406 Not Acceptable"},
    {408, "HTTP 408 Request Timeout"},
    {409, "HTTP 409 Conflict"},
    {411, "HTTP 411 Length Required"},
    {413, "HTTP 413 Request Entity Too Large"},
    {415, "HTTP 415 Unsupported Media Type"},
    {417, "HTTP 417 Expectation Failed"},
    {422, "HTTP 422 Unprocessable Entity"},
    {500, "HTTP 500 Internal Server Error"},
    {503, "HTTP 503 Service Unavailable"},
};

const char *http_status_text(int status) {
  for (size_t i = 0; i < sizeof status_texts / sizeof status_texts[0]; i++) {
    if (status_texts[i].status == status) return status_texts[i].text;
  }
  return status >= 500 ? "HTTP 500 Internal Server Error" : "HTTP 400 Bad Request";
}
