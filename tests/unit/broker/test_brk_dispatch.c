// SPDX-License-Identifier: Apache-2.0
/* Tests brk_dispatch.c, brk_conn.c and brk_api_api_versions.c /
 * brk_api_metadata.c over a real loopback connection: ApiVersions v0/v3 and
 * the v0-header fallback for unknown versions (spec §1.2), closing on unknown
 * keys/versions and absurd frame sizes, in-order answers to pipelined
 * requests, and Metadata (advertised broker, controller, auto-creation). */
#include "brk_net_fixture.h"

static void expect_api(brk_reader_t *r, int n, bool flexible, int16_t key, int16_t min, int16_t max) {
  bool found = false;
  for (int i = 0; i < n; i++) {
    int16_t k = brk_read_i16(r), lo = brk_read_i16(r), hi = brk_read_i16(r);
    if (flexible) brk_skip_tagged_fields(r);
    if (k == key) {
      found = true;
      assert_int_equal(lo, min);
      assert_int_equal(hi, max);
    }
  }
  assert_true(found);
}

static void test_api_versions_v3_is_flexible_with_header_v0(void **state) {
  net_t *n = *state;
  brk_writer_t w;
  net_req_begin(&w, 18, 3, 42, true);
  brk_write_compact_string(&w, "librdkafka");
  brk_write_compact_string(&w, "2.0.2");
  brk_write_empty_tagged_fields(&w);
  net_send(n, &w);
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(brk_read_i32(&n->rr), 42); /* no tagged byte after it */
  assert_int_equal(brk_read_i16(&n->rr), 0);
  int cnt = brk_read_compact_array_len(&n->rr, 7);
  assert_true(cnt >= 5);
  expect_api(&n->rr, cnt, true, 18, 0, 3);
  assert_int_equal(brk_read_i32(&n->rr), 0);
  brk_skip_tagged_fields(&n->rr);
  assert_true(brk_reader_ok(&n->rr));
  assert_int_equal(brk_reader_remaining(&n->rr), 0);
}

static void test_api_versions_above_max_gets_v0_unsupported_version(void **state) {
  net_t *n = *state;
  brk_writer_t w;
  net_req_begin(&w, 18, 4, 7, true);
  brk_write_compact_string(&w, "x");
  brk_write_compact_string(&w, "1");
  brk_write_empty_tagged_fields(&w);
  net_send(n, &w);
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(brk_read_i32(&n->rr), 7);
  assert_int_equal(brk_read_i16(&n->rr), 35);
  int cnt = brk_read_array_len(&n->rr, 6);
  expect_api(&n->rr, cnt, false, 18, 0, 3);
  assert_int_equal(brk_reader_remaining(&n->rr), 0);
}

static void test_api_versions_v0_advertises_data_apis(void **state) {
  net_t *n = *state;
  brk_writer_t w;
  net_req_begin(&w, 18, 0, 1, false);
  net_send(n, &w);
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(brk_read_i32(&n->rr), 1);
  assert_int_equal(brk_read_i16(&n->rr), 0);
  int cnt = brk_read_array_len(&n->rr, 6);
  brk_reader_t again = n->rr;
  expect_api(&n->rr, cnt, false, 0, 3, 7);
  assert_int_equal(brk_reader_remaining(&n->rr), 0); /* v0: no ThrottleTimeMs */
  expect_api(&again, cnt, false, 1, 4, 11);
}

static void test_pipelined_requests_are_answered_in_order(void **state) {
  net_t *n = *state;
  brk_writer_t all = {0};
  for (int32_t corr = 1; corr <= 3; corr++) {
    brk_writer_t w;
    net_req_begin(&w, 18, 1, corr, false);
    brk_writer_patch_i32(&w, 0, (int32_t)(w.len - 4));
    brk_write_raw(&all, w.buf, w.len);
    brk_writer_fini(&w);
  }
  assert_int_equal(write(n->cli, all.buf, all.len), (ssize_t)all.len);
  brk_writer_fini(&all);
  for (int32_t corr = 1; corr <= 3; corr++) {
    assert_int_equal(net_recv(n), 0);
    assert_int_equal(brk_read_i32(&n->rr), corr);
  }
}

static void test_unknown_api_key_closes_connection(void **state) {
  net_t *n = *state;
  brk_writer_t w;
  net_req_begin(&w, 999, 0, 1, false);
  net_send(n, &w);
  assert_int_equal(net_recv(n), -1);
}

static void test_unsupported_version_closes_connection(void **state) {
  net_t *n = *state;
  brk_writer_t w;
  net_req_begin(&w, 0, 2, 1, false); /* Produce v2: below our minimum */
  net_send(n, &w);
  assert_int_equal(net_recv(n), -1);
}

