// SPDX-License-Identifier: Apache-2.0
/* Tests of pb_index.c: the message indexes of the Confluent Protobuf frame
 * (serde.md §1.3) against the spec's golden bytes, the shortened [0], the
 * legacy unsigned form (use.deprecated.format), and every malformed input
 * the readers of Java, Python and Go reject. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* cmocka.h needs the standard headers above first. */
#include <cmocka.h>

#include "pb_codec.h"

static void assert_written(const int32_t *idx, size_t n, bool deprecated, const uint8_t *want,
                           size_t want_len) {
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde__pb_indexes_write(&out, idx, n, deprecated, &err), SERDE_OK);
  assert_int_equal(out.len, want_len);
  assert_memory_equal(out.data, want, want_len);
  /* and it reads back */
  int32_t back[SCH_PB_MAX_INDEXES];
  size_t nb = 0, used = 0;
  assert_int_equal(serde__pb_indexes_read(out.data, out.len, deprecated, back, &nb, &used, &err), SERDE_OK);
  assert_int_equal(used, want_len);
  assert_int_equal(nb, n);
  assert_memory_equal(back, idx, n * sizeof *idx);
  serde_buf_fini(&out);
}

static void test_pb_index_writes_the_spec_golden_bytes(void **state) {
  (void)state;
  assert_written((int32_t[]){0}, 1, false, (const uint8_t[]){0x00}, 1);
  assert_written((int32_t[]){1}, 1, false, (const uint8_t[]){0x02, 0x02}, 2);
  assert_written((int32_t[]){0, 2}, 2, false, (const uint8_t[]){0x04, 0x00, 0x04}, 3);
  assert_written((int32_t[]){3, 1, 0}, 3, false, (const uint8_t[]){0x06, 0x06, 0x02, 0x00}, 4);
  /* a multi-byte zigzag varint: 100 -> 200 -> c8 01 */
  assert_written((int32_t[]){100}, 1, false, (const uint8_t[]){0x02, 0xc8, 0x01}, 3);
}

static void test_pb_index_deprecated_format_uses_unsigned_varints(void **state) {
  (void)state;
  assert_written((int32_t[]){0}, 1, true, (const uint8_t[]){0x00}, 1);
  assert_written((int32_t[]){1}, 1, true, (const uint8_t[]){0x01, 0x01}, 2);
  assert_written((int32_t[]){0, 2}, 2, true, (const uint8_t[]){0x02, 0x00, 0x02}, 3);
  /* the same bytes mean something else in the other form */
  const uint8_t legacy[] = {0x01, 0x01};
  int32_t idx[SCH_PB_MAX_INDEXES];
  size_t n = 0, used = 0;
  serde_error_t err = {0};
  assert_int_equal(serde__pb_indexes_read(legacy, sizeof legacy, false, idx, &n, &used, &err),
                   SERDE_ERR_FRAMING);
  assert_non_null(strstr(err.message, "invalid count -1"));
}

static void test_pb_index_count_zero_reads_as_first_message(void **state) {
  (void)state;
  const uint8_t data[] = {0x00, 0x08, 0x96, 0x01};
  int32_t idx[SCH_PB_MAX_INDEXES] = {7};
  size_t n = 0, used = 0;
  serde_error_t err = {0};
  assert_int_equal(serde__pb_indexes_read(data, sizeof data, false, idx, &n, &used, &err), SERDE_OK);
  assert_int_equal(n, 1);
  assert_int_equal(idx[0], 0);
  assert_int_equal(used, 1);
}

static void assert_malformed(const uint8_t *data, size_t len, bool deprecated, const char *want) {
  int32_t idx[SCH_PB_MAX_INDEXES];
  size_t n = 0, used = 0;
  serde_error_t err = {0};
  assert_int_equal(serde__pb_indexes_read(data, len, deprecated, idx, &n, &used, &err), SERDE_ERR_FRAMING);
  assert_non_null(strstr(err.message, "message indexes are absent or malformed"));
  if (!strstr(err.message, want)) {
    fail_msg("message \"%s\" lacks \"%s\"", err.message, want);
  }
}

