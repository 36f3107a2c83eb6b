// SPDX-License-Identifier: Apache-2.0
/* Avro schema text to the node model, following Java Avro's Schema.Parser as
 * Confluent uses it: JSON via jansson, primitives, named types with namespace
 * inheritance, references by name, unions, aliases and extra properties, and
 * (with opts->validate) name and field-default checks. References in
 * opts->refs are parsed first into the same name table. Writing the canonical
 * text is avro_canonical.c's job; default checking is avro_defaults.c's. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "avro_int.h"

typedef struct parser {
  avro_schema_t *s;
  bool validate;
  int depth;
  sch_error_t *err;
  sch_code_t code;
} parser_t;

static const char *const SCHEMA_RESERVED[] = {"doc",     "fields", "items", "name", "namespace", "size",
                                              "symbols", "values", "type",  "aliases", NULL};
static const char *const ENUM_RESERVED[] = {"doc",     "fields", "items", "name",    "namespace", "size",
                                            "symbols", "values", "type",  "aliases", "default",   NULL};
static const char *const FIELD_RESERVED[] = {"default", "doc", "name", "order", "type", "aliases", NULL};

static sch_avro_node_t *parse_type(parser_t *p, const json_t *j, const char *space);

static void *fail(parser_t *p, sch_code_t code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *fail(parser_t *p, sch_code_t code, const char *fmt, ...) {
  if (p->code != SCH_OK) {
    return NULL;
  }
  p->code = code;
  if (p->err) {
    va_list ap;
    va_start(ap, fmt);
    p->err->code = code;
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
  }
  return NULL;
}

static void *oom(parser_t *p) { return fail(p, SCH_ERR_NOMEM, "out of memory"); }

static int primitive_kind(const char *s) {
  for (int k = SCH_AVRO_NULL; k <= SCH_AVRO_STRING; k++) {
    if (strcmp(s, sch_avro_kind_name((sch_avro_kind_t)k)) == 0) {
      return k;
    }
  }
  return -1;
}

static sch_avro_node_t *new_node(parser_t *p, sch_avro_kind_t kind) {
  sch_avro_node_t *n = avro__alloc(p->s, sizeof *n);
  if (!n) {
    return oom(p);
  }
  n->kind = kind;
  n->complete = true;
  return n;
}

static bool valid_name(const char *s, size_t len) {
  if (len == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) {
    return false;
  }
  for (size_t i = 1; i < len; i++) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/* Every dot-separated component of a full name must be a valid name. */
static bool valid_full_name(const char *full) {
  const char *start = full;
  for (const char *c = full;; c++) {
    if (*c == '.' || *c == '\0') {
      if (!valid_name(start, (size_t)(c - start))) {
        return false;
      }
      if (*c == '\0') {
        return true;
      }
      start = c + 1;
    }
  }
}

/* Java's Name(name, space): a dotted name carries its own namespace. */
static bool make_name(parser_t *p, const char *name, const char *space, sch_avro_name_t *out) {
  const char *dot = strrchr(name, '.');
  if (dot) {
    char *sp = avro__strdup(p->s, name);
    if (!sp) {
      return oom(p), false;
    }
    sp[dot - name] = '\0';
    space = sp;
    name = dot + 1;
  }
  if (space && !*space) {
    space = NULL;
  }
  out->name = name;
  out->space = space;
  out->full = name;
  if (space) {
    size_t n = strlen(space) + strlen(name) + 2;
    char *full = avro__alloc(p->s, n);
    if (!full) {
      return oom(p), false;
    }
    snprintf(full, n, "%s.%s", space, name);
    out->full = full;
  }
  if (p->validate && !valid_full_name(out->full)) {
    return fail(p, SCH_ERR_INVALID, "invalid name \"%s\": each part must match [A-Za-z_][A-Za-z0-9_]*",
                out->full),
           false;
  }
  return true;
}

static sch_avro_node_t *lookup(const avro_schema_t *s, const char *full) {
  for (size_t i = 0; i < s->n_named; i++) {
    if (strcmp(s->named[i]->name.full, full) == 0) {
      return s->named[i];
    }
  }
  return NULL;
}

