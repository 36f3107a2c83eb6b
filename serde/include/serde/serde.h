// SPDX-License-Identifier: Apache-2.0
/* weir serde: write and read records in the Confluent wire format (magic byte
 * 0, 4-byte big-endian schema id, payload) against any Confluent-compatible
 * Schema Registry. Values are avro-c generic values (avro_value_t) or Avro
 * JSON text, protobuf-c generated messages (ProtobufCMessage) or proto3 JSON
 * text. One serde_t is shared by all threads of an application: its
 * registry client and caches are thread-safe. Link with pkg-config `weir-serde`.
 *
 * Typical producer:
 *   serde_conf_t *conf = serde_conf_new();
 *   serde_conf_set(conf, "schema.registry.url", "http://localhost:8081", &err);
 *   serde_t *sd = serde_new(conf, &err);               // takes conf
 *   serde_schema_t *s = serde_schema_new(sd, "AVRO", text, len, &err);
 *   serde_serialize_avro(sd, "orders", SERDE_VALUE, s, &value, &buf, &err);
 *   rd_kafka_producev(..., RD_KAFKA_V_VALUE(buf.data, buf.len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), ...);
 */
#ifndef WEIR_SERDE_SERDE_H
#define WEIR_SERDE_SERDE_H

#include <avro.h>
#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the library's exported functions (everything else is hidden). */
#if defined(__GNUC__)
#define SERDE_API __attribute__((visibility("default")))
#else
#define SERDE_API
#endif

/* ---- errors ------------------------------------------------------------ */

#define SERDE_ERRORS(X)                                                                          \
  X(SERDE_OK, "ok")                                                                              \
  X(SERDE_ERR_INVALID_ARG, "invalid argument")                                                   \
  X(SERDE_ERR_CONF, "invalid configuration")          /* unknown property, bad value */          \
  X(SERDE_ERR_FRAMING, "invalid framing")             /* short input, unknown magic byte */      \
  X(SERDE_ERR_UNKNOWN_SCHEMA, "unknown schema")       /* registry 404: id, subject, version */   \
  X(SERDE_ERR_REGISTRY_AUTH, "registry authentication failed") /* 401, 403 */                    \
  X(SERDE_ERR_REGISTRY_THROTTLED, "registry throttled")        /* 429 after retries */           \
  X(SERDE_ERR_REGISTRY_UNAVAILABLE, "registry unavailable")    /* 408, 5xx, network */           \
  X(SERDE_ERR_REGISTRY_REJECTED, "registry rejected the schema") /* 409 incompatible, 422 */     \
  X(SERDE_ERR_REGISTRY_RESPONSE, "invalid registry response")  /* unparsable answer */           \
  X(SERDE_ERR_SCHEMA_PARSE, "invalid schema")                                                    \
  X(SERDE_ERR_SCHEMA_INCOMPATIBLE, "incompatible schemas") /* writer->reader, strict checks */   \
  X(SERDE_ERR_VALUE_INVALID, "value does not match the schema") /* serialize side */             \
  X(SERDE_ERR_PAYLOAD_INVALID, "invalid payload") /* truncated, trailing, over a limit */        \
  X(SERDE_ERR_NOMEM, "out of memory")

typedef enum {
#define SERDE_X_ENUM(code, text) code,
  SERDE_ERRORS(SERDE_X_ENUM)
#undef SERDE_X_ENUM
} serde_code_t;

/* Caller-owned error. message is lower case and names the offending thing;
 * http_status and error_code are the registry's answer when one caused the
 * error (else 0). */
typedef struct serde_error {
  serde_code_t code;
  int http_status;
  int error_code;
  char message[512];
} serde_error_t;

/* Fixed description of a code ("unknown schema"). */
SERDE_API const char *serde_code_name(serde_code_t code);
/* True for the codes worth retrying later (registry throttled/unavailable). */
SERDE_API bool serde_code_retriable(serde_code_t code);

/* ---- output buffer ------------------------------------------------------- */

/* A growable byte buffer owned by the caller and reused across calls (no
 * allocation once it is big enough). Zero-initialise; release with
 * serde_buf_fini. Functions that write into it replace its contents. */
typedef struct serde_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
} serde_buf_t;

SERDE_API void serde_buf_fini(serde_buf_t *buf);

