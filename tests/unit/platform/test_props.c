// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/props.c: defaults, key resolution (plain, alias,
 * qualified), validation by type, error messages naming the key, allocation
 * failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/alloc.h"
#include "platform/props.h"

#define REG WEIR_COMP_REGISTRY
#define BRK WEIR_COMP_BROKER

static int setup(void **state) {
  *state = weir_props_new();
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  weir_props_destroy(*state);
  return 0;
}

static void test_props_returns_defaults_before_any_set(void **state) {
  weir_props_t *p = *state;
  assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "./weir-data");
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://0.0.0.0:8081");
  assert_string_equal(weir_props_get(p, REG, "schema.compatibility.level"), "backward");
  assert_int_equal(weir_props_get_int(p, REG, "thread.pool.max"), 32);
  assert_true(weir_props_get_bool(p, REG, "mode.mutability"));
}

static void test_props_every_default_passes_its_own_validation(void **state) {
  weir_props_t *p = *state;
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  for (size_t i = 0; i < count; i++) {
    weir_error_t err;
    char key[128];
    snprintf(key, sizeof key, "%s%s%s", table[i].component ? weir_component_name(table[i].component) : "",
             table[i].component ? "." : "", table[i].name);
    if (table[i].default_value[0] == '\0') continue; /* "not set" is no value to validate */
    assert_int_equal(weir_props_set(p, key, table[i].default_value, &err), WEIR_OK);
  }
}

static void test_props_broker_defaults_use_kafka_names(void **state) {
  weir_props_t *p = *state;
  assert_string_equal(weir_props_get(p, BRK, "listeners"), "PLAINTEXT://0.0.0.0:9092");
  assert_string_equal(weir_props_get(p, BRK, "advertised.listeners"), "");
  assert_string_equal(weir_props_get(p, BRK, "log.retention.ms"), "");
  assert_int_equal(weir_props_get_int(p, BRK, "log.retention.hours"), 168);
  assert_int_equal(weir_props_get_int(p, BRK, "num.partitions"), 1);
  assert_int_equal(weir_props_get_int(p, BRK, "node.id"), 1);
  assert_true(weir_props_get_bool(p, BRK, "auto.create.topics.enable"));
  assert_int_equal(weir_props_get_int(p, BRK, "socket.request.max.bytes"), 104857600);
}

static void test_props_plain_listeners_reaches_the_component_accepting_the_scheme(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "listeners", "PLAINTEXT://127.0.0.1:19092", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, BRK, "listeners"), "PLAINTEXT://127.0.0.1:19092");
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://0.0.0.0:8081");
  assert_int_equal(weir_props_set(p, "listeners", "http://127.0.0.1:18081", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://127.0.0.1:18081");
  assert_string_equal(weir_props_get(p, BRK, "listeners"), "PLAINTEXT://127.0.0.1:19092");
}

static void test_props_broker_listener_qualified_and_validated(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "broker.listeners", "plaintext://:9093", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, BRK, "listeners"), "PLAINTEXT://0.0.0.0:9093");
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://0.0.0.0:8081");
  assert_int_equal(weir_props_set(p, "broker.listeners", "SSL://:9093", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "property \"broker.listeners\""));
  assert_non_null(strstr(err.msg, "PLAINTEXT"));
  assert_int_equal(weir_props_set(p, "broker.listeners", "http://:9093", &err), WEIR_ERR_CONFIG);
  assert_string_equal(weir_props_get(p, BRK, "listeners"), "PLAINTEXT://0.0.0.0:9093");
}

static void test_props_broker_id_is_an_alias_of_node_id(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "broker.id", "7", &err), WEIR_OK);
  assert_int_equal(weir_props_get_int(p, BRK, "node.id"), 7);
  assert_int_equal(weir_props_set(p, "node.id", "-1", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "node.id"));
}

static void test_props_set_plain_name_stores_value(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "data.dir", "/var/lib/weir", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "/var/lib/weir");
}

static void test_props_later_set_overrides_earlier(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "thread.pool.max", "8", &err), WEIR_OK);
  assert_int_equal(weir_props_set(p, "thread.pool.max", "9", &err), WEIR_OK);
  assert_int_equal(weir_props_get_int(p, REG, "thread.pool.max"), 9);
}

static void test_props_unknown_key_error_names_the_key(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "kafkastore.topic", "_schemas", &err), WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "unknown property \"kafkastore.topic\"");
}

static void test_props_qualified_key_sets_component_property(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "registry.listeners", "http://127.0.0.1:18081", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://127.0.0.1:18081");
}

static void test_props_core_properties_cannot_be_qualified(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "core.data.dir", "/x", &err), WEIR_ERR_CONFIG);
  assert_int_equal(weir_props_set(p, "registry.data.dir", "/x", &err), WEIR_ERR_CONFIG);
}

