// SPDX-License-Identifier: Apache-2.0
/* Entry point of the registry's HTTP edge (schema-registry.md §1, §4, §10):
 * split the raw path, strip one trailing slash, rewrite the
 * /contexts/{ctx}/... prefix form, find the route (404/405), negotiate media
 * types (415/406), percent-decode the captures (so %2F stays inside a
 * subject), decode the query, run the handler, free the call state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_media.h"
#include "reg_http.h"

static const http_produce_t produces[] = {
    {"application/vnd.schemaregistry.v1+json", 1.0},
    {"application/vnd.schemaregistry+json", 0.9},
    {"application/json", 0.5},
};

static const char *const consumes[] = {
    "application/vnd.schemaregistry.v1+json",
    "application/vnd.schemaregistry+json",
    "application/json",
    "application/octet-stream",
};

/* Sections that may follow /contexts/{ctx}/. */
static const char *const context_sections[] = {"subjects", "config", "mode", "schemas", "compatibility"};

static bool seg_is(reg_seg_t s, const char *lit) { return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0; }

/* Splits "/a/b/c/" into raw segments (one trailing slash dropped). Returns
 * false for paths we never serve (no leading '/', empty segment, too deep). */
static bool split_path(const char *path, reg_seg_t *segs, size_t *n) {
  size_t len = strlen(path);
  *n = 0;
  if (len == 0 || path[0] != '/') return false;
  if (len > 1 && path[len - 1] == '/') len--;
  if (len > 1 && path[len - 1] == '/') return false; /* only one trailing slash is forgiven */
  const char *p = path + 1, *end = path + len;
  while (p < end) {
    const char *slash = memchr(p, '/', (size_t)(end - p));
    size_t seg_len = slash ? (size_t)(slash - p) : (size_t)(end - p);
    if (seg_len == 0 || *n == REG_HTTP_MAX_SEGMENTS) return false;
    segs[(*n)++] = (reg_seg_t){p, seg_len};
    p += seg_len + 1;
  }
  return true;
}

bool reg_http__qualify(reg_http_call_t *c, const char *subject, char **out) {
  *out = NULL;
  int n = (subject[0] == ':') ? asprintf(out, "%s", subject) : asprintf(out, ":%s:%s", c->context, subject);
  if (n >= 0) return true;
  *out = NULL;
  reg_http__error(c, REG_ERR_NOMEM, "out of memory");
  return false;
}

/* Decodes segment s into *out; false after writing 400/500. */
static bool decode_seg(reg_http_call_t *c, reg_seg_t s, char **out) {
  http_parse_code_t rc = http_url_decode(s.p, s.n, false, out);
  if (rc == HTTP_PARSE_OK) return true;
  if (rc == HTTP_PARSE_NOMEM) reg_http__error(c, REG_ERR_NOMEM, "out of memory");
  else reg_http__http_error(c, 400, "invalid percent-encoding in path");
  return false;
}

/* Handles /contexts/{ctx}/<section>/...: records the context, drops the two
 * prefix segments. False after writing an error (bad escape, bad section). */
static bool strip_context(reg_http_call_t *c, reg_seg_t *segs, size_t *n) {
  if (*n < 3 || !seg_is(segs[0], "contexts")) return true;
  bool known = false;
  for (size_t i = 0; i < sizeof context_sections / sizeof context_sections[0]; i++) {
    known = known || seg_is(segs[2], context_sections[i]);
  }
  if (!known) {
    reg_http__http_error(c, 404, NULL);
    return false;
  }
  char *ctx = NULL;
  if (!decode_seg(c, segs[1], &ctx)) return false;
  int rc = ctx[0] == '.' ? asprintf(&c->context, "%s", ctx) : asprintf(&c->context, ".%s", ctx);
  free(ctx);
  if (rc < 0 || asprintf(&c->scope, ":%s:", c->context) < 0) {
    c->context = c->scope = NULL;
    reg_http__error(c, REG_ERR_NOMEM, "out of memory");
    return false;
  }
  memmove(segs, segs + 2, (*n - 2) * sizeof *segs);
  *n -= 2;
  return true;
}

/* 415 for a body type we don't consume, 406 when we can't produce what the
 * client accepts; otherwise sets the response content type. */
