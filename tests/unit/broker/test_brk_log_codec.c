// SPDX-License-Identifier: Apache-2.0
/* Tests of brk__decompress (brk_log_codec.c): round trips of data compressed
 * here by each codec library the way producers frame it, the exact output
 * limit, decompression bombs, and truncated, bit-flipped and random input,
 * which must fail cleanly (run under ASan in CI). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above */
#include <cmocka.h>

#include "brk_log_codec.h"
#include "brk_test_batch_codec.h"

/* Half text-like (compressible), half pseudo-random (not). */
static uint8_t *sample(size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  uint32_t x = 12345;
  for (size_t i = 0; i < len; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = i < len / 2 ? (uint8_t)("weir broker "[i % 12]) : (uint8_t)(x >> 24);
  }
  return p;
}

/* Compressed copy of src (free()). */
static uint8_t *compress_copy(tbc_variant_t v, const uint8_t *src, size_t len, size_t *clen) {
  uint8_t *c = malloc(tbc_bound(len));
  *clen = tbc_compress(v, src, len, c, tbc_bound(len));
  return c;
}

static void test_decompress_round_trips_every_codec_and_framing(void **state) {
  (void)state;
  static const size_t sizes[] = {0, 1, 1000, 300000};
  for (int v = 0; v < TBC_N_VARIANTS; v++) {
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
      uint8_t *src = sample(sizes[s]), *out = NULL;
      size_t clen, out_len = 99;
      uint8_t *c = compress_copy((tbc_variant_t)v, src, sizes[s], &clen);
      int rc = brk__decompress(tbc_codec((tbc_variant_t)v), c, clen, &out, &out_len, BRK__DECOMPRESS_MAX_OUT);
      if (rc != BRK__DECOMPRESS_OK)
        fprintf(stderr, "%s %zu: %s\n", tbc_names[v], sizes[s], brk__decompress_strerror(rc));
      assert_int_equal(rc, BRK__DECOMPRESS_OK);
      assert_non_null(out);
      assert_int_equal(out_len, sizes[s]);
      assert_memory_equal(out, src, sizes[s]);
      free(out);
      free(c);
      free(src);
    }
  }
}

static void test_decompress_accepts_concatenated_gzip_members_and_lz4_zstd_frames(void **state) {
  (void)state;
  static const tbc_variant_t multi[] = {TBC_GZIP, TBC_LZ4, TBC_ZSTD};
  uint8_t *src = sample(5000), *out = NULL;
  size_t a, b, out_len;
  for (size_t i = 0; i < 3; i++) {
    tbc_variant_t v = multi[i];
    uint8_t *buf = malloc(2 * tbc_bound(3000));
    a = tbc_compress(v, src, 3000, buf, tbc_bound(3000));
    b = tbc_compress(v, src + 3000, 2000, buf + a, tbc_bound(3000));
    assert_int_equal(brk__decompress(tbc_codec(v), buf, a + b, &out, &out_len, 1 << 20), BRK__DECOMPRESS_OK);
    assert_int_equal(out_len, 5000);
    assert_memory_equal(out, src, 5000);
    free(out);
    free(buf);
  }
  free(src);
}

static void test_decompress_limit_is_exact(void **state) {
  (void)state;
  uint8_t *src = sample(100000);
  for (int v = 0; v < TBC_N_VARIANTS; v++) {
    size_t clen, out_len;
    uint8_t *c = compress_copy((tbc_variant_t)v, src, 100000, &clen), *out = NULL;
    int codec = tbc_codec((tbc_variant_t)v);
    assert_int_equal(brk__decompress(codec, c, clen, &out, &out_len, 100000), BRK__DECOMPRESS_OK);
    assert_int_equal(out_len, 100000);
    free(out);
    out_len = 7;
    assert_int_equal(brk__decompress(codec, c, clen, &out, &out_len, 99999), BRK__DECOMPRESS_TOO_BIG);
    assert_null(out);
    assert_int_equal(out_len, 0);
    free(c);
  }
  free(src);
}

/* Streams `total` zero bytes through each streaming compressor, 1 MiB of
 * input at a time, so the bomb itself stays small in memory. */
