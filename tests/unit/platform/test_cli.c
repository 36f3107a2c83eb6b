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

static void test_cli_start_can_leave_servers_out(void **state) {
  (void)state;
  char *argv[] = {"weir", "start", "--no-broker", "--no-rest-proxy"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.skip_components, (1u << WEIR_COMP_BROKER) | (1u << WEIR_COMP_REST_PROXY));
  char *plain[] = {"weir", "start"};
  assert_int_equal(weir_cli_parse(ARGC(plain), plain, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.skip_components, 0);
  char *wrong[] = {"weir", "registry", "--no-registry"};
  weir_error_t err = {0};
  assert_int_equal(weir_cli_parse(ARGC(wrong), wrong, &cli, &err), WEIR_ERR_USAGE);
  assert_non_null(strstr(err.msg, "--no-registry"));
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
                            "listeners",
                            "produce",
                            "consume",
                            "--property KEY=VALUE",
                            "--max-messages N"};
  for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
    assert_non_null(strstr(text, expected[i]));
  free(text);
}

static void test_cli_produce_records_tool_options_in_order(void **state) {
  (void)state;
  char *argv[] = {"weir", "produce", "--topic", "orders", "--property", "schema.registry.url=http://r:8081",
                  "--bootstrap-server=b:9092", "--property=parse.key=true", "--producer-property", "acks=1",
                  "--producer.config", "p.properties"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_PRODUCE);
  assert_string_equal(cli.client.topic, "orders");
  assert_string_equal(cli.bootstrap_server, "b:9092");
  assert_int_equal(cli.client.n_properties, 2);
  assert_string_equal(cli.client.properties[0], "schema.registry.url=http://r:8081");
  assert_string_equal(cli.client.properties[1], "parse.key=true");
  assert_int_equal(cli.client.n_kafka_properties, 1);
  assert_string_equal(cli.client.kafka_properties[0], "acks=1");
  assert_string_equal(cli.client.kafka_config, "p.properties");
  assert_int_equal(cli.client.max_messages, -1);
  assert_int_equal(cli.client.timeout_ms, -1);
  assert_false(cli.client.from_beginning);
}

static void test_cli_consume_parses_counts_and_flags(void **state) {
  (void)state;
  char *argv[] = {"weir", "--from-beginning", "consume", "--topic", "t", "--max-messages", "25", "--timeout-ms=0",
                  "--group", "g1", "--consumer-property", "fetch.wait.max.ms=10", "--consumer.config", "c.conf"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_CONSUME);
  assert_true(cli.client.from_beginning);
  assert_int_equal(cli.client.max_messages, 25);
  assert_int_equal(cli.client.timeout_ms, 0);
  assert_string_equal(cli.client.group, "g1");
  assert_string_equal(cli.client.kafka_properties[0], "fetch.wait.max.ms=10");
  assert_string_equal(cli.client.kafka_config, "c.conf");
}

static void test_cli_rejects_tool_options_a_command_does_not_take(void **state) {
  (void)state;
  char *a1[] = {"weir", "start", "--topic", "t"};
  expect_usage_error(ARGC(a1), a1, "option \"--topic\" does not apply to weir start");
  char *a2[] = {"weir", "--from-beginning", "produce", "--topic", "t"};
  expect_usage_error(ARGC(a2), a2, "option \"--from-beginning\" does not apply to weir produce");
  char *a3[] = {"weir", "consume", "--producer-property", "acks=1"};
  expect_usage_error(ARGC(a3), a3, "option \"--producer-property\" does not apply to weir consume");
  char *a4[] = {"weir", "produce", "--data-dir", "/tmp/x"};
  expect_usage_error(ARGC(a4), a4, "option \"--data-dir\" does not apply to weir produce");
  char *a5[] = {"weir", "consume", "--max-messages", "ten"};
  expect_usage_error(ARGC(a5), a5, "option \"--max-messages\" needs a non-negative integer, not \"ten\"");
  char *a6[] = {"weir", "consume", "--timeout-ms", "-5"};
  expect_usage_error(ARGC(a6), a6, "--timeout-ms");
  char *a7[] = {"weir", "consume", "--topic", "a", "--topic", "b"};
  expect_usage_error(ARGC(a7), a7, "--topic given more than once");
}

