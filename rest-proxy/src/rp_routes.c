// SPDX-License-Identifier: Apache-2.0
/* Request dispatch: splits the raw path into segments, finds the route in
 * the areas' tables (404 when no pattern matches, 405 when only the method
 * differs), decodes the captured segments and the query string, runs the
 * handler and releases the call state. Also answers the HTTP glue's question
 * of which requests are streamed. */
#include <stdlib.h>
#include <string.h>

#include "rp_int.h"

#define MAX_SEGMENTS 12

typedef struct seg {
  const char *p;
  size_t n;
} seg_t;

typedef struct area {
  const rp_route_t *routes;
  const size_t *count;
} area_t;

static const area_t k_areas[] = {
    {rp_v2_meta_routes, &rp_v2_meta_route_count},         {rp_v2_produce_routes, &rp_v2_produce_route_count},
    {rp_v2_consumer_routes, &rp_v2_consumer_route_count}, {rp_v3_admin_routes, &rp_v3_admin_route_count},
    {rp_v3_produce_routes, &rp_v3_produce_route_count}, {rp_ops_routes, &rp_ops_route_count},
};

/* Splits "/a/b/c" (a trailing '/' ignored) into segments; -1 when too many
 * or an empty segment ("//"). */
static int split(const char *path, seg_t *segs) {
  int n = 0;
  const char *p = path;
  while (*p == '/') p++;
  if (!*p) return 0;
  for (;;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 0) return end && end[1] == '\0' ? n : -1;
    if (n == MAX_SEGMENTS) return -1;
    segs[n].p = p, segs[n].n = len, n++;
    if (!end || end[1] == '\0') return n;
    p = end + 1;
  }
}

/* Does pattern match segs? '*' matches any one segment. */
static bool pattern_match(const char *pattern, const seg_t *segs, int n) {
  const char *p = pattern;
  for (int i = 0; i < n; i++) {
    if (!*p) return false;
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    bool any = len == 1 && p[0] == '*';
    if (!any && (len != segs[i].n || memcmp(p, segs[i].p, len) != 0)) return false;
    p = end ? end + 1 : p + len;
  }
  return *p == '\0';
}

typedef enum { FOUND, NO_METHOD, NONE } match_t;

static match_t find(const char *method, const seg_t *segs, int n, const rp_route_t **out) {
  match_t best = NONE;
  for (size_t a = 0; a < sizeof k_areas / sizeof k_areas[0]; a++) {
    for (size_t i = 0; i < *k_areas[a].count; i++) {
      const rp_route_t *r = &k_areas[a].routes[i];
      if (!pattern_match(r->pattern, segs, n)) continue;
      if (strcmp(r->method, method) == 0) {
        *out = r;
        return FOUND;
      }
      best = NO_METHOD;
    }
  }
  return best;
}

bool rp_is_streamed(void *ctx, const char *method, const char *path) {
  (void)ctx;
  seg_t segs[MAX_SEGMENTS];
  int n = split(path, segs);
  const rp_route_t *r = NULL;
  return n >= 0 && find(method, segs, n, &r) == FOUND && r->streamed;
}

/* Decodes the '*' captures of r into c->params. False after answering 400. */
static bool capture(rp_call_t *c, const rp_route_t *r, const seg_t *segs, int n) {
  const char *p = r->pattern;
  for (int i = 0; i < n; i++) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 1 && p[0] == '*' && c->nparams < RP_MAX_PARAMS) {
      char *v = NULL;
      if (http_url_decode(segs[i].p, segs[i].n, false, &v) != HTTP_PARSE_OK) {
        rp_reply_error(c, RP_ERR_BAD_REQUEST, "Invalid percent-encoding in the path.");
        return false;
      }
      c->params[c->nparams++] = v;
    }
    p = end ? end + 1 : p + len;
  }
  return true;
}

void rp_handle(void *ctx, const http_request_t *req, http_response_t *resp) {
  rp_call_t c = {.rp = ctx, .req = req, .resp = resp};
  seg_t segs[MAX_SEGMENTS];
  int n = split(req->path, segs);
  const rp_route_t *r = NULL;
  match_t m = n < 0 ? NONE : find(req->method, segs, n, &r);
  if (m == NONE) {
    rp_reply_error(&c, RP_ERR_NOT_FOUND, NULL);
  } else if (m == NO_METHOD) {
    rp_reply_error(&c, RP_ERR_METHOD, NULL);
  } else if (http_query_parse(req->query, &c.query) != HTTP_PARSE_OK) {
    rp_reply_error(&c, RP_ERR_BAD_REQUEST, "Invalid query string.");
  } else if (capture(&c, r, segs, n)) {
    r->fn(&c);
  }
  http_query_fini(&c.query);
  for (size_t i = 0; i < c.nparams; i++) free(c.params[i]);
  json_decref(c.body);
}
