// SPDX-License-Identifier: Apache-2.0
/* rp_jbuf: a growable text buffer for hand-built JSON (consumed record
 * arrays, delivery reports) where building a jansson tree per record would
 * cost more than the record itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_codec.h"

static bool reserve(rp_jbuf_t *b, size_t extra) {
  if (b->oom) return false;
  if (b->cap - b->len > extra) return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap - b->len <= extra) {
    if (cap > SIZE_MAX / 2) {
      b->oom = true;
      return false;
    }
    cap *= 2;
  }
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return false;
  }
  b->p = p, b->cap = cap;
  return true;
}

void rp_jbuf_raw(rp_jbuf_t *b, const char *s, size_t n) {
  if (!reserve(b, n)) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

void rp_jbuf_lit(rp_jbuf_t *b, const char *s) { rp_jbuf_raw(b, s, strlen(s)); }

void rp_jbuf_str(rp_jbuf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (!reserve(b, n + 2)) return;
  b->p[b->len++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= 0x20 && ch != '"' && ch != '\\') {
      if (!reserve(b, 2)) return;
      b->p[b->len++] = (char)ch;
      continue;
    }
    if (!reserve(b, 7)) return;
    b->p[b->len++] = '\\';
    switch (ch) {
      case '"': b->p[b->len++] = '"'; break;
      case '\\': b->p[b->len++] = '\\'; break;
      case '\n': b->p[b->len++] = 'n'; break;
      case '\r': b->p[b->len++] = 'r'; break;
      case '\t': b->p[b->len++] = 't'; break;
      case '\b': b->p[b->len++] = 'b'; break;
      case '\f': b->p[b->len++] = 'f'; break;
      default:
        b->p[b->len++] = 'u';
        b->p[b->len++] = '0';
        b->p[b->len++] = '0';
        b->p[b->len++] = hex[ch >> 4];
        b->p[b->len++] = hex[ch & 15];
    }
  }
  if (reserve(b, 1)) b->p[b->len++] = '"';
}

void rp_jbuf_int(rp_jbuf_t *b, int64_t v) {
  char num[24];
  size_t n = sizeof num;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; /* INT64_MIN safe */
  do {
    num[--n] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) num[--n] = '-';
  rp_jbuf_raw(b, num + n, sizeof num - n);
}

void rp_jbuf_base64(rp_jbuf_t *b, const void *data, size_t n) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (!reserve(b, (n + 2) / 3 * 4 + 2)) return;
  const unsigned char *in = data;
  char *o = b->p + b->len;
  *o++ = '"';
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    *o++ = alphabet[v >> 18], *o++ = alphabet[(v >> 12) & 63], *o++ = alphabet[(v >> 6) & 63], *o++ = alphabet[v & 63];
  }
  if (i < n) {
    unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0);
    *o++ = alphabet[v >> 18], *o++ = alphabet[(v >> 12) & 63];
    *o++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
  *o++ = '"';
  b->len = (size_t)(o - b->p);
}

char *rp_jbuf_take(rp_jbuf_t *b, size_t *len) {
  if (!reserve(b, 1)) {
    rp_jbuf_fini(b);
    return NULL;
  }
  b->p[b->len] = '\0';
  char *p = b->p;
  if (len) *len = b->len;
  *b = (rp_jbuf_t){0};
  return p;
}

void rp_jbuf_fini(rp_jbuf_t *b) {
  free(b->p);
  *b = (rp_jbuf_t){0};
}
