// SPDX-License-Identifier: Apache-2.0
/* The Avro format object and the lifetime of parsed Avro schemas: the arena
 * every node, field array and computed string is allocated from, the kind
 * name tables, and the sch_format_t entry that sch_format.c lists. Parsing,
 * writing and compatibility are in avro_parse.c, avro_canonical.c,
 * avro_normalize.c and avro_compat.c. */
#include <stdlib.h>
#include <string.h>

#include "avro_int.h"

static const char *const kind_names[][2] = {
    [SCH_AVRO_NULL] = {"null", "NULL"},       [SCH_AVRO_BOOLEAN] = {"boolean", "BOOLEAN"},
    [SCH_AVRO_INT] = {"int", "INT"},          [SCH_AVRO_LONG] = {"long", "LONG"},
    [SCH_AVRO_FLOAT] = {"float", "FLOAT"},    [SCH_AVRO_DOUBLE] = {"double", "DOUBLE"},
    [SCH_AVRO_BYTES] = {"bytes", "BYTES"},    [SCH_AVRO_STRING] = {"string", "STRING"},
    [SCH_AVRO_RECORD] = {"record", "RECORD"}, [SCH_AVRO_ENUM] = {"enum", "ENUM"},
    [SCH_AVRO_ARRAY] = {"array", "ARRAY"},    [SCH_AVRO_MAP] = {"map", "MAP"},
    [SCH_AVRO_UNION] = {"union", "UNION"},    [SCH_AVRO_FIXED] = {"fixed", "FIXED"},
};

const char *sch_avro_kind_name(sch_avro_kind_t kind) { return kind_names[kind][0]; }

const char *avro__kind_upper(sch_avro_kind_t kind) { return kind_names[kind][1]; }

bool sch_avro_is_named(sch_avro_kind_t kind) {
  return kind == SCH_AVRO_RECORD || kind == SCH_AVRO_ENUM || kind == SCH_AVRO_FIXED;
}

void *avro__alloc(avro_schema_t *s, size_t n) {
  if (s->n_allocs == s->cap_allocs) {
    size_t cap = s->cap_allocs ? s->cap_allocs * 2 : 32;
    void **a = realloc(s->allocs, cap * sizeof *a);
    if (!a) {
      return NULL;
    }
    s->allocs = a;
    s->cap_allocs = cap;
  }
  void *p = calloc(1, n ? n : 1);
  if (p) {
    s->allocs[s->n_allocs++] = p;
  }
  return p;
}

char *avro__strdup(avro_schema_t *s, const char *str) {
  size_t n = strlen(str);
  char *p = avro__alloc(s, n + 1);
  if (p) {
    memcpy(p, str, n + 1);
  }
  return p;
}

avro_schema_t *avro__schema_new(void) {
  avro_schema_t *s = calloc(1, sizeof *s);
  if (!s) {
    return NULL;
  }
  s->base.format = &sch__avro_format;
  s->keep = json_array();
  if (!s->keep) {
    free(s);
    return NULL;
  }
  return s;
}

void avro__schema_free(avro_schema_t *s) {
  if (!s) {
    return;
  }
  for (size_t i = 0; i < s->n_allocs; i++) {
    free(s->allocs[i]);
  }
  free(s->allocs);
  free(s->named);
  free(s->base.canonical);
  json_decref(s->keep);
  free(s);
}

static void avro_destroy(sch_schema_t *schema) { avro__schema_free((avro_schema_t *)schema); }

const sch_format_t sch__avro_format = {
    .name = "AVRO",
    .parse = avro__parse,
    .can_read = avro__can_read,
    .destroy = avro_destroy,
    .can_read_pair = avro__can_read_pair,
};

const sch_avro_node_t *sch_avro_root(const sch_schema_t *schema) {
  if (!schema || schema->format != &sch__avro_format) {
    return NULL;
  }
  return ((const avro_schema_t *)schema)->root;
}

char *sch_avro_standalone_text(const sch_schema_t *schema, size_t *len) {
  const sch_avro_node_t *root = sch_avro_root(schema);
  if (!root) {
    return NULL;
  }
  sch_buf_t b = {0};
  avro__write_canonical(&b, root, NULL, 0);
  return sch__buf_take(&b, len);
}
