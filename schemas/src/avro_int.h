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
#include "schemas/avro_model.h"

typedef struct avro_schema {
  sch_schema_t base;
  sch_avro_node_t *root;
  json_t *keep; /* array holding every parsed document and made-up value */
  void **allocs;
  size_t n_allocs, cap_allocs;
  sch_avro_node_t **named; /* name table, definition order */
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
const char *avro__kind_upper(sch_avro_kind_t kind);

/* avro_parse.c */
sch_schema_t *avro__parse(const char *text, size_t len, const sch_parse_opts_t *opts, sch_error_t *err);

/* avro_defaults.c: does value v suit type t (Java Schema.isValidDefault)? */
bool avro__default_valid(const sch_avro_node_t *t, const json_t *v);

/* avro_canonical.c: Java Schema.toString(refs, false). `known` lists full
 * names already written (written by name only). */
void avro__write_canonical(sch_buf_t *b, const sch_avro_node_t *root, const char *const *known, size_t n_known);

/* avro_normalize.c: Confluent's AvroSchemaUtils.toNormalizedString. */
void avro__write_normalized(sch_buf_t *b, const sch_avro_node_t *root, const char *const *known, size_t n_known);

/* avro_compat.c */
sch_code_t avro__can_read_pair(const sch_compat_pair_t *pair, bool *compatible, sch_messages_t *msgs,
                               sch_error_t *err);
sch_code_t avro__can_read(const sch_schema_t *reader, const sch_schema_t *writer, bool *compatible,
                          sch_messages_t *msgs, sch_error_t *err);

#endif
