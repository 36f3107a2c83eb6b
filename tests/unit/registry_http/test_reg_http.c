// SPDX-License-Identifier: Apache-2.0
/* Tests the registry's HTTP edge (reg_http*.c) against a recording service
 * stub: routing for every endpoint family, 404/405, trailing slash, %2F in
 * subjects, the /contexts/{ctx}/ prefix rewrite, content negotiation
 * (415/406), body decoding errors and the reg_code_t -> HTTP error table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "reg_http.h"
#include "reg_service_stub.h"

static reg_http_t rh = {.svc = NULL, .incompatible_error_code = 40901};
static http_response_t resp;
static char body_text[4096];

typedef struct call_opts {
  const char *query, *body, *content_type, *accept;
} call_opts_t;

/* Runs one request through reg_http_handle; the body lands in body_text. */
static int call_with(const char *method, const char *path, call_opts_t o) {
  http_header_t headers[2];
  size_t nh = 0;
  if (o.content_type) headers[nh++] = (http_header_t){"Content-Type", o.content_type};
  if (o.accept) headers[nh++] = (http_header_t){"Accept", o.accept};
  http_request_t req = {.method = method, .path = path, .query = o.query ? o.query : "",
                        .body = o.body ? o.body : "", .body_len = o.body ? strlen(o.body) : 0,
                        .headers = headers, .num_headers = nh, .remote_addr = ""};
  http_response_fini(&resp);
  http_response_init(&resp);
  reg_http_handle(&rh, &req, &resp);
  snprintf(body_text, sizeof body_text, "%.*s", (int)resp.body_len, resp.body ? resp.body : "");
  return resp.status;
}

static int call(const char *method, const char *path) { return call_with(method, path, (call_opts_t){0}); }

static int setup(void **state) {
  (void)state;
  stub_reset();
  http_response_init(&resp);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  http_response_fini(&resp);
  return 0;
}

static void test_root_answers_empty_object(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/"), 200);
  assert_string_equal(body_text, "{}");
  assert_string_equal(resp.content_type, "application/vnd.schemaregistry.v1+json");
}