static void test_cli_command_options_list_only_that_commands_options(void **state) {
  (void)state;
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  weir_cli_write_options(f, weir_command_by_id(WEIR_CMD_CONSUME));
  fclose(f);
  assert_non_null(strstr(text, "--from-beginning"));
  assert_non_null(strstr(text, "--consumer-property KEY=VALUE"));
  assert_non_null(strstr(text, "--bootstrap-server HOST:PORT"));
  assert_null(strstr(text, "--producer-property"));
  assert_null(strstr(text, "--data-dir"));
  free(text);
}

static void test_cli_topics_config_is_a_topic_config_after_the_command(void **state) {
  (void)state;
  char *argv[] = {"weir",      "topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=1",
                  "--config", "cleanup.policy=compact", "--if-not-exists"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_TOPICS);
  assert_int_equal(cli.n_args, 2);
  assert_string_equal(cli.args[0], "create");
  assert_string_equal(cli.args[1], "orders");
  assert_int_equal(cli.admin.partitions, 3);
  assert_int_equal(cli.admin.replication_factor, -1);
  assert_null(cli.config_file);
  assert_int_equal(cli.admin.n_configs, 2);
  assert_string_equal(cli.admin.configs[1], "cleanup.policy=compact");
  assert_true(cli.admin.if_not_exists);
  /* The servers' --config is still the properties file. */
  char *serve[] = {"weir", "registry", "--config", "sr.properties"};
  assert_int_equal(weir_cli_parse(ARGC(serve), serve, &cli, NULL), WEIR_OK);
  assert_string_equal(cli.config_file, "sr.properties");
  assert_int_equal(cli.admin.n_configs, 0);
}

static void test_cli_schema_version_is_a_schema_version_after_the_command(void **state) {
  (void)state;
  char *argv[] = {"weir", "schema", "get", "orders-value", "--version", "latest", "--schema-registry-url",
                  "http://sr:8081", "--deleted"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_SCHEMA);
  assert_string_equal(cli.admin.version, "latest");
  assert_string_equal(cli.admin.registry_url, "http://sr:8081");
  assert_true(cli.admin.deleted);
  assert_int_equal(cli.admin.id, -1);
  char *version[] = {"weir", "--version"};
  assert_int_equal(weir_cli_parse(ARGC(version), version, &cli, NULL), WEIR_OK);
  assert_int_equal(cli.command->id, WEIR_CMD_VERSION);
  weir_error_t err = {0};
  char *wrong[] = {"weir", "topics", "list", "--schema-file", "x.avsc"};
  assert_int_equal(weir_cli_parse(ARGC(wrong), wrong, &cli, &err), WEIR_ERR_USAGE);
  assert_non_null(strstr(err.msg, "--schema-file"));
  char *id[] = {"weir", "schema", "get", "--id", "x"};
  assert_int_equal(weir_cli_parse(ARGC(id), id, &cli, &err), WEIR_ERR_USAGE);
}

static void test_cli_config_markdown_flag(void **state) {
  (void)state;
  char *argv[] = {"weir", "config", "--markdown"};
  weir_cli_t cli;
  assert_int_equal(weir_cli_parse(ARGC(argv), argv, &cli, NULL), WEIR_OK);
  assert_true(cli.markdown);
  weir_error_t err = {0};
  char *wrong[] = {"weir", "start", "--markdown"};
  assert_int_equal(weir_cli_parse(ARGC(wrong), wrong, &cli, &err), WEIR_ERR_USAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cli_topics_config_is_a_topic_config_after_the_command),
      cmocka_unit_test(test_cli_schema_version_is_a_schema_version_after_the_command),
      cmocka_unit_test(test_cli_config_markdown_flag),
      cmocka_unit_test(test_cli_without_arguments_has_no_command),
      cmocka_unit_test(test_cli_registry_records_every_option),
      cmocka_unit_test(test_cli_accepts_options_before_command_and_attached_values),
      cmocka_unit_test(test_cli_help_and_version_flags),
      cmocka_unit_test(test_cli_usage_errors_name_the_argument),
      cmocka_unit_test(test_cli_broker_command_runs_only_the_broker),
      cmocka_unit_test(test_cli_usage_lists_commands_options_and_properties),
      cmocka_unit_test(test_cli_produce_records_tool_options_in_order),
      cmocka_unit_test(test_cli_consume_parses_counts_and_flags),
      cmocka_unit_test(test_cli_rejects_tool_options_a_command_does_not_take),
      cmocka_unit_test(test_cli_command_options_list_only_that_commands_options),
      cmocka_unit_test(test_cli_start_can_leave_servers_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
