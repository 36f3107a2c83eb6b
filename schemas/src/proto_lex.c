// SPDX-License-Identifier: Apache-2.0
/* The .proto tokenizer: identifiers, integers (decimal, hex, octal), floats,
 * strings with every escape protoc knows (adjacent literals concatenated),
 * single-character symbols, and line:col positions for error messages.
 * Comments and whitespace are skipped here. Signs, `inf` and `nan` are left to
 * the parser, which knows where a constant may appear. */
#include <stdio.h>
#include <string.h>

#include "proto_int.h"

void sch__proto_lex_init(proto_lex_t *lx, const char *src, size_t len) {
  memset(lx, 0, sizeof(*lx));
  lx->src = src;
  lx->len = len;
  lx->line = 1;
  lx->col = 1;
}

void sch__proto_lex_fini(proto_lex_t *lx) {
  sch__buf_fini(&lx->str);
}

static int peekc(const proto_lex_t *lx, size_t ahead) {
  return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void advance(proto_lex_t *lx) {
  if (lx->src[lx->pos] == '\n') {
    lx->line++;
    lx->col = 1;
  } else {
    lx->col++;
  }
  lx->pos++;
}

static proto_tok_t lex_error(proto_lex_t *lx, int line, int col, const char *what) {
  snprintf(lx->errmsg, sizeof lx->errmsg, "line %d:%d: %s", line, col, what);
  return (proto_tok_t){.kind = PROTO_TOK_ERROR, .line = line, .col = col};
}

static bool is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
static bool is_hex(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hex_val(int c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Skips whitespace and comments; false (with errmsg) on an open comment. */
static bool skip_space(proto_lex_t *lx) {
  for (;;) {
    int c = peekc(lx, 0);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      advance(lx);
    } else if (c == '/' && peekc(lx, 1) == '/') {
      while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n') {
        advance(lx);
      }
    } else if (c == '/' && peekc(lx, 1) == '*') {
      int line = lx->line, col = lx->col;
      advance(lx);
      advance(lx);
      while (!(peekc(lx, 0) == '*' && peekc(lx, 1) == '/')) {
        if (peekc(lx, 0) == -1) {
          lex_error(lx, line, col, "unterminated comment");
          return false;
        }
        advance(lx);
      }
      advance(lx);
      advance(lx);
    } else {
      return true;
    }
  }
}

static void put_utf8(sch_buf_t *b, uint32_t cp) {
  char u[4];
  if (cp < 0x80) {
    sch__buf_putc(b, (char)cp);
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    sch__buf_put(b, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    sch__buf_put(b, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    sch__buf_put(b, u, 4);
  }
}

/* After a backslash: decodes one escape into lx->str. */
static bool lex_escape(proto_lex_t *lx) {
  int line = lx->line, col = lx->col - 1;
  int c = peekc(lx, 0);
  static const char simple_in[] = "abfnrtv\\'\"?";
  static const char simple_out[] = "\a\b\f\n\r\t\v\\'\"?";
  const char *hit = c > 0 ? strchr(simple_in, c) : NULL;
  if (hit) {
    advance(lx);
    sch__buf_putc(&lx->str, simple_out[hit - simple_in]);
    return true;
  }
  if (c >= '0' && c <= '7') {
    unsigned v = 0;
    for (int i = 0; i < 3 && peekc(lx, 0) >= '0' && peekc(lx, 0) <= '7'; i++) {
      v = v * 8 + (unsigned)(peekc(lx, 0) - '0');
      advance(lx);
    }
    sch__buf_putc(&lx->str, (char)(v & 0xFF));
    return true;
  }
  if (c == 'x' || c == 'X') {
    advance(lx);
    unsigned v = 0;
    int n = 0;
    for (; n < 2 && is_hex(peekc(lx, 0)); n++) {
      v = v * 16 + (unsigned)hex_val(peekc(lx, 0));
      advance(lx);
    }
    if (n == 0) {
      lex_error(lx, line, col, "expected hex digits after \"\\x\"");
      return false;
    }
    sch__buf_putc(&lx->str, (char)v);
    return true;
  }
  if (c == 'u' || c == 'U') {
    int digits = c == 'u' ? 4 : 8;
    advance(lx);
    uint32_t cp = 0;
    for (int i = 0; i < digits; i++) {
      if (!is_hex(peekc(lx, 0))) {
        lex_error(lx, line, col, "expected hex digits in unicode escape");
        return false;
      }
      cp = cp * 16 + (uint32_t)hex_val(peekc(lx, 0));
      advance(lx);
    }
    if (cp > 0x10FFFF) {
      lex_error(lx, line, col, "unicode escape out of range");
      return false;
    }
    put_utf8(&lx->str, cp);
    return true;
  }
  lex_error(lx, line, col, "invalid escape sequence in string");
  return false;
}

/* One quoted literal appended to lx->str. */
static bool lex_one_string(proto_lex_t *lx) {
  int line = lx->line, col = lx->col;
  int quote = peekc(lx, 0);
  advance(lx);
  for (;;) {
    int c = peekc(lx, 0);
    if (c == -1 || c == '\n') {
      lex_error(lx, line, col, "unterminated string");
      return false;
    }
    advance(lx);
    if (c == quote) {
      return true;
    }
    if (c == '\\') {
      if (!lex_escape(lx)) {
        return false;
      }
    } else {
      sch__buf_putc(&lx->str, (char)c);
    }
  }
}

static proto_tok_t lex_string(proto_lex_t *lx, proto_tok_t t) {
  lx->str.len = 0;
  sch__buf_put(&lx->str, "", 0);
  do {
    if (!lex_one_string(lx) || !skip_space(lx)) {
      return (proto_tok_t){.kind = PROTO_TOK_ERROR, .line = t.line, .col = t.col};
    }
  } while (peekc(lx, 0) == '"' || peekc(lx, 0) == '\'');
  if (lx->str.oom) {
    return lex_error(lx, t.line, t.col, "out of memory");
  }
  t.kind = PROTO_TOK_STRING;
  t.text = lx->str.data ? lx->str.data : "";
  t.len = lx->str.len;
  return t;
}

static void skip_digits(proto_lex_t *lx) {
  while (is_digit(peekc(lx, 0))) {
    advance(lx);
  }
}

static proto_tok_t lex_number(proto_lex_t *lx, proto_tok_t t) {
  size_t start = lx->pos;
  t.kind = PROTO_TOK_INT;
  if (peekc(lx, 0) == '0' && (peekc(lx, 1) == 'x' || peekc(lx, 1) == 'X')) {
    advance(lx);
    advance(lx);
    if (!is_hex(peekc(lx, 0))) {
      return lex_error(lx, t.line, t.col, "\"0x\" must be followed by hex digits");
    }
    while (is_hex(peekc(lx, 0))) {
      advance(lx);
    }
  } else {
    skip_digits(lx);
    if (peekc(lx, 0) == '.') {
      t.kind = PROTO_TOK_FLOAT;
      advance(lx);
      skip_digits(lx);
    }
    if (peekc(lx, 0) == 'e' || peekc(lx, 0) == 'E') {
      t.kind = PROTO_TOK_FLOAT;
      advance(lx);
      if (peekc(lx, 0) == '+' || peekc(lx, 0) == '-') {
        advance(lx);
      }
      if (!is_digit(peekc(lx, 0))) {
        return lex_error(lx, t.line, t.col, "\"e\" must be followed by exponent");
      }
      skip_digits(lx);
    }
  }
  if (is_alpha(peekc(lx, 0)) || peekc(lx, 0) == '.') {
    return lex_error(lx, t.line, t.col, "need space between number and identifier");
  }
  t.text = lx->src + start;
  t.len = lx->pos - start;
  if (t.kind == PROTO_TOK_INT && t.len > 1 && t.text[0] == '0' && t.text[1] != 'x' && t.text[1] != 'X') {
    for (size_t i = 1; i < t.len; i++) {
      if (t.text[i] > '7') {
        return lex_error(lx, t.line, t.col, "numbers starting with 0 must be octal");
      }
    }
  }
  return t;
}

proto_tok_t sch__proto_lex_next(proto_lex_t *lx) {
  proto_tok_t t = {.kind = PROTO_TOK_EOF};
  if (!skip_space(lx)) {
    t.kind = PROTO_TOK_ERROR;
    return t;
  }
  t.line = lx->line;
  t.col = lx->col;
  int c = peekc(lx, 0);
  if (c == -1) {
    return t;
  }
  if (is_alpha(c)) {
    size_t start = lx->pos;
    while (is_alpha(peekc(lx, 0)) || is_digit(peekc(lx, 0))) {
      advance(lx);
    }
    t.kind = PROTO_TOK_IDENT;
    t.text = lx->src + start;
    t.len = lx->pos - start;
    return t;
  }
  if (is_digit(c) || (c == '.' && is_digit(peekc(lx, 1)))) {
    return lex_number(lx, t);
  }
  if (c == '"' || c == '\'') {
    return lex_string(lx, t);
  }
  if (c < 0x21 || c > 0x7E) {
    return lex_error(lx, t.line, t.col, "unexpected character");
  }
  t.kind = PROTO_TOK_SYMBOL;
  t.text = lx->src + lx->pos;
  t.len = 1;
  advance(lx);
  return t;
}
