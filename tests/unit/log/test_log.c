// SPDX-License-Identifier: Apache-2.0
/* Tests of log/src/log.c: levels filter, both line formats, and hostile
 * message text (newlines, quotes, invalid UTF-8, oversize) staying one valid
 * line. stderr is redirected to a temporary file to read what was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>
#include <jansson.h>

#include "log/log.h"

/* Runs one log_write with stderr captured; returns what it wrote (malloc). */
static char *capture(log_level_t level, const char *component, const char *msg) {
  char path[] = "/tmp/weir-test-log-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  log_write(level, component, "%s", msg);
  dup2(saved, STDERR_FILENO);
  close(saved);
  off_t len = lseek(fd, 0, SEEK_END);
  char *text = calloc(1, (size_t)len + 1);
  assert_int_equal(pread(fd, text, (size_t)len, 0), len);
  close(fd);
  unlink(path);
  return text;
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

static void test_text_line_shape_and_level_filter(void **state) {
  (void)state;
  log_set_format(LOG_FORMAT_TEXT);
  log_set_level(LOG_LEVEL_WARN);
  char *none = capture(LOG_LEVEL_INFO, "broker", "hidden");
  assert_string_equal(none, "");
  char *line = capture(LOG_LEVEL_ERROR, "broker", "disk full");
  assert_int_equal(strlen(line), strlen("2026-01-01T00:00:00.000Z ERROR broker: disk full\n"));
  assert_string_equal(line + 24, " ERROR broker: disk full\n");
  assert_int_equal(line[4], '-');
  assert_int_equal(line[23], 'Z');
  free(none);
  free(line);
  log_set_level(LOG_LEVEL_INFO);
}

static void test_text_escapes_control_characters(void **state) {
  (void)state;
  log_set_format(LOG_FORMAT_TEXT);
  char *line = capture(LOG_LEVEL_WARN, "http", "GET /x\n2026-01-01T00:00:00.000Z ERROR forged\r");
  assert_int_equal(count_lines(line), 1);
  assert_non_null(strstr(line, "GET /x\\n2026"));
  assert_non_null(strstr(line, "forged\\u000d\n"));
  free(line);
}

static void test_json_lines_parse_with_every_field(void **state) {
  (void)state;
  log_set_format(LOG_FORMAT_JSON);
  const char *hostile[] = {
      "plain",
      "quote \" backslash \\ newline \n tab \t",
      "bad utf8 \xff\xfe and overlong \xc0\xaf and surrogate \xed\xa0\x80 and ok \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
      "cut \xe2\x82",
  };
  for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
    char *line = capture(LOG_LEVEL_INFO, "registry", hostile[i]);
    assert_int_equal(count_lines(line), 1);
    json_error_t jerr;
    json_t *obj = json_loads(line, 0, &jerr);
    if (!obj) fail_msg("not JSON (%s): %s", jerr.text, line);
    assert_string_equal(json_string_value(json_object_get(obj, "level")), "INFO");
    assert_string_equal(json_string_value(json_object_get(obj, "component")), "registry");
    assert_int_equal(strlen(json_string_value(json_object_get(obj, "ts"))), 24);
    const char *msg = json_string_value(json_object_get(obj, "msg"));
    assert_non_null(msg);
    if (i < 2) assert_string_equal(msg, hostile[i]);
    if (i == 2) assert_non_null(strstr(msg, "ok \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
    json_decref(obj);
    free(line);
  }
  log_set_format(LOG_FORMAT_TEXT);
}

static void test_oversize_messages_stay_one_valid_line(void **state) {
  (void)state;
  char big[8000];
  for (size_t i = 0; i + 1 < sizeof big; i++) big[i] = (i % 3 == 0) ? '"' : (i % 3 == 1) ? '\n' : 'x';
  big[sizeof big - 1] = '\0';
  log_set_format(LOG_FORMAT_JSON);
  char *line = capture(LOG_LEVEL_ERROR, "rest-proxy", big);
  assert_int_equal(count_lines(line), 1);
  assert_true(strlen(line) <= 4096);
  json_t *obj = json_loads(line, 0, NULL);
  assert_non_null(obj);
  json_decref(obj);
  free(line);
  log_set_format(LOG_FORMAT_TEXT);
  line = capture(LOG_LEVEL_ERROR, "rest-proxy", big);
  assert_int_equal(count_lines(line), 1);
  free(line);
}

static void test_format_names_parse(void **state) {
  (void)state;
  log_format_t f;
  assert_int_equal(log_format_parse("JSON", &f), 0);
  assert_int_equal(f, LOG_FORMAT_JSON);
  assert_int_equal(log_format_parse("text", &f), 0);
  assert_int_equal(f, LOG_FORMAT_TEXT);
  assert_int_equal(log_format_parse("xml", &f), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_line_shape_and_level_filter),
      cmocka_unit_test(test_text_escapes_control_characters),
      cmocka_unit_test(test_json_lines_parse_with_every_field),
      cmocka_unit_test(test_oversize_messages_stay_one_valid_line),
      cmocka_unit_test(test_format_names_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
