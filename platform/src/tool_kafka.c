// SPDX-License-Identifier: Apache-2.0
/* Set-up shared by `weir produce` and `weir consume` (tool_kafka.h): the
 * --property split between tool and serde properties, the serde handle, the
 * librdkafka client with Kafka's console-tool precedence (defaults, then the
 * config file, then --X-property, then --bootstrap-server), the broker probe,
 * progress lines, signal handling and the properties part of --help. It
 * knows nothing about lines or record output. */
#include "tool_kafka.h"

#include <assert.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform/props_file.h"
#include "platform_int.h"

#define DEFAULT_BOOTSTRAP "localhost:9092"
#define PROGRESS_EVERY_S 10.0
#define MAX_NAME 256
#define PROBE_STEP_MS 500

int weir_tk_fail(const char *tool, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", tool);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return status;
}

/* ---- properties ---------------------------------------------------------- */

/* Splits "name=value" into a NUL-terminated copy of name and a pointer to
 * the value. False when there is no '=', the name is empty or too long. */
static bool split_pair(const char *kv, char *name, size_t size, const char **value) {
  const char *eq = strchr(kv, '=');
  if (!eq || eq == kv || (size_t)(eq - kv) >= size) return false;
  memcpy(name, kv, (size_t)(eq - kv));
  name[eq - kv] = '\0';
  *value = eq + 1;
  return true;
}

static size_t find_def(const weir_tk_props_t *p, const char *name) {
  for (size_t i = 0; i < p->n_defs; i++)
    if (strcmp(p->defs[i].name, name) == 0) return i;
  return p->n_defs;
}

int weir_tk_props_init(weir_tk_props_t *p, const char *tool, const weir_tk_prop_def_t *defs, size_t n_defs,
                       const weir_cli_t *cli) {
  assert(n_defs <= WEIR_TK_MAX_PROPS);
  memset(p, 0, sizeof *p);
  p->tool = tool;
  p->defs = defs;
  p->n_defs = n_defs;
  serde_conf_t *check = serde_conf_new();
  if (!check) return weir_tk_fail(tool, WEIR_TK_FAILED, "out of memory");
  int status = 0;
  for (size_t i = 0; i < cli->client.n_properties && status == 0; i++) {
    const char *kv = cli->client.properties[i], *value = NULL;
    char name[MAX_NAME];
    serde_error_t err = {0};
    if (!split_pair(kv, name, sizeof name, &value)) {
      status = weir_tk_fail(tool, WEIR_TK_USAGE, "--property \"%s\" is not KEY=VALUE", kv);
    } else if (find_def(p, name) < n_defs) {
      p->value[find_def(p, name)] = value;
    } else if (serde_conf_set(check, name, value, &err) != SERDE_OK) {
      status = weir_tk_fail(tool, WEIR_TK_USAGE, "--property %s: %s", name, err.message);
    } else {
      p->serde[p->n_serde++] = kv;
    }
  }
  serde_conf_destroy(check);
  return status;
}

const char *weir_tk_prop(const weir_tk_props_t *p, const char *name) {
  size_t i = find_def(p, name);
  assert(i < p->n_defs);
  return p->value[i] ? p->value[i] : p->defs[i].deflt;
}

int weir_tk_prop_bool(const weir_tk_props_t *p, const char *name, bool *out) {
  const char *v = weir_tk_prop(p, name);
  if (!v || strcmp(v, "false") == 0) {
    *out = false;
    return 0;
  }
  if (strcmp(v, "true") == 0) {
    *out = true;
    return 0;
  }
  return weir_tk_fail(p->tool, WEIR_TK_USAGE, "property %s must be true or false, not \"%s\"", name, v);
}

int weir_tk_prop_format(const weir_tk_props_t *p, const char *name, weir_tk_format_t deflt,
                        weir_tk_format_t *out) {
  static const char *const names[] = {
      [WEIR_TK_AVRO] = "avro", [WEIR_TK_JSON] = "json", [WEIR_TK_STRING] = "string", [WEIR_TK_PROTOBUF] = "protobuf"};
  const char *v = weir_tk_prop(p, name);
  *out = deflt;
  if (!v) return 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(v, names[i]) == 0) {
      *out = (weir_tk_format_t)i;
      return 0;
    }
  return weir_tk_fail(p->tool, WEIR_TK_USAGE, "property %s must be avro, protobuf, json or string, not \"%s\"", name,
                      v);
}

/* ---- serde ------------------------------------------------------------------ */

