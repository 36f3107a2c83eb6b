// SPDX-License-Identifier: Apache-2.0
/* Deletes (§5.5): DELETE /subjects/{s}[/versions/{v}] soft then permanent,
 * with 40401/40402/40404-40407, the reference guard (42206), READONLY (42205),
 * dropping a schema record once no version carries its id (the max id stays,
 * so ids are never reused), dropping subject config/mode with the last
 * version, and DELETE /contexts/{ctx} (42211 unless empty). */
#include <stdlib.h>
#include <string.h>

#include "log/log.h"
#include "reg_service_int.h"

static bool in_set(const int64_t *vs, size_t n, int64_t v) {
  for (size_t i = 0; i < n; i++)
    if (vs[i] == v) return true;
  return false;
}

/* Would every use of rec be gone after dropping vs from subj? */
static bool rec_orphaned(const reg_schema_rec_t *rec, const reg_subject_t *subj, const int64_t *vs, size_t n) {
  for (size_t i = 0; i < rec->n_uses; i++)
    if (rec->uses[i].subject != subj || !in_set(vs, n, rec->uses[i].version)) return false;
  return true;
}

reg_code_t reg__store_drop_versions(reg_service_t *svc, const reg_subject_t *subj, const int64_t *vs, size_t n,
                                    const reg_schema_rec_t *keep, reg_error_t *err) {
  reg_code_t rc = REG_OK;
  for (size_t i = 0; i < n && rc == REG_OK; i++) {
    reg_version_t *v = reg_subject_version(subj, vs[i]);
    rc = reg_store_delete_version(svc->store, subj->qname, vs[i], err);
    /* delete each orphaned record once: at its first dropped version */
    bool first = true;
    for (size_t j = 0; j < i && v; j++) first = first && reg_subject_version(subj, vs[j])->schema != v->schema;
    if (rc == REG_OK && v && first && v->schema != keep && rec_orphaned(v->schema, subj, vs, n))
      rc = reg_store_delete_schema(svc->store, v->schema->ctx->name, v->schema->id, err);
  }
  if (rc == REG_OK && n == subj->n_versions && !keep) {
    rc = reg_store_delete_config(svc->store, subj->qname, err);
    if (rc == REG_OK) rc = reg_store_delete_mode(svc->store, subj->qname, err);
  }
  return rc;
}

void reg__index_drop_versions(reg_service_t *svc, reg_subject_t *subj, const int64_t *vs, size_t n) {
  char *qname = strdup(subj->qname);
  if (!qname) reg__fatal_oom("mirroring a delete");
  bool gone = false;
  for (size_t i = 0; i < n && !gone; i++) gone = reg_index_version_remove(svc->idx, subj, vs[i]);
  if (gone) {
    reg_index_config_remove(svc->idx, qname);
    reg_index_mode_remove(svc->idx, qname);
  }
  free(qname);
}

int64_t *reg__soft_deleted_versions(const reg_subject_t *subj, size_t *n) {
  int64_t *vs = calloc(subj->n_versions + 1, sizeof *vs);
  if (!vs) reg__fatal_oom("listing versions");
  *n = 0;
  for (size_t i = 0; i < subj->n_versions; i++)
    if (subj->versions[i].deleted) vs[(*n)++] = subj->versions[i].version;
  return vs;
}

static reg_code_t readonly_check(reg_service_t *svc, const reg_qsub_t *qs, reg_error_t *err) {
  if (!reg__mode_readonly(reg__mode_effective(svc, qs))) return REG_OK;
  return reg_error_set(err, REG_ERR_NOT_PERMITTED, "Subject %.600s in context %.300s is in read-only mode", qs->name,
                       qs->ctx);
}

/* Soft delete: rewrite the version records with deleted=true. */
static reg_code_t soft_delete(reg_service_t *svc, reg_subject_t *subj, const int64_t *vs, size_t n,
                              reg_error_t *err) {
  reg_code_t rc = reg_store_begin(svc->store, err);
  for (size_t i = 0; i < n && rc == REG_OK; i++) {
    reg_version_t *v = reg_subject_version(subj, vs[i]);
    reg_store_version_t ver = {subj->qname, subj->ctx->name, v->version, v->schema->id, true, v->ts};
    rc = reg_store_put_version(svc->store, &ver, err);
  }
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  if (rc != REG_OK) {
    reg_store_rollback(svc->store);
    return rc;
  }
  for (size_t i = 0; i < n; i++) reg_subject_version(subj, vs[i])->deleted = true;
  return REG_OK;
}

static reg_code_t hard_delete(reg_service_t *svc, reg_subject_t *subj, const int64_t *vs, size_t n,
                              reg_error_t *err) {
  reg_code_t rc = reg_store_begin(svc->store, err);
  if (rc == REG_OK) rc = reg__store_drop_versions(svc, subj, vs, n, NULL, err);
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  if (rc != REG_OK) {
    reg_store_rollback(svc->store);
    return rc;
  }
  reg__index_drop_versions(svc, subj, vs, n);
  return REG_OK;
}

