// SPDX-License-Identifier: Apache-2.0
/* Builds the resolved nodes of one file from its syntax tree, the way
 * protoc lays out a FileDescriptorProto: messages and enums with full names,
 * fields in declaration order, synthetic map-entry messages and proto2 group
 * messages placed among the nested messages where they were declared,
 * proto3 `optional` oneofs after the real ones, extensions and services.
 * Every name it makes is registered in the symbol table. Type references
 * are only recorded here; proto_resolve_refs.c resolves them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

/* What one message body (or the file) holds, counted before allocating. */
typedef struct counts {
  size_t fields, nested, enums, oneofs, synthetic;
} counts_t;

/* The container nested messages and enums are appended to. */
typedef struct scope {
  pb_file_t *file;
  pb_message_t *owner;   /* NULL at file level */
  const char *full_name; /* owner's full name, or the package (NULL if none) */
  const sch_pb_message_t **nested;
  size_t n_nested;
  const sch_pb_enum_t **enums;
  size_t n_enums;
} scope_t;

static bool fields_of(const sch_proto_elem_t *e, const sch_proto_field_t **first) {
  *first = e->kind == SCH_PROTO_ELEM_FIELD    ? e->u.field
           : e->kind == SCH_PROTO_ELEM_ONEOF  ? e->u.oneof->fields
           : e->kind == SCH_PROTO_ELEM_EXTEND ? e->u.extend->fields
                                              : NULL;
  return *first != NULL;
}

static counts_t count_elems(const sch_proto_elem_t *elems, bool proto3) {
  counts_t c = {0};
  for (const sch_proto_elem_t *e = elems; e; e = e->next) {
    c.nested += e->kind == SCH_PROTO_ELEM_MESSAGE;
    c.enums += e->kind == SCH_PROTO_ELEM_ENUM;
    c.oneofs += e->kind == SCH_PROTO_ELEM_ONEOF;
    const sch_proto_field_t *f = NULL;
    fields_of(e, &f);
    for (; f; f = e->kind == SCH_PROTO_ELEM_FIELD ? NULL : f->next) {
      c.nested += f->map_key || f->group;
      c.fields += e->kind != SCH_PROTO_ELEM_EXTEND;
      c.synthetic += proto3 && e->kind == SCH_PROTO_ELEM_FIELD && f->label == SCH_PROTO_LABEL_OPTIONAL;
    }
  }
  return c;
}

static bool count_type(pb_build_t *b, const pb_file_t *f, int line, int col) {
  if (++b->n_types > SCH_MAX_NAMED_TYPES) {
    return sch__pb_fail(b, SCH_ERR_LIMIT, f, line, col, "more than %d messages and enums in one schema",
                        SCH_MAX_NAMED_TYPES);
  }
  return true;
}

static bool build_enum(pb_build_t *b, scope_t *sc, const sch_proto_enum_t *src) {
  sch_pb_enum_t *e = sch__pb_alloc(b, sizeof(*e));
  if (!e || !count_type(b, sc->file, src->line, src->col)) {
    return false;
  }
  e->name = src->name;
  e->src = src;
  e->file = &sc->file->pub;
  e->parent = sc->owner ? &sc->owner->pub : NULL;
  if (!(e->full_name = sch__pb_join(b, sc->full_name, src->name)) ||
      !sch__pb_sym_add(b, e->full_name, PB_SYM_ENUM, sc->file, e, src->line, src->col)) {
    return false;
  }
  size_t n = 0;
  for (const sch_proto_enum_value_t *v = src->values; v; v = v->next) {
    n++;
  }
  sch_pb_enum_value_t *vals = sch__pb_alloc(b, n * sizeof(*vals));
  if (!vals) {
    return false;
  }
  size_t i = 0;
  for (const sch_proto_enum_value_t *v = src->values; v; v = v->next, i++) {
    vals[i] = (sch_pb_enum_value_t){v->name, v->number, v};
    /* C++ scoping: enum values are siblings of their enum */
    const char *vn = sch__pb_join(b, sc->full_name, v->name);
    if (!vn || !sch__pb_sym_add(b, vn, PB_SYM_OTHER, sc->file, NULL, v->line, v->col)) {
      return false;
    }
  }
  e->values = vals;
  e->n_values = n;
  sc->enums[sc->n_enums++] = e;
  return true;
}

