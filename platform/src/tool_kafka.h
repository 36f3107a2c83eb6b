// SPDX-License-Identifier: Apache-2.0
/* What `weir produce` and `weir consume` share: their property tables and
 * the split of --property between tool and serde, the serde handle, the
 * librdkafka handle built from --bootstrap-server, --X.config and
 * --X-property, record formats, progress lines, SIGINT/SIGTERM, and exit
 * statuses. Reading stdin and printing records stay in tool_produce.c and
 * tool_consume.c. Every function that fails prints its reason to stderr as
 * "<tool>: ..." and returns the exit status (1 failure, 2 usage/config). */
#ifndef WEIR_PLATFORM_TOOL_KAFKA_H
#define WEIR_PLATFORM_TOOL_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/cli.h"
#include "serde/serde.h"

#define WEIR_TK_FAILED 1 /* a record, the registry or the broker failed */
#define WEIR_TK_USAGE 2  /* bad flags or properties */

/* How a record's key or value is written or read. */
typedef enum {
  WEIR_TK_AVRO,   /* Confluent-framed Avro through serde; JSON text on the tool's side */
  WEIR_TK_JSON,   /* the JSON text as is (checked to be JSON when producing) */
  WEIR_TK_STRING, /* the bytes as is */
  WEIR_TK_PROTOBUF, /* Confluent-framed Protobuf through serde; proto3 JSON text on the tool's side */
} weir_tk_format_t;

/* True for the formats written and read through the schema registry. */
static inline bool weir_tk_format_has_schema(weir_tk_format_t f) { return f == WEIR_TK_AVRO || f == WEIR_TK_PROTOBUF; }

/* One tool property (set with --property, like Confluent's). */
typedef struct weir_tk_prop_def {
  const char *name;
  const char *deflt; /* NULL: unset unless given */
  const char *doc;
} weir_tk_prop_def_t;

#define WEIR_TK_MAX_PROPS 24

/* The --property list split: the tool's own values by table index, and
 * every other KEY=VALUE (a serde property, already checked by serde_conf_set). */
typedef struct weir_tk_props {
  const char *tool; /* "weir produce": message prefix */
  const weir_tk_prop_def_t *defs;
  size_t n_defs;
  const char *value[WEIR_TK_MAX_PROPS]; /* given value (borrowed from argv) or NULL */
  const char *serde[WEIR_CLI_MAX_PROPERTIES];
  size_t n_serde;
} weir_tk_props_t;

/* Splits cli's --property list against defs (at most WEIR_TK_MAX_PROPS).
 * 0, or WEIR_TK_USAGE for a malformed pair or a property serde rejects. */
int weir_tk_props_init(weir_tk_props_t *p, const char *tool, const weir_tk_prop_def_t *defs, size_t n_defs,
                       const weir_cli_t *cli);
/* The tool property's given value, else its default (NULL if neither). */
const char *weir_tk_prop(const weir_tk_props_t *p, const char *name);
/* "true"/"false" property into *out. 0 or WEIR_TK_USAGE. */
int weir_tk_prop_bool(const weir_tk_props_t *p, const char *name, bool *out);
/* "avro"/"json"/"string" property into *out (deflt when unset). 0 or WEIR_TK_USAGE. */
int weir_tk_prop_format(const weir_tk_props_t *p, const char *name, weir_tk_format_t deflt,
                        weir_tk_format_t *out);

/* A serde handle configured with the serde properties, then `extra` (name,
 * value, name, value, ..., NULL; may be NULL) on top. NULL with *status set. */
serde_t *weir_tk_serde_new(const weir_tk_props_t *p, const char *const *extra, int *status);
/* Prints "<tool>: <what>: <message>" and returns the exit status for the
 * error (WEIR_TK_USAGE for configuration and schema text, else FAILED). */
int weir_tk_serde_fail(const char *tool, const char *what, const serde_error_t *err);

/* A librdkafka client. The conf opaque is this struct, so callbacks reach
 * `app` (the tool's state) through it. */
typedef struct weir_tk_kafka {
  const char *tool;
  rd_kafka_t *rk;
  void *app;
  char bootstrap[256]; /* bootstrap.servers as configured, for messages */
  int error_code;      /* the client's last error (error_cb), 0 if none */
  char error[512];     /* its text, "" if none */
} weir_tk_kafka_t;

/* What a tool's client is: its kind, its defaults and its callbacks. */
typedef struct weir_tk_kafka_spec {
  const char *tool;                     /* message prefix */
  rd_kafka_type_t type;                 /* RD_KAFKA_PRODUCER or RD_KAFKA_CONSUMER */
  const char *const *defaults;          /* name, value, ..., NULL (may be NULL) */
  void (*setup)(rd_kafka_conf_t *conf); /* adds the tool's callbacks (may be NULL) */
  void *app;                            /* becomes weir_tk_kafka_t.app */
} weir_tk_kafka_spec_t;

/* Builds k->rk: spec's defaults, then the --X.config file, then
 * --X-property, then --bootstrap-server (or localhost:9092 when nothing set
 * bootstrap.servers). 0 or an exit status. k must not move while rk lives
 * (it is the conf opaque). Release with weir_tk_kafka_fini, also after a
 * failure. */
int weir_tk_kafka_init(weir_tk_kafka_t *k, const weir_tk_kafka_spec_t *spec, const weir_cli_t *cli);
void weir_tk_kafka_fini(weir_tk_kafka_t *k);
/* Waits (at most timeout_ms) for the cluster to answer a metadata request,
 * so an unreachable broker fails fast: at once when every bootstrap broker
 * refused the connection. 0 or WEIR_TK_FAILED. */
int weir_tk_kafka_probe(weir_tk_kafka_t *k, int timeout_ms);

/* Progress on stderr every 10 s while a long run moves on. */
typedef struct weir_tk_progress {
  const char *tool;
  double start, last;  /* monotonic seconds: the run's start, the last tick */
  uint64_t last_count; /* count at the last tick */
} weir_tk_progress_t;

void weir_tk_progress_start(weir_tk_progress_t *pr, const char *tool);
void weir_tk_progress_tick(weir_tk_progress_t *pr, uint64_t count, const char *verb);
double weir_tk_progress_seconds(const weir_tk_progress_t *pr);
double weir_tk_now(void); /* monotonic seconds */

/* SIGINT/SIGTERM set a counter instead of killing the process (blocking
 * reads return EINTR), so the tools flush, close and print their summary. */
void weir_tk_signals_install(void);
int weir_tk_interrupted(void); /* signals received so far */

/* The "properties:" part of a tool's --help: its own table, then serde's. */
void weir_tk_write_props(FILE *out, const weir_tk_prop_def_t *defs, size_t n_defs);

/* Prints "<tool>: <formatted message>" to stderr and returns status. */
int weir_tk_fail(const char *tool, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
