// SPDX-License-Identifier: Apache-2.0
/* Per-partition producer state (shared/spec/kafka-broker.md §1.6.3, §1.6.9):
 * a hash of producer id -> epoch, the last 5 batches' sequence and offset
 * ranges (duplicate detection, KIP-98) and the first offset of the producer's
 * ongoing transaction (last stable offset), plus the aborted-transaction
 * index. Works on 61-byte batch headers only; the log files and their
 * recovery scan live in brk_log_*.c and brk_producer_recover.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "brk_log_int.h"

typedef struct hdr_ids {
  int64_t pid, base;
  int16_t epoch, attributes;
  int32_t seq, last_delta;
} hdr_ids_t;

static void hdr_ids(const uint8_t *h, hdr_ids_t *out) {
  out->base = (int64_t)brk__get_u64(h + BRK_B_BASE_OFFSET);
  out->pid = (int64_t)brk__get_u64(h + BRK_B_PRODUCER_ID);
  out->epoch = (int16_t)(((unsigned)h[BRK_B_PRODUCER_EPOCH] << 8) | h[BRK_B_PRODUCER_EPOCH + 1]);
  out->attributes = (int16_t)(((unsigned)h[BRK_B_ATTRIBUTES] << 8) | h[BRK_B_ATTRIBUTES + 1]);
  out->seq = (int32_t)brk__get_u32(h + BRK_B_BASE_SEQ);
  out->last_delta = (int32_t)brk__get_u32(h + BRK_B_LAST_DELTA);
}

static size_t hash_pid(int64_t pid, size_t cap) {
  uint64_t x = (uint64_t)pid * 0x9E3779B97F4A7C15ull;
  return (size_t)(x >> 17) & (cap - 1);
}

static brk__producer_t *find(const brk__pstate_t *s, int64_t pid) {
  if (s->cap == 0) return NULL;
  for (size_t i = hash_pid(pid, s->cap);; i = (i + 1) & (s->cap - 1)) {
    if (s->slots[i].pid == pid) return &s->slots[i];
    if (s->slots[i].pid == -1) return NULL;
  }
}

static int grow(brk__pstate_t *s) {
  size_t cap = s->cap ? s->cap * 2 : 16;
  brk__producer_t *slots = malloc(cap * sizeof *slots);
  if (!slots) return -ENOMEM;
  for (size_t i = 0; i < cap; i++) slots[i].pid = -1;
  for (size_t j = 0; j < s->cap; j++) {
    if (s->slots[j].pid == -1) continue;
    size_t i = hash_pid(s->slots[j].pid, cap);
    while (slots[i].pid != -1) i = (i + 1) & (cap - 1);
    slots[i] = s->slots[j];
  }
  free(s->slots);
  s->slots = slots;
  s->cap = cap;
  return 0;
}

static brk__producer_t *find_or_add(brk__pstate_t *s, int64_t pid, int16_t epoch) {
  brk__producer_t *e = find(s, pid);
  if (e) return e;
  if ((s->n + 1) * 4 > s->cap * 3 && grow(s) != 0) return NULL;
  size_t i = hash_pid(pid, s->cap);
  while (s->slots[i].pid != -1) i = (i + 1) & (s->cap - 1);
  e = &s->slots[i];
  memset(e, 0, sizeof *e);
  e->pid = pid;
  e->epoch = epoch;
  e->txn_first = -1;
  s->n++;
  return e;
}

void brk__pstate_fini(brk__pstate_t *s) {
  free(s->slots);
  free(s->aborted);
  memset(s, 0, sizeof *s);
}

static int32_t seq_add(int32_t seq, int32_t n) {
  int64_t v = (int64_t)seq + n;
  return (int32_t)(v > INT32_MAX ? v - INT32_MAX - 1 : v);
}

brk_kerr_t brk__pstate_check(const brk__pstate_t *s, const uint8_t *hdr, brk__pbatch_t *dup) {
  hdr_ids_t b;
  hdr_ids(hdr, &b);
  const brk__producer_t *e = find(s, b.pid);
  if (!e) return BRK_KERR_NONE; /* unknown producer: Kafka >= 2.5 starts tracking */
  if (b.epoch < e->epoch) return BRK_KERR_INVALID_PRODUCER_EPOCH;
  if (b.epoch > e->epoch) return b.seq == 0 ? BRK_KERR_NONE : BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER;
  int32_t last_seq = seq_add(b.seq, b.last_delta);
  for (uint8_t k = 0; k < e->n; k++) {
    const brk__pbatch_t *c = &e->batches[(e->head + BRK__PRODUCER_BATCHES - k) % BRK__PRODUCER_BATCHES];
    if (c->first_seq == b.seq && c->last_seq == last_seq) {
      *dup = *c;
      return BRK_KERR_DUPLICATE_SEQUENCE_NUMBER;
    }
  }
  if (e->n == 0) return b.seq == 0 ? BRK_KERR_NONE : BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER;
  if (b.seq != seq_add(e->batches[e->head].last_seq, 1)) return BRK_KERR_OUT_OF_ORDER_SEQUENCE_NUMBER;
  return BRK_KERR_NONE;
}

