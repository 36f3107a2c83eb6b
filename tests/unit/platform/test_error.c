// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/error.c: setting, prefixing (with truncation) and
 * code texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/error.h"

static void test_error_set_formats_and_returns_code(void **state) {
  (void)state;
  weir_error_t err;
  assert_int_equal(weir_error_set(&err, WEIR_ERR_CONFIG, "key \"%s\"", "x"), WEIR_ERR_CONFIG);
  assert_int_equal(err.code, WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "key \"x\"");
  assert_int_equal(weir_error_set(NULL, WEIR_ERR_IO, "ignored"), WEIR_ERR_IO);
}

static void test_error_prefix_prepends_and_truncates_safely(void **state) {
  (void)state;
  weir_error_t err;
  weir_error_set(&err, WEIR_ERR_CONFIG, "bad");
  weir_error_prefix(&err, "f.properties:3");
  assert_string_equal(err.msg, "f.properties:3: bad");
  char big[600];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  weir_error_set(&err, WEIR_ERR_CONFIG, "%s", big);
  weir_error_prefix(&err, "p");
  assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
  assert_memory_equal(err.msg, "p: aaa", 6);
  weir_error_prefix(&err, big);
  assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
  weir_error_prefix(NULL, "x");
}

static void test_error_code_text_names_every_code(void **state) {
  (void)state;
  assert_string_equal(weir_code_text(WEIR_OK), "ok");
  assert_string_equal(weir_code_text(WEIR_ERR_USAGE), "usage error");
  assert_string_equal(weir_code_text((weir_code_t)999), "unknown error");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_set_formats_and_returns_code),
      cmocka_unit_test(test_error_prefix_prepends_and_truncates_safely),
      cmocka_unit_test(test_error_code_text_names_every_code),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
