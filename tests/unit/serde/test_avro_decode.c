// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_decode.c: golden byte vectors read into generic values, the
 * raw-bytes payload rule, and hostile input (huge and negative lengths,
 * overlong varints, depth bombs, block counts against max_items, trailing
 * bytes, out-of-range union and enum indexes), each rejected with
 * SERDE_ERR_PAYLOAD_INVALID before anything is allocated for it. */
#include "test_avro_helpers.h"

#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"
#define LIST "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"N\"]}]}"

static const serde_avro_limits_t limits = {.max_depth = 64, .max_items = 1000, .allow_trailing = false};

/* Decodes data under schema (writer = reader) and compares the Avro JSON. */
#define assert_decodes(schema, want, ...)                                          \
  do {                                                                             \
    static const uint8_t d_[] = {__VA_ARGS__};                                     \
    serde_error_t e_ = {0};                                                        \
    char *got_ = NULL;                                                             \
    if (tdecode((schema), NULL, d_, sizeof d_, &limits, &got_, &e_) != SERDE_OK) { \
      fail_msg("decode failed: %s", e_.message);                                   \
    }                                                                              \
    assert_string_equal(got_, (want));                                             \
    free(got_);                                                                    \
  } while (0)

/* Expects decoding data under schema to fail with PAYLOAD_INVALID and a
 * message containing want. */
static void assert_rejects_with(const char *schema, const uint8_t *data, size_t len,
                                const serde_avro_limits_t *lim, const char *want) {
  serde_error_t err = {0};
  char *got = NULL;
  serde_code_t code = tdecode(schema, NULL, data, len, lim ? lim : &limits, &got, &err);
  if (code == SERDE_OK) {
    fail_msg("expected an error, decoded %s", got);
  }
  assert_error(code, err, SERDE_ERR_PAYLOAD_INVALID, want);
}

#define assert_rejects(schema, want, ...)                       \
  do {                                                          \
    static const uint8_t d_[] = {__VA_ARGS__};                  \
    assert_rejects_with((schema), d_, sizeof d_, NULL, (want)); \
  } while (0)

static void test_avro_decode_reads_confluent_example_record(void **state) {
  (void)state;
  assert_decodes(REC("{\"name\":\"f\",\"type\":\"string\"}"), "{\"f\":\"hi\"}", 0x04, 'h', 'i');
}

static void test_avro_decode_reads_golden_vector_of_every_type(void **state) {
  (void)state;
  const char *s = REC(
      "{\"name\":\"n\",\"type\":\"null\"},{\"name\":\"b\",\"type\":\"boolean\"},"
      "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"l\",\"type\":\"long\"},"
      "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":\"double\"},"
      "{\"name\":\"y\",\"type\":\"bytes\"},{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\","
      "\"size\":2}},{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
      "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"}},"
      "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"int\"}},"
      "{\"name\":\"u\",\"type\":[\"null\",\"string\"]}");
  assert_decodes(s,
                 "{\"n\":null,\"b\":true,\"i\":-64,\"l\":-9223372036854775808,\"f\":1.5,\"d\":-2.0,\"y\":"
                 "\"\\u0000\\u00ff\","
                 "\"x\":\"ab\",\"e\":\"B\",\"a\":[1,-1],\"m\":{\"k\":150},\"u\":{\"string\":\"z\"}}",
                 /* b */ 0x01, /* i -64 */ 0x7f, /* l INT64_MIN */ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                 0xff, 0xff, 0x01, /* f */ 0x00, 0x00, 0xc0, 0x3f, /* d */ 0, 0, 0, 0, 0, 0, 0x00, 0xc0,
                 /* y */ 0x04, 0x00, 0xff,
                 /* x */ 'a', 'b', /* e */ 0x02, /* a */ 0x04, 0x02, 0x01, 0x00, /* m */ 0x02, 0x02, 'k',
                 0xac, 0x02, 0x00, /* u */ 0x02, 0x02, 'z');
}