int weir_tk_serde_fail(const char *tool, const char *what, const serde_error_t *err) {
  bool usage = err->code == SERDE_ERR_CONF || err->code == SERDE_ERR_INVALID_ARG ||
               err->code == SERDE_ERR_SCHEMA_PARSE;
  return weir_tk_fail(tool, usage ? WEIR_TK_USAGE : WEIR_TK_FAILED, "%s: %s", what,
                      err->message[0] ? err->message : serde_code_name(err->code));
}

serde_t *weir_tk_serde_new(const weir_tk_props_t *p, const char *const *extra, int *status) {
  serde_error_t err = {0};
  serde_conf_t *conf = serde_conf_new();
  if (!conf) {
    *status = weir_tk_fail(p->tool, WEIR_TK_FAILED, "out of memory");
    return NULL;
  }
  serde_code_t rc = SERDE_OK;
  for (size_t i = 0; i < p->n_serde && rc == SERDE_OK; i++) {
    char name[MAX_NAME];
    const char *value = NULL;
    if (split_pair(p->serde[i], name, sizeof name, &value)) rc = serde_conf_set(conf, name, value, &err);
  }
  for (size_t i = 0; extra && extra[i] && rc == SERDE_OK; i += 2)
    rc = serde_conf_set(conf, extra[i], extra[i + 1], &err);
  if (rc != SERDE_OK) {
    serde_conf_destroy(conf);
    *status = weir_tk_serde_fail(p->tool, "serde configuration", &err);
    return NULL;
  }
  serde_t *sd = serde_new(conf, &err); /* takes conf */
  if (!sd) *status = weir_tk_serde_fail(p->tool, "schema registry client", &err);
  return sd;
}

/* ---- librdkafka ------------------------------------------------------------- */

/* Connection trouble is reported through error_cb and the tool's outcome,
 * not as librdkafka log lines (unless the user sets `debug`). */
static void quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
  (void)rk, (void)level, (void)fac, (void)buf;
}

static void remember_error(rd_kafka_t *rk, int err, const char *reason, void *opaque) {
  (void)rk;
  weir_tk_kafka_t *k = opaque;
  k->error_code = err;
  snprintf(k->error, sizeof k->error, "%s", reason);
}

static int conf_set(weir_tk_kafka_t *k, rd_kafka_conf_t *conf, const char *name, const char *value,
                    const char *origin) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK) return 0;
  return weir_tk_fail(k->tool, WEIR_TK_USAGE, "%s: %s", origin, errstr);
}

