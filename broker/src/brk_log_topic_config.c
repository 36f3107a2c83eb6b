// SPDX-License-Identifier: Apache-2.0
/* Topic configs (shared/spec/kafka-broker.md §1.6.7): one table of every
 * known key with its type, range, default (fixed, or the store's default)
 * and the field of the effective config it drives; validation, merging of
 * set/unset changes, DescribeConfigs entries and AlterConfigs. Keys that are
 * accepted but have no effect here (compaction, flush.ms, ...) are listed so
 * read-modify-write tools round-trip them. Persistence is brk_log_topic.c's. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_log_int.h"

typedef enum { CT_LONG, CT_INT, CT_ENUM, CT_BOOL, CT_RATIO, CT_POLICY } cfg_type_t;
typedef enum { CF_NONE, CF_I64, CF_I32, CF_LOG_APPEND_TIME, CF_DELETE } cfg_field_kind_t;
enum { SD_SEGMENT_BYTES, SD_RETENTION_MS, SD_RETENTION_BYTES, SD_FLUSH_MESSAGES, SD_MAX_MESSAGE_BYTES };

typedef struct cfg_def {
  const char *name;
  cfg_type_t type;
  int64_t min, max;
  const char *choices; /* CT_ENUM: "|a|b|" */
  const char *def;     /* fixed default, or NULL: store->defaults[store_def] */
  int store_def;
  cfg_field_kind_t kind;
  size_t field; /* offsetof in brk__topic_cfg_t */
} cfg_def_t;

#define F(m) offsetof(brk__topic_cfg_t, m)
#define NOF CF_NONE, 0
static const cfg_def_t DEFS[] = {
    {"cleanup.policy", CT_POLICY, 0, 0, NULL, "delete", -1, CF_DELETE, F(cleanup_delete)},
    {"compression.type", CT_ENUM, 0, 0, "|producer|uncompressed|gzip|snappy|lz4|zstd|", "producer", -1, NOF},
    {"delete.retention.ms", CT_LONG, 0, INT64_MAX, NULL, "86400000", -1, NOF},
    {"file.delete.delay.ms", CT_LONG, 0, INT64_MAX, NULL, "60000", -1, NOF},
    {"flush.messages", CT_LONG, 1, INT64_MAX, NULL, NULL, SD_FLUSH_MESSAGES, CF_I64, F(flush_messages)},
    {"flush.ms", CT_LONG, 0, INT64_MAX, NULL, "9223372036854775807", -1, NOF},
    {"index.interval.bytes", CT_INT, 0, INT32_MAX, NULL, "4096", -1, CF_I32, F(index_interval_bytes)},
    {"max.compaction.lag.ms", CT_LONG, 1, INT64_MAX, NULL, "9223372036854775807", -1, NOF},
    {"max.message.bytes", CT_INT, 0, INT32_MAX, NULL, NULL, SD_MAX_MESSAGE_BYTES, CF_I32,
     F(max_message_bytes)},
    {"message.downconversion.enable", CT_BOOL, 0, 0, NULL, "true", -1, NOF},
    {"message.timestamp.difference.max.ms", CT_LONG, 0, INT64_MAX, NULL, "9223372036854775807", -1, CF_I64,
     F(ts_diff_max_ms)},
    {"message.timestamp.type", CT_ENUM, 0, 0, "|CreateTime|LogAppendTime|", "CreateTime", -1,
     CF_LOG_APPEND_TIME, F(log_append_time)},
    {"min.cleanable.dirty.ratio", CT_RATIO, 0, 0, NULL, "0.5", -1, NOF},
    {"min.compaction.lag.ms", CT_LONG, 0, INT64_MAX, NULL, "0", -1, NOF},
    {"min.insync.replicas", CT_INT, 1, 1, NULL, "1", -1, NOF}, /* single node: only 1 is satisfiable */
    {"preallocate", CT_BOOL, 0, 0, NULL, "false", -1, NOF},
    {"retention.bytes", CT_LONG, -1, INT64_MAX, NULL, NULL, SD_RETENTION_BYTES, CF_I64, F(retention_bytes)},
    {"retention.ms", CT_LONG, -1, INT64_MAX, NULL, NULL, SD_RETENTION_MS, CF_I64, F(retention_ms)},
    {"segment.bytes", CT_INT, 14, INT32_MAX, NULL, NULL, SD_SEGMENT_BYTES, CF_I64, F(segment_bytes)},
    {"segment.index.bytes", CT_INT, 8, INT32_MAX, NULL, "10485760", -1, NOF},
    {"segment.jitter.ms", CT_LONG, 0, INT64_MAX, NULL, "0", -1, NOF},
    {"segment.ms", CT_LONG, 1, INT64_MAX, NULL, "604800000", -1, CF_I64, F(segment_ms)},
    {"unclean.leader.election.enable", CT_BOOL, 0, 0, NULL, "false", -1, NOF},
};
#define N_DEFS (sizeof DEFS / sizeof DEFS[0])

