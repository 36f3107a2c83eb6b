// SPDX-License-Identifier: Apache-2.0
/* Compiles an Avro resolution program: for a (writer, reader) pair of schema
 * model trees, the small tree of serde_avro_pnode_t ops that avro_decode.c
 * runs to read writer bytes into a reader value, following the Avro 1.11
 * spec's "Schema Resolution" and, where the spec is silent, Java's Resolver
 * (union branch choice, records not name-checked outside unions). Reader
 * defaults are pre-encoded to Avro binary here, so decoding never touches
 * JSON. This file decodes nothing and owns no avro-c values. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "avro_program.h"

/* Compile recursion guard: named types may reference each other in chains
 * far deeper than one schema's nesting; each level costs a few stack frames. */
#define COMPILE_MAX_DEPTH 1000

typedef struct memo_entry {
  const sch_avro_node_t *w;
  const sch_avro_node_t *r;
  serde_avro_pnode_t *node;
} memo_entry_t;

typedef struct cctx {
  serde_avro_program_t *prog;
  memo_entry_t *memo; /* open addressing on (w, r), named pairs only */
  size_t memo_cap;
  size_t memo_len;
  serde_error_t err; /* the latest incompatibility */
  bool nomem;
  int depth;
  char path[512]; /* field path of the pair being compiled: "a.b[]" */
  size_t path_len;
} cctx_t;

static serde_avro_pnode_t *compile(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r);

/* ---- arena, memo, messages ------------------------------------------------ */

static void *prog_alloc(cctx_t *c, size_t n) {
  serde_avro_program_t *p = c->prog;
  if (p->n_allocs == p->cap_allocs) {
    size_t cap = p->cap_allocs ? p->cap_allocs * 2 : 16;
    void **a = serde__realloc(p->allocs, cap * sizeof *a);
    if (!a) {
      c->nomem = true;
      return NULL;
    }
    p->allocs = a;
    p->cap_allocs = cap;
  }
  void *mem = serde__calloc(1, n);
  if (!mem) {
    c->nomem = true;
    return NULL;
  }
  p->allocs[p->n_allocs++] = mem;
  return mem;
}

static serde_avro_pnode_t *node_new(cctx_t *c, serde_avro_op_t op, const sch_avro_node_t *w) {
  serde_avro_pnode_t *n = prog_alloc(c, sizeof *n);
  if (n) {
    n->op = op;
    n->w = w;
  }
  return n;
}

static size_t memo_slot(const cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  uint64_t h = (uint64_t)(uintptr_t)w * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)r * 0xc2b2ae3d27d4eb4fu;
  size_t i = (size_t)(h ^ (h >> 29)) & (c->memo_cap - 1);
  while (c->memo[i].node && (c->memo[i].w != w || c->memo[i].r != r)) {
    i = (i + 1) & (c->memo_cap - 1);
  }
  return i;
}

static serde_avro_pnode_t *memo_get(const cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  return c->memo_cap ? c->memo[memo_slot(c, w, r)].node : NULL;
}

static bool memo_put(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r,
                     serde_avro_pnode_t *node) {
  if (2 * (c->memo_len + 1) > c->memo_cap) {
    size_t cap = c->memo_cap ? c->memo_cap * 2 : 64;
    memo_entry_t *old = c->memo;
    size_t old_cap = c->memo_cap;
    c->memo = serde__calloc(cap, sizeof *c->memo);
    if (!c->memo) {
      c->memo = old;
      c->nomem = true;
      return false;
    }
    c->memo_cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
      if (old[i].node) {
        c->memo[memo_slot(c, old[i].w, old[i].r)] = old[i];
      }
    }
    free(old);
  }
  c->memo[memo_slot(c, w, r)] = (memo_entry_t){w, r, node};
  c->memo_len++;
  return true;
}

/* Records an incompatibility at the current path; always returns NULL. */
__attribute__((format(printf, 2, 3))) static serde_avro_pnode_t *incompatible(cctx_t *c, const char *fmt,
                                                                              ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (c->path_len) {
    serde__fail(&c->err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "field \"%s\": %s", c->path, msg);
  } else {
    serde__fail(&c->err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "%s", msg);
  }
  return NULL;
}

static char *prog_strdup(cctx_t *c, const char *s) {
  size_t n = strlen(s);
  char *d = prog_alloc(c, n + 1);
  if (d) {
    memcpy(d, s, n + 1);
  }
  return d;
}

/* A FAIL op carrying the latest incompatibility: a union branch that cannot
 * be read fails only if the data selects it. */
