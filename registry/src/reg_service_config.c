// SPDX-License-Identifier: Apache-2.0
/* GET/PUT/DELETE /config[/{s}] (§4.4, §5.8): per-key records ("" = global,
 * ":.ctx:" = context, ":.__GLOBAL:" = cross-context, else a subject), the
 * compatibility <-> compatibilityLevel key asymmetry, field-wise merge with
 * explicit null clearing, and the exact 40408/42203 messages. Modes are in
 * reg_service_mode.c. */
#include <stdlib.h>
#include <string.h>

#include "reg_service_int.h"

static const char *const invalid_level_msg =
    "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, "
    "forward_transitive, and full_transitive";

static bool is_cross(const reg_qsub_t *qs) { return strcmp(qs->qname, REG_KEY_CROSS) == 0; }

/* Parses the path subject (NULL = global) into qs; validates subject keys. */
static reg_code_t config_key(const char *subject, bool validate, reg_qsub_t *qs, reg_error_t *err) {
  reg_code_t rc = reg__qsub_parse(subject ? subject : "", qs, err);
  if (rc == REG_OK && validate && subject && qs->name[0] && !is_cross(qs))
    rc = reg__subject_validate(subject, qs, err);
  return rc;
}

static json_t *with_level(reg_service_t *svc, json_t *rec) {
  json_t *o = reg__json_or_oom(rec ? json_deep_copy(rec) : json_object());
  if (!json_object_get(o, "compatibilityLevel"))
    json_object_set_new(o, "compatibilityLevel", json_string(svc->default_compat));
  return o;
}

reg_code_t reg_svc_get_config(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                              reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  reg_code_t rc = config_key(subject, false, &qs, err);
  if (rc != REG_OK) return rc;
  reg__rdlock(svc);
  json_t *rec = reg_index_config(svc->idx, qs.qname);
  bool global = qs.qname[0] == '\0';
  if (rec && !(q->default_to_global && !global))
    *out = with_level(svc, rec);
  else if (global || q->default_to_global)
    *out = reg__config_effective(svc, &qs);
  else
    rc = reg_error_set(err, REG_ERR_SUBJECT_CONFIG_NOT_FOUND,
                       "Subject '%.1200s' does not have subject-level compatibility configured", subject);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  return rc;
}

/* Merges one PUT field into rec (42203/42210 on bad values). */
static reg_code_t merge_field(json_t *rec, const char *key, json_t *value, reg_error_t *err) {
  static const char *const bools[] = {"normalize", "validateFields", "validateNewSchemas", "validateRules", NULL};
  static const char *const strs[] = {"compatibilityPolicy", "compatibilityGroup", "alias", "aliasForDeks", NULL};
  static const char *const objs[] = {"defaultMetadata", "overrideMetadata", "defaultRuleSet", "overrideRuleSet",
                                     NULL};
  if (strcmp(key, "compatibility") == 0 || strcmp(key, "compatibilityLevel") == 0) {
    sch_compat_level_t level;
    if (json_is_null(value)) return json_object_del(rec, "compatibilityLevel"), REG_OK;
    if (!json_is_string(value) || sch_compat_level_parse(json_string_value(value), &level) != 0)
      return reg_error_set(err, REG_ERR_INVALID_COMPATIBILITY, "%s", invalid_level_msg);
    json_object_set_new(rec, "compatibilityLevel", json_string(sch_compat_level_name(level)));
    return REG_OK;
  }
  bool known = false;
  for (size_t i = 0; bools[i]; i++) known |= strcmp(key, bools[i]) == 0 && (json_is_boolean(value) || json_is_null(value));
  for (size_t i = 0; strs[i]; i++) known |= strcmp(key, strs[i]) == 0 && (json_is_string(value) || json_is_null(value));
  for (size_t i = 0; objs[i]; i++) known |= strcmp(key, objs[i]) == 0 && (json_is_object(value) || json_is_null(value));
  if (!known) return REG_OK; /* unknown properties are ignored (§0 item 15) */
  if (strstr(key, "RuleSet") && !json_is_null(value)) {
    reg_code_t rc = reg__rule_set_validate(value, err);
    if (rc != REG_OK) return rc;
  }
  if (json_is_null(value))
    json_object_del(rec, key);
  else
    json_object_set(rec, key, value);
  return REG_OK;
}

