// SPDX-License-Identifier: Apache-2.0
/* The normalized text of a Protobuf schema (register/lookup with
 * normalize=true), following Confluent's ProtobufSchemaUtils rules:
 * imports sorted and deduplicated (public ones after plain ones), options
 * sorted by name, reserved and extension ranges split one per statement and
 * sorted, fields sorted by tag, oneofs sorted by their first tag with their
 * members sorted, enum constants sorted by (number, name), message and enum
 * type names fully qualified with a leading dot (map values too), and no
 * `syntax` line for proto2. Messages, enums and services keep their order:
 * message indexes on the wire depend on it. Works on a private re-parse of
 * the canonical text, rewritten in place and printed with sch_proto_print. */
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"
#include "schemas/proto_schema.h"

typedef struct norm {
  const sch_pb_schema_t *pb;
  sch_proto_arena_t *arena;
  bool nomem;
} norm_t;

/* ---- generic linked-list sorting ------------------------------------------ */

typedef int (*cmp_fn)(const void *a, const void *b);

/* Sorts the singly linked list at *head whose next pointer is at next_off,
 * stably (ties keep their order). */
static bool sort_list(void **head, size_t next_off, cmp_fn cmp) {
  size_t n = 0;
  for (void *p = *head; p; p = *(void **)((char *)p + next_off)) n++;
  if (n < 2) return true;
  void **items = malloc(n * sizeof *items);
  if (!items) return false;
  size_t i = 0;
  for (void *p = *head; p; p = *(void **)((char *)p + next_off)) items[i++] = p;
  /* insertion sort: stable, and lists are short */
  for (size_t k = 1; k < n; k++) {
    void *x = items[k];
    size_t j = k;
    while (j > 0 && cmp(items[j - 1], x) > 0) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = x;
  }
  *head = items[0];
  for (i = 0; i + 1 < n; i++) *(void **)((char *)items[i] + next_off) = items[i + 1];
  *(void **)((char *)items[n - 1] + next_off) = NULL;
  free(items);
  return true;
}

#define SORT(headp, type, cmp) sort_list((void **)(headp), offsetof(type, next), cmp)

static int cmp_option(const void *a, const void *b) {
  return strcmp(((const sch_proto_option_t *)a)->name, ((const sch_proto_option_t *)b)->name);
}

static int cmp_import(const void *a, const void *b) {
  const sch_proto_import_t *x = a, *y = b;
  int px = x->kind == SCH_PROTO_IMPORT_PUBLIC, py = y->kind == SCH_PROTO_IMPORT_PUBLIC;
  if (px != py) return px - py;
  return strcmp(x->path, y->path);
}

static int cmp_field(const void *a, const void *b) {
  int32_t x = ((const sch_proto_field_t *)a)->number, y = ((const sch_proto_field_t *)b)->number;
  return (x > y) - (x < y);
}

static int cmp_enum_value(const void *a, const void *b) {
  const sch_proto_enum_value_t *x = a, *y = b;
  if (x->number != y->number) return (x->number > y->number) - (x->number < y->number);
  return strcmp(x->name, y->name);
}

/* ---- elements ------------------------------------------------------------- */

/* Sort key of one element of a message body: which group it goes in and
 * its position inside the group. */
typedef struct elem_key {
  int group;   /* 0 options, 1 reserved, 2 extensions, 3 fields, 4 oneofs, 5 the rest */
  int64_t num; /* tag, range start, or declaration order for the rest */
  const char *text;
} elem_key_t;

static elem_key_t key_of(const sch_proto_elem_t *e, int64_t order) {
  elem_key_t k = {5, order, ""};
  switch (e->kind) {
    case SCH_PROTO_ELEM_OPTION:
      k = (elem_key_t){0, 0, e->u.option->name};
      break;
    case SCH_PROTO_ELEM_RESERVED:
    case SCH_PROTO_ELEM_EXTENSIONS: {
      const sch_proto_reserved_t *r = e->u.reserved;
      k.group = e->kind == SCH_PROTO_ELEM_RESERVED ? 1 : 2;
      k.num = r->ranges ? r->ranges->start : INT64_MAX;
      k.text = r->names ? r->names->name : "";
      break;
    }
    case SCH_PROTO_ELEM_FIELD:
      k = (elem_key_t){3, e->u.field->number, ""};
      break;
    case SCH_PROTO_ELEM_ONEOF:
      k = (elem_key_t){4, e->u.oneof->fields ? e->u.oneof->fields->number : INT64_MAX, ""};
      break;
    default:
      break;
  }
  return k;
}