static void test_pb_index_rejects_malformed_arrays(void **state) {
  (void)state;
  assert_malformed(NULL, 0, false, "missing");                             /* absent */
  assert_malformed((const uint8_t[]){0x80}, 1, false, "truncated");        /* truncated count */
  assert_malformed((const uint8_t[]){0x01}, 1, false, "invalid count -1"); /* negative count */
  assert_malformed((const uint8_t[]){0xc2, 0x9a, 0x0c}, 3, false, "invalid count 100001");
  assert_malformed((const uint8_t[]){0x82, 0x01}, 2, false, "deeper than 64"); /* 65 */
  assert_malformed((const uint8_t[]){0x04, 0x00}, 2, false, "index 1 of 2");   /* an index missing */
  assert_malformed((const uint8_t[]){0x02, 0x03}, 2, false, "index 0 is negative");
  assert_malformed((const uint8_t[]){0x02, 0xff, 0xff, 0xff, 0xff, 0x7f}, 6, false, "over 32 bits");
  assert_malformed((const uint8_t[]){0x01, 0xff, 0xff, 0xff, 0xff, 0x0f}, 6, true, "negative");
  assert_malformed((const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0x0f}, 5, true, "invalid count -1");
}

static void test_pb_index_accepts_the_largest_paths(void **state) {
  (void)state;
  int32_t idx[SCH_PB_MAX_INDEXES];
  for (int i = 0; i < SCH_PB_MAX_INDEXES; i++) {
    idx[i] = i == 0 ? 2147483647 : i;
  }
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde__pb_indexes_write(&out, idx, SCH_PB_MAX_INDEXES, false, &err), SERDE_OK);
  int32_t back[SCH_PB_MAX_INDEXES];
  size_t n = 0, used = 0;
  assert_int_equal(serde__pb_indexes_read(out.data, out.len, false, back, &n, &used, &err), SERDE_OK);
  assert_int_equal(n, SCH_PB_MAX_INDEXES);
  assert_int_equal(back[0], 2147483647);
  assert_int_equal(used, out.len);
  serde_buf_fini(&out);
}

static void test_pb_index_write_refuses_bad_paths(void **state) {
  (void)state;
  serde_buf_t out = {0};
  serde_error_t err = {0};
  int32_t idx[SCH_PB_MAX_INDEXES + 1] = {0};
  assert_int_equal(serde__pb_indexes_write(&out, idx, 0, false, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__pb_indexes_write(&out, idx, SCH_PB_MAX_INDEXES + 1, false, &err),
                   SERDE_ERR_INVALID_ARG);
  idx[1] = -1;
  assert_int_equal(serde__pb_indexes_write(&out, idx, 2, false, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(out.len, 0);
  serde_buf_fini(&out);
}

static void test_pb_index_text_names_the_path(void **state) {
  (void)state;
  char text[32];
  serde__pb_indexes_text((const int32_t[]){3, 1, 0}, 3, text, sizeof text);
  assert_string_equal(text, "[3, 1, 0]");
  serde__pb_indexes_text((const int32_t[]){3, 1, 0}, 3, text, 5);
  assert_string_equal(text, "[3, ");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pb_index_writes_the_spec_golden_bytes),
      cmocka_unit_test(test_pb_index_deprecated_format_uses_unsigned_varints),
      cmocka_unit_test(test_pb_index_count_zero_reads_as_first_message),
      cmocka_unit_test(test_pb_index_rejects_malformed_arrays),
      cmocka_unit_test(test_pb_index_accepts_the_largest_paths),
      cmocka_unit_test(test_pb_index_write_refuses_bad_paths),
      cmocka_unit_test(test_pb_index_text_names_the_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