static reg_code_t delete_version_locked(reg_service_t *svc, const char *subject, const reg_qsub_t *qs, int64_t v,
                                        const char *version, const reg_query_t *q, reg_error_t *err) {
  reg_code_t rc = readonly_check(svc, qs, err);
  if (rc != REG_OK) return rc;
  reg_subject_t *subj = reg_index_subject(svc->idx, qs->qname);
  if (!subj) return reg__subject_not_found(subject, err);
  reg_version_t *ver = reg__version_find(subj, v, v != -1 || q->permanent);
  if (!ver) return reg_error_set(err, REG_ERR_VERSION_NOT_FOUND, "Version %.200s not found.", version);
  int64_t num = ver->version;
  if (q->permanent && !ver->deleted)
    return reg_error_set(err, REG_ERR_VERSION_NOT_SOFT_DELETED,
                         "Subject '%.1200s' Version %lld was not deleted first before being permanently deleted",
                         subject, (long long)num);
  if (!q->permanent && ver->deleted)
    return reg_error_set(err, REG_ERR_VERSION_SOFT_DELETED,
                         "Subject '%.1200s' Version %lld was soft deleted.Set permanent=true to delete permanently",
                         subject, (long long)num);
  if (reg__is_referenced(svc, subj, num, q->permanent, NULL)) return reg__reference_exists(subj, num, err);
  rc = q->permanent ? hard_delete(svc, subj, &num, 1, err) : soft_delete(svc, subj, &num, 1, err);
  if (rc == REG_OK)
    log_info("registry", "%s deleted subject '%s' version %lld", q->permanent ? "permanently" : "soft",
             qs->qname, (long long)num);
  return rc;
}

reg_code_t reg_svc_delete_version(reg_service_t *svc, const char *subject, const char *version,
                                  const reg_query_t *q, json_t **out, reg_error_t *err) {
  int64_t v = 0;
  reg_qsub_t qs;
  *out = NULL;
  reg_code_t rc = reg__version_parse(version, &v, err);
  if (rc == REG_OK) rc = reg__qsub_parse(subject, &qs, err);
  if (rc != REG_OK) return rc;
  reg__wrlock(svc);
  reg_subject_t *subj = reg_index_subject(svc->idx, qs.qname);
  reg_version_t *ver = subj ? reg__version_find(subj, v, v != -1 || q->permanent) : NULL;
  int64_t num = ver ? ver->version : v;
  rc = delete_version_locked(svc, subject, &qs, v, version, q, err);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  if (rc == REG_OK) *out = reg__json_or_oom(json_integer(num));
  return rc;
}

/* Versions a subject delete affects (live ones, or all for permanent). */
static reg_code_t subject_victims(reg_service_t *svc, const char *subject, reg_subject_t *subj,
                                  const reg_query_t *q, int64_t *vs, size_t *n, reg_error_t *err) {
  size_t live = reg_subject_live_count(subj);
  if (!q->permanent && !live)
    return reg_error_set(err, REG_ERR_SUBJECT_SOFT_DELETED,
                         "Subject '%.1200s' was soft deleted.Set permanent=true to delete permanently", subject);
  if (q->permanent && live)
    return reg_error_set(err, REG_ERR_SUBJECT_NOT_SOFT_DELETED,
                         "Subject '%.1200s' was not deleted first before being permanently deleted", subject);
  *n = 0;
  for (size_t i = 0; i < subj->n_versions; i++) {
    const reg_version_t *v = &subj->versions[i];
    if (q->permanent || !v->deleted) vs[(*n)++] = v->version;
  }
  for (size_t i = 0; i < *n; i++)
    if (reg__is_referenced(svc, subj, vs[i], q->permanent, subj)) return reg__reference_exists(subj, vs[i], err);
  return REG_OK;
}

static reg_code_t delete_subject_locked(reg_service_t *svc, const char *subject, const reg_qsub_t *qs,
                                        const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_code_t rc = readonly_check(svc, qs, err);
  if (rc != REG_OK) return rc;
  reg_subject_t *subj = reg_index_subject(svc->idx, qs->qname);
  if (!subj) return reg__subject_not_found(subject, err);
  int64_t *vs = calloc(subj->n_versions + 1, sizeof *vs);
  size_t n = 0;
  if (!vs) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  rc = subject_victims(svc, subject, subj, q, vs, &n, err);
  if (rc == REG_OK) rc = q->permanent ? hard_delete(svc, subj, vs, n, err) : soft_delete(svc, subj, vs, n, err);
  if (rc == REG_OK) {
    json_t *arr = reg__json_or_oom(json_array());
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_integer(vs[i]));
    *out = arr;
    log_info("registry", "%s deleted subject '%s' (%zu versions)", q->permanent ? "permanently" : "soft",
             qs->qname, n);
  }
  free(vs);
  return rc;
}

reg_code_t reg_svc_delete_subject(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                                  reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  reg_code_t rc = reg__qsub_parse(subject, &qs, err);
  if (rc != REG_OK) return rc;
  reg__wrlock(svc);
  rc = delete_subject_locked(svc, subject, &qs, q, out, err);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  return rc;
}

/* ---- contexts ---------------------------------------------------------------- */

reg_code_t reg_svc_delete_context(reg_service_t *svc, const char *context, json_t **out, reg_error_t *err) {
  *out = NULL;
  char *name = malloc(strlen(context) + 2);
  if (name) strcat(strcpy(name, context[0] == '.' ? "" : "."), context);
  if (!name) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  reg__wrlock(svc);
  reg_ctx_t *ctx = reg_index_ctx(svc->idx, name, false);
  reg_code_t rc = REG_OK;
  if (ctx && ctx->n_subjects)
    rc = reg_error_set(err, REG_ERR_CONTEXT_NOT_EMPTY, "The specified context '%.600s' is not empty.", context);
  else if (ctx && strcmp(name, REG_CTX_DEFAULT) != 0 && ctx->listed) {
    rc = reg_store_begin(svc->store, err);
    if (rc == REG_OK) rc = reg_store_delete_context(svc->store, name, err);
    if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
    if (rc == REG_OK)
      ctx->listed = false;
    else
      reg_store_rollback(svc->store);
  }
  reg__unlock(svc);
  free(name);
  return rc;
}
