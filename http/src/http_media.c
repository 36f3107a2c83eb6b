// SPDX-License-Identifier: Apache-2.0
/* Implements http_media.h: media-type matching for Content-Type and Accept
 * negotiation with q (client) and qs (server) values, the way JAX-RS picks a
 * response type. Works on the header text in place; no allocation. */
#include "http/http_media.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A span of header text. */
typedef struct span {
  const char *p;
  size_t n;
} span_t;

static span_t span_trim(const char *p, size_t n) {
  while (n > 0 && isspace((unsigned char)*p)) p++, n--;
  while (n > 0 && isspace((unsigned char)p[n - 1])) n--;
  return (span_t){p, n};
}

static bool span_eq(span_t s, const char *lit) {
  size_t n = strlen(lit);
  return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

int http_media_match(const char *content_type, const char *const *types, size_t n) {
  if (!content_type) return -1;
  span_t t = span_trim(content_type, strcspn(content_type, ";"));
  for (size_t i = 0; i < n; i++) {
    if (span_eq(t, types[i])) return (int)i;
  }
  return -1;
}

/* One Accept range: "type/sub" and its q. */
typedef struct range {
  span_t type, sub;
  double q;
} range_t;

/* Reads q from the ";a=b;q=0.5" parameter list of a range (default 1). */
static double range_q(const char *params, size_t n) {
  double q = 1.0;
  while (n > 0) {
    size_t len = 0;
    while (len < n && params[len] != ';') len++;
    span_t kv = span_trim(params, len);
    if (kv.n > 2 && (kv.p[0] == 'q' || kv.p[0] == 'Q') && kv.p[1] == '=') {
      char buf[16] = {0};
      memcpy(buf, kv.p + 2, kv.n - 2 < sizeof buf - 1 ? kv.n - 2 : sizeof buf - 1);
      char *end = NULL;
      double v = strtod(buf, &end);
      q = (end != buf && v >= 0 && v <= 1) ? v : 0;
    }
    params += len;
    n -= len;
    if (n > 0) params++, n--;
  }
  return q;
}

/* Parses "type/sub;params" into r. Returns false when malformed. */
static bool range_parse(const char *p, size_t n, range_t *r) {
  size_t tlen = 0;
  while (tlen < n && p[tlen] != ';') tlen++;
  span_t full = span_trim(p, tlen);
  const char *slash = memchr(full.p, '/', full.n);
  if (!slash) {
    if (!span_eq(full, "*")) return false; /* some clients send a bare "*" */
    r->type = r->sub = full;
  } else {
    r->type = span_trim(full.p, (size_t)(slash - full.p));
    r->sub = span_trim(slash + 1, full.n - (size_t)(slash - full.p) - 1);
  }
  if (r->type.n == 0 || r->sub.n == 0) return false;
  r->q = range_q(p + tlen, n - tlen);
  return true;
}

/* Specificity of range r for concrete type "type/sub": 2 exact, 1 type/x,
 * 0 x/x, -1 no match. */
static int range_specificity(const range_t *r, const char *type) {
  const char *slash = strchr(type, '/');
  span_t t = {type, (size_t)(slash - type)};
  span_t s = {slash + 1, strlen(slash + 1)};
  if (span_eq(r->type, "*")) return span_eq(r->sub, "*") ? 0 : -1;
  if (r->type.n != t.n || strncasecmp(r->type.p, t.p, t.n) != 0) return -1;
  if (span_eq(r->sub, "*")) return 1;
  return (r->sub.n == s.n && strncasecmp(r->sub.p, s.p, s.n) == 0) ? 2 : -1;
}

/* The q the Accept header gives `type` (most specific range wins), or -1. */
static double accept_q(const char *accept, const char *type) {
  int best_spec = -1;
  double q = -1;
  const char *p = accept;
  while (*p) {
    size_t len = strcspn(p, ",");
    range_t r;
    if (range_parse(p, len, &r)) {
      int spec = range_specificity(&r, type);
      if (spec > best_spec) best_spec = spec, q = r.q;
    }
    p += len;
    if (*p == ',') p++;
  }
  return q;
}

int http_media_negotiate(const char *accept, const http_produce_t *types, size_t n) {
  bool any = accept && span_trim(accept, strlen(accept)).n > 0;
  int best = -1;
  double best_q = 0, best_qs = 0;
  for (size_t i = 0; i < n; i++) {
    double q = any ? accept_q(accept, types[i].type) : 1.0;
    if (q <= 0) continue;
    if (best < 0 || q > best_q || (q == best_q && types[i].qs > best_qs)) {
      best = (int)i;
      best_q = q;
      best_qs = types[i].qs;
    }
  }
  return best;
}
