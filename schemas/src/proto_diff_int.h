// SPDX-License-Identifier: Apache-2.0
/* Internals of the Protobuf compatibility diff (proto_diff*.c), which follows
 * Confluent's protobuf/diff package (schema-registry.md §6.2): the table of
 * difference types, the walk's context (current path, messages being
 * compared, the change list) and what each file provides to the others. The
 * diff works on resolved descriptors but reproduces what Confluent sees in a
 * parsed .proto file: map-entry and group messages are not types, group
 * fields are not fields, labels are the ones written. */
#ifndef WEIR_SCHEMAS_PROTO_DIFF_INT_H
#define WEIR_SCHEMAS_PROTO_DIFF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sch_int.h"
#include "schemas/proto_schema.h"

/* ---- difference types (Confluent's Difference.Type) ---------------------- */

/* X(name, compatible, description). In descriptions {p} is the path, {r} the
 * reader's role word and {w} the writer's ("new"/"old" for BACKWARD), the
 * two %s of Confluent's Difference.error() in order. An empty description is
 * Confluent's too (it only words incompatible types). */
#define SCH__PB_DIFF_TYPES(X)                                                                                \
  X(PACKAGE_CHANGED, false,                                                                                  \
    "The package at '{p}' in the {r} schema does not match the package in the {w} schema")                   \
  X(MESSAGE_ADDED, true, "")                                                                                 \
  X(MESSAGE_REMOVED, false, "The {r} schema is missing a MESSAGE type at path '{p}' in the {w} schema")      \
  X(MESSAGE_MOVED, true, "")                                                                                 \
  X(ENUM_ADDED, true, "")                                                                                    \
  X(ENUM_REMOVED, true, "")                                                                                  \
  X(ENUM_CONST_ADDED, true, "")                                                                              \
  X(ENUM_CONST_CHANGED, true, "")                                                                            \
  X(ENUM_CONST_REMOVED, true, "")                                                                            \
  X(FIELD_ADDED, true, "")                                                                                   \
  X(FIELD_REMOVED, true, "")                                                                                 \
  X(FIELD_NAME_CHANGED, true, "")                                                                            \
  X(FIELD_KIND_CHANGED, false,                                                                               \
    "The type of a field at path '{p}' in the {r} schema does not match the {w} schema")                     \
  X(FIELD_SCALAR_KIND_CHANGED, false,                                                                        \
    "The kind of a SCALAR field at path '{p}' in the {r} schema does not match its kind in the {w} schema")  \
  X(FIELD_NAMED_TYPE_CHANGED, false,                                                                         \
    "The type of a MESSAGE field at path '{p}' in the {r} schema does not match its type in the {w} schema") \
  X(FIELD_NUMERIC_LABEL_CHANGED, false,                                                                      \
    "The label for a NUMERIC field at path '{p}' in the {r} schema does not match its label in the {w} "     \
    "schema")                                                                                                \
  X(FIELD_STRING_OR_BYTES_LABEL_CHANGED, true, "")                                                           \
  X(REQUIRED_FIELD_ADDED, false,                                                                             \
    "A required field  at path '{p}' in the {r} schema is missing in the {w} schema")                        \
  X(REQUIRED_FIELD_REMOVED, false,                                                                           \
    "The {r} schema is missing a required field at path: '{p}' in the {w} schema")                           \
  X(ONEOF_ADDED, true, "")                                                                                   \
  X(ONEOF_REMOVED, true, "")                                                                                 \
  X(ONEOF_FIELD_ADDED, true, "")                                                                             \
  X(ONEOF_FIELD_REMOVED, false, "The {r} schema is missing a oneof field at path '{p}' in the {w} schema")   \
  X(ONEOF_FIELD_MOVED_TO_TOP_LEVEL, true,                                                                    \
    "The oneof field at path '{p}' in the {r} schema was moved out of its oneof to a top-level field in "    \
    "the {w} schema")                                                                                        \
  X(MULTIPLE_FIELDS_MOVED_TO_ONEOF, false,                                                                   \
    "Multiple fields in the oneof at path '{p}' in the {r} schema are outside a oneof in the {w} schema")    \
  X(FIELD_MOVED_TO_EXISTING_ONEOF, false,                                                                    \
    "A field in the oneof at path '{p}' in the {r} schema is outside an existing oneof in the {w} schema")

typedef enum {
#define SCH__PB_DIFF_ENUM(name, ok, text) SCH__PB_##name,
  SCH__PB_DIFF_TYPES(SCH__PB_DIFF_ENUM)
#undef SCH__PB_DIFF_ENUM
      SCH__PB_DIFF_TYPE_COUNT
} sch__pb_diff_type_t;

/* Confluent's description of `change` with the two role words: reader_role
 * for the side that reads (BACKWARD: "new"), writer_role for the other. The
 * PROTOBUF format uses it for FORWARD messages, where the words swap.
 * Written into out (always NUL-terminated, truncated to size). */
void sch__pb_change_describe_roles(const sch_pb_change_t *change, const char *reader_role,
                                   const char *writer_role, char *out, size_t size);

/* ---- the walk's context (proto_diff.c) ----------------------------------- */

/* A cached answer of sch__pb_diff_same_source for two files. */
typedef struct sch__pb_same_file {
  const sch_pb_file_t *original, *update;
  bool same;
} sch__pb_same_file_t;

