// SPDX-License-Identifier: Apache-2.0
/* The command table and argv parsing (cli.h), plus the `--help` text built
 * from both tables. It records what was asked and validates the shape of the
 * command line; property values are checked later by config.c/props.c. */
#include "platform/cli.h"

#include <assert.h>
#include <stdbool.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/props.h"

#define COMP_BIT(c) (1u << (c))

static const weir_command_t k_commands[] = {
    {"start", WEIR_CMD_START, ~0u, "run every component: the broker, the Schema Registry and the REST Proxy"},
    {"broker", WEIR_CMD_BROKER, COMP_BIT(WEIR_COMP_BROKER), "run the Kafka-protocol broker alone (port 9092)"},
    {"registry", WEIR_CMD_REGISTRY, COMP_BIT(WEIR_COMP_REGISTRY),
     "run the Schema Registry alone (port 8081)"},
    {"rest-proxy", WEIR_CMD_REST_PROXY, COMP_BIT(WEIR_COMP_REST_PROXY),
     "run the REST Proxy alone (port 8082), against bootstrap.servers and schema.registry.url"},
    {"config", WEIR_CMD_CONFIG, 0, "print the effective configuration (--config, -o applied), or --markdown the reference"},
    {"groups", WEIR_CMD_GROUPS, 0, "list consumer groups, or describe one: members, offsets, lag"},
    {"produce", WEIR_CMD_PRODUCE, 0, "write stdin lines to a topic as Avro (schema registry), JSON or text records"},
    {"consume", WEIR_CMD_CONSUME, 0, "print a topic's records as JSON lines, decoding Avro through the schema registry"},
    {"topics", WEIR_CMD_TOPICS, 0, "create, list, describe, alter or delete topics (like kafka-topics.sh)"},
    {"schema", WEIR_CMD_SCHEMA, 0, "register, get, list, check or delete schemas; get or set compatibility"},
    {"version", WEIR_CMD_VERSION, 0, "print the version"},
    {"help", WEIR_CMD_HELP, 0, "print this help"},
};

const weir_command_t *weir_command_table(size_t *count) {
  *count = sizeof k_commands / sizeof k_commands[0];
  return k_commands;
}

const weir_command_t *weir_command_by_id(weir_command_id_t id) {
  for (size_t i = 0; i < sizeof k_commands / sizeof k_commands[0]; i++)
    if (k_commands[i].id == id) return &k_commands[i];
  return NULL;
}

typedef enum {
  OPT_CONFIG,
  OPT_OVERRIDE,
  OPT_LISTEN,
  OPT_DATA_DIR,
  OPT_NO_COMPONENT, /* --no-<component name> */
  OPT_MARKDOWN,
  OPT_BOOTSTRAP,
  OPT_TOPIC,
  OPT_PROPERTY,
  OPT_KAFKA_PROPERTY,
  OPT_KAFKA_CONFIG,
  OPT_GROUP,
  OPT_FROM_BEGINNING,
  OPT_MAX_MESSAGES,
  OPT_TIMEOUT_MS,
  OPT_PARTITIONS,
  OPT_REPLICATION_FACTOR,
  OPT_TOPIC_CONFIG,
  OPT_DELETE_CONFIG,
  OPT_IF_EXISTS,
  OPT_IF_NOT_EXISTS,
  OPT_REGISTRY_URL,
  OPT_SUBJECT,
  OPT_SCHEMA_VERSION,
  OPT_SCHEMA_ID,
  OPT_SCHEMA_FILE,
  OPT_SCHEMA_TEXT,
  OPT_SCHEMA_TYPE,
  OPT_REFERENCE,
  OPT_COMPATIBILITY,
  OPT_PERMANENT,
  OPT_DELETED,
  OPT_NORMALIZE,
  OPT_HELP,
  OPT_VERSION
} opt_kind_t;

typedef struct option_def {
  const char *long_name;
  char short_name; /* 0 = none */
  opt_kind_t kind;
  const char *arg;   /* value placeholder; NULL = flag */
  unsigned commands; /* CMD_BIT per command that takes it; 0 = every command */
  const char *help;
} option_def_t;

