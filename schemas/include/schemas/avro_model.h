// SPDX-License-Identifier: Apache-2.0
/* The parsed Avro schema as a read-only tree, for modules that walk it (the
 * serde's binary codec, resolver and JSON conversion). Named types are shared
 * by pointer, so recursion and references are edges; strings and JSON values
 * (defaults, extra properties) live as long as the sch_schema_t that owns the
 * tree. Names use the sch_avro_ prefix so this header can be included next to
 * avro-c's <avro.h>. Parsing and compatibility stay in schemas.h. */
#ifndef WEIR_SCHEMAS_AVRO_MODEL_H
#define WEIR_SCHEMAS_AVRO_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "schemas/schemas.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  SCH_AVRO_NULL,
  SCH_AVRO_BOOLEAN,
  SCH_AVRO_INT,
  SCH_AVRO_LONG,
  SCH_AVRO_FLOAT,
  SCH_AVRO_DOUBLE,
  SCH_AVRO_BYTES,
  SCH_AVRO_STRING,
  SCH_AVRO_RECORD,
  SCH_AVRO_ENUM,
  SCH_AVRO_ARRAY,
  SCH_AVRO_MAP,
  SCH_AVRO_UNION,
  SCH_AVRO_FIXED,
} sch_avro_kind_t;

typedef enum { SCH_AVRO_ORDER_ASCENDING, SCH_AVRO_ORDER_DESCENDING, SCH_AVRO_ORDER_IGNORE } sch_avro_order_t;

/* Extra properties: every key of `obj` not in the NULL-terminated `reserved`
 * list, in insertion order. obj NULL = none. */
typedef struct sch_avro_props {
  const json_t *obj;
  const char *const *reserved;
} sch_avro_props_t;

/* A name as Java's Schema.Name keeps it; space NULL when there is none. */
typedef struct sch_avro_name {
  const char *name;
  const char *space;
  const char *full;
} sch_avro_name_t;

typedef struct sch_avro_node sch_avro_node_t;

typedef struct sch_avro_field {
  const char *name;
  sch_avro_node_t *type;
  const char *doc;
  const json_t *deflt; /* NULL = no default; JSON null is a default */
  sch_avro_order_t order;
  const char **aliases;
  size_t n_aliases;
  sch_avro_props_t props;
} sch_avro_field_t;

struct sch_avro_node {
  sch_avro_kind_t kind;
  bool is_error;   /* record declared as "error" */
  bool complete;   /* record fields all parsed */
  sch_avro_name_t name; /* named types only */
  const char *doc;
  sch_avro_name_t *aliases;
  size_t n_aliases;
  sch_avro_props_t props;
  sch_avro_field_t *fields;
  size_t n_fields;
  const char **symbols;
  size_t n_symbols;
  const char *enum_default;
  int size;           /* fixed */
  sch_avro_node_t *child; /* array items, map values */
  sch_avro_node_t **branches;
  size_t n_branches;
};

/* The root type of an Avro schema, or NULL if `schema` is not Avro. */
const sch_avro_node_t *sch_avro_root(const sch_schema_t *schema);

/* Lower-case type name as in schema JSON ("record", "int", ...). */
const char *sch_avro_kind_name(sch_avro_kind_t kind);

/* True for record, enum and fixed. */
bool sch_avro_is_named(sch_avro_kind_t kind);

/* The node's valid logical type ("decimal", "timestamp-millis", ...) under
 * Java's LogicalTypes rules, or NULL; decimal sets precision and scale. */
const char *sch_avro_logical_type(const sch_avro_node_t *node, long long *precision, long long *scale);

/* Schema text that defines every named type inline (references included),
 * so a parser that knows nothing of references (avro-c) can read it.
 * Returns malloc'd NUL-terminated text (free()), length in *len; NULL if
 * `schema` is not Avro or on out of memory. */
char *sch_avro_standalone_text(const sch_schema_t *schema, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