static bool register_named(parser_t *p, sch_avro_node_t *n) {
  if (lookup(p->s, n->name.full)) {
    return fail(p, SCH_ERR_INVALID, "can't redefine: %s", n->name.full), false;
  }
  avro_schema_t *s = p->s;
  if (s->n_named >= SCH_MAX_NAMED_TYPES) {
    return fail(p, SCH_ERR_LIMIT, "more than %d named types", SCH_MAX_NAMED_TYPES), false;
  }
  if (s->n_named == s->cap_named) {
    size_t cap = s->cap_named ? s->cap_named * 2 : 16;
    sch_avro_node_t **a = realloc(s->named, cap * sizeof *a);
    if (!a) {
      return oom(p), false;
    }
    s->named = a;
    s->cap_named = cap;
  }
  s->named[s->n_named++] = n;
  return true;
}

/* Names.get: primitive, then the name in the current space, then as given. */
static sch_avro_node_t *resolve_name(parser_t *p, const char *ref, const char *space, bool anonymous) {
  int prim = primitive_kind(ref);
  if (prim >= 0) {
    return new_node(p, (sch_avro_kind_t)prim);
  }
  sch_avro_node_t *found = NULL;
  if (!strchr(ref, '.') && space && *space) {
    sch_buf_t b = {0};
    sch__buf_printf(&b, "%s.%s", space, ref);
    if (b.oom) {
      return oom(p);
    }
    found = lookup(p->s, b.data);
    sch__buf_fini(&b);
  } else {
    found = lookup(p->s, ref[0] == '.' ? ref + 1 : ref);
  }
  if (!found && anonymous) {
    found = lookup(p->s, ref);
  }
  if (!found) {
    return fail(p, SCH_ERR_REFERENCE, "unknown type name \"%s\"", ref);
  }
  return found;
}

static bool parse_strings(parser_t *p, const json_t *arr, const char ***out, size_t *n, const char *what) {
  *out = NULL;
  *n = 0;
  if (!arr) {
    return true;
  }
  if (!json_is_array(arr)) {
    return fail(p, SCH_ERR_INVALID, "%s not an array", what), false;
  }
  const char **v = avro__alloc(p->s, (json_array_size(arr) + 1) * sizeof *v);
  if (!v) {
    return oom(p), false;
  }
  for (size_t i = 0; i < json_array_size(arr); i++) {
    v[i] = json_string_value(json_array_get(arr, i));
    if (!v[i]) {
      return fail(p, SCH_ERR_INVALID, "%s: element %zu is not a string", what, i), false;
    }
  }
  *out = v;
  *n = json_array_size(arr);
  return true;
}

static bool parse_named_aliases(parser_t *p, const json_t *obj, sch_avro_node_t *n) {
  const char **raw = NULL;
  size_t count = 0;
  if (!parse_strings(p, json_object_get(obj, "aliases"), &raw, &count, "aliases")) {
    return false;
  }
  n->aliases = count ? avro__alloc(p->s, count * sizeof *n->aliases) : NULL;
  if (count && !n->aliases) {
    return oom(p), false;
  }
  for (size_t i = 0; i < count; i++) {
    if (!make_name(p, raw[i], n->name.space, &n->aliases[n->n_aliases])) {
      return false;
    }
    bool dup = false;
    for (size_t k = 0; k < n->n_aliases; k++) {
      dup = dup || strcmp(n->aliases[k].full, n->aliases[n->n_aliases].full) == 0;
    }
    n->n_aliases += dup ? 0 : 1;
  }
  return true;
}

/* Name, doc and registration shared by record, enum and fixed. */
static sch_avro_node_t *start_named(parser_t *p, const json_t *obj, const char *space, sch_avro_kind_t kind) {
  const char *name = json_string_value(json_object_get(obj, "name"));
  if (!name) {
    return fail(p, SCH_ERR_INVALID, "no name in %s schema", sch_avro_kind_name(kind));
  }
  const char *ns = json_string_value(json_object_get(obj, "namespace"));
  sch_avro_node_t *n = new_node(p, kind);
  if (!n || !make_name(p, name, ns ? ns : space, &n->name)) {
    return NULL;
  }
  if (primitive_kind(n->name.full) >= 0) {
    return fail(p, SCH_ERR_INVALID, "schemas may not be named after primitives: %s", n->name.full);
  }
  n->doc = json_string_value(json_object_get(obj, "doc"));
  n->props = (sch_avro_props_t){obj, kind == SCH_AVRO_ENUM ? ENUM_RESERVED : SCHEMA_RESERVED};
  return n;
}

