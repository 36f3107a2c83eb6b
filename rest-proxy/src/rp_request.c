// SPDX-License-Identifier: Apache-2.0
/* Reading a request: the JSON body (bounded depth, precise 400/422s), query
 * integers, typed fields of request objects, topic name rules, and the base
 * URL used in base_uri and v3 self links. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "broker/topic_name.h"
#include "rp_int.h"
#include "schemas/schemas.h"

static bool blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') return false;
  }
  return true;
}

bool rp_call_body(rp_call_t *c, bool required) {
  const http_request_t *req = c->req;
  json_t *v = NULL;
  if (!blank(req->body, req->body_len)) {
    if (!sch_json_nesting_within(req->body, req->body_len, RP_MAX_BODY_DEPTH)) {
      rp_reply_error(c, RP_ERR_BAD_REQUEST, "Request body nests deeper than %d levels.", RP_MAX_BODY_DEPTH);
      return false;
    }
    json_error_t jerr;
    v = json_loadb(req->body, req->body_len, JSON_DECODE_ANY, &jerr);
    if (!v) {
      rp_reply_error(c, RP_ERR_BAD_REQUEST, "Malformed JSON: %s (at byte %d)", jerr.text, jerr.position);
      return false;
    }
  }
  if (!v || json_is_null(v)) {
    json_decref(v);
    if (required) rp_reply_error(c, RP_ERR_PAYLOAD, "Payload error. Request body is empty. Data is required.");
    return !required;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Request body must be a JSON object.");
    return false;
  }
  json_decref(c->body);
  c->body = v;
  return true;
}

bool rp_base_url(const rp_call_t *c, char *out, size_t size) {
  const char *adv = c->rp->cfg.advertised_url;
  int n;
  if (adv && *adv) {
    size_t len = strlen(adv);
    while (len > 0 && adv[len - 1] == '/') len--;
    n = snprintf(out, size, "%.*s", (int)len, adv);
  } else {
    const char *host = http_request_header(c->req, "Host");
    if (host && *host && strlen(host) < 256 && !strpbrk(host, " /\\\"<>")) {
      n = snprintf(out, size, "http://%s", host);
    } else {
      n = snprintf(out, size, "http://%s", c->rp->cfg.listen);
    }
  }
  return n > 0 && (size_t)n < size;
}

bool rp_query_int(rp_call_t *c, const char *name, int64_t dflt, int64_t min, int64_t max, int64_t *out) {
  const char *s = http_query_get(&c->query, name);
  if (!s) {
    *out = dflt;
    return true;
  }
  int64_t v = 0;
  if (http_parse_int64(s, &v) != HTTP_PARSE_OK || v < min || v > max) {
    rp_reply_error(c, RP_ERR_BAD_REQUEST, "Query parameter %s must be an integer between %lld and %lld.", name,
                   (long long)min, (long long)max);
    return false;
  }
  *out = v;
  return true;
}

bool rp_field_int(rp_call_t *c, const json_t *obj, const char *name, int64_t min, int64_t max, int64_t *out,
                  bool *present) {
  json_t *v = json_object_get(obj, name);
  *present = false;
  if (!v || json_is_null(v)) return true;
  if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Field %s must be an integer between %lld and %lld.", name,
                   (long long)min, (long long)max);
    return false;
  }
  *out = json_integer_value(v);
  *present = true;
  return true;
}

bool rp_field_string(rp_call_t *c, const json_t *obj, const char *name, const char **out, bool *present) {
  json_t *v = json_object_get(obj, name);
  *present = false;
  if (!v || json_is_null(v)) return true;
  if (!json_is_string(v)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Field %s must be a string.", name);
    return false;
  }
  *out = json_string_value(v);
  *present = true;
  return true;
}

static_assert(RP_MAX_TOPIC_NAME == BRK_TOPIC_NAME_MAX, "one topic name rule");

bool rp_topic_name_valid(const char *s) { return brk_topic_name_valid(s, strlen(s)); }
