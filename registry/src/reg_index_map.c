// SPDX-License-Identifier: Apache-2.0
/* The blob-keyed hash map behind every table of the in-memory index: chained
 * buckets, FNV-1a hashing, doubling at load factor 1. It copies keys and
 * borrows values (the caller decides how values are freed). No globals, no
 * locking: the registry's service lock guards it. */
#include <stdlib.h>
#include <string.h>

#include "reg_index.h"

static uint64_t map_hash(const void *key, size_t len) {
  const unsigned char *p = key;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

void reg_map_init(reg_map_t *map) { memset(map, 0, sizeof *map); }

void reg_map_fini(reg_map_t *map, void (*free_value)(void *value)) {
  if (!map) return;
  for (size_t i = 0; i < map->n_buckets; i++) {
    reg_map_entry_t *e = map->buckets[i];
    while (e) {
      reg_map_entry_t *next = e->next;
      if (free_value) free_value(e->value);
      free(e);
      e = next;
    }
  }
  free(map->buckets);
  memset(map, 0, sizeof *map);
}

static reg_map_entry_t **map_slot(const reg_map_t *map, const void *key, size_t len, uint64_t h) {
  if (!map->n_buckets) return NULL;
  reg_map_entry_t **pp = &map->buckets[h & (map->n_buckets - 1)];
  while (*pp) {
    reg_map_entry_t *e = *pp;
    if (e->hash == h && e->key_len == len && memcmp(e->key, key, len) == 0) return pp;
    pp = &e->next;
  }
  return pp;
}

void *reg_map_get(const reg_map_t *map, const void *key, size_t key_len) {
  reg_map_entry_t **pp = map_slot(map, key, key_len, map_hash(key, key_len));
  return pp && *pp ? (*pp)->value : NULL;
}

static int map_grow(reg_map_t *map) {
  size_t n = map->n_buckets ? map->n_buckets * 2 : 16;
  reg_map_entry_t **b = calloc(n, sizeof *b);
  if (!b) return -1;
  for (size_t i = 0; i < map->n_buckets; i++) {
    reg_map_entry_t *e = map->buckets[i];
    while (e) {
      reg_map_entry_t *next = e->next;
      e->next = b[e->hash & (n - 1)];
      b[e->hash & (n - 1)] = e;
      e = next;
    }
  }
  free(map->buckets);
  map->buckets = b;
  map->n_buckets = n;
  return 0;
}

int reg_map_put(reg_map_t *map, const void *key, size_t key_len, void *value, void **old) {
  if (old) *old = NULL;
  uint64_t h = map_hash(key, key_len);
  if (map->count >= map->n_buckets && map_grow(map) != 0) return -1;
  reg_map_entry_t **pp = map_slot(map, key, key_len, h);
  if (*pp) {
    if (old) *old = (*pp)->value;
    (*pp)->value = value;
    return 0;
  }
  reg_map_entry_t *e = malloc(sizeof *e + key_len);
  if (!e) return -1;
  e->next = NULL;
  e->hash = h;
  e->key_len = key_len;
  e->value = value;
  memcpy(e->key, key, key_len);
  *pp = e;
  map->count++;
  return 0;
}

void *reg_map_remove(reg_map_t *map, const void *key, size_t key_len) {
  reg_map_entry_t **pp = map_slot(map, key, key_len, map_hash(key, key_len));
  if (!pp || !*pp) return NULL;
  reg_map_entry_t *e = *pp;
  void *value = e->value;
  *pp = e->next;
  free(e);
  map->count--;
  return value;
}

void reg_map_foreach(const reg_map_t *map, int (*fn)(const void *key, size_t key_len, void *value, void *arg),
                     void *arg) {
  for (size_t i = 0; i < map->n_buckets; i++) {
    for (reg_map_entry_t *e = map->buckets[i]; e; e = e->next) {
      if (fn(e->key, e->key_len, e->value, arg)) return;
    }
  }
}

void *reg_map_sget(const reg_map_t *map, const char *s) { return reg_map_get(map, s, strlen(s)); }

int reg_map_sput(reg_map_t *map, const char *s, void *value, void **old) {
  return reg_map_put(map, s, strlen(s), value, old);
}

void *reg_map_sremove(reg_map_t *map, const char *s) { return reg_map_remove(map, s, strlen(s)); }
