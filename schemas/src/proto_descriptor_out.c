// SPDX-License-Identifier: Apache-2.0
/* Writing the FileDescriptorProto of a resolved file, as protoc 3.21 emits
 * it with --descriptor_set_out (no source info, no imported files): what
 * `GET /schemas/ids/{id}?format=serialized` returns base64'd and what the
 * Confluent clients load into a descriptor pool. The structure comes from the
 * resolved model (full type names with a leading dot, labels, json names,
 * defaults, map entries, groups, proto3 optional oneofs, extensions and
 * services from proto_resolve_int.h); options and ranges come from the
 * syntax tree (proto_descriptor_out_options.c). The protobuf-c structs live
 * in an arena and point at the schema's own strings until packed. */
#include <stdlib.h>
#include <string.h>

#include "proto_descriptor_int.h"
#include "proto_resolve_int.h"

typedef Google__Protobuf__EnumValueDescriptorProto pbd_value_t;
typedef Google__Protobuf__MethodDescriptorProto pbd_method_t;
typedef Google__Protobuf__OneofDescriptorProto pbd_oneof_t;

/* Extensions and services of the file being written. */
typedef struct out_file {
  desc_out_t c;
  const sch__pb_extension_t *exts;
  size_t n_exts;
} out_file_t;

/* An arena array of n pointers (never NULL unless out of memory). */
#define NEW_ARRAY(c, n, p) ((p) = sch__desc_out_alloc((c), ((n) + 1) * sizeof(*(p))))

static pbd_field_t *field_proto(desc_out_t *c, const sch_pb_field_t *f, const char *extendee) {
  pbd_field_t *d = sch__desc_out_alloc(c, sizeof(*d));
  if (!d) {
    return NULL;
  }
  google__protobuf__field_descriptor_proto__init(d);
  d->name = (char *)f->name;
  d->has_number = d->has_label = d->has_type = true;
  d->number = f->number;
  d->label = (Google__Protobuf__FieldDescriptorProto__Label)f->label;
  d->type = (Google__Protobuf__FieldDescriptorProto__Type)f->type;
  d->type_name = (char *)f->type_name;
  d->extendee = (char *)extendee;
  d->default_value = (char *)f->default_value;
  d->has_oneof_index = f->oneof_index >= 0;
  d->oneof_index = f->oneof_index >= 0 ? f->oneof_index : 0;
  d->json_name = (char *)f->json_name;
  d->has_proto3_optional = d->proto3_optional = f->proto3_optional;
  ProtobufCMessage *opts = NULL;
  sch__desc_out_options(c, &google__protobuf__field_options__descriptor, f->src ? f->src->options : NULL,
                        &opts);
  d->options = (Google__Protobuf__FieldOptions *)opts;
  return d;
}

/* The extensions declared in `scope` (NULL: at file level), in order. */
static void extensions_of(out_file_t *o, const sch_pb_message_t *scope, pbd_field_t ***out, size_t *n) {
  size_t count = 0;
  for (size_t i = 0; i < o->n_exts; i++) {
    count += o->exts[i].scope == scope;
  }
  NEW_ARRAY(&o->c, count, *out);
  for (size_t i = 0; i < o->n_exts && *out; i++) {
    if (o->exts[i].scope == scope) {
      (*out)[(*n)++] = field_proto(&o->c, &o->exts[i].field, o->exts[i].extendee);
    }
  }
}

static pbd_enum_t *enum_proto(desc_out_t *c, const sch_pb_enum_t *e) {
  pbd_enum_t *d = sch__desc_out_alloc(c, sizeof(*d));
  if (!d) {
    return NULL;
  }
  google__protobuf__enum_descriptor_proto__init(d);
  d->name = (char *)e->name;
  NEW_ARRAY(c, e->n_values, d->value);
  for (size_t i = 0; i < e->n_values && d->value; i++) {
    pbd_value_t *v = sch__desc_out_alloc(c, sizeof(*v));
    if (!v) {
      return NULL;
    }
    google__protobuf__enum_value_descriptor_proto__init(v);
    v->name = (char *)e->values[i].name;
    v->has_number = true;
    v->number = e->values[i].number;
    ProtobufCMessage *opts = NULL;
    const sch_proto_enum_value_t *src = e->values[i].src;
    sch__desc_out_options(c, &google__protobuf__enum_value_options__descriptor, src ? src->options : NULL,
                          &opts);
    v->options = (Google__Protobuf__EnumValueOptions *)opts;
    d->value[d->n_value++] = v;
  }
  if (e->src) {
    sch__desc_out_enum_extras(c, e->src, d);
  }
  return d;
}

