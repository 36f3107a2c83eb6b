// SPDX-License-Identifier: Apache-2.0
/* `weir produce`: reads one record per stdin line and writes it to a topic,
 * with the flags and properties of Confluent's kafka-avro-console-producer
 * (value.schema[.file|.id], parse.key, key.separator, key.schema...). Avro
 * lines are Avro JSON turned into Confluent-framed records by serde; json
 * lines are checked and sent as is; string lines are sent as is. The first
 * bad line stops reading (as in Confluent's tool): what was queued before
 * it is still delivered, and the exit status is 1. Client set-up shared with
 * `weir consume` lives in tool_kafka.c. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "platform/tools.h"
#include "platform_int.h"
#include "tool_kafka.h"

#define TOOL "weir produce"
#define PROBE_TIMEOUT_MS 10000
#define MAX_SCHEMA_FILE_BYTES (16u * 1024 * 1024)
#define MAX_ERRORS_SHOWN 10

static const weir_tk_prop_def_t k_props[] = {
    {"parse.key", "false", "split each line into key and value at the first key.separator"},
    {"key.separator", "\t", "text between key and value"},
    {"null.marker", NULL, "a key or value equal to this text is written as null (a tombstone)"},
    {"value.format", NULL, "avro, protobuf, json or string; avro when a value schema is given, else string"},
    {"value.schema", NULL, "Avro schema or .proto of the values (registered unless auto.register.schemas=false)"},
    {"value.schema.file", NULL, "file holding the Avro schema or .proto of the values"},
    {"value.schema.id", NULL, "id of a registered schema to write the values with (nothing is registered)"},
    {"value.message", NULL, "protobuf: full name of the message the lines hold (default: the first message)"},
    {"key.format", NULL, "avro, protobuf, json or string; avro when a key schema is given, else string"},
    {"key.schema", NULL, "Avro schema or .proto of the keys (with parse.key=true)"},
    {"key.schema.file", NULL, "file holding the Avro schema or .proto of the keys"},
    {"key.schema.id", NULL, "id of a registered schema to write the keys with"},
    {"key.message", NULL, "protobuf: full name of the message of the keys (default: the first message)"},
};
#define N_PROPS (sizeof k_props / sizeof k_props[0])

/* How one side (key or value) of a record is written. */
typedef struct side {
  const char *name; /* "key" or "value" */
  serde_side_t which;
  weir_tk_format_t format;
  const char *message; /* protobuf: the message's full name, NULL for the first */
  serde_t *sd; /* schema formats only; one per side, as use.schema.id may differ */
  serde_schema_t *schema;
  serde_buf_t buf;
} side_t;

typedef struct producer {
  weir_tk_kafka_t kafka;
  const char *topic;
  side_t key, value;
  bool parse_key;
  const char *separator, *null_marker;
  uint64_t line; /* number of the line being produced, from 1 */
  uint64_t delivered, failed, errors_shown;
} producer_t;

/* ---- set-up ---------------------------------------------------------------- */

static const char *side_prop(const weir_tk_props_t *props, const side_t *s, const char *suffix) {
  char name[64];
  snprintf(name, sizeof name, "%s.%s", s->name, suffix);
  return weir_tk_prop(props, name);
}

static int schema_by_id(side_t *s, const weir_tk_props_t *props, const char *id) {
  char *end = NULL;
  errno = 0;
  long v = strtol(id, &end, 10);
  if (errno || end == id || *end || v <= 0 || v > INT32_MAX)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.schema.id must be a positive schema id, not \"%s\"", s->name,
                        id);
  /* Java's order puts auto-register before use.schema.id: switch it off. */
  const char *extra[] = {"auto.register.schemas", "false", "use.schema.id", id, NULL};
  int status = 0;
  s->sd = weir_tk_serde_new(props, extra, &status);
  if (!s->sd) return status;
  serde_error_t err = {0};
  s->schema = serde_schema_by_id(s->sd, (int32_t)v, &err);
  if (!s->schema) return weir_tk_serde_fail(TOOL, s->name, &err);
  const char *want = s->format == WEIR_TK_PROTOBUF ? "PROTOBUF" : "AVRO";
  if (strcmp(serde_schema_type(s->schema), want) != 0)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.schema.id %ld is a %s schema, not %s", s->name, v,
                        serde_schema_type(s->schema), want);
  return 0;
}

