// SPDX-License-Identifier: Apache-2.0
/* Implements the one-line-per-event log of log.h. Each line is formatted into
 * a stack buffer and written with a single write(2) so concurrent threads never
 * interleave within a line. Long messages are truncated, never split; control
 * characters are escaped (JSON escapes in both formats) so a message holding
 * client input stays one line. */
#include "log/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = LOG_LEVEL_INFO;
static atomic_int line_format = LOG_FORMAT_TEXT;

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};

void log_set_level(log_level_t level) { atomic_store(&min_level, (int)level); }

void log_set_format(log_format_t format) { atomic_store(&line_format, (int)format); }

int log_level_parse(const char *name, log_level_t *out) {
  for (int i = LOG_LEVEL_DEBUG; i <= LOG_LEVEL_OFF; i++) {
    if (strcasecmp(name, level_names[i]) == 0) {
      *out = (log_level_t)i;
      return 0;
    }
  }
  return -1;
}

int log_format_parse(const char *name, log_format_t *out) {
  if (strcasecmp(name, "text") == 0) {
    *out = LOG_FORMAT_TEXT;
    return 0;
  }
  if (strcasecmp(name, "json") == 0) {
    *out = LOG_FORMAT_JSON;
    return 0;
  }
  return -1;
}

/* A bounded line under construction. A piece that does not fit whole is
 * dropped and the line marked full, so escapes and characters are never cut. */
typedef struct line_buf {
  char *data;
  size_t len, cap; /* cap keeps one byte for the final '\n' */
} line_buf_t;

static void put_raw(line_buf_t *b, const char *s, size_t n) {
  if (n > b->cap - b->len) {
    b->len = b->cap;
    return;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

/* Length of the valid UTF-8 sequence starting at p (1..4), or 0 if invalid
 * (overlong forms and surrogates included). */
static size_t utf8_len(const unsigned char *p) {
  size_t n;
  unsigned min;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2, min = 0x80;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3, min = 0x800;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4, min = 0x10000;
  else
    return 0;
  unsigned cp = p[0] & (0x7fu >> n);
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0; /* also stops at the NUL */
    cp = (cp << 6) | (p[i] & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/* Appends s with control characters (and, in JSON, '"' and '\\') escaped and
 * invalid UTF-8 replaced by U+FFFD, so every line is valid UTF-8 (and JSON).
 */
static void put_escaped(line_buf_t *b, const char *s, bool json) {
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    char esc[8];
    if (*p < 0x20 || *p == 0x7f) {
      int n = *p == '\n' ? snprintf(esc, sizeof esc, "\\n")
              : *p == '\t' ? snprintf(esc, sizeof esc, "\\t")
                           : snprintf(esc, sizeof esc, "\\u%04x", *p);
      put_raw(b, esc, (size_t)n);
      p++;
    } else if (json && (*p == '"' || *p == '\\')) {
      esc[0] = '\\';
      esc[1] = (char)*p;
      put_raw(b, esc, 2);
      p++;
    } else if (*p < 0x80) {
      put_raw(b, (const char *)p, 1);
      p++;
    } else {
      size_t n = utf8_len(p);
      const char *bytes = n ? (const char *)p : "\xef\xbf\xbd";
      size_t len = n ? n : 3;
      put_raw(b, bytes, len);
      p += n ? n : 1;
    }
  }
}

void log_write(log_level_t level, const char *component, const char *fmt, ...) {
  if ((int)level < atomic_load(&min_level) || level >= LOG_LEVEL_OFF) return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  if (vsnprintf(msg, sizeof msg, fmt, ap) < 0) msg[0] = '\0';
  va_end(ap);

  char ts_text[80];
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  snprintf(ts_text, sizeof ts_text, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);

  char line[4096];
  line_buf_t b = {line, 0, sizeof line - 1};
  bool json = atomic_load(&line_format) == LOG_FORMAT_JSON;
  if (json) {
    put_raw(&b, "{\"ts\":\"", 7);
    put_raw(&b, ts_text, strlen(ts_text));
    put_raw(&b, "\",\"level\":\"", 11);
    put_raw(&b, level_names[level], strlen(level_names[level]));
    put_raw(&b, "\",\"component\":\"", 15);
    put_escaped(&b, component, true);
    put_raw(&b, "\",\"msg\":\"", 9);
    /* Keep room for the closing quote and brace even when the message is cut. */
    b.cap -= 2;
    put_escaped(&b, msg, true);
    b.cap += 2;
    put_raw(&b, "\"}", 2);
  } else {
    put_raw(&b, ts_text, strlen(ts_text));
    put_raw(&b, " ", 1);
    put_raw(&b, level_names[level], strlen(level_names[level]));
    put_raw(&b, " ", 1);
    put_escaped(&b, component, false);
    put_raw(&b, ": ", 2);
    put_escaped(&b, msg, false);
  }
  line[b.len++] = '\n';
  ssize_t rc = write(STDERR_FILENO, line, b.len);
  (void)rc;
}
