// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_service_config.c and reg_service_mode.c (§5.7, §5.8): global
 * defaults, subject 40408/40409 vs defaultToGlobal, PUT merge and request
 * shape, 42203/42204 messages, context-level inheritance, DELETE results,
 * IMPORT guard, FORWARD only globally, mode mutability, persistence. */
#include "reg_test_util.h"

static const char *get_config(reg_service_t *svc, const char *subject, bool to_global) {
  reg_query_t q = query0();
  q.default_to_global = to_global;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_config(svc, subject, &q, &out, &err);
  if (rc != REG_OK) return reg_code_name(rc);
  const char *t = jtext(out);
  json_decref(out);
  return t;
}

static const char *get_mode(reg_service_t *svc, const char *subject, bool to_global) {
  reg_query_t q = query0();
  q.default_to_global = to_global;
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_get_mode(svc, subject, &q, &out, &err);
  if (rc != REG_OK) return reg_code_name(rc);
  const char *t = jtext(out);
  json_decref(out);
  return t;
}

static void test_config_defaults_and_subject_not_configured(void **state) {
  reg_fixture_t *fx = *state;
  assert_string_equal(get_config(fx->svc, NULL, false), "{\"compatibilityLevel\":\"BACKWARD\"}");
  assert_string_equal(get_config(fx->svc, "s", false), "REG_ERR_SUBJECT_CONFIG_NOT_FOUND");
  assert_string_equal(get_config(fx->svc, "s", true), "{\"compatibilityLevel\":\"BACKWARD\"}");
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(reg_svc_get_config(fx->svc, "s", &q, &out, &err), &err, REG_ERR_SUBJECT_CONFIG_NOT_FOUND,
             "Subject 's' does not have subject-level compatibility configured");
}

