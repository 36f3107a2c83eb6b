// SPDX-License-Identifier: Apache-2.0
/* Avro's JSON encoding in: a jansson tree checked against a schema model
 * node and stored either into an avro-c generic value (serde__avro_from_json,
 * for applications and the REST Proxy) or as Avro binary
 * (serde__avro_json_to_binary, for the resolver's pre-encoded defaults). One
 * walk serves both, so a default and a request body follow the same rules.
 * Parsing JSON text is the caller's (jansson); writing JSON is
 * avro_json_out.c's. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "avro_program.h"

typedef struct jin {
  serde_error_t *err;
  serde_buf_t *bin; /* binary output; NULL = store into values */
  serde_avro_path_t *path;
  int depth;
  serde_buf_t scratch; /* bytes and fixed decoded from ISO-8859-1 */
} jin_t;

static serde_code_t walk(jin_t *j, const sch_avro_node_t *n, const json_t *js, serde_avro_json_mode_t mode,
                         avro_value_t *v);

#define TRY(call) SERDE_TRY(call)

/* ---- errors ------------------------------------------------------------ */

/* A short description of a JSON value for messages: `"abc"`, `12`, `an object`. */
static const char *describe(const json_t *js, char *buf, size_t size) {
  switch (json_typeof(js)) {
    case JSON_OBJECT:
      return "an object";
    case JSON_ARRAY:
      return "an array";
    case JSON_STRING:
      snprintf(buf, size, "\"%.40s%s\"", json_string_value(js), json_string_length(js) > 40 ? "..." : "");
      return buf;
    case JSON_INTEGER:
      snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(js));
      return buf;
    case JSON_REAL:
      snprintf(buf, size, "%.15g", json_real_value(js));
      if (strtod(buf, NULL) != json_real_value(js)) {
        snprintf(buf, size, "%.17g", json_real_value(js));
      }
      return buf;
    case JSON_TRUE:
      return "true";
    case JSON_FALSE:
      return "false";
    default:
      return "null";
  }
}

__attribute__((noinline)) static serde_code_t mismatch(jin_t *j, const char *want, const json_t *js) {
  char buf[64];
  return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "expected %s, got %s", want,
                     describe(js, buf, sizeof buf));
}

/* avro-c setters fail only on out of memory or on a value of another shape. */
serde_code_t serde__avro_failed(serde_error_t *err, int rc, serde_code_t shape_code, const char *what) {
  if (rc == ENOMEM) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory storing the value");
  }
  return serde__fail(err, shape_code, "the avro value does not have %s shape: %s", what, avro_strerror());
}

#define AVRO_TRY(j, call) SERDE_AVRO_TRY((j)->err, SERDE_ERR_VALUE_INVALID, "the schema's", call)

/* ---- the binary sink ------------------------------------------------------- */

static serde_code_t bin_long(jin_t *j, int64_t x) {
  uint8_t b[10];
  size_t n = 0;
  uint64_t z = ((uint64_t)x << 1) ^ (uint64_t)(x >> 63);
  while (z >= 0x80) {
    b[n++] = (uint8_t)(z | 0x80);
    z >>= 7;
  }
  b[n++] = (uint8_t)z;
  return serde__buf_put(j->bin, b, n);
}

static serde_code_t bin_le(jin_t *j, uint64_t bits, size_t n) {
  uint8_t b[8];
  for (size_t i = 0; i < n; i++) {
    b[i] = (uint8_t)(bits >> (8 * i));
  }
  return serde__buf_put(j->bin, b, n);
}

static serde_code_t bin_bytes(jin_t *j, const void *p, size_t n) {
  TRY(bin_long(j, (int64_t)n));
  return serde__buf_put(j->bin, p, n);
}

/* ---- scalars ------------------------------------------------------------------ */

