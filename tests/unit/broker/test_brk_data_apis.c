// SPDX-License-Identifier: Apache-2.0
/* Tests the data APIs over a loopback connection: Produce (brk_api_produce.c)
 * acks 1/0 and durable mode, Fetch (brk_api_fetch.c) zero-copy records,
 * long-poll park/wake/timeout and response ordering behind a parked fetch,
 * OFFSET_OUT_OF_RANGE, and ListOffsets (brk_api_list_offsets.c). */
#include "brk_net_fixture.h"

static uint32_t crc32c(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
  }
  return ~c;
}

/* One v2 batch with one record whose value is `value`. */
static void make_batch(brk_writer_t *b, const char *value) {
  memset(b, 0, sizeof *b);
  brk_writer_t rec = {0};
  size_t vl = strlen(value);
  brk_write_i8(&rec, 0);          /* attributes */
  brk_write_varlong(&rec, 0);     /* timestampDelta */
  brk_write_varint(&rec, 0);      /* offsetDelta */
  brk_write_varint(&rec, -1);     /* key */
  brk_write_varint(&rec, (int32_t)vl);
  brk_write_raw(&rec, value, vl);
  brk_write_varint(&rec, 0);      /* headers */
  brk_write_i64(b, 0);            /* baseOffset */
  size_t len_pos = brk_write_placeholder_i32(b);
  brk_write_i32(b, 0);            /* partitionLeaderEpoch */
  brk_write_i8(b, 2);             /* magic */
  size_t crc_pos = brk_write_placeholder_i32(b);
  brk_write_i16(b, 0);            /* attributes */
  brk_write_i32(b, 0);            /* lastOffsetDelta */
  int64_t now = brk__wall_ms();
  brk_write_i64(b, now);
  brk_write_i64(b, now);
  brk_write_i64(b, -1);
  brk_write_i16(b, -1);
  brk_write_i32(b, -1);
  brk_write_i32(b, 1);            /* recordCount */
  brk_write_varint(b, (int32_t)rec.len);
  brk_write_raw(b, rec.buf, rec.len);
  brk_writer_fini(&rec);
  brk_writer_patch_i32(b, len_pos, (int32_t)(b->len - 12));
  brk_writer_patch_i32(b, crc_pos, (int32_t)crc32c(b->buf + 21, b->len - 21));
}

static void send_produce(net_t *n, int32_t corr, int16_t acks, const char *topic, const char *value) {
  brk_writer_t w, batch;
  net_req_begin(&w, 0, 7, corr, false);
  brk_write_string(&w, NULL);
  brk_write_i16(&w, acks);
  brk_write_i32(&w, 5000);
  brk_write_i32(&w, 1);
  brk_write_string(&w, topic);
  brk_write_i32(&w, 1);
  brk_write_i32(&w, 0);
  make_batch(&batch, value);
  brk_write_bytes(&w, batch.buf, (int32_t)batch.len);
  brk_writer_fini(&batch);
  net_send(n, &w);
}

/* Reads a Produce v7 response; returns the partition's base offset. */
static int64_t read_produce(net_t *n, int32_t corr, int16_t want_err) {
  assert_int_equal(brk_read_i32(&n->rr), corr);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  (void)brk_read_string(&n->rr);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  assert_int_equal(brk_read_i16(&n->rr), want_err);
  int64_t base = brk_read_i64(&n->rr);
  (void)brk_read_i64(&n->rr);
  (void)brk_read_i64(&n->rr);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  assert_int_equal(brk_reader_remaining(&n->rr), 0);
  return base;
}

static int64_t produce(net_t *n, const char *value) {
  send_produce(n, 11, 1, "data", value);
  assert_int_equal(net_recv(n), 0);
  return read_produce(n, 11, 0);
}

static void send_fetch(net_t *n, int32_t corr, int64_t offset, int32_t max_wait, int32_t min_bytes) {
  brk_writer_t w;
  net_req_begin(&w, 1, 11, corr, false);
  brk_write_i32(&w, -1);
  brk_write_i32(&w, max_wait);
  brk_write_i32(&w, min_bytes);
  brk_write_i32(&w, 1 << 20);
  brk_write_i8(&w, 1);
  brk_write_i32(&w, 0);
  brk_write_i32(&w, -1);
  brk_write_i32(&w, 1);
  brk_write_string(&w, "data");
  brk_write_i32(&w, 1);
  brk_write_i32(&w, 0);
  brk_write_i32(&w, -1);
  brk_write_i64(&w, offset);
  brk_write_i64(&w, -1);
  brk_write_i32(&w, 1 << 20);
  brk_write_i32(&w, 0);   /* forgotten topics */
  brk_write_string(&w, ""); /* rack */
  net_send(n, &w);
}

/* Reads a Fetch v11 response for one partition; returns the records slice. */
static brk_slice_t read_fetch(net_t *n, int32_t corr, int16_t want_err, int64_t *hwm) {
  assert_int_equal(brk_read_i32(&n->rr), corr);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  assert_int_equal(brk_read_i16(&n->rr), 0);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  (void)brk_read_string(&n->rr);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  assert_int_equal(brk_read_i16(&n->rr), want_err);
  *hwm = brk_read_i64(&n->rr);
  assert_int_equal(brk_read_i64(&n->rr), *hwm); /* LSO */
  (void)brk_read_i64(&n->rr);
  assert_int_equal(brk_read_i32(&n->rr), 0); /* aborted txns: empty */
  assert_int_equal(brk_read_i32(&n->rr), -1);
  brk_slice_t recs = brk_read_bytes(&n->rr);
  assert_true(brk_reader_ok(&n->rr));
  assert_int_equal(brk_reader_remaining(&n->rr), 0);
  return recs;
}