#define CMD_BIT(id) (1u << (id))
#define PRODUCE CMD_BIT(WEIR_CMD_PRODUCE)
#define CONSUME CMD_BIT(WEIR_CMD_CONSUME)
#define TOPICS CMD_BIT(WEIR_CMD_TOPICS)
#define SCHEMA CMD_BIT(WEIR_CMD_SCHEMA)
#define CLIENTS (CMD_BIT(WEIR_CMD_GROUPS) | PRODUCE | CONSUME | TOPICS)
#define SERVERS \
  (CMD_BIT(WEIR_CMD_START) | CMD_BIT(WEIR_CMD_BROKER) | CMD_BIT(WEIR_CMD_REGISTRY) | CMD_BIT(WEIR_CMD_REST_PROXY) | \
   CMD_BIT(WEIR_CMD_CONFIG))

/* The record tools' options keep the spelling of Kafka's console producer and
 * consumer (and Confluent's Avro variants), so scripts carry over. */
static const option_def_t k_options[] = {
    {"--config", 'c', OPT_CONFIG, "FILE", SERVERS, "read properties from FILE (Java properties syntax)"},
    {"--override", 'o', OPT_OVERRIDE, "KEY=VALUE", SERVERS, "set one property; repeatable; wins over --config"},
    {"--listen", 0, OPT_LISTEN, "HOST:PORT", SERVERS, "listener of a single-server command (weir broker, weir registry, weir rest-proxy)"},
    {"--data-dir", 0, OPT_DATA_DIR, "DIR", SERVERS, "state directory (property data.dir, default ./weir-data)"},
    {"--no-broker", 0, OPT_NO_COMPONENT, NULL, CMD_BIT(WEIR_CMD_START), "weir start without the embedded broker"},
    {"--no-registry", 0, OPT_NO_COMPONENT, NULL, CMD_BIT(WEIR_CMD_START), "weir start without the Schema Registry"},
    {"--no-rest-proxy", 0, OPT_NO_COMPONENT, NULL, CMD_BIT(WEIR_CMD_START), "weir start without the REST Proxy"},
    {"--markdown", 0, OPT_MARKDOWN, NULL, CMD_BIT(WEIR_CMD_CONFIG),
     "weir config: print the property reference as Markdown (docs/configuration.md)"},
    {"--bootstrap-server", 0, OPT_BOOTSTRAP, "HOST:PORT", CLIENTS,
     "broker a client tool talks to, default localhost:9092"},
    {"--topic", 0, OPT_TOPIC, "TOPIC", PRODUCE | CONSUME | TOPICS, "topic to write to or read from (or manage)"},
    {"--property", 0, OPT_PROPERTY, "KEY=VALUE", PRODUCE | CONSUME,
     "tool or serde property (value.schema, schema.registry.url...); repeatable; see weir produce --help"},
    {"--producer-property", 0, OPT_KAFKA_PROPERTY, "KEY=VALUE", PRODUCE,
     "librdkafka producer property (acks=1, compression.type=zstd); repeatable"},
    {"--producer.config", 0, OPT_KAFKA_CONFIG, "FILE", PRODUCE, "librdkafka producer properties file"},
    {"--command-config", 0, OPT_KAFKA_CONFIG, "FILE", TOPICS, "librdkafka admin client properties file"},
    {"--consumer-property", 0, OPT_KAFKA_PROPERTY, "KEY=VALUE", CONSUME, "librdkafka consumer property; repeatable"},
    {"--consumer.config", 0, OPT_KAFKA_CONFIG, "FILE", CONSUME, "librdkafka consumer properties file"},
    {"--group", 0, OPT_GROUP, "GROUP", CONSUME, "consumer group, committing offsets (default: a random group, no commits)"},
    {"--from-beginning", 0, OPT_FROM_BEGINNING, NULL, CONSUME,
     "start at the earliest record when the group has no committed offset"},
    {"--max-messages", 0, OPT_MAX_MESSAGES, "N", CONSUME, "exit after N records"},
    {"--timeout-ms", 0, OPT_TIMEOUT_MS, "N", CONSUME, "exit when no record arrived for N ms"},
    {"--partitions", 0, OPT_PARTITIONS, "N", TOPICS, "partitions of a new topic, or the new count (alter)"},
    {"--replication-factor", 0, OPT_REPLICATION_FACTOR, "N", TOPICS, "replicas per partition of a new topic"},
    {"--config", 0, OPT_TOPIC_CONFIG, "KEY=VALUE", TOPICS, "topic config (retention.ms=...); repeatable"},
    {"--delete-config", 0, OPT_DELETE_CONFIG, "KEY", TOPICS, "topic config back to its default (alter); repeatable"},
    {"--if-exists", 0, OPT_IF_EXISTS, NULL, TOPICS, "no error when the topic does not exist (alter, delete, describe)"},
    {"--if-not-exists", 0, OPT_IF_NOT_EXISTS, NULL, TOPICS, "no error when the topic already exists (create)"},
    {"--schema-registry-url", 0, OPT_REGISTRY_URL, "URL", SCHEMA, "registry to talk to, default http://localhost:8081"},
    {"--subject", 0, OPT_SUBJECT, "SUBJECT", SCHEMA, "subject (or give it after the subcommand)"},
    {"--version", 0, OPT_SCHEMA_VERSION, "V", SCHEMA, "schema version number or latest (get, check, delete)"},
    {"--id", 0, OPT_SCHEMA_ID, "N", SCHEMA, "global schema id (get)"},
    {"--schema-file", 0, OPT_SCHEMA_FILE, "FILE", SCHEMA, "schema text from FILE, - for stdin (register, check)"},
    {"--schema", 0, OPT_SCHEMA_TEXT, "TEXT", SCHEMA, "schema text inline (register, check)"},
    {"--schema-type", 0, OPT_SCHEMA_TYPE, "TYPE", SCHEMA, "AVRO (default), PROTOBUF or JSON"},
    {"--reference", 0, OPT_REFERENCE, "NAME=SUBJECT:VERSION", SCHEMA, "schema reference; repeatable"},
    {"--compatibility", 0, OPT_COMPATIBILITY, "LEVEL", SCHEMA, "set this compatibility level (config)"},
    {"--permanent", 0, OPT_PERMANENT, NULL, SCHEMA, "hard delete (after a soft delete)"},
    {"--deleted", 0, OPT_DELETED, NULL, SCHEMA, "include soft-deleted subjects and versions (list, get)"},
    {"--normalize", 0, OPT_NORMALIZE, NULL, SCHEMA, "normalize the schema before registering or checking"},
    {"--help", 'h', OPT_HELP, NULL, 0, "print this help (with a command: that command's help)"},
    {"--version", 'V', OPT_VERSION, NULL, 0, "print the version"},
};
#define N_OPTIONS (sizeof k_options / sizeof k_options[0])

