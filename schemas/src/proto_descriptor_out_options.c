// SPDX-License-Identifier: Apache-2.0
/* The parts of a FileDescriptorProto that come straight from the syntax tree
 * rather than the resolved model: standard options, set by name through
 * protobuf-c's reflection over descriptor.proto's *Options messages (so one
 * routine serves file, message, field, enum, enum value, service and method
 * options), and reserved and extension ranges (descriptor ends are exclusive
 * for messages, inclusive for enums). Custom options `(x).y` are not written:
 * encoding them needs the extension's resolved definition, and clients load
 * a descriptor fine without them. The descriptor's structure is built in
 * proto_descriptor_out.c. */
#include <string.h>

#include "proto_descriptor_int.h"

void *sch__desc_out_alloc(desc_out_t *c, size_t n) {
  void *p = c->oom ? NULL : sch__proto_arena_alloc(c->arena, n);
  if (!p) {
    c->oom = true;
  }
  return p;
}

/* Stores `v` into the scalar field f of msg; false if v is not a value of
 * f's kind (the option is then left out, as protoc would have refused it). */
static bool set_field(desc_out_t *c, ProtobufCMessage *msg, const ProtobufCFieldDescriptor *f,
                      const sch_proto_const_t *v) {
  char *member = (char *)msg + f->offset;
  switch (f->type) {
    case PROTOBUF_C_TYPE_BOOL:
      if (v->kind != SCH_PROTO_CONST_IDENT ||
          (strcmp(v->text, "true") != 0 && strcmp(v->text, "false") != 0)) {
        return false;
      }
      *(protobuf_c_boolean *)member = v->text[0] == 't';
      return true;
    case PROTOBUF_C_TYPE_ENUM: {
      const ProtobufCEnumValue *ev =
          v->kind == SCH_PROTO_CONST_IDENT
              ? protobuf_c_enum_descriptor_get_value_by_name(f->descriptor, v->text)
              : NULL;
      if (!ev) {
        return false;
      }
      *(int *)member = ev->value;
      return true;
    }
    case PROTOBUF_C_TYPE_STRING: {
      if (v->kind != SCH_PROTO_CONST_STRING) {
        return false;
      }
      char *s = sch__desc_out_alloc(c, v->len + 1);
      if (s) {
        memcpy(s, v->text, v->len);
      }
      *(char **)member = s;
      return s != NULL;
    }
    default:
      return false; /* descriptor.proto 3.21 has no other scalar options */
  }
}

void sch__desc_out_options(desc_out_t *c, const ProtobufCMessageDescriptor *d, const sch_proto_option_t *opts,
                           ProtobufCMessage **msg) {
  for (const sch_proto_option_t *o = opts; o; o = o->next) {
    const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, o->name);
    if (!f || f->label != PROTOBUF_C_LABEL_OPTIONAL || f->type == PROTOBUF_C_TYPE_MESSAGE) {
      continue; /* custom, unknown, or not a plain option (uninterpreted_option) */
    }
    if (!*msg) {
      *msg = sch__desc_out_alloc(c, d->sizeof_message);
      if (!*msg) {
        return;
      }
      protobuf_c_message_init(d, *msg);
    }
    if (set_field(c, *msg, f, &o->value) && f->quantifier_offset) {
      *(protobuf_c_boolean *)((char *)*msg + f->quantifier_offset) = 1;
    }
  }
}

/* ---- ranges ------------------------------------------------------------------ */

typedef Google__Protobuf__DescriptorProto__ReservedRange pbd_reserved_t;
typedef Google__Protobuf__DescriptorProto__ExtensionRange pbd_ext_range_t;
typedef Google__Protobuf__EnumDescriptorProto__EnumReservedRange pbd_enum_reserved_t;

/* Ranges and names of the RESERVED (or EXTENSIONS) statements of a body. */
static void count_ranges(const sch_proto_elem_t *e, sch_proto_elem_kind_t kind, size_t *ranges,
                         size_t *names) {
  for (; e; e = e->next) {
    if (e->kind != kind) {
      continue;
    }
    for (const sch_proto_range_t *r = e->u.reserved->ranges; r; r = r->next) {
      ++*ranges;
    }
    for (const sch_proto_name_t *n = e->u.reserved->names; n; n = n->next) {
      ++*names;
    }
  }
}

/* One past the last number of a message range: protoc's "max" is the
 * int32 maximum itself for message_set_wire_format messages. */
static int32_t exclusive_end(const sch_proto_range_t *r, bool message_set) {
  if (r->end_is_max && message_set) {
    return INT32_MAX;
  }
  return r->end + 1;
}

