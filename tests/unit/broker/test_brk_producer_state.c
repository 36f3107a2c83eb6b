// SPDX-License-Identifier: Apache-2.0
/* Tests of idempotent and transactional producer state in the partition log
 * (brk_producer_state.c, brk_producer_recover.c, control batches in
 * brk_log_append.c): sequence checks, duplicates answering their original
 * offsets unwritten, state rebuilt after reopen, markers, LSO and the
 * aborted-transaction index, read_committed reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above */
#include <cmocka.h>

#include "brk_test_batch.h"

typedef struct fx {
  char *dir;
  brk_store_t *store;
  brk_partition_t *p;
} fx_t;

static void open_fx(fx_t *f) {
  brk_store_opts_t o = tb_opts(f->dir);
  char err[256] = "";
  f->store = brk_store_open(&o, err, sizeof err);
  assert_non_null(f->store);
  f->p = brk_store_partition(f->store, "t", 1, 0);
}

static int setup(void **state) {
  fx_t *f = calloc(1, sizeof *f);
  f->dir = tb_tmpdir();
  open_fx(f);
  assert_int_equal(brk_store_create_topic(f->store, "t", 1, NULL, 0, false), BRK_KERR_NONE);
  f->p = brk_store_partition(f->store, "t", 1, 0);
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

/* Appends an n-record batch of producer pid/epoch from seq; returns the error, *base the offset. */
static brk_kerr_t produce(brk_partition_t *p, int64_t pid, int16_t epoch, int32_t seq, int n, bool txn,
                          int64_t *base) {
  uint8_t buf[4096];
  size_t len = tb_batch(buf, sizeof buf, n, 1000, 10);
  tb_be(buf + 43, (uint64_t)pid, 8);
  tb_be(buf + 51, (uint64_t)(uint16_t)epoch, 2);
  tb_be(buf + 53, (uint64_t)(uint32_t)seq, 4);
  if (txn) buf[22] |= 0x10;
  tb_be(buf + 17, tb_crc32c(buf + 21, len - 21), 4);
  brk_append_result_t r = {-1, -1, -1, -1};
  brk_kerr_t e = brk_partition_append(p, buf, len, 1000, &r);
  if (base) *base = r.base_offset;
  return e;
}

static void test_producer_sequences_in_order_are_appended_and_gaps_rejected(void **state) {
  fx_t *f = *state;
  int64_t b = -1;
  assert_int_equal(produce(f->p, 7, 0, 0, 3, false, &b), BRK_KERR_NONE);
  assert_int_equal(b, 0);
  assert_int_equal(produce(f->p, 7, 0, 3, 2, false, &b), BRK_KERR_NONE);
  assert_int_equal(b, 3);
  assert_int_equal(produce(f->p, 7, 0, 9, 1, false, &b), BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert_int_equal(produce(f->p, 7, 1, 5, 1, false, &b), BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert_int_equal(produce(f->p, 7, 1, 0, 1, false, &b), BRK_KERR_NONE);
  assert_int_equal(produce(f->p, 7, 0, 5, 1, false, &b), BRK_KERR_INVALID_PRODUCER_EPOCH);
  assert_int_equal(brk_partition_high_watermark(f->p), 6);
}

static void test_producer_duplicate_returns_original_offsets_without_writing(void **state) {
  fx_t *f = *state;
  int64_t b = -1;
  assert_int_equal(produce(f->p, 9, 0, 0, 4, false, &b), BRK_KERR_NONE);
  assert_int_equal(produce(f->p, 9, 0, 4, 2, false, &b), BRK_KERR_NONE);
  assert_int_equal(b, 4);
  assert_int_equal(produce(f->p, 9, 0, 0, 4, false, &b), BRK_KERR_NONE);
  assert_int_equal(b, 0);
  assert_int_equal(brk_partition_high_watermark(f->p), 6);
}

static void test_producer_state_survives_reopen(void **state) {
  fx_t *f = *state;
  int64_t b = -1;
  assert_int_equal(produce(f->p, 11, 2, 0, 3, false, &b), BRK_KERR_NONE);
  brk_store_close(f->store);
  open_fx(f);
  assert_int_equal(produce(f->p, 11, 2, 0, 3, false, &b), BRK_KERR_NONE); /* retried after restart */
  assert_int_equal(b, 0);
  assert_int_equal(brk_partition_high_watermark(f->p), 3);
  assert_int_equal(produce(f->p, 11, 2, 4, 1, false, &b), BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert_int_equal(produce(f->p, 11, 1, 3, 1, false, &b), BRK_KERR_INVALID_PRODUCER_EPOCH);
}

static void test_txn_markers_set_lso_and_aborted_index_also_after_reopen(void **state) {
  fx_t *f = *state;
  int64_t b = -1;
  assert_int_equal(produce(f->p, 1, 0, 0, 2, true, &b), BRK_KERR_NONE);  /* 0-1 txn A */
  assert_int_equal(produce(f->p, -1, -1, -1, 1, false, &b), BRK_KERR_NONE); /* 2 plain */
  assert_int_equal(produce(f->p, 2, 0, 0, 1, true, &b), BRK_KERR_NONE);  /* 3 txn B */
  assert_int_equal(brk_partition_last_stable(f->p), 0);
  brk_append_result_t r;
  assert_int_equal(brk_partition_append_control(f->p, 1, 0, false, 0, 1000, &r), BRK_KERR_NONE); /* 4 abort A */
  assert_int_equal(r.base_offset, 4);
  assert_int_equal(brk_partition_last_stable(f->p), 3);
  brk_read_slice_t sl[4];
  size_t n = 0;
  int64_t total = 0;
  assert_int_equal(brk_partition_read_upto(f->p, 0, 3, 1 << 20, true, sl, 4, &n, &total), BRK_KERR_NONE);
  assert_int_equal(n, 1);
  for (size_t i = 0; i < n; i++) brk_file_unref(sl[i].file);
  assert_int_equal(brk_partition_append_control(f->p, 2, 0, true, 0, 1000, &r), BRK_KERR_NONE); /* 5 commit B */
  assert_int_equal(brk_partition_last_stable(f->p), 6);
  for (int pass = 0; pass < 2; pass++) {
    brk_aborted_txn_t ab[4];
    assert_int_equal(brk_partition_aborted(f->p, 0, 6, ab, 4), 1);
    assert_int_equal(ab[0].producer_id, 1);
    assert_int_equal(ab[0].first_offset, 0);
    assert_int_equal(ab[0].last_offset, 4);
    assert_int_equal(brk_partition_aborted(f->p, 5, 6, ab, 4), 0);
    assert_false(brk_partition_txn_ongoing(f->p, 1));
    brk_store_close(f->store);
    open_fx(f);
  }
  assert_int_equal(produce(f->p, 1, 0, 2, 1, true, &b), BRK_KERR_NONE);
  assert_int_equal(brk_partition_last_stable(f->p), 6);
  assert_true(brk_partition_txn_ongoing(f->p, 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_producer_sequences_in_order_are_appended_and_gaps_rejected, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_producer_duplicate_returns_original_offsets_without_writing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_producer_state_survives_reopen, setup, teardown),
      cmocka_unit_test_setup_teardown(test_txn_markers_set_lso_and_aborted_index_also_after_reopen, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
