// SPDX-License-Identifier: Apache-2.0
/* Message bodies in .proto text: fields (with labels, options and map<K,V>
 * types), proto2 groups (a field whose type is declared in place), oneofs,
 * nested messages and enums, reserved and extension ranges, and `extend`
 * blocks (kept, not checked against the extended type). Field numbers,
 * duplicates and proto3 rules are checked afterwards by proto_check.c. */
#include <stdio.h>
#include <string.h>

#include "proto_int.h"

static sch_proto_label_t parse_label(proto_parser_t *p) {
  if (sch__proto_accept(p, "optional")) {
    return SCH_PROTO_LABEL_OPTIONAL;
  }
  if (sch__proto_accept(p, "required")) {
    return SCH_PROTO_LABEL_REQUIRED;
  }
  if (sch__proto_accept(p, "repeated")) {
    return SCH_PROTO_LABEL_REPEATED;
  }
  return SCH_PROTO_LABEL_NONE;
}

static bool parse_map_types(proto_parser_t *p, sch_proto_field_t *f) {
  if (!sch__proto_next(p) || !sch__proto_expect(p, "<", "after \"map\"")) {
    return false;
  }
  f->map_key = sch__proto_parse_name(p, true, true, "as map key type");
  if (!f->map_key || !sch__proto_expect(p, ",", "after map key type")) {
    return false;
  }
  f->type = sch__proto_parse_name(p, true, true, "as map value type");
  return f->type && sch__proto_expect(p, ">", "after map value type");
}

static bool parse_body(proto_parser_t *p, sch_proto_message_t *m, const char *ctx);

/* `group Name = N [opts] { body }` after the label: protoc's field name is
 * the lower-cased group name. */
static bool parse_group(proto_parser_t *p, sch_proto_field_t *f) {
  int line = p->tok.line, col = p->tok.col;
  if (p->file->syntax == SCH_PROTO3) {
    return sch__proto_fail(p, SCH_ERR_INVALID, line, col, "groups are not supported in proto3");
  }
  sch__proto_next(p);
  if (p->tok.kind == PROTO_TOK_IDENT && !(p->tok.text[0] >= 'A' && p->tok.text[0] <= 'Z')) {
    return sch__proto_fail(p, SCH_ERR_INVALID, p->tok.line, p->tok.col,
                           "group name must start with a capital letter");
  }
  if (!(f->type = sch__proto_parse_name(p, false, false, "as group name"))) {
    return false;
  }
  char *lower = sch__proto_arena_strndup(p->arena, f->type, strlen(f->type));
  sch_proto_message_t *m = sch__proto_alloc(p, sizeof(*m));
  if (!lower || !m) {
    return sch__proto_fail(p, SCH_ERR_NOMEM, line, col, "out of memory");
  }
  for (char *c = lower; *c; c++) {
    *c = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
  }
  f->name = lower;
  m->name = f->type;
  m->line = line;
  m->col = col;
  f->group = m;
  char ctx[128];
  snprintf(ctx, sizeof ctx, "after group name \"%.80s\"", f->type);
  int64_t num = 0;
  if (!sch__proto_expect(p, "=", ctx) ||
      !sch__proto_parse_int(p, INT32_MIN, INT32_MAX, &num, "as field number")) {
    return false;
  }
  f->number = (int32_t)num;
  snprintf(ctx, sizeof ctx, "after group \"%.80s\"", f->type);
  return sch__proto_parse_option_list(p, &f->options) && sch__proto_count_type(p) && parse_body(p, m, ctx);
}

/* `where`: "message", "oneof" or "extend" (what labels and maps may do). */
static bool parse_field(proto_parser_t *p, const char *where, sch_proto_field_t **out) {
  sch_proto_field_t *f = sch__proto_alloc(p, sizeof(*f));
  if (!f) {
    return false;
  }
  f->line = p->tok.line;
  f->col = p->tok.col;
  f->label = parse_label(p);
  if (f->label != SCH_PROTO_LABEL_NONE && strcmp(where, "oneof") == 0) {
    return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col, "fields in oneofs must not have labels");
  }
  if (sch__proto_is(p, "group") && sch__proto_peek(p).kind == PROTO_TOK_IDENT) {
    *out = f;
    return parse_group(p, f);
  }
  if (sch__proto_is(p, "map") && sch__proto_peek(p).kind == PROTO_TOK_SYMBOL &&
      sch__proto_peek(p).text[0] == '<') {
    if (f->label != SCH_PROTO_LABEL_NONE || strcmp(where, "message") != 0) {
      return sch__proto_fail(p, SCH_ERR_INVALID, f->line, f->col, "map fields are not allowed %s",
                             f->label != SCH_PROTO_LABEL_NONE ? "with labels" : "in oneofs or extend blocks");
    }
    if (!parse_map_types(p, f)) {
      return false;
    }
  } else if (!(f->type = sch__proto_parse_name(p, true, true, "as field type"))) {
    return false;
  }
  if (!(f->name = sch__proto_parse_name(p, false, false, "as field name"))) {
    return false;
  }
  char ctx[128];
  snprintf(ctx, sizeof ctx, "after field name \"%.80s\"", f->name);
  int64_t num = 0;
  if (!sch__proto_expect(p, "=", ctx) ||
      !sch__proto_parse_int(p, INT32_MIN, INT32_MAX, &num, "as field number")) {
    return false;
  }
  f->number = (int32_t)num;
  if (!sch__proto_parse_option_list(p, &f->options)) {
    return false;
  }
  snprintf(ctx, sizeof ctx, "after field \"%.80s\"", f->name);
  *out = f;
  return sch__proto_expect(p, ";", ctx);
}

