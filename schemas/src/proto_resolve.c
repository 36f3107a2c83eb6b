// SPDX-License-Identifier: Apache-2.0
/* sch_pb_schema_build: the file graph of a Protobuf schema. Parses the
 * schema's text, follows its imports to registry references (first) or the
 * built-in well-known files, refuses missing files, import cycles and files
 * over the limits, then drives the passes over the files in dependency order:
 * build the types and their names (proto_resolve_types.c), check the names
 * are unique (proto_resolve_names.c), resolve the type references of each
 * file against what it may see (its own names, its imports and their public
 * imports, as protoc). It does not look inside messages itself. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

bool sch__pb_fail(pb_build_t *b, sch_code_t code, const pb_file_t *f, int line, int col, const char *fmt,
                  ...) {
  if (b->code != SCH_OK) {
    return false;
  }
  b->code = code;
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const char *label = f ? f->label : "";
  if (line > 0) {
    sch__error_set(b->err, code, "%sline %d:%d: %s", label, line, col, msg);
  } else {
    sch__error_set(b->err, code, "%s%s", label, msg);
  }
  return false;
}

bool sch__pb_nomem(pb_build_t *b) {
  return sch__pb_fail(b, SCH_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void *sch__pb_alloc(pb_build_t *b, size_t n) {
  void *p = sch__proto_arena_alloc(b->s->arena, n ? n : 1);
  if (!p) {
    sch__pb_nomem(b);
  }
  return p;
}

char *sch__pb_join(pb_build_t *b, const char *a, const char *c) {
  size_t la = a ? strlen(a) : 0, lc = strlen(c);
  char *out = sch__pb_alloc(b, la + lc + 2);
  if (!out) {
    return NULL;
  }
  if (la) {
    memcpy(out, a, la);
    out[la++] = '.';
  }
  memcpy(out + la, c, lc + 1);
  return out;
}

const char *sch__pb_dotted(pb_build_t *b, const char *full_name) {
  char *tn = sch__pb_alloc(b, strlen(full_name) + 2);
  if (tn) {
    tn[0] = '.';
    strcpy(tn + 1, full_name);
  }
  return tn;
}

/* Appends *item to a malloc'd array of pointers. */
static bool push_file(pb_build_t *b, pb_file_t ***v, size_t *n, size_t *cap, pb_file_t *item) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    pb_file_t **nv = realloc(*v, nc * sizeof(**v));
    if (!nv) {
      return sch__pb_nomem(b);
    }
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = item;
  return true;
}

/* A new file for `path` parsed from text; registered as known. */
static pb_file_t *file_new(pb_build_t *b, const char *path, size_t path_len, const char *text, size_t len,
                           bool builtin) {
  pb_file_t *f = sch__pb_alloc(b, sizeof(*f));
  char *p = f ? sch__proto_arena_strndup(b->s->arena, path, path_len) : NULL;
  char *label = p && path_len ? sch__pb_alloc(b, path_len + 3) : NULL;
  if (!p || (path_len && !label)) {
    return sch__pb_nomem(b), NULL;
  }
  if (label) {
    snprintf(label, path_len + 3, "%s: ", p);
  }
  f->pub.path = p;
  f->pub.builtin = builtin;
  f->label = label ? label : "";
  if (b->n_known >= SCH_PB_MAX_FILES) {
    return sch__pb_fail(b, SCH_ERR_LIMIT, NULL, 0, 0, "more than %d files in one schema", SCH_PB_MAX_FILES),
           NULL;
  }
  if (!push_file(b, &b->known, &b->n_known, &b->cap_known, f)) {
    return NULL;
  }
  sch_error_t perr = {0};
  f->ast = sch_proto_parse(text, len, &perr);
  if (!f->ast) {
    sch__pb_fail(b, perr.code, f, 0, 0, "%s", perr.message);
    return NULL;
  }
  f->pub.ast = f->ast;
  f->pub.syntax = f->ast->syntax;
  f->pub.package = f->ast->package;
  return f;
}

