// SPDX-License-Identifier: Apache-2.0
/* The order Confluent's Protobuf differ reports differences in wherever it
 * iterates a java.util.HashSet: the message and enum names of one level and
 * the numbers of an enum's constants. That order follows from
 * String.hashCode/Integer.hashCode and from HashMap's table: the capacity
 * (16 by default, sized from the source collection when a HashSet copies
 * one, doubled past 3/4 full or when a bucket of a table under 64 slots
 * reaches 8 keys), the bucket (spread hash & (capacity - 1)) and insertion
 * order inside a bucket, which resizing preserves. This file reproduces it
 * and knows nothing else of Protobuf. Not reproduced: tree bins (9+ keys in
 * one bucket of a 64+ slot table), whose order is kept as insertion order;
 * names are hashed as bytes, which equals Java's UTF-16 hash for the ASCII
 * identifiers .proto allows. */
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"

#define JAVA_DEFAULT_CAPACITY 16 /* new HashMap<>() */
#define JAVA_TREEIFY_THRESHOLD 8
#define JAVA_MIN_TREEIFY_CAPACITY 64

typedef struct jitem {
  uint32_t spread; /* HashMap.hash(key): h ^ (h >>> 16) */
  size_t seq;      /* insertion position in the map being modelled */
  size_t key;      /* index of the key's first occurrence in its input */
  size_t original, update;
} jitem_t;

static uint32_t key_hash(const sch__pb_key_t *k) {
  if (!k->name) return (uint32_t)k->number;
  uint32_t h = 0;
  for (const unsigned char *s = (const unsigned char *)k->name; *s; s++) h = 31u * h + *s;
  return h;
}

static int key_cmp(const sch__pb_key_t *a, const sch__pb_key_t *b) {
  if (a->name && b->name) return strcmp(a->name, b->name);
  if (a->name || b->name) return a->name ? 1 : -1;
  return (a->number > b->number) - (a->number < b->number);
}

/* new HashSet<>(collection): HashMap(max((int)(n / .75f) + 1, 16)), whose
 * table is the next power of two. */
static size_t java_copy_capacity(size_t n) {
  size_t want = (size_t)((float)n / 0.75f) + 1;
  if (want < JAVA_DEFAULT_CAPACITY) want = JAVA_DEFAULT_CAPACITY;
  size_t cap = 1;
  while (cap < want) cap <<= 1;
  return cap;
}

/* The table capacity after putting items[0..n) in order into a map whose
 * first table has cap slots; 0 on oom. */
static size_t java_final_capacity(const jitem_t *items, size_t n, size_t cap) {
  size_t *count = calloc(cap, sizeof *count);
  if (!count) return 0;
  for (size_t i = 0; i < n; i++) {
    size_t old = cap;
    /* putVal: a bucket that already held 8 keys asks for a tree, which a
     * small table answers by resizing; then ++size > threshold resizes. */
    if (count[items[i].spread & (cap - 1)]++ >= JAVA_TREEIFY_THRESHOLD && cap < JAVA_MIN_TREEIFY_CAPACITY)
      cap <<= 1;
    if (i + 1 > cap / 4 * 3) cap <<= 1;
    if (cap == old) continue;
    free(count);
    count = calloc(cap, sizeof *count);
    if (!count) return 0;
    for (size_t j = 0; j <= i; j++) count[items[j].spread & (cap - 1)]++;
  }
  free(count);
  return cap;
}

static int cmp_iteration(const void *a, const void *b, void *arg) {
  const jitem_t *x = a, *y = b;
  size_t mask = *(const size_t *)arg - 1;
  size_t bx = x->spread & mask, by = y->spread & mask;
  if (bx != by) return bx < by ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Reorders items (given in insertion order) into the map's iteration order. */
static bool java_iterate(jitem_t *items, size_t n, size_t first_capacity) {
  for (size_t i = 0; i < n; i++) items[i].seq = i;
  size_t cap = java_final_capacity(items, n, first_capacity);
  if (!cap) return false;
  qsort_r(items, n, sizeof *items, cmp_iteration, &cap);
  return true;
}

static int cmp_key_then_pos(const void *a, const void *b, void *arg) {
  const sch__pb_key_t *keys = arg;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = key_cmp(&keys[x], &keys[y]);
  return c ? c : (x > y) - (x < y);
}

static int cmp_key_index(const void *a, const void *b) {
  const jitem_t *x = a, *y = b;
  return (x->key > y->key) - (x->key < y->key);
}

/* The distinct keys of one side in first-occurrence order, each with the
 * index of its last occurrence in `side` (HashMap.put semantics); *n_out
 * distinct. NULL on oom. */
static jitem_t *distinct_keys(const sch__pb_key_t *keys, size_t n, bool is_update, size_t *n_out) {
  size_t *idx = malloc((n ? n : 1) * sizeof *idx);
  jitem_t *items = malloc((n ? n : 1) * sizeof *items);
  if (!idx || !items) {
    free(idx);
    free(items);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) idx[i] = i;
  qsort_r(idx, n, sizeof *idx, cmp_key_then_pos, (void *)keys);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && key_cmp(&keys[idx[i - 1]], &keys[idx[i]]) == 0) {
      *(is_update ? &items[m - 1].update : &items[m - 1].original) = idx[i];
      continue;
    }
    items[m] = (jitem_t){.spread = 0, .key = idx[i], .original = SCH__PB_NONE, .update = SCH__PB_NONE};
    *(is_update ? &items[m].update : &items[m].original) = idx[i];
    uint32_t h = key_hash(&keys[idx[i]]);
    items[m++].spread = h ^ (h >> 16);
  }
  free(idx);
  qsort(items, m, sizeof *items, cmp_key_index);
  *n_out = m;
  return items;
}

