// SPDX-License-Identifier: Apache-2.0
/* The registry service's lifecycle and shared helpers: open (store + index
 * replay, no schema parsing at startup), close, the rwlock, effective
 * mode/config resolution along subject -> context -> global -> cross-context
 * (§5.7, §5.8), version-string parsing (§5.4) and the JSON renderers of the
 * Schema object. Endpoint logic lives in the other reg_service_*.c files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log/log.h"
#include "reg_service_int.h"

/* ---- startup replay -------------------------------------------------------- */

static int load_context(void *arg, const char *name) {
  reg_ctx_t *ctx = reg_index_ctx(arg, name, true);
  if (!ctx) return -1;
  ctx->listed = true;
  return 0;
}

static int load_max_id(void *arg, const char *name, int64_t max_id) {
  reg_ctx_t *ctx = reg_index_ctx(arg, name, true);
  if (!ctx) return -1;
  if (max_id > ctx->max_id) ctx->max_id = max_id;
  return 0;
}

static json_t *load_json(const char *text) { return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL; }

static int load_schema(void *arg, const reg_store_schema_t *rec) {
  reg_ctx_t *ctx = reg_index_ctx(arg, rec->ctx, true);
  if (!ctx) return -1;
  reg_schema_init_t init = {rec->id, rec->type, rec->text, rec->text_len, load_json(rec->refs_json),
                            load_json(rec->metadata_json), load_json(rec->rule_set_json), rec->md5};
  reg_schema_rec_t *r = reg_index_schema_add(arg, ctx, &init);
  json_decref(init.refs);
  json_decref(init.metadata);
  json_decref(init.rule_set);
  return r ? 0 : -1;
}

static int load_version(void *arg, const reg_store_version_t *ver) {
  reg_index_t *idx = arg;
  reg_ctx_t *ctx = reg_index_ctx(idx, ver->ctx, true);
  reg_schema_rec_t *rec = ctx ? reg_index_schema_by_id(ctx, ver->id) : NULL;
  if (!rec) {
    log_warn("registry", "store: version %lld of '%s' names missing schema id %lld; skipped",
             (long long)ver->version, ver->subject, (long long)ver->id);
    return 0;
  }
  reg_qsub_t q;
  if (reg__qsub_parse(ver->subject, &q, NULL) != REG_OK) return -1;
  reg_subject_t *subj = reg_index_subject_add(idx, ctx, q.qname, q.name);
  reg__qsub_fini(&q);
  if (!subj) return -1;
  reg_version_t v = {ver->version, rec, ver->deleted, ver->ts};
  return reg_index_version_put(idx, subj, &v);
}

static int load_config(void *arg, const char *key, const char *json) {
  json_t *cfg = load_json(json);
  if (!json_is_object(cfg)) {
    json_decref(cfg);
    return -1;
  }
  return reg_index_config_set(arg, key, cfg);
}

static int load_mode(void *arg, const char *key, const char *mode) { return reg_index_mode_set(arg, key, mode); }

static const reg_store_visitor_t load_visitor = {load_context, load_max_id, load_schema,
                                                 load_version, load_config, load_mode};

/* ---- lifecycle ------------------------------------------------------------ */

static reg_code_t service_init(reg_service_t *svc, const reg_service_opts_t *opts, reg_error_t *err) {
  sch_compat_level_t level = SCH_COMPAT_BACKWARD;
  if (opts->default_compatibility && sch_compat_level_parse(opts->default_compatibility, &level) != 0)
    return reg_error_set(err, REG_ERR_INVALID_COMPATIBILITY, "unknown default compatibility level \"%s\"",
                         opts->default_compatibility);
  svc->default_compat = strdup(sch_compat_level_name(level));
  svc->max_schema_bytes = opts->max_schema_bytes ? opts->max_schema_bytes : SCH_MAX_SCHEMA_BYTES;
  svc->mode_mutability = opts->mode_mutability;
  svc->idx = reg_index_new();
  if (!svc->default_compat || !svc->idx) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  svc->store = reg_store_open(opts->db_path, err);
  if (!svc->store) return err ? err->code : REG_ERR_STORE;
  return reg_store_load(svc->store, &load_visitor, svc->idx, err);
}

