// SPDX-License-Identifier: Apache-2.0
/* The registry's in-memory index: every read is served from here. It owns the
 * records (schemas per context by id and by identity md5, subjects with their
 * ordered versions, configs, modes, per-context max ids, listed contexts) and
 * a small blob-keyed hash map used for all of them. It knows nothing of SQL,
 * HTTP or Confluent rules; reg_service decides what to change, commits it to
 * reg_store, then mirrors it here. Not thread-safe: the service's rwlock
 * guards it (only the lazily parsed schema cache has its own mutex). */
#ifndef WEIR_REGISTRY_REG_INDEX_H
#define WEIR_REGISTRY_REG_INDEX_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schemas/schemas.h"

#define REG_MD5_LEN 16

/* ---- blob-keyed hash map (chained, power-of-two buckets) ---------------- */

typedef struct reg_map_entry {
  struct reg_map_entry *next;
  uint64_t hash;
  size_t key_len;
  void *value;
  unsigned char key[]; /* copied key bytes */
} reg_map_entry_t;

typedef struct reg_map {
  reg_map_entry_t **buckets;
  size_t n_buckets; /* 0 or a power of two */
  size_t count;
} reg_map_t;

void reg_map_init(reg_map_t *map);
/* Frees the entries; calls free_value(value) on each when not NULL. */
void reg_map_fini(reg_map_t *map, void (*free_value)(void *value));
void *reg_map_get(const reg_map_t *map, const void *key, size_t key_len);
/* Inserts or replaces. Returns 0, or -1 on allocation failure. *old (may be
 * NULL) receives the replaced value or NULL. */
int reg_map_put(reg_map_t *map, const void *key, size_t key_len, void *value, void **old);
/* Removes the key; returns its value or NULL. */
void *reg_map_remove(reg_map_t *map, const void *key, size_t key_len);
/* Calls fn on every entry; stops when fn returns non-zero. The map must not be
 * modified during the walk. */
void reg_map_foreach(const reg_map_t *map, int (*fn)(const void *key, size_t key_len, void *value, void *arg),
                     void *arg);
/* String-key conveniences (key = the bytes of s, without the NUL). */
void *reg_map_sget(const reg_map_t *map, const char *s);
int reg_map_sput(reg_map_t *map, const char *s, void *value, void **old);
void *reg_map_sremove(reg_map_t *map, const char *s);

/* ---- records --------------------------------------------------------------- */

typedef struct reg_ctx reg_ctx_t;
typedef struct reg_subject reg_subject_t;
typedef struct reg_schema_rec reg_schema_rec_t;

/* A rendered response body, immutable once published. */
typedef struct reg_body {
  size_t len;
  char text[]; /* len bytes plus a NUL */
} reg_body_t;

/* One subject-version carrying a schema (the schema's back-references). */
typedef struct reg_use {
  reg_subject_t *subject;
  int64_t version;
} reg_use_t;

struct reg_schema_rec {
  reg_ctx_t *ctx;
  int64_t id;
  char *type;  /* "AVRO", "PROTOBUF", "JSON" */
  char *text;  /* canonical text, NUL-terminated */
  size_t text_len;
  json_t *refs;     /* array of {name, subject, version(concrete)} or NULL */
  json_t *metadata; /* object or NULL */
  json_t *rule_set; /* object or NULL */
  unsigned char md5[REG_MD5_LEN];
  sch_schema_t *parsed; /* lazy; filled under reg_index.parse_mu */
  /* GET /schemas/ids/{id} body without query parameters: rendered on first
   * use and published with an atomic compare-and-swap (records never change;
   * it is freed with the record on a hard delete). */
  reg_body_t *id_body;
  reg_use_t *uses;
  size_t n_uses, cap_uses;
};

typedef struct reg_version {
  int64_t version;
  reg_schema_rec_t *schema;
  bool deleted;
  int64_t ts; /* registration time, ms since the epoch */
} reg_version_t;

struct reg_subject {
  char *qname; /* qualified: "name" (default context) or ":.ctx:name" */
  char *name;  /* unqualified */
  reg_ctx_t *ctx;
  reg_version_t *versions; /* ascending by version */
  size_t n_versions, cap_versions;
};

struct reg_ctx {
  char *name;         /* "." or ".ctx" */
  reg_map_t by_id;    /* int64 id -> reg_schema_rec_t* (owned) */
  reg_map_t by_md5;   /* md5 -> reg_schema_rec_t* (borrowed) */
  int64_t max_id;     /* highest id ever handed out in this context */
  bool listed;        /* shown by GET /contexts */
  size_t n_subjects;  /* subjects (with any version) in this context */
};