static int schema_from_text(side_t *s, const weir_tk_props_t *props, const char *text, const char *file) {
  char *owned = NULL;
  size_t len = text ? strlen(text) : 0;
  weir_error_t werr = {0};
  if (file && weir__file_read(file, MAX_SCHEMA_FILE_BYTES, "schema file", &owned, &len, &werr) != WEIR_OK)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.schema.file: %s", s->name, werr.msg);
  int status = 0;
  s->sd = weir_tk_serde_new(props, NULL, &status);
  if (s->sd) {
    serde_error_t err = {0};
    s->schema = serde_schema_new(s->sd, s->format == WEIR_TK_PROTOBUF ? "PROTOBUF" : "AVRO", owned ? owned : text,
                                 len, &err);
    if (!s->schema) status = weir_tk_serde_fail(TOOL, file ? file : "schema", &err);
  }
  weir__free(owned);
  return status;
}

static int side_init(side_t *s, const weir_tk_props_t *props) {
  const char *text = side_prop(props, s, "schema"), *file = side_prop(props, s, "schema.file");
  const char *id = side_prop(props, s, "schema.id");
  int given = (text != NULL) + (file != NULL) + (id != NULL);
  if (given > 1)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "give only one of %s.schema, %s.schema.file and %s.schema.id",
                        s->name, s->name, s->name);
  char format[32];
  snprintf(format, sizeof format, "%s.format", s->name);
  int status = weir_tk_prop_format(props, format, given ? WEIR_TK_AVRO : WEIR_TK_STRING, &s->format);
  if (status != 0) return status;
  s->message = side_prop(props, s, "message");
  if (!weir_tk_format_has_schema(s->format))
    return given ? weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.format=%s takes no schema", s->name,
                                s->format == WEIR_TK_JSON ? "json" : "string")
                 : 0;
  const char *fmt_name = s->format == WEIR_TK_PROTOBUF ? "protobuf" : "avro";
  if (!given)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.format=%s needs %s.schema, %s.schema.file or %s.schema.id",
                        s->name, fmt_name, s->name, s->name, s->name);
  if (s->message && s->format != WEIR_TK_PROTOBUF)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "%s.message is for %s.format=protobuf", s->name, s->name);
  return id ? schema_by_id(s, props, id) : schema_from_text(s, props, text, file);
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  producer_t *p = ((weir_tk_kafka_t *)opaque)->app;
  if (!m->err) {
    p->delivered++;
    return;
  }
  p->failed++;
  if (p->errors_shown++ < MAX_ERRORS_SHOWN)
    fprintf(stderr, TOOL ": line %" PRIuPTR ": delivery failed: %s\n", (uintptr_t)m->_private,
            rd_kafka_err2str(m->err));
}

static void producer_setup(rd_kafka_conf_t *conf) {
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
}

static int producer_init(producer_t *p, const weir_tk_props_t *props, const weir_cli_t *cli) {
  p->key = (side_t){.name = "key", .which = SERDE_KEY};
  p->value = (side_t){.name = "value", .which = SERDE_VALUE};
  p->separator = weir_tk_prop(props, "key.separator");
  p->null_marker = weir_tk_prop(props, "null.marker");
  int status = weir_tk_prop_bool(props, "parse.key", &p->parse_key);
  if (status == 0 && !p->parse_key &&
      (weir_tk_prop(props, "key.schema") || weir_tk_prop(props, "key.schema.file") ||
       weir_tk_prop(props, "key.schema.id") || weir_tk_prop(props, "key.format")))
    status = weir_tk_fail(TOOL, WEIR_TK_USAGE, "key.* properties need parse.key=true");
  if (status == 0 && p->separator[0] == '\0')
    status = weir_tk_fail(TOOL, WEIR_TK_USAGE, "key.separator must not be empty");
  if (status == 0) status = side_init(&p->value, props);
  if (status == 0 && p->parse_key) status = side_init(&p->key, props);
  /* Kafka's console producer defaults to acks=all (-1); so does this tool. */
  static const char *const defaults[] = {"acks", "all", "client.id", "weir-produce", NULL};
  const weir_tk_kafka_spec_t spec = {TOOL, RD_KAFKA_PRODUCER, defaults, producer_setup, p};
  if (status == 0) status = weir_tk_kafka_init(&p->kafka, &spec, cli);
  if (status == 0) status = weir_tk_kafka_probe(&p->kafka, PROBE_TIMEOUT_MS);
  return status;
}