void brk__store_err(brk_store_t *store, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(store->last_err, sizeof store->last_err, fmt, ap);
  va_end(ap);
}

const char *brk_store_last_error(const brk_store_t *store) {
  return store->last_err;
}

void brk__store_defaults_init(brk_store_t *store) {
  const brk_store_opts_t *o = &store->opts;
  int64_t v[BRK__N_STORE_DEFAULTS];
  v[SD_SEGMENT_BYTES] = o->segment_bytes;
  v[SD_RETENTION_MS] = o->retention_ms;
  v[SD_RETENTION_BYTES] = o->retention_bytes;
  v[SD_FLUSH_MESSAGES] = o->flush_interval_messages;
  v[SD_MAX_MESSAGE_BYTES] = o->message_max_bytes;
  for (int i = 0; i < BRK__N_STORE_DEFAULTS; i++)
    snprintf(store->defaults[i], sizeof store->defaults[i], "%" PRId64, v[i]);
}

static const cfg_def_t *def_find(const char *key) {
  for (size_t i = 0; i < N_DEFS; i++)
    if (strcmp(DEFS[i].name, key) == 0) return &DEFS[i];
  return NULL;
}

static bool parse_i64(const char *s, int64_t *out) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || end == s || *end || *s == ' ' || *s == '+') return false;
  *out = v;
  return true;
}

static bool policy_ok(const char *s) {
  size_t n = 0;
  while (*s) {
    size_t len = strcspn(s, ",");
    const char *tok = s;
    while (len && *tok == ' ') tok++, len--;
    while (len && tok[len - 1] == ' ') len--;
    if (!((len == 6 && !memcmp(tok, "delete", 6)) || (len == 7 && !memcmp(tok, "compact", 7)))) return false;
    n++;
    s += strcspn(s, ",");
    if (*s) s++;
  }
  return n > 0;
}

static bool value_ok(const cfg_def_t *d, const char *v) {
  int64_t n;
  char pat[64];
  switch (d->type) {
    case CT_LONG:
    case CT_INT:
      return parse_i64(v, &n) && n >= d->min && n <= d->max;
    case CT_ENUM:
      snprintf(pat, sizeof pat, "|%s|", v);
      return strlen(v) < 40 && !strchr(v, '|') && strstr(d->choices, pat) != NULL;
    case CT_BOOL:
      return strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
    case CT_RATIO: {
      char *end = NULL;
      double x = strtod(v, &end);
      return end != v && !*end && x >= 0.0 && x <= 1.0;
    }
    case CT_POLICY:
      return policy_ok(v);
  }
  return false;
}

static const char *def_default(const brk_store_t *store, const cfg_def_t *d) {
  return d->def ? d->def : store->defaults[d->store_def];
}

static void field_set(brk__topic_cfg_t *cfg, const cfg_def_t *d, const char *v) {
  char *base = (char *)cfg + d->field;
  int64_t n = 0;
  bool b;
  switch (d->kind) {
    case CF_NONE:
      return;
    case CF_I64:
      parse_i64(v, &n);
      memcpy(base, &n, sizeof n);
      return;
    case CF_I32: {
      parse_i64(v, &n);
      int32_t n32 = (int32_t)n;
      memcpy(base, &n32, sizeof n32);
      return;
    }
    case CF_LOG_APPEND_TIME:
      b = strcmp(v, "LogAppendTime") == 0;
      memcpy(base, &b, sizeof b);
      return;
    case CF_DELETE:
      b = strstr(v, "delete") != NULL;
      memcpy(base, &b, sizeof b);
      return;
  }
}

