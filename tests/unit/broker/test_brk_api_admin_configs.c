// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_admin_configs.c: DescribeConfigs v0-2, AlterConfigs v0-1
 * and IncrementalAlterConfigs v0 for topics and (read-only) the broker,
 * encoded as real requests against a broker over a temporary data dir. */
#include "brk_admin_fixture.h"

/* DescribeConfigs body with one resource; keys NULL = null (all). */
static void put_describe(fx_t *fx, int16_t v, int8_t type, const char *name, const char *const *keys,
                         int32_t n_keys, bool include_synonyms) {
  brk_write_i32(&fx->req, 1);
  brk_write_i8(&fx->req, type);
  brk_write_string(&fx->req, name);
  brk_write_i32(&fx->req, keys ? n_keys : -1);
  for (int32_t i = 0; keys && i < n_keys; i++) brk_write_string(&fx->req, keys[i]);
  if (v >= 1) brk_write_i8(&fx->req, include_synonyms);
}

/* One decoded config entry (strings copied, NUL-terminated). */
typedef struct seen_config {
  char name[64], value[64];
  bool value_null, read_only, is_default, is_sensitive;
  int8_t source;
  int32_t n_synonyms;
  char syn0_name[64];
  int8_t syn0_source;
} seen_config_t;

static void copy_slice(char *out, size_t cap, brk_slice_t s) {
  size_t n = s.len > 0 ? (size_t)s.len : 0;
  if (n >= cap) n = cap - 1;
  if (n) memcpy(out, s.ptr, n);
  out[n] = '\0';
}

static void read_config(fx_t *fx, int16_t v, seen_config_t *c) {
  memset(c, 0, sizeof *c);
  copy_slice(c->name, sizeof c->name, brk_read_string(&fx->rr));
  brk_slice_t value = brk_read_string(&fx->rr);
  c->value_null = value.ptr == NULL;
  copy_slice(c->value, sizeof c->value, value);
  c->read_only = brk_read_i8(&fx->rr);
  if (v == 0) c->is_default = brk_read_i8(&fx->rr);
  if (v >= 1) c->source = brk_read_i8(&fx->rr);
  c->is_sensitive = brk_read_i8(&fx->rr);
  if (v < 1) return;
  c->n_synonyms = brk_read_i32(&fx->rr);
  for (int32_t i = 0; i < c->n_synonyms; i++) {
    brk_slice_t n = brk_read_string(&fx->rr);
    brk_read_string(&fx->rr);
    int8_t src = brk_read_i8(&fx->rr);
    if (i == 0) {
      copy_slice(c->syn0_name, sizeof c->syn0_name, n);
      c->syn0_source = src;
    }
  }
}

/* Reads a one-resource response up to Configs; returns the ErrorCode. */
static int16_t read_result_head(fx_t *fx, int8_t type, const char *name, int32_t *n_configs) {
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  int16_t err = brk_read_i16(&fx->rr);
  brk_slice_t msg = brk_read_string(&fx->rr);
  assert_true((err == 0) == (msg.ptr == NULL));
  assert_int_equal(brk_read_i8(&fx->rr), type);
  fx_expect_string(fx, name);
  *n_configs = brk_read_i32(&fx->rr);
  return err;
}

/* Describes topic (v, all keys) and returns the entry named key (asserts found). */
static seen_config_t describe_topic_key(fx_t *fx, int16_t v, const char *topic, const char *key, bool syn) {
  put_describe(fx, v, 2, topic, NULL, 0, syn);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, v), 0);
  int32_t n;
  assert_int_equal(read_result_head(fx, 2, topic, &n), BRK_KERR_NONE);
  seen_config_t found = {0}, c;
  bool ok = false;
  for (int32_t i = 0; i < n; i++) {
    read_config(fx, v, &c);
    if (strcmp(c.name, key) == 0) found = c, ok = true;
  }
  fx_expect_end(fx);
  assert_true(ok);
  return found;
}

static void test_describe_configs_v0_marks_defaults(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  seen_config_t c = describe_topic_key(fx, 0, "t", "retention.ms", false);
  assert_true(c.is_default);
  assert_string_equal(c.value, "604800000");
}

