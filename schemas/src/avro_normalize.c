// SPDX-License-Identifier: Apache-2.0
/* The normalized text of an Avro schema (normalize=true), after Confluent's
 * AvroSchemaUtils.toNormalizedString: named types as {"name":<full name>,
 * "type":...} written once then by full name, fields with their order, doc,
 * sorted aliases and default, extra properties sorted by key, and valid
 * logical types (Java LogicalTypes rules) written first. The plain canonical
 * form is avro_canonical.c's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "avro_int.h"

typedef struct norm {
  sch_buf_t *b;
  const char **env;
  size_t n_env, cap_env;
} norm_t;

static void build(norm_t *w, const sch_avro_node_t *n);

static bool prop_int(const sch_avro_node_t *n, const char *key, long long dflt, long long *out) {
  const json_t *v = json_object_get(n->props.obj, key);
  *out = v ? (long long)json_integer_value(v) : dflt;
  return !v || json_is_integer(v);
}

static bool decimal_ok(const sch_avro_node_t *n, long long *precision, long long *scale) {
  if (n->kind != SCH_AVRO_BYTES && n->kind != SCH_AVRO_FIXED) {
    return false;
  }
  if (!prop_int(n, "precision", 0, precision) || !prop_int(n, "scale", 0, scale) || *precision <= 0) {
    return false;
  }
  if (n->kind == SCH_AVRO_FIXED && n->size < 1024 &&
      (double)*precision > floor(log10(pow(2.0, 8.0 * n->size - 1) - 1))) {
    return false;
  }
  return *scale >= 0 && *scale <= *precision;
}

const char *sch_avro_logical_type(const sch_avro_node_t *n, long long *precision, long long *scale) {
  static const struct {
    const char *name;
    sch_avro_kind_t kind;
  } simple[] = {
      {"big-decimal", SCH_AVRO_BYTES},           {"uuid", SCH_AVRO_STRING},
      {"date", SCH_AVRO_INT},                    {"time-millis", SCH_AVRO_INT},
      {"time-micros", SCH_AVRO_LONG},            {"timestamp-millis", SCH_AVRO_LONG},
      {"timestamp-micros", SCH_AVRO_LONG},       {"timestamp-nanos", SCH_AVRO_LONG},
      {"local-timestamp-millis", SCH_AVRO_LONG}, {"local-timestamp-micros", SCH_AVRO_LONG},
      {"local-timestamp-nanos", SCH_AVRO_LONG},
  };
  const char *lt = json_string_value(json_object_get(n->props.obj, "logicalType"));
  *precision = *scale = 0;
  if (!lt) {
    return NULL;
  }
  if (strcmp(lt, "decimal") == 0) {
    return decimal_ok(n, precision, scale) ? lt : NULL;
  }
  if (strcmp(lt, "duration") == 0 || strcmp(lt, "uuid") == 0) {
    if (n->kind == SCH_AVRO_FIXED) {
      return n->size == (lt[0] == 'd' ? 12 : 16) ? lt : NULL;
    }
  }
  for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
    if (strcmp(lt, simple[i].name) == 0) {
      return n->kind == simple[i].kind ? lt : NULL;
    }
  }
  return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool skipped(const sch_avro_props_t *p, const char *key, bool logical) {
  for (const char *const *r = p->reserved; r && *r; r++) {
    if (strcmp(*r, key) == 0) {
      return true;
    }
  }
  return logical && (strcmp(key, "logicalType") == 0 || strcmp(key, "precision") == 0 || strcmp(key, "scale") == 0);
}

/* Extra properties sorted by key; `logical` drops the ones already written. */
static void sorted_props(sch_buf_t *b, const sch_avro_props_t *p, bool logical) {
  size_t n = json_object_size(p->obj), k = 0;
  const char **keys = n ? malloc(n * sizeof *keys) : NULL;
  if (n && !keys) {
    b->oom = true;
    return;
  }
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)p->obj, key, val) {
    if (!skipped(p, key, logical)) {
      keys[k++] = key;
    }
  }
  qsort(keys, k, sizeof *keys, cmp_str);
  for (size_t i = 0; i < k; i++) {
    sch__buf_putc(b, ',');
    sch__json_string(b, keys[i]);
    sch__buf_putc(b, ':');
    sch__json_value(b, json_object_get(p->obj, keys[i]));
  }
  free(keys);
}

static bool write_logical(sch_buf_t *b, const sch_avro_node_t *n) {
  long long precision, scale;
  const char *lt = sch_avro_logical_type(n, &precision, &scale);
  if (!lt) {
    return false;
  }
  sch__buf_puts(b, ",\"logicalType\":");
  sch__json_string(b, lt);
  if (strcmp(lt, "decimal") == 0) {
    sch__buf_printf(b, ",\"precision\":%lld", precision);
    if (scale != 0) {
      sch__buf_printf(b, ",\"scale\":%lld", scale);
    }
  }
  return true;
}

static void sorted_strings(sch_buf_t *b, const char *key, const char **v, size_t n) {
  if (n == 0) {
    return;
  }
  qsort(v, n, sizeof *v, cmp_str);
  sch__buf_printf(b, ",\"%s\":[", key);
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
      sch__buf_puts(b, i ? "," : "");
      sch__json_string(b, v[i]);
    }
  }
  sch__buf_putc(b, ']');
}

