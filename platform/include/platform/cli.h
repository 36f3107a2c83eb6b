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
  WEIR_CMD_REST_PROXY,
  WEIR_CMD_GROUPS,
  WEIR_CMD_PRODUCE,
  WEIR_CMD_CONSUME,
  WEIR_CMD_TOPICS,
  WEIR_CMD_SCHEMA
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
#define WEIR_CLI_MAX_PROPERTIES 256

/* Options of the record tools (weir produce, weir consume), spelled like
 * Kafka's console producer and consumer. Only the shape is checked here
 * (numbers are numbers); the tools interpret the KEY=VALUE lists. */
typedef struct weir_cli_client {
  const char *topic;                                   /* --topic T */
  const char *group;                                   /* --group G (consume) */
  const char *properties[WEIR_CLI_MAX_PROPERTIES];     /* --property KEY=VALUE, in order */
  size_t n_properties;
  const char *kafka_properties[WEIR_CLI_MAX_PROPERTIES]; /* --producer-property / --consumer-property */
  size_t n_kafka_properties;
  const char *kafka_config;                            /* --producer.config / --consumer.config FILE */
  bool from_beginning;                                 /* --from-beginning (consume) */
  long long max_messages;                              /* --max-messages N (consume); -1 = unlimited */
  long long timeout_ms;                                /* --timeout-ms N (consume); -1 = none */
} weir_cli_client_t;

/* Options of the admin tools (weir topics, weir schema). Spelled like
 * kafka-topics.sh (--partitions, --replication-factor, --config KEY=VALUE,
 * --if-exists) and Confluent's schema tools. Only the shape is checked here. */
typedef struct weir_cli_admin {
  long long partitions;                               /* --partitions N; -1 = not given */
  long long replication_factor;                       /* --replication-factor N; -1 = not given */
  const char *configs[WEIR_CLI_MAX_PROPERTIES];       /* --config KEY=VALUE (weir topics create/alter) */
  size_t n_configs;
  const char *delete_configs[WEIR_CLI_MAX_PROPERTIES]; /* --delete-config KEY (weir topics alter) */
  size_t n_delete_configs;
  bool if_exists;                                     /* --if-exists (topics alter/delete/describe) */
  bool if_not_exists;                                 /* --if-not-exists (topics create) */
  const char *registry_url;                           /* --schema-registry-url URL (weir schema) */
  const char *subject;                                /* --subject S (or the positional argument) */
  const char *version;                                /* --version V|latest (weir schema) */
  long long id;                                       /* --id N (weir schema get); -1 = not given */
  const char *schema_file;                            /* --schema-file FILE, "-" = stdin */
  const char *schema;                                 /* --schema TEXT */
  const char *schema_type;                            /* --schema-type AVRO|PROTOBUF|JSON */
  const char *references[WEIR_CLI_MAX_PROPERTIES];    /* --reference NAME=SUBJECT:VERSION */
  size_t n_references;
  const char *compatibility;                          /* --compatibility LEVEL (weir schema config) */
  bool permanent;                                     /* --permanent (weir schema delete) */
  bool deleted;                                       /* --deleted: include soft-deleted (weir schema list/get) */
  bool normalize;                                     /* --normalize (weir schema register/check) */
} weir_cli_admin_t;

typedef struct weir_cli {
  const weir_command_t *command;                 /* NULL when argv named none */
  bool help;                                     /* --help / -h given */
  bool markdown;                                 /* weir config --markdown */
  const char *config_file;                       /* --config FILE */
  const char *listen;                            /* --listen HOST:PORT */
  const char *data_dir;                          /* --data-dir DIR */
  unsigned skip_components;                      /* weir start --no-broker/--no-registry/--no-rest-proxy:
                                                    bit (1u << weir_component_id_t) per server left out */
  const char *overrides[WEIR_CLI_MAX_OVERRIDES]; /* -o key=value, in order */
  size_t n_overrides;
  const char *bootstrap_server;                  /* --bootstrap-server HOST:PORT (client tools) */
  const char *args[WEIR_CLI_MAX_ARGS];           /* positional arguments after the command */
  size_t n_args;
  weir_cli_client_t client;                      /* weir produce / weir consume options */
  weir_cli_admin_t admin;                        /* weir topics / weir schema options */
} weir_cli_t;

/* Parses argv[1..argc). Options may come before or after the command and
 * take their value as the next argument or after '=' (`--listen=:8081`,
 * `-okey=value`). A few names mean something else after some commands, as
 * in Kafka's tools: `weir topics ... --config KEY=VALUE` is a topic config,
 * `weir schema ... --version 3` a schema version. Errors: WEIR_ERR_USAGE naming the bad argument, also for
 * an option the command does not take (`weir start --topic t`). */
weir_code_t weir_cli_parse(int argc, char *const argv[], weir_cli_t *cli, weir_error_t *err);

/* Writes the `weir --help` text. */
void weir_cli_write_usage(FILE *out);

/* Writes the option lines of `--help`: every option (command NULL), or only
 * those `command` takes (for `weir produce --help`). */
void weir_cli_write_options(FILE *out, const weir_command_t *command);

/* The command table entry for id (static). */
const weir_command_t *weir_command_by_id(weir_command_id_t id);

#ifdef __cplusplus
}
#endif
#endif