static void side_fini(side_t *s) {
  serde_schema_unref(s->schema);
  serde_destroy(s->sd);
  serde_buf_fini(&s->buf);
}

static void producer_fini(producer_t *p) {
  weir_tk_kafka_fini(&p->kafka);
  side_fini(&p->key);
  side_fini(&p->value);
}

/* ---- one line ----------------------------------------------------------------- */

static int line_fail(producer_t *p, const side_t *s, const char *fmt, const char *detail) {
  fprintf(stderr, TOOL ": line %" PRIu64 ": %s: ", p->line, s->name);
  fprintf(stderr, fmt, detail);
  fputc('\n', stderr);
  return -1;
}

static int check_json(producer_t *p, const side_t *s, const char *text, size_t len) {
  json_error_t jerr;
  json_t *doc = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
  if (doc) {
    json_decref(doc);
    return 0;
  }
  char detail[256];
  snprintf(detail, sizeof detail, "%s (column %d)", jerr.text, jerr.column);
  return line_fail(p, s, "not valid JSON: %s", detail);
}

/* The bytes of one side of the record: *out NULL for null.marker. 0 or -1
 * after printing the line number and the reason. */
static int encode(producer_t *p, side_t *s, const char *text, size_t len, const void **out, size_t *out_len) {
  *out = text;
  *out_len = len;
  if (p->null_marker && strlen(p->null_marker) == len && memcmp(p->null_marker, text, len) == 0) {
    *out = NULL;
    *out_len = 0;
    return 0;
  }
  if (s->format == WEIR_TK_STRING) return 0;
  if (s->format == WEIR_TK_JSON) return check_json(p, s, text, len);
  serde_error_t err = {0};
  serde_code_t rc =
      s->format == WEIR_TK_PROTOBUF
          ? serde_serialize_protobuf_json(s->sd, p->topic, s->which, s->schema, s->message, text, len, &s->buf, &err)
          : serde_serialize_avro_json(s->sd, p->topic, s->which, s->schema, text, len, &s->buf, &err);
  if (rc != SERDE_OK)
    return line_fail(p, s, "%s", err.message[0] ? err.message : serde_code_name(err.code));
  *out = s->buf.data;
  *out_len = s->buf.len;
  return 0;
}

static int send_record(producer_t *p, const void *key, size_t key_len, const void *value, size_t value_len) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        p->kafka.rk, RD_KAFKA_V_TOPIC(p->topic), RD_KAFKA_V_KEY((void *)key, key_len),
        RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_OPAQUE((void *)(uintptr_t)p->line), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return 0;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || weir_tk_interrupted()) {
      fprintf(stderr, TOOL ": line %" PRIu64 ": cannot queue the record: %s\n", p->line,
              rd_kafka_err2str(err));
      return -1;
    }
    rd_kafka_poll(p->kafka.rk, 100); /* wait for deliveries to make room */
  }
}

static int produce_line(producer_t *p, const char *line, size_t len) {
  const char *value = line;
  size_t value_len = len;
  const void *kbytes = NULL, *vbytes = NULL;
  size_t kbytes_len = 0, vbytes_len = 0;
  if (p->parse_key) {
    const char *sep = memmem(line, len, p->separator, strlen(p->separator));
    if (!sep) {
      fprintf(stderr, TOOL ": line %" PRIu64 ": no key separator found\n", p->line);
      return -1;
    }
    value = sep + strlen(p->separator);
    value_len = len - (size_t)(value - line);
    if (encode(p, &p->key, line, (size_t)(sep - line), &kbytes, &kbytes_len) != 0) return -1;
  }
  if (encode(p, &p->value, value, value_len, &vbytes, &vbytes_len) != 0) return -1;
  return send_record(p, kbytes, kbytes_len, vbytes, vbytes_len);
}

