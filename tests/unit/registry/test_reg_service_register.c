// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_service_register.c (register + lookup, §5.1-§5.3): ids and
 * versions, idempotency, canonical dedup, compatibility gate, explicit
 * versions, request validation, IMPORT ids, references, and persistence
 * across reopen (ids never reused). */
#include "reg_test_util.h"

static void test_register_assigns_id_and_version_and_reuses_id_across_subjects(void **state) {
  reg_fixture_t *fx = *state;
  reg_schema_req_t req = req_of(SCHEMA_A);
  json_t *out = must_register(fx->svc, "s1", &req);
  const char *guid = json_string_value(json_object_get(out, "guid"));
  assert_non_null(guid);
  assert_int_equal(strlen(guid), 36);
  assert_true(guid[8] == '-' && guid[13] == '-' && guid[18] == '-' && guid[23] == '-');
  assert_true(json_integer_value(json_object_get(out, "ts")) > 1600000000000LL);
  json_object_del(out, "guid");
  json_object_del(out, "ts");
  assert_string_equal(jtext(out), "{\"id\":1,\"version\":1,\"schemaType\":\"AVRO\",\"schema\":"
                                  "\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"r\\\",\\\"fields\\\":[{\\\"name\\\":"
                                  "\\\"f1\\\",\\\"type\\\":\\\"string\\\"}]}\"}");
  json_decref(out);
  assert_int_equal(reg_id(fx->svc, "s2", SCHEMA_A), 1);
  assert_int_equal(reg_version(fx->svc, "s2", SCHEMA_A), 1);
  assert_int_equal(reg_id(fx->svc, "s1", SCHEMA_B), 2);
}

static void test_register_is_idempotent_and_dedups_canonical_whitespace(void **state) {
  reg_fixture_t *fx = *state;
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_A), 1);
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_A_SPACED), 1);
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_A_SPACED), 1);
  assert_string_equal(versions_of(fx->svc, "s", false), "[1]");
}

static void test_register_primitive_collapses_to_canonical_string(void **state) {
  reg_fixture_t *fx = *state;
  assert_int_equal(reg_id(fx->svc, "p", "{\"type\":\"string\"}"), 1);
  assert_int_equal(reg_id(fx->svc, "p", "\"string\""), 1);
  reg_query_t q = query0();
  char *text = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_get_version_schema(fx->svc, "p", "latest", &q, &text, &err), REG_OK);
  assert_string_equal(text, "\"string\"");
  free(text);
}

static void test_register_incompatible_returns_409_with_confluent_details(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_schema_req_t req = req_of(SCHEMA_C);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_code_t rc = reg_svc_register(fx->svc, "s", &req, &q, &out, &err);
  expect_err(rc, &err, REG_ERR_INCOMPATIBLE,
             "Schema being registered is incompatible with an earlier schema for subject \"s\", details: [");
  assert_non_null(strstr(err.message, "READER_FIELD_MISSING_DEFAULT_VALUE"));
  assert_non_null(strstr(err.message, "oldSchemaVersion:"));
  assert_non_null(strstr(err.message, "{validateFields: 'false', compatibility: 'BACKWARD'}]"));
  /* force skips the check; NONE config too */
  put_config(fx->svc, "s", "{\"compatibility\":\"NONE\"}");
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_C), 2);
}

static void test_register_explicit_version_must_be_next(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_schema_req_t req = req_of(SCHEMA_B);
  req.has_version = true;
  req.version = 3;
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_INVALID_SCHEMA,
             "Version is not one more than previous version");
  req.version = 2;
  out = must_register(fx->svc, "s", &req);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
  json_decref(out);
}

static void test_register_rejects_bad_requests_with_confluent_messages(void **state) {
  reg_fixture_t *fx = *state;
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  reg_schema_req_t req = req_of(SCHEMA_A);
  req.schema_type = "XML";
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_INVALID_SCHEMA,
             "Invalid schema type XML");
  req = req_of("");
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_INVALID_SCHEMA, "Empty schema");
  req = req_of("{\"type\":\"record\"");
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_INVALID_SCHEMA, "Invalid schema");
  req = req_of(SCHEMA_A);
  expect_err(reg_svc_register(fx->svc, "bad\x01subject", &req, &q, &out, &err), &err, REG_ERR_INVALID_SUBJECT,
             "The specified subject 'bad\x01subject' is not a valid.");
  expect_err(reg_svc_register(fx->svc, "__GLOBAL", &req, &q, &out, &err), &err, REG_ERR_INVALID_SUBJECT, NULL);
  req.rule_set = json_loads("{\"domainRules\":[{\"name\":\"9bad\"}]}", 0, NULL);
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_INVALID_RULESET, NULL);
  json_decref(req.rule_set);
  assert_null(out);
}

static void test_register_rejects_schema_over_the_size_limit(void **state) {
  reg_fixture_t *fx = *state;
  reg_service_close(fx->svc);
  reg_service_opts_t opts = {fx->path, "BACKWARD", 16, true};
  reg_error_t err = {0};
  fx->svc = reg_service_open(&opts, &err);
  reg_schema_req_t req = req_of(SCHEMA_A);
  reg_query_t q = query0();
  json_t *out = NULL;
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_SCHEMA_TOO_LARGE,
             "Register operation failed because schema is too large");
}

