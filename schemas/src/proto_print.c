// SPDX-License-Identifier: Apache-2.0
/* Prints a parsed .proto file in weir's stable layout, modelled on the
 * Wire-style text Confluent's registry returns: comments dropped, syntax (when
 * the file states it) and package first, imports in declaration order, file
 * options, then messages, enums, services and extend blocks in declaration
 * order; inside a message, options, reserved and extension ranges, then
 * fields and oneofs, then nested types -- unless a map field or group comes
 * after a nested message, when fields and nested types keep their
 * declaration order (message indexes depend on it). 2-space indent, one statement per line. Printing is a fixed point:
 * parsing the output and printing again gives the same bytes. Normalization
 * (sorting, qualifying type names) is not done here. */
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

void sch__proto_put_string(sch_buf_t *b, const char *s, size_t n) {
  sch__buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      sch__buf_putc(b, '\\');
      sch__buf_putc(b, (char)c);
    } else if (c == '\n') {
      sch__buf_puts(b, "\\n");
    } else if (c == '\r') {
      sch__buf_puts(b, "\\r");
    } else if (c == '\t') {
      sch__buf_puts(b, "\\t");
    } else if (c < 0x20 || c >= 0x7F) {
      sch__buf_printf(b, "\\%03o", c);
    } else {
      sch__buf_putc(b, (char)c);
    }
  }
  sch__buf_putc(b, '"');
}

static void indent(sch_buf_t *b, int level) {
  for (int i = 0; i < level; i++) {
    sch__buf_puts(b, "  ");
  }
}

static void put_const(sch_buf_t *b, const sch_proto_const_t *v) {
  if (v->kind == SCH_PROTO_CONST_STRING) {
    sch__proto_put_string(b, v->text, v->len);
  } else {
    sch__buf_put(b, v->text, v->len);
  }
}

static void put_option_stmt(sch_buf_t *b, const sch_proto_option_t *o, int level) {
  for (; o; o = o->next) {
    indent(b, level);
    sch__buf_printf(b, "option %s = ", o->name);
    put_const(b, &o->value);
    sch__buf_puts(b, ";\n");
  }
}

static void put_option_list(sch_buf_t *b, const sch_proto_option_t *o) {
  if (!o) {
    return;
  }
  sch__buf_puts(b, " [");
  for (const sch_proto_option_t *i = o; i; i = i->next) {
    sch__buf_printf(b, "%s%s = ", i == o ? "" : ", ", i->name);
    put_const(b, &i->value);
  }
  sch__buf_putc(b, ']');
}

static void put_body(sch_buf_t *b, const sch_proto_message_t *m, int level);

static void put_field(sch_buf_t *b, const sch_proto_field_t *f, int level) {
  static const char *const labels[] = {"", "optional ", "required ", "repeated "};
  indent(b, level);
  sch__buf_puts(b, labels[f->label]);
  if (f->group) {
    sch__buf_printf(b, "group %s = %d", f->type, (int)f->number);
    put_option_list(b, f->options);
    sch__buf_puts(b, " {\n");
    put_body(b, f->group, level + 1);
    indent(b, level);
    sch__buf_puts(b, "}\n");
    return;
  }
  if (f->map_key) {
    sch__buf_printf(b, "map<%s, %s>", f->map_key, f->type);
  } else {
    sch__buf_puts(b, f->type);
  }
  sch__buf_printf(b, " %s = %d", f->name, (int)f->number);
  put_option_list(b, f->options);
  sch__buf_puts(b, ";\n");
}

