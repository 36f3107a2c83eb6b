// SPDX-License-Identifier: Apache-2.0
/* What protoc derives for one field from its declaration: the scalar type
 * of a type keyword, the json_name (ToJsonName), the name of a map field's
 * entry message, whether a repeated field is packed, and the proto2
 * [default = ..] in FieldDescriptorProto.default_value's text form (integers
 * in decimal, floats printed shortest-exact like protoc, bytes C-escaped,
 * strings raw, enums by value name). Type references are not looked up
 * here. */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

static const struct {
  const char *name;
  sch_pb_type_t type;
} scalars[] = {
    {"double", SCH_PB_DOUBLE},     {"float", SCH_PB_FLOAT},   {"int64", SCH_PB_INT64},
    {"uint64", SCH_PB_UINT64},     {"int32", SCH_PB_INT32},   {"fixed64", SCH_PB_FIXED64},
    {"fixed32", SCH_PB_FIXED32},   {"bool", SCH_PB_BOOL},     {"string", SCH_PB_STRING},
    {"bytes", SCH_PB_BYTES},       {"uint32", SCH_PB_UINT32}, {"sfixed32", SCH_PB_SFIXED32},
    {"sfixed64", SCH_PB_SFIXED64}, {"sint32", SCH_PB_SINT32}, {"sint64", SCH_PB_SINT64},
};

sch_pb_type_t sch__pb_scalar_type(const char *name) {
  for (size_t i = 0; name && i < sizeof scalars / sizeof scalars[0]; i++) {
    if (strcmp(name, scalars[i].name) == 0) {
      return scalars[i].type;
    }
  }
  return (sch_pb_type_t)0;
}

static const char *type_word(sch_pb_type_t t) {
  for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
    if (scalars[i].type == t) {
      return scalars[i].name;
    }
  }
  return t == SCH_PB_ENUM ? "enum" : "message";
}

