// SPDX-License-Identifier: Apache-2.0
/* Reading one FieldDescriptorProto into a syntax-tree field: the label as
 * the source would spell it (none in proto3 and in oneofs, `optional` for
 * proto3_optional), the type (scalar keyword or type_name as written, which
 * is fully qualified with a leading dot in protoc's output), map<K, V> for a
 * repeated field of a nested map-entry message, `group` for TYPE_GROUP with
 * its nested body, the default value turned back into a constant (bytes
 * defaults are C-escaped in descriptors), json_name only when it differs
 * from protoc's default, then the standard field options. */
#include <string.h>

#include "proto_descriptor_int.h"

/* FieldDescriptorProto.Type -> keyword; NULL for GROUP, MESSAGE and ENUM. */
static const char *scalar_name(int type) {
  static const char *const names[] = {
      NULL, "double", "float", "int64",  "uint64", "int32",    "fixed64",  "fixed32", "bool",  "string",
      NULL, NULL,     "bytes", "uint32", NULL,     "sfixed32", "sfixed64", "sint32",  "sint64"};
  return type > 0 && type < (int)(sizeof names / sizeof names[0]) ? names[type] : NULL;
}

/* The key or value type of a map entry's field; NULL (with error) if unusable. */
static const char *entry_type(desc_in_t *c, const pbd_message_t *entry, int32_t number) {
  for (size_t i = 0; i < entry->n_field; i++) {
    const pbd_field_t *f = entry->field[i];
    if (!f->has_number || f->number != number) {
      continue;
    }
    const char *s = f->has_type ? scalar_name(f->type) : NULL;
    if (s) {
      return s;
    }
    if (f->has_type && f->type == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_GROUP) {
      break;
    }
    return sch__desc_in_check_type_name(c, f->type_name, "map entry field") ? f->type_name : NULL;
  }
  sch__desc_in_fail(c, SCH_ERR_INVALID, "map entry \"%s\" has no usable %s field", entry->name,
                    number == 1 ? "key" : "value");
  return NULL;
}

static bool is_map_entry(const pbd_message_t *m) {
  return m->options && m->options->has_map_entry && m->options->map_entry;
}

/* map<K, V> if fd is a repeated field of a nested map entry; else plain. */
static bool add_type(desc_in_t *c, const pbd_field_t *fd, desc_scope_t *scope, sch_proto_field_t *f) {
  const char *s = fd->has_type ? scalar_name(fd->type) : NULL;
  if (s) {
    f->type = s;
    return true;
  }
  if (!sch__desc_in_check_type_name(c, fd->type_name, "field")) {
    return false;
  }
  f->type = fd->type_name;
  bool message = !fd->has_type || fd->type == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE;
  if (!message || f->label != SCH_PROTO_LABEL_REPEATED) {
    return true;
  }
  long i = sch__desc_in_find_nested(scope, fd->type_name);
  if (i < 0 || !is_map_entry(scope->types[i]) || scope->used[i]) {
    return true;
  }
  const pbd_message_t *e = scope->types[i];
  if (e->n_field != 2 || e->n_nested_type || e->n_enum_type || e->n_extension || e->n_oneof_decl) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "map entry \"%s\" is not just a key and a value", e->name);
  }
  f->map_key = entry_type(c, scope->types[i], 1);
  f->type = f->map_key ? entry_type(c, scope->types[i], 2) : NULL;
  f->label = SCH_PROTO_LABEL_NONE;
  scope->used[i] = true;
  return c->code == SCH_OK;
}

