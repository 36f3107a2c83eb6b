// SPDX-License-Identifier: Apache-2.0
/* `weir topics create|list|describe|delete|alter [TOPIC]`: one table of
 * subcommands that drives dispatch and `weir topics --help`, and every check
 * made before the broker is contacted (the options a subcommand takes, the
 * topic name under Kafka's rules, --config KEY=VALUE, --delete-config KEY,
 * the ranges of --partitions and --replication-factor), so a bad command
 * line exits 2 without a connection. What a subcommand sends and prints is
 * tool_topics_cmds.c's; the admin API is tool_topics_admin.c's. */
#include "broker/topic_name.h"
#include "tool_topics.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "platform/tools.h"
#include "platform_int.h"

/* Kafka's longest topic name (its log directory is "<topic>-<partition>"). */

/* The options a subcommand takes beyond --bootstrap-server, --command-config, --topic. */
enum {
  TAKES_PARTITIONS = 1u << 0,
  TAKES_REPLICATION = 1u << 1,
  TAKES_CONFIG = 1u << 2,
  TAKES_DELETE_CONFIG = 1u << 3,
  TAKES_IF_EXISTS = 1u << 4,
  TAKES_IF_NOT_EXISTS = 1u << 5,
};

typedef enum { TOPIC_REQUIRED, TOPIC_OPTIONAL, TOPIC_NONE } topic_rule_t;

typedef struct tt_command {
  const char *name;
  int (*run)(weir_tt_t *tt);
  unsigned takes;
  topic_rule_t topic;
  const char *synopsis; /* after "weir topics NAME" in --help */
  const char *summary;
} tt_command_t;

static const tt_command_t k_commands[] = {
    {"create", weir_tt_cmd_create, TAKES_PARTITIONS | TAKES_REPLICATION | TAKES_CONFIG | TAKES_IF_NOT_EXISTS,
     TOPIC_REQUIRED,
     "TOPIC [--partitions N] [--replication-factor N] [--config KEY=VALUE]... [--if-not-exists]",
     "create a topic; counts not given are the broker's defaults (num.partitions,\n"
     "      default.replication.factor); an existing topic exits 4 unless --if-not-exists"},
    {"list", weir_tt_cmd_list, 0, TOPIC_NONE, "",
     "print every topic name, sorted, one per line (internal topics such as\n"
     "      __consumer_offsets included, as kafka-topics.sh does)"},
    {"describe", weir_tt_cmd_describe, TAKES_IF_EXISTS, TOPIC_OPTIONAL, "[TOPIC] [--if-exists]",
     "print TOPIC (or every topic) as kafka-topics.sh --describe does: a line with the\n"
     "      partition count, replication factor and non-default configs, then one line per\n"
     "      partition with its leader, replicas and in-sync replicas"},
    {"delete", weir_tt_cmd_delete, TAKES_IF_EXISTS, TOPIC_REQUIRED, "TOPIC [--if-exists]",
     "delete a topic and its records"},
    {"alter", weir_tt_cmd_alter, TAKES_PARTITIONS | TAKES_CONFIG | TAKES_DELETE_CONFIG | TAKES_IF_EXISTS,
     TOPIC_REQUIRED, "TOPIC [--partitions N] [--config KEY=VALUE]... [--delete-config KEY]... [--if-exists]",
     "raise the partition count to N (it cannot shrink; the same N is a no-op), set\n"
     "      configs, return the --delete-config ones to their defaults; other configs are kept"},
};
#define N_COMMANDS (sizeof k_commands / sizeof k_commands[0])

int weir_tt_exit_for(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
      return WEIR_EXIT_NOT_FOUND;
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return WEIR_EXIT_CONFLICT;
    default:
      return WEIR_EXIT_FAILED;
  }
}

int weir_tt_topic_fail(const char *verb, const char *topic, const weir_tt_status_t *st) {
  return weir_tk_fail(WEIR_TT_TOOL, weir_tt_exit_for(st->err), "cannot %s topic %s: %s [%s]", verb, topic,
                      st->msg, rd_kafka_err2name(st->err));
}

