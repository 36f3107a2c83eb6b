// SPDX-License-Identifier: Apache-2.0
/* Kafka protocol primitives (shared/spec/kafka-broker.md §1.1): the
 * bounds-checked frame reader and the growable response writer declared in
 * brk_codec.h. Knows nothing about APIs or messages; a reader that fails
 * stays failed and yields zeros so handlers check once at the end. */
#include "brk_codec.h"

#include <stdlib.h>
#include <string.h>

void brk_reader_init(brk_reader_t *r, const uint8_t *data, size_t len) {
  r->p = data;
  r->end = data + len;
  r->failed = false;
}

bool brk_reader_ok(const brk_reader_t *r) { return !r->failed; }

size_t brk_reader_remaining(const brk_reader_t *r) { return r->failed ? 0 : (size_t)(r->end - r->p); }

/* Returns a pointer to n readable bytes and advances, or NULL (and fails). */
static const uint8_t *take(brk_reader_t *r, size_t n) {
  if (r->failed || (size_t)(r->end - r->p) < n) {
    r->failed = true;
    return NULL;
  }
  const uint8_t *q = r->p;
  r->p += n;
  return q;
}

int8_t brk_read_i8(brk_reader_t *r) {
  const uint8_t *q = take(r, 1);
  return q ? (int8_t)q[0] : 0;
}

int16_t brk_read_i16(brk_reader_t *r) {
  const uint8_t *q = take(r, 2);
  return q ? (int16_t)(uint16_t)((uint16_t)q[0] << 8 | q[1]) : 0;
}

int32_t brk_read_i32(brk_reader_t *r) {
  const uint8_t *q = take(r, 4);
  if (!q) return 0;
  return (int32_t)((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3]);
}

int64_t brk_read_i64(brk_reader_t *r) {
  const uint8_t *q = take(r, 8);
  if (!q) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | q[i];
  return (int64_t)v;
}

/* Unsigned LEB128 of at most max_bytes bytes. */
static uint64_t read_leb(brk_reader_t *r, int max_bytes) {
  uint64_t v = 0;
  for (int i = 0; i < max_bytes; i++) {
    const uint8_t *q = take(r, 1);
    if (!q) return 0;
    v |= (uint64_t)(q[0] & 0x7f) << (7 * i);
    if (!(q[0] & 0x80)) return v;
  }
  r->failed = true;
  return 0;
}

uint32_t brk_read_uvarint(brk_reader_t *r) {
  uint64_t v = read_leb(r, 5);
  if (v > UINT32_MAX) {
    r->failed = true;
    return 0;
  }
  return (uint32_t)v;
}

int32_t brk_read_varint(brk_reader_t *r) {
  uint32_t u = brk_read_uvarint(r);
  return (int32_t)((u >> 1) ^ (~(u & 1) + 1));
}

int64_t brk_read_varlong(brk_reader_t *r) {
  uint64_t u = read_leb(r, 10);
  return (int64_t)((u >> 1) ^ (~(u & 1) + 1));
}

static brk_slice_t slice_of(brk_reader_t *r, int64_t len) {
  brk_slice_t s = {NULL, -1};
  if (len < 0) {
    if (len != -1) r->failed = true;
    return s;
  }
  const uint8_t *q = take(r, (size_t)len);
  if (q) {
    s.ptr = q;
    s.len = (int32_t)len;
  }
  return s;
}

brk_slice_t brk_read_string(brk_reader_t *r) { return slice_of(r, brk_read_i16(r)); }
brk_slice_t brk_read_bytes(brk_reader_t *r) { return slice_of(r, brk_read_i32(r)); }

brk_slice_t brk_read_compact_string(brk_reader_t *r) {
  uint32_t n = brk_read_uvarint(r);
  if (r->failed) return (brk_slice_t){NULL, -1};
  return slice_of(r, (int64_t)n - 1);
}

brk_slice_t brk_read_compact_bytes(brk_reader_t *r) { return brk_read_compact_string(r); }

static int32_t check_count(brk_reader_t *r, int64_t n, size_t min_elem_bytes) {
  if (r->failed || n < 0) return 0;
  size_t rem = (size_t)(r->end - r->p);
  if (n > INT32_MAX || (min_elem_bytes > 0 && (uint64_t)n > rem / min_elem_bytes)) {
    r->failed = true;
    return 0;
  }
  return (int32_t)n;
}

int32_t brk_read_array_len(brk_reader_t *r, size_t min_elem_bytes) {
  int32_t n = brk_read_i32(r);
  if (n < -1) r->failed = true;
  return check_count(r, n, min_elem_bytes);
}

int32_t brk_read_compact_array_len(brk_reader_t *r, size_t min_elem_bytes) {
  uint32_t n = brk_read_uvarint(r);
  return check_count(r, (int64_t)n - 1, min_elem_bytes);
}

