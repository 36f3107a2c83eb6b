// SPDX-License-Identifier: Apache-2.0
/* Semantic checks of a parsed .proto file that need no imports: field
 * numbers in range and outside protobuf's own 19000-19999 block, duplicate
 * field numbers and names, duplicate enum value names (and numbers without
 * allow_alias), reserved numbers and names not used, proto2 labels, proto3
 * rules (first enum value zero, no required, no defaults, no extension
 * ranges) and legal map key types. Type names are not resolved here. */
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

typedef struct item {
  const char *name;
  int32_t number;
  int line, col;
} item_t;

typedef struct items {
  item_t *v;
  size_t n;
} items_t;

static int cmp_number(const void *a, const void *b) {
  const item_t *x = a, *y = b;
  if (x->number != y->number) {
    return x->number < y->number ? -1 : 1;
  }
  return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

static int cmp_name(const void *a, const void *b) {
  const item_t *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) {
    return c;
  }
  return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

/* Index of the first item whose number >= n (items sorted by number). */
static size_t lower_bound(const items_t *it, int32_t n) {
  size_t lo = 0, hi = it->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (it->v[mid].number < n) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

static const item_t *find_name(const items_t *it, const char *name) {
  item_t key = {.name = name, .line = -1};
  size_t lo = 0, hi = it->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cmp_name(&it->v[mid], &key) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < it->n && strcmp(it->v[lo].name, name) == 0 ? &it->v[lo] : NULL;
}

/* Two views of the same items, sorted once: by number and by name. */
typedef struct sorted {
  items_t by_number, by_name;
} sorted_t;

/* Sorts a copy of `it` into s->by_name (it itself becomes by_number). */
static bool sort_items(proto_parser_t *p, items_t *it, sorted_t *s, int line, int col) {
  s->by_number = *it;
  s->by_name = (items_t){calloc(it->n ? it->n : 1, sizeof(item_t)), it->n};
  if (!s->by_name.v) {
    return sch__proto_fail(p, SCH_ERR_NOMEM, line, col, "out of memory");
  }
  if (it->n) {
    memcpy(s->by_name.v, it->v, it->n * sizeof(item_t));
  }
  qsort(s->by_number.v, it->n, sizeof(item_t), cmp_number);
  qsort(s->by_name.v, it->n, sizeof(item_t), cmp_name);
  return true;
}

/* Fails on the first number (if `numbers`) or name that two items share.
 * `what` names the items ("field", "enum value"), `owner` the message or enum. */
static bool check_unique(proto_parser_t *p, const sorted_t *s, const char *what, const char *owner,
                         bool numbers) {
  const items_t *it = &s->by_number;
  for (size_t i = 1; numbers && i < it->n; i++) {
    if (it->v[i].number == it->v[i - 1].number) {
      return sch__proto_fail(p, SCH_ERR_INVALID, it->v[i].line, it->v[i].col,
                             "%s number %d has already been used in \"%s\" by %s \"%s\"", what,
                             it->v[i].number, owner, what, it->v[i - 1].name);
    }
  }
  it = &s->by_name;
  for (size_t i = 1; i < it->n; i++) {
    if (strcmp(it->v[i].name, it->v[i - 1].name) == 0) {
      return sch__proto_fail(p, SCH_ERR_INVALID, it->v[i].line, it->v[i].col,
                             "%s \"%s\" is already defined in \"%s\"", what, it->v[i].name, owner);
    }
  }
  return true;
}

/* Fails if an item uses a reserved (or extension) number or reserved name. */
static bool check_reserved(proto_parser_t *p, const sorted_t *s, const sch_proto_reserved_t *r,
                           const char *what, const char *owner, const char *how) {
  const items_t *it = &s->by_number;
  for (const sch_proto_range_t *g = r->ranges; g; g = g->next) {
    size_t i = lower_bound(it, g->start);
    if (i < it->n && it->v[i].number <= g->end) {
      return sch__proto_fail(p, SCH_ERR_INVALID, it->v[i].line, it->v[i].col,
                             "%s \"%s\" in \"%s\" uses %s number %d", what, it->v[i].name, owner, how,
                             it->v[i].number);
    }
  }
  for (const sch_proto_name_t *nm = r->names; nm; nm = nm->next) {
    const item_t *hit = find_name(&s->by_name, nm->name);
    if (hit) {
      return sch__proto_fail(p, SCH_ERR_INVALID, hit->line, hit->col,
                             "%s \"%s\" in \"%s\" uses a reserved name", what, hit->name, owner);
    }
  }
  return true;
}

static bool legal_map_key(const char *t) {
  static const char *const keys[] = {"int32",   "int64",   "uint32",   "uint64",   "sint32", "sint64",
                                     "fixed32", "fixed64", "sfixed32", "sfixed64", "bool",   "string"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    if (strcmp(t, keys[i]) == 0) {
      return true;
    }
  }
  return false;
}

static bool has_option(const sch_proto_option_t *o, const char *name, const char *value) {
  for (; o; o = o->next) {
    if (strcmp(o->name, name) == 0 &&
        (!value || (o->value.kind == SCH_PROTO_CONST_IDENT && strcmp(o->value.text, value) == 0))) {
      return true;
    }
  }
  return false;
}

static bool check_message(proto_parser_t *p, const sch_proto_message_t *m);

/* `in_oneof`: no label is required there. `max`: the highest number allowed
 * (extensions of a MessageSet may go up to INT32_MAX; the extendee is not
 * resolved here, so extend blocks get that bound). */
static bool check_field(proto_parser_t *p, const sch_proto_field_t *f, bool in_oneof, int32_t max) {
  bool proto3 = p->file->syntax == SCH_PROTO3;
  if (f->number < 1 || f->number > max) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col, "field \"%s\": number %d out of range 1..%d",
                           f->name, f->number, (int)max);
  }
  if (f->number >= 19000 && f->number <= 19999) {
    return sch__proto_fail(
        p, SCH_ERR_INVALID, f->line, f->col,
        "field \"%s\": numbers 19000 through 19999 are reserved for the protobuf implementation", f->name);
  }
  if (proto3 && f->label == SCH_PROTO_LABEL_REQUIRED) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col,
                           "field \"%s\": required fields are not allowed in proto3", f->name);
  }
  if (proto3 && has_option(f->options, "default", NULL)) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col,
                           "field \"%s\": explicit default values are not allowed in proto3", f->name);
  }
  if (!proto3 && !in_oneof && !f->map_key && f->label == SCH_PROTO_LABEL_NONE) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col,
                           "field \"%s\": expected \"required\", \"optional\", or \"repeated\" in proto2",
                           f->name);
  }
  if (f->map_key && !legal_map_key(f->map_key)) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col,
                           "field \"%s\": map key type \"%s\" must be an integral, bool or string type",
                           f->name, f->map_key);
  }
  return !f->group || check_message(p, f->group);
}

