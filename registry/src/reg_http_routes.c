// SPDX-License-Identifier: Apache-2.0
/* The registry's route table (every endpoint of schema-registry.md §4) and
 * the thin handlers that call one reg_svc_* function each. Handlers receive
 * already-decoded path captures and query parameters (reg_http.c) and leave
 * rendering and error mapping to reg_http_errors.c. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_parse.h"
#include "reg_http.h"

#define SVC(c) ((c)->rh->svc)

/* Subject capture i (already qualified with the request's context). */
static const char *subj(reg_http_call_t *c, int i) { return c->params[i]; }

static void h_root_get(reg_http_call_t *c) { reg_http__reply(c, REG_OK, json_object(), NULL); }

static void h_root_post(reg_http_call_t *c) {
  if (reg_http__decode_object(c, false)) reg_http__reply(c, REG_OK, json_object(), NULL);
}

static void h_metadata_id(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_metadata_id(SVC(c), &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_metadata_version(reg_http_call_t *c) {
  reg_http__reply(c, REG_OK, json_pack("{s:s, s:s}", "version", "0.1.0", "commitId", "weir"), NULL);
}

/* Handlers of the shape f(svc, q, &out, &err). */
#define LIST_HANDLER(name, fn)                     \
  static void name(reg_http_call_t *c) {           \
    json_t *out = NULL;                            \
    reg_error_t err = {0};                         \
    reg_code_t rc = fn(SVC(c), &c->q, &out, &err); \
    reg_http__reply(c, rc, out, &err);             \
  }
LIST_HANDLER(h_subjects_list, reg_svc_list_subjects)
LIST_HANDLER(h_schemas_list, reg_svc_list_schemas)
LIST_HANDLER(h_contexts_list, reg_svc_list_contexts)

/* Handlers of the shape f(svc, subject, q, &out, &err). */
#define SUBJECT_HANDLER(name, fn)                           \
  static void name(reg_http_call_t *c) {                    \
    json_t *out = NULL;                                     \
    reg_error_t err = {0};                                  \
    reg_code_t rc = fn(SVC(c), subj(c, 0), &c->q, &out, &err); \
    reg_http__reply(c, rc, out, &err);                      \
  }
SUBJECT_HANDLER(h_subject_delete, reg_svc_delete_subject)
SUBJECT_HANDLER(h_versions_list, reg_svc_list_versions)

/* Handlers of the shape f(svc, subject, version, q, &out, &err). */
#define VERSION_HANDLER(name, fn)                                           \
  static void name(reg_http_call_t *c) {                                    \
    json_t *out = NULL;                                                     \
    reg_error_t err = {0};                                                  \
    reg_code_t rc = fn(SVC(c), subj(c, 0), c->params[1], &c->q, &out, &err); \
    reg_http__reply(c, rc, out, &err);                                      \
  }
VERSION_HANDLER(h_version_get, reg_svc_get_version)
VERSION_HANDLER(h_version_delete, reg_svc_delete_version)
VERSION_HANDLER(h_referenced_by, reg_svc_referenced_by)

static void h_version_schema(reg_http_call_t *c) {
  char *text = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_version_schema(SVC(c), subj(c, 0), c->params[1], &c->q, &text, &err);
  reg_http__reply_text(c, rc, text, &err);
}

/* GET /subjects/{s}/metadata: key/value repeat in pairs (a key without its
 * value is compared with ""). */
static void h_subject_metadata(reg_http_call_t *c) {
  size_t n = http_query_count(&c->query, "key");
  const char **keys = calloc(n + 1, sizeof *keys), **values = calloc(n + 1, sizeof *values);
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = keys && values ? REG_OK : reg_error_set(&err, REG_ERR_NOMEM, "out of memory");
  for (size_t i = 0; rc == REG_OK && i < n; i++) {
    keys[i] = http_query_get_nth(&c->query, "key", i);
    values[i] = http_query_get_nth(&c->query, "value", i);
    if (!values[i]) values[i] = "";
  }
  if (rc == REG_OK)
    rc = reg_svc_get_latest_with_metadata(SVC(c), subj(c, 0), keys, values, n, &c->q, &out, &err);
  free(keys);
  free(values);
  reg_http__reply(c, rc, out, &err);
}

static void h_lookup(reg_http_call_t *c) {
  reg_schema_req_t req;
  if (!reg_http__decode_schema_req(c, &req)) return;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_lookup(SVC(c), subj(c, 0), &req, &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_register(reg_http_call_t *c) {
  reg_schema_req_t req;
  if (!reg_http__decode_schema_req(c, &req)) return;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_register(SVC(c), subj(c, 0), &req, &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

/* POST /compatibility/subjects/{s}/versions[/{v}] */
static void h_compat(reg_http_call_t *c) {
  reg_schema_req_t req;
  if (!reg_http__decode_schema_req(c, &req)) return;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_check_compat(SVC(c), subj(c, 0), c->params[1], &req, &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

/* An /schemas/ids/{id} id: a Java int; anything else is "no such
 * resource" (404), as JAX-RS answers a failed @PathParam conversion. */
static bool schema_id(reg_http_call_t *c, int64_t *id) {
  if (http_parse_int64(c->params[0], id) == HTTP_PARSE_OK && *id >= INT_MIN && *id <= INT_MAX) return true;
  reg_http__http_error(c, 404, NULL);
  return false;
}

/* Handlers of the shape f(svc, id, q, &out, &err). */
#define ID_HANDLER(name, fn)                          \
  static void name(reg_http_call_t *c) {              \
    int64_t id;                                       \
    if (!schema_id(c, &id)) return;                   \
    json_t *out = NULL;                               \
    reg_error_t err = {0};                            \
    reg_code_t rc = fn(SVC(c), id, &c->q, &out, &err); \
    reg_http__reply(c, rc, out, &err);                \
  }
ID_HANDLER(h_id_subjects, reg_svc_get_id_subjects)
ID_HANDLER(h_id_versions, reg_svc_get_id_versions)

/* The hot read of every deserializer: the service hands back the rendered
 * (usually cached) body, so no JSON is built or dumped per request. */
static void h_id_get(reg_http_call_t *c) {
  int64_t id;
  if (!schema_id(c, &id)) return;
  char *text = NULL;
  size_t len = 0;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_schema_by_id_body(SVC(c), id, &c->q, &text, &len, &err);
  if (rc != REG_OK) {
    reg_http__error(c, rc, err.message);
    return;
  }
  http_response_set_take(c->resp, 200, text, len);
}
static void h_id_schema(reg_http_call_t *c) {
  int64_t id;
  if (!schema_id(c, &id)) return;
  char *text = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_schema_text_by_id(SVC(c), id, &c->q, &text, &err);
  reg_http__reply_text(c, rc, text, &err);
}

static void h_schema_types(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_schema_types(SVC(c), &out, &err);
  reg_http__reply(c, rc, out, &err);
}

/* GET/PUT/DELETE /config and /mode, with or without a subject. */
static const char *config_subject(reg_http_call_t *c) { return c->params[0] ? c->params[0] : c->scope; }

static void h_config_get(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_config(SVC(c), config_subject(c), &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_config_put(reg_http_call_t *c) {
  if (!reg_http__decode_object(c, true)) return;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_put_config(SVC(c), config_subject(c), c->body, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_config_delete(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_delete_config(SVC(c), config_subject(c), &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_mode_get(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_mode(SVC(c), config_subject(c), &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_mode_put(reg_http_call_t *c) {
  if (!reg_http__decode_object(c, true)) return;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_put_mode(SVC(c), config_subject(c), c->body, &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_mode_delete(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_delete_mode(SVC(c), config_subject(c), &c->q, &out, &err);
  reg_http__reply(c, rc, out, &err);
}

static void h_context_delete(reg_http_call_t *c) {
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_delete_context(SVC(c), c->params[0], &out, &err);
  reg_http__reply(c, rc, out, &err);
}

/* Patterns are '/'-separated literal segments; "*" captures one segment. */
static const struct {
  const char *method;
  const char *pattern;
  reg_http_route_fn fn;
} routes[] = {
    {"GET", "", h_root_get},
    {"POST", "", h_root_post},
    {"GET", "v1/metadata/id", h_metadata_id},
    {"GET", "v1/metadata/version", h_metadata_version},
    {"GET", "subjects", h_subjects_list},
    {"POST", "subjects/*", h_lookup},
    {"DELETE", "subjects/*", h_subject_delete},
    {"GET", "subjects/*/versions", h_versions_list},
    {"POST", "subjects/*/versions", h_register},
    {"GET", "subjects/*/versions/*", h_version_get},
    {"DELETE", "subjects/*/versions/*", h_version_delete},
    {"GET", "subjects/*/versions/*/schema", h_version_schema},
    {"GET", "subjects/*/versions/*/referencedby", h_referenced_by},
    {"GET", "subjects/*/versions/*/referencedBy", h_referenced_by},
    {"GET", "subjects/*/metadata", h_subject_metadata},
    {"GET", "schemas", h_schemas_list},
    {"GET", "schemas/types", h_schema_types},
    {"GET", "schemas/ids/*", h_id_get},
    {"GET", "schemas/ids/*/schema", h_id_schema},
    {"GET", "schemas/ids/*/subjects", h_id_subjects},
    {"GET", "schemas/ids/*/versions", h_id_versions},
    {"GET", "config", h_config_get},
    {"PUT", "config", h_config_put},
    {"DELETE", "config", h_config_delete},
    {"GET", "config/*", h_config_get},
    {"PUT", "config/*", h_config_put},
    {"DELETE", "config/*", h_config_delete},
    {"GET", "mode", h_mode_get},
    {"PUT", "mode", h_mode_put},
    {"DELETE", "mode", h_mode_delete},
    {"GET", "mode/*", h_mode_get},
    {"PUT", "mode/*", h_mode_put},
    {"DELETE", "mode/*", h_mode_delete},
    {"POST", "compatibility/subjects/*/versions", h_compat},
    {"POST", "compatibility/subjects/*/versions/*", h_compat},
    {"GET", "contexts", h_contexts_list},
    {"DELETE", "contexts/*", h_context_delete},
};

/* Matches segs against a pattern, recording capture indexes. */
static bool pattern_match(const char *pat, const reg_seg_t *segs, size_t n, size_t *cap, size_t *ncap) {
  size_t i = 0;
  *ncap = 0;
  while (*pat) {
    size_t len = strcspn(pat, "/");
    if (i == n) return false;
    if (len == 1 && pat[0] == '*') {
      if (*ncap == REG_HTTP_MAX_PARAMS) return false;
      cap[(*ncap)++] = i;
    } else if (segs[i].n != len || memcmp(segs[i].p, pat, len) != 0) {
      return false;
    }
    i++;
    pat += len;
    if (*pat == '/') pat++;
  }
  return i == n;
}

reg_route_match_t reg_http__route_find(const char *method, const reg_seg_t *segs, size_t n,
                                       reg_http_route_fn *fn, size_t cap_idx[REG_HTTP_MAX_PARAMS],
                                       size_t *ncap) {
  reg_route_match_t result = REG_ROUTE_NONE;
  for (size_t r = 0; r < sizeof routes / sizeof routes[0]; r++) {
    if (!pattern_match(routes[r].pattern, segs, n, cap_idx, ncap)) continue;
    if (strcmp(routes[r].method, method) == 0) {
      *fn = routes[r].fn;
      return REG_ROUTE_FOUND;
    }
    result = REG_ROUTE_NO_METHOD;
  }
  return result;
}
