// SPDX-License-Identifier: Apache-2.0
/* Resolved Protobuf schemas: a .proto file linked with its imports (registry
 * references and the built-in well-known types) into descriptors, the way
 * protoc builds them: full names, field types resolved to messages and enums,
 * synthetic map-entry messages, json names, proto3 `optional` oneofs. On top
 * of it: message indexes (the wire format's message path), the Confluent
 * compatibility diff, FileDescriptorProto bytes (`format=serialized`) and
 * reading a FileDescriptorProto back into .proto text (clients that register
 * base64 descriptors). Everything a descriptor points to is owned by its
 * sch_pb_schema_t and lives until sch_pb_schema_destroy. Thread-safe after
 * build (read-only). */
#ifndef WEIR_SCHEMAS_PROTO_SCHEMA_H
#define WEIR_SCHEMAS_PROTO_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schemas/proto_model.h"
#include "schemas/schemas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* FieldDescriptorProto.Type numbers. */
typedef enum {
  SCH_PB_DOUBLE = 1,
  SCH_PB_FLOAT = 2,
  SCH_PB_INT64 = 3,
  SCH_PB_UINT64 = 4,
  SCH_PB_INT32 = 5,
  SCH_PB_FIXED64 = 6,
  SCH_PB_FIXED32 = 7,
  SCH_PB_BOOL = 8,
  SCH_PB_STRING = 9,
  SCH_PB_GROUP = 10,
  SCH_PB_MESSAGE = 11,
  SCH_PB_BYTES = 12,
  SCH_PB_UINT32 = 13,
  SCH_PB_ENUM = 14,
  SCH_PB_SFIXED32 = 15,
  SCH_PB_SFIXED64 = 16,
  SCH_PB_SINT32 = 17,
  SCH_PB_SINT64 = 18,
} sch_pb_type_t;

/* FieldDescriptorProto.Label numbers; proto3 singular fields are OPTIONAL. */
typedef enum { SCH_PB_OPTIONAL = 1, SCH_PB_REQUIRED = 2, SCH_PB_REPEATED = 3 } sch_pb_label_t;

typedef struct sch_pb_message sch_pb_message_t;
typedef struct sch_pb_enum sch_pb_enum_t;
typedef struct sch_pb_file sch_pb_file_t;
typedef struct sch_pb_schema sch_pb_schema_t;

typedef struct sch_pb_enum_value {
  const char *name;
  int32_t number;
  const sch_proto_enum_value_t *src;
} sch_pb_enum_value_t;

struct sch_pb_enum {
  const char *name;      /* "Color" */
  const char *full_name; /* "pkg.Outer.Color" (no leading dot) */
  const sch_pb_enum_value_t *values; /* declaration order */
  size_t n_values;
  const sch_pb_file_t *file;
  const sch_pb_message_t *parent; /* NULL at file level */
  const sch_proto_enum_t *src;
};

typedef struct sch_pb_field {
  const char *name;
  const char *json_name; /* [json_name = ".."] or protoc's lowerCamelCase of name */
  int32_t number;
  sch_pb_label_t label;
  sch_pb_type_t type;
  const char *type_name;           /* ".pkg.Msg" for MESSAGE, GROUP, ENUM; NULL for scalars */
  const sch_pb_message_t *message; /* MESSAGE, GROUP (map fields: the entry message) */
  const sch_pb_enum_t *enm;        /* ENUM */
  int oneof_index;                 /* index into the parent's oneofs, -1 if none */
  bool proto3_optional;            /* proto3 `optional` (member of a synthetic oneof) */
  bool packed;                     /* repeated scalar numeric encoded packed (proto3 default or [packed=true]) */
  const char *default_value;       /* proto2 [default = ..] in descriptor text form, NULL if none */
  const sch_proto_field_t *src;    /* NULL for map-entry key/value */
} sch_pb_field_t;

typedef struct sch_pb_oneof {
  const char *name;
  bool synthetic; /* proto3 `optional` field's "_name" oneof */
  const sch_proto_oneof_t *src;
} sch_pb_oneof_t;