static serde_avro_pnode_t *fail_node(cctx_t *c, const sch_avro_node_t *w) {
  serde_avro_pnode_t *n = node_new(c, SERDE_AVRO_OP_FAIL, w);
  if (n && !(n->msg = prog_strdup(c, c->err.message))) {
    return NULL;
  }
  return n;
}

/* Appends a path segment; returns the length to restore. */
static size_t path_push(cctx_t *c, const char *sep, const char *seg) {
  size_t old = c->path_len;
  int n = snprintf(c->path + old, sizeof c->path - old, "%s%s", old ? sep : "", seg);
  c->path_len = n < 0 || (size_t)n >= sizeof c->path - old ? sizeof c->path - 1 : old + (size_t)n;
  return old;
}

static void path_pop(cctx_t *c, size_t old) {
  c->path_len = old;
  c->path[old] = '\0';
}

/* ---- type matching ---------------------------------------------------------- */

/* Named types match by unqualified name or by a reader alias naming the
 * writer's full name (Java's SchemaCompatibility.schemaNameEquals). */
static bool names_match(const sch_avro_node_t *w, const sch_avro_node_t *r) {
  if (w->name.name && r->name.name && strcmp(w->name.name, r->name.name) == 0) {
    return true;
  }
  for (size_t i = 0; w->name.full && i < r->n_aliases; i++) {
    if (r->aliases[i].full && strcmp(r->aliases[i].full, w->name.full) == 0) {
      return true;
    }
  }
  return false;
}

static bool full_names_equal(const sch_avro_node_t *w, const sch_avro_node_t *r) {
  if (w->name.full && r->name.full && strcmp(w->name.full, r->name.full) == 0) {
    return true;
  }
  for (size_t i = 0; w->name.full && i < r->n_aliases; i++) {
    if (r->aliases[i].full && strcmp(r->aliases[i].full, w->name.full) == 0) {
      return true;
    }
  }
  return false;
}

static bool promotion(sch_avro_kind_t w, sch_avro_kind_t r, serde_avro_op_t *op) {
  static const struct {
    sch_avro_kind_t w, r;
    serde_avro_op_t op;
  } table[] = {
      {SCH_AVRO_INT, SCH_AVRO_LONG, SERDE_AVRO_OP_INT_LONG},
      {SCH_AVRO_INT, SCH_AVRO_FLOAT, SERDE_AVRO_OP_INT_FLOAT},
      {SCH_AVRO_INT, SCH_AVRO_DOUBLE, SERDE_AVRO_OP_INT_DOUBLE},
      {SCH_AVRO_LONG, SCH_AVRO_FLOAT, SERDE_AVRO_OP_LONG_FLOAT},
      {SCH_AVRO_LONG, SCH_AVRO_DOUBLE, SERDE_AVRO_OP_LONG_DOUBLE},
      {SCH_AVRO_FLOAT, SCH_AVRO_DOUBLE, SERDE_AVRO_OP_FLOAT_DOUBLE},
      {SCH_AVRO_STRING, SCH_AVRO_BYTES, SERDE_AVRO_OP_STRING_BYTES},
      {SCH_AVRO_BYTES, SCH_AVRO_STRING, SERDE_AVRO_OP_BYTES_STRING},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (table[i].w == w && table[i].r == r) {
      *op = table[i].op;
      return true;
    }
  }
  return false;
}

/* Java's ReaderUnion.firstMatchingBranch: the first branch of the same
 * unnamed kind or with the same full name; else the first record branch the
 * writer record resolves against (one with the same short name preferred);
 * else (weir's addition, per the spec) an enum or fixed branch of the same
 * unqualified name; else the first branch reachable by promotion. -1 = none. */
static int match_branch(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  int structure = -1;
  for (size_t j = 0; j < r->n_branches; j++) {
    const sch_avro_node_t *b = r->branches[j];
    if (b->kind != w->kind) {
      continue;
    }
    if (!sch_avro_is_named(w->kind) || full_names_equal(w, b)) {
      return (int)j;
    }
    if (w->kind == SCH_AVRO_RECORD && (structure < 0 || names_match(w, b))) {
      serde_error_t saved = c->err;
      if (compile(c, w, b)) {
        structure = (int)j;
      }
      c->err = saved;
      if (c->nomem) {
        return -1;
      }
    }
  }
  if (structure >= 0) {
    return structure;
  }
  for (size_t j = 0; j < r->n_branches; j++) {
    const sch_avro_node_t *b = r->branches[j];
    if (b->kind == w->kind && w->kind != SCH_AVRO_RECORD && names_match(w, b)) {
      return (int)j;
    }
  }
  serde_avro_op_t op;
  for (size_t j = 0; j < r->n_branches; j++) {
    if (promotion(w->kind, r->branches[j]->kind, &op)) {
      return (int)j;
    }
  }
  return -1;
}

