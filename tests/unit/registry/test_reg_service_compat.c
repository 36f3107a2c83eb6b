// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_service_compat.c (§4.6, §5.6): missing subject is compatible,
 * explicit missing version 40402, invalid version 42202, verbose messages,
 * parse failures (42201, or is_compatible false with verbose), transitive
 * levels and soft-deleted versions being skipped. */
#include "reg_test_util.h"

static reg_code_t check(reg_service_t *svc, const char *subject, const char *version, const char *schema,
                        bool verbose, json_t **out, reg_error_t *err) {
  reg_schema_req_t req = req_of(schema);
  reg_query_t q = query0();
  q.verbose = verbose;
  *out = NULL;
  return reg_svc_check_compat(svc, subject, version, &req, &q, out, err);
}

static void test_compat_missing_subject_is_compatible(void **state) {
  reg_fixture_t *fx = *state;
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(check(fx->svc, "nope", "latest", SCHEMA_A, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":true}");
  json_decref(out);
  assert_int_equal(check(fx->svc, "nope", NULL, SCHEMA_A, true, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":true,\"messages\":[]}");
  json_decref(out);
  expect_err(check(fx->svc, "nope", "3", SCHEMA_A, false, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND,
             "Version 3 not found.");
  expect_err(check(fx->svc, "nope", "zero", SCHEMA_A, false, &out, &err), &err, REG_ERR_INVALID_VERSION, NULL);
}

static void test_compat_verbose_reports_reasons(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(check(fx->svc, "s", "latest", SCHEMA_B, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":true}");
  json_decref(out);
  assert_int_equal(check(fx->svc, "s", NULL, SCHEMA_C, true, &out, &err), REG_OK);
  assert_true(json_is_false(json_object_get(out, "is_compatible")));
  json_t *msgs = json_object_get(out, "messages");
  assert_true(json_array_size(msgs) >= 2);
  assert_non_null(strstr(jtext(msgs), "READER_FIELD_MISSING_DEFAULT_VALUE"));
  assert_string_equal(json_string_value(json_array_get(msgs, json_array_size(msgs) - 1)),
                      "{validateFields: 'false', compatibility: 'BACKWARD'}");
  json_decref(out);
}

static void test_compat_parse_failure_is_42201_or_verbose_false(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(check(fx->svc, "s", NULL, "{\"type\":", false, &out, &err), &err, REG_ERR_INVALID_SCHEMA,
             "Invalid schema");
  assert_int_equal(check(fx->svc, "s", NULL, "{\"type\":", true, &out, &err), REG_OK);
  assert_true(json_is_false(json_object_get(out, "is_compatible")));
  assert_int_equal(json_array_size(json_object_get(out, "messages")), 1);
  json_decref(out);
}

static void test_compat_transitive_checks_all_live_versions(void **state) {
  reg_fixture_t *fx = *state;
  const char *v1 = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  const char *v2 = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}";
  const char *v3 = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"default\":\"x\"}]}";
  put_config(fx->svc, "s", "{\"compatibility\":\"NONE\"}");
  reg_id(fx->svc, "s", v1);
  reg_id(fx->svc, "s", v2);
  json_t *out = NULL;
  reg_error_t err = {0};
  put_config(fx->svc, "s", "{\"compatibility\":\"BACKWARD\"}");
  assert_int_equal(check(fx->svc, "s", NULL, v3, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":true}");
  json_decref(out);
  put_config(fx->svc, "s", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
  assert_int_equal(check(fx->svc, "s", NULL, v3, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":false}");
  json_decref(out);
  /* soft-deleted versions are never checked */
  delete_version(fx->svc, "s", "1", false, REG_OK);
  assert_int_equal(check(fx->svc, "s", NULL, v3, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":true}");
  json_decref(out);
}

static void test_compat_survives_reopen_with_lazy_parse(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  fx_reopen(fx);
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(check(fx->svc, "s", "1", SCHEMA_C, false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "{\"is_compatible\":false}");
  json_decref(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_compat_missing_subject_is_compatible, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_compat_verbose_reports_reasons, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_compat_parse_failure_is_42201_or_verbose_false, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_compat_transitive_checks_all_live_versions, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_compat_survives_reopen_with_lazy_parse, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