static bool parse_range(proto_parser_t *p, int mode, sch_proto_range_t *r) {
  int64_t lo = mode == PROTO_RESERVED_ENUM ? INT32_MIN : 0, hi = INT32_MAX, v = 0;
  int line = p->tok.line, col = p->tok.col;
  if (!sch__proto_parse_int(p, lo, hi, &v, "in range")) {
    return false;
  }
  r->start = r->end = (int32_t)v;
  if (!sch__proto_accept(p, "to")) {
    return p->code == SCH_OK;
  }
  if (sch__proto_accept(p, "max")) {
    r->end = mode == PROTO_RESERVED_ENUM ? INT32_MAX : SCH_PROTO_MAX_TAG;
    r->end_is_max = 1;
  } else if (sch__proto_parse_int(p, lo, hi, &v, "after \"to\"")) {
    r->end = (int32_t)v;
  } else {
    return false;
  }
  if (r->end < r->start) {
    return sch__proto_fail(p, SCH_ERR_INVALID, line, col, "range end %d is before its start %d", r->end,
                           r->start);
  }
  return true;
}

bool sch__proto_parse_reserved(proto_parser_t *p, int mode, sch_proto_reserved_t **out) {
  sch_proto_reserved_t *r = sch__proto_alloc(p, sizeof(*r));
  if (!r || !sch__proto_next(p)) {
    return false;
  }
  r->line = p->tok.line;
  r->col = p->tok.col;
  sch_proto_range_t **rt = &r->ranges;
  sch_proto_name_t **nt = &r->names;
  size_t n = 0;
  do {
    if (++n > SCH_PROTO_MAX_ELEMS) {
      return sch__proto_fail(p, SCH_ERR_LIMIT, p->tok.line, p->tok.col,
                             "more than %d entries in one statement", SCH_PROTO_MAX_ELEMS);
    }
    if (p->tok.kind == PROTO_TOK_STRING && mode != PROTO_EXTENSIONS && !r->ranges) {
      sch_proto_name_t *nm = sch__proto_alloc(p, sizeof(*nm));
      if (!nm || !(nm->name = sch__proto_tok_dup(p)) || !sch__proto_next(p)) {
        return false;
      }
      *nt = nm;
      nt = &nm->next;
    } else if (r->names) {
      return sch__proto_fail_expected(p, "reserved name string", "(names and numbers cannot be mixed)");
    } else {
      sch_proto_range_t *rg = sch__proto_alloc(p, sizeof(*rg));
      if (!rg || !parse_range(p, mode, rg)) {
        return false;
      }
      *rt = rg;
      rt = &rg->next;
    }
  } while (sch__proto_accept(p, ","));
  if (mode == PROTO_EXTENSIONS && !sch__proto_parse_option_list(p, &r->options)) {
    return false;
  }
  *out = r;
  return sch__proto_expect(p, ";",
                           mode == PROTO_EXTENSIONS ? "after extension ranges" : "after reserved statement");
}

static bool parse_oneof(proto_parser_t *p, sch_proto_oneof_t **out) {
  sch_proto_oneof_t *o = sch__proto_alloc(p, sizeof(*o));
  if (!o || !sch__proto_enter(p)) {
    return false;
  }
  o->line = p->tok.line;
  o->col = p->tok.col;
  sch__proto_next(p);
  o->name = sch__proto_parse_name(p, false, false, "as oneof name");
  if (!o->name || !sch__proto_expect(p, "{", "after oneof name")) {
    return false;
  }
  sch_proto_option_t **ot = &o->options;
  sch_proto_field_t **ft = &o->fields;
  size_t n = 0;
  while (sch__proto_block_next(p, &n, "to close oneof")) {
    if (sch__proto_accept(p, "option")) {
      if (sch__proto_parse_option_stmt(p, ot)) {
        ot = &(*ot)->next;
      }
    } else if (parse_field(p, "oneof", ft)) {
      ft = &(*ft)->next;
    }
  }
  if (p->code == SCH_OK && !o->fields) {
    return sch__proto_fail(p, SCH_ERR_INVALID, o->line, o->col, "oneof \"%s\" must have at least one field",
                           o->name);
  }
  sch__proto_leave(p);
  *out = o;
  return p->code == SCH_OK;
}

