// SPDX-License-Identifier: Apache-2.0
/* A nesting guard for protobuf-c: protobuf_c_message_unpack recurses once
 * per nested message with no limit, so about 10,000 levels of a
 * self-nested message (34 KB) overflow the stack (serde.md §5.2). This walk
 * follows the same descriptors over the same bytes, iteratively, and
 * refuses input nested deeper than the limit before unpack sees it. It
 * checks nothing else: malformed bytes end the walk and are left to
 * unpack to report. */
#include "pb_int.h"

typedef struct level {
  const ProtobufCMessageDescriptor *desc;
  const uint8_t *p, *end;
} level_t;

/* Reads a varint without reporting errors; false when malformed. */
static bool varint(level_t *l, uint64_t *v) {
  pb_rd_t r = {l->p, l->end};
  if (serde__pb_rd_varint(&r, v, NULL) != SERDE_OK) {
    return false;
  }
  l->p = r.p;
  return true;
}

/* Skips one field's value; for a LEN value gives its span. */
static bool skip(level_t *l, int wire, const uint8_t **body, size_t *len) {
  uint64_t v = 0;
  size_t left = (size_t)(l->end - l->p);
  switch (wire) {
    case PB_VARINT:
      return varint(l, &v);
    case PB_I64:
    case PB_I32:
      if (left < (wire == PB_I64 ? 8u : 4u)) {
        return false;
      }
      l->p += wire == PB_I64 ? 8 : 4;
      return true;
    case PB_LEN:
      if (!varint(l, &v) || v > (uint64_t)(l->end - l->p)) {
        return false;
      }
      *body = l->p;
      *len = (size_t)v;
      l->p += v;
      return true;
    default: /* groups: protobuf-c rejects them */
      return false;
  }
}

serde_code_t serde__pb_check_depth(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                                   int max_depth, serde_error_t *err) {
  level_t stack[SERDE_PB_MAX_DEPTH + 1];
  int limit = max_depth < 0 ? 0 : max_depth > SERDE_PB_MAX_DEPTH ? SERDE_PB_MAX_DEPTH : max_depth;
  int n = 0;
  stack[n++] = (level_t){desc, data, data + len};
  while (n > 0) {
    level_t *top = &stack[n - 1];
    uint64_t tag = 0;
    const uint8_t *body = NULL;
    size_t body_len = 0;
    if (top->p >= top->end) {
      n--;
      continue;
    }
    if (!varint(top, &tag) || !skip(top, (int)(tag & 7), &body, &body_len)) {
      return SERDE_OK; /* malformed: unpack reports it */
    }
    if ((tag & 7) != PB_LEN || tag >> 3 > PB_MAX_FIELD_NUMBER) {
      continue;
    }
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(top->desc, (unsigned)(tag >> 3));
    if (!f || f->type != PROTOBUF_C_TYPE_MESSAGE || !f->descriptor) {
      continue;
    }
    if (n > limit) {
      return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "messages nest deeper than %d levels", limit);
    }
    stack[n++] = (level_t){f->descriptor, body, body + body_len};
  }
  return SERDE_OK;
}