/* Whether a datum of writer type n can encode to zero bytes (null, fixed(0),
 * records of those): such array elements are bounded by max_items only. */
static bool may_be_empty(const sch_avro_node_t *n, int depth) {
  if (depth > 64) {
    return true;
  }
  switch (n->kind) {
    case SCH_AVRO_NULL:
      return true;
    case SCH_AVRO_FIXED:
      return n->size == 0;
    case SCH_AVRO_RECORD:
      for (size_t i = 0; i < n->n_fields; i++) {
        if (!may_be_empty(n->fields[i].type, depth + 1)) {
          return false;
        }
      }
      return true;
    default:
      return false;
  }
}

/* ---- per-kind compilers -------------------------------------------------------- */

static serde_avro_pnode_t *compile_enum(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  if (!names_match(w, r)) {
    return incompatible(c, "writer enum %s cannot be read as enum %s", w->name.full, r->name.full);
  }
  serde_avro_pnode_t *n = node_new(c, SERDE_AVRO_OP_ENUM, w);
  int *map = n ? prog_alloc(c, (w->n_symbols ? w->n_symbols : 1) * sizeof *map) : NULL;
  if (!map) {
    return NULL;
  }
  int deflt = -1;
  for (size_t j = 0; r->enum_default && j < r->n_symbols; j++) {
    if (strcmp(r->symbols[j], r->enum_default) == 0) {
      deflt = (int)j;
    }
  }
  for (size_t i = 0; i < w->n_symbols; i++) {
    map[i] = deflt;
    for (size_t j = 0; j < r->n_symbols; j++) {
      if (strcmp(w->symbols[i], r->symbols[j]) == 0) {
        map[i] = (int)j;
        break;
      }
    }
  }
  n->n = w->n_symbols;
  n->symbols = map;
  return n;
}

static serde_avro_pnode_t *compile_fixed(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  if (!names_match(w, r)) {
    return incompatible(c, "writer fixed %s cannot be read as fixed %s", w->name.full, r->name.full);
  }
  if (w->size != r->size || w->size < 0) {
    return incompatible(c, "writer fixed %s has size %d, reader fixed %s size %d", w->name.full, w->size,
                        r->name.full, r->size);
  }
  serde_avro_pnode_t *n = node_new(c, SERDE_AVRO_OP_FIXED, w);
  if (n) {
    n->n = (size_t)w->size;
  }
  return n;
}

static serde_avro_pnode_t *compile_container(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  bool array = w->kind == SCH_AVRO_ARRAY;
  serde_avro_pnode_t *n = node_new(c, array ? SERDE_AVRO_OP_ARRAY : SERDE_AVRO_OP_MAP, w);
  if (!n) {
    return NULL;
  }
  size_t old = path_push(c, "", array ? "[]" : "{}");
  n->child = compile(c, w->child, r->child);
  path_pop(c, old);
  n->elem_may_be_empty = may_be_empty(w->child, 0);
  return n->child ? n : NULL;
}

/* Reader field index for each writer field (-1 = writer only): exact names
 * first, then reader field aliases for the reader fields still free. */