static void test_register_metadata_and_rule_set_are_identity_and_returned(void **state) {
  reg_fixture_t *fx = *state;
  reg_schema_req_t req = req_of(SCHEMA_A);
  req.metadata = json_loads("{\"properties\":{\"owner\":\"bob\"}}", 0, NULL);
  req.rule_set = json_loads("{\"domainRules\":[{\"name\":\"checkLen\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\"}]}",
                            0, NULL);
  json_t *out = must_register(fx->svc, "s", &req);
  assert_int_equal(json_integer_value(json_object_get(out, "id")), 1);
  assert_true(json_equal(json_object_get(out, "metadata"), req.metadata));
  assert_true(json_equal(json_object_get(out, "ruleSet"), req.rule_set));
  json_decref(out);
  json_decref(req.metadata);
  json_decref(req.rule_set);
  /* same text without metadata: the subject's version is found again (§5.12
   * inherit), while a fresh subject gets another identity */
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_A), 1);
  assert_int_equal(reg_id(fx->svc, "t", SCHEMA_A), 2);
}

static void test_register_version_follows_soft_deleted_max_and_tombstones_same_id(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  delete_version(fx->svc, "s", "2", false, REG_OK);
  assert_string_equal(versions_of(fx->svc, "s", false), "[1]");
  delete_version(fx->svc, "s", "latest", false, REG_OK);
  assert_string_equal(versions_of(fx->svc, "s", false), "REG_ERR_SUBJECT_NOT_FOUND");
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_A), 3);
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_A), 1);
  assert_string_equal(versions_of(fx->svc, "s", true), "[2,3]"); /* old v1 tombstoned */
  fx_reopen(fx);
  assert_string_equal(versions_of(fx->svc, "s", true), "[2,3]");
}

static void test_register_hard_deleted_version_number_is_reused(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  delete_version(fx->svc, "s", "2", false, REG_OK);
  delete_version(fx->svc, "s", "2", true, REG_OK);
  delete_version(fx->svc, "s", "1", false, REG_OK);
  assert_int_equal(reg_version(fx->svc, "s", SCHEMA_A), 2);
}