static const char *kv_get(const brk__kvset_t *s, const char *key) {
  for (size_t i = 0; s && i < s->n; i++)
    if (strcmp(s->keys[i], key) == 0) return s->values[i];
  return NULL;
}

static void cfg_build(const brk_store_t *store, const brk__kvset_t *s, brk__topic_cfg_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  for (size_t i = 0; i < N_DEFS; i++) {
    const char *v = kv_get(s, DEFS[i].name);
    field_set(cfg, &DEFS[i], v ? v : def_default(store, &DEFS[i]));
  }
}

void brk__kvset_free(brk__kvset_t *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    free(s->keys[i]);
    free(s->values[i]);
  }
  free(s->keys);
  free(s->values);
  s->keys = s->values = NULL;
  s->n = 0;
}

/* One value per known key, in table order (so keys stay sorted). */
static int kvset_from_table(brk__kvset_t *out, const char *const *vals) {
  out->keys = calloc(N_DEFS, sizeof *out->keys);
  out->values = calloc(N_DEFS, sizeof *out->values);
  if (!out->keys || !out->values) return -ENOMEM;
  for (size_t i = 0; i < N_DEFS; i++) {
    if (!vals[i]) continue;
    out->keys[out->n] = strdup(DEFS[i].name);
    out->values[out->n] = strdup(vals[i]);
    if (!out->keys[out->n] || !out->values[out->n++]) return -ENOMEM;
  }
  return 0;
}

brk_kerr_t brk__kvset_merge(brk_store_t *store, const brk__kvset_t *base, const brk_kv_t *configs, size_t n,
                            bool replace, brk__kvset_t *out, brk__topic_cfg_t *cfg) {
  const char *vals[N_DEFS];
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < N_DEFS; i++) vals[i] = replace ? NULL : kv_get(base, DEFS[i].name);
  for (size_t i = 0; i < n; i++) {
    const cfg_def_t *d = configs[i].key ? def_find(configs[i].key) : NULL;
    if (!d) {
      brk__store_err(store, "unknown topic config \"%s\"", configs[i].key ? configs[i].key : "(null)");
      return BRK_KERR_INVALID_CONFIG;
    }
    if (configs[i].value && !value_ok(d, configs[i].value)) {
      brk__store_err(store, "invalid value \"%.100s\" for topic config \"%s\"", configs[i].value, d->name);
      return BRK_KERR_INVALID_CONFIG;
    }
    vals[d - DEFS] = configs[i].value;
  }
  if (kvset_from_table(out, vals) != 0) {
    brk__kvset_free(out);
    brk__store_err(store, "out of memory");
    return BRK_KERR_UNKNOWN_SERVER_ERROR;
  }
  cfg_build(store, out, cfg);
  return BRK_KERR_NONE;
}

brk_kerr_t brk_store_topic_configs(const brk_store_t *store, const char *topic, brk_config_entry_t **entries,
                                   size_t *n) {
  *entries = NULL;
  *n = 0;
  const brk__topic_t *t = brk__store_find_topic(store, topic, strlen(topic));
  if (!t) return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  brk_config_entry_t *e = calloc(N_DEFS, sizeof *e);
  if (!e) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  for (size_t i = 0; i < N_DEFS; i++) {
    const char *v = kv_get(&t->over, DEFS[i].name);
    e[i] = (brk_config_entry_t){DEFS[i].name, v ? v : def_default(store, &DEFS[i]), v == NULL, false, false};
  }
  *entries = e;
  *n = N_DEFS;
  return BRK_KERR_NONE;
}

bool brk__topic_cfg_valid(const char *key, const char *value) {
  const cfg_def_t *d = def_find(key);
  return d && value_ok(d, value);
}