static void test_unknown_route_is_404_with_framework_body(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/nope"), 404);
  assert_string_equal(body_text, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
  assert_int_equal(call("GET", "/subjects//versions"), 404);
  assert_int_equal(call("GET", "/contexts/x/unknown/y"), 404);
}

static void test_known_path_with_wrong_method_is_405(void **state) {
  (void)state;
  assert_int_equal(call("PUT", "/subjects"), 405);
  assert_string_equal(body_text, "{\"error_code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}");
  assert_string_equal(stub_last.fn, "");
}

static void test_subject_segment_is_decoded_after_routing(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/subjects/a%2Fb.proto/versions/latest"), 200);
  assert_string_equal(stub_last.fn, "reg_svc_get_version");
  assert_string_equal(stub_last.subject, "a/b.proto");
  assert_string_equal(stub_last.version, "latest");
}

static void test_invalid_escape_in_path_is_400(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/subjects/a%2/versions"), 400);
  assert_int_equal(call("GET", "/schemas/ids/1%00"), 400);
  assert_string_equal(stub_last.fn, "");
}

static void test_nul_in_subject_reaches_the_service_as_a_control_character(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/subjects/a%00b/versions"), 200);
  assert_string_equal(stub_last.fn, "reg_svc_list_versions");
  assert_string_equal(stub_last.subject, "a\x7f" "b");
  stub_reset();
  assert_int_equal(call("PUT", "/config/a%00b"), 422); /* no body: the body check still runs */
  assert_int_equal(call("GET", "/subjects/a%2/versions"), 400);
}

static void test_metadata_lookup_pairs_repeated_keys_and_values(void **state) {
  (void)state;
  call_opts_t o = {.query = "key=owner&value=bob&key=app&value=x%20y&deleted=true"};
  assert_int_equal(call_with("GET", "/subjects/s/metadata", o), 200);
  assert_string_equal(stub_last.fn, "reg_svc_get_latest_with_metadata");
  assert_string_equal(stub_last.subject, "s");
  assert_true(stub_last.q.deleted);
  assert_non_null(strstr(body_text, "\"owner\":\"bob\""));
  assert_non_null(strstr(body_text, "\"app\":\"x y\""));
}

static void test_one_trailing_slash_is_accepted(void **state) {
  (void)state;
  const char *body = "{\"schema\":\"\\\"string\\\"\"}";
  assert_int_equal(call_with("POST", "/compatibility/subjects/s/versions/", (call_opts_t){.body = body}), 200);
  assert_string_equal(stub_last.fn, "reg_svc_check_compat");
  assert_false(stub_last.has_version);
  assert_int_equal(call("GET", "/subjects/"), 200);
  assert_int_equal(call("GET", "/subjects//"), 404);
}

static void test_every_route_reaches_its_service_call(void **state) {
  (void)state;
  static const struct {
    const char *method, *path, *fn;
  } cases[] = {
      {"GET", "/subjects", "reg_svc_list_subjects"},
      {"DELETE", "/subjects/s", "reg_svc_delete_subject"},
      {"GET", "/subjects/s/versions", "reg_svc_list_versions"},
      {"DELETE", "/subjects/s/versions/1", "reg_svc_delete_version"},
      {"GET", "/subjects/s/versions/1/schema", "reg_svc_get_version_schema"},
      {"GET", "/subjects/s/versions/1/referencedby", "reg_svc_referenced_by"},
      {"GET", "/subjects/s/versions/1/referencedBy", "reg_svc_referenced_by"},
      {"GET", "/schemas", "reg_svc_list_schemas"},
      {"GET", "/schemas/types", "reg_svc_schema_types"},
      {"GET", "/schemas/ids/7", "reg_svc_get_schema_by_id_body"},
      {"GET", "/schemas/ids/7/schema", "reg_svc_get_schema_text_by_id"},
      {"GET", "/schemas/ids/7/subjects", "reg_svc_get_id_subjects"},
      {"GET", "/schemas/ids/7/versions", "reg_svc_get_id_versions"},
      {"GET", "/config", "reg_svc_get_config"},
      {"DELETE", "/config/s", "reg_svc_delete_config"},
      {"GET", "/mode/s", "reg_svc_get_mode"},
      {"DELETE", "/mode", "reg_svc_delete_mode"},
      {"GET", "/contexts", "reg_svc_list_contexts"},
      {"GET", "/v1/metadata/id", "reg_svc_metadata_id"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    stub_reset();
    assert_int_equal(call(cases[i].method, cases[i].path), 200);
    assert_string_equal(stub_last.fn, cases[i].fn);
  }
  assert_int_equal(call("DELETE", "/contexts/.ctx"), 204);
  assert_string_equal(stub_last.fn, "reg_svc_delete_context");
  assert_string_equal(stub_last.subject, ".ctx");
  assert_int_equal(resp.body_len, 0);
}

static void test_raw_schema_endpoint_returns_text(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/schemas/ids/1/schema"), 200);
  assert_string_equal(body_text, "{\"type\":\"record\"}");
}

static void test_non_integer_schema_id_is_404(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/schemas/ids/abc"), 404);
  assert_int_equal(call("GET", "/schemas/ids/99999999999"), 404);
  assert_string_equal(stub_last.fn, "");
  assert_int_equal(call("GET", "/schemas/ids/-3"), 200);
  assert_int_equal(stub_last.id, -3);
}

static void test_context_prefix_qualifies_subjects(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/contexts/.ctx/subjects/foo/versions/2"), 200);
  assert_string_equal(stub_last.subject, ":.ctx:foo");
  assert_int_equal(call("GET", "/contexts/ctx/config"), 200);
  assert_string_equal(stub_last.subject, ":.ctx:");
  assert_int_equal(call("GET", "/contexts/ctx/mode/bar"), 200);
  assert_string_equal(stub_last.subject, ":.ctx:bar");
  assert_int_equal(call("GET", "/contexts/.ctx/schemas/ids/4"), 200);
  assert_string_equal(stub_last.q_subject, ":.ctx:");
  assert_int_equal(call("GET", "/contexts/.ctx/subjects"), 200);
  assert_string_equal(stub_last.q_subject_prefix, ":.ctx:");
}

static void test_config_without_subject_is_global(void **state) {
  (void)state;
  assert_int_equal(call("GET", "/config"), 200);
  assert_false(stub_last.has_subject);
}

static void test_query_parameters_are_decoded(void **state) {
  (void)state;
  call_opts_t o = {.query = "deleted=true&permanent=TRUE&normalize=yes&offset=5&limit=10&subjectPrefix=a%3Ab"};
  assert_int_equal(call_with("GET", "/subjects", o), 200);
  assert_true(stub_last.q.deleted);
  assert_true(stub_last.q.permanent);
  assert_false(stub_last.q.normalize);
  assert_int_equal(stub_last.q.offset, 5);
  assert_int_equal(stub_last.q.limit, 10);
  assert_string_equal(stub_last.q_subject_prefix, "a:b");
  assert_int_equal(call("GET", "/subjects"), 200);
  assert_int_equal(stub_last.q.limit, -1);
}

static void test_bad_integer_query_parameter_is_404(void **state) {
  (void)state;
  assert_int_equal(call_with("GET", "/subjects", (call_opts_t){.query = "offset=x"}), 404);
  assert_int_equal(call_with("GET", "/subjects", (call_opts_t){.query = "a=%zz"}), 400);
}

static void test_register_body_is_decoded(void **state) {
  (void)state;
  const char *body = "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\","
                     "\"references\":[{\"name\":\"a\",\"subject\":\"b\",\"version\":1}],\"id\":12,\"unknown\":1}";
  assert_int_equal(call_with("POST", "/subjects/s/versions", (call_opts_t){.body = body}), 200);
  assert_string_equal(stub_last.fn, "reg_svc_register");
  assert_string_equal(stub_last.schema, "syntax = \"proto3\";");
  assert_string_equal(stub_last.schema_type, "PROTOBUF");
  assert_int_equal(stub_last.refs, 1);
  assert_true(stub_last.req.has_id);
  assert_int_equal(stub_last.req.id, 12);
  assert_false(stub_last.req.has_version);
}

static void test_body_errors_follow_confluent_mappers(void **state) {
  (void)state;
  assert_int_equal(call_with("POST", "/subjects/s/versions", (call_opts_t){.body = "{\"schema\":"}), 400);
  assert_non_null(strstr(body_text, "\"error_code\":400"));
  assert_int_equal(call("POST", "/subjects/s/versions"), 422);
  assert_non_null(strstr(body_text, "\"error_code\":422"));
  assert_int_equal(call_with("POST", "/subjects/s/versions", (call_opts_t){.body = "null"}), 422);
  assert_int_equal(call_with("POST", "/subjects/s/versions", (call_opts_t){.body = "[1]"}), 400);
  assert_int_equal(call_with("POST", "/subjects/s", (call_opts_t){.body = "{\"schema\":{}}"}), 400);
  assert_int_equal(call_with("POST", "/subjects/s", (call_opts_t){.body = "{\"version\":\"x\"}"}), 400);
  assert_int_equal(call_with("PUT", "/config", (call_opts_t){.body = ""}), 422);
  assert_string_equal(stub_last.fn, "");
}

static void test_put_config_passes_the_object(void **state) {
  (void)state;
  assert_int_equal(call_with("PUT", "/config/s", (call_opts_t){.body = "{\"compatibility\":\"FULL\"}"}), 200);
  assert_string_equal(stub_last.fn, "reg_svc_put_config");
  assert_string_equal(stub_last.subject, "s");
  assert_string_equal(stub_last.body, "{\"compatibility\":\"FULL\"}");
}

static void test_content_type_must_be_one_we_consume(void **state) {
  (void)state;
  const char *body = "{\"schema\":\"\\\"int\\\"\"}";
  const char *ok[] = {"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
                      "application/json; charset=UTF-8", "application/octet-stream"};
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(call_with("POST", "/subjects/s", (call_opts_t){.body = body, .content_type = ok[i]}), 200);
  }
  assert_int_equal(call_with("POST", "/subjects/s", (call_opts_t){.body = body, .content_type = "text/plain"}),
                   415);
  assert_string_equal(body_text, "{\"error_code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}");
}

static void test_accept_selects_response_type(void **state) {
  (void)state;
  call_with("GET", "/subjects", (call_opts_t){.accept = "application/json"});
  assert_string_equal(resp.content_type, "application/json");
  call_with("GET", "/subjects", (call_opts_t){.accept = "application/vnd.schemaregistry+json"});
  assert_string_equal(resp.content_type, "application/vnd.schemaregistry+json");
  call_with("GET", "/subjects", (call_opts_t){.accept = "*/*"});
  assert_string_equal(resp.content_type, "application/vnd.schemaregistry.v1+json");
  assert_int_equal(call_with("GET", "/subjects", (call_opts_t){.accept = "text/html"}), 406);
}

static void test_error_table_maps_codes_to_status_and_error_code(void **state) {
  (void)state;
  static const struct {
    reg_code_t code;
    int status, error_code;
  } cases[] = {
      {REG_ERR_SUBJECT_NOT_FOUND, 404, 40401},  {REG_ERR_VERSION_NOT_FOUND, 404, 40402},
      {REG_ERR_SCHEMA_NOT_FOUND, 404, 40403},   {REG_ERR_SUBJECT_SOFT_DELETED, 404, 40404},
      {REG_ERR_SUBJECT_NOT_SOFT_DELETED, 404, 40405}, {REG_ERR_VERSION_SOFT_DELETED, 404, 40406},
      {REG_ERR_VERSION_NOT_SOFT_DELETED, 404, 40407}, {REG_ERR_SUBJECT_CONFIG_NOT_FOUND, 404, 40408},
      {REG_ERR_SUBJECT_MODE_NOT_FOUND, 404, 40409}, {REG_ERR_INCOMPATIBLE, 409, 40901},
      {REG_ERR_INVALID_SCHEMA, 422, 42201},     {REG_ERR_INVALID_VERSION, 422, 42202},
      {REG_ERR_INVALID_COMPATIBILITY, 422, 42203}, {REG_ERR_INVALID_MODE, 422, 42204},
      {REG_ERR_NOT_PERMITTED, 422, 42205},      {REG_ERR_REFERENCE_EXISTS, 422, 42206},
      {REG_ERR_INVALID_SUBJECT, 422, 42208},    {REG_ERR_SCHEMA_TOO_LARGE, 422, 42209},
      {REG_ERR_INVALID_RULESET, 422, 42210},    {REG_ERR_CONTEXT_NOT_EMPTY, 422, 42211},
      {REG_ERR_STORE, 500, 50001},              {REG_ERR_NOMEM, 500, 500},
      {REG_ERR_BAD_REQUEST, 400, 400},          {REG_ERR_UNPROCESSABLE, 422, 422},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int status, code;
    reg_http__map_error(cases[i].code, 40901, &status, &code);
    assert_int_equal(status, cases[i].status);
    assert_int_equal(code, cases[i].error_code);
  }
  int status, code;
  reg_http__map_error(REG_ERR_INCOMPATIBLE, 409, &status, &code);
  assert_int_equal(code, 409);
}

static void test_service_error_message_reaches_the_body(void **state) {
  (void)state;
  stub_next_code = REG_ERR_SUBJECT_NOT_FOUND;
  assert_int_equal(call("GET", "/subjects/x/versions"), 404);
  assert_string_equal(body_text, "{\"error_code\":40401,\"message\":\"stub reg_svc_list_versions\"}");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_root_answers_empty_object, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_route_is_404_with_framework_body, setup, teardown),
      cmocka_unit_test_setup_teardown(test_known_path_with_wrong_method_is_405, setup, teardown),
      cmocka_unit_test_setup_teardown(test_subject_segment_is_decoded_after_routing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_escape_in_path_is_400, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nul_in_subject_reaches_the_service_as_a_control_character, setup, teardown),
      cmocka_unit_test_setup_teardown(test_metadata_lookup_pairs_repeated_keys_and_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_one_trailing_slash_is_accepted, setup, teardown),
      cmocka_unit_test_setup_teardown(test_every_route_reaches_its_service_call, setup, teardown),
      cmocka_unit_test_setup_teardown(test_raw_schema_endpoint_returns_text, setup, teardown),
      cmocka_unit_test_setup_teardown(test_non_integer_schema_id_is_404, setup, teardown),
      cmocka_unit_test_setup_teardown(test_context_prefix_qualifies_subjects, setup, teardown),
      cmocka_unit_test_setup_teardown(test_config_without_subject_is_global, setup, teardown),
      cmocka_unit_test_setup_teardown(test_query_parameters_are_decoded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bad_integer_query_parameter_is_404, setup, teardown),
      cmocka_unit_test_setup_teardown(test_register_body_is_decoded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_body_errors_follow_confluent_mappers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_put_config_passes_the_object, setup, teardown),
      cmocka_unit_test_setup_teardown(test_content_type_must_be_one_we_consume, setup, teardown),
      cmocka_unit_test_setup_teardown(test_accept_selects_response_type, setup, teardown),
      cmocka_unit_test_setup_teardown(test_error_table_maps_codes_to_status_and_error_code, setup, teardown),
      cmocka_unit_test_setup_teardown(test_service_error_message_reaches_the_body, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
