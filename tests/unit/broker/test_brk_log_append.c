// SPDX-License-Identifier: Apache-2.0
/* Tests of the partition log: append/read round trips, offsets, CRC and
 * framing rejection, LogAppendTime, segment roll with reads across segments,
 * index and time lookups, retention, DeleteRecords and flush callbacks. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs the standard headers above */
#include <cmocka.h>

#include "brk_test_batch.h"

typedef struct fx {
  char *dir;
  brk_store_t *store;
  brk_partition_t *p;
} fx_t;

static brk_store_t *open_store(const char *dir, int64_t segment_bytes) {
  brk_store_opts_t o = tb_opts(dir);
  if (segment_bytes > 0) o.segment_bytes = segment_bytes;
  char err[256] = "";
  brk_store_t *s = brk_store_open(&o, err, sizeof err);
  if (!s) fprintf(stderr, "open: %s\n", err);
  return s;
}

static int setup_seg(void **state, int64_t segment_bytes) {
  fx_t *f = calloc(1, sizeof *f);
  f->dir = tb_tmpdir();
  f->store = open_store(f->dir, segment_bytes);
  assert_non_null(f->store);
  assert_int_equal(brk_store_create_topic(f->store, "t", 1, NULL, 0, false), BRK_KERR_NONE);
  f->p = brk_store_partition(f->store, "t", 1, 0);
  assert_non_null(f->p);
  *state = f;
  return 0;
}
static int setup(void **state) {
  return setup_seg(state, 0);
}
static int setup_small(void **state) {
  return setup_seg(state, 2000);
}

