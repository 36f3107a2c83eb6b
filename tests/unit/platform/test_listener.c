// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/listener.c: accepted listener forms and the
 * unsupported ones (https, several listeners, IPv6, bad ports). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/listener.h"

static void test_listener_parses_http_url(void **state) {
  (void)state;
  weir_listener_t l;
  assert_int_equal(weir_listener_parse("HTTP://localhost:8081", &l, NULL), WEIR_OK);
  assert_string_equal(l.scheme, "http");
  assert_string_equal(l.host, "localhost");
  assert_int_equal(l.port, 8081);
}

static void test_listener_accepts_host_port_and_empty_host(void **state) {
  (void)state;
  weir_listener_t l;
  assert_int_equal(weir_listener_parse("127.0.0.1:0", &l, NULL), WEIR_OK);
  assert_string_equal(l.host, "127.0.0.1");
  assert_int_equal(l.port, 0);
  assert_int_equal(weir_listener_parse("http://:8081", &l, NULL), WEIR_OK);
  assert_string_equal(l.host, "0.0.0.0");
}

static void test_listener_kafka_accepts_plaintext_and_host_port(void **state) {
  (void)state;
  weir_listener_t l;
  assert_int_equal(weir_listener_parse_kafka("plaintext://broker-1:9092", &l, NULL), WEIR_OK);
  assert_string_equal(l.scheme, "PLAINTEXT");
  assert_string_equal(l.host, "broker-1");
  assert_int_equal(l.port, 9092);
  assert_int_equal(weir_listener_parse_kafka(":0", &l, NULL), WEIR_OK);
  assert_string_equal(l.scheme, "PLAINTEXT");
  assert_string_equal(l.host, "0.0.0.0");
  assert_int_equal(l.port, 0);
}

static void test_listener_kafka_rejects_other_schemes_and_lists(void **state) {
  (void)state;
  weir_listener_t l;
  weir_error_t err;
  assert_int_equal(weir_listener_parse_kafka("SASL_SSL://:9093", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "only PLAINTEXT://"));
  assert_int_equal(weir_listener_parse_kafka("http://:9092", &l, &err), WEIR_ERR_CONFIG);
  assert_int_equal(weir_listener_parse_kafka("PLAINTEXT://a:1,PLAINTEXT://b:2", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "only one listener"));
  assert_int_equal(weir_listener_parse_kafka("PLAINTEXT://a:99999", &l, &err), WEIR_ERR_CONFIG);
  assert_int_equal(weir_listener_parse_kafka("PLAINTEXT://a", &l, &err), WEIR_ERR_CONFIG);
}

static void test_listener_rejects_unsupported_forms_with_reason(void **state) {
  (void)state;
  weir_listener_t l;
  weir_error_t err;
  assert_int_equal(weir_listener_parse("https://0.0.0.0:8443", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "https is not supported"));
  assert_int_equal(weir_listener_parse("http://a:1,http://b:2", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "only one listener"));
  assert_int_equal(weir_listener_parse("http://[::]:8081", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "IPv6"));
  assert_int_equal(weir_listener_parse("PLAINTEXT://:9092", &l, &err), WEIR_ERR_CONFIG);
  assert_non_null(strstr(err.msg, "\"plaintext\""));
}

static void test_listener_rejects_bad_ports_and_hosts(void **state) {
  (void)state;
  weir_listener_t l;
  weir_error_t err;
  const char *bad[] = {"localhost", "h:", "h:65536", "h:123456", "h:80x", "h:-1", "ho st:80", "h/x:80"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(weir_listener_parse(bad[i], &l, &err), WEIR_ERR_CONFIG);
    assert_non_null(strstr(err.msg, bad[i]));
  }
  assert_int_equal(weir_listener_parse("h:65535", &l, &err), WEIR_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_listener_parses_http_url),
      cmocka_unit_test(test_listener_accepts_host_port_and_empty_host),
      cmocka_unit_test(test_listener_rejects_unsupported_forms_with_reason),
      cmocka_unit_test(test_listener_kafka_accepts_plaintext_and_host_port),
      cmocka_unit_test(test_listener_kafka_rejects_other_schemes_and_lists),
      cmocka_unit_test(test_listener_rejects_bad_ports_and_hosts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
