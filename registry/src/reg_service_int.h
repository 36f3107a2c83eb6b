// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the reg_service*.c files: the service struct (lock,
 * store, index, options), qualified-subject parsing, effective config/mode
 * resolution, version-string parsing, reference resolution, the lazy parse
 * cache, JSON renderers and the commit-then-mirror write helpers. Nothing here
 * is visible outside registry/src. */
#ifndef WEIR_REGISTRY_REG_SERVICE_INT_H
#define WEIR_REGISTRY_REG_SERVICE_INT_H

#include <pthread.h>

#include "reg_index.h"
#include "reg_service.h"
#include "reg_store.h"
#include "schemas/schemas.h"

/* Limits (documented in docs and enforced everywhere): */
#define REG_SUBJECT_MAX_BYTES 1024 /* qualified subject name */
#define REG_MAX_REFERENCES 1000    /* references of one schema, transitively */
#define REG_MAX_REF_DEPTH 32       /* nesting of references */
#define REG_SCHEMAS_DEFAULT_LIMIT 1000
#define REG_CTX_DEFAULT "."
#define REG_CTX_GLOBAL ".__GLOBAL"
#define REG_KEY_GLOBAL ""              /* config/mode key of the default context */
#define REG_KEY_CROSS ":.__GLOBAL:"    /* cross-context global config/mode key */

struct reg_service {
  pthread_rwlock_t lock; /* reads shared, writes exclusive */
  reg_store_t *store;
  reg_index_t *idx;
  char *default_compat; /* upper-case level name */
  size_t max_schema_bytes;
  bool mode_mutability;
  /* GET /health's last answer (reg_service_health.c), under health_mu. */
  pthread_mutex_t health_mu;
  int64_t health_checked_ms; /* CLOCK_MONOTONIC; 0 = never */
  reg_error_t health;        /* code REG_OK or REG_ERR_STORE */
};

/* ---- qualified subjects (reg_subject.c) ---------------------------------- */

typedef struct reg_qsub {
  char *ctx;   /* "." or ".ctx" */
  char *name;  /* unqualified name */
  char *qname; /* "name" in the default context, ":.ctx:name" elsewhere */
} reg_qsub_t;

/* Splits ":.ctx:name" (or "name") into its parts. Only fails on memory. */
reg_code_t reg__qsub_parse(const char *subject, reg_qsub_t *out, reg_error_t *err);
void reg__qsub_fini(reg_qsub_t *q);
/* Qualified name of (ctx, name), malloc'd. */
char *reg__qualify(const char *ctx, const char *name);
/* The registration rules of §5.2 step 1 (42208 with Confluent's message). */
reg_code_t reg__subject_validate(const char *raw, const reg_qsub_t *q, reg_error_t *err);
/* Config/mode key of the context ("" for the default one, ":.ctx:" else). */
char *reg__ctx_key(const char *ctx);
/* Does qname's subject match the subjectPrefix filter (NULL = all)? */
bool reg__prefix_match(const reg_subject_t *subj, const char *prefix);

/* ---- service helpers (reg_service.c) -------------------------------------- */

void reg__rdlock(reg_service_t *svc);
void reg__wrlock(reg_service_t *svc);
void reg__unlock(reg_service_t *svc);
/* Aborts: the index could not mirror a committed change (out of memory). */
_Noreturn void reg__fatal_oom(const char *what);

/* "READWRITE" etc.: subject key -> its context -> global -> cross-context. */
const char *reg__mode_effective(reg_service_t *svc, const reg_qsub_t *q);
/* A new config object: the record found along the chain merged with the
 * global flags, compatibilityLevel always present. Caller json_decref's. */
json_t *reg__config_effective(reg_service_t *svc, const reg_qsub_t *q);
sch_compat_level_t reg__compat_level(reg_service_t *svc, const reg_qsub_t *q);
/* Parses a path version: sets *out to N >= 1, or -1 for "latest"/"-1".
 * Anything else -> 42202 with Confluent's message. */
