// SPDX-License-Identifier: Apache-2.0
/* Internals of the .proto parser shared by proto_*.c: the node arena, the
 * tokenizer's state and tokens, and the recursive-descent parser's state and
 * error helpers. Nothing here is visible outside the schemas module. */
#ifndef WEIR_SCHEMAS_PROTO_INT_H
#define WEIR_SCHEMAS_PROTO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sch_int.h"
#include "schemas/proto_model.h"

/* ---- arena (proto_arena.c) ----------------------------------------------- */

typedef struct sch_proto_arena sch_proto_arena_t;
sch_proto_arena_t *sch__proto_arena_new(void);
void sch__proto_arena_destroy(sch_proto_arena_t *a);
/* Zeroed memory owned by the arena; NULL on oom. */
void *sch__proto_arena_alloc(sch_proto_arena_t *a, size_t n);
/* NUL-terminated copy of n bytes; NULL on oom. */
char *sch__proto_arena_strndup(sch_proto_arena_t *a, const char *s, size_t n);

/* ---- tokenizer (proto_lex.c) --------------------------------------------- */

typedef enum {
  PROTO_TOK_EOF,
  PROTO_TOK_IDENT,
  PROTO_TOK_INT,
  PROTO_TOK_FLOAT,
  PROTO_TOK_STRING,
  PROTO_TOK_SYMBOL,
  PROTO_TOK_ERROR,
} proto_tok_kind_t;

typedef struct proto_tok {
  proto_tok_kind_t kind;
  const char *text; /* into the source (IDENT/INT/FLOAT/SYMBOL); decoded bytes for STRING */
  size_t len;
  int line, col;
} proto_tok_t;

typedef struct proto_lex {
  const char *src;
  size_t len, pos;
  int line, col;
  sch_buf_t str;    /* decoded bytes of the last STRING token */
  char errmsg[200]; /* set with a PROTO_TOK_ERROR token */
} proto_lex_t;

void sch__proto_lex_init(proto_lex_t *lx, const char *src, size_t len);
void sch__proto_lex_fini(proto_lex_t *lx);
/* Reads the next token. STRING text stays valid until the next call. */
proto_tok_t sch__proto_lex_next(proto_lex_t *lx);

/* ---- parser (proto_parse*.c) --------------------------------------------- */

typedef struct proto_parser {
  proto_lex_t lx;
  proto_tok_t tok; /* current token */
  sch_proto_file_t *file;
  sch_proto_arena_t *arena;
  sch_error_t *err;
  sch_code_t code; /* first error; parsing stops once set */
  int depth;
  size_t n_types;
} proto_parser_t;

/* Advances to the next token (sets an error on a lexical error). */
bool sch__proto_next(proto_parser_t *p);
/* True if the current token is the identifier/symbol `s`. */
bool sch__proto_is(const proto_parser_t *p, const char *s);
/* Consumes `s` if current; false without error otherwise. */
bool sch__proto_accept(proto_parser_t *p, const char *s);
/* Consumes `s` or fails with `expected "s" <ctx>`. */
bool sch__proto_expect(proto_parser_t *p, const char *s, const char *ctx);
/* Peeks at the token after the current one (does not consume). */
proto_tok_t sch__proto_peek(proto_parser_t *p);
/* Sets the parse error (first one wins) at line:col; returns false. */
bool sch__proto_fail(proto_parser_t *p, sch_code_t code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Fails at the current token: "line L:C: expected <what> <ctx>, got ...". */
bool sch__proto_fail_expected(proto_parser_t *p, const char *what, const char *ctx);

/* Steps to the next statement of a "{ ... }" block whose "{" was consumed:
 * skips empty statements (";"), consumes the closing "}" (then returns
 * false), and fails at the end of input (expected "}" close_ctx) or past
 * SCH_PROTO_MAX_ELEMS statements (*n counts them). True when a statement
 * starts at the current token; false at the "}" or on an error (p->code).
 * Every block loop of the parser is `while (sch__proto_block_next(...))`. */
bool sch__proto_block_next(proto_parser_t *p, size_t *n, const char *close_ctx);
/* Arena copy of the current token's text; fails with nomem. */
char *sch__proto_tok_dup(proto_parser_t *p);
void *sch__proto_alloc(proto_parser_t *p, size_t n);
/* Enters/leaves one nesting level (SCH_MAX_DEPTH). */
bool sch__proto_enter(proto_parser_t *p);
void sch__proto_leave(proto_parser_t *p);

/* Identifier (`a`), or dotted name (`a.b.c`, with leading dot if allow_dot). */
char *sch__proto_parse_name(proto_parser_t *p, bool dotted, bool allow_dot, const char *ctx);
/* Integer token (with optional leading '-') into *out within [lo, hi]. */
bool sch__proto_parse_int(proto_parser_t *p, int64_t lo, int64_t hi, int64_t *out, const char *ctx);

/* Appends a new element of `kind` at *tail (advancing it); NULL on oom or
 * when the list would exceed SCH_PROTO_MAX_ELEMS (*count counts it). */
sch_proto_elem_t *sch__proto_elem_add(proto_parser_t *p, sch_proto_elem_t ***tail, size_t *count,
                                      sch_proto_elem_kind_t kind);
/* Counts one more message or enum (SCH_MAX_NAMED_TYPES). */
bool sch__proto_count_type(proto_parser_t *p);

/* proto_print.c: writes bytes as a double-quoted .proto string literal. */
void sch__proto_put_string(sch_buf_t *b, const char *s, size_t n);

/* proto_parse_option.c */
bool sch__proto_parse_const(proto_parser_t *p, sch_proto_const_t *out, const char *ctx);
/* `option name = value;` (after the keyword) appended to *list. */
bool sch__proto_parse_option_stmt(proto_parser_t *p, sch_proto_option_t **out);
/* `[a = b, c = d]` if present; appends to *list. */
bool sch__proto_parse_option_list(proto_parser_t *p, sch_proto_option_t **list);

/* proto_parse_message.c */
bool sch__proto_parse_message(proto_parser_t *p, sch_proto_message_t **out);
bool sch__proto_parse_extend(proto_parser_t *p, sch_proto_extend_t **out);
/* mode: PROTO_RESERVED_MESSAGE, PROTO_RESERVED_ENUM or PROTO_EXTENSIONS. */
enum { PROTO_RESERVED_MESSAGE, PROTO_RESERVED_ENUM, PROTO_EXTENSIONS };
bool sch__proto_parse_reserved(proto_parser_t *p, int mode, sch_proto_reserved_t **out);

/* proto_parse_enum.c */
bool sch__proto_parse_enum(proto_parser_t *p, sch_proto_enum_t **out);
bool sch__proto_parse_service(proto_parser_t *p, sch_proto_service_t **out);

/* proto_check.c: semantic checks needing no imports. */
bool sch__proto_check_file(proto_parser_t *p);

/* proto_format.c: the PROTOBUF entry of the format table. */
extern const sch_format_t sch__proto_format;

/* proto_normalize.c: the normalized text of `text` (the canonical text of
 * the resolved schema pb). malloc'd; NULL with err set. */
struct sch_pb_schema;
char *sch__proto_normalize(const struct sch_pb_schema *pb, const char *text, size_t len, size_t *out_len,
                           sch_error_t *err);

#endif
