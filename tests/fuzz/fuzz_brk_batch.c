// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the broker's storage input paths: arbitrary bytes as
 * a Produce records field into brk_partition_append (validation, offset
 * assignment, append, read back), and arbitrary bytes as the tail of an
 * active segment that crash recovery must truncate. Must never crash, leak
 * or leave a log that fails to read. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brk_log.h"

static char dir[64];
static brk_store_t *store;
static brk_partition_t *part;
static unsigned long runs;

static brk_store_t *open_store(void) {
  brk_store_opts_t o = {dir, 1 << 20, -1, 4 << 20, INT64_MAX, 1048588};
  char err[256];
  brk_store_t *s = brk_store_open(&o, err, sizeof err);
  if (!s) {
    fprintf(stderr, "fuzz_brk_batch: %s\n", err);
    abort();
  }
  return s;
}

static void init_once(void) {
  if (store) return;
  snprintf(dir, sizeof dir, "/tmp/fuzz-brk-batch-XXXXXX");
  if (!mkdtemp(dir)) abort();
  store = open_store();
  brk_store_create_topic(store, "f", 1, NULL, 0, false);
  part = brk_store_partition(store, "f", 1, 0);
}

static void read_all(brk_partition_t *p) {
  brk_read_slice_t sl[8];
  size_t n = 0;
  int64_t total = 0;
  brk_partition_read(p, brk_partition_log_start(p), 1 << 20, true, sl, 8, &n, &total);
  for (size_t i = 0; i < n; i++) brk_file_unref(sl[i].file);
  int64_t off, ts;
  brk_partition_offset_for_time(p, 12345, &off, &ts);
}

/* The input after a valid prefix becomes the active segment's tail; reopen recovers it. */
static void fuzz_recovery(const uint8_t *data, size_t size) {
  brk_store_close(store);
  char path[256];
  snprintf(path, sizeof path, "%s/clean-shutdown", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/topics/f/0/%020lld.log", dir, 0LL);
  int fd = open(path, O_WRONLY | O_APPEND);
  if (fd >= 0) {
    if (write(fd, data, size) < 0) abort();
    close(fd);
  }
  store = open_store();
  part = brk_store_partition(store, "f", 1, 0);
  read_all(part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  init_once();
  if (size > 0 && data[0] == 'R') {
    fuzz_recovery(data + 1, size - 1);
    return 0;
  }
  uint8_t *buf = malloc(size ? size : 1);
  if (size) memcpy(buf, data, size);
  brk_append_result_t res;
  brk_partition_append(part, buf, size, 1000 + (int64_t)runs, &res);
  free(buf);
  read_all(part);
  if (++runs % 1000 == 0) brk_store_enforce_retention(store, 1000 + (int64_t)runs);
  return 0;
}
