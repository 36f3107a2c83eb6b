// SPDX-License-Identifier: Apache-2.0
/* The weir executable: parses the command line, dispatches on the command,
 * and maps error codes to exit statuses (0 clean shutdown, 1 start failure,
 * 2 usage or configuration error). Everything else lives in weir_platform. */
#include <stdio.h>

#include "log/log.h"
#include "platform/cli.h"
#include "platform/config.h"
#include "platform/props.h"
#include "platform/run.h"
#include "platform/tools.h"

#ifndef WEIR_VERSION
#define WEIR_VERSION "0.0.0"
#endif

static int exit_status(weir_code_t code) {
  switch (code) {
    case WEIR_OK:
      return 0;
    case WEIR_ERR_USAGE:
    case WEIR_ERR_CONFIG:
    case WEIR_ERR_IO:
      return 2;
    case WEIR_ERR_NOMEM:
    case WEIR_ERR_START:
      return 1;
  }
  return 1;
}

static int fail(const weir_error_t *err) {
  fprintf(stderr, "weir: %s\n", err->msg);
  return exit_status(err->code);
}

/* `weir config`: validates --config/-o, prints the effective configuration
 * (or, with --markdown, the property reference). */
static int cmd_config(const weir_cli_t *cli) {
  weir_error_t err = {0};
  weir_props_t *props = weir_config_build(cli, &err);
  if (!props) return fail(&err);
  int rc = cli->markdown ? weir_props_write_markdown(stdout) : weir_props_write_effective(props, stdout);
  weir_props_destroy(props);
  return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_serve(const weir_cli_t *cli) {
  weir_error_t err = {0};
  unsigned servers = ((1u << WEIR_COMP__COUNT) - 1) & ~(1u << WEIR_COMP_CORE);
  unsigned components = cli->command->components & ~cli->skip_components & servers;
  if (!components) {
    weir_error_set(&err, WEIR_ERR_USAGE, "--no-broker, --no-registry and --no-rest-proxy leave nothing to run");
    return fail(&err);
  }
  weir_props_t *props = weir_config_build(cli, &err);
  if (!props) return fail(&err);
  log_level_t level = LOG_LEVEL_INFO;
  log_level_parse(weir_props_get(props, WEIR_COMP_CORE, "log.level"), &level);
  log_set_level(level);
  log_format_t format = LOG_FORMAT_TEXT;
  log_format_parse(weir_props_get(props, WEIR_COMP_CORE, "log.format"), &format);
  log_set_format(format);
  /* weir start pointed at an external Kafka cluster runs no broker of its own. */
  if (cli->command->id == WEIR_CMD_START && (components & (1u << WEIR_COMP_BROKER)) &&
      weir_props_get(props, WEIR_COMP_REST_PROXY, "bootstrap.servers")[0]) {
    components &= ~(1u << WEIR_COMP_BROKER);
    log_info("weir", "bootstrap.servers is set: using that Kafka cluster, not starting the embedded broker");
  }
  weir_code_t rc = weir_run(props, components, &err);
  weir_props_destroy(props);
  if (rc != WEIR_OK) {
    log_error("weir", "%s", err.msg);
    return exit_status(rc);
  }
  return 0;
}

int main(int argc, char **argv) {
  weir_cli_t cli;
  weir_error_t err = {0};
  if (weir_cli_parse(argc, argv, &cli, &err) != WEIR_OK) return fail(&err);
  if (cli.help) {
    if (cli.command && cli.command->id == WEIR_CMD_PRODUCE)
      weir_tool_produce_usage(stdout);
    else if (cli.command && cli.command->id == WEIR_CMD_CONSUME)
      weir_tool_consume_usage(stdout);
    else if (cli.command && cli.command->id == WEIR_CMD_TOPICS)
      weir_tool_topics_usage(stdout);
    else if (cli.command && cli.command->id == WEIR_CMD_SCHEMA)
      weir_tool_schema_usage(stdout);
    else
      weir_cli_write_usage(stdout);
    return 0;
  }
  if (!cli.command) {
    weir_cli_write_usage(stderr);
    return 2;
  }
  switch (cli.command->id) {
    case WEIR_CMD_HELP:
      weir_cli_write_usage(stdout);
      return 0;
    case WEIR_CMD_VERSION:
      printf("weir %s\n", WEIR_VERSION);
      return 0;
    case WEIR_CMD_CONFIG:
      return cmd_config(&cli);
    case WEIR_CMD_GROUPS:
      return weir_tool_groups(&cli);
    case WEIR_CMD_PRODUCE:
      return weir_tool_produce(&cli);
    case WEIR_CMD_CONSUME:
      return weir_tool_consume(&cli);
    case WEIR_CMD_TOPICS:
      return weir_tool_topics(&cli);
    case WEIR_CMD_SCHEMA:
      return weir_tool_schema(&cli);
    case WEIR_CMD_START:
    case WEIR_CMD_BROKER:
    case WEIR_CMD_REGISTRY:
    case WEIR_CMD_REST_PROXY:
      return cmd_serve(&cli);
  }
  return 2;
}
