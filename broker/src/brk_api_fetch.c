// SPDX-License-Identifier: Apache-2.0
/* Fetch (key 1) v4-v11 (shared/spec/kafka-broker.md §1.6.4, §3.8). Every
 * request is a full fetch (SessionId 0: no sessions). Records are served
 * zero-copy: the response holds the fields as bytes and each partition's
 * Records as segment-file slices the connection sends with sendfile. Data
 * starts at the batch containing FetchOffset, stops at batch boundaries
 * within PartitionMaxBytes/MaxBytes but always includes the first batch of
 * the first non-empty partition (KIP-74). read_committed (isolation 1) is
 * served below the last stable offset, with the aborted transactions that
 * overlap the fetched range (KIP-98). A fetch that finds fewer
 * than MinBytes parks (a copy of its body, a loop timer for MaxWaitMs) and
 * is re-evaluated when a watched partition gets an append. */
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"

enum { MAX_SLICES = 16, MAX_ABORTED = 256 };

struct brk_fetch_waiter {
  brk_fetch_waiter_t *prev, *next; /* b->waiters */
  brk_broker_t *b;
  brk_resp_t *resp;
  brk_reqhdr_t h;
  size_t base_len; /* resp->w length before the body */
  uint8_t *body;
  size_t body_len;
  brk_partition_t **watch;
  size_t n_watch;
  brk_timer_t timer;
};

typedef struct fetch_eval {
  brk_broker_t *b;
  const brk_reqhdr_t *h;
  brk_resp_t *resp;
  int8_t isolation;
  int64_t budget;   /* MaxBytes left */
  int64_t total;    /* record bytes in the response */
  bool any_error;
  brk_partition_t **watch; /* collected when non-NULL-able (parking candidates) */
  size_t n_watch, cap_watch;
} fetch_eval_t;

static void watch_add(fetch_eval_t *e, brk_partition_t *p) {
  if (e->n_watch == e->cap_watch) {
    size_t cap = e->cap_watch ? e->cap_watch * 2 : 8;
    brk_partition_t **nw = realloc(e->watch, cap * sizeof *nw);
    if (!nw) return; /* not watched: it still completes on its timer */
    e->watch = nw;
    e->cap_watch = cap;
  }
  e->watch[e->n_watch++] = p;
}

typedef struct part_read {
  brk_read_slice_t slices[MAX_SLICES];
  size_t n;
  int64_t bytes, hwm, lso, log_start;
} part_read_t;

static brk_kerr_t read_partition(fetch_eval_t *e, brk_partition_t *p, int64_t offset, int32_t part_max,
                                 part_read_t *pr) {
  pr->hwm = brk_partition_high_watermark(p);
  pr->lso = brk_partition_last_stable(p);
  pr->log_start = brk_partition_log_start(p);
  int64_t max = part_max < e->budget ? part_max : e->budget;
  if (max < 0) max = 0;
  bool first = e->total == 0;
  if (max <= 0 && !first) return BRK_KERR_NONE;
  int64_t upto = e->isolation == 1 ? pr->lso : INT64_MAX;
  brk_kerr_t err =
      brk_partition_read_upto(p, offset, upto, (int32_t)max, first, pr->slices, MAX_SLICES, &pr->n, &pr->bytes);
  if (err != BRK_KERR_NONE) pr->n = 0, pr->bytes = 0;
  return err;
}

/* AbortedTransactions (v4+): null unless read_committed; those overlapping [offset, lso). */
static void write_aborted(fetch_eval_t *e, brk_partition_t *p, int64_t offset, const part_read_t *pr) {
  brk_writer_t *w = &e->resp->w;
  if (!p || e->isolation != 1) {
    brk_write_i32(w, e->isolation == 1 ? 0 : -1);
    return;
  }
  brk_aborted_txn_t ab[MAX_ABORTED];
  size_t n = pr->n ? brk_partition_aborted(p, offset, pr->lso, ab, MAX_ABORTED) : 0;
  if (n > MAX_ABORTED) n = MAX_ABORTED; /* the rest come with the next fetch's range */
  brk_write_i32(w, (int32_t)n);
  for (size_t i = 0; i < n; i++) {
    brk_write_i64(w, ab[i].producer_id);
    brk_write_i64(w, ab[i].first_offset);
  }
}

