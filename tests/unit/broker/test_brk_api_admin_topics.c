// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_admin_topics.c: CreateTopics v0-4 and DeleteTopics v0-1
 * encoded as real request bodies, run against a broker over a temporary
 * data dir, responses decoded field by field. */
#include "brk_admin_fixture.h"

typedef struct assignment {
  int32_t partition_index;
  int32_t n_ids;
  int32_t ids[2];
} assignment_t;

typedef struct topic_spec {
  const char *name;
  int32_t num_partitions;
  int16_t replication_factor;
  const assignment_t *assignments;
  int32_t n_assignments;
  const char *config_name; /* one config, or NULL */
  const char *config_value;
} topic_spec_t;

static void put_topic(brk_writer_t *w, const topic_spec_t *t) {
  brk_write_string(w, t->name);
  brk_write_i32(w, t->num_partitions);
  brk_write_i16(w, t->replication_factor);
  brk_write_i32(w, t->n_assignments);
  for (int32_t i = 0; i < t->n_assignments; i++) {
    brk_write_i32(w, t->assignments[i].partition_index);
    brk_write_i32(w, t->assignments[i].n_ids);
    for (int32_t j = 0; j < t->assignments[i].n_ids; j++) brk_write_i32(w, t->assignments[i].ids[j]);
  }
  brk_write_i32(w, t->config_name ? 1 : 0);
  if (t->config_name) {
    brk_write_string(w, t->config_name);
    brk_write_string(w, t->config_value);
  }
}

/* CreateTopics request body for version v. */
static void put_create(fx_t *fx, int16_t v, const topic_spec_t *topics, int32_t n, bool validate_only) {
  brk_write_i32(&fx->req, n);
  for (int32_t i = 0; i < n; i++) put_topic(&fx->req, &topics[i]);
  brk_write_i32(&fx->req, 30000); /* timeoutMs */
  if (v >= 1) brk_write_i8(&fx->req, validate_only);
}

/* Runs CreateTopics v4 with one topic and returns its error code (message read). */
static int16_t create_one_v4(fx_t *fx, const topic_spec_t *t, bool validate_only) {
  put_create(fx, 4, t, 1, validate_only);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 4), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, t->name);
  return brk_read_i16(&fx->rr);
}

static int32_t partitions_of(fx_t *fx, const char *name) {
  return brk_store_topic_partitions(brk_broker_store(fx->b), name);
}

static void test_create_topics_v4_creates_topic_and_answers_null_message(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"orders", 3, 1, NULL, 0, "retention.ms", "60000"};
  assert_int_equal(create_one_v4(fx, &t, false), BRK_KERR_NONE);
  fx_expect_string(fx, NULL);
  fx_expect_end(fx);
  assert_int_equal(partitions_of(fx, "orders"), 3);
}

static void test_create_topics_v0_has_no_throttle_nor_message(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"v0topic", 1, 1, NULL, 0, NULL, NULL};
  put_create(fx, 0, &t, 1, false);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 0), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "v0topic");
  assert_int_equal(brk_read_i16(&fx->rr), BRK_KERR_NONE);
  fx_expect_end(fx);
  assert_int_equal(partitions_of(fx, "v0topic"), 1);
}

static void test_create_topics_v1_has_message_but_no_throttle(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "exists", 1);
  topic_spec_t t = {"exists", 1, 1, NULL, 0, NULL, NULL};
  put_create(fx, 1, &t, 1, false);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 1), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "exists");
  assert_int_equal(brk_read_i16(&fx->rr), BRK_KERR_TOPIC_ALREADY_EXISTS);
  fx_expect_message_containing(fx, "already exists");
  fx_expect_end(fx);
}