static bool option_matches(const option_def_t *o, const char *arg, const char **inline_value) {
  size_t n = strlen(o->long_name);
  if (strncmp(arg, o->long_name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && o->arg))) {
    *inline_value = arg[n] == '=' ? arg + n + 1 : NULL;
    return true;
  }
  if (o->short_name && arg[0] == '-' && arg[1] == o->short_name && (arg[2] == '\0' || o->arg)) {
    *inline_value = arg[2] != '\0' ? arg + 2 : NULL;
    return true;
  }
  return false;
}

/* Finds the option arg names; *inline_value points after '=' (long) or after
 * the letter (short) when the value is attached. Once the command is known,
 * an option defined for that command wins over one of the same name defined
 * for others (`weir topics --config KEY=VALUE`); before it is known, one every
 * command takes wins (`weir --version`), then the first in the table. */
static const option_def_t *find_option(const char *arg, const weir_command_t *command, const char **inline_value) {
  *inline_value = NULL;
  if (command)
    for (size_t i = 0; i < N_OPTIONS; i++)
      if ((k_options[i].commands & CMD_BIT(command->id)) && option_matches(&k_options[i], arg, inline_value))
        return &k_options[i];
  const option_def_t *found = NULL;
  const char *found_value = NULL;
  for (size_t i = 0; i < N_OPTIONS; i++)
    if (option_matches(&k_options[i], arg, inline_value)) {
      if (k_options[i].commands == 0) return &k_options[i];
      if (!found) {
        found = &k_options[i];
        found_value = *inline_value;
      }
    }
  *inline_value = found_value;
  return found;
}

/* A non-negative decimal integer, whole string. */
static weir_code_t parse_count(const option_def_t *o, const char *value, long long *out, weir_error_t *err) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < 0)
    return weir_error_set(err, WEIR_ERR_USAGE, "option \"%s\" needs a non-negative integer, not \"%s\"",
                          o->long_name, value);
  *out = v;
  return WEIR_OK;
}

