// SPDX-License-Identifier: Apache-2.0
/* The in-memory side of the committed-offsets store: a chained hash table of
 * groups, each holding a chained hash table of (topic, partition) entries.
 * Tables double when their load passes 1. It knows nothing about files or
 * the protocol; brk_offsets.c keeps it equal to the replayed log. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "brk_offsets_int.h"

static uint32_t hash_bytes(const char *s, size_t len, uint32_t h) {
  for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u; /* FNV-1a */
  return h;
}

static uint32_t key_hash(const char *topic, size_t len, int32_t partition) {
  uint32_t h = hash_bytes(topic, len, 2166136261u);
  return (h ^ (uint32_t)partition) * 16777619u;
}

static char *dup_n(const char *s, size_t len) {
  char *d = malloc(len + 1);
  if (!d) return NULL;
  if (len) memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

void brk__offmap_init(brk__off_map_t *m) {
  memset(m, 0, sizeof *m);
}

static void entry_free(brk__off_entry_t *e) {
  if (!e) return;
  free(e->topic);
  free(e->metadata);
  free(e);
}

static void group_free(brk__off_group_t *g) {
  for (size_t i = 0; i < g->n_buckets; i++) {
    brk__off_entry_t *e = g->buckets[i];
    while (e) {
      brk__off_entry_t *next = e->next;
      entry_free(e);
      e = next;
    }
  }
  free(g->buckets);
  free(g->name);
  free(g);
}

void brk__offmap_fini(brk__off_map_t *m) {
  for (size_t i = 0; i < m->n_buckets; i++) {
    brk__off_group_t *g = m->buckets[i];
    while (g) {
      brk__off_group_t *next = g->next;
      group_free(g);
      g = next;
    }
  }
  free(m->buckets);
  memset(m, 0, sizeof *m);
}

/* Doubles the group table (best effort: a failed grow only costs speed). */
static void groups_grow(brk__off_map_t *m) {
  size_t nb = m->n_buckets ? m->n_buckets * 2 : 16;
  brk__off_group_t **nbk = calloc(nb, sizeof *nbk);
  if (!nbk) return;
  for (size_t i = 0; i < m->n_buckets; i++) {
    brk__off_group_t *g = m->buckets[i];
    while (g) {
      brk__off_group_t *next = g->next;
      g->next = nbk[g->hash & (nb - 1)];
      nbk[g->hash & (nb - 1)] = g;
      g = next;
    }
  }
  free(m->buckets);
  m->buckets = nbk;
  m->n_buckets = nb;
}

static void entries_grow(brk__off_group_t *g) {
  size_t nb = g->n_buckets ? g->n_buckets * 2 : 8;
  brk__off_entry_t **nbk = calloc(nb, sizeof *nbk);
  if (!nbk) return;
  for (size_t i = 0; i < g->n_buckets; i++) {
    brk__off_entry_t *e = g->buckets[i];
    while (e) {
      brk__off_entry_t *next = e->next;
      e->next = nbk[e->hash & (nb - 1)];
      nbk[e->hash & (nb - 1)] = e;
      e = next;
    }
  }
  free(g->buckets);
  g->buckets = nbk;
  g->n_buckets = nb;
}

brk__off_group_t *brk__offmap_group(brk__off_map_t *m, const char *name, size_t len, bool create) {
  uint32_t h = hash_bytes(name, len, 2166136261u);
  if (m->n_buckets) {
    for (brk__off_group_t *g = m->buckets[h & (m->n_buckets - 1)]; g; g = g->next)
      if (g->hash == h && strlen(g->name) == len && memcmp(g->name, name, len) == 0) return g;
  }
  if (!create) return NULL;
  if (m->n >= m->n_buckets) groups_grow(m);
  if (!m->n_buckets) return NULL;
  brk__off_group_t *g = calloc(1, sizeof *g);
  if (!g || !(g->name = dup_n(name, len))) {
    free(g);
    return NULL;
  }
  g->hash = h;
  g->next = m->buckets[h & (m->n_buckets - 1)];
  m->buckets[h & (m->n_buckets - 1)] = g;
  m->n++;
  return g;
}

brk__off_entry_t *brk__offmap_find(const brk__off_group_t *g, const char *topic, size_t topic_len,
                                   int32_t partition) {
  if (!g || !g->n_buckets) return NULL;
  uint32_t h = key_hash(topic, topic_len, partition);
  for (brk__off_entry_t *e = g->buckets[h & (g->n_buckets - 1)]; e; e = e->next)
    if (e->hash == h && e->partition == partition && strlen(e->topic) == topic_len &&
        memcmp(e->topic, topic, topic_len) == 0)
      return e;
  return NULL;
}

int brk__offmap_put(brk__off_map_t *m, brk__off_group_t *g, const brk__off_item_t *it) {
  char *md = dup_n(it->metadata ? it->metadata : "", it->metadata ? it->metadata_len : 0);
  if (!md) return -ENOMEM;
  brk__off_entry_t *e = brk__offmap_find(g, it->topic, it->topic_len, it->partition);
  if (!e) {
    if (g->n >= g->n_buckets) entries_grow(g);
    e = g->n_buckets ? calloc(1, sizeof *e) : NULL;
    if (!e || !(e->topic = dup_n(it->topic, it->topic_len))) {
      free(e);
      free(md);
      return -ENOMEM;
    }
    e->partition = it->partition;
    e->hash = key_hash(it->topic, it->topic_len, it->partition);
    e->next = g->buckets[e->hash & (g->n_buckets - 1)];
    g->buckets[e->hash & (g->n_buckets - 1)] = e;
    g->n++;
    m->n_entries++;
  }
  free(e->metadata);
  e->metadata = md;
  e->offset = it->offset;
  e->leader_epoch = it->leader_epoch;
  e->commit_ms = it->commit_ms;
  e->expire_ms = it->expire_ms;
  return 0;
}

void brk__offmap_remove(brk__off_map_t *m, brk__off_group_t *g, const char *topic, size_t topic_len,
                        int32_t partition) {
  if (!g || !g->n_buckets) return;
  uint32_t h = key_hash(topic, topic_len, partition);
  for (brk__off_entry_t **pp = &g->buckets[h & (g->n_buckets - 1)]; *pp; pp = &(*pp)->next) {
    brk__off_entry_t *e = *pp;
    if (e->hash == h && e->partition == partition && strlen(e->topic) == topic_len &&
        memcmp(e->topic, topic, topic_len) == 0) {
      *pp = e->next;
      entry_free(e);
      g->n--;
      m->n_entries--;
      return;
    }
  }
}

void brk__offmap_drop_group(brk__off_map_t *m, brk__off_group_t *g) {
  if (!g) return;
  for (brk__off_group_t **pp = &m->buckets[g->hash & (m->n_buckets - 1)]; *pp; pp = &(*pp)->next) {
    if (*pp == g) {
      *pp = g->next;
      m->n--;
      m->n_entries -= g->n;
      group_free(g);
      return;
    }
  }
}
