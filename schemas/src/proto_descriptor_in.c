// SPDX-License-Identifier: Apache-2.0
/* Reading a serialized FileDescriptorProto back into .proto text, as the
 * registry must when a client registers a base64 descriptor: a bounded scan
 * of the wire bytes (protobuf-c's unpack recurses once per nested message and
 * has no depth limit of its own), protobuf-c's generated unpack, then a syntax
 * tree built for sch_proto_print, whose text must parse again. This file
 * owns the entry point, the wire scan, the file level (syntax, package,
 * imports, services) and the shared helpers; messages, enums, fields, scopes
 * and options are in the other proto_descriptor_in_*.c files. Writing
 * descriptors is proto_descriptor_out*.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_descriptor_int.h"

/* Wire nesting allowed below the FileDescriptorProto: SCH_MAX_DEPTH nested
 * messages plus field -> options -> uninterpreted_option -> name part. */
#define WIRE_MAX_DEPTH (SCH_MAX_DEPTH + 8)

/* ---- helpers shared by proto_descriptor_in*.c ------------------------------ */

bool sch__desc_in_fail(desc_in_t *c, sch_code_t code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sch__error_first(&c->code, c->err, code, code == SCH_ERR_INVALID ? "not a FileDescriptorProto: " : "", fmt, ap);
  va_end(ap);
  return false;
}

void *sch__desc_in_alloc(desc_in_t *c, size_t n) {
  void *p = c->code == SCH_OK ? sch__proto_arena_alloc(c->arena, n) : NULL;
  if (!p) {
    sch__desc_in_fail(c, SCH_ERR_NOMEM, "out of memory");
  }
  return p;
}

char *sch__desc_in_strdup(desc_in_t *c, const char *s) {
  char *d = c->code == SCH_OK ? sch__proto_arena_strndup(c->arena, s, strlen(s)) : NULL;
  if (!d) {
    sch__desc_in_fail(c, SCH_ERR_NOMEM, "out of memory");
  }
  return d;
}

char *sch__desc_in_join(desc_in_t *c, const char *scope, const char *name) {
  if (!*scope) {
    return sch__desc_in_strdup(c, name);
  }
  size_t a = strlen(scope), b = strlen(name);
  char *s = sch__desc_in_alloc(c, a + b + 2);
  if (s) {
    memcpy(s, scope, a);
    s[a] = '.';
    memcpy(s + a + 1, name, b + 1);
  }
  return s;
}

bool sch__desc_in_enter(desc_in_t *c) {
  if (++c->depth > SCH_MAX_DEPTH) {
    return sch__desc_in_fail(c, SCH_ERR_LIMIT, "descriptor nests deeper than %d levels", SCH_MAX_DEPTH);
  }
  return c->code == SCH_OK;
}

void sch__desc_in_leave(desc_in_t *c) {
  c->depth--;
}

static bool ident_at(const char *s, size_t *i) {
  if (!((s[*i] >= 'a' && s[*i] <= 'z') || (s[*i] >= 'A' && s[*i] <= 'Z') || s[*i] == '_')) {
    return false;
  }
  while ((s[*i] >= 'a' && s[*i] <= 'z') || (s[*i] >= 'A' && s[*i] <= 'Z') || s[*i] == '_' ||
         (s[*i] >= '0' && s[*i] <= '9')) {
    (*i)++;
  }
  return true;
}

bool sch__desc_in_check_ident(desc_in_t *c, const char *name, const char *what) {
  size_t i = 0;
  if (!name || !*name) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "%s has no name", what);
  }
  if (!ident_at(name, &i) || name[i]) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "%s name \"%.200s\" is not an identifier", what, name);
  }
  return c->code == SCH_OK;
}

/* a.b.c, with a leading dot if allowed. */
static bool dotted(const char *s, bool leading_dot) {
  size_t i = 0;
  if (leading_dot && s[0] == '.') {
    i++;
  }
  do {
    if (!ident_at(s, &i)) {
      return false;
    }
  } while (s[i] == '.' && s[++i]);
  return s[i] == '\0';
}

