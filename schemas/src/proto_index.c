// SPDX-License-Identifier: Apache-2.0
/* Message indexes, the path the Confluent wire format writes before a
 * Protobuf payload: a message's position among the file's top-level
 * messages, then among each enclosing message's nested types in protoc's
 * nested_type order (map entries and groups count). Both directions: the
 * path of a message, and the message at a path. Encoding the path as
 * varints is the serde's business. */
#include "proto_resolve_int.h"

size_t sch_pb_message_indexes(const sch_pb_message_t *m, int32_t *out, size_t cap) {
  size_t n = 0;
  for (const sch_pb_message_t *p = m; p; p = p->parent) {
    n++;
  }
  if (n > cap) {
    return n;
  }
  size_t i = n;
  for (const sch_pb_message_t *p = m; p; p = p->parent) {
    out[--i] = ((const pb_message_t *)p)->index;
  }
  return n;
}

const sch_pb_message_t *sch_pb_message_at(const sch_pb_file_t *file, const int32_t *indexes, size_t n) {
  static const int32_t first[1] = {0};
  if (!file) {
    return NULL;
  }
  if (n == 0) {
    indexes = first;
    n = 1;
  }
  const sch_pb_message_t *const *level = file->messages;
  size_t count = file->n_messages;
  const sch_pb_message_t *m = NULL;
  for (size_t i = 0; i < n; i++) {
    if (indexes[i] < 0 || (size_t)indexes[i] >= count) {
      return NULL;
    }
    m = level[indexes[i]];
    level = m->nested;
    count = m->n_nested;
  }
  return m;
}
