// SPDX-License-Identifier: Apache-2.0
/* Building a registered schema that has references: the referenced
 * versions are fetched (GET /subjects/{s}/versions/{v}), their own
 * references first, each name once, then handed to the schemas module as
 * already-resolved dependencies. Bounded in count and depth, because the
 * registry's answers are input too. */
#include <stdlib.h>
#include <string.h>

#include "serde_core.h"

#define MAX_REFS 256
#define MAX_REF_DEPTH 32

typedef struct ref_set {
  sch_reference_t items[MAX_REFS];
  serde_registered_t answers[MAX_REFS];
  size_t n;
} ref_set_t;

static bool have(const ref_set_t *set, const char *name) {
  for (size_t i = 0; i < set->n; i++) {
    if (strcmp(set->items[i].name, name) == 0) {
      return true;
    }
  }
  return false;
}

static serde_code_t collect(serde_t *sd, const serde_reg_ref_t *refs, size_t n, int depth, ref_set_t *set,
                            serde_error_t *err) {
  if (depth > MAX_REF_DEPTH) {
    return serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "references nest deeper than %d", MAX_REF_DEPTH);
  }
  for (size_t i = 0; i < n; i++) {
    if (!refs[i].name || !refs[i].subject || have(set, refs[i].name)) {
      continue;
    }
    if (set->n == MAX_REFS) {
      return serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "more than %d references", MAX_REFS);
    }
    serde_registered_t reg = {0};
    serde_code_t rc = serde__client_version(sd->http, refs[i].subject, refs[i].version, &reg, err);
    if (rc == SERDE_OK) {
      rc = collect(sd, reg.refs, reg.n_refs, depth + 1, set, err);
    }
    if (rc != SERDE_OK) {
      serde__registered_fini(&reg);
      serde__error_prefix(err, "reference \"%s\" (%s version %d)", refs[i].name, refs[i].subject, refs[i].version);
      return rc;
    }
    set->answers[set->n] = reg;
    set->items[set->n] = (sch_reference_t){refs[i].name, reg.schema, reg.schema_len};
    set->n++;
  }
  return SERDE_OK;
}

static serde_schema_t *build(serde_t *sd, const serde_registered_t *reg, const sch_reference_t *refs, size_t n,
                             serde_error_t *err) {
  serde_schema_t *s = serde__schema_build(reg->schema_type, reg->schema, reg->schema_len, refs, n, reg->id, err);
  if (s) {
    s->owner = sd;
  }
  return s;
}

serde_schema_t *serde__schema_from_registered(serde_t *sd, const serde_registered_t *reg, serde_error_t *err) {
  if (reg->n_refs == 0) {
    return build(sd, reg, NULL, 0, err);
  }
  ref_set_t *set = serde__calloc(1, sizeof *set);
  if (!set) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    return NULL;
  }
  serde_schema_t *s = NULL;
  if (collect(sd, reg->refs, reg->n_refs, 0, set, err) == SERDE_OK) {
    s = build(sd, reg, set->items, set->n, err);
  }
  for (size_t i = 0; i < set->n; i++) {
    serde__registered_fini(&set->answers[i]);
  }
  free(set);
  return s;
}