static bool parse_order(parser_t *p, const json_t *j, sch_avro_order_t *out) {
  static const char *const names[] = {"ascending", "descending", "ignore"};
  *out = SCH_AVRO_ORDER_ASCENDING;
  if (!j) {
    return true;
  }
  const char *s = json_string_value(j);
  for (size_t i = 0; s && i < 3; i++) {
    if (strcasecmp(s, names[i]) == 0) {
      *out = (sch_avro_order_t)i;
      return true;
    }
  }
  return fail(p, SCH_ERR_INVALID, "invalid field order %s", s ? s : "(not a string)"), false;
}

/* Java turns a textual default of a float/double field into a number. */
static bool coerce_float_default(parser_t *p, sch_avro_field_t *f) {
  const char *text = json_string_value(f->deflt);
  if (!text || (f->type->kind != SCH_AVRO_FLOAT && f->type->kind != SCH_AVRO_DOUBLE)) {
    return true;
  }
  char *end = NULL;
  double d = strtod(text, &end);
  if (end == text || *end) {
    return fail(p, SCH_ERR_INVALID, "invalid default for field %s: \"%s\" is not a number", f->name, text),
           false;
  }
  json_t *real = json_real(d);
  if (real) {
    if (json_array_append_new(p->s->keep, real) != 0) {
      return oom(p), false;
    }
    f->deflt = real;
  }
  return true;
}

static bool check_default(parser_t *p, const sch_avro_field_t *f) {
  if (!p->validate || !f->deflt || avro__default_valid(f->type, f->deflt)) {
    return true;
  }
  sch_buf_t v = {0}, t = {0};
  sch__json_value(&v, f->deflt);
  avro__write_canonical(&t, f->type, NULL, 0);
  if (v.oom || t.oom) {
    oom(p);
  } else {
    fail(p, SCH_ERR_INVALID, "Invalid default for field %s: %s not a %s", f->name, v.data, t.data);
  }
  sch__buf_fini(&v);
  sch__buf_fini(&t);
  return false;
}

static bool parse_field(parser_t *p, const json_t *obj, const char *space, sch_avro_field_t *f) {
  f->name = json_string_value(json_object_get(obj, "name"));
  if (!f->name) {
    return fail(p, SCH_ERR_INVALID, "no field name"), false;
  }
  if (p->validate && !valid_name(f->name, strlen(f->name))) {
    return fail(p, SCH_ERR_INVALID, "invalid field name \"%s\"", f->name), false;
  }
  const json_t *type = json_object_get(obj, "type");
  if (!type) {
    return fail(p, SCH_ERR_INVALID, "no field type: %s", f->name), false;
  }
  f->type = parse_type(p, type, space);
  if (!f->type || !parse_order(p, json_object_get(obj, "order"), &f->order)) {
    return false;
  }
  f->doc = json_string_value(json_object_get(obj, "doc"));
  f->deflt = json_object_get(obj, "default");
  f->props = (sch_avro_props_t){obj, FIELD_RESERVED};
  return coerce_float_default(p, f) && check_default(p, f) &&
         parse_strings(p, json_object_get(obj, "aliases"), &f->aliases, &f->n_aliases, "field aliases");
}

static sch_avro_node_t *parse_record(parser_t *p, const json_t *obj, const char *space, bool is_error) {
  sch_avro_node_t *n = start_named(p, obj, space, SCH_AVRO_RECORD);
  if (!n || !register_named(p, n)) {
    return NULL;
  }
  n->is_error = is_error;
  n->complete = false;
  const json_t *fields = json_object_get(obj, "fields");
  if (!json_is_array(fields)) {
    return fail(p, SCH_ERR_INVALID, "record has no fields: %s", n->name.full);
  }
  n->fields = avro__alloc(p->s, (json_array_size(fields) + 1) * sizeof *n->fields);
  if (!n->fields) {
    return oom(p);
  }
  for (size_t i = 0; i < json_array_size(fields); i++) {
    sch_avro_field_t *f = &n->fields[i];
    if (!parse_field(p, json_array_get(fields, i), n->name.space, f)) {
      return NULL;
    }
    for (size_t k = 0; k < i; k++) {
      if (strcmp(n->fields[k].name, f->name) == 0) {
        return fail(p, SCH_ERR_INVALID, "duplicate field %s in record %s", f->name, n->name.full);
      }
    }
    n->n_fields++;
  }
  n->complete = true;
  return parse_named_aliases(p, obj, n) ? n : NULL;
}

