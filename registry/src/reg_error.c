// SPDX-License-Identifier: Apache-2.0
/* Implements reg_error_set and the code names of reg_error.h. */
#include "reg_error.h"

#include <stdarg.h>
#include <stdio.h>

reg_code_t reg_error_set(reg_error_t *err, reg_code_t code, const char *fmt, ...) {
  if (err) {
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *reg_code_name(reg_code_t code) {
  switch (code) {
#define REG_X_NAME(c) \
  case c:             \
    return #c;
    REG_ERRORS(REG_X_NAME)
#undef REG_X_NAME
  }
  return "REG_ERR_UNKNOWN";
}
