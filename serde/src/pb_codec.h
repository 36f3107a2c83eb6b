// SPDX-License-Identifier: Apache-2.0
/* The serde's Protobuf codec, driven by the schemas module's resolved model
 * (schemas/proto_schema.h) rather than by protobuf-c structs, so any
 * registered .proto can be read and written without generated code:
 *   - message indexes, the path of the message in the wire frame
 *     (pb_index.c);
 *   - Protobuf binary -> proto3 canonical JSON (pb_json_out.c, with the
 *     well-known types in pb_wkt_json.c);
 *   - proto3 JSON -> Protobuf binary (pb_json_in.c, same well-known types);
 *   - a nesting pre-scan for protobuf-c's unpack, which has no recursion
 *     limit (pb_depth.c).
 * The JSON printed is what Confluent's ProtobufSchemaUtils.toJson prints:
 * JsonFormat.printer().includingDefaultValueFields() -- json_name keys, fields
 * in field-number order, fields without presence printed with their default
 * value, empty repeated fields as [] and maps as {}, unset message fields and
 * unset oneof members (proto3 `optional` included) left out. */
#ifndef WEIR_SERDE_PB_CODEC_H
#define WEIR_SERDE_PB_CODEC_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "schemas/proto_schema.h"
#include "serde_int.h"

/* Nesting of messages (groups, map values and well-known types included)
 * allowed in untrusted binary or JSON input: C++ and Java's default. */
#define SERDE_PB_MAX_DEPTH 100
/* JSON nesting checked before jansson parses a document: two JSON levels
 * (an array and an object) per message level at most. */
#define SERDE_PB_MAX_JSON_DEPTH (2 * SERDE_PB_MAX_DEPTH + 2)
/* Python's bound on the index count of a frame. */
#define SERDE_PB_MAX_INDEX_COUNT 100000

/* ---- message indexes (pb_index.c) -------------------------------------------- */

/* Appends the index array of a message path (n >= 1 entries) to out: a
 * zigzag varint count, then each index as a zigzag varint; [0] is the single
 * byte 0x00. `deprecated` writes unsigned varints instead (the legacy form of
 * old Python and Go clients, use.deprecated.format). Errors: NOMEM,
 * INVALID_ARG (n == 0, n > SCH_PB_MAX_INDEXES or a negative index). */
serde_code_t serde__pb_indexes_write(serde_buf_t *out, const int32_t *indexes, size_t n, bool deprecated,
                                     serde_error_t *err);

/* Reads an index array from the start of data. Count 0 reads as [0]. Writes
 * the path into indexes (cap SCH_PB_MAX_INDEXES entries), its length into *n
 * and the bytes read into *used. SERDE_ERR_FRAMING ("message indexes are
 * absent or malformed: ...") for a truncated or over-long varint, a negative
 * count or index, a count over 100,000 or a path deeper than
 * SCH_PB_MAX_INDEXES. */
serde_code_t serde__pb_indexes_read(const uint8_t *data, size_t len, bool deprecated, int32_t *indexes,
                                    size_t *n, size_t *used, serde_error_t *err);

/* "[1, 0]" into out (always NUL-terminated, cut if too small). */
void serde__pb_indexes_text(const int32_t *indexes, size_t n, char *out, size_t size);

/* ---- binary -> JSON (pb_json_out.c) --------------------------------------------- */

/* Appends the proto3 JSON of `data` (the Protobuf binary of message m of
 * schema) to out, compact. Wire rules: packed and unpacked repeated fields
 * both read; a singular field seen several times keeps its last value, a
 * message field merges every occurrence; the last oneof member seen wins;
 * unknown fields (groups included) are skipped; map entries with the same
 * key keep the last value at the first key's place; proto2 enum numbers the
 * enum lacks are dropped as unknown, proto3 ones print as numbers. Errors,
 * the message prefixed with the JSON path ("$.items[2].price: ..."):
 * SERDE_ERR_PAYLOAD_INVALID for a truncated value, a bad varint, a length
 * over the bytes left, a wire type that does not fit the field, a stray or
 * mismatched end-group tag, field number 0, invalid UTF-8 in a proto3 string
 * (proto2 strings get U+FFFD, as Java), nesting over SERDE_PB_MAX_DEPTH, a
 * Timestamp or Duration out of range, an Any whose type the schema does not
 * define; NOMEM. On error out keeps its earlier length. */
