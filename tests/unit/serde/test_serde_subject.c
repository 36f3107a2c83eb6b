// SPDX-License-Identifier: Apache-2.0
/* Tests of serde_subject.c: subject name strategies and the 5-byte frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "serde_core.h"

static serde_t *handle(const char *strategy) {
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  assert_int_equal(serde_conf_set(conf, "schema.registry.url", "http://127.0.0.1:1", &err), SERDE_OK);
  assert_int_equal(serde_conf_set(conf, "value.subject.name.strategy", strategy, &err), SERDE_OK);
  serde_t *sd = serde_new(conf, &err);
  assert_non_null(sd);
  return sd;
}

static serde_schema_t *schema(serde_t *sd, const char *text) {
  serde_error_t err = {0};
  serde_schema_t *s = serde_schema_new(sd, "AVRO", text, strlen(text), &err);
  assert_non_null(s);
  return s;
}

static const char *RECORD = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"com.acme\","
                            "\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";

static void test_topic_strategy_names_key_and_value_subjects(void **state) {
  (void)state;
  serde_t *sd = handle("TopicNameStrategy");
  serde_schema_t *s = schema(sd, "\"string\"");
  char out[64];
  serde_error_t err = {0};
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_VALUE, s, out, sizeof out, &err), SERDE_OK);
  assert_string_equal(out, "orders-value");
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_KEY, s, out, sizeof out, &err), SERDE_OK);
  assert_string_equal(out, "orders-key");
  assert_int_equal(serde_subject_name(sd, "a-very-long-topic-name", SERDE_VALUE, s, out, 10, &err),
                   SERDE_ERR_INVALID_ARG);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_record_strategies_use_the_full_record_name(void **state) {
  (void)state;
  serde_t *sd = handle("RecordNameStrategy");
  serde_schema_t *s = schema(sd, RECORD);
  char out[64];
  serde_error_t err = {0};
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_VALUE, s, out, sizeof out, &err), SERDE_OK);
  assert_string_equal(out, "com.acme.Order");
  /* Keys keep their own (default) strategy. */
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_KEY, s, out, sizeof out, &err), SERDE_OK);
  assert_string_equal(out, "orders-key");
  serde_schema_t *prim = schema(sd, "\"string\"");
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_VALUE, prim, out, sizeof out, &err),
                   SERDE_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "record"));
  serde_schema_unref(prim);
  serde_schema_unref(s);
  serde_destroy(sd);

  sd = handle("TopicRecordNameStrategy");
  s = schema(sd, RECORD);
  assert_int_equal(serde_subject_name(sd, "orders", SERDE_VALUE, s, out, sizeof out, &err), SERDE_OK);
  assert_string_equal(out, "orders-com.acme.Order");
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_frame_parse_reads_big_endian_id_and_rejects_bad_frames(void **state) {
  (void)state;
  const uint8_t good[] = {0, 0, 0, 1, 2, 4, 'h', 'i'};
  serde_frame_t f;
  serde_error_t err = {0};
  assert_int_equal(serde_frame_parse(good, sizeof good, &f, &err), SERDE_OK);
  assert_int_equal(f.id, 258);
  assert_int_equal(f.payload_len, 3);
  assert_ptr_equal(f.payload, good + 5);
  /* An empty payload (an empty record) is legal: exactly 5 bytes. */
  assert_int_equal(serde_frame_parse(good, 5, &f, &err), SERDE_OK);
  assert_int_equal(f.payload_len, 0);
  assert_int_equal(serde_frame_parse(good, 4, &f, &err), SERDE_ERR_FRAMING);
  const uint8_t magic[] = {2, 0, 0, 0, 1, 0};
  assert_int_equal(serde_frame_parse(magic, sizeof magic, &f, &err), SERDE_ERR_FRAMING);
  assert_non_null(strstr(err.message, "magic byte 2"));
}

static void test_deserialize_null_passes_through_without_registry(void **state) {
  (void)state;
  serde_t *sd = handle("TopicNameStrategy"); /* its URL is a closed port */
  avro_value_t v = {0};
  serde_error_t err = {0};
  assert_int_equal(serde_deserialize_avro(sd, "t", SERDE_VALUE, NULL, 0, NULL, &v, NULL, &err), SERDE_OK);
  assert_null(v.iface);
  serde_buf_t json = {0};
  assert_int_equal(serde_deserialize_avro_json(sd, "t", SERDE_VALUE, NULL, 0, &json, NULL, &err), SERDE_OK);
  assert_int_equal(json.len, 4);
  assert_memory_equal(json.data, "null", 4);
  serde_buf_fini(&json);
  serde_destroy(sd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_topic_strategy_names_key_and_value_subjects),
      cmocka_unit_test(test_record_strategies_use_the_full_record_name),
      cmocka_unit_test(test_frame_parse_reads_big_endian_id_and_rejects_bad_frames),
      cmocka_unit_test(test_deserialize_null_passes_through_without_registry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
