// SPDX-License-Identifier: Apache-2.0
/* The in-memory model of a parsed Avro schema, shared by the Avro sources:
 * nodes for every type (named types are shared by pointer, so references and
 * recursion are just edges), fields, and the schema object that owns all of
 * it through one arena. Strings and JSON values are borrowed from the parsed
 * documents, which the schema keeps alive. Parsing, writing and compatibility
 * live in their own files. */
#ifndef WEIR_SCHEMAS_AVRO_INT_H
#define WEIR_SCHEMAS_AVRO_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "sch_int.h"

typedef enum {
  AVRO_NULL,
  AVRO_BOOLEAN,
  AVRO_INT,
  AVRO_LONG,
  AVRO_FLOAT,
  AVRO_DOUBLE,
  AVRO_BYTES,
  AVRO_STRING,
  AVRO_RECORD,
  AVRO_ENUM,
  AVRO_ARRAY,
  AVRO_MAP,
  AVRO_UNION,
  AVRO_FIXED,
} avro_kind_t;

typedef enum { AVRO_ORDER_ASCENDING, AVRO_ORDER_DESCENDING, AVRO_ORDER_IGNORE } avro_order_t;

/* Extra properties: every key of `obj` not in the NULL-terminated `reserved`
 * list, in insertion order. obj NULL = none. */
typedef struct avro_props {
  const json_t *obj;
  const char *const *reserved;
} avro_props_t;

/* A name as Java's Schema.Name keeps it; space NULL when there is none. */
typedef struct avro_name {
  const char *name;
  const char *space;
  const char *full;
} avro_name_t;

typedef struct avro_node avro_node_t;

typedef struct avro_field {
  const char *name;
  avro_node_t *type;
  const char *doc;
  const json_t *deflt; /* NULL = no default; JSON null is a default */
  avro_order_t order;
  const char **aliases;
  size_t n_aliases;
  avro_props_t props;
} avro_field_t;

struct avro_node {
  avro_kind_t kind;
  bool is_error;   /* record declared as "error" */
  bool complete;   /* record fields all parsed */
  avro_name_t name; /* named types only */
  const char *doc;
  avro_name_t *aliases;
  size_t n_aliases;
  avro_props_t props;
  avro_field_t *fields;
  size_t n_fields;
  const char **symbols;
  size_t n_symbols;
  const char *enum_default;
  int size;           /* fixed */
  avro_node_t *child; /* array items, map values */
  avro_node_t **branches;
  size_t n_branches;
};

typedef struct avro_schema {
  sch_schema_t base;
  avro_node_t *root;
  json_t *keep; /* array holding every parsed document and made-up value */
  void **allocs;
  size_t n_allocs, cap_allocs;
  avro_node_t **named; /* name table, definition order */
  size_t n_named, cap_named;
  const char **ref_names; /* full names of the references' top-level types */
  size_t n_ref_names;
} avro_schema_t;

extern const sch_format_t sch__avro_format;

/* Arena (avro_schema.c): memory freed with the schema. NULL on oom. */
void *avro__alloc(avro_schema_t *s, size_t n);
char *avro__strdup(avro_schema_t *s, const char *str);
avro_schema_t *avro__schema_new(void);
void avro__schema_free(avro_schema_t *s);
/* Kind names: "record" (lower, JSON) and "RECORD" (Java Schema.Type). */
const char *avro__kind_name(avro_kind_t kind);
const char *avro__kind_upper(avro_kind_t kind);
bool avro__is_named(avro_kind_t kind);

/* avro_parse.c */
sch_schema_t *avro__parse(const char *text, size_t len, const sch_parse_opts_t *opts, sch_error_t *err);

/* avro_defaults.c: does value v suit type t (Java Schema.isValidDefault)? */
bool avro__default_valid(const avro_node_t *t, const json_t *v);

/* avro_canonical.c: Java Schema.toString(refs, false). `known` lists full
 * names already written (written by name only). */
void avro__write_canonical(sch_buf_t *b, const avro_node_t *root, const char *const *known, size_t n_known);

/* avro_normalize.c: Confluent's AvroSchemaUtils.toNormalizedString. */
void avro__write_normalized(sch_buf_t *b, const avro_node_t *root, const char *const *known, size_t n_known);
/* Valid logical type of a node (Java LogicalTypes rules) or NULL. */
const char *avro__logical_type(const avro_node_t *n, long long *precision, long long *scale);

/* avro_compat.c */
sch_code_t avro__can_read_pair(const sch_compat_pair_t *pair, bool *compatible, sch_messages_t *msgs,
                               sch_error_t *err);
sch_code_t avro__can_read(const sch_schema_t *reader, const sch_schema_t *writer, bool *compatible,
                          sch_messages_t *msgs, sch_error_t *err);

#endif
