// SPDX-License-Identifier: Apache-2.0
/* The serde handle and its cached registry operations: schema by id,
 * latest version of a subject, register and lookup. Each goes through the
 * single-flight cache (serde_cache.c) under a key that names the question:
 *   'i' id            -> schema       (never expires; ids are immutable)
 *   'l' subject       -> latest        (latest.cache.ttl.sec)
 *   'r'/'k', 'n'/'-', subject \0 text -> id   (register / lookup, normalized
 *                                  or not; never expires) */
#include <stdlib.h>
#include <string.h>

#include "serde_core.h"

serde_t *serde_new(serde_conf_t *conf, serde_error_t *err) {
  if (!conf) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "a configuration is required");
    return NULL;
  }
  if (!conf->urls || !*conf->urls) {
    serde__fail(err, SERDE_ERR_CONF, "property \"schema.registry.url\" is required");
    serde_conf_destroy(conf);
    return NULL;
  }
  serde_t *sd = serde__calloc(1, sizeof *sd);
  if (!sd) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    serde_conf_destroy(conf);
    return NULL;
  }
  sd->conf = conf;
  sd->limits = (serde_avro_limits_t){
      .max_depth = (int)conf->max_depth, .max_items = (size_t)conf->max_items, .allow_trailing = !conf->fail_on_trailing};
  sd->http = serde__http_new(conf, err);
  if (!sd->http) {
    serde_destroy(sd);
    return NULL;
  }
  /* One cache serves four kinds of question; give each its capacity. */
  sd->cache = serde__cache_new((size_t)conf->cache_capacity * 4, conf->missing_ttl_sec);
  if (!sd->cache) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    serde_destroy(sd);
    return NULL;
  }
  return sd;
}

void serde_destroy(serde_t *sd) {
  if (!sd) {
    return;
  }
  serde__cache_destroy(sd->cache);
  serde__http_destroy(sd->http);
  serde_conf_destroy(sd->conf);
  free(sd);
}

/* ---- by id ------------------------------------------------------------------ */

typedef struct id_load {
  serde_t *sd;
  int32_t id;
} id_load_t;

static serde_code_t load_by_id(void *ctx, serde_cached_t *out, serde_error_t *err) {
  id_load_t *l = ctx;
  serde_registered_t reg = {0};
  serde_code_t rc = serde__client_by_id(l->sd->http, l->id, NULL, &reg, err);
  if (rc == SERDE_OK) {
    reg.id = l->id;
    out->schema = serde__schema_from_registered(l->sd, &reg, err);
    out->id = l->id;
    rc = out->schema ? SERDE_OK : err->code;
    if (rc != SERDE_OK) { /* the client's own messages already name the call */
      serde__error_prefix(err, "schema id %d", l->id);
    }
  }
  serde__registered_fini(&reg);
  return rc;
}

