// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_json_in.c and avro_json_out.c: Avro JSON encoding to avro-c
 * values and back (round trips of every type, NaN and infinities, bytes
 * with NUL, unions named by full, short and type names), the checks on the
 * way in with their paths, the number printing on the way out, and the
 * binary form the resolver uses for defaults. */
#include <math.h>

#include "avro_program.h"
#include "test_avro_helpers.h"

#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"

/* json -> value -> json, compared with want (NULL = json itself). */
static void assert_round_trip(const char *schema, const char *json, const char *want) {
  tschema_t t;
  tschema_load(&t, schema);
  avro_value_t v;
  tvalue_from_json(&t, json, &v);
  char *got = tvalue_to_json(&t, &v);
  assert_string_equal(got, want ? want : json);
  /* and the output reads back to an equal value (avro-c's NaN != NaN) */
  if (!strstr(got, "NaN")) {
    avro_value_t again;
    tvalue_from_json(&t, got, &again);
    assert_true(avro_value_equal(&v, &again));
    avro_value_decref(&again);
  }
  free(got);
  avro_value_decref(&v);
  tschema_free(&t);
}

/* Expects json (mode) to be rejected with VALUE_INVALID and exactly want. */
static void assert_json_error(const char *schema, const char *json, serde_avro_json_mode_t mode,
                              const char *want) {
  tschema_t t;
  tschema_load(&t, schema);
  json_t *js = json_loads(json, JSON_DECODE_ANY, NULL);
  assert_non_null(js);
  avro_value_t v;
  tvalue_new(&t, &v);
  serde_error_t err = {0};
  assert_int_equal(serde__avro_from_json(t.root, js, mode, &v, &err), SERDE_ERR_VALUE_INVALID);
  assert_string_equal(err.message, want);
  avro_value_decref(&v);
  json_decref(js);
  tschema_free(&t);
}

static void test_avro_json_round_trips_every_type(void **state) {
  (void)state;
  const char *s =
      REC("{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
          "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
          "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
          "{\"name\":\"y\",\"type\":\"bytes\"},{\"name\":\"s\",\"type\":\"string\"},"
          "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":3}},"
          "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
          "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
          "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
          "{\"name\":\"u\",\"type\":[\"null\",\"F\",{\"type\":\"map\",\"values\":\"int\"}]}");
  assert_round_trip(
      s,
      "{\"n\":null,\"b\":false,\"i\":-2147483648,\"l\":9223372036854775807,\"f\":3.4028235e+38,"
      "\"d\":-1.7976931348623157e+308,\"y\":\"\\u0000\\u0001\\u00ff\",\"s\":\"tab\\tquote\\\"\xe2\x82\xac\","
      "\"x\":\"\\u00ff\\u0000z\",\"e\":\"B\",\"a\":[\"\",\"q\"],\"m\":{\"k\\\"\":-1},\"u\":{\"map\":{\"z\":1}"
      "}}",
      NULL);
}

static void test_avro_json_writes_non_finite_numbers_as_java_strings(void **state) {
  (void)state;
  const char *s =
      REC("{\"name\":\"f\",\"type\":{\"type\":\"array\",\"items\":\"float\"}},"
          "{\"name\":\"d\",\"type\":{\"type\":\"array\",\"items\":\"double\"}}");
  assert_round_trip(
      s, "{\"f\":[\"NaN\",\"Infinity\",\"-Infinity\"],\"d\":[\"NaN\",\"-Infinity\",\"Infinity\"]}", NULL);
  tschema_t t;
  tschema_load(&t, "\"double\"");
  avro_value_t v;
  tvalue_from_json(&t, "\"NaN\"", &v);
  double x = 0;
  avro_value_get_double(&v, &x);
  assert_true(isnan(x));
  avro_value_decref(&v);
  tschema_free(&t);
}

static void test_avro_json_prints_shortest_round_trip_numbers(void **state) {
  (void)state;
  assert_round_trip("\"float\"", "0.1", NULL);
  assert_round_trip("\"float\"", "0.33333334", NULL);
  assert_round_trip("\"float\"", "1.17549435e-38", "1.1754944e-38");
  assert_round_trip("\"float\"", "1e-45", NULL); /* subnormal */
  assert_round_trip("\"float\"", "16777216", "16777216.0");
  assert_round_trip("\"double\"", "0.1", NULL);
  assert_round_trip("\"double\"", "0.30000000000000004", NULL);
  assert_round_trip("\"double\"", "5e-324", "5e-324");
  assert_round_trip("\"double\"", "123456789012345680", "1.2345678901234568e+17");
  assert_round_trip("\"double\"", "1", "1.0");
  assert_round_trip("\"double\"", "-0.0", NULL);
  assert_round_trip("\"double\"", "1e300", "1e+300");
  assert_round_trip("\"double\"", "1e22", "1e+22");
  assert_round_trip("\"double\"", "2.5e-320", "2.5e-320"); /* subnormal */
}

