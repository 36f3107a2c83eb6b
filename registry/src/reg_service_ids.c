// SPDX-License-Identifier: Apache-2.0
/* Schema reads by id and listings of schemas (§4.3, §5.9): GET /schemas,
 * /schemas/ids/{id}[/schema|/subjects|/versions]. Ids are per context: no
 * ?subject means the default context, a qualified subject or ":.ctx:" picks
 * one, and an unqualified subject that does not hold the id by default is
 * retried in every context (Confluent's getSchemaKeyUsingContexts). */
#include <stdlib.h>
#include <string.h>

#include "reg_service_int.h"

/* Newest use of rec by subject qname (live preferred), or NULL. */
static const reg_use_t *use_in(const reg_schema_rec_t *rec, const char *qname) {
  const reg_use_t *best = NULL;
  for (size_t i = 0; i < rec->n_uses; i++) {
    const reg_use_t *u = &rec->uses[i];
    if (strcmp(u->subject->qname, qname) != 0) continue;
    if (!best || u->version > best->version) best = u;
  }
  return best;
}

typedef struct id_find {
  reg_service_t *svc;
  int64_t id;
  const char *name;
  reg_schema_rec_t *rec;
  const reg_use_t *use;
} id_find_t;

static int find_in_ctx(const void *k, size_t kl, void *value, void *arg) {
  (void)k, (void)kl;
  id_find_t *f = arg;
  reg_ctx_t *ctx = value;
  reg_schema_rec_t *rec = reg_index_schema_by_id(ctx, f->id);
  char *qname = rec ? reg__qualify(ctx->name, f->name) : NULL;
  const reg_use_t *use = qname ? use_in(rec, qname) : NULL;
  free(qname);
  if (!use) return 0;
  f->rec = rec;
  f->use = use;
  return 1;
}

/* The record for id as selected by ?subject (see file comment). *use is the
 * subject's version holding it when a subject name was given. */
static reg_schema_rec_t *id_lookup(reg_service_t *svc, int64_t id, const char *subject, const reg_use_t **use) {
  *use = NULL;
  reg_qsub_t qs;
  if (reg__qsub_parse(subject ? subject : "", &qs, NULL) != REG_OK) return NULL;
  reg_ctx_t *ctx = reg_index_ctx(svc->idx, qs.ctx, false);
  reg_schema_rec_t *rec = ctx ? reg_index_schema_by_id(ctx, id) : NULL;
  if (rec && qs.name[0]) *use = use_in(rec, qs.qname);
  bool unqualified = subject && subject[0] && !(subject[0] == ':' && subject[1] == '.');
  if (unqualified && !*use) {
    id_find_t f = {svc, id, qs.name, NULL, NULL};
    reg_map_foreach(&svc->idx->ctxs, find_in_ctx, &f);
    if (f.rec) {
      rec = f.rec;
      *use = f.use;
    }
  }
  reg__qsub_fini(&qs);
  return rec;
}

static reg_code_t id_not_found(int64_t id, reg_error_t *err) {
  return reg_error_set(err, REG_ERR_SCHEMA_NOT_FOUND, "Schema %lld not found", (long long)id);
}

/* The SchemaString object (§3.3) of rec; use fills subject/version. */
static json_t *schema_string_json(const reg_schema_rec_t *rec, const reg_use_t *use, bool max_id) {
  json_t *o = reg__json_or_oom(json_object());
  if (use) {
    json_object_set_new(o, "subject", json_string(use->subject->qname));
    json_object_set_new(o, "version", json_integer(use->version));
  }
  json_object_set_new(o, "schemaType", json_string(rec->type));
  json_object_set_new(o, "schema", json_stringn(rec->text, rec->text_len));
  reg__add_extras(o, rec);
  reg__add_guid(o, rec);
  if (max_id) json_object_set_new(o, "maxId", json_integer(rec->ctx->max_id));
  return o;
}

reg_code_t reg_svc_get_schema_by_id(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                    reg_error_t *err) {
  const reg_use_t *use = NULL;
  *out = NULL;
  reg__rdlock(svc);
  reg_schema_rec_t *rec = id_lookup(svc, id, q->subject, &use);
  if (rec) {
    *out = schema_string_json(rec, use, q->fetch_max_id);
    reg__apply_format(svc, rec, q->format, *out);
  }
  reg__unlock(svc);
  return rec ? REG_OK : id_not_found(id, err);
}

/* The cached query-less body of rec, rendered and published on first use
 * (two readers may render at once; the loser frees its copy). NULL when out
 * of memory. Caller holds the read lock, which keeps rec alive. */
