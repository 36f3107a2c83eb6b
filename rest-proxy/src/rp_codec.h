// SPDX-License-Identifier: Apache-2.0
/* Record keys and values between their JSON form in REST requests and
 * responses and their bytes in Kafka, shared by v2 and v3 so both resolve
 * subjects and schemas through one code path (rp_codec.c, rp_schema.c,
 * rp_jbuf.c):
 *   BINARY  base64 string            <-> raw bytes
 *   JSON    any JSON value           <-> its JSON text
 *   STRING  JSON string              <-> UTF-8 bytes (v3 only)
 *   AVRO    Avro JSON encoding       <-> 0x00 | id | Avro binary (via serde)
 *   PROTOBUF proto3 JSON mapping     <-> 0x00 | id | message indexes | Protobuf binary
 * JSONSCHEMA is recognised and answered with a precise error until the
 * registry supports it. */
#ifndef WEIR_REST_PROXY_RP_CODEC_H
#define WEIR_REST_PROXY_RP_CODEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_int.h"
#include "serde/serde.h"

typedef enum {
  RP_FMT_BINARY,
  RP_FMT_JSON,
  RP_FMT_STRING,
  RP_FMT_AVRO,
  RP_FMT_JSONSCHEMA,
  RP_FMT_PROTOBUF,
} rp_format_t;

/* "binary"/"BINARY" etc. (case-insensitive) -> format; false when unknown. */
bool rp_format_parse(const char *name, rp_format_t *out);
/* "BINARY", "JSON", "STRING", "AVRO", "JSONSCHEMA", "PROTOBUF". */
const char *rp_format_name(rp_format_t fmt);
/* True for AVRO, JSONSCHEMA, PROTOBUF. */
bool rp_format_has_schema(rp_format_t fmt);
/* The record format of a registry schema: AVRO or PROTOBUF. */
rp_format_t rp_format_of_schema(const serde_schema_t *schema);

/* ---- output JSON buffer (rp_jbuf.c) -------------------------------------- */

/* A growable text buffer for hand-built JSON (record arrays, delivery
 * reports). After an allocation failure `oom` is set and appends are no-ops. */
typedef struct rp_jbuf {
  char *p;
  size_t len, cap;
  bool oom;
} rp_jbuf_t;

void rp_jbuf_raw(rp_jbuf_t *b, const char *s, size_t n);
void rp_jbuf_lit(rp_jbuf_t *b, const char *s); /* strlen(s) raw bytes */
void rp_jbuf_str(rp_jbuf_t *b, const char *s, size_t n); /* quoted, escaped JSON string */
void rp_jbuf_int(rp_jbuf_t *b, int64_t v);
void rp_jbuf_base64(rp_jbuf_t *b, const void *data, size_t n); /* quoted base64 */
/* Takes the text (NUL-terminated) out of the buffer; NULL when oom. */
char *rp_jbuf_take(rp_jbuf_t *b, size_t *len);
void rp_jbuf_fini(rp_jbuf_t *b);

/* ---- schema selection (rp_schema.c) --------------------------------------- */

typedef enum { RP_STRATEGY_TOPIC, RP_STRATEGY_RECORD, RP_STRATEGY_TOPIC_RECORD } rp_strategy_t;

/* What a request says about a key's or value's schema. Unset fields: NULL /
 * -1. v2 sets schema_text or schema_id; v3 may set any one of id, version,
 * text, or none (= latest version of the subject). */
typedef struct rp_schema_sel {
  const char *schema_text;
  int64_t schema_id;
  int64_t schema_version;
  const char *subject;       /* explicit subject (v3) */
  rp_strategy_t strategy;
  bool any_type;             /* v3 without type: the registry schema's format, whatever it is */
} rp_schema_sel_t;

/* A resolved schema: what to encode with and what to report. */
typedef struct rp_schema_ref {
  serde_schema_t *schema;    /* one reference (rp_schema_ref_fini) */
  int32_t id;
  int32_t version;           /* -1 when not known (v2 by id) */
  char subject[512];         /* "" when not known */
} rp_schema_ref_t;

void rp_schema_ref_fini(rp_schema_ref_t *ref);

/* Resolves sel for topic/side: by id; by subject version; raw text looked
 * up under the subject and registered when absent; or the subject's latest
 * version. Errors: RP_ERR_SCHEMA_REGISTRY (registry down / no registry
 * configured: message says so), RP_ERR_INVALID_SCHEMA (text does not parse,
 * registry rejected it), RP_ERR_UNPROCESSABLE / RP_ERR_BAD_REQUEST for
 * unknown id/version/subject (msg says which). msg gets the reason. */
rp_code_t rp_schema_resolve(rp_t *rp, rp_format_t fmt, const char *topic, serde_side_t side,
                            const rp_schema_sel_t *sel, rp_schema_ref_t *out, char *msg, size_t msg_size);

/* ---- encode / decode (rp_codec.c) ----------------------------------------- */

/* Encodes one datum. data NULL or JSON null -> *is_null true (a Kafka null;
 * out untouched). schema required for schema formats. Errors (msg names the
 * field or path): BINARY not a base64 string -> RP_ERR_UNPROCESSABLE with
 * "... is not a base64 string"; STRING not a string; Avro value not matching
 * -> RP_ERR_SERIALIZATION. The caller maps codes to v2/v3 answers. */
rp_code_t rp_encode(rp_t *rp, rp_format_t fmt, const rp_schema_ref_t *schema, const json_t *data,
                    serde_buf_t *out, bool *is_null, char *msg, size_t msg_size);

/* Appends the JSON form of Kafka bytes (data NULL = Kafka null -> null) to
 * out: BINARY base64 string, JSON the parsed text (invalid JSON ->
 * RP_ERR_JSON_CONVERSION... callers map), AVRO the Avro JSON encoding via
 * the registry (RP_ERR_SCHEMA_REGISTRY / RP_ERR_SERIALIZATION on failure),
 * STRING a JSON string. *size gets the byte count that counts against
 * max_bytes (raw length; for AVRO the JSON length). */
rp_code_t rp_decode(rp_t *rp, rp_format_t fmt, const char *topic, serde_side_t side, const void *data,
                    size_t len, rp_jbuf_t *out, size_t *size, char *msg, size_t msg_size);

#endif
