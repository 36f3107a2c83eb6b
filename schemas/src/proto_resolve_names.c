// SPDX-License-Identifier: Apache-2.0
/* The symbol table of a resolved Protobuf schema and protoc's name lookup.
 * Every full name the files define (packages and their prefixes, messages,
 * enums, services, and the non-type names protoc also registers: fields,
 * oneofs, enum values, extensions, methods) goes into one sorted array; a
 * name defined twice (other than a package) is an error. Type references are
 * looked up from the innermost scope outwards, the first component of the
 * name choosing the scope, and only names of files the referring file may
 * see count. It builds no nodes. */
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

bool sch__pb_sym_add(pb_build_t *b, const char *name, pb_sym_kind_t kind, const pb_file_t *f,
                     const void *node, int line, int col) {
  sch_pb_schema_t *s = b->s;
  if (s->n_syms == b->cap_syms) {
    size_t nc = b->cap_syms ? b->cap_syms * 2 : 64;
    pb_sym_t *nv = realloc(s->syms, nc * sizeof(*nv));
    if (!nv) {
      return sch__pb_nomem(b);
    }
    s->syms = nv;
    b->cap_syms = nc;
  }
  s->syms[s->n_syms++] = (pb_sym_t){name, kind, f, node, line, col};
  return true;
}

bool sch__pb_sym_add_package(pb_build_t *b, const pb_file_t *f) {
  const char *pkg = f->pub.package;
  if (!pkg) {
    return true;
  }
  for (const char *p = pkg;; p++) {
    if (*p == '.' || *p == '\0') {
      const char *prefix = sch__proto_arena_strndup(b->s->arena, pkg, (size_t)(p - pkg));
      if (!prefix) {
        return sch__pb_nomem(b);
      }
      if (!sch__pb_sym_add(b, prefix, PB_SYM_PACKAGE, f, NULL, 0, 0)) {
        return false;
      }
    }
    if (*p == '\0') {
      return true;
    }
  }
}

static int cmp_sym(const void *a, const void *b) {
  const pb_sym_t *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) {
    return c;
  }
  if (x->kind != y->kind) {
    return x->kind == PB_SYM_PACKAGE ? -1 : y->kind == PB_SYM_PACKAGE ? 1 : 0;
  }
  if (x->file != y->file) {
    return x->file->idx < y->file->idx ? -1 : 1;
  }
  return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

bool sch__pb_sym_seal(pb_build_t *b) {
  sch_pb_schema_t *s = b->s;
  if (s->n_syms > 1) {
    qsort(s->syms, s->n_syms, sizeof(*s->syms), cmp_sym);
  }
  for (size_t i = 1; i < s->n_syms; i++) {
    const pb_sym_t *x = &s->syms[i - 1], *y = &s->syms[i];
    if (strcmp(x->name, y->name) != 0 || (x->kind == PB_SYM_PACKAGE && y->kind == PB_SYM_PACKAGE)) {
      continue;
    }
    const char *what = x->kind == PB_SYM_PACKAGE ? " (as a package)" : "";
    if (x->file != y->file) {
      return sch__pb_fail(b, SCH_ERR_INVALID, y->file, y->line, y->col,
                          "\"%s\" is already defined%s in \"%s\"", y->name, what, x->file->pub.path);
    }
    return sch__pb_fail(b, SCH_ERR_INVALID, y->file, y->line, y->col, "\"%s\" is already defined%s", y->name,
                        what);
  }
  return true;
}

/* The first symbol named `name`, or NULL (s->syms sorted). */
static const pb_sym_t *first_named(const sch_pb_schema_t *s, const char *name) {
  size_t lo = 0, hi = s->n_syms;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(s->syms[mid].name, name) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < s->n_syms && strcmp(s->syms[lo].name, name) == 0 ? &s->syms[lo] : NULL;
}

const pb_sym_t *sch__pb_sym_find(const sch_pb_schema_t *s, const char *full_name) {
  return first_named(s, full_name);
}

/* protoc's FindSymbol: the symbol of `name` if a visible file defines it
 * (a package: if any visible file is in it). Remembers an invisible one. */
static const pb_sym_t *find_visible(pb_build_t *b, const char *name, const pb_sym_t **hidden) {
  const sch_pb_schema_t *s = b->s;
  const pb_sym_t *y = first_named(s, name);
  if (!y) {
    return NULL;
  }
  if (y->kind != PB_SYM_PACKAGE) {
    if (b->visible[y->file->idx]) {
      return y;
    }
    *hidden = y;
    return NULL;
  }
  for (const pb_sym_t *p = y; p < s->syms + s->n_syms && strcmp(p->name, name) == 0; p++) {
    if (b->visible[p->file->idx]) {
      return p;
    }
  }
  return NULL;
}

