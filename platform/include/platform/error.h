// SPDX-License-Identifier: Apache-2.0
/* Error codes and the caller-owned error struct of the platform module
 * (config, CLI, running components). The code list is one X-macro; messages
 * are lower case and name the offending option, key or file. Mapping codes to
 * process exit statuses happens only in main.c. */
#ifndef WEIR_PLATFORM_ERROR_H
#define WEIR_PLATFORM_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define WEIR_ERRORS(X)                      \
  X(WEIR_OK, "ok")                          \
  X(WEIR_ERR_USAGE, "usage error")          \
  X(WEIR_ERR_CONFIG, "configuration error") \
  X(WEIR_ERR_IO, "i/o error")               \
  X(WEIR_ERR_NOMEM, "out of memory")        \
  X(WEIR_ERR_START, "a component failed to start")

typedef enum {
#define WEIR_ERROR_ENUM_(code, text) code,
  WEIR_ERRORS(WEIR_ERROR_ENUM_)
#undef WEIR_ERROR_ENUM_
} weir_code_t;

typedef struct weir_error {
  weir_code_t code;
  char msg[512];
} weir_error_t;

/* Sets err (if not NULL) to code and a printf-formatted message; returns
 * code so callers can `return weir_error_set(err, ...)`. */
weir_code_t weir_error_set(weir_error_t *err, weir_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to err->msg (used to add a file:line origin). */
void weir_error_prefix(weir_error_t *err, const char *prefix);

/* A short fixed text for a code ("usage error"). */
const char *weir_code_text(weir_code_t code);

#ifdef __cplusplus
}
#endif
#endif