/* ---- configuration --------------------------------------------------------- */

/* Properties use Confluent's names (schema.registry.url, basic.auth.user.info,
 * auto.register.schemas, use.latest.version, value.subject.name.strategy, ...);
 * serde_conf_properties lists them all with defaults. */
typedef struct serde_conf serde_conf_t;

typedef struct serde_prop_info {
  const char *name;
  const char *deflt; /* "" when there is no default */
  const char *doc;
} serde_prop_info_t;

SERDE_API serde_conf_t *serde_conf_new(void); /* NULL on out of memory; serde_conf_destroy */
/* Sets one property. SERDE_ERR_CONF names an unknown property or bad value. */
SERDE_API serde_code_t serde_conf_set(serde_conf_t *conf, const char *name, const char *value, serde_error_t *err);
SERDE_API void serde_conf_destroy(serde_conf_t *conf);
/* The property table (static). */
SERDE_API const serde_prop_info_t *serde_conf_properties(size_t *n);

/* ---- handle ----------------------------------------------------------------- */

typedef struct serde serde_t;

/* Creates a handle. Always takes ownership of conf (also on error). Needs
 * schema.registry.url. Returns NULL with err set. Release with serde_destroy,
 * after every thread has stopped using it. */
SERDE_API serde_t *serde_new(serde_conf_t *conf, serde_error_t *err);
SERDE_API void serde_destroy(serde_t *sd);

/* ---- schemas ------------------------------------------------------------------ */

/* A parsed schema, refcounted and immutable, safe to share across threads.
 * Either the application's (from text) or the registry's (by id, subject). */
typedef struct serde_schema serde_schema_t;

/* Parses an application schema. type is "AVRO" (NULL means AVRO) or
 * "PROTOBUF" (the .proto text; see serde_schema_new_protobuf for imports,
 * which this resolves from the registry). The text is what gets registered,
 * as given. Returns a schema with one reference (serde_schema_unref), or
 * NULL with SERDE_ERR_SCHEMA_PARSE. */
SERDE_API serde_schema_t *serde_schema_new(serde_t *sd, const char *type, const char *text, size_t len,
                                 serde_error_t *err);
SERDE_API serde_schema_t *serde_schema_ref(serde_schema_t *schema);
SERDE_API void serde_schema_unref(serde_schema_t *schema); /* accepts NULL */

/* "AVRO" or "PROTOBUF" (static text). */
SERDE_API const char *serde_schema_type(const serde_schema_t *schema);
/* The name RecordNameStrategy gives the schema: an Avro record's full name,
 * or a Protobuf schema's first message's full name ("pkg.Msg"). NULL when
 * there is none (an Avro primitive, a .proto with no message). Valid while
 * the schema lives. */
SERDE_API const char *serde_schema_record_name(const serde_schema_t *schema);
/* The registry id, or -1 for an application schema. */
SERDE_API int32_t serde_schema_id(const serde_schema_t *schema);
/* The schema text (NUL-terminated, valid while the schema lives). */
SERDE_API const char *serde_schema_text(const serde_schema_t *schema, size_t *len);
/* The avro-c schema, to build values with (borrowed, valid while the schema
 * lives). */
SERDE_API avro_schema_t serde_schema_avro(const serde_schema_t *schema);
/* A new empty generic value of the schema (avro_value_decref to release). */
SERDE_API serde_code_t serde_schema_value_new(const serde_schema_t *schema, avro_value_t *out, serde_error_t *err);

/* Registry schema by id (GET /schemas/ids/{id}), cached. New reference. */
SERDE_API serde_schema_t *serde_schema_by_id(serde_t *sd, int32_t id, serde_error_t *err);
/* Latest version of subject (GET /subjects/{s}/versions/latest), cached for
 * latest.cache.ttl.sec. New reference. */
SERDE_API serde_schema_t *serde_schema_latest(serde_t *sd, const char *subject, serde_error_t *err);

/* Version `version` of subject (-1 = latest) straight from the registry,
 * uncached (GET /subjects/{s}/versions/{v}); *version_out (may be NULL) gets
 * the version number. The schema itself comes from the id cache. New
 * reference, or NULL with err set (SERDE_ERR_UNKNOWN_SCHEMA when absent). */
