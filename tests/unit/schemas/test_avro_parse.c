// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_parse.c: every invalid form gives the right code and a
 * message naming the offending thing; names, namespaces and references
 * resolve as Java Avro resolves them; limits hold. */
#include "test_helpers.h"

static void test_avro_parse_rejects_invalid_json(void **state) {
  (void)state;
  assert_parse_error("{\"type\":", false, SCH_ERR_INVALID, "invalid json");
}

static void test_avro_parse_rejects_unknown_type_name(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"Missing\"}]}", false,
                     SCH_ERR_REFERENCE, "\"Missing\"");
}

static void test_avro_parse_rejects_redefined_name(void **state) {
  (void)state;
  assert_parse_error("[{\"type\":\"fixed\",\"name\":\"F\",\"size\":1},{\"type\":\"enum\",\"name\":\"F\",\"symbols\":[\"A\"]}]",
                     false, SCH_ERR_INVALID, "can't redefine: F");
}

static void test_avro_parse_rejects_duplicate_union_branch(void **state) {
  (void)state;
  assert_parse_error("[\"int\",\"string\",\"int\"]", false, SCH_ERR_INVALID, "duplicate in union: int");
}

static void test_avro_parse_rejects_nested_union(void **state) {
  (void)state;
  assert_parse_error("[\"int\",[\"string\"]]", false, SCH_ERR_INVALID, "nested union");
}

static void test_avro_parse_rejects_duplicate_field(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
                     "{\"name\":\"a\",\"type\":\"long\"}]}",
                     false, SCH_ERR_INVALID, "duplicate field a in record r");
}

static void test_avro_parse_rejects_duplicate_enum_symbol(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"A\",\"A\"]}", false, SCH_ERR_INVALID,
                     "duplicate enum symbol: A");
}

static void test_avro_parse_rejects_enum_default_outside_symbols(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[\"A\"],\"default\":\"B\"}", false,
                     SCH_ERR_INVALID, "\"B\"");
}

static void test_avro_parse_rejects_fixed_without_size(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"fixed\",\"name\":\"f\"}", false, SCH_ERR_INVALID, "size");
}

static void test_avro_parse_rejects_missing_pieces(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"record\",\"name\":\"r\"}", false, SCH_ERR_INVALID, "record has no fields: r");
  assert_parse_error("{\"type\":\"array\"}", false, SCH_ERR_INVALID, "array has no items");
  assert_parse_error("{\"type\":\"map\"}", false, SCH_ERR_INVALID, "map has no values");
  assert_parse_error("{\"name\":\"x\"}", false, SCH_ERR_INVALID, "no type");
  assert_parse_error("{\"type\":\"enum\",\"symbols\":[]}", false, SCH_ERR_INVALID, "no name");
  assert_parse_error("42", false, SCH_ERR_INVALID, "type name");
  assert_parse_error("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\"}]}", false, SCH_ERR_INVALID,
                     "no field type: a");
}

static void test_avro_parse_rejects_type_named_after_primitive(void **state) {
  (void)state;
  assert_parse_error("{\"type\":\"fixed\",\"name\":\"int\",\"size\":1}", false, SCH_ERR_INVALID, "primitives: int");
}

static void test_avro_parse_validates_names_only_when_asked(void **state) {
  (void)state;
  const char *text = "{\"type\":\"record\",\"name\":\"bad-name\",\"fields\":[]}";
  assert_parse_error(text, true, SCH_ERR_INVALID, "bad-name");
  sch_error_t err = {0};
  sch_schema_t *s = avro_parse_opts(text, NULL, &err);
  assert_non_null(s);
  sch_schema_destroy(s);
}

static void test_avro_parse_limits_depth(void **state) {
  (void)state;
  char text[2048] = "";
  for (int i = 0; i < SCH_MAX_DEPTH + 1; i++) {
    strcat(text, "{\"type\":\"array\",\"items\":");
  }
  strcat(text, "\"int\"");
  for (int i = 0; i < SCH_MAX_DEPTH + 1; i++) {
    strcat(text, "}");
  }
  assert_parse_error(text, false, SCH_ERR_LIMIT, "deeper");
}

