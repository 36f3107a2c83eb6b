// SPDX-License-Identifier: Apache-2.0
/* The arena that owns every node of a parsed .proto file: bump allocation in
 * chunks, freed in one call. It knows nothing about the nodes it holds. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "proto_int.h"

#define ARENA_CHUNK 8192

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, cap;
  alignas(max_align_t) unsigned char data[];
} arena_chunk_t;

struct sch_proto_arena {
  arena_chunk_t *head;
};

sch_proto_arena_t *sch__proto_arena_new(void) {
  return calloc(1, sizeof(sch_proto_arena_t));
}

void sch__proto_arena_destroy(sch_proto_arena_t *a) {
  if (!a) {
    return;
  }
  arena_chunk_t *c = a->head;
  while (c) {
    arena_chunk_t *next = c->next;
    free(c);
    c = next;
  }
  free(a);
}

void *sch__proto_arena_alloc(sch_proto_arena_t *a, size_t n) {
  const size_t align = alignof(max_align_t);
  n = (n + align - 1) & ~(align - 1);
  arena_chunk_t *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = malloc(sizeof(*c) + cap);
    if (!c) {
      return NULL;
    }
    c->cap = cap;
    c->used = 0;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  memset(p, 0, n);
  return p;
}

char *sch__proto_arena_strndup(sch_proto_arena_t *a, const char *s, size_t n) {
  char *d = sch__proto_arena_alloc(a, n + 1);
  if (d) {
    if (n) {
      memcpy(d, s, n);
    }
    d[n] = '\0';
  }
  return d;
}
