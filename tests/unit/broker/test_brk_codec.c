// SPDX-License-Identifier: Apache-2.0
/* Tests brk_codec.c: big-endian ints, (zigzag) varints, classic and compact
 * strings/bytes/arrays, tagged-field skipping, and that a reader fails
 * (sticky, zeros) on truncation and absurd lengths/counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "brk_codec.h"

static void test_ints_round_trip_big_endian(void **state) {
  (void)state;
  brk_writer_t w = {0};
  brk_write_i8(&w, -2);
  brk_write_i16(&w, 0x1234);
  brk_write_i32(&w, -123456789);
  brk_write_i64(&w, INT64_MIN + 5);
  assert_true(brk_writer_ok(&w));
  assert_int_equal(w.len, 15);
  assert_int_equal(w.buf[1], 0x12);
  assert_int_equal(w.buf[2], 0x34);
  brk_reader_t r;
  brk_reader_init(&r, w.buf, w.len);
  assert_int_equal(brk_read_i8(&r), -2);
  assert_int_equal(brk_read_i16(&r), 0x1234);
  assert_int_equal(brk_read_i32(&r), -123456789);
  assert_true(brk_read_i64(&r) == INT64_MIN + 5);
  assert_true(brk_reader_ok(&r));
  assert_int_equal(brk_reader_remaining(&r), 0);
  brk_writer_fini(&w);
}

static void test_varints_zigzag_and_unsigned(void **state) {
  (void)state;
  brk_writer_t w = {0};
  const int32_t vs[] = {0, -1, 1, 63, -64, 64, INT32_MAX, INT32_MIN};
  for (size_t i = 0; i < 8; i++) brk_write_varint(&w, vs[i]);
  brk_write_varlong(&w, INT64_MIN);
  brk_write_varlong(&w, 300);
  brk_write_uvarint(&w, UINT32_MAX);
  brk_write_uvarint(&w, 127);
  assert_int_equal(w.buf[0], 0);
  assert_int_equal(w.buf[1], 1); /* -1 -> 1 */
  assert_int_equal(w.buf[2], 2); /* 1 -> 2 */
  brk_reader_t r;
  brk_reader_init(&r, w.buf, w.len);
  for (size_t i = 0; i < 8; i++) assert_int_equal(brk_read_varint(&r), vs[i]);
  assert_true(brk_read_varlong(&r) == INT64_MIN);
  assert_int_equal(brk_read_varlong(&r), 300);
  assert_true(brk_read_uvarint(&r) == UINT32_MAX);
  assert_int_equal(brk_read_uvarint(&r), 127);
  assert_true(brk_reader_ok(&r));
  brk_writer_fini(&w);
}