static const reg_body_t *id_body(reg_schema_rec_t *rec) {
  reg_body_t *b = __atomic_load_n(&rec->id_body, __ATOMIC_ACQUIRE);
  if (b) return b;
  json_t *o = schema_string_json(rec, NULL, false);
  char *text = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  size_t len = text ? strlen(text) : 0;
  b = text ? malloc(sizeof *b + len + 1) : NULL;
  if (b) {
    b->len = len;
    memcpy(b->text, text, len + 1);
  }
  free(text);
  reg_body_t *seen = NULL;
  if (b && !__atomic_compare_exchange_n(&rec->id_body, &seen, b, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    free(b);
    b = seen;
  }
  return b;
}

reg_code_t reg_svc_get_schema_by_id_body(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         size_t *out_len, reg_error_t *err) {
  *out_text = NULL;
  *out_len = 0;
  if (q->subject || q->fetch_max_id || q->format) { /* per-request shapes: render them */
    json_t *o = NULL;
    reg_code_t rc = reg_svc_get_schema_by_id(svc, id, q, &o, err);
    if (rc != REG_OK) return rc;
    *out_text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!*out_text) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
    *out_len = strlen(*out_text);
    return REG_OK;
  }
  reg__rdlock(svc);
  reg_ctx_t *ctx = reg_index_ctx(svc->idx, REG_CTX_DEFAULT, false);
  reg_schema_rec_t *rec = ctx ? reg_index_schema_by_id(ctx, id) : NULL;
  const reg_body_t *b = rec ? id_body(rec) : NULL;
  if (b && (*out_text = malloc(b->len + 1))) {
    memcpy(*out_text, b->text, b->len + 1);
    *out_len = b->len;
  }
  reg__unlock(svc);
  if (!rec) return id_not_found(id, err);
  return *out_text ? REG_OK : reg_error_set(err, REG_ERR_NOMEM, "out of memory");
}

reg_code_t reg_svc_get_schema_text_by_id(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         reg_error_t *err) {
  const reg_use_t *use = NULL;
  *out_text = NULL;
  reg__rdlock(svc);
  reg_schema_rec_t *rec = id_lookup(svc, id, q->subject, &use);
  reg_code_t rc = rec ? REG_OK : id_not_found(id, err);
  if (rec && !(*out_text = strndup(rec->text, rec->text_len))) rc = reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  reg__unlock(svc);
  return rc;
}

static int use_cmp(const void *a, const void *b) {
  const reg_use_t *x = a, *y = b;
  int c = strcmp(x->subject->qname, y->subject->qname);
  return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* The uses of id (live, or all with ?deleted), sorted by subject, version. */
static reg_code_t id_uses(reg_service_t *svc, int64_t id, const reg_query_t *q, reg_use_t **uses, size_t *n,
                          reg_error_t *err) {
  const reg_use_t *use = NULL;
  reg_schema_rec_t *rec = id_lookup(svc, id, q->subject, &use);
  *uses = NULL;
  *n = 0;
  if (!rec) return id_not_found(id, err);
  *uses = calloc(rec->n_uses + 1, sizeof **uses);
  if (!*uses) return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < rec->n_uses; i++) {
    reg_version_t *v = reg_subject_version(rec->uses[i].subject, rec->uses[i].version);
    if (v && (q->deleted || !v->deleted)) (*uses)[(*n)++] = rec->uses[i];
  }
  qsort(*uses, *n, sizeof **uses, use_cmp);
  return *n ? REG_OK : id_not_found(id, err);
}

reg_code_t reg_svc_get_id_subjects(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                   reg_error_t *err) {
  reg_use_t *uses = NULL;
  size_t n = 0;
  *out = NULL;
  reg__rdlock(svc);
  reg_code_t rc = id_uses(svc, id, q, &uses, &n, err);
  json_t *arr = rc == REG_OK ? reg__json_or_oom(json_array()) : NULL;
  for (size_t i = 0; arr && i < n; i++) {
    if (i == 0 || uses[i].subject != uses[i - 1].subject)
      json_array_append_new(arr, json_string(uses[i].subject->qname));
  }
  reg__unlock(svc);
  free(uses);
  if (arr) *out = reg__paginate(arr, q->offset, q->limit, -1);
  return rc;
}

reg_code_t reg_svc_get_id_versions(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                   reg_error_t *err) {
  reg_use_t *uses = NULL;
  size_t n = 0;
  *out = NULL;
  reg__rdlock(svc);
  reg_code_t rc = id_uses(svc, id, q, &uses, &n, err);
  json_t *arr = rc == REG_OK ? reg__json_or_oom(json_array()) : NULL;
  for (size_t i = 0; arr && i < n; i++)
    json_array_append_new(arr, json_pack("{s:s, s:I}", "subject", uses[i].subject->qname, "version",
                                         (json_int_t)uses[i].version));
  reg__unlock(svc);
  free(uses);
  if (arr) *out = reg__paginate(arr, q->offset, q->limit, -1);
  return rc;
}

/* ---- GET /schemas -------------------------------------------------------------- */

static void list_subject_schemas(json_t *arr, const reg_subject_t *subj, const reg_query_t *q) {
  if (q->latest_only) {
    reg_version_t *v = reg_subject_latest(subj, q->deleted);
    if (v) json_array_append_new(arr, reg__schema_json(subj, v));
    return;
  }
  for (size_t i = 0; i < subj->n_versions; i++) {
    const reg_version_t *v = &subj->versions[i];
    if (q->deleted || !v->deleted) json_array_append_new(arr, reg__schema_json(subj, v));
  }
}

reg_code_t reg_svc_list_schemas(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err) {
  reg_subject_t *const *subjects = NULL;
  size_t n = 0;
  reg__rdlock(svc);
  if (reg_index_subjects_sorted(svc->idx, &subjects, &n) != 0) {
    reg__unlock(svc);
    return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  }
  json_t *arr = reg__json_or_oom(json_array());
  for (size_t i = 0; i < n; i++)
    if (reg__prefix_match(subjects[i], q->subject_prefix)) list_subject_schemas(arr, subjects[i], q);
  reg__unlock(svc);
  *out = reg__paginate(arr, q->offset, q->limit, REG_SCHEMAS_DEFAULT_LIMIT);
  return REG_OK;
}
