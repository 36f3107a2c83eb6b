// SPDX-License-Identifier: Apache-2.0
/* Implements http_parse.h: percent-decoding, query strings and the scalar
 * syntaxes of query parameters. Strict by design: a malformed escape is an
 * error rather than being passed through, so two layers can never disagree on
 * what a name means. Nothing here allocates except the decoded strings. */
#include "http/http_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes "%XY" at in[i] (i + 2 < len checked by the caller). */
static int decode_escape(const char *in, size_t i) {
  int hi = hex_value(in[i + 1]);
  int lo = hex_value(in[i + 2]);
  if (hi < 0 || lo < 0) return -1;
  return hi * 16 + lo;
}

static http_parse_code_t decode(const char *in, size_t len, bool plus_is_space, bool allow_nul, char **out,
                                size_t *out_len) {
  *out = NULL;
  char *buf = malloc(len + 1);
  if (!buf) return HTTP_PARSE_NOMEM;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    char c = in[i];
    if (c == '%') {
      int v = (i + 2 < len) ? decode_escape(in, i) : -1;
      if (v < 0 || (v == 0 && !allow_nul)) { /* invalid escape, or %00 */
        free(buf);
        return HTTP_PARSE_INVALID;
      }
      buf[o++] = (char)v;
      i += 2;
    } else if (c == '\0') {
      free(buf);
      return HTTP_PARSE_INVALID;
    } else {
      buf[o++] = (plus_is_space && c == '+') ? ' ' : c;
    }
  }
  buf[o] = '\0';
  *out = buf;
  if (out_len) *out_len = o;
  return HTTP_PARSE_OK;
}

http_parse_code_t http_url_decode(const char *in, size_t len, bool plus_is_space, char **out) {
  return decode(in, len, plus_is_space, false, out, NULL);
}

http_parse_code_t http_url_decode_bytes(const char *in, size_t len, char **out, size_t *out_len) {
  return decode(in, len, false, true, out, out_len);
}

/* Appends one "k=v" piece (raw) to q. */
static http_parse_code_t query_add(http_query_t *q, const char *piece, size_t len) {
  const char *eq = memchr(piece, '=', len);
  size_t klen = eq ? (size_t)(eq - piece) : len;
  http_param_t *grown = realloc(q->params, (q->count + 1) * sizeof *grown);
  if (!grown) return HTTP_PARSE_NOMEM;
  q->params = grown;
  http_param_t *p = &q->params[q->count];
  p->key = NULL;
  p->value = NULL;
  http_parse_code_t rc = http_url_decode(piece, klen, true, &p->key);
  if (rc == HTTP_PARSE_OK) {
    const char *v = eq ? eq + 1 : piece + len;
    rc = http_url_decode(v, (size_t)(piece + len - v), true, &p->value);
  }
  if (rc != HTTP_PARSE_OK) {
    free(p->key);
    return rc;
  }
  q->count++;
  return HTTP_PARSE_OK;
}

http_parse_code_t http_query_parse(const char *raw, http_query_t *q) {
  q->params = NULL;
  q->count = 0;
  if (!raw) return HTTP_PARSE_OK;
  const char *p = raw;
  while (*p) {
    size_t len = strcspn(p, "&");
    if (len > 0) {
      http_parse_code_t rc = query_add(q, p, len);
      if (rc != HTTP_PARSE_OK) return rc;
    }
    p += len;
    if (*p == '&') p++;
  }
  return HTTP_PARSE_OK;
}

void http_query_fini(http_query_t *q) {
  if (!q) return;
  for (size_t i = 0; i < q->count; i++) {
    free(q->params[i].key);
    free(q->params[i].value);
  }
  free(q->params);
  q->params = NULL;
  q->count = 0;
}

const char *http_query_get_nth(const http_query_t *q, const char *key, size_t n) {
  for (size_t i = 0; i < q->count; i++) {
    if (strcmp(q->params[i].key, key) == 0) {
      if (n == 0) return q->params[i].value;
      n--;
    }
  }
  return NULL;
}

const char *http_query_get(const http_query_t *q, const char *key) { return http_query_get_nth(q, key, 0); }

size_t http_query_count(const http_query_t *q, const char *key) {
  size_t n = 0;
  for (size_t i = 0; i < q->count; i++) {
    if (strcmp(q->params[i].key, key) == 0) n++;
  }
  return n;
}

bool http_parse_bool(const char *s, bool dflt) {
  if (!s) return dflt;
  return strcasecmp(s, "true") == 0;
}

http_parse_code_t http_parse_int64(const char *s, int64_t *out) {
  if (!s) return HTTP_PARSE_INVALID;
  const char *d = (*s == '-' || *s == '+') ? s + 1 : s;
  if (*d == '\0') return HTTP_PARSE_INVALID;
  for (const char *c = d; *c; c++) {
    if (*c < '0' || *c > '9') return HTTP_PARSE_INVALID;
  }
  errno = 0;
  long long v = strtoll(s, NULL, 10);
  if (errno == ERANGE) return HTTP_PARSE_INVALID;
  *out = (int64_t)v;
  return HTTP_PARSE_OK;
}