SERDE_API serde_schema_t *serde_schema_version(serde_t *sd, const char *subject, int version, int *version_out,
                                     serde_error_t *err);

/* Registers schema under subject (POST /subjects/{s}/versions, honouring
 * normalize.schemas) and returns its id; cached per (schema, subject). */
SERDE_API serde_code_t serde_register(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                            serde_error_t *err);
/* Looks schema up under subject (POST /subjects/{s}) without registering;
 * SERDE_ERR_UNKNOWN_SCHEMA when absent. Cached per (schema, subject). */
SERDE_API serde_code_t serde_lookup(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                          serde_error_t *err);
/* serde_lookup that also gives the schema's version under subject (same
 * cache). */
SERDE_API serde_code_t serde_lookup_version(serde_t *sd, const char *subject, serde_schema_t *schema, int32_t *id,
                                  int *version, serde_error_t *err);

/* ---- subjects ---------------------------------------------------------------- */

typedef enum { SERDE_KEY, SERDE_VALUE } serde_side_t;

/* The subject the configured strategy (key.subject.name.strategy or
 * value.subject.name.strategy) gives for topic/side/schema: "<topic>-value",
 * the record's full name, or "<topic>-<full name>". Writes a NUL-terminated
 * name into out. SERDE_ERR_INVALID_ARG if the strategy needs a record and the
 * schema is not one, or if size is too small. */
SERDE_API serde_code_t serde_subject_name(serde_t *sd, const char *topic, serde_side_t side, const serde_schema_t *schema,
                                char *out, size_t size, serde_error_t *err);

/* ---- wire format ---------------------------------------------------------------- */

/* A parsed frame: version 0 carries an id. The payload points into the input. */
typedef struct serde_frame {
  int version;
  int32_t id;
  const uint8_t *payload;
  size_t payload_len;
} serde_frame_t;

/* Parses the Confluent prefix of a Kafka key or value. SERDE_ERR_FRAMING for
 * fewer than 5 bytes or a magic byte other than 0. */
SERDE_API serde_code_t serde_frame_parse(const uint8_t *data, size_t len, serde_frame_t *out, serde_error_t *err);

/* ---- Avro ----------------------------------------------------------------------- */

/* Serializes value (a generic value of `schema`'s avro-c schema, or of one
 * equal to it) for topic/side: chooses the subject and id (auto-register,
 * use.schema.id, use.latest.version or lookup, in Java's order), then writes
 * 0x00 | id | Avro binary into out. A top-level "bytes" schema is written raw.
 * Thread-safe. */
SERDE_API serde_code_t serde_serialize_avro(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                                  const avro_value_t *value, serde_buf_t *out, serde_error_t *err);

/* As serde_serialize_avro with the value in Avro's JSON encoding (unions as
 * {"type": value}, bytes as ISO-8859-1 strings). SERDE_ERR_VALUE_INVALID names
 * the path of a value that does not fit. */
SERDE_API serde_code_t serde_serialize_avro_json(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                                       const char *json, size_t len, serde_buf_t *out, serde_error_t *err);

/* Writes 0x00 | id | Avro binary of json (Avro JSON encoding of a value of
 * schema) into out, with no registry call: for callers that chose the id
 * themselves (the REST proxy's value_schema_id). */
SERDE_API serde_code_t serde_frame_avro_json(const serde_schema_t *schema, int32_t id, const char *json, size_t len,
                                   serde_buf_t *out, serde_error_t *err);

/* Deserializes a framed record. data NULL (a Kafka null) succeeds with
 * out->iface == NULL and no registry call. Otherwise the writer schema comes
 * from the id; the value is resolved into `reader` if given, else into the
 * latest version of the subject with use.latest.version, else into the
 * writer schema. `out` must be zero-initialised or hold a value from an
 * earlier call (it is reused when its schema matches, else released). On
 * success *writer (may be NULL) gets a new reference to the writer schema.
 * Thread-safe. */
SERDE_API serde_code_t serde_deserialize_avro(serde_t *sd, const char *topic, serde_side_t side, const uint8_t *data,
                                    size_t len, serde_schema_t *reader, avro_value_t *out,
                                    serde_schema_t **writer, serde_error_t *err);

/* Deserializes a framed record into Avro JSON text (writer schema), in out.
 * data NULL writes "null". *writer as above. */
