// SPDX-License-Identifier: Apache-2.0
/* Compatibility (§5.6, §4.6): running the schemas module's driver against a
 * subject's live versions (stored schemas parsed lazily), the closing
 * "{validateFields: ..., compatibility: ...}" item, and the endpoint
 * POST /compatibility/subjects/{s}/versions[/{v}], which never writes and
 * never short-circuits on identical schemas. */
#include <stdlib.h>
#include <string.h>

#include "log/log.h"
#include "reg_metrics.h"
#include "reg_service_int.h"

reg_compat_scope_t reg__compat_scope(json_t *cfg, const reg_candidate_t *cand, const reg_version_t *only) {
  const char *group = json_string_value(json_object_get(cfg, "compatibilityGroup"));
  if (group && !*group) group = NULL;
  return (reg_compat_scope_t){only, group, reg__contract_property(cand->metadata, group)};
}

reg_code_t reg__compat_run(reg_service_t *svc, const reg_subject_t *subj, const reg_compat_scope_t *scope,
                           sch_compat_level_t level, const sch_schema_t *cand, bool *ok, sch_messages_t *msgs,
                           reg_error_t *err) {
  *ok = true;
  if (level == SCH_COMPAT_NONE) return REG_OK;
  sch_compat_prev_t *prev = calloc(subj->n_versions + 1, sizeof *prev);
  if (!prev) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t i = 0; i < subj->n_versions; i++) {
    reg_version_t *v = &subj->versions[i];
    if (v->deleted || (scope->only && v != scope->only)) continue;
    if (!reg__contract_in_group(v->schema, scope->group, scope->value)) continue;
    const sch_schema_t *parsed = reg__schema_parsed(svc, v->schema);
    if (parsed) prev[n++] = (sch_compat_prev_t){parsed, (int)v->version};
  }
  sch_error_t serr = {0};
  reg_code_t rc = REG_OK;
  if (n && sch_compat_check(level, cand, prev, n, ok, msgs, &serr) != SCH_OK)
    rc = reg_error_set(err, serr.code == SCH_ERR_NOMEM ? REG_ERR_NOMEM : REG_ERR_INVALID_SCHEMA,
                       "Invalid schema, details: %s", serr.message);
  free(prev);
  if (rc == REG_OK && !*ok &&
      sch_messages_addf(msgs, "{validateFields: 'false', compatibility: '%s'}", sch_compat_level_name(level)) != SCH_OK)
    rc = reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  return rc;
}

static json_t *compat_body(bool ok, const sch_messages_t *msgs, bool verbose) {
  json_t *o = reg__json_or_oom(json_object());
  json_object_set_new(o, "is_compatible", json_boolean(ok));
  if (!verbose) return o;
  json_t *arr = reg__json_or_oom(json_array());
  for (size_t i = 0; msgs && i < msgs->count; i++) json_array_append_new(arr, json_string(msgs->items[i]));
  json_object_set_new(o, "messages", arr);
  return o;
}

/* The version the check targets: NULL for "all live versions". 40402 when an
 * explicit one is missing; *vacuous when there is nothing to compare. */
static reg_code_t compat_target(const reg_subject_t *subj, const char *version, const reg_version_t **target,
                                bool *vacuous, reg_error_t *err) {
  *target = NULL;
  *vacuous = !subj || !reg_subject_live_count(subj);
  if (!version) return REG_OK;
  int64_t v = 0;
  reg_code_t rc = reg__version_parse(version, &v, err);
  if (rc != REG_OK) return rc;
  *target = subj ? reg__version_find(subj, v, false) : NULL;
  if (*target) return REG_OK;
  if (v == -1) {
    *vacuous = true;
    return REG_OK;
  }
  return reg_error_set(err, REG_ERR_VERSION_NOT_FOUND, "Version %s not found.", version);
}

static reg_code_t compat_locked(reg_service_t *svc, reg_candidate_t *cand, const char *version,
                                const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_subject_t *subj = reg_index_subject(svc->idx, cand->qs.qname);
  const reg_version_t *target = NULL;
  bool vacuous = false;
  reg_code_t rc = compat_target(subj, version, &target, &vacuous, err);
  if (rc != REG_OK) return rc;
  cand->normalize = q->normalize;
  if ((rc = reg__candidate_prepare(svc, cand, true, false, err)) != REG_OK) return rc;
  sch_messages_t msgs = {0};
  if (!cand->parsed) {
    reg_error_t invalid;
    reg__invalid_schema(cand, &invalid);
    if (!q->verbose) return reg_error_set(err, invalid.code, "%s", invalid.message);
    sch_messages_addf(&msgs, "%s", invalid.message);
    *out = compat_body(false, &msgs, true);
    sch_messages_fini(&msgs);
    return REG_OK;
  }
  bool ok = true;
  if (!vacuous) {
    sch_compat_level_t level = reg__compat_level(svc, &cand->qs);
    json_t *cfg = reg__config_effective(svc, &cand->qs);
    reg_compat_scope_t scope = reg__compat_scope(cfg, cand, target);
    rc = reg__compat_run(svc, subj, &scope, level, cand->parsed, &ok, &msgs, err);
    json_decref(cfg);
  }
  if (rc == REG_OK) *out = compat_body(ok, &msgs, q->verbose);
  sch_messages_fini(&msgs);
  return rc;
}

reg_code_t reg_svc_check_compat(reg_service_t *svc, const char *subject, const char *version,
                                const reg_schema_req_t *req, const reg_query_t *q, json_t **out,
                                reg_error_t *err) {
  reg_candidate_t cand = {0};
  *out = NULL;
  reg_code_t rc = reg__qsub_parse(subject, &cand.qs, err);
  if (rc == REG_OK) rc = reg__candidate_init(svc, &cand, req, err);
  if (rc == REG_OK && !cand.text_len) rc = reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Empty schema");
  if (rc == REG_OK) {
    reg__rdlock(svc);
    rc = compat_locked(svc, &cand, version, q, out, err);
    reg__unlock(svc);
  }
  reg__metrics_compat_check(rc, rc == REG_OK && json_is_true(json_object_get(*out, "is_compatible")));
  reg__candidate_fini(&cand);
  return rc;
}
