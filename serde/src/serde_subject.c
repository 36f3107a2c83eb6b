// SPDX-License-Identifier: Apache-2.0
/* Subject name strategies (Confluent's TopicNameStrategy, RecordNameStrategy,
 * TopicRecordNameStrategy) and Confluent wire-format framing: the one place
 * that knows the subject a record goes under and the 5-byte prefix it
 * carries. */
#include <stdio.h>
#include <string.h>

#include "serde_core.h"

const char *serde_schema_record_name(const serde_schema_t *schema) {
  if (!schema) {
    return NULL;
  }
  if (schema->pb) { /* Java: the first message (its descriptor's full name) */
    const sch_pb_file_t *file = sch_pb_schema_file(schema->pb);
    return file && file->n_messages ? file->messages[0]->full_name : NULL;
  }
  return schema->root && schema->root->kind == SCH_AVRO_RECORD ? schema->root->name.full : NULL;
}

serde_code_t serde__subject(serde_t *sd, const char *topic, serde_side_t side, const serde_schema_t *schema,
                            char *out, size_t size, serde_error_t *err) {
  serde_strategy_t strategy = side == SERDE_KEY ? sd->conf->key_strategy : sd->conf->value_strategy;
  const char *record = serde_schema_record_name(schema);
  if (strategy != SERDE_STRATEGY_TOPIC && !record) {
    const char *got = !schema        ? "none"
                      : schema->pb   ? "a .proto without messages"
                      : schema->root ? sch_avro_kind_name(schema->root->kind)
                                     : "none";
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "%s needs a record schema, got %s",
                       strategy == SERDE_STRATEGY_RECORD ? "RecordNameStrategy" : "TopicRecordNameStrategy", got);
  }
  return serde__subject_record(sd, topic, side, record, out, size, err);
}

serde_code_t serde__subject_record(serde_t *sd, const char *topic, serde_side_t side, const char *record,
                                   char *out, size_t size, serde_error_t *err) {
  serde_strategy_t strategy = side == SERDE_KEY ? sd->conf->key_strategy : sd->conf->value_strategy;
  if (strategy != SERDE_STRATEGY_TOPIC && !record) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "a record name is needed to name the subject");
  }
  if (strategy != SERDE_STRATEGY_RECORD && (!topic || !*topic)) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "a topic is needed to name the subject");
  }
  /* Built with memcpy: this runs per record when the topic table misses. */
  const char *first = strategy == SERDE_STRATEGY_RECORD ? record : topic;
  const char *second = strategy == SERDE_STRATEGY_TOPIC ? (side == SERDE_KEY ? "key" : "value") : record;
  bool two = strategy != SERDE_STRATEGY_RECORD;
  size_t l1 = strlen(first), l2 = two ? strlen(second) : 0;
  size_t total = l1 + (two ? 1 + l2 : 0);
  if (total >= size) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "subject name longer than %zu bytes", size ? size - 1 : 0);
  }
  memcpy(out, first, l1);
  if (two) {
    out[l1] = '-';
    memcpy(out + l1 + 1, second, l2);
  }
  out[total] = '\0';
  return SERDE_OK;
}

serde_code_t serde_subject_name(serde_t *sd, const char *topic, serde_side_t side, const serde_schema_t *schema,
                                char *out, size_t size, serde_error_t *err) {
  if (!sd || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and output buffer are required");
  }
  return serde__subject(sd, topic, side, schema, out, size, err);
}

serde_code_t serde_frame_parse(const uint8_t *data, size_t len, serde_frame_t *out, serde_error_t *err) {
  if (!data || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "data and out are required");
  }
  if (len < 5) {
    return serde__fail(err, SERDE_ERR_FRAMING, "record of %zu bytes is shorter than the 5-byte schema id framing",
                       len);
  }
  if (data[0] != 0) {
    return serde__fail(err, SERDE_ERR_FRAMING, "unknown magic byte %u (expected 0)", data[0]);
  }
  uint32_t id = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 | data[4];
  out->version = 0;
  out->id = (int32_t)id;
  out->payload = data + 5;
  out->payload_len = len - 5;
  return SERDE_OK;
}
