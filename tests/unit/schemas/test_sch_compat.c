// SPDX-License-Identifier: Apache-2.0
/* Tests of sch_compat.c: level names, which versions each level compares, the
 * direction words and the messages appended after a failing version. */
#include "test_helpers.h"

#define V1 "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"
#define V2 "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}]}"
#define V3 "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}"

static bool check(sch_compat_level_t level, const char *const *old, size_t n, const char *cand, sch_messages_t *msgs) {
  sch_compat_prev_t prev[4];
  for (size_t i = 0; i < n; i++) {
    prev[i] = (sch_compat_prev_t){avro_parse_opts(old[i], NULL, NULL), (int)i + 1};
  }
  sch_schema_t *c = avro_parse_opts(cand, NULL, NULL);
  bool ok = false;
  assert_int_equal(sch_compat_check(level, c, prev, n, &ok, msgs, NULL), SCH_OK);
  for (size_t i = 0; i < n; i++) {
    sch_schema_destroy((sch_schema_t *)prev[i].schema);
  }
  sch_schema_destroy(c);
  return ok;
}

static void test_sch_compat_parses_level_names_case_insensitively(void **state) {
  (void)state;
  sch_compat_level_t l;
  assert_int_equal(sch_compat_level_parse("full_transitive", &l), 0);
  assert_int_equal(l, SCH_COMPAT_FULL_TRANSITIVE);
  assert_string_equal(sch_compat_level_name(SCH_COMPAT_BACKWARD), "BACKWARD");
  assert_int_equal(sch_compat_level_parse("sideways", &l), -1);
}

static void test_sch_compat_backward_appends_version_and_old_schema(void **state) {
  (void)state;
  const char *old[] = {V1};
  sch_messages_t msgs = {0};
  assert_false(check(SCH_COMPAT_BACKWARD, old, 1, V2, &msgs));
  assert_int_equal(msgs.count, 3);
  assert_string_equal(msgs.items[1], "{oldSchemaVersion: 1}");
  assert_string_equal(msgs.items[2], "{oldSchema: '" V1 "'}");
  sch_messages_fini(&msgs);
}

static void test_sch_compat_forward_swaps_the_words(void **state) {
  (void)state;
  const char *old[] = {V2};
  sch_messages_t msgs = {0};
  assert_false(check(SCH_COMPAT_FORWARD, old, 1, V1, &msgs));
  assert_non_null(strstr(msgs.items[0], "in the old schema has no default value and is missing in the new schema"));
  sch_messages_fini(&msgs);
}

static void test_sch_compat_non_transitive_checks_only_latest(void **state) {
  (void)state;
  const char *old[] = {V3, V2};
  assert_true(check(SCH_COMPAT_BACKWARD, old, 2, V1, NULL));
  assert_false(check(SCH_COMPAT_BACKWARD_TRANSITIVE, old, 2, V1, NULL));
  assert_true(check(SCH_COMPAT_NONE, old, 2, V1, NULL));
}

static void test_sch_compat_full_needs_both_directions(void **state) {
  (void)state;
  const char *old[] = {V1};
  sch_messages_t msgs = {0};
  assert_false(check(SCH_COMPAT_FULL, old, 1, V3, &msgs));
  assert_int_equal(msgs.count, 1); /* forward failure only: no oldSchema lines */
  sch_messages_fini(&msgs);
  assert_true(check(SCH_COMPAT_FULL, old, 1, V1, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sch_compat_parses_level_names_case_insensitively),
      cmocka_unit_test(test_sch_compat_backward_appends_version_and_old_schema),
      cmocka_unit_test(test_sch_compat_forward_swaps_the_words),
      cmocka_unit_test(test_sch_compat_non_transitive_checks_only_latest),
      cmocka_unit_test(test_sch_compat_full_needs_both_directions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