static weir_code_t set_once(const char **slot, const option_def_t *o, const char *value, weir_error_t *err) {
  if (*slot) return weir_error_set(err, WEIR_ERR_USAGE, "%s given more than once", o->long_name);
  *slot = value;
  return WEIR_OK;
}

static weir_code_t append(const char **list, size_t *n, const option_def_t *o, const char *value,
                          weir_error_t *err) {
  if (*n == WEIR_CLI_MAX_PROPERTIES)
    return weir_error_set(err, WEIR_ERR_USAGE, "more than %d %s options", WEIR_CLI_MAX_PROPERTIES, o->long_name);
  list[(*n)++] = value;
  return WEIR_OK;
}

static weir_code_t apply_tool_option(weir_cli_client_t *c, const option_def_t *o, const char *value,
                                     weir_error_t *err) {
  switch (o->kind) {
    case OPT_TOPIC:
      return set_once(&c->topic, o, value, err);
    case OPT_GROUP:
      return set_once(&c->group, o, value, err);
    case OPT_KAFKA_CONFIG:
      return set_once(&c->kafka_config, o, value, err);
    case OPT_PROPERTY:
      return append(c->properties, &c->n_properties, o, value, err);
    case OPT_KAFKA_PROPERTY:
      return append(c->kafka_properties, &c->n_kafka_properties, o, value, err);
    case OPT_FROM_BEGINNING:
      c->from_beginning = true;
      return WEIR_OK;
    case OPT_MAX_MESSAGES:
      return parse_count(o, value, &c->max_messages, err);
    case OPT_TIMEOUT_MS:
      return parse_count(o, value, &c->timeout_ms, err);
    default:
      assert(false && "not a tool option");
      return WEIR_OK;
  }
}

static weir_code_t apply_admin_option(weir_cli_admin_t *a, const option_def_t *o, const char *value,
                                      weir_error_t *err) {
  switch (o->kind) {
    case OPT_PARTITIONS:
      return parse_count(o, value, &a->partitions, err);
    case OPT_REPLICATION_FACTOR:
      return parse_count(o, value, &a->replication_factor, err);
    case OPT_TOPIC_CONFIG:
      return append(a->configs, &a->n_configs, o, value, err);
    case OPT_DELETE_CONFIG:
      return append(a->delete_configs, &a->n_delete_configs, o, value, err);
    case OPT_IF_EXISTS:
      a->if_exists = true;
      return WEIR_OK;
    case OPT_IF_NOT_EXISTS:
      a->if_not_exists = true;
      return WEIR_OK;
    case OPT_REGISTRY_URL:
      return set_once(&a->registry_url, o, value, err);
    case OPT_SUBJECT:
      return set_once(&a->subject, o, value, err);
    case OPT_SCHEMA_VERSION:
      return set_once(&a->version, o, value, err);
    case OPT_SCHEMA_ID:
      return parse_count(o, value, &a->id, err);
    case OPT_SCHEMA_FILE:
      return set_once(&a->schema_file, o, value, err);
    case OPT_SCHEMA_TEXT:
      return set_once(&a->schema, o, value, err);
    case OPT_SCHEMA_TYPE:
      return set_once(&a->schema_type, o, value, err);
    case OPT_REFERENCE:
      return append(a->references, &a->n_references, o, value, err);
    case OPT_COMPATIBILITY:
      return set_once(&a->compatibility, o, value, err);
    case OPT_PERMANENT:
      a->permanent = true;
      return WEIR_OK;
    case OPT_DELETED:
      a->deleted = true;
      return WEIR_OK;
    case OPT_NORMALIZE:
      a->normalize = true;
      return WEIR_OK;
    default:
      assert(false && "not an admin option");
      return WEIR_OK;
  }
}

