// SPDX-License-Identifier: Apache-2.0
/* Internals of the Protobuf codec sources (pb_*.c), not used elsewhere:
 * the wire reader and the field-occurrence scanner (pb_wire_read.c), the
 * wire writer (pb_wire_write.c), numbers as JSON text (pb_number.c),
 * Timestamp and Duration text (pb_wkt_time.c), the two JSON walkers' shared
 * state and their entry points into the well-known types (pb_wkt_json.c),
 * and the error path built while an error unwinds. */
#ifndef WEIR_SERDE_PB_INT_H
#define WEIR_SERDE_PB_INT_H

#include <stdio.h>
#include <string.h>

#include "pb_codec.h"

/* Wire types. */
enum { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2, PB_SGROUP = 3, PB_EGROUP = 4, PB_I32 = 5 };

#define PB_MAX_FIELD_NUMBER 536870911

/* Step macros of the JSON walkers (pb_json_in.c, pb_json_out.c,
 * pb_wkt_json.c), whose state `j` carries the caller's error: TRY passes a
 * failure on, PUT turns a failed buffer append into "out of memory". */
#define PB_TRY(call) SERDE_TRY(call)
#define PB_PUT(call)                                                \
  do {                                                              \
    if ((call) != SERDE_OK) {                                       \
      return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory"); \
    }                                                               \
  } while (0)

/* ---- reading (pb_wire_read.c) ------------------------------------------------------ */

typedef struct pb_rd {
  const uint8_t *p, *end;
} pb_rd_t;

/* Each reader fails with SERDE_ERR_PAYLOAD_INVALID naming the problem
 * ("truncated varint", "length 300 exceeds the 4 bytes left"). */
serde_code_t serde__pb_rd_varint(pb_rd_t *r, uint64_t *v, serde_error_t *err);
serde_code_t serde__pb_rd_fixed32(pb_rd_t *r, uint32_t *v, serde_error_t *err);
serde_code_t serde__pb_rd_fixed64(pb_rd_t *r, uint64_t *v, serde_error_t *err);
/* A tag: field number 1..2^29-1 and wire type 0..5. */
serde_code_t serde__pb_rd_tag(pb_rd_t *r, int32_t *number, int *wire, serde_error_t *err);
/* A length prefix and that many bytes. */
serde_code_t serde__pb_rd_len(pb_rd_t *r, const uint8_t **p, size_t *len, serde_error_t *err);
/* The body of a group whose start tag (field `number`) was just read: *p and
 * *len get the bytes before the matching end tag, which is consumed. Nested
 * groups count against SERDE_PB_MAX_DEPTH - depth. */
serde_code_t serde__pb_rd_group(pb_rd_t *r, int32_t number, int depth, const uint8_t **p, size_t *len,
                                serde_error_t *err);

/* One occurrence of a known field in a message's bytes. */
typedef struct pb_occ {
  const sch_pb_field_t *field;
  uint32_t seq;     /* order of appearance in the message (across merged spans) */
  uint8_t wire;     /* as read: PB_VARINT, PB_I64, PB_I32, PB_LEN, PB_SGROUP */
  uint64_t v;       /* VARINT, I64, I32 */
  const uint8_t *p; /* LEN and SGROUP: the bytes inside */
  size_t len;
} pb_occ_t;

/* A stack of occurrences shared by every level of one decode: a level
 * appends its own and truncates back when done. Items move when it grows,
 * so levels hold indexes, never pointers. */
typedef struct pb_occs {
  pb_occ_t *items;
  size_t n, cap;
} pb_occs_t;

/* Makes room for one more item. NOMEM with err set. */
serde_code_t serde__pb_occs_reserve(pb_occs_t *occs, serde_error_t *err);
/* Appends the occurrences of m's fields in data (a message body, or a group
 * body), skipping unknown fields, then nothing else: the caller sorts.
 * Rejects a wire type that does not fit the field (a packable repeated
 * scalar may be LEN), a stray end-group tag, and what the readers reject.
 * *seq numbers the occurrences and carries over between spans. */
serde_code_t serde__pb_scan(pb_occs_t *occs, const sch_pb_message_t *m, const uint8_t *data, size_t len,
                            int depth, uint32_t *seq, serde_error_t *err);
/* Sorts items[from..n) by (field number, seq). */
void serde__pb_occs_sort(pb_occs_t *occs, size_t from);

/* The wire type a value of type t is written with. */
int serde__pb_wire_of(sch_pb_type_t t);
/* Numeric scalars, which a repeated field may pack. */
bool serde__pb_packable(sch_pb_type_t t);
/* The fields of m in number order: fills idx (cap entries) or returns a
 * malloc'd array (*heap set, free it) when m has more. NULL on oom. */
const uint32_t *serde__pb_field_order(const sch_pb_message_t *m, uint32_t *idx, size_t cap, uint32_t **heap);

/* ---- writing (pb_wire_write.c) --------------------------------------------------------- */

/* All return SERDE_OK or SERDE_ERR_NOMEM (without filling an error). */
serde_code_t serde__pb_put_varint(serde_buf_t *b, uint64_t v);
serde_code_t serde__pb_put_tag(serde_buf_t *b, int32_t number, int wire);
serde_code_t serde__pb_put_fixed32(serde_buf_t *b, uint32_t v);
serde_code_t serde__pb_put_fixed64(serde_buf_t *b, uint64_t v);
/* Length-delimited content: begin reserves room for the length and gives
 * the position; end writes the length of what was appended since, moving the
 * content if the length needs more than one byte. */
serde_code_t serde__pb_len_begin(serde_buf_t *b, size_t *pos);
serde_code_t serde__pb_len_end(serde_buf_t *b, size_t pos);

/* A scalar value as parsed from JSON, ready to be written with its type. */
typedef struct pb_scalar {
  uint64_t u;    /* every integer type, bool, enum (two's complement for signed) */
  double d;      /* FLOAT, DOUBLE */
  const void *s; /* STRING, BYTES */
  size_t n;
} pb_scalar_t;

/* Writes v as a value of type t (no tag). */
serde_code_t serde__pb_put_scalar(serde_buf_t *b, sch_pb_type_t t, const pb_scalar_t *v);
/* Is v the proto3 default of type t (0, false, empty, +0.0)? */
bool serde__pb_scalar_is_default(sch_pb_type_t t, const pb_scalar_t *v);

/* ---- numbers as JSON text (pb_number.c) ------------------------------------------------ */

/* Java's Double.toString / Float.toString of the shortest digits that read
 * back to x: "1.0", "0.001", "1.0E7", "1.0E-4"; "NaN", "Infinity",
 * "-Infinity" quoted. Appends to b. */
serde_code_t serde__pb_put_double(serde_buf_t *b, double x, bool is_float);
/* Decimal text of an integer; quoted (int64 family) when `quoted`. */
serde_code_t serde__pb_put_int(serde_buf_t *b, int64_t x, bool quoted);
serde_code_t serde__pb_put_uint(serde_buf_t *b, uint64_t x, bool quoted);

/* JSON value -> number of a Protobuf type. Each returns false with a
 * message in why (static text) when v is not such a number. Integers accept
 * JSON integers, integral reals (1.0, 1e3) and strings of either; floats
 * accept numbers, numeric strings and "NaN"/"Infinity"/"-Infinity". */
bool serde__pb_json_int(const json_t *v, int64_t min, int64_t max, int64_t *out, const char **why);
bool serde__pb_json_uint(const json_t *v, uint64_t max, uint64_t *out, const char **why);
bool serde__pb_json_double(const json_t *v, bool is_float, double *out, const char **why);
/* Text -> integer, as for map keys ("-12"). */
bool serde__pb_text_int(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
bool serde__pb_text_uint(const char *s, size_t n, uint64_t max, uint64_t *out);

/* ---- Timestamp and Duration text (pb_wkt_time.c) --------------------------------------- */

#define PB_TIME_TEXT_MAX 96 /* room for what printf could print, not just what it will */
/* RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as Java's
 * Timestamps.toString. false if outside 0001-01-01 .. 9999-12-31 or nanos
 * outside 0..999,999,999. */
bool serde__pb_timestamp_format(int64_t seconds, int32_t nanos, char out[PB_TIME_TEXT_MAX]);
/* "1972-01-01T10:00:20.021Z" or with an offset "+01:00"; same range. */
bool serde__pb_timestamp_parse(const char *s, size_t n, int64_t *seconds, int32_t *nanos);
/* "1.5s", "-0.000001s"; false when seconds exceed 315,576,000,000 or the
 * signs of seconds and nanos differ. */
bool serde__pb_duration_format(int64_t seconds, int32_t nanos, char out[PB_TIME_TEXT_MAX]);
bool serde__pb_duration_parse(const char *s, size_t n, int64_t *seconds, int32_t *nanos);

/* ---- error paths -------------------------------------------------------------------------- */

/* A JSON path ("$.items[2].price") built right to left while an error
 * unwinds, so the success path never pays for it. */
typedef struct pb_path {
  char buf[256];
  size_t start; /* text is buf[start..] */
} pb_path_t;

static inline void serde__pb_path_init(pb_path_t *p) {
  p->start = sizeof p->buf - 1;
  p->buf[p->start] = '\0';
}

/* Prepends ".name", "[\"key\"]" (key_len bytes) or "[index]". */
static inline void serde__pb_path_seg(pb_path_t *p, const char *name, const char *key, size_t key_len,
                                      size_t index) {
  char seg[96];
  int n = name  ? snprintf(seg, sizeof seg, ".%s", name)
          : key ? snprintf(seg, sizeof seg, "[\"%.*s\"]", (int)(key_len > 64 ? 64 : key_len), key)
                : snprintf(seg, sizeof seg, "[%zu]", index);
  size_t len = n < 0 ? 0 : (size_t)n >= sizeof seg ? sizeof seg - 1 : (size_t)n;
  if (len <= p->start) {
    p->start -= len;
    memcpy(p->buf + p->start, seg, len);
  }
}

/* Prefixes err's message with "$<path>: ". */
static inline void serde__pb_path_apply(const pb_path_t *p, serde_error_t *err) {
  if (err) {
    serde__error_prefix(err, "$%s", p->buf + p->start);
  }
}

/* ---- the JSON walkers' state and the well-known types (pb_wkt_json.c) ------------------ */

/* Binary -> JSON. */
typedef struct pb_jout {
  const sch_pb_schema_t *schema;
  serde_buf_t *out;
  serde_error_t *err;
  pb_path_t path;
  pb_occs_t occs;
  int depth;
} pb_jout_t;

/* Prints message m whose bytes are the spans items[from..to) (LEN or SGROUP
 * occurrences of one field, merged in order; an empty range is an empty
 * message). type_url (NULL if none) is an Any's "@type", printed first. */
serde_code_t serde__pb_out_message(pb_jout_t *j, const sch_pb_message_t *m, size_t from, size_t to,
                                   const char *type_url, size_t url_len);
/* Prints the JSON value of field f of m from its occurrences items[s..e)
 * (s < e): an array, an object for a map, a message, or the last scalar. */
serde_code_t serde__pb_out_value(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f, size_t s,
                                 size_t e);
/* Prints the value field f of m has when absent ([] and {} for repeated
 * fields and maps; proto2 [default = ..]; else the zero value). */
serde_code_t serde__pb_out_default(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f);
/* Prints one scalar or enum value of field f of m from a raw wire value
 * (VARINT/I64/I32 in v, LEN in p/len). */
serde_code_t serde__pb_out_scalar(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f,
                                  uint64_t v, const uint8_t *p, size_t len);
/* Length of the longest well-formed UTF-8 prefix of s (n when it is all
 * valid). */
size_t serde__pb_utf8_prefix(const uint8_t *s, size_t n);
/* Is m a well-known type with a special JSON form (Timestamp, Duration, the
 * wrappers, Struct, Value, ListValue, FieldMask, Any)? */
bool serde__pb_wkt_special(const sch_pb_message_t *m);
/* Prints such a message from its scanned, sorted occurrences items[s..e). */
serde_code_t serde__pb_wkt_out(pb_jout_t *j, const sch_pb_message_t *m, size_t s, size_t e);

/* JSON -> binary. */
typedef struct pb_jin {
  const sch_pb_schema_t *schema;
  serde_buf_t *out;
  serde_error_t *err;
  pb_path_t path;
  int depth;
} pb_jin_t;

/* Writes the fields of m from json (an object, or the special form of a
 * well-known type); skip_type drops an Any's "@type" member. */
serde_code_t serde__pb_in_message(pb_jin_t *j, const sch_pb_message_t *m, const json_t *json, bool skip_type);
/* Writes field f of m from JSON value v (null: not set, except for
 * google.protobuf.Value and NullValue). */
serde_code_t serde__pb_in_field(pb_jin_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f,
                                const json_t *v);
/* Writes a well-known type from its special JSON form. */
serde_code_t serde__pb_wkt_in(pb_jin_t *j, const sch_pb_message_t *m, const json_t *json);
/* Fails with VALUE_INVALID: "expected <what>, got <json kind or text>". */
serde_code_t serde__pb_in_expected(pb_jin_t *j, const char *what, const json_t *got);

/* Does the field's JSON value null mean something other than "not set"
 * (google.protobuf.Value, google.protobuf.NullValue)? */
bool serde__pb_null_is_value(const sch_pb_field_t *f);

#endif