/* What a new schema record is built from. Strings are copied; the json
 * values are referenced (json_incref). */
typedef struct reg_schema_init {
  int64_t id;
  const char *type;
  const char *text;
  size_t text_len;
  json_t *refs, *metadata, *rule_set;
  const unsigned char *md5;
} reg_schema_init_t;

typedef struct reg_index {
  reg_map_t ctxs;     /* name -> reg_ctx_t* (owned) */
  reg_map_t subjects; /* qname -> reg_subject_t* (owned) */
  reg_map_t configs;  /* key -> json_t* (owned) */
  reg_map_t modes;    /* key -> char* (owned) */
  size_t n_schemas;
  pthread_mutex_t parse_mu; /* guards reg_schema_rec_t.parsed fills */
  /* Subjects sorted by qname for listings, rebuilt lazily after a subject is
   * added or removed (writers hold the service's write lock; concurrent
   * readers serialise the rebuild on sorted_mu). */
  reg_subject_t **sorted;
  size_t n_sorted;
  bool sorted_valid;
  pthread_mutex_t sorted_mu;
} reg_index_t;

/* Returns a new empty index holding the default context ".". Release with
 * reg_index_destroy. NULL on allocation failure. */
reg_index_t *reg_index_new(void);
void reg_index_destroy(reg_index_t *idx); /* accepts NULL */

/* The context named `name` ("." or ".ctx"); create=true adds it when missing
 * (NULL only on allocation failure). */
reg_ctx_t *reg_index_ctx(reg_index_t *idx, const char *name, bool create);

reg_schema_rec_t *reg_index_schema_by_id(const reg_ctx_t *ctx, int64_t id);
reg_schema_rec_t *reg_index_schema_by_md5(const reg_ctx_t *ctx, const unsigned char *md5);
/* Adds a schema record (raising ctx->max_id to at least its id). An id
 * already present is replaced only if absent; the md5 map keeps its first
 * binding. Returns the record or NULL on allocation failure. */
reg_schema_rec_t *reg_index_schema_add(reg_index_t *idx, reg_ctx_t *ctx, const reg_schema_init_t *init);
/* Removes and frees a record that no version uses any more. */
void reg_index_schema_remove(reg_index_t *idx, reg_schema_rec_t *rec);

reg_subject_t *reg_index_subject(const reg_index_t *idx, const char *qname);
/* Finds or creates the subject (qname qualified, name unqualified). */
reg_subject_t *reg_index_subject_add(reg_index_t *idx, reg_ctx_t *ctx, const char *qname, const char *name);

/* Version lookups inside a subject (NULL when absent). */
reg_version_t *reg_subject_version(const reg_subject_t *subj, int64_t version);
reg_version_t *reg_subject_latest(const reg_subject_t *subj, bool include_deleted);
int64_t reg_subject_max_version(const reg_subject_t *subj); /* 0 when none */
size_t reg_subject_live_count(const reg_subject_t *subj);

/* Inserts (or replaces) version v of subj. Returns 0 or -1 (allocation). */
int reg_index_version_put(reg_index_t *idx, reg_subject_t *subj, const reg_version_t *v);
/* Removes version v; frees the schema record when nothing uses it and the
 * subject when it has no version left. Returns true if the subject was freed. */
bool reg_index_version_remove(reg_index_t *idx, reg_subject_t *subj, int64_t version);

/* Subjects sorted by qname. *out is borrowed: valid while the caller holds
 * the service lock (no subject can be added or removed meanwhile). Sorting
 * happens only after the subject set changed. Returns 0, or -1 when out of
 * memory. */
int reg_index_subjects_sorted(reg_index_t *idx, reg_subject_t *const **out, size_t *n);

/* Config (json object, owned by the index) and mode per key ("" = global,
 * ":.ctx:" = context, qname = subject). set_* take ownership. */
json_t *reg_index_config(const reg_index_t *idx, const char *key);
int reg_index_config_set(reg_index_t *idx, const char *key, json_t *config_take);
void reg_index_config_remove(reg_index_t *idx, const char *key);
const char *reg_index_mode(const reg_index_t *idx, const char *key);
int reg_index_mode_set(reg_index_t *idx, const char *key, const char *mode);
void reg_index_mode_remove(reg_index_t *idx, const char *key);

#endif
