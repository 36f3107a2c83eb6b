// SPDX-License-Identifier: Apache-2.0
/* Options in .proto text: option names (plain, dotted and parenthesized
 * extension names), constants (identifiers, signed integers and floats, inf
 * and nan, strings) and aggregate `{ ... }` values, which are kept as
 * re-spaced token text rather than interpreted, since interpreting them needs
 * the option's message type from descriptor.proto. Used by the file, message,
 * field, enum and service parsers. */
#include <string.h>

#include "proto_int.h"

/* One part of an option name: `ident` or `(.a.b)`. */
static bool option_name_part(proto_parser_t *p, sch_buf_t *b) {
  if (sch__proto_accept(p, "(")) {
    char *ext = sch__proto_parse_name(p, true, true, "in option extension name");
    if (!ext) {
      return false;
    }
    sch__buf_putc(b, '(');
    sch__buf_puts(b, ext);
    sch__buf_putc(b, ')');
    return sch__proto_expect(p, ")", "after option extension name");
  }
  if (p->tok.kind != PROTO_TOK_IDENT) {
    return sch__proto_fail_expected(p, "option name", "");
  }
  sch__buf_put(b, p->tok.text, p->tok.len);
  return sch__proto_next(p);
}

static const char *parse_option_name(proto_parser_t *p) {
  sch_buf_t b = {0};
  const char *out = NULL;
  bool ok = option_name_part(p, &b);
  while (ok && sch__proto_accept(p, ".")) {
    sch__buf_putc(&b, '.');
    ok = option_name_part(p, &b);
  }
  if (ok && b.oom) {
    sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
  } else if (ok) {
    out = sch__proto_arena_strndup(p->arena, b.data, b.len);
    if (!out) {
      sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
    }
  }
  sch__buf_fini(&b);
  return out;
}

/* Writes the current token of an aggregate value into b. */
static void aggregate_token(proto_parser_t *p, sch_buf_t *b, bool space) {
  bool tight = p->tok.kind == PROTO_TOK_SYMBOL && strchr(":,;]", p->tok.text[0]) != NULL;
  if (space && !tight) {
    sch__buf_putc(b, ' ');
  }
  if (p->tok.kind == PROTO_TOK_STRING) {
    sch__proto_put_string(b, p->tok.text, p->tok.len);
  } else {
    sch__buf_put(b, p->tok.text, p->tok.len);
  }
}

/* `{ ... }` with balanced braces, kept as text. Current token is "{". */
static bool parse_aggregate(proto_parser_t *p, sch_proto_const_t *out) {
  sch_buf_t b = {0};
  int line = p->tok.line, col = p->tok.col, open = 0;
  bool ok = true, space = false;
  do {
    if (p->tok.kind == PROTO_TOK_EOF) {
      ok = sch__proto_fail(p, SCH_ERR_INVALID, line, col, "expected \"}\" to close aggregate value");
      break;
    }
    if (sch__proto_is(p, "{")) {
      ok = sch__proto_enter(p);
      open++;
    } else if (sch__proto_is(p, "}")) {
      sch__proto_leave(p);
      open--;
    }
    if (ok) {
      aggregate_token(p, &b, space);
      space = !sch__proto_is(p, "-") && !sch__proto_is(p, "[");
      ok = sch__proto_next(p);
    }
  } while (ok && open > 0);
  if (!ok) {
    p->depth -= open;
  } else if (b.oom || !(out->text = sch__proto_arena_strndup(p->arena, b.data, b.len))) {
    ok = sch__proto_fail(p, SCH_ERR_NOMEM, line, col, "out of memory");
  } else {
    out->kind = SCH_PROTO_CONST_AGGREGATE;
    out->len = b.len;
  }
  sch__buf_fini(&b);
  return ok;
}

static bool is_inf_or_nan(const proto_tok_t *t) {
  return t->kind == PROTO_TOK_IDENT &&
         ((t->len == 3 && (memcmp(t->text, "inf", 3) == 0 || memcmp(t->text, "nan", 3) == 0)) ||
          (t->len == 8 && memcmp(t->text, "infinity", 8) == 0));
}

bool sch__proto_parse_const(proto_parser_t *p, sch_proto_const_t *out, const char *ctx) {
  if (sch__proto_is(p, "{")) {
    return parse_aggregate(p, out);
  }
  bool neg = sch__proto_accept(p, "-");
  if (p->code != SCH_OK) {
    return false;
  }
  switch (p->tok.kind) {
    case PROTO_TOK_INT:
      out->kind = SCH_PROTO_CONST_INT;
      break;
    case PROTO_TOK_FLOAT:
      out->kind = SCH_PROTO_CONST_FLOAT;
      break;
    case PROTO_TOK_IDENT:
      if (neg && !is_inf_or_nan(&p->tok)) {
        return sch__proto_fail_expected(p, "number", "after \"-\"");
      }
      out->kind = SCH_PROTO_CONST_IDENT;
      break;
    case PROTO_TOK_STRING:
      if (!neg) {
        out->kind = SCH_PROTO_CONST_STRING;
        break;
      }
      /* fallthrough */
    default:
      return sch__proto_fail_expected(p, neg ? "number" : "constant", ctx);
  }
  char *t = sch__proto_arena_alloc(p->arena, p->tok.len + 2);
  if (!t) {
    return sch__proto_fail(p, SCH_ERR_NOMEM, p->tok.line, p->tok.col, "out of memory");
  }
  size_t n = 0;
  if (neg) {
    t[n++] = '-';
  }
  memcpy(t + n, p->tok.text, p->tok.len);
  out->text = t;
  out->len = n + p->tok.len;
  return sch__proto_next(p);
}

/* name = constant, into a new node appended at *tail. */
static bool parse_assignment(proto_parser_t *p, sch_proto_option_t ***tail) {
  sch_proto_option_t *o = sch__proto_alloc(p, sizeof(*o));
  if (!o) {
    return false;
  }
  o->line = p->tok.line;
  o->col = p->tok.col;
  o->name = parse_option_name(p);
  if (!o->name || !sch__proto_expect(p, "=", "after option name") ||
      !sch__proto_parse_const(p, &o->value, "as option value")) {
    return false;
  }
  **tail = o;
  *tail = &o->next;
  return true;
}

bool sch__proto_parse_option_stmt(proto_parser_t *p, sch_proto_option_t **out) {
  sch_proto_option_t **tail = out;
  return parse_assignment(p, &tail) && sch__proto_expect(p, ";", "after option statement");
}

bool sch__proto_parse_option_list(proto_parser_t *p, sch_proto_option_t **list) {
  if (!sch__proto_accept(p, "[")) {
    return p->code == SCH_OK;
  }
  sch_proto_option_t **tail = list;
  while (*tail) {
    tail = &(*tail)->next;
  }
  size_t n = 0;
  do {
    if (++n > SCH_PROTO_MAX_ELEMS) {
      return sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col, "more than %d options in one list",
                             SCH_PROTO_MAX_ELEMS);
    }
    if (!parse_assignment(p, &tail)) {
      return false;
    }
  } while (sch__proto_accept(p, ","));
  return sch__proto_expect(p, "]", "after field options");
}