/* `group Name = N { ... }`: the body is the nested type of that name. */
static bool add_group(desc_in_t *c, const pbd_field_t *fd, desc_scope_t *scope, sch_proto_field_t *f) {
  long i = fd->type_name ? sch__desc_in_find_nested(scope, fd->type_name) : -1;
  if (i < 0 || scope->used[i]) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "group field \"%s\" has no nested type of its own",
                             fd->name);
  }
  const char *type = scope->types[i]->name;
  size_t n = strlen(fd->name);
  bool lower_match = strlen(type) == n;
  for (size_t k = 0; lower_match && k < n; k++) {
    char t = type[k] >= 'A' && type[k] <= 'Z' ? (char)(type[k] - 'A' + 'a') : type[k];
    lower_match = t == fd->name[k];
  }
  if (!lower_match) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "group field \"%s\" does not match its type \"%.200s\"",
                             fd->name, type);
  }
  scope->used[i] = true;
  scope->owner[i] = scope->current;
  f->type = type;
  return sch__desc_in_message(c, scope->types[i], scope->full_name, &f->group);
}

static int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') {
    return ch - '0';
  }
  ch = (char)(ch | 0x20);
  return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The byte a one-letter escape (\n, \t, ...) stands for; -1 if none. */
static int simple_escape(char ch) {
  switch (ch) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'v':
      return '\v';
    case '\\':
    case '\'':
    case '"':
    case '?':
      return ch;
    default:
      return -1;
  }
}

/* Decodes protoc's C-escaped bytes default (CEscape writes \n, \r, \t,
 * \", \', \\ and three-digit octal); NULL (with error) if malformed. */
static char *c_unescape(desc_in_t *c, const char *s, size_t *len) {
  char *out = sch__desc_in_alloc(c, strlen(s) + 1);
  size_t n = 0;
  for (const char *p = s; out && *p; n++) {
    if (*p != '\\') {
      out[n] = *p++;
      continue;
    }
    p++;
    unsigned v = 0;
    int k = 0;
    if (simple_escape(*p) >= 0) {
      v = (unsigned)simple_escape(*p++);
    } else if (*p >= '0' && *p <= '7') {
      for (; k < 3 && *p >= '0' && *p <= '7'; k++) {
        v = v * 8 + (unsigned)(*p++ - '0');
      }
    } else if (*p == 'x' && hex_digit(p[1]) >= 0) {
      for (p++; k < 2 && hex_digit(*p) >= 0; k++) {
        v = v * 16 + (unsigned)hex_digit(*p++);
      }
    } else {
      sch__desc_in_fail(c, SCH_ERR_INVALID, "bad escape in bytes default \"%.200s\"", s);
      return NULL;
    }
    out[n] = (char)(unsigned char)v;
  }
  *len = n;
  return out;
}

/* SCH_PROTO_CONST_INT or _FLOAT for a decimal number, -1 otherwise. */
static int number_kind(const char *s) {
  size_t i = s[0] == '-';
  size_t digits = strspn(s + i, "0123456789");
  if (digits == 0) {
    return -1;
  }
  i += digits;
  if (!s[i]) {
    return SCH_PROTO_CONST_INT;
  }
  if (s[i] == '.') {
    i++;
    i += strspn(s + i, "0123456789");
  }
  if (s[i] == 'e' || s[i] == 'E') {
    i += (s[i + 1] == '+' || s[i + 1] == '-') ? 2 : 1;
    size_t e = strspn(s + i, "0123456789");
    if (e == 0) {
      return -1;
    }
    i += e;
  }
  return s[i] ? -1 : SCH_PROTO_CONST_FLOAT;
}

/* The default_value text of a field of `type` (0 if only type_name is set)
 * as the constant the source would have had. */