static void test_avro_json_bytes_keep_nul_and_reject_wide_characters(void **state) {
  (void)state;
  assert_round_trip("\"bytes\"", "\"a\\u0000b\xc3\xbf\"", "\"a\\u0000b\\u00ff\"");
  assert_json_error("\"bytes\"", "\"\\u0100\"", SERDE_AVRO_JSON_ENCODING,
                    "$: bytes: character at byte 0 is beyond U+00FF (bytes are ISO-8859-1 strings)");
  assert_json_error("{\"type\":\"fixed\",\"name\":\"ns.F\",\"size\":2}", "\"abc\"", SERDE_AVRO_JSON_ENCODING,
                    "$: fixed ns.F needs 2 bytes, got 3");
}

static void test_avro_json_accepts_empty_bytes_and_zero_size_fixed(void **state) {
  (void)state;
  /* avro-c refuses a NULL buffer even for 0 bytes (found by the fuzzer) */
  assert_round_trip(REC("{\"name\":\"y\",\"type\":\"bytes\"},{\"name\":\"z\",\"type\":{\"type\":\"fixed\","
                        "\"name\":\"F0\",\"size\":0}}"),
                    "{\"y\":\"\",\"z\":\"\"}", NULL);
}

static void test_avro_json_union_branches_by_full_short_and_type_name(void **state) {
  (void)state;
  const char *s =
      "[\"null\",\"int\",{\"type\":\"record\",\"name\":\"P\",\"namespace\":\"ns.y\","
      "\"fields\":[{\"name\":\"q\",\"type\":\"string\"}]},{\"type\":\"enum\",\"name\":\"x.E\","
      "\"symbols\":[\"A\"]},{\"type\":\"array\",\"items\":\"long\"}]";
  assert_round_trip(s, "{\"ns.y.P\":{\"q\":\"v\"}}", NULL);
  assert_round_trip(s, "{\"P\":{\"q\":\"v\"}}", "{\"ns.y.P\":{\"q\":\"v\"}}");
  assert_round_trip(s, "{\"E\":\"A\"}", "{\"x.E\":\"A\"}");
  assert_round_trip(s, "{\"int\":3}", NULL);
  assert_round_trip(s, "{\"array\":[1]}", NULL);
  assert_round_trip(s, "null", NULL);
  assert_round_trip(s, "{\"null\":null}", "null");
  assert_json_error(s, "{\"long\":1}", SERDE_AVRO_JSON_ENCODING, "$: \"long\" is not a branch of the union");
  assert_json_error(s, "3", SERDE_AVRO_JSON_ENCODING,
                    "$: expected a union value ({\"<branch>\": value} or null), got 3");
  assert_json_error(s, "{\"int\":1,\"null\":null}", SERDE_AVRO_JSON_ENCODING,
                    "$: expected a union value ({\"<branch>\": value} or null), got an object");
}

static void test_avro_json_checks_number_ranges(void **state) {
  (void)state;
  const char *s = REC("{\"name\":\"i\",\"type\":\"int\"}");
  assert_round_trip(s, "{\"i\":1.0}", "{\"i\":1}");
  assert_json_error(s, "{\"i\":2147483648}", SERDE_AVRO_JSON_ENCODING,
                    "$.i: 2147483648 out of range for int");
  assert_json_error(s, "{\"i\":1.5}", SERDE_AVRO_JSON_ENCODING, "$.i: expected int, got 1.5");
  assert_json_error(s, "{\"i\":\"1\"}", SERDE_AVRO_JSON_ENCODING, "$.i: expected int, got \"1\"");
  assert_json_error("\"long\"", "1e19", SERDE_AVRO_JSON_ENCODING, "$: expected long, got 1e+19");
  assert_json_error("\"float\"", "1e39", SERDE_AVRO_JSON_ENCODING, "$: 1e+39 out of range for float");
  assert_json_error("\"double\"", "\"nan\"", SERDE_AVRO_JSON_ENCODING, "$: expected double, got \"nan\"");
}

static void test_avro_json_error_names_the_path(void **state) {
  (void)state;
  const char *s =
      REC("{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"I\","
          "\"fields\":[{\"name\":\"price\",\"type\":\"double\"}]}}},"
          "{\"name\":\"tags\",\"type\":{\"type\":\"map\",\"values\":\"boolean\"}}");
  assert_json_error(s, "{\"items\":[{\"price\":1},{\"price\":2},{\"price\":\"x\"}],\"tags\":{}}",
                    SERDE_AVRO_JSON_ENCODING, "$.items[2].price: expected double, got \"x\"");
  assert_json_error(s, "{\"items\":[],\"tags\":{\"k\":1}}", SERDE_AVRO_JSON_ENCODING,
                    "$.tags[\"k\"]: expected boolean, got 1");
}

