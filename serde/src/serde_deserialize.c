// SPDX-License-Identifier: Apache-2.0
/* Deserializing: a Kafka null stays null with no registry call; otherwise
 * the frame gives the writer's id, the id cache gives the writer schema, and
 * the record is decoded by the resolver into the reader schema (the
 * application's, the subject's latest with use.latest.version, or the
 * writer's own). Also the JSON rendering used by tools and the REST proxy. */
#include <string.h>

#include "serde_core.h"


/* Makes out an empty value of schema, reusing it when it already is one. */
static serde_code_t prepare_value(const serde_schema_t *schema, avro_value_t *out, serde_error_t *err) {
  if (out->iface == schema->iface) {
    avro_value_reset(out);
    return SERDE_OK;
  }
  if (out->iface) {
    avro_value_decref(out);
    memset(out, 0, sizeof *out);
  }
  return serde_schema_value_new(schema, out, err);
}

/* The reader for use.latest.version: the latest of the subject the
 * strategy gives (record strategies name it after the writer's record). */
static serde_schema_t *latest_reader(serde_t *sd, const char *topic, serde_side_t side, const serde_schema_t *writer,
                                     serde_error_t *err) {
  char subject[SERDE_MAX_SUBJECT];
  if (serde__subject(sd, topic, side, writer, subject, sizeof subject, err) != SERDE_OK) {
    return NULL;
  }
  return serde_schema_latest(sd, subject, err);
}

/* What to decode and into which reader (NULL: the writer's own, or the
 * latest with use.latest.version unless as_written). */
typedef struct decode_req {
  const char *topic;
  serde_side_t side;
  serde_schema_t *reader;
  bool as_written;
} decode_req_t;

/* Decodes a framed, non-null record into out; *writer gets a reference. */
static serde_code_t decode_framed(serde_t *sd, const decode_req_t *req, const uint8_t *data, size_t len,
                                  avro_value_t *out, serde_schema_t **writer, serde_error_t *err) {
  serde_frame_t frame;
  serde_code_t rc = serde_frame_parse(data, len, &frame, err);
  if (rc != SERDE_OK) {
    return rc;
  }
  serde_schema_t *w = serde_schema_by_id(sd, frame.id, err);
  if (!w) {
    return err->code;
  }
  serde_schema_t *latest = NULL;
  serde_schema_t *reader = req->reader;
  if (!reader && !req->as_written && sd->conf->use_latest && w->avro) {
    latest = reader = latest_reader(sd, req->topic, req->side, w, err);
    if (!latest) {
      serde_schema_unref(w);
      return err->code;
    }
  }
  if (!w->avro || (reader && !reader->avro)) {
    rc = w->avro ? serde__fail(err, SERDE_ERR_INVALID_ARG, "the reader schema is %s, not AVRO", reader->type)
                 : serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "schema id %d is %s, not AVRO", frame.id, w->type);
    serde_schema_unref(latest);
    *writer = w;
    return rc;
  }
  const serde_avro_program_t *prog = serde__schema_program(w, reader, err);
  rc = prog ? prepare_value(reader ? reader : w, out, err) : err->code;
  if (rc == SERDE_OK) {
    rc = serde__avro_decode(prog, frame.payload, frame.payload_len, &sd->limits, out, err);
    if (rc != SERDE_OK) {
      serde__error_prefix(err, "record with schema id %d", frame.id);
    }
  }
  serde_schema_unref(latest);
  *writer = w;
  return rc;
}

/* The checks both deserialize entry points make; clears *writer. */
static serde_code_t check_entry(const serde_t *sd, const void *out, serde_schema_t **writer, serde_error_t *err) {
  if (writer) {
    *writer = NULL;
  }
  if (!sd || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and out are required");
  }
  return SERDE_OK;
}

serde_code_t serde_deserialize_avro(serde_t *sd, const char *topic, serde_side_t side, const uint8_t *data,
                                    size_t len, serde_schema_t *reader, avro_value_t *out,
                                    serde_schema_t **writer, serde_error_t *err) {
  serde_error_t local; /* not zeroed on the hot path; filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  SERDE_TRY(check_entry(sd, out, writer, err));
  if (!data) { /* a Kafka null (tombstone) stays null */
    if (out->iface) {
      avro_value_decref(out);
    }
    memset(out, 0, sizeof *out);
    return SERDE_OK;
  }
  serde_schema_t *w = NULL;
  decode_req_t req = {topic, side, reader, false};
  serde_code_t rc = decode_framed(sd, &req, data, len, out, &w, err);
  if (rc == SERDE_OK && writer) {
    *writer = w;
  } else {
    serde_schema_unref(w);
  }
  return rc;
}

serde_code_t serde_avro_to_json(const serde_schema_t *schema, const avro_value_t *value, serde_buf_t *out,
                                serde_error_t *err) {
  if (!schema || !value || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema, value and out are required");
  }
  out->len = 0;
  return serde__avro_to_json(schema->root, value, out, err);
}

serde_code_t serde_deserialize_avro_json(serde_t *sd, const char *topic, serde_side_t side, const uint8_t *data,
                                         size_t len, serde_buf_t *out, serde_schema_t **writer, serde_error_t *err) {
  serde_error_t local; /* not zeroed on the hot path; filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  SERDE_TRY(check_entry(sd, out, writer, err));
  out->len = 0;
  if (!data) {
    return serde__buf_puts(out, "null") == SERDE_OK ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  avro_value_t value = {0};
  serde_schema_t *w = NULL;
  /* JSON shows the writer's data as written: no reader schema. */
  decode_req_t req = {topic, side, NULL, true};
  serde_code_t rc = decode_framed(sd, &req, data, len, &value, &w, err);
  if (rc == SERDE_OK) {
    rc = serde__avro_to_json(w->root, &value, out, err);
  }
  if (value.iface) {
    avro_value_decref(&value);
  }
  if (rc == SERDE_OK && writer) {
    *writer = w;
  } else {
    serde_schema_unref(w);
  }
  return rc;
}
