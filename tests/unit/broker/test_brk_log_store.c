// SPDX-License-Identifier: Apache-2.0
/* Tests of the store: topic create/delete/partitions/configs and their
 * persistence across reopen, crash recovery (torn tails, garbage, corrupt
 * index files, unclean shutdown), CRC32C implementations. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* cmocka.h needs the standard headers above */
#include <cmocka.h>

#include "brk_log_int.h"
#include "brk_test_batch.h"

static brk_store_t *reopen(brk_store_t *s, const char *dir) {
  brk_store_close(s);
  brk_store_opts_t o = tb_opts(dir);
  char err[256] = "";
  brk_store_t *n = brk_store_open(&o, err, sizeof err);
  if (!n) fprintf(stderr, "open: %s\n", err);
  assert_non_null(n);
  return n;
}

static const char *cfg_value(brk_store_t *s, const char *topic, const char *key, bool *is_default) {
  brk_config_entry_t *e = NULL;
  size_t n = 0;
  static char val[64];
  assert_int_equal(brk_store_topic_configs(s, topic, &e, &n), BRK_KERR_NONE);
  const char *res = NULL;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(e[i].name, key) == 0) {
      snprintf(val, sizeof val, "%s", e[i].value);
      res = val;
      if (is_default) *is_default = e[i].is_default;
    }
  }
  free(e);
  return res;
}

static void append1(brk_partition_t *p, int n) {
  uint8_t buf[4096];
  size_t len = tb_batch(buf, sizeof buf, n, 1000, 50);
  assert_int_equal(brk_partition_append(p, buf, len, 1000, NULL), BRK_KERR_NONE);
}