reg_service_t *reg_service_open(const reg_service_opts_t *opts, reg_error_t *err) {
  reg_service_t *svc = calloc(1, sizeof *svc);
  if (!svc) {
    reg_error_set(err, REG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&svc->lock, &attr);
  pthread_rwlockattr_destroy(&attr);
  pthread_mutex_init(&svc->health_mu, NULL);
  if (service_init(svc, opts, err) != REG_OK) {
    reg_service_close(svc);
    return NULL;
  }
  log_info("registry", "store %s loaded: %zu schemas, %zu subjects", opts->db_path, svc->idx->n_schemas,
           svc->idx->subjects.count);
  return svc;
}

void reg_service_close(reg_service_t *svc) {
  if (!svc) return;
  reg_store_close(svc->store);
  reg_index_destroy(svc->idx);
  free(svc->default_compat);
  pthread_rwlock_destroy(&svc->lock);
  pthread_mutex_destroy(&svc->health_mu);
  free(svc);
}

void reg__rdlock(reg_service_t *svc) { pthread_rwlock_rdlock(&svc->lock); }
void reg__wrlock(reg_service_t *svc) { pthread_rwlock_wrlock(&svc->lock); }
void reg__unlock(reg_service_t *svc) { pthread_rwlock_unlock(&svc->lock); }

_Noreturn void reg__fatal_oom(const char *what) {
  log_error("registry", "out of memory while %s after a committed write; stopping (state is in the store)", what);
  abort();
}

json_t *reg__json_or_oom(json_t *value) {
  if (!value) reg__fatal_oom("building a response");
  return value;
}

/* ---- effective mode and config ------------------------------------------- */

/* The lookup chain of §5.7/§5.8: up to 4 keys, malloc'd, most specific first. */
static size_t scope_chain(const reg_qsub_t *q, char *keys[4]) {
  size_t n = 0;
  if (q->name[0]) keys[n++] = strdup(q->qname);
  if (strcmp(q->ctx, REG_CTX_DEFAULT) != 0) keys[n++] = reg__ctx_key(q->ctx);
  keys[n++] = strdup(REG_KEY_GLOBAL);
  keys[n++] = strdup(REG_KEY_CROSS);
  for (size_t i = 0; i < n; i++)
    if (!keys[i]) reg__fatal_oom("resolving a scope");
  return n;
}

static void chain_free(char *keys[4], size_t n) {
  for (size_t i = 0; i < n; i++) free(keys[i]);
}

const char *reg__mode_effective(reg_service_t *svc, const reg_qsub_t *q) {
  char *keys[4];
  size_t n = scope_chain(q, keys);
  const char *mode = NULL;
  for (size_t i = 0; i < n && !mode; i++) mode = reg_index_mode(svc->idx, keys[i]);
  chain_free(keys, n);
  return mode ? mode : "READWRITE";
}

bool reg__mode_readonly(const char *mode) {
  return strcmp(mode, "READONLY") == 0 || strcmp(mode, "READONLY_OVERRIDE") == 0;
}

static const char *const inherited_fields[] = {"compatibilityLevel", "normalize",           "validateFields",
                                               "validateNewSchemas", "validateRules",       "compatibilityPolicy",
                                               "compatibilityGroup", NULL};

json_t *reg__config_effective(reg_service_t *svc, const reg_qsub_t *q) {
  char *keys[4];
  size_t n = scope_chain(q, keys);
  json_t *out = NULL;
  for (size_t i = 0; i < n; i++) {
    json_t *rec = reg_index_config(svc->idx, keys[i]);
    if (!rec) continue;
    if (!out) {
      out = reg__json_or_oom(json_deep_copy(rec));
      continue;
    }
    for (size_t f = 0; inherited_fields[f]; f++) {
      json_t *v = json_object_get(rec, inherited_fields[f]);
      if (v && !json_object_get(out, inherited_fields[f])) json_object_set(out, inherited_fields[f], v);
    }
  }
  chain_free(keys, n);
  if (!out) out = reg__json_or_oom(json_object());
  if (!json_object_get(out, "compatibilityLevel"))
    json_object_set_new(out, "compatibilityLevel", json_string(svc->default_compat));
  return out;
}

sch_compat_level_t reg__compat_level(reg_service_t *svc, const reg_qsub_t *q) {
  json_t *cfg = reg__config_effective(svc, q);
  sch_compat_level_t level = SCH_COMPAT_BACKWARD;
  const char *name = json_string_value(json_object_get(cfg, "compatibilityLevel"));
  if (!name || sch_compat_level_parse(name, &level) != 0) sch_compat_level_parse(svc->default_compat, &level);
  json_decref(cfg);
  return level;
}

/* ---- versions --------------------------------------------------------------- */

reg_code_t reg__version_parse(const char *text, int64_t *out, reg_error_t *err) {
  if (text && strcasecmp(text, "latest") == 0) {
    *out = -1;
    return REG_OK;
  }
  char *end = NULL;
  errno = 0;
  long long v = text && *text ? strtoll(text, &end, 10) : 0;
  if (text && *text && !errno && end && !*end && (v == -1 || (v >= 1 && v <= 2147483647LL))) {
    *out = v;
    return REG_OK;
  }
  return reg_error_set(err, REG_ERR_INVALID_VERSION,
                       "The specified version '%.200s' is not a valid version id. Allowed values are between "
                       "[1, 2^31-1] and the string \"latest\"",
                       text ? text : "");
}

reg_version_t *reg__version_find(const reg_subject_t *subj, int64_t v, bool include_deleted) {
  if (!subj) return NULL;
  if (v == -1) return reg_subject_latest(subj, include_deleted);
  reg_version_t *ver = reg_subject_version(subj, v);
  return ver && (include_deleted || !ver->deleted) ? ver : NULL;
}

reg_code_t reg__subject_not_found(const char *subject, reg_error_t *err) {
  return reg_error_set(err, REG_ERR_SUBJECT_NOT_FOUND, "Subject '%.1200s' not found.", subject);
}

/* ---- JSON renderers ---------------------------------------------------------- */

void reg__add_extras(json_t *obj, const reg_schema_rec_t *rec) {
  if (rec->refs && json_array_size(rec->refs)) json_object_set(obj, "references", rec->refs);
  if (rec->metadata) json_object_set(obj, "metadata", rec->metadata);
  if (rec->rule_set) json_object_set(obj, "ruleSet", rec->rule_set);
}

void reg__guid_format(const unsigned char md5[REG_MD5_LEN], char out[37]) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < REG_MD5_LEN; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = hex[md5[i] >> 4];
    out[o++] = hex[md5[i] & 15];
  }
  out[o] = '\0';
}