void brk_skip_tagged_fields(brk_reader_t *r) {
  uint32_t n = brk_read_uvarint(r);
  if (n > brk_reader_remaining(r) / 2) {
    r->failed = true;
    return;
  }
  for (uint32_t i = 0; i < n && !r->failed; i++) {
    (void)brk_read_uvarint(r); /* tag */
    uint32_t size = brk_read_uvarint(r);
    (void)take(r, size);
  }
}

/* ---- writer ------------------------------------------------------------------ */

void brk_writer_fini(brk_writer_t *w) {
  free(w->buf);
  w->buf = NULL;
  w->len = w->cap = 0;
}

bool brk_writer_ok(const brk_writer_t *w) { return !w->failed; }

/* Makes room for n more bytes; returns the write position or NULL. */
static uint8_t *grow(brk_writer_t *w, size_t n) {
  if (w->failed) return NULL;
  if (w->cap - w->len < n) {
    size_t cap = w->cap ? w->cap : 256;
    while (cap - w->len < n) {
      if (cap > SIZE_MAX / 2) {
        w->failed = true;
        return NULL;
      }
      cap *= 2;
    }
    uint8_t *nb = realloc(w->buf, cap);
    if (!nb) {
      w->failed = true;
      return NULL;
    }
    w->buf = nb;
    w->cap = cap;
  }
  uint8_t *q = w->buf + w->len;
  w->len += n;
  return q;
}

static void put_be(brk_writer_t *w, uint64_t v, int n) {
  uint8_t *q = grow(w, (size_t)n);
  if (!q) return;
  for (int i = n - 1; i >= 0; i--) {
    q[i] = (uint8_t)v;
    v >>= 8;
  }
}

void brk_write_i8(brk_writer_t *w, int8_t v) { put_be(w, (uint8_t)v, 1); }
void brk_write_i16(brk_writer_t *w, int16_t v) { put_be(w, (uint16_t)v, 2); }
void brk_write_i32(brk_writer_t *w, int32_t v) { put_be(w, (uint32_t)v, 4); }
void brk_write_i64(brk_writer_t *w, int64_t v) { put_be(w, (uint64_t)v, 8); }

static void put_leb(brk_writer_t *w, uint64_t v) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t b = (uint8_t)(v & 0x7f);
    v >>= 7;
    tmp[n++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
  brk_write_raw(w, tmp, n);
}

void brk_write_uvarint(brk_writer_t *w, uint32_t v) { put_leb(w, v); }
void brk_write_varint(brk_writer_t *w, int32_t v) { put_leb(w, (uint32_t)(((uint32_t)v << 1) ^ (uint32_t)(v >> 31))); }
void brk_write_varlong(brk_writer_t *w, int64_t v) { put_leb(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63)); }

void brk_write_raw(brk_writer_t *w, const void *data, size_t len) {
  if (len == 0) return;
  uint8_t *q = grow(w, len);
  if (q) memcpy(q, data, len);
}

void brk_write_string(brk_writer_t *w, const char *s) {
  brk_write_string_n(w, s, s ? (int32_t)strnlen(s, INT16_MAX) : -1);
}

void brk_write_string_n(brk_writer_t *w, const void *s, int32_t n) {
  if (n < 0 || !s) {
    brk_write_i16(w, -1);
    return;
  }
  if (n > INT16_MAX) n = INT16_MAX;
  brk_write_i16(w, (int16_t)n);
  brk_write_raw(w, s, (size_t)n);
}

void brk_write_bytes(brk_writer_t *w, const void *data, int32_t n) {
  if (n < 0 || (!data && n > 0)) {
    brk_write_i32(w, -1);
    return;
  }
  brk_write_i32(w, n);
  brk_write_raw(w, data, (size_t)n);
}

void brk_write_compact_string(brk_writer_t *w, const char *s) {
  if (!s) {
    brk_write_uvarint(w, 0);
    return;
  }
  size_t n = strlen(s);
  brk_write_uvarint(w, (uint32_t)n + 1);
  brk_write_raw(w, s, n);
}

void brk_write_compact_array_len(brk_writer_t *w, int32_t n) { brk_write_uvarint(w, n < 0 ? 0 : (uint32_t)n + 1); }

void brk_write_empty_tagged_fields(brk_writer_t *w) { brk_write_uvarint(w, 0); }

size_t brk_write_placeholder_i32(brk_writer_t *w) {
  size_t pos = w->len;
  brk_write_i32(w, 0);
  return pos;
}

void brk_writer_patch_i32(brk_writer_t *w, size_t pos, int32_t v) {
  if (w->failed || pos + 4 > w->len) return;
  uint32_t u = (uint32_t)v;
  w->buf[pos] = (uint8_t)(u >> 24);
  w->buf[pos + 1] = (uint8_t)(u >> 16);
  w->buf[pos + 2] = (uint8_t)(u >> 8);
  w->buf[pos + 3] = (uint8_t)u;
}