static int cmp_key(const elem_key_t *x, const elem_key_t *y) {
  if (x->group != y->group) return x->group - y->group;
  if (x->num != y->num) return (x->num > y->num) - (x->num < y->num);
  return strcmp(x->text, y->text);
}

/* Splits every reserved/extensions statement of the list into one statement
 * per range or name (Confluent prints them one per line when normalizing). */
static void split_reserved(norm_t *n, sch_proto_elem_t **head) {
  sch_proto_elem_t *out = NULL, **tail = &out;
  for (sch_proto_elem_t *e = *head, *next; e; e = next) {
    next = e->next;
    e->next = NULL;
    bool splittable = e->kind == SCH_PROTO_ELEM_RESERVED || e->kind == SCH_PROTO_ELEM_EXTENSIONS;
    if (!splittable) {
      *tail = e;
      tail = &e->next;
      continue;
    }
    sch_proto_reserved_t *r = e->u.reserved;
    sch_proto_range_t *g = r->ranges;
    sch_proto_name_t *m = r->names;
    while (g || m) {
      sch_proto_elem_t *ne = sch__proto_arena_alloc(n->arena, sizeof *ne);
      sch_proto_reserved_t *nr = sch__proto_arena_alloc(n->arena, sizeof *nr);
      if (!ne || !nr) {
        n->nomem = true;
        *head = out;
        return;
      }
      *nr = *r;
      nr->ranges = NULL;
      nr->names = NULL;
      if (g) {
        nr->ranges = g;
        g = g->next;
        nr->ranges->next = NULL;
      } else {
        nr->names = m;
        m = m->next;
        nr->names->next = NULL;
      }
      ne->kind = e->kind;
      ne->u.reserved = nr;
      *tail = ne;
      tail = &ne->next;
    }
  }
  *head = out;
}

/* Stable sort of the message body by elem_key_t. */
static bool sort_elems(sch_proto_elem_t **head) {
  size_t count = 0;
  for (sch_proto_elem_t *e = *head; e; e = e->next) count++;
  if (count < 2) return true;
  sch_proto_elem_t **items = malloc(count * sizeof *items);
  elem_key_t *keys = malloc(count * sizeof *keys);
  if (!items || !keys) {
    free(items);
    free(keys);
    return false;
  }
  size_t i = 0;
  for (sch_proto_elem_t *e = *head; e; e = e->next, i++) {
    items[i] = e;
    keys[i] = key_of(e, (int64_t)i);
  }
  for (size_t k = 1; k < count; k++) {
    sch_proto_elem_t *x = items[k];
    elem_key_t kx = keys[k];
    size_t j = k;
    while (j > 0 && cmp_key(&keys[j - 1], &kx) > 0) {
      items[j] = items[j - 1];
      keys[j] = keys[j - 1];
      j--;
    }
    items[j] = x;
    keys[j] = kx;
  }
  *head = items[0];
  for (i = 0; i + 1 < count; i++) items[i]->next = items[i + 1];
  items[count - 1]->next = NULL;
  free(items);
  free(keys);
  return true;
}

/* ---- type names ------------------------------------------------------------ */

static char *join(norm_t *n, const char *scope, const char *name) {
  size_t a = scope ? strlen(scope) : 0, b = strlen(name);
  char *out = sch__proto_arena_alloc(n->arena, a + b + 2);
  if (!out) {
    n->nomem = true;
    return NULL;
  }
  if (a) {
    memcpy(out, scope, a);
    out[a++] = '.';
  }
  memcpy(out + a, name, b + 1);
  return out;
}

/* Replaces the field's message/enum type (map value type for maps) with the
 * resolved full name. Scalars and unresolvable names stay as written. */
static void qualify_field(norm_t *n, const sch_pb_message_t *rm, sch_proto_field_t *f) {
  if (!rm || f->group) return;
  const sch_pb_field_t *rf = sch_pb_field_by_number(rm, f->number);
  if (!rf) return;
  const char *type_name = rf->type_name;
  if (f->map_key && rf->message && rf->message->map_entry) {
    const sch_pb_field_t *value = sch_pb_field_by_number(rf->message, 2);
    type_name = value ? value->type_name : NULL;
  }
  if (!type_name) return;
  char *copy = sch__proto_arena_strndup(n->arena, type_name, strlen(type_name));
  if (!copy) {
    n->nomem = true;
    return;
  }
  f->type = copy;
}

