// SPDX-License-Identifier: Apache-2.0
/* Reading DescriptorProto and EnumDescriptorProto into the syntax tree:
 * message options, reserved and extension ranges (descriptor ends are
 * exclusive for messages, inclusive for enums; the top tag prints as "max"),
 * fields and oneofs in descriptor order (a oneof at its first member; proto3
 * `optional` fields lose their synthetic oneof), nested messages that are not
 * map entries or group bodies, nested enums and `extend` blocks (placed by
 * proto_descriptor_in_scope.c). Each range and reserved name becomes its own
 * statement, as Confluent's registry prints them. Single fields are read in
 * proto_descriptor_in_field.c. */
#include <string.h>

#include "proto_descriptor_int.h"

/* One range; `exclusive` for message ranges (end is one past the last). */
static bool add_range(desc_in_t *c, bool has_bounds, int32_t start, int32_t end, bool exclusive, int32_t max,
                      sch_proto_range_t **out) {
  if (!has_bounds) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "a range lacks its start or end");
  }
  if (exclusive && end == INT32_MIN) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "range end %d is not after its start", (int)end);
  }
  int32_t last = exclusive ? end - 1 : end;
  if (last < start) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "range %d to %d ends before it starts", (int)start,
                             (int)last);
  }
  sch_proto_range_t *r = sch__desc_in_alloc(c, sizeof(*r));
  if (!r) {
    return false;
  }
  r->start = start;
  r->end = last;
  r->end_is_max = last == max && start != last;
  *out = r;
  return true;
}

/* `reserved` / `extensions` statements (one range or name each) at *tail;
 * kind is SCH_PROTO_ELEM_RESERVED or SCH_PROTO_ELEM_EXTENSIONS. */
static sch_proto_reserved_t *add_reserved(desc_in_t *c, sch_proto_elem_t ***tail,
                                          sch_proto_elem_kind_t kind) {
  sch_proto_elem_t *e = sch__desc_in_elem(c, tail, kind);
  sch_proto_reserved_t *r = e ? sch__desc_in_alloc(c, sizeof(*r)) : NULL;
  if (r) {
    e->u.reserved = r;
  }
  return r;
}

static bool add_reserved_name(desc_in_t *c, sch_proto_elem_t ***tail, const char *name) {
  sch_proto_reserved_t *r = add_reserved(c, tail, SCH_PROTO_ELEM_RESERVED);
  if (!r || !sch__desc_in_check_ident(c, name, "reserved")) {
    return false;
  }
  sch_proto_name_t *n = sch__desc_in_alloc(c, sizeof(*n));
  if (n) {
    n->name = name;
    r->names = n;
  }
  return c->code == SCH_OK;
}

/* Options, reserved ranges and names, extension ranges. */
static bool add_message_head(desc_in_t *c, const pbd_message_t *d, sch_proto_elem_t ***tail) {
  sch_proto_option_t *opts = NULL, **ot = &opts;
  if (!sch__desc_in_options(c, (const ProtobufCMessage *)d->options, &ot)) {
    return false;
  }
  sch_proto_elem_t *e = opts ? sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_OPTION) : NULL;
  if (e) {
    e->u.option = opts;
  }
  /* protoc makes "max" the int32 maximum in a message_set_wire_format message */
  bool message_set =
      d->options && d->options->has_message_set_wire_format && d->options->message_set_wire_format;
  int32_t max = message_set ? INT32_MAX - 1 : SCH_PROTO_MAX_TAG;
  for (size_t i = 0; i < d->n_reserved_range && c->code == SCH_OK; i++) {
    const Google__Protobuf__DescriptorProto__ReservedRange *g = d->reserved_range[i];
    sch_proto_reserved_t *r = add_reserved(c, tail, SCH_PROTO_ELEM_RESERVED);
    if (r) {
      add_range(c, g->has_start && g->has_end, g->start, g->end, true, max, &r->ranges);
    }
  }
  for (size_t i = 0; i < d->n_reserved_name && c->code == SCH_OK; i++) {
    add_reserved_name(c, tail, d->reserved_name[i]);
  }
  /* ExtensionRangeOptions has nothing but custom options in 3.21: dropped */
  for (size_t i = 0; i < d->n_extension_range && c->code == SCH_OK; i++) {
    const Google__Protobuf__DescriptorProto__ExtensionRange *g = d->extension_range[i];
    sch_proto_reserved_t *r = add_reserved(c, tail, SCH_PROTO_ELEM_EXTENSIONS);
    if (r) {
      add_range(c, g->has_start && g->has_end, g->start, g->end, true, max, &r->ranges);
    }
  }
  return c->code == SCH_OK;
}

/* The oneof of index i, created (at *tail) on its first member. */
static sch_proto_oneof_t *oneof_at(desc_in_t *c, const pbd_message_t *d, int32_t i,
                                   sch_proto_oneof_t **oneofs, sch_proto_elem_t ***tail) {
  if (i < 0 || (size_t)i >= d->n_oneof_decl) {
    sch__desc_in_fail(c, SCH_ERR_INVALID, "message \"%s\": oneof index %d is out of range", d->name, (int)i);
    return NULL;
  }
  if (oneofs[i]) {
    return oneofs[i];
  }
  const Google__Protobuf__OneofDescriptorProto *od = d->oneof_decl[i];
  sch_proto_elem_t *e = sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_ONEOF);
  sch_proto_oneof_t *o = e ? sch__desc_in_alloc(c, sizeof(*o)) : NULL;
  if (!o || !sch__desc_in_check_ident(c, od->name, "oneof")) {
    return NULL;
  }
  o->name = od->name;
  sch_proto_option_t **ot = &o->options;
  sch__desc_in_options(c, (const ProtobufCMessage *)od->options, &ot);
  e->u.oneof = o;
  return oneofs[i] = o;
}

