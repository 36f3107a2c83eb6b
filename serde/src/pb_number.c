// SPDX-License-Identifier: Apache-2.0
/* Numbers in the proto3 JSON mapping, both ways. Out: integers as decimal
 * text (the 64-bit types quoted, as JsonFormat prints them), floats and
 * doubles in Java's Double.toString / Float.toString layout with the fewest
 * digits that read back to the same value, since Confluent's REST proxy
 * prints through Java. In: the forms Java's JsonFormat parser takes for each
 * numeric type, with range checks. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "pb_int.h"

/* ---- out ------------------------------------------------------------------------- */

/* The shortest "%.*e" text of x that reads back to x (as a float when
 * is_float): digits d1..dn into digits (NUL-terminated), decimal exponent of
 * d1 into *exp10. As Java (JDK 19+): when one digit would do, the closest
 * two-digit decimal is taken (4.9E-324, not 5.0E-324). */
static void shortest_digits(double x, bool is_float, char digits[24], int *exp10) {
  char buf[40];
  int max = is_float ? 9 : 17;
  for (int p = 2; p <= max; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, x);
    if (p == max || (is_float ? strtof(buf, NULL) == (float)x : strtod(buf, NULL) == x)) {
      break;
    }
  }
  /* buf is "d.ddde[+-]XX" (x > 0 here) */
  size_t n = 0;
  const char *s = buf;
  for (; *s && *s != 'e'; s++) {
    if (*s != '.') {
      digits[n++] = *s;
    }
  }
  while (n > 1 && digits[n - 1] == '0') {
    n--;
  }
  digits[n] = '\0';
  *exp10 = *s == 'e' ? atoi(s + 1) : 0;
}

serde_code_t serde__pb_put_double(serde_buf_t *b, double x, bool is_float) {
  if (isnan(x)) {
    return serde__buf_puts(b, "\"NaN\"");
  }
  if (isinf(x)) {
    return serde__buf_puts(b, x > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  }
  if (x == 0) {
    return serde__buf_puts(b, signbit(x) ? "-0.0" : "0.0");
  }
  char digits[24];
  int e = 0;
  shortest_digits(fabs(x), is_float, digits, &e);
  size_t n = strlen(digits);
  char text[64];
  size_t at = 0;
  if (x < 0) {
    text[at++] = '-';
  }
  if (e >= -3 && e < 7) { /* plain notation, at least one fraction digit */
    if (e < 0) {
      text[at++] = '0';
      text[at++] = '.';
      for (int z = -1; z > e; z--) {
        text[at++] = '0';
      }
      memcpy(text + at, digits, n);
      at += n;
    } else {
      for (int i = 0; i <= e; i++) {
        text[at++] = (size_t)i < n ? digits[i] : '0';
      }
      text[at++] = '.';
      if ((size_t)e + 1 < n) {
        memcpy(text + at, digits + e + 1, n - (size_t)e - 1);
        at += n - (size_t)e - 1;
      } else {
        text[at++] = '0';
      }
    }
    text[at] = '\0';
  } else { /* computerized scientific notation: 1.0E10, 1.25E-5 */
    snprintf(text + at, sizeof text - at, "%c.%sE%d", digits[0], n > 1 ? digits + 1 : "0", e);
  }
  return serde__buf_puts(b, text);
}

serde_code_t serde__pb_put_uint(serde_buf_t *b, uint64_t x, bool quoted) {
  char buf[24];
  char *p = buf + sizeof buf;
  if (quoted) {
    *--p = '"';
  }
  do {
    *--p = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  if (quoted) {
    *--p = '"';
  }
  return serde__buf_put(b, p, (size_t)(buf + sizeof buf - p));
}

serde_code_t serde__pb_put_int(serde_buf_t *b, int64_t x, bool quoted) {
  if (x >= 0) {
    return serde__pb_put_uint(b, (uint64_t)x, quoted);
  }
  if (serde__buf_put(b, quoted ? "\"-" : "-", quoted ? 2 : 1) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  uint64_t mag = 0 - (uint64_t)x;
  if (serde__pb_put_uint(b, mag, false) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  return quoted ? serde__buf_putc(b, '"') : SERDE_OK;
}

/* ---- in ---------------------------------------------------------------------------- */

/* A decimal number as Java's BigDecimal reads it: [+-] digits [. digits]
 * [e [+-] digits], with at least one digit before the exponent. */
static bool decimal_syntax(const char *s, size_t n) {
  size_t i = 0, digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    i++;
  }
  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
    digits++;
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      digits++;
    }
  }
  if (!digits) {
    return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
      i++;
    }
    size_t exp_digits = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      exp_digits++;
    }
    if (!exp_digits) {
      return false;
    }
  }
  return i == n;
}