SERDE_API serde_code_t serde_deserialize_avro_json(serde_t *sd, const char *topic, serde_side_t side, const uint8_t *data,
                                         size_t len, serde_buf_t *out, serde_schema_t **writer, serde_error_t *err);

/* Avro JSON encoding of a value of schema (full names for union branches,
 * "NaN"/"Infinity" for non-finite floats, bytes as ISO-8859-1 strings). */
SERDE_API serde_code_t serde_avro_to_json(const serde_schema_t *schema, const avro_value_t *value, serde_buf_t *out,
                                serde_error_t *err);
/* Parses Avro JSON into a new value of schema (out released with
 * avro_value_decref). Missing record fields take their defaults. */
SERDE_API serde_code_t serde_avro_from_json(const serde_schema_t *schema, const char *json, size_t len, avro_value_t *out,
                                  serde_error_t *err);

/* ---- Protobuf ------------------------------------------------------------------------ */

/* A Protobuf record is framed as 0x00 | id | message indexes | Protobuf
 * binary. The indexes are the path of the record's message in the .proto
 * file: its position among the file's top-level messages, then among each
 * parent's nested messages ([0] is the first message, written as the single
 * byte 0x00). Counts and indexes are zigzag varints; with the property
 * use.deprecated.format=true they are read and written as unsigned varints,
 * as old Python (confluent-kafka 1.7) and Go clients did. Nesting of
 * untrusted input is limited to 100 messages. */
#define SERDE_PB_MAX_INDEXES 64

/* An imported .proto file the application supplies. */
typedef struct serde_pb_file {
  const char *path; /* the import path, as in `import "path";` */
  const char *text;
  size_t len;
} serde_pb_file_t;

/* Parses a .proto schema whose imports are registry references, as the
 * Java and Python serializers make them: each import that is not a
 * well-known type (google/protobuf/..., google/type/..., confluent/...) is
 * the subject named by its import path. An import found in `imports` is
 * registered under that subject (auto.register.schemas=true) or looked up
 * there (false), its own imports first; any other is the subject's latest
 * version. The registry answers give the references' versions, which go into
 * the schema's register and lookup requests. imports may be NULL (n 0).
 * Makes registry calls. Returns a new reference or NULL with err:
 * SCHEMA_PARSE (syntax, unresolved types), UNKNOWN_SCHEMA (an import whose
 * subject does not exist), registry errors. */
SERDE_API serde_schema_t *serde_schema_new_protobuf(serde_t *sd, const char *text, size_t len,
                                                    const serde_pb_file_t *imports, size_t n_imports,
                                                    serde_error_t *err);

/* The full name of the message at indexes (n == 0 means [0]) in a PROTOBUF
 * schema's own file, or NULL if the path points at nothing. Valid while the
 * schema lives. */
SERDE_API const char *serde_protobuf_message_name(const serde_schema_t *schema, const int32_t *indexes, size_t n);
/* The indexes of message `message` ("pkg.Outer.Inner"; NULL = the first
 * message) in a PROTOBUF schema's own file: writes up to cap entries into out
 * and returns the path length (0 if the file does not define the message). */
SERDE_API size_t serde_protobuf_message_indexes(const serde_schema_t *schema, const char *message, int32_t *out,
                                                size_t cap);

/* A parsed Protobuf frame; the payload points into the input. */
typedef struct serde_pb_frame {
  int32_t id;
  int32_t indexes[SERDE_PB_MAX_INDEXES];
  size_t n_indexes; /* >= 1: a count of 0 reads as [0] */
  const uint8_t *payload;
  size_t payload_len;
} serde_pb_frame_t;

/* Parses the prefix and message indexes of a Protobuf record. sd (may be
 * NULL) supplies use.deprecated.format. SERDE_ERR_FRAMING for a short input,
 * a magic byte other than 0, and indexes that are absent or malformed (a
 * negative count or index, a count over 100,000, a path deeper than
 * SERDE_PB_MAX_INDEXES). */
SERDE_API serde_code_t serde_protobuf_frame_parse(const serde_t *sd, const uint8_t *data, size_t len,
                                                  serde_pb_frame_t *out, serde_error_t *err);