/* The ranges and names of one RESERVED or EXTENSIONS statement into d. */
static void statement_ranges(desc_out_t *c, const sch_proto_elem_t *e, pbd_message_t *d, bool message_set) {
  for (const sch_proto_range_t *r = e->u.reserved->ranges; r && !c->oom; r = r->next) {
    if (e->kind == SCH_PROTO_ELEM_RESERVED) {
      pbd_reserved_t *g = sch__desc_out_alloc(c, sizeof(*g));
      if (g) {
        google__protobuf__descriptor_proto__reserved_range__init(g);
        g->has_start = g->has_end = true;
        g->start = r->start;
        g->end = exclusive_end(r, message_set);
        d->reserved_range[d->n_reserved_range++] = g;
      }
    } else {
      /* ExtensionRangeOptions holds only custom options in 3.21: not written */
      pbd_ext_range_t *g = sch__desc_out_alloc(c, sizeof(*g));
      if (g) {
        google__protobuf__descriptor_proto__extension_range__init(g);
        g->has_start = g->has_end = true;
        g->start = r->start;
        g->end = exclusive_end(r, message_set);
        d->extension_range[d->n_extension_range++] = g;
      }
    }
  }
  for (const sch_proto_name_t *n = e->u.reserved->names; n; n = n->next) {
    d->reserved_name[d->n_reserved_name++] = (char *)n->name;
  }
}

static void message_ranges(desc_out_t *c, const sch_proto_message_t *src, pbd_message_t *d,
                           bool message_set) {
  size_t nr = 0, nn = 0, nx = 0, unused = 0;
  count_ranges(src->elems, SCH_PROTO_ELEM_RESERVED, &nr, &nn);
  count_ranges(src->elems, SCH_PROTO_ELEM_EXTENSIONS, &nx, &unused);
  d->reserved_range = sch__desc_out_alloc(c, (nr + 1) * sizeof(*d->reserved_range));
  d->reserved_name = sch__desc_out_alloc(c, (nn + 1) * sizeof(*d->reserved_name));
  d->extension_range = sch__desc_out_alloc(c, (nx + 1) * sizeof(*d->extension_range));
  for (const sch_proto_elem_t *e = src->elems; e && !c->oom; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_RESERVED || e->kind == SCH_PROTO_ELEM_EXTENSIONS) {
      statement_ranges(c, e, d, message_set);
    }
  }
}

void sch__desc_out_message_head(desc_out_t *c, const sch_proto_message_t *src, pbd_message_t *d) {
  ProtobufCMessage *opts = (ProtobufCMessage *)d->options;
  for (const sch_proto_elem_t *e = src->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      sch__desc_out_options(c, &google__protobuf__message_options__descriptor, e->u.option, &opts);
    }
  }
  d->options = (Google__Protobuf__MessageOptions *)opts;
  bool message_set =
      d->options && d->options->has_message_set_wire_format && d->options->message_set_wire_format;
  message_ranges(c, src, d, message_set);
}

void sch__desc_out_enum_extras(desc_out_t *c, const sch_proto_enum_t *src,
                               Google__Protobuf__EnumDescriptorProto *d) {
  ProtobufCMessage *opts = NULL;
  sch__desc_out_options(c, &google__protobuf__enum_options__descriptor, src->options, &opts);
  d->options = (Google__Protobuf__EnumOptions *)opts;
  size_t nr = 0, nn = 0;
  count_ranges(src->reserved, SCH_PROTO_ELEM_RESERVED, &nr, &nn);
  d->reserved_range = sch__desc_out_alloc(c, (nr + 1) * sizeof(*d->reserved_range));
  d->reserved_name = sch__desc_out_alloc(c, (nn + 1) * sizeof(*d->reserved_name));
  for (const sch_proto_elem_t *e = src->reserved; e && !c->oom; e = e->next) {
    for (const sch_proto_range_t *r = e->u.reserved->ranges; r; r = r->next) {
      pbd_enum_reserved_t *g = sch__desc_out_alloc(c, sizeof(*g));
      if (!g) {
        return;
      }
      google__protobuf__enum_descriptor_proto__enum_reserved_range__init(g);
      g->has_start = g->has_end = true;
      g->start = r->start;
      g->end = r->end;
      d->reserved_range[d->n_reserved_range++] = g;
    }
    for (const sch_proto_name_t *n = e->u.reserved->names; n; n = n->next) {
      d->reserved_name[d->n_reserved_name++] = (char *)n->name;
    }
  }
}
