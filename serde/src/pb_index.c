// SPDX-License-Identifier: Apache-2.0
/* Protobuf message indexes in the Confluent frame (serde.md §1.3): the path
 * of the payload's message in its .proto file, written between the schema
 * id and the payload as a count and the indexes, each a zigzag varint
 * (Kafka's ByteUtils.writeVarint), with [0] shortened to the single byte 0x00.
 * The legacy form of old Python and Go clients (use.deprecated.format) uses
 * unsigned varints. Which message a path names is the schemas module's
 * business (sch_pb_message_at). */
#include <stdio.h>

#include "pb_codec.h"

_Static_assert(SCH_PB_MAX_INDEXES <= SERDE_PB_MAX_INDEXES, "serde.h must hold every path the schemas allow");

static serde_code_t put_varint32(serde_buf_t *out, uint32_t u) {
  uint8_t tmp[5];
  size_t n = 0;
  while (u >= 0x80) {
    tmp[n++] = (uint8_t)(u | 0x80);
    u >>= 7;
  }
  tmp[n++] = (uint8_t)u;
  return serde__buf_put(out, tmp, n);
}

static uint32_t zigzag(int32_t v) {
  return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static serde_code_t put_int(serde_buf_t *out, int32_t v, bool deprecated) {
  return put_varint32(out, deprecated ? (uint32_t)v : zigzag(v));
}

serde_code_t serde__pb_indexes_write(serde_buf_t *out, const int32_t *indexes, size_t n, bool deprecated,
                                     serde_error_t *err) {
  if (n == 0 || n > SCH_PB_MAX_INDEXES) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "a message path has 1 to %d indexes, not %zu",
                       SCH_PB_MAX_INDEXES, n);
  }
  for (size_t i = 0; i < n; i++) {
    if (indexes[i] < 0) {
      return serde__fail(err, SERDE_ERR_INVALID_ARG, "message index %d is negative", indexes[i]);
    }
  }
  if (n == 1 && indexes[0] == 0) {
    return serde__buf_putc(out, 0) == SERDE_OK ? SERDE_OK
                                               : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde_code_t rc = put_int(out, (int32_t)n, deprecated);
  for (size_t i = 0; rc == SERDE_OK && i < n; i++) {
    rc = put_int(out, indexes[i], deprecated);
  }
  return rc == SERDE_OK ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
}

/* One varint of at most 32 bits (5 bytes, as Kafka's readVarint). */
static bool get_varint32(const uint8_t *data, size_t len, size_t *at, uint32_t *out) {
  uint32_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (*at >= len) {
      return false;
    }
    uint8_t b = data[(*at)++];
    if (shift == 28 && (b & 0xf0)) {
      return false; /* more than 32 bits */
    }
    v |= (uint32_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

static bool get_int(const uint8_t *data, size_t len, size_t *at, bool deprecated, int32_t *out) {
  uint32_t u = 0;
  if (!get_varint32(data, len, at, &u)) {
    return false;
  }
  *out = deprecated ? (int32_t)u : (int32_t)((u >> 1) ^ (0u - (u & 1)));
  return true;
}

#define MALFORMED "message indexes are absent or malformed: "

serde_code_t serde__pb_indexes_read(const uint8_t *data, size_t len, bool deprecated, int32_t *indexes,
                                    size_t *n, size_t *used, serde_error_t *err) {
  size_t at = 0;
  int32_t count = 0;
  if (!get_int(data, len, &at, deprecated, &count)) {
    return serde__fail(err, SERDE_ERR_FRAMING, MALFORMED "the count is %s",
                       at >= len ? "missing or truncated" : "over 32 bits");
  }
  if (count < 0 || count > SERDE_PB_MAX_INDEX_COUNT) {
    return serde__fail(err, SERDE_ERR_FRAMING, MALFORMED "invalid count %d", count);
  }
  if (count > SCH_PB_MAX_INDEXES) {
    return serde__fail(err, SERDE_ERR_FRAMING, MALFORMED "a path of %d indexes is deeper than %d", count,
                       SCH_PB_MAX_INDEXES);
  }
  if (count == 0) {
    indexes[0] = 0;
    *n = 1;
    *used = at;
    return SERDE_OK;
  }
  for (int32_t i = 0; i < count; i++) {
    if (!get_int(data, len, &at, deprecated, &indexes[i])) {
      return serde__fail(err, SERDE_ERR_FRAMING, MALFORMED "index %d of %d is truncated or over 32 bits", i,
                         count);
    }
    if (indexes[i] < 0) {
      return serde__fail(err, SERDE_ERR_FRAMING, MALFORMED "index %d is negative (%d)", i, indexes[i]);
    }
  }
  *n = (size_t)count;
  *used = at;
  return SERDE_OK;
}

void serde__pb_indexes_text(const int32_t *indexes, size_t n, char *out, size_t size) {
  if (!size) {
    return;
  }
  size_t at = 0;
  out[0] = '\0';
  for (size_t i = 0; i <= n && at < size; i++) {
    int w = i == n ? snprintf(out + at, size - at, "]")
                   : snprintf(out + at, size - at, "%s%d", i ? ", " : "[", indexes[i]);
    if (w < 0) {
      return;
    }
    at += (size_t)w;
  }
}
