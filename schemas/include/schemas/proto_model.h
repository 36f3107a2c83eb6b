// SPDX-License-Identifier: Apache-2.0
/* The syntax tree of one parsed .proto file (proto2 or proto3), as written:
 * type names are kept as spelled (not resolved against the package or
 * imports), option values are kept as constants, comments are dropped. It
 * owns no behaviour beyond parse, print and destroy; name resolution across
 * imports, well-known types, FileDescriptorProto and compatibility live
 * elsewhere. Every node belongs to the file's arena: one sch_proto_file_destroy
 * frees them all. */
#ifndef WEIR_SCHEMAS_PROTO_MODEL_H
#define WEIR_SCHEMAS_PROTO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "schemas/schemas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Count limits (SCH_ERR_LIMIT); nesting uses SCH_MAX_DEPTH, text size
 * SCH_MAX_SCHEMA_BYTES, messages+enums SCH_MAX_NAMED_TYPES. */
#define SCH_PROTO_MAX_ELEMS 10000 /* statements inside one message/enum/service/file */

typedef enum { SCH_PROTO2 = 2, SCH_PROTO3 = 3 } sch_proto_syntax_t;

typedef enum {
  SCH_PROTO_CONST_IDENT,     /* true, false, inf, -inf, nan, ENUM_VALUE, a.b */
  SCH_PROTO_CONST_INT,       /* text as written with sign: "-0x1F" */
  SCH_PROTO_CONST_FLOAT,     /* text as written with sign: "1.5e3" */
  SCH_PROTO_CONST_STRING,    /* decoded bytes in str/str_len */
  SCH_PROTO_CONST_AGGREGATE, /* "{ a: 1 b { c: \"x\" } }", tokens joined by one space */
} sch_proto_const_kind_t;

typedef struct sch_proto_const {
  sch_proto_const_kind_t kind;
  const char *text; /* NUL-terminated; for STRING the decoded bytes (may hold NULs) */
  size_t len;
} sch_proto_const_t;

/* `option name = value;` or one `[name = value]` entry. name is normalized
 * without spaces: "java_package", "(my.ext).field", "(.a.b)". */
typedef struct sch_proto_option {
  const char *name;
  sch_proto_const_t value;
  int line, col;
  struct sch_proto_option *next;
} sch_proto_option_t;

typedef enum {
  SCH_PROTO_LABEL_NONE = 0,
  SCH_PROTO_LABEL_OPTIONAL,
  SCH_PROTO_LABEL_REQUIRED,
  SCH_PROTO_LABEL_REPEATED,
} sch_proto_label_t;

typedef struct sch_proto_field {
  sch_proto_label_t label;
  const char *type;    /* as written: "int32", ".foo.Bar", "Bar"; map value type for maps */
  const char *map_key; /* non-NULL for map<key, type> fields */
  const char *name;
  int32_t number;
  sch_proto_option_t *options; /* [default = .., json_name = .., packed = ..] in order */
  /* proto2 `group Name = N { ... }`: the group's body; type is "Name" and
   * name its lower-case form, as protoc derives them. NULL otherwise. */
  struct sch_proto_message *group;
  int line, col;
  struct sch_proto_field *next;
} sch_proto_field_t;

typedef struct sch_proto_oneof {
  const char *name;
  sch_proto_option_t *options;
  sch_proto_field_t *fields;
  int line, col;
} sch_proto_oneof_t;

/* One range of `reserved` or `extensions`; end == SCH_PROTO_MAX_TAG for
 * "max" (end_is_max set so "max" prints back as written). */
#define SCH_PROTO_MAX_TAG 536870911
typedef struct sch_proto_range {
  int32_t start, end;
  int end_is_max;
  struct sch_proto_range *next;
} sch_proto_range_t;

typedef struct sch_proto_name {
  const char *name;
  struct sch_proto_name *next;
} sch_proto_name_t;

/* `reserved 1, 5 to 9;` (ranges) or `reserved "a", "b";` (names), or
 * `extensions 100 to max [opts];` (ranges, options). */
typedef struct sch_proto_reserved {
  sch_proto_range_t *ranges;
  sch_proto_name_t *names;
  sch_proto_option_t *options; /* extensions only */
  int line, col;
} sch_proto_reserved_t;