/* A JSON integer, or a real with no fraction, within [lo, hi]. */
static serde_code_t integral(jin_t *j, const json_t *js, long long lo, long long hi, const char *want,
                             long long *out) {
  if (json_is_integer(js)) {
    *out = json_integer_value(js);
  } else if (json_is_real(js)) {
    double x = json_real_value(js);
    if (x != floor(x) || !(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
      return mismatch(j, want, js);
    }
    *out = (long long)x;
  } else {
    return mismatch(j, want, js);
  }
  if (*out < lo || *out > hi) {
    char buf[64];
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s out of range for %s",
                       describe(js, buf, sizeof buf), want);
  }
  return SERDE_OK;
}

/* A JSON number, or "NaN", "Infinity", "-Infinity" as Java's encoders write them. */
static serde_code_t floating(jin_t *j, const json_t *js, bool is_float, double *out) {
  const char *want = is_float ? "float" : "double";
  if (json_is_number(js)) {
    *out = json_number_value(js);
    if (is_float && isfinite(*out) && isinf((float)*out)) {
      char buf[64];
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s out of range for float",
                         describe(js, buf, sizeof buf));
    }
    return SERDE_OK;
  }
  const char *s = json_is_string(js) ? json_string_value(js) : "";
  if (strcmp(s, "NaN") == 0) {
    *out = NAN;
  } else if (strcmp(s, "Infinity") == 0) {
    *out = INFINITY;
  } else if (strcmp(s, "-Infinity") == 0) {
    *out = -INFINITY;
  } else {
    return mismatch(j, want, js);
  }
  return SERDE_OK;
}

/* Decodes a JSON string's code points U+0000..U+00FF into j->scratch. */
static serde_code_t latin1(jin_t *j, const json_t *js, const char *want) {
  if (!json_is_string(js)) {
    return mismatch(j, want, js);
  }
  const unsigned char *s = (const unsigned char *)json_string_value(js);
  size_t n = json_string_length(js);
  j->scratch.len = 0;
  TRY(serde__buf_reserve(&j->scratch, n));
  for (size_t i = 0; i < n; i++) {
    unsigned c = s[i];
    if (c >= 0x80) {
      /* jansson strings are valid UTF-8: only 0xC2/0xC3 lead bytes stay <= U+00FF */
      if ((c != 0xC2 && c != 0xC3) || i + 1 >= n) {
        return serde__fail(j->err, SERDE_ERR_VALUE_INVALID,
                           "%s: character at byte %zu is beyond U+00FF (bytes are ISO-8859-1 strings)", want,
                           i);
      }
      c = ((c & 0x1f) << 6) | (s[++i] & 0x3f);
    }
    j->scratch.data[j->scratch.len++] = (uint8_t)c;
  }
  return SERDE_OK;
}

static serde_code_t put_string(jin_t *j, const json_t *js, avro_value_t *v) {
  if (!json_is_string(js)) {
    return mismatch(j, "string", js);
  }
  if (j->bin) {
    return bin_bytes(j, json_string_value(js), json_string_length(js));
  }
  AVRO_TRY(j, avro_value_set_string_len(v, json_string_value(js), json_string_length(js) + 1));
  return SERDE_OK;
}

static serde_code_t put_bytes(jin_t *j, const sch_avro_node_t *n, const json_t *js, avro_value_t *v) {
  bool fixed = n->kind == SCH_AVRO_FIXED;
  TRY(latin1(j, js, fixed ? n->name.full : "bytes"));
  if (fixed && j->scratch.len != (size_t)n->size) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "fixed %s needs %d bytes, got %zu", n->name.full,
                       n->size, j->scratch.len);
  }
  if (j->bin) {
    return fixed ? serde__buf_put(j->bin, j->scratch.data, j->scratch.len)
                 : bin_bytes(j, j->scratch.data, j->scratch.len);
  }
  static uint8_t empty[1]; /* avro-c refuses a NULL buffer even for size 0 */
  uint8_t *data = j->scratch.data ? j->scratch.data : empty;
  AVRO_TRY(j, fixed ? avro_value_set_fixed(v, data, j->scratch.len)
                    : avro_value_set_bytes(v, data, j->scratch.len));
  return SERDE_OK;
}

