// SPDX-License-Identifier: Apache-2.0
/* The serde's Avro codec, built on the schemas module's Avro model
 * (schemas/avro_model.h), which keeps what avro-c drops: defaults, aliases,
 * enum defaults, logical types. Three pieces:
 *   - a resolution program per (writer, reader) pair that decodes untrusted
 *     writer bytes straight into an avro-c generic value of the reader schema
 *     (avro_resolve.c compiles, avro_decode.c runs it, with limits);
 *   - Avro JSON encoding -> avro-c value (avro_json_in.c);
 *   - avro-c value -> Avro JSON encoding (avro_json_out.c).
 * Encoding a trusted application value to binary is avro-c's own
 * avro_value_write, called by serde_serialize.c.
 *
 * Value layout contract: the avro_value_t handed in is a generic value made
 * by avro_generic_class_from_schema() from sch_avro_standalone_text() of the
 * same model node's schema, so record field i, union branch i and enum
 * symbol i are the same in both. */
#ifndef WEIR_SERDE_AVRO_CODEC_H
#define WEIR_SERDE_AVRO_CODEC_H

#include <avro.h>
#include <jansson.h>

#include "schemas/avro_model.h"
#include "serde_int.h"

/* Limits on untrusted input (from serde_conf: max.depth, ...). */
typedef struct serde_avro_limits {
  int max_depth;          /* nesting of records/arrays/maps/unions, e.g. 64 */
  size_t max_items;       /* array+map elements in one datum, e.g. 10,000,000 */
  bool allow_trailing;    /* accept bytes after the datum (Java's default) */
} serde_avro_limits_t;

typedef struct serde_avro_program serde_avro_program_t;

/* Compiles how data written with `writer` is read as `reader` (Avro 1.11
 * spec, "Schema Resolution"): record fields matched by name or reader alias,
 * reader defaults for fields the writer lacks, writer-only fields skipped,
 * enum symbols by name with the reader enum's default for unknown ones,
 * promotions int->long/float/double, long->float/double, float->double,
 * string<->bytes, union writer -> branch resolved per branch, non-union
 * writer into the first matching reader branch, named types matched by
 * unqualified name or alias. reader NULL = reader is writer (no
 * resolution). Recursive schemas compile to a finite program.
 * Where the spec is silent this follows Java's Resolver: a non-union writer
 * goes to the first reader branch of the same type or full name (reader
 * aliases count), else the first record branch it resolves against, else
 * the first promotion in reader order (int into ["double","long"] picks
 * double); records are not name-checked outside unions; a writer field
 * matches a reader field by name before any alias.
 * A writer branch or symbol that cannot be resolved is not an error at
 * compile time: it fails at decode time only if it occurs (as in Java).
 * Reader defaults are checked and pre-encoded here (an invalid one is
 * SCHEMA_INCOMPATIBLE), so decoding never touches JSON.
 * Returns NULL with err: SERDE_ERR_SCHEMA_INCOMPATIBLE naming the path
 * (`field "a.b": writer string cannot be read as int`), or NOMEM.
 * The program borrows both trees (they must outlive it); it is immutable
 * and may be used by many threads at once. */
serde_avro_program_t *serde__avro_program_new(const sch_avro_node_t *writer, const sch_avro_node_t *reader,
                                              serde_error_t *err);
void serde__avro_program_destroy(serde_avro_program_t *prog); /* accepts NULL */

/* Decodes one datum of Avro binary into dst, a generic value of the
 * reader's schema (reset by the caller or fresh). If the writer root is
 * "bytes" the whole input is the bytes value (Confluent's raw-bytes rule, no
 * length prefix). Every declared length and count is checked against the
 * bytes left; depth and element count are bounded by lim (NULL = 64 levels,
 * 10,000,000 elements, no trailing bytes); each record, array, map and
 * union counts one level. Strict where Java is lenient but no correct
 * writer differs: a boolean byte other than 0/1, a varint over 64 bits and
 * a map key holding NUL (avro-c keys are C strings) are invalid; a repeated
 * map key keeps the last value. Errors, the message prefixed with the
 * datum path (`$.items[2].price: truncated: ...`):
 * SERDE_ERR_PAYLOAD_INVALID (truncated, bad varint, negative length, trailing
 * bytes unless allowed, over a limit, unresolvable union branch or enum
 * symbol that occurred), SERDE_ERR_NOMEM, SERDE_ERR_INVALID_ARG (dst is not
 * a value of the reader schema). Never reads past data+len; allocates only
 * a scratch copy of strings over 255 bytes, freed before returning. */
serde_code_t serde__avro_decode(const serde_avro_program_t *prog, const uint8_t *data, size_t len,
                                const serde_avro_limits_t *lim, avro_value_t *dst, serde_error_t *err);

typedef enum {
  /* Avro JSON encoding as written by Java's JsonEncoder and accepted by
   * Confluent's REST Proxy: non-null union values wrapped as
   * {"<branch name>": value} (full names for named types; short names and
   * "int"/"long"... accepted), bytes/fixed as ISO-8859-1 strings, float and
   * double also as "NaN", "Infinity", "-Infinity". Missing record fields take
   * their default; missing without default is an error. Record members may
   * be named by a field alias; unknown members are an error (as in Java's
   * JsonDecoder). int and long accept integral reals (1.0); float and double
   * accept integers. */
  SERDE_AVRO_JSON_ENCODING,
  /* A schema field default: a union's default is an unwrapped value of its
   * FIRST branch (at every level); unknown record members are ignored;
   * otherwise as above. */
  SERDE_AVRO_JSON_DEFAULT,
} serde_avro_json_mode_t;

/* Sets dst (a generic value of node's schema, fresh or reset) from json.
 * Checks every value against the type: int range, fixed size, enum symbol,
 * union branch names. Errors: SERDE_ERR_VALUE_INVALID with the path
 * (`$.items[2].price: expected double, got "x"`), NOMEM. Depth is bounded
 * by the schema (json deeper than the schema allows fails as a mismatch);
 * recursive schemas are bounded by SERDE_AVRO_MAX_JSON_DEPTH. */
#define SERDE_AVRO_MAX_JSON_DEPTH 128
serde_code_t serde__avro_from_json(const sch_avro_node_t *node, const json_t *json, serde_avro_json_mode_t mode,
                                   avro_value_t *dst, serde_error_t *err);

/* Appends the Avro JSON encoding of v (a generic value of node's schema) to
 * out, compact (no spaces): unions as {"<full name or type>": value}, null
 * branch as null; bytes and fixed as ISO-8859-1 strings with \u00XX
 * escapes, NUL-safe; float printed with the shortest text that reads back
 * to the same float (<= 9 digits), double likewise (<= 17); NaN and
 * infinities as the strings "NaN", "Infinity", "-Infinity"; map keys and
 * strings escaped as JSON; integral doubles as "1.0". A string holding
 * invalid UTF-8 (avro-c does not check) is written with U+FFFD in place of
 * each bad sequence, as Java's decoding does, so the output is valid JSON.
 * On error out keeps its earlier length. Errors: NOMEM,
 * SERDE_ERR_VALUE_INVALID with the path if v does not have node's shape. */
serde_code_t serde__avro_to_json(const sch_avro_node_t *node, const avro_value_t *v, serde_buf_t *out,
                                 serde_error_t *err);

#endif
