// SPDX-License-Identifier: Apache-2.0
/* DescribeConfigs (key 32) v0-2, AlterConfigs (key 33) v0-1 and
 * IncrementalAlterConfigs (key 44) v0 for topics (resource type 2) and, read
 * only, for this broker (type 4: the static settings of brk_config_t that
 * clients ask about). Topic configs, their defaults and their validation
 * belong to the store (brk_log.h); this file maps them to the wire: value,
 * ConfigSource, IsDefault, ReadOnly, IsSensitive and Synonyms. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_api_admin.h"

/* ConfigSource values (DescribeConfigs v1+). */
enum { SRC_DYNAMIC_TOPIC = 1, SRC_STATIC_BROKER = 4, SRC_DEFAULT = 5 };

/* ---- broker configs ----------------------------------------------------------- */

typedef enum { CFG_BOOL, CFG_I32, CFG_I64 } cfg_type_t;

static const struct broker_config {
  const char *name;
  size_t offset; /* in brk_config_t */
  cfg_type_t type;
  const char *topic_name; /* the topic config this broker setting is the default of */
} broker_configs[] = {
    {"num.partitions", offsetof(brk_config_t, num_partitions), CFG_I32, NULL},
    {"auto.create.topics.enable", offsetof(brk_config_t, auto_create_topics), CFG_BOOL, NULL},
    {"log.segment.bytes", offsetof(brk_config_t, segment_bytes), CFG_I64, "segment.bytes"},
    {"log.retention.ms", offsetof(brk_config_t, retention_ms), CFG_I64, "retention.ms"},
    {"log.retention.bytes", offsetof(brk_config_t, retention_bytes), CFG_I64, "retention.bytes"},
    {"log.flush.interval.messages", offsetof(brk_config_t, flush_interval_messages), CFG_I64,
     "flush.messages"},
    {"message.max.bytes", offsetof(brk_config_t, message_max_bytes), CFG_I32, "max.message.bytes"},
    {"socket.request.max.bytes", offsetof(brk_config_t, max_request_bytes), CFG_I32, NULL},
};
#define N_BROKER_CONFIGS (sizeof broker_configs / sizeof broker_configs[0])

static void broker_config_format(const brk_config_t *cfg, size_t i, char *buf, size_t cap) {
  const char *field = (const char *)cfg + broker_configs[i].offset;
  switch (broker_configs[i].type) {
    case CFG_BOOL:
      snprintf(buf, cap, "%s", *(const bool *)(const void *)field ? "true" : "false");
      break;
    case CFG_I32:
      snprintf(buf, cap, "%d", (int)*(const int32_t *)(const void *)field);
      break;
    case CFG_I64:
      snprintf(buf, cap, "%lld", (long long)*(const int64_t *)(const void *)field);
      break;
  }
}

/* The broker's value of setting i, and whether it is Kafka's/weir's default. */
typedef struct broker_value {
  char value[32];
  bool is_default;
} broker_value_t;

static void broker_value_get(const brk_config_t *cfg, size_t i, broker_value_t *out) {
  brk_config_t defaults;
  brk_config_init(&defaults);
  char def[32];
  broker_config_format(cfg, i, out->value, sizeof out->value);
  broker_config_format(&defaults, i, def, sizeof def);
  out->is_default = strcmp(def, out->value) == 0;
}

/* ---- DescribeConfigs ---------------------------------------------------------- */

/* One DescribeConfigsResourceResult entry, with at most one broker synonym. */
typedef struct out_config {
  const char *name;
  const char *value;
  bool read_only, is_default, is_sensitive;
  int8_t source;
  const char *syn_name; /* NULL: none */
  const char *syn_value;
  int8_t syn_source;
} out_config_t;

static void write_synonym(brk_writer_t *w, const char *name, const char *value, int8_t source) {
  brk_write_string(w, name);  /* Name */
  brk_write_string(w, value); /* Value */
  brk_write_i8(w, source);    /* Source */
}

