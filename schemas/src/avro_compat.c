// SPDX-License-Identifier: Apache-2.0
/* Avro reader/writer compatibility, as Apache Avro's
 * SchemaCompatibility.checkReaderWriterCompatibility computes it and Confluent
 * words it (avro/Difference.java): a memoized recursion over (reader, writer)
 * node pairs where a pair already on the stack counts as compatible, every
 * incompatibility collected with its JSON-pointer location. Which versions are
 * compared under which level is sch_compat.c's business. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_int.h"

typedef enum {
  INC_NAME_MISMATCH,
  INC_FIXED_SIZE_MISMATCH,
  INC_MISSING_ENUM_SYMBOLS,
  INC_READER_FIELD_MISSING_DEFAULT_VALUE,
  INC_TYPE_MISMATCH,
  INC_MISSING_UNION_BRANCH,
} inc_type_t;

typedef struct incompat {
  inc_type_t type;
  char *location;
  char *message;
} incompat_t;

/* A result: indexes into checker.inc; empty = compatible. */
typedef struct result {
  size_t *v;
  size_t n, cap;
} result_t;

typedef struct memo {
  const sch_avro_node_t *r, *w;
  bool done;
  result_t res;
} memo_t;

typedef struct token {
  const char *s; /* NULL: use num */
  size_t num;
} token_t;

typedef struct checker {
  incompat_t *inc;
  size_t n_inc, cap_inc;
  memo_t *memo; /* open addressing, cap_memo is a power of two */
  size_t n_memo, cap_memo;
  token_t *loc;
  size_t n_loc, cap_loc;
  bool oom;
  char *exception; /* Java threw: the whole check fails with this text */
} checker_t;

static result_t get_compat(checker_t *c, token_t tok, const sch_avro_node_t *r, const sch_avro_node_t *w);

static bool grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) {
    return true;
  }
  size_t n = *cap ? *cap * 2 : 8;
  while (n < need) {
    n *= 2;
  }
  void *q = realloc(*p, n * size);
  if (!q) {
    return false;
  }
  *p = q;
  *cap = n;
  return true;
}

static void merge(checker_t *c, result_t *into, result_t *from) {
  if (from->n == 0) {
    /* nothing to add */
  } else if (!grow((void **)&into->v, &into->cap, into->n + from->n, sizeof *into->v)) {
    c->oom = true;
  } else {
    memcpy(into->v + into->n, from->v, from->n * sizeof *from->v);
    into->n += from->n;
  }
  free(from->v);
  *from = (result_t){0};
}

static result_t copy_result(checker_t *c, const result_t *r) {
  result_t out = {0};
  result_t tmp = {.v = r->n ? malloc(r->n * sizeof *r->v) : NULL, .n = r->n, .cap = r->n};
  if (r->n && !tmp.v) {
    c->oom = true;
    return out;
  }
  if (r->n) {
    memcpy(tmp.v, r->v, r->n * sizeof *r->v);
  }
  return tmp;
}

static void push(checker_t *c, token_t t) {
  if (!grow((void **)&c->loc, &c->cap_loc, c->n_loc + 1, sizeof *c->loc)) {
    c->oom = true;
    return;
  }
  c->loc[c->n_loc++] = t;
}

static void pop(checker_t *c) {
  if (c->n_loc) {
    c->n_loc--;
  }
}

static token_t tok(const char *s) { return (token_t){.s = s}; }
static token_t tok_num(size_t n) { return (token_t){.num = n}; }

/* Java's Incompatibility.getLocation: "/" joined tokens, root dropped. */
static char *location_text(const checker_t *c) {
  sch_buf_t b = {0};
  sch__buf_putc(&b, '/');
  for (size_t i = 1; i < c->n_loc; i++) {
    if (i > 1) {
      sch__buf_putc(&b, '/');
    }
    if (c->loc[i].s) {
      sch__buf_puts(&b, c->loc[i].s);
    } else {
      sch__buf_printf(&b, "%zu", c->loc[i].num);
    }
  }
  return sch__buf_take(&b, NULL);
}

static result_t incompatible(checker_t *c, inc_type_t type, char *message) {
  result_t r = {0};
  char *loc = location_text(c);
  if (!message || !loc || !grow((void **)&c->inc, &c->cap_inc, c->n_inc + 1, sizeof *c->inc) ||
      !grow((void **)&r.v, &r.cap, 1, sizeof *r.v)) {
    free(message);
    free(loc);
    c->oom = true;
    return r;
  }
  c->inc[c->n_inc] = (incompat_t){type, loc, message};
  r.v[r.n++] = c->n_inc++;
  return r;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0) {
    s = NULL;
  }
  va_end(ap);
  return s;
}

