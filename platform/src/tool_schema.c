// SPDX-License-Identifier: Apache-2.0
/* `weir schema register|get|list|check|delete|config [SUBJECT]`: one table
 * of subcommands that drives dispatch and `weir schema --help`, and every
 * check made before the first request (the options a subcommand takes, the
 * subject, --version, --id, --schema-type, --compatibility), so a bad
 * command line exits 2 without touching the registry. What a subcommand
 * sends and prints is tool_schema_schemas.c's and tool_schema_subjects.c's;
 * HTTP is tool_schema_http.c's. */
#include "tool_schema.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/tools.h"

#define DEFAULT_REGISTRY_URL "http://localhost:8081"

/* The options beyond --schema-registry-url and --subject that a subcommand takes. */
enum {
  TAKES_VERSION = 1u << 0,
  TAKES_ID = 1u << 1,
  TAKES_SCHEMA = 1u << 2, /* --schema-file, --schema, --schema-type, --reference */
  TAKES_NORMALIZE = 1u << 3,
  TAKES_COMPATIBILITY = 1u << 4,
  TAKES_PERMANENT = 1u << 5,
  TAKES_DELETED = 1u << 6,
};

typedef enum { SUBJECT_REQUIRED, SUBJECT_OPTIONAL, SUBJECT_OR_ID } subject_rule_t;

typedef struct ts_command {
  const char *name;
  int (*run)(weir_ts_t *ts);
  unsigned takes;
  subject_rule_t subject;
  const char *synopsis; /* after "weir schema NAME" in --help */
  const char *summary;
} ts_command_t;

static const ts_command_t k_commands[] = {
    {"register", weir_ts_register, TAKES_SCHEMA | TAKES_NORMALIZE, SUBJECT_REQUIRED,
     "SUBJECT (--schema-file FILE | --schema TEXT) [--schema-type TYPE]\n"
     "                       [--reference NAME=SUBJECT:VERSION]... [--normalize]",
     "register a schema (or find it already registered); prints its id, and on stderr the\n"
     "      version; incompatible with the subject's compatibility level: exit 4"},
    {"get", weir_ts_get, TAKES_VERSION | TAKES_ID | TAKES_DELETED, SUBJECT_OR_ID,
     "SUBJECT [--version V|latest] [--deleted]   |   weir schema get --id N",
     "print a schema: pretty JSON for Avro and JSON Schema, the .proto text for Protobuf;\n"
     "      --deleted also finds soft-deleted versions"},
    {"list", weir_ts_list, TAKES_DELETED, SUBJECT_OPTIONAL, "[SUBJECT] [--deleted]",
     "print the subjects, or SUBJECT's versions, one per line; --deleted adds soft-deleted ones"},
    {"check", weir_ts_check, TAKES_SCHEMA | TAKES_NORMALIZE | TAKES_VERSION, SUBJECT_REQUIRED,
     "SUBJECT (--schema-file FILE | --schema TEXT) [--version V|latest]\n"
     "                    [--schema-type TYPE] [--reference NAME=SUBJECT:VERSION]... [--normalize]",
     "test a schema against a version (default latest) under the subject's compatibility\n"
     "      level; prints compatible (exit 0) or incompatible with the reasons on stderr (exit 4);\n"
     "      a subject without versions accepts anything, as in Confluent's registry"},
    {"delete", weir_ts_delete, TAKES_VERSION | TAKES_PERMANENT, SUBJECT_REQUIRED,
     "SUBJECT [--version V|latest] [--permanent]",
     "soft-delete the subject or one version and print the deleted versions; --permanent\n"
     "      deletes for good, soft-deleting first when that was not done yet"},
    {"config", weir_ts_config, TAKES_COMPATIBILITY, SUBJECT_OPTIONAL, "[SUBJECT] [--compatibility LEVEL]",
     "print the global compatibility level, or SUBJECT's (its own, else the global one); with\n"
     "      --compatibility set it and print the new level. LEVEL: NONE, BACKWARD, FORWARD, FULL,\n"
     "      BACKWARD_TRANSITIVE, FORWARD_TRANSITIVE or FULL_TRANSITIVE (any case)"},
};
#define N_COMMANDS (sizeof k_commands / sizeof k_commands[0])

static const char *const k_levels[] = {
    "NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"};
static const char *const k_types[] = {"AVRO", "PROTOBUF", "JSON"};

