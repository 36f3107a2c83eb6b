// SPDX-License-Identifier: Apache-2.0
/* Tests brk_offsets*.c: the committed-offsets store over a temporary
 * directory. Commits, lookups, iteration, recovery after reopen, torn and
 * corrupt tails, group deletion, expiry and compaction, all observed through
 * the public contract (brk_offsets.h) plus the log's size. */
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "brk_broker_int.h"
#include "brk_offsets_int.h"

typedef struct ofx {
  char dir[64];
  char log[128];
  brk_offsets_t *o;
} ofx_t;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static brk_offsets_t *open_store(ofx_t *fx, int64_t retention_ms) {
  char errbuf[256] = "";
  brk_offsets_t *o = brk_offsets_open(fx->dir, retention_ms, errbuf, sizeof errbuf);
  if (!o) fprintf(stderr, "brk_offsets_open: %s\n", errbuf);
  return o;
}

static int setup(void **state) {
  ofx_t *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/weir-offsets-test-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->log, sizeof fx->log, "%s/offsets/offsets.log", fx->dir);
  fx->o = open_store(fx, 1000);
  *state = fx;
  return fx->o ? 0 : -1;
}

static int teardown(void **state) {
  ofx_t *fx = *state;
  brk_offsets_close(fx->o);
  nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(fx);
  return 0;
}

static void reopen(ofx_t *fx, int64_t retention_ms) {
  brk_offsets_close(fx->o);
  fx->o = open_store(fx, retention_ms);
  assert_non_null(fx->o);
}

static void commit1(ofx_t *fx, const char *group, const char *topic, int32_t p, int64_t off, const char *md,
                    int64_t now) {
  brk_offset_commit_t it = {topic, p, off, 3, md, BRK_KERR_UNKNOWN_SERVER_ERROR};
  assert_int_equal(brk_offsets_commit(fx->o, group, &it, 1, now), BRK_KERR_NONE);
  assert_int_equal(it.result, BRK_KERR_NONE);
}

static int64_t offset_of(ofx_t *fx, const char *group, const char *topic, int32_t p) {
  brk_committed_t c;
  brk_offsets_get(fx->o, group, topic, p, &c);
  return c.offset;
}

static off_t file_size(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return st.st_size;
}

static void test_offsets_get_returns_minus_one_and_empty_metadata_when_nothing_committed(void **state) {
  ofx_t *fx = *state;
  brk_committed_t c;
  brk_offsets_get(fx->o, "g", "t", 0, &c);
  assert_int_equal(c.offset, -1);
  assert_string_equal(c.metadata, "");
  assert_false(brk_offsets_has_group(fx->o, "g"));
}

static void test_offsets_commit_is_visible_and_survives_reopen(void **state) {
  ofx_t *fx = *state;
  brk_offset_commit_t items[2] = {{"orders", 0, 42, 7, "meta", 0}, {"orders", 1, 9, -1, NULL, 0}};
  assert_int_equal(brk_offsets_commit(fx->o, "g1", items, 2, 1000), BRK_KERR_NONE);
  commit1(fx, "g1", "orders", 0, 43, "meta2", 1001);
  reopen(fx, 1000);
  brk_committed_t c;
  brk_offsets_get(fx->o, "g1", "orders", 0, &c);
  assert_int_equal(c.offset, 43);
  assert_int_equal(c.leader_epoch, 3);
  assert_string_equal(c.metadata, "meta2");
  assert_int_equal(c.commit_ms, 1001);
  brk_offsets_get(fx->o, "g1", "orders", 1, &c);
  assert_int_equal(c.offset, 9);
  assert_int_equal(c.leader_epoch, -1);
  assert_string_equal(c.metadata, "");
  assert_true(brk_offsets_has_group(fx->o, "g1"));
}

static void test_offsets_commit_rejects_metadata_over_4096_bytes_only_for_that_item(void **state) {
  ofx_t *fx = *state;
  char *big = malloc(4098);
  assert_non_null(big);
  memset(big, 'x', 4097);
  big[4097] = '\0';
  brk_offset_commit_t items[2] = {{"t", 0, 1, -1, big, 0}, {"t", 1, 2, -1, big + 1, 0}};
  assert_int_equal(brk_offsets_commit(fx->o, "g", items, 2, 5), BRK_KERR_NONE);
  assert_int_equal(items[0].result, BRK_KERR_OFFSET_METADATA_TOO_LARGE);
  assert_int_equal(items[1].result, BRK_KERR_NONE); /* exactly 4096 */
  assert_int_equal(offset_of(fx, "g", "t", 0), -1);
  assert_int_equal(offset_of(fx, "g", "t", 1), 2);
  free(big);
}

