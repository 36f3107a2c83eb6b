// SPDX-License-Identifier: Apache-2.0
/* Kafka protocol primitive encodings (shared/spec/kafka-broker.md §1.1):
 * a bounds-checked reader over one request frame and a growable writer for
 * responses. Big-endian ints, varint/varlong (zigzag), unsigned varint,
 * STRING/NULLABLE_STRING/BYTES/NULLABLE_BYTES, ARRAY lengths, and the compact
 * (flexible-version) forms, plus tagged-field sections. A reader that runs
 * past the end or meets an absurd length becomes "failed" and returns zeros
 * from then on: handlers check brk_reader_ok() once at the end. */
#ifndef WEIR_BROKER_BRK_CODEC_H
#define WEIR_BROKER_BRK_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct brk_reader {
  const uint8_t *p;
  const uint8_t *end;
  bool failed;
} brk_reader_t;

void brk_reader_init(brk_reader_t *r, const uint8_t *data, size_t len);
bool brk_reader_ok(const brk_reader_t *r);
size_t brk_reader_remaining(const brk_reader_t *r);

int8_t brk_read_i8(brk_reader_t *r);
int16_t brk_read_i16(brk_reader_t *r);
int32_t brk_read_i32(brk_reader_t *r);
int64_t brk_read_i64(brk_reader_t *r);
uint32_t brk_read_uvarint(brk_reader_t *r);
int32_t brk_read_varint(brk_reader_t *r);
int64_t brk_read_varlong(brk_reader_t *r);

/* Strings and bytes are returned as views into the frame (not NUL-terminated).
 * A null string/bytes gives ptr NULL and returns false in *is_null-less forms. */
typedef struct brk_slice {
  const uint8_t *ptr; /* NULL for a null value */
  int32_t len;        /* -1 for a null value */
} brk_slice_t;

brk_slice_t brk_read_string(brk_reader_t *r);         /* int16 length; -1 = null (nullable) */
brk_slice_t brk_read_bytes(brk_reader_t *r);          /* int32 length; -1 = null */
brk_slice_t brk_read_compact_string(brk_reader_t *r); /* uvarint length+1; 0 = null */
brk_slice_t brk_read_compact_bytes(brk_reader_t *r);
/* Array element count: int32 (-1 = null -> 0), or compact uvarint-1. Fails
 * when the count cannot fit in the remaining bytes (min_elem_bytes each). */
int32_t brk_read_array_len(brk_reader_t *r, size_t min_elem_bytes);
int32_t brk_read_compact_array_len(brk_reader_t *r, size_t min_elem_bytes);
/* Skips a tagged-fields section (flexible versions). */
void brk_skip_tagged_fields(brk_reader_t *r);

/* Growable output buffer. Zero-initialise; brk_writer_fini frees. On
 * allocation failure the writer becomes failed and further writes no-op. */
typedef struct brk_writer {
  uint8_t *buf;
  size_t len;
  size_t cap;
  bool failed;
} brk_writer_t;

void brk_writer_fini(brk_writer_t *w);
bool brk_writer_ok(const brk_writer_t *w);
void brk_write_i8(brk_writer_t *w, int8_t v);
void brk_write_i16(brk_writer_t *w, int16_t v);
void brk_write_i32(brk_writer_t *w, int32_t v);
void brk_write_i64(brk_writer_t *w, int64_t v);
void brk_write_uvarint(brk_writer_t *w, uint32_t v);
void brk_write_varint(brk_writer_t *w, int32_t v);
void brk_write_varlong(brk_writer_t *w, int64_t v);
void brk_write_raw(brk_writer_t *w, const void *data, size_t len);
void brk_write_string(brk_writer_t *w, const char *s);             /* NULL -> -1 */
void brk_write_string_n(brk_writer_t *w, const void *s, int32_t n); /* n -1 -> null */
void brk_write_bytes(brk_writer_t *w, const void *data, int32_t n); /* n -1 -> null */
void brk_write_compact_string(brk_writer_t *w, const char *s);
void brk_write_compact_array_len(brk_writer_t *w, int32_t n);       /* -1 -> null */
void brk_write_empty_tagged_fields(brk_writer_t *w);
/* Reserves 4 bytes and returns their position, for lengths/counts known later. */
size_t brk_write_placeholder_i32(brk_writer_t *w);
void brk_writer_patch_i32(brk_writer_t *w, size_t pos, int32_t v);

#endif