/* The public getCompatibility(reader, writer): a fresh location stack. */
static result_t get_compat_fresh(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  token_t *saved = c->loc;
  size_t n = c->n_loc, cap = c->cap_loc;
  c->loc = NULL;
  c->n_loc = c->cap_loc = 0;
  result_t res = get_compat(c, tok(""), r, w);
  free(c->loc);
  c->loc = saved;
  c->n_loc = n;
  c->cap_loc = cap;
  return res;
}

static bool name_equals(const sch_avro_node_t *r, const sch_avro_node_t *w) {
  if (strcmp(r->name.name, w->name.name) == 0) {
    return true;
  }
  for (size_t i = 0; i < r->n_aliases; i++) {
    const sch_avro_name_t *a = &r->aliases[i];
    if (!a->space && r->name.space) {
      if (w->name.full[0] == '.' && strcmp(w->name.full + 1, a->name) == 0) {
        return true;
      }
    } else if (strcmp(a->full, w->name.full) == 0) {
      return true;
    }
  }
  return false;
}

static result_t check_names(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  push(c, tok("name"));
  if (!name_equals(r, w)) {
    res = incompatible(c, INC_NAME_MISMATCH, fmt("expected: %s", w->name.full));
  }
  pop(c);
  return res;
}

static result_t check_size(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  push(c, tok("size"));
  if (r->size != w->size) {
    res = incompatible(c, INC_FIXED_SIZE_MISMATCH, fmt("expected: %d, found: %d", w->size, r->size));
  }
  pop(c);
  return res;
}

static bool has_symbol(const sch_avro_node_t *e, const char *s) {
  for (size_t i = 0; i < e->n_symbols; i++) {
    if (strcmp(e->symbols[i], s) == 0) {
      return true;
    }
  }
  return false;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Java prints the missing symbols as a sorted set: "[A, B]". */
static char *missing_symbols(const sch_avro_node_t *r, const sch_avro_node_t *w, size_t *count) {
  const char **miss = malloc((w->n_symbols + 1) * sizeof *miss);
  if (!miss) {
    return NULL;
  }
  size_t n = 0;
  for (size_t i = 0; i < w->n_symbols; i++) {
    if (!has_symbol(r, w->symbols[i])) {
      miss[n++] = w->symbols[i];
    }
  }
  qsort(miss, n, sizeof *miss, cmp_str);
  sch_buf_t b = {0};
  sch__buf_putc(&b, '[');
  for (size_t i = 0; i < n; i++) {
    sch__buf_puts(&b, i ? ", " : "");
    sch__buf_puts(&b, miss[i]);
  }
  sch__buf_putc(&b, ']');
  free(miss);
  *count = n;
  return sch__buf_take(&b, NULL);
}

static result_t check_symbols(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  push(c, tok("symbols"));
  size_t n = 0;
  char *text = missing_symbols(r, w, &n);
  if (!text) {
    c->oom = true;
  } else if (n && !r->enum_default) {
    res = incompatible(c, INC_MISSING_ENUM_SYMBOLS, text);
    text = NULL;
  }
  free(text);
  pop(c);
  return res;
}

static const sch_avro_field_t *field_named(const sch_avro_node_t *rec, const char *name) {
  for (size_t i = 0; i < rec->n_fields; i++) {
    if (strcmp(rec->fields[i].name, name) == 0) {
      return &rec->fields[i];
    }
  }
  return NULL;
}

/* Java's lookupWriterField: by name, then by each reader alias; more than
 * one match throws, which Confluent reports as an unexpected exception. */
static const sch_avro_field_t *lookup_writer_field(checker_t *c, const sch_avro_node_t *w, const sch_avro_field_t *rf) {
  const sch_avro_field_t *found = field_named(w, rf->name);
  size_t matches = found ? 1 : 0;
  for (size_t i = 0; i < rf->n_aliases; i++) {
    const sch_avro_field_t *f = field_named(w, rf->aliases[i]);
    if (f) {
      found = f;
      matches++;
    }
  }
  if (matches > 1 && !c->exception) {
    c->exception = fmt("Reader record field %s matches multiple fields in writer record schema %s", rf->name,
                       w->name.full);
    c->oom = c->oom || !c->exception;
  }
  return found;
}

static result_t check_field(checker_t *c, const sch_avro_field_t *rf, const sch_avro_node_t *w) {
  const sch_avro_field_t *wf = lookup_writer_field(c, w, rf);
  if (wf) {
    return get_compat(c, tok("type"), rf->type, wf->type);
  }
  if (rf->deflt) {
    return (result_t){0};
  }
  if (rf->type->kind == SCH_AVRO_ENUM && rf->type->enum_default) {
    return get_compat(c, tok("type"), rf->type, w);
  }
  return incompatible(c, INC_READER_FIELD_MISSING_DEFAULT_VALUE, fmt("%s", rf->name));
}

static result_t check_fields(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  push(c, tok("fields"));
  for (size_t i = 0; i < r->n_fields && !c->exception; i++) {
    push(c, tok_num(i));
    result_t one = check_field(c, &r->fields[i], w);
    merge(c, &res, &one);
    pop(c);
  }
  pop(c);
  return res;
}

static result_t same_kind_union(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  for (size_t i = 0; i < w->n_branches; i++) {
    push(c, tok_num(i));
    result_t sub = get_compat_fresh(c, r, w->branches[i]);
    if (sub.n) {
      result_t one = incompatible(c, INC_MISSING_UNION_BRANCH,
                                  fmt("reader union lacking writer type: %s", avro__kind_upper(w->branches[i]->kind)));
      merge(c, &res, &one);
    }
    free(sub.v);
    pop(c);
  }
  return res;
}

static result_t same_kind(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0}, more = {0};
  switch (r->kind) {
  case SCH_AVRO_ARRAY:
    return get_compat(c, tok("items"), r->child, w->child);
  case SCH_AVRO_MAP:
    return get_compat(c, tok("values"), r->child, w->child);
  case SCH_AVRO_FIXED:
    res = check_names(c, r, w);
    more = check_size(c, r, w);
    break;
  case SCH_AVRO_ENUM:
    res = check_names(c, r, w);
    more = check_symbols(c, r, w);
    break;
  case SCH_AVRO_RECORD:
    res = check_names(c, r, w);
    more = check_fields(c, r, w);
    break;
  case SCH_AVRO_UNION:
    return same_kind_union(c, r, w);
  default:
    return res;
  }
  merge(c, &res, &more);
  return res;
}

