// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/component_broker.c: the broker's Kafka-named
 * properties land in the right brk_config_t fields, including Kafka's
 * log.retention.ms > log.retention.hours precedence and the advertised host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "broker/broker.h"
#include "component.h"
#include "platform/props.h"

static brk_config_t g_cfg;
static weir_broker_strings_t g_s;

static void map(weir_props_t *p) {
  memset(&g_s, 0, sizeof g_s);
  weir__broker_config(p, &g_cfg, &g_s);
}

static void set(weir_props_t *p, const char *key, const char *value) {
  weir_error_t err;
  if (weir_props_set(p, key, value, &err) != WEIR_OK) fail_msg("%s=%s: %s", key, value, err.msg);
}

static void test_broker_config_defaults_follow_kafka(void **state) {
  (void)state;
  weir_props_t *p = weir_props_new();
  map(p);
  assert_string_equal(g_cfg.listen, "0.0.0.0:9092");
  assert_null(g_cfg.advertised_host);
  assert_string_equal(g_cfg.data_dir, "./weir-data");
  assert_int_equal(g_cfg.node_id, 1);
  assert_true(g_cfg.auto_create_topics);
  assert_int_equal(g_cfg.num_partitions, 1);
  assert_int_equal(g_cfg.segment_bytes, 1073741824);
  assert_int_equal(g_cfg.retention_ms, 168LL * 3600 * 1000);
  assert_int_equal(g_cfg.retention_bytes, -1);
  assert_int_equal(g_cfg.flush_interval_messages, INT64_MAX);
  assert_int_equal(g_cfg.max_request_bytes, 104857600);
  assert_int_equal(g_cfg.message_max_bytes, 1048588);
  assert_int_equal(g_cfg.retention_check_interval_ms, 300000);
  weir_props_destroy(p);
}

static void test_broker_config_maps_every_property(void **state) {
  (void)state;
  weir_props_t *p = weir_props_new();
  set(p, "broker.listeners", "PLAINTEXT://127.0.0.1:19092");
  set(p, "advertised.listeners", "PLAINTEXT://kafka.example:19092");
  set(p, "data.dir", "/tmp/weir-x");
  set(p, "broker.id", "5");
  set(p, "auto.create.topics.enable", "false");
  set(p, "num.partitions", "6");
  set(p, "log.segment.bytes", "1048576");
  set(p, "log.retention.bytes", "1000000");
  set(p, "log.flush.interval.messages", "1");
  set(p, "socket.request.max.bytes", "2000000");
  set(p, "message.max.bytes", "500000");
  set(p, "log.retention.check.interval.ms", "1000");
  map(p);
  assert_string_equal(g_cfg.listen, "127.0.0.1:19092");
  assert_string_equal(g_cfg.advertised_host, "kafka.example");
  assert_string_equal(g_cfg.data_dir, "/tmp/weir-x");
  assert_int_equal(g_cfg.node_id, 5);
  assert_false(g_cfg.auto_create_topics);
  assert_int_equal(g_cfg.num_partitions, 6);
  assert_int_equal(g_cfg.segment_bytes, 1048576);
  assert_int_equal(g_cfg.retention_bytes, 1000000);
  assert_int_equal(g_cfg.flush_interval_messages, 1);
  assert_int_equal(g_cfg.max_request_bytes, 2000000);
  assert_int_equal(g_cfg.message_max_bytes, 500000);
  assert_int_equal(g_cfg.retention_check_interval_ms, 1000);
  weir_props_destroy(p);
}

static void test_broker_config_retention_ms_wins_over_hours(void **state) {
  (void)state;
  weir_props_t *p = weir_props_new();
  set(p, "log.retention.hours", "2");
  map(p);
  assert_int_equal(g_cfg.retention_ms, 2LL * 3600 * 1000);
  set(p, "log.retention.ms", "1500");
  map(p);
  assert_int_equal(g_cfg.retention_ms, 1500);
  set(p, "log.retention.ms", "-1");
  map(p);
  assert_int_equal(g_cfg.retention_ms, -1);
  weir_props_destroy(p);
  p = weir_props_new();
  set(p, "log.retention.hours", "-1");
  map(p);
  assert_int_equal(g_cfg.retention_ms, -1);
  weir_props_destroy(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_broker_config_defaults_follow_kafka),
      cmocka_unit_test(test_broker_config_maps_every_property),
      cmocka_unit_test(test_broker_config_retention_ms_wins_over_hours),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