static void test_avro_json_missing_fields_take_defaults_and_unknown_fields_fail(void **state) {
  (void)state;
  const char *s = REC(
      "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null},"
      "{\"name\":\"c\",\"type\":[\"string\",\"null\"],\"default\":\"d\"},"
      "{\"name\":\"n\",\"type\":\"long\",\"aliases\":[\"old\"],\"default\":0}");
  assert_round_trip(s, "{\"a\":1}", "{\"a\":1,\"b\":null,\"c\":{\"string\":\"d\"},\"n\":0}");
  assert_round_trip(s, "{\"a\":1,\"old\":5}", "{\"a\":1,\"b\":null,\"c\":{\"string\":\"d\"},\"n\":5}");
  assert_json_error(s, "{\"b\":null}", SERDE_AVRO_JSON_ENCODING, "$.a: missing field (it has no default)");
  assert_json_error(s, "{\"a\":1,\"zz\":2}", SERDE_AVRO_JSON_ENCODING,
                    "$: unknown field \"zz\" for record R");
  assert_json_error(s, "[1]", SERDE_AVRO_JSON_ENCODING, "$: expected an object (record R), got an array");
}

static void test_avro_json_default_mode_reads_unions_unwrapped(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, "[\"string\",\"null\"]");
  json_t *js = json_string("x");
  avro_value_t v;
  tvalue_new(&t, &v);
  serde_error_t err = {0};
  assert_int_equal(serde__avro_from_json(t.root, js, SERDE_AVRO_JSON_DEFAULT, &v, &err), SERDE_OK);
  char *got = tvalue_to_json(&t, &v);
  assert_string_equal(got, "{\"string\":\"x\"}");
  free(got);
  avro_value_decref(&v);
  json_decref(js);
  tschema_free(&t);
  assert_json_error("[\"null\",\"string\"]", "\"x\"", SERDE_AVRO_JSON_DEFAULT, "$: expected null, got \"x\"");
}

static void test_avro_json_enum_rejects_unknown_symbol(void **state) {
  (void)state;
  assert_json_error("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"A\"}", "\"B\"",
                    SERDE_AVRO_JSON_ENCODING, "$: expected a symbol of enum E, got \"B\"");
}

static void test_avro_json_bounds_recursive_depth(void **state) {
  (void)state;
  const char *s =
      "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"n\",\"type\":[\"null\",\"N\"]}]}";
  size_t levels = 100; /* 2 JSON levels per record and union */
  char *deep = malloc(levels * 12 + 16);
  char *p = deep;
  for (size_t i = 0; i < levels; i++) {
    p += sprintf(p, "{\"n\":{\"N\":");
  }
  p += sprintf(p, "{\"n\":null}");
  for (size_t i = 0; i < levels; i++) {
    p += sprintf(p, "}}");
  }
  tschema_t t;
  tschema_load(&t, s);
  json_t *js = json_loads(deep, 0, NULL);
  assert_non_null(js);
  avro_value_t v;
  tvalue_new(&t, &v);
  serde_error_t err = {0};
  assert_int_equal(serde__avro_from_json(t.root, js, SERDE_AVRO_JSON_ENCODING, &v, &err),
                   SERDE_ERR_VALUE_INVALID);
  assert_non_null(strstr(err.message, "nested deeper than 128"));
  avro_value_decref(&v);
  json_decref(js);
  tschema_free(&t);
  free(deep);
}

static void test_avro_json_replaces_invalid_utf8_in_strings(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, "\"string\"");
  avro_value_t v;
  tvalue_new(&t, &v);
  assert_int_equal(avro_value_set_string_len(&v,
                                             "a\xff"
                                             "b\xc3",
                                             5),
                   0);
  char *got = tvalue_to_json(&t, &v);
  assert_string_equal(got,
                      "\"a\xef\xbf\xbd"
                      "b\xef\xbf\xbd\"");
  free(got);
  avro_value_decref(&v);
  tschema_free(&t);
}

static void test_avro_json_out_rejects_value_of_another_shape(void **state) {
  (void)state;
  tschema_t a, b;
  tschema_load(&a, REC("{\"name\":\"x\",\"type\":\"int\"}"));
  tschema_load(&b, REC("{\"name\":\"x\",\"type\":\"string\"}"));
  avro_value_t v;
  tvalue_from_json(&a, "{\"x\":1}", &v);
  serde_buf_t buf = {0};
  serde_error_t err = {0};
  assert_int_equal(serde__avro_to_json(b.root, &v, &buf, &err), SERDE_ERR_VALUE_INVALID);
  assert_string_equal(err.message, "$.x: the avro value is not a string");
  assert_int_equal(buf.len, 0);
  serde_buf_fini(&buf);
  avro_value_decref(&v);
  tschema_free(&a);
  tschema_free(&b);
}

