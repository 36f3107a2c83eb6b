// SPDX-License-Identifier: Apache-2.0
/* Internals of the Protobuf resolver (proto_resolve*.c, proto_index.c,
 * proto_builtin.c): the schema object, the private parts every resolved
 * file and message carries behind its public struct, the symbol table of
 * full names, and the resolver's build state. Also what the
 * FileDescriptorProto writer needs beyond the public header: resolved
 * extension fields and service methods, per file. */
#ifndef WEIR_SCHEMAS_PROTO_RESOLVE_INT_H
#define WEIR_SCHEMAS_PROTO_RESOLVE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "proto_int.h"
#include "schemas/proto_schema.h"

/* ---- for the FileDescriptorProto writer ---------------------------------- */

/* A field declared in an `extend` block. field.oneof_index is -1. */
typedef struct sch__pb_extension {
  sch_pb_field_t field;
  const char *extendee;           /* ".google.protobuf.FieldOptions" */
  const sch_pb_message_t *target; /* the resolved extendee */
  const sch_pb_message_t *scope;  /* message holding the extend block, NULL at file level */
} sch__pb_extension_t;

typedef struct sch__pb_method {
  const char *name;
  const char *input_type;  /* ".pkg.Req" */
  const char *output_type; /* ".pkg.Resp" */
  const sch_proto_rpc_t *src;
} sch__pb_method_t;

typedef struct sch__pb_service {
  const char *name;
  const char *full_name;
  const sch__pb_method_t *methods; /* declaration order */
  size_t n_methods;
  const sch_proto_service_t *src;
} sch__pb_service_t;

/* Extensions of `file` in declaration order (file level and nested, each
 * with its scope); services in declaration order. Owned by the schema. */
const sch__pb_extension_t *sch__pb_file_extensions(const sch_pb_file_t *file, size_t *n);
const sch__pb_service_t *sch__pb_file_services(const sch_pb_file_t *file, size_t *n);

/* ---- resolved nodes ---------------------------------------------------------- */

/* Every sch_pb_file_t the resolver makes is the first member of this. */
typedef struct pb_file {
  sch_pb_file_t pub;
  size_t idx;            /* position in schema->files (dependencies first) */
  int state;             /* PB_FILE_NEW, _LOADING, _DONE while linking imports */
  sch_proto_file_t *ast; /* owned: destroyed with the schema */
  const char *label;     /* path for messages: "\"a.proto\": " or "" for the main file */
  sch__pb_extension_t *exts;
  size_t n_exts, cap_exts;
  sch__pb_service_t *services;
  size_t n_services;
} pb_file_t;

enum { PB_FILE_NEW, PB_FILE_LOADING, PB_FILE_DONE };

/* Where a field's type comes from, kept until its type is resolved. */
typedef struct pb_origin {
  const char *type;  /* as written; NULL once known (scalars, groups) */
  const char *field; /* the declared field's name, for messages */
  int line, col;
} pb_origin_t;

/* Every sch_pb_message_t the resolver makes is the first member of this. */
typedef struct pb_message {
  sch_pb_message_t pub;
  int32_t index;                    /* position among its siblings (nested or file top level) */
  pb_origin_t *origins;             /* parallel to pub.fields */
  const sch_pb_field_t **by_number; /* sorted by number */
  const sch_pb_field_t **by_name;   /* sorted by name */
  const sch_pb_field_t **by_json;   /* sorted by json_name */
} pb_message_t;

/* ---- symbol table ------------------------------------------------------------ */

typedef enum {
  PB_SYM_PACKAGE, /* every prefix of a file's package: "a", "a.b" */
  PB_SYM_MESSAGE,
  PB_SYM_ENUM,
  PB_SYM_SERVICE,
  PB_SYM_OTHER, /* field, oneof, enum value, extension, method: not a type, not a scope */
} pb_sym_kind_t;

typedef struct pb_sym {
  const char *name; /* full name, no leading dot */
  pb_sym_kind_t kind;
  const pb_file_t *file;
  const void *node; /* sch_pb_message_t, sch_pb_enum_t, or NULL */
  int line, col;
} pb_sym_t;

