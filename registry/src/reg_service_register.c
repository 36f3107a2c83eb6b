// SPDX-License-Identifier: Apache-2.0
/* POST /subjects/{s}/versions (register, §5.2) and POST /subjects/{s}
 * (lookup, §5.3): the idempotent fast path, mode checks, version and id
 * assignment (per context, max+1, IMPORT ids), the compatibility gate, the
 * same-id cleanup of soft-deleted versions, and the single store transaction
 * that makes a registration durable before the index mirrors it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log/log.h"
#include "reg_metrics.h"
#include "reg_service_int.h"

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Newest version of subj whose schema has the candidate's identity; falls
 * back to the same type + canonical text + references when the request
 * carried no metadata/ruleSet (a client that only knows the schema text),
 * then to equality that ignores confluent:version (§5.3, §5.12). */
static reg_version_t *find_match(const reg_subject_t *subj, const reg_candidate_t *cand, bool include_deleted) {
  if (!subj || !cand->parsed) return NULL;
  for (size_t i = subj->n_versions; i > 0; i--) {
    reg_version_t *v = &subj->versions[i - 1];
    if ((include_deleted || !v->deleted) && memcmp(v->schema->md5, cand->md5, REG_MD5_LEN) == 0) return v;
  }
  bool text_only = !cand->metadata && !cand->rule_set;
  size_t len = 0;
  const char *canon = sch_schema_canonical(cand->parsed, &len);
  json_t *refs = json_array_size(cand->deps.resolved) ? cand->deps.resolved : NULL;
  for (size_t i = subj->n_versions; i > 0; i--) {
    reg_version_t *v = &subj->versions[i - 1];
    const reg_schema_rec_t *r = v->schema;
    if (!include_deleted && v->deleted) continue;
    if (!text_only) {
      if (reg__contract_same(r, cand)) return v;
      continue;
    }
    if (strcmp(r->type, cand->type) != 0 || r->text_len != len || memcmp(r->text, canon, len) != 0) continue;
    if ((!refs && !r->refs) || (refs && r->refs && json_equal(refs, r->refs))) return v;
  }
  return NULL;
}

static json_t *register_response(const reg_version_t *v) {
  const reg_schema_rec_t *rec = v->schema;
  json_t *o = reg__json_or_oom(json_object());
  json_object_set_new(o, "id", json_integer(rec->id));
  json_object_set_new(o, "version", json_integer(v->version));
  reg__add_guid(o, rec);
  json_object_set_new(o, "schemaType", json_string(rec->type));
  json_object_set_new(o, "schema", json_stringn(rec->text, rec->text_len));
  reg__add_extras(o, rec);
  if (v->ts > 0) json_object_set_new(o, "ts", json_integer(v->ts));
  return o;
}

/* A registration after every check passed: what to write. */
typedef struct reg_plan {
  reg_ctx_t *ctx;             /* NULL: context created on commit */
  reg_subject_t *subj;        /* NULL: subject created on commit */
  reg_schema_rec_t *rec;      /* existing record reused, or NULL */
  int64_t id, version;
  int64_t *drops;             /* same-id cleanup (§5.2 step 13) */
  size_t n_drops;
} reg_plan_t;

static reg_code_t mode_check(const reg_candidate_t *cand, const char *mode, const reg_schema_req_t *req,
                             reg_error_t *err) {
  const char *fmt = NULL;
  bool has_id = req->has_id && req->id >= 0;
  if (reg__mode_readonly(mode))
    fmt = "Subject %.600s in context %.300s is in read-only mode";
  else if (has_id && strcmp(mode, "IMPORT") != 0 && strcmp(mode, "FORWARD") != 0)
    fmt = "Subject %.600s in context %.300s is not in import mode";
  else if (!has_id && strcmp(mode, "READWRITE") != 0)
    fmt = "Subject %.600s in context %.300s is not in read-write mode";
  if (!fmt) return REG_OK;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return reg_error_set(err, REG_ERR_NOT_PERMITTED, fmt, cand->qs.name, cand->qs.ctx);
#pragma GCC diagnostic pop
}

