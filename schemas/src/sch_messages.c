// SPDX-License-Identifier: Apache-2.0
/* The growable list of owned message strings that compatibility checks fill
 * with reasons. It only stores text; the wording belongs to each format and
 * to the level driver in sch_compat.c. */
#include <stdio.h>
#include <stdlib.h>

#include "sch_int.h"

sch_code_t sch_messages_addf(sch_messages_t *msgs, const char *fmt, ...) {
  if (msgs->count == msgs->cap) {
    size_t cap = msgs->cap ? msgs->cap * 2 : 8;
    char **items = realloc(msgs->items, cap * sizeof *items);
    if (!items) {
      return SCH_ERR_NOMEM;
    }
    msgs->items = items;
    msgs->cap = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  char *text = NULL;
  int n = vasprintf(&text, fmt, ap);
  va_end(ap);
  if (n < 0) {
    return SCH_ERR_NOMEM;
  }
  msgs->items[msgs->count++] = text;
  return SCH_OK;
}

void sch_messages_fini(sch_messages_t *msgs) {
  if (!msgs) {
    return;
  }
  for (size_t i = 0; i < msgs->count; i++) {
    free(msgs->items[i]);
  }
  free(msgs->items);
  msgs->items = NULL;
  msgs->count = msgs->cap = 0;
}
