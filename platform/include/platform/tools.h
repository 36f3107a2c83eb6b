// SPDX-License-Identifier: Apache-2.0
/* Client tools run by the weir executable: commands that talk to a running
 * broker over the Kafka protocol (through librdkafka), and to a schema
 * registry through serde, instead of serving. Each returns the process exit
 * status: 0 done, 1 the broker or registry could not answer or a record
 * failed, 2 usage error. Output goes to stdout, diagnostics to stderr. */
#ifndef WEIR_PLATFORM_TOOLS_H
#define WEIR_PLATFORM_TOOLS_H

#include <stdio.h>

#include "platform/cli.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* `weir produce --help` / `weir consume --help`: the command's options and
 * every property it takes (its own and serde's). */
void weir_tool_produce_usage(FILE *out);
void weir_tool_consume_usage(FILE *out);

#ifdef __cplusplus
}
#endif
#endif