typedef struct sch_proto_enum_value {
  const char *name;
  int32_t number;
  sch_proto_option_t *options;
  int line, col;
  struct sch_proto_enum_value *next;
} sch_proto_enum_value_t;

typedef struct sch_proto_enum {
  const char *name;
  sch_proto_enum_value_t *values;
  sch_proto_option_t *options;
  struct sch_proto_elem *reserved; /* SCH_PROTO_ELEM_RESERVED entries, in order */
  int line, col;
} sch_proto_enum_t;

typedef struct sch_proto_message sch_proto_message_t;

/* `extend Type { fields }`: kept for printing, not checked against Type. */
typedef struct sch_proto_extend {
  const char *type;
  sch_proto_field_t *fields;
  int line, col;
} sch_proto_extend_t;

typedef struct sch_proto_rpc {
  const char *name;
  const char *input, *output;
  int input_stream, output_stream;
  sch_proto_option_t *options;
  int has_body; /* written with { } rather than ; */
  int line, col;
  struct sch_proto_rpc *next;
} sch_proto_rpc_t;

typedef struct sch_proto_service {
  const char *name;
  sch_proto_option_t *options;
  sch_proto_rpc_t *rpcs;
  int line, col;
} sch_proto_service_t;

/* The statements of a message body (or of the file) in declaration order. */
typedef enum {
  SCH_PROTO_ELEM_FIELD,
  SCH_PROTO_ELEM_ONEOF,
  SCH_PROTO_ELEM_MESSAGE,
  SCH_PROTO_ELEM_ENUM,
  SCH_PROTO_ELEM_OPTION,
  SCH_PROTO_ELEM_RESERVED,
  SCH_PROTO_ELEM_EXTENSIONS,
  SCH_PROTO_ELEM_EXTEND,
  SCH_PROTO_ELEM_SERVICE, /* file level only */
} sch_proto_elem_kind_t;

typedef struct sch_proto_elem {
  sch_proto_elem_kind_t kind;
  union {
    sch_proto_field_t *field;
    sch_proto_oneof_t *oneof;
    sch_proto_message_t *message;
    sch_proto_enum_t *enm;
    sch_proto_option_t *option;
    sch_proto_reserved_t *reserved; /* RESERVED and EXTENSIONS */
    sch_proto_extend_t *extend;
    sch_proto_service_t *service;
  } u;
  struct sch_proto_elem *next;
} sch_proto_elem_t;

struct sch_proto_message {
  const char *name;
  sch_proto_elem_t *elems;
  int line, col;
};

typedef enum { SCH_PROTO_IMPORT = 0, SCH_PROTO_IMPORT_PUBLIC, SCH_PROTO_IMPORT_WEAK } sch_proto_import_kind_t;

typedef struct sch_proto_import {
  const char *path;
  size_t path_len;
  sch_proto_import_kind_t kind;
  int line, col;
  struct sch_proto_import *next;
} sch_proto_import_t;

typedef struct sch_proto_file {
  sch_proto_syntax_t syntax;
  int syntax_written;  /* the file had a syntax statement */
  const char *package; /* NULL if none */
  sch_proto_import_t *imports;
  sch_proto_elem_t *elems; /* options, messages, enums, services, extends */
  struct sch_proto_arena *arena;
} sch_proto_file_t;

/* Parses .proto text (need not be NUL-terminated) and runs the checks that
 * need no imports (field numbers, duplicates, proto3 rules, reserved, map
 * keys). Returns a new file, release with sch_proto_file_destroy; or NULL
 * with err set: SCH_ERR_INVALID ("line 4:12: expected \"=\" after field name
 * \"id\""), SCH_ERR_LIMIT (size, depth, counts), SCH_ERR_NOMEM. Editions are
 * rejected as SCH_ERR_INVALID; proto2 groups are parsed. Thread-safe (no globals). */
sch_proto_file_t *sch_proto_parse(const char *text, size_t len, sch_error_t *err);

/* Frees the file and every node in it. Accepts NULL. */
void sch_proto_file_destroy(sch_proto_file_t *file);

/* Prints the file in weir's stable layout (comments dropped, 2-space indent,
 * one statement per line; see proto_print.c). Returns NUL-terminated text the
 * caller frees with free(), length in *len (may be NULL); NULL with err set
 * to SCH_ERR_NOMEM on allocation failure. print(parse(print(f))) == print(f). */
char *sch_proto_print(const sch_proto_file_t *file, size_t *len, sch_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
