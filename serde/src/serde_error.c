// SPDX-License-Identifier: Apache-2.0
/* Error codes of the serde: their fixed names, which are worth retrying, and
 * the helpers that fill a caller-owned serde_error_t. */
#include <stdio.h>
#include <string.h>

#include "serde_int.h"

const char *serde_code_name(serde_code_t code) {
  switch (code) {
#define SERDE_X_NAME(c, text) \
  case c:                     \
    return text;
    SERDE_ERRORS(SERDE_X_NAME)
#undef SERDE_X_NAME
  }
  return "unknown error";
}

bool serde_code_retriable(serde_code_t code) {
  return code == SERDE_ERR_REGISTRY_THROTTLED || code == SERDE_ERR_REGISTRY_UNAVAILABLE;
}

serde_code_t serde__fail(serde_error_t *err, serde_code_t code, const char *fmt, ...) {
  if (err) {
    err->code = code;
    err->http_status = 0;
    err->error_code = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

void serde__error_prefix(serde_error_t *err, const char *fmt, ...) {
  if (!err) {
    return;
  }
  char prefix[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  size_t plen = strlen(prefix);
  if (plen + 2 >= sizeof err->message) {
    return;
  }
  size_t keep = strnlen(err->message, sizeof err->message - 1);
  if (keep > sizeof err->message - 1 - plen - 2) {
    keep = sizeof err->message - 1 - plen - 2;
  }
  memmove(err->message + plen + 2, err->message, keep);
  memcpy(err->message, prefix, plen);
  memcpy(err->message + plen, ": ", 2);
  err->message[plen + 2 + keep] = '\0';
}