static void test_config_put_merges_and_answers_in_request_shape(void **state) {
  reg_fixture_t *fx = *state;
  json_t *body = json_loads("{\"compatibility\":\"full_transitive\",\"normalize\":true,\"unknown\":1}", 0, NULL);
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_put_config(fx->svc, "s", body, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"compatibility\":\"FULL_TRANSITIVE\",\"normalize\":true}");
  json_decref(out);
  json_decref(body);
  put_config(fx->svc, "s", "{\"normalize\":null}");
  assert_string_equal(get_config(fx->svc, "s", false), "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
  body = json_loads("{\"compatibility\":\"SIDEWAYS\"}", 0, NULL);
  expect_err(reg_svc_put_config(fx->svc, NULL, body, &out, &err), &err, REG_ERR_INVALID_COMPATIBILITY,
             "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, "
             "forward_transitive, and full_transitive");
  json_decref(body);
  fx_reopen(fx);
  assert_string_equal(get_config(fx->svc, "s", false), "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
}

static void test_config_inherits_context_then_global(void **state) {
  reg_fixture_t *fx = *state;
  put_config(fx->svc, NULL, "{\"compatibility\":\"FORWARD\"}");
  assert_string_equal(get_config(fx->svc, NULL, false), "{\"compatibilityLevel\":\"FORWARD\"}");
  assert_string_equal(get_config(fx->svc, ":.ctx:s", true), "{\"compatibilityLevel\":\"FORWARD\"}");
  put_config(fx->svc, ":.ctx:", "{\"compatibility\":\"NONE\"}");
  assert_string_equal(get_config(fx->svc, ":.ctx:s", true), "{\"compatibilityLevel\":\"NONE\"}");
  assert_string_equal(get_config(fx->svc, "s", true), "{\"compatibilityLevel\":\"FORWARD\"}");
  assert_string_equal(get_config(fx->svc, ":.:", false), "{\"compatibilityLevel\":\"FORWARD\"}");
}

static void test_config_delete_returns_deleted_and_40401_when_absent(void **state) {
  reg_fixture_t *fx = *state;
  put_config(fx->svc, "s", "{\"compatibility\":\"FULL\"}");
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_delete_config(fx->svc, "s", &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"compatibilityLevel\":\"FULL\"}");
  json_decref(out);
  expect_err(reg_svc_delete_config(fx->svc, "s", &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND,
             "Subject 's' not found.");
  assert_int_equal(reg_svc_delete_config(fx->svc, NULL, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"compatibilityLevel\":\"BACKWARD\"}");
  json_decref(out);
}

static void test_mode_defaults_put_get_delete(void **state) {
  reg_fixture_t *fx = *state;
  reg_error_t err = {0};
  assert_string_equal(get_mode(fx->svc, NULL, false), "{\"mode\":\"READWRITE\"}");
  assert_string_equal(get_mode(fx->svc, "s", false), "REG_ERR_SUBJECT_MODE_NOT_FOUND");
  assert_string_equal(get_mode(fx->svc, "s", true), "{\"mode\":\"READWRITE\"}");
  assert_int_equal(put_mode(fx->svc, "s", "readonly", false, &err), REG_OK);
  assert_string_equal(get_mode(fx->svc, "s", false), "{\"mode\":\"READONLY\"}");
  expect_err(put_mode(fx->svc, "s", "BOGUS", false, &err), &err, REG_ERR_INVALID_MODE,
             "Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.");
  expect_err(put_mode(fx->svc, "s", "FORWARD", false, &err), &err, REG_ERR_INVALID_MODE,
             "Forward mode only supported on global level");
  fx_reopen(fx);
  assert_string_equal(get_mode(fx->svc, "s", false), "{\"mode\":\"READONLY\"}");
  reg_query_t q = query0();
  json_t *out = NULL;
  assert_int_equal(reg_svc_delete_mode(fx->svc, "s", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"mode\":\"READONLY\"}");
  json_decref(out);
  expect_err(reg_svc_delete_mode(fx->svc, "s", &q, &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND, NULL);
}

static void test_mode_recursive_delete_clears_subject_modes(void **state) {
  reg_fixture_t *fx = *state;
  reg_error_t err = {0};
  reg_id(fx->svc, ":.c:a", SCHEMA_A);
  assert_int_equal(put_mode(fx->svc, ":.c:a", "READONLY", false, &err), REG_OK);
  assert_int_equal(put_mode(fx->svc, ":.c:", "READONLY", false, &err), REG_OK);
  reg_query_t q = query0();
  q.recursive = true;
  json_t *out = NULL;
  assert_int_equal(reg_svc_delete_mode(fx->svc, ":.c:", &q, &out, &err), REG_OK);
  json_decref(out);
  assert_string_equal(get_mode(fx->svc, ":.c:a", false), "REG_ERR_SUBJECT_MODE_NOT_FOUND");
}

static void test_mode_import_purges_soft_deleted_leftovers(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  delete_version(fx->svc, "s", "1", false, REG_OK);
  reg_error_t err = {0};
  assert_int_equal(put_mode(fx->svc, NULL, "IMPORT", false, &err), REG_OK);
  assert_string_equal(versions_of(fx->svc, "s", true), "REG_ERR_SUBJECT_NOT_FOUND");
  reg_schema_req_t req = req_of(SCHEMA_A);
  req.has_id = true;
  req.id = 1;
  json_decref(must_register(fx->svc, "s", &req));
}

static void test_mode_changes_can_be_disabled(void **state) {
  reg_fixture_t *fx = *state;
  reg_service_close(fx->svc);
  reg_service_opts_t opts = {fx->path, "FULL", 0, false};
  reg_error_t err = {0};
  fx->svc = reg_service_open(&opts, &err);
  expect_err(put_mode(fx->svc, NULL, "READONLY", false, &err), &err, REG_ERR_NOT_PERMITTED,
             "Mode changes are not allowed");
  assert_string_equal(get_config(fx->svc, NULL, false), "{\"compatibilityLevel\":\"FULL\"}");
}

static void test_readonly_blocks_config_writes(void **state) {
  reg_fixture_t *fx = *state;
  reg_error_t err = {0};
  assert_int_equal(put_mode(fx->svc, "s", "READONLY", false, &err), REG_OK);
  json_t *body = json_loads("{\"compatibility\":\"NONE\"}", 0, NULL), *out = NULL;
  expect_err(reg_svc_put_config(fx->svc, "s", body, &out, &err), &err, REG_ERR_NOT_PERMITTED, "read-only");
  json_decref(body);
  assert_int_equal(put_mode(fx->svc, "s", "READWRITE", false, &err), REG_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_config_defaults_and_subject_not_configured, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_config_put_merges_and_answers_in_request_shape, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_config_inherits_context_then_global, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_config_delete_returns_deleted_and_40401_when_absent, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_mode_defaults_put_get_delete, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_mode_recursive_delete_clears_subject_modes, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_mode_import_purges_soft_deleted_leftovers, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_mode_changes_can_be_disabled, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_readonly_blocks_config_writes, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