serde_code_t serde__pb_to_json(const sch_pb_schema_t *schema, const sch_pb_message_t *m, const uint8_t *data,
                               size_t len, serde_buf_t *out, serde_error_t *err);

/* ---- JSON -> binary (pb_json_in.c) -------------------------------------------------- */

/* Appends the Protobuf binary of `json` (proto3 JSON of message m) to out,
 * as protoc-generated C++ writes it: fields in field-number order, proto3
 * fields without presence left out when they hold their default, repeated
 * scalars packed when the field is packed, map entries with key and value.
 * Accepts json_name and proto field names; 64-bit integers as numbers or
 * strings; "NaN", "Infinity", "-Infinity"; bytes as standard or URL-safe
 * base64; enums by name or number; null as "not set". Errors:
 * SERDE_ERR_VALUE_INVALID with the path ("$.items[2].price: expected a
 * number, got \"x\""): invalid JSON, an unknown field, a field given twice,
 * two members of one oneof, a value of the wrong kind or out of range, a
 * missing proto2 required field, nesting over SERDE_PB_MAX_DEPTH, an Any
 * type the schema does not define; NOMEM. On error out keeps its earlier
 * length. */
serde_code_t serde__pb_from_json(const sch_pb_schema_t *schema, const sch_pb_message_t *m, const char *json,
                                 size_t len, serde_buf_t *out, serde_error_t *err);

/* ---- protobuf-c guard (pb_depth.c) ----------------------------------------------------- */

/* Walks data as a message of desc, following only the fields desc declares
 * as messages, and fails with SERDE_ERR_PAYLOAD_INVALID when messages nest
 * deeper than max_depth. Malformed bytes end the walk quietly (unpack
 * reports them). Iterative: safe on any input. */
serde_code_t serde__pb_check_depth(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len,
                                   int max_depth, serde_error_t *err);

/* ---- shared by the serde's Protobuf entry points (serde_protobuf.c) ------------------ */

struct serde_schema;
/* The message `name` (NULL = the first) of a PROTOBUF schema's own file.
 * NULL with SERDE_ERR_INVALID_ARG if the schema is not PROTOBUF or its file
 * does not define the message. */
const sch_pb_message_t *serde__pb_pick(const struct serde_schema *schema, const char *name,
                                       serde_error_t *err);
/* The subject and id for a record of message m of schema (serde__choose,
 * with m's full name as the record name unless m is the first message),
 * and the message to write with: m, or the registry schema's message of the
 * same name when the id is another schema's (*target then holds a reference
 * to it, else NULL). */
serde_code_t serde__pb_choose(serde_t *sd, const char *topic, serde_side_t side, struct serde_schema *schema,
                              const sch_pb_message_t *m, int32_t *id, struct serde_schema **target,
                              const sch_pb_message_t **wm, serde_error_t *err);
/* Replaces out with 0x00 | id | the indexes of m. */
serde_code_t serde__pb_frame_start(serde_buf_t *out, int32_t id, const sch_pb_message_t *m, bool deprecated,
                                   serde_error_t *err);
/* Parses a framed record, fetches its writer schema (a new reference in
 * *writer, PROTOBUF checked) and finds the message its indexes name. */
serde_code_t serde__pb_read_frame(serde_t *sd, const uint8_t *data, size_t len, serde_pb_frame_t *frame,
                                  struct serde_schema **writer, const sch_pb_message_t **m,
                                  serde_error_t *err);

#endif
