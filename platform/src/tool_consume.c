// SPDX-License-Identifier: Apache-2.0
/* `weir consume`: prints a topic's records, one per line, with the flags
 * and properties of Confluent's kafka-avro-console-consumer (--from-beginning,
 * --max-messages, --group, --timeout-ms; print.key, key.separator,
 * print.timestamp/partition/offset, null.literal). Avro records are decoded
 * through serde (writer schema by the id in each record) into Avro JSON.
 * Without --group it joins a random group and commits nothing, like Kafka's
 * tool. The first record that does not decode stops it with exit status 1.
 * Client set-up shared with `weir produce` lives in tool_kafka.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "platform/tools.h"
#include "tool_kafka.h"

#define TOOL "weir consume"
#define PROBE_TIMEOUT_MS 10000
#define POLL_MS 200

static const weir_tk_prop_def_t k_props[] = {
    {"print.key", "false", "print the key before the value"},
    {"key.separator", "\t", "text between the printed fields"},
    {"print.timestamp", "false", "print CreateTime:<ms> (or LogAppendTime:<ms>) first"},
    {"print.partition", "false", "print Partition:<n>"},
    {"print.offset", "false", "print Offset:<n>"},
    {"null.literal", "null", "what a null key or value prints as"},
    {"value.format", "avro",
     "avro (Avro JSON through the schema registry), protobuf (proto3 JSON, likewise), json or string "
     "(bytes as they are)"},
    {"key.format", "avro", "as value.format, for the keys printed with print.key=true"},
};
#define N_PROPS (sizeof k_props / sizeof k_props[0])

typedef struct consumer {
  weir_tk_kafka_t kafka;
  const char *topic;
  serde_t *sd; /* only when some side is avro */
  weir_tk_format_t key_format, value_format;
  bool print_key, print_timestamp, print_partition, print_offset;
  const char *separator, *null_literal;
  serde_buf_t key_buf, value_buf;
  uint64_t count;
  rd_kafka_resp_err_t warned; /* the last consumer error reported, to report each once */
} consumer_t;

/* ---- set-up ---------------------------------------------------------------- */

static int read_props(consumer_t *c, const weir_tk_props_t *props) {
  c->separator = weir_tk_prop(props, "key.separator");
  c->null_literal = weir_tk_prop(props, "null.literal");
  int status = weir_tk_prop_bool(props, "print.key", &c->print_key);
  if (status == 0) status = weir_tk_prop_bool(props, "print.timestamp", &c->print_timestamp);
  if (status == 0) status = weir_tk_prop_bool(props, "print.partition", &c->print_partition);
  if (status == 0) status = weir_tk_prop_bool(props, "print.offset", &c->print_offset);
  if (status == 0) status = weir_tk_prop_format(props, "value.format", WEIR_TK_AVRO, &c->value_format);
  if (status == 0) status = weir_tk_prop_format(props, "key.format", WEIR_TK_AVRO, &c->key_format);
  return status;
}

static int subscribe(consumer_t *c) {
  rd_kafka_poll_set_consumer(c->kafka.rk); /* error_cb served by consumer_poll */
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, c->topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t err = rd_kafka_subscribe(c->kafka.rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err)
    return weir_tk_fail(TOOL, WEIR_TK_FAILED, "cannot subscribe to %s: %s", c->topic, rd_kafka_err2str(err));
  return 0;
}

/* Kafka's console consumer: a random group that commits nothing unless
 * --group names one. A topic subscribed to before it exists shows up at the
 * next metadata refresh: every 5 s here instead of librdkafka's 5 min. */
static int client_init(consumer_t *c, const weir_cli_t *cli) {
  const weir_cli_client_t *o = &cli->client;
  char random_group[64];
  snprintf(random_group, sizeof random_group, "weir-console-consumer-%ld-%ld", (long)getpid(),
           (long)time(NULL));
  /* clang-format off */
  const char *defaults[] = {"group.id", o->group ? o->group : random_group,
                            "enable.auto.commit", o->group ? "true" : "false",
                            "auto.offset.reset", o->from_beginning ? "earliest" : "latest",
                            "client.id", "weir-consume",
                            "topic.metadata.refresh.interval.ms", "5000",
                            NULL};
  /* clang-format on */
  const weir_tk_kafka_spec_t spec = {TOOL, RD_KAFKA_CONSUMER, defaults, NULL, c};
  int status = weir_tk_kafka_init(&c->kafka, &spec, cli);
  if (status == 0) status = weir_tk_kafka_probe(&c->kafka, PROBE_TIMEOUT_MS);
  return status != 0 ? status : subscribe(c);
}

