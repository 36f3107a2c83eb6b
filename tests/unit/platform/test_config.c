// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/config.c: precedence of defaults, --config, -o and
 * the shortcuts, and errors that name the option, file and key. */
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

#include "platform/config.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static char g_path[64];

static int write_file(void **state) {
  (void)state;
  snprintf(g_path, sizeof g_path, "/tmp/weir-test-config-XXXXXX");
  int fd = mkstemp(g_path);
  if (fd < 0) return -1;
  const char *text =
      "# a Confluent-style file\n"
      "listeners=http://127.0.0.1:18081\n"
      "schema.compatibility.level: full\n"
      "data.dir = /tmp/from-file\n"
      "thread.pool.max=4\n";
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int remove_file(void **state) {
  (void)state;
  unlink(g_path);
  return 0;
}

static weir_props_t *build(int argc, char **argv, weir_error_t *err) {
  weir_cli_t cli;
  if (weir_cli_parse(argc, argv, &cli, err) != WEIR_OK) return NULL;
  return weir_config_build(&cli, err);
}

static void test_config_defaults_without_options(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry"};
  weir_props_t *p = build(ARGC(argv), argv, NULL);
  assert_non_null(p);
  assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "./weir-data");
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "listeners"), "http://0.0.0.0:8081");
  weir_props_destroy(p);
}

static void test_config_file_then_overrides_then_shortcuts(void **state) {
  (void)state;
  char *argv[] = {"weir",       "registry",
                  "--config",   g_path,
                  "-o",         "schema.compatibility.level=none",
                  "-o",         "data.dir=/tmp/from-o",
                  "--data-dir", "/tmp/from-shortcut"};
  weir_props_t *p = build(ARGC(argv), argv, NULL);
  assert_non_null(p);
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "listeners"), "http://127.0.0.1:18081");
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "schema.compatibility.level"), "none");
  assert_int_equal(weir_props_get_int(p, WEIR_COMP_REGISTRY, "thread.pool.max"), 4);
  assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "/tmp/from-shortcut");
  weir_props_destroy(p);
}

static void test_config_listen_sets_the_registry_listener(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry", "--config", g_path, "--listen", "127.0.0.1:0"};
  weir_props_t *p = build(ARGC(argv), argv, NULL);
  assert_non_null(p);
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "listeners"), "http://127.0.0.1:0");
  weir_props_destroy(p);
}

static void test_config_listen_sets_the_broker_listener_only(void **state) {
  (void)state;
  char *argv[] = {"weir", "broker", "--listen", "127.0.0.1:19092", "-o", "num.partitions=3"};
  weir_props_t *p = build(ARGC(argv), argv, NULL);
  assert_non_null(p);
  assert_string_equal(weir_props_get(p, WEIR_COMP_BROKER, "listeners"), "PLAINTEXT://127.0.0.1:19092");
  assert_string_equal(weir_props_get(p, WEIR_COMP_REGISTRY, "listeners"), "http://0.0.0.0:8081");
  assert_int_equal(weir_props_get_int(p, WEIR_COMP_BROKER, "num.partitions"), 3);
  weir_props_destroy(p);
}

static void test_config_listen_with_start_is_a_usage_error(void **state) {
  (void)state;
  char *argv[] = {"weir", "start", "--listen", "127.0.0.1:0"};
  weir_error_t err;
  assert_null(build(ARGC(argv), argv, &err));
  assert_int_equal(err.code, WEIR_ERR_USAGE);
  assert_non_null(strstr(err.msg, "--listen"));
}

static void test_config_bad_listen_names_the_option(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry", "--listen", "nowhere"};
  weir_error_t err;
  assert_null(build(ARGC(argv), argv, &err));
  assert_int_equal(err.code, WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "--listen: "));
  assert_non_null(strstr(err.msg, "nowhere"));
}

static void test_config_unknown_override_names_option_and_key(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry", "-o", "schema.compatibilty.level=full"};
  weir_error_t err;
  assert_null(build(ARGC(argv), argv, &err));
  assert_int_equal(err.code, WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "-o: unknown property \"schema.compatibilty.level\"");
}

static void test_config_missing_file_is_an_io_error_naming_it(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry", "--config", "/nonexistent/weir.properties"};
  weir_error_t err;
  assert_null(build(ARGC(argv), argv, &err));
  assert_int_equal(err.code, WEIR_ERR_IO);
  assert_non_null(strstr(err.msg, "/nonexistent/weir.properties"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_config_defaults_without_options),
      cmocka_unit_test(test_config_file_then_overrides_then_shortcuts),
      cmocka_unit_test(test_config_listen_sets_the_registry_listener),
      cmocka_unit_test(test_config_listen_sets_the_broker_listener_only),
      cmocka_unit_test(test_config_listen_with_start_is_a_usage_error),
      cmocka_unit_test(test_config_bad_listen_names_the_option),
      cmocka_unit_test(test_config_unknown_override_names_option_and_key),
      cmocka_unit_test(test_config_missing_file_is_an_io_error_naming_it),
  };
  return cmocka_run_group_tests(tests, write_file, remove_file);
}
