// SPDX-License-Identifier: Apache-2.0
/* Avro's JSON encoding out: an avro-c generic value walked next to its
 * schema model node and written as compact JSON text. Unlike avro-c's
 * avro_value_to_json it names union branches by full name, keeps bytes with
 * NUL, writes NaN and infinities as Java does ("NaN", "Infinity"), prints
 * floats and doubles with the fewest digits that read back to the same
 * value, and replaces invalid UTF-8 in strings with U+FFFD (as Java's String
 * decoding does), so the output is always valid JSON. Reading JSON is
 * avro_json_in.c's. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_program.h"

/* Values nest as deep as the decoder's max.depth allows; this only keeps a
 * hand-built cyclic or absurd value from exhausting the stack. */
#define JSON_OUT_MAX_DEPTH 1024

typedef struct jout {
  serde_buf_t *out;
  serde_error_t *err;
  serde_avro_path_t *path;
  int depth;
} jout_t;

static serde_code_t walk(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v);

#define TRY(call) SERDE_TRY(call)

__attribute__((noinline)) static serde_code_t shape(jout_t *j, const sch_avro_node_t *n) {
  return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "the avro value is not a %s", serde__avro_type_name(n));
}

#define AVRO_TRY(j, n, call)  \
  do {                        \
    if ((call) != 0) {        \
      return shape((j), (n)); \
    }                         \
  } while (0)

/* ---- numbers ---------------------------------------------------------------- */

/* Shortest "%.*g" text that reads back to x (as a float when is_float). For
 * normal numbers, printing the type's guaranteed digits (FLT_DIG, DBL_DIG)
 * gives the shortest form whenever one that short exists, so it takes at
 * most 4 or 3 tries. Integral values get ".0" so they read back as reals. */
static serde_code_t put_real(jout_t *j, double x, bool is_float) {
  if (isnan(x)) {
    return serde__buf_puts(j->out, "\"NaN\"");
  }
  if (isinf(x)) {
    return serde__buf_puts(j->out, x > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  }
  char buf[40];
  /* subnormals have fewer digits of precision: search from 1 */
  bool subnormal = x != 0 && (is_float ? fabs(x) < FLT_MIN : fabs(x) < DBL_MIN);
  int lo = subnormal ? 1 : is_float ? 6 : 15, hi = is_float ? 9 : 17;
  for (int p = lo; p <= hi; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, x);
    if (p == hi || (is_float ? strtof(buf, NULL) == (float)x : strtod(buf, NULL) == x)) {
      break;
    }
  }
  if (!strpbrk(buf, ".en")) {
    strcat(buf, ".0");
  }
  return serde__buf_puts(j->out, buf);
}

/* Decimal text of x without printf's machinery (ints and longs are most of
 * a typical record). */
static serde_code_t put_integer(jout_t *j, int64_t x) {
  char buf[24];
  char *p = buf + sizeof buf;
  uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (x < 0) {
    *--p = '-';
  }
  return serde__buf_put(j->out, p, (size_t)(buf + sizeof buf - p));
}

static serde_code_t put_scalar(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  int32_t i = 0;
  int64_t l = 0;
  int b = 0;
  float f = 0;
  double x = 0;
  switch (n->kind) {
    case SCH_AVRO_NULL:
      AVRO_TRY(j, n, avro_value_get_null(v));
      return serde__buf_puts(j->out, "null");
    case SCH_AVRO_BOOLEAN:
      AVRO_TRY(j, n, avro_value_get_boolean(v, &b));
      return serde__buf_puts(j->out, b ? "true" : "false");
    case SCH_AVRO_INT:
      AVRO_TRY(j, n, avro_value_get_int(v, &i));
      return put_integer(j, i);
    case SCH_AVRO_LONG:
      AVRO_TRY(j, n, avro_value_get_long(v, &l));
      return put_integer(j, l);
    case SCH_AVRO_FLOAT:
      AVRO_TRY(j, n, avro_value_get_float(v, &f));
      return put_real(j, f, true);
    default:
      AVRO_TRY(j, n, avro_value_get_double(v, &x));
      return put_real(j, x, false);
  }
}

/* ---- strings and bytes --------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
  if (len == 0 || len > n) {
    return 0;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      return 0;
    }
  }
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
      (c == 0xF4 && s[1] > 0x8F)) {
    return 0; /* overlong, surrogate, beyond U+10FFFF */
  }
  return len;
}

