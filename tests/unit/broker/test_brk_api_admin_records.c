// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_admin_records.c: DeleteRecords v0-1 against a partition
 * holding one real record batch (v2, CRC32C), encoded as real requests. */
#include "brk_admin_fixture.h"

static uint32_t crc32c(const uint8_t *p, size_t n) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/* Appends one batch of n one-byte records to topic/partition 0. */
static void append_records(fx_t *fx, const char *topic, int32_t n) {
  brk_writer_t w = {0};
  brk_write_i64(&w, 0);                           /* baseOffset */
  size_t len_pos = brk_write_placeholder_i32(&w); /* batchLength */
  brk_write_i32(&w, 0);                           /* partitionLeaderEpoch */
  brk_write_i8(&w, 2);                            /* magic */
  size_t crc_pos = brk_write_placeholder_i32(&w);
  brk_write_i16(&w, 0);             /* attributes */
  brk_write_i32(&w, n - 1);         /* lastOffsetDelta */
  brk_write_i64(&w, 1700000000000); /* baseTimestamp */
  brk_write_i64(&w, 1700000000000); /* maxTimestamp */
  brk_write_i64(&w, -1);            /* producerId */
  brk_write_i16(&w, -1);            /* producerEpoch */
  brk_write_i32(&w, -1);            /* baseSequence */
  brk_write_i32(&w, n);             /* records count */
  for (int32_t i = 0; i < n; i++) {
    brk_write_varint(&w, 7);  /* length */
    brk_write_i8(&w, 0);      /* attributes */
    brk_write_varlong(&w, 0); /* timestampDelta */
    brk_write_varint(&w, i);  /* offsetDelta */
    brk_write_varint(&w, -1); /* keyLength */
    brk_write_varint(&w, 1);  /* valueLength */
    brk_write_i8(&w, 'x');
    brk_write_varint(&w, 0); /* headers */
  }
  assert_true(brk_writer_ok(&w));
  brk_writer_patch_i32(&w, len_pos, (int32_t)(w.len - 12));
  brk_writer_patch_i32(&w, crc_pos, (int32_t)crc32c(w.buf + 21, w.len - 21));
  brk_partition_t *p = brk_store_partition(brk_broker_store(fx->b), topic, strlen(topic), 0);
  assert_non_null(p);
  brk_append_result_t res;
  assert_int_equal(brk_partition_append(p, w.buf, w.len, 1700000000000, &res), BRK_KERR_NONE);
  brk_writer_fini(&w);
}

typedef struct part_spec {
  int32_t partition_index;
  int64_t offset;
} part_spec_t;

static void put_delete_records(fx_t *fx, const char *topic, const part_spec_t *parts, int32_t n) {
  brk_write_i32(&fx->req, 1);
  brk_write_string(&fx->req, topic);
  brk_write_i32(&fx->req, n);
  for (int32_t i = 0; i < n; i++) {
    brk_write_i32(&fx->req, parts[i].partition_index);
    brk_write_i64(&fx->req, parts[i].offset);
  }
  brk_write_i32(&fx->req, 30000); /* TimeoutMs */
}

/* Checks a one-topic response: per partition (LowWatermark, ErrorCode). */
static void expect_results(fx_t *fx, const char *topic, const part_spec_t *parts, int32_t n,
                           const int64_t *low, const int16_t *err) {
  assert_int_equal(brk_read_i32(&fx->rr), 0); /* ThrottleTimeMs */
  assert_int_equal(brk_read_i32(&fx->rr), 1);
  fx_expect_string(fx, topic);
  assert_int_equal(brk_read_i32(&fx->rr), n);
  for (int32_t i = 0; i < n; i++) {
    assert_int_equal(brk_read_i32(&fx->rr), parts[i].partition_index);
    assert_int_equal(brk_read_i64(&fx->rr), low[i]);
    assert_int_equal(brk_read_i16(&fx->rr), err[i]);
  }
  fx_expect_end(fx);
}

static void test_delete_records_moves_log_start_and_answers_low_watermark(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 2);
  append_records(fx, "t", 5);
  const part_spec_t parts[] = {{0, 3}};
  put_delete_records(fx, "t", parts, 1);
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 1), 0);
  expect_results(fx, "t", parts, 1, (const int64_t[]){3}, (const int16_t[]){BRK_KERR_NONE});
  brk_partition_t *p = brk_store_partition(brk_broker_store(fx->b), "t", 1, 0);
  assert_int_equal(brk_partition_log_start(p), 3);
}

static void test_delete_records_minus_one_means_high_watermark(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  append_records(fx, "t", 4);
  const part_spec_t parts[] = {{0, -1}};
  put_delete_records(fx, "t", parts, 1);
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 0), 0);
  expect_results(fx, "t", parts, 1, (const int64_t[]){4}, (const int16_t[]){BRK_KERR_NONE});
}

static void test_delete_records_reports_per_partition_errors(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 2);
  append_records(fx, "t", 2);
  const part_spec_t parts[] = {{0, 9}, {0, -7}, {5, 0}, {1, 0}};
  put_delete_records(fx, "t", parts, 4);
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 1), 0);
  expect_results(fx, "t", parts, 4, (const int64_t[]){-1, -1, -1, 0},
                 (const int16_t[]){BRK_KERR_OFFSET_OUT_OF_RANGE, BRK_KERR_OFFSET_OUT_OF_RANGE,
                                   BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION, BRK_KERR_NONE});

  const part_spec_t one[] = {{0, 0}};
  put_delete_records(fx, "missing", one, 1);
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 1), 0);
  expect_results(fx, "missing", one, 1, (const int64_t[]){-1},
                 (const int16_t[]){BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION});
}

static void test_delete_records_malformed_frames_close_the_connection(void **state) {
  fx_t *fx = *state;
  fx_create_topic(fx, "t", 1);
  append_records(fx, "t", 3);
  const part_spec_t parts[] = {{0, 2}};
  put_delete_records(fx, "t", parts, 1);
  fx->req.len -= 1;
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 1), -1);
  brk_partition_t *p = brk_store_partition(brk_broker_store(fx->b), "t", 1, 0);
  assert_int_equal(brk_partition_log_start(p), 0);
  brk_write_i32(&fx->req, 1);
  brk_write_string(&fx->req, "t");
  brk_write_i32(&fx->req, 0x10000000); /* absurd Partitions count */
  assert_int_equal(fx_call(fx, brk_api_delete_records, 21, 1), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_delete_records_moves_log_start_and_answers_low_watermark),
      T(test_delete_records_minus_one_means_high_watermark),
      T(test_delete_records_reports_per_partition_errors),
      T(test_delete_records_malformed_frames_close_the_connection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
