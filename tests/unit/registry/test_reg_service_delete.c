// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_service_delete.c (§5.5): soft then permanent deletes of
 * versions and subjects with their exact 4040x messages, returned lists,
 * reference guards, READONLY, config/mode dropped with the last version, and
 * DELETE /contexts. */
#include "reg_test_util.h"

static reg_code_t del_subject(reg_service_t *svc, const char *s, bool permanent, json_t **out, reg_error_t *err) {
  reg_query_t q = query0();
  q.permanent = permanent;
  *out = NULL;
  return reg_svc_delete_subject(svc, s, &q, out, err);
}

static void test_delete_version_soft_then_permanent_with_exact_messages(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  q.permanent = true;
  expect_err(reg_svc_delete_version(fx->svc, "s", "2", &q, &out, &err), &err, REG_ERR_VERSION_NOT_SOFT_DELETED,
             "Subject 's' Version 2 was not deleted first before being permanently deleted");
  q.permanent = false;
  assert_int_equal(reg_svc_delete_version(fx->svc, "s", "2", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "2");
  json_decref(out);
  expect_err(reg_svc_delete_version(fx->svc, "s", "2", &q, &out, &err), &err, REG_ERR_VERSION_SOFT_DELETED,
             "Subject 's' Version 2 was soft deleted.Set permanent=true to delete permanently");
  expect_err(reg_svc_delete_version(fx->svc, "s", "7", &q, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND,
             "Version 7 not found.");
  q.permanent = true;
  assert_int_equal(reg_svc_delete_version(fx->svc, "s", "2", &q, &out, &err), REG_OK);
  json_decref(out);
  expect_err(reg_svc_delete_version(fx->svc, "s", "2", &q, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND, NULL);
  /* id 2 disappeared with its last version */
  q = query0();
  expect_err(reg_svc_get_schema_by_id(fx->svc, 2, &q, &out, &err), &err, REG_ERR_SCHEMA_NOT_FOUND, NULL);
  expect_err(reg_svc_delete_version(fx->svc, "s", "x", &q, &out, &err), &err, REG_ERR_INVALID_VERSION, NULL);
}

static void test_delete_version_twice_soft_is_40406_and_latest_skips_deleted(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  delete_version(fx->svc, "s", "1", false, REG_OK);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(reg_svc_delete_version(fx->svc, "s", "1", &q, &out, &err), &err, REG_ERR_VERSION_SOFT_DELETED, NULL);
  /* "latest" means the latest live version: v2 */
  assert_int_equal(reg_svc_delete_version(fx->svc, "s", "latest", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "2");
  json_decref(out);
}

static void test_delete_subject_soft_then_permanent(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(del_subject(fx->svc, "s", true, &out, &err), &err, REG_ERR_SUBJECT_NOT_SOFT_DELETED,
             "Subject 's' was not deleted first before being permanently deleted");
  assert_int_equal(del_subject(fx->svc, "s", false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[1,2]");
  json_decref(out);
  expect_err(del_subject(fx->svc, "s", false, &out, &err), &err, REG_ERR_SUBJECT_SOFT_DELETED,
             "Subject 's' was soft deleted.Set permanent=true to delete permanently");
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_C), 3);
  assert_int_equal(del_subject(fx->svc, "s", false, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[3]");
  json_decref(out);
  assert_int_equal(del_subject(fx->svc, "s", true, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[1,2,3]");
  json_decref(out);
  expect_err(del_subject(fx->svc, "s", true, &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND, "Subject 's' not found.");
  expect_err(del_subject(fx->svc, "never", false, &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND, NULL);
}

static void test_delete_subject_and_register_again_continues_versions(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(del_subject(fx->svc, "s", false, &out, &err), REG_OK);
  json_decref(out);
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_A), 3);
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_B), 4);
  assert_string_equal(versions_of(fx->svc, "s", false), "[3,4]");
  reg_query_t q = query0();
  expect_err(reg_svc_get_version(fx->svc, "s", "1", &q, &out, &err), &err, REG_ERR_VERSION_NOT_FOUND, NULL);
}

static void test_delete_blocked_by_references_from_other_subjects(void **state) {
  reg_fixture_t *fx = *state;
  const char *addr = "{\"type\":\"record\",\"name\":\"Addr\",\"fields\":[{\"name\":\"s\",\"type\":\"string\"}]}";
  const char *person = "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"a\",\"type\":\"Addr\"}]}";
  reg_id(fx->svc, "addr", addr);
  reg_schema_req_t req = req_of(person);
  req.references = json_loads("[{\"name\":\"Addr\",\"subject\":\"addr\",\"version\":1}]", 0, NULL);
  json_decref(must_register(fx->svc, "person", &req));
  json_decref(req.references);
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(del_subject(fx->svc, "addr", false, &out, &err), &err, REG_ERR_REFERENCE_EXISTS,
             "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=addr,version=1}.");
  /* a soft-deleted referrer still blocks a permanent delete */
  assert_int_equal(del_subject(fx->svc, "person", false, &out, &err), REG_OK);
  json_decref(out);
  assert_int_equal(del_subject(fx->svc, "addr", false, &out, &err), REG_OK);
  json_decref(out);
  expect_err(del_subject(fx->svc, "addr", true, &out, &err), &err, REG_ERR_REFERENCE_EXISTS, NULL);
  assert_int_equal(del_subject(fx->svc, "person", true, &out, &err), REG_OK);
  json_decref(out);
  assert_int_equal(del_subject(fx->svc, "addr", true, &out, &err), REG_OK);
  json_decref(out);
}

static void test_readonly_blocks_deletes(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_error_t err = {0};
  assert_int_equal(put_mode(fx->svc, NULL, "READONLY", false, &err), REG_OK);
  json_t *out = NULL;
  expect_err(del_subject(fx->svc, "s", false, &out, &err), &err, REG_ERR_NOT_PERMITTED, "read-only mode");
  reg_query_t q = query0();
  expect_err(reg_svc_delete_version(fx->svc, "s", "1", &q, &out, &err), &err, REG_ERR_NOT_PERMITTED, NULL);
}

static void test_permanent_delete_drops_subject_config_and_mode(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  put_config(fx->svc, "s", "{\"compatibility\":\"FULL\"}");
  reg_error_t err = {0};
  assert_int_equal(put_mode(fx->svc, "s", "READWRITE", false, &err), REG_OK);
  json_t *out = NULL;
  assert_int_equal(del_subject(fx->svc, "s", false, &out, &err), REG_OK);
  json_decref(out);
  reg_query_t q = query0();
  assert_int_equal(reg_svc_get_config(fx->svc, "s", &q, &out, &err), REG_OK); /* survives soft delete */
  json_decref(out);
  assert_int_equal(del_subject(fx->svc, "s", true, &out, &err), REG_OK);
  json_decref(out);
  fx_reopen(fx);
  expect_err(reg_svc_get_config(fx->svc, "s", &q, &out, &err), &err, REG_ERR_SUBJECT_CONFIG_NOT_FOUND, NULL);
  expect_err(reg_svc_get_mode(fx->svc, "s", &q, &out, &err), &err, REG_ERR_SUBJECT_MODE_NOT_FOUND, NULL);
}

/* The cached GET /schemas/ids/{id} body equals the rendered object, other
 * query shapes bypass it, and a hard delete takes it away with the record. */
static void test_cached_id_body_matches_rendering_and_goes_with_hard_delete(void **state) {
  reg_fixture_t *fx = *state;
  int64_t id = reg_id(fx->svc, "s", SCHEMA_A);
  reg_query_t q = query0();
  reg_error_t err = {0};
  json_t *obj = NULL;
  assert_int_equal(reg_svc_get_schema_by_id(fx->svc, id, &q, &obj, &err), REG_OK);
  char *want = json_dumps(obj, JSON_COMPACT);
  json_decref(obj);
  for (int round = 0; round < 2; round++) { /* render, then from the cache */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(reg_svc_get_schema_by_id_body(fx->svc, id, &q, &text, &len, &err), REG_OK);
    assert_string_equal(text, want);
    assert_int_equal(len, strlen(want));
    free(text);
  }
  free(want);
  q.fetch_max_id = true;
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(reg_svc_get_schema_by_id_body(fx->svc, id, &q, &text, &len, &err), REG_OK);
  assert_non_null(strstr(text, "\"maxId\":1"));
  free(text);
  q = query0();
  delete_version(fx->svc, "s", "1", false, REG_OK);
  delete_version(fx->svc, "s", "1", true, REG_OK);
  text = NULL;
  assert_int_equal(reg_svc_get_schema_by_id_body(fx->svc, id, &q, &text, &len, &err), REG_ERR_SCHEMA_NOT_FOUND);
  assert_null(text);
}

static void test_delete_context_requires_empty(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, ":.ctx:s", SCHEMA_A);
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(reg_svc_delete_context(fx->svc, ".ctx", &out, &err), &err, REG_ERR_CONTEXT_NOT_EMPTY,
             "The specified context '.ctx' is not empty.");
  assert_int_equal(del_subject(fx->svc, ":.ctx:s", false, &out, &err), REG_OK);
  json_decref(out);
  expect_err(reg_svc_delete_context(fx->svc, ".ctx", &out, &err), &err, REG_ERR_CONTEXT_NOT_EMPTY, NULL);
  assert_int_equal(del_subject(fx->svc, ":.ctx:s", true, &out, &err), REG_OK);
  json_decref(out);
  assert_int_equal(reg_svc_delete_context(fx->svc, ".ctx", &out, &err), REG_OK);
  assert_null(out);
  fx_reopen(fx);
  reg_query_t q = query0();
  assert_int_equal(reg_svc_list_contexts(fx->svc, &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[\".\"]");
  json_decref(out);
  /* ids in a re-created context are still never reused */
  assert_int_equal(reg_id(fx->svc, ":.ctx:s", SCHEMA_A), 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_cached_id_body_matches_rendering_and_goes_with_hard_delete, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_version_soft_then_permanent_with_exact_messages, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_version_twice_soft_is_40406_and_latest_skips_deleted, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_subject_soft_then_permanent, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_subject_and_register_again_continues_versions, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_blocked_by_references_from_other_subjects, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_readonly_blocks_deletes, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_permanent_delete_drops_subject_config_and_mode, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_delete_context_requires_empty, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
