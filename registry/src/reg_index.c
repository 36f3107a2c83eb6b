// SPDX-License-Identifier: Apache-2.0
/* The in-memory index's records: contexts, schema records (by id and by
 * identity md5, with their subject-version back-references), subjects with
 * ordered versions, configs and modes. Pure bookkeeping: it applies changes
 * the service already committed to the store and never decides a rule. */
#include <stdlib.h>
#include <string.h>

#include "reg_index.h"

static void ctx_free(void *p) {
  reg_ctx_t *ctx = p;
  if (!ctx) return;
  reg_map_fini(&ctx->by_md5, NULL);
  reg_map_fini(&ctx->by_id, NULL); /* records are freed by the caller first */
  free(ctx->name);
  free(ctx);
}

static void schema_free(reg_schema_rec_t *rec) {
  if (!rec) return;
  sch_schema_destroy(rec->parsed);
  free(rec->id_body);
  json_decref(rec->refs);
  json_decref(rec->metadata);
  json_decref(rec->rule_set);
  free(rec->type);
  free(rec->text);
  free(rec->uses);
  free(rec);
}

static int ctx_free_schemas(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl, (void)arg;
  schema_free(v);
  return 0;
}

static int ctx_free_all(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl, (void)arg;
  reg_ctx_t *ctx = v;
  reg_map_foreach(&ctx->by_id, ctx_free_schemas, NULL);
  ctx_free(ctx);
  return 0;
}

static void subject_free(void *p) {
  reg_subject_t *s = p;
  if (!s) return;
  free(s->qname);
  free(s->name);
  free(s->versions);
  free(s);
}

static void json_free(void *p) { json_decref(p); }

reg_index_t *reg_index_new(void) {
  reg_index_t *idx = calloc(1, sizeof *idx);
  if (!idx) return NULL;
  reg_map_init(&idx->ctxs);
  reg_map_init(&idx->subjects);
  reg_map_init(&idx->configs);
  reg_map_init(&idx->modes);
  pthread_mutex_init(&idx->parse_mu, NULL);
  pthread_mutex_init(&idx->sorted_mu, NULL);
  reg_ctx_t *def = reg_index_ctx(idx, ".", true);
  if (!def) {
    reg_index_destroy(idx);
    return NULL;
  }
  def->listed = true;
  return idx;
}

void reg_index_destroy(reg_index_t *idx) {
  if (!idx) return;
  reg_map_foreach(&idx->ctxs, ctx_free_all, NULL);
  reg_map_fini(&idx->ctxs, NULL);
  reg_map_fini(&idx->subjects, subject_free);
  reg_map_fini(&idx->configs, json_free);
  reg_map_fini(&idx->modes, free);
  pthread_mutex_destroy(&idx->parse_mu);
  pthread_mutex_destroy(&idx->sorted_mu);
  free(idx->sorted);
  free(idx);
}

reg_ctx_t *reg_index_ctx(reg_index_t *idx, const char *name, bool create) {
  reg_ctx_t *ctx = reg_map_sget(&idx->ctxs, name);
  if (ctx || !create) return ctx;
  ctx = calloc(1, sizeof *ctx);
  if (!ctx) return NULL;
  ctx->name = strdup(name);
  reg_map_init(&ctx->by_id);
  reg_map_init(&ctx->by_md5);
  if (!ctx->name || reg_map_sput(&idx->ctxs, name, ctx, NULL) != 0) {
    ctx_free(ctx);
    return NULL;
  }
  return ctx;
}

reg_schema_rec_t *reg_index_schema_by_id(const reg_ctx_t *ctx, int64_t id) {
  return reg_map_get(&ctx->by_id, &id, sizeof id);
}

reg_schema_rec_t *reg_index_schema_by_md5(const reg_ctx_t *ctx, const unsigned char *md5) {
  return reg_map_get(&ctx->by_md5, md5, REG_MD5_LEN);
}

static reg_schema_rec_t *schema_new(reg_ctx_t *ctx, const reg_schema_init_t *init) {
  reg_schema_rec_t *rec = calloc(1, sizeof *rec);
  if (!rec) return NULL;
  rec->ctx = ctx;
  rec->id = init->id;
  rec->type = strdup(init->type);
  rec->text = malloc(init->text_len + 1);
  if (!rec->type || !rec->text) {
    schema_free(rec);
    return NULL;
  }
  memcpy(rec->text, init->text, init->text_len);
  rec->text[init->text_len] = '\0';
  rec->text_len = init->text_len;
  rec->refs = json_incref(init->refs);
  rec->metadata = json_incref(init->metadata);
  rec->rule_set = json_incref(init->rule_set);
  memcpy(rec->md5, init->md5, REG_MD5_LEN);
  return rec;
}