void reg__add_guid(json_t *obj, const reg_schema_rec_t *rec) {
  char guid[37];
  reg__guid_format(rec->md5, guid);
  json_object_set_new(obj, "guid", json_string(guid));
}

json_t *reg__schema_json(const reg_subject_t *subj, const reg_version_t *v) {
  const reg_schema_rec_t *rec = v->schema;
  json_t *o = reg__json_or_oom(json_object());
  json_object_set_new(o, "subject", json_string(subj->qname));
  json_object_set_new(o, "version", json_integer(v->version));
  json_object_set_new(o, "id", json_integer(rec->id));
  reg__add_guid(o, rec);
  json_object_set_new(o, "schemaType", json_string(rec->type));
  json_object_set_new(o, "schema", json_stringn(rec->text, rec->text_len));
  reg__add_extras(o, rec);
  if (v->ts > 0) json_object_set_new(o, "ts", json_integer(v->ts));
  if (v->deleted) json_object_set_new(o, "deleted", json_true());
  return o;
}

json_t *reg__paginate(json_t *arr_take, int64_t offset, int64_t limit, int64_t default_limit) {
  if (offset <= 0 && (limit <= 0 && default_limit <= 0)) return arr_take;
  if (limit <= 0) limit = default_limit;
  size_t n = json_array_size(arr_take), start = offset > 0 ? (size_t)offset : 0;
  json_t *out = reg__json_or_oom(json_array());
  for (size_t i = start; i < n && (limit <= 0 || (int64_t)(i - start) < limit); i++)
    json_array_append(out, json_array_get(arr_take, i));
  json_decref(arr_take);
  return out;
}