static void fetch_partition(fetch_eval_t *e, brk_slice_t topic, int32_t index, int64_t offset, int32_t part_max) {
  brk_writer_t *w = &e->resp->w;
  brk_partition_t *p = topic.ptr ? brk_store_partition(e->b->store, (const char *)topic.ptr, (size_t)topic.len, index)
                                 : NULL;
  part_read_t pr = {.n = 0, .bytes = 0, .hwm = -1, .lso = -1, .log_start = -1};
  brk_kerr_t err = BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  if (p) {
    watch_add(e, p);
    err = read_partition(e, p, offset, part_max, &pr);
  }
  if (err != BRK_KERR_NONE) e->any_error = true;
  e->total += pr.bytes;
  e->budget -= pr.bytes;
  brk_write_i32(w, index);
  brk_write_i16(w, (int16_t)err);
  brk_write_i64(w, pr.hwm);
  brk_write_i64(w, pr.lso); /* LastStableOffset */
  if (e->h->api_version >= 5) brk_write_i64(w, pr.log_start);
  write_aborted(e, err == BRK_KERR_NONE ? p : NULL, offset, &pr);
  if (e->h->api_version >= 11) brk_write_i32(w, -1); /* PreferredReadReplica */
  brk_write_i32(w, (int32_t)pr.bytes);
  for (size_t i = 0; i < pr.n; i++) brk_resp_add_file(e->resp, &pr.slices[i]);
}

/* Decodes the request in r and writes the whole response body. */
static int fetch_eval_run(fetch_eval_t *e, brk_reader_t *r, int32_t *max_wait, int32_t *min_bytes) {
  const brk_reqhdr_t *h = e->h;
  brk_writer_t *w = &e->resp->w;
  (void)brk_read_i32(r); /* ReplicaId */
  *max_wait = brk_read_i32(r);
  *min_bytes = brk_read_i32(r);
  int32_t max_bytes = brk_read_i32(r);
  e->isolation = brk_read_i8(r);
  e->budget = max_bytes > 0 ? max_bytes : 0;
  int32_t session_id = h->api_version >= 7 ? brk_read_i32(r) : 0;
  if (h->api_version >= 7) (void)brk_read_i32(r); /* SessionEpoch */
  int32_t n_topics = brk_read_array_len(r, 6);
  if (!brk_reader_ok(r)) return -1;
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  if (h->api_version >= 7) {
    brk_write_i16(w, session_id != 0 ? BRK_KERR_FETCH_SESSION_ID_NOT_FOUND : BRK_KERR_NONE);
    brk_write_i32(w, 0); /* SessionId: no session created */
  }
  if (session_id != 0) n_topics = 0, e->any_error = true;
  brk_write_i32(w, n_topics);
  size_t part_min = 4 + 8 + 4 + (h->api_version >= 9 ? 4 : 0) + (h->api_version >= 5 ? 8 : 0);
  for (int32_t t = 0; t < n_topics && brk_reader_ok(r); t++) {
    brk_slice_t topic = brk_read_string(r);
    int32_t n_parts = brk_read_array_len(r, part_min);
    if (!brk_reader_ok(r)) return -1;
    brk_write_string_n(w, topic.ptr, topic.len);
    brk_write_i32(w, n_parts);
    for (int32_t i = 0; i < n_parts; i++) {
      int32_t index = brk_read_i32(r);
      if (h->api_version >= 9) (void)brk_read_i32(r); /* CurrentLeaderEpoch */
      int64_t offset = brk_read_i64(r);
      if (h->api_version >= 5) (void)brk_read_i64(r); /* LogStartOffset (followers only) */
      int32_t part_max = brk_read_i32(r);
      if (!brk_reader_ok(r)) return -1;
      fetch_partition(e, topic, index, offset, part_max);
    }
  }
  /* ForgottenTopicsData (v7+) and RackId (v11) need no answer. */
  return brk_reader_ok(r) ? 0 : -1;
}