static void test_avro_decode_takes_whole_input_as_top_level_bytes(void **state) {
  (void)state;
  assert_decodes("\"bytes\"", "\"\\u00de\\u00ad\"", 0xde, 0xad);
  assert_decodes("\"string\"", "\"hi\"", 0x04, 'h', 'i'); /* strings keep their length */
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode("\"bytes\"", NULL, NULL, 0, &limits, &got, &err), SERDE_OK);
  assert_string_equal(got, "\"\"");
  free(got);
  static const uint8_t raw[] = {'o', 'k'};
  assert_int_equal(tdecode("\"bytes\"", "[\"null\",\"string\"]", raw, sizeof raw, &limits, &got, &err),
                   SERDE_OK);
  assert_string_equal(got, "{\"string\":\"ok\"}");
  free(got);
}

static void test_avro_decode_reads_long_strings_and_bytes_with_nul(void **state) {
  (void)state;
  uint8_t data[3 + 1000];
  data[0] = 0xd0; /* zigzag 1000 = 2000 = 0xd0 0x0f */
  data[1] = 0x0f;
  memset(data + 2, 'x', 1000);
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode("\"string\"", NULL, data, 1002, &limits, &got, &err), SERDE_OK);
  assert_int_equal(strlen(got), 1002);
  free(got);
  assert_decodes("[\"bytes\",\"null\"]", "{\"bytes\":\"a\\u0000b\"}", 0x00, 0x06, 'a', 0x00, 'b');
}

static void test_avro_decode_rejects_length_beyond_input(void **state) {
  (void)state;
  /* 2^31-1 declared, 5 bytes present */
  assert_rejects("\"string\"", "truncated: 2147483647 bytes needed", 0xfe, 0xff, 0xff, 0xff, 0x0f, 'a', 'b',
                 'c', 'd', 'e');
  assert_decodes("\"bytes\"", "\"\\u0008a\"", 0x08, 'a'); /* top-level bytes are raw: no length */
  assert_rejects(REC("{\"name\":\"b\",\"type\":\"bytes\"}"), "truncated: 4 bytes needed", 0x08, 'a');
  assert_rejects(REC("{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}}"), "truncated",
                 'a');
  assert_rejects("\"double\"", "truncated: 8 bytes needed", 0, 0, 0, 0);
  assert_rejects("\"float\"", "truncated", 0);
  assert_rejects("\"int\"", "truncated", 0x80);
}

static void test_avro_decode_rejects_negative_length(void **state) {
  (void)state;
  assert_rejects("\"string\"", "negative length -1", 0x01);
  assert_rejects(REC("{\"name\":\"b\",\"type\":\"bytes\"}"), "negative length", 0x03, 'a');
  assert_rejects("{\"type\":\"map\",\"values\":\"int\"}", "negative length", 0x02, 0x01);
}

static void test_avro_decode_rejects_overlong_varints(void **state) {
  (void)state;
  assert_rejects("\"long\"", "varint longer than 64 bits", 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                 0xff, 0x02);
  assert_rejects("\"long\"", "varint longer than 64 bits", 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                 0x80, 0x80, 0x00);
  assert_decodes("\"long\"", "9223372036854775807", 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                 0x01);
  assert_rejects("\"int\"", "int 2147483648 out of range", 0x80, 0x80, 0x80, 0x80, 0x10);
  assert_decodes("\"int\"", "-2147483648", 0xff, 0xff, 0xff, 0xff, 0x0f);
}

static void test_avro_decode_stops_depth_bomb_of_recursive_schema(void **state) {
  (void)state;
  enum { LEVELS = 100000 };
  uint8_t *bomb = malloc(LEVELS + 1);
  memset(bomb, 0x02, LEVELS);
  bomb[LEVELS] = 0x00;
  assert_rejects_with(LIST, bomb, LEVELS + 1, NULL, "nested deeper than the limit of 64");
  free(bomb);
  /* 32 records and 32 unions: exactly 64 levels */
  uint8_t ok[32];
  memset(ok, 0x02, 31);
  ok[31] = 0x00;
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode(LIST, NULL, ok, sizeof ok, &limits, &got, &err), SERDE_OK);
  free(got);
}

