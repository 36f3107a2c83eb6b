// SPDX-License-Identifier: Apache-2.0
/* Tests of ListOffsets by timestamp inside batches (brk_log_timeseek.c),
 * through brk_partition_offset_for_time on a temporary store: compressed
 * batches of every codec and framing answer the exact first record whose
 * timestamp is >= the target, not the batch's first offset; a batch whose
 * compressed records cannot be decoded falls back to its first offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above */
#include <cmocka.h>

#include "brk_test_batch_codec.h"

#define N_BATCHES 3
#define N_RECORDS 40 /* record i of batch b: offset 40b + i, timestamp 1000b + 10000 + 2i */

typedef struct fx {
  char *dir;
  brk_store_t *store;
  brk_partition_t *p;
} fx_t;

static int setup(void **state) {
  fx_t *f = calloc(1, sizeof *f);
  f->dir = tb_tmpdir();
  brk_store_opts_t o = tb_opts(f->dir);
  char err[256] = "";
  f->store = brk_store_open(&o, err, sizeof err);
  if (!f->store) fprintf(stderr, "open: %s\n", err);
  assert_non_null(f->store);
  assert_int_equal(brk_store_create_topic(f->store, "t", 1, NULL, 0, false), BRK_KERR_NONE);
  f->p = brk_store_partition(f->store, "t", 1, 0);
  assert_non_null(f->p);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx_t *f = *state;
  brk_store_close(f->store);
  tb_rmrf(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

static void append_raw(brk_partition_t *p, uint8_t *batch, size_t len) {
  brk_append_result_t r;
  assert_int_equal(brk_partition_append(p, batch, len, 1000, &r), BRK_KERR_NONE);
}

static void append_batches(brk_partition_t *p, tbc_variant_t v) {
  static uint8_t buf[1 << 16];
  for (int b = 0; b < N_BATCHES; b++)
    append_raw(p, buf, tbc_batch(buf, sizeof buf, v, N_RECORDS, 10000 + 1000 * b, 100));
}

static void expect_time(brk_partition_t *p, int64_t ts, int64_t want_off, int64_t want_ts) {
  int64_t off = -9, got_ts = -9;
  assert_int_equal(brk_partition_offset_for_time(p, ts, &off, &got_ts), BRK_KERR_NONE);
  assert_int_equal(off, want_off);
  assert_int_equal(got_ts, want_ts);
}

static void check_every_record(brk_partition_t *p) {
  for (int b = 0; b < N_BATCHES; b++) {
    for (int i = 0; i < N_RECORDS; i++) {
      int64_t off = (int64_t)b * N_RECORDS + i, ts = 10000 + 1000 * b + 2 * i;
      expect_time(p, ts, off, ts);     /* exactly the record's time */
      expect_time(p, ts - 1, off, ts); /* between two records: the later one */
    }
  }
  /* between batches: the next batch's first record; past the end: none */
  expect_time(p, 10000 + 2 * N_RECORDS, N_RECORDS, 11000);
  expect_time(p, 99999, -1, -1);
}

static void run_variant(void **state, tbc_variant_t v) {
  fx_t *f = *state;
  append_batches(f->p, v);
  check_every_record(f->p);
}

static void test_time_seek_finds_the_record_in_gzip_batches(void **state) {
  run_variant(state, TBC_GZIP);
}
static void test_time_seek_finds_the_record_in_raw_snappy_batches(void **state) {
  run_variant(state, TBC_SNAPPY_RAW);
}
static void test_time_seek_finds_the_record_in_xerial_snappy_batches(void **state) {
  run_variant(state, TBC_SNAPPY_XERIAL);
}
static void test_time_seek_finds_the_record_in_lz4_batches(void **state) {
  run_variant(state, TBC_LZ4);
}
static void test_time_seek_finds_the_record_in_zstd_batches(void **state) {
  run_variant(state, TBC_ZSTD);
}
static void test_time_seek_finds_the_record_in_zstd_batches_without_content_size(void **state) {
  run_variant(state, TBC_ZSTD_STREAM);
}

/* Uncompressed batches interleaved with compressed ones still walk. */
static void test_time_seek_handles_mixed_codecs_in_one_partition(void **state) {
  fx_t *f = *state;
  static uint8_t buf[1 << 16];
  append_raw(f->p, buf, tbc_batch(buf, sizeof buf, TBC_LZ4, 10, 500, 10)); /* offsets 0-9, ts 500.. */
  append_raw(f->p, buf, tb_batch(buf, sizeof buf, 10, 600, 10));           /* 10-19, ts 600.. */
  append_raw(f->p, buf, tbc_batch(buf, sizeof buf, TBC_SNAPPY_XERIAL, 10, 700, 10)); /* 20-29 */
  expect_time(f->p, 505, 3, 506);
  expect_time(f->p, 605, 15, 605);
  expect_time(f->p, 717, 29, 718);
}

/* A batch with a valid CRC whose gzip bytes are garbage cannot be walked:
 * the answer is the batch's first offset with its max timestamp. */
static void test_time_seek_falls_back_to_batch_start_when_records_do_not_decode(void **state) {
  fx_t *f = *state;
  static uint8_t buf[1 << 16];
  size_t len = tbc_batch(buf, sizeof buf, TBC_GZIP, N_RECORDS, 10000, 100);
  if (len < 61 + 100) abort();
  memset(buf + 61 + 10, 0xA5, len - 61 - 10); /* keep the gzip header, break the rest */
  tb_be(buf + 17, tb_crc32c(buf + 21, len - 21), 4);
  append_raw(f->p, buf, len);
  expect_time(f->p, 10031, 0, 10000 + 2 * (N_RECORDS - 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_gzip_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_raw_snappy_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_xerial_snappy_batches, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_lz4_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_zstd_batches, setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_finds_the_record_in_zstd_batches_without_content_size,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_handles_mixed_codecs_in_one_partition, setup, teardown),
      cmocka_unit_test_setup_teardown(test_time_seek_falls_back_to_batch_start_when_records_do_not_decode,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
