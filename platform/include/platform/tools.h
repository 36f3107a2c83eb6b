// SPDX-License-Identifier: Apache-2.0
/* Client tools run by the weir executable: commands that talk to a running
 * broker over the Kafka protocol (through librdkafka), and to a schema
 * registry over HTTP, instead of serving. Each returns the process exit
 * status (weir_exit_t), which scripts may rely on. Output goes to stdout,
 * diagnostics to stderr. */
#ifndef WEIR_PLATFORM_TOOLS_H
#define WEIR_PLATFORM_TOOLS_H

#include <stdio.h>

#include "platform/cli.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  WEIR_EXIT_OK = 0,        /* done */
  WEIR_EXIT_FAILED = 1,    /* the broker or registry could not answer, refused, or a record failed */
  WEIR_EXIT_USAGE = 2,     /* bad command line or input file */
  WEIR_EXIT_NOT_FOUND = 3, /* the topic, group, subject, version or id does not exist */
  WEIR_EXIT_CONFLICT = 4   /* already exists (topics create), or incompatible (schema check/register) */
} weir_exit_t;

/* `weir groups list` / `weir groups describe GROUP` [--bootstrap-server
 * HOST:PORT]: consumer groups, their members, assignments, committed
 * offsets, log end offsets and lag (tool_groups*.c). */
int weir_tool_groups(const weir_cli_t *cli);

/* `weir produce --topic T [--property K=V]...`: one record per stdin line,
 * Avro through serde and the schema registry, JSON or text, like Confluent's
 * kafka-avro-console-producer (tool_produce.c). Exit 1 when any line or
 * delivery failed; the summary line on stderr says how many. */
int weir_tool_produce(const weir_cli_t *cli);

/* `weir consume --topic T [--from-beginning] [--max-messages N] ...`: one
 * decoded JSON value (or text) per line on stdout, like Confluent's
 * kafka-avro-console-consumer (tool_consume.c). */
int weir_tool_consume(const weir_cli_t *cli);

/* `weir topics create|list|describe|delete|alter [TOPIC] [--bootstrap-server
 * HOST:PORT] ...`, like kafka-topics.sh, through librdkafka's admin API
 * (tool_topics*.c). */
int weir_tool_topics(const weir_cli_t *cli);

/* `weir schema register|get|list|check|delete|config [SUBJECT]
 * [--schema-registry-url URL] ...`: the Schema Registry's REST API over
 * libcurl, against weir or Confluent's registry (tool_schema*.c). */
int weir_tool_schema(const weir_cli_t *cli);

/* `weir topics --help` / `weir schema --help`: subcommands, options,
 * examples and exit codes. */
void weir_tool_topics_usage(FILE *out);
void weir_tool_schema_usage(FILE *out);

/* `weir produce --help` / `weir consume --help`: the command's options and
 * every property it takes (its own and serde's). */
void weir_tool_produce_usage(FILE *out);
void weir_tool_consume_usage(FILE *out);

#ifdef __cplusplus
}
#endif
#endif
