// SPDX-License-Identifier: Apache-2.0
/* Decompression of a record batch's records section (shared/spec/
 * kafka-broker.md §2.2: attributes bits 0-2 = 1 gzip, 2 snappy, 3 lz4,
 * 4 zstd). Decoding only, with a hard output limit; the broker never
 * recompresses (Kafka's v2 path keeps the producer's bytes). */
#ifndef WEIR_BROKER_BRK_LOG_CODEC_H
#define WEIR_BROKER_BRK_LOG_CODEC_H

#include <stddef.h>
#include <stdint.h>

enum {
  BRK__CODEC_NONE = 0,
  BRK__CODEC_GZIP = 1,
  BRK__CODEC_SNAPPY = 2,
  BRK__CODEC_LZ4 = 3,
  BRK__CODEC_ZSTD = 4,
};

/* Output limit for callers decompressing stored batches: far above any batch
 * a producer can send (message.max.bytes), far below what a bomb would ask. */
#define BRK__DECOMPRESS_MAX_OUT ((size_t)64 << 20)

/* Result codes of brk__decompress (0 or negative). */
#define BRK__DECOMPRESS_RESULTS(X)                               \
  X(BRK__DECOMPRESS_OK, 0, "ok")                                 \
  X(BRK__DECOMPRESS_CORRUPT, -1, "compressed data is corrupt")   \
  X(BRK__DECOMPRESS_TOO_BIG, -2, "decompressed size over limit") \
  X(BRK__DECOMPRESS_NOMEM, -3, "out of memory")                  \
  X(BRK__DECOMPRESS_UNSUPPORTED, -4, "unsupported compression codec")

#define BRK__X_ENUM(name, value, msg) name = value,
enum { BRK__DECOMPRESS_RESULTS(BRK__X_ENUM) };
#undef BRK__X_ENUM

/* Decompresses in[0, in_len) written with `codec` (BRK__CODEC_GZIP..ZSTD):
 * gzip = RFC 1952 stream (members may be concatenated), snappy = xerial
 * snappy-java framing when the input starts with its magic, else one raw
 * snappy block, lz4 = LZ4 frame(s), zstd = zstd frame(s) with or without a
 * content size. On BRK__DECOMPRESS_OK *out is a new buffer (free(); never
 * NULL, even for empty output) of *out_len <= max_out bytes. Any other
 * result leaves *out NULL and *out_len 0; output larger than max_out fails
 * with BRK__DECOMPRESS_TOO_BIG after producing at most max_out + 1 bytes.
 * Thread-safe: no shared state. */
int brk__decompress(int codec, const uint8_t *in, size_t in_len, uint8_t **out, size_t *out_len,
                    size_t max_out);

/* A static lower-case message for a brk__decompress result. */
const char *brk__decompress_strerror(int rc);

#endif