/* ---- parking ---------------------------------------------------------------------- */

static void waiter_unlink_free(brk_fetch_waiter_t *fw) {
  brk_broker_t *b = fw->b;
  if (fw->prev)
    fw->prev->next = fw->next;
  else
    b->waiters = fw->next;
  if (fw->next) fw->next->prev = fw->prev;
  brk_timer_stop(b->loop, &fw->timer);
  free(fw->watch);
  free(fw->body);
  free(fw);
}

static void waiter_cancel(void *arg) { waiter_unlink_free(arg); }

/* Re-runs a parked fetch; completes it when satisfied or final. */
static void waiter_eval(brk_fetch_waiter_t *fw, bool final) {
  fetch_eval_t e = {.b = fw->b, .h = &fw->h, .resp = fw->resp};
  brk_reader_t r;
  brk_reader_init(&r, fw->body, fw->body_len);
  int32_t max_wait, min_bytes;
  brk_resp_rewind(fw->resp, fw->base_len);
  int rc = fetch_eval_run(&e, &r, &max_wait, &min_bytes);
  free(e.watch);
  if (rc == 0 && !final && !e.any_error && e.total < min_bytes) {
    brk_resp_rewind(fw->resp, fw->base_len);
    return;
  }
  brk_resp_t *resp = fw->resp;
  resp->cancel = NULL;
  resp->error = rc != 0 || e.any_error;
  waiter_unlink_free(fw);
  brk_resp_finish(resp);
}

static void waiter_timeout(void *arg) { waiter_eval(arg, true); }

void brk__fetch_wake(brk_broker_t *b, const brk_partition_t *p) {
  brk_fetch_waiter_t *next;
  for (brk_fetch_waiter_t *fw = b->waiters; fw; fw = next) {
    next = fw->next;
    for (size_t i = 0; i < fw->n_watch; i++) {
      if (fw->watch[i] == p) {
        waiter_eval(fw, false);
        break;
      }
    }
  }
}

static int park(fetch_eval_t *e, const uint8_t *body, size_t body_len, size_t base_len, int32_t max_wait) {
  brk_fetch_waiter_t *fw = calloc(1, sizeof *fw);
  if (!fw || !(fw->body = malloc(body_len ? body_len : 1))) {
    free(fw);
    return -1;
  }
  memcpy(fw->body, body, body_len);
  fw->b = e->b;
  fw->resp = e->resp;
  fw->h = *e->h;
  fw->h.client_id = (brk_slice_t){NULL, -1}; /* points into the frame */
  fw->base_len = base_len;
  fw->body_len = body_len;
  fw->watch = e->watch;
  fw->n_watch = e->n_watch;
  e->watch = NULL;
  fw->next = e->b->waiters;
  if (fw->next) fw->next->prev = fw;
  e->b->waiters = fw;
  e->resp->cancel = waiter_cancel;
  e->resp->cancel_arg = fw;
  brk_timer_start(e->b->loop, &fw->timer, brk_now_ms() + max_wait, waiter_timeout, fw);
  return 0;
}

int brk__api_fetch(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp) {
  fetch_eval_t e = {.b = b, .h = h, .resp = resp};
  const uint8_t *body = r->p;
  size_t body_len = brk_reader_remaining(r);
  size_t base_len = resp->w.len;
  int32_t max_wait, min_bytes;
  if (fetch_eval_run(&e, r, &max_wait, &min_bytes) != 0) {
    free(e.watch);
    return -1;
  }
  if (max_wait > 0 && !e.any_error && e.total < min_bytes) {
    brk_resp_rewind(resp, base_len);
    int rc = park(&e, body, body_len, base_len, max_wait);
    free(e.watch);
    return rc;
  }
  free(e.watch);
  resp->error = e.any_error;
  return brk_resp_finish(resp) ? 0 : -1;
}
