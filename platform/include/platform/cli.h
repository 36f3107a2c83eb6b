// SPDX-License-Identifier: Apache-2.0
/* The command line: one command table (name, the server components it runs,
 * a summary) and the parser for `weir <command> [options]`. Parsing only
 * records what was asked; building the configuration is config.h's job and
 * running servers is run.h's. argv strings are borrowed, not copied. */
#ifndef WEIR_PLATFORM_CLI_H
#define WEIR_PLATFORM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "platform/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  WEIR_CMD_HELP,
  WEIR_CMD_VERSION,
  WEIR_CMD_CONFIG,
  WEIR_CMD_START,
  WEIR_CMD_BROKER,
  WEIR_CMD_REGISTRY,
  WEIR_CMD_GROUPS
} weir_command_id_t;

typedef struct weir_command {
  const char *name;
  weir_command_id_t id;
  unsigned components; /* bit (1u << weir_component_id_t) per server it runs; 0 for tools */
  const char *summary;
} weir_command_t;

/* The command table, in `--help` order. Static. */
const weir_command_t *weir_command_table(size_t *count);

#define WEIR_CLI_MAX_OVERRIDES 256
#define WEIR_CLI_MAX_ARGS 4

typedef struct weir_cli {
  const weir_command_t *command;                 /* NULL when argv named none */
  bool help;                                     /* --help / -h given */
  const char *config_file;                       /* --config FILE */
  const char *listen;                            /* --listen HOST:PORT */
  const char *data_dir;                          /* --data-dir DIR */
  const char *overrides[WEIR_CLI_MAX_OVERRIDES]; /* -o key=value, in order */
  size_t n_overrides;
  const char *bootstrap_server;                  /* --bootstrap-server HOST:PORT (client tools) */
  const char *args[WEIR_CLI_MAX_ARGS];           /* positional arguments after the command */
  size_t n_args;
} weir_cli_t;

/* Parses argv[1..argc). Options may come before or after the command and
 * take their value as the next argument or after '=' (`--listen=:8081`,
 * `-okey=value`). Errors: WEIR_ERR_USAGE naming the bad argument. */
weir_code_t weir_cli_parse(int argc, char *const argv[], weir_cli_t *cli, weir_error_t *err);

/* Writes the `weir --help` text. */
void weir_cli_write_usage(FILE *out);

#ifdef __cplusplus
}
#endif
#endif
