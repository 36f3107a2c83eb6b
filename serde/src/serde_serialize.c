// SPDX-License-Identifier: Apache-2.0
/* Serializing: choose the subject and schema id the way Java's
 * AbstractKafkaAvroSerializer does (auto-register, use.schema.id,
 * use.latest.version, then lookup), then write 0x00 | id | Avro binary.
 * The steady state is one scan of the schema's subject table plus avro-c's
 * encoder writing straight into the caller's buffer. When the id belongs
 * to a different schema (latest or a fixed id), the value is first
 * projected onto that schema through the resolver, as Java writes with the
 * registry's schema. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "serde_core.h"

/* One avro-c memory writer per thread, re-pointed at each output buffer.
 * The thread-local pointer is the fast path; the pthread key only frees the
 * writer when the thread exits. */
static pthread_key_t writer_key;
static pthread_once_t writer_once = PTHREAD_ONCE_INIT;
static _Thread_local avro_writer_t thread_writer_ptr;

static void writer_free(void *w) { avro_writer_free(w); }
static void writer_key_init(void) { pthread_key_create(&writer_key, writer_free); }

static avro_writer_t thread_writer(void) {
  if (thread_writer_ptr) {
    return thread_writer_ptr;
  }
  pthread_once(&writer_once, writer_key_init);
  static char empty[1];
  avro_writer_t w = avro_writer_memory(empty, 0);
  if (w && pthread_setspecific(writer_key, w) != 0) {
    avro_writer_free(w);
    w = NULL;
  }
  thread_writer_ptr = w;
  return w;
}

void serde__frame_put(uint8_t *at, int32_t id) {
  uint32_t u = (uint32_t)id;
  at[0] = 0;
  at[1] = (uint8_t)(u >> 24);
  at[2] = (uint8_t)(u >> 16);
  at[3] = (uint8_t)(u >> 8);
  at[4] = (uint8_t)u;
}

/* Appends the Avro binary of value (of schema) to out. */
static serde_code_t encode(const serde_schema_t *schema, const avro_value_t *value, serde_buf_t *out,
                           serde_error_t *err) {
  if (schema->root->kind == SCH_AVRO_BYTES) { /* Confluent's raw-bytes rule */
    const void *bytes = NULL;
    size_t size = 0;
    if (avro_value_get_bytes(value, &bytes, &size) != 0) {
      return serde__fail(err, SERDE_ERR_VALUE_INVALID, "value is not bytes: %s", avro_strerror());
    }
    return serde__buf_put(out, bytes, size) == SERDE_OK ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  avro_writer_t w = thread_writer();
  if (!w || serde__buf_reserve(out, 256) != SERDE_OK) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  for (int attempt = 0; attempt < 2; attempt++) {
    avro_writer_memory_set_dest(w, (const char *)out->data + out->len, (int64_t)(out->cap - out->len));
    int rc = avro_value_write(w, (avro_value_t *)value);
    if (rc == 0) {
      out->len += (size_t)avro_writer_tell(w);
      return SERDE_OK;
    }
    size_t need = 0;
    if (rc != ENOSPC || attempt || avro_value_sizeof((avro_value_t *)value, &need) != 0) {
      return serde__fail(err, SERDE_ERR_VALUE_INVALID, "cannot encode the value: %s", avro_strerror());
    }
    if (serde__buf_reserve(out, need) != SERDE_OK) {
      return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    }
  }
  return serde__fail(err, SERDE_ERR_VALUE_INVALID, "cannot encode the value");
}

/* Can `reader` (the registry's) read data written with `writer` (the app's)? */
static serde_code_t check_strict(const serde_schema_t *reader, const serde_schema_t *writer, const char *option,
                                 serde_error_t *err) {
  bool ok = false;
  sch_error_t serr = {0};
  if (reader->parsed->format->can_read(reader->parsed, writer->parsed, &ok, NULL, &serr) != SCH_OK) {
    return serde__fail(err, SERDE_ERR_NOMEM, "%s", serr.message);
  }
  if (!ok) {
    return serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE,
                       "schema id %d cannot read data of the application's schema; set %s=false to skip this check",
                       reader->id, option);
  }
  return SERDE_OK;
}

