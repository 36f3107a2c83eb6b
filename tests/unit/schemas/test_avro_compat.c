// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_compat.c: Avro reader/writer rules and Confluent's message
 * text for each kind of incompatibility. */
#include "test_helpers.h"

static sch_schema_t *parse(const char *text) {
  sch_schema_t *s = avro_parse_opts(text, NULL, NULL);
  assert_non_null(s);
  return s;
}

/* Runs can_read and returns the verdict; msgs gets the reasons. */
static bool can_read(const char *reader, const char *writer, sch_messages_t *msgs) {
  sch_schema_t *r = parse(reader), *w = parse(writer);
  bool ok = false;
  assert_int_equal(sch_format_find("AVRO")->can_read(r, w, &ok, msgs, NULL), SCH_OK);
  sch_schema_destroy(r);
  sch_schema_destroy(w);
  return ok;
}

static void test_avro_compat_rejects_field_without_default(void **state) {
  (void)state;
  sch_messages_t msgs = {0};
  assert_false(can_read("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f1\",\"type\":\"int\"},"
                        "{\"name\":\"f2\",\"type\":\"int\"}]}",
                        "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f1\",\"type\":\"int\"}]}", &msgs));
  assert_int_equal(msgs.count, 1);
  assert_string_equal(msgs.items[0],
                      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path "
                      "'/fields/1' in the new schema has no default value and is missing in the old schema', "
                      "additionalInfo:'f2'}");
  sch_messages_fini(&msgs);
}

static void test_avro_compat_reports_type_mismatch_with_path(void **state) {
  (void)state;
  sch_messages_t msgs = {0};
  assert_false(can_read("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f\",\"type\":\"int\"}]}",
                        "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f\",\"type\":\"string\"}]}", &msgs));
  assert_string_equal(msgs.items[0], "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a "
                                     "field in the new schema does not match with the old schema', "
                                     "additionalInfo:'reader type: INT not compatible with writer type: STRING'}");
  sch_messages_fini(&msgs);
}

static void test_avro_compat_allows_promotions(void **state) {
  (void)state;
  assert_true(can_read("\"long\"", "\"int\"", NULL));
  assert_true(can_read("\"double\"", "\"float\"", NULL));
  assert_true(can_read("\"string\"", "\"bytes\"", NULL));
  assert_true(can_read("\"bytes\"", "\"string\"", NULL));
  assert_false(can_read("\"int\"", "\"long\"", NULL));
}

static void test_avro_compat_reports_missing_enum_symbols_sorted(void **state) {
  (void)state;
  sch_messages_t msgs = {0};
  assert_false(can_read("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}",
                        "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"C\",\"A\",\"B\"]}", &msgs));
  assert_string_equal(msgs.items[0], "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum "
                                     "symbols '[B, C]' at path '/symbols' in the old schema', additionalInfo:'[B, C]'}");
  sch_messages_fini(&msgs);
  assert_true(can_read("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"A\"}",
                       "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", NULL));
}

static void test_avro_compat_reports_fixed_size_and_name(void **state) {
  (void)state;
  sch_messages_t msgs = {0};
  assert_false(can_read("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}", "{\"type\":\"fixed\",\"name\":\"G\",\"size\":8}",
                        &msgs));
  assert_int_equal(msgs.count, 2);
  assert_non_null(strstr(msgs.items[0], "NAME_MISMATCH"));
  assert_non_null(strstr(msgs.items[0], "additionalInfo:'expected: G'"));
  assert_non_null(strstr(msgs.items[1], "additionalInfo:'expected: 8, found: 4'"));
  sch_messages_fini(&msgs);
  assert_true(can_read("{\"type\":\"fixed\",\"name\":\"a.F\",\"size\":4}", "{\"type\":\"fixed\",\"name\":\"b.F\",\"size\":4}",
                       NULL));
  assert_true(can_read("{\"type\":\"fixed\",\"name\":\"F\",\"aliases\":[\"G\"],\"size\":4}",
                       "{\"type\":\"fixed\",\"name\":\"G\",\"size\":4}", NULL));
}

static void test_avro_compat_reports_missing_union_branch(void **state) {
  (void)state;
  sch_messages_t msgs = {0};
  assert_false(can_read("[\"null\",\"int\"]", "[\"null\",\"string\"]", &msgs));
  assert_string_equal(msgs.items[0], "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type "
                                     "inside a union field at path '/1' in the old schema', additionalInfo:'reader "
                                     "union lacking writer type: STRING'}");
  sch_messages_fini(&msgs);
  assert_true(can_read("[\"null\",\"int\"]", "\"int\"", NULL));
}

static void test_avro_compat_treats_recursion_as_compatible(void **state) {
  (void)state;
  const char *list = "{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"n\",\"type\":[\"null\",\"L\"]}]}";
  assert_true(can_read(list, list, NULL));
}

static void test_avro_compat_matches_fields_by_alias(void **state) {
  (void)state;
  assert_true(can_read("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"b\",\"aliases\":[\"a\"],\"type\":\"int\"}]}",
                       "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}", NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_compat_rejects_field_without_default),
      cmocka_unit_test(test_avro_compat_reports_type_mismatch_with_path),
      cmocka_unit_test(test_avro_compat_allows_promotions),
      cmocka_unit_test(test_avro_compat_reports_missing_enum_symbols_sorted),
      cmocka_unit_test(test_avro_compat_reports_fixed_size_and_name),
      cmocka_unit_test(test_avro_compat_reports_missing_union_branch),
      cmocka_unit_test(test_avro_compat_treats_recursion_as_compatible),
      cmocka_unit_test(test_avro_compat_matches_fields_by_alias),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
