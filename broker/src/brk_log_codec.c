// SPDX-License-Identifier: Apache-2.0
/* Decompression of record-batch records sections (spec kafka-broker.md §2.2)
 * with the Debian codec libraries: zlib (gzip), snappy (xerial snappy-java
 * framing or a raw block), lz4 (frame format) and zstd (streaming, so frames
 * without a content size work). Every codec writes into one growable buffer
 * that never exceeds max_out + 1 bytes, which is how bombs fail cleanly. It
 * knows nothing of batches or records; compression is not done here. */
#include "brk_log_codec.h"

#include <limits.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

/* Growable output; limit = max_out + 1, so holding limit bytes proves the
 * output is too big without ever allocating more. */
typedef struct outbuf {
  uint8_t *p;
  size_t len, cap, limit;
} outbuf_t;

static size_t min_size(size_t a, size_t b) {
  return a < b ? a : b;
}

/* Makes cap >= need (doubling, capped at limit). */
static int ob_reserve(outbuf_t *o, size_t need) {
  if (need <= o->cap) return BRK__DECOMPRESS_OK;
  if (need > o->limit) return BRK__DECOMPRESS_TOO_BIG;
  size_t cap = o->cap > o->limit / 2 ? o->limit : o->cap * 2;
  if (cap < need) cap = need;
  uint8_t *p = realloc(o->p, cap);
  if (!p) return BRK__DECOMPRESS_NOMEM;
  o->p = p;
  o->cap = cap;
  return BRK__DECOMPRESS_OK;
}

/* Room for at least one more byte. */
static int ob_grow(outbuf_t *o) {
  return o->len < o->cap ? BRK__DECOMPRESS_OK : ob_reserve(o, o->cap + 1);
}

/* ---- gzip --------------------------------------------------------------- */

static int gunzip(const uint8_t *in, size_t in_len, outbuf_t *o) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return BRK__DECOMPRESS_NOMEM; /* 32: gzip or zlib header */
  size_t used = 0;
  int rc;
  for (;;) {
    if ((rc = ob_grow(o)) != BRK__DECOMPRESS_OK) break;
    uInt in_chunk = (uInt)min_size(in_len - used, UINT_MAX),
         out_room = (uInt)min_size(o->cap - o->len, UINT_MAX);
    zs.next_in = (Bytef *)(uintptr_t)(in + used); /* zlib's API is not const */
    zs.avail_in = in_chunk;
    zs.next_out = o->p + o->len;
    zs.avail_out = out_room;
    int zrc = inflate(&zs, Z_NO_FLUSH);
    used += in_chunk - zs.avail_in;
    o->len += out_room - zs.avail_out;
    if (zrc == Z_STREAM_END) {
      if (used == in_len) break;
      zrc = inflateReset(&zs); /* a further gzip member follows */
    } else if (zrc == Z_BUF_ERROR && zs.avail_out == 0) {
      zrc = Z_OK; /* only out of room */
    } else if (zrc == Z_OK && used == in_len && zs.avail_out > 0) {
      zrc = Z_BUF_ERROR; /* input ended inside the stream */
    }
    if (zrc != Z_OK) {
      rc = zrc == Z_MEM_ERROR ? BRK__DECOMPRESS_NOMEM : BRK__DECOMPRESS_CORRUPT;
      break;
    }
  }
  inflateEnd(&zs);
  return rc;
}

/* ---- snappy -------------------------------------------------------------- */