/* The file of an import path: known already, a reference, or built in.
 * NULL with no error set when there is no such file. */
static pb_file_t *file_for_import(pb_build_t *b, const char *path, size_t path_len) {
  for (size_t i = 0; i < b->n_known; i++) {
    const char *kp = b->known[i]->pub.path;
    if (strlen(kp) == path_len && memcmp(kp, path, path_len) == 0 && b->known[i] != b->s->main) {
      return b->known[i];
    }
  }
  for (size_t i = 0; i < b->n_refs; i++) {
    const sch_reference_t *r = &b->refs[i];
    if (r->name && strlen(r->name) == path_len && memcmp(r->name, path, path_len) == 0) {
      return file_new(b, path, path_len, r->schema ? r->schema : "", r->schema ? r->schema_len : 0, false);
    }
  }
  char key[1024];
  size_t len = 0;
  if (path_len < sizeof key) {
    memcpy(key, path, path_len);
    key[path_len] = '\0';
    const char *text = strlen(key) == path_len ? sch__pb_builtin_find(key, &len) : NULL;
    if (text) {
      return file_new(b, path, path_len, text, len, true);
    }
  }
  return NULL;
}

/* "a.proto -> b.proto -> a.proto" from the loading stack. */
static bool fail_cycle(pb_build_t *b, pb_file_t *const *stack, size_t depth, const pb_file_t *again,
                       const sch_proto_import_t *imp, const pb_file_t *from) {
  size_t start = 0;
  while (start < depth && stack[start] != again) {
    start++;
  }
  char chain[700] = "";
  size_t used = 0;
  for (size_t i = start; i < depth && used < sizeof chain; i++) {
    used += (size_t)snprintf(chain + used, sizeof chain - used, "%s -> ", stack[i]->pub.path);
  }
  return sch__pb_fail(b, SCH_ERR_INVALID, from, imp->line, imp->col, "import cycle: %s%s", chain,
                      again->pub.path);
}

static bool load(pb_build_t *b, pb_file_t *f, pb_file_t **stack, size_t depth);

static bool load_import(pb_build_t *b, pb_file_t *f, const sch_proto_import_t *imp, pb_file_t **stack,
                        size_t depth, size_t i) {
  pb_file_t *dep = file_for_import(b, imp->path, imp->path_len);
  if (!dep) {
    return b->code == SCH_OK ? sch__pb_fail(b, SCH_ERR_REFERENCE, f, imp->line, imp->col,
                                            "import \"%.*s\" was not found", (int)imp->path_len, imp->path)
                             : false;
  }
  for (size_t j = 0; j < i; j++) {
    if (f->pub.deps[j] == &dep->pub) {
      return sch__pb_fail(b, SCH_ERR_INVALID, f, imp->line, imp->col, "import \"%s\" was listed twice",
                          dep->pub.path);
    }
  }
  ((const sch_pb_file_t **)f->pub.deps)[i] = &dep->pub;
  if (dep->state == PB_FILE_LOADING) {
    return fail_cycle(b, stack, depth + 1, dep, imp, f);
  }
  return dep->state == PB_FILE_DONE || load(b, dep, stack, depth + 1);
}

/* Loads the imports of f depth-first, then appends f to the files. */
static bool load(pb_build_t *b, pb_file_t *f, pb_file_t **stack, size_t depth) {
  if (depth >= SCH_MAX_DEPTH) {
    return sch__pb_fail(b, SCH_ERR_LIMIT, f, 0, 0, "imports nest deeper than %d files", SCH_MAX_DEPTH);
  }
  stack[depth] = f;
  f->state = PB_FILE_LOADING;
  size_t n = 0;
  for (const sch_proto_import_t *imp = f->ast->imports; imp; imp = imp->next) {
    n++;
  }
  f->pub.deps = sch__pb_alloc(b, n * sizeof(*f->pub.deps));
  if (!f->pub.deps) {
    return false;
  }
  f->pub.n_deps = n;
  size_t i = 0;
  for (const sch_proto_import_t *imp = f->ast->imports; imp; imp = imp->next, i++) {
    if (!load_import(b, f, imp, stack, depth, i)) {
      return false;
    }
  }
  f->state = PB_FILE_DONE;
  f->idx = b->s->n_files;
  return push_file(b, &b->s->files, &b->s->n_files, &b->cap_files, f);
}