static void test_overlong_uvarint_fails(void **state) {
  (void)state;
  const uint8_t bad[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  brk_reader_t r;
  brk_reader_init(&r, bad, sizeof bad);
  assert_int_equal(brk_read_uvarint(&r), 0);
  assert_false(brk_reader_ok(&r));
}

static void test_strings_classic_and_compact(void **state) {
  (void)state;
  brk_writer_t w = {0};
  brk_write_string(&w, "abc");
  brk_write_string(&w, NULL);
  brk_write_bytes(&w, "xy", 2);
  brk_write_bytes(&w, NULL, -1);
  brk_write_compact_string(&w, "hello");
  brk_write_compact_string(&w, NULL);
  brk_reader_t r;
  brk_reader_init(&r, w.buf, w.len);
  brk_slice_t s = brk_read_string(&r);
  assert_int_equal(s.len, 3);
  assert_memory_equal(s.ptr, "abc", 3);
  s = brk_read_string(&r);
  assert_null(s.ptr);
  assert_int_equal(s.len, -1);
  s = brk_read_bytes(&r);
  assert_int_equal(s.len, 2);
  s = brk_read_bytes(&r);
  assert_int_equal(s.len, -1);
  s = brk_read_compact_string(&r);
  assert_int_equal(s.len, 5);
  assert_memory_equal(s.ptr, "hello", 5);
  s = brk_read_compact_string(&r);
  assert_null(s.ptr);
  assert_true(brk_reader_ok(&r));
  brk_writer_fini(&w);
}

static void test_truncated_string_fails_and_stays_failed(void **state) {
  (void)state;
  const uint8_t data[] = {0x00, 0x09, 'a', 'b', 0x00, 0x00, 0x00, 0x01};
  brk_reader_t r;
  brk_reader_init(&r, data, sizeof data);
  brk_slice_t s = brk_read_string(&r);
  assert_null(s.ptr);
  assert_false(brk_reader_ok(&r));
  assert_int_equal(brk_read_i32(&r), 0);
  assert_int_equal(brk_reader_remaining(&r), 0);
}

static void test_negative_lengths_other_than_null_fail(void **state) {
  (void)state;
  const uint8_t data[] = {0xff, 0xfe};
  brk_reader_t r;
  brk_reader_init(&r, data, sizeof data);
  (void)brk_read_string(&r);
  assert_false(brk_reader_ok(&r));
}

static void test_array_count_bounded_by_remaining_bytes(void **state) {
  (void)state;
  const uint8_t big[] = {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  brk_reader_t r;
  brk_reader_init(&r, big, sizeof big);
  assert_int_equal(brk_read_array_len(&r, 4), 0);
  assert_false(brk_reader_ok(&r));
  const uint8_t ok[] = {0, 0, 0, 1, 0, 0, 0, 9};
  brk_reader_init(&r, ok, sizeof ok);
  assert_int_equal(brk_read_array_len(&r, 4), 1);
  assert_true(brk_reader_ok(&r));
  const uint8_t null_arr[] = {0xff, 0xff, 0xff, 0xff};
  brk_reader_init(&r, null_arr, sizeof null_arr);
  assert_int_equal(brk_read_array_len(&r, 4), 0);
  assert_true(brk_reader_ok(&r));
  const uint8_t compact[] = {0x03, 1, 2};
  brk_reader_init(&r, compact, sizeof compact);
  assert_int_equal(brk_read_compact_array_len(&r, 1), 2);
  const uint8_t compact_big[] = {0x10, 1};
  brk_reader_init(&r, compact_big, sizeof compact_big);
  assert_int_equal(brk_read_compact_array_len(&r, 1), 0);
  assert_false(brk_reader_ok(&r));
}

static void test_tagged_fields_are_skipped(void **state) {
  (void)state;
  const uint8_t data[] = {0x02, 0x00, 0x02, 'a', 'b', 0x05, 0x00, 0x2a};
  brk_reader_t r;
  brk_reader_init(&r, data, sizeof data);
  brk_skip_tagged_fields(&r);
  assert_true(brk_reader_ok(&r));
  assert_int_equal(brk_read_i8(&r), 0x2a);
  const uint8_t bad[] = {0x01, 0x00, 0x09, 'a'};
  brk_reader_init(&r, bad, sizeof bad);
  brk_skip_tagged_fields(&r);
  assert_false(brk_reader_ok(&r));
}

static void test_placeholder_patch(void **state) {
  (void)state;
  brk_writer_t w = {0};
  brk_write_i8(&w, 1);
  size_t pos = brk_write_placeholder_i32(&w);
  brk_write_raw(&w, "zz", 2);
  brk_writer_patch_i32(&w, pos, 0x01020304);
  const uint8_t want[] = {1, 1, 2, 3, 4, 'z', 'z'};
  assert_int_equal(w.len, sizeof want);
  assert_memory_equal(w.buf, want, sizeof want);
  brk_writer_fini(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ints_round_trip_big_endian),
      cmocka_unit_test(test_varints_zigzag_and_unsigned),
      cmocka_unit_test(test_overlong_uvarint_fails),
      cmocka_unit_test(test_strings_classic_and_compact),
      cmocka_unit_test(test_truncated_string_fails_and_stays_failed),
      cmocka_unit_test(test_negative_lengths_other_than_null_fail),
      cmocka_unit_test(test_array_count_bounded_by_remaining_bytes),
      cmocka_unit_test(test_tagged_fields_are_skipped),
      cmocka_unit_test(test_placeholder_patch),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
