// SPDX-License-Identifier: Apache-2.0
/* The canonical text of an Avro schema: what Java Avro's Schema.toString()
 * (compact, with the references' names known) writes and Confluent stores.
 * Attribute order per kind, namespace elision relative to the enclosing named
 * type, names written by reference after their first definition, and extra
 * properties in input order after the known attributes. The normalized layout
 * is avro_normalize.c's. */
#include <stdlib.h>
#include <string.h>

#include "avro_int.h"

typedef struct writer {
  sch_buf_t *b;
  const char **known;
  size_t n_known, cap_known;
} writer_t;

static void write_node(writer_t *w, const sch_avro_node_t *n, const char *space);

static bool is_known(const writer_t *w, const char *full) {
  for (size_t i = 0; i < w->n_known; i++) {
    if (strcmp(w->known[i], full) == 0) {
      return true;
    }
  }
  return false;
}

static void add_known(writer_t *w, const char *full) {
  if (w->n_known == w->cap_known) {
    size_t cap = w->cap_known ? w->cap_known * 2 : 16;
    const char **k = realloc(w->known, cap * sizeof *k);
    if (!k) {
      w->b->oom = true;
      return;
    }
    w->known = k;
    w->cap_known = cap;
  }
  w->known[w->n_known++] = full;
}

static bool same_space(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Java Name.getQualified: the short name only inside its own namespace and
 * only when it cannot be mistaken for a type keyword. */
static const char *qualified(const sch_avro_name_t *name, const char *space) {
  if (same_space(name->space, space)) {
    for (int k = SCH_AVRO_NULL; k <= SCH_AVRO_FIXED; k++) {
      if (strcmp(name->name, sch_avro_kind_name((sch_avro_kind_t)k)) == 0) {
        return name->full;
      }
    }
    return name->name;
  }
  return name->full;
}

static bool is_reserved(const sch_avro_props_t *p, const char *key) {
  for (const char *const *r = p->reserved; r && *r; r++) {
    if (strcmp(*r, key) == 0) {
      return true;
    }
  }
  return false;
}

static bool has_props(const sch_avro_props_t *p) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)p->obj, key, val) {
    if (!is_reserved(p, key)) {
      return true;
    }
  }
  return false;
}

static void write_props(sch_buf_t *b, const sch_avro_props_t *p) {
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)p->obj, key, val) {
    if (!is_reserved(p, key)) {
      sch__buf_putc(b, ',');
      sch__json_string(b, key);
      sch__buf_putc(b, ':');
      sch__json_value(b, val);
    }
  }
}

static void write_key(sch_buf_t *b, const char *key, const char *value) {
  sch__buf_putc(b, ',');
  sch__json_string(b, key);
  sch__buf_putc(b, ':');
  sch__json_string(b, value);
}

/* "type", "name" and "namespace" (when it differs from the enclosing one). */
static void write_head(writer_t *w, const sch_avro_node_t *n, const char *type, const char *space) {
  sch__buf_puts(w->b, "{\"type\":");
  sch__json_string(w->b, type);
  write_key(w->b, "name", n->name.name);
  if (n->name.space && !same_space(n->name.space, space)) {
    write_key(w->b, "namespace", n->name.space);
  } else if (!n->name.space && space) {
    write_key(w->b, "namespace", "");
  }
  if (n->doc) {
    write_key(w->b, "doc", n->doc);
  }
}

static void write_string_array(sch_buf_t *b, const char *key, const char *const *v, size_t n) {
  sch__buf_puts(b, ",\"");
  sch__buf_puts(b, key);
  sch__buf_puts(b, "\":[");
  for (size_t i = 0; i < n; i++) {
    if (i) {
      sch__buf_putc(b, ',');
    }
    sch__json_string(b, v[i]);
  }
  sch__buf_putc(b, ']');
}

static void write_aliases(sch_buf_t *b, const sch_avro_node_t *n) {
  if (n->n_aliases == 0) {
    return;
  }
  sch__buf_puts(b, ",\"aliases\":[");
  for (size_t i = 0; i < n->n_aliases; i++) {
    if (i) {
      sch__buf_putc(b, ',');
    }
    sch__json_string(b, qualified(&n->aliases[i], n->name.space));
  }
  sch__buf_putc(b, ']');
}

