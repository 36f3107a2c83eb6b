// SPDX-License-Identifier: Apache-2.0
/* Tests of serde_cache.c: single-flight loading, expiry, negative memory of
 * unknown schemas, eviction, forgetting by prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "serde_core.h"

typedef struct loader {
  atomic_int calls;
  serde_code_t answer;
  int32_t id;
  useconds_t delay_us;
} loader_t;

static serde_code_t load(void *ctx, serde_cached_t *out, serde_error_t *err) {
  loader_t *l = ctx;
  atomic_fetch_add(&l->calls, 1);
  if (l->delay_us) {
    usleep(l->delay_us);
  }
  if (l->answer != SERDE_OK) {
    serde__fail(err, l->answer, "load failed (%d)", l->id);
    err->error_code = l->answer == SERDE_ERR_UNKNOWN_SCHEMA ? 40403 : 0;
    return l->answer;
  }
  out->id = l->id;
  return SERDE_OK;
}

typedef struct getter {
  serde_cache_t *cache;
  loader_t *loader;
  serde_code_t rc;
  int32_t id;
} getter_t;

static void *get_thread(void *arg) {
  getter_t *g = arg;
  serde_cached_t out;
  serde_error_t err = {0};
  g->rc = serde__cache_get(g->cache, "i42", 3, 0, load, g->loader, &out, &err);
  g->id = out.id;
  return NULL;
}

static void test_cache_concurrent_misses_make_one_load(void **state) {
  (void)state;
  serde_cache_t *c = serde__cache_new(10, 0);
  loader_t l = {.answer = SERDE_OK, .id = 42, .delay_us = 100000};
  pthread_t threads[8];
  getter_t g[8];
  for (int i = 0; i < 8; i++) {
    g[i] = (getter_t){c, &l, SERDE_ERR_INVALID_ARG, 0};
    pthread_create(&threads[i], NULL, get_thread, &g[i]);
  }
  for (int i = 0; i < 8; i++) {
    pthread_join(threads[i], NULL);
    assert_int_equal(g[i].rc, SERDE_OK);
    assert_int_equal(g[i].id, 42);
  }
  assert_int_equal(atomic_load(&l.calls), 1);
  serde__cache_destroy(c);
}

static void test_cache_waiters_see_the_loaders_failure(void **state) {
  (void)state;
  serde_cache_t *c = serde__cache_new(10, 0);
  loader_t l = {.answer = SERDE_ERR_REGISTRY_UNAVAILABLE, .id = 7, .delay_us = 100000};
  pthread_t threads[4];
  getter_t g[4];
  for (int i = 0; i < 4; i++) {
    g[i] = (getter_t){c, &l, SERDE_OK, 0};
    pthread_create(&threads[i], NULL, get_thread, &g[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    assert_int_equal(g[i].rc, SERDE_ERR_REGISTRY_UNAVAILABLE);
  }
  assert_int_equal(atomic_load(&l.calls), 1);
  /* Not remembered: the next call loads again. */
  l.answer = SERDE_OK;
  l.delay_us = 0;
  getter_t again = {c, &l, SERDE_ERR_INVALID_ARG, 0};
  get_thread(&again);
  assert_int_equal(again.rc, SERDE_OK);
  assert_int_equal(atomic_load(&l.calls), 2);
  serde__cache_destroy(c);
}

static void test_cache_remembers_unknown_schema_for_missing_ttl(void **state) {
  (void)state;
  serde_cache_t *c = serde__cache_new(10, 60);
  loader_t l = {.answer = SERDE_ERR_UNKNOWN_SCHEMA, .id = 9};
  serde_cached_t out;
  serde_error_t err = {0};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(serde__cache_get(c, "i9", 2, 0, load, &l, &out, &err), SERDE_ERR_UNKNOWN_SCHEMA);
    assert_non_null(strstr(err.message, "load failed (9)"));
  }
  assert_int_equal(atomic_load(&l.calls), 1);
  serde__cache_destroy(c);
}

static void test_cache_entries_expire_after_their_ttl(void **state) {
  (void)state;
  serde_cache_t *c = serde__cache_new(10, 0);
  loader_t l = {.answer = SERDE_OK, .id = 1};
  serde_cached_t out;
  serde_error_t err = {0};
  assert_int_equal(serde__cache_get(c, "lsubj", 5, 1, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(serde__cache_get(c, "lsubj", 5, 1, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(atomic_load(&l.calls), 1);
  sleep(1);
  usleep(100000);
  assert_int_equal(serde__cache_get(c, "lsubj", 5, 1, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(atomic_load(&l.calls), 2);
  serde__cache_destroy(c);
}

static void test_cache_evicts_oldest_beyond_capacity_and_forgets_by_prefix(void **state) {
  (void)state;
  serde_cache_t *c = serde__cache_new(3, 0);
  loader_t l = {.answer = SERDE_OK};
  serde_cached_t out;
  serde_error_t err = {0};
  const char *keys[] = {"a1", "a2", "b1", "b2"};
  for (int i = 0; i < 4; i++) {
    l.id = i;
    assert_int_equal(serde__cache_get(c, keys[i], 2, 0, load, &l, &out, &err), SERDE_OK);
  }
  assert_int_equal(atomic_load(&l.calls), 4);
  /* a1 was evicted: asking again loads. */
  assert_int_equal(serde__cache_get(c, "a1", 2, 0, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(atomic_load(&l.calls), 5);
  /* b2 still cached. */
  assert_int_equal(serde__cache_get(c, "b2", 2, 0, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(out.id, 3);
  assert_int_equal(atomic_load(&l.calls), 5);
  serde__cache_forget(c, "b", 1);
  assert_int_equal(serde__cache_get(c, "b2", 2, 0, load, &l, &out, &err), SERDE_OK);
  assert_int_equal(atomic_load(&l.calls), 6);
  serde__cache_destroy(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cache_concurrent_misses_make_one_load),
      cmocka_unit_test(test_cache_waiters_see_the_loaders_failure),
      cmocka_unit_test(test_cache_remembers_unknown_schema_for_missing_ttl),
      cmocka_unit_test(test_cache_entries_expire_after_their_ttl),
      cmocka_unit_test(test_cache_evicts_oldest_beyond_capacity_and_forgets_by_prefix),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
