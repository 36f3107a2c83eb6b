// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_defaults.c through the parser: with validation on, a field
 * default must match its type as Java Avro 1.11 checks it; without, anything
 * goes. */
#include "test_helpers.h"

static char *record_with(const char *type, const char *deflt) {
  char *text = NULL;
  if (asprintf(&text, "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f\",\"type\":%s,\"default\":%s}]}",
               type, deflt) < 0) {
    return NULL;
  }
  return text;
}

static bool default_accepted(const char *type, const char *deflt) {
  char *text = record_with(type, deflt);
  sch_parse_opts_t opts = {.validate = true};
  sch_schema_t *s = avro_parse_opts(text, &opts, NULL);
  free(text);
  sch_schema_destroy(s);
  return s != NULL;
}

static void test_avro_defaults_rejects_string_for_int_with_message(void **state) {
  (void)state;
  char *text = record_with("\"int\"", "\"abc\"");
  assert_parse_error(text, true, SCH_ERR_INVALID, "Invalid default for field f: \"abc\" not a \"int\"");
  free(text);
}

static void test_avro_defaults_are_not_checked_without_validation(void **state) {
  (void)state;
  char *text = record_with("\"int\"", "\"abc\"");
  sch_schema_t *s = avro_parse_opts(text, NULL, NULL);
  assert_non_null(s);
  sch_schema_destroy(s);
  free(text);
}

static void test_avro_defaults_checks_primitives(void **state) {
  (void)state;
  assert_true(default_accepted("\"int\"", "2147483647"));
  assert_false(default_accepted("\"int\"", "2147483648"));
  assert_true(default_accepted("\"long\"", "2147483648"));
  assert_false(default_accepted("\"long\"", "1.5"));
  assert_true(default_accepted("\"double\"", "1"));
  assert_true(default_accepted("\"null\"", "null"));
  assert_false(default_accepted("\"string\"", "null"));
  assert_true(default_accepted("\"bytes\"", "\"\\u00ff\""));
  assert_false(default_accepted("\"boolean\"", "0"));
}

static void test_avro_defaults_union_default_matches_first_branch(void **state) {
  (void)state;
  assert_true(default_accepted("[\"null\",\"string\"]", "null"));
  assert_false(default_accepted("[\"null\",\"string\"]", "\"x\""));
  assert_true(default_accepted("[\"string\",\"null\"]", "\"x\""));
}

static void test_avro_defaults_checks_complex_types(void **state) {
  (void)state;
  assert_true(default_accepted("{\"type\":\"array\",\"items\":\"int\"}", "[1,2]"));
  assert_false(default_accepted("{\"type\":\"array\",\"items\":\"int\"}", "[1,\"x\"]"));
  assert_true(default_accepted("{\"type\":\"map\",\"values\":\"string\"}", "{\"a\":\"b\"}"));
  assert_true(default_accepted("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "\"A\""));
  assert_true(default_accepted("{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}", "\"a\""));
  const char *rec = "{\"type\":\"record\",\"name\":\"In\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                    "{\"name\":\"b\",\"type\":\"string\",\"default\":\"z\"}]}";
  assert_true(default_accepted(rec, "{\"a\":1}"));
  assert_false(default_accepted(rec, "{\"b\":\"y\"}"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_defaults_rejects_string_for_int_with_message),
      cmocka_unit_test(test_avro_defaults_are_not_checked_without_validation),
      cmocka_unit_test(test_avro_defaults_checks_primitives),
      cmocka_unit_test(test_avro_defaults_union_default_matches_first_branch),
      cmocka_unit_test(test_avro_defaults_checks_complex_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
