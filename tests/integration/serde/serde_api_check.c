// SPDX-License-Identifier: Apache-2.0
/* End-to-end checks of the serde's public API against a real `weir registry`
 * (WEIR_REGISTRY_URL) and, for request counting, the fault-injection server
 * (WEIR_FAULT_URL, its "ok" scenario). Started by test_serde_api.py, which
 * owns both processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <curl/curl.h>

#include <cmocka.h>

#include "serde/serde.h"

static char topic_buf[64];

/* A fresh topic per test, so subjects never collide across runs. */
static const char *fresh_topic(const char *base) {
  static int n;
  snprintf(topic_buf, sizeof topic_buf, "%s-%d-%d", base, (int)getpid(), ++n);
  return topic_buf;
}

static serde_t *handle_with(const char *url, const char *const *props) {
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  assert_int_equal(serde_conf_set(conf, "schema.registry.url", url, &err), SERDE_OK);
  assert_int_equal(serde_conf_set(conf, "retries.wait.ms", "10", &err), SERDE_OK);
  for (size_t i = 0; props && props[i]; i += 2) {
    if (serde_conf_set(conf, props[i], props[i + 1], &err) != SERDE_OK) {
      fail_msg("%s", err.message);
    }
  }
  serde_t *sd = serde_new(conf, &err);
  if (!sd) {
    fail_msg("serde_new: %s", err.message);
  }
  return sd;
}

static serde_t *handle(const char *const *props) { return handle_with(getenv("WEIR_REGISTRY_URL"), props); }

static serde_schema_t *schema(serde_t *sd, const char *text) {
  serde_error_t err = {0};
  serde_schema_t *s = serde_schema_new(sd, "AVRO", text, strlen(text), &err);
  if (!s) {
    fail_msg("schema: %s", err.message);
  }
  return s;
}

static void serialize_json(serde_t *sd, const char *topic, serde_schema_t *s, const char *json, serde_buf_t *out) {
  serde_error_t err = {0};
  if (serde_serialize_avro_json(sd, topic, SERDE_VALUE, s, json, strlen(json), out, &err) != SERDE_OK) {
    fail_msg("serialize %s: %s", json, err.message);
  }
}

static void assert_json(serde_t *sd, const char *topic, const serde_buf_t *framed, const char *expect) {
  serde_buf_t json = {0};
  serde_error_t err = {0};
  if (serde_deserialize_avro_json(sd, topic, SERDE_VALUE, framed->data, framed->len, &json, NULL, &err) !=
      SERDE_OK) {
    fail_msg("deserialize: %s", err.message);
  }
  assert_int_equal(json.len, strlen(expect));
  assert_memory_equal(json.data, expect, json.len);
  serde_buf_fini(&json);
}

static const char *V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                        "{\"name\":\"id\",\"type\":\"int\"}]}";
static const char *V2 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                        "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]}";

