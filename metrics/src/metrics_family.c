// SPDX-License-Identifier: Apache-2.0
/* The process-wide set of metric families and their children: registration,
 * label-value lookup (bounded by METRICS_MAX_CHILDREN, then the "_other"
 * overflow child) and the lock-free hot-path updates. Rendering lives in
 * metrics_text.c, collectors in metrics_collector.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_int.h"

static const double default_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};

/* The registry of families. Families are never freed: they are few, created
 * at startup, and their children are held by pointer on hot paths. */
static pthread_mutex_t families_lock = PTHREAD_MUTEX_INITIALIZER;
static metrics_family_t **families;
static size_t nfamilies;
static size_t families_cap;

static void *(*alloc_malloc)(size_t) = malloc;
static void (*alloc_free)(void *) = free;

void metrics_alloc_set(void *(*malloc_fn)(size_t), void (*free_fn)(void *)) {
  alloc_malloc = malloc_fn ? malloc_fn : malloc;
  alloc_free = free_fn ? free_fn : free;
}

void *metrics__malloc(size_t n) {
  return alloc_malloc(n ? n : 1);
}

void metrics__free(void *p) {
  if (p) alloc_free(p);
}

char *metrics__strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = metrics__malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static _Noreturn void misuse(const char *what, const char *name) {
  fprintf(stderr, "metrics: %s: \"%s\"\n", what, name);
  abort();
}

static bool valid_name(const char *s, bool colon_ok) {
  if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
  for (; *s; s++) {
    char c = *s;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              (colon_ok && c == ':');
    if (!ok) return false;
  }
  return true;
}

/* Splits "a,b" into f->labels; aborts on a bad or reserved label name. */
static void parse_labels(metrics_family_t *f, const char *labels) {
  char buf[256];
  if (!labels || !*labels) return;
  if (strlen(labels) >= sizeof buf) misuse("label list too long", labels);
  memcpy(buf, labels, strlen(labels) + 1);
  char *save = NULL;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    if (f->nlabels == METRICS_MAX_LABELS) misuse("more than METRICS_MAX_LABELS labels", labels);
    if (!valid_name(tok, false) || strncmp(tok, "__", 2) == 0 ||
        (f->type == METRICS__HISTOGRAM && strcmp(tok, "le") == 0))
      misuse("invalid label name", tok);
    f->labels[f->nlabels] = metrics__strdup(tok);
    if (!f->labels[f->nlabels]) misuse("out of memory registering", labels);
    f->nlabels++;
  }
}

static bool same_shape(const metrics_family_t *a, const metrics_family_t *b) {
  if (a->type != b->type || a->nlabels != b->nlabels || a->nbounds != b->nbounds) return false;
  for (size_t i = 0; i < a->nlabels; i++)
    if (strcmp(a->labels[i], b->labels[i]) != 0) return false;
  for (size_t i = 0; i < a->nbounds; i++)
    if (a->bounds[i] != b->bounds[i]) return false;
  return true;
}

static void child_free(metrics_child_t *c) {
  if (!c) return;
  for (size_t i = 0; i < METRICS_MAX_LABELS; i++) metrics__free(c->values[i]);
  metrics__free((void *)c->buckets);
  metrics__free(c);
}

static uint64_t hash_values(const char *const *values, size_t n) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) {
    for (const unsigned char *p = (const unsigned char *)(values[i] ? values[i] : ""); *p; p++)
      h = (h ^ *p) * 1099511628211u;
    h = (h ^ 0xff) * 1099511628211u; /* separator: ("ab","") != ("a","b") */
  }
  return h;
}

/* A new child with copies of `values` (NULL values read as ""); NULL when
 * out of memory. */
static metrics_child_t *child_new(metrics_family_t *f, const char *const *values) {
  metrics_child_t *c = metrics__malloc(sizeof *c);
  if (!c) return NULL;
  memset(c, 0, sizeof *c);
  c->family = f;
  atomic_init(&c->count, 0);
  atomic_init(&c->bits, 0); /* the bits of +0.0 */
  for (size_t i = 0; i < f->nlabels; i++) {
    c->values[i] = metrics__strdup(values[i] ? values[i] : "");
    if (!c->values[i]) goto fail;
  }
  if (f->type == METRICS__HISTOGRAM) {
    c->buckets = metrics__malloc((f->nbounds + 1) * sizeof *c->buckets);
    if (!c->buckets) goto fail;
    for (size_t i = 0; i <= f->nbounds; i++) atomic_init(&c->buckets[i], 0);
  }
  c->hash = hash_values(values, f->nlabels);
  return c;
fail:
  child_free(c);
  return NULL;
}