static bool promotes(sch_avro_kind_t r, sch_avro_kind_t w) {
  switch (r) {
  case SCH_AVRO_LONG: return w == SCH_AVRO_INT;
  case SCH_AVRO_FLOAT: return w == SCH_AVRO_INT || w == SCH_AVRO_LONG;
  case SCH_AVRO_DOUBLE: return w == SCH_AVRO_INT || w == SCH_AVRO_LONG || w == SCH_AVRO_FLOAT;
  case SCH_AVRO_BYTES: return w == SCH_AVRO_STRING;
  case SCH_AVRO_STRING: return w == SCH_AVRO_BYTES;
  default: return false;
  }
}

static result_t reader_union(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  for (size_t i = 0; i < r->n_branches; i++) {
    result_t sub = get_compat_fresh(c, r->branches[i], w);
    bool ok = sub.n == 0;
    free(sub.v);
    if (ok) {
      return (result_t){0};
    }
  }
  return incompatible(c, INC_MISSING_UNION_BRANCH, fmt("reader union lacking writer type: %s", avro__kind_upper(w->kind)));
}

static result_t other_kind(checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  result_t res = {0};
  if (w->kind == SCH_AVRO_UNION) {
    for (size_t i = 0; i < w->n_branches; i++) {
      result_t one = get_compat(c, tok_num(i), r, w->branches[i]);
      merge(c, &res, &one);
    }
    return res;
  }
  if (r->kind == SCH_AVRO_UNION) {
    return reader_union(c, r, w);
  }
  if (promotes(r->kind, w->kind)) {
    return res;
  }
  return incompatible(c, INC_TYPE_MISMATCH, fmt("reader type: %s not compatible with writer type: %s",
                                                 avro__kind_upper(r->kind), avro__kind_upper(w->kind)));
}

static size_t memo_slot(const checker_t *c, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  size_t h = ((size_t)(uintptr_t)r * 31u) ^ ((size_t)(uintptr_t)w * 17u);
  h ^= h >> 7;
  size_t i = h & (c->cap_memo - 1);
  while (c->memo[i].r && (c->memo[i].r != r || c->memo[i].w != w)) {
    i = (i + 1) & (c->cap_memo - 1);
  }
  return i;
}

static bool memo_grow(checker_t *c) {
  if ((c->n_memo + 1) * 2 <= c->cap_memo) {
    return true;
  }
  checker_t bigger = {.cap_memo = c->cap_memo ? c->cap_memo * 2 : 64};
  bigger.memo = calloc(bigger.cap_memo, sizeof *bigger.memo);
  if (!bigger.memo) {
    return false;
  }
  for (size_t i = 0; i < c->cap_memo; i++) {
    if (c->memo[i].r) {
      bigger.memo[memo_slot(&bigger, c->memo[i].r, c->memo[i].w)] = c->memo[i];
    }
  }
  free(c->memo);
  c->memo = bigger.memo;
  c->cap_memo = bigger.cap_memo;
  return true;
}

