// SPDX-License-Identifier: Apache-2.0
/* Produce (key 0) v3-v7 (shared/spec/kafka-broker.md §1.6.2, §2.4, §3.6).
 * Record batches stay opaque: each partition's Records go to
 * brk_partition_append as they sit in the request frame (no per-record
 * parsing). acks=0 gets no response; acks=1/-1 are answered after the
 * append, or in durable mode (log.flush.interval.messages=1) once the
 * store's flusher reports the data fsynced (group commit). Parked fetches
 * on an appended partition are woken. Sequence checks happen in the store
 * (brk_partition_append); a transactional batch must belong to an ongoing
 * transaction that added the partition (brk__txn_check_produce). Metrics:
 * records appended per request, batch bytes per topic (one child lookup per
 * topic per request), the error flag when a partition failed. */
#include <stdlib.h>

#include "brk_broker_int.h"
#include "brk_txn_int.h"
#include "log/log.h"

enum { BATCH_HEADER_BYTES = 61, ATTRIBUTES_AT = 21, CODEC_ZSTD = 4, ATTR_TRANSACTIONAL = 0x10,
       PRODUCER_ID_AT = 43, PRODUCER_EPOCH_AT = 51 };

typedef struct produce_ack {
  brk_resp_t *resp;
  int waiting; /* flush requests not yet reported, +1 while still issuing */
} produce_ack_t;

typedef struct produce_flush {
  produce_ack_t *ack;
  brk_loop_t *loop;
  brk_task_t task;
  int err;
} produce_flush_t;

typedef struct produce_ctx {
  brk_broker_t *b;
  const brk_reqhdr_t *h;
  brk_resp_t *resp;
  int16_t acks;
  produce_ack_t *ack;  /* non-NULL when acks wait for fsync */
  int64_t appended;    /* offsets appended by this request (metrics) */
  int64_t topic_bytes; /* batch bytes appended to the current topic (metrics) */
} produce_ctx_t;

static void ack_release(produce_ack_t *ack) {
  if (--ack->waiting > 0) return;
  brk_resp_finish(ack->resp);
  free(ack);
}

/* Loop thread: one partition's data is durable (or its fsync failed). */
static void on_flushed(void *arg) {
  produce_flush_t *f = arg;
  if (f->err != 0) {
    log_error("broker", "fsync failed (error %d): stopping (fail-stop)", f->err);
    abort();
  }
  produce_ack_t *ack = f->ack;
  free(f);
  ack_release(ack);
}

/* Flusher thread: hand the result to the loop. */
static void flush_done(void *arg, int err) {
  produce_flush_t *f = arg;
  f->err = err;
  brk_loop_post(f->loop, &f->task, on_flushed, f);
}

static void wait_durable(produce_ctx_t *ctx, brk_partition_t *p, int64_t upto) {
  produce_flush_t *f = malloc(sizeof *f);
  if (!f) {
    log_error("broker", "out of memory waiting for fsync: stopping (fail-stop)");
    abort();
  }
  *f = (produce_flush_t){.ack = ctx->ack, .loop = ctx->b->loop};
  ctx->ack->waiting++;
  brk_store_flush_request(ctx->b->store, p, upto, flush_done, f);
}

/* Codec checks the store cannot make (it does not know the request version). */
static brk_kerr_t check_codec(const brk_reqhdr_t *h, brk_slice_t records) {
  if (records.len < BATCH_HEADER_BYTES) return BRK_KERR_NONE; /* the store reports framing */
  int codec = records.ptr[ATTRIBUTES_AT + 1] & 7;
  if (codec > CODEC_ZSTD || (codec == CODEC_ZSTD && h->api_version < 7)) return BRK_KERR_UNSUPPORTED_COMPRESSION_TYPE;
  return BRK_KERR_NONE;
}

/* A transactional batch: its producer must be in an ongoing transaction that added the partition. */
static brk_kerr_t check_txn(brk_broker_t *b, brk_slice_t topic, int32_t index, brk_slice_t records) {
  if (records.len < BATCH_HEADER_BYTES || !(records.ptr[ATTRIBUTES_AT + 1] & ATTR_TRANSACTIONAL)) return BRK_KERR_NONE;
  const uint8_t *q = records.ptr;
  int64_t pid = 0;
  for (int i = 0; i < 8; i++) pid = (int64_t)(((uint64_t)pid << 8) | q[PRODUCER_ID_AT + i]);
  int16_t epoch = (int16_t)(((unsigned)q[PRODUCER_EPOCH_AT] << 8) | q[PRODUCER_EPOCH_AT + 1]);
  return brk__txn_check_produce(b->txn, pid, epoch, topic, index);
}

