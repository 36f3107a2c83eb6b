// SPDX-License-Identifier: Apache-2.0
/* Whether a JSON value is a valid default for an Avro type, as Java Avro 1.11's
 * Schema.isValidDefault decides it when Confluent parses a new schema: a union
 * default must suit the union's first branch, ints must fit 32 bits, bytes and
 * fixed defaults are strings, a record default needs a value (or a field
 * default) for every field. Only called with opts->validate; it reports yes or
 * no and leaves the message to the parser. */
#include <string.h>

#include "avro_int.h"

/* Recursive types can only recurse as deep as the value, but a record that is
 * still being parsed has no complete field list: Java fails there too. */
#define DEFAULT_MAX_DEPTH (4 * SCH_MAX_DEPTH)

static bool valid_at(const sch_avro_node_t *t, const json_t *v, int depth);

static bool valid_record(const sch_avro_node_t *t, const json_t *v, int depth) {
  if (!json_is_object(v) || !t->complete) {
    return false;
  }
  for (size_t i = 0; i < t->n_fields; i++) {
    const sch_avro_field_t *f = &t->fields[i];
    const json_t *fv = json_object_get(v, f->name);
    if (!valid_at(f->type, fv ? fv : f->deflt, depth + 1)) {
      return false;
    }
  }
  return true;
}

static bool valid_items(const sch_avro_node_t *t, const json_t *v, int depth) {
  if (t->kind == SCH_AVRO_ARRAY) {
    if (!json_is_array(v)) {
      return false;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
      if (!valid_at(t->child, json_array_get(v, i), depth + 1)) {
        return false;
      }
    }
    return true;
  }
  if (!json_is_object(v)) {
    return false;
  }
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)v, key, val) {
    if (!valid_at(t->child, val, depth + 1)) {
      return false;
    }
  }
  return true;
}

static bool valid_at(const sch_avro_node_t *t, const json_t *v, int depth) {
  if (!v || depth > DEFAULT_MAX_DEPTH) {
    return false;
  }
  switch (t->kind) {
  case SCH_AVRO_STRING:
  case SCH_AVRO_BYTES:
  case SCH_AVRO_ENUM:
  case SCH_AVRO_FIXED:
    return json_is_string(v);
  case SCH_AVRO_INT:
    return json_is_integer(v) && json_integer_value(v) >= -2147483648LL && json_integer_value(v) <= 2147483647LL;
  case SCH_AVRO_LONG:
    return json_is_integer(v);
  case SCH_AVRO_FLOAT:
  case SCH_AVRO_DOUBLE:
    return json_is_number(v);
  case SCH_AVRO_BOOLEAN:
    return json_is_boolean(v);
  case SCH_AVRO_NULL:
    return json_is_null(v);
  case SCH_AVRO_ARRAY:
  case SCH_AVRO_MAP:
    return valid_items(t, v, depth);
  case SCH_AVRO_UNION:
    return t->n_branches > 0 && valid_at(t->branches[0], v, depth + 1);
  case SCH_AVRO_RECORD:
    return valid_record(t, v, depth);
  }
  return false;
}

bool avro__default_valid(const sch_avro_node_t *t, const json_t *v) { return valid_at(t, v, 0); }