static void test_serialize_frames_with_the_registered_id_and_round_trips(void **state) {
  (void)state;
  serde_t *sd = handle(NULL);
  serde_schema_t *s = schema(sd, V1);
  const char *topic = fresh_topic("orders");
  serde_buf_t buf = {0};
  serialize_json(sd, topic, s, "{\"id\":7}", &buf);
  char subject[128];
  snprintf(subject, sizeof subject, "%s-value", topic);
  int32_t id = -1;
  serde_error_t err = {0};
  assert_int_equal(serde_lookup(sd, subject, s, &id, &err), SERDE_OK);
  assert_true(id > 0);
  const uint8_t expect[] = {0, (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id, 14};
  assert_int_equal(buf.len, sizeof expect);
  assert_memory_equal(buf.data, expect, sizeof expect);
  assert_json(sd, topic, &buf, "{\"id\":7}");

  /* The generic value round trip, with the writer schema handed back. */
  avro_value_t v = {0};
  serde_schema_t *writer = NULL;
  assert_int_equal(serde_deserialize_avro(sd, topic, SERDE_VALUE, buf.data, buf.len, NULL, &v, &writer, &err),
                   SERDE_OK);
  assert_int_equal(serde_schema_id(writer), id);
  avro_value_t field;
  int32_t got = 0;
  assert_int_equal(avro_value_get_by_name(&v, "id", &field, NULL), 0);
  assert_int_equal(avro_value_get_int(&field, &got), 0);
  assert_int_equal(got, 7);
  /* Reused value for a second record. */
  assert_int_equal(serde_deserialize_avro(sd, topic, SERDE_VALUE, buf.data, buf.len, NULL, &v, NULL, &err), SERDE_OK);
  avro_value_decref(&v);
  serde_schema_unref(writer);
  serde_buf_fini(&buf);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_reader_schema_resolves_promotion_and_defaults(void **state) {
  (void)state;
  serde_t *sd = handle(NULL);
  serde_schema_t *w = schema(sd, V1);
  serde_schema_t *r = schema(sd, V2);
  const char *topic = fresh_topic("resolve");
  serde_buf_t buf = {0};
  serialize_json(sd, topic, w, "{\"id\":41}", &buf);
  avro_value_t v = {0};
  serde_error_t err = {0};
  assert_int_equal(serde_deserialize_avro(sd, topic, SERDE_VALUE, buf.data, buf.len, r, &v, NULL, &err), SERDE_OK);
  serde_buf_t json = {0};
  assert_int_equal(serde_avro_to_json(r, &v, &json, &err), SERDE_OK);
  const char *expect = "{\"id\":41,\"note\":\"none\"}";
  assert_int_equal(json.len, strlen(expect));
  assert_memory_equal(json.data, expect, json.len);
  serde_buf_fini(&json);
  avro_value_decref(&v);
  serde_buf_fini(&buf);
  serde_schema_unref(w);
  serde_schema_unref(r);
  serde_destroy(sd);
}

static void test_use_latest_version_writes_with_the_latest_schema(void **state) {
  (void)state;
  const char *topic = fresh_topic("latest");
  serde_t *admin = handle(NULL);
  serde_schema_t *v1 = schema(admin, V1), *v2 = schema(admin, V2);
  char subject[128];
  snprintf(subject, sizeof subject, "%s-value", topic);
  int32_t id1 = -1, id2 = -1;
  serde_error_t err = {0};
  assert_int_equal(serde_register(admin, subject, v1, &id1, &err), SERDE_OK);
  assert_int_equal(serde_register(admin, subject, v2, &id2, &err), SERDE_OK);
  assert_true(id2 != id1);

  const char *props[] = {"auto.register.schemas", "false", "use.latest.version", "true", NULL};
  serde_t *sd = handle(props);
  serde_schema_t *app = schema(sd, V1);
  serde_buf_t buf = {0};
  serialize_json(sd, topic, app, "{\"id\":5}", &buf);
  assert_int_equal(buf.data[4], (uint8_t)id2);
  /* Written as the latest schema: the default was filled in on the way. */
  assert_json(sd, topic, &buf, "{\"id\":5,\"note\":\"none\"}");
  serde_buf_fini(&buf);
  serde_schema_unref(app);
  serde_destroy(sd);
  serde_schema_unref(v1);
  serde_schema_unref(v2);
  serde_destroy(admin);
}

static void test_lookup_only_and_registry_errors_carry_status_and_code(void **state) {
  (void)state;
  const char *props[] = {"auto.register.schemas", "false", NULL};
  serde_t *sd = handle(props);
  serde_schema_t *s = schema(sd, V1);
  serde_buf_t buf = {0};
  serde_error_t err = {0};
  const char *topic = fresh_topic("lookup");
  assert_int_equal(serde_serialize_avro_json(sd, topic, SERDE_VALUE, s, "{\"id\":1}", 8, &buf, &err),
                   SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.http_status, 404);
  assert_int_equal(err.error_code, 40401);

  const uint8_t unknown[] = {0, 0x7f, 0, 0, 1, 0};
  avro_value_t v = {0};
  assert_int_equal(serde_deserialize_avro(sd, topic, SERDE_VALUE, unknown, sizeof unknown, NULL, &v, NULL, &err),
                   SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.http_status, 404);
  assert_int_equal(err.error_code, 40403);
  serde_schema_unref(s);
  serde_destroy(sd);

  /* Incompatible second version: 409 from the registry, not retried. */
  sd = handle(NULL);
  topic = fresh_topic("incompat");
  serde_schema_t *a = schema(sd, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
  serde_schema_t *b = schema(sd, "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
  serialize_json(sd, topic, a, "{\"a\":1}", &buf);
  assert_int_equal(serde_serialize_avro_json(sd, topic, SERDE_VALUE, b, "{\"a\":\"x\"}", 9, &buf, &err),
                   SERDE_ERR_REGISTRY_REJECTED);
  assert_int_equal(err.http_status, 409);
  serde_schema_unref(a);
  serde_schema_unref(b);
  serde_buf_fini(&buf);
  serde_destroy(sd);
}

static void test_bytes_schema_is_written_raw_and_bad_values_are_named(void **state) {
  (void)state;
  serde_t *sd = handle(NULL);
  serde_schema_t *s = schema(sd, "\"bytes\"");
  const char *topic = fresh_topic("raw");
  serde_buf_t buf = {0};
  serialize_json(sd, topic, s, "\"\\u00de\\u00ad\"", &buf);
  assert_int_equal(buf.len, 7);
  assert_int_equal(buf.data[5], 0xde);
  assert_int_equal(buf.data[6], 0xad);
  assert_json(sd, topic, &buf, "\"\\u00de\\u00ad\"");

  serde_schema_t *rec = schema(sd, V1);
  serde_error_t err = {0};
  assert_int_equal(serde_serialize_avro_json(sd, topic, SERDE_VALUE, rec, "{\"id\":\"x\"}", 10, &buf, &err),
                   SERDE_ERR_VALUE_INVALID);
  assert_non_null(strstr(err.message, "id"));
  /* A truncated record is a payload error, not a crash. */
  uint8_t framed[16];
  serialize_json(sd, fresh_topic("trunc"), rec, "{\"id\":-100000}", &buf);
  memcpy(framed, buf.data, buf.len);
  avro_value_t v = {0};
  assert_int_equal(serde_deserialize_avro(sd, topic, SERDE_VALUE, framed, buf.len - 1, NULL, &v, NULL, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  if (v.iface) {
    avro_value_decref(&v);
  }
  serde_schema_unref(rec);
  serde_buf_fini(&buf);
  serde_schema_unref(s);
  serde_destroy(sd);
}

/* ---- request counting against the fault server ------------------------------ */

static size_t collect(char *p, size_t size, size_t n, void *ud) {
  strncat(ud, p, 4095 - strlen(ud) < size * n ? 4095 - strlen(ud) : size * n);
  return size * n;
}

static int request_count(const char *key) {
  char url[512], body[4096] = "";
  snprintf(url, sizeof url, "%s/_stats/ok/%s", getenv("WEIR_FAULT_URL"), key);
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)body);
  assert_int_equal(curl_easy_perform(c), CURLE_OK);
  curl_easy_cleanup(c);
  const char *at = strstr(body, "\"count\":");
  return at ? atoi(at + 8) : -1;
}

typedef struct reader_arg {
  serde_t *sd;
  serde_code_t rc;
} reader_arg_t;

static void *read_one(void *arg) {
  reader_arg_t *a = arg;
  const uint8_t framed[] = {0, 0, 0, 0, 7, 4, 'h', 'i'}; /* the fault server's id 7 is "string" */
  avro_value_t v = {0};
  serde_error_t err = {0};
  a->rc = serde_deserialize_avro(a->sd, "t", SERDE_VALUE, framed, sizeof framed, NULL, &v, NULL, &err);
  if (v.iface) {
    avro_value_decref(&v);
  }
  return NULL;
}

static void test_concurrent_first_reads_of_an_id_make_one_request(void **state) {
  (void)state;
  char url[512], key[64];
  snprintf(key, sizeof key, "sf-%d", (int)getpid());
  snprintf(url, sizeof url, "%s/ok/%s", getenv("WEIR_FAULT_URL"), key);
  serde_t *sd = handle_with(url, NULL);
  pthread_t t[8];
  reader_arg_t a[8];
  for (int i = 0; i < 8; i++) {
    a[i] = (reader_arg_t){sd, SERDE_ERR_INVALID_ARG};
    pthread_create(&t[i], NULL, read_one, &a[i]);
  }
  for (int i = 0; i < 8; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(a[i].rc, SERDE_OK);
  }
  /* And warm reads make none. */
  for (int i = 0; i < 100; i++) {
    read_one(&a[0]);
    assert_int_equal(a[0].rc, SERDE_OK);
  }
  assert_int_equal(request_count(key), 1);
  serde_destroy(sd);
}

int main(void) {
  if (!getenv("WEIR_REGISTRY_URL") || !getenv("WEIR_FAULT_URL")) {
    fprintf(stderr, "WEIR_REGISTRY_URL and WEIR_FAULT_URL must be set (run test_serde_api.py)\n");
    return 2;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_serialize_frames_with_the_registered_id_and_round_trips),
      cmocka_unit_test(test_reader_schema_resolves_promotion_and_defaults),
      cmocka_unit_test(test_use_latest_version_writes_with_the_latest_schema),
      cmocka_unit_test(test_lookup_only_and_registry_errors_carry_status_and_code),
      cmocka_unit_test(test_bytes_schema_is_written_raw_and_bad_values_are_named),
      cmocka_unit_test(test_concurrent_first_reads_of_an_id_make_one_request),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