static void match_fields(const sch_avro_node_t *w, const sch_avro_node_t *r, long *wmatch, bool *rtaken) {
  for (size_t i = 0; i < w->n_fields; i++) {
    wmatch[i] = -1;
    for (size_t j = 0; j < r->n_fields; j++) {
      if (!rtaken[j] && strcmp(w->fields[i].name, r->fields[j].name) == 0) {
        wmatch[i] = (long)j;
        rtaken[j] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < w->n_fields; i++) {
    for (size_t j = 0; wmatch[i] < 0 && j < r->n_fields; j++) {
      for (size_t a = 0; !rtaken[j] && a < r->fields[j].n_aliases; a++) {
        if (strcmp(w->fields[i].name, r->fields[j].aliases[a]) == 0) {
          wmatch[i] = (long)j;
          rtaken[j] = true;
        }
      }
    }
  }
}

/* A reader-only field: its default, pre-encoded, read by the reader's own
 * (identity) program. */
static bool compile_default(cctx_t *c, const sch_avro_field_t *rf, serde_avro_step_t *step) {
  if (!rf->deflt) {
    incompatible(c, "reader field \"%s\" is missing from the writer and has no default", rf->name);
    return false;
  }
  serde_buf_t bin = {0};
  serde_error_t e;
  serde_code_t code = serde__avro_json_to_binary(rf->type, rf->deflt, SERDE_AVRO_JSON_DEFAULT, &bin, &e);
  if (code != SERDE_OK) {
    serde_buf_fini(&bin);
    if (code == SERDE_ERR_NOMEM) {
      c->nomem = true;
    } else {
      incompatible(c, "reader field \"%s\": invalid default: %s", rf->name, e.message);
    }
    return false;
  }
  uint8_t *copy = prog_alloc(c, bin.len);
  if (copy && bin.len) {
    memcpy(copy, bin.data, bin.len);
  }
  step->kind = SERDE_AVRO_STEP_DEFAULT;
  step->deflt = copy;
  step->deflt_len = bin.len;
  serde_buf_fini(&bin);
  step->name = rf->name;
  size_t old = path_push(c, ".", rf->name);
  step->prog = copy ? compile(c, rf->type, rf->type) : NULL;
  path_pop(c, old);
  return step->prog != NULL;
}

static bool compile_steps(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r,
                          serde_avro_pnode_t *n) {
  bool ok = false;
  long *wmatch = serde__calloc(w->n_fields + 1, sizeof *wmatch);
  bool *rtaken = serde__calloc(r->n_fields + 1, sizeof *rtaken);
  serde_avro_step_t *steps = prog_alloc(c, (w->n_fields + r->n_fields + 1) * sizeof *steps);
  if (!wmatch || !rtaken || !steps) {
    c->nomem = true;
    goto out;
  }
  match_fields(w, r, wmatch, rtaken);
  size_t k = 0;
  for (size_t i = 0; i < w->n_fields; i++, k++) {
    steps[k].name = w->fields[i].name;
    if (wmatch[i] < 0) {
      steps[k].kind = SERDE_AVRO_STEP_SKIP;
      steps[k].wtype = w->fields[i].type;
      continue;
    }
    steps[k].kind = SERDE_AVRO_STEP_READ;
    steps[k].rindex = (size_t)wmatch[i];
    size_t old = path_push(c, ".", r->fields[wmatch[i]].name);
    steps[k].prog = compile(c, w->fields[i].type, r->fields[wmatch[i]].type);
    path_pop(c, old);
    if (!steps[k].prog) {
      goto out;
    }
  }
  for (size_t j = 0; j < r->n_fields; j++) {
    if (!rtaken[j]) {
      steps[k].rindex = j;
      if (!compile_default(c, &r->fields[j], &steps[k++])) {
        goto out;
      }
    }
  }
  n->steps = steps;
  n->n = k;
  ok = true;
out:
  free(wmatch);
  free(rtaken);
  return ok;
}

/* Records are memoised before their fields compile, so recursive types
 * compile to a cycle. A pair that fails stays in the memo as a FAIL op. */
static serde_avro_pnode_t *compile_record(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  serde_avro_pnode_t *n = memo_get(c, w, r);
  if (n) {
    if (n->op == SERDE_AVRO_OP_FAIL) {
      serde__fail(&c->err, SERDE_ERR_SCHEMA_INCOMPATIBLE, "%s", n->msg ? n->msg : "unresolvable record");
      return NULL;
    }
    return n;
  }
  if (!(n = node_new(c, SERDE_AVRO_OP_RECORD, w)) || !memo_put(c, w, r, n)) {
    return NULL;
  }
  if (compile_steps(c, w, r, n)) {
    return n;
  }
  n->op = SERDE_AVRO_OP_FAIL;
  n->msg = c->nomem ? NULL : prog_strdup(c, c->err.message);
  return NULL;
}

static serde_avro_pnode_t *compile_same(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  static const serde_avro_op_t prim[] = {
      [SCH_AVRO_NULL] = SERDE_AVRO_OP_NULL,   [SCH_AVRO_BOOLEAN] = SERDE_AVRO_OP_BOOLEAN,
      [SCH_AVRO_INT] = SERDE_AVRO_OP_INT,     [SCH_AVRO_LONG] = SERDE_AVRO_OP_LONG,
      [SCH_AVRO_FLOAT] = SERDE_AVRO_OP_FLOAT, [SCH_AVRO_DOUBLE] = SERDE_AVRO_OP_DOUBLE,
      [SCH_AVRO_BYTES] = SERDE_AVRO_OP_BYTES, [SCH_AVRO_STRING] = SERDE_AVRO_OP_STRING,
  };
  switch (w->kind) {
    case SCH_AVRO_RECORD:
      return compile_record(c, w, r);
    case SCH_AVRO_ENUM:
      return compile_enum(c, w, r);
    case SCH_AVRO_FIXED:
      return compile_fixed(c, w, r);
    case SCH_AVRO_ARRAY:
    case SCH_AVRO_MAP:
      return compile_container(c, w, r);
    case SCH_AVRO_UNION: /* handled by compile() */
      break;
    default:
      return node_new(c, prim[w->kind], w);
  }
  return NULL;
}

/* Writer union: each branch resolved on its own; one that cannot be becomes
 * a FAIL op, raised only if a datum selects it. */
static serde_avro_pnode_t *compile_writer_union(cctx_t *c, const sch_avro_node_t *w,
                                                const sch_avro_node_t *r) {
  serde_avro_pnode_t *n = node_new(c, SERDE_AVRO_OP_UNION, w);
  serde_avro_branch_t *br = n ? prog_alloc(c, (w->n_branches + 1) * sizeof *br) : NULL;
  if (!br) {
    return NULL;
  }
  for (size_t i = 0; i < w->n_branches; i++) {
    const sch_avro_node_t *wb = w->branches[i];
    const sch_avro_node_t *target = r;
    br[i].rbranch = -1;
    if (r->kind == SCH_AVRO_UNION) {
      br[i].rbranch = match_branch(c, wb, r);
      if (br[i].rbranch < 0) {
        if (c->nomem) {
          return NULL;
        }
        incompatible(c, "writer branch %s matches no branch of the reader union", serde__avro_type_name(wb));
        if (!(br[i].prog = fail_node(c, wb))) {
          return NULL;
        }
        continue;
      }
      target = r->branches[br[i].rbranch];
    }
    br[i].prog = compile(c, wb, target);
    if (!br[i].prog && (c->nomem || !(br[i].prog = fail_node(c, wb)))) {
      return NULL;
    }
  }
  n->branches = br;
  n->n = w->n_branches;
  return n;
}

static serde_avro_pnode_t *compile_to_union(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  int rb = match_branch(c, w, r);
  if (rb < 0) {
    return c->nomem
               ? NULL
               : incompatible(c, "writer %s matches no branch of the reader union", serde__avro_type_name(w));
  }
  serde_avro_pnode_t *n = node_new(c, SERDE_AVRO_OP_TO_UNION, w);
  if (!n || !(n->child = compile(c, w, r->branches[rb]))) {
    return NULL;
  }
  n->rbranch = rb;
  return n;
}

static serde_avro_pnode_t *compile(cctx_t *c, const sch_avro_node_t *w, const sch_avro_node_t *r) {
  if (c->nomem) {
    return NULL;
  }
  if (c->depth >= COMPILE_MAX_DEPTH) {
    return incompatible(c, "schema nests deeper than %d types", COMPILE_MAX_DEPTH);
  }
  c->depth++;
  serde_avro_pnode_t *n = NULL;
  serde_avro_op_t op;
  if (w->kind == SCH_AVRO_UNION) {
    n = compile_writer_union(c, w, r);
  } else if (w->kind == r->kind) {
    n = compile_same(c, w, r);
  } else if (r->kind == SCH_AVRO_UNION) {
    n = compile_to_union(c, w, r);
  } else if (promotion(w->kind, r->kind, &op)) {
    n = node_new(c, op, w);
  } else {
    incompatible(c, "writer %s cannot be read as %s", serde__avro_type_name(w), serde__avro_type_name(r));
  }
  c->depth--;
  return n;
}

/* ---- public entry points -------------------------------------------------------- */

void serde__avro_program_destroy(serde_avro_program_t *prog) {
  if (!prog) {
    return;
  }
  for (size_t i = 0; i < prog->n_allocs; i++) {
    free(prog->allocs[i]);
  }
  free(prog->allocs);
  free(prog);
}

serde_avro_program_t *serde__avro_program_new(const sch_avro_node_t *writer, const sch_avro_node_t *reader,
                                              serde_error_t *err) {
  if (!writer) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "no writer schema");
    return NULL;
  }
  cctx_t *c = serde__calloc(1, sizeof *c);
  serde_avro_program_t *prog = serde__calloc(1, sizeof *prog);
  if (!c || !prog) {
    free(c);
    free(prog);
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory compiling the avro resolution program");
    return NULL;
  }
  c->prog = prog;
  prog->root = compile(c, writer, reader ? reader : writer);
  prog->raw_bytes = writer->kind == SCH_AVRO_BYTES;
  if (!prog->root) {
    if (c->nomem) {
      serde__fail(err, SERDE_ERR_NOMEM, "out of memory compiling the avro resolution program");
    } else if (err) {
      *err = c->err;
    }
    serde__avro_program_destroy(prog);
    prog = NULL;
  }
  free(c->memo);
  free(c);
  return prog;
}
