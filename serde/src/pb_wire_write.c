// SPDX-License-Identifier: Apache-2.0
/* Writing the Protobuf wire format into a serde_buf_t: varints, tags, fixed
 * values, scalars of each field type as protoc's C++ writes them (negative
 * int32 and enum values sign-extended to ten bytes), and length-delimited
 * content whose length is patched in once the content is written. Which
 * fields to write, and in what order, is pb_json_in.c's business. */
#include <string.h>

#include "pb_int.h"

serde_code_t serde__pb_put_varint(serde_buf_t *b, uint64_t v) {
  if (serde__buf_reserve(b, 10) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  uint8_t *p = b->data + b->len;
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (uint8_t)v;
  b->len += n;
  return SERDE_OK;
}

serde_code_t serde__pb_put_tag(serde_buf_t *b, int32_t number, int wire) {
  return serde__pb_put_varint(b, (uint64_t)(uint32_t)number << 3 | (uint64_t)wire);
}

serde_code_t serde__pb_put_fixed32(serde_buf_t *b, uint32_t v) {
  uint8_t p[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  return serde__buf_put(b, p, sizeof p);
}

serde_code_t serde__pb_put_fixed64(serde_buf_t *b, uint64_t v) {
  uint8_t p[8];
  for (int i = 0; i < 8; i++) {
    p[i] = (uint8_t)(v >> (8 * i));
  }
  return serde__buf_put(b, p, sizeof p);
}

serde_code_t serde__pb_len_begin(serde_buf_t *b, size_t *pos) {
  if (serde__buf_putc(b, 0) != SERDE_OK) {
    return SERDE_ERR_NOMEM;
  }
  *pos = b->len;
  return SERDE_OK;
}

serde_code_t serde__pb_len_end(serde_buf_t *b, size_t pos) {
  size_t len = b->len - pos;
  uint8_t tmp[10];
  size_t n = 0;
  uint64_t v = len;
  while (v >= 0x80) {
    tmp[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  tmp[n++] = (uint8_t)v;
  if (n > 1) { /* one byte was reserved; make room for the rest */
    if (serde__buf_reserve(b, n - 1) != SERDE_OK) {
      return SERDE_ERR_NOMEM;
    }
    memmove(b->data + pos + n - 1, b->data + pos, len);
    b->len += n - 1;
  }
  memcpy(b->data + pos - 1, tmp, n);
  return SERDE_OK;
}

static uint64_t zigzag32(uint64_t u) {
  int32_t v = (int32_t)(uint32_t)u;
  return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static uint64_t zigzag64(uint64_t u) {
  int64_t v = (int64_t)u;
  return (u << 1) ^ (uint64_t)(v >> 63);
}

serde_code_t serde__pb_put_scalar(serde_buf_t *b, sch_pb_type_t t, const pb_scalar_t *v) {
  float f = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  switch (t) {
    case SCH_PB_INT32:
    case SCH_PB_ENUM: /* sign-extended: a negative value takes ten bytes */
      return serde__pb_put_varint(b, (uint64_t)(int64_t)(int32_t)(uint32_t)v->u);
    case SCH_PB_UINT32:
      return serde__pb_put_varint(b, (uint32_t)v->u);
    case SCH_PB_SINT32:
      return serde__pb_put_varint(b, zigzag32(v->u));
    case SCH_PB_SINT64:
      return serde__pb_put_varint(b, zigzag64(v->u));
    case SCH_PB_BOOL:
      return serde__pb_put_varint(b, v->u ? 1 : 0);
    case SCH_PB_FIXED32:
    case SCH_PB_SFIXED32:
      return serde__pb_put_fixed32(b, (uint32_t)v->u);
    case SCH_PB_FIXED64:
    case SCH_PB_SFIXED64:
      return serde__pb_put_fixed64(b, v->u);
    case SCH_PB_FLOAT:
      f = (float)v->d;
      memcpy(&u32, &f, sizeof u32);
      return serde__pb_put_fixed32(b, u32);
    case SCH_PB_DOUBLE:
      memcpy(&u64, &v->d, sizeof u64);
      return serde__pb_put_fixed64(b, u64);
    case SCH_PB_STRING:
    case SCH_PB_BYTES:
      if (serde__pb_put_varint(b, v->n) != SERDE_OK) {
        return SERDE_ERR_NOMEM;
      }
      return serde__buf_put(b, v->s, v->n);
    default: /* INT64, UINT64 */
      return serde__pb_put_varint(b, v->u);
  }
}

bool serde__pb_scalar_is_default(sch_pb_type_t t, const pb_scalar_t *v) {
  float f = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  switch (t) {
    case SCH_PB_FLOAT: /* by bits, as C++: -0.0 is written */
      f = (float)v->d;
      memcpy(&u32, &f, sizeof u32);
      return u32 == 0;
    case SCH_PB_DOUBLE:
      memcpy(&u64, &v->d, sizeof u64);
      return u64 == 0;
    case SCH_PB_STRING:
    case SCH_PB_BYTES:
      return v->n == 0;
    case SCH_PB_INT32:
    case SCH_PB_UINT32:
    case SCH_PB_SINT32:
    case SCH_PB_FIXED32:
    case SCH_PB_SFIXED32:
    case SCH_PB_ENUM:
      return (uint32_t)v->u == 0;
    default:
      return v->u == 0;
  }
}
