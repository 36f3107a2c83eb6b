// SPDX-License-Identifier: Apache-2.0
/* The registry's domain API: every Schema Registry operation, with the
 * Confluent rules for ids, versions, deletes, modes, configs, contexts and
 * references (shared/spec/schema-registry.md §5). The HTTP routes call these
 * with already-decoded arguments and render what they return; the service
 * never sees HTTP and never speaks SQL (that is reg_store). Thread-safe: one
 * service is shared by all civetweb workers (reads in parallel, writes
 * serialized, each write a durable store transaction before it returns). */
#ifndef WEIR_REGISTRY_REG_SERVICE_H
#define WEIR_REGISTRY_REG_SERVICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reg_error.h"

typedef struct reg_service reg_service_t;

typedef struct reg_service_opts {
  const char *db_path;               /* SQLite file; created if missing */
  const char *default_compatibility; /* server default level, e.g. "BACKWARD" */
  size_t max_schema_bytes;           /* larger schema text -> REG_ERR_SCHEMA_TOO_LARGE */
  bool mode_mutability;              /* false: mode writes -> REG_ERR_NOT_PERMITTED */
} reg_service_opts_t;

/* Opens the store and loads the in-memory index. Release with
 * reg_service_close. */
reg_service_t *reg_service_open(const reg_service_opts_t *opts, reg_error_t *err);
void reg_service_close(reg_service_t *svc); /* accepts NULL */

/* Query parameters, decoded by the routes. Absent booleans are false;
 * absent strings NULL; offset 0 and limit -1 (= server default) when absent. */
typedef struct reg_query {
  bool deleted, deleted_only, deleted_as_negative, permanent, normalize, verbose;
  bool default_to_global, force, recursive, fetch_max_id, latest_only;
  const char *subject_prefix; /* GET /subjects, /schemas */
  const char *subject;        /* ?subject= on /schemas/ids/... */
  const char *context_prefix; /* GET /contexts */
  const char *format;         /* ?format= (accepted; "default"/"resolved") */
  int64_t offset;
  int64_t limit;
} reg_query_t;

/* A register / lookup / compatibility request body (RegisterSchemaRequest).
 * All pointers borrowed. */
typedef struct reg_schema_req {
  const char *schema; /* NULL when absent */
  size_t schema_len;
  const char *schema_type; /* NULL = "AVRO" */
  json_t *references;      /* array of {name, subject, version} or NULL */
  json_t *metadata;        /* object or NULL; stored and returned as given */
  json_t *rule_set;        /* object or NULL; stored and returned as given */
  bool has_id;
  int64_t id;
  bool has_version;
  int64_t version;
} reg_schema_req_t;

/* Every function below returns REG_OK and sets *out to a new JSON value
 * (caller json_decref's it) that is exactly the Confluent response body, or
 * returns an error code with err->message set to Confluent's message text.
 * `subject` is the decoded (possibly context-qualified ":.ctx:name") subject;
 * `version` is the raw path text ("latest", "-1", "3"): the service
 * validates it (REG_ERR_INVALID_VERSION). */

/* GET /subjects -> ["a","b"] */
reg_code_t reg_svc_list_subjects(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err);
/* POST /subjects/{s} (lookup) -> Schema object */
reg_code_t reg_svc_lookup(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                          const reg_query_t *q, json_t **out, reg_error_t *err);
/* POST /subjects/{s}/versions (register) -> {"id":N, "version":V, ...} */
reg_code_t reg_svc_register(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                            const reg_query_t *q, json_t **out, reg_error_t *err);
/* DELETE /subjects/{s} -> [1,2,3] */
reg_code_t reg_svc_delete_subject(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                                  reg_error_t *err);
/* GET /subjects/{s}/versions -> [1,2,3] */
reg_code_t reg_svc_list_versions(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                                 reg_error_t *err);
/* GET /subjects/{s}/versions/{v} -> Schema object */
reg_code_t reg_svc_get_version(reg_service_t *svc, const char *subject, const char *version, const reg_query_t *q,
                               json_t **out, reg_error_t *err);
/* GET /subjects/{s}/versions/{v}/schema -> the raw schema text as a new
 * NUL-terminated string (*out_text, free()) — not JSON-encoded. */
reg_code_t reg_svc_get_version_schema(reg_service_t *svc, const char *subject, const char *version,
                                      const reg_query_t *q, char **out_text, reg_error_t *err);
/* GET /subjects/{s}/metadata?key=k1&value=v1&key=k2&value=v2 -> the Schema
 * object of the newest version (live, or any with ?deleted) whose
 * metadata.properties hold every pair. 40401 when the subject has no such
 * versions at all, 40403 when none matches. keys/values borrowed, n pairs. */
