// SPDX-License-Identifier: Apache-2.0
/* The declarations of one scope (a message body or the file) when reading a
 * FileDescriptorProto: `extend` blocks rebuilt from the scope's extension
 * fields (one block per extendee, first-seen order, as Confluent's registry
 * groups them) and the order nested types, extend blocks and enums are
 * printed in. protoc numbers nested types in declaration order and message
 * indexes count them, so each nested message stays at its position and an
 * extend block whose group declared a nested type is printed where that type
 * stood. Single fields, messages and enums are read elsewhere. */
#include <stdlib.h>
#include <string.h>

#include "proto_descriptor_int.h"

/* Sorts the type indexes idx[0..n) by the types' names (C11's qsort takes
 * no context, so a merge sort through tmp). */
static void sort_by_name(pbd_message_t *const *types, size_t *idx, size_t *tmp, size_t n) {
  if (n < 2) {
    return;
  }
  size_t half = n / 2;
  sort_by_name(types, idx, tmp, half);
  sort_by_name(types, idx + half, tmp, n - half);
  size_t a = 0, b = half, k = 0;
  while (a < half || b < n) {
    bool left = b >= n || (a < half && strcmp(types[idx[a]]->name, types[idx[b]]->name) <= 0);
    tmp[k++] = left ? idx[a++] : idx[b++];
  }
  memcpy(idx, tmp, n * sizeof(*idx));
}

bool sch__desc_in_scope_init(desc_in_t *c, desc_scope_t *s, const char *full_name,
                             pbd_message_t *const *types, size_t n_types) {
  *s = (desc_scope_t){.full_name = full_name, .types = types, .n_types = n_types};
  s->used = sch__desc_in_alloc(c, n_types + 1);
  s->owner = sch__desc_in_alloc(c, (n_types + 1) * sizeof(*s->owner));
  s->by_name = sch__desc_in_alloc(c, (n_types + 1) * sizeof(*s->by_name));
  size_t *tmp = sch__desc_in_alloc(c, (n_types + 1) * sizeof(*tmp));
  if (!full_name || !s->used || !s->owner || !tmp) {
    return false;
  }
  for (size_t i = 0; i < n_types; i++) {
    if (!sch__desc_in_check_ident(c, types[i]->name, "message")) {
      return false;
    }
    s->by_name[i] = i;
  }
  sort_by_name(types, s->by_name, tmp, n_types);
  return true;
}

long sch__desc_in_find_nested(const desc_scope_t *s, const char *type_name) {
  const char *t = type_name;
  if (t[0] == '.') {
    size_t sl = strlen(s->full_name);
    t++;
    if (sl && (strncmp(t, s->full_name, sl) != 0 || t[sl] != '.')) {
      return -1;
    }
    t += sl ? sl + 1 : 0;
  }
  size_t lo = 0, hi = s->n_types;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int r = strcmp(s->types[s->by_name[mid]]->name, t);
    if (r == 0) {
      return (long)s->by_name[mid];
    }
    if (r < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return -1;
}

typedef struct ext_ref {
  const char *extendee;
  size_t index; /* in the scope's extension list */
} ext_ref_t;

static int cmp_extendee(const void *a, const void *b) {
  const ext_ref_t *x = a, *y = b;
  int r = strcmp(x->extendee, y->extendee);
  return r ? r : (x->index > y->index) - (x->index < y->index);
}

/* Runs of one extendee, ordered by the first extension of each. */
static int cmp_run_start(const void *a, const void *b) {
  const ext_ref_t *x = *(const ext_ref_t *const *)a, *y = *(const ext_ref_t *const *)b;
  return (x->index > y->index) - (x->index < y->index);
}

/* One `extend` block for refs[0..n) (same extendee), into s->extends. */
static bool add_extend(desc_in_t *c, pbd_field_t *const *fields, const ext_ref_t *refs, size_t n,
                       desc_scope_t *s) {
  sch_proto_elem_t *e = sch__desc_in_alloc(c, sizeof(*e));
  sch_proto_extend_t *x = e ? sch__desc_in_alloc(c, sizeof(*x)) : NULL;
  if (!x || !sch__desc_in_check_type_name(c, refs[0].extendee, "extension") || !sch__desc_in_enter(c)) {
    return false;
  }
  e->kind = SCH_PROTO_ELEM_EXTEND;
  e->u.extend = x;
  x->type = refs[0].extendee;
  s->current = s->n_extends + 1;
  sch_proto_field_t **ft = &x->fields;
  for (size_t i = 0; i < n && sch__desc_in_field(c, fields[refs[i].index], s, false, ft); i++) {
    ft = &(*ft)->next;
  }
  s->current = 0;
  s->extends[s->n_extends++] = e;
  sch__desc_in_leave(c);
  return c->code == SCH_OK;
}

bool sch__desc_in_extends(desc_in_t *c, pbd_field_t *const *fields, size_t n, desc_scope_t *s) {
  if (n == 0) {
    return c->code == SCH_OK;
  }
  ext_ref_t *refs = calloc(n, sizeof(*refs));
  const ext_ref_t **runs = calloc(n, sizeof(*runs));
  size_t n_runs = 0;
  s->extends = sch__desc_in_alloc(c, n * sizeof(*s->extends));
  if (!refs || !runs || !s->extends) {
    sch__desc_in_fail(c, SCH_ERR_NOMEM, "out of memory");
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    refs[i] = (ext_ref_t){fields[i]->extendee ? fields[i]->extendee : "", i};
  }
  qsort(refs, n, sizeof(*refs), cmp_extendee);
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(refs[i].extendee, refs[i - 1].extendee) != 0) {
      runs[n_runs++] = &refs[i];
    }
  }
  qsort(runs, n_runs, sizeof(*runs), cmp_run_start);
  for (size_t r = 0; r < n_runs && c->code == SCH_OK; r++) {
    size_t len = 1;
    while (runs[r] + len < refs + n && strcmp(runs[r][len].extendee, runs[r]->extendee) == 0) {
      len++;
    }
    add_extend(c, fields, runs[r], len, s);
  }
out:
  free(refs);
  free(runs);
  return c->code == SCH_OK;
}

static void append(sch_proto_elem_t ***tail, sch_proto_elem_t *e) {
  e->next = NULL;
  **tail = e;
  *tail = &e->next;
}

bool sch__desc_in_decls(desc_in_t *c, desc_scope_t *s, pbd_enum_t *const *enums, size_t n_enums,
                        sch_proto_elem_t ***tail) {
  for (size_t i = 0; i < s->n_types && c->code == SCH_OK; i++) {
    if (!s->used[i]) {
      sch_proto_elem_t *e = sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_MESSAGE);
      if (e) {
        sch__desc_in_message(c, s->types[i], s->full_name, &e->u.message);
      }
    } else if (s->owner[i] && s->extends[s->owner[i] - 1]) {
      append(tail, s->extends[s->owner[i] - 1]);
      s->extends[s->owner[i] - 1] = NULL; /* printed */
    }
  }
  for (size_t i = 0; i < n_enums && c->code == SCH_OK; i++) {
    sch_proto_elem_t *e = sch__desc_in_elem(c, tail, SCH_PROTO_ELEM_ENUM);
    if (e) {
      sch__desc_in_enum(c, enums[i], &e->u.enm);
    }
  }
  for (size_t i = 0; i < s->n_extends && c->code == SCH_OK; i++) {
    if (s->extends[i]) {
      append(tail, s->extends[i]);
    }
  }
  return c->code == SCH_OK;
}
