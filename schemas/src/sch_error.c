// SPDX-License-Identifier: Apache-2.0
/* Error codes and the caller-owned error struct of the schemas module: the
 * fixed code names and the one helper that fills an sch_error_t. Messages are
 * composed by the code that detects the problem; nothing here interprets them. */
#include <stdio.h>

#include "sch_int.h"

const char *sch_code_name(sch_code_t code) {
  switch (code) {
#define SCH_X_NAME(c, text) \
  case c:                   \
    return text;
    SCH_ERRORS(SCH_X_NAME)
#undef SCH_X_NAME
  }
  return "unknown error";
}

sch_code_t sch__error_set(sch_error_t *err, sch_code_t code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

bool sch__error_first(sch_code_t *first, sch_error_t *err, sch_code_t code, const char *prefix, const char *fmt,
                      va_list ap) {
  if (*first != SCH_OK) return false;
  char msg[900];
  vsnprintf(msg, sizeof msg, fmt, ap);
  *first = code;
  sch__error_set(err, code, "%s%s", prefix, msg);
  return false;
}