char *sch__pb_json_name(pb_build_t *b, const char *name) {
  char *out = sch__pb_alloc(b, strlen(name) + 1);
  if (!out) {
    return NULL;
  }
  size_t n = 0;
  bool upper = false;
  for (const char *p = name; *p; p++) {
    if (*p == '_') {
      upper = true;
    } else {
      out[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
      upper = false;
    }
  }
  out[n] = '\0';
  return out;
}

char *sch__pb_map_entry_name(pb_build_t *b, const char *field_name) {
  char *out = sch__pb_alloc(b, strlen(field_name) + sizeof "Entry");
  if (!out) {
    return NULL;
  }
  size_t n = 0;
  bool upper = true;
  for (const char *p = field_name; *p; p++) {
    if (*p == '_') {
      upper = true;
    } else {
      out[n++] = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
      upper = false;
    }
  }
  memcpy(out + n, "Entry", sizeof "Entry");
  return out;
}

static bool packable(sch_pb_type_t t) {
  return t != SCH_PB_STRING && t != SCH_PB_BYTES && t != SCH_PB_MESSAGE && t != SCH_PB_GROUP;
}

static const sch_proto_option_t *find_option(const sch_proto_field_t *src, const char *name) {
  const sch_proto_option_t *found = NULL;
  for (const sch_proto_option_t *o = src ? src->options : NULL; o; o = o->next) {
    if (strcmp(o->name, name) == 0) {
      found = o;
    }
  }
  return found;
}

/* protoc's CEscape: \n \r \t \" \' \\ and octal for the unprintable. */
static char *c_escape(pb_build_t *b, const char *s, size_t n) {
  char *out = sch__pb_alloc(b, n * 4 + 1);
  if (!out) {
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = c == '\n'   ? "\\n"
                      : c == '\r' ? "\\r"
                      : c == '\t' ? "\\t"
                      : c == '"'  ? "\\\""
                      : c == '\'' ? "\\'"
                      : c == '\\' ? "\\\\"
                                  : NULL;
    if (esc) {
      memcpy(out + k, esc, 2);
      k += 2;
    } else if (c < 0x20 || c >= 0x7f) {
      k += (size_t)snprintf(out + k, 5, "\\%03o", c);
    } else {
      out[k++] = (char)c;
    }
  }
  out[k] = '\0';
  return out;
}

/* protoc's SimpleDtoa: %.15g unless that does not read back exactly. */
static void shortest_double(double v, char *out, size_t size) {
  if (isinf(v)) {
    snprintf(out, size, "%s", v < 0 ? "-inf" : "inf");
  } else if (isnan(v)) {
    snprintf(out, size, "nan");
  } else {
    snprintf(out, size, "%.*g", DBL_DIG, v);
    if (strtod(out, NULL) != v) {
      snprintf(out, size, "%.*g", DBL_DIG + 2, v);
    }
  }
}

/* protoc's SimpleFtoa: the value as a float, %.6g unless that does not
 * read back exactly. */
static void shortest_float(double v, char *out, size_t size) {
  float f = (float)v;
  if (isinf(f) || isnan(f)) {
    shortest_double(f, out, size);
  } else {
    snprintf(out, size, "%.*g", FLT_DIG, (double)f);
    if (strtof(out, NULL) != f) {
      snprintf(out, size, "%.*g", FLT_DIG + 3, (double)f);
    }
  }
}

/* A float/double default printed the way protoc prints a value of the
 * field's type (the sign applies to the number: "-nan" becomes "nan"). */
static bool float_default(const sch_proto_const_t *c, bool is_float, char *out, size_t size) {
  const char *t = c->text;
  bool neg = *t == '-';
  t += neg;
  double v;
  if (c->kind == SCH_PROTO_CONST_IDENT) {
    if (strcmp(t, "inf") != 0 && strcmp(t, "nan") != 0) {
      return false;
    }
    v = t[0] == 'i' ? INFINITY : NAN;
  } else if (c->kind == SCH_PROTO_CONST_INT) {
    char *end = NULL;
    v = (double)strtoull(t, &end, 0);
    if (*end) {
      return false;
    }
  } else if (c->kind == SCH_PROTO_CONST_FLOAT) {
    v = strtod(t, NULL);
  } else {
    return false;
  }
  (is_float ? shortest_float : shortest_double)(neg ? -v : v, out, size);
  return true;
}

/* An integer default within the type's range, printed in decimal. */
static bool int_default(const sch_proto_const_t *c, sch_pb_type_t t, char *out, size_t size) {
  if (c->kind != SCH_PROTO_CONST_INT) {
    return false;
  }
  bool neg = c->text[0] == '-';
  bool is_unsigned = t == SCH_PB_UINT32 || t == SCH_PB_UINT64 || t == SCH_PB_FIXED32 || t == SCH_PB_FIXED64;
  bool is64 = t == SCH_PB_INT64 || t == SCH_PB_UINT64 || t == SCH_PB_FIXED64 || t == SCH_PB_SFIXED64 ||
              t == SCH_PB_SINT64;
  unsigned long long max = is_unsigned ? (is64 ? UINT64_MAX : UINT32_MAX) : (is64 ? INT64_MAX : INT32_MAX);
  max += neg && !is_unsigned;
  if (neg && is_unsigned) {
    return false;
  }
  char *end = NULL;
  const char *digits = c->text + neg;
  if (!isdigit((unsigned char)digits[0])) {
    return false;
  }
  errno = 0;
  unsigned long long v = strtoull(digits, &end, 0);
  if (*end || errno == ERANGE || v > max) {
    return false;
  }
  snprintf(out, size, "%s%llu", neg && v ? "-" : "", v); /* protoc prints -0 as 0 */
  return true;
}

static bool enum_default(const sch_pb_field_t *fd, const sch_proto_const_t *c) {
  if (c->kind != SCH_PROTO_CONST_IDENT || !fd->enm) {
    return false;
  }
  for (size_t i = 0; i < fd->enm->n_values; i++) {
    if (strcmp(fd->enm->values[i].name, c->text) == 0) {
      return true;
    }
  }
  return false;
}

/* The descriptor text of a default; NULL if it does not fit the type. */
static const char *default_text(pb_build_t *b, const sch_pb_field_t *fd, const sch_proto_const_t *c,
                                bool *ok) {
  char num[64];
  *ok = true;
  switch (fd->type) {
    case SCH_PB_STRING:
      return c->kind == SCH_PROTO_CONST_STRING ? sch__proto_arena_strndup(b->s->arena, c->text, c->len)
                                               : (*ok = false, NULL);
    case SCH_PB_BYTES:
      return c->kind == SCH_PROTO_CONST_STRING ? c_escape(b, c->text, c->len) : (*ok = false, NULL);
    case SCH_PB_BOOL:
      *ok =
          c->kind == SCH_PROTO_CONST_IDENT && (strcmp(c->text, "true") == 0 || strcmp(c->text, "false") == 0);
      return *ok ? c->text : NULL;
    case SCH_PB_ENUM:
      *ok = enum_default(fd, c);
      return *ok ? c->text : NULL;
    case SCH_PB_FLOAT:
    case SCH_PB_DOUBLE:
      *ok = float_default(c, fd->type == SCH_PB_FLOAT, num, sizeof num);
      break;
    default:
      *ok = int_default(c, fd->type, num, sizeof num);
      break;
  }
  return *ok ? sch__proto_arena_strndup(b->s->arena, num, strlen(num)) : NULL;
}

bool sch__pb_field_finish(pb_build_t *b, const pb_file_t *f, sch_pb_field_t *fd) {
  const sch_proto_option_t *packed = find_option(fd->src, "packed");
  if (fd->label == SCH_PB_REPEATED && packable(fd->type)) {
    bool explicit_on =
        packed && packed->value.kind == SCH_PROTO_CONST_IDENT && strcmp(packed->value.text, "true") == 0;
    fd->packed = packed ? explicit_on : f->pub.syntax == SCH_PROTO3;
  }
  const sch_proto_option_t *def = find_option(fd->src, "default");
  if (!def) {
    return true;
  }
  if (fd->type == SCH_PB_MESSAGE || fd->type == SCH_PB_GROUP) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, def->line, def->col,
                        "field \"%s\": messages can't have default values", fd->name);
  }
  if (fd->label == SCH_PB_REPEATED) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, def->line, def->col,
                        "field \"%s\": repeated fields can't have default values", fd->name);
  }
  bool ok = true;
  const char *text = default_text(b, fd, &def->value, &ok);
  if (!ok) {
    return sch__pb_fail(b, SCH_ERR_INVALID, f, def->line, def->col,
                        "field \"%s\": default %s is not a valid %s", fd->name,
                        def->value.kind == SCH_PROTO_CONST_STRING ? "string" : def->value.text,
                        fd->type == SCH_PB_ENUM ? "value of the enum" : type_word(fd->type));
  }
  if (!text) {
    return sch__pb_nomem(b);
  }
  fd->default_value = text;
  return true;
}