/* Fields and oneofs in descriptor order. */
static bool add_fields(desc_in_t *c, const pbd_message_t *d, desc_scope_t *scope, sch_proto_elem_t ***tail) {
  sch_proto_oneof_t **oneofs = sch__desc_in_alloc(c, (d->n_oneof_decl + 1) * sizeof(*oneofs));
  sch_proto_field_t ***otails = sch__desc_in_alloc(c, (d->n_oneof_decl + 1) * sizeof(*otails));
  for (size_t i = 0; i < d->n_field && oneofs && otails && c->code == SCH_OK; i++) {
    const pbd_field_t *fd = d->field[i];
    bool synthetic = fd->has_proto3_optional && fd->proto3_optional;
    if (synthetic &&
        (!fd->has_oneof_index || fd->oneof_index < 0 || (size_t)fd->oneof_index >= d->n_oneof_decl)) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "proto3 optional field \"%.200s\" has no oneof",
                               fd->name ? fd->name : "");
    }
    if (fd->has_oneof_index && !synthetic) {
      sch_proto_oneof_t *o = oneof_at(c, d, fd->oneof_index, oneofs, tail);
      if (!o || !sch__desc_in_enter(c)) {
        return false;
      }
      sch_proto_field_t **ft = otails[fd->oneof_index] ? otails[fd->oneof_index] : &o->fields;
      if (sch__desc_in_field(c, fd, scope, true, ft)) {
        otails[fd->oneof_index] = &(*ft)->next;
      }
      sch__desc_in_leave(c);
    } else {
      sch_proto_elem_t *e = sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_FIELD);
      if (e) {
        sch__desc_in_field(c, fd, scope, false, &e->u.field);
      }
    }
  }
  return c->code == SCH_OK;
}

bool sch__desc_in_message(desc_in_t *c, const pbd_message_t *d, const char *scope,
                          sch_proto_message_t **out) {
  sch_proto_message_t *m = sch__desc_in_alloc(c, sizeof(*m));
  if (!m || !sch__desc_in_check_ident(c, d->name, "message") || !sch__desc_in_enter(c)) {
    return false;
  }
  m->name = d->name;
  desc_scope_t inner;
  sch_proto_elem_t **tail = &m->elems;
  if (sch__desc_in_scope_init(c, &inner, sch__desc_in_join(c, scope, d->name), d->nested_type,
                              d->n_nested_type) &&
      add_message_head(c, d, &tail) && add_fields(c, d, &inner, &tail) &&
      sch__desc_in_extends(c, d->extension, d->n_extension, &inner)) {
    sch__desc_in_decls(c, &inner, d->enum_type, d->n_enum_type, &tail);
  }
  sch__desc_in_leave(c);
  *out = m;
  return c->code == SCH_OK;
}

/* ---- enums -------------------------------------------------------------------------- */

static bool add_value(desc_in_t *c, const Google__Protobuf__EnumValueDescriptorProto *vd,
                      sch_proto_enum_value_t **out) {
  sch_proto_enum_value_t *v = sch__desc_in_alloc(c, sizeof(*v));
  if (!v || !sch__desc_in_check_ident(c, vd->name, "enum value")) {
    return false;
  }
  if (!vd->has_number) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "enum value \"%s\" has no number", vd->name);
  }
  v->name = vd->name;
  v->number = vd->number;
  sch_proto_option_t **ot = &v->options;
  *out = v;
  return sch__desc_in_options(c, (const ProtobufCMessage *)vd->options, &ot);
}

static bool add_enum_reserved(desc_in_t *c, const pbd_enum_t *d, sch_proto_enum_t *e) {
  sch_proto_elem_t **tail = &e->reserved;
  for (size_t i = 0; i < d->n_reserved_range && c->code == SCH_OK; i++) {
    const Google__Protobuf__EnumDescriptorProto__EnumReservedRange *g = d->reserved_range[i];
    sch_proto_reserved_t *r = add_reserved(c, &tail, SCH_PROTO_ELEM_RESERVED);
    if (r) {
      add_range(c, g->has_start && g->has_end, g->start, g->end, false, INT32_MAX, &r->ranges);
    }
  }
  for (size_t i = 0; i < d->n_reserved_name && c->code == SCH_OK; i++) {
    add_reserved_name(c, &tail, d->reserved_name[i]);
  }
  return c->code == SCH_OK;
}

bool sch__desc_in_enum(desc_in_t *c, const pbd_enum_t *d, sch_proto_enum_t **out) {
  sch_proto_enum_t *e = sch__desc_in_alloc(c, sizeof(*e));
  if (!e || !sch__desc_in_check_ident(c, d->name, "enum") || !sch__desc_in_enter(c)) {
    return false;
  }
  e->name = d->name;
  sch_proto_option_t **ot = &e->options;
  sch_proto_enum_value_t **vt = &e->values;
  if (sch__desc_in_options(c, (const ProtobufCMessage *)d->options, &ot)) {
    for (size_t i = 0; i < d->n_value && add_value(c, d->value[i], vt); i++) {
      vt = &(*vt)->next;
    }
  }
  add_enum_reserved(c, d, e);
  sch__desc_in_leave(c);
  *out = e;
  return c->code == SCH_OK;
}