reg_code_t reg__version_parse(const char *text, int64_t *out, reg_error_t *err);
/* Finds the version (v = -1: latest; include_deleted as asked). */
reg_version_t *reg__version_find(const reg_subject_t *subj, int64_t v, bool include_deleted);
/* The Schema object (§3.2) of one subject version. New reference. */
json_t *reg__schema_json(const reg_subject_t *subj, const reg_version_t *v);
/* Adds "references"/"metadata"/"ruleSet" of rec to obj when present. */
void reg__add_extras(json_t *obj, const reg_schema_rec_t *rec);
/* Adds "guid": the UUID spelling of rec's identity md5 (§5.13). */
void reg__add_guid(json_t *obj, const reg_schema_rec_t *rec);
/* Writes the UUID spelling of md5 into out (37 bytes with the NUL). */
void reg__guid_format(const unsigned char md5[REG_MD5_LEN], char out[37]);
/* Applies offset/limit to a JSON array (takes it, returns a new one). */
json_t *reg__paginate(json_t *arr_take, int64_t offset, int64_t limit, int64_t default_limit);
json_t *reg__json_or_oom(json_t *value);
/* Is `mode` one of READONLY / READONLY_OVERRIDE? */
bool reg__mode_readonly(const char *mode);
/* 40401 `Subject '<s>' not found.` */
reg_code_t reg__subject_not_found(const char *subject, reg_error_t *err);

/* ---- references and parsing (reg_service_refs.c) ---------------------------- */

typedef struct reg_deps {
  sch_reference_t *refs; /* depth-first: dependencies before dependents */
  size_t n, cap;
  json_t *resolved; /* top-level refs with concrete versions (array) or NULL */
} reg_deps_t;

/* Resolves a references array (relative to parent_ctx) into dependency texts.
 * New registrations pass allow_deleted=false. Errors -> 42201 naming the
 * missing subject/version (schema_text is quoted in the message). */
reg_code_t reg__deps_resolve(reg_service_t *svc, const char *parent_ctx, json_t *refs, bool allow_deleted,
                             reg_deps_t *out, reg_error_t *err);
void reg__deps_fini(reg_deps_t *deps);
/* The parsed form of a stored schema, parsed on first use and cached. NULL if
 * it no longer parses (logged). Caller holds the service lock (either mode). */
const sch_schema_t *reg__schema_parsed(reg_service_t *svc, reg_schema_rec_t *rec);
/* Replaces obj's "schema" with rec rendered in ?format= when its format has
 * such a representation (reg_service_format.c). */
void reg__apply_format(reg_service_t *svc, reg_schema_rec_t *rec, const char *format, json_t *obj);
/* Identity md5 over type, canonical text, resolved references, metadata and
 * ruleSet (§5.1). */
void reg__identity(const char *type, const char *canonical, size_t len, json_t *refs, json_t *metadata,
                   json_t *rule_set, unsigned char md5[REG_MD5_LEN]);
/* Which schema ids reference subj/version (live referrers; deleted ones too
 * when include_deleted). Sorted ascending JSON array of ids. */
json_t *reg__referenced_by(reg_service_t *svc, const reg_subject_t *subj, int64_t version, bool include_deleted);
/* The same check ignoring referrers that live in `except` (self-references on
 * subject deletes). */
bool reg__is_referenced(reg_service_t *svc, const reg_subject_t *subj, int64_t version, bool include_deleted,
                        const reg_subject_t *except);
/* 42206 with Confluent's message. */
reg_code_t reg__reference_exists(const reg_subject_t *subj, int64_t version, reg_error_t *err);

/* ---- a schema from a request, parsed (reg_service_register.c) ------------- */

typedef struct reg_candidate {
  reg_qsub_t qs;
  const sch_format_t *format;
  const char *type;
  const char *text;
  size_t text_len;
  json_t *refs, *metadata, *rule_set; /* borrowed (or from a previous version) */
  json_t *owned_metadata, *owned_rule_set; /* merged copies the above may point to */
  reg_deps_t deps;
  bool normalize; /* set by the caller before prepare */
  sch_schema_t *parsed;
  char parse_error[1100];
  unsigned char md5[REG_MD5_LEN];
} reg_candidate_t;

/* Resolves references and parses req into cand (lock held). On a parse
 * failure returns REG_OK with cand->parsed NULL and cand->parse_error set. */
