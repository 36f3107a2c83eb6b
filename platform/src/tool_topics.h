// SPDX-License-Identifier: Apache-2.0
/* Internals of `weir topics`: one run's checked command line (tool_topics.c),
 * the Kafka admin requests copied into plain results (tool_topics_admin.c,
 * the only file that builds librdkafka admin objects), and the subcommands
 * that send them and print what came back (tool_topics_cmds.c; alter, with
 * its config merge, in tool_topics_alter.c). Every
 * subcommand prints its result on stdout, its diagnostics on stderr as
 * "weir topics: ...", and returns a weir_exit_t. */
#ifndef WEIR_PLATFORM_TOOL_TOPICS_H
#define WEIR_PLATFORM_TOOL_TOPICS_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/cli.h"
#include "tool_kafka.h"

#define WEIR_TT_TOOL "weir topics"
/* Longest wait for any one answer (probe, metadata, admin request). */
#define WEIR_TT_TIMEOUT_MS 30000

/* One config entry to send: a split --config KEY=VALUE (weir_tt_t.set owns
 * the names; values are borrowed from argv), or a kept override. */
typedef struct weir_tt_kv {
  const char *name;
  const char *value;
} weir_tt_kv_t;

/* One run of `weir topics`, its options already checked by tool_topics.c. */
typedef struct weir_tt {
  const weir_cli_admin_t *opt;
  const char *topic; /* the positional argument or --topic; NULL when neither */
  weir_tt_kv_t *set; /* --config, split, in order (no key twice); names owned */
  size_t n_set;
  weir_tk_kafka_t kafka; /* the admin client (rk) */
  rd_kafka_queue_t *q;   /* where admin results arrive */
} weir_tt_t;

/* The outcome of one request, or of one topic in it. */
typedef struct weir_tt_status {
  rd_kafka_resp_err_t err; /* RD_KAFKA_RESP_ERR_NO_ERROR when it worked */
  char msg[512];           /* the broker's message, else librdkafka's text for err */
} weir_tt_status_t;

/* One topic config as DescribeConfigs answered it (copies). */
typedef struct weir_tt_config {
  char *name;
  char *value;      /* NULL when the broker hides it (sensitive) */
  bool is_override; /* set on the topic itself (source DYNAMIC_TOPIC_CONFIG) */
  bool non_default; /* not the built-in default: an override or a broker setting */
} weir_tt_config_t;

/* A topic's configs, or why they could not be read (status.err). */
typedef struct weir_tt_configs {
  weir_tt_status_t status;
  weir_tt_config_t *v;
  size_t n;
} weir_tt_configs_t;

/* A CreateTopics request for one topic; -1 = the broker's default. */
typedef struct weir_tt_new_topic {
  const char *name;
  int partitions;
  int replication_factor;
  const weir_tt_kv_t *configs;
  size_t n_configs;
} weir_tt_new_topic_t;

/* ---- tool_topics_admin.c ------------------------------------------------------- */

/* Builds the admin client from --bootstrap-server and --command-config and
 * waits (bounded) until the cluster answers, so an unreachable broker fails
 * fast. 0 or an exit status (message printed). Close with weir_tt_close,
 * also after a failure. */
int weir_tt_open(weir_tt_t *tt, const weir_cli_t *cli);
void weir_tt_close(weir_tt_t *tt);

/* Metadata of every topic in the cluster (never auto-creates one). NULL with
 * st set on failure; release with rd_kafka_metadata_destroy. */
const struct rd_kafka_metadata *weir_tt_metadata(weir_tt_t *tt, weir_tt_status_t *st);
/* The topic named name in md, NULL when the cluster does not have it. */
const rd_kafka_metadata_topic_t *weir_tt_md_topic(const struct rd_kafka_metadata *md, const char *name);

/* CreateTopics, DeleteTopics, CreatePartitions (to total) and AlterConfigs
 * (the whole set of overrides: what is not listed goes back to its default)
 * for one topic. 0, or -1 with st set (the topic's error, or the request's). */
int weir_tt_create(weir_tt_t *tt, const weir_tt_new_topic_t *nt, weir_tt_status_t *st);
int weir_tt_delete(weir_tt_t *tt, const char *topic, weir_tt_status_t *st);
int weir_tt_create_partitions(weir_tt_t *tt, const char *topic, int total, weir_tt_status_t *st);
int weir_tt_alter_configs(weir_tt_t *tt, const char *topic, const weir_tt_kv_t *kv, size_t n,
                          weir_tt_status_t *st);

/* DescribeConfigs of topics[0..n) in one request: out[i] gets topics[i]'s
 * configs or its own error. 0, or -1 with st set when the request as a whole
 * failed (every out[i] then carries that error too). Release each out[i]
 * with weir_tt_configs_fini. */
int weir_tt_describe_configs(weir_tt_t *tt, const char *const *topics, size_t n, weir_tt_configs_t *out,
                             weir_tt_status_t *st);
void weir_tt_configs_fini(weir_tt_configs_t *c);

/* ---- the subcommands: tool_topics_cmds.c, tool_topics_alter.c (alter) ------------ */

int weir_tt_cmd_create(weir_tt_t *tt);
int weir_tt_cmd_list(weir_tt_t *tt);
int weir_tt_cmd_describe(weir_tt_t *tt);
int weir_tt_cmd_delete(weir_tt_t *tt);
int weir_tt_cmd_alter(weir_tt_t *tt);

/* ---- tool_topics.c ------------------------------------------------------------- */

/* The exit status for a Kafka error: 3 unknown topic, 4 already exists, else 1. */
int weir_tt_exit_for(rd_kafka_resp_err_t err);
/* Prints "weir topics: cannot <verb> topic T: <message> [ERROR_NAME]" and
 * returns weir_tt_exit_for(st->err). */
int weir_tt_topic_fail(const char *verb, const char *topic, const weir_tt_status_t *st);
/* tt->topic does not exist: 0 with a note under --if-exists, else 3 with a message. */
int weir_tt_not_found(const weir_tt_t *tt);

#endif
