// SPDX-License-Identifier: Apache-2.0
/* Tests http_media.c: Content-Type matching and Accept negotiation with the
 * Schema Registry's produces list (schema-registry.md §1.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "http/http_media.h"

static const http_produce_t produces[] = {
    {"application/vnd.schemaregistry.v1+json", 1.0},
    {"application/vnd.schemaregistry+json", 0.9},
    {"application/json", 0.5},
};

static int pick(const char *accept) { return http_media_negotiate(accept, produces, 3); }

static void test_content_type_match_ignores_parameters_and_case(void **state) {
  (void)state;
  const char *types[] = {"application/json", "application/octet-stream"};
  assert_int_equal(http_media_match("application/json", types, 2), 0);
  assert_int_equal(http_media_match("Application/JSON; charset=utf-8", types, 2), 0);
  assert_int_equal(http_media_match(" application/octet-stream ", types, 2), 1);
  assert_int_equal(http_media_match("text/plain", types, 2), -1);
  assert_int_equal(http_media_match("application/jsonx", types, 2), -1);
  assert_int_equal(http_media_match(NULL, types, 2), -1);
}

static void test_negotiate_defaults_to_v1(void **state) {
  (void)state;
  assert_int_equal(pick(NULL), 0);
  assert_int_equal(pick(""), 0);
  assert_int_equal(pick("*/*"), 0);
  assert_int_equal(pick("application/*"), 0);
  assert_int_equal(pick("*"), 0);
}

static void test_negotiate_honours_client_preference(void **state) {
  (void)state;
  assert_int_equal(pick("application/json"), 2);
  assert_int_equal(pick("application/vnd.schemaregistry+json"), 1);
  assert_int_equal(pick("application/json, application/vnd.schemaregistry.v1+json"), 0);
  assert_int_equal(pick("application/vnd.schemaregistry.v1+json;q=0.8, application/json"), 2);
  assert_int_equal(pick("application/json;q=0.9, application/vnd.schemaregistry+json;q=0.5"), 2);
  assert_int_equal(pick("application/*;q=0.2, application/json;q=0.9"), 2);
}

static void test_negotiate_q_zero_excludes_and_unsatisfiable_is_406(void **state) {
  (void)state;
  assert_int_equal(pick("text/html"), -1);
  assert_int_equal(pick("application/json;q=0"), -1);
  assert_int_equal(pick("*/*, application/vnd.schemaregistry.v1+json;q=0"), 1);
  assert_int_equal(pick("garbage"), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_content_type_match_ignores_parameters_and_case),
      cmocka_unit_test(test_negotiate_defaults_to_v1),
      cmocka_unit_test(test_negotiate_honours_client_preference),
      cmocka_unit_test(test_negotiate_q_zero_excludes_and_unsatisfiable_is_406),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