reg_schema_rec_t *reg_index_schema_add(reg_index_t *idx, reg_ctx_t *ctx, const reg_schema_init_t *init) {
  reg_schema_rec_t *rec = reg_index_schema_by_id(ctx, init->id);
  if (rec) return rec;
  rec = schema_new(ctx, init);
  if (!rec) return NULL;
  if (reg_map_put(&ctx->by_id, &rec->id, sizeof rec->id, rec, NULL) != 0) {
    schema_free(rec);
    return NULL;
  }
  if (!reg_index_schema_by_md5(ctx, rec->md5) && reg_map_put(&ctx->by_md5, rec->md5, REG_MD5_LEN, rec, NULL) != 0) {
    reg_map_remove(&ctx->by_id, &rec->id, sizeof rec->id);
    schema_free(rec);
    return NULL;
  }
  if (rec->id > ctx->max_id) ctx->max_id = rec->id;
  idx->n_schemas++;
  return rec;
}

void reg_index_schema_remove(reg_index_t *idx, reg_schema_rec_t *rec) {
  reg_ctx_t *ctx = rec->ctx;
  reg_map_remove(&ctx->by_id, &rec->id, sizeof rec->id);
  if (reg_index_schema_by_md5(ctx, rec->md5) == rec) reg_map_remove(&ctx->by_md5, rec->md5, REG_MD5_LEN);
  idx->n_schemas--;
  schema_free(rec);
}

reg_subject_t *reg_index_subject(const reg_index_t *idx, const char *qname) {
  return reg_map_sget(&idx->subjects, qname);
}

reg_subject_t *reg_index_subject_add(reg_index_t *idx, reg_ctx_t *ctx, const char *qname, const char *name) {
  reg_subject_t *s = reg_index_subject(idx, qname);
  if (s) return s;
  s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->qname = strdup(qname);
  s->name = strdup(name);
  s->ctx = ctx;
  if (!s->qname || !s->name || reg_map_sput(&idx->subjects, qname, s, NULL) != 0) {
    subject_free(s);
    return NULL;
  }
  ctx->n_subjects++;
  idx->sorted_valid = false;
  return s;
}

