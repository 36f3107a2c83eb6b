// SPDX-License-Identifier: Apache-2.0
/* The .proto parser's entry point and file-level grammar (syntax, package,
 * import, top-level declarations), plus the token helpers every
 * proto_parse_*.c shares: expect/accept, names, integers, nesting depth and
 * the first-error-wins error slot. Messages, enums, services and options are
 * parsed in their own files; semantic checks are in proto_check.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

bool sch__proto_fail(proto_parser_t *p, sch_code_t code, int line, int col, const char *fmt, ...) {
  char where[48];
  snprintf(where, sizeof where, "line %d:%d: ", line, col);
  va_list ap;
  va_start(ap, fmt);
  sch__error_first(&p->code, p->err, code, where, fmt, ap);
  va_end(ap);
  return false;
}

bool sch__proto_next(proto_parser_t *p) {
  if (p->code != SCH_OK) {
    return false;
  }
  p->tok = sch__proto_lex_next(&p->lx);
  if (p->tok.kind == PROTO_TOK_ERROR) {
    p->code = p->lx.str.oom ? SCH_ERR_NOMEM : SCH_ERR_INVALID;
    sch__error_set(p->err, p->code, "%s", p->lx.errmsg);
    return false;
  }
  return true;
}

proto_tok_t sch__proto_peek(proto_parser_t *p) {
  proto_lex_t copy = p->lx;
  copy.str = (sch_buf_t){0};
  proto_tok_t t = sch__proto_lex_next(&copy);
  sch__buf_fini(&copy.str);
  if (t.kind == PROTO_TOK_STRING) {
    t.text = NULL;
    t.len = 0;
  }
  return t;
}

bool sch__proto_is(const proto_parser_t *p, const char *s) {
  size_t n = strlen(s);
  return (p->tok.kind == PROTO_TOK_IDENT || p->tok.kind == PROTO_TOK_SYMBOL) && p->tok.len == n &&
         memcmp(p->tok.text, s, n) == 0;
}

bool sch__proto_accept(proto_parser_t *p, const char *s) {
  if (p->code == SCH_OK && sch__proto_is(p, s)) {
    sch__proto_next(p);
    return true;
  }
  return false;
}

bool sch__proto_fail_expected(proto_parser_t *p, const char *what, const char *ctx) {
  return sch__proto_fail(p, SCH_ERR_INVALID, p->tok.line, p->tok.col, "expected %s%s%s", what,
                         *ctx ? " " : "", ctx);
}

bool sch__proto_expect(proto_parser_t *p, const char *s, const char *ctx) {
  if (p->code != SCH_OK) {
    return false;
  }
  if (sch__proto_is(p, s)) {
    return sch__proto_next(p);
  }
  char what[16];
  snprintf(what, sizeof what, "\"%s\"", s);
  return sch__proto_fail_expected(p, what, ctx);
}

void *sch__proto_alloc(proto_parser_t *p, size_t n) {
  void *m = sch__proto_arena_alloc(p->arena, n);
  if (!m) {
    sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
  }
  return m;
}

char *sch__proto_tok_dup(proto_parser_t *p) {
  char *s = sch__proto_arena_strndup(p->arena, p->tok.text, p->tok.len);
  if (!s) {
    sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
  }
  return s;
}

bool sch__proto_enter(proto_parser_t *p) {
  if (++p->depth > SCH_MAX_DEPTH) {
    return sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col, "nesting deeper than %d levels",
                           SCH_MAX_DEPTH);
  }
  return true;
}

void sch__proto_leave(proto_parser_t *p) {
  p->depth--;
}

bool sch__proto_count_type(proto_parser_t *p) {
  if (++p->n_types > SCH_MAX_NAMED_TYPES) {
    return sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col, "more than %d messages and enums",
                           SCH_MAX_NAMED_TYPES);
  }
  return true;
}

bool sch__proto_block_next(proto_parser_t *p, size_t *n, const char *close_ctx) {
  while (p->code == SCH_OK) {
    if (sch__proto_accept(p, "}")) {
      return false;
    }
    if (sch__proto_accept(p, ";")) {
      continue;
    }
    if (p->tok.kind == PROTO_TOK_EOF) {
      return sch__proto_fail_expected(p, "\"}\"", close_ctx);
    }
    if (++*n > SCH_PROTO_MAX_ELEMS) {
      return sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col, "more than %d statements in one block",
                             SCH_PROTO_MAX_ELEMS);
    }
    return true;
  }
  return false;
}

sch_proto_elem_t *sch__proto_elem_add(proto_parser_t *p, sch_proto_elem_t ***tail, size_t *count,
                                      sch_proto_elem_kind_t kind) {
  if (++*count > SCH_PROTO_MAX_ELEMS) {
    sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col, "more than %d statements in one block",
                    SCH_PROTO_MAX_ELEMS);
    return NULL;
  }
  sch_proto_elem_t *e = sch__proto_alloc(p, sizeof(*e));
  if (e) {
    e->kind = kind;
    **tail = e;
    *tail = &e->next;
  }
  return e;
}

char *sch__proto_parse_name(proto_parser_t *p, bool dotted, bool allow_dot, const char *ctx) {
  sch_buf_t b = {0};
  char *out = NULL;
  if (allow_dot && sch__proto_accept(p, ".")) {
    sch__buf_putc(&b, '.');
  }
  do {
    if (p->tok.kind != PROTO_TOK_IDENT) {
      sch__proto_fail_expected(p, "identifier", ctx);
      goto out;
    }
    if (b.len > 0 && b.data[b.len - 1] != '.') {
      sch__buf_putc(&b, '.');
    }
    sch__buf_put(&b, p->tok.text, p->tok.len);
    if (!sch__proto_next(p)) {
      goto out;
    }
  } while (dotted && sch__proto_accept(p, "."));
  if (b.oom) {
    sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
    goto out;
  }
  out = sch__proto_arena_strndup(p->arena, b.data, b.len);
  if (!out) {
    sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
  }
out:
  sch__buf_fini(&b);
  return out;
}

/* Magnitude of an INT token (decimal, 0x hex, 0 octal); false on overflow. */
static bool int_value(const proto_tok_t *t, uint64_t *out) {
  uint64_t v = 0, base = 10;
  size_t i = 0;
  if (t->len > 1 && t->text[0] == '0' && (t->text[1] == 'x' || t->text[1] == 'X')) {
    base = 16;
    i = 2;
  } else if (t->len > 1 && t->text[0] == '0') {
    base = 8;
    i = 1;
  }
  for (; i < t->len; i++) {
    int c = (unsigned char)t->text[i];
    uint64_t d = c <= '9' ? (uint64_t)(c - '0') : (uint64_t)((c | 0x20) - 'a' + 10);
    if (v > (UINT64_MAX - d) / base) {
      return false;
    }
    v = v * base + d;
  }
  *out = v;
  return true;
}