static bool default_const(desc_in_t *c, const char *name, int type, const char *s, sch_proto_const_t *v) {
  v->text = s;
  v->len = strlen(s);
  switch (type) {
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_STRING:
      v->kind = SCH_PROTO_CONST_STRING;
      return true;
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BYTES:
      v->kind = SCH_PROTO_CONST_STRING;
      return (v->text = c_unescape(c, s, &v->len)) != NULL;
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BOOL:
      v->kind = SCH_PROTO_CONST_IDENT;
      if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
        return true;
      }
      break;
    case 0:
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_ENUM:
      v->kind = SCH_PROTO_CONST_IDENT;
      return sch__desc_in_check_ident(c, s, "enum default");
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_FLOAT:
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_DOUBLE:
      if (strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0 || strcmp(s, "nan") == 0) {
        v->kind = SCH_PROTO_CONST_IDENT;
        return true;
      }
      /* fallthrough */
    default:
      if (type != GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE &&
          type != GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_GROUP && number_kind(s) >= 0) {
        v->kind = (sch_proto_const_kind_t)number_kind(s);
        return true;
      }
  }
  return sch__desc_in_fail(c, SCH_ERR_INVALID, "field \"%s\": default \"%.200s\" does not fit its type", name,
                           s);
}

/* protoc's default json_name: underscores dropped, the next letter upper. */
static bool is_default_json_name(const char *name, const char *json) {
  bool upper = false;
  for (; *name; name++) {
    if (*name == '_') {
      upper = true;
      continue;
    }
    char ch = upper && *name >= 'a' && *name <= 'z' ? (char)(*name - 'a' + 'A') : *name;
    upper = false;
    if (*json++ != ch) {
      return false;
    }
  }
  return *json == '\0';
}

static sch_proto_option_t *new_option(desc_in_t *c, const char *name, sch_proto_option_t ***tail) {
  sch_proto_option_t *o = sch__desc_in_alloc(c, sizeof(*o));
  if (o) {
    o->name = name;
    **tail = o;
    *tail = &o->next;
  }
  return o;
}

/* [default = ..., json_name = ..., standard options...] */
static bool add_field_options(desc_in_t *c, const pbd_field_t *fd, sch_proto_field_t *f) {
  sch_proto_option_t **tail = &f->options, *o = NULL;
  if (fd->default_value) {
    o = new_option(c, "default", &tail);
    if (!o || !default_const(c, fd->name, fd->has_type ? (int)fd->type : 0, fd->default_value, &o->value)) {
      return false;
    }
  }
  if (fd->json_name && !is_default_json_name(fd->name, fd->json_name)) {
    o = new_option(c, "json_name", &tail);
    if (!o) {
      return false;
    }
    o->value = (sch_proto_const_t){SCH_PROTO_CONST_STRING, fd->json_name, strlen(fd->json_name)};
  }
  return sch__desc_in_options(c, (const ProtobufCMessage *)fd->options, &tail);
}

static sch_proto_label_t label_of(desc_in_t *c, const pbd_field_t *fd, bool in_oneof) {
  if (in_oneof) {
    return SCH_PROTO_LABEL_NONE;
  }
  if (fd->has_proto3_optional && fd->proto3_optional) {
    return SCH_PROTO_LABEL_OPTIONAL;
  }
  switch (fd->has_label ? fd->label : GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL) {
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REQUIRED:
      return SCH_PROTO_LABEL_REQUIRED;
    case GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED:
      return SCH_PROTO_LABEL_REPEATED;
    default:
      return c->file->syntax == SCH_PROTO3 ? SCH_PROTO_LABEL_NONE : SCH_PROTO_LABEL_OPTIONAL;
  }
}

bool sch__desc_in_field(desc_in_t *c, const pbd_field_t *fd, desc_scope_t *scope, bool in_oneof,
                        sch_proto_field_t **out) {
  sch_proto_field_t *f = sch__desc_in_alloc(c, sizeof(*f));
  if (!f || !sch__desc_in_check_ident(c, fd->name, "field")) {
    return false;
  }
  if (!fd->has_number) {
    return sch__desc_in_fail(c, SCH_ERR_INVALID, "field \"%s\" has no number", fd->name);
  }
  f->name = fd->name;
  f->number = fd->number;
  f->label = label_of(c, fd, in_oneof);
  bool ok = fd->has_type && fd->type == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_GROUP
                ? add_group(c, fd, scope, f)
                : add_type(c, fd, scope, f);
  *out = f;
  return ok && add_field_options(c, fd, f);
}