static void put_reserved(sch_buf_t *b, const sch_proto_reserved_t *r, const char *kw, int level) {
  indent(b, level);
  sch__buf_printf(b, "%s ", kw);
  for (const sch_proto_range_t *g = r->ranges; g; g = g->next) {
    sch__buf_printf(b, "%s%d", g == r->ranges ? "" : ", ", (int)g->start);
    if (g->end_is_max) {
      sch__buf_puts(b, " to max");
    } else if (g->end != g->start) {
      sch__buf_printf(b, " to %d", (int)g->end);
    }
  }
  for (const sch_proto_name_t *n = r->names; n; n = n->next) {
    if (n != r->names) {
      sch__buf_puts(b, ", ");
    }
    sch__proto_put_string(b, n->name, strlen(n->name));
  }
  put_option_list(b, r->options);
  sch__buf_puts(b, ";\n");
}

static void put_enum(sch_buf_t *b, const sch_proto_enum_t *e, int level) {
  indent(b, level);
  sch__buf_printf(b, "enum %s {\n", e->name);
  put_option_stmt(b, e->options, level + 1);
  for (const sch_proto_elem_t *r = e->reserved; r; r = r->next) {
    put_reserved(b, r->u.reserved, "reserved", level + 1);
  }
  for (const sch_proto_enum_value_t *v = e->values; v; v = v->next) {
    indent(b, level + 1);
    sch__buf_printf(b, "%s = %d", v->name, (int)v->number);
    put_option_list(b, v->options);
    sch__buf_puts(b, ";\n");
  }
  indent(b, level);
  sch__buf_puts(b, "}\n");
}

static void put_extend(sch_buf_t *b, const sch_proto_extend_t *x, int level) {
  indent(b, level);
  sch__buf_printf(b, "extend %s {\n", x->type);
  for (const sch_proto_field_t *f = x->fields; f; f = f->next) {
    put_field(b, f, level + 1);
  }
  indent(b, level);
  sch__buf_puts(b, "}\n");
}

static void put_oneof(sch_buf_t *b, const sch_proto_oneof_t *o, int level) {
  indent(b, level);
  sch__buf_printf(b, "oneof %s {\n", o->name);
  put_option_stmt(b, o->options, level + 1);
  for (const sch_proto_field_t *f = o->fields; f; f = f->next) {
    put_field(b, f, level + 1);
  }
  indent(b, level);
  sch__buf_puts(b, "}\n");
}

static void put_message(sch_buf_t *b, const sch_proto_message_t *m, int level);

/* A nested or top-level type-like declaration, preceded by a blank line when
 * something was printed since `start`. */
static void put_decl(sch_buf_t *b, const sch_proto_elem_t *e, int level, size_t start) {
  if (e->kind != SCH_PROTO_ELEM_MESSAGE && e->kind != SCH_PROTO_ELEM_ENUM &&
      e->kind != SCH_PROTO_ELEM_EXTEND && e->kind != SCH_PROTO_ELEM_SERVICE) {
    return;
  }
  if (b->len > start) {
    sch__buf_putc(b, '\n');
  }
  if (e->kind == SCH_PROTO_ELEM_MESSAGE) {
    put_message(b, e->u.message, level);
  } else if (e->kind == SCH_PROTO_ELEM_ENUM) {
    put_enum(b, e->u.enm, level);
  } else if (e->kind == SCH_PROTO_ELEM_EXTEND) {
    put_extend(b, e->u.extend, level);
  } else {
    const sch_proto_service_t *s = e->u.service;
    indent(b, level);
    sch__buf_printf(b, "service %s {\n", s->name);
    put_option_stmt(b, s->options, level + 1);
    for (const sch_proto_rpc_t *r = s->rpcs; r; r = r->next) {
      indent(b, level + 1);
      sch__buf_printf(b, "rpc %s (%s%s) returns (%s%s)", r->name, r->input_stream ? "stream " : "", r->input,
                      r->output_stream ? "stream " : "", r->output);
      if (r->options) {
        sch__buf_puts(b, " {\n");
        put_option_stmt(b, r->options, level + 2);
        indent(b, level + 1);
        sch__buf_puts(b, "}\n");
      } else {
        sch__buf_puts(b, ";\n");
      }
    }
    indent(b, level);
    sch__buf_puts(b, "}\n");
  }
}