static void test_register_ids_survive_reopen_and_are_never_reused(void **state) {
  reg_fixture_t *fx = *state;
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_A), 1);
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_B), 2);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_delete_subject(fx->svc, "s", &q, &out, &err), REG_OK);
  json_decref(out);
  q.permanent = true;
  assert_int_equal(reg_svc_delete_subject(fx->svc, "s", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[1,2]");
  json_decref(out);
  fx_reopen(fx);
  assert_int_equal(reg_id(fx->svc, "t", SCHEMA_A), 3); /* md5 mapping gone, max id kept */
  fx_reopen(fx);
  assert_int_equal(reg_id(fx->svc, "t", SCHEMA_A), 3);
  assert_int_equal(reg_id(fx->svc, "u", SCHEMA_C), 4);
}

static void test_register_readonly_blocks_new_but_allows_idempotent(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_error_t err = {0};
  assert_int_equal(put_mode(fx->svc, "s", "READONLY", false, &err), REG_OK);
  assert_int_equal(reg_id(fx->svc, "s", SCHEMA_A), 1);
  reg_schema_req_t req = req_of(SCHEMA_B);
  reg_query_t q = query0();
  json_t *out = NULL;
  expect_err(reg_svc_register(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_NOT_PERMITTED,
             "Subject s in context . is in read-only mode");
}

static void test_register_import_mode_takes_explicit_ids(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_error_t err = {0};
  reg_query_t q = query0();
  json_t *out = NULL;
  expect_err(put_mode(fx->svc, NULL, "IMPORT", false, &err), &err, REG_ERR_NOT_PERMITTED,
             "Cannot import since found existing subjects");
  assert_int_equal(put_mode(fx->svc, NULL, "IMPORT", true, &err), REG_OK);
  reg_schema_req_t req = req_of(SCHEMA_C);
  expect_err(reg_svc_register(fx->svc, "imp", &req, &q, &out, &err), &err, REG_ERR_NOT_PERMITTED,
             "is not in read-write mode");
  req.has_id = true;
  req.id = 100;
  req.has_version = true;
  req.version = 7;
  out = must_register(fx->svc, "imp", &req);
  assert_int_equal(json_integer_value(json_object_get(out, "id")), 100);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 7);
  json_decref(out);
  req = req_of(SCHEMA_B);
  req.has_id = true;
  req.id = 100;
  expect_err(reg_svc_register(fx->svc, "imp2", &req, &q, &out, &err), &err, REG_ERR_NOT_PERMITTED,
             "Overwrite new schema with id 100 in context . is not permitted.");
  assert_int_equal(put_mode(fx->svc, NULL, "READWRITE", false, &err), REG_OK);
  assert_int_equal(reg_id(fx->svc, "n", SCHEMA_B), 101);
  req = req_of(SCHEMA_A);
  req.has_id = true;
  req.id = 5;
  expect_err(reg_svc_register(fx->svc, "n2", &req, &q, &out, &err), &err, REG_ERR_NOT_PERMITTED,
             "is not in import mode");
}

static void test_register_references_resolve_and_store_concrete_versions(void **state) {
  reg_fixture_t *fx = *state;
  const char *addr = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"acme\",\"fields\":"
                     "[{\"name\":\"street\",\"type\":\"string\"}]}";
  const char *person = "{\"type\":\"record\",\"name\":\"Person\",\"fields\":[{\"name\":\"home\",\"type\":"
                       "\"acme.Address\"}]}";
  reg_id(fx->svc, "address", addr);
  reg_schema_req_t req = req_of(person);
  req.references = json_loads("[{\"name\":\"acme.Address\",\"subject\":\"address\",\"version\":-1}]", 0, NULL);
  json_t *out = must_register(fx->svc, "person", &req);
  assert_int_equal(json_integer_value(json_object_get(out, "id")), 2);
  assert_string_equal(jtext(json_object_get(out, "references")),
                      "[{\"name\":\"acme.Address\",\"subject\":\"address\",\"version\":1}]");
  json_decref(out);
  json_decref(req.references);
  req.references = json_loads("[{\"name\":\"acme.Address\",\"subject\":\"nope\",\"version\":1}]", 0, NULL);
  reg_query_t q = query0();
  reg_error_t err = {0};
  expect_err(reg_svc_register(fx->svc, "person2", &req, &q, &out, &err), &err, REG_ERR_INVALID_SCHEMA,
             "No schema reference found for subject \"nope\" and version 1");
  json_decref(req.references);
  q.deleted = false;
  expect_err(reg_svc_delete_version(fx->svc, "address", "1", &q, &out, &err), &err, REG_ERR_REFERENCE_EXISTS,
             "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}.");
  assert_int_equal(reg_svc_referenced_by(fx->svc, "address", "1", &q, &out, &err), REG_OK);
  assert_string_equal(jtext(out), "[2]");
  json_decref(out);
}

static void test_lookup_finds_version_and_distinguishes_40401_40403(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  reg_schema_req_t req = req_of(SCHEMA_A_SPACED);
  reg_query_t q = query0();
  json_t *out = NULL;
  reg_error_t err = {0};
  assert_int_equal(reg_svc_lookup(fx->svc, "s", &req, &q, &out, &err), REG_OK);
  assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
  assert_string_equal(json_string_value(json_object_get(out, "subject")), "s");
  json_decref(out);
  expect_err(reg_svc_lookup(fx->svc, "nope", &req, &q, &out, &err), &err, REG_ERR_SUBJECT_NOT_FOUND,
             "Subject 'nope' not found.");
  req = req_of(SCHEMA_C);
  expect_err(reg_svc_lookup(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_SCHEMA_NOT_FOUND, "Schema not found");
  delete_version(fx->svc, "s", "1", false, REG_OK);
  req = req_of(SCHEMA_A);
  expect_err(reg_svc_lookup(fx->svc, "s", &req, &q, &out, &err), &err, REG_ERR_SCHEMA_NOT_FOUND, NULL);
  q.deleted = true;
  assert_int_equal(reg_svc_lookup(fx->svc, "s", &req, &q, &out, &err), REG_OK);
  assert_true(json_is_true(json_object_get(out, "deleted")));
  json_decref(out);
}

static void test_register_in_context_has_own_id_space(void **state) {
  reg_fixture_t *fx = *state;
  reg_id(fx->svc, "s", SCHEMA_A);
  reg_id(fx->svc, "s", SCHEMA_B);
  assert_int_equal(reg_id(fx->svc, ":.ctx1:s", SCHEMA_B), 1);
  assert_int_equal(reg_id(fx->svc, ":.ctx1:t", SCHEMA_A), 2);
  assert_int_equal(reg_id(fx->svc, ":.:s", SCHEMA_B), 2);
  fx_reopen(fx);
  assert_int_equal(reg_id(fx->svc, ":.ctx1:u", SCHEMA_C), 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_register_assigns_id_and_version_and_reuses_id_across_subjects, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_is_idempotent_and_dedups_canonical_whitespace, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_primitive_collapses_to_canonical_string, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_incompatible_returns_409_with_confluent_details, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_explicit_version_must_be_next, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_rejects_bad_requests_with_confluent_messages, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_rejects_schema_over_the_size_limit, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_metadata_and_rule_set_are_identity_and_returned, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_version_follows_soft_deleted_max_and_tombstones_same_id,
                                      fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_hard_deleted_version_number_is_reused, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_ids_survive_reopen_and_are_never_reused, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_readonly_blocks_new_but_allows_idempotent, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_import_mode_takes_explicit_ids, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_references_resolve_and_store_concrete_versions, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_lookup_finds_version_and_distinguishes_40401_40403, fx_setup,
                                      fx_teardown),
      cmocka_unit_test_setup_teardown(test_register_in_context_has_own_id_space, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