static result_t get_compat(checker_t *c, token_t t, const sch_avro_node_t *r, const sch_avro_node_t *w) {
  if (c->oom || c->exception || !memo_grow(c)) {
    c->oom = c->oom || !c->exception;
    return (result_t){0};
  }
  push(c, t);
  size_t slot = memo_slot(c, r, w);
  result_t res = {0};
  if (c->memo[slot].r) {
    if (c->memo[slot].done) {
      res = copy_result(c, &c->memo[slot].res);
    }
  } else {
    c->memo[slot] = (memo_t){.r = r, .w = w};
    c->n_memo++;
    res = r->kind == w->kind ? same_kind(c, r, w) : other_kind(c, r, w);
    slot = memo_slot(c, r, w); /* the table may have grown */
    c->memo[slot].done = true;
    c->memo[slot].res = copy_result(c, &res);
  }
  pop(c);
  return res;
}

static const char *describe(const incompat_t *inc) {
  switch (inc->type) {
  case INC_FIXED_SIZE_MISMATCH:
    return "The size of FIXED type field at path '%1$s' in the %3$s schema does not match with the %4$s schema%2$.0s";
  case INC_TYPE_MISMATCH:
    return "The type (path '%1$s') of a field in the %3$s schema does not match with the %4$s schema%2$.0s";
  case INC_NAME_MISMATCH:
    return "The name of the schema has changed (path '%1$s')%2$.0s%3$.0s%4$.0s";
  case INC_MISSING_ENUM_SYMBOLS:
    return "The %3$s schema is missing enum symbols '%2$s' at path '%1$s' in the %4$s schema";
  case INC_MISSING_UNION_BRANCH:
    return "The %3$s schema is missing a type inside a union field at path '%1$s' in the %4$s schema%2$.0s";
  case INC_READER_FIELD_MISSING_DEFAULT_VALUE:
    return "The field '%2$s' at path '%1$s' in the %3$s schema has no default value and is missing in the %4$s "
           "schema";
  }
  return "";
}

static const char *const inc_names[] = {
    "NAME_MISMATCH", "FIXED_SIZE_MISMATCH", "MISSING_ENUM_SYMBOLS", "READER_FIELD_MISSING_DEFAULT_VALUE",
    "TYPE_MISMATCH", "MISSING_UNION_BRANCH",
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static sch_code_t render(const incompat_t *inc, const sch_compat_pair_t *pair, sch_messages_t *msgs) {
  char *desc = NULL;
  if (asprintf(&desc, describe(inc), inc->location, inc->message, pair->reader_role, pair->writer_role) < 0) {
    return SCH_ERR_NOMEM;
  }
  sch_code_t code = sch_messages_addf(msgs, "{errorType:'%s', description:'%s', additionalInfo:'%s'}",
                                      inc_names[inc->type], desc, inc->message);
  free(desc);
  return code;
}
#pragma GCC diagnostic pop

static sch_code_t report(const checker_t *c, const result_t *res, const sch_compat_pair_t *pair,
                         sch_messages_t *msgs) {
  if (c->exception) {
    return sch_messages_addf(msgs, "Unexpected exception during compatibility check: %s", c->exception);
  }
  for (size_t i = 0; i < res->n; i++) {
    sch_code_t code = render(&c->inc[res->v[i]], pair, msgs);
    if (code != SCH_OK) {
      return code;
    }
  }
  return SCH_OK;
}

static void checker_fini(checker_t *c) {
  for (size_t i = 0; i < c->n_inc; i++) {
    free(c->inc[i].location);
    free(c->inc[i].message);
  }
  for (size_t i = 0; i < c->cap_memo; i++) {
    free(c->memo[i].res.v);
  }
  free(c->inc);
  free(c->memo);
  free(c->loc);
  free(c->exception);
}

sch_code_t avro__can_read_pair(const sch_compat_pair_t *pair, bool *compatible, sch_messages_t *msgs,
                               sch_error_t *err) {
  const avro_schema_t *r = (const avro_schema_t *)pair->reader;
  const avro_schema_t *w = (const avro_schema_t *)pair->writer;
  checker_t c = {0};
  result_t res = get_compat(&c, tok(""), r->root, w->root);
  sch_code_t code = SCH_OK;
  if (c.oom) {
    code = sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
  } else {
    *compatible = res.n == 0 && !c.exception;
    if (msgs) {
      code = report(&c, &res, pair, msgs);
      if (code != SCH_OK) {
        sch__error_set(err, code, "out of memory");
      }
    }
  }
  free(res.v);
  checker_fini(&c);
  return code;
}

sch_code_t avro__can_read(const sch_schema_t *reader, const sch_schema_t *writer, bool *compatible,
                          sch_messages_t *msgs, sch_error_t *err) {
  sch_compat_pair_t pair = {reader, writer, "new", "old"};
  return avro__can_read_pair(&pair, compatible, msgs, err);
}
