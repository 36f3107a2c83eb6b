// SPDX-License-Identifier: Apache-2.0
/* Public API of the schemas module: the schema formats weir understands
 * (Avro today; Protobuf and JSON Schema plug into the same table), reached
 * through one table of operations per format, plus the format-neutral
 * compatibility driver for the seven Confluent levels. No I/O, no HTTP, no SQL:
 * callers hand in text (and already-resolved references) and get parsed
 * schemas, canonical text and compatibility verdicts with reasons. */
#ifndef WEIR_SCHEMAS_SCHEMAS_H
#define WEIR_SCHEMAS_SCHEMAS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------ */

#define SCH_ERRORS(X)                                                       \
  X(SCH_OK, "ok")                                                           \
  X(SCH_ERR_INVALID, "invalid schema")             /* bad syntax/semantics */ \
  X(SCH_ERR_REFERENCE, "unresolved reference")     /* unknown named type */   \
  X(SCH_ERR_LIMIT, "limit exceeded")               /* depth/size/count */     \
  X(SCH_ERR_NOMEM, "out of memory")

typedef enum {
#define SCH_X_ENUM(code, text) code,
  SCH_ERRORS(SCH_X_ENUM)
#undef SCH_X_ENUM
} sch_code_t;

/* Caller-owned error; message is lower case and names the offending thing,
 * e.g. `field "f2": default "abc" is not an int`. */
typedef struct sch_error {
  sch_code_t code;
  char message[1024];
} sch_error_t;

/* Returns the fixed description of a code ("invalid schema"). */
const char *sch_code_name(sch_code_t code);

/* ---- limits ------------------------------------------------------------ */

#define SCH_MAX_DEPTH 64           /* nesting of types inside one schema */
#define SCH_MAX_SCHEMA_BYTES (4u << 20)
#define SCH_MAX_NAMED_TYPES 10000  /* per parse, references included */
#define SCH_MAX_JSON_DEPTH 128     /* JSON nesting of schema text handed to jansson */

/* True if no point of `text` nests arrays/objects deeper than max_depth.
 * jansson recurses per level and HTTP worker stacks are small, so untrusted
 * JSON is checked with this before it is parsed. Does not validate syntax. */
bool sch_json_nesting_within(const char *text, size_t len, int max_depth);

/* ---- messages (compatibility reasons) ----------------------------------- */

/* A growable list of owned strings. Zero-initialise, then sch_messages_fini. */
typedef struct sch_messages {
  char **items;
  size_t count;
  size_t cap;
} sch_messages_t;