static bool is_type(const pb_sym_t *y) {
  return y->kind == PB_SYM_MESSAGE || y->kind == PB_SYM_ENUM;
}

static bool is_aggregate(const pb_sym_t *y) {
  return y->kind != PB_SYM_OTHER;
}

/* Result of one lookup: the symbol, or why there is none. */
typedef struct found {
  const pb_sym_t *sym;
  const pb_sym_t *hidden; /* defined in a file that is not imported */
  char *tried;            /* malloc'd: the full name a partial match led to */
} found_t;

/* protoc's LookupSymbolNoPlaceholder with LOOKUP_TYPES. */
static bool lookup(pb_build_t *b, const char *scope, const char *name, found_t *out) {
  if (name[0] == '.') {
    out->sym = find_visible(b, name + 1, &out->hidden);
    return true;
  }
  size_t first_len = strcspn(name, "."), name_len = strlen(name);
  size_t scope_len = strlen(scope);
  char *buf = malloc(scope_len + name_len + 2);
  if (!buf) {
    return sch__pb_nomem(b);
  }
  memcpy(buf, scope, scope_len);
  while (scope_len > 0) {
    buf[scope_len] = '.';
    memcpy(buf + scope_len + 1, name, first_len);
    buf[scope_len + 1 + first_len] = '\0';
    const pb_sym_t *y = find_visible(b, buf, &out->hidden);
    if (y && first_len < name_len && is_aggregate(y)) {
      memcpy(buf + scope_len + 1, name, name_len + 1);
      out->sym = find_visible(b, buf, &out->hidden);
      out->tried = out->sym ? (free(buf), NULL) : buf;
      return true;
    }
    if (y && first_len == name_len && is_type(y)) {
      out->sym = y;
      free(buf);
      return true;
    }
    while (scope_len > 0 && buf[--scope_len] != '.') {
    }
  }
  free(buf);
  out->sym = find_visible(b, name, &out->hidden);
  return true;
}

bool sch__pb_lookup_type(pb_build_t *b, const char *scope, const char *name, const char *what, int line,
                         int col, const pb_sym_t **out) {
  found_t r = {0};
  if (!lookup(b, scope ? scope : "", name, &r)) {
    return false;
  }
  const pb_file_t *f = b->cur;
  bool ok = false;
  if (r.sym && is_type(r.sym)) {
    *out = r.sym;
    ok = true;
  } else if (r.sym) {
    sch__pb_fail(b, SCH_ERR_INVALID, f, line, col, "%s: \"%s\" is not a message or enum type", what, name);
  } else if (r.tried) {
    sch__pb_fail(b, SCH_ERR_REFERENCE, f, line, col,
                 "%s: type \"%s\" resolves to \"%s\", which is not defined (the innermost scope is searched "
                 "first; a leading \".\" starts from the outermost)",
                 what, name, r.tried);
  } else if (r.hidden) {
    sch__pb_fail(b, SCH_ERR_REFERENCE, f, line, col,
                 "%s: type \"%s\" is defined in \"%s\", which is not imported here", what, name,
                 r.hidden->file->pub.path);
  } else {
    sch__pb_fail(b, SCH_ERR_REFERENCE, f, line, col, "%s: type \"%s\" is not defined", what, name);
  }
  free(r.tried);
  return ok;
}

/* A name is either packages only or one other symbol (sch__pb_sym_seal). */
static const pb_sym_t *find_kind(const sch_pb_schema_t *schema, const char *full_name, pb_sym_kind_t kind) {
  if (!schema || !full_name) {
    return NULL;
  }
  const pb_sym_t *y = first_named(schema, full_name[0] == '.' ? full_name + 1 : full_name);
  return y && y->kind == kind ? y : NULL;
}

const sch_pb_message_t *sch_pb_find_message(const sch_pb_schema_t *schema, const char *full_name) {
  const pb_sym_t *y = find_kind(schema, full_name, PB_SYM_MESSAGE);
  return y ? y->node : NULL;
}

const sch_pb_enum_t *sch_pb_find_enum(const sch_pb_schema_t *schema, const char *full_name) {
  const pb_sym_t *y = find_kind(schema, full_name, PB_SYM_ENUM);
  return y ? y->node : NULL;
}