static weir_code_t apply_option(weir_cli_t *cli, const option_def_t *o, const char *value,
                                weir_error_t *err) {
  switch (o->kind) {
    case OPT_CONFIG:
      if (cli->config_file) return weir_error_set(err, WEIR_ERR_USAGE, "--config given more than once");
      cli->config_file = value;
      break;
    case OPT_OVERRIDE:
      if (cli->n_overrides == WEIR_CLI_MAX_OVERRIDES)
        return weir_error_set(err, WEIR_ERR_USAGE, "more than %d -o options", WEIR_CLI_MAX_OVERRIDES);
      cli->overrides[cli->n_overrides++] = value;
      break;
    case OPT_LISTEN:
      cli->listen = value;
      break;
    case OPT_DATA_DIR:
      cli->data_dir = value;
      break;
    case OPT_NO_COMPONENT: /* "--no-" + the component's name */
      for (int c = WEIR_COMP_CORE + 1; c < WEIR_COMP__COUNT; c++)
        if (strcmp(o->long_name + 5, weir_component_name((weir_component_id_t)c)) == 0) cli->skip_components |= 1u << c;
      break;
    case OPT_BOOTSTRAP:
      cli->bootstrap_server = value;
      break;
    case OPT_MARKDOWN:
      cli->markdown = true;
      break;
    case OPT_HELP:
      cli->help = true;
      break;
    case OPT_VERSION:
      cli->command = weir_command_by_id(WEIR_CMD_VERSION);
      break;
    default:
      if (o->kind >= OPT_PARTITIONS && o->kind <= OPT_NORMALIZE) return apply_admin_option(&cli->admin, o, value, err);
      return apply_tool_option(&cli->client, o, value, err);
  }
  return WEIR_OK;
}

/* Rejects an option the command does not take (checked once the command is
 * known: options may precede it). */
static weir_code_t check_commands(const weir_cli_t *cli, uint64_t seen, weir_error_t *err) {
  if (!cli->command || cli->help) return WEIR_OK;
  for (size_t i = 0; i < N_OPTIONS; i++) {
    const option_def_t *o = &k_options[i];
    if ((seen & (UINT64_C(1) << i)) && o->commands && !(o->commands & CMD_BIT(cli->command->id)))
      return weir_error_set(err, WEIR_ERR_USAGE, "option \"%s\" does not apply to weir %s", o->long_name,
                            cli->command->name);
  }
  return WEIR_OK;
}

/* Positional arguments a command takes after its name (`groups describe G`). */
static size_t max_args(const weir_command_t *cmd) {
  switch (cmd->id) {
    case WEIR_CMD_GROUPS: /* groups describe GROUP */
    case WEIR_CMD_TOPICS: /* topics create TOPIC */
    case WEIR_CMD_SCHEMA: /* schema get SUBJECT */
      return 2;
    default:
      return 0;
  }
}

static weir_code_t set_command(weir_cli_t *cli, const char *name, weir_error_t *err) {
  if (cli->command && cli->n_args < max_args(cli->command)) {
    cli->args[cli->n_args++] = name;
    return WEIR_OK;
  }
  if (cli->command) return weir_error_set(err, WEIR_ERR_USAGE, "unexpected argument \"%s\"", name);
  for (size_t i = 0; i < sizeof k_commands / sizeof k_commands[0]; i++)
    if (strcmp(k_commands[i].name, name) == 0) {
      cli->command = &k_commands[i];
      return WEIR_OK;
    }
  return weir_error_set(err, WEIR_ERR_USAGE, "unknown command \"%s\" (see weir --help)", name);
}

weir_code_t weir_cli_parse(int argc, char *const argv[], weir_cli_t *cli, weir_error_t *err) {
  static_assert(N_OPTIONS <= 64, "seen is a 64-bit mask");
  memset(cli, 0, sizeof *cli);
  cli->client.max_messages = -1;
  cli->client.timeout_ms = -1;
  cli->admin.partitions = -1;
  cli->admin.replication_factor = -1;
  cli->admin.id = -1;
  uint64_t seen = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] != '-' || arg[1] == '\0') {
      weir_code_t rc = set_command(cli, arg, err);
      if (rc != WEIR_OK) return rc;
      continue;
    }
    const char *value;
    const option_def_t *o = find_option(arg, cli->command, &value);
    if (!o) return weir_error_set(err, WEIR_ERR_USAGE, "unknown option \"%s\" (see weir --help)", arg);
    if (o->arg && !value) {
      if (i + 1 >= argc) return weir_error_set(err, WEIR_ERR_USAGE, "option \"%s\" needs %s", arg, o->arg);
      value = argv[++i];
    }
    if (o->arg && value[0] == '\0')
      return weir_error_set(err, WEIR_ERR_USAGE, "option \"%s\" has an empty value", o->long_name);
    weir_code_t rc = apply_option(cli, o, value, err);
    if (rc != WEIR_OK) return rc;
    seen |= UINT64_C(1) << (o - k_options);
  }
  return check_commands(cli, seen, err);
}

