// SPDX-License-Identifier: Apache-2.0
/* Test helpers for the storage tests: encode a valid record batch v2 (61-byte
 * header, records with zigzag varints, CRC-32C computed bit by bit so it is
 * independent of the code under test), temp store directories. Header-only,
 * static functions; include once per test executable. */
#ifndef WEIR_TESTS_BRK_TEST_BATCH_H
#define WEIR_TESTS_BRK_TEST_BATCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_log.h"

static inline uint32_t tb_crc32c(const uint8_t *p, size_t len) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < len; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
  }
  return ~c;
}

static inline void tb_be(uint8_t *p, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

static inline size_t tb_varint(uint8_t *p, int64_t v) {
  uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
  size_t n = 0;
  while (z >= 0x80) {
    p[n++] = (uint8_t)(z | 0x80);
    z >>= 7;
  }
  p[n++] = (uint8_t)z;
  return n;
}

/* One record: no key, value of value_len bytes ('a' + offset delta), no headers. */
static inline size_t tb_record(uint8_t *p, int32_t delta, int64_t ts_delta, size_t value_len) {
  uint8_t body[64 + 4096];
  size_t n = 0;
  body[n++] = 0; /* attributes */
  n += tb_varint(body + n, ts_delta);
  n += tb_varint(body + n, delta);
  n += tb_varint(body + n, -1); /* null key */
  n += tb_varint(body + n, (int64_t)value_len);
  memset(body + n, 'a' + delta % 26, value_len);
  n += value_len;
  n += tb_varint(body + n, 0); /* headers */
  size_t h = tb_varint(p, (int64_t)n);
  memcpy(p + h, body, n);
  return h + n;
}

/* Encodes a batch of n records (timestamps base_ts + i) into buf (cap bytes,
 * value_len <= 4096). Returns its size. */
static inline size_t tb_batch(uint8_t *buf, size_t cap, int n, int64_t base_ts, size_t value_len) {
  size_t pos = 61;
  for (int i = 0; i < n; i++) {
    if (pos + value_len + 64 > cap) abort();
    pos += tb_record(buf + pos, i, i, value_len);
  }
  memset(buf, 0, 61);
  tb_be(buf + 0, 0, 8);                            /* baseOffset */
  tb_be(buf + 8, pos - 12, 4);                     /* batchLength */
  tb_be(buf + 12, (uint64_t)-1, 4);                /* partitionLeaderEpoch */
  buf[16] = 2;                                     /* magic */
  tb_be(buf + 21, 0, 2);                           /* attributes */
  tb_be(buf + 23, (uint64_t)(n - 1), 4);           /* lastOffsetDelta */
  tb_be(buf + 27, (uint64_t)base_ts, 8);           /* baseTimestamp */
  tb_be(buf + 35, (uint64_t)(base_ts + n - 1), 8); /* maxTimestamp */
  tb_be(buf + 43, (uint64_t)-1, 8);                /* producerId */
  tb_be(buf + 51, (uint64_t)-1, 2);                /* producerEpoch */
  tb_be(buf + 53, (uint64_t)-1, 4);                /* baseSequence */
  tb_be(buf + 57, (uint64_t)n, 4);                 /* recordCount */
  tb_be(buf + 17, tb_crc32c(buf + 21, pos - 21), 4);
  return pos;
}

static inline uint64_t tb_get(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

/* A fresh temporary directory (free() the path). */
static inline char *tb_tmpdir(void) {
  char *t = strdup("/tmp/weir-brk-log-XXXXXX");
  if (!t || !mkdtemp(t)) abort();
  return t;
}

static inline void tb_rmrf(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static inline brk_store_opts_t tb_opts(const char *dir) {
  brk_store_opts_t o = {dir, 1 << 30, -1, -1, INT64_MAX, 1048588};
  return o;
}

#endif
