// SPDX-License-Identifier: Apache-2.0
/* The Schema Registry REST calls a serde makes: register (POST
 * /subjects/{s}/versions), lookup (POST /subjects/{s}), schema by id (GET
 * /schemas/ids/{id}) and a subject version (GET /subjects/{s}/versions/{v}).
 * It owns the request targets (subjects percent-encoded as one path
 * segment), the JSON request bodies, the defensive reading of answers, and
 * the mapping of HTTP errors to serde codes. Transport, retries and
 * fail-over are serde_http.c's; caching is serde_cache.c's. */
#include "serde_client.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHAT_SIZE 256 /* "register under subject \"...\"" in messages */

/* ---- request targets ------------------------------------------------------------- */

/* Appends s as one path segment: RFC 3986 unreserved characters as they
 * are, every other byte (UTF-8 included) as %XX. A segment of dots only
 * ("." or "..") is fully encoded so no one treats it as a dot-segment. */
static serde_code_t put_segment(serde_buf_t *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  bool dots_only = strspn(s, ".") == strlen(s);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '_' || c == '~' || (c == '.' && !dots_only);
    char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
    if ((keep ? serde__buf_putc(b, (char)c) : serde__buf_put(b, esc, 3)) != SERDE_OK) {
      return SERDE_ERR_NOMEM;
    }
  }
  return SERDE_OK;
}

/* Builds prefix + encoded subject + suffix, NUL-terminated, in b. */
static serde_code_t target_subject(serde_buf_t *b, const char *prefix, const char *subject,
                                   const char *suffix, serde_error_t *err) {
  if (serde__buf_puts(b, prefix) != SERDE_OK || put_segment(b, subject) != SERDE_OK ||
      serde__buf_puts(b, suffix) != SERDE_OK || serde__buf_putc(b, '\0') != SERDE_OK) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  return SERDE_OK;
}

/* ---- request body ------------------------------------------------------------------ */

static bool is_avro(const char *schema_type) {
  return !schema_type || strcasecmp(schema_type, "AVRO") == 0;
}