static pbd_message_t *message_proto(out_file_t *o, const sch_pb_message_t *m);

/* Fields, oneofs, nested messages and enums of m into d. */
static void message_members(out_file_t *o, const sch_pb_message_t *m, pbd_message_t *d) {
  desc_out_t *c = &o->c;
  NEW_ARRAY(c, m->n_fields, d->field);
  NEW_ARRAY(c, m->n_oneofs, d->oneof_decl);
  NEW_ARRAY(c, m->n_nested, d->nested_type);
  NEW_ARRAY(c, m->n_enums, d->enum_type);
  if (c->oom) {
    return;
  }
  for (size_t i = 0; i < m->n_fields; i++) {
    d->field[d->n_field++] = field_proto(c, &m->fields[i], NULL);
  }
  for (size_t i = 0; i < m->n_oneofs; i++) {
    pbd_oneof_t *od = sch__desc_out_alloc(c, sizeof(*od));
    if (!od) {
      return;
    }
    google__protobuf__oneof_descriptor_proto__init(od);
    od->name = (char *)m->oneofs[i].name; /* OneofOptions: only custom options in 3.21 */
    d->oneof_decl[d->n_oneof_decl++] = od;
  }
  for (size_t i = 0; i < m->n_nested; i++) {
    d->nested_type[d->n_nested_type++] = message_proto(o, m->nested[i]);
  }
  for (size_t i = 0; i < m->n_enums; i++) {
    d->enum_type[d->n_enum_type++] = enum_proto(c, m->enums[i]);
  }
}

static pbd_message_t *message_proto(out_file_t *o, const sch_pb_message_t *m) {
  pbd_message_t *d = sch__desc_out_alloc(&o->c, sizeof(*d));
  if (!d) {
    return NULL;
  }
  google__protobuf__descriptor_proto__init(d);
  d->name = (char *)m->name;
  message_members(o, m, d);
  extensions_of(o, m, &d->extension, &d->n_extension);
  if (m->map_entry) {
    Google__Protobuf__MessageOptions *opts = sch__desc_out_alloc(&o->c, sizeof(*opts));
    if (opts) {
      google__protobuf__message_options__init(opts);
      opts->has_map_entry = opts->map_entry = true;
    }
    d->options = opts;
  } else if (m->src) {
    sch__desc_out_message_head(&o->c, m->src, d);
  }
  return d;
}

static pbd_service_t *service_proto(desc_out_t *c, const sch__pb_service_t *s) {
  pbd_service_t *d = sch__desc_out_alloc(c, sizeof(*d));
  if (!d) {
    return NULL;
  }
  google__protobuf__service_descriptor_proto__init(d);
  d->name = (char *)s->name;
  NEW_ARRAY(c, s->n_methods, d->method);
  for (size_t i = 0; i < s->n_methods && d->method; i++) {
    const sch__pb_method_t *m = &s->methods[i];
    pbd_method_t *md = sch__desc_out_alloc(c, sizeof(*md));
    if (!md) {
      return NULL;
    }
    google__protobuf__method_descriptor_proto__init(md);
    md->name = (char *)m->name;
    md->input_type = (char *)m->input_type;
    md->output_type = (char *)m->output_type;
    /* protoc sets the streaming flags only when `stream` is written */
    md->has_client_streaming = md->client_streaming = m->src && m->src->input_stream;
    md->has_server_streaming = md->server_streaming = m->src && m->src->output_stream;
    ProtobufCMessage *opts = NULL;
    sch__desc_out_options(c, &google__protobuf__method_options__descriptor, m->src ? m->src->options : NULL,
                          &opts);
    md->options = (Google__Protobuf__MethodOptions *)opts;
    d->method[d->n_method++] = md;
  }
  ProtobufCMessage *opts = NULL;
  sch__desc_out_options(c, &google__protobuf__service_options__descriptor, s->src ? s->src->options : NULL,
                        &opts);
  d->options = (Google__Protobuf__ServiceOptions *)opts;
  return d;
}