static int teardown(void **state) {
  fx_t *f = *state;
  brk_store_close(f->store);
  tb_rmrf(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

static int64_t append(brk_partition_t *p, int n, int64_t ts, size_t vlen) {
  uint8_t buf[8192];
  size_t len = tb_batch(buf, sizeof buf, n, ts, vlen);
  brk_append_result_t r;
  brk_kerr_t e = brk_partition_append(p, buf, len, 1000, &r);
  assert_int_equal(e, BRK_KERR_NONE);
  assert_int_equal(r.last_offset - r.base_offset, n - 1);
  return r.base_offset;
}

/* Reads from offset with max bytes; returns the base offsets of the batches
 * served (into bases) and their count; checks each CRC. */
static size_t read_bases(brk_partition_t *p, int64_t off, int32_t max, int64_t *bases, size_t cap) {
  brk_read_slice_t sl[16];
  size_t n = 0, nb = 0;
  int64_t total = 0;
  assert_int_equal(brk_partition_read(p, off, max, true, sl, 16, &n, &total), BRK_KERR_NONE);
  for (size_t i = 0; i < n; i++) {
    uint8_t *buf = malloc((size_t)sl[i].len);
    assert_int_equal(pread(brk_file_fd(sl[i].file), buf, (size_t)sl[i].len, sl[i].pos), sl[i].len);
    for (int64_t pos = 0; pos < sl[i].len;) {
      uint64_t blen = tb_get(buf + pos + 8, 4) + 12;
      assert_true(pos + (int64_t)blen <= sl[i].len);
      assert_int_equal(tb_get(buf + pos + 17, 4), tb_crc32c(buf + pos + 21, blen - 21));
      if (nb < cap) bases[nb] = (int64_t)tb_get(buf + pos, 8);
      nb++;
      pos += (int64_t)blen;
    }
    free(buf);
    brk_file_unref(sl[i].file);
  }
  return nb;
}

static void test_append_assigns_consecutive_offsets_and_reads_back(void **state) {
  fx_t *f = *state;
  assert_int_equal(append(f->p, 3, 100, 10), 0);
  assert_int_equal(append(f->p, 2, 200, 10), 3);
  assert_int_equal(append(f->p, 1, 300, 10), 5);
  assert_int_equal(brk_partition_high_watermark(f->p), 6);
  assert_int_equal(brk_partition_log_start(f->p), 0);
  int64_t bases[8];
  assert_int_equal(read_bases(f->p, 0, 1 << 20, bases, 8), 3);
  assert_int_equal(bases[0], 0);
  assert_int_equal(bases[1], 3);
  assert_int_equal(bases[2], 5);
  /* mid-batch offset starts at the batch that contains it */
  assert_int_equal(read_bases(f->p, 4, 1 << 20, bases, 8), 2);
  assert_int_equal(bases[0], 3);
  /* at the high watermark: nothing; beyond: out of range */
  assert_int_equal(read_bases(f->p, 6, 1 << 20, bases, 8), 0);
  brk_read_slice_t sl[2];
  size_t n;
  int64_t total;
  assert_int_equal(brk_partition_read(f->p, 7, 100, true, sl, 2, &n, &total), BRK_KERR_OFFSET_OUT_OF_RANGE);
}

static void test_read_respects_max_bytes_but_returns_one_whole_batch(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 10; i++) append(f->p, 1, 100 + i, 200);
  int64_t bases[16];
  assert_int_equal(read_bases(f->p, 0, 1, bases, 16), 1); /* KIP-74: at least one */
  size_t n = read_bases(f->p, 0, 700, bases, 16);
  assert_true(n >= 2 && n <= 3);
  brk_read_slice_t sl[2];
  size_t ns;
  int64_t total;
  assert_int_equal(brk_partition_read(f->p, 0, 1, false, sl, 2, &ns, &total), BRK_KERR_NONE);
  assert_int_equal(ns, 0);
}

static void test_append_rejects_bad_crc_and_writes_nothing(void **state) {
  fx_t *f = *state;
  uint8_t buf[4096];
  size_t len = tb_batch(buf, sizeof buf, 2, 100, 20);
  buf[len - 3] ^= 0x40;
  brk_append_result_t r;
  assert_int_equal(brk_partition_append(f->p, buf, len, 1, &r), BRK_KERR_CORRUPT_MESSAGE);
  assert_int_equal(brk_partition_high_watermark(f->p), 0);
  /* a good batch followed by a bad one: all or nothing */
  uint8_t two[8192];
  size_t l1 = tb_batch(two, sizeof two, 1, 1, 5);
  memcpy(two + l1, buf, len);
  assert_int_equal(brk_partition_append(f->p, two, l1 + len, 1, &r), BRK_KERR_CORRUPT_MESSAGE);
  assert_int_equal(brk_partition_high_watermark(f->p), 0);
}

static void test_append_rejects_bad_framing_magic_and_size(void **state) {
  fx_t *f = *state;
  uint8_t buf[4096];
  brk_append_result_t r;
  size_t len = tb_batch(buf, sizeof buf, 1, 100, 20);
  assert_int_equal(brk_partition_append(f->p, buf, len - 1, 1, &r), BRK_KERR_CORRUPT_MESSAGE);
  assert_int_equal(brk_partition_append(f->p, buf, 30, 1, &r), BRK_KERR_CORRUPT_MESSAGE);
  assert_int_equal(brk_partition_append(f->p, buf, 0, 1, &r), BRK_KERR_CORRUPT_MESSAGE);
  buf[16] = 1;
  assert_int_equal(brk_partition_append(f->p, buf, len, 1, &r), BRK_KERR_UNSUPPORTED_FOR_MESSAGE_FORMAT);
  buf[16] = 2;
  brk_kv_t kv = {"max.message.bytes", "50"};
  assert_int_equal(brk_store_topic_configs_alter(f->store, "t", &kv, 1, true, false), BRK_KERR_NONE);
  assert_int_equal(brk_partition_append(f->p, buf, len, 1, &r), BRK_KERR_MESSAGE_TOO_LARGE);
  assert_int_equal(brk_partition_high_watermark(f->p), 0);
}

static void test_log_append_time_rewrites_timestamp_and_crc(void **state) {
  fx_t *f = *state;
  brk_kv_t kv = {"message.timestamp.type", "LogAppendTime"};
  assert_int_equal(brk_store_topic_configs_alter(f->store, "t", &kv, 1, false, false), BRK_KERR_NONE);
  uint8_t buf[4096];
  size_t len = tb_batch(buf, sizeof buf, 2, 100, 20);
  brk_append_result_t r;
  assert_int_equal(brk_partition_append(f->p, buf, len, 777777, &r), BRK_KERR_NONE);
  assert_int_equal(r.log_append_time, 777777);
  assert_int_equal(tb_get(buf + 35, 8), 777777);
  assert_true(tb_get(buf + 21, 2) & 0x08);
  assert_int_equal(tb_get(buf + 17, 4), tb_crc32c(buf + 21, len - 21));
  int64_t off, ts;
  assert_int_equal(brk_partition_offset_for_time(f->p, 777000, &off, &ts), BRK_KERR_NONE);
  assert_int_equal(off, 0);
  assert_int_equal(ts, 777777);
}

static void test_segments_roll_and_reads_cross_them(void **state) {
  fx_t *f = *state; /* segment.bytes 2000 */
  for (int i = 0; i < 20; i++) assert_int_equal(append(f->p, 2, 1000 + i * 10, 300), i * 2);
  int64_t bases[64];
  size_t n = read_bases(f->p, 0, 1 << 20, bases, 64);
  assert_int_equal(n, 20);
  for (size_t i = 0; i < n; i++) assert_int_equal(bases[i], (int64_t)i * 2);
  n = read_bases(f->p, 25, 1 << 20, bases, 64);
  assert_int_equal(bases[0], 24);
  assert_int_equal(n, 8);
  /* reopen: same offsets served */
  brk_store_close(f->store);
  f->store = open_store(f->dir, 2000);
  f->p = brk_store_partition(f->store, "t", 1, 0);
  assert_int_equal(brk_partition_high_watermark(f->p), 40);
  n = read_bases(f->p, 17, 1 << 20, bases, 64);
  assert_int_equal(bases[0], 16);
  assert_int_equal(n, 12);
}

static void test_index_lookup_finds_every_offset(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 300; i++) append(f->p, 3, 5000 + i, 100); /* > 4 KiB: index entries */
  for (int64_t off = 0; off < 900; off += 7) {
    int64_t bases[1];
    read_bases(f->p, off, 1, bases, 1);
    assert_int_equal(bases[0], off - off % 3);
  }
}

