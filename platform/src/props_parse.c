// SPDX-License-Identifier: Apache-2.0
/* The Java-properties text parser (props_file.h): logical lines, comments,
 * key/value separation, escapes, limits. Pure: it reads a buffer and hands
 * each pair to a callback; file I/O is props_file.c's and meaning (which
 * keys exist) is props.c's. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "platform/props_file.h"
#include "platform_int.h"

typedef struct cursor {
  const char *p, *end;
  size_t lineno; /* number of the physical line last read */
} cursor_t;

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\f';
}

/* Next physical line without its terminator (\n, \r\n or \r). */
static bool next_physical(cursor_t *c, const char **line, size_t *len) {
  if (c->p >= c->end) return false;
  const char *s = c->p;
  while (c->p < c->end && *c->p != '\n' && *c->p != '\r') c->p++;
  *line = s;
  *len = (size_t)(c->p - s);
  if (c->p < c->end) c->p += (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') ? 2 : 1;
  c->lineno++;
  return true;
}

static size_t trailing_backslashes(const char *buf, size_t len) {
  size_t n = 0;
  while (n < len && buf[len - 1 - n] == '\\') n++;
  return n;
}

/* Reads one logical line (continuations joined, leading blanks dropped) into
 * buf. *len = SIZE_MAX at end of input. Comment and blank lines yield len 0. */
static weir_code_t read_logical(cursor_t *c, char *buf, size_t *len, const char *origin, weir_error_t *err) {
  const char *line;
  size_t n, used = 0;
  if (!next_physical(c, &line, &n)) {
    *len = SIZE_MAX;
    return WEIR_OK;
  }
  for (;;) {
    while (n && is_blank(*line)) line++, n--;
    if (used == 0 && n && (*line == '#' || *line == '!')) n = 0;
    if (used + n > WEIR_PROPS_MAX_LINE_BYTES)
      return weir_error_set(err, WEIR_ERR_CONFIG, "%s:%zu: line longer than %d bytes", origin, c->lineno,
                            WEIR_PROPS_MAX_LINE_BYTES);
    memcpy(buf + used, line, n);
    used += n;
    if (trailing_backslashes(buf, used) % 2 == 0) break;
    used--; /* drop the continuation backslash */
    if (!next_physical(c, &line, &n)) break;
  }
  *len = used;
  return WEIR_OK;
}

static int hex_value(char h) {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

/* Writes code point cp (< 0x10000) as UTF-8; returns bytes written. */
static size_t put_utf8(char *out, unsigned cp) {
  if (cp < 0x80) return (void)(out[0] = (char)cp), 1;
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = (char)(0xE0 | (cp >> 12));
  out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

/* Unescapes src[0..n) into out (never longer than n) and NUL-terminates. */
static bool unescape(const char *src, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char ch = src[i];
    if (ch != '\\' || i + 1 == n) {
      out[o++] = ch;
      continue;
    }
    ch = src[++i];
    if (ch == 'u') {
      unsigned cp = 0;
      for (int k = 0; k < 4; k++) {
        int h = i + 1 < n ? hex_value(src[++i]) : -1;
        if (h < 0) return false;
        cp = cp * 16 + (unsigned)h;
      }
      o += put_utf8(out + o, cp);
      continue;
    }
    out[o++] = ch == 't' ? '\t' : ch == 'n' ? '\n' : ch == 'r' ? '\r' : ch == 'f' ? '\f' : ch;
  }
  out[o] = '\0';
  return true;
}

/* Splits a logical line into unescaped key and value (both into out). */
static weir_code_t split_entry(const char *line, size_t len, char *out, char **value, const char *where,
                               weir_error_t *err) {
  size_t k = 0;
  while (k < len && !(is_blank(line[k]) || line[k] == '=' || line[k] == ':')) k += line[k] == '\\' ? 2 : 1;
  if (k > len) k = len;
  size_t v = k;
  while (v < len && is_blank(line[v])) v++;
  if (v < len && (line[v] == '=' || line[v] == ':')) v++;
  while (v < len && is_blank(line[v])) v++;
  size_t vend = len;
  while (vend > v && is_blank(line[vend - 1]) && !(vend >= 2 && line[vend - 2] == '\\')) vend--;
  if (k == 0) return weir_error_set(err, WEIR_ERR_CONFIG, "%s: missing key before the value", where);
  *value = out + k + 1;
  if (!unescape(line, k, out) || !unescape(line + v, vend - v, *value))
    return weir_error_set(err, WEIR_ERR_CONFIG, "%s: malformed \\uXXXX escape", where);
  return WEIR_OK;
}

static weir_code_t parse_lines(cursor_t *c, char *line, char *out, const char *origin, weir_props_entry_cb cb,
                               void *ctx, weir_error_t *err) {
  size_t entries = 0, len = 0;
  for (;;) {
    size_t start = c->lineno + 1;
    weir_code_t rc = read_logical(c, line, &len, origin, err);
    if (rc != WEIR_OK || len == SIZE_MAX) return rc;
    if (len == 0) continue;
    char where[300], *value = NULL;
    snprintf(where, sizeof where, "%s:%zu", origin, start);
    if (++entries > WEIR_PROPS_MAX_ENTRIES)
      return weir_error_set(err, WEIR_ERR_CONFIG, "%s: more than %d entries", where, WEIR_PROPS_MAX_ENTRIES);
    rc = split_entry(line, len, out, &value, where, err);
    if (rc != WEIR_OK) return rc;
    rc = cb(ctx, out, value, err);
    if (rc != WEIR_OK) {
      weir_error_prefix(err, where);
      return rc;
    }
  }
}

weir_code_t weir_props_parse(const char *text, size_t len, const char *origin, weir_props_entry_cb cb,
                             void *ctx, weir_error_t *err) {
  if (memchr(text, '\0', len))
    return weir_error_set(err, WEIR_ERR_CONFIG, "%s: contains a NUL byte (not a text file?)", origin);
  char *line = weir__malloc(WEIR_PROPS_MAX_LINE_BYTES + 1);
  char *out = weir__malloc(WEIR_PROPS_MAX_LINE_BYTES + 2);
  weir_code_t rc = WEIR_ERR_NOMEM;
  if (!line || !out) {
    weir_error_set(err, rc, "%s: out of memory", origin);
    goto out;
  }
  cursor_t c = {text, text + len, 0};
  rc = parse_lines(&c, line, out, origin, cb, ctx, err);
out:
  weir__free(line);
  weir__free(out);
  return rc;
}