bool sch__desc_in_check_type_name(desc_in_t *c, const char *name, const char *what) {
  if (!name || !*name) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "%s has no type name", what);
  }
  if (!dotted(name, true)) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "%s type name \"%.200s\" is not a type name", what, name);
  }
  return c->code == SCH_OK;
}

sch_proto_elem_t *sch__desc_in_elem(desc_in_t *c, sch_proto_elem_t ***tail, sch_proto_elem_kind_t kind) {
  sch_proto_elem_t *e = sch__desc_in_alloc(c, sizeof(*e));
  if (e) {
    e->kind = kind;
    **tail = e;
    *tail = &e->next;
  }
  return e;
}

/* ---- wire scan ----------------------------------------------------------------- */

static bool read_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *pos < len; shift += 7) {
    uint8_t b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

/* Reads the length of the value of wire type wt at *pos and skips there
 * (length-delimited: to its first byte, with *n its size); false with an
 * error if truncated or of a wire type descriptors never use (groups). */
static bool value_extent(desc_in_t *c, unsigned wt, const uint8_t *p, size_t len, size_t *pos, uint64_t *n) {
  bool ok = false;
  const char *what = "varint";
  if (wt == 0) {
    ok = read_varint(p, len, pos, n);
    *n = 0;
  } else if (wt == 1 || wt == 5) {
    *n = wt == 1 ? 8 : 4;
    ok = len - *pos >= *n;
    what = "fixed-size value";
  } else if (wt == 2) {
    ok = read_varint(p, len, pos, n) && *n <= len - *pos;
    what = "length-delimited value";
  } else {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "unsupported wire type %u at byte %zu", wt, *pos);
  }
  return ok || sch__desc_in_fail(c, SCH_ERR_INVALID, "truncated %s at byte %zu", what, *pos);
}

/* Walks the bytes of one message of type d, descending into known
 * message-typed fields. Rejects malformed framing and deep nesting before
 * protobuf-c's recursive unpack sees the bytes. */
static bool wire_scan(desc_in_t *c, const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len,
                      int depth) {
  if (depth > WIRE_MAX_DEPTH) {
    return sch__desc_in_fail(c, SCH_ERR_LIMIT, "descriptor nests deeper than %d levels", SCH_MAX_DEPTH);
  }
  size_t pos = 0;
  while (pos < len) {
    uint64_t tag = 0, n = 0;
    if (!read_varint(p, len, &pos, &tag) || (tag >> 3) == 0 || (tag >> 3) > SCH_PROTO_MAX_TAG) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "bad field tag at byte %zu", pos);
    }
    if (!value_extent(c, (unsigned)(tag & 7), p, len, &pos, &n)) {
      return false;
    }
    const ProtobufCFieldDescriptor *f =
        (tag & 7) == 2 ? protobuf_c_message_descriptor_get_field(d, (unsigned)(tag >> 3)) : NULL;
    if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
        !wire_scan(c, f->descriptor, p + pos, (size_t)n, depth + 1)) {
      return false;
    }
    pos += (size_t)n;
  }
  return true;
}

/* ---- file level ---------------------------------------------------------------------- */

/* Marks the imports listed by index in idx[0..n) as `kind`. */
static bool mark_imports(desc_in_t *c, sch_proto_import_t **imports, size_t n_imports, const int32_t *idx,
                         size_t n, sch_proto_import_kind_t kind) {
  for (size_t i = 0; i < n; i++) {
    if (idx[i] < 0 || (size_t)idx[i] >= n_imports) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "%s dependency index %d is out of range",
                               kind == SCH_PROTO_IMPORT_PUBLIC ? "public" : "weak", (int)idx[i]);
    }
    imports[idx[i]]->kind = kind;
  }
  return true;
}