/* " (weir produce, consume)" for an option only client tools take. */
static void format_commands(const option_def_t *o, char *buf, size_t len) {
  buf[0] = '\0';
  if (!o->commands || (o->commands & SERVERS)) return;
  size_t pos = 0;
  for (size_t c = 0; c < sizeof k_commands / sizeof k_commands[0] && pos < len; c++)
    if (o->commands & CMD_BIT(k_commands[c].id)) {
      int n = snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : " (weir ", k_commands[c].name);
      if (n < 0) break;
      pos += (size_t)n;
    }
  if (pos > 0 && pos + 1 < len) memcpy(buf + pos, ")", 2);
}

/* True when the command has its own option of o's name (`--version` of
 * weir schema), which hides the generic one in that command's help. */
static bool shadowed(const option_def_t *o, const weir_command_t *command) {
  if (!command || o->commands & CMD_BIT(command->id)) return false;
  for (size_t i = 0; i < N_OPTIONS; i++)
    if ((k_options[i].commands & CMD_BIT(command->id)) && strcmp(k_options[i].long_name, o->long_name) == 0)
      return true;
  return false;
}

void weir_cli_write_options(FILE *out, const weir_command_t *command) {
  for (size_t i = 0; i < N_OPTIONS; i++) {
    const option_def_t *o = &k_options[i];
    if (command && o->commands && !(o->commands & CMD_BIT(command->id))) continue;
    if (shadowed(o, command)) continue;
    char left[64], only[96];
    if (o->short_name)
      snprintf(left, sizeof left, "-%c, %s%s%s", o->short_name, o->long_name, o->arg ? " " : "",
               o->arg ? o->arg : "");
    else
      snprintf(left, sizeof left, "    %s%s%s", o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
    format_commands(o, only, sizeof only);
    if (strlen(left) > 34) /* too wide for the column: help on the next line */
      fprintf(out, "  %s\n  %-34s %s%s\n", left, "", o->help, command ? "" : only);
    else
      fprintf(out, "  %-34s %s%s\n", left, o->help, command ? "" : only);
  }
}

void weir_cli_write_usage(FILE *out) {
  fputs("usage: weir <command> [options]\n\ncommands:\n", out);
  for (size_t i = 0; i < sizeof k_commands / sizeof k_commands[0]; i++)
    fprintf(out, "  %-10s %s\n", k_commands[i].name, k_commands[i].summary);
  fputs("\noptions:\n", out);
  weir_cli_write_options(out, NULL);
  fputs("\nproperties (for --config and -o; `weir config` lists them with defaults):\n", out);
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  for (size_t i = 0; i < count; i++)
    if (!table[i].alias_of)
      fprintf(out, "  %-32s %-9s default %s\n", table[i].name, weir_component_name(table[i].component),
              table[i].default_value[0] ? table[i].default_value : "(not set)");
  fputs(
      "\nA property several components define can be qualified: -o registry.listeners=http://:8081,\n"
      "-o broker.listeners=PLAINTEXT://:9092, -o rest-proxy.listeners=http://:8082\n"
      "examples:\n  weir start\n  weir broker --listen 127.0.0.1:9092 --data-dir /var/lib/weir\n"
      "  weir broker -o num.partitions=3 -o log.flush.interval.messages=1\n"
      "  weir registry --listen 127.0.0.1:8081 --data-dir /var/lib/weir\n"
      "  weir registry --config schema-registry.properties -o schema.compatibility.level=full\n"
      "  weir rest-proxy -o bootstrap.servers=kafka1:9092 -o schema.registry.url=http://sr:8081\n"
      "  weir groups list --bootstrap-server localhost:9092\n"
      "  weir groups describe my-group --bootstrap-server localhost:9092\n"
      "  weir produce --topic orders --property schema.registry.url=http://localhost:8081 \\\n"
      "      --property value.schema.file=order.avsc < orders.jsonl\n"
      "  weir consume --topic orders --from-beginning --property schema.registry.url=http://localhost:8081\n"
      "  weir topics create orders --partitions 3 --config retention.ms=86400000\n"
      "  weir schema register orders-value --schema-file order.avsc\n",
      out);
}
