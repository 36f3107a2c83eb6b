// SPDX-License-Identifier: Apache-2.0
/* The serde's cache of registry answers: a bounded hash map from byte keys
 * to a schema and/or id, with per-entry expiry, single-flight loading (the
 * first thread to miss a key loads it without holding any lock; others
 * wait on a condition variable) and a short negative memory of unknown
 * schemas, so a poison record cannot turn into a request per message.
 * Read hits take the read lock only. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serde_core.h"

typedef struct entry {
  struct entry *next_in_bucket;
  struct entry *older, *newer; /* insertion order, for eviction */
  uint64_t hash;
  void *key;
  size_t key_len;
  bool loading;
  serde_cached_t value;
  long long expires_ns; /* 0 = never */
  serde_error_t failure; /* code != OK: a remembered failed load */
} entry_t;

struct serde_cache {
  pthread_rwlock_t lock;
  pthread_mutex_t wait_lock;
  pthread_cond_t loaded;
  entry_t **buckets;
  size_t n_buckets; /* power of two */
  size_t count, capacity;
  entry_t *oldest, *newest;
  long missing_ttl_sec;
};

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static uint64_t hash_bytes(const void *key, size_t len) {
  const unsigned char *p = key;
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (size_t i = 0; i < len; i++) {
    h = (h ^ p[i]) * 1099511628211ULL;
  }
  return h;
}

serde_cache_t *serde__cache_new(size_t capacity, long missing_ttl_sec) {
  serde_cache_t *c = serde__calloc(1, sizeof *c);
  if (!c) {
    return NULL;
  }
  c->n_buckets = 16;
  while (c->n_buckets < capacity * 2 && c->n_buckets < (1u << 24)) {
    c->n_buckets *= 2;
  }
  c->buckets = serde__calloc(c->n_buckets, sizeof *c->buckets);
  if (!c->buckets) {
    free(c);
    return NULL;
  }
  c->capacity = capacity;
  c->missing_ttl_sec = missing_ttl_sec;
  pthread_rwlock_init(&c->lock, NULL);
  pthread_mutex_init(&c->wait_lock, NULL);
  pthread_cond_init(&c->loaded, NULL);
  return c;
}

static void entry_free(entry_t *e) {
  serde_schema_unref(e->value.schema);
  free(e->key);
  free(e);
}

/* Unlinks e from its bucket and the age list. Write lock held. */
static void unlink_entry(serde_cache_t *c, entry_t *e) {
  entry_t **at = &c->buckets[e->hash & (c->n_buckets - 1)];
  while (*at != e) {
    at = &(*at)->next_in_bucket;
  }
  *at = e->next_in_bucket;
  if (e->older) {
    e->older->newer = e->newer;
  } else {
    c->oldest = e->newer;
  }
  if (e->newer) {
    e->newer->older = e->older;
  } else {
    c->newest = e->older;
  }
  c->count--;
}

void serde__cache_destroy(serde_cache_t *c) {
  if (!c) {
    return;
  }
  while (c->oldest) {
    entry_t *e = c->oldest;
    unlink_entry(c, e);
    entry_free(e);
  }
  free(c->buckets);
  pthread_rwlock_destroy(&c->lock);
  pthread_mutex_destroy(&c->wait_lock);
  pthread_cond_destroy(&c->loaded);
  free(c);
}

static entry_t *find(serde_cache_t *c, const void *key, size_t len, uint64_t h) {
  for (entry_t *e = c->buckets[h & (c->n_buckets - 1)]; e; e = e->next_in_bucket) {
    if (e->hash == h && e->key_len == len && memcmp(e->key, key, len) == 0) {
      return e;
    }
  }
  return NULL;
}

/* Reads the clock only for entries that can expire (ids never do). */
static bool expired(const entry_t *e) { return e->expires_ns && now_ns() >= e->expires_ns; }

/* A settled, unexpired entry answers the caller: OK with a new reference,
 * or its remembered failure. */
static serde_code_t answer(const entry_t *e, serde_cached_t *out, serde_error_t *err) {
  if (e->failure.code != SERDE_OK) {
    if (err) {
      *err = e->failure;
    }
    return e->failure.code;
  }
  *out = e->value;
  if (out->schema) {
    serde_schema_ref(out->schema);
  }
  return SERDE_OK;
}

static void evict_if_full(serde_cache_t *c) {
  entry_t *e = c->oldest;
  while (c->count >= c->capacity && e) {
    entry_t *next = e->newer;
    if (!e->loading) {
      unlink_entry(c, e);
      entry_free(e);
    }
    e = next;
  }
}