static void test_props_deprecated_alias_sets_the_real_property(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "avro.compatibility.level", "full", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, REG, "schema.compatibility.level"), "full");
}

static void test_props_enum_is_case_insensitive_and_stored_as_listed(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "schema.compatibility.level", "FULL_TRANSITIVE", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, REG, "schema.compatibility.level"), "full_transitive");
}

static void test_props_enum_rejects_unknown_value_naming_key_and_choices(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "schema.compatibility.level", "sideways", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "\"schema.compatibility.level\""));
  assert_non_null(strstr(err.msg, "\"sideways\""));
  assert_non_null(strstr(err.msg, "backward_transitive"));
}

static void test_props_int_rejects_garbage_and_out_of_range(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "thread.pool.max", "12abc", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "not an integer"));
  assert_int_equal(weir_props_set(p, "thread.pool.max", "0", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "outside [1, 1024]"));
  assert_int_equal(weir_props_set(p, "thread.pool.max", "99999999999999999999999", &err), WEIR_ERR_CONFIG);
  assert_int_equal(weir_props_get_int(p, REG, "thread.pool.max"), 32);
}

static void test_props_bool_accepts_true_false_any_case_only(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "mode.mutability", "FALSE", &err), WEIR_OK);
  assert_false(weir_props_get_bool(p, REG, "mode.mutability"));
  assert_int_equal(weir_props_set(p, "mode.mutability", "yes", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "mode.mutability"));
}

static void test_props_listener_is_canonicalized_and_validated(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "listeners", ":9000", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, REG, "listeners"), "http://0.0.0.0:9000");
  assert_int_equal(weir_props_set(p, "listeners", "https://0.0.0.0:8443", &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "property \"listeners\""));
  assert_non_null(strstr(err.msg, "https"));
}

static void test_props_empty_value_is_rejected(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set(p, "data.dir", "", &err), WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "property \"data.dir\": empty value");
}

static void test_props_set_pair_splits_at_first_equals(void **state) {
  weir_props_t *p = *state;
  weir_error_t err;
  assert_int_equal(weir_props_set_pair(p, "data.dir=/a=b", &err), WEIR_OK);
  assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "/a=b");
  assert_int_equal(weir_props_set_pair(p, "data.dir", &err), WEIR_ERR_USAGE);
  assert_int_equal(weir_props_set_pair(p, "=x", &err), WEIR_ERR_USAGE);
  assert_int_equal(weir_props_set_pair(p, "nope=1", &err), WEIR_ERR_CONFIG);
  assert_string_equal(err.msg, "unknown property \"nope\"");
}

static int g_allocs_left;
static void *failing_malloc(size_t n) {
  return g_allocs_left-- > 0 ? malloc(n) : NULL;
}

static void test_props_allocation_failures_are_reported_not_crashed(void **state) {
  (void)state;
  for (int budget = 0; budget < 3; budget++) {
    g_allocs_left = budget;
    weir_alloc_set(failing_malloc, free);
    weir_props_t *p = weir_props_new();
    if (p) {
      weir_error_t err;
      weir_code_t rc = weir_props_set(p, "data.dir", "/x", &err);
      assert_true(rc == WEIR_OK || rc == WEIR_ERR_NOMEM);
      if (rc == WEIR_ERR_NOMEM)
        assert_string_equal(weir_props_get(p, WEIR_COMP_CORE, "data.dir"), "./weir-data");
    }
    weir_alloc_set(NULL, NULL);
    weir_props_destroy(p);
  }
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_props_returns_defaults_before_any_set),
      T(test_props_every_default_passes_its_own_validation),
      T(test_props_broker_defaults_use_kafka_names),
      T(test_props_plain_listeners_reaches_the_component_accepting_the_scheme),
      T(test_props_broker_listener_qualified_and_validated),
      T(test_props_broker_id_is_an_alias_of_node_id),
      T(test_props_set_plain_name_stores_value),
      T(test_props_later_set_overrides_earlier),
      T(test_props_unknown_key_error_names_the_key),
      T(test_props_qualified_key_sets_component_property),
      T(test_props_core_properties_cannot_be_qualified),
      T(test_props_deprecated_alias_sets_the_real_property),
      T(test_props_enum_is_case_insensitive_and_stored_as_listed),
      T(test_props_enum_rejects_unknown_value_naming_key_and_choices),
      T(test_props_int_rejects_garbage_and_out_of_range),
      T(test_props_bool_accepts_true_false_any_case_only),
      T(test_props_listener_is_canonicalized_and_validated),
      T(test_props_empty_value_is_rejected),
      T(test_props_set_pair_splits_at_first_equals),
      cmocka_unit_test(test_props_allocation_failures_are_reported_not_crashed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
