// SPDX-License-Identifier: Apache-2.0
/* Tests of serde_conf.c: Confluent property names, defaults, value checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "serde_int.h"

static void test_conf_defaults_match_the_documented_table(void **state) {
  (void)state;
  serde_conf_t *conf = serde_conf_new();
  assert_non_null(conf);
  assert_true(conf->auto_register);
  assert_false(conf->use_latest);
  assert_int_equal(conf->use_schema_id, -1);
  assert_int_equal(conf->max_retries, 3);
  assert_int_equal(conf->latest_ttl_sec, 300);
  assert_true(conf->fail_on_trailing);
  assert_true(conf->ssl_verify_host);
  assert_int_equal(conf->value_strategy, SERDE_STRATEGY_TOPIC);
  /* Every documented default is accepted by its own setter. */
  size_t n = 0;
  const serde_prop_info_t *props = serde_conf_properties(&n);
  assert_true(n > 20);
  for (size_t i = 0; i < n; i++) {
    serde_error_t err = {0};
    assert_int_equal(serde_conf_set(conf, props[i].name, props[i].deflt, &err), SERDE_OK);
  }
  serde_conf_destroy(conf);
}

static void test_conf_rejects_unknown_property_by_name(void **state) {
  (void)state;
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  assert_int_equal(serde_conf_set(conf, "schema.registry.ulr", "http://x", &err), SERDE_ERR_CONF);
  assert_non_null(strstr(err.message, "schema.registry.ulr"));
  serde_conf_destroy(conf);
}

static void test_conf_rejects_bad_values(void **state) {
  (void)state;
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  assert_int_equal(serde_conf_set(conf, "auto.register.schemas", "yes", &err), SERDE_ERR_CONF);
  assert_non_null(strstr(err.message, "auto.register.schemas"));
  assert_int_equal(serde_conf_set(conf, "max.retries", "-1", &err), SERDE_ERR_CONF);
  assert_int_equal(serde_conf_set(conf, "max.retries", "3x", &err), SERDE_ERR_CONF);
  assert_int_equal(serde_conf_set(conf, "use.schema.id", "4294967296", &err), SERDE_ERR_CONF);
  assert_int_equal(serde_conf_set(conf, "value.subject.name.strategy", "Nope", &err), SERDE_ERR_CONF);
  assert_int_equal(serde_conf_set(conf, "ssl.endpoint.identification.algorithm", "ftp", &err), SERDE_ERR_CONF);
  serde_conf_destroy(conf);
}

static void test_conf_accepts_java_python_and_short_strategy_names(void **state) {
  (void)state;
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  assert_int_equal(serde_conf_set(conf, "value.subject.name.strategy",
                                  "io.confluent.kafka.serializers.subject.RecordNameStrategy", &err),
                   SERDE_OK);
  assert_int_equal(conf->value_strategy, SERDE_STRATEGY_RECORD);
  assert_int_equal(serde_conf_set(conf, "key.subject.name.strategy", "TOPIC_RECORD", &err), SERDE_OK);
  assert_int_equal(conf->key_strategy, SERDE_STRATEGY_TOPIC_RECORD);
  assert_int_equal(serde_conf_set(conf, "value.subject.name.strategy", "topic", &err), SERDE_OK);
  assert_int_equal(conf->value_strategy, SERDE_STRATEGY_TOPIC);
  assert_int_equal(serde_conf_set(conf, "ssl.endpoint.identification.algorithm", "", &err), SERDE_OK);
  assert_false(conf->ssl_verify_host);
  assert_int_equal(serde_conf_set(conf, "use.schema.id", "42", &err), SERDE_OK);
  assert_int_equal(conf->use_schema_id, 42);
  serde_conf_destroy(conf);
}

static void test_new_handle_needs_a_registry_url(void **state) {
  (void)state;
  serde_error_t err = {0};
  assert_null(serde_new(serde_conf_new(), &err));
  assert_int_equal(err.code, SERDE_ERR_CONF);
  assert_non_null(strstr(err.message, "schema.registry.url"));
}

/* docs/serde.md has a row "| `name` | `default` |" for every property. */
static void test_docs_list_every_property_with_its_default(void **state) {
  (void)state;
  const char *src = getenv("WEIR_SOURCE_DIR");
  assert_non_null(src);
  char path[4096];
  snprintf(path, sizeof path, "%s/docs/serde.md", src);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char doc[1 << 16];
  size_t n_doc = fread(doc, 1, sizeof doc - 1, f);
  fclose(f);
  doc[n_doc] = '\0';
  size_t n = 0;
  const serde_prop_info_t *props = serde_conf_properties(&n);
  for (size_t i = 0; i < n; i++) {
    char row[512];
    if (*props[i].deflt) {
      snprintf(row, sizeof row, "| `%s` | `%s` |", props[i].name, props[i].deflt);
    } else {
      snprintf(row, sizeof row, "| `%s` |  |", props[i].name);
    }
    if (!strstr(doc, row)) {
      fail_msg("docs/serde.md lacks the row %s", row);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conf_defaults_match_the_documented_table),
      cmocka_unit_test(test_conf_rejects_unknown_property_by_name),
      cmocka_unit_test(test_conf_rejects_bad_values),
      cmocka_unit_test(test_conf_accepts_java_python_and_short_strategy_names),
      cmocka_unit_test(test_new_handle_needs_a_registry_url),
      cmocka_unit_test(test_docs_list_every_property_with_its_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
