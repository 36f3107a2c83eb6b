// SPDX-License-Identifier: Apache-2.0
/* The growable text buffer every writer in the module appends to. Allocation
 * failure is sticky: the first failure sets `oom`, later writes do nothing,
 * and the owner checks once when it takes the text. It knows nothing about
 * JSON; see sch_json.c for that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sch_int.h"

static bool buf_reserve(sch_buf_t *b, size_t extra) {
  if (b->oom) {
    return false;
  }
  if (b->len + extra + 1 <= b->cap) {
    return true;
  }
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) {
    cap *= 2;
  }
  char *p = realloc(b->data, cap);
  if (!p) {
    b->oom = true;
    return false;
  }
  b->data = p;
  b->cap = cap;
  return true;
}

void sch__buf_put(sch_buf_t *b, const char *s, size_t n) {
  if (!buf_reserve(b, n)) {
    return;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void sch__buf_puts(sch_buf_t *b, const char *s) { sch__buf_put(b, s, strlen(s)); }

void sch__buf_putc(sch_buf_t *b, char c) { sch__buf_put(b, &c, 1); }

void sch__buf_printf(sch_buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !buf_reserve(b, (size_t)n)) {
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *sch__buf_take(sch_buf_t *b, size_t *len) {
  if (b->oom || !buf_reserve(b, 0)) {
    sch__buf_fini(b);
    return NULL;
  }
  b->data[b->len] = '\0';
  char *out = b->data;
  if (len) {
    *len = b->len;
  }
  b->data = NULL;
  b->len = b->cap = 0;
  return out;
}

void sch__buf_fini(sch_buf_t *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = false;
}
