// SPDX-License-Identifier: Apache-2.0
/* A schema arriving in a request (register, lookup, compatibility): its
 * format and text checks (42201 "Invalid schema type", "Empty schema"),
 * ruleSet validation (42210), reference resolution, parsing (strict or
 * lenient) and identity. It does not decide what to do with the result; the
 * register/lookup/compat files do. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "reg_service_int.h"

reg_code_t reg__candidate_init(reg_service_t *svc, reg_candidate_t *cand, const reg_schema_req_t *req,
                               reg_error_t *err) {
  (void)svc;
  cand->type = req->schema_type ? req->schema_type : "AVRO";
  cand->format = sch_format_find(cand->type);
  if (!cand->format) return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema type %.200s", cand->type);
  cand->text = req->schema;
  cand->text_len = req->schema ? req->schema_len : 0;
  cand->refs = req->references;
  cand->metadata = json_is_null(req->metadata) ? NULL : req->metadata;
  cand->rule_set = json_is_null(req->rule_set) ? NULL : req->rule_set;
  if (cand->metadata && !json_is_object(cand->metadata))
    return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema, details: \"metadata\" must be an object");
  return REG_OK;
}

void reg__candidate_fini(reg_candidate_t *cand) {
  if (!cand) return;
  reg__qsub_fini(&cand->qs);
  reg__deps_fini(&cand->deps);
  sch_schema_destroy(cand->parsed);
  cand->parsed = NULL;
  json_decref(cand->owned_metadata);
  json_decref(cand->owned_rule_set);
  cand->owned_metadata = cand->owned_rule_set = NULL;
}

reg_code_t reg__candidate_prepare(reg_service_t *svc, reg_candidate_t *cand, bool validate, bool allow_deleted,
                                  reg_error_t *err) {
  reg__deps_fini(&cand->deps);
  sch_schema_destroy(cand->parsed);
  cand->parsed = NULL;
  cand->parse_error[0] = '\0';
  reg_code_t rc = reg__deps_resolve(svc, cand->qs.ctx, cand->refs, allow_deleted, &cand->deps, err);
  if (rc != REG_OK) return rc;
  sch_parse_opts_t opts = {cand->deps.refs, cand->deps.n, validate, cand->normalize};
  sch_error_t serr = {0};
  cand->parsed = sch_schema_parse(cand->format, cand->text, cand->text_len, &opts, &serr);
  if (!cand->parsed) {
    if (serr.code == SCH_ERR_NOMEM) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
    snprintf(cand->parse_error, sizeof cand->parse_error, "%s", serr.message[0] ? serr.message : "invalid schema");
    return REG_OK;
  }
  size_t len = 0;
  const char *canon = sch_schema_canonical(cand->parsed, &len);
  reg__identity(cand->type, canon, len, cand->deps.resolved, cand->metadata, cand->rule_set, cand->md5);
  return REG_OK;
}

reg_code_t reg__invalid_schema(const reg_candidate_t *cand, reg_error_t *err) {
  int n = cand->text_len > 600 ? 600 : (int)cand->text_len;
  return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema %.*s%s, details: %s", n, cand->text,
                       cand->text_len > 600 ? "..." : "", cand->parse_error);
}

/* ---- ruleSet (§3.1 Rule) ----------------------------------------------------- */

static bool rule_name_valid(const char *name) {
  size_t len = strlen(name);
  if (!len || len > 256 || !(isalpha((unsigned char)name[0]) || name[0] == '_')) return false;
  for (size_t i = 1; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if (!isalnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

static bool in_list(const char *s, const char *const *list) {
  for (; s && *list; list++)
    if (strcmp(s, *list) == 0) return true;
  return false;
}

static reg_code_t rule_validate(json_t *rule, bool migration, json_t *seen, reg_error_t *err) {
  static const char *const kinds[] = {"TRANSFORM", "CONDITION", NULL};
  static const char *const mig_modes[] = {"UPGRADE", "DOWNGRADE", "UPDOWN", NULL};
  static const char *const dom_modes[] = {"WRITE", "READ", "WRITEREAD", NULL};
  if (!json_is_object(rule)) return reg_error_set(err, REG_ERR_INVALID_RULESET, "Invalid rule: not an object");
  const char *name = json_string_value(json_object_get(rule, "name"));
  if (!name) return reg_error_set(err, REG_ERR_INVALID_RULESET, "Missing rule name");
  if (!rule_name_valid(name))
    return reg_error_set(err, REG_ERR_INVALID_RULESET, "Illegal rule name '%.300s'", name);
  if (json_object_get(seen, name))
    return reg_error_set(err, REG_ERR_INVALID_RULESET, "Found rule with duplicate name '%.300s'", name);
  json_object_set_new(seen, name, json_true());
  json_t *kind = json_object_get(rule, "kind"), *mode = json_object_get(rule, "mode");
  if (kind && !in_list(json_string_value(kind), kinds))
    return reg_error_set(err, REG_ERR_INVALID_RULESET, "Invalid rule kind for rule '%.300s'", name);
  if (mode && !in_list(json_string_value(mode), migration ? mig_modes : dom_modes))
    return reg_error_set(err, REG_ERR_INVALID_RULESET, "Invalid rule mode for rule '%.300s'", name);
  return REG_OK;
}

reg_code_t reg__rule_set_validate(json_t *rule_set, reg_error_t *err) {
  static const char *const lists[] = {"migrationRules", "domainRules", "encodingRules"};
  if (!rule_set || json_is_null(rule_set)) return REG_OK;
  if (!json_is_object(rule_set))
    return reg_error_set(err, REG_ERR_INVALID_RULESET, "Invalid ruleSet: must be an object");
  json_t *seen = json_object();
  if (!seen) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  reg_code_t rc = REG_OK;
  for (size_t l = 0; l < 3 && rc == REG_OK; l++) {
    json_t *rules = json_object_get(rule_set, lists[l]), *rule;
    size_t i;
    if (!rules || json_is_null(rules)) continue;
    if (!json_is_array(rules)) {
      rc = reg_error_set(err, REG_ERR_INVALID_RULESET, "Invalid ruleSet: %s must be an array", lists[l]);
      break;
    }
    json_array_foreach(rules, i, rule) {
      if ((rc = rule_validate(rule, l == 0, seen, err)) != REG_OK) break;
    }
  }
  json_decref(seen);
  return rc;
}