static void norm_options(norm_t *n, sch_proto_option_t **list) {
  if (!SORT(list, sch_proto_option_t, cmp_option)) n->nomem = true;
}

static void norm_enum(norm_t *n, sch_proto_enum_t *e) {
  norm_options(n, &e->options);
  if (!SORT(&e->values, sch_proto_enum_value_t, cmp_enum_value)) n->nomem = true;
  for (sch_proto_enum_value_t *v = e->values; v; v = v->next) norm_options(n, &v->options);
  split_reserved(n, &e->reserved);
  if (!sort_elems(&e->reserved)) n->nomem = true;
}

static void norm_message(norm_t *n, sch_proto_message_t *m, const char *full_name);

static void norm_field(norm_t *n, const sch_pb_message_t *rm, sch_proto_field_t *f, const char *scope) {
  norm_options(n, &f->options);
  qualify_field(n, rm, f);
  if (f->group) norm_message(n, f->group, join(n, scope, f->type));
}

static void norm_message(norm_t *n, sch_proto_message_t *m, const char *full_name) {
  if (!full_name || n->nomem) return;
  const sch_pb_message_t *rm = sch_pb_find_message(n->pb, full_name);
  split_reserved(n, &m->elems);
  for (sch_proto_elem_t *e = m->elems; e; e = e->next) {
    switch (e->kind) {
      case SCH_PROTO_ELEM_OPTION:
        break;
      case SCH_PROTO_ELEM_FIELD:
        norm_field(n, rm, e->u.field, full_name);
        break;
      case SCH_PROTO_ELEM_ONEOF:
        norm_options(n, &e->u.oneof->options);
        if (!SORT(&e->u.oneof->fields, sch_proto_field_t, cmp_field)) n->nomem = true;
        for (sch_proto_field_t *f = e->u.oneof->fields; f; f = f->next) norm_field(n, rm, f, full_name);
        break;
      case SCH_PROTO_ELEM_MESSAGE:
        norm_message(n, e->u.message, join(n, full_name, e->u.message->name));
        break;
      case SCH_PROTO_ELEM_ENUM:
        norm_enum(n, e->u.enm);
        break;
      case SCH_PROTO_ELEM_RESERVED:
      case SCH_PROTO_ELEM_EXTENSIONS:
        norm_options(n, &e->u.reserved->options);
        break;
      default:
        break;
    }
  }
  if (!sort_elems(&m->elems)) n->nomem = true;
}

/* Drops repeated imports (the list is sorted, so repeats are adjacent). */
static void dedupe_imports(sch_proto_file_t *f) {
  for (sch_proto_import_t *i = f->imports; i && i->next;) {
    if (cmp_import(i, i->next) == 0) {
      i->next = i->next->next;
    } else {
      i = i->next;
    }
  }
}

char *sch__proto_normalize(const sch_pb_schema_t *pb, const char *text, size_t len, size_t *out_len,
                           sch_error_t *err) {
  sch_proto_file_t *f = sch_proto_parse(text, len, err);
  if (!f) return NULL;
  norm_t n = {pb, f->arena, false};
  if (!SORT(&f->imports, sch_proto_import_t, cmp_import)) n.nomem = true;
  dedupe_imports(f);
  for (sch_proto_elem_t *e = f->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      norm_options(&n, &e->u.option);
    } else if (e->kind == SCH_PROTO_ELEM_MESSAGE) {
      norm_message(&n, e->u.message, join(&n, f->package, e->u.message->name));
    } else if (e->kind == SCH_PROTO_ELEM_ENUM) {
      norm_enum(&n, e->u.enm);
    }
  }
  /* file options: one statement each, sorted by name, before the types */
  sch_proto_elem_t *opts = NULL, **opt_tail = &opts, *rest = NULL, **rest_tail = &rest;
  for (sch_proto_elem_t *e = f->elems, *next; e; e = next) {
    next = e->next;
    e->next = NULL;
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      *opt_tail = e;
      opt_tail = &e->next;
    } else {
      *rest_tail = e;
      rest_tail = &e->next;
    }
  }
  if (opts && !sort_elems(&opts)) n.nomem = true;
  for (opt_tail = &opts; *opt_tail; opt_tail = &(*opt_tail)->next) {
  }
  *opt_tail = rest;
  f->elems = opts ? opts : rest;
  char *out = NULL;
  if (n.nomem) {
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
  } else {
    if (f->syntax == SCH_PROTO2) f->syntax_written = 0;
    out = sch_proto_print(f, out_len, err);
  }
  sch_proto_file_destroy(f);
  return out;
}