static void write_config(brk_writer_t *w, int16_t version, bool include_synonyms, const out_config_t *c) {
  brk_write_string(w, c->name);                           /* Name */
  brk_write_string(w, c->is_sensitive ? NULL : c->value); /* Value */
  brk_write_i8(w, c->read_only);                          /* ReadOnly */
  if (version == 0) brk_write_i8(w, c->is_default);       /* IsDefault */
  if (version >= 1) brk_write_i8(w, c->source);           /* ConfigSource */
  brk_write_i8(w, c->is_sensitive);                       /* IsSensitive */
  if (version < 1) return;
  if (!include_synonyms) {
    brk_write_i32(w, 0); /* Synonyms */
    return;
  }
  /* Kafka lists synonyms in precedence order, the entry's own source first. */
  bool own = c->source == SRC_DYNAMIC_TOPIC || c->syn_name == NULL;
  brk_write_i32(w, (own ? 1 : 0) + (c->syn_name ? 1 : 0));
  if (own) write_synonym(w, c->name, c->is_sensitive ? NULL : c->value, c->source);
  if (c->syn_name) write_synonym(w, c->syn_name, c->syn_value, c->syn_source);
}

/* ConfigurationKeys: null or empty = every config. */
typedef struct key_filter {
  brk_reader_t keys; /* positioned at the first key */
  int32_t n;
} key_filter_t;

static bool key_wanted(const key_filter_t *f, const char *name) {
  if (f->n <= 0) return true;
  brk_reader_t r = f->keys;
  size_t len = strlen(name);
  for (int32_t i = 0; i < f->n; i++) {
    brk_slice_t k = brk_read_string(&r);
    if (k.ptr != NULL && (size_t)k.len == len && memcmp(k.ptr, name, len) == 0) return true;
  }
  return false;
}

static size_t broker_synonym_of(const char *topic_config) {
  for (size_t i = 0; i < N_BROKER_CONFIGS; i++)
    if (broker_configs[i].topic_name && strcmp(broker_configs[i].topic_name, topic_config) == 0) return i;
  return N_BROKER_CONFIGS;
}

/* Writes the Configs array of one topic; ErrorCode etc. already written. */
static void write_topic_configs(brk_broker_t *b, const brk_config_entry_t *e, size_t n, const key_filter_t *f,
                                int16_t version, bool include_synonyms, brk_writer_t *w) {
  size_t count_pos = brk_write_placeholder_i32(w);
  int32_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if (!key_wanted(f, e[i].name)) continue;
    out_config_t c = {e[i].name,
                      e[i].value,
                      e[i].read_only,
                      e[i].is_default,
                      e[i].sensitive,
                      e[i].is_default ? SRC_DEFAULT : SRC_DYNAMIC_TOPIC,
                      NULL,
                      NULL,
                      0};
    size_t s = broker_synonym_of(e[i].name);
    broker_value_t bv;
    if (s < N_BROKER_CONFIGS) {
      broker_value_get(brk_broker_config(b), s, &bv);
      c.syn_name = broker_configs[s].name;
      c.syn_value = bv.value;
      c.syn_source = bv.is_default ? SRC_DEFAULT : SRC_STATIC_BROKER;
      if (c.is_default) c.source = c.syn_source;
    }
    write_config(w, version, include_synonyms, &c);
    count++;
  }
  brk_writer_patch_i32(w, count_pos, count);
}

static void write_broker_configs(brk_broker_t *b, const key_filter_t *f, int16_t version,
                                 bool include_synonyms, brk_writer_t *w) {
  size_t count_pos = brk_write_placeholder_i32(w);
  int32_t count = 0;
  for (size_t i = 0; i < N_BROKER_CONFIGS; i++) {
    if (!key_wanted(f, broker_configs[i].name)) continue;
    broker_value_t bv;
    broker_value_get(brk_broker_config(b), i, &bv);
    out_config_t c = {broker_configs[i].name,
                      bv.value,
                      true,
                      bv.is_default,
                      false,
                      bv.is_default ? SRC_DEFAULT : SRC_STATIC_BROKER,
                      NULL,
                      NULL,
                      0};
    write_config(w, version, include_synonyms, &c);
    count++;
  }
  brk_writer_patch_i32(w, count_pos, count);
}

