// SPDX-License-Identifier: Apache-2.0
/* The caller-owned growable output buffer (serde_buf_t) and the append
 * helpers the JSON writers and framing use. Growth doubles, so a buffer
 * reused across records stops allocating once it fits the largest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serde_int.h"

void serde_buf_fini(serde_buf_t *buf) {
  if (buf) {
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
  }
}

serde_code_t serde__buf_reserve(serde_buf_t *b, size_t extra) {
  if (b->cap - b->len >= extra) {
    return SERDE_OK;
  }
  if (extra > SIZE_MAX / 2 - b->len) {
    return SERDE_ERR_NOMEM;
  }
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra) {
    cap *= 2;
  }
  uint8_t *data = serde__realloc(b->data, cap);
  if (!data) {
    return SERDE_ERR_NOMEM;
  }
  b->data = data;
  b->cap = cap;
  return SERDE_OK;
}

serde_code_t serde__buf_put(serde_buf_t *b, const void *data, size_t n) {
  if (serde__buf_reserve(b, n) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  if (n) {
    memcpy(b->data + b->len, data, n);
  }
  b->len += n;
  return SERDE_OK;
}

serde_code_t serde__buf_puts(serde_buf_t *b, const char *s) { return serde__buf_put(b, s, strlen(s)); }

serde_code_t serde__buf_putc(serde_buf_t *b, char c) { return serde__buf_put(b, &c, 1); }

serde_code_t serde__buf_printf(serde_buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || serde__buf_reserve(b, (size_t)n + 1) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  va_start(ap, fmt);
  vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return SERDE_OK;
}

serde_code_t serde__buf_json_string(serde_buf_t *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (serde__buf_reserve(b, n + 2) != SERDE_OK || serde__buf_putc(b, '"') != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    if (serde__buf_put(b, s + start, i - start) != SERDE_OK) {
      return SERDE_ERR_NOMEM;
    }
    start = i + 1;
    char esc[7] = {'\\', (char)c, 0};
    switch (c) {
    case '"': case '\\': break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default:
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
    }
    if (serde__buf_puts(b, esc) != SERDE_OK) {
      return SERDE_ERR_NOMEM;
    }
  }
  if (serde__buf_put(b, s + start, n - start) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  return serde__buf_putc(b, '"');
}