/* A string as JSON; invalid UTF-8 sequences become U+FFFD. */
static serde_code_t put_text(jout_t *j, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n && u[i] < 0x80) {
    i++;
  }
  for (size_t k; i < n; i += k) {
    if ((k = utf8_len(u + i, n - i)) == 0) {
      break;
    }
  }
  if (i == n) {
    return serde__buf_json_string(j->out, s, n);
  }
  serde_buf_t fixed = {0};
  serde_code_t code = SERDE_OK;
  for (i = 0; i < n && code == SERDE_OK;) {
    size_t k = utf8_len(u + i, n - i);
    code = k ? serde__buf_put(&fixed, u + i, k) : serde__buf_put(&fixed, "\xEF\xBF\xBD", 3);
    i += k ? k : 1;
  }
  if (code == SERDE_OK) {
    code = serde__buf_json_string(j->out, (const char *)fixed.data, fixed.len);
  }
  serde_buf_fini(&fixed);
  return code;
}

/* Bytes as an ISO-8859-1 string: printable ASCII as is, the rest \u00XX. */
static serde_code_t put_latin1(jout_t *j, const uint8_t *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  if (n > (SIZE_MAX - 2) / 6) {
    return SERDE_ERR_NOMEM;
  }
  TRY(serde__buf_reserve(j->out, 2 + 6 * n));
  char *o = (char *)j->out->data + j->out->len;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      *o++ = (char)c;
    } else {
      memcpy(o, "\\u00", 4);
      o[4] = hex[c >> 4];
      o[5] = hex[c & 15];
      o += 6;
    }
  }
  *o++ = '"';
  j->out->len = (size_t)(o - (char *)j->out->data);
  return SERDE_OK;
}

static serde_code_t put_blob(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  const void *p = NULL;
  size_t size = 0;
  switch (n->kind) {
    case SCH_AVRO_STRING:
      AVRO_TRY(j, n, avro_value_get_string(v, (const char **)&p, &size));
      return put_text(j, p, size ? size - 1 : 0); /* avro-c sizes include the NUL */
    case SCH_AVRO_BYTES:
      AVRO_TRY(j, n, avro_value_get_bytes(v, &p, &size));
      return put_latin1(j, p, size);
    default:
      AVRO_TRY(j, n, avro_value_get_fixed(v, &p, &size));
      return put_latin1(j, p, size);
  }
}

static serde_code_t put_enum(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  int i = -1;
  AVRO_TRY(j, n, avro_value_get_enum(v, &i));
  if (i < 0 || (size_t)i >= n->n_symbols) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "enum %s has no symbol %d", n->name.full, i);
  }
  return serde__buf_json_string(j->out, n->symbols[i], strlen(n->symbols[i]));
}

/* ---- compound types --------------------------------------------------------------- */

static serde_code_t put_record(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  size_t size = 0;
  AVRO_TRY(j, n, avro_value_get_size(v, &size));
  if (size != n->n_fields) {
    return shape(j, n);
  }
  TRY(serde__buf_putc(j->out, '{'));
  for (size_t i = 0; i < n->n_fields; i++) {
    avro_value_t field;
    AVRO_TRY(j, n, avro_value_get_by_index(v, i, &field, NULL));
    const char *name = n->fields[i].name;
    TRY(serde__buf_json_string(j->out, name, strlen(name)));
    TRY(serde__buf_putc(j->out, ':'));
    serde_code_t code = walk(j, n->fields[i].type, &field);
    if (code != SERDE_OK) {
      serde__avro_path_seg(j->path, name, NULL, 0);
      return code;
    }
    if (i + 1 < n->n_fields) {
      TRY(serde__buf_putc(j->out, ','));
    }
  }
  return serde__buf_putc(j->out, '}');
}