static void test_create_topics_rejects_bad_names_counts_and_replication(void **state) {
  fx_t *fx = *state;
  const struct {
    topic_spec_t t;
    int16_t err;
  } cases[] = {
      {{"bad name!", 1, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_TOPIC_EXCEPTION},
      {{"..", 1, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_TOPIC_EXCEPTION},
      {{"", 1, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_TOPIC_EXCEPTION},
      {{"zero", 0, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_PARTITIONS},
      {{"negative", -5, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_PARTITIONS},
      {{"huge", 2000000000, 1, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_PARTITIONS},
      {{"rf3", 1, 3, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_REPLICATION_FACTOR},
      {{"rf0", 1, 0, NULL, 0, NULL, NULL}, BRK_KERR_INVALID_REPLICATION_FACTOR},
      {{"nullvalue", 1, 1, NULL, 0, "retention.ms", NULL}, BRK_KERR_INVALID_CONFIG},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(create_one_v4(fx, &cases[i].t, false), cases[i].err);
    fx_expect_message_containing(fx, "");
    fx_expect_end(fx);
  }
  assert_int_equal(partitions_of(fx, "zero"), -1);
  assert_int_equal(partitions_of(fx, "rf3"), -1);
}

static void test_create_topics_rejects_unknown_config_from_store(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"badcfg", 1, 1, NULL, 0, "no.such.config", "1"};
  assert_int_equal(create_one_v4(fx, &t, false), BRK_KERR_INVALID_CONFIG);
  fx_expect_message_containing(fx, "no.such.config");
  assert_int_equal(partitions_of(fx, "badcfg"), -1);
}

static void test_create_topics_minus_one_means_broker_default_in_every_version(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"defaults", -1, -1, NULL, 0, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t, false), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "defaults"), brk_broker_config(fx->b)->num_partitions);

  /* kafkajs (CreateTopics v3) sends ReplicationFactor -1 when unset. */
  topic_spec_t kafkajs = {"kafkajs", 2, -1, NULL, 0, NULL, NULL};
  put_create(fx, 3, &kafkajs, 1, false);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 3), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "kafkajs");
  assert_int_equal(brk_read_i16(&fx->rr), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "kafkajs"), 2);
}

static void test_create_topics_accepts_assignments_to_this_node_only(void **state) {
  fx_t *fx = *state;
  const assignment_t good[] = {{1, 1, {1, 0}}, {0, 1, {1, 0}}};
  topic_spec_t t = {"manual", -1, -1, good, 2, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t, false), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "manual"), 2);

  const assignment_t other_broker[] = {{0, 1, {2, 0}}};
  topic_spec_t t2 = {"manual2", -1, -1, other_broker, 1, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t2, false), BRK_KERR_INVALID_REPLICA_ASSIGNMENT);

  const assignment_t two_replicas[] = {{0, 2, {1, 1}}};
  topic_spec_t t3 = {"manual3", -1, -1, two_replicas, 1, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t3, false), BRK_KERR_INVALID_REPLICA_ASSIGNMENT);

  const assignment_t gap[] = {{0, 1, {1, 0}}, {2, 1, {1, 0}}};
  topic_spec_t t4 = {"manual4", -1, -1, gap, 2, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t4, false), BRK_KERR_INVALID_REPLICA_ASSIGNMENT);

  topic_spec_t t5 = {"manual5", 1, 1, good, 2, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t5, false), BRK_KERR_INVALID_REQUEST);
  assert_int_equal(partitions_of(fx, "manual2"), -1);
}

static void test_create_topics_validate_only_creates_nothing(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"dryrun", 2, 1, NULL, 0, NULL, NULL};
  assert_int_equal(create_one_v4(fx, &t, true), BRK_KERR_NONE);
  assert_int_equal(partitions_of(fx, "dryrun"), -1);
}

static void test_create_topics_duplicate_entries_are_invalid_request(void **state) {
  fx_t *fx = *state;
  topic_spec_t t[] = {{"twice", 1, 1, NULL, 0, NULL, NULL},
                      {"once", 1, 1, NULL, 0, NULL, NULL},
                      {"twice", 2, 1, NULL, 0, NULL, NULL}};
  put_create(fx, 2, t, 3, false);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 2), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 3);
  const int16_t want[] = {BRK_KERR_INVALID_REQUEST, BRK_KERR_NONE, BRK_KERR_INVALID_REQUEST};
  for (int i = 0; i < 3; i++) {
    fx_expect_string(fx, t[i].name);
    assert_int_equal(brk_read_i16(&fx->rr), want[i]);
    brk_read_string(&fx->rr);
  }
  fx_expect_end(fx);
  assert_int_equal(partitions_of(fx, "twice"), -1);
  assert_int_equal(partitions_of(fx, "once"), 1);
}