static serde_code_t put_enum(jin_t *j, const sch_avro_node_t *n, const json_t *js, avro_value_t *v) {
  const char *s = json_is_string(js) ? json_string_value(js) : NULL;
  for (size_t i = 0; s && i < n->n_symbols; i++) {
    if (strcmp(n->symbols[i], s) == 0) {
      if (j->bin) {
        return bin_long(j, (int64_t)i);
      }
      AVRO_TRY(j, avro_value_set_enum(v, (int)i));
      return SERDE_OK;
    }
  }
  char want[300];
  snprintf(want, sizeof want, "a symbol of enum %s", n->name.full);
  return mismatch(j, want, js);
}

static serde_code_t put_number(jin_t *j, const sch_avro_node_t *n, const json_t *js, avro_value_t *v) {
  long long i = 0;
  double x = 0;
  switch (n->kind) {
    case SCH_AVRO_INT:
      TRY(integral(j, js, INT32_MIN, INT32_MAX, "int", &i));
      if (j->bin) {
        return bin_long(j, i);
      }
      AVRO_TRY(j, avro_value_set_int(v, (int32_t)i));
      return SERDE_OK;
    case SCH_AVRO_LONG:
      TRY(integral(j, js, INT64_MIN, INT64_MAX, "long", &i));
      if (j->bin) {
        return bin_long(j, i);
      }
      AVRO_TRY(j, avro_value_set_long(v, i));
      return SERDE_OK;
    case SCH_AVRO_FLOAT: {
      TRY(floating(j, js, true, &x));
      float f = (float)x;
      uint32_t bits;
      memcpy(&bits, &f, 4);
      if (j->bin) {
        return bin_le(j, bits, 4);
      }
      AVRO_TRY(j, avro_value_set_float(v, f));
      return SERDE_OK;
    }
    default: {
      TRY(floating(j, js, false, &x));
      uint64_t bits;
      memcpy(&bits, &x, 8);
      if (j->bin) {
        return bin_le(j, bits, 8);
      }
      AVRO_TRY(j, avro_value_set_double(v, x));
      return SERDE_OK;
    }
  }
}

static serde_code_t put_simple(jin_t *j, const sch_avro_node_t *n, const json_t *js, avro_value_t *v) {
  switch (n->kind) {
    case SCH_AVRO_NULL:
      if (!json_is_null(js)) {
        return mismatch(j, "null", js);
      }
      if (!j->bin) {
        AVRO_TRY(j, avro_value_set_null(v));
      }
      return SERDE_OK;
    case SCH_AVRO_BOOLEAN:
      if (!json_is_boolean(js)) {
        return mismatch(j, "boolean", js);
      }
      if (j->bin) {
        return serde__buf_putc(j->bin, json_is_true(js) ? 1 : 0);
      }
      AVRO_TRY(j, avro_value_set_boolean(v, json_is_true(js)));
      return SERDE_OK;
    case SCH_AVRO_STRING:
      return put_string(j, js, v);
    case SCH_AVRO_BYTES:
    case SCH_AVRO_FIXED:
      return put_bytes(j, n, js, v);
    case SCH_AVRO_ENUM:
      return put_enum(j, n, js, v);
    default:
      return put_number(j, n, js, v);
  }
}

/* ---- compound types ---------------------------------------------------------------- */

static serde_code_t put_array(jin_t *j, const sch_avro_node_t *n, const json_t *js,
                              serde_avro_json_mode_t mode, avro_value_t *v) {
  if (!json_is_array(js)) {
    return mismatch(j, "an array", js);
  }
  size_t size = json_array_size(js);
  if (j->bin && size) {
    TRY(bin_long(j, (int64_t)size));
  }
  for (size_t i = 0; i < size; i++) {
    avro_value_t elem;
    if (!j->bin) {
      AVRO_TRY(j, avro_value_append(v, &elem, NULL));
    }
    serde_code_t code = walk(j, n->child, json_array_get(js, i), mode, j->bin ? NULL : &elem);
    if (code != SERDE_OK) {
      serde__avro_path_seg(j->path, NULL, NULL, i);
      return code;
    }
  }
  return j->bin ? bin_long(j, 0) : SERDE_OK;
}