static bool add_imports(desc_in_t *c, const pbd_file_t *fd) {
  sch_proto_import_t **tail = &c->file->imports;
  sch_proto_import_t **all = sch__desc_in_alloc(c, (fd->n_dependency + 1) * sizeof(*all));
  for (size_t i = 0; all && i < fd->n_dependency && c->code == SCH_OK; i++) {
    if (!fd->dependency[i] || !*fd->dependency[i]) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "dependency %zu has no name", i);
    }
    sch_proto_import_t *imp = sch__desc_in_alloc(c, sizeof(*imp));
    if (!imp || !(imp->path = sch__desc_in_strdup(c, fd->dependency[i]))) {
      return false;
    }
    imp->path_len = strlen(imp->path);
    *tail = all[i] = imp;
    tail = &imp->next;
  }
  return c->code == SCH_OK &&
         mark_imports(c, all, fd->n_dependency, fd->public_dependency, fd->n_public_dependency,
                      SCH_PROTO_IMPORT_PUBLIC) &&
         mark_imports(c, all, fd->n_dependency, fd->weak_dependency, fd->n_weak_dependency,
                      SCH_PROTO_IMPORT_WEAK);
}

static bool add_rpc(desc_in_t *c, const Google__Protobuf__MethodDescriptorProto *md, sch_proto_rpc_t **out) {
  sch_proto_rpc_t *r = sch__desc_in_alloc(c, sizeof(*r));
  if (!r || !sch__desc_in_check_ident(c, md->name, "method") ||
      !sch__desc_in_check_type_name(c, md->input_type, "method input") ||
      !sch__desc_in_check_type_name(c, md->output_type, "method output")) {
    return false;
  }
  r->name = md->name;
  r->input = md->input_type;
  r->output = md->output_type;
  r->input_stream = md->has_client_streaming && md->client_streaming;
  r->output_stream = md->has_server_streaming && md->server_streaming;
  sch_proto_option_t **ot = &r->options;
  if (!sch__desc_in_options(c, (const ProtobufCMessage *)md->options, &ot)) {
    return false;
  }
  r->has_body = r->options != NULL;
  *out = r;
  return true;
}

static bool add_service(desc_in_t *c, const pbd_service_t *sd, sch_proto_service_t **out) {
  sch_proto_service_t *s = sch__desc_in_alloc(c, sizeof(*s));
  if (!s || !sch__desc_in_enter(c) || !sch__desc_in_check_ident(c, sd->name, "service")) {
    return false;
  }
  s->name = sd->name;
  sch_proto_option_t **ot = &s->options;
  sch__desc_in_options(c, (const ProtobufCMessage *)sd->options, &ot);
  sch_proto_rpc_t **rt = &s->rpcs;
  for (size_t i = 0; i < sd->n_method && add_rpc(c, sd->method[i], rt); i++) {
    rt = &(*rt)->next;
  }
  sch__desc_in_leave(c);
  *out = s;
  return c->code == SCH_OK;
}

/* Messages, extend blocks, enums, then services (the order Confluent's
 * registry prints a descriptor's file in, except that an extend block with
 * a group stands where the group's message type stood). */
static bool add_decls(desc_in_t *c, const pbd_file_t *fd, sch_proto_elem_t ***tail) {
  desc_scope_t scope;
  if (!sch__desc_in_scope_init(c, &scope, fd->package ? fd->package : "", fd->message_type,
                               fd->n_message_type) ||
      !sch__desc_in_extends(c, fd->extension, fd->n_extension, &scope) ||
      !sch__desc_in_decls(c, &scope, fd->enum_type, fd->n_enum_type, tail)) {
    return false;
  }
  for (size_t i = 0; i < fd->n_service && c->code == SCH_OK; i++) {
    sch_proto_elem_t *e = sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_SERVICE);
    if (e) {
      add_service(c, fd->service[i], &e->u.service);
    }
  }
  return c->code == SCH_OK;
}

/* protoc leaves syntax unset for proto2, so an absent syntax prints no
 * syntax statement (as Confluent's registry does). The file's name is not
 * part of the text and may be empty (weir writes "" for a schema built
 * without a path). */