static void write_field(writer_t *w, const sch_avro_field_t *f, const char *space) {
  static const char *const orders[] = {"ascending", "descending", "ignore"};
  sch__buf_puts(w->b, "{\"name\":");
  sch__json_string(w->b, f->name);
  sch__buf_puts(w->b, ",\"type\":");
  write_node(w, f->type, space);
  if (f->doc) {
    write_key(w->b, "doc", f->doc);
  }
  if (f->deflt) {
    sch__buf_puts(w->b, ",\"default\":");
    sch__json_value(w->b, f->deflt);
  }
  if (f->order != SCH_AVRO_ORDER_ASCENDING) {
    write_key(w->b, "order", orders[f->order]);
  }
  if (f->n_aliases) {
    write_string_array(w->b, "aliases", f->aliases, f->n_aliases);
  }
  write_props(w->b, &f->props);
  sch__buf_putc(w->b, '}');
}

static void write_record(writer_t *w, const sch_avro_node_t *n, const char *space) {
  write_head(w, n, n->is_error ? "error" : "record", space);
  sch__buf_puts(w->b, ",\"fields\":[");
  for (size_t i = 0; i < n->n_fields; i++) {
    if (i) {
      sch__buf_putc(w->b, ',');
    }
    write_field(w, &n->fields[i], n->name.space);
  }
  sch__buf_putc(w->b, ']');
}

static void write_named(writer_t *w, const sch_avro_node_t *n, const char *space) {
  if (is_known(w, n->name.full)) {
    sch__json_string(w->b, qualified(&n->name, space));
    return;
  }
  add_known(w, n->name.full);
  if (n->kind == SCH_AVRO_RECORD) {
    write_record(w, n, space);
  } else if (n->kind == SCH_AVRO_ENUM) {
    write_head(w, n, "enum", space);
    write_string_array(w->b, "symbols", n->symbols, n->n_symbols);
    if (n->enum_default) {
      write_key(w->b, "default", n->enum_default);
    }
  } else {
    write_head(w, n, "fixed", space);
    sch__buf_printf(w->b, ",\"size\":%d", n->size);
  }
  write_props(w->b, &n->props);
  write_aliases(w->b, n);
  sch__buf_putc(w->b, '}');
}

static void write_node(writer_t *w, const sch_avro_node_t *n, const char *space) {
  if (sch_avro_is_named(n->kind)) {
    write_named(w, n, space);
  } else if (n->kind == SCH_AVRO_UNION) {
    sch__buf_putc(w->b, '[');
    for (size_t i = 0; i < n->n_branches; i++) {
      if (i) {
        sch__buf_putc(w->b, ',');
      }
      write_node(w, n->branches[i], space);
    }
    sch__buf_putc(w->b, ']');
  } else if (n->kind == SCH_AVRO_ARRAY || n->kind == SCH_AVRO_MAP) {
    sch__buf_puts(w->b, n->kind == SCH_AVRO_ARRAY ? "{\"type\":\"array\",\"items\":" : "{\"type\":\"map\",\"values\":");
    write_node(w, n->child, space);
    write_props(w->b, &n->props);
    sch__buf_putc(w->b, '}');
  } else if (n->props.obj && has_props(&n->props)) {
    sch__buf_puts(w->b, "{\"type\":");
    sch__json_string(w->b, sch_avro_kind_name(n->kind));
    write_props(w->b, &n->props);
    sch__buf_putc(w->b, '}');
  } else {
    sch__json_string(w->b, sch_avro_kind_name(n->kind));
  }
}

void avro__write_canonical(sch_buf_t *b, const sch_avro_node_t *root, const char *const *known, size_t n_known) {
  writer_t w = {.b = b};
  for (size_t i = 0; i < n_known; i++) {
    add_known(&w, known[i]);
  }
  write_node(&w, root, NULL);
  free(w.known);
}
