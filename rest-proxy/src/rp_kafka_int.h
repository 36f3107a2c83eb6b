// SPDX-License-Identifier: Apache-2.0
/* The rp_kafka object, shared by rp_kafka.c (clients, poll thread),
 * rp_kafka_meta.c (metadata cache) and rp_batch.c (delivery tracking). */
#ifndef WEIR_REST_PROXY_RP_KAFKA_INT_H
#define WEIR_REST_PROXY_RP_KAFKA_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "rp_kafka.h"

#define RP_META_BUCKETS 1024

/* One cached topic: its partition count as of the last refresh. */
typedef struct rp_meta_topic {
  struct rp_meta_topic *next;
  int32_t partitions;
  char name[];
} rp_meta_topic_t;

struct rp_kafka {
  rd_kafka_t *rk;
  char *bootstrap;
  int metadata_max_age_ms;
  pthread_t poller;
  atomic_bool stop;
  /* metadata cache: topics by name, replaced wholesale by each refresh */
  pthread_mutex_t meta_mu;     /* guards buckets, fetched_ms, generation */
  pthread_mutex_t refresh_mu;  /* one refresh at a time */
  rp_meta_topic_t *buckets[RP_META_BUCKETS];
  int64_t fetched_ms;          /* monotonic time of the last refresh; 0 = never */
  uint64_t generation;         /* bumped by each refresh */
  char cluster_id[128];        /* "" until known (guarded by meta_mu) */
  /* GET /health's last probe (rp_kafka_health.c), under health_mu */
  pthread_mutex_t health_mu;
  int64_t health_ms;           /* monotonic time of the last probe; 0 = never */
  rd_kafka_resp_err_t health_err;
};

/* The librdkafka delivery report callback (rp_batch.c). */
void rp__batch_delivered(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque);

/* Frees every cached topic (rp_kafka_meta.c). */
void rp__meta_clear(rp_kafka_t *k);


#endif
