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
    [AVRO_NULL] = {"null", "NULL"},       [AVRO_BOOLEAN] = {"boolean", "BOOLEAN"},
    [AVRO_INT] = {"int", "INT"},          [AVRO_LONG] = {"long", "LONG"},
    [AVRO_FLOAT] = {"float", "FLOAT"},    [AVRO_DOUBLE] = {"double", "DOUBLE"},
    [AVRO_BYTES] = {"bytes", "BYTES"},    [AVRO_STRING] = {"string", "STRING"},
    [AVRO_RECORD] = {"record", "RECORD"}, [AVRO_ENUM] = {"enum", "ENUM"},
    [AVRO_ARRAY] = {"array", "ARRAY"},    [AVRO_MAP] = {"map", "MAP"},
    [AVRO_UNION] = {"union", "UNION"},    [AVRO_FIXED] = {"fixed", "FIXED"},
};

const char *avro__kind_name(avro_kind_t kind) { return kind_names[kind][0]; }

const char *avro__kind_upper(avro_kind_t kind) { return kind_names[kind][1]; }

bool avro__is_named(avro_kind_t kind) {
  return kind == AVRO_RECORD || kind == AVRO_ENUM || kind == AVRO_FIXED;
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