static void test_describe_configs_v1_gives_source_and_synonyms(void **state) {
  fx_t *fx = *state;
  const brk_kv_t set[] = {{"retention.ms", "1000"}};
  assert_int_equal(brk_store_create_topic(brk_broker_store(fx->b), "t", 1, set, 1, false), BRK_KERR_NONE);
  seen_config_t c = describe_topic_key(fx, 1, "t", "retention.ms", true);
  assert_string_equal(c.value, "1000");
  assert_int_equal(c.source, 1); /* DYNAMIC_TOPIC_CONFIG */
  assert_int_equal(c.n_synonyms, 2);
  assert_string_equal(c.syn0_name, "retention.ms");
  seen_config_t d = describe_topic_key(fx, 2, "t", "segment.bytes", false);
  assert_int_equal(d.source, 5); /* DEFAULT_CONFIG */
  assert_int_equal(d.n_synonyms, 0);
}

static void test_describe_configs_filters_by_configuration_keys(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  const char *keys[] = {"cleanup.policy", "no.such.key"};
  put_describe(fx, 1, 2, "t", keys, 2, false);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 1), 0);
  int32_t n;
  assert_int_equal(read_result_head(fx, 2, "t", &n), BRK_KERR_NONE);
  assert_int_equal(n, 1);
  seen_config_t c;
  read_config(fx, 1, &c);
  assert_string_equal(c.name, "cleanup.policy");
  assert_string_equal(c.value, "delete");
  fx_expect_end(fx);
}

static void test_describe_configs_unknown_topic_and_bad_resource(void **state) {
  fx_t *fx = *state;
  int32_t n;
  put_describe(fx, 2, 2, "missing", NULL, 0, false);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 2), 0);
  assert_int_equal(read_result_head(fx, 2, "missing", &n), BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  assert_int_equal(n, 0);
  put_describe(fx, 2, 2, "bad name", NULL, 0, false);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 2), 0);
  assert_int_equal(read_result_head(fx, 2, "bad name", &n), BRK_KERR_INVALID_TOPIC_EXCEPTION);
  put_describe(fx, 2, 4, "2", NULL, 0, false);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 2), 0);
  assert_int_equal(read_result_head(fx, 4, "2", &n), BRK_KERR_INVALID_REQUEST);
  put_describe(fx, 2, 3, "group", NULL, 0, false);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 2), 0);
  assert_int_equal(read_result_head(fx, 3, "group", &n), BRK_KERR_INVALID_REQUEST);
}

static void test_describe_configs_broker_lists_its_settings_read_only(void **state) {
  fx_t *fx = *state;
  put_describe(fx, 1, 4, "1", NULL, 0, true);
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 1), 0);
  int32_t n;
  assert_int_equal(read_result_head(fx, 4, "1", &n), BRK_KERR_NONE);
  assert_int_equal(n, 8);
  bool saw_partitions = false;
  for (int32_t i = 0; i < n; i++) {
    seen_config_t c;
    read_config(fx, 1, &c);
    assert_true(c.read_only);
    assert_int_equal(c.n_synonyms, 1);
    if (strcmp(c.name, "num.partitions") == 0) {
      saw_partitions = true;
      assert_string_equal(c.value, "1");
      assert_int_equal(c.source, 5);
    }
  }
  assert_true(saw_partitions);
  fx_expect_end(fx);
}

static void put_alter(fx_t *fx, int8_t type, const char *name, const brk_kv_t *kvs, const int8_t *ops,
                      int32_t n, bool validate_only) {
  brk_write_i32(&fx->req, 1);
  brk_write_i8(&fx->req, type);
  brk_write_string(&fx->req, name);
  brk_write_i32(&fx->req, n);
  for (int32_t i = 0; i < n; i++) {
    brk_write_string(&fx->req, kvs[i].key);
    if (ops) brk_write_i8(&fx->req, ops[i]);
    brk_write_string(&fx->req, kvs[i].value);
  }
  brk_write_i8(&fx->req, validate_only);
}