static void count_part(void *arg, const char *topic, int32_t partition, const brk_committed_t *c) {
  (void)topic, (void)partition, (void)c;
  ++*(int *)arg;
}

static void count_group(void *arg, const char *group) {
  (void)group;
  ++*(int *)arg;
}

static void test_offsets_foreach_visits_every_partition_of_one_group(void **state) {
  ofx_t *fx = *state;
  for (int i = 0; i < 100; i++) commit1(fx, "many", i % 2 ? "a" : "b", i, i, NULL, 1);
  commit1(fx, "other", "a", 0, 1, NULL, 1);
  int parts = 0, groups = 0;
  brk_offsets_foreach(fx->o, "many", count_part, &parts);
  brk_offsets_foreach_group(fx->o, count_group, &groups);
  assert_int_equal(parts, 100);
  assert_int_equal(groups, 2);
}

/* Appends raw bytes to the log, as a crash in the middle of a write would. */
static void append_raw(ofx_t *fx, const void *data, size_t len) {
  int fd = open(fx->log, O_WRONLY | O_APPEND);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, len), (ssize_t)len);
  close(fd);
}

static void test_offsets_torn_tail_is_truncated_and_earlier_commits_kept(void **state) {
  ofx_t *fx = *state;
  commit1(fx, "g", "t", 0, 10, NULL, 1);
  off_t good = file_size(fx->log);
  brk_offsets_close(fx->o);
  fx->o = NULL;
  const uint8_t torn[] = {0, 0, 0, 100, 1, 2, 3, 4, 1, 0}; /* says 100 bytes, has 2 */
  append_raw(fx, torn, sizeof torn);
  reopen(fx, 1000);
  assert_int_equal(file_size(fx->log), good);
  assert_int_equal(offset_of(fx, "g", "t", 0), 10);
  commit1(fx, "g", "t", 0, 11, NULL, 2);
  reopen(fx, 1000);
  assert_int_equal(offset_of(fx, "g", "t", 0), 11);
}

static void test_offsets_record_with_bad_crc_is_dropped(void **state) {
  ofx_t *fx = *state;
  commit1(fx, "g", "t", 0, 10, NULL, 1);
  off_t good = file_size(fx->log);
  commit1(fx, "g", "t", 0, 20, NULL, 2);
  brk_offsets_close(fx->o);
  fx->o = NULL;
  int fd = open(fx->log, O_RDWR);
  assert_true(fd >= 0);
  uint8_t byte = 0xff;
  assert_int_equal(pwrite(fd, &byte, 1, file_size(fx->log) - 3), 1); /* inside the last record */
  close(fd);
  reopen(fx, 1000);
  assert_int_equal(file_size(fx->log), good);
  assert_int_equal(offset_of(fx, "g", "t", 0), 10);
}

static void test_offsets_open_refuses_a_file_that_is_not_an_offsets_log(void **state) {
  ofx_t *fx = *state;
  brk_offsets_close(fx->o);
  fx->o = NULL;
  int fd = open(fx->log, O_WRONLY | O_TRUNC);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "NOTMAGIC-and-more", 17), 17);
  close(fd);
  char errbuf[256] = "";
  assert_null(brk_offsets_open(fx->dir, 1000, errbuf, sizeof errbuf));
  assert_non_null(strstr(errbuf, "magic"));
  fx->o = open_store(fx, 1000); /* setup/teardown symmetry: recreate */
  assert_null(fx->o);
  unlink(fx->log);
  fx->o = open_store(fx, 1000);
  assert_non_null(fx->o);
}

static void test_offsets_delete_group_is_durable(void **state) {
  ofx_t *fx = *state;
  commit1(fx, "gone", "t", 0, 1, NULL, 1);
  commit1(fx, "kept", "t", 0, 2, NULL, 1);
  assert_int_equal(brk_offsets_delete_group(fx->o, "gone"), BRK_KERR_NONE);
  assert_int_equal(brk_offsets_delete_group(fx->o, "never"), BRK_KERR_NONE);
  assert_false(brk_offsets_has_group(fx->o, "gone"));
  reopen(fx, 1000);
  assert_false(brk_offsets_has_group(fx->o, "gone"));
  assert_int_equal(offset_of(fx, "kept", "t", 0), 2);
}

static bool only_active(void *arg, const char *group) {
  return strcmp(group, (const char *)arg) == 0;
}

