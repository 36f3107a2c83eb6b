// SPDX-License-Identifier: Apache-2.0
/* Tests of rest-proxy/src/rp_error.c and rp_request.c's pure helpers: every
 * code's status is the first three digits of its 5-digit error_code (except
 * Confluent's 40001, sent with 422), Kafka errors map to the Confluent
 * numbers clients look for, and topic names follow Kafka's rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "rp_int.h"

static void test_status_matches_error_code_prefix(void **state) {
  (void)state;
  for (int c = RP_ERR_BAD_REQUEST; c <= RP_ERR_NOMEM; c++) {
    int status = rp_code_status((rp_code_t)c), ec = rp_code_error_code((rp_code_t)c);
    assert_true(status >= 400 && status < 600);
    assert_non_null(rp_code_message((rp_code_t)c));
    if (ec < 1000) {
      assert_int_equal(ec, status);
    } else if (ec == 40001) {
      assert_int_equal(status, 422);
    } else {
      assert_int_equal(ec / 100, status);
    }
  }
}

static void test_kafka_errors_map_to_confluent_codes(void **state) {
  (void)state;
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_NO_ERROR)), 0);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)), 40401);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)), 40403);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)), 40002);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)), 40301);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED)), 40101);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED)), 42901);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)), 50003);
  assert_int_equal(rp_code_error_code(rp_code_from_kafka(RD_KAFKA_RESP_ERR_INVALID_MSG)), 50002);
}

static void test_topic_names(void **state) {
  (void)state;
  char longest[RP_MAX_TOPIC_NAME + 2];
  memset(longest, 'a', sizeof longest);
  longest[RP_MAX_TOPIC_NAME] = '\0';
  assert_true(rp_topic_name_valid(longest));
  longest[RP_MAX_TOPIC_NAME] = 'a';
  longest[RP_MAX_TOPIC_NAME + 1] = '\0';
  assert_false(rp_topic_name_valid(longest));
  assert_true(rp_topic_name_valid("orders.v1_x-2"));
  const char *bad[] = {"", ".", "..", "a b", "a/b", "caf\xc3\xa9", "a%20"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(rp_topic_name_valid(bad[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_status_matches_error_code_prefix),
      cmocka_unit_test(test_kafka_errors_map_to_confluent_codes),
      cmocka_unit_test(test_topic_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
