// SPDX-License-Identifier: Apache-2.0
/* One message of the Protobuf diff (Confluent's MessageSchemaDiff, 8.x): the
 * fields of both versions are matched by tag across the whole message,
 * whatever oneof they sit in, then three passes report in Confluent's order:
 * oneofs of the update that now join fields from different original groups
 * (MULTIPLE_FIELDS_MOVED_TO_ONEOF, FIELD_MOVED_TO_EXISTING_ONEOF), oneofs
 * added or removed by name (sorted by name), and every tag in ascending order
 * (added, removed, moved out of a oneof, or compared by proto_diff_field.c).
 * Nested types follow (proto_diff_types.c). Proto3 `optional` fields are
 * plain fields here (their synthetic oneofs are not oneofs in .proto text),
 * and proto2 groups are not fields, as in Confluent's parsed file. */
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"

typedef struct member {
  const sch_pb_field_t *field;
  const char *oneof; /* the (real) oneof it belongs to, NULL at top level */
} member_t;

/* Fields by tag plus the message's real oneofs: Confluent's collectFields. */
typedef struct members {
  member_t *items; /* sorted by tag */
  size_t n;
  const char **oneofs; /* real oneof names, declaration order */
  size_t n_oneofs;
} members_t;

static int cmp_member(const void *a, const void *b) {
  int32_t x = ((const member_t *)a)->field->number, y = ((const member_t *)b)->field->number;
  return (x > y) - (x < y);
}

static bool members_init(members_t *ms, const sch_pb_message_t *m) {
  *ms = (members_t){0};
  ms->items = malloc((m->n_fields ? m->n_fields : 1) * sizeof *ms->items);
  ms->oneofs = malloc((m->n_oneofs ? m->n_oneofs : 1) * sizeof *ms->oneofs);
  if (!ms->items || !ms->oneofs) return false;
  for (size_t i = 0; i < m->n_oneofs; i++) {
    if (!m->oneofs[i].synthetic) ms->oneofs[ms->n_oneofs++] = m->oneofs[i].name;
  }
  for (size_t i = 0; i < m->n_fields; i++) {
    const sch_pb_field_t *f = &m->fields[i];
    if (f->type == SCH_PB_GROUP) continue;
    const char *oneof = NULL;
    if (f->oneof_index >= 0 && (size_t)f->oneof_index < m->n_oneofs && !m->oneofs[f->oneof_index].synthetic) {
      oneof = m->oneofs[f->oneof_index].name;
    }
    ms->items[ms->n++] = (member_t){f, oneof};
  }
  qsort(ms->items, ms->n, sizeof *ms->items, cmp_member);
  return true;
}

static void members_fini(members_t *ms) {
  free(ms->items);
  free(ms->oneofs);
}

static const member_t *member_by_tag(const members_t *ms, int32_t tag) {
  size_t lo = 0, hi = ms->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int32_t t = ms->items[mid].field->number;
    if (t == tag) return &ms->items[mid];
    if (t < tag) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return NULL;
}

static bool has_oneof(const members_t *ms, const char *name) {
  for (size_t i = 0; i < ms->n_oneofs; i++) {
    if (strcmp(ms->oneofs[i], name) == 0) return true;
  }
  return false;
}

static bool same_name(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

/* A oneof gone by name none of whose members survives anywhere: a complete
 * deletion, whose members are not reported one by one. */
static bool oneof_deleted(const members_t *o, const members_t *u, const char *name) {
  if (has_oneof(u, name)) return false;
  for (size_t i = 0; i < o->n; i++) {
    if (same_name(o->items[i].oneof, name) && member_by_tag(u, o->items[i].field->number)) return false;
  }
  return true;
}

/* Newly introduced mutual exclusivity: the update's oneof `name` holds
 * fields that came from more than one original group (an original oneof,
 * or a top-level field on its own); brand-new fields do not count. */
static void check_oneof_origins(sch__pb_diff_ctx_t *ctx, const members_t *o, const members_t *u,
                                const char *name) {
  size_t top_level = 0, oneof_groups = 0; /* oneofs counted up to two: more than one is what matters */
  const char *first_oneof = NULL;
  for (size_t i = 0; i < u->n; i++) {
    if (!same_name(u->items[i].oneof, name)) continue;
    const member_t *was = member_by_tag(o, u->items[i].field->number);
    if (!was) continue;
    if (!was->oneof) {
      top_level++;
    } else if (!first_oneof) {
      first_oneof = was->oneof;
      oneof_groups = 1;
    } else if (strcmp(first_oneof, was->oneof) != 0) {
      oneof_groups = 2;
    }
  }
  if (top_level + oneof_groups <= 1) return;
  size_t mark = sch__pb_diff_enter(ctx, name);
  sch__pb_diff_add(
      ctx, top_level > 1 ? SCH__PB_MULTIPLE_FIELDS_MOVED_TO_ONEOF : SCH__PB_FIELD_MOVED_TO_EXISTING_ONEOF);
  sch__pb_diff_leave(ctx, mark);
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ONEOF_REMOVED / ONEOF_ADDED over the union of names, in sorted order. */
static void compare_oneof_names(sch__pb_diff_ctx_t *ctx, const members_t *o, const members_t *u) {
  size_t n = o->n_oneofs + u->n_oneofs;
  const char **names = malloc((n ? n : 1) * sizeof *names);
  if (!names) {
    ctx->oom = true;
    return;
  }
  memcpy(names, o->oneofs, o->n_oneofs * sizeof *names);
  memcpy(names + o->n_oneofs, u->oneofs, u->n_oneofs * sizeof *names);
  qsort(names, n, sizeof *names, cmp_name);
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(names[i - 1], names[i]) == 0) continue;
    bool in_o = has_oneof(o, names[i]), in_u = has_oneof(u, names[i]);
    if (in_o && in_u) continue;
    size_t mark = sch__pb_diff_enter(ctx, names[i]);
    sch__pb_diff_add(ctx, in_u ? SCH__PB_ONEOF_ADDED : SCH__PB_ONEOF_REMOVED);
    sch__pb_diff_leave(ctx, mark);
  }
  free(names);
}