struct sch_pb_schema {
  sch_proto_arena_t *arena; /* every resolved node and string */
  pb_file_t *main;
  pb_file_t **files; /* dependencies before their dependents; main last */
  size_t n_files;
  pb_sym_t *syms; /* sorted by name (packages before others of one name) */
  size_t n_syms;
};

/* ---- build state ------------------------------------------------------------ */

typedef struct pb_build {
  sch_pb_schema_t *s;
  const sch_reference_t *refs;
  size_t n_refs;
  sch_error_t *err;
  sch_code_t code;   /* first error; building stops once set */
  size_t n_types;    /* declared messages + enums over all files */
  pb_file_t **known; /* every file met while linking imports, any state */
  size_t n_known, cap_known;
  size_t cap_files;
  size_t cap_syms;
  const bool *visible;  /* while resolving one file: files it may use, by idx */
  const pb_file_t *cur; /* the file being resolved */
} pb_build_t;

/* Sets the first error, prefixed with the file's label and line:col when
 * line > 0; returns false. */
bool sch__pb_fail(pb_build_t *b, sch_code_t code, const pb_file_t *f, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
bool sch__pb_nomem(pb_build_t *b);
void *sch__pb_alloc(pb_build_t *b, size_t n);
/* Arena copy of the concatenation "<a>.<c>" (or c when a is NULL/empty). */
char *sch__pb_join(pb_build_t *b, const char *a, const char *c);
/* Arena copy of ".<full_name>" (a descriptor's type_name). */
const char *sch__pb_dotted(pb_build_t *b, const char *full_name);

/* proto_resolve_types.c: builds the messages, enums, services and
 * extension lists of one file and registers their names. */
bool sch__pb_build_file(pb_build_t *b, pb_file_t *f);
/* Resolves every type reference of one file (b->visible set by the caller). */
bool sch__pb_resolve_file(pb_build_t *b, pb_file_t *f);

/* proto_resolve_field.c: per-field derivations. */
/* The scalar type of a type keyword ("int32"), 0 if it is not one. */
sch_pb_type_t sch__pb_scalar_type(const char *name);
/* protoc's ToJsonName: "foo_bar" -> "fooBar". */
char *sch__pb_json_name(pb_build_t *b, const char *name);
/* protoc's map entry name: "foo_bar" -> "FooBarEntry". */
char *sch__pb_map_entry_name(pb_build_t *b, const char *field_name);
/* Sets packed and default_value of a field whose type is known. */
bool sch__pb_field_finish(pb_build_t *b, const pb_file_t *f, sch_pb_field_t *fd);

/* proto_resolve_names.c: the symbol table. */
bool sch__pb_sym_add(pb_build_t *b, const char *name, pb_sym_kind_t kind, const pb_file_t *f,
                     const void *node, int line, int col);
/* Adds the package prefixes of f. */
bool sch__pb_sym_add_package(pb_build_t *b, const pb_file_t *f);
/* Sorts the table and fails on a name defined twice. */
bool sch__pb_sym_seal(pb_build_t *b);
/* The symbol of `full_name` (no leading dot) regardless of visibility. */
const pb_sym_t *sch__pb_sym_find(const sch_pb_schema_t *s, const char *full_name);

/* Resolves a type reference written as `name` inside `scope` (a message or
 * package full name, "" at the root) with protoc's rules and visibility
 * (b->visible). On success sets *out to a MESSAGE or ENUM symbol. Fails
 * with a message naming `what` ("field \"f\"") at f/line/col. */
bool sch__pb_lookup_type(pb_build_t *b, const char *scope, const char *name, const char *what, int line,
                         int col, const pb_sym_t **out);

/* proto_resolve_lookup.c: the sorted field indexes of a message. */
bool sch__pb_message_index_fields(pb_build_t *b, pb_message_t *m);

/* proto_builtin.c */
const char *sch__pb_builtin_find(const char *path, size_t *len);

#endif
