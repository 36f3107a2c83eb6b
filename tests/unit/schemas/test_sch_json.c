// SPDX-License-Identifier: Apache-2.0
/* Tests of sch_json.c (internal): reals print as Java's Double.toString and
 * strings use Jackson's escapes, since canonical text is compared byte for
 * byte with Confluent's. */
#include "test_helpers.h"

#include "sch_int.h"

static void assert_double(double d, const char *want) {
  sch_buf_t b = {0};
  sch__json_double(&b, d);
  assert_string_equal(b.data, want);
  sch__buf_fini(&b);
}

static void test_sch_json_prints_doubles_like_java(void **state) {
  (void)state;
  assert_double(0.0, "0.0");
  assert_double(1.0, "1.0");
  assert_double(-2.5, "-2.5");
  assert_double(0.1, "0.1");
  assert_double(0.001, "0.001");
  assert_double(1e-4, "1.0E-4");
  assert_double(1234567.0, "1234567.0");
  assert_double(1e7, "1.0E7");
  assert_double(1.25e300, "1.25E300");
  assert_double(100.5, "100.5");
}

static void test_sch_json_escapes_strings_like_jackson(void **state) {
  (void)state;
  sch_buf_t b = {0};
  sch__json_string(&b, "a\"b\\c\n\x01/\xc3\xa9");
  assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001/\xc3\xa9\"");
  sch__buf_fini(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sch_json_prints_doubles_like_java),
      cmocka_unit_test(test_sch_json_escapes_strings_like_jackson),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