/* Marks f's public imports (and theirs) visible. */
static void mark_public(const pb_file_t *f, bool *vis) {
  const sch_proto_import_t *imp = f->ast->imports;
  for (size_t i = 0; i < f->pub.n_deps; i++, imp = imp->next) {
    const pb_file_t *d = (const pb_file_t *)f->pub.deps[i];
    if (imp->kind == SCH_PROTO_IMPORT_PUBLIC && !vis[d->idx]) {
      vis[d->idx] = true;
      mark_public(d, vis);
    }
  }
}

/* The files f may use names from: itself, its imports, and the public
 * imports of those, transitively (protoc's rule). */
static void compute_visible(const pb_file_t *f, bool *vis, size_t n) {
  memset(vis, 0, n * sizeof(*vis));
  vis[f->idx] = true;
  for (size_t i = 0; i < f->pub.n_deps; i++) {
    const pb_file_t *d = (const pb_file_t *)f->pub.deps[i];
    vis[d->idx] = true;
    mark_public(d, vis);
  }
}

static bool link_all(pb_build_t *b) {
  sch_pb_schema_t *s = b->s;
  for (size_t i = 0; i < s->n_files; i++) {
    if (!sch__pb_build_file(b, s->files[i]) || !sch__pb_sym_add_package(b, s->files[i])) {
      return false;
    }
  }
  if (!sch__pb_sym_seal(b)) {
    return false;
  }
  bool *vis = calloc(s->n_files, sizeof(*vis));
  if (!vis) {
    return sch__pb_nomem(b);
  }
  bool ok = true;
  for (size_t i = 0; ok && i < s->n_files; i++) {
    compute_visible(s->files[i], vis, s->n_files);
    b->visible = vis;
    b->cur = s->files[i];
    ok = sch__pb_resolve_file(b, s->files[i]);
  }
  b->visible = NULL;
  free(vis);
  return ok;
}

sch_pb_schema_t *sch_pb_schema_build(const char *text, size_t len, const sch_reference_t *refs, size_t n_refs,
                                     sch_error_t *err) {
  pb_build_t b = {.refs = refs, .n_refs = n_refs, .err = err, .code = SCH_OK};
  pb_file_t *stack[SCH_MAX_DEPTH];
  b.s = calloc(1, sizeof(*b.s));
  if (!b.s || !(b.s->arena = sch__proto_arena_new())) {
    free(b.s);
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
    return NULL;
  }
  b.s->main = file_new(&b, "", 0, text ? text : "", text ? len : 0, false);
  bool ok = b.s->main && load(&b, b.s->main, stack, 0) && link_all(&b);
  if (!ok) {
    /* files not yet in s->files still own their syntax trees */
    for (size_t i = 0; i < b.n_known; i++) {
      if (b.known[i]->state != PB_FILE_DONE) {
        sch_proto_file_destroy(b.known[i]->ast);
      }
    }
  }
  free(b.known);
  if (!ok) {
    sch_pb_schema_destroy(b.s);
    return NULL;
  }
  return b.s;
}

void sch_pb_schema_destroy(sch_pb_schema_t *schema) {
  if (!schema) {
    return;
  }
  for (size_t i = 0; i < schema->n_files; i++) {
    sch_proto_file_destroy(schema->files[i]->ast);
  }
  free(schema->files);
  free(schema->syms);
  sch__proto_arena_destroy(schema->arena);
  free(schema);
}

const sch_pb_file_t *sch_pb_schema_file(const sch_pb_schema_t *schema) {
  return schema ? &schema->main->pub : NULL;
}
