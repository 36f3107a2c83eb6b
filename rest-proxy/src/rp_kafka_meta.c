// SPDX-License-Identifier: Apache-2.0
/* The topic metadata cache: partition counts of every topic, refreshed with
 * one all-topics Metadata request when older than metadata.max.age and on
 * every miss (so a topic created a moment ago is found, and a missing topic
 * is reported at once instead of after a produce timeout). Refreshes are
 * serialized; a caller that missed while another refresh ran reuses it. */
#include <stdlib.h>
#include <string.h>

#include "rp_kafka_int.h"

static size_t bucket_of(const char *name) {
  uint32_t h = 2166136261u;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
  return h % RP_META_BUCKETS;
}

static void clear_locked(rp_kafka_t *k) {
  for (size_t b = 0; b < RP_META_BUCKETS; b++) {
    for (rp_meta_topic_t *t = k->buckets[b], *next; t; t = next) {
      next = t->next;
      free(t);
    }
    k->buckets[b] = NULL;
  }
}

void rp__meta_clear(rp_kafka_t *k) { clear_locked(k); }

/* Looks topic up; -1 when absent. Caller holds meta_mu. */
static int32_t lookup_locked(rp_kafka_t *k, const char *topic) {
  for (rp_meta_topic_t *t = k->buckets[bucket_of(topic)]; t; t = t->next)
    if (strcmp(t->name, topic) == 0) return t->partitions;
  return -1;
}

rp_code_t rp_kafka_metadata(rp_kafka_t *k, const struct rd_kafka_metadata **md) {
  rd_kafka_resp_err_t err = rd_kafka_metadata(k->rk, 1, NULL, md, RP_KAFKA_TIMEOUT_MS);
  if (err) {
    *md = NULL;
    rp_code_t code = rp_code_from_kafka(err);
    return code == RP_ERR_KAFKA ? RP_ERR_KAFKA_RETRIABLE : code;
  }
  return RP_OK;
}

/* Replaces the cache with a fresh all-topics answer. */
static rp_code_t refresh(rp_kafka_t *k) {
  const struct rd_kafka_metadata *md = NULL;
  rp_code_t rc = rp_kafka_metadata(k, &md);
  if (rc != RP_OK) return rc;
  rp_meta_topic_t *fresh[RP_META_BUCKETS] = {0};
  bool oom = false;
  for (int i = 0; i < md->topic_cnt && !oom; i++) {
    const rd_kafka_metadata_topic_t *mt = &md->topics[i];
    if (mt->err != RD_KAFKA_RESP_ERR_NO_ERROR || !mt->topic) continue;
    size_t len = strlen(mt->topic);
    rp_meta_topic_t *t = malloc(sizeof *t + len + 1);
    if (!t) {
      oom = true;
      break;
    }
    memcpy(t->name, mt->topic, len + 1);
    t->partitions = mt->partition_cnt;
    size_t b = bucket_of(t->name);
    t->next = fresh[b];
    fresh[b] = t;
  }
  rd_kafka_metadata_destroy(md);
  pthread_mutex_lock(&k->meta_mu);
  clear_locked(k);
  memcpy(k->buckets, fresh, sizeof fresh);
  k->fetched_ms = oom ? 0 : rp_now_ms();
  k->generation++;
  pthread_mutex_unlock(&k->meta_mu);
  return oom ? RP_ERR_NOMEM : RP_OK;
}

rp_code_t rp_kafka_partitions(rp_kafka_t *k, const char *topic, int32_t *count) {
  pthread_mutex_lock(&k->meta_mu);
  bool fresh = k->fetched_ms && rp_now_ms() - k->fetched_ms < k->metadata_max_age_ms;
  int32_t n = lookup_locked(k, topic);
  uint64_t gen = k->generation;
  pthread_mutex_unlock(&k->meta_mu);
  if (fresh && n >= 0) {
    *count = n;
    return RP_OK;
  }
  pthread_mutex_lock(&k->refresh_mu);
  pthread_mutex_lock(&k->meta_mu);
  bool reuse = k->generation != gen && k->fetched_ms;
  pthread_mutex_unlock(&k->meta_mu);
  rp_code_t rc = reuse ? RP_OK : refresh(k);
  pthread_mutex_unlock(&k->refresh_mu);
  if (rc != RP_OK) return rc;
  pthread_mutex_lock(&k->meta_mu);
  n = lookup_locked(k, topic);
  pthread_mutex_unlock(&k->meta_mu);
  if (n < 0) return RP_ERR_TOPIC_NOT_FOUND;
  *count = n;
  return RP_OK;
}

void rp_kafka_forget(rp_kafka_t *k, const char *topic) {
  (void)topic; /* one refresh reloads every topic, so forgetting all is as cheap */
  pthread_mutex_lock(&k->meta_mu);
  k->fetched_ms = 0;
  pthread_mutex_unlock(&k->meta_mu);
}