static void test_avro_decode_bounds_zero_byte_elements_by_max_items(void **state) {
  (void)state;
  const char *nulls = "{\"type\":\"array\",\"items\":\"null\"}";
  /* 2^40 nulls claimed in one block, zero bytes each */
  assert_rejects(nulls, "more than 1000 array and map elements", 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40,
                 0x00);
  /* the limit counts across blocks and nested arrays */
  assert_rejects("{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":\"null\"}}", "more than 1000",
                 0x04, 0xd0, 0x0f, 0x00, 0xd0, 0x0f, 0x00, 0x00); /* [[1000 nulls], [1000 nulls]] */
  assert_decodes(nulls, "[null,null,null]", 0x06, 0x00);
}

static void test_avro_decode_rejects_block_count_beyond_input(void **state) {
  (void)state;
  /* a million ints claimed, two bytes present: no append happens */
  static const serde_avro_limits_t roomy = {.max_depth = 64, .max_items = 10000000};
  static const uint8_t million[] = {0x80, 0x89, 0x7a, 0x02, 0x00};
  assert_rejects_with("{\"type\":\"array\",\"items\":\"int\"}", million, sizeof million, &roomy,
                      "truncated: 1000000 bytes needed");
  assert_rejects("{\"type\":\"array\",\"items\":\"int\"}", "invalid block count", 0xff, 0xff, 0xff, 0xff,
                 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
}

static void test_avro_decode_reads_blocks_with_byte_sizes(void **state) {
  (void)state;
  /* count -2, size 2 bytes, items 1 2, then count 1 (3), end */
  assert_decodes("{\"type\":\"array\",\"items\":\"int\"}", "[1,2,3]", 0x03, 0x04, 0x02, 0x04, 0x02, 0x06,
                 0x00);
  assert_rejects("{\"type\":\"array\",\"items\":\"int\"}", "invalid block size", 0x03, 0x40, 0x02, 0x04,
                 0x00);
  /* a writer-only array with byte-sized blocks is skipped by size */
  serde_error_t err = {0};
  char *got = NULL;
  static const uint8_t data[] = {0x03, 0x04, 0x02, 0x04, 0x00, 0x0a};
  assert_int_equal(tdecode(REC("{\"name\":\"g\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
                               "{\"name\":\"k\",\"type\":\"int\"}"),
                           REC("{\"name\":\"k\",\"type\":\"int\"}"), data, sizeof data, &limits, &got, &err),
                   SERDE_OK);
  assert_string_equal(got, "{\"k\":5}");
  free(got);
}

static void test_avro_decode_rejects_trailing_bytes_unless_allowed(void **state) {
  (void)state;
  assert_rejects("\"int\"", "1 trailing bytes after the datum at offset 1", 0x02, 0x00);
  serde_avro_limits_t lenient = limits;
  lenient.allow_trailing = true;
  static const uint8_t data[] = {0x02, 0x00};
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode("\"int\"", NULL, data, sizeof data, &lenient, &got, &err), SERDE_OK);
  assert_string_equal(got, "1");
  free(got);
}