bool sch__proto_parse_int(proto_parser_t *p, int64_t lo, int64_t hi, int64_t *out, const char *ctx) {
  int line = p->tok.line, col = p->tok.col;
  bool neg = sch__proto_accept(p, "-");
  if (p->code != SCH_OK) {
    return false;
  }
  if (p->tok.kind != PROTO_TOK_INT) {
    return sch__proto_fail_expected(p, "integer", ctx);
  }
  uint64_t mag = 0;
  bool ok = int_value(&p->tok, &mag) && mag <= (uint64_t)INT64_MAX;
  int64_t v = ok ? (neg ? -(int64_t)mag : (int64_t)mag) : 0;
  if (!ok || v < lo || v > hi) {
    return sch__proto_fail(p, SCH_ERR_INVALID, line, col, "integer %s%.*s out of range %lld..%lld %s",
                           neg ? "-" : "", (int)p->tok.len, p->tok.text, (long long)lo, (long long)hi, ctx);
  }
  *out = v;
  return sch__proto_next(p);
}

static bool parse_syntax(proto_parser_t *p) {
  int line = p->tok.line, col = p->tok.col;
  if (sch__proto_is(p, "edition")) {
    return sch__proto_fail(p, SCH_ERR_INVALID, line, col,
                           "editions are not supported (use syntax = \"proto2\" or "
                           "\"proto3\")");
  }
  if (!sch__proto_accept(p, "syntax")) {
    return p->code == SCH_OK;
  }
  if (!sch__proto_expect(p, "=", "after \"syntax\"")) {
    return false;
  }
  if (p->tok.kind != PROTO_TOK_STRING) {
    return sch__proto_fail_expected(p, "syntax string", "after \"syntax =\"");
  }
  if (p->tok.len == 6 && memcmp(p->tok.text, "proto2", 6) == 0) {
    p->file->syntax = SCH_PROTO2;
  } else if (p->tok.len == 6 && memcmp(p->tok.text, "proto3", 6) == 0) {
    p->file->syntax = SCH_PROTO3;
  } else {
    return sch__proto_fail(p, SCH_ERR_INVALID, p->tok.line, p->tok.col,
                           "unrecognized syntax \"%.*s\" (expected \"proto2\" or \"proto3\")",
                           (int)(p->tok.len > 64 ? 64 : p->tok.len), p->tok.text);
  }
  p->file->syntax_written = 1;
  return sch__proto_next(p) && sch__proto_expect(p, ";", "after syntax statement");
}

