// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the metrics unit tests: the metrics registry is
 * process-wide, so each test uses its own family names and looks at its own
 * block of the rendered text. */
#ifndef WEIR_TEST_METRICS_UTIL_H
#define WEIR_TEST_METRICS_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

/* The text of family `name` in a fresh render: from its "# HELP" line up to
 * the next family's. NULL when absent. free() it. */
static inline char *render_family(const char *name) {
  size_t len = 0;
  char *all = metrics_render(&len);
  if (!all) return NULL;
  size_t nlen = strlen(name);
  char *start = NULL;
  for (char *p = all; (p = strstr(p, "# HELP ")) != NULL; p++) {
    if ((p == all || p[-1] == '\n') && strncmp(p + 7, name, nlen) == 0 && p[7 + nlen] == ' ') {
      start = p;
      break;
    }
  }
  char *out = NULL;
  if (start) {
    char *end = strstr(start + 1, "\n# HELP ");
    size_t n = end ? (size_t)(end + 1 - start) : strlen(start);
    out = malloc(n + 1);
    memcpy(out, start, n);
    out[n] = '\0';
  }
  free(all);
  return out;
}

static inline size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

#endif