/* A new message named `name` in sc with room for c; registered. */
static pb_message_t *message_new(pb_build_t *b, scope_t *sc, const char *name, const counts_t *c, int line,
                                 int col) {
  pb_message_t *m = sch__pb_alloc(b, sizeof(*m));
  if (!m) {
    return NULL;
  }
  m->pub.name = name;
  m->pub.file = &sc->file->pub;
  m->pub.parent = sc->owner ? &sc->owner->pub : NULL;
  m->index = (int32_t)sc->n_nested;
  m->pub.full_name = sch__pb_join(b, sc->full_name, name);
  m->pub.fields = sch__pb_alloc(b, c->fields * sizeof(sch_pb_field_t));
  m->origins = sch__pb_alloc(b, c->fields * sizeof(pb_origin_t));
  m->pub.oneofs = sch__pb_alloc(b, (c->oneofs + c->synthetic) * sizeof(sch_pb_oneof_t));
  m->pub.nested = sch__pb_alloc(b, c->nested * sizeof(sch_pb_message_t *));
  m->pub.enums = sch__pb_alloc(b, c->enums * sizeof(sch_pb_enum_t *));
  if (!m->pub.full_name || !m->pub.fields || !m->origins || !m->pub.oneofs || !m->pub.nested ||
      !m->pub.enums || !sch__pb_sym_add(b, m->pub.full_name, PB_SYM_MESSAGE, sc->file, &m->pub, line, col)) {
    return NULL;
  }
  sc->nested[sc->n_nested++] = &m->pub;
  return m;
}

static bool build_message(pb_build_t *b, scope_t *sc, const char *name, const sch_proto_message_t *src);

/* The synthetic entry message of map field `fd` (declared as src) in m. */
static bool build_map_entry(pb_build_t *b, scope_t *sc, sch_pb_field_t *fd, const sch_proto_field_t *src) {
  counts_t c = {.fields = 2};
  const char *name = sch__pb_map_entry_name(b, src->name);
  pb_message_t *e = name ? message_new(b, sc, name, &c, src->line, src->col) : NULL;
  if (!e) {
    return false;
  }
  e->pub.map_entry = true;
  sch_pb_field_t *kv = (sch_pb_field_t *)e->pub.fields;
  kv[0] = (sch_pb_field_t){.name = "key",
                           .json_name = "key",
                           .number = 1,
                           .label = SCH_PB_OPTIONAL,
                           .type = sch__pb_scalar_type(src->map_key),
                           .oneof_index = -1};
  kv[1] = (sch_pb_field_t){.name = "value",
                           .json_name = "value",
                           .number = 2,
                           .label = SCH_PB_OPTIONAL,
                           .type = sch__pb_scalar_type(src->type),
                           .oneof_index = -1};
  e->pub.n_fields = 2;
  if (!kv[1].type) {
    e->origins[1] = (pb_origin_t){src->type, src->name, src->line, src->col};
  }
  for (int i = 0; i < 2; i++) {
    const char *fname = sch__pb_join(b, e->pub.full_name, kv[i].name);
    if (!fname || !sch__pb_sym_add(b, fname, PB_SYM_OTHER, sc->file, NULL, src->line, src->col)) {
      return false;
    }
  }
  fd->type = SCH_PB_MESSAGE;
  fd->message = &e->pub;
  return (fd->type_name = sch__pb_dotted(b, e->pub.full_name)) != NULL;
}

