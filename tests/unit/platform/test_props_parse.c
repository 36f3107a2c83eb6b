// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/props_parse.c: Java-properties syntax, escapes,
 * continuation lines, limits and error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/props_file.h"

typedef struct pairs {
  size_t n;
  char key[16][64];
  char value[16][128];
} pairs_t;

static weir_code_t collect(void *ctx, const char *key, const char *value, weir_error_t *err) {
  pairs_t *p = ctx;
  if (strcmp(key, "fail") == 0) return weir_error_set(err, WEIR_ERR_CONFIG, "callback refused \"%s\"", key);
  if (p->n < 16) {
    snprintf(p->key[p->n], sizeof p->key[0], "%s", key);
    snprintf(p->value[p->n], sizeof p->value[0], "%s", value);
  }
  p->n++;
  return WEIR_OK;
}

static weir_code_t parse(const char *text, pairs_t *p, weir_error_t *err) {
  memset(p, 0, sizeof *p);
  return weir_props_parse(text, strlen(text), "t.properties", collect, p, err);
}

static void test_parse_accepts_equals_colon_and_space_separators(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a=1\nb: 2\nc 3\nd = 4\n", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 4);
  assert_string_equal(p.key[0], "a");
  assert_string_equal(p.value[0], "1");
  assert_string_equal(p.key[1], "b");
  assert_string_equal(p.value[1], "2");
  assert_string_equal(p.key[2], "c");
  assert_string_equal(p.value[2], "3");
  assert_string_equal(p.value[3], "4");
}

static void test_parse_skips_comments_and_blank_lines(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("# comment\n! also\n\n   \n  # indented\nk=v # not a comment\n", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 1);
  assert_string_equal(p.value[0], "v # not a comment");
}

static void test_parse_trims_whitespace_around_key_and_value(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("  \tkey  =   value with spaces \t \n", &p, &err), WEIR_OK);
  assert_string_equal(p.key[0], "key");
  assert_string_equal(p.value[0], "value with spaces");
}

static void test_parse_joins_continuation_lines(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("list=a,\\\n    b,\\\n    c\nnext=1\n", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(p.value[0], "a,b,c");
  assert_string_equal(p.key[1], "next");
}

static void test_parse_keeps_escaped_backslash_at_line_end(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("dir=C:\\\\\nx=1\n", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(p.value[0], "C:\\");
}

static void test_parse_decodes_escapes(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a\\=b=x\\ty\\u00e9\\u20ac\\z\n", &p, &err), WEIR_OK);
  assert_string_equal(p.key[0], "a=b");
  assert_string_equal(p.value[0],
                      "x\ty\xc3\xa9\xe2\x82\xac"
                      "z");
}

static void test_parse_rejects_malformed_unicode_escape(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a=\\u12\n", &p, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "t.properties:1"));
}

static void test_parse_handles_crlf_and_cr_line_endings(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a=1\r\nb=2\rc=3", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 3);
  assert_string_equal(p.value[0], "1");
  assert_string_equal(p.value[2], "3");
}

static void test_parse_allows_empty_value(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a=\nb\n", &p, &err), WEIR_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(p.value[0], "");
  assert_string_equal(p.value[1], "");
}

static void test_parse_reports_missing_key_with_line_number(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("# c\na=1\n=value\n", &p, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "t.properties:3"));
  assert_non_null(strstr(err.msg, "missing key"));
}

static void test_parse_prefixes_callback_errors_with_position(void **state) {
  (void)state;
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse("a=1\n\nfail=2\n", &p, &err), WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "t.properties:3: callback refused \"fail\"");
}

static void test_parse_rejects_nul_byte(void **state) {
  (void)state;
  pairs_t p = {0};
  weir_error_t err;
  assert_int_equal(weir_props_parse("a=1\0b=2", 7, "bin", collect, &p, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "NUL"));
}

static void test_parse_rejects_overlong_line(void **state) {
  (void)state;
  size_t n = WEIR_PROPS_MAX_LINE_BYTES + 10;
  char *text = malloc(n + 1);
  memset(text, 'x', n);
  text[0] = 'k';
  text[1] = '=';
  text[n] = '\0';
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse(text, &p, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "longer than"));
  free(text);
}

static void test_parse_rejects_too_many_entries(void **state) {
  (void)state;
  size_t n = (WEIR_PROPS_MAX_ENTRIES + 1) * 4;
  char *text = malloc(n + 1);
  for (size_t i = 0; i < n; i += 4) memcpy(text + i, "k=v\n", 4);
  text[n] = '\0';
  pairs_t p;
  weir_error_t err;
  assert_int_equal(parse(text, &p, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "more than"));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_accepts_equals_colon_and_space_separators),
      cmocka_unit_test(test_parse_skips_comments_and_blank_lines),
      cmocka_unit_test(test_parse_trims_whitespace_around_key_and_value),
      cmocka_unit_test(test_parse_joins_continuation_lines),
      cmocka_unit_test(test_parse_keeps_escaped_backslash_at_line_end),
      cmocka_unit_test(test_parse_decodes_escapes),
      cmocka_unit_test(test_parse_rejects_malformed_unicode_escape),
      cmocka_unit_test(test_parse_handles_crlf_and_cr_line_endings),
      cmocka_unit_test(test_parse_allows_empty_value),
      cmocka_unit_test(test_parse_reports_missing_key_with_line_number),
      cmocka_unit_test(test_parse_prefixes_callback_errors_with_position),
      cmocka_unit_test(test_parse_rejects_nul_byte),
      cmocka_unit_test(test_parse_rejects_overlong_line),
      cmocka_unit_test(test_parse_rejects_too_many_entries),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