static void test_topics_create_delete_and_survive_reopen(void **state) {
  (void)state;
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  brk_kv_t kv[] = {{"retention.ms", "12345"}, {"cleanup.policy", "compact,delete"}};
  assert_int_equal(brk_store_create_topic(s, "b-topic", 3, kv, 2, false), BRK_KERR_NONE);
  assert_int_equal(brk_store_create_topic(s, "a.topic", 1, NULL, 0, false), BRK_KERR_NONE);
  assert_int_equal(brk_store_create_topic(s, "gone", 2, NULL, 0, false), BRK_KERR_NONE);
  assert_int_equal(brk_store_create_topic(s, "v", 2, NULL, 0, true), BRK_KERR_NONE);
  assert_int_equal(brk_store_topic_partitions(s, "v"), -1);
  assert_int_equal(brk_store_create_topic(s, "a.topic", 1, NULL, 0, false), BRK_KERR_TOPIC_ALREADY_EXISTS);
  assert_int_equal(brk_store_create_topic(s, "bad/name", 1, NULL, 0, false),
                   BRK_KERR_INVALID_TOPIC_EXCEPTION);
  assert_int_equal(brk_store_create_topic(s, "..", 1, NULL, 0, false), BRK_KERR_INVALID_TOPIC_EXCEPTION);
  assert_int_equal(brk_store_create_topic(s, "z", 0, NULL, 0, false), BRK_KERR_INVALID_PARTITIONS);
  assert_int_equal(brk_store_create_topic(s, "z", 10001, NULL, 0, false), BRK_KERR_INVALID_PARTITIONS);
  brk_kv_t bad = {"retention.ms", "soon"};
  assert_int_equal(brk_store_create_topic(s, "z", 1, &bad, 1, false), BRK_KERR_INVALID_CONFIG);
  assert_non_null(strstr(brk_store_last_error(s), "retention.ms"));
  brk_kv_t unknown = {"no.such.config", "1"};
  assert_int_equal(brk_store_create_topic(s, "z", 1, &unknown, 1, false), BRK_KERR_INVALID_CONFIG);
  append1(brk_store_partition(s, "gone", 4, 1), 3);
  assert_int_equal(brk_store_delete_topic(s, "gone"), BRK_KERR_NONE);
  assert_int_equal(brk_store_delete_topic(s, "gone"), BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  append1(brk_store_partition(s, "b-topic", 7, 2), 4);
  s = reopen(s, dir);
  const char **names = NULL;
  assert_int_equal(brk_store_topic_names(s, &names), 2);
  assert_string_equal(names[0], "a.topic");
  assert_string_equal(names[1], "b-topic");
  free(names);
  assert_int_equal(brk_store_topic_partitions(s, "b-topic"), 3);
  assert_null(brk_store_partition(s, "b-topic", 7, 3));
  assert_int_equal(brk_partition_high_watermark(brk_store_partition(s, "b-topic", 7, 2)), 4);
  bool def = true;
  assert_string_equal(cfg_value(s, "b-topic", "retention.ms", &def), "12345");
  assert_false(def);
  assert_string_equal(cfg_value(s, "b-topic", "segment.bytes", &def), "1073741824");
  assert_true(def);
  /* re-created topic starts empty */
  assert_int_equal(brk_store_create_topic(s, "gone", 2, NULL, 0, false), BRK_KERR_NONE);
  assert_int_equal(brk_partition_high_watermark(brk_store_partition(s, "gone", 4, 1)), 0);
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static void test_create_partitions_grows_and_persists(void **state) {
  (void)state;
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  assert_int_equal(brk_store_create_topic(s, "t", 2, NULL, 0, false), BRK_KERR_NONE);
  assert_int_equal(brk_store_create_partitions(s, "t", 2, false), BRK_KERR_INVALID_PARTITIONS);
  assert_int_equal(brk_store_create_partitions(s, "x", 5, false), BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  assert_int_equal(brk_store_create_partitions(s, "t", 5, true), BRK_KERR_NONE);
  assert_int_equal(brk_store_topic_partitions(s, "t"), 2);
  assert_int_equal(brk_store_create_partitions(s, "t", 5, false), BRK_KERR_NONE);
  append1(brk_store_partition(s, "t", 1, 4), 2);
  s = reopen(s, dir);
  assert_int_equal(brk_store_topic_partitions(s, "t"), 5);
  assert_int_equal(brk_partition_high_watermark(brk_store_partition(s, "t", 1, 4)), 2);
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static void test_alter_configs_replace_and_incremental_persist(void **state) {
  (void)state;
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  brk_kv_t kv[] = {{"retention.ms", "1000"}, {"segment.bytes", "100000"}};
  assert_int_equal(brk_store_create_topic(s, "t", 1, kv, 2, false), BRK_KERR_NONE);
  brk_kv_t inc[] = {{"retention.ms", NULL}, {"max.message.bytes", "2000"}};
  assert_int_equal(brk_store_topic_configs_alter(s, "t", inc, 2, false, false), BRK_KERR_NONE);
  bool def = false;
  assert_string_equal(cfg_value(s, "t", "retention.ms", &def), "-1");
  assert_true(def);
  assert_string_equal(cfg_value(s, "t", "segment.bytes", &def), "100000");
  brk_kv_t bad = {"segment.bytes", "1"};
  assert_int_equal(brk_store_topic_configs_alter(s, "t", &bad, 1, false, false), BRK_KERR_INVALID_CONFIG);
  brk_kv_t rep = {"message.timestamp.type", "LogAppendTime"};
  assert_int_equal(brk_store_topic_configs_alter(s, "t", &rep, 1, true, true), BRK_KERR_NONE);
  assert_string_equal(cfg_value(s, "t", "message.timestamp.type", NULL), "CreateTime");
  assert_int_equal(brk_store_topic_configs_alter(s, "t", &rep, 1, true, false), BRK_KERR_NONE);
  assert_int_equal(brk_store_topic_configs_alter(s, "nope", &rep, 1, true, false),
                   BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION);
  s = reopen(s, dir);
  assert_string_equal(cfg_value(s, "t", "message.timestamp.type", &def), "LogAppendTime");
  assert_false(def);
  assert_string_equal(cfg_value(s, "t", "segment.bytes", &def), "1073741824"); /* replaced: back to default */
  assert_true(def);
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static char *seg_path(const char *dir, const char *topic, int part, int64_t base, const char *ext) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/topics/%s/%d/%020lld%s", dir, topic, part, (long long)base, ext);
  return path;
}

/* Writes the data, "crashes" (removes the clean marker), appends junk to the
 * active segment, reopens: the high watermark is the last whole batch. */
static void torn_tail_case(const uint8_t *junk, size_t junk_len, int64_t keep_bytes_of_last) {
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  assert_int_equal(brk_store_create_topic(s, "t", 1, NULL, 0, false), BRK_KERR_NONE);
  brk_partition_t *p = brk_store_partition(s, "t", 1, 0);
  for (int i = 0; i < 5; i++) append1(p, 2);
  brk_store_close(s);
  char marker[1024];
  snprintf(marker, sizeof marker, "%s/clean-shutdown", dir);
  assert_int_equal(unlink(marker), 0);
  const char *log = seg_path(dir, "t", 0, 0, ".log");
  struct stat st;
  assert_int_equal(stat(log, &st), 0);
  int fd = open(log, O_RDWR);
  if (keep_bytes_of_last >= 0) { /* tear the last batch */
    uint8_t hdr[12];
    assert_int_equal(pread(fd, hdr, 12, 0), 12);
    int64_t one = (int64_t)tb_get(hdr + 8, 4) + 12;
    assert_int_equal(ftruncate(fd, st.st_size - one + keep_bytes_of_last), 0);
  } else {
    assert_int_equal(pwrite(fd, junk, junk_len, st.st_size), (ssize_t)junk_len);
  }
  close(fd);
  s = reopen(NULL, dir);
  p = brk_store_partition(s, "t", 1, 0);
  assert_int_equal(brk_partition_high_watermark(p), keep_bytes_of_last >= 0 ? 8 : 10);
  append1(p, 1); /* appends continue after the truncation point */
  int64_t off, ts;
  assert_int_equal(brk_partition_offset_for_time(p, -1, &off, &ts), BRK_KERR_NONE);
  assert_int_equal(off, keep_bytes_of_last >= 0 ? 9 : 11);
  s = reopen(s, dir);
  assert_int_equal(brk_partition_high_watermark(brk_store_partition(s, "t", 1, 0)), off);
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static void test_recovery_truncates_partial_last_batch(void **state) {
  (void)state;
  torn_tail_case(NULL, 0, 70);
}

static void test_recovery_truncates_garbage_tail(void **state) {
  (void)state;
  uint8_t junk[300];
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 37 + 11);
  torn_tail_case(junk, sizeof junk, -1);
}

static void test_recovery_truncates_zero_filled_tail(void **state) {
  (void)state;
  uint8_t zeros[4096] = {0};
  torn_tail_case(zeros, sizeof zeros, -1);
}

static void test_recovery_truncates_batch_with_bad_crc(void **state) {
  (void)state;
  uint8_t b[4096];
  size_t len = tb_batch(b, sizeof b, 3, 5, 40);
  tb_be(b, 10, 8); /* continues the offsets: only the CRC is wrong */
  b[len - 1] ^= 1;
  torn_tail_case(b, len, -1);
}

static void test_recovery_rebuilds_corrupt_index_files(void **state) {
  (void)state;
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  assert_int_equal(brk_store_create_topic(s, "t", 1, NULL, 0, false), BRK_KERR_NONE);
  brk_partition_t *p = brk_store_partition(s, "t", 1, 0);
  for (int i = 0; i < 200; i++) append1(p, 1);
  brk_store_close(s);
  int fd = open(seg_path(dir, "t", 0, 0, ".index"), O_WRONLY | O_TRUNC);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "\xff\xff\xff\x00\x00\x00\x00\x10garbage", 15), 15);
  close(fd);
  s = reopen(NULL, dir);
  p = brk_store_partition(s, "t", 1, 0);
  assert_int_equal(brk_partition_high_watermark(p), 200);
  brk_read_slice_t sl[1];
  size_t n;
  int64_t total;
  assert_int_equal(brk_partition_read(p, 150, 1, true, sl, 1, &n, &total), BRK_KERR_NONE);
  uint8_t hdr[8];
  assert_int_equal(pread(brk_file_fd(sl[0].file), hdr, 8, sl[0].pos), 8);
  assert_int_equal(tb_get(hdr, 8), 150);
  brk_file_unref(sl[0].file);
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static void test_store_refuses_a_second_open_of_the_same_dir(void **state) {
  (void)state;
  char *dir = tb_tmpdir();
  brk_store_t *s = reopen(NULL, dir);
  brk_store_opts_t o = tb_opts(dir);
  char err[256] = "";
  assert_null(brk_store_open(&o, err, sizeof err));
  assert_non_null(strstr(err, "in use"));
  brk_store_close(s);
  tb_rmrf(dir);
  free(dir);
}

static void test_crc32c_hw_and_table_agree_with_known_vector(void **state) {
  (void)state;
  assert_int_equal(brk__crc32c(0, "123456789", 9), 0xE3069283u);
  assert_int_equal(brk__crc32c_sw(0, "123456789", 9), 0xE3069283u);
  uint8_t buf[1031];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 131 + 7);
  for (size_t off = 0; off < 9; off++) {
    uint32_t want = tb_crc32c(buf + off, sizeof buf - off);
    assert_int_equal(brk__crc32c(0, buf + off, sizeof buf - off), want);
    assert_int_equal(brk__crc32c_sw(0, buf + off, sizeof buf - off), want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_topics_create_delete_and_survive_reopen),
      cmocka_unit_test(test_create_partitions_grows_and_persists),
      cmocka_unit_test(test_alter_configs_replace_and_incremental_persist),
      cmocka_unit_test(test_recovery_truncates_partial_last_batch),
      cmocka_unit_test(test_recovery_truncates_garbage_tail),
      cmocka_unit_test(test_recovery_truncates_zero_filled_tail),
      cmocka_unit_test(test_recovery_truncates_batch_with_bad_crc),
      cmocka_unit_test(test_recovery_rebuilds_corrupt_index_files),
      cmocka_unit_test(test_store_refuses_a_second_open_of_the_same_dir),
      cmocka_unit_test(test_crc32c_hw_and_table_agree_with_known_vector),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
