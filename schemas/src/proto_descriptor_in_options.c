// SPDX-License-Identifier: Apache-2.0
/* Standard options of a descriptor read back as option nodes: protobuf-c's
 * reflection walks the fields of whichever *Options message it is given
 * (file, message, field, oneof, enum, enum value, service, method), so one
 * routine prints them all, in field-number order, with enum values by name.
 * Custom options are extensions, which protobuf-c keeps as unknown fields
 * without their names or types: they are dropped, not guessed at. */
#include <stdio.h>
#include <string.h>

#include "proto_descriptor_int.h"

/* The value of one scalar option field as a constant; false (no error) for
 * kinds that options of descriptor.proto 3.21 do not use. */
static bool option_value(desc_in_t *c, const ProtobufCFieldDescriptor *f, const void *member,
                         sch_proto_const_t *v) {
  char num[32];
  const char *text = NULL;
  v->kind = SCH_PROTO_CONST_IDENT;
  switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL:
      text = *(const protobuf_c_boolean *)member ? "true" : "false";
      break;
    case PROTOBUF_C_TYPE_ENUM: {
      int n = *(const int *)member;
      const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(f->descriptor, n);
      if (!ev) {
        return sch__desc_in_fail(c, SCH_ERR_INVALID, "option %s has unknown value %d", f->name, n);
      }
      text = ev->name;
      break;
    }
    case PROTOBUF_C_TYPE_STRING:
      v->kind = SCH_PROTO_CONST_STRING;
      text = *(char *const *)member;
      break;
    case PROTOBUF_C_TYPE_INT32:
      v->kind = SCH_PROTO_CONST_INT;
      snprintf(num, sizeof num, "%d", (int)*(const int32_t *)member);
      text = num;
      break;
    default:
      return false;
  }
  v->len = strlen(text);
  return (v->text = sch__desc_in_strdup(c, text)) != NULL;
}

/* True if the optional field f is set in msg. */
static bool option_present(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f) {
  const char *base = (const char *)msg;
  if (f->type == PROTOBUF_C_TYPE_STRING) {
    const char *s = *(char *const *)(base + f->offset);
    return s && s != f->default_value;
  }
  return f->quantifier_offset && *(const protobuf_c_boolean *)(base + f->quantifier_offset);
}

bool sch__desc_in_options(desc_in_t *c, const ProtobufCMessage *opts, sch_proto_option_t ***tail) {
  if (!opts) {
    return c->code == SCH_OK;
  }
  const ProtobufCMessageDescriptor *d = opts->descriptor;
  for (unsigned i = 0; i < d->n_fields && c->code == SCH_OK; i++) {
    const ProtobufCFieldDescriptor *f = &d->fields[i];
    if (f->label != PROTOBUF_C_LABEL_OPTIONAL || !option_present(opts, f)) {
      continue;
    }
    sch_proto_option_t *o = sch__desc_in_alloc(c, sizeof(*o));
    if (!o || !option_value(c, f, (const char *)opts + f->offset, &o->value)) {
      continue;
    }
    o->name = f->name;
    **tail = o;
    *tail = &o->next;
  }
  return c->code == SCH_OK;
}
