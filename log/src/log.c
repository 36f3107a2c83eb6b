// SPDX-License-Identifier: Apache-2.0
/* Implements the one-line-per-event log of log.h. Each line is formatted into
 * a stack buffer and written with a single write(2) so concurrent threads never
 * interleave within a line. Long messages are truncated, never split. */
#include "log/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = LOG_LEVEL_INFO;

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};

void log_set_level(log_level_t level) { atomic_store(&min_level, (int)level); }

int log_level_parse(const char *name, log_level_t *out) {
  for (int i = LOG_LEVEL_DEBUG; i <= LOG_LEVEL_OFF; i++) {
    if (strcasecmp(name, level_names[i]) == 0) {
      *out = (log_level_t)i;
      return 0;
    }
  }
  return -1;
}

void log_write(log_level_t level, const char *component, const char *fmt, ...) {
  if ((int)level < atomic_load(&min_level) || level >= LOG_LEVEL_OFF) return;
  char line[2048];
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: ", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
                   level_names[level], component);
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
  va_end(ap);
  size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
  if (len > sizeof line - 2) len = sizeof line - 2;
  line[len++] = '\n';
  ssize_t rc = write(STDERR_FILENO, line, len);
  (void)rc;
}
