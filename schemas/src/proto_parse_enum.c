// SPDX-License-Identifier: Apache-2.0
/* Enums and services in .proto text: enum values with options, enum options
 * and reserved statements; services with options and rpcs (streaming input
 * or output, optional option bodies). Services are kept only to be printed
 * back; nothing checks their request and response types. */
#include <stdio.h>
#include <string.h>

#include "proto_int.h"

static bool parse_value(proto_parser_t *p, sch_proto_enum_value_t **out) {
  sch_proto_enum_value_t *v = sch__proto_alloc(p, sizeof(*v));
  if (!v) {
    return false;
  }
  v->line = p->tok.line;
  v->col = p->tok.col;
  v->name = sch__proto_parse_name(p, false, false, "as enum value name");
  if (!v->name) {
    return false;
  }
  char ctx[128];
  snprintf(ctx, sizeof ctx, "after enum value name \"%.80s\"", v->name);
  int64_t num = 0;
  if (!sch__proto_expect(p, "=", ctx) ||
      !sch__proto_parse_int(p, INT32_MIN, INT32_MAX, &num, "as enum value")) {
    return false;
  }
  v->number = (int32_t)num;
  snprintf(ctx, sizeof ctx, "after enum value \"%.80s\"", v->name);
  *out = v;
  return sch__proto_parse_option_list(p, &v->options) && sch__proto_expect(p, ";", ctx);
}

/* One statement of an enum body; tails advance as nodes are added. */
static bool parse_enum_elem(proto_parser_t *p, sch_proto_enum_value_t ***vt, sch_proto_option_t ***ot,
                            sch_proto_elem_t ***rt) {
  if (sch__proto_accept(p, "option")) {
    if (!sch__proto_parse_option_stmt(p, *ot)) {
      return false;
    }
    *ot = &(**ot)->next;
    return true;
  }
  if (sch__proto_is(p, "reserved")) {
    size_t unused = 0;
    sch_proto_elem_t *r = sch__proto_elem_add(p, rt, &unused, SCH_PROTO_ELEM_RESERVED);
    return r && sch__proto_parse_reserved(p, PROTO_RESERVED_ENUM, &r->u.reserved);
  }
  if (!parse_value(p, *vt)) {
    return false;
  }
  *vt = &(**vt)->next;
  return true;
}

bool sch__proto_parse_enum(proto_parser_t *p, sch_proto_enum_t **out) {
  sch_proto_enum_t *e = sch__proto_alloc(p, sizeof(*e));
  if (!e || !sch__proto_enter(p) || !sch__proto_count_type(p)) {
    return false;
  }
  e->line = p->tok.line;
  e->col = p->tok.col;
  sch__proto_next(p);
  e->name = sch__proto_parse_name(p, false, false, "as enum name");
  if (!e->name || !sch__proto_expect(p, "{", "after enum name")) {
    return false;
  }
  sch_proto_enum_value_t **vt = &e->values;
  sch_proto_option_t **ot = &e->options;
  sch_proto_elem_t **rt = &e->reserved;
  size_t n = 0;
  while (sch__proto_block_next(p, &n, "to close enum")) {
    parse_enum_elem(p, &vt, &ot, &rt);
  }
  sch__proto_leave(p);
  *out = e;
  return p->code == SCH_OK;
}

/* `(stream Type)` of an rpc. */
static bool parse_rpc_type(proto_parser_t *p, const char **type, int *stream, const char *ctx) {
  if (!sch__proto_expect(p, "(", ctx)) {
    return false;
  }
  if (sch__proto_is(p, "stream")) {
    proto_tok_t next = sch__proto_peek(p);
    if (next.kind == PROTO_TOK_IDENT || (next.kind == PROTO_TOK_SYMBOL && next.text[0] == '.')) {
      *stream = 1;
      sch__proto_next(p);
    }
  }
  *type = sch__proto_parse_name(p, true, true, "as rpc message type");
  return *type && sch__proto_expect(p, ")", "after rpc message type");
}

static bool parse_rpc_body(proto_parser_t *p, sch_proto_rpc_t *r) {
  if (sch__proto_accept(p, ";")) {
    return true;
  }
  if (!sch__proto_expect(p, "{", "or \";\" after rpc declaration") || !sch__proto_enter(p)) {
    return false;
  }
  r->has_body = 1;
  sch_proto_option_t **ot = &r->options;
  size_t n = 0;
  while (sch__proto_block_next(p, &n, "to close rpc body")) {
    if (!sch__proto_expect(p, "option", "in rpc body") || !sch__proto_parse_option_stmt(p, ot)) {
      return false;
    }
    ot = &(*ot)->next;
  }
  sch__proto_leave(p);
  return p->code == SCH_OK;
}

static bool parse_rpc(proto_parser_t *p, sch_proto_rpc_t **out) {
  sch_proto_rpc_t *r = sch__proto_alloc(p, sizeof(*r));
  if (!r) {
    return false;
  }
  r->line = p->tok.line;
  r->col = p->tok.col;
  sch__proto_next(p);
  r->name = sch__proto_parse_name(p, false, false, "as rpc name");
  if (!r->name || !parse_rpc_type(p, &r->input, &r->input_stream, "after rpc name") ||
      !sch__proto_expect(p, "returns", "after rpc input type") ||
      !parse_rpc_type(p, &r->output, &r->output_stream, "after \"returns\"")) {
    return false;
  }
  *out = r;
  return parse_rpc_body(p, r);
}

bool sch__proto_parse_service(proto_parser_t *p, sch_proto_service_t **out) {
  sch_proto_service_t *s = sch__proto_alloc(p, sizeof(*s));
  if (!s || !sch__proto_enter(p)) {
    return false;
  }
  s->line = p->tok.line;
  s->col = p->tok.col;
  sch__proto_next(p);
  s->name = sch__proto_parse_name(p, false, false, "as service name");
  if (!s->name || !sch__proto_expect(p, "{", "after service name")) {
    return false;
  }
  sch_proto_option_t **ot = &s->options;
  sch_proto_rpc_t **rt = &s->rpcs;
  size_t n = 0;
  while (sch__proto_block_next(p, &n, "to close service")) {
    if (sch__proto_accept(p, "option")) {
      if (sch__proto_parse_option_stmt(p, ot)) {
        ot = &(*ot)->next;
      }
    } else if (sch__proto_is(p, "rpc")) {
      if (parse_rpc(p, rt)) {
        rt = &(*rt)->next;
      }
    } else {
      return sch__proto_fail_expected(p, "\"rpc\", \"option\" or \"}\"", "in service");
    }
  }
  sch__proto_leave(p);
  *out = s;
  return p->code == SCH_OK;
}