struct sch_pb_message {
  const char *name;      /* "Inner" */
  const char *full_name; /* "pkg.Outer.Inner" (no leading dot) */
  const sch_pb_field_t *fields; /* declaration order, oneof members in place */
  size_t n_fields;
  const sch_pb_oneof_t *oneofs; /* declaration order; synthetic ones after real ones, as protoc */
  size_t n_oneofs;
  /* nested_type in protoc's order: declared messages, map-entry messages and
   * groups, each at the position of its declaration. */
  const sch_pb_message_t *const *nested;
  size_t n_nested;
  const sch_pb_enum_t *const *enums;
  size_t n_enums;
  bool map_entry; /* synthetic entry of a map<> field: key = 1, value = 2 */
  const sch_pb_file_t *file;
  const sch_pb_message_t *parent; /* NULL at file level */
  const sch_proto_message_t *src; /* NULL for map entries */
};

struct sch_pb_file {
  const char *path;    /* import path; for the schema itself the name given to build ("" by default) */
  const char *package; /* NULL if none */
  sch_proto_syntax_t syntax;
  const sch_pb_message_t *const *messages; /* top level, declaration order */
  size_t n_messages;
  const sch_pb_enum_t *const *enums;
  size_t n_enums;
  const sch_pb_file_t *const *deps; /* one per import statement, in order */
  size_t n_deps;
  bool builtin; /* a well-known type weir carries */
  const sch_proto_file_t *ast;
};

/* ---- building ------------------------------------------------------------ */

/* Limits beyond the parser's: files in one schema (refs + built-ins used). */
#define SCH_PB_MAX_FILES 1000

/* Parses `text` and links it with `refs` (import path -> .proto text, in any
 * order; each becomes the file of that import path) and the built-in
 * well-known types (used only when imported and not given in refs).
 * Resolves every type name with protoc's scoping rules. Errors
 * (SCH_ERR_INVALID unless said otherwise), each naming the file and line:
 * parse errors; `import "x.proto"` with no such ref or built-in
 * (SCH_ERR_REFERENCE, "import \"x.proto\" was not found"); cyclic imports
 * ("import cycle: a.proto -> b.proto -> a.proto"); unknown or ambiguous type
 * names (SCH_ERR_REFERENCE, "line 4:3: field \"f\": type \"Foo\" is not
 * defined"); a type that is not a message/enum where one is needed; duplicate
 * full names across files; proto3 enums whose first value is not 0; limits
 * (SCH_ERR_LIMIT). Text only: base64 FileDescriptorProto bodies are turned
 * into text by the PROTOBUF format first (sch_pb_descriptor_to_proto).
 * Returns NULL with err set. */
sch_pb_schema_t *sch_pb_schema_build(const char *text, size_t len, const sch_reference_t *refs, size_t n_refs,
                                     sch_error_t *err);
void sch_pb_schema_destroy(sch_pb_schema_t *schema); /* accepts NULL */

/* The schema's own file (not a dependency). */
const sch_pb_file_t *sch_pb_schema_file(const sch_pb_schema_t *schema);

/* Looks a message or enum up by full name ("pkg.Msg", no leading dot; a
 * leading dot is ignored) in the schema's file and everything it imports.
 * NULL if absent. */
const sch_pb_message_t *sch_pb_find_message(const sch_pb_schema_t *schema, const char *full_name);
const sch_pb_enum_t *sch_pb_find_enum(const sch_pb_schema_t *schema, const char *full_name);

/* Field of `m` with tag `number`, NULL if none (binary search; fields may be
 * in any order). */
const sch_pb_field_t *sch_pb_field_by_number(const sch_pb_message_t *m, int32_t number);
/* Field of `m` by name or json_name, NULL if none. */
const sch_pb_field_t *sch_pb_field_by_name(const sch_pb_message_t *m, const char *name);

/* ---- well-known types ------------------------------------------------------ */

