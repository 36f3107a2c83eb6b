// SPDX-License-Identifier: Apache-2.0
/* Internals shared by every schemas source file: a growable text buffer with a
 * sticky out-of-memory flag (so writers check once at the end) and a compact
 * JSON value writer that prints numbers and strings the way Jackson does,
 * because canonical schema text must match what Confluent stores. Nothing here
 * is format specific. */
#ifndef WEIR_SCHEMAS_SCH_INT_H
#define WEIR_SCHEMAS_SCH_INT_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "schemas/schemas.h"

typedef struct sch_buf {
  char *data; /* NUL-terminated when len > 0 */
  size_t len;
  size_t cap;
  bool oom; /* set on the first failed allocation; later writes are no-ops */
} sch_buf_t;

void sch__buf_put(sch_buf_t *b, const char *s, size_t n);
void sch__buf_puts(sch_buf_t *b, const char *s);
void sch__buf_putc(sch_buf_t *b, char c);
void sch__buf_printf(sch_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Detaches the text (NUL-terminated, caller frees); NULL on oom. */
char *sch__buf_take(sch_buf_t *b, size_t *len);
void sch__buf_fini(sch_buf_t *b);

/* Writes s as a quoted JSON string with Jackson's escapes. */
void sch__json_string(sch_buf_t *b, const char *s);
/* Writes a JSON value compactly (insertion order, Java Double.toString reals). */
void sch__json_value(sch_buf_t *b, const json_t *v);
/* Writes a double as Java's Double.toString would ("1.0", "1.0E10"). */
void sch__json_double(sch_buf_t *b, double d);

/* Sets err (may be NULL) and returns code. */
sch_code_t sch__error_set(sch_error_t *err, sch_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Keeps the first error of a multi-step job: when *first is still SCH_OK,
 * sets it to code and err to prefix + the formatted text. Always returns
 * false, for `return sch__error_first(...)` in bool-returning steps. */
bool sch__error_first(sch_code_t *first, sch_error_t *err, sch_code_t code, const char *prefix, const char *fmt,
                      va_list ap);

#endif
