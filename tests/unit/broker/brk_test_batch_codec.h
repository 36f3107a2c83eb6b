// SPDX-License-Identifier: Apache-2.0
/* Test helpers for compressed record batches: compress a buffer the way each
 * kind of producer does (gzip stream, raw snappy as librdkafka writes it,
 * xerial snappy-java framing as Java clients and kafka-python write it, LZ4
 * frame, zstd with and without a content size) straight through the codec
 * libraries, and build a batch v2 whose records section is compressed.
 * Header-only, static functions; include after brk_test_batch.h. */
#ifndef WEIR_TESTS_BRK_TEST_BATCH_CODEC_H
#define WEIR_TESTS_BRK_TEST_BATCH_CODEC_H

#include <lz4frame.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "brk_test_batch.h"

/* How a producer compresses; tbc_codec() gives the attributes codec bits. */
typedef enum tbc_variant {
  TBC_GZIP,
  TBC_SNAPPY_RAW,
  TBC_SNAPPY_XERIAL,
  TBC_LZ4,
  TBC_ZSTD,        /* one-shot: the frame carries the content size */
  TBC_ZSTD_STREAM, /* streaming: no content size in the frame */
  TBC_N_VARIANTS
} tbc_variant_t;

static const char *const tbc_names[TBC_N_VARIANTS] = {"gzip", "snappy", "snappy-xerial",
                                                      "lz4",  "zstd",   "zstd-stream"};

static inline int tbc_codec(tbc_variant_t v) {
  static const int codec[TBC_N_VARIANTS] = {1, 2, 2, 3, 4, 4};
  return codec[v];
}

static inline size_t tbc_gzip(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
  zs.next_in = (Bytef *)(uintptr_t)src;
  zs.avail_in = (uInt)len;
  zs.next_out = dst;
  zs.avail_out = (uInt)cap;
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) abort();
  size_t n = zs.total_out;
  deflateEnd(&zs);
  return n;
}

/* xerial: magic, version 1, compatible 1, then [int32 length, block] per
 * 4 KiB of input (small blocks so tests see several). */
static inline size_t tbc_xerial(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
  static const uint8_t hdr[16] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
  memcpy(dst, hdr, sizeof hdr);
  size_t pos = sizeof hdr;
  for (size_t at = 0; at < len; at += 4096) {
    size_t chunk = len - at < 4096 ? len - at : 4096, n = cap - pos - 4;
    if (snappy_compress((const char *)src + at, chunk, (char *)dst + pos + 4, &n) != SNAPPY_OK) abort();
    tb_be(dst + pos, n, 4);
    pos += 4 + n;
  }
  return pos;
}

static inline size_t tbc_zstd_stream(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
  ZSTD_CCtx *c = ZSTD_createCCtx();
  ZSTD_inBuffer in = {src, len, 0};
  ZSTD_outBuffer out = {dst, cap, 0};
  if (!c || ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0))) abort();
  if (ZSTD_compressStream2(c, &out, &in, ZSTD_e_end) != 0) abort();
  ZSTD_freeCCtx(c);
  return out.pos;
}

/* Compresses src into dst (cap >= tbc_bound(len)); returns the size. */
static inline size_t tbc_compress(tbc_variant_t v, const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
  size_t n = cap;
  switch (v) {
    case TBC_GZIP:
      return tbc_gzip(src, len, dst, cap);
    case TBC_SNAPPY_RAW:
      if (snappy_compress((const char *)src, len, (char *)dst, &n) != SNAPPY_OK) abort();
      return n;
    case TBC_SNAPPY_XERIAL:
      return tbc_xerial(src, len, dst, cap);
    case TBC_LZ4:
      n = LZ4F_compressFrame(dst, cap, src, len, NULL);
      if (LZ4F_isError(n)) abort();
      return n;
    case TBC_ZSTD:
      n = ZSTD_compress(dst, cap, src, len, 3);
      if (ZSTD_isError(n)) abort();
      return n;
    default:
      return tbc_zstd_stream(src, len, dst, cap);
  }
}

static inline size_t tbc_bound(size_t len) {
  return len + len / 2 + 1024;
}

/* Encodes into buf (cap bytes) a batch of n records, record i with timestamp
 * base_ts + 2 * i and a value of value_len bytes, its records section
 * compressed as v. Returns its size. */
static inline size_t tbc_batch(uint8_t *buf, size_t cap, tbc_variant_t v, int n, int64_t base_ts,
                               size_t value_len) {
  size_t raw_cap = (size_t)n * (value_len + 64);
  uint8_t *raw = malloc(raw_cap);
  size_t raw_len = 0;
  for (int i = 0; i < n; i++) raw_len += tb_record(raw + raw_len, i, 2 * (int64_t)i, value_len);
  if (61 + tbc_bound(raw_len) > cap) abort();
  size_t pos = 61 + tbc_compress(v, raw, raw_len, buf + 61, cap - 61);
  free(raw);
  memset(buf, 0, 61);
  tb_be(buf + 8, pos - 12, 4);                           /* batchLength */
  tb_be(buf + 12, (uint64_t)-1, 4);                      /* partitionLeaderEpoch */
  buf[16] = 2;                                           /* magic */
  tb_be(buf + 21, (uint64_t)tbc_codec(v), 2);            /* attributes: codec */
  tb_be(buf + 23, (uint64_t)(n - 1), 4);                 /* lastOffsetDelta */
  tb_be(buf + 27, (uint64_t)base_ts, 8);                 /* baseTimestamp */
  tb_be(buf + 35, (uint64_t)(base_ts + 2 * (n - 1)), 8); /* maxTimestamp */
  tb_be(buf + 43, (uint64_t)-1, 8);                      /* producerId */
  tb_be(buf + 51, (uint64_t)-1, 2);                      /* producerEpoch */
  tb_be(buf + 53, (uint64_t)-1, 4);                      /* baseSequence */
  tb_be(buf + 57, (uint64_t)n, 4);                       /* recordCount */
  tb_be(buf + 17, tb_crc32c(buf + 21, pos - 21), 4);
  return pos;
}

#endif