static void test_avro_decode_rejects_out_of_range_indexes(void **state) {
  (void)state;
  assert_rejects("[\"null\",\"int\"]", "union branch 2 out of range (2 branches)", 0x04);
  assert_rejects("[\"null\",\"int\"]", "union branch -1 out of range", 0x01);
  assert_rejects("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "enum index 1 out of range", 0x02);
  assert_rejects("\"boolean\"", "boolean byte 0x02", 0x02);
  /* also inside writer-only data that is skipped */
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode(REC("{\"name\":\"g\",\"type\":[\"null\",\"int\"]}"), REC(""),
                           (const uint8_t *)"\x06", 1, &limits, &got, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "$.g: union branch 3 out of range (2 branches) at offset 1");
}

static void test_avro_decode_map_keeps_last_of_repeated_keys(void **state) {
  (void)state;
  const char *s = "{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"int\"}}";
  assert_decodes(s, "{\"k\":[3]}", 0x04, 0x02, 'k', 0x02, 0x02, 0x00, 0x02, 'k', 0x02, 0x06, 0x00, 0x00);
  assert_rejects("{\"type\":\"map\",\"values\":\"int\"}", "map key with a NUL byte", 0x02, 0x04, 'a', 0x00,
                 0x02, 0x00);
}

static void test_avro_decode_error_names_the_path(void **state) {
  (void)state;
  const char *s =
      REC("{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"I\","
          "\"fields\":[{\"name\":\"price\",\"type\":\"double\"}]}}}");
  static const uint8_t data[] = {0x06, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0};
  serde_error_t err = {0};
  char *got = NULL;
  assert_int_equal(tdecode(s, NULL, data, sizeof data, &limits, &got, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "$.items[2].price: truncated: 8 bytes needed at offset 17, 2 left");
  const char *m = "{\"type\":\"map\",\"values\":\"int\"}";
  assert_int_equal(tdecode(m, NULL, (const uint8_t *)"\x02\x02k\x80", 4, &limits, &got, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "$[\"k\"]: truncated: 2 bytes needed at offset 3, 1 left");
}

static void test_avro_decode_reuses_a_reset_value(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, REC("{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"a\",\"type\":{\"type\":\"array\","
                       "\"items\":\"string\"}}"));
  serde_error_t err = {0};
  serde_avro_program_t *prog = serde__avro_program_new(t.root, NULL, &err);
  avro_value_t v;
  tvalue_new(&t, &v);
  static const uint8_t one[] = {0x06, 'a', 'b', 'c', 0x02, 0x02, 'x', 0x00};
  static const uint8_t two[] = {0x02, 'z', 0x00};
  for (int i = 0; i < 3; i++) {
    avro_value_reset(&v);
    assert_int_equal(serde__avro_decode(prog, one, sizeof one, &limits, &v, &err), SERDE_OK);
    avro_value_reset(&v);
    assert_int_equal(serde__avro_decode(prog, two, sizeof two, &limits, &v, &err), SERDE_OK);
  }
  char *json = tvalue_to_json(&t, &v);
  assert_string_equal(json, "{\"s\":\"z\",\"a\":[]}");
  free(json);
  avro_value_decref(&v);
  serde__avro_program_destroy(prog);
  tschema_free(&t);
}

static void test_avro_decode_reports_allocation_failure_for_long_strings(void **state) {
  (void)state;
  tschema_t t;
  tschema_load(&t, "\"string\"");
  serde_error_t err = {0};
  serde_avro_program_t *prog = serde__avro_program_new(t.root, NULL, &err);
  avro_value_t v;
  tvalue_new(&t, &v);
  uint8_t data[2 + 300];
  data[0] = 0xd8; /* 300 */
  data[1] = 0x04;
  memset(data + 2, 'q', 300);
  serde__alloc_fail_at(1);
  assert_int_equal(serde__avro_decode(prog, data, sizeof data, &limits, &v, &err), SERDE_ERR_NOMEM);
  serde__alloc_fail_at(0);
  assert_int_equal(serde__avro_decode(prog, data, sizeof data, &limits, &v, &err), SERDE_OK);
  avro_value_decref(&v);
  serde__avro_program_destroy(prog);
  tschema_free(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_decode_reads_confluent_example_record),
      cmocka_unit_test(test_avro_decode_reads_golden_vector_of_every_type),
      cmocka_unit_test(test_avro_decode_takes_whole_input_as_top_level_bytes),
      cmocka_unit_test(test_avro_decode_reads_long_strings_and_bytes_with_nul),
      cmocka_unit_test(test_avro_decode_rejects_length_beyond_input),
      cmocka_unit_test(test_avro_decode_rejects_negative_length),
      cmocka_unit_test(test_avro_decode_rejects_overlong_varints),
      cmocka_unit_test(test_avro_decode_stops_depth_bomb_of_recursive_schema),
      cmocka_unit_test(test_avro_decode_bounds_zero_byte_elements_by_max_items),
      cmocka_unit_test(test_avro_decode_rejects_block_count_beyond_input),
      cmocka_unit_test(test_avro_decode_reads_blocks_with_byte_sizes),
      cmocka_unit_test(test_avro_decode_rejects_trailing_bytes_unless_allowed),
      cmocka_unit_test(test_avro_decode_rejects_out_of_range_indexes),
      cmocka_unit_test(test_avro_decode_map_keeps_last_of_repeated_keys),
      cmocka_unit_test(test_avro_decode_error_names_the_path),
      cmocka_unit_test(test_avro_decode_reuses_a_reset_value),
      cmocka_unit_test(test_avro_decode_reports_allocation_failure_for_long_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
