// SPDX-License-Identifier: Apache-2.0
/* Implements the recording reg_service stand-in of reg_service_stub.h. Each
 * reg_svc_* records its arguments and answers stub_next_code; the error
 * message is "stub <fn>" so tests can check it reaches the body. */
#include "reg_service_stub.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

stub_call_t stub_last;
reg_code_t stub_next_code = REG_OK;

void stub_reset(void) {
  memset(&stub_last, 0, sizeof stub_last);
  stub_next_code = REG_OK;
}

static void copy(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

static reg_code_t record(const char *fn, const char *subject, const char *version, const reg_query_t *q,
                         reg_error_t *err) {
  copy(stub_last.fn, sizeof stub_last.fn, fn);
  stub_last.has_subject = subject != NULL;
  copy(stub_last.subject, sizeof stub_last.subject, subject);
  stub_last.has_version = version != NULL;
  copy(stub_last.version, sizeof stub_last.version, version);
  if (q) {
    stub_last.q = *q;
    copy(stub_last.q_subject, sizeof stub_last.q_subject, q->subject);
    copy(stub_last.q_subject_prefix, sizeof stub_last.q_subject_prefix, q->subject_prefix);
  }
  if (stub_next_code != REG_OK) return reg_error_set(err, stub_next_code, "stub %s", fn);
  return REG_OK;
}

static void record_req(const reg_schema_req_t *req) {
  stub_last.req = *req;
  copy(stub_last.schema, sizeof stub_last.schema, req->schema);
  copy(stub_last.schema_type, sizeof stub_last.schema_type, req->schema_type);
  stub_last.refs = req->references ? (int)json_array_size(req->references) : -1;
}

static reg_code_t answer(reg_code_t rc, json_t **out, json_t *v) {
  if (rc == REG_OK) *out = v;
  else json_decref(v);
  return rc;
}

reg_service_t *reg_service_open(const reg_service_opts_t *opts, reg_error_t *err) {
  (void)opts, (void)err;
  return (reg_service_t *)calloc(1, 1);
}
void reg_service_close(reg_service_t *svc) { free(svc); }

#define Q_FN(name)                                                                          \
  reg_code_t name(reg_service_t *svc, const reg_query_t *q, json_t **out, reg_error_t *err) { \
    (void)svc;                                                                              \
    return answer(record(#name, NULL, NULL, q, err), out, json_array());                     \
  }
Q_FN(reg_svc_list_subjects)
Q_FN(reg_svc_list_schemas)
Q_FN(reg_svc_list_contexts)

#define SQ_FN(name)                                                                              \
  reg_code_t name(reg_service_t *svc, const char *subject, const reg_query_t *q, json_t **out,   \
                  reg_error_t *err) {                                                           \
    (void)svc;                                                                                   \
    return answer(record(#name, subject, NULL, q, err), out, json_pack("[i]", 1));               \
  }
SQ_FN(reg_svc_delete_subject)
SQ_FN(reg_svc_list_versions)
SQ_FN(reg_svc_get_config)
SQ_FN(reg_svc_get_mode)
SQ_FN(reg_svc_delete_mode)

#define SVQ_FN(name)                                                                                   \
  reg_code_t name(reg_service_t *svc, const char *subject, const char *version, const reg_query_t *q,  \
                  json_t **out, reg_error_t *err) {                                                   \
    (void)svc;                                                                                         \
    return answer(record(#name, subject, version, q, err), out, json_pack("{s:s}", "subject", subject)); \
  }
SVQ_FN(reg_svc_get_version)
SVQ_FN(reg_svc_referenced_by)
SVQ_FN(reg_svc_delete_version)

#define ID_FN(name)                                                                                \
  reg_code_t name(reg_service_t *svc, int64_t id, const reg_query_t *q, json_t **out, reg_error_t *err) { \
    (void)svc;                                                                                     \
    stub_last.id = id;                                                                             \
    return answer(record(#name, NULL, NULL, q, err), out, json_pack("{s:I}", "id", (json_int_t)id)); \
  }
ID_FN(reg_svc_get_schema_by_id)

reg_code_t reg_svc_get_schema_by_id_body(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         size_t *out_len, reg_error_t *err) {
  (void)svc;
  stub_last.id = id;
  reg_code_t rc = record("reg_svc_get_schema_by_id_body", NULL, NULL, q, err);
  if (rc == REG_OK && asprintf(out_text, "{\"id\":%lld}", (long long)id) >= 0) *out_len = strlen(*out_text);
  return rc;
}
ID_FN(reg_svc_get_id_subjects)
ID_FN(reg_svc_get_id_versions)

reg_code_t reg_svc_get_latest_with_metadata(reg_service_t *svc, const char *subject, const char *const *keys,
                                            const char *const *values, size_t n, const reg_query_t *q,
                                            json_t **out, reg_error_t *err) {
  (void)svc;
  json_t *pairs = json_object();
  for (size_t i = 0; i < n; i++) json_object_set_new(pairs, keys[i], json_string(values[i]));
  return answer(record("reg_svc_get_latest_with_metadata", subject, NULL, q, err), out, pairs);
}

reg_code_t reg_svc_lookup(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                          const reg_query_t *q, json_t **out, reg_error_t *err) {
  (void)svc;
  record_req(req);
  return answer(record("reg_svc_lookup", subject, NULL, q, err), out, json_pack("{s:i}", "id", 1));
}

reg_code_t reg_svc_register(reg_service_t *svc, const char *subject, const reg_schema_req_t *req,
                            const reg_query_t *q, json_t **out, reg_error_t *err) {
  (void)svc;
  record_req(req);
  return answer(record("reg_svc_register", subject, NULL, q, err), out, json_pack("{s:i}", "id", 1));
}

reg_code_t reg_svc_check_compat(reg_service_t *svc, const char *subject, const char *version,
                                const reg_schema_req_t *req, const reg_query_t *q, json_t **out,
                                reg_error_t *err) {
  (void)svc;
  record_req(req);
  return answer(record("reg_svc_check_compat", subject, version, q, err), out,
                json_pack("{s:b}", "is_compatible", 1));
}

static reg_code_t text_answer(reg_code_t rc, char **out_text) {
  if (rc == REG_OK) *out_text = strdup("{\"type\":\"record\"}");
  return rc;
}

reg_code_t reg_svc_get_version_schema(reg_service_t *svc, const char *subject, const char *version,
                                      const reg_query_t *q, char **out_text, reg_error_t *err) {
  (void)svc;
  return text_answer(record("reg_svc_get_version_schema", subject, version, q, err), out_text);
}

reg_code_t reg_svc_get_schema_text_by_id(reg_service_t *svc, int64_t id, const reg_query_t *q, char **out_text,
                                         reg_error_t *err) {
  (void)svc;
  stub_last.id = id;
  return text_answer(record("reg_svc_get_schema_text_by_id", NULL, NULL, q, err), out_text);
}

reg_code_t reg_svc_schema_types(reg_service_t *svc, json_t **out, reg_error_t *err) {
  (void)svc;
  return answer(record("reg_svc_schema_types", NULL, NULL, NULL, err), out, json_pack("[s]", "AVRO"));
}

static void record_body(json_t *body) {
  char *s = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  copy(stub_last.body, sizeof stub_last.body, s);
  free(s);
}

reg_code_t reg_svc_put_config(reg_service_t *svc, const char *subject, json_t *body, json_t **out,
                              reg_error_t *err) {
  (void)svc;
  record_body(body);
  return answer(record("reg_svc_put_config", subject, NULL, NULL, err), out, json_deep_copy(body));
}

reg_code_t reg_svc_delete_config(reg_service_t *svc, const char *subject, json_t **out, reg_error_t *err) {
  (void)svc;
  return answer(record("reg_svc_delete_config", subject, NULL, NULL, err), out, json_object());
}

reg_code_t reg_svc_put_mode(reg_service_t *svc, const char *subject, json_t *body, const reg_query_t *q,
                            json_t **out, reg_error_t *err) {
  (void)svc;
  record_body(body);
  return answer(record("reg_svc_put_mode", subject, NULL, q, err), out, json_deep_copy(body));
}

reg_code_t reg_svc_delete_context(reg_service_t *svc, const char *context, json_t **out, reg_error_t *err) {
  (void)svc;
  *out = NULL;
  return record("reg_svc_delete_context", context, NULL, NULL, err);
}

reg_code_t reg_svc_metadata_id(reg_service_t *svc, json_t **out, reg_error_t *err) {
  (void)svc;
  return answer(record("reg_svc_metadata_id", NULL, NULL, NULL, err), out, json_object());
}
