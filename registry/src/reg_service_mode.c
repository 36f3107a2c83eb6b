// SPDX-License-Identifier: Apache-2.0
/* GET/PUT/DELETE /mode[/{s}] (§4.5, §5.7): READWRITE (default), READONLY,
 * READONLY_OVERRIDE, IMPORT (only into a scope without live subjects unless
 * force; soft-deleted leftovers are purged on the switch) and FORWARD (global
 * only), 40409/42204/42205 with Confluent's messages, recursive deletes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log/log.h"
#include "reg_service_int.h"

static const char *const modes[] = {"READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT", "FORWARD", NULL};

static json_t *mode_json(const char *mode) { return reg__json_or_oom(json_pack("{s:s}", "mode", mode)); }

reg_code_t reg_svc_get_mode(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                            reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  reg_code_t rc = reg__qsub_parse(subject ? subject : "", &qs, err);
  if (rc != REG_OK) return rc;
  reg__rdlock(svc);
  const char *mode = reg_index_mode(svc->idx, qs.qname);
  if (mode)
    *out = mode_json(mode);
  else if (!qs.qname[0] || q->default_to_global)
    *out = mode_json(reg__mode_effective(svc, &qs));
  else
    rc = reg_error_set(err, REG_ERR_SUBJECT_MODE_NOT_FOUND,
                       "Subject '%.1200s' does not have subject-level mode configured", subject);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  return rc;
}

/* Is subj inside the scope of a mode key? */
static bool in_scope(const reg_qsub_t *key, const reg_subject_t *subj) {
  if (strcmp(key->qname, REG_KEY_CROSS) == 0) return true;
  if (!key->name[0]) return strcmp(key->ctx, subj->ctx->name) == 0;
  return strcmp(key->qname, subj->qname) == 0;
}

typedef struct scope_walk {
  const reg_qsub_t *key;
  reg_subject_t **subjects; /* collected subjects in scope */
  size_t n;
  bool live; /* any live subject in scope */
} scope_walk_t;

static int scope_visit(const void *k, size_t kl, void *value, void *arg) {
  (void)k, (void)kl;
  scope_walk_t *w = arg;
  reg_subject_t *subj = value;
  if (!in_scope(w->key, subj)) return 0;
  w->subjects[w->n++] = subj;
  w->live |= reg_subject_live_count(subj) > 0;
  return 0;
}

static scope_walk_t scope_collect(reg_service_t *svc, const reg_qsub_t *key) {
  scope_walk_t w = {key, calloc(svc->idx->subjects.count + 1, sizeof(reg_subject_t *)), 0, false};
  if (!w.subjects) reg__fatal_oom("collecting subjects");
  reg_map_foreach(&svc->idx->subjects, scope_visit, &w);
  return w;
}

/* Switching to IMPORT: refuse live subjects (unless force), purge soft-deleted
 * leftovers (42206 if referenced) inside the open transaction. */
static reg_code_t import_prepare(reg_service_t *svc, const scope_walk_t *w, bool force, reg_error_t *err) {
  if (w->live && !force)
    return reg_error_set(err, REG_ERR_NOT_PERMITTED, "Cannot import since found existing subjects");
  for (size_t i = 0; i < w->n; i++) {
    reg_subject_t *subj = w->subjects[i];
    if (reg_subject_live_count(subj)) continue;
    for (size_t j = 0; j < subj->n_versions; j++)
      if (reg__is_referenced(svc, subj, subj->versions[j].version, true, subj))
        return reg__reference_exists(subj, subj->versions[j].version, err);
  }
  reg_code_t rc = REG_OK;
  for (size_t i = 0; i < w->n && rc == REG_OK; i++) {
    if (reg_subject_live_count(w->subjects[i])) continue;
    size_t n = 0;
    int64_t *vs = reg__soft_deleted_versions(w->subjects[i], &n);
    rc = reg__store_drop_versions(svc, w->subjects[i], vs, n, NULL, err);
    free(vs);
  }
  return rc;
}

static void import_mirror(reg_service_t *svc, const scope_walk_t *w) {
  for (size_t i = 0; i < w->n; i++) {
    if (reg_subject_live_count(w->subjects[i])) continue;
    size_t n = 0;
    int64_t *vs = reg__soft_deleted_versions(w->subjects[i], &n);
    reg__index_drop_versions(svc, w->subjects[i], vs, n);
    free(vs);
  }
}

static reg_code_t parse_mode(json_t *body, const reg_qsub_t *qs, const char **mode, reg_error_t *err) {
  json_t *m = json_object_get(body, "mode");
  *mode = NULL;
  if (!m || json_is_null(m)) return REG_OK;
  const char *text = json_string_value(m);
  for (size_t i = 0; text && modes[i]; i++)
    if (strcasecmp(text, modes[i]) == 0) *mode = modes[i];
  if (!*mode)
    return reg_error_set(err, REG_ERR_INVALID_MODE, "Invalid mode. Valid values are READWRITE, READONLY, IMPORT and "
                                                    "FORWARD.");
  if (strcmp(*mode, "FORWARD") == 0 && qs->qname[0] && strcmp(qs->qname, REG_KEY_CROSS) != 0)
    return reg_error_set(err, REG_ERR_INVALID_MODE, "Forward mode only supported on global level");
  return REG_OK;
}