/* Appends c to f->children; false when out of memory. Caller holds f->lock. */
static bool children_push(metrics_family_t *f, metrics_child_t *c) {
  if (f->nchildren == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 8;
    metrics_child_t **grown = metrics__malloc(cap * sizeof *grown);
    if (!grown) return false;
    if (f->nchildren) memcpy(grown, f->children, f->nchildren * sizeof *grown);
    metrics__free(f->children);
    f->children = grown;
    f->cap = cap;
  }
  f->children[f->nchildren++] = c;
  return true;
}

static metrics_family_t *family_new(const char *name, const char *help, metrics__type_t type,
                                    const char *labels, const double *bounds, size_t n) {
  metrics_family_t *f = metrics__malloc(sizeof *f);
  if (!f) misuse("out of memory registering", name);
  memset(f, 0, sizeof *f);
  f->type = type;
  f->name = metrics__strdup(name);
  f->help = metrics__strdup(help ? help : "");
  pthread_mutex_init(&f->lock, NULL);
  parse_labels(f, labels);
  if (type == METRICS__HISTOGRAM) {
    if (!bounds || n == 0) {
      bounds = default_bounds;
      n = sizeof default_bounds / sizeof default_bounds[0];
    }
    f->bounds = metrics__malloc(n * sizeof *f->bounds);
    if (!f->bounds) misuse("out of memory registering", name);
    for (size_t i = 0; i < n; i++) {
      if (isnan(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1])))
        misuse("histogram bounds not ascending", name);
      f->bounds[i] = bounds[i];
    }
    f->nbounds = isinf(bounds[n - 1]) ? n - 1 : n; /* +Inf is implicit */
  }
  const char *other[METRICS_MAX_LABELS] = {"_other", "_other", "_other", "_other"};
  f->overflow = child_new(f, other);
  if (!f->name || !f->help || !f->overflow) misuse("out of memory registering", name);
  if (f->nlabels == 0) { /* the one child exists from the start, so it renders 0 */
    metrics_child_t *c = child_new(f, other);
    if (!c || !children_push(f, c)) misuse("out of memory registering", name);
    f->slots[c->hash % METRICS__HASH_SLOTS] = c;
  }
  return f;
}

static void family_free(metrics_family_t *f) {
  for (size_t i = 0; i < f->nlabels; i++) metrics__free(f->labels[i]);
  child_free(f->overflow);
  for (size_t i = 0; i < f->nchildren; i++) child_free(f->children[i]);
  metrics__free(f->children);
  pthread_mutex_destroy(&f->lock);
  metrics__free(f->bounds);
  metrics__free(f->help);
  metrics__free(f->name);
  metrics__free(f);
}

static metrics_family_t *family_find(const char *name) {
  for (size_t i = 0; i < nfamilies; i++)
    if (strcmp(families[i]->name, name) == 0) return families[i];
  return NULL;
}

static metrics_family_t *family_register(const char *name, const char *help, metrics__type_t type,
                                         const char *labels, const double *bounds, size_t n) {
  if (!valid_name(name, true)) misuse("invalid metric name", name ? name : "(null)");
  metrics_family_t *f = family_new(name, help, type, labels, bounds, n);
  pthread_mutex_lock(&families_lock);
  metrics_family_t *old = family_find(name);
  if (old) {
    pthread_mutex_unlock(&families_lock);
    if (!same_shape(old, f)) misuse("registered again with another type, labels or buckets", name);
    family_free(f);
    return old;
  }
  if (nfamilies == families_cap) {
    size_t cap = families_cap ? families_cap * 2 : 64;
    metrics_family_t **grown = metrics__malloc(cap * sizeof *grown);
    if (!grown) misuse("out of memory registering", name);
    if (nfamilies) memcpy(grown, families, nfamilies * sizeof *grown);
    metrics__free(families);
    families = grown;
    families_cap = cap;
  }
  families[nfamilies++] = f;
  pthread_mutex_unlock(&families_lock);
  return f;
}

metrics_family_t *metrics_counter(const char *name, const char *help, const char *labels) {
  return family_register(name, help, METRICS__COUNTER, labels, NULL, 0);
}

