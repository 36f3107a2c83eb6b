// SPDX-License-Identifier: Apache-2.0
/* Finding a field of a resolved message by number, name or json_name: the
 * resolver sorts three arrays of field pointers per message once
 * (sch__pb_message_index_fields), and lookups binary-search them, so decoding
 * costs O(log n) per field whatever the declaration order. Only messages made
 * by the resolver carry the arrays. */
#include <stdlib.h>
#include <string.h>

#include "proto_resolve_int.h"

static int cmp_number(const void *a, const void *b) {
  const sch_pb_field_t *x = *(const sch_pb_field_t *const *)a, *y = *(const sch_pb_field_t *const *)b;
  return (x->number > y->number) - (x->number < y->number);
}

static int cmp_name(const void *a, const void *b) {
  const sch_pb_field_t *x = *(const sch_pb_field_t *const *)a, *y = *(const sch_pb_field_t *const *)b;
  return strcmp(x->name, y->name);
}

static int cmp_json(const void *a, const void *b) {
  const sch_pb_field_t *x = *(const sch_pb_field_t *const *)a, *y = *(const sch_pb_field_t *const *)b;
  return strcmp(x->json_name, y->json_name);
}

static const sch_pb_field_t **sorted(pb_build_t *b, const pb_message_t *m,
                                     int (*cmp)(const void *, const void *)) {
  size_t n = m->pub.n_fields;
  const sch_pb_field_t **v = sch__pb_alloc(b, n * sizeof(*v));
  if (v) {
    for (size_t i = 0; i < n; i++) {
      v[i] = &m->pub.fields[i];
    }
    qsort(v, n, sizeof(*v), cmp);
  }
  return v;
}

bool sch__pb_message_index_fields(pb_build_t *b, pb_message_t *m) {
  return (m->by_number = sorted(b, m, cmp_number)) && (m->by_name = sorted(b, m, cmp_name)) &&
         (m->by_json = sorted(b, m, cmp_json));
}

const sch_pb_field_t *sch_pb_field_by_number(const sch_pb_message_t *m, int32_t number) {
  if (!m) {
    return NULL;
  }
  const pb_message_t *x = (const pb_message_t *)m;
  size_t lo = 0, hi = m->n_fields;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int32_t n = x->by_number[mid]->number;
    if (n == number) {
      return x->by_number[mid];
    }
    if (n < number) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return NULL;
}

/* Binary search of v (sorted by the string at `json` ? json_name : name). */
static const sch_pb_field_t *by_string(const sch_pb_field_t *const *v, size_t n, const char *key, bool json) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(json ? v[mid]->json_name : v[mid]->name, key);
    if (c == 0) {
      return v[mid];
    }
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return NULL;
}

const sch_pb_field_t *sch_pb_field_by_name(const sch_pb_message_t *m, const char *name) {
  if (!m || !name) {
    return NULL;
  }
  const pb_message_t *x = (const pb_message_t *)m;
  const sch_pb_field_t *f = by_string(x->by_name, m->n_fields, name, false);
  return f ? f : by_string(x->by_json, m->n_fields, name, true);
}