/* The field parts known before resolution; groups and map entries are
 * built here, in sc at the field's position. */
static bool fill_field(pb_build_t *b, scope_t *sc, sch_pb_field_t *fd, pb_origin_t *o,
                       const sch_proto_field_t *src) {
  fd->name = src->name;
  fd->number = src->number;
  fd->src = src;
  fd->label = src->map_key || src->label == SCH_PROTO_LABEL_REPEATED ? SCH_PB_REPEATED
              : src->label == SCH_PROTO_LABEL_REQUIRED               ? SCH_PB_REQUIRED
                                                                     : SCH_PB_OPTIONAL;
  fd->json_name = NULL;
  for (const sch_proto_option_t *opt = src->options; opt; opt = opt->next) {
    if (strcmp(opt->name, "json_name") == 0 && opt->value.kind == SCH_PROTO_CONST_STRING) {
      fd->json_name = sch__proto_arena_strndup(b->s->arena, opt->value.text, opt->value.len);
    }
  }
  if (!fd->json_name && !(fd->json_name = sch__pb_json_name(b, src->name))) {
    return sch__pb_nomem(b);
  }
  if (src->map_key) {
    return build_map_entry(b, sc, fd, src);
  }
  if (src->group) {
    if (!build_message(b, sc, src->type, src->group)) {
      return false;
    }
    fd->type = SCH_PB_GROUP;
    fd->message = sc->nested[sc->n_nested - 1];
    return (fd->type_name = sch__pb_dotted(b, fd->message->full_name)) != NULL;
  }
  if (!(fd->type = sch__pb_scalar_type(src->type))) {
    *o = (pb_origin_t){src->type, src->name, src->line, src->col};
  }
  return true;
}

/* A regular (or oneof member) field of the message of sc. */
static bool add_field(pb_build_t *b, scope_t *sc, const sch_proto_field_t *src, int oneof_index) {
  pb_message_t *m = sc->owner;
  size_t i = m->pub.n_fields++;
  sch_pb_field_t *fd = (sch_pb_field_t *)&m->pub.fields[i];
  fd->oneof_index = oneof_index;
  fd->proto3_optional =
      sc->file->pub.syntax == SCH_PROTO3 && oneof_index < 0 && src->label == SCH_PROTO_LABEL_OPTIONAL;
  if (!fill_field(b, sc, fd, &m->origins[i], src)) {
    return false;
  }
  const char *fname = sch__pb_join(b, m->pub.full_name, src->name);
  return fname && sch__pb_sym_add(b, fname, PB_SYM_OTHER, sc->file, NULL, src->line, src->col);
}

/* An extension field declared in sc (file level or in a message). */
static bool add_extension(pb_build_t *b, scope_t *sc, const sch_proto_extend_t *x,
                          const sch_proto_field_t *src) {
  pb_file_t *f = sc->file;
  if (src->map_key) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, src->line, src->col,
                        "extension \"%s\": map fields can't be extensions", src->name);
  }
  if (f->n_exts == f->cap_exts) {
    size_t nc = f->cap_exts ? f->cap_exts * 2 : 4;
    sch__pb_extension_t *nv = sch__pb_alloc(b, nc * sizeof(*nv));
    if (!nv) {
      return false;
    }
    if (f->n_exts) {
      memcpy(nv, f->exts, f->n_exts * sizeof(*nv));
    }
    f->exts = nv;
    f->cap_exts = nc;
  }
  sch__pb_extension_t *ext = &f->exts[f->n_exts++];
  ext->field.oneof_index = -1;
  ext->extendee = x->type; /* as written until resolved */
  ext->scope = sc->owner ? &sc->owner->pub : NULL;
  pb_origin_t o = {0};
  if (!fill_field(b, sc, &ext->field, &o, src)) {
    return false;
  }
  const char *fname = sch__pb_join(b, sc->full_name, src->name);
  return fname && sch__pb_sym_add(b, fname, PB_SYM_OTHER, f, NULL, src->line, src->col);
}