/* Inserts a loading placeholder for key. Write lock held. */
static entry_t *insert_loading(serde_cache_t *c, const void *key, size_t len, uint64_t h) {
  evict_if_full(c);
  entry_t *e = serde__calloc(1, sizeof *e);
  void *k = serde__malloc(len);
  if (!e || !k) {
    free(e);
    free(k);
    return NULL;
  }
  memcpy(k, key, len);
  e->key = k;
  e->key_len = len;
  e->hash = h;
  e->loading = true;
  size_t b = h & (c->n_buckets - 1);
  e->next_in_bucket = c->buckets[b];
  c->buckets[b] = e;
  e->older = c->newest;
  if (c->newest) {
    c->newest->newer = e;
  } else {
    c->oldest = e;
  }
  c->newest = e;
  c->count++;
  return e;
}

/* Records the load's outcome in e and wakes the waiters. */
static void settle(serde_cache_t *c, entry_t *e, serde_code_t rc, const serde_cached_t *value,
                   const serde_error_t *failure, long ttl_sec) {
  long long now = now_ns();
  pthread_rwlock_wrlock(&c->lock);
  e->loading = false;
  if (rc == SERDE_OK) {
    e->value = *value;
    e->expires_ns = ttl_sec > 0 ? now + ttl_sec * 1000000000LL : 0;
  } else {
    e->failure = *failure;
    /* Unknown schema ids (40403) are remembered for a while; other failures
     * (a subject not registered yet, a wrong base path answering 404, an
     * outage) only until the threads already waiting have seen them. */
    long keep = rc == SERDE_ERR_UNKNOWN_SCHEMA && failure->error_code == 40403 ? c->missing_ttl_sec : 0;
    e->expires_ns = keep > 0 ? now + keep * 1000000000LL : now;
  }
  pthread_rwlock_unlock(&c->lock);
  pthread_mutex_lock(&c->wait_lock);
  pthread_cond_broadcast(&c->loaded);
  pthread_mutex_unlock(&c->wait_lock);
}

/* Waits until the entry for key is settled; returns its answer. */
static serde_code_t wait_for(serde_cache_t *c, const void *key, size_t len, uint64_t h, serde_cached_t *out,
                             serde_error_t *err) {
  pthread_mutex_lock(&c->wait_lock);
  serde_code_t rc = SERDE_ERR_REGISTRY_UNAVAILABLE;
  for (;;) {
    pthread_rwlock_rdlock(&c->lock);
    entry_t *e = find(c, key, len, h);
    bool settled = !e || !e->loading;
    if (e && settled) {
      rc = answer(e, out, err);
    }
    pthread_rwlock_unlock(&c->lock);
    if (settled) {
      if (!e) {
        rc = serde__fail(err, SERDE_ERR_REGISTRY_UNAVAILABLE, "schema load was abandoned; retry");
      }
      break;
    }
    pthread_cond_wait(&c->loaded, &c->wait_lock);
  }
  pthread_mutex_unlock(&c->wait_lock);
  return rc;
}

serde_code_t serde__cache_get(serde_cache_t *c, const void *key, size_t len, long ttl_sec, serde_cache_load_fn load,
                              void *ctx, serde_cached_t *out, serde_error_t *err) {
  uint64_t h = hash_bytes(key, len);
  memset(out, 0, sizeof *out);
  pthread_rwlock_rdlock(&c->lock);
  entry_t *e = find(c, key, len, h);
  if (e && !e->loading && !expired(e)) {
    serde_code_t rc = answer(e, out, err);
    pthread_rwlock_unlock(&c->lock);
    return rc;
  }
  pthread_rwlock_unlock(&c->lock);

  pthread_rwlock_wrlock(&c->lock);
  e = find(c, key, len, h);
  if (e && expired(e) && !e->loading) {
    unlink_entry(c, e);
    entry_free(e);
    e = NULL;
  }
  bool loader = !e;
  if (loader) {
    e = insert_loading(c, key, len, h);
  }
  pthread_rwlock_unlock(&c->lock);
  if (!e) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  if (!loader) {
    return wait_for(c, key, len, h, out, err);
  }
  serde_cached_t value = {0};
  serde_error_t failure = {0};
  serde_code_t rc = load(ctx, &value, &failure);
  if (rc != SERDE_OK && failure.code == SERDE_OK) {
    failure.code = rc;
  }
  if (rc == SERDE_OK && value.schema) {
    serde_schema_ref(value.schema); /* one for the cache, one for the caller */
  }
  settle(c, e, rc, &value, &failure, ttl_sec);
  if (rc != SERDE_OK && err) {
    *err = failure;
  }
  *out = value;
  return rc;
}

void serde__cache_forget(serde_cache_t *c, const void *prefix, size_t prefix_len) {
  pthread_rwlock_wrlock(&c->lock);
  entry_t *e = c->oldest;
  while (e) {
    entry_t *next = e->newer;
    if (!e->loading && e->key_len >= prefix_len && memcmp(e->key, prefix, prefix_len) == 0) {
      unlink_entry(c, e);
      entry_free(e);
    }
    e = next;
  }
  pthread_rwlock_unlock(&c->lock);
}