static void test_avro_parse_limits_size(void **state) {
  (void)state;
  size_t len = SCH_MAX_SCHEMA_BYTES + 1;
  char *text = malloc(len);
  assert_non_null(text);
  memset(text, ' ', len);
  sch_error_t err = {0};
  assert_null(sch_schema_parse(sch_format_find("AVRO"), text, len, NULL, &err));
  assert_int_equal(err.code, SCH_ERR_LIMIT);
  free(text);
}

static void test_avro_parse_resolves_names_in_enclosing_namespace(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"ns\",\"fields\":["
                   "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},"
                   "{\"name\":\"b\",\"type\":\"F\"},{\"name\":\"c\",\"type\":\"ns.F\"}]}",
                   "{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"ns\",\"fields\":[{\"name\":\"a\",\"type\":"
                   "{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},{\"name\":\"b\",\"type\":\"F\"},{\"name\":\"c\","
                   "\"type\":\"F\"}]}",
                   false);
}

static void test_avro_parse_uses_references_by_name(void **state) {
  (void)state;
  const char *dep = "{\"type\":\"record\",\"name\":\"Dep\",\"namespace\":\"x\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"}]}";
  sch_reference_t refs[] = {{"x.Dep", dep, strlen(dep)}};
  sch_parse_opts_t opts = {.refs = refs, .n_refs = 1, .validate = true};
  const char *text = "{\"type\":\"record\",\"name\":\"Main\",\"fields\":[{\"name\":\"d\",\"type\":\"x.Dep\"}]}";
  sch_error_t err = {0};
  sch_schema_t *s = avro_parse_opts(text, &opts, &err);
  assert_non_null(s);
  assert_string_equal(sch_schema_canonical(s, NULL),
                      "{\"type\":\"record\",\"name\":\"Main\",\"fields\":[{\"name\":\"d\",\"type\":\"x.Dep\"}]}");
  sch_schema_destroy(s);
  assert_parse_error(text, true, SCH_ERR_REFERENCE, "x.Dep");
}

static void test_avro_parse_allows_recursive_record(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"List\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
                   "{\"name\":\"next\",\"type\":[\"null\",\"List\"],\"default\":null}]}",
                   "{\"type\":\"record\",\"name\":\"List\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
                   "{\"name\":\"next\",\"type\":[\"null\",\"List\"],\"default\":null}]}",
                   false);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_parse_rejects_invalid_json),
      cmocka_unit_test(test_avro_parse_rejects_unknown_type_name),
      cmocka_unit_test(test_avro_parse_rejects_redefined_name),
      cmocka_unit_test(test_avro_parse_rejects_duplicate_union_branch),
      cmocka_unit_test(test_avro_parse_rejects_nested_union),
      cmocka_unit_test(test_avro_parse_rejects_duplicate_field),
      cmocka_unit_test(test_avro_parse_rejects_duplicate_enum_symbol),
      cmocka_unit_test(test_avro_parse_rejects_enum_default_outside_symbols),
      cmocka_unit_test(test_avro_parse_rejects_fixed_without_size),
      cmocka_unit_test(test_avro_parse_rejects_missing_pieces),
      cmocka_unit_test(test_avro_parse_rejects_type_named_after_primitive),
      cmocka_unit_test(test_avro_parse_validates_names_only_when_asked),
      cmocka_unit_test(test_avro_parse_limits_depth),
      cmocka_unit_test(test_avro_parse_limits_size),
      cmocka_unit_test(test_avro_parse_resolves_names_in_enclosing_namespace),
      cmocka_unit_test(test_avro_parse_uses_references_by_name),
      cmocka_unit_test(test_avro_parse_allows_recursive_record),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