static bool add_file(desc_in_t *c, const pbd_file_t *fd) {
  sch_proto_file_t *f = c->file;
  f->syntax = SCH_PROTO2;
  if (fd->syntax && *fd->syntax) {
    if (strcmp(fd->syntax, "proto3") != 0 && strcmp(fd->syntax, "proto2") != 0) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "unsupported syntax \"%.64s\"", fd->syntax);
    }
    f->syntax = fd->syntax[5] == '3' ? SCH_PROTO3 : SCH_PROTO2;
    f->syntax_written = 1;
  }
  if (fd->package && *fd->package) {
    if (!dotted(fd->package, false)) {
      return sch__desc_in_fail(c, SCH_ERR_INVALID, "package \"%.200s\" is not a dotted name", fd->package);
    }
    f->package = fd->package;
  }
  sch_proto_elem_t **tail = &f->elems;
  sch_proto_option_t *opts = NULL, **ot = &opts;
  if (!add_imports(c, fd) || !sch__desc_in_options(c, (const ProtobufCMessage *)fd->options, &ot)) {
    return false;
  }
  sch_proto_elem_t *e = opts ? sch__desc_in_elem(c, &tail, SCH_PROTO_ELEM_OPTION) : NULL;
  if (e) {
    e->u.option = opts;
  }
  return add_decls(c, fd, &tail);
}

/* Prints the tree and checks that the .proto parser accepts the text, so a
 * descriptor protoc would refuse (duplicate numbers, proto3 defaults, ...) is
 * refused here instead of being stored as text nothing can read. */
static char *print_checked(desc_in_t *c, size_t *out_len) {
  size_t n = 0;
  char *text = sch_proto_print(c->file, &n, c->err);
  if (!text) {
    c->code = SCH_ERR_NOMEM;
    return NULL;
  }
  sch_error_t perr = {0};
  sch_proto_file_t *back = sch_proto_parse(text, n, &perr);
  if (!back) {
    free(text);
    if (perr.code == SCH_ERR_NOMEM) {
      sch__desc_in_fail(c, SCH_ERR_NOMEM, "out of memory");
    } else {
      sch__desc_in_fail(c, perr.code, "its .proto text %s: %s",
                        perr.code == SCH_ERR_INVALID ? "is invalid" : "exceeds a limit", perr.message);
    }
    return NULL;
  }
  sch_proto_file_destroy(back);
  if (out_len) {
    *out_len = n;
  }
  return text;
}

char *sch_pb_descriptor_to_proto(const uint8_t *bytes, size_t len, size_t *out_len, sch_error_t *err) {
  if (len > SCH_MAX_SCHEMA_BYTES) {
    sch__error_set(err, SCH_ERR_LIMIT, "descriptor of %zu bytes exceeds the limit of %u bytes", len,
                   SCH_MAX_SCHEMA_BYTES);
    return NULL;
  }
  if (!bytes) {
    len = 0;
  }
  desc_in_t c = {.err = err, .code = SCH_OK};
  const ProtobufCMessageDescriptor *d = &google__protobuf__file_descriptor_proto__descriptor;
  pbd_file_t *fd = NULL;
  char *text = NULL;
  if (!wire_scan(&c, d, bytes, len, 0)) {
    goto out;
  }
  fd = (pbd_file_t *)protobuf_c_message_unpack(d, NULL, len, bytes);
  if (!fd) {
    sch__desc_in_fail(&c, SCH_ERR_INVALID, "the bytes do not decode as one");
    goto out;
  }
  c.arena = sch__proto_arena_new();
  c.file = c.arena ? sch__proto_arena_alloc(c.arena, sizeof(*c.file)) : NULL;
  if (!c.file) {
    sch__desc_in_fail(&c, SCH_ERR_NOMEM, "out of memory");
    goto out;
  }
  c.file->arena = c.arena;
  if (add_file(&c, fd)) {
    text = print_checked(&c, out_len);
  }
out:
  if (fd) {
    protobuf_c_message_free_unpacked((ProtobufCMessage *)fd, NULL);
  }
  sch__proto_arena_destroy(c.arena);
  return text;
}
