// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_offset_commit.c and brk_api_offset_fetch.c: OffsetCommit
 * v2-7 and OffsetFetch v1-5 encoded as real request bodies, run against a
 * broker over a temporary data dir (simple commits: generation -1, no
 * member), responses decoded field by field. */
#include "brk_admin_fixture.h"
#include "brk_offsets_int.h"

typedef struct part_spec {
  int32_t partition;
  int64_t offset;
  const char *metadata;
} part_spec_t;

/* OffsetCommit body for version v: one topic with n partitions. */
static void put_commit(fx_t *fx, int16_t v, const char *group, const char *topic, const part_spec_t *parts,
                       int32_t n, int64_t retention_ms) {
  brk_writer_t *w = &fx->req;
  brk_write_string(w, group);
  brk_write_i32(w, -1); /* GenerationIdOrMemberEpoch */
  brk_write_string(w, "");
  if (v >= 7) brk_write_string(w, NULL); /* GroupInstanceId */
  if (v <= 4) brk_write_i64(w, retention_ms);
  brk_write_i32(w, 1);
  brk_write_string(w, topic);
  brk_write_i32(w, n);
  for (int32_t i = 0; i < n; i++) {
    brk_write_i32(w, parts[i].partition);
    brk_write_i64(w, parts[i].offset);
    if (v >= 6) brk_write_i32(w, 5); /* CommittedLeaderEpoch */
    brk_write_string(w, parts[i].metadata);
  }
}

/* Runs the commit and checks the response shape; returns partition errors. */
static void commit_expect(fx_t *fx, int16_t v, const char *topic, int32_t n, const int16_t *errs) {
  assert_int_equal(fx_call(fx, brk__api_offset_commit, 8, v), 0);
  if (v >= 3) assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, topic);
  assert_int_equal(brk_read_i32(&fx->rr), n);
  for (int32_t i = 0; i < n; i++) {
    brk_read_i32(&fx->rr);
    assert_int_equal(brk_read_i16(&fx->rr), errs[i]);
  }
  fx_expect_end(fx);
}

static void test_offset_commit_v2_stores_and_reports_unknown_partitions(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "orders", 2);
  part_spec_t parts[3] = {{0, 10, "m0"}, {1, 11, NULL}, {2, 12, NULL}};
  put_commit(fx, 2, "g", "orders", parts, 3, -1);
  int16_t errs[3] = {BRK_KERR_NONE, BRK_KERR_NONE, BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION};
  commit_expect(fx, 2, "orders", 3, errs);
  brk_committed_t c;
  brk_offsets_get(fx->b->offsets, "g", "orders", 0, &c);
  assert_int_equal(c.offset, 10);
  assert_string_equal(c.metadata, "m0");
  assert_int_equal(c.leader_epoch, -1);
  brk_offsets_get(fx->b->offsets, "g", "orders", 2, &c);
  assert_int_equal(c.offset, -1);
}

static void test_offset_commit_unknown_topic_is_unknown_topic_or_partition(void **state) {
  fx_t *fx = *state;
  part_spec_t parts[1] = {{0, 1, NULL}};
  put_commit(fx, 7, "g", "nope", parts, 1, -1);
  int16_t errs[1] = {BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION};
  commit_expect(fx, 7, "nope", 1, errs);
  assert_false(brk_offsets_has_group(fx->b->offsets, "g"));
}

static void test_offset_commit_v6_keeps_leader_epoch_and_rejects_big_metadata(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 2);
  char big[4200];
  memset(big, 'm', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  part_spec_t parts[2] = {{0, 7, "ok"}, {1, 8, big}};
  put_commit(fx, 6, "g6", "t", parts, 2, -1);
  int16_t errs[2] = {BRK_KERR_NONE, BRK_KERR_OFFSET_METADATA_TOO_LARGE};
  commit_expect(fx, 6, "t", 2, errs);
  brk_committed_t c;
  brk_offsets_get(fx->b->offsets, "g6", "t", 0, &c);
  assert_int_equal(c.leader_epoch, 5);
  brk_offsets_get(fx->b->offsets, "g6", "t", 1, &c);
  assert_int_equal(c.offset, -1);
}

static void test_offset_commit_empty_group_id_is_invalid_group_id(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  part_spec_t parts[1] = {{0, 1, NULL}};
  put_commit(fx, 5, "", "t", parts, 1, -1);
  int16_t errs[1] = {BRK_KERR_INVALID_GROUP_ID};
  commit_expect(fx, 5, "t", 1, errs);
}