static bool check_symbols(parser_t *p, sch_avro_node_t *n) {
  for (size_t i = 0; i < n->n_symbols; i++) {
    if (p->validate && !valid_name(n->symbols[i], strlen(n->symbols[i]))) {
      return fail(p, SCH_ERR_INVALID, "invalid enum symbol \"%s\" in %s", n->symbols[i], n->name.full), false;
    }
    for (size_t k = 0; k < i; k++) {
      if (strcmp(n->symbols[k], n->symbols[i]) == 0) {
        return fail(p, SCH_ERR_INVALID, "duplicate enum symbol: %s", n->symbols[i]), false;
      }
    }
  }
  for (size_t i = 0; n->enum_default && i < n->n_symbols; i++) {
    if (strcmp(n->symbols[i], n->enum_default) == 0) {
      return true;
    }
  }
  if (n->enum_default) {
    return fail(p, SCH_ERR_INVALID, "the enum default \"%s\" of %s is not one of its symbols", n->enum_default,
                n->name.full),
           false;
  }
  return true;
}

static sch_avro_node_t *parse_enum(parser_t *p, const json_t *obj, const char *space) {
  sch_avro_node_t *n = start_named(p, obj, space, SCH_AVRO_ENUM);
  if (!n) {
    return NULL;
  }
  const json_t *symbols = json_object_get(obj, "symbols");
  if (!json_is_array(symbols)) {
    return fail(p, SCH_ERR_INVALID, "enum has no symbols: %s", n->name.full);
  }
  if (!parse_strings(p, symbols, &n->symbols, &n->n_symbols, "enum symbols")) {
    return NULL;
  }
  n->enum_default = json_string_value(json_object_get(obj, "default"));
  if (!check_symbols(p, n) || !register_named(p, n) || !parse_named_aliases(p, obj, n)) {
    return NULL;
  }
  return n;
}

static sch_avro_node_t *parse_fixed(parser_t *p, const json_t *obj, const char *space) {
  sch_avro_node_t *n = start_named(p, obj, space, SCH_AVRO_FIXED);
  if (!n) {
    return NULL;
  }
  const json_t *size = json_object_get(obj, "size");
  json_int_t v = json_integer_value(size);
  if (!json_is_integer(size) || v < 0 || v > 0x7fffffff) {
    return fail(p, SCH_ERR_INVALID, "invalid or no size in fixed %s", n->name.full);
  }
  n->size = (int)v;
  if (!register_named(p, n) || !parse_named_aliases(p, obj, n)) {
    return NULL;
  }
  return n;
}

static sch_avro_node_t *parse_container(parser_t *p, const json_t *obj, const char *space, sch_avro_kind_t kind) {
  const char *key = kind == SCH_AVRO_ARRAY ? "items" : "values";
  const json_t *child = json_object_get(obj, key);
  if (!child) {
    return fail(p, SCH_ERR_INVALID, "%s has no %s type", sch_avro_kind_name(kind), key);
  }
  sch_avro_node_t *n = new_node(p, kind);
  if (!n || !(n->child = parse_type(p, child, space))) {
    return NULL;
  }
  n->props = (sch_avro_props_t){obj, SCHEMA_RESERVED};
  return n;
}

static const char *union_key(const sch_avro_node_t *b) {
  return sch_avro_is_named(b->kind) ? b->name.full : sch_avro_kind_name(b->kind);
}

static sch_avro_node_t *parse_union(parser_t *p, const json_t *arr, const char *space) {
  sch_avro_node_t *n = new_node(p, SCH_AVRO_UNION);
  size_t count = json_array_size(arr);
  if (!n || !(n->branches = avro__alloc(p->s, (count + 1) * sizeof *n->branches))) {
    return oom(p);
  }
  for (size_t i = 0; i < count; i++) {
    sch_avro_node_t *b = parse_type(p, json_array_get(arr, i), space);
    if (!b) {
      return NULL;
    }
    if (b->kind == SCH_AVRO_UNION) {
      return fail(p, SCH_ERR_INVALID, "nested union at branch %zu", i);
    }
    for (size_t k = 0; k < i; k++) {
      if (strcmp(union_key(n->branches[k]), union_key(b)) == 0) {
        return fail(p, SCH_ERR_INVALID, "duplicate in union: %s", union_key(b));
      }
    }
    n->branches[n->n_branches++] = b;
  }
  return n;
}

