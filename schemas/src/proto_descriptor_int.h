// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the FileDescriptorProto files: proto_descriptor_in*.c
 * (serialized FileDescriptorProto -> syntax tree -> .proto text) and
 * proto_descriptor_out*.c (resolved file -> FileDescriptorProto bytes). Both
 * use the protobuf-c code generated from Debian's descriptor.proto
 * (google/protobuf/descriptor.pb-c.h, a build output on weir_schemas_obj's
 * private include path). Nothing here is visible outside the schemas module. */
#ifndef WEIR_SCHEMAS_PROTO_DESCRIPTOR_INT_H
#define WEIR_SCHEMAS_PROTO_DESCRIPTOR_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "google/protobuf/descriptor.pb-c.h"
#include "proto_int.h"
#include "schemas/proto_schema.h"

typedef Google__Protobuf__FileDescriptorProto pbd_file_t;
typedef Google__Protobuf__DescriptorProto pbd_message_t;
typedef Google__Protobuf__FieldDescriptorProto pbd_field_t;
typedef Google__Protobuf__EnumDescriptorProto pbd_enum_t;
typedef Google__Protobuf__ServiceDescriptorProto pbd_service_t;

/* ---- writing (proto_descriptor_out*.c) ------------------------------------- */

/* State of one conversion from resolved file to FileDescriptorProto: every
 * protobuf-c struct, array and string lives in the arena until packed. */
typedef struct desc_out {
  sch_proto_arena_t *arena;
  bool oom;
} desc_out_t;

/* Zeroed arena memory; sets c->oom and returns NULL on failure. */
void *sch__desc_out_alloc(desc_out_t *c, size_t n);
/* Applies the standard options among `opts` (a chain) to *msg, an options
 * message of type d created (in the arena) on the first one that applies.
 * Unknown names, custom options `(x).y` and values of the wrong kind are
 * skipped: custom options would need the extension's definition to be
 * encoded, so weir's descriptors carry only descriptor.proto's own options. */
void sch__desc_out_options(desc_out_t *c, const ProtobufCMessageDescriptor *d, const sch_proto_option_t *opts,
                           ProtobufCMessage **msg);
/* From a message body's statements: its options, reserved ranges and
 * names, extension ranges ("max" is the int32 maximum in a
 * message_set_wire_format message, as protoc makes it). */
void sch__desc_out_message_head(desc_out_t *c, const sch_proto_message_t *src, pbd_message_t *d);
/* From an enum's statements: its options, reserved ranges and names. */
void sch__desc_out_enum_extras(desc_out_t *c, const sch_proto_enum_t *src,
                               Google__Protobuf__EnumDescriptorProto *d);

/* ---- reading (proto_descriptor_in*.c) ------------------------------------- */

/* State of one conversion from descriptor to syntax tree. The first error
 * wins; every helper returns false once `code` is set. */
typedef struct desc_in {
  sch_proto_arena_t *arena;
  sch_proto_file_t *file;
  sch_error_t *err;
  sch_code_t code;
  int depth; /* nesting as the .proto parser counts it (bodies, oneofs, enums, extends, services) */
} desc_in_t;

/* The nested types of one scope (a message's nested_type or the file's
 * message_type) and the `extend` blocks read there. Fields look map entries
 * and group bodies up here and mark them used, so they are not printed again
 * as messages; a group of an extend block records its block, so the block is
 * printed where the group's type stood (keeping protoc's nested_type order,
 * which message indexes count). */
typedef struct desc_scope {
  const char *full_name; /* "pkg.Outer" (no leading dot); "pkg" or "" at file level */
  pbd_message_t *const *types;
  size_t n_types;
  size_t *by_name;            /* indexes of types sorted by name (find_nested) */
  bool *used;                 /* per type */
  size_t *owner;              /* per type: 1 + index in extends of the block of its group, 0 if none */
  size_t current;             /* 1 + index of the extend block being read, 0 outside blocks */
  sch_proto_elem_t **extends; /* blocks in first-seen order of their extendee */
  size_t n_extends;
} desc_scope_t;

/* proto_descriptor_in.c: sets the error (first one wins; SCH_ERR_INVALID
 * messages get the "not a FileDescriptorProto: " prefix), returns false. */
bool sch__desc_in_fail(desc_in_t *c, sch_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Arena memory (zeroed) and strings; fail with nomem. */
void *sch__desc_in_alloc(desc_in_t *c, size_t n);
char *sch__desc_in_strdup(desc_in_t *c, const char *s);
/* "scope.name" (or "name" when scope is empty), in the arena. */
char *sch__desc_in_join(desc_in_t *c, const char *scope, const char *name);
/* Enters/leaves one nesting level (SCH_MAX_DEPTH, SCH_ERR_LIMIT). */
bool sch__desc_in_enter(desc_in_t *c);
void sch__desc_in_leave(desc_in_t *c);
/* Requires `name` to be an identifier; `what` names it in the error. */
bool sch__desc_in_check_ident(desc_in_t *c, const char *name, const char *what);
/* Requires a dotted type name (leading dot allowed). */
bool sch__desc_in_check_type_name(desc_in_t *c, const char *name, const char *what);
/* Appends a new element of `kind` at *tail. */
sch_proto_elem_t *sch__desc_in_elem(desc_in_t *c, sch_proto_elem_t ***tail, sch_proto_elem_kind_t kind);

/* proto_descriptor_in_options.c: the standard options set in `opts`
 * (FileOptions, MessageOptions, ...) as option nodes appended at *tail, in
 * field-number order. Options the descriptor carries as extensions (custom
 * options such as `(my.opt)`) are unknown fields to protobuf-c: dropped. */
bool sch__desc_in_options(desc_in_t *c, const ProtobufCMessage *opts, sch_proto_option_t ***tail);

/* proto_descriptor_in_message.c: a message (scope: its parent's full name)
 * or an enum. */
bool sch__desc_in_message(desc_in_t *c, const pbd_message_t *d, const char *scope, sch_proto_message_t **out);
bool sch__desc_in_enum(desc_in_t *c, const pbd_enum_t *d, sch_proto_enum_t **out);

/* proto_descriptor_in_scope.c */
bool sch__desc_in_scope_init(desc_in_t *c, desc_scope_t *s, const char *full_name,
                             pbd_message_t *const *types, size_t n_types);
/* Index in s of the nested type that `type_name` names (".<scope>.Name",
 * or a bare "Name"), or -1. */
long sch__desc_in_find_nested(const desc_scope_t *s, const char *type_name);
/* Reads `fields` (extensions declared in the scope) into s->extends, one
 * block per extendee in first-seen order; group bodies come from s. */
bool sch__desc_in_extends(desc_in_t *c, pbd_field_t *const *fields, size_t n, desc_scope_t *s);
/* Appends the scope's declarations at *tail: its unused nested types as
 * messages, each extend block at the position of its first group's type,
 * then `enums`, then the extend blocks without groups. */
bool sch__desc_in_decls(desc_in_t *c, desc_scope_t *s, pbd_enum_t *const *enums, size_t n_enums,
                        sch_proto_elem_t ***tail);

/* proto_descriptor_in_field.c: one field (or extension) of `scope`; map
 * entries and group bodies come from `scope` (marked used there). in_oneof
 * drops the label. */
bool sch__desc_in_field(desc_in_t *c, const pbd_field_t *fd, desc_scope_t *scope, bool in_oneof,
                        sch_proto_field_t **out);

#endif