metrics_family_t *metrics_gauge(const char *name, const char *help, const char *labels) {
  return family_register(name, help, METRICS__GAUGE, labels, NULL, 0);
}

metrics_family_t *metrics_histogram(const char *name, const char *help, const char *labels,
                                    const double *bounds, size_t n) {
  return family_register(name, help, METRICS__HISTOGRAM, labels, bounds, n);
}

int metrics__families(metrics_family_t ***out, size_t *n) {
  int rc = 0;
  *out = NULL;
  *n = 0;
  pthread_mutex_lock(&families_lock);
  if (nfamilies) {
    *out = metrics__malloc(nfamilies * sizeof **out);
    if (*out) {
      memcpy(*out, families, nfamilies * sizeof **out);
      *n = nfamilies;
    } else {
      rc = -1;
    }
  }
  pthread_mutex_unlock(&families_lock);
  return rc;
}

static bool values_equal(const metrics_child_t *c, const char *const *values, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(c->values[i], values[i] ? values[i] : "") != 0) return false;
  return true;
}

metrics_child_t *metrics_child(metrics_family_t *f, const char *const *values) {
  static const char *const none[METRICS_MAX_LABELS] = {"", "", "", ""};
  if (!f) return NULL;
  if (!values) values = none;
  uint64_t h = hash_values(values, f->nlabels);
  metrics_child_t *found = NULL;
  pthread_mutex_lock(&f->lock);
  for (metrics_child_t *c = f->slots[h % METRICS__HASH_SLOTS]; c && !found; c = c->hash_next)
    if (c->hash == h && values_equal(c, values, f->nlabels)) found = c;
  if (!found && f->nchildren < METRICS_MAX_CHILDREN) {
    metrics_child_t *c = child_new(f, values);
    if (c && children_push(f, c)) {
      c->hash_next = f->slots[h % METRICS__HASH_SLOTS];
      f->slots[h % METRICS__HASH_SLOTS] = c;
      found = c;
    } else {
      child_free(c);
    }
  }
  if (!found) f->overflow_used = true;
  pthread_mutex_unlock(&f->lock);
  return found ? found : f->overflow;
}

metrics_child_t *metrics_child0(metrics_family_t *f) {
  return metrics_child(f, NULL);
}

metrics_child_t *metrics_child1(metrics_family_t *f, const char *value) {
  const char *values[METRICS_MAX_LABELS] = {value, "", "", ""};
  return metrics_child(f, values);
}

double metrics__load_double(_Atomic uint64_t *bits) {
  uint64_t b = atomic_load_explicit(bits, memory_order_relaxed);
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

static void atomic_double_add(_Atomic uint64_t *bits, double delta) {
  uint64_t old = atomic_load_explicit(bits, memory_order_relaxed);
  uint64_t next;
  do {
    double d;
    memcpy(&d, &old, sizeof d);
    d += delta;
    memcpy(&next, &d, sizeof next);
  } while (
      !atomic_compare_exchange_weak_explicit(bits, &old, next, memory_order_relaxed, memory_order_relaxed));
}

void metrics_inc(metrics_child_t *c, uint64_t n) {
  if (!c) return;
  if (c->family->type == METRICS__COUNTER)
    atomic_fetch_add_explicit(&c->count, n, memory_order_relaxed);
  else if (c->family->type == METRICS__GAUGE)
    atomic_double_add(&c->bits, (double)n);
}

void metrics_set(metrics_child_t *c, double value) {
  if (!c || c->family->type != METRICS__GAUGE) return;
  uint64_t b;
  memcpy(&b, &value, sizeof b);
  atomic_store_explicit(&c->bits, b, memory_order_relaxed);
}

void metrics_add(metrics_child_t *c, double delta) {
  if (!c || c->family->type != METRICS__GAUGE) return;
  atomic_double_add(&c->bits, delta);
}

void metrics_observe(metrics_child_t *c, double value) {
  if (!c || c->family->type != METRICS__HISTOGRAM) return;
  const metrics_family_t *f = c->family;
  size_t lo = 0, hi = f->nbounds; /* first bound >= value; nbounds = +Inf */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->bounds[mid] >= value)
      hi = mid;
    else
      lo = mid + 1;
  }
  atomic_fetch_add_explicit(&c->buckets[lo], 1, memory_order_relaxed);
  atomic_double_add(&c->bits, value);
}
