// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_normalize.c: the normalize=true layout after Confluent's
 * AvroSchemaUtils (full names, sorted aliases and props, logical types). */
#include "test_helpers.h"

static void test_avro_normalize_writes_full_names_and_sorted_props(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"ns\",\"zz\":1,\"aa\":2,\"aliases\":[\"B\",\"A\"],"
                   "\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}},"
                   "{\"name\":\"g\",\"type\":\"E\",\"default\":\"X\"}]}",
                   "{\"name\":\"ns.R\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":\"ns.E\","
                   "\"type\":\"enum\",\"symbols\":[\"X\"]},\"order\":\"ASCENDING\"},{\"name\":\"g\",\"type\":\"ns.E\","
                   "\"order\":\"ASCENDING\",\"default\":\"X\"}],\"aliases\":[\"ns.A\",\"ns.B\"],\"aa\":2,\"zz\":1}",
                   true);
}

static void test_avro_normalize_makes_attribute_order_irrelevant(void **state) {
  (void)state;
  const char *want = "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2,\"x\":\"y\"}";
  assert_canonical("{\"x\":\"y\",\"scale\":2,\"precision\":4,\"logicalType\":\"decimal\",\"type\":\"bytes\"}", want,
                   true);
  assert_canonical("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2,\"x\":\"y\"}", want,
                   true);
}

static void test_avro_normalize_keeps_invalid_logical_type_as_plain_prop(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"string\",\"logicalType\":\"date\"}", "{\"type\":\"string\",\"logicalType\":\"date\"}",
                   true);
  assert_canonical("\"int\"", "\"int\"", true);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_normalize_writes_full_names_and_sorted_props),
      cmocka_unit_test(test_avro_normalize_makes_attribute_order_irrelevant),
      cmocka_unit_test(test_avro_normalize_keeps_invalid_logical_type_as_plain_prop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
