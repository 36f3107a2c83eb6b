// SPDX-License-Identifier: Apache-2.0
/* The serde's allocator hook: every allocation the serde makes itself goes
 * through these, so a test can make the Nth one fail (serde__alloc_fail_at).
 * Allocations inside avro-c, jansson and libcurl are theirs. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "serde_int.h"

/* 0 = never fail; n > 0 = the nth allocation from now fails (and only it). */
static atomic_long fail_countdown;

void serde__alloc_fail_at(long n) { atomic_store(&fail_countdown, n); }

static bool should_fail(void) {
  long n = atomic_load(&fail_countdown);
  while (n > 0) {
    if (atomic_compare_exchange_weak(&fail_countdown, &n, n - 1)) {
      return n == 1;
    }
  }
  return false;
}

void *serde__malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }

void *serde__calloc(size_t n, size_t size) { return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1); }

void *serde__realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }

char *serde__strndup(const char *s, size_t n) {
  char *d = serde__malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *serde__strdup(const char *s) { return s ? serde__strndup(s, strlen(s)) : NULL; }
