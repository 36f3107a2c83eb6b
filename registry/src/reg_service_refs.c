// SPDX-License-Identifier: Apache-2.0
/* Schema references (§5.10) and schema identity (§5.1): resolving a
 * references array depth-first into the dependency texts the parser needs
 * (version -1 = latest, stored concrete; limits REG_MAX_REFERENCES and
 * REG_MAX_REF_DEPTH), the lazily parsed cache of stored schemas, the MD5
 * identity, and the reverse question "who references this subject-version"
 * that guards deletes. Callers hold the service lock. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "log/log.h"
#include "reg_service_int.h"

static reg_code_t deps_add(reg_deps_t *d, const char *name, const char *text, size_t len, reg_error_t *err) {
  for (size_t i = 0; i < d->n; i++)
    if (strcmp(d->refs[i].name, name) == 0) return REG_OK; /* first binding wins */
  if (d->n >= REG_MAX_REFERENCES)
    return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema, details: more than %d references",
                         REG_MAX_REFERENCES);
  if (d->n == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 8;
    sch_reference_t *r = realloc(d->refs, cap * sizeof *r);
    if (!r) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
    d->refs = r;
    d->cap = cap;
  }
  d->refs[d->n++] = (sch_reference_t){name, text, len};
  return REG_OK;
}

/* The subject a reference names, qualified relative to its parent context. */
static reg_subject_t *ref_subject(reg_service_t *svc, const char *parent_ctx, const char *subject) {
  char *qname = NULL;
  if (subject[0] == ':' && subject[1] == '.') {
    reg_qsub_t q;
    if (reg__qsub_parse(subject, &q, NULL) != REG_OK) return NULL;
    qname = q.qname;
    q.qname = NULL;
    reg__qsub_fini(&q);
  } else {
    qname = reg__qualify(parent_ctx, subject);
  }
  reg_subject_t *subj = qname ? reg_index_subject(svc->idx, qname) : NULL;
  free(qname);
  return subj;
}

typedef struct walk {
  reg_service_t *svc;
  bool allow_deleted;
  reg_deps_t *deps;
  reg_error_t *err;
} walk_t;

static reg_code_t deps_walk(walk_t *w, const char *parent_ctx, json_t *refs, int depth, json_t *resolved);

static reg_code_t deps_one(walk_t *w, const char *parent_ctx, json_t *ref, int depth, json_t *resolved) {
  const char *name = json_string_value(json_object_get(ref, "name"));
  const char *subject = json_string_value(json_object_get(ref, "subject"));
  json_t *jv = json_object_get(ref, "version");
  int64_t version = json_is_integer(jv) ? json_integer_value(jv) : -1;
  if (!name || !subject)
    return reg_error_set(w->err, REG_ERR_INVALID_SCHEMA,
                         "Invalid schema, details: a reference needs a \"name\" and a \"subject\"");
  reg_version_t *ver = reg__version_find(ref_subject(w->svc, parent_ctx, subject), version, w->allow_deleted);
  if (!ver)
    return reg_error_set(w->err, REG_ERR_INVALID_SCHEMA,
                         "Invalid schema, details: No schema reference found for subject \"%.600s\" and version "
                         "%lld",
                         subject, (long long)version);
  if (resolved) {
    json_t *r = json_pack("{s:s, s:s, s:I}", "name", name, "subject", subject, "version", (json_int_t)ver->version);
    if (!r || json_array_append_new(resolved, r) != 0) return reg_error_set(w->err, REG_ERR_NOMEM, "out of memory");
  }
  reg_schema_rec_t *rec = ver->schema;
  if (rec->refs) {
    reg_code_t rc = deps_walk(w, rec->ctx->name, rec->refs, depth + 1, NULL);
    if (rc != REG_OK) return rc;
  }
  return deps_add(w->deps, name, rec->text, rec->text_len, w->err);
}

static reg_code_t deps_walk(walk_t *w, const char *parent_ctx, json_t *refs, int depth, json_t *resolved) {
  if (depth > REG_MAX_REF_DEPTH)
    return reg_error_set(w->err, REG_ERR_INVALID_SCHEMA, "Invalid schema, details: references nested deeper than %d",
                         REG_MAX_REF_DEPTH);
  if (json_array_size(refs) > REG_MAX_REFERENCES)
    return reg_error_set(w->err, REG_ERR_INVALID_SCHEMA, "Invalid schema, details: more than %d references",
                         REG_MAX_REFERENCES);
  size_t i;
  json_t *ref;
  json_array_foreach(refs, i, ref) {
    reg_code_t rc = deps_one(w, parent_ctx, ref, depth, resolved);
    if (rc != REG_OK) return rc;
  }
  return REG_OK;
}

reg_code_t reg__deps_resolve(reg_service_t *svc, const char *parent_ctx, json_t *refs, bool allow_deleted,
                             reg_deps_t *out, reg_error_t *err) {
  memset(out, 0, sizeof *out);
  if (!refs || json_is_null(refs)) return REG_OK;
  if (!json_is_array(refs))
    return reg_error_set(err, REG_ERR_INVALID_SCHEMA, "Invalid schema, details: \"references\" must be an array");
  out->resolved = json_array();
  if (!out->resolved) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  walk_t w = {svc, allow_deleted, out, err};
  return deps_walk(&w, parent_ctx, refs, 1, out->resolved);
}

void reg__deps_fini(reg_deps_t *deps) {
  if (!deps) return;
  free(deps->refs);
  json_decref(deps->resolved);
  memset(deps, 0, sizeof *deps);
}

