// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_canonical.c: the text must equal what Java Avro's
 * Schema.toString() writes, because Confluent stores and hashes it. */
#include "test_helpers.h"

static void test_avro_canonical_collapses_primitive_wrapper(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"string\"}", "\"string\"", false);
  assert_canonical("  \"int\" ", "\"int\"", false);
}

static void test_avro_canonical_keeps_logical_type_props(void **state) {
  (void)state;
  assert_canonical("{\"logicalType\":\"uuid\",\"type\":\"string\"}", "{\"type\":\"string\",\"logicalType\":\"uuid\"}",
                   false);
  assert_canonical("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}",
                   "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}", false);
}

static void test_avro_canonical_ignores_whitespace_and_attribute_order(void **state) {
  (void)state;
  const char *want = "{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"n\",\"doc\":\"d\",\"fields\":[{\"name\":"
                     "\"f\",\"type\":\"int\",\"doc\":\"fd\",\"default\":1,\"order\":\"descending\",\"aliases\":[\"g\"],"
                     "\"x\":true}],\"extra\":[1,2.5],\"aliases\":[\"old\"]}";
  assert_canonical(want, want, false);
  assert_canonical("{ \"aliases\":[\"old\"], \"extra\" : [1, 2.5], \"fields\": [ {\"x\":true, \"aliases\":[\"g\"], "
                   "\"order\":\"DESCENDING\", \"default\":1, \"doc\":\"fd\", \"type\":\"int\", \"name\":\"f\"}],"
                   " \"doc\":\"d\", \"namespace\":\"n\", \"name\":\"r\", \"type\":\"record\"}",
                   want, false);
}

static void test_avro_canonical_writes_namespace_only_when_it_changes(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"a.R\",\"fields\":[{\"name\":\"e\",\"type\":{\"type\":\"enum\","
                   "\"name\":\"E\",\"symbols\":[\"X\"]}},{\"name\":\"o\",\"type\":{\"type\":\"fixed\",\"name\":\"b.F\","
                   "\"size\":1}},{\"name\":\"p\",\"type\":\"b.F\"},{\"name\":\"q\",\"type\":\"E\"}]}",
                   "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a\",\"fields\":[{\"name\":\"e\",\"type\":{"
                   "\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}},{\"name\":\"o\",\"type\":{\"type\":\"fixed\","
                   "\"name\":\"F\",\"namespace\":\"b\",\"size\":1}},{\"name\":\"p\",\"type\":\"b.F\"},{\"name\":\"q\","
                   "\"type\":\"E\"}]}",
                   false);
}

static void test_avro_canonical_writes_empty_namespace_inside_named_one(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a\",\"fields\":[{\"name\":\"f\",\"type\":{"
                   "\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":1}}]}",
                   "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"a\",\"fields\":[{\"name\":\"f\",\"type\":{"
                   "\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":1}}]}",
                   false);
}

static void test_avro_canonical_orders_enum_and_fixed_attributes(void **state) {
  (void)state;
  assert_canonical("{\"aliases\":[\"Old\"],\"default\":\"A\",\"p\":1,\"symbols\":[\"A\",\"B\"],\"doc\":\"x\","
                   "\"name\":\"E\",\"type\":\"enum\"}",
                   "{\"type\":\"enum\",\"name\":\"E\",\"doc\":\"x\",\"symbols\":[\"A\",\"B\"],\"default\":\"A\",\"p\":1,"
                   "\"aliases\":[\"Old\"]}",
                   false);
  assert_canonical("{\"size\":16,\"name\":\"F\",\"type\":\"fixed\",\"logicalType\":\"uuid\"}",
                   "{\"type\":\"fixed\",\"name\":\"F\",\"size\":16,\"logicalType\":\"uuid\"}", false);
}

static void test_avro_canonical_writes_numbers_like_jackson(void **state) {
  (void)state;
  assert_canonical("{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"double\","
                   "\"default\":1e2},{\"name\":\"b\",\"type\":\"float\",\"default\":\"0.5\"},{\"name\":\"c\",\"type\":"
                   "\"double\",\"default\":1.5e-7},{\"name\":\"s\",\"type\":\"string\",\"default\":\"a\\u0001\\\"/\"}]}",
                   "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"double\",\"default\":"
                   "100.0},{\"name\":\"b\",\"type\":\"float\",\"default\":0.5},{\"name\":\"c\",\"type\":\"double\","
                   "\"default\":1.5E-7},{\"name\":\"s\",\"type\":\"string\",\"default\":\"a\\u0001\\\"/\"}]}",
                   false);
}

static void test_avro_canonical_writes_containers_with_props(void **state) {
  (void)state;
  assert_canonical("[\"null\",{\"values\":{\"type\":\"long\"},\"type\":\"map\",\"k\":\"v\"},{\"type\":\"array\","
                   "\"items\":\"string\"}]",
                   "[\"null\",{\"type\":\"map\",\"values\":\"long\",\"k\":\"v\"},{\"type\":\"array\",\"items\":"
                   "\"string\"}]",
                   false);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_canonical_collapses_primitive_wrapper),
      cmocka_unit_test(test_avro_canonical_keeps_logical_type_props),
      cmocka_unit_test(test_avro_canonical_ignores_whitespace_and_attribute_order),
      cmocka_unit_test(test_avro_canonical_writes_namespace_only_when_it_changes),
      cmocka_unit_test(test_avro_canonical_writes_empty_namespace_inside_named_one),
      cmocka_unit_test(test_avro_canonical_orders_enum_and_fixed_attributes),
      cmocka_unit_test(test_avro_canonical_writes_numbers_like_jackson),
      cmocka_unit_test(test_avro_canonical_writes_containers_with_props),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