static void write_field(norm_t *w, const sch_avro_field_t *f) {
  static const char *const orders[] = {"ASCENDING", "DESCENDING", "IGNORE"};
  sch__buf_puts(w->b, "{\"name\":");
  sch__json_string(w->b, f->name);
  sch__buf_puts(w->b, ",\"type\":");
  build(w, f->type);
  sch__buf_printf(w->b, ",\"order\":\"%s\"", orders[f->order]);
  if (f->doc) {
    sch__buf_puts(w->b, ",\"doc\":");
    sch__json_string(w->b, f->doc);
  }
  const char **aliases = f->n_aliases ? malloc(f->n_aliases * sizeof *aliases) : NULL;
  if (f->n_aliases && !aliases) {
    w->b->oom = true;
    return;
  }
  if (f->n_aliases) {
    memcpy(aliases, f->aliases, f->n_aliases * sizeof *aliases);
  }
  sorted_strings(w->b, "aliases", aliases, f->n_aliases);
  free(aliases);
  if (f->deflt) {
    sch__buf_puts(w->b, ",\"default\":");
    sch__json_value(w->b, f->deflt);
  }
  sorted_props(w->b, &f->props, false);
  sch__buf_putc(w->b, '}');
}

static void complex_props(norm_t *w, const sch_avro_node_t *n) {
  if (n->doc && *n->doc) {
    sch__buf_puts(w->b, ",\"doc\":");
    sch__json_string(w->b, n->doc);
  }
  const char **aliases = n->n_aliases ? malloc(n->n_aliases * sizeof *aliases) : NULL;
  if (n->n_aliases && !aliases) {
    w->b->oom = true;
    return;
  }
  for (size_t i = 0; i < n->n_aliases; i++) {
    aliases[i] = n->aliases[i].full;
  }
  sorted_strings(w->b, "aliases", aliases, n->n_aliases);
  free(aliases);
  if (n->kind == SCH_AVRO_ENUM && n->enum_default) {
    sch__buf_puts(w->b, ",\"default\":");
    sch__json_string(w->b, n->enum_default);
  }
}

static bool env_seen(norm_t *w, const char *full) {
  for (size_t i = 0; i < w->n_env; i++) {
    if (strcmp(w->env[i], full) == 0) {
      return true;
    }
  }
  if (w->n_env == w->cap_env) {
    size_t cap = w->cap_env ? w->cap_env * 2 : 16;
    const char **e = realloc(w->env, cap * sizeof *e);
    if (!e) {
      w->b->oom = true;
      return true;
    }
    w->env = e;
    w->cap_env = cap;
  }
  w->env[w->n_env++] = full;
  return false;
}

static void build_named_body(norm_t *w, const sch_avro_node_t *n, bool *logical) {
  if (n->kind == SCH_AVRO_ENUM) {
    sch__buf_puts(w->b, ",\"symbols\":[");
    for (size_t i = 0; i < n->n_symbols; i++) {
      sch__buf_puts(w->b, i ? "," : "");
      sch__json_string(w->b, n->symbols[i]);
    }
    sch__buf_putc(w->b, ']');
  } else if (n->kind == SCH_AVRO_FIXED) {
    sch__buf_printf(w->b, ",\"size\":%d", n->size);
    *logical = write_logical(w->b, n);
  } else {
    sch__buf_puts(w->b, ",\"fields\":[");
    for (size_t i = 0; i < n->n_fields; i++) {
      sch__buf_puts(w->b, i ? "," : "");
      write_field(w, &n->fields[i]);
    }
    sch__buf_putc(w->b, ']');
  }
}

static void build_named(norm_t *w, const sch_avro_node_t *n) {
  if (env_seen(w, n->name.full)) {
    sch__json_string(w->b, n->name.full);
    return;
  }
  sch__buf_puts(w->b, "{\"name\":");
  sch__json_string(w->b, n->name.full);
  sch__buf_puts(w->b, ",\"type\":");
  sch__json_string(w->b, sch_avro_kind_name(n->kind));
  bool logical = false;
  build_named_body(w, n, &logical);
  complex_props(w, n);
  sorted_props(w->b, &n->props, logical);
  sch__buf_putc(w->b, '}');
}

static void build_primitive(norm_t *w, const sch_avro_node_t *n) {
  bool has = false;
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)n->props.obj, key, val) { has = has || !skipped(&n->props, key, false); }
  if (!has) {
    sch__json_string(w->b, sch_avro_kind_name(n->kind));
    return;
  }
  sch__buf_puts(w->b, "{\"type\":");
  sch__json_string(w->b, sch_avro_kind_name(n->kind));
  bool logical = write_logical(w->b, n);
  sorted_props(w->b, &n->props, logical);
  sch__buf_putc(w->b, '}');
}

static void build(norm_t *w, const sch_avro_node_t *n) {
  if (sch_avro_is_named(n->kind)) {
    build_named(w, n);
  } else if (n->kind == SCH_AVRO_UNION) {
    sch__buf_putc(w->b, '[');
    for (size_t i = 0; i < n->n_branches; i++) {
      sch__buf_puts(w->b, i ? "," : "");
      build(w, n->branches[i]);
    }
    sch__buf_putc(w->b, ']');
  } else if (n->kind == SCH_AVRO_ARRAY || n->kind == SCH_AVRO_MAP) {
    sch__buf_puts(w->b, n->kind == SCH_AVRO_ARRAY ? "{\"type\":\"array\",\"items\":" : "{\"type\":\"map\",\"values\":");
    build(w, n->child);
    sorted_props(w->b, &n->props, false);
    sch__buf_putc(w->b, '}');
  } else {
    build_primitive(w, n);
  }
}

void avro__write_normalized(sch_buf_t *b, const sch_avro_node_t *root, const char *const *known, size_t n_known) {
  norm_t w = {.b = b};
  for (size_t i = 0; i < n_known; i++) {
    env_seen(&w, known[i]);
  }
  build(&w, root);
  free(w.env);
}
