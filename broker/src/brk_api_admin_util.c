// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the admin API handlers (see brk_api_admin.h): topic
 * name copies, duplicate detection in O(n log n) so a request with many
 * entries cannot make the loop thread quadratic, and config lists decoded
 * into C strings for the store. No response encoding and no store calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_api_admin.h"

bool brk__admin_topic_cstr(brk_slice_t name, char out[BRK_ADMIN_TOPIC_MAX + 1]) {
  out[0] = '\0';
  if (name.ptr == NULL || name.len <= 0 || name.len > BRK_ADMIN_TOPIC_MAX) return false;
  if (!brk_topic_name_valid((const char *)name.ptr, (size_t)name.len)) return false;
  memcpy(out, name.ptr, (size_t)name.len);
  out[name.len] = '\0';
  return true;
}

typedef struct dup_key {
  brk_slice_t name;
  int8_t kind;
  size_t idx;
} dup_key_t;

static int dup_key_cmp(const void *pa, const void *pb) {
  const dup_key_t *a = pa, *b = pb;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->name.len != b->name.len) return a->name.len < b->name.len ? -1 : 1;
  if (a->name.len <= 0) return 0;
  return memcmp(a->name.ptr, b->name.ptr, (size_t)a->name.len);
}

bool *brk__admin_find_dups(const brk_slice_t *names, const int8_t *kinds, size_t n) {
  if (n == 0) return NULL;
  bool *dup = calloc(n, sizeof *dup);
  dup_key_t *keys = malloc(n * sizeof *keys);
  if (dup == NULL || keys == NULL) {
    free(dup);
    free(keys);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) keys[i] = (dup_key_t){names[i], kinds ? kinds[i] : 0, i};
  qsort(keys, n, sizeof *keys, dup_key_cmp);
  for (size_t i = 1; i < n; i++) {
    if (dup_key_cmp(&keys[i - 1], &keys[i]) == 0) dup[keys[i - 1].idx] = dup[keys[i].idx] = true;
  }
  free(keys);
  return dup;
}

/* Name (2) + Value (2) [+ ConfigOperation (1)]. */
static size_t kv_min_bytes(bool with_op) {
  return with_op ? 5 : 4;
}

void brk__admin_skip_kvs(brk_reader_t *r, bool with_op) {
  int32_t n = brk_read_array_len(r, kv_min_bytes(with_op));
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    brk_read_string(r);          /* Name */
    if (with_op) brk_read_i8(r); /* ConfigOperation */
    brk_read_string(r);          /* Value */
  }
}

static char *copy_cstr(char **arena, brk_slice_t s) {
  if (s.ptr == NULL) return NULL;
  char *out = *arena;
  memcpy(out, s.ptr, (size_t)s.len);
  out[s.len] = '\0';
  *arena += (size_t)s.len + 1;
  return out;
}

int brk__admin_kvs_read(brk_reader_t *r, bool with_op, brk_admin_kvs_t *out) {
  memset(out, 0, sizeof *out);
  brk_reader_t probe = *r;
  int32_t n = brk_read_array_len(&probe, kv_min_bytes(with_op));
  size_t bytes = 0;
  for (int32_t i = 0; i < n; i++) {
    brk_slice_t name = brk_read_string(&probe);
    if (with_op) brk_read_i8(&probe);
    brk_slice_t value = brk_read_string(&probe);
    bytes += (size_t)(name.len > 0 ? name.len : 0) + (size_t)(value.len > 0 ? value.len : 0) + 2;
  }
  size_t count = n > 0 ? (size_t)n : 0;
  /* One block: the kv array, the ops, then the strings. */
  size_t head = count * sizeof(brk_kv_t) + (with_op ? count : 0);
  char *block = malloc(head + bytes + 1);
  if (block == NULL) return -1;
  out->kvs = (brk_kv_t *)(void *)block;
  out->ops = with_op ? (int8_t *)(block + count * sizeof(brk_kv_t)) : NULL;
  out->n = count;
  char *arena = block + head;
  brk_read_array_len(r, kv_min_bytes(with_op));
  for (size_t i = 0; i < count; i++) {
    brk_slice_t name = brk_read_string(r);
    if (with_op) out->ops[i] = brk_read_i8(r);
    brk_slice_t value = brk_read_string(r);
    if (name.ptr == NULL) out->has_null_name = true;
    out->kvs[i].key = name.ptr ? copy_cstr(&arena, name) : "";
    out->kvs[i].value = copy_cstr(&arena, value);
  }
  return 0;
}

void brk__admin_kvs_fini(brk_admin_kvs_t *kvs) {
  if (kvs == NULL) return;
  free(kvs->kvs);
  memset(kvs, 0, sizeof *kvs);
}

brk_kerr_t brk__admin_entry_check(const bool *dup, int32_t i, const char *dup_msg, char *msg, size_t cap) {
  if (dup == NULL) {
    snprintf(msg, cap, "Out of memory.");
    return BRK_KERR_UNKNOWN_SERVER_ERROR;
  }
  if (dup[i]) {
    snprintf(msg, cap, "%s", dup_msg);
    return BRK_KERR_INVALID_REQUEST;
  }
  return BRK_KERR_NONE;
}

bool brk__admin_is_own_broker(const brk_broker_t *b, brk_slice_t name) {
  char id[16];
  int n = snprintf(id, sizeof id, "%d", (int)brk_broker_config(b)->node_id);
  return name.ptr != NULL && name.len == n && memcmp(name.ptr, id, (size_t)n) == 0;
}

bool brk__admin_store_message(brk_broker_t *b, brk_kerr_t err, char *msg, size_t cap) {
  if (err == BRK_KERR_NONE) return false;
  const char *detail = brk_store_last_error(brk_broker_store(b));
  if (detail == NULL || detail[0] == '\0') return false;
  snprintf(msg, cap, "%s", detail);
  return true;
}