/* The .proto text weir carries for a well-known import path
 * (google/protobuf/{any,api,descriptor,duration,empty,field_mask,
 * source_context,struct,timestamp,type,wrappers}.proto, every google/type file,
 * confluent/meta.proto, confluent/type/decimal.proto,
 * confluent/type/variant.proto). NULL (and *len untouched) if not built in. */
const char *sch_pb_builtin_text(const char *path, size_t *len);

/* ---- message indexes (wire format §1.3) ---------------------------------- */

#define SCH_PB_MAX_INDEXES 64 /* deeper paths are refused */

/* The path of `m` from the file's top level: position among the file's
 * top-level messages, then among each parent's nested messages (map entries
 * counted, as protoc's descriptor does). Writes up to cap entries; returns
 * the path length (may exceed cap: then nothing useful was written). */
size_t sch_pb_message_indexes(const sch_pb_message_t *m, int32_t *out, size_t cap);

/* The message at `indexes` in `file`; n == 0 means [0]. NULL if the path
 * points at nothing. */
const sch_pb_message_t *sch_pb_message_at(const sch_pb_file_t *file, const int32_t *indexes, size_t n);

/* ---- compatibility diff (schema-registry.md §6.2) -------------------------- */

typedef struct sch_pb_change {
  const char *type; /* static: "FIELD_KIND_CHANGED" */
  char *path;       /* owned: "#/TestMessage/2" */
  bool compatible;  /* in Confluent's compatible set */
} sch_pb_change_t;

typedef struct sch_pb_changes {
  sch_pb_change_t *items;
  size_t count, cap;
} sch_pb_changes_t;

/* Confluent's SchemaDiff.compare(original, update): every difference, in
 * Confluent's order. Returns SCH_OK or SCH_ERR_NOMEM. */
sch_code_t sch_pb_diff(const sch_pb_schema_t *original, const sch_pb_schema_t *update, sch_pb_changes_t *out,
                       sch_error_t *err);
void sch_pb_changes_fini(sch_pb_changes_t *changes);
/* Confluent's description text for one change, e.g. "The kind of a field at
 * path '#/TestMessage/2' in the new schema does not match the old schema".
 * Written into out (always NUL-terminated). */
void sch_pb_change_describe(const sch_pb_change_t *change, char *out, size_t size);

/* ---- FileDescriptorProto --------------------------------------------------- */

/* The FileDescriptorProto of `file` as protoc would emit it with
 * --descriptor_set_out (no source info): name, package, dependency,
 * public/weak dependency, message_type, enum_type, service, extension,
 * options, syntax ("proto3" only for proto3, as protoc). Returns malloc'd
 * bytes (free()), length in *len; NULL with err set on failure. */
uint8_t *sch_pb_file_descriptor(const sch_pb_file_t *file, size_t *len, sch_error_t *err);

/* Reads a serialized FileDescriptorProto and prints it as .proto text in
 * sch_proto_print's layout (what the registry stores when a client
 * registers a base64 descriptor). Returns malloc'd NUL-terminated text,
 * length in *out_len; NULL with err set (SCH_ERR_INVALID "not a
 * FileDescriptorProto: ..."; SCH_ERR_LIMIT). */
char *sch_pb_descriptor_to_proto(const uint8_t *bytes, size_t len, size_t *out_len, sch_error_t *err);

/* ---- base64 (RFC 4648, with padding) ------------------------------------------ */

/* malloc'd NUL-terminated base64 of n bytes; NULL on oom. */
char *sch_base64_encode(const void *data, size_t n, size_t *out_len);
/* Decodes standard base64 (padding optional, no whitespace). malloc'd bytes,
 * length in *out_len; NULL if the text is not base64 or on oom. */
uint8_t *sch_base64_decode(const char *text, size_t len, size_t *out_len);

/* ---- the PROTOBUF sch_format_t ---------------------------------------------- */

/* The resolved schema behind a PROTOBUF sch_schema_t; NULL for other formats. */
const sch_pb_schema_t *sch_proto_schema_resolved(const sch_schema_t *schema);

#ifdef __cplusplus
}
#endif
#endif