/* topic_err: the topic lookup's error (NONE if the topic exists). */
static void produce_partition(produce_ctx_t *ctx, brk_slice_t topic, brk_kerr_t topic_err, int32_t index,
                              brk_slice_t records, brk_writer_t *w) {
  brk_broker_t *b = ctx->b;
  brk_append_result_t res = {-1, -1, -1, -1};
  brk_kerr_t err = topic_err != BRK_KERR_NONE ? topic_err : BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  brk_partition_t *p = NULL;
  if (topic_err == BRK_KERR_NONE) p = brk_store_partition(b->store, (const char *)topic.ptr, (size_t)topic.len, index);
  if (p) {
    if (ctx->acks != 0 && ctx->acks != 1 && ctx->acks != -1)
      err = BRK_KERR_INVALID_REQUIRED_ACKS;
    else if (records.len <= 0)
      err = BRK_KERR_CORRUPT_MESSAGE;
    else if ((err = check_codec(ctx->h, records)) == BRK_KERR_NONE &&
             (err = check_txn(b, topic, index, records)) == BRK_KERR_NONE) {
      int64_t leo = brk_partition_high_watermark(p); /* a duplicate batch appends nothing */
      /* the frame is the connection's writable read buffer */
      err = brk_partition_append(p, (uint8_t *)(uintptr_t)records.ptr, (size_t)records.len, brk__wall_ms(), &res);
      if (err == BRK_KERR_NONE && brk_partition_high_watermark(p) > leo) {
        ctx->appended += brk_partition_high_watermark(p) - leo;
        ctx->topic_bytes += records.len;
      }
    }
  }
  if (err == BRK_KERR_NONE) {
    if (ctx->ack) wait_durable(ctx, p, res.last_offset + 1);
    brk__fetch_wake(b, p);
  } else {
    res = (brk_append_result_t){-1, -1, -1, -1};
    ctx->resp->error = true;
  }
  brk_write_i32(w, index);
  brk_write_i16(w, (int16_t)err);
  brk_write_i64(w, res.base_offset);
  brk_write_i64(w, res.log_append_time);
  if (ctx->h->api_version >= 5) brk_write_i64(w, res.log_start_offset);
}

static void produce_topic(produce_ctx_t *ctx, brk_reader_t *r, brk_writer_t *w) {
  brk_slice_t topic = brk_read_string(r);
  int32_t n_parts = brk_read_array_len(r, 8);
  if (!brk_reader_ok(r)) return;
  brk_kerr_t terr = BRK_KERR_NONE;
  if (brk__topic_lookup(ctx->b, topic, true, &terr) >= 0) terr = BRK_KERR_NONE;
  brk_write_string_n(w, topic.ptr, topic.len);
  brk_write_i32(w, n_parts);
  ctx->topic_bytes = 0;
  for (int32_t i = 0; i < n_parts && brk_reader_ok(r); i++) {
    int32_t index = brk_read_i32(r);
    brk_slice_t records = brk_read_bytes(r);
    if (!brk_reader_ok(r)) break;
    produce_partition(ctx, topic, terr, index, records, w);
  }
  char name[256];
  if (ctx->topic_bytes > 0 && brk__topic_cstr(topic, name, sizeof name))
    metrics_inc(metrics_child1(ctx->b->metrics.topic_bytes_in, name), (uint64_t)ctx->topic_bytes);
}

int brk__api_produce(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp) {
  produce_ctx_t ctx = {.b = b, .h = h, .resp = resp};
  (void)brk_read_string(r); /* TransactionalId: batches carry the producer id checked per partition */
  ctx.acks = brk_read_i16(r);
  (void)brk_read_i32(r); /* TimeoutMs */
  int32_t n_topics = brk_read_array_len(r, 6);
  if (!brk_reader_ok(r)) return -1;
  if (ctx.acks != 0 && b->cfg.flush_interval_messages == 1) {
    ctx.ack = calloc(1, sizeof *ctx.ack);
    if (!ctx.ack) return -1;
    ctx.ack->resp = resp;
    resp->deferred = true;
    ctx.ack->waiting = 1; /* held until every partition's request is issued */
  }
  brk_write_i32(&resp->w, n_topics);
  for (int32_t t = 0; t < n_topics && brk_reader_ok(r); t++) produce_topic(&ctx, r, &resp->w);
  brk_write_i32(&resp->w, 0); /* ThrottleTimeMs */
  metrics_inc(b->metrics.messages_in, (uint64_t)ctx.appended);
  if (!brk_reader_ok(r) && !ctx.ack) return -1;
  /* A malformed tail after durable appends still completes through the
   * flusher (the data is in the log); the connection is closed meanwhile. */
  if (ctx.acks == 0) {
    brk_resp_drop(resp);
    return brk_reader_ok(r) ? 0 : -1;
  }
  if (ctx.ack) {
    ack_release(ctx.ack);
    return brk_reader_ok(r) ? 0 : -1;
  }
  return brk_resp_finish(resp) ? 0 : -1;
}