static bool check_enum(proto_parser_t *p, const sch_proto_enum_t *e) {
  if (!e->values) {
    return sch__proto_fail(p, SCH_ERR_INVALID, e->line, e->col, "enum \"%s\" must have at least one value",
                           e->name);
  }
  if (p->file->syntax == SCH_PROTO3 && e->values->number != 0) {
    return sch__proto_fail(p, SCH_ERR_INVALID, e->values->line, e->values->col,
                           "enum \"%s\": the first value must be zero in proto3", e->name);
  }
  size_t n = 0;
  for (const sch_proto_enum_value_t *v = e->values; v; v = v->next) {
    n++;
  }
  items_t it = {calloc(n, sizeof(item_t)), 0};
  if (!it.v) {
    return sch__proto_fail(p, SCH_ERR_NOMEM, e->line, e->col, "out of memory");
  }
  for (const sch_proto_enum_value_t *v = e->values; v; v = v->next) {
    it.v[it.n++] = (item_t){v->name, v->number, v->line, v->col};
  }
  bool alias = has_option(e->options, "allow_alias", "true");
  sorted_t s = {{0}, {0}};
  bool ok = sort_items(p, &it, &s, e->line, e->col) && check_unique(p, &s, "enum value", e->name, !alias);
  for (const sch_proto_elem_t *r = e->reserved; ok && r; r = r->next) {
    ok = check_reserved(p, &s, r->u.reserved, "enum value", e->name, "reserved");
  }
  free(it.v);
  free(s.by_name.v);
  return ok;
}

