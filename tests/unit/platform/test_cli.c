// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/cli.c: commands, option forms, and usage errors that
 * name the offending argument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/cli.h"
#include "platform/props.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void test_cli_without_arguments_has_no_command(void **state) {
  (void)state;
  char *argv[] = {"weir"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_null(cli.command);
  assert_false(cli.help);
}

static void test_cli_registry_records_every_option(void **state) {
  (void)state;
  char *argv[] = {"weir", "registry", "--listen", "127.0.0.1:0",  "--data-dir", "/tmp/d",
                  "-o",   "a=1",      "--config", "f.properties", "-o",         "b=2"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_REGISTRY);
  assert_string_equal(cli.listen, "127.0.0.1:0");
  assert_string_equal(cli.data_dir, "/tmp/d");
  assert_string_equal(cli.config_file, "f.properties");
  assert_int_equal(cli.n_overrides, 2);
  assert_string_equal(cli.overrides[0], "a=1");
  assert_string_equal(cli.overrides[1], "b=2");
}

static void test_cli_accepts_options_before_command_and_attached_values(void **state) {
  (void)state;
  char *argv[] = {"weir", "--listen=:8081", "-okey=v", "-c", "x.properties", "start", "--override", "k2=v2"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_START);
  assert_string_equal(cli.listen, ":8081");
  assert_int_equal(cli.n_overrides, 2);
  assert_string_equal(cli.overrides[0], "key=v");
  assert_string_equal(cli.config_file, "x.properties");
}

static void test_cli_help_and_version_flags(void **state) {
  (void)state;
  char *a1[] = {"weir", "--help"};
  char *a2[] = {"weir", "registry", "-h"};
  char *a3[] = {"weir", "--version"};
  char *a4[] = {"weir", "help"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(a1), a1, &cli, NULL), WEIR_OK);
  assert_true(cli.help);
  assert_int_equal(weir_cli_parse(ARGC(a2), a2, &cli, NULL), WEIR_OK);
  assert_true(cli.help);
  assert_int_equal(weir_cli_parse(ARGC(a3), a3, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_VERSION);
  assert_int_equal(weir_cli_parse(ARGC(a4), a4, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_HELP);
}

static void expect_usage_error(int argc, char **argv, const char *fragment) {
  weir_cli_t cli;
  weir_error_t err;
  assert_int_equal(weir_cli_parse(argc, argv, &cli, &err), WEIR_ERR_USAGE);
  if (!strstr(err.msg, fragment)) fail_msg("message \"%s\" lacks \"%s\"", err.msg, fragment);
}

static void test_cli_usage_errors_name_the_argument(void **state) {
  (void)state;
  char *a1[] = {"weir", "registry", "--lisen", "x"};
  expect_usage_error(ARGC(a1), a1, "unknown option \"--lisen\"");
  char *a2[] = {"weir", "regsitry"};
  expect_usage_error(ARGC(a2), a2, "unknown command \"regsitry\"");
  char *a3[] = {"weir", "registry", "--listen"};
  expect_usage_error(ARGC(a3), a3, "option \"--listen\" needs HOST:PORT");
  char *a4[] = {"weir", "registry", "start"};
  expect_usage_error(ARGC(a4), a4, "unexpected argument \"start\"");
  char *a5[] = {"weir", "registry", "--config", "a", "--config", "b"};
  expect_usage_error(ARGC(a5), a5, "--config given more than once");
  char *a6[] = {"weir", "registry", "--data-dir="};
  expect_usage_error(ARGC(a6), a6, "empty value");
  char *a7[] = {"weir", "--help=yes"};
  expect_usage_error(ARGC(a7), a7, "unknown option \"--help=yes\"");
}

static void test_cli_broker_command_runs_only_the_broker(void **state) {
  (void)state;
  weir_cli_t cli;
  char *argv[] = {"weir", "broker", "--listen", "127.0.0.1:19092", "--data-dir", "/tmp/b"};
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_BROKER);
  assert_int_equal(cli.command->components, 1u << WEIR_COMP_BROKER);
  assert_string_equal(cli.listen, "127.0.0.1:19092");
  assert_string_equal(cli.data_dir, "/tmp/b");
  char *a2[] = {"weir", "start"};
  assert_int_equal(weir_cli_parse(ARGC(a2), a2, &cli, NULL), WEIR_OK);
  assert_true(cli.command->components & (1u << WEIR_COMP_BROKER));
  assert_true(cli.command->components & (1u << WEIR_COMP_REGISTRY));
}

static void test_cli_usage_lists_commands_options_and_properties(void **state) {
  (void)state;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  weir_cli_write_usage(f);
  fclose(f);
  const char *expected[] = {"broker",
                            "log.flush.interval.messages",
                            "registry",
                            "start",
                            "config",
                            "--listen HOST:PORT",
                            "--data-dir DIR",
                            "-o, --override",
                            "schema.compatibility.level",
                            "listeners"};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
    assert_non_null(strstr(text, expected[i]));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cli_without_arguments_has_no_command),
      cmocka_unit_test(test_cli_registry_records_every_option),
      cmocka_unit_test(test_cli_accepts_options_before_command_and_attached_values),
      cmocka_unit_test(test_cli_help_and_version_flags),
      cmocka_unit_test(test_cli_usage_errors_name_the_argument),
      cmocka_unit_test(test_cli_broker_command_runs_only_the_broker),
      cmocka_unit_test(test_cli_usage_lists_commands_options_and_properties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