static bool add_oneof(pb_build_t *b, scope_t *sc, const sch_proto_oneof_t *src) {
  pb_message_t *m = sc->owner;
  int idx = (int)m->pub.n_oneofs++;
  ((sch_pb_oneof_t *)m->pub.oneofs)[idx] = (sch_pb_oneof_t){src->name, false, src};
  const char *oname = sch__pb_join(b, m->pub.full_name, src->name);
  if (!oname || !sch__pb_sym_add(b, oname, PB_SYM_OTHER, sc->file, NULL, src->line, src->col)) {
    return false;
  }
  for (const sch_proto_field_t *f = src->fields; f; f = f->next) {
    if (!add_field(b, sc, f, idx)) {
      return false;
    }
  }
  return true;
}

/* One statement of a message body or of the file. */
static bool build_elem(pb_build_t *b, scope_t *sc, const sch_proto_elem_t *e) {
  switch (e->kind) {
    case SCH_PROTO_ELEM_FIELD:
      return add_field(b, sc, e->u.field, -1);
    case SCH_PROTO_ELEM_ONEOF:
      return add_oneof(b, sc, e->u.oneof);
    case SCH_PROTO_ELEM_MESSAGE:
      return build_message(b, sc, e->u.message->name, e->u.message);
    case SCH_PROTO_ELEM_ENUM:
      return build_enum(b, sc, e->u.enm);
    case SCH_PROTO_ELEM_EXTEND:
      for (const sch_proto_field_t *f = e->u.extend->fields; f; f = f->next) {
        if (!add_extension(b, sc, e->u.extend, f)) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

static bool taken(const sch_pb_message_t *m, const char *name) {
  for (size_t i = 0; i < m->n_fields; i++) {
    if (strcmp(m->fields[i].name, name) == 0) {
      return true;
    }
  }
  for (size_t i = 0; i < m->n_oneofs; i++) {
    if (strcmp(m->oneofs[i].name, name) == 0) {
      return true;
    }
  }
  return false;
}

/* protoc's name for the oneof of a proto3 `optional` field: "_name",
 * prefixed with 'X' until it clashes with no field or oneof. */
static bool add_synthetic_oneof(pb_build_t *b, pb_message_t *m, sch_pb_field_t *fd) {
  size_t len = strlen(fd->name), room = m->pub.n_fields + m->pub.n_oneofs + 1;
  char *buf = malloc(room + len + 2);
  if (!buf) {
    return sch__pb_nomem(b);
  }
  char *name = buf + room;
  snprintf(name, len + 2, "%s%s", fd->name[0] == '_' ? "" : "_", fd->name);
  while (name > buf && taken(&m->pub, name)) {
    *--name = 'X';
  }
  const char *owned = sch__proto_arena_strndup(b->s->arena, name, strlen(name));
  free(buf);
  if (!owned) {
    return sch__pb_nomem(b);
  }
  fd->oneof_index = (int)m->pub.n_oneofs;
  ((sch_pb_oneof_t *)m->pub.oneofs)[m->pub.n_oneofs++] = (sch_pb_oneof_t){owned, true, NULL};
  const char *full = sch__pb_join(b, m->pub.full_name, owned);
  const pb_file_t *f = (const pb_file_t *)m->pub.file;
  return full && sch__pb_sym_add(b, full, PB_SYM_OTHER, f, NULL, fd->src->line, fd->src->col);
}

static bool build_message(pb_build_t *b, scope_t *sc, const char *name, const sch_proto_message_t *src) {
  counts_t c = count_elems(src->elems, sc->file->pub.syntax == SCH_PROTO3);
  pb_message_t *m = message_new(b, sc, name, &c, src->line, src->col);
  if (!m || !count_type(b, sc->file, src->line, src->col)) {
    return false;
  }
  m->pub.src = src;
  scope_t inner = {sc->file,
                   m,
                   m->pub.full_name,
                   (const sch_pb_message_t **)m->pub.nested,
                   0,
                   (const sch_pb_enum_t **)m->pub.enums,
                   0};
  for (const sch_proto_elem_t *e = src->elems; e; e = e->next) {
    if (!build_elem(b, &inner, e)) {
      return false;
    }
  }
  m->pub.n_nested = inner.n_nested;
  m->pub.n_enums = inner.n_enums;
  for (size_t i = 0; i < m->pub.n_fields; i++) {
    sch_pb_field_t *fd = (sch_pb_field_t *)&m->pub.fields[i];
    if (fd->proto3_optional && !add_synthetic_oneof(b, m, fd)) {
      return false;
    }
  }
  return true;
}

static bool build_service(pb_build_t *b, pb_file_t *f, sch__pb_service_t *sv,
                          const sch_proto_service_t *src) {
  sv->name = src->name;
  sv->src = src;
  if (!(sv->full_name = sch__pb_join(b, f->pub.package, src->name)) ||
      !sch__pb_sym_add(b, sv->full_name, PB_SYM_SERVICE, f, NULL, src->line, src->col)) {
    return false;
  }
  size_t n = 0;
  for (const sch_proto_rpc_t *r = src->rpcs; r; r = r->next) {
    n++;
  }
  sch__pb_method_t *ms = sch__pb_alloc(b, n * sizeof(*ms));
  if (!ms) {
    return false;
  }
  size_t i = 0;
  for (const sch_proto_rpc_t *r = src->rpcs; r; r = r->next, i++) {
    ms[i] = (sch__pb_method_t){r->name, r->input, r->output, r}; /* types as written until resolved */
    const char *mn = sch__pb_join(b, sv->full_name, r->name);
    if (!mn || !sch__pb_sym_add(b, mn, PB_SYM_OTHER, f, NULL, r->line, r->col)) {
      return false;
    }
  }
  sv->methods = ms;
  sv->n_methods = n;
  return true;
}

bool sch__pb_build_file(pb_build_t *b, pb_file_t *f) {
  counts_t c = count_elems(f->ast->elems, false);
  size_t n_services = 0;
  for (const sch_proto_elem_t *e = f->ast->elems; e; e = e->next) {
    n_services += e->kind == SCH_PROTO_ELEM_SERVICE;
  }
  f->pub.messages = sch__pb_alloc(b, c.nested * sizeof(sch_pb_message_t *));
  f->pub.enums = sch__pb_alloc(b, c.enums * sizeof(sch_pb_enum_t *));
  f->services = sch__pb_alloc(b, n_services * sizeof(*f->services));
  if (!f->pub.messages || !f->pub.enums || !f->services) {
    return false;
  }
  scope_t sc = {f,
                NULL,
                f->pub.package,
                (const sch_pb_message_t **)f->pub.messages,
                0,
                (const sch_pb_enum_t **)f->pub.enums,
                0};
  for (const sch_proto_elem_t *e = f->ast->elems; e; e = e->next) {
    bool ok = e->kind == SCH_PROTO_ELEM_SERVICE
                  ? build_service(b, f, &f->services[f->n_services++], e->u.service)
                  : build_elem(b, &sc, e);
    if (!ok) {
      return false;
    }
  }
  f->pub.n_messages = sc.n_nested;
  f->pub.n_enums = sc.n_enums;
  return true;
}

const sch__pb_extension_t *sch__pb_file_extensions(const sch_pb_file_t *file, size_t *n) {
  const pb_file_t *f = (const pb_file_t *)file;
  *n = f->n_exts;
  return f->exts;
}

const sch__pb_service_t *sch__pb_file_services(const sch_pb_file_t *file, size_t *n) {
  const pb_file_t *f = (const pb_file_t *)file;
  *n = f->n_services;
  return f->services;
}