static void test_absurd_frame_size_closes_connection(void **state) {
  net_t *n = *state;
  const uint8_t frame[] = {0x7f, 0xff, 0xff, 0xff, 0, 18, 0, 0};
  assert_int_equal(write(n->cli, frame, sizeof frame), (ssize_t)sizeof frame);
  assert_int_equal(net_recv(n), -1);
}

static void test_truncated_header_closes_connection(void **state) {
  net_t *n = *state;
  const uint8_t frame[] = {0, 0, 0, 9, 0, 18, 0, 0, 0, 0, 0, 1, 0x7f};
  assert_int_equal(write(n->cli, frame, sizeof frame), (ssize_t)sizeof frame);
  assert_int_equal(net_recv(n), -1);
}

/* Reads one Metadata v4 topic; returns its partition count, *err its code. */
static int32_t read_md_topic(brk_reader_t *r, int16_t *err, brk_slice_t *name) {
  *err = brk_read_i16(r);
  *name = brk_read_string(r);
  (void)brk_read_i8(r);
  int32_t parts = brk_read_array_len(r, 4);
  for (int32_t p = 0; p < parts; p++) {
    (void)brk_read_i16(r);
    assert_int_equal(brk_read_i32(r), p);
    assert_int_equal(brk_read_i32(r), 1); /* leader */
    for (int k = 0; k < 2; k++) {
      assert_int_equal(brk_read_array_len(r, 4), 1);
      assert_int_equal(brk_read_i32(r), 1);
    }
  }
  return parts;
}

static void metadata_v4(net_t *n, const char *topic, bool allow_auto) {
  brk_writer_t w;
  net_req_begin(&w, 3, 4, 5, false);
  if (topic) {
    brk_write_i32(&w, 1);
    brk_write_string(&w, topic);
  } else {
    brk_write_i32(&w, -1);
  }
  brk_write_i8(&w, allow_auto);
  net_send(n, &w);
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(brk_read_i32(&n->rr), 5);
  assert_int_equal(brk_read_i32(&n->rr), 0); /* throttle */
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(brk_read_i32(&n->rr), 1);
  brk_slice_t host = brk_read_string(&n->rr);
  assert_int_equal(host.len, 9);
  assert_memory_equal(host.ptr, "127.0.0.1", 9);
  assert_int_equal(brk_read_i32(&n->rr), n->b->port);
  assert_int_equal(brk_read_string(&n->rr).len, -1); /* rack */
  assert_true(brk_read_string(&n->rr).len > 0);      /* cluster id */
  assert_int_equal(brk_read_i32(&n->rr), 1);         /* controller = self */
}

static void test_metadata_auto_creates_only_when_allowed(void **state) {
  net_t *n = *state;
  int16_t err;
  brk_slice_t name;
  metadata_v4(n, "nope", false);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(read_md_topic(&n->rr, &err, &name), 0);
  assert_int_equal(err, 3);
  metadata_v4(n, "auto1", true);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(read_md_topic(&n->rr, &err, &name), 1);
  assert_int_equal(err, 0);
  metadata_v4(n, "bad/name", true);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  read_md_topic(&n->rr, &err, &name);
  assert_int_equal(err, 17);
  metadata_v4(n, NULL, false); /* null = all topics */
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(read_md_topic(&n->rr, &err, &name), 1);
  assert_int_equal(name.len, 5);
  assert_memory_equal(name.ptr, "auto1", 5);
  assert_true(brk_reader_ok(&n->rr));
  assert_int_equal(brk_reader_remaining(&n->rr), 0);
}

static void test_metadata_v0_empty_list_means_all_topics(void **state) {
  net_t *n = *state;
  int16_t err;
  brk_slice_t name;
  metadata_v4(n, "t0", true);
  brk_writer_t w;
  net_req_begin(&w, 3, 0, 9, false);
  brk_write_i32(&w, 0);
  net_send(n, &w);
  assert_int_equal(net_recv(n), 0);
  assert_int_equal(brk_read_i32(&n->rr), 9);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  (void)brk_read_i32(&n->rr);
  (void)brk_read_string(&n->rr);
  (void)brk_read_i32(&n->rr);
  assert_int_equal(brk_read_array_len(&n->rr, 4), 1);
  assert_int_equal(brk_read_i16(&n->rr), 0);
  name = brk_read_string(&n->rr);
  assert_int_equal(name.len, 2);
  (void)err;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_api_versions_v3_is_flexible_with_header_v0, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_api_versions_above_max_gets_v0_unsupported_version, net_setup,
                                      net_teardown),
      cmocka_unit_test_setup_teardown(test_api_versions_v0_advertises_data_apis, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_pipelined_requests_are_answered_in_order, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_unknown_api_key_closes_connection, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_unsupported_version_closes_connection, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_absurd_frame_size_closes_connection, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_truncated_header_closes_connection, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_metadata_auto_creates_only_when_allowed, net_setup, net_teardown),
      cmocka_unit_test_setup_teardown(test_metadata_v0_empty_list_means_all_topics, net_setup, net_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