/* Decimal text to double (text already checked with decimal_syntax). */
static double text_to_double(const char *s, size_t n) {
  char buf[128];
  if (n >= sizeof buf) {
    char *copy = serde__strndup(s, n);
    double d = copy ? strtod(copy, NULL) : NAN;
    free(copy);
    return d;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  return strtod(buf, NULL);
}

/* Plain integer text: [+-]digits, exactly, as magnitude and sign. */
static bool plain_integer(const char *s, size_t n, uint64_t *mag, bool *neg) {
  size_t i = 0;
  *neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    *neg = s[i] == '-';
    i++;
  }
  if (i == n) {
    return false;
  }
  uint64_t v = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) {
      v = UINT64_MAX; /* saturate: out of every range below */
      continue;
    }
    v = v * 10 + d;
  }
  *mag = v;
  return true;
}

/* An integral double within [min, max]. */
static bool real_int(double d, int64_t min, int64_t max, int64_t *out) {
  if (!isfinite(d) || floor(d) != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
    return false;
  }
  int64_t v = (int64_t)d;
  if (v < min || v > max) {
    return false;
  }
  *out = v;
  return true;
}

bool serde__pb_text_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out) {
  uint64_t mag = 0;
  bool neg = false;
  if (plain_integer(s, n, &mag, &neg)) {
    if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX) {
      return false;
    }
    int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    if (v < min || v > max) {
      return false;
    }
    *out = v;
    return true;
  }
  return decimal_syntax(s, n) && real_int(text_to_double(s, n), min, max, out);
}

bool serde__pb_text_uint(const char *s, size_t n, uint64_t max, uint64_t *out) {
  uint64_t mag = 0;
  bool neg = false;
  if (plain_integer(s, n, &mag, &neg)) {
    if ((neg && mag != 0) || mag > max) {
      return false;
    }
    *out = mag;
    return true;
  }
  if (!decimal_syntax(s, n)) {
    return false;
  }
  double d = text_to_double(s, n);
  if (!isfinite(d) || floor(d) != d || d < 0 || d >= 18446744073709551616.0 || (uint64_t)d > max) {
    return false;
  }
  *out = (uint64_t)d;
  return true;
}

bool serde__pb_json_int(const json_t *v, int64_t min, int64_t max, int64_t *out, const char **why) {
  *why = "expected an integer";
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < min || x > max) {
      *why = "integer out of range";
      return false;
    }
    *out = x;
    return true;
  }
  if (json_is_real(v)) {
    if (real_int(json_real_value(v), min, max, out)) {
      return true;
    }
    *why = "expected an integer in range";
    return false;
  }
  if (json_is_string(v)) {
    if (serde__pb_text_int(json_string_value(v), json_string_length(v), min, max, out)) {
      return true;
    }
    *why = "expected an integer in range";
  }
  return false;
}

bool serde__pb_json_uint(const json_t *v, uint64_t max, uint64_t *out, const char **why) {
  *why = "expected an unsigned integer";
  if (json_is_integer(v)) {
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x > max) {
      *why = "integer out of range";
      return false;
    }
    *out = (uint64_t)x;
    return true;
  }
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (isfinite(d) && floor(d) == d && d >= 0 && d < 18446744073709551616.0 && (uint64_t)d <= max) {
      *out = (uint64_t)d;
      return true;
    }
    *why = "expected an unsigned integer in range";
    return false;
  }
  if (json_is_string(v)) {
    if (serde__pb_text_uint(json_string_value(v), json_string_length(v), max, out)) {
      return true;
    }
    *why = "expected an unsigned integer in range";
  }
  return false;
}

bool serde__pb_json_double(const json_t *v, bool is_float, double *out, const char **why) {
  *why = is_float ? "expected a float" : "expected a double";
  double d = 0;
  if (json_is_number(v)) {
    d = json_number_value(v);
  } else if (json_is_string(v)) {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 3 && memcmp(s, "NaN", 3) == 0) {
      *out = NAN;
      return true;
    }
    if ((n == 8 && memcmp(s, "Infinity", 8) == 0) || (n == 9 && memcmp(s, "-Infinity", 9) == 0)) {
      *out = s[0] == '-' ? -INFINITY : INFINITY;
      return true;
    }
    if (!decimal_syntax(s, n)) {
      return false;
    }
    d = text_to_double(s, n);
  } else {
    return false;
  }
  /* Java allows a relative 1e-6 over the largest finite value. */
  double limit = (is_float ? (double)FLT_MAX : DBL_MAX) * (1.0 + 1e-6);
  if (!isfinite(d) || d > limit || d < -limit) {
    *why = is_float ? "float out of range" : "double out of range";
    return false;
  }
  if (is_float && fabs(d) > FLT_MAX) {
    d = d > 0 ? FLT_MAX : -FLT_MAX;
  }
  *out = d;
  return true;
}