const sch_schema_t *reg__schema_parsed(reg_service_t *svc, reg_schema_rec_t *rec) {
  pthread_mutex_lock(&svc->idx->parse_mu);
  if (!rec->parsed) {
    const sch_format_t *fmt = sch_format_find(rec->type);
    reg_deps_t deps;
    reg_error_t err = {0};
    sch_error_t serr = {0};
    if (fmt && reg__deps_resolve(svc, rec->ctx->name, rec->refs, true, &deps, &err) == REG_OK) {
      sch_parse_opts_t opts = {.refs = deps.refs, .n_refs = deps.n, .validate = false, .normalize = false};
      rec->parsed = sch_schema_parse(fmt, rec->text, rec->text_len, &opts, &serr);
    }
    reg__deps_fini(&deps);
    if (!rec->parsed)
      log_warn("registry", "stored schema %lld in context %s does not parse: %s %s", (long long)rec->id,
               rec->ctx->name, err.message, serr.message);
  }
  const sch_schema_t *parsed = rec->parsed;
  pthread_mutex_unlock(&svc->idx->parse_mu);
  return parsed;
}

static void md5_json(EVP_MD_CTX *md, json_t *value) {
  char *text = value ? json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
  if (value && !text) reg__fatal_oom("hashing a schema");
  if (text) EVP_DigestUpdate(md, text, strlen(text));
  EVP_DigestUpdate(md, "", 1);
  free(text);
}

void reg__identity(const char *type, const char *canonical, size_t len, json_t *refs, json_t *metadata,
                   json_t *rule_set, unsigned char md5[REG_MD5_LEN]) {
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  if (!md) reg__fatal_oom("hashing a schema");
  EVP_DigestInit_ex(md, EVP_md5(), NULL);
  EVP_DigestUpdate(md, type, strlen(type) + 1);
  EVP_DigestUpdate(md, canonical, len);
  EVP_DigestUpdate(md, "", 1);
  md5_json(md, refs && json_array_size(refs) ? refs : NULL);
  md5_json(md, metadata);
  md5_json(md, rule_set);
  unsigned int n = 0;
  EVP_DigestFinal_ex(md, md5, &n);
  EVP_MD_CTX_free(md);
}

/* ---- referenced-by ------------------------------------------------------------ */

typedef struct refby {
  reg_service_t *svc;
  const reg_subject_t *target;
  int64_t version;
  bool include_deleted;
  const reg_subject_t *except;
  json_t *ids; /* NULL: stop at the first hit */
  bool found;
} refby_t;

static bool referrer_counts(const reg_schema_rec_t *rec, const refby_t *q) {
  for (size_t i = 0; i < rec->n_uses; i++) {
    const reg_use_t *u = &rec->uses[i];
    if (u->subject == q->except) continue;
    reg_version_t *v = reg_subject_version(u->subject, u->version);
    if (v && (q->include_deleted || !v->deleted)) return true;
  }
  return false;
}

static int refby_schema(const void *k, size_t kl, void *value, void *arg) {
  (void)k, (void)kl;
  refby_t *q = arg;
  reg_schema_rec_t *rec = value;
  size_t i;
  json_t *ref;
  json_array_foreach(rec->refs, i, ref) {
    const char *subject = json_string_value(json_object_get(ref, "subject"));
    if (!subject || json_integer_value(json_object_get(ref, "version")) != q->version) continue;
    if (ref_subject(q->svc, rec->ctx->name, subject) != q->target || !referrer_counts(rec, q)) continue;
    q->found = true;
    if (!q->ids) return 1;
    json_array_append_new(q->ids, json_integer(rec->id));
    break;
  }
  return 0;
}

static int refby_ctx(const void *k, size_t kl, void *value, void *arg) {
  (void)k, (void)kl;
  refby_t *q = arg;
  reg_map_foreach(&((reg_ctx_t *)value)->by_id, refby_schema, arg);
  return q->found && !q->ids;
}

static int id_cmp(const void *a, const void *b) {
  json_int_t x = json_integer_value(*(json_t *const *)a), y = json_integer_value(*(json_t *const *)b);
  return x < y ? -1 : x > y;
}

json_t *reg__referenced_by(reg_service_t *svc, const reg_subject_t *subj, int64_t version, bool include_deleted) {
  refby_t q = {svc, subj, version, include_deleted, NULL, reg__json_or_oom(json_array()), false};
  reg_map_foreach(&svc->idx->ctxs, refby_ctx, &q);
  size_t n = json_array_size(q.ids);
  json_t **items = malloc((n + 1) * sizeof *items);
  if (!items) reg__fatal_oom("listing references");
  for (size_t i = 0; i < n; i++) items[i] = json_incref(json_array_get(q.ids, i));
  qsort(items, n, sizeof *items, id_cmp);
  json_array_clear(q.ids);
  for (size_t i = 0; i < n; i++) json_array_append_new(q.ids, items[i]);
  free(items);
  return q.ids;
}

bool reg__is_referenced(reg_service_t *svc, const reg_subject_t *subj, int64_t version, bool include_deleted,
                        const reg_subject_t *except) {
  refby_t q = {svc, subj, version, include_deleted, except, NULL, false};
  reg_map_foreach(&svc->idx->ctxs, refby_ctx, &q);
  return q.found;
}

reg_code_t reg__reference_exists(const reg_subject_t *subj, int64_t version, reg_error_t *err) {
  return reg_error_set(err, REG_ERR_REFERENCE_EXISTS,
                       "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=%.1200s,"
                       "version=%lld}.",
                       subj->qname, (long long)version);
}