static void put_message(sch_buf_t *b, const sch_proto_message_t *m, int level) {
  indent(b, level);
  sch__buf_printf(b, "message %s {\n", m->name);
  put_body(b, m, level + 1);
  indent(b, level);
  sch__buf_puts(b, "}\n");
}

/* True if a map field or group (each makes a nested message in protoc's
 * descriptor) follows a nested message declaration: protoc orders
 * nested_type by declaration, so printing fields first would move message
 * indexes. Such bodies are printed in declaration order; all others in
 * Confluent's layout (fields, then nested types). */
static bool entries_after_messages(const sch_proto_message_t *m) {
  bool seen_message = false;
  for (const sch_proto_elem_t *e = m->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_MESSAGE) {
      seen_message = true;
    } else if (seen_message && e->kind == SCH_PROTO_ELEM_FIELD && (e->u.field->map_key || e->u.field->group)) {
      return true;
    } else if (seen_message && e->kind == SCH_PROTO_ELEM_ONEOF) {
      for (const sch_proto_field_t *f = e->u.oneof->fields; f; f = f->next) {
        if (f->group) return true;
      }
    }
  }
  return false;
}

/* The statements of a message or group body at `level`. */
static void put_body(sch_buf_t *b, const sch_proto_message_t *m, int level) {
  size_t start = b->len;
  const sch_proto_elem_t *e;
  for (e = m->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      put_option_stmt(b, e->u.option, level);
    }
  }
  for (e = m->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_RESERVED) {
      put_reserved(b, e->u.reserved, "reserved", level);
    }
  }
  for (e = m->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_EXTENSIONS) {
      put_reserved(b, e->u.reserved, "extensions", level);
    }
  }
  if (!entries_after_messages(m)) {
    for (e = m->elems; e; e = e->next) {
      if (e->kind == SCH_PROTO_ELEM_FIELD) {
        put_field(b, e->u.field, level);
      } else if (e->kind == SCH_PROTO_ELEM_ONEOF) {
        put_oneof(b, e->u.oneof, level);
      }
    }
    for (e = m->elems; e; e = e->next) {
      put_decl(b, e, level, start);
    }
    return;
  }
  for (e = m->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_FIELD) {
      put_field(b, e->u.field, level);
    } else if (e->kind == SCH_PROTO_ELEM_ONEOF) {
      put_oneof(b, e->u.oneof, level);
    } else {
      put_decl(b, e, level, start);
    }
  }
}

static void put_header(sch_buf_t *b, const sch_proto_file_t *f) {
  if (f->syntax_written) {
    sch__buf_printf(b, "syntax = \"proto%d\";\n", f->syntax == SCH_PROTO3 ? 3 : 2);
  }
  if (f->package) {
    sch__buf_printf(b, "package %s;\n", f->package);
  }
  static const char *const kinds[] = {"", "public ", "weak "};
  for (const sch_proto_import_t *i = f->imports; i; i = i->next) {
    if (i == f->imports) {
      sch__buf_putc(b, '\n');
    }
    sch__buf_printf(b, "import %s", kinds[i->kind]);
    sch__proto_put_string(b, i->path, i->path_len);
    sch__buf_puts(b, ";\n");
  }
  bool first = true;
  for (const sch_proto_elem_t *e = f->elems; e; e = e->next) {
    if (e->kind == SCH_PROTO_ELEM_OPTION) {
      if (first) {
        sch__buf_putc(b, '\n');
        first = false;
      }
      put_option_stmt(b, e->u.option, 0);
    }
  }
}

char *sch_proto_print(const sch_proto_file_t *file, size_t *len, sch_error_t *err) {
  sch_buf_t b = {0};
  put_header(&b, file);
  for (const sch_proto_elem_t *e = file->elems; e; e = e->next) {
    put_decl(&b, e, 0, 0);
  }
  char *out = sch__buf_take(&b, len);
  if (!out) {
    sch__buf_fini(&b);
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
  }
  return out;
}