static void test_offset_commit_truncated_request_closes_connection(void **state) {
  fx_t *fx = *state;
  brk_write_string(&fx->req, "g");
  brk_write_i32(&fx->req, -1);
  assert_int_equal(fx_call(fx, brk__api_offset_commit, 8, 3), -1);
}

/* Commits partitions 0 and 1 of "t" (offsets 100, 101) for group g. */
static void seed(fx_t *fx, const char *g) {
  fx_create_topic(fx, "t", 3);
  part_spec_t parts[2] = {{0, 100, "zero"}, {1, 101, NULL}};
  put_commit(fx, 7, g, "t", parts, 2, -1);
  int16_t errs[2] = {0, 0};
  commit_expect(fx, 7, "t", 2, errs);
}

static void expect_fetched(fx_t *fx, int16_t v, int32_t partition, int64_t offset, int32_t epoch,
                           const char *md) {
  assert_int_equal(brk_read_i32(&fx->rr), partition);
  assert_int_equal(brk_read_i64(&fx->rr), offset);
  if (v >= 5) assert_int_equal(brk_read_i32(&fx->rr), epoch);
  fx_expect_string(fx, md);
  assert_int_equal(brk_read_i16(&fx->rr), 0);
}

static void test_offset_fetch_v1_lists_asked_partitions_with_minus_one_for_none(void **state) {
  fx_t *fx = *state;
  seed(fx, "g");
  brk_write_string(&fx->req, "g");
  brk_write_i32(&fx->req, 1);
  brk_write_string(&fx->req, "t");
  brk_write_i32(&fx->req, 2);
  brk_write_i32(&fx->req, 0);
  brk_write_i32(&fx->req, 2);
  assert_int_equal(fx_call(fx, brk__api_offset_fetch, 9, 1), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "t");
  assert_int_equal(brk_read_i32(&fx->rr), 2);
  expect_fetched(fx, 1, 0, 100, -1, "zero");
  expect_fetched(fx, 1, 2, -1, -1, "");
  fx_expect_end(fx);
}

static void test_offset_fetch_v5_null_topics_returns_all_commits_and_error_code(void **state) {
  fx_t *fx = *state;
  seed(fx, "g");
  brk_write_string(&fx->req, "g");
  brk_write_i32(&fx->req, -1); /* Topics = null */
  assert_int_equal(fx_call(fx, brk__api_offset_fetch, 9, 5), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, "t");
  assert_int_equal(brk_read_i32(&fx->rr), 2);
  expect_fetched(fx, 5, 0, 100, 5, "zero");
  expect_fetched(fx, 5, 1, 101, 5, "");
  assert_int_equal(brk_read_i16(&fx->rr), 0); /* ErrorCode */
  fx_expect_end(fx);
}

static void test_offset_fetch_unknown_group_is_not_an_error(void **state) {
  fx_t *fx = *state;
  brk_write_string(&fx->req, "nobody");
  brk_write_i32(&fx->req, -1);
  assert_int_equal(fx_call(fx, brk__api_offset_fetch, 9, 2), 0);
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* no topics */
  assert_int_equal(brk_read_i16(&fx->rr), 0);
  fx_expect_end(fx);
}

static void test_offset_fetch_v1_rejects_null_topics(void **state) {
  fx_t *fx = *state;
  brk_write_string(&fx->req, "g");
  brk_write_i32(&fx->req, -1);
  assert_int_equal(fx_call(fx, brk__api_offset_fetch, 9, 1), -1);
}

static void test_offset_commits_survive_broker_restart(void **state) {
  fx_t *fx = *state;
  seed(fx, "durable");
  brk__broker_free(fx->b);
  brk_config_t cfg;
  brk_config_init(&cfg);
  cfg.data_dir = fx->dir;
  char errbuf[256];
  fx->b = brk__broker_new(&cfg, errbuf, sizeof errbuf);
  assert_non_null(fx->b);
  brk_committed_t c;
  brk_offsets_get(fx->b->offsets, "durable", "t", 1, &c);
  assert_int_equal(c.offset, 101);
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
      T(test_offset_commit_v2_stores_and_reports_unknown_partitions),
      T(test_offset_commit_unknown_topic_is_unknown_topic_or_partition),
      T(test_offset_commit_v6_keeps_leader_epoch_and_rejects_big_metadata),
      T(test_offset_commit_empty_group_id_is_invalid_group_id),
      T(test_offset_commit_truncated_request_closes_connection),
      T(test_offset_fetch_v1_lists_asked_partitions_with_minus_one_for_none),
      T(test_offset_fetch_v5_null_topics_returns_all_commits_and_error_code),
      T(test_offset_fetch_unknown_group_is_not_an_error),
      T(test_offset_fetch_v1_rejects_null_topics),
      T(test_offset_commits_survive_broker_restart),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