static bool negotiate(reg_http_call_t *c) {
  const char *ct = http_request_header(c->req, "Content-Type");
  if (ct && http_media_match(ct, consumes, sizeof consumes / sizeof consumes[0]) < 0) {
    reg_http__http_error(c, 415, NULL);
    return false;
  }
  int i = http_media_negotiate(http_request_header(c->req, "Accept"), produces,
                               sizeof produces / sizeof produces[0]);
  if (i < 0) {
    reg_http__http_error(c, 406, NULL);
    return false;
  }
  c->resp->content_type = produces[i].type;
  return true;
}

/* Decodes a subject capture. %00 is decoded rather than refused (Confluent
 * answers 42208 for a NUL like for any control character), but a C string
 * cannot carry it: it becomes DEL, also an ISO control character, so the
 * service's validator rejects it the same way (42208) and no stored subject
 * can ever match it (40401 on reads). False after writing 400/500. */
static bool decode_subject_seg(reg_http_call_t *c, reg_seg_t s, char **out) {
  size_t len = 0;
  http_parse_code_t rc = http_url_decode_bytes(s.p, s.n, out, &len);
  if (rc == HTTP_PARSE_OK) {
    for (size_t i = 0; i < len; i++)
      if ((*out)[i] == '\0') (*out)[i] = '\x7f';
    return true;
  }
  if (rc == HTTP_PARSE_NOMEM) reg_http__error(c, REG_ERR_NOMEM, "out of memory");
  else reg_http__http_error(c, 400, "invalid percent-encoding in path");
  return false;
}

/* Decodes the captures; under a context, qualifies subject captures. */
static bool decode_captures(reg_http_call_t *c, const reg_seg_t *segs, const size_t *cap, size_t ncap) {
  if (ncap == 0) return true; /* e.g. "/" has no segments at all */
  bool schemas = seg_is(segs[0], "schemas"), contexts = seg_is(segs[0], "contexts");
  bool qualify = c->context && !schemas;
  for (size_t i = 0; i < ncap; i++) {
    bool subject = i == 0 && !schemas && !contexts; /* subjects/, config/, mode/, compatibility/ */
    if (!(subject ? decode_subject_seg(c, segs[cap[i]], &c->params[i]) : decode_seg(c, segs[cap[i]], &c->params[i])))
      return false;
  }
  if (qualify && ncap > 0) {
    char *q = NULL;
    if (!reg_http__qualify(c, c->params[0], &q)) return false;
    free(c->params[0]);
    c->params[0] = q;
  }
  return true;
}

static void dispatch(reg_http_call_t *c) {
  reg_seg_t segs[REG_HTTP_MAX_SEGMENTS] = {{0}};
  size_t n, cap[REG_HTTP_MAX_PARAMS], ncap = 0;
  reg_http_route_fn fn = NULL;
  if (!split_path(c->req->path, segs, &n)) {
    reg_http__http_error(c, 404, NULL);
    return;
  }
  if (!strip_context(c, segs, &n)) return;
  reg_route_match_t m = reg_http__route_find(c->req->method, segs, n, &fn, cap, &ncap);
  if (m != REG_ROUTE_FOUND) {
    reg_http__http_error(c, m == REG_ROUTE_NO_METHOD ? 405 : 404, NULL);
    return;
  }
  if (!negotiate(c) || !decode_captures(c, segs, cap, ncap)) return;
  http_parse_code_t qrc = http_query_parse(c->req->query, &c->query);
  if (qrc != HTTP_PARSE_OK) {
    if (qrc == HTTP_PARSE_NOMEM) reg_http__error(c, REG_ERR_NOMEM, "out of memory");
    else reg_http__http_error(c, 400, "invalid percent-encoding in query string");
    return;
  }
  if (!reg_http__decode_query(c)) return;
  fn(c);
}

static void call_fini(reg_http_call_t *c) {
  http_query_fini(&c->query);
  for (size_t i = 0; i < REG_HTTP_MAX_PARAMS; i++) free(c->params[i]);
  for (size_t i = 0; i < sizeof c->owned / sizeof c->owned[0]; i++) free(c->owned[i]);
  free(c->context);
  free(c->scope);
  json_decref(c->body);
}

void reg_http_handle(void *ctx, const http_request_t *req, http_response_t *resp) {
  reg_http_call_t c;
  memset(&c, 0, sizeof c);
  c.rh = ctx;
  c.req = req;
  c.resp = resp;
  resp->content_type = produces[0].type;
  dispatch(&c);
  call_fini(&c);
}
