// SPDX-License-Identifier: Apache-2.0
/* The platform module's allocator hook (alloc.h) and the wrappers every
 * platform file allocates through. Nothing else. */
#include "platform/alloc.h"

#include <stdlib.h>
#include <string.h>

#include "platform_int.h"

static void *(*g_malloc)(size_t) = malloc;
static void (*g_free)(void *) = free;

void weir_alloc_set(void *(*malloc_fn)(size_t), void (*free_fn)(void *)) {
  g_malloc = malloc_fn ? malloc_fn : malloc;
  g_free = free_fn ? free_fn : free;
}

void *weir__malloc(size_t n) {
  return g_malloc(n ? n : 1);
}

void weir__free(void *p) {
  if (p) g_free(p);
}

char *weir__strndup(const char *s, size_t n) {
  char *copy = weir__malloc(n + 1);
  if (!copy) return NULL;
  memcpy(copy, s, n);
  copy[n] = '\0';
  return copy;
}