static bool same_schema(const serde_schema_t *a, const serde_schema_t *b) {
  size_t la = 0, lb = 0;
  const char *ca = sch_schema_canonical(a->parsed, &la);
  const char *cb = sch_schema_canonical(b->parsed, &lb);
  return la == lb && memcmp(ca, cb, la) == 0;
}

/* The registry schema behind a fixed id or latest version, checked. On
 * success *id is set and *target gets a reference (NULL when it is the
 * application's schema itself). */
static serde_code_t registry_target(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                                    serde_schema_t **target, serde_error_t *err) {
  bool by_id = sd->conf->use_schema_id >= 0;
  serde_schema_t *reg = by_id ? serde_schema_by_id(sd, (int32_t)sd->conf->use_schema_id, err)
                              : serde_schema_latest(sd, subject, err);
  if (!reg) {
    return err->code;
  }
  if (strcmp(reg->type, schema->type) != 0) {
    serde_code_t rc = serde__fail(err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "schema id %d is %s, the application's is %s",
                                  reg->id, reg->type, schema->type);
    serde_schema_unref(reg);
    return rc;
  }
  bool strict = by_id ? sd->conf->id_strict : sd->conf->latest_strict;
  serde_code_t rc = strict ? check_strict(reg, schema, by_id ? "id.compatibility.strict" : "latest.compatibility.strict", err)
                           : SERDE_OK;
  if (rc != SERDE_OK) {
    serde_schema_unref(reg);
    return rc;
  }
  *id = reg->id;
  if (same_schema(reg, schema)) {
    serde_schema_unref(reg);
    reg = NULL;
  }
  *target = reg;
  return SERDE_OK;
}

/* Java's order: auto-register, use.schema.id, use.latest.version, lookup.
 * The answer is remembered in the schema per (side, topic) for its own
 * handle, except in latest mode, whose answer changes over time, and for
 * records named other than the schema (a Protobuf message that is not the
 * first), whose subject may differ. */
serde_code_t serde__choose(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                           const char *record, int32_t *id, serde_schema_t **target, serde_error_t *err) {
  struct serde_conf *c = sd->conf;
  *target = NULL;
  bool latest_mode = !c->auto_register && c->use_schema_id < 0 && c->use_latest;
  bool memo = !latest_mode && schema->owner == sd && topic && !record;
  if (memo && serde__schema_topic_get(schema, side, topic, id, target)) {
    serde_schema_ref(*target);
    return SERDE_OK;
  }
  char subject[SERDE_MAX_SUBJECT];
  serde_code_t rc = record ? serde__subject_record(sd, topic, side, record, subject, sizeof subject, err)
                           : serde__subject(sd, topic, side, schema, subject, sizeof subject, err);
  if (rc != SERDE_OK) {
    return rc;
  }
  if (c->auto_register) {
    rc = serde_register(sd, subject, schema, id, err);
  } else if (c->use_schema_id >= 0 || c->use_latest) {
    rc = registry_target(sd, subject, schema, id, target, err);
  } else {
    rc = serde_lookup(sd, subject, schema, id, err);
  }
  if (rc == SERDE_OK && memo) {
    serde__schema_topic_put(schema, side, topic, *id, *target);
  }
  return rc;
}

/* Re-expresses value (of schema) as a value of target via the resolver. */
static serde_code_t project(serde_t *sd, serde_schema_t *schema, serde_schema_t *target, const avro_value_t *value,
                            avro_value_t *out, serde_error_t *err) {
  serde_buf_t tmp = {0};
  serde_code_t rc = encode(schema, value, &tmp, err);
  const serde_avro_program_t *prog = rc == SERDE_OK ? serde__schema_program(schema, target, err) : NULL;
  if (rc == SERDE_OK && !prog) {
    rc = err->code;
  }
  if (rc == SERDE_OK) {
    rc = serde_schema_value_new(target, out, err);
  }
  if (rc == SERDE_OK) {
    rc = serde__avro_decode(prog, tmp.data, tmp.len, &sd->limits, out, err);
    if (rc != SERDE_OK) {
      avro_value_decref(out);
    }
  }
  serde_buf_fini(&tmp);
  return rc;
}

