// SPDX-License-Identifier: Apache-2.0
/* Decodes what a registry request carries besides its path: query parameters
 * into reg_query_t, and the JSON body into an object or a RegisterSchemaRequest
 * view. Errors follow Confluent's framework mappers: unparseable JSON and
 * JSON of the wrong shape -> 400 (rest-utils JsonParse/JsonMapping mappers),
 * missing body -> 422 (@NotNull), bad integer query param -> 404 (JAX-RS
 * param conversion). Unknown body fields are ignored. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "reg_http.h"
#include "schemas/schemas.h"

/* Status for a body of the wrong JSON shape (Jackson JsonMappingException). */
#define REG_HTTP_MAPPING_STATUS 400

static bool query_bool(const reg_http_call_t *c, const char *key) {
  return http_parse_bool(http_query_get(&c->query, key), false);
}

/* Parses an integer parameter; false (404 written) when malformed. */
static bool query_int(reg_http_call_t *c, const char *key, int64_t dflt, int64_t *out) {
  const char *v = http_query_get(&c->query, key);
  *out = dflt;
  if (!v) return true;
  if (http_parse_int64(v, out) == HTTP_PARSE_OK && *out >= INT_MIN && *out <= INT_MAX) return true;
  reg_http__http_error(c, 404, NULL);
  return false;
}

static void decode_bools(reg_http_call_t *c) {
  reg_query_t *q = &c->q;
  q->deleted = query_bool(c, "deleted");
  q->deleted_only = query_bool(c, "deletedOnly");
  q->deleted_as_negative = query_bool(c, "deletedAsNegative");
  q->permanent = query_bool(c, "permanent");
  q->normalize = query_bool(c, "normalize");
  q->verbose = query_bool(c, "verbose");
  q->default_to_global = query_bool(c, "defaultToGlobal");
  q->force = query_bool(c, "force");
  q->recursive = query_bool(c, "recursive");
  q->fetch_max_id = query_bool(c, "fetchMaxId");
  q->latest_only = query_bool(c, "latestOnly");
}

bool reg_http__decode_query(reg_http_call_t *c) {
  memset(&c->q, 0, sizeof c->q);
  decode_bools(c);
  c->q.subject_prefix = http_query_get(&c->query, "subjectPrefix");
  c->q.subject = http_query_get(&c->query, "subject");
  c->q.context_prefix = http_query_get(&c->query, "contextPrefix");
  c->q.format = http_query_get(&c->query, "format");
  if (c->context) { /* /contexts/{ctx}/...: scope listings and id lookups */
    if (!reg_http__qualify(c, c->q.subject_prefix ? c->q.subject_prefix : "", &c->owned[0]) ||
        !reg_http__qualify(c, c->q.subject ? c->q.subject : "", &c->owned[1]))
      return false;
    c->q.subject_prefix = c->owned[0];
    c->q.subject = c->owned[1];
  }
  return query_int(c, "offset", 0, &c->q.offset) && query_int(c, "limit", -1, &c->q.limit);
}

static bool body_blank(const http_request_t *req) {
  for (size_t i = 0; i < req->body_len; i++) {
    char ch = req->body[i];
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') return false;
  }
  return true;
}

bool reg_http__decode_object(reg_http_call_t *c, bool required) {
  json_error_t jerr;
  json_t *v = NULL;
  if (!body_blank(c->req)) {
    if (!sch_json_nesting_within(c->req->body, c->req->body_len, REG_HTTP_MAX_BODY_DEPTH)) {
      char msg[80];
      snprintf(msg, sizeof msg, "request body nests deeper than %d levels", REG_HTTP_MAX_BODY_DEPTH);
      reg_http__http_error(c, 400, msg);
      return false;
    }
    v = json_loadb(c->req->body, c->req->body_len, JSON_DECODE_ANY, &jerr);
    if (!v) {
      reg_http__http_error(c, 400, jerr.text);
      return false;
    }
  }
  if (!v || json_is_null(v)) {
    json_decref(v);
    if (required) reg_http__http_error(c, 422, "request body is missing");
    return !required;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    reg_http__http_error(c, REG_HTTP_MAPPING_STATUS, "request body must be a JSON object");
    return false;
  }
  c->body = v;
  return true;
}

/* Writes the wrong-type error for field `name`. */
static bool field_error(reg_http_call_t *c, const char *name, const char *want) {
  char msg[160];
  snprintf(msg, sizeof msg, "field \"%s\" must be %s", name, want);
  reg_http__http_error(c, REG_HTTP_MAPPING_STATUS, msg);
  return false;
}

/* Reads an optional string field (null = absent). */
static bool get_string(reg_http_call_t *c, const char *name, const char **out, size_t *len) {
  json_t *v = json_object_get(c->body, name);
  *out = NULL;
  if (len) *len = 0;
  if (!v || json_is_null(v)) return true;
  if (!json_is_string(v)) return field_error(c, name, "a string");
  *out = json_string_value(v);
  if (len) *len = json_string_length(v);
  return true;
}

/* Reads an optional Java-int field (null = absent). */
static bool get_int(reg_http_call_t *c, const char *name, bool *has, int64_t *out) {
  json_t *v = json_object_get(c->body, name);
  *has = false;
  *out = 0;
  if (!v || json_is_null(v)) return true;
  if (!json_is_integer(v) || json_integer_value(v) < INT_MIN || json_integer_value(v) > INT_MAX)
    return field_error(c, name, "a 32-bit integer");
  *has = true;
  *out = json_integer_value(v);
  return true;
}

/* Reads an optional field that must be an object / array (null = absent). */
static bool get_typed(reg_http_call_t *c, const char *name, json_type type, json_t **out) {
  json_t *v = json_object_get(c->body, name);
  *out = NULL;
  if (!v || json_is_null(v)) return true;
  if (json_typeof(v) != type) return field_error(c, name, type == JSON_ARRAY ? "an array" : "an object");
  *out = v;
  return true;
}

static bool references_ok(reg_http_call_t *c, json_t *refs) {
  size_t i;
  json_t *r;
  json_array_foreach(refs, i, r) {
    if (!json_is_object(r)) return field_error(c, "references", "an array of objects");
  }
  return true;
}

bool reg_http__decode_schema_req(reg_http_call_t *c, reg_schema_req_t *out) {
  memset(out, 0, sizeof *out);
  if (!reg_http__decode_object(c, true)) return false;
  return get_string(c, "schema", &out->schema, &out->schema_len) &&
         get_string(c, "schemaType", &out->schema_type, NULL) &&
         get_typed(c, "references", JSON_ARRAY, &out->references) &&
         (!out->references || references_ok(c, out->references)) &&
         get_typed(c, "metadata", JSON_OBJECT, &out->metadata) &&
         get_typed(c, "ruleSet", JSON_OBJECT, &out->rule_set) && get_int(c, "id", &out->has_id, &out->id) &&
         get_int(c, "version", &out->has_version, &out->version);
}