static int consumer_init(consumer_t *c, const weir_tk_props_t *props, const weir_cli_t *cli) {
  int status = read_props(c, props);
  if (status == 0 &&
      (weir_tk_format_has_schema(c->value_format) || (c->print_key && weir_tk_format_has_schema(c->key_format))))
    c->sd = weir_tk_serde_new(props, NULL, &status);
  return status != 0 ? status : client_init(c, cli);
}

static void consumer_fini(consumer_t *c) {
  weir_tk_kafka_fini(&c->kafka);
  serde_destroy(c->sd);
  serde_buf_fini(&c->key_buf);
  serde_buf_fini(&c->value_buf);
}

/* ---- one record -------------------------------------------------------------- */

/* The text printed for one side of m. 0, or -1 after printing where and why. */
static int decode(consumer_t *c, const rd_kafka_message_t *m, serde_side_t which, serde_buf_t *buf,
                  const char **out, size_t *out_len) {
  const void *data = which == SERDE_KEY ? m->key : m->payload;
  size_t len = which == SERDE_KEY ? m->key_len : m->len;
  weir_tk_format_t format = which == SERDE_KEY ? c->key_format : c->value_format;
  if (!data) {
    *out = c->null_literal;
    *out_len = strlen(c->null_literal);
    return 0;
  }
  *out = data;
  *out_len = len;
  if (!weir_tk_format_has_schema(format)) return 0;
  serde_error_t err = {0};
  serde_code_t rc = format == WEIR_TK_PROTOBUF
                        ? serde_deserialize_protobuf_json(c->sd, c->topic, which, data, len, buf, NULL, &err)
                        : serde_deserialize_avro_json(c->sd, c->topic, which, data, len, buf, NULL, &err);
  if (rc != SERDE_OK) {
    fprintf(stderr, TOOL ": %s partition %" PRId32 " offset %" PRId64 ": %s: %s\n", c->topic, m->partition,
            m->offset, which == SERDE_KEY ? "key" : "value",
            err.message[0] ? err.message : serde_code_name(err.code));
    return -1;
  }
  *out = (const char *)buf->data;
  *out_len = buf->len;
  return 0;
}

/* Kafka's DefaultMessageFormatter order: timestamp, partition, offset, key, value. */
static int print_record(consumer_t *c, const rd_kafka_message_t *m) {
  const char *key = NULL, *value = NULL;
  size_t key_len = 0, value_len = 0;
  if (c->print_key && decode(c, m, SERDE_KEY, &c->key_buf, &key, &key_len) != 0) return -1;
  if (decode(c, m, SERDE_VALUE, &c->value_buf, &value, &value_len) != 0) return -1;
  if (c->print_timestamp) {
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    int64_t ts = rd_kafka_message_timestamp(m, &type);
    if (type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE)
      printf("NO_TIMESTAMP%s", c->separator);
    else
      printf("%s:%" PRId64 "%s", type == RD_KAFKA_TIMESTAMP_CREATE_TIME ? "CreateTime" : "LogAppendTime", ts,
             c->separator);
  }
  if (c->print_partition) printf("Partition:%" PRId32 "%s", m->partition, c->separator);
  if (c->print_offset) printf("Offset:%" PRId64 "%s", m->offset, c->separator);
  if (c->print_key) {
    fwrite(key, 1, key_len, stdout);
    fputs(c->separator, stdout);
  }
  fwrite(value, 1, value_len, stdout);
  putchar('\n');
  return 0;
}