static json_t *refs_encode(const serde_reg_ref_t *refs, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    json_t *o = refs[i].name && refs[i].subject
                    ? json_pack("{s:s, s:s, s:i}", "name", refs[i].name, "subject", refs[i].subject,
                                "version", refs[i].version)
                    : NULL;
    if (json_array_append_new(arr, o) != 0) { /* releases o, and fails when o is NULL */
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* {"schema": ..., "schemaType": ... (not for AVRO), "references": [...] (when
 * given)}, compact. *out is released with free(). */
static serde_code_t body_encode(const serde_schema_body_t *body, char **out, serde_error_t *err) {
  *out = NULL;
  json_t *root = json_pack("{s:s%}", "schema", body->schema, body->schema_len);
  bool ok = root != NULL;
  if (ok && !is_avro(body->schema_type)) {
    ok = json_object_set_new(root, "schemaType", json_string(body->schema_type)) == 0;
  }
  if (ok && body->n_refs > 0) {
    ok = json_object_set_new(root, "references", refs_encode(body->refs, body->n_refs)) == 0;
  }
  *out = ok ? json_dumps(root, JSON_COMPACT) : NULL;
  json_decref(root);
  if (!*out) {
    return serde__fail(
        err, SERDE_ERR_INVALID_ARG,
        "cannot encode the request: text that is not UTF-8, a reference without name or subject, "
        "or out of memory");
  }
  return SERDE_OK;
}

/* ---- errors ------------------------------------------------------------------------ */

/* Copies at most size-1 bytes of s[0..n), control characters as spaces. */
static void text_copy(char *dst, size_t size, const char *s, size_t n) {
  size_t j = 0;
  for (size_t i = 0; i < n && j + 1 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    dst[j++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
  }
  dst[j] = '\0';
}

static serde_code_t status_code(long status) {
  if (status == 401 || status == 403) return SERDE_ERR_REGISTRY_AUTH;
  if (status == 404) return SERDE_ERR_UNKNOWN_SCHEMA;
  if (status == 429) return SERDE_ERR_REGISTRY_THROTTLED;
  if (status == 409 || status == 422) return SERDE_ERR_REGISTRY_REJECTED;
  if (status == 408 || (status >= 500 && status <= 599)) return SERDE_ERR_REGISTRY_UNAVAILABLE;
  if (status >= 400 && status <= 499) return SERDE_ERR_INVALID_ARG;
  return SERDE_ERR_REGISTRY_RESPONSE; /* 1xx, 3xx, or nonsense */
}

serde_code_t serde__client_error(const serde_http_resp_t *resp, const char *what, serde_error_t *err) {
  serde_code_t code = status_code(resp->status);
  if (!err) return code;
  int error_code = 0;
  char msg[320] = "";
  json_t *root = resp->body ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
  json_t *ec = json_object_get(root, "error_code");
  json_t *m = json_object_get(root, "message");
  if (json_is_integer(ec) && json_integer_value(ec) >= 0 && json_integer_value(ec) <= INT_MAX) {
    error_code = (int)json_integer_value(ec);
  }
  if (json_is_string(m)) {
    text_copy(msg, sizeof msg, json_string_value(m), json_string_length(m));
  } else if (!json_is_object(root) && resp->body) {
    text_copy(msg, sizeof msg, resp->body, resp->body_len); /* an HTML page from a proxy, say */
  }
  json_decref(root);
  char ecs[32] = "";
  if (error_code) snprintf(ecs, sizeof ecs, " (error_code %d)", error_code);
  serde__fail(err, code, "%s: registry answered HTTP %ld%s: %s", what, resp->status, ecs,
              msg[0] ? msg : "(no message)");
  err->http_status = resp->status >= 0 && resp->status <= 999 ? (int)resp->status : 0;
  err->error_code = error_code;
  return code;
}

/* ---- answers ---------------------------------------------------------------------- */

enum { NEED_ID = 1, NEED_VERSION = 2, NEED_SCHEMA = 4 };

typedef struct answer {
  json_t *root;     /* the parsed body; every other json_t is borrowed from it */
  const char *what; /* the call, for messages */
  serde_error_t *err;
} answer_t;

static serde_code_t answer_bad(const answer_t *a, const char *field, const char *expected) {
  return serde__fail(a->err, SERDE_ERR_REGISTRY_RESPONSE, "%s: invalid registry answer: \"%s\" %s", a->what,
                     field, expected);
}

/* An optional field: absent and null are the same. */
static json_t *field(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_null(v) ? NULL : v;
}

/* One field of an answer object: its key, whether it must be there, and
 * for integers the accepted range. */
typedef struct answer_field {
  const char *key;
  bool need;
  json_int_t min, max;
} answer_field_t;

static serde_code_t read_int(const answer_t *a, json_t *o, answer_field_t f, json_int_t *dst) {
  json_t *v = field(o, f.key);
  if (!v) return f.need ? answer_bad(a, f.key, "is missing") : SERDE_OK;
  if (!json_is_integer(v) || json_integer_value(v) < f.min || json_integer_value(v) > f.max) {
    char expected[80];
    snprintf(expected, sizeof expected, "is not an integer in [%lld, %lld]", (long long)f.min,
             (long long)f.max);
    return answer_bad(a, f.key, expected);
  }
  *dst = json_integer_value(v);
  return SERDE_OK;
}

/* Copies a string field (owned, NUL-terminated); len may be NULL. */
static serde_code_t read_str(const answer_t *a, json_t *o, answer_field_t f, char **dst, size_t *len) {
  json_t *v = field(o, f.key);
  if (!v) return f.need ? answer_bad(a, f.key, "is missing") : SERDE_OK;
  if (!json_is_string(v)) return answer_bad(a, f.key, "is not a string");
  size_t n = json_string_length(v);
  if (!(*dst = serde__strndup(json_string_value(v), n))) {
    return serde__fail(a->err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (len) *len = n;
  return SERDE_OK;
}

static serde_code_t read_refs(const answer_t *a, serde_registered_t *out) {
  json_t *arr = field(a->root, "references");
  if (!arr) return SERDE_OK;
  if (!json_is_array(arr)) return answer_bad(a, "references", "is not an array");
  size_t n = json_array_size(arr);
  if (n == 0) return SERDE_OK;
  if (!(out->refs = serde__calloc(n, sizeof *out->refs))) {
    return serde__fail(a->err, SERDE_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_array_get(arr, i);
    serde_reg_ref_t *r = &out->refs[i];
    out->n_refs = i + 1; /* so fini frees what this entry got */
    json_int_t version = 0;
    serde_code_t rc = json_is_object(o) ? SERDE_OK : answer_bad(a, "references", "holds a non-object");
    if (rc == SERDE_OK) rc = read_str(a, o, (answer_field_t){.key = "name", .need = true}, &r->name, NULL);
    if (rc == SERDE_OK)
      rc = read_str(a, o, (answer_field_t){.key = "subject", .need = true}, &r->subject, NULL);
    if (rc == SERDE_OK)
      rc = read_int(a, o, (answer_field_t){.key = "version", .need = true, .min = INT_MIN, .max = INT_MAX},
                    &version);
    if (rc != SERDE_OK) return rc;
    r->version = (int)version;
  }
  return SERDE_OK;
}

static serde_code_t answer_read(const answer_t *a, unsigned need, serde_registered_t *out) {
  json_int_t id = 0, version = 0;
  json_t *o = a->root;
  serde_code_t rc =
      read_int(a, o, (answer_field_t){.key = "id", .need = need & NEED_ID, .min = 0, .max = INT32_MAX}, &id);
  if (rc == SERDE_OK)
    rc = read_int(a, o,
                  (answer_field_t){.key = "version", .need = need & NEED_VERSION, .min = 1, .max = INT_MAX},
                  &version);
  if (rc == SERDE_OK)
    rc = read_str(a, o, (answer_field_t){.key = "schema", .need = need & NEED_SCHEMA}, &out->schema,
                  &out->schema_len);
  if (rc == SERDE_OK) rc = read_str(a, o, (answer_field_t){.key = "subject"}, &out->subject, NULL);
  if (rc == SERDE_OK) rc = read_str(a, o, (answer_field_t){.key = "schemaType"}, &out->schema_type, NULL);
  if (rc == SERDE_OK) rc = read_str(a, o, (answer_field_t){.key = "guid"}, &out->guid, NULL);
  if (rc == SERDE_OK) rc = read_refs(a, out);
  if (rc == SERDE_OK && !out->schema_type && !(out->schema_type = serde__strdup("AVRO"))) {
    rc = serde__fail(a->err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (rc == SERDE_OK) {
    if (field(o, "id")) out->id = (int32_t)id;
    out->version = (int)version;
  }
  return rc;
}

/* Parses a 2xx body into out (zeroed first; released again on error). */
static serde_code_t answer_parse(const serde_http_resp_t *resp, const char *what, unsigned need,
                                 serde_registered_t *out, serde_error_t *err) {
  json_error_t jerr;
  answer_t a = {.root = json_loadb(resp->body, resp->body_len, 0, &jerr), .what = what, .err = err};
  serde_code_t rc = SERDE_OK;
  if (!a.root) {
    rc = serde__fail(err, SERDE_ERR_REGISTRY_RESPONSE, "%s: invalid registry answer (HTTP %ld): %s", what,
                     resp->status, jerr.text);
  } else if (!json_is_object(a.root)) {
    rc = serde__fail(err, SERDE_ERR_REGISTRY_RESPONSE,
                     "%s: invalid registry answer (HTTP %ld): not a JSON object", what, resp->status);
  } else {
    rc = answer_read(&a, need, out);
  }
  json_decref(a.root);
  if (rc != SERDE_OK) serde__registered_fini(out);
  return rc;
}

void serde__registered_fini(serde_registered_t *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_refs; i++) {
    free(r->refs[i].name);
    free(r->refs[i].subject);
  }
  free(r->refs);
  free(r->subject);
  free(r->schema_type);
  free(r->schema);
  free(r->guid);
  *r = (serde_registered_t){0};
}

/* ---- calls --------------------------------------------------------------------------- */

/* One registry call: target = prefix + encoded subject + suffix. */
typedef struct client_req {
  const char *method;
  char prefix[48];
  const char *subject; /* NULL: the target has none */
  char suffix[32];
  const serde_schema_body_t *schema; /* the POST body; NULL for GET */
  unsigned need;                     /* NEED_*: what a 2xx answer must hold */
  char what[WHAT_SIZE];              /* the call, for messages */
} client_req_t;

/* The target (NUL-terminated) and JSON body (free()) of req. */
static serde_code_t req_build(const client_req_t *req, serde_buf_t *target, char **json, serde_error_t *err) {
  serde_code_t rc = SERDE_OK;
  if (req->subject) {
    rc = target_subject(target, req->prefix, req->subject, req->suffix, err);
  } else if (serde__buf_puts(target, req->prefix) != SERDE_OK ||
             serde__buf_puts(target, req->suffix) != SERDE_OK || serde__buf_putc(target, '\0') != SERDE_OK) {
    rc = serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (rc == SERDE_OK && req->schema) rc = body_encode(req->schema, json, err);
  if (rc != SERDE_OK) serde__error_prefix(err, "%s", req->what);
  return rc;
}

/* Sends req; a non-2xx answer becomes a serde code, a 2xx is parsed into out. */
static serde_code_t req_send(serde_http_t *http, const client_req_t *req, serde_registered_t *out,
                             serde_error_t *err) {
  serde_buf_t target = {0};
  char *json = NULL;
  serde_http_resp_t resp = {0};
  serde_code_t rc = req_build(req, &target, &json, err);
  if (rc == SERDE_OK) {
    rc = serde__http_call(http, req->method, (const char *)target.data, json, json ? strlen(json) : 0, &resp,
                          err);
    if (rc != SERDE_OK) serde__error_prefix(err, "%s", req->what);
  }
  if (rc == SERDE_OK && (resp.status < 200 || resp.status > 299)) {
    rc = serde__client_error(&resp, req->what, err);
  } else if (rc == SERDE_OK) {
    rc = answer_parse(&resp, req->what, req->need, out, err);
  }
  serde__http_resp_fini(&resp);
  free(json);
  serde_buf_fini(&target);
  return rc;
}

static serde_code_t check_subject(const char *subject, serde_error_t *err) {
  if (!subject || !*subject) return serde__fail(err, SERDE_ERR_INVALID_ARG, "the subject is empty");
  return SERDE_OK;
}

/* register and lookup: the same body to different targets. */
static serde_code_t post_schema(serde_http_t *http, client_req_t *req, const serde_schema_body_t *body,
                                serde_registered_t *out, serde_error_t *err) {
  *out = (serde_registered_t){0};
  serde_code_t rc = check_subject(req->subject, err);
  if (rc != SERDE_OK) return rc;
  if (!http || !body || !body->schema) return serde__fail(err, SERDE_ERR_INVALID_ARG, "no schema to send");
  req->method = "POST";
  req->schema = body;
  snprintf(req->prefix, sizeof req->prefix, "/subjects/");
  return req_send(http, req, out, err);
}

serde_code_t serde__client_register(serde_http_t *http, const char *subject, const serde_schema_body_t *body,
                                    bool normalize, serde_registered_t *out, serde_error_t *err) {
  client_req_t req = {.subject = subject, .need = NEED_ID};
  snprintf(req.suffix, sizeof req.suffix, "/versions%s", normalize ? "?normalize=true" : "");
  snprintf(req.what, sizeof req.what, "register under subject \"%.160s\"", subject ? subject : "");
  return post_schema(http, &req, body, out, err);
}

serde_code_t serde__client_lookup(serde_http_t *http, const char *subject, const serde_schema_body_t *body,
                                  bool normalize, serde_registered_t *out, serde_error_t *err) {
  client_req_t req = {.subject = subject, .need = NEED_ID | NEED_VERSION | NEED_SCHEMA};
  snprintf(req.suffix, sizeof req.suffix, "%s", normalize ? "?normalize=true" : "");
  snprintf(req.what, sizeof req.what, "lookup under subject \"%.160s\"", subject ? subject : "");
  return post_schema(http, &req, body, out, err);
}

serde_code_t serde__client_by_id(serde_http_t *http, int32_t id, const char *subject, serde_registered_t *out,
                                 serde_error_t *err) {
  *out = (serde_registered_t){0};
  if (!http || id < 0) return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema id %d is negative", (int)id);
  bool with_subject = subject && *subject;
  client_req_t req = {.method = "GET", .subject = with_subject ? subject : NULL, .need = NEED_SCHEMA};
  snprintf(req.prefix, sizeof req.prefix, "/schemas/ids/%d%s", (int)id, with_subject ? "?subject=" : "");
  snprintf(req.what, sizeof req.what, "schema id %d", (int)id);
  serde_code_t rc = req_send(http, &req, out, err);
  if (rc == SERDE_OK) out->id = id;
  return rc;
}

serde_code_t serde__client_version(serde_http_t *http, const char *subject, int version,
                                   serde_registered_t *out, serde_error_t *err) {
  *out = (serde_registered_t){0};
  serde_code_t rc = check_subject(subject, err);
  if (rc != SERDE_OK) return rc;
  if (!http || (version < 1 && version != -1)) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "version %d is not a version (1.., or -1 for latest)",
                       version);
  }
  char v[16] = "latest";
  if (version != -1) snprintf(v, sizeof v, "%d", version);
  client_req_t req = {.method = "GET", .subject = subject, .need = NEED_ID | NEED_VERSION | NEED_SCHEMA};
  snprintf(req.prefix, sizeof req.prefix, "/subjects/");
  snprintf(req.suffix, sizeof req.suffix, "/versions/%s", v);
  snprintf(req.what, sizeof req.what, "subject \"%.160s\" version %s", subject, v);
  return req_send(http, &req, out, err);
}