static bool check_extend(proto_parser_t *p, const sch_proto_extend_t *x) {
  for (const sch_proto_field_t *f = x->fields; f; f = f->next) {
    if (!check_field(p, f, false, INT32_MAX)) {
      return false;
    }
  }
  return true;
}

/* Fields of m (oneof members included) into it; it->v sized by the caller. */
static size_t collect_fields(const sch_proto_message_t *m, item_t *v) {
  size_t n = 0;
  for (const sch_proto_elem_t *e = m->elems; e; e = e->next) {
    const sch_proto_field_t *f = e->kind == SCH_PROTO_ELEM_FIELD   ? e->u.field
                                 : e->kind == SCH_PROTO_ELEM_ONEOF ? e->u.oneof->fields
                                                                   : NULL;
    for (; f; f = e->kind == SCH_PROTO_ELEM_FIELD ? NULL : f->next) {
      if (v) {
        v[n] = (item_t){f->name, f->number, f->line, f->col};
      }
      n++;
    }
  }
  return n;
}

static bool check_elem(proto_parser_t *p, const sch_proto_message_t *m, const sch_proto_elem_t *e,
                       const sorted_t *s) {
  switch (e->kind) {
    case SCH_PROTO_ELEM_FIELD:
      return check_field(p, e->u.field, false, SCH_PROTO_MAX_TAG);
    case SCH_PROTO_ELEM_ONEOF:
      for (const sch_proto_field_t *f = e->u.oneof->fields; f; f = f->next) {
        if (!check_field(p, f, true, SCH_PROTO_MAX_TAG)) {
          return false;
        }
      }
      return true;
    case SCH_PROTO_ELEM_MESSAGE:
      return check_message(p, e->u.message);
    case SCH_PROTO_ELEM_ENUM:
      return check_enum(p, e->u.enm);
    case SCH_PROTO_ELEM_EXTEND:
      return check_extend(p, e->u.extend);
    case SCH_PROTO_ELEM_RESERVED:
      return check_reserved(p, s, e->u.reserved, "field", m->name, "reserved");
    case SCH_PROTO_ELEM_EXTENSIONS:
      if (p->file->syntax == SCH_PROTO3) {
        return sch__proto_fail(p, SCH_ERR_INVALID, e->u.reserved->line, e->u.reserved->col,
                               "message \"%s\": extension ranges are not allowed in proto3", m->name);
      }
      return check_reserved(p, s, e->u.reserved, "field", m->name, "extension range");
    default:
      return true;
  }
}

static bool check_message(proto_parser_t *p, const sch_proto_message_t *m) {
  size_t n = collect_fields(m, NULL);
  items_t it = {calloc(n ? n : 1, sizeof(item_t)), n};
  if (!it.v) {
    return sch__proto_fail(p, SCH_ERR_NOMEM, m->line, m->col, "out of memory");
  }
  collect_fields(m, it.v);
  sorted_t s = {{0}, {0}};
  bool ok = sort_items(p, &it, &s, m->line, m->col);
  for (const sch_proto_elem_t *e = m->elems; ok && e; e = e->next) {
    ok = check_elem(p, m, e, &s);
  }
  ok = ok && check_unique(p, &s, "field", m->name, true);
  free(it.v);
  free(s.by_name.v);
  return ok;
}

bool sch__proto_check_file(proto_parser_t *p) {
  for (const sch_proto_elem_t *e = p->file->elems; e; e = e->next) {
    bool ok = e->kind == SCH_PROTO_ELEM_MESSAGE  ? check_message(p, e->u.message)
              : e->kind == SCH_PROTO_ELEM_ENUM   ? check_enum(p, e->u.enm)
              : e->kind == SCH_PROTO_ELEM_EXTEND ? check_extend(p, e->u.extend)
                                                 : true;
    if (!ok) {
      return false;
    }
  }
  return true;
}