bool sch__proto_parse_extend(proto_parser_t *p, sch_proto_extend_t **out) {
  sch_proto_extend_t *x = sch__proto_alloc(p, sizeof(*x));
  if (!x || !sch__proto_enter(p)) {
    return false;
  }
  x->line = p->tok.line;
  x->col = p->tok.col;
  sch__proto_next(p);
  x->type = sch__proto_parse_name(p, true, true, "as extended type");
  if (!x->type || !sch__proto_expect(p, "{", "after extended type")) {
    return false;
  }
  sch_proto_field_t **ft = &x->fields;
  size_t n = 0;
  while (sch__proto_block_next(p, &n, "to close extend block")) {
    if (parse_field(p, "extend", ft)) {
      ft = &(*ft)->next;
    }
  }
  sch__proto_leave(p);
  *out = x;
  return p->code == SCH_OK;
}

/* One statement of a message body. */
static bool parse_body_elem(proto_parser_t *p, sch_proto_elem_t ***tail, size_t *n) {
  sch_proto_elem_t *e = NULL;
  static const struct {
    const char *kw;
    sch_proto_elem_kind_t kind;
  } kws[] = {
      {"message", SCH_PROTO_ELEM_MESSAGE},       {"enum", SCH_PROTO_ELEM_ENUM},
      {"option", SCH_PROTO_ELEM_OPTION},         {"reserved", SCH_PROTO_ELEM_RESERVED},
      {"extensions", SCH_PROTO_ELEM_EXTENSIONS}, {"extend", SCH_PROTO_ELEM_EXTEND},
      {"oneof", SCH_PROTO_ELEM_ONEOF},
  };
  sch_proto_elem_kind_t kind = SCH_PROTO_ELEM_FIELD;
  for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
    if (sch__proto_is(p, kws[i].kw)) {
      kind = kws[i].kind;
    }
  }
  if (!(e = sch__proto_elem_add(p, tail, n, kind))) {
    return false;
  }
  switch (kind) {
    case SCH_PROTO_ELEM_MESSAGE:
      return sch__proto_parse_message(p, &e->u.message);
    case SCH_PROTO_ELEM_ENUM:
      return sch__proto_parse_enum(p, &e->u.enm);
    case SCH_PROTO_ELEM_OPTION:
      return sch__proto_next(p) && sch__proto_parse_option_stmt(p, &e->u.option);
    case SCH_PROTO_ELEM_RESERVED:
      return sch__proto_parse_reserved(p, PROTO_RESERVED_MESSAGE, &e->u.reserved);
    case SCH_PROTO_ELEM_EXTENSIONS:
      return sch__proto_parse_reserved(p, PROTO_EXTENSIONS, &e->u.reserved);
    case SCH_PROTO_ELEM_EXTEND:
      return sch__proto_parse_extend(p, &e->u.extend);
    case SCH_PROTO_ELEM_ONEOF:
      return parse_oneof(p, &e->u.oneof);
    default:
      return parse_field(p, "message", &e->u.field);
  }
}

/* `{ statements }` of a message or group; ctx says what precedes the "{". */
static bool parse_body(proto_parser_t *p, sch_proto_message_t *m, const char *ctx) {
  if (!sch__proto_expect(p, "{", ctx) || !sch__proto_enter(p)) {
    return false;
  }
  sch_proto_elem_t **tail = &m->elems;
  size_t n = 0, stmts = 0;
  while (sch__proto_block_next(p, &stmts, "to close message")) {
    parse_body_elem(p, &tail, &n);
  }
  sch__proto_leave(p);
  return p->code == SCH_OK;
}

bool sch__proto_parse_message(proto_parser_t *p, sch_proto_message_t **out) {
  sch_proto_message_t *m = sch__proto_alloc(p, sizeof(*m));
  if (!m || !sch__proto_count_type(p)) {
    return false;
  }
  m->line = p->tok.line;
  m->col = p->tok.col;
  sch__proto_next(p);
  m->name = sch__proto_parse_name(p, false, false, "as message name");
  char ctx[128];
  snprintf(ctx, sizeof ctx, "after message name \"%.80s\"", m->name ? m->name : "");
  *out = m;
  return m->name && parse_body(p, m, ctx);
}