/* Index in `sorted` (distinct update keys sorted by key) of `k`, or NONE. */
static size_t find_key(const jitem_t *sorted, size_t n, const sch__pb_key_t *keys, const sch__pb_key_t *k) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = key_cmp(&keys[sorted[mid].key], k);
    if (c == 0) return mid;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return SCH__PB_NONE;
}

static int cmp_by_key(const void *a, const void *b, void *arg) {
  const sch__pb_key_t *keys = arg;
  return key_cmp(&keys[((const jitem_t *)a)->key], &keys[((const jitem_t *)b)->key]);
}

/* Fills out (room for n_o + n_u) with the union in HashSet order: the
 * original's keys in its map's order, then the update's new keys in its
 * map's order, iterated from a HashSet sized for n_o. Returns the count. */
static size_t union_order(const jitem_t *o, size_t n_o, const jitem_t *u, size_t n_u,
                          const sch__pb_key_t *okeys, const sch__pb_key_t *ukeys, jitem_t *out, bool *oom) {
  jitem_t *sorted = malloc((n_u ? n_u : 1) * sizeof *sorted);
  bool *taken = calloc(n_u ? n_u : 1, sizeof *taken);
  size_t n = 0;
  if (!sorted || !taken) goto out;
  memcpy(sorted, u, n_u * sizeof *u);
  qsort_r(sorted, n_u, sizeof *sorted, cmp_by_key, (void *)ukeys);
  for (size_t i = 0; i < n_o; i++) {
    out[n] = o[i];
    size_t at = find_key(sorted, n_u, ukeys, &okeys[o[i].key]);
    if (at != SCH__PB_NONE) {
      out[n].update = sorted[at].update;
      taken[at] = true;
    }
    n++;
  }
  for (size_t i = 0; i < n_u; i++) {
    size_t at = find_key(sorted, n_u, ukeys, &ukeys[u[i].key]);
    if (!taken[at]) out[n++] = u[i];
  }
out:
  *oom = !sorted || !taken;
  free(sorted);
  free(taken);
  return n;
}

sch__pb_pair_t *sch__pb_java_union(const sch__pb_key_t *original, size_t n_original,
                                   const sch__pb_key_t *update, size_t n_update, size_t *n) {
  size_t n_o = 0, n_u = 0, total = 0;
  bool oom = true;
  sch__pb_pair_t *pairs = NULL;
  jitem_t *all = NULL;
  jitem_t *o = distinct_keys(original, n_original, false, &n_o);
  jitem_t *u = distinct_keys(update, n_update, true, &n_u);
  if (!o || !u || !java_iterate(o, n_o, JAVA_DEFAULT_CAPACITY) ||
      !java_iterate(u, n_u, JAVA_DEFAULT_CAPACITY)) {
    goto out;
  }
  all = malloc((n_o + n_u + 1) * sizeof *all);
  if (!all) goto out;
  total = union_order(o, n_o, u, n_u, original, update, all, &oom);
  if (oom || !java_iterate(all, total, java_copy_capacity(n_o))) goto out;
  oom = true;
  pairs = malloc((total + 1) * sizeof *pairs);
  if (!pairs) goto out;
  for (size_t i = 0; i < total; i++) pairs[i] = (sch__pb_pair_t){all[i].original, all[i].update};
  *n = total;
  oom = false;
out:
  free(o);
  free(u);
  free(all);
  if (oom) {
    free(pairs);
    return NULL;
  }
  return pairs;
}