/* dependency, public_dependency and weak_dependency, in import order. */
static void imports_proto(desc_out_t *c, const sch_proto_file_t *ast, pbd_file_t *d) {
  size_t n = 0;
  for (const sch_proto_import_t *i = ast->imports; i; i = i->next) {
    n++;
  }
  NEW_ARRAY(c, n, d->dependency);
  NEW_ARRAY(c, n, d->public_dependency);
  NEW_ARRAY(c, n, d->weak_dependency);
  if (c->oom) {
    return;
  }
  for (const sch_proto_import_t *i = ast->imports; i; i = i->next) {
    int32_t at = (int32_t)d->n_dependency;
    d->dependency[d->n_dependency++] = (char *)i->path;
    if (i->kind == SCH_PROTO_IMPORT_PUBLIC) {
      d->public_dependency[d->n_public_dependency++] = at;
    } else if (i->kind == SCH_PROTO_IMPORT_WEAK) {
      d->weak_dependency[d->n_weak_dependency++] = at;
    }
  }
}

static void file_options(desc_out_t *c, const sch_proto_file_t *ast, pbd_file_t *d) {
  ProtobufCMessage *opts = NULL;
  for (const sch_proto_elem_t *e = ast->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      sch__desc_out_options(c, &google__protobuf__file_options__descriptor, e->u.option, &opts);
    }
  }
  d->options = (Google__Protobuf__FileOptions *)opts;
}

static pbd_file_t *file_proto(out_file_t *o, const sch_pb_file_t *file) {
  desc_out_t *c = &o->c;
  pbd_file_t *d = sch__desc_out_alloc(c, sizeof(*d));
  size_t n_services = 0;
  const sch__pb_service_t *services = sch__pb_file_services(file, &n_services);
  if (!d) {
    return NULL;
  }
  google__protobuf__file_descriptor_proto__init(d);
  /* the schema's own file has no import path: Confluent names it "default"
   * (ProtobufSchema.DEFAULT_NAME), and clients key descriptor pools by it */
  d->name = (char *)(file->path && *file->path ? file->path : "default");
  d->package = (char *)file->package;
  imports_proto(c, file->ast, d);
  NEW_ARRAY(c, file->n_messages, d->message_type);
  NEW_ARRAY(c, file->n_enums, d->enum_type);
  NEW_ARRAY(c, n_services, d->service);
  for (size_t i = 0; i < file->n_messages && d->message_type; i++) {
    d->message_type[d->n_message_type++] = message_proto(o, file->messages[i]);
  }
  for (size_t i = 0; i < file->n_enums && d->enum_type; i++) {
    d->enum_type[d->n_enum_type++] = enum_proto(c, file->enums[i]);
  }
  for (size_t i = 0; i < n_services && d->service; i++) {
    d->service[d->n_service++] = service_proto(c, &services[i]);
  }
  extensions_of(o, NULL, &d->extension, &d->n_extension);
  file_options(c, file->ast, d);
  /* protoc 3.21 writes syntax only for proto3 */
  d->syntax = file->syntax == SCH_PROTO3 ? "proto3" : NULL;
  return d;
}

uint8_t *sch_pb_file_descriptor(const sch_pb_file_t *file, size_t *len, sch_error_t *err) {
  out_file_t o = {.c = {.arena = sch__proto_arena_new()}};
  uint8_t *out = NULL;
  o.exts = sch__pb_file_extensions(file, &o.n_exts);
  o.c.oom = o.c.arena == NULL;
  pbd_file_t *d = o.c.oom ? NULL : file_proto(&o, file);
  if (d && !o.c.oom) {
    size_t n = google__protobuf__file_descriptor_proto__get_packed_size(d);
    out = malloc(n ? n : 1);
    if (out) {
      google__protobuf__file_descriptor_proto__pack(d, out);
      if (len) {
        *len = n;
      }
    }
  }
  sch__proto_arena_destroy(o.c.arena);
  if (!out) {
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
  }
  return out;
}