static sch_avro_node_t *parse_object(parser_t *p, const json_t *obj, const char *space) {
  const char *type = json_string_value(json_object_get(obj, "type"));
  if (!type) {
    return fail(p, SCH_ERR_INVALID, "no type: a schema object needs a string \"type\"");
  }
  int prim = primitive_kind(type);
  if (prim >= 0) {
    sch_avro_node_t *n = new_node(p, (sch_avro_kind_t)prim);
    if (n) {
      n->props = (sch_avro_props_t){obj, SCHEMA_RESERVED};
    }
    return n;
  }
  if (strcmp(type, "record") == 0 || strcmp(type, "error") == 0) {
    return parse_record(p, obj, space, type[0] == 'e');
  }
  if (strcmp(type, "enum") == 0) {
    return parse_enum(p, obj, space);
  }
  if (strcmp(type, "array") == 0 || strcmp(type, "map") == 0) {
    return parse_container(p, obj, space, type[0] == 'a' ? SCH_AVRO_ARRAY : SCH_AVRO_MAP);
  }
  if (strcmp(type, "fixed") == 0) {
    return parse_fixed(p, obj, space);
  }
  return resolve_name(p, type, space, false);
}

static sch_avro_node_t *parse_type(parser_t *p, const json_t *j, const char *space) {
  if (++p->depth > SCH_MAX_DEPTH) {
    return fail(p, SCH_ERR_LIMIT, "schema nesting deeper than %d", SCH_MAX_DEPTH);
  }
  sch_avro_node_t *n = NULL;
  if (json_is_string(j)) {
    n = resolve_name(p, json_string_value(j), space, true);
  } else if (json_is_object(j)) {
    n = parse_object(p, j, space);
  } else if (json_is_array(j)) {
    n = parse_union(p, j, space);
  } else {
    fail(p, SCH_ERR_INVALID, "a schema must be a type name, an object or an array");
  }
  p->depth--;
  return n;
}

static sch_avro_node_t *parse_document(parser_t *p, const char *text, size_t len) {
  if (len > SCH_MAX_SCHEMA_BYTES) {
    return fail(p, SCH_ERR_LIMIT, "schema of %zu bytes exceeds %u", len, SCH_MAX_SCHEMA_BYTES);
  }
  if (!sch_json_nesting_within(text, len, SCH_MAX_JSON_DEPTH)) {
    return fail(p, SCH_ERR_LIMIT, "schema nests deeper than %d levels", SCH_MAX_JSON_DEPTH);
  }
  json_error_t jerr;
  json_t *doc = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
  if (!doc) {
    return fail(p, SCH_ERR_INVALID, "invalid json: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
  }
  if (json_array_append_new(p->s->keep, doc) != 0) {
    return oom(p);
  }
  return parse_type(p, doc, NULL);
}

static bool parse_refs(parser_t *p, const sch_parse_opts_t *opts) {
  p->s->ref_names = avro__alloc(p->s, (opts->n_refs + 1) * sizeof *p->s->ref_names);
  if (!p->s->ref_names) {
    return oom(p), false;
  }
  for (size_t i = 0; i < opts->n_refs; i++) {
    const sch_reference_t *r = &opts->refs[i];
    bool seen = false;
    for (size_t k = 0; r->name && k < i; k++) {
      seen = seen || (opts->refs[k].name && strcmp(opts->refs[k].name, r->name) == 0);
    }
    sch_avro_node_t *root = seen ? NULL : parse_document(p, r->schema, r->schema_len);
    if (!seen && !root) {
      return false;
    }
    if (root) {
      p->s->ref_names[p->s->n_ref_names++] =
          sch_avro_is_named(root->kind) ? root->name.full : sch_avro_kind_name(root->kind);
    }
  }
  return true;
}

static bool write_text(avro_schema_t *s, bool normalize) {
  sch_buf_t b = {0};
  if (normalize) {
    avro__write_normalized(&b, s->root, s->ref_names, s->n_ref_names);
  } else {
    avro__write_canonical(&b, s->root, s->ref_names, s->n_ref_names);
  }
  s->base.canonical = sch__buf_take(&b, &s->base.canonical_len);
  return s->base.canonical != NULL;
}

sch_schema_t *avro__parse(const char *text, size_t len, const sch_parse_opts_t *opts, sch_error_t *err) {
  static const sch_parse_opts_t defaults = {0};
  opts = opts ? opts : &defaults;
  avro_schema_t *s = avro__schema_new();
  if (!s) {
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
    return NULL;
  }
  parser_t p = {.s = s, .validate = opts->validate, .err = err, .code = SCH_OK};
  if (parse_refs(&p, opts) && (s->root = parse_document(&p, text, len)) != NULL) {
    if (write_text(s, opts->normalize)) {
      return &s->base;
    }
    oom(&p);
  }
  avro__schema_free(s);
  return NULL;
}
