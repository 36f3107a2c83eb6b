// SPDX-License-Identifier: Apache-2.0
/* Compact JSON output that matches Jackson byte for byte for the values a
 * schema can hold: strings with Jackson's escape set, integers as-is, reals as
 * Java's Double.toString, objects in insertion order. Canonical schema text is
 * hashed for ids, so these details decide whether two registries agree. It
 * does not parse JSON (jansson does). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sch_int.h"

void sch__json_string(sch_buf_t *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  sch__buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    const char *esc = NULL;
    switch (*p) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default: break;
    }
    if (esc) {
      sch__buf_puts(b, esc);
    } else if (*p < 0x20) {
      char u[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
      sch__buf_puts(b, u);
    } else {
      sch__buf_putc(b, (char)*p);
    }
  }
  sch__buf_putc(b, '"');
}

/* Shortest "%.*e" text that reads back as d: digits and decimal exponent. */
static void shortest_digits(double d, char *digits, int *exp10) {
  char tmp[40];
  for (int prec = 0; prec <= 16; prec++) {
    snprintf(tmp, sizeof tmp, "%.*e", prec, d);
    if (strtod(tmp, NULL) == d || prec == 16) {
      break;
    }
  }
  char *e = strchr(tmp, 'e');
  *exp10 = atoi(e + 1);
  size_t n = 0;
  for (const char *p = tmp; p < e; p++) {
    if (*p >= '0' && *p <= '9') {
      digits[n++] = *p;
    }
  }
  while (n > 1 && digits[n - 1] == '0') {
    n--;
  }
  digits[n] = '\0';
}

static void put_plain(sch_buf_t *b, const char *digits, int exp10) {
  int nd = (int)strlen(digits);
  if (exp10 < 0) {
    sch__buf_puts(b, "0.");
    for (int i = 0; i < -exp10 - 1; i++) {
      sch__buf_putc(b, '0');
    }
    sch__buf_puts(b, digits);
    return;
  }
  for (int i = 0; i <= exp10; i++) {
    sch__buf_putc(b, i < nd ? digits[i] : '0');
  }
  sch__buf_putc(b, '.');
  if (nd <= exp10 + 1) {
    sch__buf_putc(b, '0');
  } else {
    sch__buf_puts(b, digits + exp10 + 1);
  }
}

void sch__json_double(sch_buf_t *b, double d) {
  if (isnan(d) || isinf(d)) {
    sch__buf_puts(b, isnan(d) ? "\"NaN\"" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\""));
    return;
  }
  if (d == 0) {
    sch__buf_puts(b, signbit(d) ? "-0.0" : "0.0");
    return;
  }
  if (d < 0) {
    sch__buf_putc(b, '-');
    d = -d;
  }
  char digits[40];
  int exp10 = 0;
  shortest_digits(d, digits, &exp10);
  if (d >= 1e-3 && d < 1e7) {
    put_plain(b, digits, exp10);
    return;
  }
  sch__buf_putc(b, digits[0]);
  sch__buf_putc(b, '.');
  sch__buf_puts(b, digits[1] ? digits + 1 : "0");
  sch__buf_printf(b, "E%d", exp10);
}

static void write_object(sch_buf_t *b, const json_t *v) {
  const char *key;
  json_t *val;
  bool first = true;
  sch__buf_putc(b, '{');
  json_object_foreach((json_t *)v, key, val) {
    if (!first) {
      sch__buf_putc(b, ',');
    }
    first = false;
    sch__json_string(b, key);
    sch__buf_putc(b, ':');
    sch__json_value(b, val);
  }
  sch__buf_putc(b, '}');
}

void sch__json_value(sch_buf_t *b, const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    write_object(b, v);
    break;
  case JSON_ARRAY:
    sch__buf_putc(b, '[');
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (i) {
        sch__buf_putc(b, ',');
      }
      sch__json_value(b, json_array_get(v, i));
    }
    sch__buf_putc(b, ']');
    break;
  case JSON_STRING: sch__json_string(b, json_string_value(v)); break;
  case JSON_INTEGER: sch__buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_REAL: sch__json_double(b, json_real_value(v)); break;
  case JSON_TRUE: sch__buf_puts(b, "true"); break;
  case JSON_FALSE: sch__buf_puts(b, "false"); break;
  case JSON_NULL: sch__buf_puts(b, "null"); break;
  }
}