reg_code_t reg_svc_get_latest_with_metadata(reg_service_t *svc, const char *subject, const char *const *keys,
                                            const char *const *values, size_t n, const reg_query_t *q,
                                            json_t **out, reg_error_t *err);
/* GET /subjects/{s}/versions/{v}/referencedby -> [ids] */
reg_code_t reg_svc_referenced_by(reg_service_t *svc, const char *subject, const char *version,
                                 const reg_query_t *q, json_t **out, reg_error_t *err);
/* DELETE /subjects/{s}/versions/{v} -> V (JSON integer) */
reg_code_t reg_svc_delete_version(reg_service_t *svc, const char *subject, const char *version,
                                  const reg_query_t *q, json_t **out, reg_error_t *err);

/* GET /schemas -> [Schema objects] */
reg_code_t reg_svc_list_schemas(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err);
/* GET /schemas/ids/{id} -> SchemaString object */
reg_code_t reg_svc_get_schema_by_id(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                    reg_error_t *err);
/* GET /schemas/ids/{id} already rendered: the body of
 * reg_svc_get_schema_by_id dumped compactly, as a new string (*out_text,
 * free(); *out_len bytes). Without ?subject and ?fetchMaxId the bytes come
 * from a per-schema cache (schemas never change; a hard delete frees it). */
reg_code_t reg_svc_get_schema_by_id_body(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         size_t *out_len, reg_error_t *err);
/* GET /schemas/ids/{id}/schema -> raw text (*out_text, free()) */
reg_code_t reg_svc_get_schema_text_by_id(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         reg_error_t *err);
/* GET /schemas/ids/{id}/subjects -> ["s"] */
reg_code_t reg_svc_get_id_subjects(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                   reg_error_t *err);
/* GET /schemas/ids/{id}/versions -> [{"subject":"s","version":1}] */
reg_code_t reg_svc_get_id_versions(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out,
                                   reg_error_t *err);
/* GET /schemas/types -> ["AVRO", ...] */
reg_code_t reg_svc_schema_types(reg_service_t *svc, json_t **out, reg_error_t *err);

/* GET /config and /config/{s} (subject NULL = global) -> {"compatibilityLevel":...} */
reg_code_t reg_svc_get_config(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                              reg_error_t *err);
/* PUT /config[/{s}] with the parsed body object (ConfigUpdateRequest) ->
 * resulting config in request shape ({"compatibility":...}). */
reg_code_t reg_svc_put_config(reg_service_t *svc, const char *subject, json_t *body, json_t **out,
                              reg_error_t *err);
/* DELETE /config[/{s}] -> the deleted config */
reg_code_t reg_svc_delete_config(reg_service_t *svc, const char *subject, json_t **out, reg_error_t *err);

/* GET /mode[/{s}] -> {"mode":"READWRITE"} */
reg_code_t reg_svc_get_mode(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                            reg_error_t *err);
/* PUT /mode[/{s}] with the parsed body object -> {"mode":...} */
reg_code_t reg_svc_put_mode(reg_service_t *svc, const char *subject, json_t *body, const reg_query_t *q,
                            json_t **out, reg_error_t *err);
/* DELETE /mode[/{s}] -> the deleted mode {"mode":...} */
reg_code_t reg_svc_delete_mode(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,
                               reg_error_t *err);

/* POST /compatibility/subjects/{s}/versions[/{v}] (version NULL = all live
 * versions, the level decides) -> {"is_compatible":b[,"messages":[...]]} */
reg_code_t reg_svc_check_compat(reg_service_t *svc, const char *subject, const char *version,
                                const reg_schema_req_t *req, const reg_query_t *q, json_t **out,
                                reg_error_t *err);

/* GET /contexts -> [".", ".ctx1"] */
reg_code_t reg_svc_list_contexts(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err);
/* DELETE /contexts/{ctx} -> REG_OK with *out NULL (routes answer 204) */
reg_code_t reg_svc_delete_context(reg_service_t *svc, const char *context, json_t **out, reg_error_t *err);

/* GET /v1/metadata/id -> {"scope":{"path":[],"clusters":{...}}} */
reg_code_t reg_svc_metadata_id(reg_service_t *svc, json_t **out, reg_error_t *err);

/* GET /health (weir's own): can the service do its job, i.e. does the store
 * answer a read. The answer is cached for one second (probes may come
 * often); a write holding the lock for over 2 s counts as down. Returns
 * REG_OK, or REG_ERR_STORE with the reason in err. */
reg_code_t reg_svc_health(reg_service_t *svc, reg_error_t *err);

#endif