static weir_code_t file_entry(void *ctx, const char *key, const char *value, weir_error_t *err) {
  char errstr[512];
  if (rd_kafka_conf_set(ctx, key, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK) return WEIR_OK;
  return weir_error_set(err, WEIR_ERR_CONFIG, "%s", errstr);
}

static int load_config_file(weir_tk_kafka_t *k, rd_kafka_conf_t *conf, const char *path) {
  weir_error_t err = {0};
  char *text = NULL;
  size_t len = 0;
  if (weir__file_read(path, WEIR_PROPS_MAX_FILE_BYTES, "config file", &text, &len, &err) == WEIR_OK)
    weir_props_parse(text, len, path, file_entry, conf, &err);
  weir__free(text);
  return err.code == WEIR_OK ? 0 : weir_tk_fail(k->tool, WEIR_TK_USAGE, "%s", err.msg);
}

/* Every source of client properties, in Kafka's console-tool precedence. */
static int configure(weir_tk_kafka_t *k, rd_kafka_conf_t *conf, const weir_cli_t *cli,
                     const char *const *defaults) {
  const weir_cli_client_t *c = &cli->client;
  int status = conf_set(k, conf, "bootstrap.servers", DEFAULT_BOOTSTRAP, "default");
  for (size_t i = 0; defaults && defaults[i] && status == 0; i += 2)
    status = conf_set(k, conf, defaults[i], defaults[i + 1], "default");
  if (status == 0 && c->kafka_config) status = load_config_file(k, conf, c->kafka_config);
  for (size_t i = 0; i < c->n_kafka_properties && status == 0; i++) {
    char name[MAX_NAME];
    const char *value = NULL;
    if (!split_pair(c->kafka_properties[i], name, sizeof name, &value))
      return weir_tk_fail(k->tool, WEIR_TK_USAGE, "client property \"%s\" is not KEY=VALUE",
                          c->kafka_properties[i]);
    status = conf_set(k, conf, name, value, c->kafka_properties[i]);
  }
  if (status == 0 && cli->bootstrap_server)
    status = conf_set(k, conf, "bootstrap.servers", cli->bootstrap_server, "--bootstrap-server");
  return status;
}

int weir_tk_kafka_init(weir_tk_kafka_t *k, const weir_tk_kafka_spec_t *spec, const weir_cli_t *cli) {
  memset(k, 0, sizeof *k);
  k->tool = spec->tool;
  k->app = spec->app;
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  int status = configure(k, conf, cli, spec->defaults);
  if (status != 0) {
    rd_kafka_conf_destroy(conf);
    return status;
  }
  size_t len = sizeof k->bootstrap;
  rd_kafka_conf_get(conf, "bootstrap.servers", k->bootstrap, &len);
  char debug[256] = "";
  len = sizeof debug;
  if (rd_kafka_conf_get(conf, "debug", debug, &len) != RD_KAFKA_CONF_OK || !debug[0])
    rd_kafka_conf_set_log_cb(conf, quiet_log);
  rd_kafka_conf_set_error_cb(conf, remember_error);
  rd_kafka_conf_set_opaque(conf, k);
  if (spec->setup) spec->setup(conf);
  char errstr[512];
  k->rk = rd_kafka_new(spec->type, conf, errstr, sizeof errstr);
  if (!k->rk) {
    rd_kafka_conf_destroy(conf);
    return weir_tk_fail(k->tool, WEIR_TK_USAGE, "cannot create a Kafka client: %s", errstr);
  }
  return 0;
}

void weir_tk_kafka_fini(weir_tk_kafka_t *k) {
  if (k->rk) rd_kafka_destroy(k->rk);
  k->rk = NULL;
}

int weir_tk_kafka_probe(weir_tk_kafka_t *k, int timeout_ms) {
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
  /* Short metadata requests, serving error_cb in between: a refused
   * connection to every broker (ALL_BROKERS_DOWN) fails at once instead of
   * after the whole timeout. */
  for (double end = weir_tk_now() + timeout_ms / 1000.0; weir_tk_now() < end;) {
    const struct rd_kafka_metadata *md = NULL;
    err = rd_kafka_metadata(k->rk, 0, NULL, &md, PROBE_STEP_MS);
    if (md) rd_kafka_metadata_destroy(md);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return 0;
    rd_kafka_poll(k->rk, 0);
    if (k->error_code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) break;
  }
  return weir_tk_fail(k->tool, WEIR_TK_FAILED, "cannot reach the broker at %s within %d ms: %s%s%s",
                      k->bootstrap, timeout_ms, rd_kafka_err2str(err), k->error[0] ? ": " : "", k->error);
}

/* ---- progress and signals ------------------------------------------------------ */

double weir_tk_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void weir_tk_progress_start(weir_tk_progress_t *pr, const char *tool) {
  pr->tool = tool;
  pr->start = pr->last = weir_tk_now();
  pr->last_count = 0;
}

/* Quiet while nothing moves (a consumer waiting for records). */
void weir_tk_progress_tick(weir_tk_progress_t *pr, uint64_t count, const char *verb) {
  double now = weir_tk_now();
  if (now - pr->last < PROGRESS_EVERY_S) return;
  if (count != pr->last_count)
    fprintf(stderr, "%s: %s %llu records so far (%.0f records/s over the last %.0f s)\n", pr->tool, verb,
            (unsigned long long)count, (double)(count - pr->last_count) / (now - pr->last), now - pr->last);
  pr->last = now;
  pr->last_count = count;
}

double weir_tk_progress_seconds(const weir_tk_progress_t *pr) {
  return weir_tk_now() - pr->start;
}

static volatile sig_atomic_t g_signals;

static void on_signal(int sig) {
  (void)sig;
  g_signals++;
}

void weir_tk_signals_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: a blocking read of stdin returns EINTR */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

int weir_tk_interrupted(void) {
  return (int)g_signals;
}

/* ---- help -------------------------------------------------------------------------- */

static void write_prop(FILE *out, const char *name, const char *doc, const char *deflt) {
  fprintf(out, "  %-28s %s", name, doc);
  if (deflt && deflt[0]) fprintf(out, " (default %s)", strcmp(deflt, "\t") == 0 ? "a tab" : deflt);
  fputc('\n', out);
}

void weir_tk_write_props(FILE *out, const weir_tk_prop_def_t *defs, size_t n_defs) {
  fputs("\nproperties of the tool (--property KEY=VALUE):\n", out);
  for (size_t i = 0; i < n_defs; i++) write_prop(out, defs[i].name, defs[i].doc, defs[i].deflt);
  size_t n = 0;
  const serde_prop_info_t *serde = serde_conf_properties(&n);
  fputs("\nserde properties (--property KEY=VALUE, Confluent's names):\n", out);
  for (size_t i = 0; i < n; i++) write_prop(out, serde[i].name, serde[i].doc, serde[i].deflt);
}