static int16_t alter_result(fx_t *fx, int8_t type, const char *name) {
  assert_int_equal(brk_read_i32(&fx->rr), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  int16_t err = brk_read_i16(&fx->rr);
  brk_slice_t msg = brk_read_string(&fx->rr);
  assert_true((err == 0) == (msg.ptr == NULL));
  assert_int_equal(brk_read_i8(&fx->rr), type);
  fx_expect_string(fx, name);
  fx_expect_end(fx);
  return err;
}

static int16_t alter(fx_t *fx, brk_api_sync_fn fn, const char *topic, const brk_kv_t *kvs, const int8_t *ops,
                     int32_t n, bool validate_only) {
  put_alter(fx, 2, topic, kvs, ops, n, validate_only);
  assert_int_equal(fx_call(fx, fn, ops ? 44 : 33, 0), 0);
  return alter_result(fx, 2, topic);
}

static void test_alter_configs_replaces_the_whole_set(void **state) {
  fx_t *fx = *state;
  const brk_kv_t set[] = {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}};
  assert_int_equal(alter(fx, brk_api_alter_configs, "nope", set, NULL, 2, false),
                   BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  fx_create_topic(fx, "t", 1);
  assert_int_equal(alter(fx, brk_api_alter_configs, "t", set, NULL, 2, false), BRK_KERR_NONE);
  assert_string_equal(describe_topic_key(fx, 1, "t", "cleanup.policy", false).value, "compact");
  const brk_kv_t only[] = {{"retention.ms", "2000"}};
  assert_int_equal(alter(fx, brk_api_alter_configs, "t", only, NULL, 1, true), BRK_KERR_NONE);
  assert_string_equal(describe_topic_key(fx, 1, "t", "retention.ms", false).value, "1000");
  assert_int_equal(alter(fx, brk_api_alter_configs, "t", only, NULL, 1, false), BRK_KERR_NONE);
  assert_string_equal(describe_topic_key(fx, 1, "t", "retention.ms", false).value, "2000");
  assert_string_equal(describe_topic_key(fx, 1, "t", "cleanup.policy", false).value, "delete");
}

static void test_alter_configs_rejects_bad_keys_duplicates_and_broker_changes(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  const brk_kv_t unknown[] = {{"no.such.key", "1"}};
  assert_int_equal(alter(fx, brk_api_alter_configs, "t", unknown, NULL, 1, false), BRK_KERR_INVALID_CONFIG);
  const brk_kv_t twice[] = {{"retention.ms", "1"}, {"retention.ms", "2"}};
  assert_int_equal(alter(fx, brk_api_alter_configs, "t", twice, NULL, 2, false), BRK_KERR_INVALID_REQUEST);
  const brk_kv_t broker[] = {{"num.partitions", "3"}};
  put_alter(fx, 4, "1", broker, NULL, 1, false);
  assert_int_equal(fx_call(fx, brk_api_alter_configs, 33, 1), 0);
  assert_int_equal(alter_result(fx, 4, "1"), BRK_KERR_INVALID_CONFIG);
}

static void test_incremental_alter_configs_sets_and_deletes(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  const brk_kv_t set[] = {{"retention.ms", "5000"}, {"cleanup.policy", "compact"}};
  const int8_t set_ops[] = {0, 0};
  assert_int_equal(alter(fx, brk_api_incremental_alter_configs, "t", set, set_ops, 2, false), BRK_KERR_NONE);
  const brk_kv_t del[] = {{"cleanup.policy", NULL}};
  const int8_t del_ops[] = {1};
  assert_int_equal(alter(fx, brk_api_incremental_alter_configs, "t", del, del_ops, 1, false), BRK_KERR_NONE);
  assert_string_equal(describe_topic_key(fx, 1, "t", "retention.ms", false).value, "5000");
  assert_string_equal(describe_topic_key(fx, 1, "t", "cleanup.policy", false).value, "delete");
  const int8_t append_op[] = {2};
  assert_int_equal(alter(fx, brk_api_incremental_alter_configs, "t", set, append_op, 1, false),
                   BRK_KERR_INVALID_CONFIG);
}

static void test_config_requests_malformed_frames_close_the_connection(void **state) {
  fx_t *fx = *state;
  put_describe(fx, 1, 2, "t", NULL, 0, false);
  fx->req.len -= 1; /* no IncludeSynonyms */
  assert_int_equal(fx_call(fx, brk_api_describe_configs, 32, 1), -1);
  const brk_kv_t kv[] = {{"retention.ms", "1"}};
  put_alter(fx, 2, "t", kv, NULL, 1, false);
  fx->req.len -= 3;
  assert_int_equal(fx_call(fx, brk_api_alter_configs, 33, 0), -1);
  brk_write_i32(&fx->req, 0x20000000);
  assert_int_equal(fx_call(fx, brk_api_alter_configs, 33, 0), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_describe_configs_v0_marks_defaults),
      T(test_describe_configs_v1_gives_source_and_synonyms),
      T(test_describe_configs_filters_by_configuration_keys),
      T(test_describe_configs_unknown_topic_and_bad_resource),
      T(test_describe_configs_broker_lists_its_settings_read_only),
      T(test_alter_configs_replaces_the_whole_set),
      T(test_alter_configs_rejects_bad_keys_duplicates_and_broker_changes),
      T(test_incremental_alter_configs_sets_and_deletes),
      T(test_config_requests_malformed_frames_close_the_connection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