static reg_code_t put_mode_locked(reg_service_t *svc, const reg_qsub_t *qs, const char *mode, bool force,
                                  json_t **out, reg_error_t *err) {
  bool importing = mode && strcmp(mode, "IMPORT") == 0 && strcmp(reg__mode_effective(svc, qs), "IMPORT") != 0;
  scope_walk_t w = {0};
  if (importing) w = scope_collect(svc, qs);
  reg_code_t rc = reg_store_begin(svc->store, err);
  if (rc == REG_OK && importing) rc = import_prepare(svc, &w, force, err);
  if (rc == REG_OK)
    rc = mode ? reg_store_put_mode(svc->store, qs->qname, mode, err) : reg_store_delete_mode(svc->store, qs->qname, err);
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  if (rc != REG_OK) {
    reg_store_rollback(svc->store);
  } else {
    if (importing) import_mirror(svc, &w);
    if (mode && reg_index_mode_set(svc->idx, qs->qname, mode) != 0) reg__fatal_oom("mirroring a mode");
    if (!mode) reg_index_mode_remove(svc->idx, qs->qname);
    *out = mode_json(mode ? mode : reg__mode_effective(svc, qs));
    log_info("registry", "mode of '%s' set to %s", qs->qname[0] ? qs->qname : "(global)", mode ? mode : "(unset)");
  }
  free(w.subjects);
  return rc;
}

reg_code_t reg_svc_put_mode(reg_service_t *svc, const char *subject, json_t *body, const reg_query_t *q,
                            json_t **out, reg_error_t *err) {
  reg_qsub_t qs;
  const char *mode = NULL;
  *out = NULL;
  if (!svc->mode_mutability) return reg_error_set(err, REG_ERR_NOT_PERMITTED, "Mode changes are not allowed");
  if (!json_is_object(body)) return reg_error_set(err, REG_ERR_UNPROCESSABLE, "Request body must be a JSON object");
  reg_code_t rc = reg__qsub_parse(subject ? subject : "", &qs, err);
  if (rc == REG_OK && subject && qs.name[0] && strcmp(qs.qname, REG_KEY_CROSS) != 0)
    rc = reg__subject_validate(subject, &qs, err);
  if (rc == REG_OK) rc = parse_mode(body, &qs, &mode, err);
  if (rc == REG_OK && !mode && !qs.qname[0]) mode = "READWRITE";
  if (rc == REG_OK) {
    reg__wrlock(svc);
    rc = put_mode_locked(svc, &qs, mode, q->force, out, err);
    reg__unlock(svc);
  }
  reg__qsub_fini(&qs);
  return rc;
}

/* Recursive delete: every subject-level mode inside the key's scope. */
static void recursive_keys(reg_service_t *svc, const reg_qsub_t *qs, scope_walk_t *w) {
  *w = scope_collect(svc, qs);
  size_t kept = 0;
  for (size_t i = 0; i < w->n; i++)
    if (reg_index_mode(svc->idx, w->subjects[i]->qname)) w->subjects[kept++] = w->subjects[i];
  w->n = kept;
}

static reg_code_t delete_mode_locked(reg_service_t *svc, const char *subject, const reg_qsub_t *qs,
                                     const reg_query_t *q, json_t **out, reg_error_t *err) {
  const char *cur = reg_index_mode(svc->idx, qs->qname);
  if (!cur && qs->qname[0] && !q->recursive) return reg__subject_not_found(subject, err);
  json_t *result = mode_json(cur ? cur : reg__mode_effective(svc, qs));
  scope_walk_t w = {0};
  if (q->recursive) recursive_keys(svc, qs, &w);
  reg_code_t rc = reg_store_begin(svc->store, err);
  if (rc == REG_OK) rc = reg_store_delete_mode(svc->store, qs->qname, err);
  for (size_t i = 0; i < w.n && rc == REG_OK; i++) rc = reg_store_delete_mode(svc->store, w.subjects[i]->qname, err);
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  if (rc == REG_OK) {
    reg_index_mode_remove(svc->idx, qs->qname);
    for (size_t i = 0; i < w.n; i++) reg_index_mode_remove(svc->idx, w.subjects[i]->qname);
    *out = result;
  } else {
    reg_store_rollback(svc->store);
    json_decref(result);
  }
  free(w.subjects);
  return rc;
}

reg_code_t reg_svc_delete_mode(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                               reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  if (!svc->mode_mutability) return reg_error_set(err, REG_ERR_NOT_PERMITTED, "Mode changes are not allowed");
  reg_code_t rc = reg__qsub_parse(subject ? subject : "", &qs, err);
  if (rc != REG_OK) return rc;
  reg__wrlock(svc);
  rc = delete_mode_locked(svc, subject, &qs, q, out, err);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  return rc;
}
