// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_service_read.c and reg_service_ids.c: versions and "latest",
 * 42202 messages, subject/version listings with deleted flags and prefixes,
 * schema by id (subject, fetchMaxId, contexts), id subjects/versions,
 * GET /schemas and /contexts. */
#include "reg_test_util.h"

static void test_get_version_accepts_latest_minus_one_and_rejects_others(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  const char *latest[] = {"latest", "LATEST", "-1"};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(reg_svc_get_version(fx->svc, "s", latest[i], &q, &out, &err), REG_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
    json_decref(out);
  }
  assert_int_equal(reg_svc_get_version(fx->svc, "s", "1", &q, &out, &err), REG_OK);
  assert_string_equal(json_string_value(json_object_get(out, "schemaType")), "AVRO");
  assert_null(json_object_get(out, "deleted"));
  json_decref(out);
  const char *bad[] = {"0", "-2", "abc", "2147483648", ""};
  for (int i = 0; i < 5; i++)
    expect_err(reg_svc_get_version(fx->svc, "s", bad[i], &q, &out, &err), &err, REG_ERR_INVALID_VERSION,
               "is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  expect_err(reg_svc_get_version(fx->svc, "s", "9", &q, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND,
             "Version 9 not found.");
  expect_err(reg_svc_get_version(fx->svc, "x", "1", &q, &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND,
             "Subject 'x' not found.");
}

static void test_latest_moves_back_after_soft_delete_and_deleted_flag_reads(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  delete_version(fx->svc, "s", "2", false, REG_OK);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_get_version(fx->svc, "s", "latest", &q, &out, &err), REG_OK);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
  json_decref(out);
  expect_err(reg_svc_get_version(fx->svc, "s", "2", &q, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND, NULL);
  q.deleted = true;
  assert_int_equal(reg_svc_get_version(fx->svc, "s", "2", &q, &out, &err), REG_OK);
  assert_true(json_is_true(json_object_get(out, "deleted")));
  json_decref(out);
  q = query0();
  q.deleted_only = true;
  assert_int_equal(reg_svc_list_versions(fx->svc, "s", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[2]");
  json_decref(out);
  q = query0();
  q.deleted_as_negative = true;
  assert_int_equal(reg_svc_list_versions(fx->svc, "s", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[1,-2]");
  json_decref(out);
}

static void test_list_subjects_filters_deleted_prefix_and_contexts(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "b", SCHEMA_A);
  reg_id(fx->svc, "a", SCHEMA_A);
  reg_id(fx->svc, "gone", SCHEMA_A);
  reg_id(fx->svc, ":.ctx:c", SCHEMA_A);
  delete_version(fx->svc, "gone", "1", false, REG_OK);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\":.ctx:c\",\"a\",\"b\"]");
  json_decref(out);
  q.deleted = true;
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\":.ctx:c\",\"a\",\"b\",\"gone\"]");
  json_decref(out);
  q = query0();
  q.deleted_only = true;
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\"gone\"]");
  json_decref(out);
  q = query0();
  q.subject_prefix = ":.ctx:";
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\":.ctx:c\"]");
  json_decref(out);
  q.subject_prefix = "a";
  q.offset = 0;
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\"a\"]");
  json_decref(out);
  q = query0();
  q.offset = 1;
  q.limit = 1;
  assert_int_equal(reg_svc_list_subjects(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\"a\"]");
  json_decref(out);
  q = query0();
  assert_int_equal(reg_svc_list_contexts(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\".\",\".ctx\"]");
  json_decref(out);
}

static void test_schema_by_id_with_subject_max_id_and_contexts(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  reg_id(fx->svc, ":.ctx:t", SCHEMA_C);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, 1, &q, &out, &err), REG_OK);
  assert_null(json_object_get(out, "subject"));
  assert_null(json_object_get(out, "maxId"));
  assert_string_equal(json_string_value(json_object_get(out, "schemaType")), "AVRO");
  json_decref(out);
  q.fetch_max_id = true;
  q.subject = "s";
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, 2, &q, &out, &err), REG_OK);
  assert_int_equal(json_integer_value(json_object_get(out, "maxId")), 2);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
  json_decref(out);
  q = query0();
  expect_err(reg_svc_get_schema_by_id(fx->svc, 3, &q, &out, &err), &err, REG_ERR_SCHEMA_NOT_FOUND,
             "Schema 3 not found");
  q.subject = ":.ctx:";
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, 1, &q, &out, &err), REG_OK);
  assert_non_null(strstr(json_string_value(json_object_get(out, "schema")), "f3"));
  json_decref(out);
  q.subject = "t"; /* unqualified: retried in every context */
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, 1, &q, &out, &err), REG_OK);
  assert_string_equal(json_string_value(json_object_get(out, "subject")), ":.ctx:t");
  json_decref(out);
  char *text = NULL;
  q = query0();
  assert_int_equal(reg_svc_get_schema_text_by_id(fx->svc, 1, &q, &text, &err), REG_OK);
  assert_string_equal(text, SCHEMA_A);
  free(text);
}

static void test_id_subjects_and_versions_honour_deleted(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s2", SCHEMA_A);
  reg_id(fx->svc, "s1", SCHEMA_A);
  delete_version(fx->svc, "s2", "1", false, REG_OK);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_get_id_subjects(fx->svc, 1, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\"s1\"]");
  json_decref(out);
  q.deleted = true;
  assert_int_equal(reg_svc_get_id_versions(fx->svc, 1, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[{\"subject\":\"s1\",\"version\":1},{\"subject\":\"s2\",\"version\":1}]");
  json_decref(out);
  /* soft-deleted ids stay readable */
  delete_version(fx->svc, "s1", "1", false, REG_OK);
  q = query0();
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, 1, &q, &out, &err), REG_OK);
  json_decref(out);
  expect_err(reg_svc_get_id_subjects(fx->svc, 9, &q, &out, &err), &err, REG_ERR_SCHEMA_NOT_FOUND, NULL);
}

static void test_list_schemas_latest_only_and_prefix(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  reg_id(fx->svc, "t", SCHEMA_A);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_list_schemas(fx->svc, &q, &out, &err), REG_OK);
  assert_int_equal(json_array_size(out), 3);
  json_decref(out);
  q.latest_only = true;
  q.subject_prefix = "s";
  assert_int_equal(reg_svc_list_schemas(fx->svc, &q, &out, &err), REG_OK);
  assert_int_equal(json_array_size(out), 1);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 0), "version")), 2);
  json_decref(out);
  assert_int_equal(reg_svc_schema_types(fx->svc, &out, &err), REG_OK);
  assert_true(json_array_size(out) >= 1);
  json_decref(out);
}

static void test_reads_survive_reopen(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  delete_version(fx->svc, "s", "1", false, REG_OK);
  fx_reopen(fx);
  assert_string_equal(versions_of(fx->svc, "s", false), "[2]");
  assert_string_equal(versions_of(fx->svc, "s", true), "[1,2]");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_get_version_accepts_latest_minus_one_and_rejects_others, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_latest_moves_back_after_soft_delete_and_deleted_flag_reads, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_list_subjects_filters_deleted_prefix_and_contexts, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_schema_by_id_with_subject_max_id_and_contexts, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_id_subjects_and_versions_honour_deleted, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_list_schemas_latest_only_and_prefix, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_reads_survive_reopen, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