/* Builds the 409 message, keeping it inside reg_error_t's buffer: long
 * items (the old schema text) are cut so the closing items always fit. */
static reg_code_t incompatible(const char *subject, const sch_messages_t *msgs, reg_error_t *err) {
  char buf[sizeof err->message];
  size_t cap = sizeof buf - 16, per = msgs->count ? (cap - 300) / msgs->count : cap;
  int n = snprintf(buf, sizeof buf,
                   "Schema being registered is incompatible with an earlier schema for subject \"%.200s\", "
                   "details: [",
                   subject);
  size_t len = (size_t)n;
  for (size_t i = 0; i < msgs->count && len < cap; i++) {
    size_t room = cap - len, item = strlen(msgs->items[i]);
    if (item > per && i + 1 < msgs->count) item = per;
    if (item > room) item = room;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.*s", i ? ", " : "", (int)item, msgs->items[i]);
  }
  snprintf(buf + (len < cap ? len : cap), sizeof buf - (len < cap ? len : cap), "]");
  return reg_error_set(err, REG_ERR_INCOMPATIBLE, "%s", buf);
}

/* §5.2 step 10: compatibility against the live versions (restricted to the
 * compatibilityGroup) and, with validateFields, the confluent:reserved rules. */
static reg_code_t compat_gate(reg_service_t *svc, const reg_candidate_t *cand, const reg_subject_t *subj,
                              json_t *cfg, reg_error_t *err) {
  bool live = subj && reg_subject_live_count(subj);
  sch_compat_level_t level = reg__compat_level(svc, &cand->qs);
  bool validate_fields = json_is_true(json_object_get(cfg, "validateFields"));
  sch_messages_t msgs = {0};
  bool ok = true;
  reg_code_t rc = REG_OK;
  if (live && level != SCH_COMPAT_NONE) {
    reg_compat_scope_t scope = reg__compat_scope(cfg, cand, NULL);
    rc = reg__compat_run(svc, subj, &scope, level, cand->parsed, &ok, &msgs, err);
  }
  if (rc == REG_OK && validate_fields) {
    size_t before = msgs.count;
    const reg_version_t *prev = live ? reg_subject_latest(subj, false) : NULL;
    reg__contract_check_reserved(cand, prev ? prev->schema : NULL, &msgs);
    if (msgs.count > before && ok) {
      ok = false;
      sch_messages_addf(&msgs, "{validateFields: 'true', compatibility: '%s'}", sch_compat_level_name(level));
    }
  }
  if (rc == REG_OK && !ok) rc = incompatible(cand->qs.qname, &msgs, err);
  sch_messages_fini(&msgs);
  return rc;
}

/* §5.2 steps 11-13: version, id and same-id cleanup. */
static reg_code_t plan_ids(reg_service_t *svc, const reg_candidate_t *cand, const reg_schema_req_t *req,
                           bool import, reg_plan_t *p, reg_error_t *err) {
  p->version = (p->subj ? reg_subject_max_version(p->subj) : 0) + 1;
  if (req->has_version && req->version > 0) {
    if (!import && req->version != p->version)
      return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Version is not one more than previous version");
    p->version = req->version;
  }
  p->rec = p->ctx ? reg_index_schema_by_md5(p->ctx, cand->md5) : NULL;
  if (req->has_id && req->id >= 0) {
    reg_schema_rec_t *at = p->ctx ? reg_index_schema_by_id(p->ctx, req->id) : NULL;
    if (at && memcmp(at->md5, cand->md5, REG_MD5_LEN) != 0)
      return reg_error_set(err, REG_ERR_NOT_PERMITTED,
                           "Overwrite new schema with id %lld in context %.300s is not permitted.",
                           (long long)req->id, cand->qs.ctx);
    p->rec = at;
    p->id = req->id;
  } else if (!p->rec) {
    p->id = (p->ctx ? p->ctx->max_id : 0) + 1;
    while (p->ctx && reg_index_schema_by_id(p->ctx, p->id)) p->id++;
  }
  if (p->rec) p->id = p->rec->id;
  if (!p->rec || !p->subj) return REG_OK;
  p->drops = calloc(p->subj->n_versions + 1, sizeof *p->drops);
  if (!p->drops) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < p->subj->n_versions; i++) {
    const reg_version_t *v = &p->subj->versions[i];
    if (v->deleted && v->schema == p->rec && v->version != p->version &&
        !reg__is_referenced(svc, p->subj, v->version, true, NULL))
      p->drops[p->n_drops++] = v->version;
  }
  return REG_OK;
}