static uint8_t *bomb(tbc_variant_t v, size_t total, size_t *len) {
  size_t cap = total / 64 + (1 << 20), pos = 0;
  uint8_t *zeros = calloc(1, 1 << 20), *out = malloc(cap);
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  ZSTD_CCtx *zc = ZSTD_createCCtx();
  LZ4F_cctx *lc = NULL;
  assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  assert_false(LZ4F_isError(LZ4F_createCompressionContext(&lc, LZ4F_VERSION)));
  if (v == TBC_LZ4) pos = LZ4F_compressBegin(lc, out, cap, NULL);
  for (size_t done = 0; done < total; done += 1 << 20) {
    int last = done + (1 << 20) >= total;
    if (v == TBC_GZIP) {
      zs.next_in = zeros, zs.avail_in = 1 << 20, zs.next_out = out + pos, zs.avail_out = (uInt)(cap - pos);
      deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
      pos = zs.total_out;
    } else if (v == TBC_LZ4) {
      size_t n = LZ4F_compressUpdate(lc, out + pos, cap - pos, zeros, 1 << 20, NULL);
      assert_false(LZ4F_isError(n));
      pos += n;
      if (last) pos += LZ4F_compressEnd(lc, out + pos, cap - pos, NULL);
    } else {
      ZSTD_inBuffer in = {zeros, 1 << 20, 0};
      ZSTD_outBuffer o = {out, cap, pos};
      ZSTD_compressStream2(zc, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
      pos = o.pos;
    }
  }
  deflateEnd(&zs);
  ZSTD_freeCCtx(zc);
  LZ4F_freeCompressionContext(lc);
  free(zeros);
  *len = pos;
  return out;
}

static void test_decompress_stops_bombs_at_the_limit(void **state) {
  (void)state;
  tbc_variant_t streaming[] = {TBC_GZIP, TBC_LZ4, TBC_ZSTD_STREAM};
  for (size_t i = 0; i < 3; i++) {
    size_t len, out_len = 1;
    uint8_t *b = bomb(streaming[i], (size_t)100 << 20, &len), *out = NULL;
    assert_true(len < (size_t)2 << 20);
    int rc = brk__decompress(tbc_codec(streaming[i]), b, len, &out, &out_len, BRK__DECOMPRESS_MAX_OUT);
    assert_int_equal(rc, BRK__DECOMPRESS_TOO_BIG);
    assert_null(out);
    assert_int_equal(out_len, 0);
    free(b);
  }
}

static void test_decompress_rejects_snappy_bombs_before_allocating(void **state) {
  (void)state;
  /* a raw block whose preamble claims 1 GiB */
  uint8_t raw[] = {0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 'x'};
  uint8_t *out = NULL;
  size_t out_len;
  assert_int_equal(brk__decompress(2, raw, sizeof raw, &out, &out_len, BRK__DECOMPRESS_MAX_OUT),
                   BRK__DECOMPRESS_TOO_BIG);
  assert_null(out);
  /* xerial: 20 blocks of 64 KiB zeros against a 1 MiB limit */
  uint8_t *zeros = calloc(1, 20 << 16), *c = malloc(tbc_bound(20 << 16));
  size_t clen = tbc_xerial(zeros, 20 << 16, c, tbc_bound(20 << 16));
  assert_int_equal(brk__decompress(2, c, clen, &out, &out_len, 1 << 20), BRK__DECOMPRESS_TOO_BIG);
  assert_null(out);
  free(c);
  free(zeros);
}

/* Every strict prefix fails, except that xerial (no end marker) may stop at
 * a block boundary and then yields a prefix of the data. */
static void test_decompress_rejects_truncated_input(void **state) {
  (void)state;
  uint8_t *src = sample(20000);
  for (int v = 0; v < TBC_N_VARIANTS; v++) {
    size_t clen, out_len;
    uint8_t *c = compress_copy((tbc_variant_t)v, src, 20000, &clen), *out = NULL;
    for (size_t cut = 0; cut < clen; cut++) {
      int rc = brk__decompress(tbc_codec((tbc_variant_t)v), c, cut, &out, &out_len, 1 << 20);
      if (v == TBC_SNAPPY_XERIAL && rc == BRK__DECOMPRESS_OK) {
        assert_true(out_len < 20000);
        assert_memory_equal(out, src, out_len);
        free(out);
        continue;
      }
      assert_int_equal(rc, BRK__DECOMPRESS_CORRUPT);
      assert_null(out);
    }
    free(c);
  }
  free(src);
}

static void test_decompress_survives_flipped_bytes_and_random_input(void **state) {
  (void)state;
  uint8_t *src = sample(3000), noise[4096];
  uint32_t x = 777;
  for (size_t i = 0; i < sizeof noise; i++) noise[i] = (uint8_t)((x = x * 1664525u + 1013904223u) >> 24);
  for (int v = 0; v < TBC_N_VARIANTS; v++) {
    int codec = tbc_codec((tbc_variant_t)v);
    size_t clen, out_len;
    uint8_t *c = compress_copy((tbc_variant_t)v, src, 3000, &clen), *out = NULL;
    for (size_t i = 0; i < clen; i++) {
      c[i] ^= 0x5a;
      if (brk__decompress(codec, c, clen, &out, &out_len, 1 << 16) == BRK__DECOMPRESS_OK)
        assert_true(out_len <= 1 << 16);
      else
        assert_null(out);
      free(out);
      c[i] ^= 0x5a;
    }
    assert_int_not_equal(brk__decompress(codec, noise, sizeof noise, &out, &out_len, 1 << 20),
                         BRK__DECOMPRESS_OK);
    assert_null(out);
    free(c);
  }
  free(src);
}

static void test_decompress_rejects_unknown_codecs(void **state) {
  (void)state;
  uint8_t in[4] = {1, 2, 3, 4}, *out = NULL;
  size_t out_len;
  static const int codecs[] = {-1, 0, 5, 7};
  for (size_t i = 0; i < 4; i++)
    assert_int_equal(brk__decompress(codecs[i], in, 4, &out, &out_len, 100), BRK__DECOMPRESS_UNSUPPORTED);
  assert_string_equal(brk__decompress_strerror(BRK__DECOMPRESS_TOO_BIG), "decompressed size over limit");
  assert_string_equal(brk__decompress_strerror(42), "unknown decompression result");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decompress_round_trips_every_codec_and_framing),
      cmocka_unit_test(test_decompress_accepts_concatenated_gzip_members_and_lz4_zstd_frames),
      cmocka_unit_test(test_decompress_limit_is_exact),
      cmocka_unit_test(test_decompress_stops_bombs_at_the_limit),
      cmocka_unit_test(test_decompress_rejects_snappy_bombs_before_allocating),
      cmocka_unit_test(test_decompress_rejects_truncated_input),
      cmocka_unit_test(test_decompress_survives_flipped_bytes_and_random_input),
      cmocka_unit_test(test_decompress_rejects_unknown_codecs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