static const uint8_t XERIAL_MAGIC[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
#define XERIAL_HEADER_SIZE 16 /* magic + int32 version + int32 compatible version */

/* One raw snappy block appended to o; its declared size is checked first. */
static int unsnappy_block(const uint8_t *in, size_t in_len, outbuf_t *o) {
  size_t n;
  if (snappy_uncompressed_length((const char *)in, in_len, &n) != SNAPPY_OK) return BRK__DECOMPRESS_CORRUPT;
  if (n >= o->limit - o->len) return BRK__DECOMPRESS_TOO_BIG;
  int rc = ob_reserve(o, o->len + n);
  if (rc != BRK__DECOMPRESS_OK) return rc;
  size_t got = n;
  if (snappy_uncompress((const char *)in, in_len, (char *)o->p + o->len, &got) != SNAPPY_OK || got != n)
    return BRK__DECOMPRESS_CORRUPT;
  o->len += n;
  return BRK__DECOMPRESS_OK;
}

/* snappy-java (Java clients, kafka-python) writes the xerial stream:
 * header, then [int32 big-endian length, raw block]*; librdkafka writes one
 * raw block. Both are accepted, told apart by the magic. */
static int unsnappy(const uint8_t *in, size_t in_len, outbuf_t *o) {
  if (in_len < sizeof XERIAL_MAGIC || memcmp(in, XERIAL_MAGIC, sizeof XERIAL_MAGIC) != 0)
    return unsnappy_block(in, in_len, o);
  if (in_len < XERIAL_HEADER_SIZE) return BRK__DECOMPRESS_CORRUPT;
  for (size_t pos = XERIAL_HEADER_SIZE; pos < in_len;) {
    if (in_len - pos < 4) return BRK__DECOMPRESS_CORRUPT;
    size_t blen =
        ((size_t)in[pos] << 24) | ((size_t)in[pos + 1] << 16) | ((size_t)in[pos + 2] << 8) | in[pos + 3];
    pos += 4;
    if (blen > in_len - pos) return BRK__DECOMPRESS_CORRUPT;
    int rc = unsnappy_block(in + pos, blen, o);
    if (rc != BRK__DECOMPRESS_OK) return rc;
    pos += blen;
  }
  return BRK__DECOMPRESS_OK;
}

/* ---- lz4 frame ------------------------------------------------------------ */

static int unlz4(const uint8_t *in, size_t in_len, outbuf_t *o) {
  LZ4F_dctx *d = NULL;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) return BRK__DECOMPRESS_NOMEM;
  size_t used = 0, hint = 1; /* hint 0: the last frame is complete */
  int rc = BRK__DECOMPRESS_OK;
  while (rc == BRK__DECOMPRESS_OK && (used < in_len || hint != 0)) {
    if ((rc = ob_grow(o)) != BRK__DECOMPRESS_OK) break;
    size_t src = in_len - used, dst = o->cap - o->len;
    hint = LZ4F_decompress(d, o->p + o->len, &dst, in + used, &src, NULL);
    used += src;
    o->len += dst;
    /* An error, or no progress with room to write: corrupt or truncated. */
    if (LZ4F_isError(hint) || (src == 0 && dst == 0)) rc = BRK__DECOMPRESS_CORRUPT;
  }
  LZ4F_freeDecompressionContext(d);
  return rc;
}

/* ---- zstd ------------------------------------------------------------------ */

/* The decoder's window stays at zstd's default limit (128 MiB, as in Kafka
 * and librdkafka): producers at high levels without a content size
 * legitimately declare large windows. */
static int unzstd(const uint8_t *in, size_t in_len, outbuf_t *o) {
  ZSTD_DCtx *d = ZSTD_createDCtx();
  if (!d) return BRK__DECOMPRESS_NOMEM;
  ZSTD_inBuffer ib = {in, in_len, 0};
  int rc;
  for (;;) {
    if ((rc = ob_grow(o)) != BRK__DECOMPRESS_OK) break;
    ZSTD_outBuffer ob = {o->p, o->cap, o->len};
    size_t ret = ZSTD_decompressStream(d, &ob, &ib);
    o->len = ob.pos;
    if (ZSTD_isError(ret)) {
      bool nomem = ZSTD_getErrorCode(ret) == ZSTD_error_memory_allocation;
      rc = nomem ? BRK__DECOMPRESS_NOMEM : BRK__DECOMPRESS_CORRUPT;
      break;
    }
    if (ret == 0 && ib.pos == ib.size) break; /* last frame complete */
    if (ib.pos == ib.size && ob.pos < ob.size) {
      rc = BRK__DECOMPRESS_CORRUPT; /* all flushed, but the frame wants more input */
      break;
    }
  }
  ZSTD_freeDCtx(d);
  return rc;
}

/* ---- entry point ------------------------------------------------------------ */

int brk__decompress(int codec, const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len,
                    size_t max_out) {
  *out = NULL;
  *out_len = 0;
  if (codec < BRK__CODEC_GZIP || codec > BRK__CODEC_ZSTD) return BRK__DECOMPRESS_UNSUPPORTED;
  outbuf_t o = {NULL, 0, 0, max_out < SIZE_MAX ? max_out + 1 : SIZE_MAX};
  size_t first = in_len > o.limit / 4 ? o.limit : in_len * 4;
  int rc = ob_reserve(&o, first < 4096 ? min_size(4096, o.limit) : first);
  if (rc == BRK__DECOMPRESS_OK) {
    switch (codec) {
      case BRK__CODEC_GZIP:
        rc = gunzip(in, in_len, &o);
        break;
      case BRK__CODEC_SNAPPY:
        rc = unsnappy(in, in_len, &o);
        break;
      case BRK__CODEC_LZ4:
        rc = unlz4(in, in_len, &o);
        break;
      default:
        rc = unzstd(in, in_len, &o);
        break;
    }
  }
  if (rc == BRK__DECOMPRESS_OK && o.len > max_out) rc = BRK__DECOMPRESS_TOO_BIG;
  if (rc != BRK__DECOMPRESS_OK) {
    free(o.p);
    return rc;
  }
  *out = o.p;
  *out_len = o.len;
  return BRK__DECOMPRESS_OK;
}

const char *brk__decompress_strerror(int rc) {
  switch (rc) {
#define BRK__X_CASE(name, value, msg) \
  case name:                          \
    return msg;
    BRK__DECOMPRESS_RESULTS(BRK__X_CASE)
#undef BRK__X_CASE
  }
  return "unknown decompression result";
}