static serde_code_t put_items(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  bool map = n->kind == SCH_AVRO_MAP;
  size_t size = 0;
  AVRO_TRY(j, n, avro_value_get_size(v, &size));
  TRY(serde__buf_putc(j->out, map ? '{' : '['));
  for (size_t i = 0; i < size; i++) {
    avro_value_t elem;
    const char *key = NULL;
    AVRO_TRY(j, n, avro_value_get_by_index(v, i, &elem, map ? &key : NULL));
    if (i) {
      TRY(serde__buf_putc(j->out, ','));
    }
    if (map) {
      TRY(put_text(j, key ? key : "", key ? strlen(key) : 0));
      TRY(serde__buf_putc(j->out, ':'));
    }
    serde_code_t code = walk(j, n->child, &elem);
    if (code != SERDE_OK) {
      serde__avro_path_seg(j->path, NULL, key, i);
      return code;
    }
  }
  return serde__buf_putc(j->out, map ? '}' : ']');
}

/* null for the null branch, else {"<full name or type name>": value}. */
static serde_code_t put_union(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  int d = -1;
  avro_value_t branch;
  AVRO_TRY(j, n, avro_value_get_discriminant(v, &d));
  if (d < 0 || (size_t)d >= n->n_branches) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "union value has no branch selected (%d)", d);
  }
  AVRO_TRY(j, n, avro_value_get_current_branch(v, &branch));
  const sch_avro_node_t *b = n->branches[d];
  if (b->kind == SCH_AVRO_NULL) {
    return walk(j, b, &branch);
  }
  const char *name = serde__avro_type_name(b);
  TRY(serde__buf_putc(j->out, '{'));
  TRY(serde__buf_json_string(j->out, name, strlen(name)));
  TRY(serde__buf_putc(j->out, ':'));
  TRY(walk(j, b, &branch));
  return serde__buf_putc(j->out, '}');
}

static serde_code_t walk(jout_t *j, const sch_avro_node_t *n, const avro_value_t *v) {
  static const avro_type_t types[] = {
      [SCH_AVRO_NULL] = AVRO_NULL,   [SCH_AVRO_BOOLEAN] = AVRO_BOOLEAN, [SCH_AVRO_INT] = AVRO_INT32,
      [SCH_AVRO_LONG] = AVRO_INT64,  [SCH_AVRO_FLOAT] = AVRO_FLOAT,     [SCH_AVRO_DOUBLE] = AVRO_DOUBLE,
      [SCH_AVRO_BYTES] = AVRO_BYTES, [SCH_AVRO_STRING] = AVRO_STRING,   [SCH_AVRO_RECORD] = AVRO_RECORD,
      [SCH_AVRO_ENUM] = AVRO_ENUM,   [SCH_AVRO_ARRAY] = AVRO_ARRAY,     [SCH_AVRO_MAP] = AVRO_MAP,
      [SCH_AVRO_UNION] = AVRO_UNION, [SCH_AVRO_FIXED] = AVRO_FIXED,
  };
  if (j->depth >= JSON_OUT_MAX_DEPTH) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "value nests deeper than %d", JSON_OUT_MAX_DEPTH);
  }
  if (avro_value_get_type(v) != types[n->kind]) {
    return shape(j, n);
  }
  j->depth++;
  serde_code_t code;
  switch (n->kind) {
    case SCH_AVRO_RECORD:
      code = put_record(j, n, v);
      break;
    case SCH_AVRO_ARRAY:
    case SCH_AVRO_MAP:
      code = put_items(j, n, v);
      break;
    case SCH_AVRO_UNION:
      code = put_union(j, n, v);
      break;
    case SCH_AVRO_ENUM:
      code = put_enum(j, n, v);
      break;
    case SCH_AVRO_STRING:
    case SCH_AVRO_BYTES:
    case SCH_AVRO_FIXED:
      code = put_blob(j, n, v);
      break;
    default:
      code = put_scalar(j, n, v);
  }
  j->depth--;
  return code;
}

serde_code_t serde__avro_to_json(const sch_avro_node_t *node, const avro_value_t *v, serde_buf_t *out,
                                 serde_error_t *err) {
  if (!node || !v || !v->iface || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "no schema, value or buffer");
  }
  serde_avro_path_t path;
  serde__avro_path_init(&path);
  jout_t j = {.out = out, .err = err, .path = &path};
  size_t start = out->len;
  serde_code_t code = walk(&j, node, v);
  if (code == SERDE_ERR_NOMEM) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory writing avro json");
  } else if (code != SERDE_OK) {
    serde__avro_path_apply(&path, err);
  }
  if (code != SERDE_OK) {
    out->len = start;
  }
  return code;
}
