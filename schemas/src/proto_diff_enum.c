// SPDX-License-Identifier: Apache-2.0
/* One enum of the Protobuf diff (Confluent's EnumSchemaDiff): constants are
 * matched by number; a number on one side only is ENUM_CONST_ADDED/REMOVED,
 * the same number under another name ENUM_CONST_CHANGED (all compatible).
 * With aliases (allow_alias) the last constant of a number is the one
 * compared, and numbers come in Java's HashSet order, as in Confluent.
 * Adding or removing whole enums is proto_diff_types.c's. */
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"

static sch__pb_key_t *value_keys(const sch_pb_enum_t *e) {
  sch__pb_key_t *keys = malloc((e->n_values ? e->n_values : 1) * sizeof *keys);
  for (size_t i = 0; keys && i < e->n_values; i++) keys[i] = (sch__pb_key_t){NULL, e->values[i].number};
  return keys;
}

void sch__pb_diff_enum(sch__pb_diff_ctx_t *ctx, const sch_pb_enum_t *original, const sch_pb_enum_t *update) {
  sch__pb_key_t *o = value_keys(original), *u = value_keys(update);
  sch__pb_pair_t *pairs = NULL;
  size_t n = 0;
  if (!o || !u || !(pairs = sch__pb_java_union(o, original->n_values, u, update->n_values, &n))) {
    ctx->oom = true;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    size_t oi = pairs[i].original, ui = pairs[i].update;
    size_t mark = sch__pb_diff_enter_tag(ctx, oi != SCH__PB_NONE ? o[oi].number : u[ui].number);
    if (ui == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_ENUM_CONST_REMOVED);
    } else if (oi == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_ENUM_CONST_ADDED);
    } else if (strcmp(original->values[oi].name, update->values[ui].name) != 0) {
      sch__pb_diff_add(ctx, SCH__PB_ENUM_CONST_CHANGED);
    }
    sch__pb_diff_leave(ctx, mark);
  }
out:
  free(pairs);
  free(o);
  free(u);
}