static void test_create_topics_malformed_frames_close_the_connection(void **state) {
  fx_t *fx = *state;
  topic_spec_t t = {"trunc", 1, 1, NULL, 0, NULL, NULL};
  put_create(fx, 4, &t, 1, false);
  fx->req.len -= 1; /* drop validateOnly */
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 4), -1);
  assert_int_equal(partitions_of(fx, "trunc"), -1);

  brk_write_i32(&fx->req, 1000000000); /* absurd Topics count */
  brk_write_i32(&fx->req, 0);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 4), -1);

  brk_write_i32(&fx->req, 1); /* absurd nested Assignments count */
  brk_write_string(&fx->req, "x");
  brk_write_i32(&fx->req, -1);
  brk_write_i16(&fx->req, -1);
  brk_write_i32(&fx->req, 0x7fffffff);
  assert_int_equal(fx_call(fx, brk_api_create_topics, 19, 4), -1);
}

static void put_delete(fx_t *fx, const char *const *names, int32_t n) {
  brk_write_i32(&fx->req, n);
  for (int32_t i = 0; i < n; i++) brk_write_string(&fx->req, names[i]);
  brk_write_i32(&fx->req, 30000); /* TimeoutMs */
}

static void test_delete_topics_v1_deletes_and_reports_unknown_and_duplicates(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "gone", 2);
  fx_create_topic(fx, "dup", 1);
  const char *names[] = {"gone", "missing", "dup", "dup", "bad/name"};
  put_delete(fx, names, 5);
  assert_int_equal(fx_call(fx, brk_api_delete_topics, 20, 1), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 5);
  const int16_t want[] = {BRK_KERR_NONE, BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION, BRK_KERR_INVALID_REQUEST,
                          BRK_KERR_INVALID_REQUEST, BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION};
  for (int i = 0; i < 5; i++) {
    fx_expect_string(fx, names[i]);
    assert_int_equal(brk_read_i16(&fx->rr), want[i]);
  }
  fx_expect_end(fx);
  assert_int_equal(partitions_of(fx, "gone"), -1);
  assert_int_equal(partitions_of(fx, "dup"), 1);
}

static void test_delete_topics_v0_has_no_throttle(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "old", 1);
  const char *names[] = {"old"};
  put_delete(fx, names, 1);
  assert_int_equal(fx_call(fx, brk_api_delete_topics, 20, 0), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "old");
  assert_int_equal(brk_read_i16(&fx->rr), BRK_KERR_NONE);
  fx_expect_end(fx);
}

static void test_delete_topics_malformed_frames_close_the_connection(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "kept", 1);
  const char *names[] = {"kept"};
  put_delete(fx, names, 1);
  fx->req.len -= 2; /* truncated TimeoutMs */
  assert_int_equal(fx_call(fx, brk_api_delete_topics, 20, 1), -1);
  assert_int_equal(partitions_of(fx, "kept"), 1);
  brk_write_i32(&fx->req, 0x7fffffff);
  assert_int_equal(fx_call(fx, brk_api_delete_topics, 20, 1), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_create_topics_v4_creates_topic_and_answers_null_message),
      T(test_create_topics_v0_has_no_throttle_nor_message),
      T(test_create_topics_v1_has_message_but_no_throttle),
      T(test_create_topics_rejects_bad_names_counts_and_replication),
      T(test_create_topics_rejects_unknown_config_from_store),
      T(test_create_topics_minus_one_means_broker_default_in_every_version),
      T(test_create_topics_accepts_assignments_to_this_node_only),
      T(test_create_topics_validate_only_creates_nothing),
      T(test_create_topics_duplicate_entries_are_invalid_request),
      T(test_create_topics_malformed_frames_close_the_connection),
      T(test_delete_topics_v1_deletes_and_reports_unknown_and_duplicates),
      T(test_delete_topics_v0_has_no_throttle),
      T(test_delete_topics_malformed_frames_close_the_connection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