static void test_offset_for_time_finds_first_record_at_or_after(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 200; i++) append(f->p, 2, 10000 + i * 10, 100); /* records at base, base + 1 */
  int64_t off, ts;
  assert_int_equal(brk_partition_offset_for_time(f->p, 10000 + 55 * 10, &off, &ts), BRK_KERR_NONE);
  assert_int_equal(off, 110);
  assert_int_equal(ts, 10550);
  /* the second record of a batch, not the batch's first offset */
  brk_partition_offset_for_time(f->p, 10551, &off, &ts);
  assert_int_equal(off, 111);
  assert_int_equal(ts, 10551);
  brk_partition_offset_for_time(f->p, 10552, &off, &ts);
  assert_int_equal(off, 112);
  brk_partition_offset_for_time(f->p, 999999, &off, &ts);
  assert_int_equal(off, -1);
  assert_int_equal(ts, -1);
  brk_partition_offset_for_time(f->p, -1, &off, &ts);
  assert_int_equal(off, 400);
  brk_partition_offset_for_time(f->p, -2, &off, &ts);
  assert_int_equal(off, 0);
}

static void test_retention_deletes_old_segments_but_not_active(void **state) {
  fx_t *f = *state; /* segment.bytes 2000 */
  for (int i = 0; i < 20; i++) append(f->p, 1, 1000 + i, 500);
  brk_kv_t kv = {"retention.ms", "100"};
  assert_int_equal(brk_store_topic_configs_alter(f->store, "t", &kv, 1, false, false), BRK_KERR_NONE);
  brk_store_enforce_retention(f->store, 1000 + 10 + 100);
  int64_t start = brk_partition_log_start(f->p);
  assert_true(start > 0 && start <= 11);
  brk_store_enforce_retention(f->store, INT64_MAX / 2);
  assert_true(brk_partition_log_start(f->p) >= 17);
  assert_int_equal(brk_partition_high_watermark(f->p), 20);
  int64_t bases[4];
  assert_true(read_bases(f->p, brk_partition_log_start(f->p), 1 << 20, bases, 4) >= 1);
  brk_read_slice_t sl[1];
  size_t n;
  int64_t total;
  assert_int_equal(brk_partition_read(f->p, 0, 100, true, sl, 1, &n, &total), BRK_KERR_OFFSET_OUT_OF_RANGE);
}

static void test_retention_bytes_keeps_the_newest_data(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 20; i++) append(f->p, 1, 1000 + i, 500);
  brk_kv_t kv = {"retention.bytes", "2500"};
  assert_int_equal(brk_store_topic_configs_alter(f->store, "t", &kv, 1, false, false), BRK_KERR_NONE);
  brk_store_enforce_retention(f->store, 2000);
  int64_t start = brk_partition_log_start(f->p);
  assert_true(start >= 12 && start < 20);
}

