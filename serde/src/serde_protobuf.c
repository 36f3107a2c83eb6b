// SPDX-License-Identifier: Apache-2.0
/* The serde's Protobuf entry points for JSON and the frame: message
 * indexes after the 5-byte prefix (pb_index.c encodes them), the message a
 * path names, and proto3 JSON serialized and deserialized through the
 * registry (subject and id chosen by serde__choose, as for Avro) or framed
 * with an id the caller chose. The codec itself is pb_*.c's; protobuf-c
 * generated messages are serde_protobuf_c.c's; schemas with imports are
 * serde_protobuf_schema.c's. */
#include <string.h>

#include "pb_codec.h"
#include "serde_core.h"

/* ---- messages and frames --------------------------------------------------------------- */

const sch_pb_message_t *serde__pb_pick(const serde_schema_t *schema, const char *name, serde_error_t *err) {
  if (!schema || !schema->pb) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "the schema is %s, not PROTOBUF",
                schema ? schema->type : "missing");
    return NULL;
  }
  const sch_pb_file_t *file = sch_pb_schema_file(schema->pb);
  if (!name) {
    if (!file->n_messages) {
      serde__fail(err, SERDE_ERR_INVALID_ARG, "the .proto defines no message");
      return NULL;
    }
    return file->messages[0];
  }
  const sch_pb_message_t *m = sch_pb_find_message(schema->pb, name);
  if (!m || m->file != file) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "message \"%s\" is not defined in the schema's .proto file",
                name);
    return NULL;
  }
  return m;
}

const char *serde_protobuf_message_name(const serde_schema_t *schema, const int32_t *indexes, size_t n) {
  if (!schema || !schema->pb || (n && !indexes)) {
    return NULL;
  }
  const sch_pb_message_t *m = sch_pb_message_at(sch_pb_schema_file(schema->pb), indexes, n);
  return m ? m->full_name : NULL;
}

size_t serde_protobuf_message_indexes(const serde_schema_t *schema, const char *message, int32_t *out,
                                      size_t cap) {
  const sch_pb_message_t *m = serde__pb_pick(schema, message, NULL);
  return m ? sch_pb_message_indexes(m, out, cap) : 0;
}

serde_code_t serde__pb_frame_start(serde_buf_t *out, int32_t id, const sch_pb_message_t *m, bool deprecated,
                                   serde_error_t *err) {
  int32_t idx[SCH_PB_MAX_INDEXES];
  size_t n = sch_pb_message_indexes(m, idx, SCH_PB_MAX_INDEXES);
  out->len = 0;
  if (n == 0 || n > SCH_PB_MAX_INDEXES) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "message %s has no index path of at most %d entries",
                       m->full_name, SCH_PB_MAX_INDEXES);
  }
  if (serde__buf_reserve(out, SERDE_FRAME_LEN + 1) != SERDE_OK) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde__frame_put(out->data, id);
  out->len = SERDE_FRAME_LEN;
  serde_code_t rc = serde__pb_indexes_write(out, idx, n, deprecated, err);
  if (rc != SERDE_OK) {
    out->len = 0;
  }
  return rc;
}

serde_code_t serde_protobuf_frame_parse(const serde_t *sd, const uint8_t *data, size_t len,
                                        serde_pb_frame_t *out, serde_error_t *err) {
  serde_frame_t f;
  SERDE_TRY(serde_frame_parse(data, len, &f, err));
  if (!out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "out is required");
  }
  size_t used = 0;
  bool deprecated = sd && sd->conf->pb_deprecated_format;
  SERDE_TRY(serde__pb_indexes_read(f.payload, f.payload_len, deprecated, out->indexes, &out->n_indexes, &used,
                                   err));
  out->id = f.id;
  out->payload = f.payload + used;
  out->payload_len = f.payload_len - used;
  return SERDE_OK;
}

serde_code_t serde__pb_read_frame(serde_t *sd, const uint8_t *data, size_t len, serde_pb_frame_t *frame,
                                  serde_schema_t **writer, const sch_pb_message_t **m, serde_error_t *err) {
  *writer = NULL;
  SERDE_TRY(serde_protobuf_frame_parse(sd, data, len, frame, err));
  serde_schema_t *w = serde_schema_by_id(sd, frame->id, err);
  if (!w) {
    return err->code;
  }
  *writer = w;
  if (!w->pb) {
    return serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "schema id %d is %s, not PROTOBUF", frame->id,
                       w->type);
  }
  *m = sch_pb_message_at(sch_pb_schema_file(w->pb), frame->indexes, frame->n_indexes);
  if (!*m) {
    char path[256];
    serde__pb_indexes_text(frame->indexes, frame->n_indexes, path, sizeof path);
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID,
                       "invalid message indexes: path %s points at nothing in schema id %d", path, frame->id);
  }
  return SERDE_OK;
}