static void test_produce_then_fetch_returns_the_batches(void **state) {
  net_t *n = *state;
  assert_int_equal(produce(n, "one"), 0);
  assert_int_equal(produce(n, "two"), 1);
  send_fetch(n, 3, 0, 0, 1);
  assert_int_equal(net_recv(n), 0);
  int64_t hwm;
  brk_slice_t recs = read_fetch(n, 3, 0, &hwm);
  assert_int_equal(hwm, 2);
  assert_true(recs.len > 2 * 61);
  assert_non_null(memmem(recs.ptr, (size_t)recs.len, "two", 3));
  /* mid-log offset starts at the batch containing it */
  send_fetch(n, 4, 1, 0, 1);
  assert_int_equal(net_recv(n), 0);
  recs = read_fetch(n, 4, 0, &hwm);
  assert_null(memmem(recs.ptr, (size_t)recs.len, "one", 3));
  assert_non_null(memmem(recs.ptr, (size_t)recs.len, "two", 3));
}

static void test_fetch_beyond_high_watermark_is_out_of_range(void **state) {
  net_t *n = *state;
  produce(n, "x");
  send_fetch(n, 5, 9, 0, 1);
  assert_int_equal(net_recv(n), 0);
  int64_t hwm;
  brk_slice_t recs = read_fetch(n, 5, 1, &hwm);
  assert_int_equal(recs.len, 0);
}

static void test_long_poll_times_out_with_empty_records(void **state) {
  net_t *n = *state;
  produce(n, "x");
  int64_t t0 = brk_now_ms();
  send_fetch(n, 6, 1, 150, 1);
  assert_int_equal(net_recv(n), 0);
  assert_true(brk_now_ms() - t0 >= 140);
  int64_t hwm;
  assert_int_equal(read_fetch(n, 6, 0, &hwm).len, 0);
}

static void test_parked_fetch_is_woken_by_produce_and_answered_first(void **state) {
  net_t *n = *state;
  produce(n, "x");
  send_fetch(n, 7, 1, 5000, 1);
  assert_int_equal(net_recv_timeout(n, 60), -2); /* parked */
  send_produce(n, 8, 1, "data", "wake");
  assert_int_equal(net_recv(n), 0);
  int64_t hwm;
  brk_slice_t recs = read_fetch(n, 7, 0, &hwm);
  assert_non_null(memmem(recs.ptr, (size_t)recs.len, "wake", 4));
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(read_produce(n, 8, 0), 1);
}

static void test_acks_zero_gets_no_response(void **state) {
  net_t *n = *state;
  send_produce(n, 9, 0, "data", "silent");
  assert_int_equal(produce(n, "loud"), 1);
}

static void test_produce_to_invalid_topic_name_is_invalid_topic(void **state) {
  net_t *n = *state;
  send_produce(n, 12, 1, "bad/topic", "v");
  assert_int_equal(net_recv(n), 0);
  read_produce(n, 12, 17);
}

static void test_list_offsets_latest_earliest_and_time(void **state) {
  net_t *n = *state;
  produce(n, "a");
  produce(n, "b");
  const int64_t ts[] = {-1, -2, brk__wall_ms() + 3600000};
  const int64_t want[] = {2, 0, -1};
  for (int i = 0; i < 3; i++) {
    brk_writer_t w;
    net_req_begin(&w, 2, 2, 20 + i, false);
    brk_write_i32(&w, -1);
    brk_write_i8(&w, 1);
    brk_write_i32(&w, 1);
    brk_write_string(&w, "data");
    brk_write_i32(&w, 1);
    brk_write_i32(&w, 0);
    brk_write_i64(&w, ts[i]);
    net_send(n, &w);
    assert_int_equal(net_recv(n), 0);
    assert_int_equal(brk_read_i32(&n->rr), 20 + i);
    assert_int_equal(brk_read_i32(&n->rr), 0);
    assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
    (void)brk_read_string(&n->rr);
    assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
    assert_int_equal(brk_read_i32(&n->rr), 0);
    assert_int_equal(brk_read_i16(&n->rr), 0);
    (void)brk_read_i64(&n->rr);
    assert_int_equal(brk_read_i64(&n->rr), want[i]);
  }
}

static void durable(brk_config_t *cfg) { cfg->flush_interval_messages = 1; }
static int durable_setup(void **state) { return net_setup_with(state, durable); }

static void test_durable_mode_acks_after_flush(void **state) {
  net_t *n = *state;
  assert_int_equal(produce(n, "safe"), 0);
  assert_int_equal(produce(n, "safer"), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_produce_then_fetch_returns_the_batches, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_fetch_beyond_high_watermark_is_out_of_range, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_long_poll_times_out_with_empty_records, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_parked_fetch_is_woken_by_produce_and_answered_first, net_setup,
                                      net_teardown),
      cmocka_unit_test_setup_teardown(test_acks_zero_gets_no_response, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_produce_to_invalid_topic_name_is_invalid_topic, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_list_offsets_latest_earliest_and_time, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_durable_mode_acks_after_flush, durable_setup, net_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
