// SPDX-License-Identifier: Apache-2.0
/* protobuf-c generated messages in and out of the Confluent frame. The
 * message's descriptor names the message in the schema (the .proto the
 * code was generated from: protobuf-c embeds no descriptor of its own), so
 * the indexes and, under RecordNameStrategy, the subject follow from it;
 * protobuf-c packs and unpacks the payload. Because unpack recurses without
 * a limit, every record is first walked for nesting depth (pb_depth.c). */
#include <string.h>

#include "pb_codec.h"
#include "serde_core.h"

serde_code_t serde_serialize_protobuf(serde_t *sd, const char *topic, serde_side_t side,
                                      serde_schema_t *schema, const ProtobufCMessage *msg, serde_buf_t *out,
                                      serde_error_t *err) {
  serde_error_t local; /* not zeroed: only filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !msg || !out || !msg->descriptor ||
      msg->descriptor->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG,
                       "handle, schema, a protobuf-c message and out are required");
  }
  const sch_pb_message_t *m = serde__pb_pick(schema, msg->descriptor->name, err);
  if (!m) {
    return err->code;
  }
  if (!protobuf_c_message_check(msg)) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "message %s lacks a required field",
                       msg->descriptor->name);
  }
  int32_t id = -1;
  serde_schema_t *target = NULL;
  const sch_pb_message_t *wm = NULL;
  serde_code_t rc = serde__pb_choose(sd, topic, side, schema, m, &id, &target, &wm, err);
  if (rc == SERDE_OK) {
    rc = serde__pb_frame_start(out, id, wm, sd->conf->pb_deprecated_format, err);
  }
  if (rc == SERDE_OK) {
    size_t size = protobuf_c_message_get_packed_size(msg);
    if (serde__buf_reserve(out, size) != SERDE_OK) {
      rc = serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
      out->len = 0;
    } else {
      out->len += protobuf_c_message_pack(msg, out->data + out->len);
    }
  }
  serde_schema_unref(target);
  return rc;
}

serde_code_t serde_deserialize_protobuf(serde_t *sd, const char *topic, serde_side_t side,
                                        const uint8_t *data, size_t len,
                                        const ProtobufCMessageDescriptor *desc, ProtobufCMessage **out,
                                        serde_schema_t **writer, serde_error_t *err) {
  serde_error_t local; /* not zeroed: only filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  (void)topic; /* the descriptor is the reader: no subject is needed */
  (void)side;
  if (writer) {
    *writer = NULL;
  }
  if (!sd || !out || !desc || desc->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle, a protobuf-c descriptor and out are required");
  }
  *out = NULL;
  if (!data) { /* a Kafka null (tombstone) stays null */
    return SERDE_OK;
  }
  serde_pb_frame_t frame;
  serde_schema_t *w = NULL;
  const sch_pb_message_t *m = NULL;
  serde_code_t rc = serde__pb_read_frame(sd, data, len, &frame, &w, &m, err);
  if (rc == SERDE_OK && strcmp(m->full_name, desc->name) != 0) {
    rc = serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "the record holds %s (schema id %d), not %s",
                     m->full_name, frame.id, desc->name);
  }
  if (rc == SERDE_OK) {
    rc = serde__pb_check_depth(desc, frame.payload, frame.payload_len, SERDE_PB_MAX_DEPTH, err);
  }
  if (rc == SERDE_OK) {
    *out = protobuf_c_message_unpack(desc, NULL, frame.payload_len, frame.payload);
    if (!*out) {
      rc = serde__fail(err, SERDE_ERR_PAYLOAD_INVALID,
                       "protobuf-c cannot unpack the record as %s (schema id %d)", desc->name, frame.id);
    }
  }
  if (rc == SERDE_OK && writer) {
    *writer = w;
  } else {
    serde_schema_unref(w);
  }
  return rc;
}