serde_code_t serde_serialize_avro(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                                  const avro_value_t *value, serde_buf_t *out, serde_error_t *err) {
  serde_error_t local; /* not zeroed: 500 bytes per record; only filled on failure */
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !schema || !value || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "handle, schema, value and out are required");
  }
  if (!schema->avro) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "the schema is %s, not AVRO", schema->type);
  }
  if (!serde__schema_accepts(schema, avro_value_get_schema(value))) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "the value's avro-c schema differs from the schema given");
  }
  int32_t id = -1;
  serde_schema_t *target = NULL;
  serde_code_t rc = serde__choose(sd, topic, side, schema, NULL, &id, &target, err);
  out->len = 0;
  if (rc == SERDE_OK) {
    rc = serde__buf_reserve(out, SERDE_FRAME_LEN) == SERDE_OK ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (rc != SERDE_OK) {
    serde_schema_unref(target);
    return rc;
  }
  serde__frame_put(out->data, id);
  out->len = SERDE_FRAME_LEN;
  if (!target) {
    rc = encode(schema, value, out, err);
  } else {
    avro_value_t projected = {0};
    rc = project(sd, schema, target, value, &projected, err);
    if (rc == SERDE_OK) {
      rc = encode(target, &projected, out, err);
      avro_value_decref(&projected);
    }
    serde_schema_unref(target);
  }
  if (rc != SERDE_OK) {
    out->len = 0;
  }
  return rc;
}

serde_code_t serde_avro_from_json(const serde_schema_t *schema, const char *json, size_t len, avro_value_t *out,
                                  serde_error_t *err) {
  if (!schema || !json || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema, json and out are required");
  }
  if (!schema->avro) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "the schema is %s, not AVRO", schema->type);
  }
  if (!sch_json_nesting_within(json, len, SERDE_AVRO_MAX_JSON_DEPTH)) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "JSON nests deeper than %d levels", SERDE_AVRO_MAX_JSON_DEPTH);
  }
  json_error_t jerr;
  json_t *doc = json_loadb(json, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  if (!doc) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "invalid JSON at line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text);
  }
  serde_code_t rc = serde_schema_value_new(schema, out, err);
  if (rc == SERDE_OK) {
    rc = serde__avro_from_json(schema->root, doc, SERDE_AVRO_JSON_ENCODING, out, err);
    if (rc != SERDE_OK) {
      avro_value_decref(out);
      memset(out, 0, sizeof *out);
    }
  }
  json_decref(doc);
  return rc;
}

serde_code_t serde_serialize_avro_json(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                                       const char *json, size_t len, serde_buf_t *out, serde_error_t *err) {
  avro_value_t value = {0};
  serde_code_t rc = serde_avro_from_json(schema, json, len, &value, err);
  if (rc == SERDE_OK) {
    rc = serde_serialize_avro(sd, topic, side, schema, &value, out, err);
    avro_value_decref(&value);
  }
  return rc;
}

serde_code_t serde_frame_avro_json(const serde_schema_t *schema, int32_t id, const char *json, size_t len,
                                   serde_buf_t *out, serde_error_t *err) {
  serde_error_t local;
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!schema || !json || !out || id < 0) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema, a non-negative id, json and out are required");
  }
  avro_value_t value = {0};
  serde_code_t rc = serde_avro_from_json(schema, json, len, &value, err);
  out->len = 0;
  if (rc == SERDE_OK) {
    rc = serde__buf_reserve(out, SERDE_FRAME_LEN) == SERDE_OK ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (rc == SERDE_OK) {
    serde__frame_put(out->data, id);
    out->len = SERDE_FRAME_LEN;
    rc = encode(schema, &value, out, err);
  }
  if (rc != SERDE_OK) {
    out->len = 0;
  }
  if (value.iface) {
    avro_value_decref(&value);
  }
  return rc;
}
