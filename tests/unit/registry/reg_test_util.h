// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the registry unit tests: a temporary database per test,
 * opening/reopening the service on it, and one-line register/get calls that
 * assert success. Header-only so each test stays one executable. */
#ifndef WEIR_TESTS_REG_TEST_UTIL_H
#define WEIR_TESTS_REG_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reg_service.h"

#define SCHEMA_A "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f1\",\"type\":\"string\"}]}"
#define SCHEMA_A_SPACED \
  "{ \"type\" : \"record\", \"name\": \"r\",\n \"fields\": [ {\"type\":\"string\", \"name\":\"f1\"} ] }"
/* B adds a field with a default: backward compatible with A. */
#define SCHEMA_B                                                                                      \
  "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f1\",\"type\":\"string\"},{\"name\":" \
  "\"f2\",\"type\":\"string\",\"default\":\"x\"}]}"
/* C adds a field without a default: not backward compatible with A. */
#define SCHEMA_C                                                                                      \
  "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"f1\",\"type\":\"string\"},{\"name\":" \
  "\"f3\",\"type\":\"int\"}]}"

typedef struct reg_fixture {
  char dir[64];
  char path[96];
  reg_service_t *svc;
} reg_fixture_t;

static inline reg_service_t *fx_open(reg_fixture_t *fx) {
  reg_service_opts_t opts = {fx->path, "BACKWARD", 1 << 20, true};
  reg_error_t err = {0};
  fx->svc = reg_service_open(&opts, &err);
  if (!fx->svc) fprintf(stderr, "open failed: %s\n", err.message);
  assert_non_null(fx->svc);
  return fx->svc;
}

static inline void fx_reopen(reg_fixture_t *fx) {
  reg_service_close(fx->svc);
  fx_open(fx);
}

static inline int fx_setup(void **state) {
  reg_fixture_t *fx = calloc(1, sizeof *fx);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/weir-reg-test-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->path, sizeof fx->path, "%s/registry.db", fx->dir);
  fx_open(fx);
  *state = fx;
  return 0;
}

static inline int fx_teardown(void **state) {
  reg_fixture_t *fx = *state;
  reg_service_close(fx->svc);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  if (system(cmd) != 0) return -1;
  free(fx);
  return 0;
}

static inline reg_schema_req_t req_of(const char *schema) {
  reg_schema_req_t req = {0};
  req.schema = schema;
  req.schema_len = schema ? strlen(schema) : 0;
  return req;
}

static inline reg_query_t query0(void) {
  reg_query_t q = {0};
  q.limit = -1;
  return q;
}

/* Registers and returns the response (asserts REG_OK). */
static inline json_t *must_register(reg_service_t *svc, const char *subject, const reg_schema_req_t *req) {
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_register(svc, subject, req, &q, &out, &err);
  if (rc != REG_OK) fprintf(stderr, "register %s: %s %s\n", subject, reg_code_name(rc), err.message);
  assert_int_equal(rc, REG_OK);
  return out;
}

static inline int64_t reg_id(reg_service_t *svc, const char *subject, const char *schema) {
  reg_schema_req_t req = req_of(schema);
  json_t *out = must_register(svc, subject, &req);
  int64_t id = json_integer_value(json_object_get(out, "id"));
  json_decref(out);
  return id;
}

static inline int64_t reg_version(reg_service_t *svc, const char *subject, const char *schema) {
  reg_schema_req_t req = req_of(schema);
  json_t *out = must_register(svc, subject, &req);
  int64_t v = json_integer_value(json_object_get(out, "version"));
  json_decref(out);
  return v;
}

/* Expects `rc` to be `code`, and the message to contain `needle` (if set). */
static inline void expect_err(reg_code_t rc, const reg_error_t *err, reg_code_t code, const char *needle) {
  if (rc != code || (needle && !strstr(err->message, needle)))
    fprintf(stderr, "got %s \"%s\"; wanted %s \"%s\"\n", reg_code_name(rc), err->message, reg_code_name(code),
            needle ? needle : "");
  assert_int_equal(rc, code);
  if (needle) assert_non_null(strstr(err->message, needle));
}

/* Compact JSON text of v (static buffer; one use per expression). */
static inline const char *jtext(json_t *v) {
  static char buf[8192];
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
  free(s);
  return buf;
}

static inline void delete_version(reg_service_t *svc, const char *subject, const char *version, bool permanent,
                                  reg_code_t want) {
  reg_query_t q = query0();
  q.permanent = permanent;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_delete_version(svc, subject, version, &q, &out, &err);
  expect_err(rc, &err, want, NULL);
  json_decref(out);
}

static inline const char *versions_of(reg_service_t *svc, const char *subject, bool deleted) {
  reg_query_t q = query0();
  q.deleted = deleted;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_list_versions(svc, subject, &q, &out, &err);
  if (rc != REG_OK) return reg_code_name(rc);
  const char *t = jtext(out);
  json_decref(out);
  return t;
}

static inline void put_config(reg_service_t *svc, const char *subject, const char *body_text) {
  json_t *body = json_loads(body_text, 0, NULL), *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_put_config(svc, subject, body, &out, &err), REG_OK);
  json_decref(body);
  json_decref(out);
}

static inline reg_code_t put_mode(reg_service_t *svc, const char *subject, const char *mode, bool force,
                                  reg_error_t *err) {
  json_t *body = json_pack("{s:s}", "mode", mode), *out = NULL;
  reg_query_t q = query0();
  q.force = force;
  reg_code_t rc = reg_svc_put_mode(svc, subject, body, &q, &out, err);
  json_decref(body);
  json_decref(out);
  return rc;
}

#endif