serde_code_t serde__pb_choose(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                              const sch_pb_message_t *m, int32_t *id, serde_schema_t **target,
                              const sch_pb_message_t **wm, serde_error_t *err) {
  const sch_pb_file_t *file = sch_pb_schema_file(schema->pb);
  const char *record = file->n_messages && file->messages[0] == m ? NULL : m->full_name;
  SERDE_TRY(serde__choose(sd, topic, side, schema, record, id, target, err));
  *wm = m;
  if (*target) {
    serde_error_t local;
    *wm = serde__pb_pick(*target, m->full_name, &local);
    if (!*wm) {
      serde_schema_unref(*target);
      *target = NULL;
      return serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "schema id %d does not define message %s", *id,
                         m->full_name);
    }
  }
  return SERDE_OK;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

serde_code_t serde_protobuf_to_json(const serde_schema_t *schema, const char *message, const uint8_t *payload,
                                    size_t len, serde_buf_t *out, serde_error_t *err) {
  if (!out || (!payload && len)) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "payload and out are required");
  }
  const sch_pb_message_t *m = serde__pb_pick(schema, message, err);
  if (!m) {
    return SERDE_ERR_INVALID_ARG;
  }
  out->len = 0;
  return serde__pb_to_json(schema->pb, m, payload ? payload : (const uint8_t *)"", len, out, err);
}

serde_code_t serde_protobuf_from_json(const serde_schema_t *schema, const char *message, const char *json,
                                      size_t len, serde_buf_t *out, serde_error_t *err) {
  if (!out || !json) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "json and out are required");
  }
  const sch_pb_message_t *m = serde__pb_pick(schema, message, err);
  if (!m) {
    return SERDE_ERR_INVALID_ARG;
  }
  out->len = 0;
  return serde__pb_from_json(schema->pb, m, json, len, out, err);
}

/* 0x00 | id | indexes of m | binary of json, into out. */
static serde_code_t frame_json(const serde_schema_t *schema, const sch_pb_message_t *m, int32_t id,
                               bool deprecated, const char *json, size_t len, serde_buf_t *out,
                               serde_error_t *err) {
  serde_code_t rc = serde__pb_frame_start(out, id, m, deprecated, err);
  if (rc == SERDE_OK) {
    rc = serde__pb_from_json(schema->pb, m, json, len, out, err);
  }
  if (rc != SERDE_OK) {
    out->len = 0;
  }
  return rc;
}

serde_code_t serde_frame_protobuf_json(const serde_schema_t *schema, int32_t id, const char *message,
                                       const char *json, size_t len, serde_buf_t *out, serde_error_t *err) {
  serde_error_t local;
  err = err ? err : &local;
  if (!json || !out || id < 0) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "a non-negative id, json and out are required");
  }
  const sch_pb_message_t *m = serde__pb_pick(schema, message, err);
  if (!m) {
    return err->code;
  }
  bool deprecated = schema->owner && schema->owner->conf->pb_deprecated_format;
  return frame_json(schema, m, id, deprecated, json, len, out, err);
}

serde_code_t serde_serialize_protobuf_json(serde_t *sd, const char *topic, serde_side_t side,
                                           serde_schema_t *schema, const char *message, const char *json,
                                           size_t len, serde_buf_t *out, serde_error_t *err) {
  serde_error_t local; /* not zeroed: only filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !json || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle, schema, json and out are required");
  }
  const sch_pb_message_t *m = serde__pb_pick(schema, message, err);
  if (!m) {
    return err->code;
  }
  int32_t id = -1;
  serde_schema_t *target = NULL;
  const sch_pb_message_t *wm = NULL;
  serde_code_t rc = serde__pb_choose(sd, topic, side, schema, m, &id, &target, &wm, err);
  if (rc == SERDE_OK) {
    rc = frame_json(target ? target : schema, wm, id, sd->conf->pb_deprecated_format, json, len, out, err);
  }
  serde_schema_unref(target);
  return rc;
}

serde_code_t serde_deserialize_protobuf_json(serde_t *sd, const char *topic, serde_side_t side,
                                             const uint8_t *data, size_t len, serde_buf_t *out,
                                             serde_schema_t **writer, serde_error_t *err) {
  serde_error_t local; /* not zeroed: only filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  (void)topic; /* JSON shows the record as written: no reader schema, so no subject */
  (void)side;
  if (writer) {
    *writer = NULL;
  }
  if (!sd || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and out are required");
  }
  out->len = 0;
  if (!data) {
    return serde__buf_puts(out, "null") == SERDE_OK ? SERDE_OK
                                                    : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde_pb_frame_t frame;
  serde_schema_t *w = NULL;
  const sch_pb_message_t *m = NULL;
  serde_code_t rc = serde__pb_read_frame(sd, data, len, &frame, &w, &m, err);
  if (rc == SERDE_OK) {
    rc = serde__pb_to_json(w->pb, m, frame.payload, frame.payload_len, out, err);
    if (rc != SERDE_OK) {
      serde__error_prefix(err, "record with schema id %d (%s)", frame.id, m->full_name);
    }
  }
  if (rc == SERDE_OK && writer) {
    *writer = w;
  } else {
    serde_schema_unref(w);
  }
  return rc;
}