static void test_slice_survives_segment_deletion(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 10; i++) append(f->p, 1, 1000 + i, 500);
  brk_read_slice_t sl[1];
  size_t n;
  int64_t total;
  assert_int_equal(brk_partition_read(f->p, 0, 100, true, sl, 1, &n, &total), BRK_KERR_NONE);
  assert_int_equal(n, 1);
  int64_t low;
  assert_int_equal(brk_partition_delete_records(f->p, 9, &low), BRK_KERR_NONE);
  uint8_t hdr[61];
  assert_int_equal(pread(brk_file_fd(sl[0].file), hdr, 61, sl[0].pos), 61);
  assert_int_equal(tb_get(hdr, 8), 0);
  brk_file_unref(sl[0].file);
}

static void test_delete_records_moves_log_start_durably(void **state) {
  fx_t *f = *state;
  for (int i = 0; i < 5; i++) append(f->p, 2, 100, 10);
  int64_t low = 0;
  assert_int_equal(brk_partition_delete_records(f->p, 11, &low), BRK_KERR_OFFSET_OUT_OF_RANGE);
  assert_int_equal(brk_partition_delete_records(f->p, 3, &low), BRK_KERR_NONE);
  assert_int_equal(low, 3);
  assert_int_equal(brk_partition_delete_records(f->p, 1, &low), BRK_KERR_NONE);
  assert_int_equal(low, 3);
  brk_read_slice_t sl[1];
  size_t n;
  int64_t total;
  assert_int_equal(brk_partition_read(f->p, 2, 100, true, sl, 1, &n, &total), BRK_KERR_OFFSET_OUT_OF_RANGE);
  int64_t bases[2];
  read_bases(f->p, 3, 1 << 20, bases, 2);
  assert_int_equal(bases[0], 2); /* the batch containing offset 3 */
  brk_store_close(f->store);
  f->store = open_store(f->dir, 0);
  f->p = brk_store_partition(f->store, "t", 1, 0);
  assert_int_equal(brk_partition_log_start(f->p), 3);
  assert_int_equal(brk_partition_delete_records(f->p, -1, &low), BRK_KERR_NONE);
  assert_int_equal(low, 10);
}

typedef struct flush_probe {
  pthread_mutex_t mu;
  pthread_cond_t cond;
  int calls, err;
} flush_probe_t;

static void on_flushed(void *arg, int err) {
  flush_probe_t *fp = arg;
  pthread_mutex_lock(&fp->mu);
  fp->calls++;
  fp->err |= err;
  pthread_cond_signal(&fp->cond);
  pthread_mutex_unlock(&fp->mu);
}

static void test_flush_requests_call_back_and_advance_durable(void **state) {
  fx_t *f = *state;
  flush_probe_t fp = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
  for (int i = 0; i < 50; i++) {
    append(f->p, 1, 100, 10);
    brk_store_flush_request(f->store, f->p, brk_partition_high_watermark(f->p), on_flushed, &fp);
  }
  pthread_mutex_lock(&fp.mu);
  while (fp.calls < 50) pthread_cond_wait(&fp.cond, &fp.mu);
  pthread_mutex_unlock(&fp.mu);
  assert_int_equal(fp.err, 0);
  assert_int_equal(brk_partition_durable_offset(f->p), 50);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_append_assigns_consecutive_offsets_and_reads_back, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_read_respects_max_bytes_but_returns_one_whole_batch, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_append_rejects_bad_crc_and_writes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_append_rejects_bad_framing_magic_and_size, setup, teardown),
      cmocka_unit_test_setup_teardown(test_log_append_time_rewrites_timestamp_and_crc, setup, teardown),
      cmocka_unit_test_setup_teardown(test_segments_roll_and_reads_cross_them, setup_small, teardown),
      cmocka_unit_test_setup_teardown(test_index_lookup_finds_every_offset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_offset_for_time_finds_first_record_at_or_after, setup, teardown),
      cmocka_unit_test_setup_teardown(test_retention_deletes_old_segments_but_not_active, setup_small,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_retention_bytes_keeps_the_newest_data, setup_small, teardown),
      cmocka_unit_test_setup_teardown(test_slice_survives_segment_deletion, setup_small, teardown),
      cmocka_unit_test_setup_teardown(test_delete_records_moves_log_start_durably, setup, teardown),
      cmocka_unit_test_setup_teardown(test_flush_requests_call_back_and_advance_durable, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