/* ---- the run ---------------------------------------------------------------------- */

/* Reads stdin to its end, the first bad line or a signal. 0 or -1. */
static int read_lines(producer_t *p, weir_tk_progress_t *pr) {
  char *line = NULL;
  size_t cap = 0;
  int rc = 0;
  while (!weir_tk_interrupted()) {
    errno = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
      if (ferror(stdin) && errno != EINTR)
        rc = weir_tk_fail(TOOL, -1, "cannot read stdin: %s", strerror(errno));
      break;
    }
    p->line++;
    size_t len = (size_t)n;
    if (len > 0 && line[len - 1] == '\n') len--;
    if (len > 0 && line[len - 1] == '\r') len--;
    if (produce_line(p, line, len) != 0) {
      p->failed++;
      rc = -1;
      break;
    }
    rd_kafka_poll(p->kafka.rk, 0);
    weir_tk_progress_tick(pr, p->delivered, "produced");
  }
  free(line); /* getline's buffer comes from malloc */
  return rc;
}

/* Waits for every queued record's delivery report; a second signal abandons
 * what is still queued (reported as failed). */
static void flush_all(producer_t *p, weir_tk_progress_t *pr) {
  bool purged = false;
  while (rd_kafka_flush(p->kafka.rk, 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    weir_tk_progress_tick(pr, p->delivered, "produced");
    if (weir_tk_interrupted() >= 2 && !purged) {
      fprintf(stderr, TOOL ": interrupted again: abandoning %d queued records\n",
              rd_kafka_outq_len(p->kafka.rk));
      rd_kafka_purge(p->kafka.rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      purged = true;
    }
  }
}

static int run(producer_t *p) {
  weir_tk_progress_t pr;
  weir_tk_progress_start(&pr, TOOL);
  weir_tk_signals_install();
  int rc = read_lines(p, &pr);
  flush_all(p, &pr);
  double s = weir_tk_progress_seconds(&pr);
  fprintf(stderr, TOOL ": produced %" PRIu64 " records to %s, %" PRIu64 " failed (%.2f s, %.0f records/s)\n",
          p->delivered, p->topic, p->failed, s, s > 0 ? (double)p->delivered / s : 0.0);
  if (p->failed && p->kafka.error[0]) fprintf(stderr, TOOL ": last client error: %s\n", p->kafka.error);
  return rc != 0 || p->failed ? WEIR_TK_FAILED : 0;
}

int weir_tool_produce(const weir_cli_t *cli) {
  if (!cli->client.topic)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "--topic is required (see weir produce --help)");
  weir_tk_props_t props;
  int status = weir_tk_props_init(&props, TOOL, k_props, N_PROPS, cli);
  if (status != 0) return status;
  producer_t p;
  memset(&p, 0, sizeof p);
  p.topic = cli->client.topic;
  status = producer_init(&p, &props, cli);
  if (status == 0) status = run(&p);
  producer_fini(&p);
  return status;
}

void weir_tool_produce_usage(FILE *out) {
  fputs(
      "usage: weir produce --topic TOPIC [--bootstrap-server HOST:PORT] [--property KEY=VALUE]...\n"
      "                    [--producer-property KEY=VALUE]... [--producer.config FILE] < lines\n\n"
      "Writes one record per stdin line, like kafka-avro-console-producer. With a value schema each\n"
      "line is Avro JSON (unions as {\"type\": value}), or with value.format=protobuf the proto3 JSON\n"
      "of the .proto's first message (value.message names another), like\n"
      "kafka-protobuf-console-producer; with parse.key=true the key comes first,\n"
      "before key.separator. The first bad line stops reading; exit status 1 when any line or\n"
      "delivery failed, 2 for bad flags. A summary goes to stderr.\n\noptions:\n",
      out);
  weir_cli_write_options(out, weir_command_by_id(WEIR_CMD_PRODUCE));
  weir_tk_write_props(out, k_props, N_PROPS);
  fputs(
      "\nexample:\n  echo '{\"id\": 1}' | weir produce --topic orders --property "
      "schema.registry.url=http://localhost:8081 \\\n"
      "      --property "
      "value.schema='{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]"
      "}'\n",
      out);
}
