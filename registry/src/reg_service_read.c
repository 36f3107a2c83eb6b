// SPDX-License-Identifier: Apache-2.0
/* Subject reads (§4.2, §5.4): GET /subjects, /subjects/{s}/versions,
 * /subjects/{s}/versions/{v}[/schema|/referencedby], /schemas/types,
 * /contexts and /v1/metadata/id. All served from the index under the shared
 * lock; schema-by-id reads live in reg_service_ids.c. */
#include <stdlib.h>
#include <string.h>

#include "reg_service_int.h"

static bool subject_listed(const reg_subject_t *subj, const reg_query_t *q) {
  for (size_t i = 0; i < subj->n_versions; i++) {
    bool del = subj->versions[i].deleted;
    if (q->deleted_only ? del : (q->deleted || !del)) return true;
  }
  return false;
}

reg_code_t reg_svc_list_subjects(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_subject_t *const *subjects = NULL;
  size_t n = 0;
  reg__rdlock(svc);
  if (reg_index_subjects_sorted(svc->idx, &subjects, &n) != 0) {
    reg__unlock(svc);
    return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  }
  json_t *arr = reg__json_or_oom(json_array());
  for (size_t i = 0; i < n; i++) {
    if (reg__prefix_match(subjects[i], q->subject_prefix) && subject_listed(subjects[i], q))
      json_array_append_new(arr, json_string(subjects[i]->qname));
  }
  reg__unlock(svc);
  *out = reg__paginate(arr, q->offset, q->limit, -1);
  return REG_OK;
}

/* The subject of a read, or 40401 when it has no (live, unless
 * include_deleted) version. */
static reg_code_t read_subject(reg_service_t *svc, const char *subject, bool include_deleted,
                               reg_subject_t **out, reg_error_t *err) {
  reg_qsub_t qs;
  reg_code_t rc = reg__qsub_parse(subject, &qs, err);
  if (rc != REG_OK) return rc;
  *out = reg_index_subject(svc->idx, qs.qname);
  reg__qsub_fini(&qs);
  if (!*out || (!include_deleted && !reg_subject_live_count(*out))) return reg__subject_not_found(subject, err);
  return REG_OK;
}

static json_t *versions_json(const reg_subject_t *subj, const reg_query_t *q) {
  json_t *arr = reg__json_or_oom(json_array());
  for (size_t i = 0; i < subj->n_versions; i++) {
    const reg_version_t *v = &subj->versions[i];
    if (q->deleted_as_negative)
      json_array_append_new(arr, json_integer(v->deleted ? -v->version : v->version));
    else if (q->deleted_only ? v->deleted : (q->deleted || !v->deleted))
      json_array_append_new(arr, json_integer(v->version));
  }
  return arr;
}

reg_code_t reg_svc_list_versions(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                                 reg_error_t *err) {
  reg_subject_t *subj = NULL;
  *out = NULL;
  bool any = q->deleted || q->deleted_only || q->deleted_as_negative;
  reg__rdlock(svc);
  reg_code_t rc = read_subject(svc, subject, any, &subj, err);
  json_t *arr = rc == REG_OK ? versions_json(subj, q) : NULL;
  reg__unlock(svc);
  if (arr) *out = reg__paginate(arr, q->offset, q->limit, -1);
  return rc;
}

/* Resolves subject + version text for the version reads (42202, 40401,
 * 40402). */
static reg_code_t read_version(reg_service_t *svc, const char *subject, const char *version, bool include_deleted,
                               reg_subject_t **subj, reg_version_t **ver, reg_error_t *err) {
  int64_t v = 0;
  reg_code_t rc = reg__version_parse(version, &v, err);
  if (rc == REG_OK) rc = read_subject(svc, subject, include_deleted, subj, err);
  if (rc != REG_OK) return rc;
  *ver = reg__version_find(*subj, v, include_deleted);
  if (!*ver) return reg_error_set(err, REG_ERR_VERSION_NOT_FOUND, "Version %.200s not found.", version);
  return REG_OK;
}

reg_code_t reg_svc_get_version(reg_service_t *svc, const char *subject, const char *version, const reg_query_t *q,
                               json_t **out, reg_error_t *err) {
  reg_subject_t *subj = NULL;
  reg_version_t *ver = NULL;
  *out = NULL;
  reg__rdlock(svc);
  reg_code_t rc = read_version(svc, subject, version, q->deleted, &subj, &ver, err);
  if (rc == REG_OK) {
    *out = reg__schema_json(subj, ver);
    reg__apply_format(svc, ver->schema, q->format, *out);
  }
  reg__unlock(svc);
  return rc;
}