/* "weir schema: <message><tail>" on stderr. */
static void vprint(const char *fmt, va_list ap, const char *tail) {
  fputs(WEIR_TS_TOOL ": ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(tail, stderr);
}

int weir_ts_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap, " (see weir schema --help)\n");
  va_end(ap);
  return WEIR_EXIT_USAGE;
}

int weir_ts_failed(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap, "\n");
  va_end(ap);
  return WEIR_EXIT_FAILED;
}

/* The entry of names equal to s ignoring case (a static string), or NULL. */
static const char *name_find(const char *const *names, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(names[i], s) == 0) return names[i];
  return NULL;
}

/* The first option given that cmd does not take, or NULL. */
static const char *option_refused(const weir_cli_admin_t *o, unsigned takes) {
  const struct {
    unsigned bit;
    bool given;
    const char *name;
  } given[] = {
      {TAKES_VERSION, o->version != NULL, "--version"},
      {TAKES_ID, o->id >= 0, "--id"},
      {TAKES_SCHEMA, o->schema_file != NULL, "--schema-file"},
      {TAKES_SCHEMA, o->schema != NULL, "--schema"},
      {TAKES_SCHEMA, o->schema_type != NULL, "--schema-type"},
      {TAKES_SCHEMA, o->n_references > 0, "--reference"},
      {TAKES_NORMALIZE, o->normalize, "--normalize"},
      {TAKES_COMPATIBILITY, o->compatibility != NULL, "--compatibility"},
      {TAKES_PERMANENT, o->permanent, "--permanent"},
      {TAKES_DELETED, o->deleted, "--deleted"},
  };
  for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
    if (given[i].given && !(takes & given[i].bit)) return given[i].name;
  return NULL;
}

/* --version: "latest" in any case or -1 (sent as "latest"), or 1..2^31-1. */
static int version_check(weir_ts_t *ts) {
  const char *v = ts->opt->version;
  if (!v) return WEIR_EXIT_OK;
  if (strcasecmp(v, "latest") == 0 || strcmp(v, "-1") == 0) {
    ts->version = "latest";
    return WEIR_EXIT_OK;
  }
  char *end = NULL;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (v[0] < '1' || v[0] > '9' || *end != '\0' || errno != 0 || n > INT32_MAX)
    return weir_ts_usage_error("--version needs latest or a number from 1 to 2147483647, not \"%s\"", v);
  ts->version = v;
  return WEIR_EXIT_OK;
}

/* The subject from the positional argument and --subject, by cmd's rule. */
static int subject_check(const weir_cli_t *cli, const ts_command_t *cmd, weir_ts_t *ts) {
  const char *pos = cli->n_args > 1 ? cli->args[1] : NULL;
  const char *opt = cli->admin.subject;
  if (pos && opt && strcmp(pos, opt) != 0)
    return weir_ts_usage_error("two subjects given: \"%s\" and --subject \"%s\"", pos, opt);
  ts->subject = pos ? pos : opt;
  if (ts->subject && ts->subject[0] == '\0') return weir_ts_usage_error("the subject is empty");
  bool by_id = cli->admin.id >= 0;
  if (cmd->subject == SUBJECT_REQUIRED && !ts->subject)
    return weir_ts_usage_error("%s needs a SUBJECT", cmd->name);
  if (cmd->subject == SUBJECT_OR_ID && !ts->subject && !by_id)
    return weir_ts_usage_error("get needs a SUBJECT or --id N");
  if (by_id && (ts->subject || ts->opt->version))
    return weir_ts_usage_error("get --id N takes no SUBJECT and no --version");
  if (by_id && cli->admin.id > INT32_MAX)
    return weir_ts_usage_error("--id %lld is out of range (at most 2147483647)", cli->admin.id);
  return WEIR_EXIT_OK;
}

