// SPDX-License-Identifier: Apache-2.0
/* Produce batches: the records of one HTTP request (or one streamed chunk)
 * handed to the shared producer, each with a slot that the delivery report
 * (on the producer's poll thread) fills; the request thread waits for the
 * slots it sent. A full local queue is waited out, never reported. */
#include <stdlib.h>
#include <time.h>

#include "rp_kafka_int.h"

typedef struct slot {
  struct rp_batch *batch;
  rp_delivery_t d;
  bool sent;
} slot_t;

struct rp_batch {
  rp_kafka_t *k;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t n;
  size_t pending; /* sent, no result yet */
  slot_t *slots;
};

rp_batch_t *rp_batch_new(rp_kafka_t *k, size_t n) {
  rp_batch_t *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->slots = calloc(n ? n : 1, sizeof *b->slots);
  if (!b->slots) {
    free(b);
    return NULL;
  }
  b->k = k;
  b->n = n;
  pthread_mutex_init(&b->mu, NULL);
  pthread_cond_init(&b->cv, NULL);
  for (size_t i = 0; i < n; i++) {
    b->slots[i].batch = b;
    b->slots[i].d.partition = -1;
    b->slots[i].d.offset = -1;
  }
  return b;
}

void rp_batch_free(rp_batch_t *b) {
  if (!b) return;
  rp_batch_wait(b);
  pthread_mutex_destroy(&b->mu);
  pthread_cond_destroy(&b->cv);
  free(b->slots);
  free(b);
}

void rp__batch_delivered(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque) {
  (void)rk, (void)opaque;
  slot_t *s = msg->_private;
  if (!s) return;
  rp_batch_t *b = s->batch;
  rd_kafka_timestamp_type_t tstype;
  pthread_mutex_lock(&b->mu);
  s->d.err = msg->err;
  s->d.partition = msg->partition;
  s->d.offset = msg->err ? -1 : msg->offset;
  s->d.timestamp_ms = rd_kafka_message_timestamp(msg, &tstype);
  if (--b->pending == 0) pthread_cond_broadcast(&b->cv);
  pthread_mutex_unlock(&b->mu);
}

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rp_batch_send(rp_batch_t *b, size_t i, const rp_record_t *rec) {
  slot_t *s = &b->slots[i];
  int64_t ts = rec->timestamp_ms ? rec->timestamp_ms : wall_ms();
  s->d.timestamp_ms = ts;
  s->d.key_size = rec->key ? rec->key_len : 0;
  s->d.value_size = rec->value ? rec->value_len : 0;
  pthread_mutex_lock(&b->mu);
  b->pending++;
  s->sent = true;
  pthread_mutex_unlock(&b->mu);
  rd_kafka_resp_err_t err;
  for (int waited_ms = 0;; waited_ms++) {
    err = rd_kafka_producev(b->k->rk, RD_KAFKA_V_TOPIC(rec->topic), RD_KAFKA_V_PARTITION(rec->partition),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_KEY((void *)rec->key, rec->key ? rec->key_len : 0),
                            RD_KAFKA_V_VALUE((void *)rec->value, rec->value ? rec->value_len : 0),
                            RD_KAFKA_V_TIMESTAMP(ts), RD_KAFKA_V_HEADERS(rec->headers), RD_KAFKA_V_OPAQUE(s),
                            RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || waited_ms >= 30000) break;
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
  }
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return; /* headers now owned by the message */
  if (rec->headers) rd_kafka_headers_destroy(rec->headers);
  pthread_mutex_lock(&b->mu);
  s->d.err = err;
  if (--b->pending == 0) pthread_cond_broadcast(&b->cv);
  pthread_mutex_unlock(&b->mu);
}

void rp_batch_skip(rp_batch_t *b, size_t i) { b->slots[i].sent = false; }

void rp_batch_wait(rp_batch_t *b) {
  pthread_mutex_lock(&b->mu);
  while (b->pending > 0) pthread_cond_wait(&b->cv, &b->mu);
  pthread_mutex_unlock(&b->mu);
}

const rp_delivery_t *rp_batch_result(const rp_batch_t *b, size_t i) { return &b->slots[i].d; }

size_t rp_batch_acked(const rp_batch_t *b) {
  size_t n = 0;
  for (size_t i = 0; i < b->n; i++) n += b->slots[i].sent && b->slots[i].d.err == RD_KAFKA_RESP_ERR_NO_ERROR;
  return n;
}