serde_schema_t *serde_schema_by_id(serde_t *sd, int32_t id, serde_error_t *err) {
  if (!sd) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "a handle is required");
    return NULL;
  }
  if (id < 0) {
    serde__fail(err, SERDE_ERR_UNKNOWN_SCHEMA, "schema id %d is negative", id);
    return NULL;
  }
  uint8_t key[5] = {'i', (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
  id_load_t l = {sd, id};
  serde_cached_t got = {0};
  serde_error_t local; /* not zeroed on the hot path; filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (serde__cache_get(sd->cache, key, sizeof key, 0, load_by_id, &l, &got, err) != SERDE_OK) {
    return NULL;
  }
  return got.schema;
}

/* ---- latest ------------------------------------------------------------------ */

typedef struct subject_load {
  serde_t *sd;
  const char *subject;
  serde_schema_t *schema;
  bool lookup_only;
} subject_load_t;

static serde_code_t load_latest(void *ctx, serde_cached_t *out, serde_error_t *err) {
  subject_load_t *l = ctx;
  serde_registered_t reg = {0};
  serde_code_t rc = serde__client_version(l->sd->http, l->subject, -1, &reg, err);
  if (rc == SERDE_OK) {
    out->id = reg.id;
    out->schema = serde_schema_by_id(l->sd, reg.id, err);
    rc = out->schema ? SERDE_OK : err->code;
  }
  serde__registered_fini(&reg);
  return rc;
}

/* Builds key = prefix + subject (+ '\0' + extra). Returns its length or 0 on oom. */
static size_t make_key(const char *prefix, const char *subject, const char *extra, size_t extra_len, char **out) {
  size_t plen = strlen(prefix), slen = strlen(subject);
  size_t len = plen + slen + (extra ? 1 + extra_len : 0);
  char *key = serde__malloc(len);
  if (!key) {
    return 0;
  }
  memcpy(key, prefix, plen);
  memcpy(key + plen, subject, slen);
  if (extra) {
    key[plen + slen] = '\0';
    memcpy(key + plen + slen + 1, extra, extra_len);
  }
  *out = key;
  return len;
}

serde_schema_t *serde_schema_latest(serde_t *sd, const char *subject, serde_error_t *err) {
  serde_error_t local; /* not zeroed on the hot path; filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !subject) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and subject are required");
    return NULL;
  }
  subject_load_t l = {sd, subject, NULL, false};
  serde_cached_t got = {0};
  if (sd->conf->latest_ttl_sec == 0) {
    return load_latest(&l, &got, err) == SERDE_OK ? got.schema : NULL;
  }
  char *key = NULL;
  size_t key_len = make_key("l", subject, NULL, 0, &key);
  if (!key_len) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    return NULL;
  }
  serde_code_t rc = serde__cache_get(sd->cache, key, key_len, sd->conf->latest_ttl_sec, load_latest, &l, &got, err);
  free(key);
  return rc == SERDE_OK ? got.schema : NULL;
}

/* ---- register and lookup --------------------------------------------------------- */

static serde_code_t load_id(void *ctx, serde_cached_t *out, serde_error_t *err) {
  subject_load_t *l = ctx;
  serde_schema_t *s = l->schema;
  serde_schema_body_t body = {s->type, s->text, s->text_len, s->refs_list, s->n_refs};
  serde_registered_t reg = {0};
  bool normalize = l->sd->conf->normalize;
  serde_code_t rc = l->lookup_only ? serde__client_lookup(l->sd->http, l->subject, &body, normalize, &reg, err)
                                   : serde__client_register(l->sd->http, l->subject, &body, normalize, &reg, err);
  out->id = reg.id;
  out->version = reg.version;
  serde__registered_fini(&reg);
  return rc;
}

static serde_code_t subject_id(serde_t *sd, const char *subject, serde_schema_t *schema, bool lookup_only,
                               int32_t *id, int *version, serde_error_t *err) {
  if (!sd || !subject || !schema || !id) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle, subject, schema and id are required");
  }
  /* 'r' register or 'k' lookup, then 'n' if normalized, '-' if not. */
  const char *prefix = lookup_only ? (sd->conf->normalize ? "kn" : "k-") : (sd->conf->normalize ? "rn" : "r-");
  char *key = NULL;
  size_t key_len = make_key(prefix, subject, schema->text, schema->text_len, &key);
  if (!key_len) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  subject_load_t l = {sd, subject, schema, lookup_only};
  serde_cached_t got = {0};
  serde_code_t rc = serde__cache_get(sd->cache, key, key_len, 0, load_id, &l, &got, err);
  free(key);
  if (rc == SERDE_OK) {
    *id = got.id;
    if (version) {
      *version = got.version;
    }
    if (!lookup_only) {
      char *latest = NULL;
      size_t latest_len = make_key("l", subject, NULL, 0, &latest);
      if (latest_len) {
        serde__cache_forget(sd->cache, latest, latest_len);
        free(latest);
      }
    }
  }
  return rc;
}

serde_code_t serde_register(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                            serde_error_t *err) {
  return subject_id(sd, subject, schema, false, id, NULL, err);
}

serde_code_t serde_lookup(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                          serde_error_t *err) {
  return subject_id(sd, subject, schema, true, id, NULL, err);
}

serde_code_t serde_lookup_version(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id, int *version,
                                  serde_error_t *err) {
  if (!version) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "version is required");
  }
  return subject_id(sd, subject, schema, true, id, version, err);
}

serde_schema_t *serde_schema_version(serde_t *sd, const char *subject, int version, int *version_out,
                                     serde_error_t *err) {
  serde_error_t local;
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !subject || version < -1) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "handle, subject and a version >= 1 (or -1) are required");
    return NULL;
  }
  serde_registered_t reg = {0};
  serde_schema_t *schema = NULL;
  if (serde__client_version(sd->http, subject, version, &reg, err) == SERDE_OK) {
    schema = serde_schema_by_id(sd, reg.id, err);
    if (schema && version_out) {
      *version_out = reg.version;
    }
  }
  serde__registered_fini(&reg);
  return schema;
}