static void write_result_head(brk_writer_t *w, brk_kerr_t err, const char *msg, int8_t type,
                              brk_slice_t name) {
  brk_write_i16(w, (int16_t)err);                         /* ErrorCode */
  brk_write_string(w, err == BRK_KERR_NONE ? NULL : msg); /* ErrorMessage */
  brk_write_i8(w, type);                                  /* ResourceType */
  brk_write_string_n(w, name.ptr, name.len);              /* ResourceName */
}

static void describe_topic(brk_broker_t *b, brk_slice_t resource_name, const key_filter_t *f, int16_t version,
                           bool include_synonyms, brk_writer_t *w) {
  char name[BRK_ADMIN_TOPIC_MAX + 1], msg[BRK_ADMIN_MSG_CAP];
  brk_config_entry_t *entries = NULL;
  size_t n = 0;
  brk_kerr_t err = BRK_KERR_INVALID_TOPIC_EXCEPTION;
  snprintf(msg, sizeof msg, "Topic name is illegal.");
  if (brk__admin_topic_cstr(resource_name, name)) {
    err = brk_store_topic_configs(brk_broker_store(b), name, &entries, &n);
    snprintf(msg, sizeof msg, "Topic '%s' %s.", name,
             err == BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION ? "does not exist" : "configs could not be read");
  }
  write_result_head(w, err, msg, BRK_ADMIN_RESOURCE_TOPIC, resource_name);
  if (err == BRK_KERR_NONE)
    write_topic_configs(b, entries, n, f, version, include_synonyms, w);
  else
    brk_write_i32(w, 0); /* Configs */
  free(entries);
}

static void describe_one(brk_broker_t *b, int8_t type, brk_slice_t name, const key_filter_t *f,
                         int16_t version, bool include_synonyms, brk_writer_t *w) {
  if (type == BRK_ADMIN_RESOURCE_TOPIC) {
    describe_topic(b, name, f, version, include_synonyms, w);
    return;
  }
  char msg[BRK_ADMIN_MSG_CAP];
  if (type != BRK_ADMIN_RESOURCE_BROKER) {
    snprintf(msg, sizeof msg, "Unsupported resource type %d.", (int)type);
  } else if (brk__admin_is_own_broker(b, name)) {
    write_result_head(w, BRK_KERR_NONE, NULL, type, name);
    write_broker_configs(b, f, version, include_synonyms, w);
    return;
  } else if (name.len == 0) {
    /* "" names the cluster-wide dynamic broker defaults: there are none. */
    write_result_head(w, BRK_KERR_NONE, NULL, type, name);
    brk_write_i32(w, 0);
    return;
  } else {
    snprintf(msg, sizeof msg, "Unexpected broker id, expected %d or empty string.",
             (int)brk_broker_config(b)->node_id);
  }
  write_result_head(w, BRK_KERR_INVALID_REQUEST, msg, type, name);
  brk_write_i32(w, 0); /* Configs */
}

/* Resources []{ResourceType int8, ResourceName string, ConfigurationKeys []string}. */
static int32_t skip_describe_resource(brk_reader_t *r) {
  brk_read_i8(r);
  brk_read_string(r);
  int32_t n_keys = brk_read_array_len(r, 2);
  for (int32_t i = 0; i < n_keys && brk_reader_ok(r); i++) brk_read_string(r);
  return n_keys;
}

int brk_api_describe_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  brk_reader_t start = *r;
  int32_t n = brk_read_array_len(r, 7); /* ResourceType 1 + ResourceName 2 + keys count 4 */
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) skip_describe_resource(r);
  bool include_synonyms = h->api_version >= 1 ? brk_read_i8(r) != 0 : false; /* IncludeSynonyms */
  if (!brk_reader_ok(r)) return -1;
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n); /* Results */
  brk_read_array_len(&start, 7);
  for (int32_t i = 0; i < n; i++) {
    int8_t type = brk_read_i8(&start);
    brk_slice_t name = brk_read_string(&start);
    key_filter_t f = {start, 0};
    f.n = brk_read_array_len(&start, 2);
    f.keys = start;
    for (int32_t k = 0; k < f.n; k++) brk_read_string(&start);
    describe_one(b, type, name, &f, h->api_version, include_synonyms, w);
  }
  return 0;
}

