// SPDX-License-Identifier: Apache-2.0
/* How the proxy answers: Confluent error bodies from the error table, JSON
 * and raw bodies, 204s. Handlers call these exactly once per request. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_int.h"

void rp_reply_status(rp_call_t *c, int status, int error_code, const char *message) {
  c->resp->content_type = RP_MT_JSON;
  http_response_error(c->resp, status, error_code, message);
}

void rp_reply_error(rp_call_t *c, rp_code_t code, const char *fmt, ...) {
  char msg[1024];
  const char *text = rp_code_message(code);
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    text = msg;
  }
  rp_reply_status(c, rp_code_status(code), rp_code_error_code(code), text);
}

void rp_reply_raw(rp_call_t *c, int status, char *body, size_t len, const char *content_type) {
  c->resp->content_type = content_type ? content_type : RP_MT_JSON;
  http_response_set_take(c->resp, status, body, len);
}

void rp_reply_json(rp_call_t *c, int status, json_t *body, const char *content_type) {
  if (!body) {
    rp_reply_raw(c, status, NULL, 0, content_type);
    return;
  }
  char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(body);
  if (!text) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    return;
  }
  rp_reply_raw(c, status, text, strlen(text), content_type);
}

void rp_reply_no_content(rp_call_t *c) { rp_reply_raw(c, 204, NULL, 0, NULL); }