static void test_offsets_expire_drops_old_offsets_of_inactive_groups_only(void **state) {
  ofx_t *fx = *state;
  int64_t now = brk__wall_ms();
  commit1(fx, "idle", "t", 0, 1, NULL, now);
  commit1(fx, "idle", "t", 1, 1, NULL, now + 5000);
  commit1(fx, "busy", "t", 0, 1, NULL, now);
  /* Retention counts from each commit for groups never seen active. */
  brk_offsets_expire(fx->o, now + 500, only_active, "busy");
  assert_int_equal(offset_of(fx, "idle", "t", 0), 1);
  brk_offsets_expire(fx->o, now + 5500, only_active, "busy");
  assert_int_equal(offset_of(fx, "idle", "t", 0), -1);
  assert_int_equal(offset_of(fx, "idle", "t", 1), 1);
  assert_int_equal(offset_of(fx, "busy", "t", 0), 1);
  reopen(fx, 1000);
  assert_int_equal(offset_of(fx, "idle", "t", 0), -1);
  /* After a restart retention counts again from the restart. */
  brk_offsets_expire(fx->o, now + 7000, only_active, "busy");
  assert_int_equal(offset_of(fx, "idle", "t", 1), -1);
  assert_false(brk_offsets_has_group(fx->o, "idle"));
  assert_true(brk_offsets_has_group(fx->o, "busy"));
}

static void test_offsets_explicit_expiry_overrides_retention(void **state) {
  ofx_t *fx = *state;
  int64_t now = brk__wall_ms();
  brk_offset_commit_t it = {"t", 0, 5, -1, NULL, 0};
  assert_int_equal(brk_offsets_commit_expiring(fx->o, "g", &it, 1, now, now + 100000), BRK_KERR_NONE);
  brk_offsets_expire(fx->o, now + 50000, only_active, "");
  assert_int_equal(offset_of(fx, "g", "t", 0), 5);
  brk_offsets_expire(fx->o, now + 100000, only_active, "");
  assert_int_equal(offset_of(fx, "g", "t", 0), -1);
}

static void test_offsets_log_is_compacted_and_keeps_latest_values(void **state) {
  ofx_t *fx = *state;
  fx->o->log.compact_min = 4096;
  for (int i = 0; i < 600; i++) commit1(fx, "g", "t", i % 4, i, "some metadata", i);
  assert_true(file_size(fx->log) < 4 * 4096);
  reopen(fx, 1000);
  for (int p = 0; p < 4; p++) assert_int_equal(offset_of(fx, "g", "t", p), 596 + p);
  brk_committed_t c;
  brk_offsets_get(fx->o, "g", "t", 3, &c);
  assert_string_equal(c.metadata, "some metadata");
  assert_int_equal(c.commit_ms, 599);
}

static void test_offsets_compaction_keeps_many_groups_and_deletions(void **state) {
  ofx_t *fx = *state;
  char name[32];
  for (int g = 0; g < 50; g++) {
    snprintf(name, sizeof name, "group-%d", g);
    for (int p = 0; p < 30; p++) commit1(fx, name, "topic", p, g * 100 + p, NULL, 1);
  }
  assert_int_equal(brk_offsets_delete_group(fx->o, "group-7"), BRK_KERR_NONE);
  assert_int_equal(brk__offlog_compact(&fx->o->log, &fx->o->map), 0);
  reopen(fx, 1000);
  int groups = 0;
  brk_offsets_foreach_group(fx->o, count_group, &groups);
  assert_int_equal(groups, 49);
  assert_int_equal(offset_of(fx, "group-49", "topic", 29), 4929);
  assert_false(brk_offsets_has_group(fx->o, "group-7"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
      T(test_offsets_get_returns_minus_one_and_empty_metadata_when_nothing_committed),
      T(test_offsets_commit_is_visible_and_survives_reopen),
      T(test_offsets_commit_rejects_metadata_over_4096_bytes_only_for_that_item),
      T(test_offsets_foreach_visits_every_partition_of_one_group),
      T(test_offsets_torn_tail_is_truncated_and_earlier_commits_kept),
      T(test_offsets_record_with_bad_crc_is_dropped),
      T(test_offsets_open_refuses_a_file_that_is_not_an_offsets_log),
      T(test_offsets_delete_group_is_durable),
      T(test_offsets_expire_drops_old_offsets_of_inactive_groups_only),
      T(test_offsets_explicit_expiry_overrides_retention),
      T(test_offsets_log_is_compacted_and_keeps_latest_values),
      T(test_offsets_compaction_keeps_many_groups_and_deletions),
#undef T
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