/* ---- AlterConfigs and IncrementalAlterConfigs --------------------------------- */

typedef struct alter_resource {
  int8_t type;          /* ResourceType */
  brk_slice_t name;     /* ResourceName */
  brk_reader_t configs; /* positioned at Configs' count */
} alter_resource_t;

/* Pass one. -1 if malformed. */
static int alter_decode(brk_reader_t *r, bool incremental, alter_resource_t **out, int32_t *n_out,
                        bool *validate_only) {
  int32_t n = brk_read_array_len(r, 7); /* ResourceType 1 + ResourceName 2 + Configs count 4 */
  alter_resource_t *res = n > 0 ? calloc((size_t)n, sizeof *res) : NULL;
  if (n > 0 && res == NULL) return -1;
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    res[i].type = brk_read_i8(r);
    res[i].name = brk_read_string(r);
    res[i].configs = *r;
    brk__admin_skip_kvs(r, incremental);
  }
  *validate_only = brk_read_i8(r) != 0; /* ValidateOnly */
  if (!brk_reader_ok(r)) {
    free(res);
    return -1;
  }
  *out = res;
  *n_out = n;
  return 0;
}

/* Duplicate keys, null names, and (incremental) operations the store lacks. */
static brk_kerr_t check_kvs(brk_admin_kvs_t *kvs, char *msg, size_t cap) {
  if (kvs->has_null_name) {
    snprintf(msg, cap, "Config names must not be null.");
    return BRK_KERR_INVALID_REQUEST;
  }
  brk_kerr_t err = BRK_KERR_NONE;
  brk_slice_t *keys = kvs->n ? malloc(kvs->n * sizeof *keys) : NULL;
  for (size_t i = 0; keys != NULL && i < kvs->n; i++)
    keys[i] = (brk_slice_t){(const uint8_t *)kvs->kvs[i].key, (int32_t)strlen(kvs->kvs[i].key)};
  bool *dup = keys ? brk__admin_find_dups(keys, NULL, kvs->n) : NULL;
  if (kvs->n > 0 && dup == NULL) err = BRK_KERR_UNKNOWN_SERVER_ERROR;
  for (size_t i = 0; err == BRK_KERR_NONE && i < kvs->n; i++) {
    const char *key = kvs->kvs[i].key;
    int8_t op = kvs->ops ? kvs->ops[i] : 0;
    if (dup[i]) {
      snprintf(msg, cap, "Error due to duplicate config keys: '%.64s'.", key);
      err = BRK_KERR_INVALID_REQUEST;
    } else if (op == 1) {
      kvs->kvs[i].value = NULL; /* DELETE: back to the default */
    } else if (op == 2 || op == 3) {
      snprintf(msg, cap, "Config value %s is not supported for config key: '%.64s'.",
               op == 2 ? "append" : "subtract", key);
      err = BRK_KERR_INVALID_CONFIG;
    } else if (op != 0) {
      snprintf(msg, cap, "Unknown config operation %d for config key: '%.64s'.", (int)op, key);
      err = BRK_KERR_INVALID_REQUEST;
    } else if (kvs->ops && kvs->kvs[i].value == NULL) {
      snprintf(msg, cap, "Null value not supported for: '%.64s'.", key);
      err = BRK_KERR_INVALID_REQUEST;
    }
  }
  free(dup);
  free(keys);
  return err;
}