/* Appends a formatted message. Returns SCH_OK or SCH_ERR_NOMEM. */
sch_code_t sch_messages_addf(sch_messages_t *msgs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sch_messages_fini(sch_messages_t *msgs);

/* ---- parsed schemas ------------------------------------------------------ */

typedef struct sch_schema sch_schema_t;
typedef struct sch_format sch_format_t;

/* A dependency the caller already resolved (registry references). */
typedef struct sch_reference {
  const char *name;   /* Avro: full name of the named type it defines; Protobuf: import path */
  const char *schema; /* the dependency's schema text */
  size_t schema_len;
} sch_reference_t;

typedef struct sch_parse_opts {
  /* Dependencies in depth-first order: a dependency's own dependencies come
   * before it. Their named types become visible to later ones and to the
   * schema itself; canonical text of the schema refers to them by name. */
  const sch_reference_t *refs;
  size_t n_refs;
  /* New-schema validation: defaults must match their types, names must be
   * valid. false = lenient (IMPORT mode, lookups). */
  bool validate;
  /* Produce the normalized form (§5.11 normalize=true) as canonical text. */
  bool normalize;
} sch_parse_opts_t;

/* One reader/writer check with the words Confluent puts in its messages for
 * each side: BACKWARD checks say "new" for the reader and "old" for the
 * writer, FORWARD checks the reverse. */
typedef struct sch_compat_pair {
  const sch_schema_t *reader;
  const sch_schema_t *writer;
  const char *reader_role; /* "new" or "old" */
  const char *writer_role; /* "old" or "new" */
} sch_compat_pair_t;

/* The operations every format provides. */
struct sch_format {
  const char *name; /* "AVRO", "PROTOBUF", "JSON" */
  /* Parses text (not NUL-terminated necessarily). Returns a new schema, release
   * with sch_schema_destroy, or NULL with err set (SCH_ERR_INVALID,
   * SCH_ERR_REFERENCE, SCH_ERR_LIMIT, SCH_ERR_NOMEM). */
  sch_schema_t *(*parse)(const char *text, size_t len, const sch_parse_opts_t *opts, sch_error_t *err);
  /* Can `reader` read data written with `writer`? Both were parsed by this
   * format. Sets *compatible; appends one message per incompatibility to msgs
   * (may be NULL) in Confluent's text form, e.g.
   * {errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'...', additionalInfo:'f2'}.
   * Returns SCH_OK or an error (SCH_ERR_NOMEM). */
  sch_code_t (*can_read)(const sch_schema_t *reader, const sch_schema_t *writer, bool *compatible,
                         sch_messages_t *msgs, sch_error_t *err);
  void (*destroy)(sch_schema_t *schema);
  /* Optional: can_read with the side words of `pair` in the messages instead
   * of can_read's "new"/"old". The driver prefers it when set. */
  sch_code_t (*can_read_pair)(const sch_compat_pair_t *pair, bool *compatible, sch_messages_t *msgs,
                              sch_error_t *err);
  /* Optional: the schema in another representation named by the registry's
   * `format` query parameter (PROTOBUF: "serialized", base64 of the
   * FileDescriptorProto). Returns malloc'd NUL-terminated text; NULL with
   * err->code SCH_OK when the format does not apply (the caller answers with
   * the canonical text), or NULL with an error. */
  char *(*render)(const sch_schema_t *schema, const char *format, size_t *len, sch_error_t *err);
};

/* Every schema starts with this header; formats embed it first. */
struct sch_schema {
  const sch_format_t *format;
  char *canonical; /* NUL-terminated canonical (or normalized) text, owned */
  size_t canonical_len;
};

/* Looks a format up by its Confluent name (case-sensitive: "AVRO",
 * "PROTOBUF", "JSON"). Returns NULL if weir does not support it. */
const sch_format_t *sch_format_find(const char *name);

/* The names of all supported formats, NULL-terminated. */
const char *const *sch_format_names(void);

/* Convenience: format->parse. */
sch_schema_t *sch_schema_parse(const sch_format_t *format, const char *text, size_t len,
                               const sch_parse_opts_t *opts, sch_error_t *err);
/* format->render if the format has one, else NULL with err->code SCH_OK. */
char *sch_schema_render(const sch_schema_t *schema, const char *format, size_t *len, sch_error_t *err);
/* Canonical text (owned by the schema, valid until destroy). */
const char *sch_schema_canonical(const sch_schema_t *schema, size_t *len);
void sch_schema_destroy(sch_schema_t *schema); /* accepts NULL */

/* ---- compatibility levels and driver -------------------------------------- */

typedef enum {
  SCH_COMPAT_NONE = 0,
  SCH_COMPAT_BACKWARD,
  SCH_COMPAT_BACKWARD_TRANSITIVE,
  SCH_COMPAT_FORWARD,
  SCH_COMPAT_FORWARD_TRANSITIVE,
  SCH_COMPAT_FULL,
  SCH_COMPAT_FULL_TRANSITIVE,
} sch_compat_level_t;

/* Upper-case name ("BACKWARD_TRANSITIVE"). */
const char *sch_compat_level_name(sch_compat_level_t level);
/* Case-insensitive parse. Returns 0 and sets *out, or -1 if unknown. */
int sch_compat_level_parse(const char *text, sch_compat_level_t *out);

/* One previously registered live version, as the driver sees it. */
typedef struct sch_compat_prev {
  const sch_schema_t *schema;
  int version; /* for the {oldSchemaVersion: N} message */
} sch_compat_prev_t;

/* Checks `candidate` against `prev` (oldest first, so prev[n-1] is latest)
 * under `level`: non-transitive levels look only at the latest; transitive
 * ones at all, newest first, stopping at the first failing version. BACKWARD
 * = candidate reads prev; FORWARD = prev reads candidate; FULL = both. A
 * version of another format is incompatible ("Incompatible because of
 * different schema type"). On incompatibility appends the format's messages,
 * then "{oldSchemaVersion: N}" and "{oldSchema: '<text, cut at 10 KiB>'}".
 * As in Confluent's SchemaValidatorBuilder, FULL lists the forward messages
 * first and appends the two version lines only after backward messages.
 * Returns SCH_OK (verdict in *compatible) or an error code. */
sch_code_t sch_compat_check(sch_compat_level_t level, const sch_schema_t *candidate, const sch_compat_prev_t *prev,
                            size_t n, bool *compatible, sch_messages_t *msgs, sch_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