static bool parse_import(proto_parser_t *p, sch_proto_import_t ***tail) {
  sch_proto_import_t *imp = sch__proto_alloc(p, sizeof(*imp));
  if (!imp) {
    return false;
  }
  imp->line = p->tok.line;
  imp->col = p->tok.col;
  if (!sch__proto_next(p)) {
    return false;
  }
  if (sch__proto_accept(p, "public")) {
    imp->kind = SCH_PROTO_IMPORT_PUBLIC;
  } else if (sch__proto_accept(p, "weak")) {
    imp->kind = SCH_PROTO_IMPORT_WEAK;
  }
  if (p->tok.kind != PROTO_TOK_STRING) {
    return sch__proto_fail_expected(p, "import path string", "after \"import\"");
  }
  imp->path = sch__proto_tok_dup(p);
  imp->path_len = p->tok.len;
  **tail = imp;
  *tail = &imp->next;
  return imp->path && sch__proto_next(p) && sch__proto_expect(p, ";", "after import statement");
}

static bool parse_package(proto_parser_t *p) {
  int line = p->tok.line, col = p->tok.col;
  if (p->file->package) {
    return sch__proto_fail(p, SCH_ERR_INVALID, line, col, "multiple package definitions");
  }
  sch__proto_next(p);
  p->file->package = sch__proto_parse_name(p, true, false, "after \"package\"");
  return p->file->package && sch__proto_expect(p, ";", "after package name");
}

/* One top-level statement; false on error. */
static bool parse_top(proto_parser_t *p, sch_proto_import_t ***imports, sch_proto_elem_t ***tail, size_t *n) {
  sch_proto_elem_t *e = NULL;
  if (sch__proto_accept(p, ";")) {
    return true;
  }
  if (sch__proto_is(p, "import")) {
    return ++*n <= SCH_PROTO_MAX_ELEMS
               ? parse_import(p, imports)
               : sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col,
                                 "more than %d statements in one block", SCH_PROTO_MAX_ELEMS);
  }
  if (sch__proto_is(p, "package")) {
    return parse_package(p);
  }
  if (sch__proto_accept(p, "option")) {
    return (e = sch__proto_elem_add(p, tail, n, SCH_PROTO_ELEM_OPTION)) &&
           sch__proto_parse_option_stmt(p, &e->u.option);
  }
  if (sch__proto_is(p, "message")) {
    return (e = sch__proto_elem_add(p, tail, n, SCH_PROTO_ELEM_MESSAGE)) &&
           sch__proto_parse_message(p, &e->u.message);
  }
  if (sch__proto_is(p, "enum")) {
    return (e = sch__proto_elem_add(p, tail, n, SCH_PROTO_ELEM_ENUM)) && sch__proto_parse_enum(p, &e->u.enm);
  }
  if (sch__proto_is(p, "service")) {
    return (e = sch__proto_elem_add(p, tail, n, SCH_PROTO_ELEM_SERVICE)) &&
           sch__proto_parse_service(p, &e->u.service);
  }
  if (sch__proto_is(p, "extend")) {
    return (e = sch__proto_elem_add(p, tail, n, SCH_PROTO_ELEM_EXTEND)) &&
           sch__proto_parse_extend(p, &e->u.extend);
  }
  if (sch__proto_is(p, "syntax") || sch__proto_is(p, "edition")) {
    return sch__proto_fail(p, SCH_ERR_INVALID, p->tok.line, p->tok.col,
                           "\"%.*s\" must be the first statement of the file", (int)p->tok.len, p->tok.text);
  }
  return sch__proto_fail_expected(p, "top-level statement",
                                  "(message, enum, service, extend, import, package or option)");
}

static bool parse_file(proto_parser_t *p) {
  sch_proto_import_t **imports = &p->file->imports;
  sch_proto_elem_t **tail = &p->file->elems;
  size_t n = 0;
  if (!sch__proto_next(p) || !parse_syntax(p)) {
    return false;
  }
  while (p->tok.kind != PROTO_TOK_EOF) {
    if (!parse_top(p, &imports, &tail, &n)) {
      return false;
    }
  }
  return p->code == SCH_OK;
}

sch_proto_file_t *sch_proto_parse(const char *text, size_t len, sch_error_t *err) {
  if (len > SCH_MAX_SCHEMA_BYTES) {
    sch__error_set(err, SCH_ERR_LIMIT, "schema of %zu bytes exceeds the limit of %u bytes", len,
                   SCH_MAX_SCHEMA_BYTES);
    return NULL;
  }
  proto_parser_t p = {.err = err, .code = SCH_OK};
  p.arena = sch__proto_arena_new();
  p.file = p.arena ? sch__proto_arena_alloc(p.arena, sizeof(*p.file)) : NULL;
  if (!p.file) {
    sch__proto_arena_destroy(p.arena);
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
    return NULL;
  }
  p.file->arena = p.arena;
  p.file->syntax = SCH_PROTO2;
  sch__proto_lex_init(&p.lx, text ? text : "", text ? len : 0);
  bool ok = parse_file(&p) && sch__proto_check_file(&p);
  sch__proto_lex_fini(&p.lx);
  if (!ok) {
    sch__proto_arena_destroy(p.arena);
    return NULL;
  }
  return p.file;
}

void sch_proto_file_destroy(sch_proto_file_t *file) {
  if (file) {
    sch__proto_arena_destroy(file->arena);
  }
}