static brk_kerr_t alter_topic(brk_broker_t *b, const brk_admin_kvs_t *kvs, brk_slice_t resource_name,
                              bool incremental, bool validate_only, char *msg, size_t cap) {
  char name[BRK_ADMIN_TOPIC_MAX + 1];
  if (!brk__admin_topic_cstr(resource_name, name)) {
    snprintf(msg, cap, "Topic name is illegal.");
    return BRK_KERR_INVALID_TOPIC_EXCEPTION;
  }
  brk_kerr_t err =
      brk_store_topic_configs_alter(brk_broker_store(b), name, kvs->kvs, kvs->n, !incremental, validate_only);
  if (err == BRK_KERR_NONE || brk__admin_store_message(b, err, msg, cap)) return err;
  if (err == BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION)
    snprintf(msg, cap, "Topic '%s' does not exist.", name);
  else if (err == BRK_KERR_INVALID_CONFIG)
    snprintf(msg, cap, "Invalid config for topic '%s': unknown name or bad value.", name);
  else
    snprintf(msg, cap, "Configs of topic '%s' could not be altered: %s.", name, brk_kerr_name(err));
  return err;
}

static brk_kerr_t alter_one(brk_broker_t *b, const alter_resource_t *res, bool incremental,
                            bool validate_only, char *msg, size_t cap) {
  if (res->type != BRK_ADMIN_RESOURCE_TOPIC && res->type != BRK_ADMIN_RESOURCE_BROKER) {
    snprintf(msg, cap, "Unsupported resource type %d.", (int)res->type);
    return BRK_KERR_INVALID_REQUEST;
  }
  brk_admin_kvs_t kvs;
  brk_reader_t cr = res->configs;
  if (brk__admin_kvs_read(&cr, incremental, &kvs) != 0) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  brk_kerr_t err = check_kvs(&kvs, msg, cap);
  if (err == BRK_KERR_NONE && res->type == BRK_ADMIN_RESOURCE_TOPIC) {
    err = alter_topic(b, &kvs, res->name, incremental, validate_only, msg, cap);
  } else if (err == BRK_KERR_NONE && !brk__admin_is_own_broker(b, res->name) && res->name.len != 0) {
    snprintf(msg, cap, "Unexpected broker id, expected %d or empty string.",
             (int)brk_broker_config(b)->node_id);
    err = BRK_KERR_INVALID_REQUEST;
  } else if (err == BRK_KERR_NONE && kvs.n > 0) {
    snprintf(msg, cap, "Cannot update these configs dynamically: '%.64s' (broker configs are read-only).",
             kvs.kvs[0].key);
    err = BRK_KERR_INVALID_CONFIG;
  }
  brk__admin_kvs_fini(&kvs);
  return err;
}

static int alter_configs(brk_broker_t *b, brk_reader_t *r, brk_writer_t *w, bool incremental) {
  alter_resource_t *res = NULL;
  int32_t n = 0;
  bool validate_only = false;
  if (alter_decode(r, incremental, &res, &n, &validate_only) != 0) return -1;
  brk_slice_t *names = n > 0 ? malloc((size_t)n * sizeof *names) : NULL;
  int8_t *types = n > 0 ? malloc((size_t)n) : NULL;
  for (int32_t i = 0; names != NULL && types != NULL && i < n; i++) {
    names[i] = res[i].name;
    types[i] = res[i].type;
  }
  bool *dup = names && types ? brk__admin_find_dups(names, types, (size_t)n) : NULL;
  free(names);
  free(types);
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n); /* Responses */
  for (int32_t i = 0; i < n; i++) {
    char msg[BRK_ADMIN_MSG_CAP] = "";
    brk_kerr_t err = brk__admin_entry_check(dup, i, "Request contains multiple entries for this resource.",
                                            msg, sizeof msg);
    if (err == BRK_KERR_NONE) err = alter_one(b, &res[i], incremental, validate_only, msg, sizeof msg);
    write_result_head(w, err, msg, res[i].type, res[i].name);
  }
  free(dup);
  free(res);
  return 0;
}

int brk_api_alter_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h; /* v0 and v1 share one layout */
  return alter_configs(b, r, w, false);
}

int brk_api_incremental_alter_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                                      brk_writer_t *w) {
  (void)h; /* v0 only: v1 is flexible and not advertised */
  return alter_configs(b, r, w, true);
}