static int add_aborted(brk__pstate_t *s, int64_t pid, int64_t first, int64_t last) {
  if (s->n_aborted == s->cap_aborted) {
    size_t cap = s->cap_aborted ? s->cap_aborted * 2 : 8;
    brk_aborted_txn_t *a = realloc(s->aborted, cap * sizeof *a);
    if (!a) return -ENOMEM;
    s->aborted = a;
    s->cap_aborted = cap;
  }
  s->aborted[s->n_aborted++] = (brk_aborted_txn_t){pid, first, last};
  return 0;
}

static void push_batch(brk__producer_t *e, const hdr_ids_t *b) {
  e->head = e->n == 0 ? 0 : (uint8_t)((e->head + 1) % BRK__PRODUCER_BATCHES);
  if (e->n < BRK__PRODUCER_BATCHES) e->n++;
  e->batches[e->head] = (brk__pbatch_t){b->seq, seq_add(b->seq, b->last_delta), b->base, b->base + b->last_delta};
}

int brk__pstate_apply(brk__pstate_t *s, const uint8_t *hdr, int control_type) {
  hdr_ids_t b;
  hdr_ids(hdr, &b);
  if (b.pid < 0) return 0;
  brk__producer_t *e = find_or_add(s, b.pid, b.epoch);
  if (!e) return -ENOMEM;
  if (b.epoch != e->epoch) {
    e->epoch = b.epoch;
    e->n = 0; /* a new epoch restarts the sequences */
  }
  if (control_type >= 0) {
    if (e->txn_first < 0) return 0; /* a marker for nothing here (e.g. written again after a restart) */
    int rc = control_type == 0 ? add_aborted(s, b.pid, e->txn_first, b.base) : 0;
    e->txn_first = -1;
    s->n_ongoing--;
    return rc;
  }
  if (b.seq >= 0) push_batch(e, &b);
  if ((b.attributes & BRK_B_ATTR_TRANSACTIONAL) && e->txn_first < 0) {
    e->txn_first = b.base;
    s->n_ongoing++;
  }
  return 0;
}

int64_t brk__pstate_first_unstable(const brk__pstate_t *s) {
  int64_t min = INT64_MAX;
  if (s->n_ongoing == 0) return min;
  for (size_t i = 0; i < s->cap; i++)
    if (s->slots[i].pid != -1 && s->slots[i].txn_first >= 0 && s->slots[i].txn_first < min)
      min = s->slots[i].txn_first;
  return min;
}

/* Skips a zigzag varint; false if it runs past end. */
static bool skip_varint(const uint8_t **p, const uint8_t *end) {
  for (int i = 0; i < 10; i++) {
    if (*p >= end) return false;
    if (!(*(*p)++ & 0x80)) return true;
  }
  return false;
}

int brk__control_type(const uint8_t *buf, size_t len) {
  if (len < BRK_B_HEADER_SIZE) return -1;
  const uint8_t *p = buf + BRK_B_HEADER_SIZE, *end = buf + len;
  /* record: length, attributes int8, timestampDelta, offsetDelta, keyLength, key */
  if (!skip_varint(&p, end)) return -1;
  p++;
  if (!skip_varint(&p, end) || !skip_varint(&p, end) || !skip_varint(&p, end)) return -1;
  if (end - p < 4) return -1;
  return (int)(((unsigned)p[2] << 8) | p[3]);
}

bool brk_partition_txn_ongoing(const brk_partition_t *p, int64_t pid) {
  const brk__producer_t *e = find(&p->pstate, pid);
  return e && e->txn_first >= 0;
}

int64_t brk_partition_last_stable(const brk_partition_t *p) {
  int64_t first = brk__pstate_first_unstable(&p->pstate);
  return first < p->leo ? first : p->leo;
}

size_t brk_partition_aborted(const brk_partition_t *p, int64_t from, int64_t to, brk_aborted_txn_t *out,
                             size_t max) {
  const brk__pstate_t *s = &p->pstate;
  /* sorted by last offset: binary search for the first that ends at/after from */
  size_t lo = 0, hi = s->n_aborted;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->aborted[mid].last_offset < from) lo = mid + 1;
    else hi = mid;
  }
  size_t n = 0;
  for (size_t i = lo; i < s->n_aborted; i++) {
    if (s->aborted[i].first_offset >= to) continue;
    if (n < max) out[n] = s->aborted[i];
    n++;
  }
  return n;
}