int weir_tt_not_found(const weir_tt_t *tt) {
  if (tt->opt->if_exists) {
    fprintf(stderr, "%s: topic %s does not exist; nothing to do (--if-exists)\n", WEIR_TT_TOOL, tt->topic);
    return WEIR_EXIT_OK;
  }
  return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_NOT_FOUND, "topic %s does not exist", tt->topic);
}

/* Kafka's topic name rule (the broker's, shared): NULL or the reason. */
static const char *topic_name_problem(const char *name, char *buf, size_t cap) {
  return brk_topic_name_problem(name, strlen(name), buf, cap);
}

static const char *option_refused(const weir_cli_admin_t *o, unsigned takes) {
  if (o->partitions >= 0 && !(takes & TAKES_PARTITIONS)) return "--partitions";
  if (o->replication_factor >= 0 && !(takes & TAKES_REPLICATION)) return "--replication-factor";
  if (o->n_configs > 0 && !(takes & TAKES_CONFIG)) return "--config";
  if (o->n_delete_configs > 0 && !(takes & TAKES_DELETE_CONFIG)) return "--delete-config";
  if (o->if_exists && !(takes & TAKES_IF_EXISTS)) return "--if-exists";
  if (o->if_not_exists && !(takes & TAKES_IF_NOT_EXISTS)) return "--if-not-exists";
  return NULL;
}

static int topic_check(const weir_cli_t *cli, const tt_command_t *cmd, weir_tt_t *tt) {
  const char *pos = cli->n_args > 1 ? cli->args[1] : NULL, *opt = cli->client.topic;
  if (pos && opt && strcmp(pos, opt) != 0)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "two topics given: \"%s\" and --topic \"%s\"", pos,
                        opt);
  tt->topic = pos ? pos : opt;
  if (!tt->topic && cmd->topic == TOPIC_REQUIRED)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "%s needs a TOPIC", cmd->name);
  if (tt->topic && cmd->topic == TOPIC_NONE)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "%s takes no TOPIC (got \"%s\")", cmd->name,
                        tt->topic);
  char buf[512];
  const char *problem = tt->topic ? topic_name_problem(tt->topic, buf, sizeof buf) : NULL;
  if (problem) return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "%s", problem);
  return WEIR_EXIT_OK;
}

static bool key_listed(const weir_tt_t *tt, const char *name) {
  for (size_t i = 0; i < tt->n_set; i++)
    if (strcmp(tt->set[i].name, name) == 0) return true;
  return false;
}

/* Splits every --config KEY=VALUE into tt->set; checks --delete-config KEYs. */
static int configs_check(const weir_cli_admin_t *o, weir_tt_t *tt) {
  if (o->n_configs > 0 && !(tt->set = weir__malloc(o->n_configs * sizeof *tt->set)))
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
  for (size_t i = 0; i < o->n_configs; i++) {
    const char *kv = o->configs[i], *eq = strchr(kv, '=');
    if (!eq || eq == kv)
      return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "--config \"%s\" is not KEY=VALUE", kv);
    char *name = weir__strndup(kv, (size_t)(eq - kv));
    if (!name) return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
    bool twice = key_listed(tt, name);
    tt->set[tt->n_set++] = (weir_tt_kv_t){name, eq + 1};
    if (twice) return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "--config %s given twice", name);
  }
  for (size_t i = 0; i < o->n_delete_configs; i++) {
    const char *key = o->delete_configs[i];
    if (!key[0] || strchr(key, '='))
      return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "--delete-config takes a KEY, not \"%s\"", key);
    if (key_listed(tt, key))
      return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE,
                          "%s is both set (--config) and deleted (--delete-config)", key);
  }
  return WEIR_EXIT_OK;
}

