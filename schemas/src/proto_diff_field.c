// SPDX-License-Identifier: Apache-2.0
/* Two fields with the same tag in the Protobuf diff (Confluent's
 * FieldSchemaDiff): name, kind (scalar including enums, message, map),
 * scalar group, label of scalars, the referenced message's local name, and
 * for a message of another file (an import, a well-known type) a
 * sub-comparison whose incompatibilities make the field's type incompatible
 * too. Map fields compare key and value types. Labels are the ones written
 * in the .proto text (none for an unlabelled proto3 field), as Confluent
 * compares them. Message and oneof structure is proto_diff_message.c's. */
#include <assert.h>
#include <string.h>

#include "proto_diff_int.h"

typedef enum { KIND_SCALAR, KIND_MAP, KIND_MESSAGE } kind_t;

/* Groups inside which a scalar may change (protobuf's wire rules). */
typedef enum {
  GROUP_GENERAL_NUMBER, /* int32 int64 uint32 uint64 bool, enums */
  GROUP_SIGNED_NUMBER,  /* sint32 sint64 */
  GROUP_STRING_OR_BYTES,
  GROUP_FIXED32, /* fixed32 sfixed32 */
  GROUP_FIXED64, /* fixed64 sfixed64 */
  GROUP_FLOAT,
  GROUP_DOUBLE,
} scalar_group_t;

static kind_t kind_of(const sch_pb_field_t *f) {
  if (f->type != SCH_PB_MESSAGE && f->type != SCH_PB_GROUP) return KIND_SCALAR;
  return f->message && f->message->map_entry ? KIND_MAP : KIND_MESSAGE;
}

static scalar_group_t scalar_group(sch_pb_type_t t) {
  switch (t) {
    case SCH_PB_SINT32:
    case SCH_PB_SINT64:
      return GROUP_SIGNED_NUMBER;
    case SCH_PB_STRING:
    case SCH_PB_BYTES:
      return GROUP_STRING_OR_BYTES;
    case SCH_PB_FIXED32:
    case SCH_PB_SFIXED32:
      return GROUP_FIXED32;
    case SCH_PB_FIXED64:
    case SCH_PB_SFIXED64:
      return GROUP_FIXED64;
    case SCH_PB_FLOAT:
      return GROUP_FLOAT;
    case SCH_PB_DOUBLE:
      return GROUP_DOUBLE;
    default: /* int32 int64 uint32 uint64 bool enum */
      return GROUP_GENERAL_NUMBER;
  }
}

/* The label as written; NONE (Confluent's null) when there is none. */
static sch_proto_label_t written_label(const sch_pb_field_t *f) {
  return f->src ? f->src->label : SCH_PROTO_LABEL_NONE;
}

static void compare_scalars(sch__pb_diff_ctx_t *ctx, sch_proto_label_t original_label,
                            sch_proto_label_t update_label, const sch_pb_field_t *original,
                            const sch_pb_field_t *update) {
  scalar_group_t group = scalar_group(original->type);
  if (group != scalar_group(update->type)) {
    sch__pb_diff_add(ctx, SCH__PB_FIELD_SCALAR_KIND_CHANGED);
  } else if (original_label != SCH_PROTO_LABEL_NONE && update_label != SCH_PROTO_LABEL_NONE &&
             original_label != update_label) {
    sch__pb_diff_add(ctx, group == GROUP_STRING_OR_BYTES ? SCH__PB_FIELD_STRING_OR_BYTES_LABEL_CHANGED
                                                         : SCH__PB_FIELD_NUMERIC_LABEL_CHANGED);
  }
}

/* The full name without its file's package: "Outer.Inner". */
static const char *local_name(const sch_pb_message_t *m) {
  const char *pkg = m->file ? m->file->package : NULL;
  size_t n = pkg ? strlen(pkg) : 0;
  if (n && strncmp(m->full_name, pkg, n) == 0 && m->full_name[n] == '.') return m->full_name + n + 1;
  return m->full_name;
}

static void compare_messages(sch__pb_diff_ctx_t *ctx, const sch_pb_field_t *original,
                             const sch_pb_field_t *update) {
  const sch_pb_message_t *o = original->message, *u = update->message;
  if (!o || !u) { /* unresolved: Confluent compares the names as written */
    const char *a = original->type_name ? original->type_name : "",
               *b = update->type_name ? update->type_name : "";
    if (strcmp(a, b) != 0) sch__pb_diff_add(ctx, SCH__PB_FIELD_NAMED_TYPE_CHANGED);
    return;
  }
  const char *name = local_name(o);
  if (strcmp(name, local_name(u)) != 0) {
    sch__pb_diff_add(ctx, SCH__PB_FIELD_NAMED_TYPE_CHANGED);
  } else if (!sch__pb_diff_same_source(ctx, o, u) && sch__pb_diff_subcompare(ctx, name, o, u)) {
    sch__pb_diff_add(ctx, SCH__PB_FIELD_NAMED_TYPE_CHANGED);
  }
}

static const sch_pb_field_t *entry_field(const sch_pb_message_t *entry, int32_t number) {
  for (size_t i = 0; i < entry->n_fields; i++) {
    if (entry->fields[i].number == number) return &entry->fields[i];
  }
  assert(!"map entry without key or value");
  return NULL;
}

/* FieldSchemaDiff.compareLabelsAndTypes. */
static void compare_types(sch__pb_diff_ctx_t *ctx, sch_proto_label_t original_label,
                          sch_proto_label_t update_label, const sch_pb_field_t *original,
                          const sch_pb_field_t *update) {
  kind_t kind = kind_of(original);
  if (kind != kind_of(update)) {
    sch__pb_diff_add(ctx, SCH__PB_FIELD_KIND_CHANGED);
  } else if (kind == KIND_SCALAR) {
    compare_scalars(ctx, original_label, update_label, original, update);
  } else if (kind == KIND_MESSAGE) {
    compare_messages(ctx, original, update);
  } else {
    for (int32_t n = 1; n <= 2; n++) { /* key, then value; no labels */
      compare_types(ctx, SCH_PROTO_LABEL_NONE, SCH_PROTO_LABEL_NONE, entry_field(original->message, n),
                    entry_field(update->message, n));
    }
  }
}

void sch__pb_diff_field(sch__pb_diff_ctx_t *ctx, const sch_pb_field_t *original,
                        const sch_pb_field_t *update) {
  if (strcmp(original->name, update->name) != 0) sch__pb_diff_add(ctx, SCH__PB_FIELD_NAME_CHANGED);
  compare_types(ctx, written_label(original), written_label(update), original, update);
}