static char *dump_or_null(json_t *v) {
  return v && !(json_is_array(v) && !json_array_size(v)) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static reg_code_t plan_store(reg_service_t *svc, const reg_candidate_t *cand, const reg_plan_t *p, int64_t ts,
                             reg_error_t *err) {
  reg_store_t *st = svc->store;
  reg_code_t rc = REG_OK;
  bool new_ctx = strcmp(cand->qs.ctx, REG_CTX_DEFAULT) != 0 && (!p->ctx || !p->ctx->listed);
  if (new_ctx) rc = reg_store_put_context(st, cand->qs.ctx, err);
  if (rc == REG_OK && !p->rec) {
    size_t len = 0;
    const char *canon = sch_schema_canonical(cand->parsed, &len);
    char *refs = dump_or_null(cand->deps.resolved), *md = dump_or_null(cand->metadata),
         *rs = dump_or_null(cand->rule_set);
    reg_store_schema_t rec = {cand->qs.ctx, p->id, cand->type, canon, len, refs, md, rs, cand->md5};
    rc = reg_store_put_schema(st, &rec, err);
    free(refs), free(md), free(rs);
    if (rc == REG_OK) rc = reg_store_put_max_id(st, cand->qs.ctx, p->id, err);
  }
  reg_version_t *old = p->subj ? reg_subject_version(p->subj, p->version) : NULL;
  if (rc == REG_OK && old && old->schema != p->rec && old->schema->n_uses == 1)
    rc = reg_store_delete_schema(st, cand->qs.ctx, old->schema->id, err);
  reg_store_version_t ver = {cand->qs.qname, cand->qs.ctx, p->version, p->id, false, ts};
  if (rc == REG_OK) rc = reg_store_put_version(st, &ver, err);
  if (rc == REG_OK && p->n_drops) rc = reg__store_drop_versions(svc, p->subj, p->drops, p->n_drops, p->rec, err);
  return rc;
}

static reg_version_t *plan_mirror(reg_service_t *svc, const reg_candidate_t *cand, reg_plan_t *p, int64_t ts) {
  reg_index_t *idx = svc->idx;
  reg_ctx_t *ctx = reg_index_ctx(idx, cand->qs.ctx, true);
  if (!ctx) reg__fatal_oom("mirroring a registration");
  ctx->listed = true;
  reg_schema_rec_t *rec = p->rec;
  if (!rec) {
    size_t len = 0;
    const char *canon = sch_schema_canonical(cand->parsed, &len);
    json_t *refs = json_array_size(cand->deps.resolved) ? cand->deps.resolved : NULL;
    reg_schema_init_t init = {p->id, cand->type, canon, len, refs, cand->metadata, cand->rule_set, cand->md5};
    rec = reg_index_schema_add(idx, ctx, &init);
  }
  reg_subject_t *subj = rec ? reg_index_subject_add(idx, ctx, cand->qs.qname, cand->qs.name) : NULL;
  reg_version_t v = {p->version, rec, false, ts};
  if (!subj || reg_index_version_put(idx, subj, &v) != 0) reg__fatal_oom("mirroring a registration");
  if (p->n_drops) reg__index_drop_versions(svc, subj, p->drops, p->n_drops);
  return reg_subject_version(subj, p->version);
}

static reg_code_t register_write(reg_service_t *svc, const reg_candidate_t *cand, reg_plan_t *p, json_t **out,
                                 reg_error_t *err) {
  int64_t ts = now_ms();
  reg_code_t rc = reg_store_begin(svc->store, err);
  if (rc == REG_OK) rc = plan_store(svc, cand, p, ts, err);
  if (rc == REG_OK) rc = reg_store_commit(svc->store, err);
  if (rc != REG_OK) {
    reg_store_rollback(svc->store);
    return rc;
  }
  reg_version_t *v = plan_mirror(svc, cand, p, ts);
  log_info("registry", "registered subject '%s' version %lld id %lld", cand->qs.qname, (long long)v->version,
           (long long)v->schema->id);
  *out = register_response(v);
  reg__metrics_registration(REG_REGISTRATION_NEW);
  return REG_OK;
}

/* Copies the previous live version when the request has no schema text
 * (clients that only change metadata/ruleSet, §5.2 step 6). */
static reg_code_t copy_previous(reg_candidate_t *cand, const reg_subject_t *subj, bool import, reg_error_t *err) {
  reg_version_t *prev = subj && !import ? reg_subject_latest(subj, false) : NULL;
  if (!prev) return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Empty schema");
  cand->type = prev->schema->type;
  cand->format = sch_format_find(cand->type);
  cand->text = prev->schema->text;
  cand->text_len = prev->schema->text_len;
  cand->refs = prev->schema->refs;
  if (!cand->format) return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema type %s", cand->type);
  return REG_OK;
}

/* §5.2 step 6 outside IMPORT: metadata/ruleSet merged with the config's and
 * the previous version's, then confluent:version. */
static void apply_contract(reg_candidate_t *cand, const reg_subject_t *subj, const reg_schema_req_t *req,
                           json_t *cfg) {
  const reg_version_t *prev = subj ? reg_subject_latest(subj, false) : NULL;
  reg__contract_merge(cand, cfg, prev ? prev->schema : NULL);
  bool requested = req->has_version && req->version > 0;
  int64_t next = requested ? req->version : (subj ? reg_subject_max_version(subj) : 0) + 1;
  reg__contract_set_version(cand, requested, next);
}

static reg_code_t register_checked(reg_service_t *svc, reg_candidate_t *cand, const reg_schema_req_t *req,
                                   const reg_query_t *q, json_t *cfg, json_t **out, reg_error_t *err) {
  reg_plan_t p = {.ctx = reg_index_ctx(svc->idx, cand->qs.ctx, false),
                  .subj = reg_index_subject(svc->idx, cand->qs.qname)};
  const char *mode = reg__mode_effective(svc, &cand->qs);
  bool import = strcmp(mode, "IMPORT") == 0;
  reg_code_t rc = cand->text_len ? REG_OK : copy_previous(cand, p.subj, import, err);
  if (rc != REG_OK) return rc;
  if (!import) apply_contract(cand, p.subj, req, cfg);
  cand->normalize = !import && (q->normalize || json_is_true(json_object_get(cfg, "normalize")));
  if ((rc = reg__candidate_prepare(svc, cand, !import, false, err)) != REG_OK) return rc;
  char strict_error[sizeof cand->parse_error] = "";
  if (!cand->parsed) {
    memcpy(strict_error, cand->parse_error, sizeof strict_error);
    if ((rc = reg__candidate_prepare(svc, cand, false, false, err)) != REG_OK) return rc;
  }
  reg_version_t *same = find_match(p.subj, cand, false);
  bool same_id = !req->has_id || req->id < 0 || (same && req->id == same->schema->id);
  if (same && (!req->has_version || req->version <= 0 || req->version == same->version) && same_id) {
    *out = register_response(same);
    reg__metrics_registration(REG_REGISTRATION_EXISTING);
    return REG_OK;
  }
  if (strict_error[0] || !cand->parsed) {
    if (strict_error[0]) memcpy(cand->parse_error, strict_error, sizeof strict_error);
    return reg__invalid_schema(cand, err);
  }
  if ((rc = mode_check(cand, mode, req, err)) != REG_OK) return rc;
  if (!import && strcmp(mode, "FORWARD") != 0 && !q->force &&
      (rc = compat_gate(svc, cand, p.subj, cfg, err)) != REG_OK)
    return rc;
  rc = plan_ids(svc, cand, req, import, &p, err);
  if (rc == REG_OK) rc = register_write(svc, cand, &p, out, err);
  free(p.drops);
  return rc;
}

static reg_code_t register_locked(reg_service_t *svc, reg_candidate_t *cand, const reg_schema_req_t *req,
                                  const reg_query_t *q, json_t **out, reg_error_t *err) {
  json_t *cfg = reg__config_effective(svc, &cand->qs);
  reg_code_t rc = register_checked(svc, cand, req, q, cfg, out, err);
  json_decref(cfg);
  return rc;
}

static reg_code_t request_checks(reg_service_t *svc, const char *subject, reg_candidate_t *cand,
                                 const reg_schema_req_t *req, reg_error_t *err) {
  reg_code_t rc = reg__qsub_parse(subject, &cand->qs, err);
  if (rc == REG_OK) rc = reg__subject_validate(subject, &cand->qs, err);
  if (rc == REG_OK) rc = reg__rule_set_validate(req->rule_set, err);
  if (rc == REG_OK) rc = reg__candidate_init(svc, cand, req, err);
  if (rc == REG_OK && cand->text_len > svc->max_schema_bytes)
    rc = reg_error_set(err, REG_ERR_SCHEMA_TOO_LARGE, "Register operation failed because schema is too large");
  return rc;
}

reg_code_t reg_svc_register(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                            const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_candidate_t cand = {0};
  *out = NULL;
  reg_code_t rc = request_checks(svc, subject, &cand, req, err);
  if (rc == REG_OK) {
    reg__wrlock(svc);
    rc = register_locked(svc, &cand, req, q, out, err);
    reg__unlock(svc);
  }
  if (rc != REG_OK) reg__metrics_registration(reg__metrics_registration_failure(rc));
  reg__candidate_fini(&cand);
  return rc;
}

/* ---- lookup ------------------------------------------------------------------ */

static reg_code_t lookup_locked(reg_service_t *svc, const char *subject, reg_candidate_t *cand,
                                const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_subject_t *subj = reg_index_subject(svc->idx, cand->qs.qname);
  if (!subj || (!q->deleted && !reg_subject_live_count(subj))) return reg__subject_not_found(subject, err);
  json_t *cfg = reg__config_effective(svc, &cand->qs);
  cand->normalize = q->normalize || json_is_true(json_object_get(cfg, "normalize"));
  reg_code_t rc = reg__candidate_prepare(svc, cand, false, true, err);
  reg_version_t *v = rc == REG_OK ? find_match(subj, cand, q->deleted) : NULL;
  if (rc == REG_OK && cand->parsed && !v && reg__contract_configured(cfg)) { /* §5.3 retry, merged */
    reg__contract_merge(cand, cfg, NULL);
    rc = reg__candidate_prepare(svc, cand, false, true, err);
    v = rc == REG_OK ? find_match(subj, cand, q->deleted) : NULL;
  }
  json_decref(cfg);
  if (rc != REG_OK) return rc;
  if (!cand->parsed) return reg__invalid_schema(cand, err);
  if (!v) return reg_error_set(err, REG_ERR_SCHEMA_NOT_FOUND, "Schema not found");
  *out = reg__schema_json(subj, v);
  return REG_OK;
}

reg_code_t reg_svc_lookup(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                          const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_candidate_t cand = {0};
  *out = NULL;
  reg_code_t rc = reg__qsub_parse(subject, &cand.qs, err);
  if (rc == REG_OK) rc = reg__candidate_init(svc, &cand, req, err);
  if (rc == REG_OK && !cand.text_len) rc = reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Empty schema");
  if (rc == REG_OK) {
    reg__rdlock(svc);
    rc = lookup_locked(svc, subject, &cand, q, out, err);
    reg__unlock(svc);
  }
  reg__candidate_fini(&cand);
  return rc;
}