reg_code_t reg__candidate_prepare(reg_service_t *svc, reg_candidate_t *cand, bool validate, bool allow_deleted,
                                  reg_error_t *err);
void reg__candidate_fini(reg_candidate_t *cand);
/* Fills format/type/text/refs/metadata/rule_set from req (42201 for unknown
 * type or empty schema). */
reg_code_t reg__candidate_init(reg_service_t *svc, reg_candidate_t *cand, const reg_schema_req_t *req,
                               reg_error_t *err);
/* Validates a ruleSet (object with rule arrays; 42210). */
reg_code_t reg__rule_set_validate(json_t *rule_set, reg_error_t *err);
/* 42201 `Invalid schema ...` from a failed candidate parse. */
reg_code_t reg__invalid_schema(const reg_candidate_t *cand, reg_error_t *err);

/* ---- data contracts (reg_service_contract.c) ------------------------------ */

/* Does the effective config carry default/override metadata or rule sets? */
bool reg__contract_configured(json_t *cfg);
/* §5.12: cand's metadata/ruleSet become default ⊕ (request's, else prev's) ⊕
 * override from cfg (properties and rules by name: later wins). prev may be
 * NULL. Replaces cand->metadata/rule_set with owned merged copies. */
void reg__contract_merge(reg_candidate_t *cand, json_t *cfg, const reg_schema_rec_t *prev);
/* Sets the confluent:version property to `version` when requested or when
 * the property is already present. */
void reg__contract_set_version(reg_candidate_t *cand, bool requested, int64_t version);
/* Same type, canonical text, references, ruleSet and metadata, ignoring
 * confluent:version (the lookup comparison of §5.3/§5.12). */
bool reg__contract_same(const reg_schema_rec_t *rec, const reg_candidate_t *cand);
/* metadata.properties[key] as a string, or NULL. */
const char *reg__contract_property(json_t *metadata, const char *key);
/* compatibilityGroup filter: does rec's property `group` equal `value` (both
 * absent counts as equal)? Always true when group is NULL. */
bool reg__contract_in_group(const reg_schema_rec_t *rec, const char *group, const char *value);
/* §5.2 step 10 with validateFields: appends a message for each reserved name
 * of prev's confluent:reserved missing from cand's, and for each top-level
 * field of cand that collides with cand's reserved names. */
void reg__contract_check_reserved(const reg_candidate_t *cand, const reg_schema_rec_t *prev, sch_messages_t *msgs);

/* ---- compatibility (reg_service_compat.c) ---------------------------------- */

/* Which stored versions a check compares against: `only` one version (or all
 * live ones when NULL), restricted to the compatibilityGroup when group is
 * set (value = the new schema's property, may be NULL). */
typedef struct reg_compat_scope {
  const reg_version_t *only;
  const char *group;
  const char *value;
} reg_compat_scope_t;

/* Checks cand against the scope at `level`. Appends messages incl. the
 * closing {validateFields..., compatibility...}. */
reg_code_t reg__compat_run(reg_service_t *svc, const reg_subject_t *subj, const reg_compat_scope_t *scope,
                           sch_compat_level_t level, const sch_schema_t *cand, bool *ok, sch_messages_t *msgs,
                           reg_error_t *err);
/* The compatibilityGroup scope for cand from the effective config cfg. */
reg_compat_scope_t reg__compat_scope(json_t *cfg, const reg_candidate_t *cand, const reg_version_t *only);

/* ---- permanent deletes (reg_service_delete.c) ------------------------------ */

/* Store side of hard-deleting versions vs[0..n) of subj (inside an open
 * transaction): the version rows, each schema record no other version uses
 * (never `keep`), and the subject's config/mode when no version remains. */
reg_code_t reg__store_drop_versions(reg_service_t *svc, const reg_subject_t *subj, const int64_t *vs, size_t n,
                                    const reg_schema_rec_t *keep, reg_error_t *err);
/* Mirrors the same drop into the index after commit (subj may be freed). */
void reg__index_drop_versions(reg_service_t *svc, reg_subject_t *subj, const int64_t *vs, size_t n);
/* The soft-deleted versions of subj (malloc'd array, free()). */
int64_t *reg__soft_deleted_versions(const reg_subject_t *subj, size_t *n);

#endif
