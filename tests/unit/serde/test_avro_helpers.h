// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the Avro codec unit tests (test_avro_resolve.c,
 * test_avro_decode.c, test_avro_json.c): a schema parsed both into weir's
 * model and into an avro-c generic class, values built from Avro JSON,
 * encoded with avro-c's own writer, and decoded with a (writer, reader)
 * program back to JSON text. Header-only so each test stays one executable;
 * every helper asserts on failure unless it returns a code. */
#ifndef WEIR_TESTS_SERDE_AVRO_HELPERS_H
#define WEIR_TESTS_SERDE_AVRO_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* cmocka.h needs the headers above */
#include <cmocka.h>

#include "avro_codec.h"
#include "schemas/avro_model.h"
#include "schemas/schemas.h"

typedef struct tschema {
  sch_schema_t *s;
  const sch_avro_node_t *root;
  avro_schema_t as;
  avro_value_iface_t *iface;
} tschema_t;

static inline void tschema_load(tschema_t *t, const char *text) {
  sch_error_t err = {0};
  sch_parse_opts_t opts = {.validate = false};
  t->s = sch_schema_parse(sch_format_find("AVRO"), text, strlen(text), &opts, &err);
  if (!t->s) {
    fail_msg("schema parse failed: %s: %s", err.message, text);
  }
  t->root = sch_avro_root(t->s);
  size_t len = 0;
  char *standalone = sch_avro_standalone_text(t->s, &len);
  assert_non_null(standalone);
  if (avro_schema_from_json_length(standalone, len, &t->as) != 0) {
    fail_msg("avro-c rejects %s: %s", standalone, avro_strerror());
  }
  free(standalone);
  t->iface = avro_generic_class_from_schema(t->as);
  assert_non_null(t->iface);
}

static inline void tschema_free(tschema_t *t) {
  avro_value_iface_decref(t->iface);
  avro_schema_decref(t->as);
  sch_schema_destroy(t->s);
  memset(t, 0, sizeof *t);
}

static inline void tvalue_new(const tschema_t *t, avro_value_t *v) {
  assert_int_equal(avro_generic_value_new(t->iface, v), 0);
}

/* A value of t from Avro JSON (encoding mode); asserts it converts. */
static inline void tvalue_from_json(const tschema_t *t, const char *json, avro_value_t *v) {
  json_error_t jerr;
  json_t *js = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  if (!js) {
    fail_msg("bad test json %s: %s", json, jerr.text);
  }
  tvalue_new(t, v);
  serde_error_t err = {0};
  serde_code_t code = serde__avro_from_json(t->root, js, SERDE_AVRO_JSON_ENCODING, v, &err);
  json_decref(js);
  if (code != SERDE_OK) {
    fail_msg("from_json %s: %s", json, err.message);
  }
}

/* Avro JSON of v (a value of t), as a malloc'd string. */
static inline char *tvalue_to_json(const tschema_t *t, const avro_value_t *v) {
  serde_buf_t buf = {0};
  serde_error_t err = {0};
  if (serde__avro_to_json(t->root, v, &buf, &err) != SERDE_OK) {
    fail_msg("to_json: %s", err.message);
  }
  char *s = strndup((const char *)buf.data, buf.len);
  serde_buf_fini(&buf);
  return s;
}

/* Avro binary of v with avro-c's writer; *len gets the size. */
static inline uint8_t *tvalue_encode(const avro_value_t *v, size_t *len) {
  static uint8_t buf[1 << 16];
  avro_writer_t w = avro_writer_memory((char *)buf, sizeof buf);
  assert_int_equal(avro_value_write(w, (avro_value_t *)v), 0);
  *len = (size_t)avro_writer_tell(w);
  avro_writer_free(w);
  uint8_t *out = malloc(*len ? *len : 1);
  memcpy(out, buf, *len);
  return out;
}

/* Decodes data written with wtext as rtext (NULL = wtext). On success
 * returns SERDE_OK and sets *json to the reader value's Avro JSON
 * (malloc'd); else the code, with err filled. */
static inline serde_code_t tdecode(const char *wtext, const char *rtext, const uint8_t *data, size_t len,
                                   const serde_avro_limits_t *lim, char **json, serde_error_t *err) {
  static const serde_avro_limits_t strict = {.max_depth = 64, .max_items = 1000000, .allow_trailing = false};
  tschema_t w, r;
  tschema_load(&w, wtext);
  tschema_load(&r, rtext ? rtext : wtext);
  *json = NULL;
  serde_avro_program_t *prog = serde__avro_program_new(w.root, rtext ? r.root : NULL, err);
  serde_code_t code = prog ? SERDE_OK : err->code;
  if (prog) {
    avro_value_t v;
    tvalue_new(&r, &v);
    code = serde__avro_decode(prog, data, len, lim ? lim : &strict, &v, err);
    if (code == SERDE_OK) {
      *json = tvalue_to_json(&r, &v);
    }
    avro_value_decref(&v);
    serde__avro_program_destroy(prog);
  }
  tschema_free(&w);
  tschema_free(&r);
  return code;
}

/* Writes wjson under wtext with avro-c, reads it back as rtext with a
 * program, and returns the reader's Avro JSON (malloc'd), or NULL with err. */
static inline char *tresolve(const char *wtext, const char *rtext, const char *wjson, serde_error_t *err) {
  tschema_t w;
  tschema_load(&w, wtext);
  avro_value_t v;
  tvalue_from_json(&w, wjson, &v);
  size_t len = 0;
  uint8_t *data = NULL;
  if (w.root->kind == SCH_AVRO_BYTES) { /* Confluent's raw bytes: no length prefix */
    const void *p = NULL;
    assert_int_equal(avro_value_get_bytes(&v, &p, &len), 0);
    data = malloc(len + 1);
    memcpy(data, p, len);
  } else {
    data = tvalue_encode(&v, &len);
  }
  avro_value_decref(&v);
  tschema_free(&w);
  char *json = NULL;
  tdecode(wtext, rtext, data, len, NULL, &json, err);
  free(data);
  return json;
}

/* Asserts tresolve gives want. */
#define assert_resolves(wtext, rtext, wjson, want)         \
  do {                                                     \
    serde_error_t e_ = {0};                                \
    char *got_ = tresolve((wtext), (rtext), (wjson), &e_); \
    if (!got_) {                                           \
      fail_msg("resolve failed: %s", e_.message);          \
    }                                                      \
    assert_string_equal(got_, (want));                     \
    free(got_);                                            \
  } while (0)

/* Asserts err's code and that its message contains want. */
#define assert_error(code, err, want_code, want)                      \
  do {                                                                \
    assert_int_equal((code), (want_code));                            \
    if (!strstr((err).message, (want))) {                             \
      fail_msg("message \"%s\" lacks \"%s\"", (err).message, (want)); \
    }                                                                 \
  } while (0)

#endif
