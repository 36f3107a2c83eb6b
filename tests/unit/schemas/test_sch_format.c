// SPDX-License-Identifier: Apache-2.0
/* Tests of sch_format.c: the format table and the convenience calls. */
#include "test_helpers.h"

static void test_sch_format_finds_avro_and_protobuf(void **state) {
  (void)state;
  assert_non_null(sch_format_find("AVRO"));
  assert_null(sch_format_find("avro"));
  assert_non_null(sch_format_find("PROTOBUF"));
  assert_null(sch_format_find("protobuf"));
  assert_null(sch_format_find("JSON"));
  assert_string_equal(sch_format_names()[0], "AVRO");
  assert_string_equal(sch_format_names()[1], "PROTOBUF");
  assert_null(sch_format_names()[2]);
}

static void test_sch_format_schema_exposes_canonical_text(void **state) {
  (void)state;
  sch_schema_t *s = avro_parse_opts("{\"type\":\"long\"}", NULL, NULL);
  size_t len = 0;
  assert_string_equal(sch_schema_canonical(s, &len), "\"long\"");
  assert_int_equal(len, 6);
  sch_schema_destroy(s);
  sch_schema_destroy(NULL);
  assert_string_equal(sch_code_name(SCH_ERR_REFERENCE), "unresolved reference");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sch_format_finds_avro_and_protobuf),
      cmocka_unit_test(test_sch_format_schema_exposes_canonical_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