reg_code_t reg_svc_get_version_schema(reg_service_t *svc, const char *subject, const char *version,
                                      const reg_query_t *q, char **out_text, reg_error_t *err) {
  reg_subject_t *subj = NULL;
  reg_version_t *ver = NULL;
  *out_text = NULL;
  reg__rdlock(svc);
  reg_code_t rc = read_version(svc, subject, version, q->deleted, &subj, &ver, err);
  if (rc == REG_OK && !(*out_text = strndup(ver->schema->text, ver->schema->text_len)))
    rc = reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  reg__unlock(svc);
  return rc;
}

/* Do v's metadata properties hold every key=value pair? */
static bool properties_hold(const reg_version_t *v, const char *const *keys, const char *const *values, size_t n) {
  json_t *props = json_object_get(v->schema->metadata, "properties");
  for (size_t i = 0; i < n; i++) {
    const char *have = json_string_value(json_object_get(props, keys[i]));
    if (!have || strcmp(have, values[i]) != 0) return false;
  }
  return true;
}

reg_code_t reg_svc_get_latest_with_metadata(reg_service_t *svc, const char *subject, const char *const *keys,
                                            const char *const *values, size_t n, const reg_query_t *q,
                                            json_t **out, reg_error_t *err) {
  reg_subject_t *subj = NULL;
  *out = NULL;
  reg__rdlock(svc);
  reg_code_t rc = read_subject(svc, subject, q->deleted, &subj, err);
  for (size_t i = subj && rc == REG_OK ? subj->n_versions : 0; i > 0 && !*out; i--) {
    const reg_version_t *v = &subj->versions[i - 1];
    if ((q->deleted || !v->deleted) && properties_hold(v, keys, values, n)) *out = reg__schema_json(subj, v);
  }
  reg__unlock(svc);
  if (rc == REG_OK && !*out) rc = reg_error_set(err, REG_ERR_SCHEMA_NOT_FOUND, "Schema not found");
  return rc;
}

reg_code_t reg_svc_referenced_by(reg_service_t *svc, const char *subject, const char *version,
                                 const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_subject_t *subj = NULL;
  reg_version_t *ver = NULL;
  *out = NULL;
  reg__rdlock(svc);
  reg_code_t rc = read_version(svc, subject, version, q->deleted, &subj, &ver, err);
  json_t *ids = rc == REG_OK ? reg__referenced_by(svc, subj, ver->version, q->deleted) : NULL;
  reg__unlock(svc);
  if (ids) *out = reg__paginate(ids, q->offset, q->limit, -1);
  return rc;
}

reg_code_t reg_svc_schema_types(reg_service_t *svc, json_t **out, reg_error_t *err) {
  (void)svc, (void)err;
  json_t *arr = reg__json_or_oom(json_array());
  for (const char *const *n = sch_format_names(); n && *n; n++) json_array_append_new(arr, json_string(*n));
  *out = arr;
  return REG_OK;
}

/* ---- contexts and metadata --------------------------------------------------- */

typedef struct ctx_collect {
  const char **names;
  size_t n;
  const char *prefix;
} ctx_collect_t;

static int collect_ctx(const void *k, size_t kl, void *value, void *arg) {
  (void)k, (void)kl;
  ctx_collect_t *c = arg;
  const reg_ctx_t *ctx = value;
  if (ctx->listed && (!c->prefix || strncmp(ctx->name, c->prefix, strlen(c->prefix)) == 0))
    c->names[c->n++] = ctx->name;
  return 0;
}

static int str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

reg_code_t reg_svc_list_contexts(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg__rdlock(svc);
  ctx_collect_t c = {calloc(svc->idx->ctxs.count + 1, sizeof(char *)), 0, q->context_prefix};
  if (!c.names) {
    reg__unlock(svc);
    return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  }
  reg_map_foreach(&svc->idx->ctxs, collect_ctx, &c);
  qsort(c.names, c.n, sizeof *c.names, str_cmp); /* "." sorts before ".x" */
  json_t *arr = reg__json_or_oom(json_array());
  for (size_t i = 0; i < c.n; i++) json_array_append_new(arr, json_string(c.names[i]));
  reg__unlock(svc);
  free(c.names);
  *out = reg__paginate(arr, q->offset, q->limit, -1);
  return REG_OK;
}

reg_code_t reg_svc_metadata_id(reg_service_t *svc, json_t **out, reg_error_t *err) {
  (void)svc, (void)err;
  *out = reg__json_or_oom(json_pack("{s:{s:[], s:{s:s, s:s}}}", "scope", "path", "clusters", "kafka-cluster",
                                    "weir", "schema-registry-cluster", "schema-registry"));
  return REG_OK;
}