/* Renders a stored record in the PUT request shape. */
static json_t *request_shape(json_t *rec) {
  json_t *o = reg__json_or_oom(json_object());
  const char *key;
  json_t *value;
  json_object_foreach(rec, key, value) {
    json_object_set(o, strcmp(key, "compatibilityLevel") == 0 ? "compatibility" : key, value);
  }
  return o;
}

static reg_code_t readonly_scope(reg_service_t *svc, const reg_qsub_t *qs, reg_error_t *err) {
  if (!reg__mode_readonly(reg__mode_effective(svc, qs))) return REG_OK;
  return reg_error_set(err, REG_ERR_NOT_PERMITTED, "Subject %.600s in context %.300s is in read-only mode", qs->name,
                       qs->ctx);
}

/* Writes (or, for an empty record, deletes) the key's record, then mirrors. */
static reg_code_t config_write(reg_service_t *svc, const char *key, json_t *rec, reg_error_t *err) {
  char *text = json_object_size(rec) ? json_dumps(rec, JSON_COMPACT) : NULL;
  reg_code_t rc = reg_store_begin(svc->store, err);
  if (rc == REG_OK)
    rc = text ? reg_store_put_config(svc->store, key, text, err) : reg_store_delete_config(svc->store, key, err);
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  free(text);
  if (rc != REG_OK) {
    reg_store_rollback(svc->store);
    return rc;
  }
  if (json_object_size(rec)) {
    if (reg_index_config_set(svc->idx, key, json_incref(rec)) != 0) reg__fatal_oom("mirroring a config");
  } else {
    reg_index_config_remove(svc->idx, key);
  }
  return REG_OK;
}

static reg_code_t put_config_locked(reg_service_t *svc, const reg_qsub_t *qs, json_t *body, json_t **out,
                                    reg_error_t *err) {
  reg_code_t rc = readonly_scope(svc, qs, err);
  if (rc != REG_OK) return rc;
  json_t *cur = reg_index_config(svc->idx, qs->qname);
  json_t *rec = reg__json_or_oom(cur ? json_deep_copy(cur) : json_object());
  const char *key;
  json_t *value;
  json_object_foreach(body, key, value) {
    if ((rc = merge_field(rec, key, value, err)) != REG_OK) break;
  }
  if (rc == REG_OK) rc = config_write(svc, qs->qname, rec, err);
  if (rc == REG_OK) *out = request_shape(rec);
  json_decref(rec);
  return rc;
}

reg_code_t reg_svc_put_config(reg_service_t *svc, const char *subject, json_t *body, json_t **out,
                              reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  if (!json_is_object(body)) return reg_error_set(err, REG_ERR_UNPROCESSABLE, "Request body must be a JSON object");
  reg_code_t rc = config_key(subject, true, &qs, err);
  if (rc != REG_OK) return rc;
  reg__wrlock(svc);
  rc = put_config_locked(svc, &qs, body, out, err);
  reg__unlock(svc);
  reg__qsub_fini(&qs);
  return rc;
}

reg_code_t reg_svc_delete_config(reg_service_t *svc, const char *subject, json_t **out, reg_error_t *err) {
  reg_qsub_t qs;
  *out = NULL;
  reg_code_t rc = config_key(subject, false, &qs, err);
  if (rc != REG_OK) return rc;
  reg__wrlock(svc);
  json_t *cur = json_incref(reg_index_config(svc->idx, qs.qname));
  rc = readonly_scope(svc, &qs, err);
  if (rc == REG_OK && !cur && qs.qname[0]) rc = reg__subject_not_found(subject, err);
  if (rc == REG_OK && cur) {
    json_t *empty = reg__json_or_oom(json_object());
    rc = config_write(svc, qs.qname, empty, err);
    json_decref(empty);
  }
  if (rc == REG_OK) *out = with_level(svc, cur);
  reg__unlock(svc);
  json_decref(cur);
  reg__qsub_fini(&qs);
  return rc;
}