static serde_code_t put_map(jin_t *j, const sch_avro_node_t *n, const json_t *js, serde_avro_json_mode_t mode,
                            avro_value_t *v) {
  if (!json_is_object(js)) {
    return mismatch(j, "an object (map)", js);
  }
  if (j->bin && json_object_size(js)) {
    TRY(bin_long(j, (int64_t)json_object_size(js)));
  }
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)js, key, val) {
    avro_value_t elem;
    if (j->bin) {
      TRY(bin_bytes(j, key, strlen(key)));
    } else {
      AVRO_TRY(j, avro_value_add(v, key, &elem, NULL, NULL));
    }
    serde_code_t code = walk(j, n->child, val, mode, j->bin ? NULL : &elem);
    if (code != SERDE_OK) {
      serde__avro_path_seg(j->path, NULL, key, 0);
      return code;
    }
  }
  return j->bin ? bin_long(j, 0) : SERDE_OK;
}

/* The JSON member for field f: by name, else by one of its aliases. */
static const json_t *field_json(const json_t *obj, const sch_avro_field_t *f) {
  const json_t *fv = json_object_get(obj, f->name);
  for (size_t a = 0; !fv && a < f->n_aliases; a++) {
    fv = json_object_get(obj, f->aliases[a]);
  }
  return fv;
}

static serde_code_t unknown_field(jin_t *j, const sch_avro_node_t *n, const json_t *obj) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool known = false;
    for (size_t i = 0; !known && i < n->n_fields; i++) {
      known = strcmp(n->fields[i].name, key) == 0;
      for (size_t a = 0; !known && a < n->fields[i].n_aliases; a++) {
        known = strcmp(n->fields[i].aliases[a], key) == 0;
      }
    }
    if (!known) {
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "unknown field \"%s\" for record %s", key,
                         n->name.full);
    }
  }
  return SERDE_OK;
}

/* Missing fields take their defaults; unknown members are an error, except
 * inside a default (Java ignores them there). */
static serde_code_t put_record(jin_t *j, const sch_avro_node_t *n, const json_t *js,
                               serde_avro_json_mode_t mode, avro_value_t *v) {
  if (!json_is_object(js)) {
    char want[300];
    snprintf(want, sizeof want, "an object (record %s)", n->name.full);
    return mismatch(j, want, js);
  }
  size_t found = 0;
  for (size_t i = 0; i < n->n_fields; i++) {
    const sch_avro_field_t *f = &n->fields[i];
    const json_t *fv = field_json(js, f);
    serde_avro_json_mode_t fmode = fv ? mode : SERDE_AVRO_JSON_DEFAULT;
    found += fv != NULL;
    avro_value_t field;
    serde_code_t code = SERDE_OK;
    if (!fv && !(fv = f->deflt)) {
      code = serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "missing field (it has no default)");
    } else if (!j->bin && avro_value_get_by_index(v, i, &field, NULL) != 0) {
      code = serde__avro_failed(j->err, EINVAL, SERDE_ERR_VALUE_INVALID, "the schema's");
    } else {
      code = walk(j, f->type, fv, fmode, j->bin ? NULL : &field);
    }
    if (code != SERDE_OK) {
      serde__avro_path_seg(j->path, f->name, NULL, 0);
      return code;
    }
  }
  if (mode == SERDE_AVRO_JSON_ENCODING && found != json_object_size(js)) {
    return unknown_field(j, n, js);
  }
  return SERDE_OK;
}

