// SPDX-License-Identifier: Apache-2.0
/* weir_error_t helpers (error.h): filling, prefixing and naming codes. */
#include "platform/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

weir_code_t weir_error_set(weir_error_t *err, weir_code_t code, const char *fmt, ...) {
  if (!err) return code;
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

void weir_error_prefix(weir_error_t *err, const char *prefix) {
  if (!err) return;
  size_t cap = sizeof err->msg - 1, plen = strlen(prefix) + 2, mlen = strlen(err->msg);
  if (plen > cap) plen = cap;
  if (mlen > cap - plen) mlen = cap - plen;
  memmove(err->msg + plen, err->msg, mlen);
  err->msg[plen + mlen] = '\0';
  memcpy(err->msg, prefix, plen - 2);
  if (plen >= 2) memcpy(err->msg + plen - 2, ": ", 2);
}

const char *weir_code_text(weir_code_t code) {
  switch (code) {
#define WEIR_ERROR_TEXT_(c, text) \
  case c:                         \
    return text;
    WEIR_ERRORS(WEIR_ERROR_TEXT_)
#undef WEIR_ERROR_TEXT_
  }
  return "unknown error";
}
