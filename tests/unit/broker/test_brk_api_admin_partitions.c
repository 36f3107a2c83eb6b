// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_admin_partitions.c: CreatePartitions v0-1 encoded as real
 * request bodies against a broker over a temporary data dir. */
#include "brk_admin_fixture.h"

typedef struct grow_spec {
  const char *name;
  int32_t count;
  int32_t n_assignments; /* -1: null */
  int32_t broker_id;     /* each assignment names this one broker */
} grow_spec_t;

static void put_grow(fx_t *fx, const grow_spec_t *t, int32_t n, bool validate_only) {
  brk_write_i32(&fx->req, n);
  for (int32_t i = 0; i < n; i++) {
    brk_write_string(&fx->req, t[i].name);
    brk_write_i32(&fx->req, t[i].count);
    brk_write_i32(&fx->req, t[i].n_assignments);
    for (int32_t j = 0; j < t[i].n_assignments; j++) {
      brk_write_i32(&fx->req, 1);
      brk_write_i32(&fx->req, t[i].broker_id);
    }
  }
  brk_write_i32(&fx->req, 30000); /* TimeoutMs */
  brk_write_i8(&fx->req, validate_only);
}

/* One topic, v1; returns its ErrorCode and checks ErrorMessage is null iff 0. */
static int16_t grow_one(fx_t *fx, const grow_spec_t *t, bool validate_only) {
  put_grow(fx, t, 1, validate_only);
  assert_int_equal(fx_call(fx, brk_api_create_partitions, 37, 1), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, t->name);
  int16_t err = brk_read_i16(&fx->rr);
  brk_slice_t msg = brk_read_string(&fx->rr);
  assert_true((err == 0) == (msg.ptr == NULL));
  fx_expect_end(fx);
  return err;
}

static int32_t partitions_of(fx_t *fx, const char *name) {
  return brk_store_topic_partitions(brk_broker_store(fx->b), name);
}

static void test_create_partitions_grows_topic_to_new_total(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "grow", 1);
  grow_spec_t t = {"grow", 4, -1, 0};
  assert_int_equal(grow_one(fx, &t, false), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "grow"), 4);
}

static void test_create_partitions_rejects_same_or_smaller_count(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "three", 3);
  grow_spec_t same = {"three", 3, -1, 0}, smaller = {"three", 2, -1, 0};
  assert_int_equal(grow_one(fx, &same, false), BRK_KERR_INVALID_PARTITIONS);
  assert_int_equal(grow_one(fx, &smaller, false), BRK_KERR_INVALID_PARTITIONS);
  assert_int_equal(partitions_of(fx, "three"), 3);
}

static void test_create_partitions_unknown_topic(void **state) {
  fx_t *fx = *state;
  grow_spec_t t = {"nope", 2, -1, 0}, bad = {"no/pe", 2, -1, 0};
  assert_int_equal(grow_one(fx, &t, false), BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  assert_int_equal(grow_one(fx, &bad, false), BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
}

static void test_create_partitions_checks_manual_assignments(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "manual", 1);
  grow_spec_t too_few = {"manual", 3, 1, 1}, other = {"manual", 3, 2, 9}, good = {"manual", 3, 2, 1};
  assert_int_equal(grow_one(fx, &too_few, false), BRK_KERR_INVALID_REPLICA_ASSIGNMENT);
  assert_int_equal(grow_one(fx, &other, false), BRK_KERR_INVALID_REPLICA_ASSIGNMENT);
  assert_int_equal(partitions_of(fx, "manual"), 1);
  assert_int_equal(grow_one(fx, &good, false), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "manual"), 3);
}

static void test_create_partitions_validate_only_changes_nothing(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "dry", 1);
  grow_spec_t t = {"dry", 5, -1, 0};
  assert_int_equal(grow_one(fx, &t, true), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "dry"), 1);
}

static void test_create_partitions_v0_answers_every_topic_and_flags_duplicates(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "a", 1);
  fx_create_topic(fx, "b", 1);
  grow_spec_t t[] = {{"a", 2, -1, 0}, {"b", 2, -1, 0}, {"a", 3, -1, 0}};
  put_grow(fx, t, 3, false);
  assert_int_equal(fx_call(fx, brk_api_create_partitions, 37, 0), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 3);
  const int16_t want[] = {BRK_KERR_INVALID_REQUEST, BRK_KERR_NONE, BRK_KERR_INVALID_REQUEST};
  for (int i = 0; i < 3; i++) {
    fx_expect_string(fx, t[i].name);
    assert_int_equal(brk_read_i16(&fx->rr), want[i]);
    brk_read_string(&fx->rr);
  }
  fx_expect_end(fx);
  assert_int_equal(partitions_of(fx, "a"), 1);
  assert_int_equal(partitions_of(fx, "b"), 2);
}

static void test_create_partitions_malformed_frames_close_the_connection(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "m", 1);
  grow_spec_t t = {"m", 2, -1, 0};
  put_grow(fx, &t, 1, false);
  fx->req.len -= 1; /* no ValidateOnly */
  assert_int_equal(fx_call(fx, brk_api_create_partitions, 37, 1), -1);
  assert_int_equal(partitions_of(fx, "m"), 1);
  brk_write_i32(&fx->req, 1);
  brk_write_string(&fx->req, "m");
  brk_write_i32(&fx->req, 2);
  brk_write_i32(&fx->req, 0x40000000); /* absurd Assignments count */
  assert_int_equal(fx_call(fx, brk_api_create_partitions, 37, 1), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_create_partitions_grows_topic_to_new_total),
      T(test_create_partitions_rejects_same_or_smaller_count),
      T(test_create_partitions_unknown_topic),
      T(test_create_partitions_checks_manual_assignments),
      T(test_create_partitions_validate_only_changes_nothing),
      T(test_create_partitions_v0_answers_every_topic_and_flags_duplicates),
      T(test_create_partitions_malformed_frames_close_the_connection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