/* The branch a union member key names: full name or type name, then short name. */
static long branch_named(const sch_avro_node_t *n, const char *key) {
  for (size_t i = 0; i < n->n_branches; i++) {
    if (strcmp(serde__avro_type_name(n->branches[i]), key) == 0) {
      return (long)i;
    }
  }
  for (size_t i = 0; i < n->n_branches; i++) {
    const sch_avro_node_t *b = n->branches[i];
    if (sch_avro_is_named(b->kind) && b->name.name && strcmp(b->name.name, key) == 0) {
      return (long)i;
    }
  }
  return -1;
}

static serde_code_t put_union(jin_t *j, const sch_avro_node_t *n, const json_t *js,
                              serde_avro_json_mode_t mode, avro_value_t *v) {
  long b = -1;
  const json_t *inner = js;
  if (mode == SERDE_AVRO_JSON_DEFAULT) {
    b = n->n_branches ? 0 : -1; /* a union default is a value of the first branch */
  } else if (json_is_null(js)) {
    b = branch_named(n, "null");
  } else if (json_is_object(js) && json_object_size(js) == 1) {
    const char *key = json_object_iter_key(json_object_iter((json_t *)js));
    inner = json_object_get(js, key);
    if ((b = branch_named(n, key)) < 0) {
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "\"%s\" is not a branch of the union", key);
    }
  }
  if (b < 0) {
    return mismatch(j, "a union value ({\"<branch>\": value} or null)", js);
  }
  avro_value_t branch;
  if (j->bin) {
    TRY(bin_long(j, b));
  } else {
    AVRO_TRY(j, avro_value_set_branch(v, (int)b, &branch));
  }
  return walk(j, n->branches[b], inner, mode, j->bin ? NULL : &branch);
}

static serde_code_t walk(jin_t *j, const sch_avro_node_t *n, const json_t *js, serde_avro_json_mode_t mode,
                         avro_value_t *v) {
  if (j->depth >= SERDE_AVRO_MAX_JSON_DEPTH) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "nested deeper than %d", SERDE_AVRO_MAX_JSON_DEPTH);
  }
  j->depth++;
  serde_code_t code;
  switch (n->kind) {
    case SCH_AVRO_RECORD:
      code = put_record(j, n, js, mode, v);
      break;
    case SCH_AVRO_ARRAY:
      code = put_array(j, n, js, mode, v);
      break;
    case SCH_AVRO_MAP:
      code = put_map(j, n, js, mode, v);
      break;
    case SCH_AVRO_UNION:
      code = put_union(j, n, js, mode, v);
      break;
    default:
      code = put_simple(j, n, js, v);
  }
  j->depth--;
  return code;
}

/* ---- entry points ------------------------------------------------------------------- */

static serde_code_t run(const sch_avro_node_t *node, const json_t *json, serde_avro_json_mode_t mode,
                        serde_buf_t *bin, avro_value_t *dst, serde_error_t *err) {
  if (!node || !json || (!bin && !dst)) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "no schema, json or destination");
  }
  serde_avro_path_t path;
  serde__avro_path_init(&path);
  jin_t j = {.err = err, .bin = bin, .path = &path};
  serde_code_t code = walk(&j, node, json, mode, dst);
  if (code == SERDE_ERR_NOMEM) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory converting json to avro");
  } else if (code != SERDE_OK) {
    serde__avro_path_apply(&path, err);
  }
  serde_buf_fini(&j.scratch);
  return code;
}

serde_code_t serde__avro_from_json(const sch_avro_node_t *node, const json_t *json,
                                   serde_avro_json_mode_t mode, avro_value_t *dst, serde_error_t *err) {
  return run(node, json, mode, NULL, dst, err);
}

serde_code_t serde__avro_json_to_binary(const sch_avro_node_t *node, const json_t *json,
                                        serde_avro_json_mode_t mode, serde_buf_t *out, serde_error_t *err) {
  return run(node, json, mode, out, NULL, err);
}