static void add_at(sch__pb_diff_ctx_t *ctx, const char *oneof, int32_t tag, sch__pb_diff_type_t type) {
  size_t mark = oneof ? sch__pb_diff_enter(ctx, oneof) : ctx->path.len;
  sch__pb_diff_enter_tag(ctx, tag);
  sch__pb_diff_add(ctx, type);
  sch__pb_diff_leave(ctx, mark);
}

/* A tag present on one side only. */
static void compare_lone_tag(sch__pb_diff_ctx_t *ctx, const members_t *o, const members_t *u,
                             const member_t *was, const member_t *now) {
  if (was && !was->oneof) {
    add_at(ctx, NULL, was->field->number,
           was->field->label == SCH_PB_REQUIRED ? SCH__PB_REQUIRED_FIELD_REMOVED : SCH__PB_FIELD_REMOVED);
  } else if (was) {
    /* Data loss, unless the whole oneof went away with all its members. */
    if (!oneof_deleted(o, u, was->oneof))
      add_at(ctx, was->oneof, was->field->number, SCH__PB_ONEOF_FIELD_REMOVED);
  } else if (now->oneof) {
    add_at(ctx, now->oneof, now->field->number, SCH__PB_ONEOF_FIELD_ADDED);
  } else {
    add_at(ctx, NULL, now->field->number,
           now->field->label == SCH_PB_REQUIRED ? SCH__PB_REQUIRED_FIELD_ADDED : SCH__PB_FIELD_ADDED);
  }
}

/* A tag on both sides: leaving a oneof is reported (compatible), then the
 * fields are compared at the tag's place in the update. */
static void compare_kept_tag(sch__pb_diff_ctx_t *ctx, const member_t *was, const member_t *now) {
  int32_t tag = now->field->number;
  if (was->oneof && !now->oneof) add_at(ctx, NULL, tag, SCH__PB_ONEOF_FIELD_MOVED_TO_TOP_LEVEL);
  size_t mark = now->oneof ? sch__pb_diff_enter(ctx, now->oneof) : ctx->path.len;
  sch__pb_diff_enter_tag(ctx, tag);
  sch__pb_diff_field(ctx, was->field, now->field);
  sch__pb_diff_leave(ctx, mark);
}

/* Every tag of either side in ascending order. */
static void compare_tags(sch__pb_diff_ctx_t *ctx, const members_t *o, const members_t *u) {
  size_t i = 0, j = 0;
  while ((i < o->n || j < u->n) && !ctx->oom) {
    const member_t *was = i < o->n ? &o->items[i] : NULL;
    const member_t *now = j < u->n ? &u->items[j] : NULL;
    if (was && now && was->field->number != now->field->number) {
      if (was->field->number < now->field->number) {
        now = NULL;
      } else {
        was = NULL;
      }
    }
    i += was != NULL;
    j += now != NULL;
    if (was && now) {
      compare_kept_tag(ctx, was, now);
    } else {
      compare_lone_tag(ctx, o, u, was, now);
    }
  }
}

static void compare_fields(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *original,
                           const sch_pb_message_t *update) {
  members_t o, u;
  bool ok_original = members_init(&o, original); /* both run: both are released below */
  bool ok_update = members_init(&u, update);
  bool ok = ok_original && ok_update;
  if (!ok) {
    ctx->oom = true;
  } else {
    for (size_t i = 0; i < u.n_oneofs; i++) check_oneof_origins(ctx, &o, &u, u.oneofs[i]);
    compare_oneof_names(ctx, &o, &u);
    compare_tags(ctx, &o, &u);
  }
  members_fini(&o);
  members_fini(&u);
}

void sch__pb_diff_message(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *original,
                          const sch_pb_message_t *update) {
  /* A message already under comparison (a recursive type) is not compared
   * again, but its nested types still are, as in Confluent. */
  bool entered = sch__pb_diff_activate(ctx, original);
  if (entered) compare_fields(ctx, original, update);
  sch__pb_types_t o = {original->nested, original->n_nested, original->enums, original->n_enums, original};
  sch__pb_types_t u = {update->nested, update->n_nested, update->enums, update->n_enums, update};
  sch__pb_diff_types(ctx, &o, &u);
  if (entered) sch__pb_diff_deactivate(ctx);
}
