// SPDX-License-Identifier: Apache-2.0
/* The second pass over one built file: every type a field, extension or
 * rpc names is looked up (proto_resolve_names.c) from the scope it was
 * written in, and what depends on the resolved type is filled in: MESSAGE
 * or ENUM, type_name, packed, default_value, the sorted field indexes. Also
 * the checks protoc makes once types are known: proto3 messages may not use
 * proto2 enums, extendees are messages that declare the extension's number,
 * rpc types are messages. It creates no types. protoc's proto3 check that
 * no two field names clash once lower-cased without underscores (their
 * JSON names) is deliberately not made. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

/* Resolves `type` (written in `scope`) into fd's type, type_name and target. */
static bool resolve_field_type(pb_build_t *b, const char *scope, const char *type, const char *what, int line,
                               int col, sch_pb_field_t *fd) {
  const pb_sym_t *y = NULL;
  if (!sch__pb_lookup_type(b, scope, type, what, line, col, &y)) {
    return false;
  }
  if (y->kind == PB_SYM_MESSAGE) {
    fd->type = SCH_PB_MESSAGE;
    fd->message = y->node;
  } else {
    fd->type = SCH_PB_ENUM;
    fd->enm = y->node;
  }
  return (fd->type_name = sch__pb_dotted(b, y->name)) != NULL;
}

static bool check_enum_syntax(pb_build_t *b, const pb_file_t *f, const sch_pb_field_t *fd,
                              const pb_origin_t *o, const sch_pb_message_t *m) {
  if (fd->type != SCH_PB_ENUM || f->pub.syntax != SCH_PROTO3 || fd->enm->file->syntax == SCH_PROTO3) {
    return true;
  }
  return sch__pb_fail(b, SCH_ERR_INVALID, f, o->line, o->col,
                      "field \"%s\": enum \"%s\" is a proto2 enum and can't be used in proto3 message \"%s\"",
                      o->field, fd->enm->full_name, m->full_name);
}

static bool resolve_message(pb_build_t *b, pb_file_t *f, pb_message_t *m) {
  char what[300];
  for (size_t i = 0; i < m->pub.n_fields; i++) {
    sch_pb_field_t *fd = (sch_pb_field_t *)&m->pub.fields[i];
    const pb_origin_t *o = &m->origins[i];
    if (o->type) {
      snprintf(what, sizeof what, "field \"%s\"", o->field);
      if (!resolve_field_type(b, m->pub.full_name, o->type, what, o->line, o->col, fd) ||
          !check_enum_syntax(b, f, fd, o, &m->pub)) {
        return false;
      }
    }
    if (!sch__pb_field_finish(b, f, fd)) {
      return false;
    }
  }
  if (!sch__pb_message_index_fields(b, m)) {
    return false;
  }
  for (size_t i = 0; i < m->pub.n_nested; i++) {
    if (!resolve_message(b, f, (pb_message_t *)m->pub.nested[i])) {
      return false;
    }
  }
  return true;
}

/* True if `number` is in one of m's `extensions` ranges. */
static bool extendable(const sch_pb_message_t *m, int32_t number) {
  for (const sch_proto_elem_t *e = m->src ? m->src->elems : NULL; e; e = e->next) {
    if (e->kind != SCH_PROTO_ELEM_EXTENSIONS) {
      continue;
    }
    for (const sch_proto_range_t *r = e->u.reserved->ranges; r; r = r->next) {
      if (number >= r->start && (number <= r->end || r->end_is_max)) {
        return true;
      }
    }
  }
  return false;
}

static bool resolve_extension(pb_build_t *b, pb_file_t *f, sch__pb_extension_t *x) {
  sch_pb_field_t *fd = &x->field;
  const sch_proto_field_t *src = fd->src;
  const char *scope = x->scope ? x->scope->full_name : f->pub.package;
  char what[300];
  snprintf(what, sizeof what, "extension \"%s\"", src->name);
  const pb_sym_t *y = NULL;
  if (!sch__pb_lookup_type(b, scope, x->extendee, what, src->line, src->col, &y)) {
    return false;
  }
  if (y->kind != PB_SYM_MESSAGE) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, src->line, src->col, "%s: \"%s\" is not a message type", what,
                        x->extendee);
  }
  x->target = y->node;
  if (!extendable(x->target, fd->number)) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, src->line, src->col,
                        "%s: \"%s\" does not declare %d as an extension number", what, y->name,
                        (int)fd->number);
  }
  if (!(x->extendee = sch__pb_dotted(b, y->name))) {
    return false;
  }
  if (!fd->type && !resolve_field_type(b, scope, src->type, what, src->line, src->col, fd)) {
    return false;
  }
  return sch__pb_field_finish(b, f, fd);
}

/* An rpc's input or output type: a message. */
static bool resolve_rpc_type(pb_build_t *b, pb_file_t *f, const sch__pb_service_t *sv,
                             const sch_proto_rpc_t *r, const char **type) {
  char what[300];
  snprintf(what, sizeof what, "rpc \"%s\"", r->name);
  const pb_sym_t *y = NULL;
  if (!sch__pb_lookup_type(b, sv->full_name, *type, what, r->line, r->col, &y)) {
    return false;
  }
  if (y->kind != PB_SYM_MESSAGE) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, r->line, r->col, "%s: \"%s\" is not a message type", what,
                        *type);
  }
  return (*type = sch__pb_dotted(b, y->name)) != NULL;
}

bool sch__pb_resolve_file(pb_build_t *b, pb_file_t *f) {
  for (size_t i = 0; i < f->pub.n_messages; i++) {
    if (!resolve_message(b, f, (pb_message_t *)f->pub.messages[i])) {
      return false;
    }
  }
  for (size_t i = 0; i < f->n_exts; i++) {
    if (!resolve_extension(b, f, &f->exts[i])) {
      return false;
    }
  }
  for (size_t i = 0; i < f->n_services; i++) {
    sch__pb_service_t *sv = &f->services[i];
    for (size_t j = 0; j < sv->n_methods; j++) {
      sch__pb_method_t *mt = (sch__pb_method_t *)&sv->methods[j];
      if (!resolve_rpc_type(b, f, sv, mt->src, &mt->input_type) ||
          !resolve_rpc_type(b, f, sv, mt->src, &mt->output_type)) {
        return false;
      }
    }
  }
  return true;
}