static void test_avro_json_to_binary_matches_avro_encoding(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, REC("{\"name\":\"f\",\"type\":\"string\"},{\"name\":\"u\",\"type\":[\"null\",\"long\"]},"
                       "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"float\"}}"));
  json_t *js = json_loads("{\"f\":\"hi\",\"u\":{\"long\":-3},\"a\":[1.5]}", 0, NULL);
  serde_buf_t buf = {0};
  serde_error_t err = {0};
  assert_int_equal(serde__avro_json_to_binary(t.root, js, SERDE_AVRO_JSON_ENCODING, &buf, &err), SERDE_OK);
  static const uint8_t want[] = {0x04, 'h', 'i', 0x02, 0x05, 0x02, 0x00, 0x00, 0xc0, 0x3f, 0x00};
  assert_int_equal(buf.len, sizeof want);
  assert_memory_equal(buf.data, want, sizeof want);
  /* the same bytes avro-c writes for the same value */
  avro_value_t v;
  tvalue_new(&t, &v);
  assert_int_equal(serde__avro_from_json(t.root, js, SERDE_AVRO_JSON_ENCODING, &v, &err), SERDE_OK);
  size_t len = 0;
  uint8_t *enc = tvalue_encode(&v, &len);
  assert_int_equal(len, sizeof want);
  assert_memory_equal(enc, want, sizeof want);
  free(enc);
  avro_value_decref(&v);
  serde_buf_fini(&buf);
  json_decref(js);
  tschema_free(&t);
}

static void test_avro_json_survives_every_allocation_failure(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, REC("{\"name\":\"y\",\"type\":\"bytes\"},{\"name\":\"m\",\"type\":{\"type\":\"map\","
                       "\"values\":\"double\"}}"));
  json_t *js = json_loads("{\"y\":\"\\u00ff\",\"m\":{\"a\":1.5}}", 0, NULL);
  serde_error_t err = {0};
  avro_value_t v;
  serde_code_t code = SERDE_ERR_NOMEM;
  for (long n = 1; n < 50 && code != SERDE_OK; n++) {
    tvalue_new(&t, &v);
    serde__alloc_fail_at(n);
    code = serde__avro_from_json(t.root, js, SERDE_AVRO_JSON_ENCODING, &v, &err);
    serde__alloc_fail_at(0);
    if (code != SERDE_OK) {
      assert_int_equal(code, SERDE_ERR_NOMEM);
      avro_value_decref(&v);
    }
  }
  assert_int_equal(code, SERDE_OK);
  code = SERDE_ERR_NOMEM;
  for (long n = 1; n < 50 && code != SERDE_OK; n++) {
    serde_buf_t buf = {0};
    serde__alloc_fail_at(n);
    code = serde__avro_to_json(t.root, &v, &buf, &err);
    serde__alloc_fail_at(0);
    if (code != SERDE_OK) {
      assert_int_equal(code, SERDE_ERR_NOMEM);
      assert_int_equal(buf.len, 0);
    }
    serde_buf_fini(&buf);
  }
  assert_int_equal(code, SERDE_OK);
  avro_value_decref(&v);
  json_decref(js);
  tschema_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_json_round_trips_every_type),
      cmocka_unit_test(test_avro_json_writes_non_finite_numbers_as_java_strings),
      cmocka_unit_test(test_avro_json_prints_shortest_round_trip_numbers),
      cmocka_unit_test(test_avro_json_bytes_keep_nul_and_reject_wide_characters),
      cmocka_unit_test(test_avro_json_accepts_empty_bytes_and_zero_size_fixed),
      cmocka_unit_test(test_avro_json_union_branches_by_full_short_and_type_name),
      cmocka_unit_test(test_avro_json_checks_number_ranges),
      cmocka_unit_test(test_avro_json_error_names_the_path),
      cmocka_unit_test(test_avro_json_missing_fields_take_defaults_and_unknown_fields_fail),
      cmocka_unit_test(test_avro_json_default_mode_reads_unions_unwrapped),
      cmocka_unit_test(test_avro_json_enum_rejects_unknown_symbol),
      cmocka_unit_test(test_avro_json_bounds_recursive_depth),
      cmocka_unit_test(test_avro_json_replaces_invalid_utf8_in_strings),
      cmocka_unit_test(test_avro_json_out_rejects_value_of_another_shape),
      cmocka_unit_test(test_avro_json_to_binary_matches_avro_encoding),
      cmocka_unit_test(test_avro_json_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
