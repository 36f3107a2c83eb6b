// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/props_file.c: loading a file into a store, errors
 * that name file, line and key, the size limit. */
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

#include "platform/props_file.h"

/* Writes text (len bytes) to a fresh temp file; path into buf. */
static void temp_file(char *buf, size_t cap, const char *text, size_t len) {
  snprintf(buf, cap, "/tmp/weir-test-props-XXXXXX");
  int fd = mkstemp(buf);
  assert_true(fd >= 0);
  for (size_t off = 0; off < len;) {
    ssize_t n = write(fd, text + off, len - off);
    assert_true(n > 0);
    off += (size_t)n;
  }
  close(fd);
}

static void test_props_file_loads_every_entry(void **state) {
  (void)state;
  char path[64];
  const char *text = "listeners=http://127.0.0.1:1\nmode.mutability=false\n";
  temp_file(path, sizeof path, text, strlen(text));
  weir_props_t *p = weir_props_new();
  weir_error_t err;
  assert_int_equal(weir_props_load_file(p, path, &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "listeners"), "http://127.0.0.1:1");
  assert_false(weir_props_get_bool(p, WEIR_COMP_REGISTRY, "mode.mutability"));
  weir_props_destroy(p);
  unlink(path);
}

static void test_props_file_unknown_key_names_file_line_and_key(void **state) {
  (void)state;
  char path[64];
  const char *text = "listeners=http://127.0.0.1:1\n\nkafkastore.bootstrap.servers=PLAINTEXT://k:9092\n";
  temp_file(path, sizeof path, text, strlen(text));
  weir_props_t *p = weir_props_new();
  weir_error_t err;
  assert_int_equal(weir_props_load_file(p, path, &err), WEIR_ERR_CONFIG);
  char expected[256];
  snprintf(expected, sizeof expected, "%s:3: unknown property \"kafkastore.bootstrap.servers\"", path);
  assert_string_equal(err.msg, expected);
  weir_props_destroy(p);
  unlink(path);
}

static void test_props_file_missing_file_is_io_error(void **state) {
  (void)state;
  weir_props_t *p = weir_props_new();
  weir_error_t err;
  assert_int_equal(weir_props_load_file(p, "/nonexistent/x.properties", &err), WEIR_ERR_IO);
  assert_non_null(strstr(err.msg, "/nonexistent/x.properties"));
  weir_props_destroy(p);
}

static void test_props_file_rejects_files_over_the_size_limit(void **state) {
  (void)state;
  size_t len = WEIR_PROPS_MAX_FILE_BYTES + 1;
  char *text = malloc(len);
  memset(text, '#', len);
  char path[64];
  temp_file(path, sizeof path, text, len);
  free(text);
  weir_props_t *p = weir_props_new();
  weir_error_t err;
  assert_int_equal(weir_props_load_file(p, path, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "larger than"));
  weir_props_destroy(p);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_props_file_loads_every_entry),
      cmocka_unit_test(test_props_file_unknown_key_names_file_line_and_key),
      cmocka_unit_test(test_props_file_missing_file_is_io_error),
      cmocka_unit_test(test_props_file_rejects_files_over_the_size_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