/* 1 a record was printed, 0 nothing to print, -1 stop with a failure. */
static int handle(consumer_t *c, const rd_kafka_message_t *m) {
  if (!m->err) return print_record(c, m) == 0 ? 1 : -1;
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return 0;
  char fatal[512];
  if (rd_kafka_fatal_error(c->kafka.rk, fatal, sizeof fatal)) {
    weir_tk_fail(TOOL, WEIR_TK_FAILED, "fatal client error: %s", fatal);
    return -1;
  }
  /* Like Kafka's tool, keep waiting (the topic may appear), but say why. */
  if (m->err != c->warned) fprintf(stderr, TOOL ": warning: %s\n", rd_kafka_message_errstr(m));
  c->warned = m->err;
  return 0;
}

/* ---- the run ---------------------------------------------------------------------- */

static int run(consumer_t *c, const weir_cli_client_t *o) {
  weir_tk_progress_t pr;
  weir_tk_progress_start(&pr, TOOL);
  weir_tk_signals_install();
  double last = weir_tk_now();
  int rc = 0;
  bool timed_out = false;
  while (!weir_tk_interrupted() && (o->max_messages < 0 || c->count < (uint64_t)o->max_messages)) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(c->kafka.rk, POLL_MS);
    if (m) {
      rc = handle(c, m);
      rd_kafka_message_destroy(m);
      if (rc < 0) break;
      if (rc > 0) {
        c->count++;
        last = weir_tk_now();
      }
    } else {
      fflush(stdout); /* idle: let a reader of a pipe see what arrived */
      if (o->timeout_ms >= 0 && (weir_tk_now() - last) * 1000.0 >= (double)o->timeout_ms) {
        timed_out = true;
        break;
      }
    }
    weir_tk_progress_tick(&pr, c->count, "consumed");
  }
  rd_kafka_consumer_close(c->kafka.rk); /* leaves the group; commits with --group */
  if (fflush(stdout) != 0 || ferror(stdout)) rc = weir_tk_fail(TOOL, -1, "cannot write to stdout");
  fprintf(stderr, TOOL ": consumed %" PRIu64 " records from %s%s (%.2f s)\n", c->count, c->topic,
          timed_out ? ", then no record arrived within --timeout-ms" : "", weir_tk_progress_seconds(&pr));
  return rc < 0 ? WEIR_TK_FAILED : 0;
}

int weir_tool_consume(const weir_cli_t *cli) {
  if (!cli->client.topic)
    return weir_tk_fail(TOOL, WEIR_TK_USAGE, "--topic is required (see weir consume --help)");
  weir_tk_props_t props;
  int status = weir_tk_props_init(&props, TOOL, k_props, N_PROPS, cli);
  if (status != 0) return status;
  consumer_t c;
  memset(&c, 0, sizeof c);
  c.topic = cli->client.topic;
  status = consumer_init(&c, &props, cli);
  if (status == 0) status = run(&c, &cli->client);
  consumer_fini(&c);
  return status;
}

void weir_tool_consume_usage(FILE *out) {
  fputs(
      "usage: weir consume --topic TOPIC [--bootstrap-server HOST:PORT] [--from-beginning]\n"
      "                    [--max-messages N] [--timeout-ms N] [--group GROUP] [--property KEY=VALUE]...\n"
      "                    [--consumer-property KEY=VALUE]... [--consumer.config FILE]\n\n"
      "Prints one record per line, like kafka-avro-console-consumer: Avro values as Avro JSON\n"
      "(writer schema from the registry by the id in each record), with value.format=protobuf\n"
      "Protobuf values as proto3 JSON (the message the record's indexes name), a null value as\n"
      "null.literal.\n"
      "Runs until --max-messages, --timeout-ms or Ctrl-C. Exit status 1 when a record does not\n"
      "decode or the broker or registry fails, 2 for bad flags. A summary goes to stderr.\n\noptions:\n",
      out);
  weir_cli_write_options(out, weir_command_by_id(WEIR_CMD_CONSUME));
  weir_tk_write_props(out, k_props, N_PROPS);
  fputs(
      "\nexample:\n  weir consume --topic orders --from-beginning --max-messages 10 \\\n"
      "      --property schema.registry.url=http://localhost:8081 --property print.key=true\n",
      out);
}