typedef struct sch__pb_diff_ctx {
  sch_pb_changes_t *out;
  const sch_pb_file_t *original_file; /* the compared schemas' own files */
  const sch_pb_file_t *update_file;
  sch_buf_t path; /* Confluent's fullPath joined by '/', without the "#/" */
  /* Original messages whose comparison is under way (Confluent's
   * Context.schemas): a field type that leads back to one is not compared
   * again, which ends recursive types. */
  const sch_pb_message_t **active;
  size_t n_active, cap_active;
  size_t sub_depth;                /* sub-comparisons in progress, at most SCH__PB_DIFF_MAX_SUBCOMPARE */
  sch__pb_same_file_t *same_files; /* proto_diff_files.c's cache */
  size_t n_same_files, cap_same_files;
  bool oom; /* sticky: set on the first failed allocation */
} sch__pb_diff_ctx_t;

/* Appends a difference at the current path. */
void sch__pb_diff_add(sch__pb_diff_ctx_t *ctx, sch__pb_diff_type_t type);
/* Appends one path segment (a type or oneof name, a tag) and returns the
 * mark that sch__pb_diff_leave goes back to. */
size_t sch__pb_diff_enter(sch__pb_diff_ctx_t *ctx, const char *segment);
size_t sch__pb_diff_enter_tag(sch__pb_diff_ctx_t *ctx, int32_t tag);
void sch__pb_diff_leave(sch__pb_diff_ctx_t *ctx, size_t mark);
/* Marks `m` as being compared; false (and nothing marked) if it already is. */
bool sch__pb_diff_activate(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *m);
void sch__pb_diff_deactivate(sch__pb_diff_ctx_t *ctx);
/* Sub-comparisons nest once per message type reached through another's
 * field; a chain of distinct imported types can make that thousands deep,
 * more than a thread stack holds. Past this depth a referenced type counts
 * as changed (incompatible) without being compared: Confluent's JVM would
 * overflow its stack well before. */
#define SCH__PB_DIFF_MAX_SUBCOMPARE 500

/* Compares two messages of (possibly) other files the way Confluent's
 * sub-context does: the path restarts at `local_name` (dots become path
 * separators), the differences found are kept, and the result says whether
 * any of them is incompatible (true as well past
 * SCH__PB_DIFF_MAX_SUBCOMPARE). */
bool sch__pb_diff_subcompare(sch__pb_diff_ctx_t *ctx, const char *local_name,
                             const sch_pb_message_t *original, const sch_pb_message_t *update);

/* True if the types `original` and `update` come from the same file: both
 * from the compared schemas' own files, or from imported files with the
 * same content (proto_diff_files.c). Then no sub-comparison is needed. */
bool sch__pb_diff_same_source(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *original,
                              const sch_pb_message_t *update);

/* ---- the comparisons (one file each) --------------------------------------- */

/* The messages and enums declared at one level: a file's top level (parent
 * NULL) or a message's nested types. */
typedef struct sch__pb_types {
  const sch_pb_message_t *const *messages;
  size_t n_messages;
  const sch_pb_enum_t *const *enums;
  size_t n_enums;
  const sch_pb_message_t *parent;
} sch__pb_types_t;

/* SchemaDiff.compareTypeElements (proto_diff_types.c). */
void sch__pb_diff_types(sch__pb_diff_ctx_t *ctx, const sch__pb_types_t *original,
                        const sch__pb_types_t *update);
/* MessageSchemaDiff.compare, nested types included (proto_diff_message.c). */
void sch__pb_diff_message(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *original,
                          const sch_pb_message_t *update);
/* FieldSchemaDiff.compare of two fields with the same tag (proto_diff_field.c). */
void sch__pb_diff_field(sch__pb_diff_ctx_t *ctx, const sch_pb_field_t *original,
                        const sch_pb_field_t *update);
/* EnumSchemaDiff.compare (proto_diff_enum.c). */
void sch__pb_diff_enum(sch__pb_diff_ctx_t *ctx, const sch_pb_enum_t *original, const sch_pb_enum_t *update);

/* True for messages Confluent's parsed file does not have: map entries and
 * proto2 group bodies. */
bool sch__pb_diff_hidden_message(const sch_pb_message_t *m, const sch_pb_message_t *parent);

/* ---- Java iteration order (proto_diff_order.c) ------------------------------ */

/* A key of a Java HashMap: a String (name != NULL) or an Integer. */
typedef struct sch__pb_key {
  const char *name;
  int32_t number;
} sch__pb_key_t;

#define SCH__PB_NONE ((size_t)-1)

/* One key of the union: the index of its last occurrence in each input
 * (SCH__PB_NONE when the side lacks it). */
typedef struct sch__pb_pair {
  size_t original, update;
} sch__pb_pair_t;

/* Confluent fills a HashMap per side by put() in array order (a repeated
 * key keeps its first place, its last value wins), copies the original's key
 * set into a new HashSet, adds the update's and iterates: this returns the
 * keys in that iteration order, which is the order differences are reported
 * in. malloc'd (free()), count in *n; NULL on oom. */
sch__pb_pair_t *sch__pb_java_union(const sch__pb_key_t *original, size_t n_original,
                                   const sch__pb_key_t *update, size_t n_update, size_t *n);

#endif