/* --schema / --schema-file, --schema-type and --compatibility. */
static int values_check(const ts_command_t *cmd, weir_ts_t *ts) {
  const weir_cli_admin_t *o = ts->opt;
  if ((cmd->takes & TAKES_SCHEMA) && !o->schema && !o->schema_file)
    return weir_ts_usage_error("%s needs the schema: --schema-file FILE or --schema TEXT", cmd->name);
  if (o->schema && o->schema_file) return weir_ts_usage_error("give --schema or --schema-file, not both");
  ts->schema_type =
      name_find(k_types, sizeof k_types / sizeof k_types[0], o->schema_type ? o->schema_type : "AVRO");
  if (!ts->schema_type)
    return weir_ts_usage_error("--schema-type must be AVRO, PROTOBUF or JSON, not \"%s\"", o->schema_type);
  if (o->compatibility) {
    ts->compatibility = name_find(k_levels, sizeof k_levels / sizeof k_levels[0], o->compatibility);
    if (!ts->compatibility)
      return weir_ts_usage_error(
          "--compatibility must be NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or "
          "FULL_TRANSITIVE, not \"%s\"",
          o->compatibility);
  }
  return WEIR_EXIT_OK;
}

static int options_check(const weir_cli_t *cli, const ts_command_t *cmd, weir_ts_t *ts) {
  const char *refused = option_refused(&cli->admin, cmd->takes);
  if (refused) return weir_ts_usage_error("%s does not apply to weir schema %s", refused, cmd->name);
  int rc = version_check(ts);
  if (rc == WEIR_EXIT_OK) rc = subject_check(cli, cmd, ts);
  if (rc == WEIR_EXIT_OK) rc = values_check(cmd, ts);
  return rc;
}

int weir_tool_schema(const weir_cli_t *cli) {
  if (cli->n_args == 0)
    return weir_ts_usage_error("no subcommand given: register, get, list, check, delete or config");
  const ts_command_t *cmd = NULL;
  for (size_t i = 0; i < N_COMMANDS && !cmd; i++)
    if (strcmp(k_commands[i].name, cli->args[0]) == 0) cmd = &k_commands[i];
  if (!cmd) return weir_ts_usage_error("unknown subcommand \"%s\"", cli->args[0]);
  weir_ts_t ts = {.opt = &cli->admin};
  int rc = options_check(cli, cmd, &ts);
  if (rc != WEIR_EXIT_OK) return rc;
  const char *url = cli->admin.registry_url ? cli->admin.registry_url : DEFAULT_REGISTRY_URL;
  char errbuf[512];
  ts.reg = weir_ts_registry_new(url, errbuf, sizeof errbuf);
  if (!ts.reg) return weir_ts_usage_error("--schema-registry-url: %s", errbuf);
  rc = cmd->run(&ts);
  weir_ts_registry_destroy(ts.reg);
  if (fflush(stdout) != 0 && rc == WEIR_EXIT_OK)
    rc = weir_ts_failed("cannot write the output: %s", strerror(errno));
  return rc;
}

void weir_tool_schema_usage(FILE *out) {
  fputs(
      "usage: weir schema SUBCOMMAND [SUBJECT] [--schema-registry-url URL] [options]\n\n"
      "Manages schemas in a Confluent-compatible Schema Registry (weir registry or Confluent's)\n"
      "over its REST API. SUBJECT may also be given as --subject SUBJECT (for names that start\n"
      "with '-'). Results go to stdout, one item per line; messages to stderr.\n\n"
      "subcommands:\n",
      out);
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(out, "  weir schema %s %s\n      %s\n", k_commands[i].name, k_commands[i].synopsis,
            k_commands[i].summary);
  fputs("\noptions:\n", out);
  weir_cli_write_options(out, weir_command_by_id(WEIR_CMD_SCHEMA));
  fputs(
      "\nexamples:\n"
      "  weir schema register orders-value --schema-file order.avsc\n"
      "  weir schema register orders-value --schema-type PROTOBUF --schema-file order.proto \\\n"
      "      --reference common/money.proto=common-money:latest\n"
      "  weir schema check orders-value --schema-file order-v2.avsc && echo safe to deploy\n"
      "  weir schema get orders-value --version 2 > order-v2.avsc\n"
      "  weir schema get --id 5\n"
      "  weir schema list\n"
      "  weir schema config orders-value --compatibility full_transitive\n"
      "  weir schema delete orders-value --version 1 --permanent\n"
      "  weir schema list --schema-registry-url https://user:secret@sr.example.com:8081\n"
      "\nexit status:\n"
      "  0  done\n"
      "  1  the registry is unreachable, refused the request, or found the schema invalid\n"
      "  2  bad command line, or the schema file cannot be read\n"
      "  3  the subject, version or schema id does not exist\n"
      "  4  the schema is incompatible (register, check)\n",
      out);
}