/* Binary search: index of the first version >= v. */
static size_t version_pos(const reg_subject_t *subj, int64_t v) {
  size_t lo = 0, hi = subj->n_versions;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (subj->versions[mid].version < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

reg_version_t *reg_subject_version(const reg_subject_t *subj, int64_t version) {
  size_t i = version_pos(subj, version);
  return i < subj->n_versions && subj->versions[i].version == version ? &subj->versions[i] : NULL;
}

reg_version_t *reg_subject_latest(const reg_subject_t *subj, bool include_deleted) {
  for (size_t i = subj->n_versions; i > 0; i--) {
    if (include_deleted || !subj->versions[i - 1].deleted) return &subj->versions[i - 1];
  }
  return NULL;
}

int64_t reg_subject_max_version(const reg_subject_t *subj) {
  return subj->n_versions ? subj->versions[subj->n_versions - 1].version : 0;
}

size_t reg_subject_live_count(const reg_subject_t *subj) {
  size_t n = 0;
  for (size_t i = 0; i < subj->n_versions; i++) n += !subj->versions[i].deleted;
  return n;
}

static int use_add(reg_schema_rec_t *rec, reg_subject_t *subj, int64_t version) {
  if (rec->n_uses == rec->cap_uses) {
    size_t cap = rec->cap_uses ? rec->cap_uses * 2 : 2;
    reg_use_t *u = realloc(rec->uses, cap * sizeof *u);
    if (!u) return -1;
    rec->uses = u;
    rec->cap_uses = cap;
  }
  rec->uses[rec->n_uses++] = (reg_use_t){subj, version};
  return 0;
}

static void use_remove(reg_schema_rec_t *rec, const reg_subject_t *subj, int64_t version) {
  for (size_t i = 0; i < rec->n_uses; i++) {
    if (rec->uses[i].subject == subj && rec->uses[i].version == version) {
      rec->uses[i] = rec->uses[--rec->n_uses];
      return;
    }
  }
}

static int versions_reserve(reg_subject_t *subj) {
  if (subj->n_versions < subj->cap_versions) return 0;
  size_t cap = subj->cap_versions ? subj->cap_versions * 2 : 4;
  reg_version_t *v = realloc(subj->versions, cap * sizeof *v);
  if (!v) return -1;
  subj->versions = v;
  subj->cap_versions = cap;
  return 0;
}

int reg_index_version_put(reg_index_t *idx, reg_subject_t *subj, const reg_version_t *v) {
  reg_version_t *cur = reg_subject_version(subj, v->version);
  if (cur && cur->schema == v->schema) {
    *cur = *v;
    return 0;
  }
  if (use_add(v->schema, subj, v->version) != 0) return -1;
  if (cur) {
    reg_schema_rec_t *old = cur->schema;
    *cur = *v;
    use_remove(old, subj, v->version);
    if (!old->n_uses) reg_index_schema_remove(idx, old);
    return 0;
  }
  if (versions_reserve(subj) != 0) {
    use_remove(v->schema, subj, v->version);
    return -1;
  }
  size_t i = version_pos(subj, v->version);
  memmove(&subj->versions[i + 1], &subj->versions[i], (subj->n_versions - i) * sizeof *v);
  subj->versions[i] = *v;
  subj->n_versions++;
  return 0;
}

bool reg_index_version_remove(reg_index_t *idx, reg_subject_t *subj, int64_t version) {
  size_t i = version_pos(subj, version);
  if (i >= subj->n_versions || subj->versions[i].version != version) return false;
  reg_schema_rec_t *rec = subj->versions[i].schema;
  memmove(&subj->versions[i], &subj->versions[i + 1], (subj->n_versions - i - 1) * sizeof *subj->versions);
  subj->n_versions--;
  use_remove(rec, subj, version);
  if (!rec->n_uses) reg_index_schema_remove(idx, rec);
  if (subj->n_versions) return false;
  reg_map_sremove(&idx->subjects, subj->qname);
  idx->sorted_valid = false;
  subj->ctx->n_subjects--;
  subject_free(subj);
  return true;
}

typedef struct collect {
  reg_subject_t **items;
  size_t n;
} collect_t;

static int collect_subject(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl;
  collect_t *c = arg;
  c->items[c->n++] = v;
  return 0;
}

static int subject_cmp(const void *a, const void *b) {
  const reg_subject_t *x = *(reg_subject_t *const *)a, *y = *(reg_subject_t *const *)b;
  return strcmp(x->qname, y->qname);
}

int reg_index_subjects_sorted(reg_index_t *idx, reg_subject_t *const **out, size_t *n) {
  int rc = 0;
  pthread_mutex_lock(&idx->sorted_mu);
  if (!idx->sorted_valid) {
    collect_t c = {calloc(idx->subjects.count + 1, sizeof(reg_subject_t *)), 0};
    if (c.items) {
      reg_map_foreach(&idx->subjects, collect_subject, &c);
      qsort(c.items, c.n, sizeof *c.items, subject_cmp);
      free(idx->sorted);
      idx->sorted = c.items;
      idx->n_sorted = c.n;
      idx->sorted_valid = true;
    } else {
      rc = -1;
    }
  }
  *out = idx->sorted;
  *n = idx->n_sorted;
  pthread_mutex_unlock(&idx->sorted_mu);
  return rc;
}

json_t *reg_index_config(const reg_index_t *idx, const char *key) { return reg_map_sget(&idx->configs, key); }

int reg_index_config_set(reg_index_t *idx, const char *key, json_t *config_take) {
  void *old = NULL;
  if (reg_map_sput(&idx->configs, key, config_take, &old) != 0) {
    json_decref(config_take);
    return -1;
  }
  json_decref(old);
  return 0;
}

void reg_index_config_remove(reg_index_t *idx, const char *key) { json_decref(reg_map_sremove(&idx->configs, key)); }

const char *reg_index_mode(const reg_index_t *idx, const char *key) { return reg_map_sget(&idx->modes, key); }

int reg_index_mode_set(reg_index_t *idx, const char *key, const char *mode) {
  char *copy = strdup(mode);
  void *old = NULL;
  if (!copy || reg_map_sput(&idx->modes, key, copy, &old) != 0) {
    free(copy);
    return -1;
  }
  free(old);
  return 0;
}

void reg_index_mode_remove(reg_index_t *idx, const char *key) { free(reg_map_sremove(&idx->modes, key)); }
