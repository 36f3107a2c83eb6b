// SPDX-License-Identifier: Apache-2.0
/* Tests http_parse.c: percent-decoding of path segments and query values,
 * query strings with repeated keys, JAX-RS booleans, strict integers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "http/http_parse.h"

static void expect_decoded(const char *in, bool plus, const char *want) {
  char *out = NULL;
  assert_int_equal(http_url_decode(in, strlen(in), plus, &out), HTTP_PARSE_OK);
  assert_string_equal(out, want);
  free(out);
}

static void expect_invalid(const char *in) {
  char *out = (char *)1;
  assert_int_equal(http_url_decode(in, strlen(in), false, &out), HTTP_PARSE_INVALID);
  assert_null(out);
}

static void test_url_decode_decodes_escapes_and_keeps_plus_in_paths(void **state) {
  (void)state;
  expect_decoded("a%2Fb.proto", false, "a/b.proto");
  expect_decoded("a%2fb", false, "a/b");
  expect_decoded("a+b", false, "a+b");
  expect_decoded("a+b%20c", true, "a b c");
  expect_decoded("%E2%82%AC", false, "\xe2\x82\xac");
  expect_decoded("", false, "");
}

static void test_url_decode_rejects_bad_escapes_and_nul(void **state) {
  (void)state;
  expect_invalid("%");
  expect_invalid("a%2");
  expect_invalid("%zz");
  expect_invalid("%00");
  expect_invalid("x%0");
  char *out = NULL;
  assert_int_equal(http_url_decode("a\0b", 3, false, &out), HTTP_PARSE_INVALID);
}

static void test_url_decode_bytes_keeps_nul_but_rejects_bad_escapes(void **state) {
  (void)state;
  char *out = NULL;
  size_t len = 0;
  assert_int_equal(http_url_decode_bytes("a%00b+", 6, &out, &len), HTTP_PARSE_OK);
  assert_int_equal(len, 4);
  assert_memory_equal(out, "a\0b+", 5);
  free(out);
  assert_int_equal(http_url_decode_bytes("a%0", 3, &out, &len), HTTP_PARSE_INVALID);
  assert_null(out);
  assert_int_equal(http_url_decode_bytes("a\0b", 3, &out, &len), HTTP_PARSE_INVALID);
}

static void test_query_parse_keeps_repeated_keys_in_order(void **state) {
  (void)state;
  http_query_t q;
  assert_int_equal(http_query_parse("key=a&value=1&key=b%3Dc&&flag&value=x+y", &q), HTTP_PARSE_OK);
  assert_int_equal(q.count, 5);
  assert_int_equal(http_query_count(&q, "key"), 2);
  assert_string_equal(http_query_get(&q, "key"), "a");
  assert_string_equal(http_query_get_nth(&q, "key", 1), "b=c");
  assert_null(http_query_get_nth(&q, "key", 2));
  assert_string_equal(http_query_get(&q, "flag"), "");
  assert_string_equal(http_query_get_nth(&q, "value", 1), "x y");
  assert_null(http_query_get(&q, "missing"));
  http_query_fini(&q);
}

static void test_query_parse_rejects_bad_escape(void **state) {
  (void)state;
  http_query_t q;
  assert_int_equal(http_query_parse("a=1&b=%G1", &q), HTTP_PARSE_INVALID);
  http_query_fini(&q);
  assert_int_equal(http_query_parse(NULL, &q), HTTP_PARSE_OK);
  assert_int_equal(q.count, 0);
  http_query_fini(&q);
}

static void test_bool_follows_java_boolean_valueof(void **state) {
  (void)state;
  assert_true(http_parse_bool("true", false));
  assert_true(http_parse_bool("TRUE", false));
  assert_false(http_parse_bool("false", true));
  assert_false(http_parse_bool("yes", true));
  assert_false(http_parse_bool("", true));
  assert_true(http_parse_bool(NULL, true));
  assert_false(http_parse_bool(NULL, false));
}

static void test_int_parse_is_strict(void **state) {
  (void)state;
  int64_t v = 0;
  assert_int_equal(http_parse_int64("42", &v), HTTP_PARSE_OK);
  assert_int_equal(v, 42);
  assert_int_equal(http_parse_int64("-1", &v), HTTP_PARSE_OK);
  assert_int_equal(v, -1);
  assert_int_equal(http_parse_int64("", &v), HTTP_PARSE_INVALID);
  assert_int_equal(http_parse_int64("-", &v), HTTP_PARSE_INVALID);
  assert_int_equal(http_parse_int64("1 ", &v), HTTP_PARSE_INVALID);
  assert_int_equal(http_parse_int64("0x10", &v), HTTP_PARSE_INVALID);
  assert_int_equal(http_parse_int64("99999999999999999999", &v), HTTP_PARSE_INVALID);
  assert_int_equal(http_parse_int64(NULL, &v), HTTP_PARSE_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_url_decode_decodes_escapes_and_keeps_plus_in_paths),
      cmocka_unit_test(test_url_decode_rejects_bad_escapes_and_nul),
      cmocka_unit_test(test_url_decode_bytes_keeps_nul_but_rejects_bad_escapes),
      cmocka_unit_test(test_query_parse_keeps_repeated_keys_in_order),
      cmocka_unit_test(test_query_parse_rejects_bad_escape),
      cmocka_unit_test(test_bool_follows_java_boolean_valueof),
      cmocka_unit_test(test_int_parse_is_strict),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