/* proto3 JSON of an unframed payload of message `message` (NULL = the first)
 * of a PROTOBUF schema, printed as Confluent's REST proxy prints it (Java's
 * JsonFormat with includingDefaultValueFields): json_name keys in field
 * number order, fields without presence with their defaults, 64-bit integers
 * as strings, bytes as base64, enums by name, well-known types in their JSON
 * forms. SERDE_ERR_PAYLOAD_INVALID names the JSON path of bad input
 * ("$.lines[2].price: truncated varint"); SERDE_ERR_INVALID_ARG for an
 * unknown message. out is replaced. */
SERDE_API serde_code_t serde_protobuf_to_json(const serde_schema_t *schema, const char *message,
                                              const uint8_t *payload, size_t len, serde_buf_t *out,
                                              serde_error_t *err);
/* Protobuf binary (unframed) of proto3 JSON for message `message` (NULL =
 * the first), written as protoc's C++ writes it. Accepts json_name and field
 * names, 64-bit integers as numbers or strings, standard or URL-safe base64,
 * enum names or numbers. SERDE_ERR_VALUE_INVALID names the path
 * ("$.lines[2].price: expected a double, got \"x\""). out is replaced. */
SERDE_API serde_code_t serde_protobuf_from_json(const serde_schema_t *schema, const char *message, const char *json,
                                                size_t len, serde_buf_t *out, serde_error_t *err);

/* Serializes proto3 JSON of message `message` (NULL = the first message of
 * the schema) for topic/side: chooses the subject (RecordNameStrategy uses
 * the message's full name) and id as serde_serialize_avro does, then writes
 * 0x00 | id | indexes | Protobuf binary into out. With use.schema.id or
 * use.latest.version the record is written with the registry's schema and
 * its indexes for the same message name. Thread-safe. */
SERDE_API serde_code_t serde_serialize_protobuf_json(serde_t *sd, const char *topic, serde_side_t side,
                                                     serde_schema_t *schema, const char *message, const char *json,
                                                     size_t len, serde_buf_t *out, serde_error_t *err);
/* Writes 0x00 | id | indexes | Protobuf binary of json with no registry
 * call, for callers that chose the id themselves (the REST proxy's
 * value_schema_id). */
SERDE_API serde_code_t serde_frame_protobuf_json(const serde_schema_t *schema, int32_t id, const char *message,
                                                 const char *json, size_t len, serde_buf_t *out, serde_error_t *err);
/* Deserializes a framed Protobuf record into proto3 JSON (as
 * serde_protobuf_to_json) in out: the writer schema comes from the id, the
 * message from the indexes. data NULL writes "null". On success *writer (may
 * be NULL) gets a new reference to the writer schema. Thread-safe. */
SERDE_API serde_code_t serde_deserialize_protobuf_json(serde_t *sd, const char *topic, serde_side_t side,
                                                       const uint8_t *data, size_t len, serde_buf_t *out,
                                                       serde_schema_t **writer, serde_error_t *err);

/* Serializes a protobuf-c generated message: its descriptor's full name
 * picks the message in `schema` (the .proto it was generated from, which
 * must define it in its own file) and so the indexes; the subject and id
 * are chosen as above; the payload is protobuf_c_message_pack's. Missing
 * proto2 required fields are SERDE_ERR_VALUE_INVALID. Thread-safe. */
SERDE_API serde_code_t serde_serialize_protobuf(serde_t *sd, const char *topic, serde_side_t side,
                                                serde_schema_t *schema, const ProtobufCMessage *msg,
                                                serde_buf_t *out, serde_error_t *err);
/* Deserializes a framed record into a new message of `desc`
 * (protobuf_c_message_unpack with the default allocator; release with
 * protobuf_c_message_free_unpacked(msg, NULL)). data NULL succeeds with
 * *out NULL. The message the indexes name in the writer schema must have
 * desc's full name (else SERDE_ERR_SCHEMA_INCOMPATIBLE); nesting is checked
 * before unpack, which has no limit of its own. *writer as above. */
SERDE_API serde_code_t serde_deserialize_protobuf(serde_t *sd, const char *topic, serde_side_t side,
                                                  const uint8_t *data, size_t len,
                                                  const ProtobufCMessageDescriptor *desc, ProtobufCMessage **out,
                                                  serde_schema_t **writer, serde_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