static int options_check(const weir_cli_t *cli, const tt_command_t *cmd, weir_tt_t *tt) {
  const weir_cli_admin_t *o = &cli->admin;
  const char *refused = option_refused(o, cmd->takes);
  if (refused)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "%s does not apply to weir topics %s", refused,
                        cmd->name);
  if (o->partitions > INT32_MAX)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "--partitions %lld is out of range", o->partitions);
  if (o->replication_factor > INT16_MAX)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE, "--replication-factor %lld is out of range",
                        o->replication_factor);
  if (cmd->run == weir_tt_cmd_alter && o->partitions < 0 && o->n_configs == 0 && o->n_delete_configs == 0)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE,
                        "alter needs something to change: --partitions, --config or --delete-config");
  int rc = topic_check(cli, cmd, tt);
  return rc == WEIR_EXIT_OK ? configs_check(o, tt) : rc;
}

static void tt_fini(weir_tt_t *tt) {
  for (size_t i = 0; i < tt->n_set; i++) weir__free((char *)tt->set[i].name);
  weir__free(tt->set);
  weir_tt_close(tt);
}

int weir_tool_topics(const weir_cli_t *cli) {
  if (cli->n_args == 0)
    return weir_tk_fail(
        WEIR_TT_TOOL, WEIR_EXIT_USAGE,
        "no subcommand given: create, list, describe, delete or alter (see weir topics --help)");
  const tt_command_t *cmd = NULL;
  for (size_t i = 0; i < N_COMMANDS && !cmd; i++)
    if (strcmp(k_commands[i].name, cli->args[0]) == 0) cmd = &k_commands[i];
  if (!cmd)
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_USAGE,
                        "unknown subcommand \"%s\": use create, list, describe, delete or alter",
                        cli->args[0]);
  weir_tt_t tt = {.opt = &cli->admin};
  int rc = options_check(cli, cmd, &tt);
  if (rc == WEIR_EXIT_OK) rc = weir_tt_open(&tt, cli);
  if (rc == WEIR_EXIT_OK) rc = cmd->run(&tt);
  tt_fini(&tt);
  if (fflush(stdout) != 0 && rc == WEIR_EXIT_OK)
    rc = weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "cannot write the output: %s", strerror(errno));
  return rc;
}

void weir_tool_topics_usage(FILE *out) {
  fputs(
      "usage: weir topics SUBCOMMAND [TOPIC] [--bootstrap-server HOST:PORT] [options]\n\n"
      "Manages the topics of weir's broker or any Kafka cluster through the Kafka admin API,\n"
      "like kafka-topics.sh. TOPIC may also be given as --topic TOPIC. Topic names are 1 to\n"
      "249 characters of a-z A-Z 0-9 . _ - (not \".\" or \"..\"). Results go to stdout;\n"
      "messages to stderr. No answer within 30 s (10 s to first reach the cluster) exits 1.\n\n"
      "subcommands:\n",
      out);
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(out, "  weir topics %s%s%s\n      %s\n", k_commands[i].name, k_commands[i].synopsis[0] ? " " : "",
            k_commands[i].synopsis, k_commands[i].summary);
  fputs("\noptions:\n", out);
  weir_cli_write_options(out, weir_command_by_id(WEIR_CMD_TOPICS));
  fputs(
      "\nexamples:\n"
      "  weir topics create orders --partitions 3 --config retention.ms=86400000\n"
      "  weir topics create orders --if-not-exists --bootstrap-server kafka1:9092\n"
      "  weir topics list\n"
      "  weir topics describe orders\n"
      "  weir topics alter orders --partitions 6\n"
      "  weir topics alter orders --config cleanup.policy=compact --delete-config retention.ms\n"
      "  weir topics delete orders --if-exists\n"
      "  weir topics list --bootstrap-server kafka1:9093 --command-config client.properties\n"
      "\nexit status:\n"
      "  0  done (also: nothing to do under --if-exists / --if-not-exists)\n"
      "  1  the broker is unreachable, did not answer in time, or refused the request\n"
      "     (invalid config, partition count or replication factor)\n"
      "  2  bad command line (unknown subcommand, bad topic name, --config without '=')\n"
      "  3  the topic does not exist (describe, delete, alter)\n"
      "  4  the topic already exists (create)\n",
      out);
}
