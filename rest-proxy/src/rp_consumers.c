// SPDX-License-Identifier: Apache-2.0
/* The v2 consumer instance table (rp_consumers.h, rp_consumer.h): instances
 * keyed by (group, name) in a small hash table under one mutex, pinned by
 * reference counts so a request holding an instance is safe against a
 * concurrent DELETE, expiry or shutdown; the expiry thread; and the
 * librdkafka lifecycle of one instance (config, create, close). It does not
 * parse requests or answer them beyond the 40403 of a missing instance. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log/log.h"
#include "rp_consumer.h"
#include "rp_kafka.h"
#include "rp_metrics.h"

#define RP_BUCKETS 64

struct rp_consumers {
  rp_t *rp;
  pthread_mutex_t mu;
  pthread_cond_t wake;    /* the expiry thread sleeps here; destroy signals it */
  pthread_cond_t drained; /* signalled when `draining` drops */
  bool stopping;
  atomic_bool quiescing; /* reads stop waiting (shutdown) */
  bool thread_started;
  pthread_t thread;
  size_t count;    /* listed instances */
  size_t draining; /* unlisted instances a releaser still has to close */
  rp_consumer_t *buckets[RP_BUCKETS];
};

/* ---- one instance ---------------------------------------------------------- */

static bool conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, char *msg, size_t msg_size) {
  char errstr[256];
  if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK) return true;
  snprintf(msg, msg_size, "invalid consumer configuration %s=%s: %s", name, value, errstr);
  return false;
}

/* The consumer settings on top of the proxy's common client config. Offsets
 * are stored only for records handed to the client, so a commit of "what was
 * consumed" commits exactly what the client saw. */
static bool consumer_conf(rp_t *rp, const rp_consumer_opts_t *o, rd_kafka_conf_t *conf, char *msg,
                          size_t msg_size) {
  /* librdkafka would kick an idle member out of the group after
   * max.poll.interval.ms; keep it at least as long as the idle expiry. */
  int64_t poll_interval =
      rp->cfg.consumer_instance_timeout_ms > 300000 ? rp->cfg.consumer_instance_timeout_ms : 300000;
  if (poll_interval > 86400000) poll_interval = 86400000;
  char interval[24], refresh[24];
  snprintf(interval, sizeof interval, "%" PRId64, poll_interval);
  /* Subscriptions to topics created later (and patterns) pick them up at
   * the proxy's metadata age rather than librdkafka's 5 minutes. */
  int refresh_ms = rp->cfg.metadata_max_age_ms >= 1000 ? rp->cfg.metadata_max_age_ms : 1000;
  snprintf(refresh, sizeof refresh, "%d", refresh_ms);
  if (!conf_set(conf, "group.id", o->group, msg, msg_size)) return false;
  if (!conf_set(conf, "enable.auto.commit", o->auto_commit ? "true" : "false", msg, msg_size)) return false;
  if (!conf_set(conf, "enable.auto.offset.store", "false", msg, msg_size)) return false;
  if (!conf_set(conf, "max.poll.interval.ms", interval, msg, msg_size)) return false;
  /* Answer reads soon after data arrives; bound prefetch memory per instance. */
  if (!conf_set(conf, "fetch.wait.max.ms", "100", msg, msg_size)) return false;
  if (!conf_set(conf, "queued.max.messages.kbytes", "16384", msg, msg_size)) return false;
  if (!conf_set(conf, "topic.metadata.refresh.interval.ms", refresh, msg, msg_size)) return false;
  if (o->auto_offset_reset && !conf_set(conf, "auto.offset.reset", o->auto_offset_reset, msg, msg_size))
    return false;
  return true;
}

rp_code_t rp__consumer_new(rp_t *rp, const rp_consumer_opts_t *opts, rp_consumer_t **out, char *msg,
                           size_t msg_size) {
  *out = NULL;
  rp_consumer_t *inst = calloc(1, sizeof *inst);
  if (!inst) return RP_ERR_NOMEM;
  inst->group = strdup(opts->group);
  inst->name = strdup(opts->name);
  if (!inst->group || !inst->name || pthread_mutex_init(&inst->mu, NULL) != 0) {
    free(inst->group);
    free(inst->name);
    free(inst);
    return RP_ERR_NOMEM;
  }
  inst->format = opts->format;
  inst->fetch_min_bytes = opts->fetch_min_bytes;
  inst->request_timeout_ms = opts->request_timeout_ms;
  inst->mode = RP_CONSUMER_IDLE;

  rp_code_t code = RP_ERR_CONSUMER_CONFIG;
  rd_kafka_conf_t *conf = rp_kafka_conf_new(rp->kafka);
  if (!conf) {
    code = RP_ERR_NOMEM;
    goto out;
  }
  if (!consumer_conf(rp, opts, conf, msg, msg_size)) goto out;
  char errstr[512];
  inst->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (!inst->rk) {
    snprintf(msg, msg_size, "cannot create the consumer: %s", errstr);
    goto out;
  }
  conf = NULL; /* owned by rk now */
  rd_kafka_poll_set_consumer(inst->rk);
  *out = inst;
  return RP_OK;
out:
  if (conf) rd_kafka_conf_destroy(conf);
  rp__consumer_free(inst);
  return code;
}

void rp__consumer_drop_pending(rp_consumer_t *inst, const char *topic, int32_t partition) {
  rd_kafka_message_t *m = inst->pending;
  if (!m) return;
  if (topic && (!m->rkt || m->partition != partition || strcmp(rd_kafka_topic_name(m->rkt), topic) != 0))
    return;
  rd_kafka_message_destroy(m);
  inst->pending = NULL;
}

void rp__consumer_free(rp_consumer_t *inst) {
  if (!inst) return;
  rp__consumer_drop_pending(inst, NULL, 0);
  if (inst->rk) {
    /* librdkafka 2.0.2 leaks a subscription postponed behind a rebalance
     * when the consumer closes; an unsubscribe first discards it. */
    rd_kafka_unsubscribe(inst->rk);
    rd_kafka_resp_err_t err = rd_kafka_consumer_close(inst->rk);
    if (err)
      log_warn("rest-proxy", "consumer %s/%s: close: %s", inst->group, inst->name, rd_kafka_err2str(err));
    rd_kafka_destroy(inst->rk);
  }
  pthread_mutex_destroy(&inst->mu);
  free(inst->group);
  free(inst->name);
  free(inst);
}

/* ---- the table ----------------------------------------------------------------- */

static size_t bucket_of(const char *group, const char *name) {
  uint32_t h = 2166136261u; /* FNV-1a over group NUL name */
  for (const unsigned char *p = (const unsigned char *)group;; p++) {
    h = (h ^ *p) * 16777619u;
    if (!*p) break;
  }
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) h = (h ^ *p) * 16777619u;
  return h % RP_BUCKETS;
}

/* Caller holds cs->mu. Returns the link that points at the instance, or at
 * the NULL ending its bucket. */
static rp_consumer_t **find_link(rp_consumers_t *cs, const char *group, const char *name) {
  rp_consumer_t **link = &cs->buckets[bucket_of(group, name)];
  while (*link && (strcmp((*link)->group, group) != 0 || strcmp((*link)->name, name) != 0))
    link = &(*link)->next;
  return link;
}

/* Caller holds cs->mu: takes the instance at *link out of the table. Returns
 * it when nobody uses it (the caller closes it outside the lock), else NULL
 * (the last releaser closes it). */
static rp_consumer_t *unlist_locked(rp_consumers_t *cs, rp_consumer_t **link) {
  rp_consumer_t *inst = *link;
  *link = inst->next;
  inst->next = NULL;
  inst->listed = false;
  cs->count--;
  rp__metrics_consumer_instances(-1);
  if (inst->refs > 0) {
    cs->draining++;
    return NULL;
  }
  return inst;
}

bool rp__consumers_exists(rp_consumers_t *cs, const char *group, const char *name) {
  pthread_mutex_lock(&cs->mu);
  bool found = *find_link(cs, group, name) != NULL;
  pthread_mutex_unlock(&cs->mu);
  return found;
}

rp_insert_t rp__consumers_insert(rp_consumers_t *cs, rp_consumer_t *inst) {
  rp_insert_t res = RP_INSERT_OK;
  pthread_mutex_lock(&cs->mu);
  rp_consumer_t **link = find_link(cs, inst->group, inst->name);
  if (*link) {
    res = RP_INSERT_EXISTS;
  } else if (cs->count >= RP_CONSUMERS_MAX || cs->stopping) {
    res = RP_INSERT_FULL;
  } else {
    inst->listed = true;
    inst->refs = 0;
    inst->last_used_ms = rp_now_ms();
    *link = inst;
    cs->count++;
    rp__metrics_consumer_instances(1);
  }
  pthread_mutex_unlock(&cs->mu);
  return res;
}

bool rp__consumers_remove(rp_consumers_t *cs, const char *group, const char *name) {
  rp_consumer_t *closing = NULL;
  pthread_mutex_lock(&cs->mu);
  rp_consumer_t **link = find_link(cs, group, name);
  bool found = *link != NULL;
  if (found) closing = unlist_locked(cs, link);
  pthread_mutex_unlock(&cs->mu);
  if (found) log_info("rest-proxy", "consumer %s/%s deleted", group, name);
  rp__consumer_free(closing);
  return found;
}

/* Unpins inst; closes it when it was unlisted and this was the last user. */
static void unpin(rp_consumers_t *cs, rp_consumer_t *inst) {
  pthread_mutex_lock(&cs->mu);
  inst->refs--;
  inst->last_used_ms = rp_now_ms();
  bool close = !inst->listed && inst->refs == 0;
  pthread_mutex_unlock(&cs->mu);
  if (!close) return;
  rp__consumer_free(inst);
  pthread_mutex_lock(&cs->mu);
  cs->draining--;
  pthread_cond_broadcast(&cs->drained);
  pthread_mutex_unlock(&cs->mu);
}

rp_consumer_t *rp__consumer_acquire(rp_call_t *c) {
  rp_consumers_t *cs = c->rp->consumers;
  rp_consumer_t *inst = NULL;
  if (cs && c->nparams >= 2) {
    pthread_mutex_lock(&cs->mu);
    inst = *find_link(cs, c->params[0], c->params[1]);
    if (inst) {
      inst->refs++;
      inst->last_used_ms = rp_now_ms();
    }
    pthread_mutex_unlock(&cs->mu);
  }
  if (inst) {
    pthread_mutex_lock(&inst->mu);
    pthread_mutex_lock(&cs->mu);
    bool listed = inst->listed;
    pthread_mutex_unlock(&cs->mu);
    if (listed) return inst;
    pthread_mutex_unlock(&inst->mu); /* deleted or expired while we waited */
    unpin(cs, inst);
  }
  rp_reply_error(c, RP_ERR_CONSUMER_NOT_FOUND, NULL);
  return NULL;
}

void rp__consumer_release(rp_call_t *c, rp_consumer_t *inst) {
  if (!inst) return;
  pthread_mutex_unlock(&inst->mu);
  unpin(c->rp->consumers, inst);
}

/* ---- expiry ---------------------------------------------------------------------- */

/* Caller holds cs->mu: unlists every unused instance idle longer than the
 * timeout and returns them chained through `next`. */
static rp_consumer_t *collect_expired(rp_consumers_t *cs, int64_t now, int64_t timeout_ms) {
  rp_consumer_t *expired = NULL;
  for (size_t b = 0; b < RP_BUCKETS; b++) {
    rp_consumer_t **link = &cs->buckets[b];
    while (*link) {
      rp_consumer_t *inst = *link;
      if (inst->refs > 0 || now - inst->last_used_ms <= timeout_ms) {
        link = &inst->next;
        continue;
      }
      unlist_locked(cs, link); /* refs == 0: ours to close */
      inst->next = expired;
      expired = inst;
    }
  }
  return expired;
}

static void close_chain(rp_consumer_t *chain, const char *why) {
  while (chain) {
    rp_consumer_t *next = chain->next;
    log_info("rest-proxy", "consumer %s/%s %s", chain->group, chain->name, why);
    rp__consumer_free(chain);
    chain = next;
  }
}

static void *expiry_main(void *arg) {
  rp_consumers_t *cs = arg;
  int64_t timeout_ms = cs->rp->cfg.consumer_instance_timeout_ms;
  pthread_mutex_lock(&cs->mu);
  while (!cs->stopping) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += 1;
    pthread_cond_timedwait(&cs->wake, &cs->mu, &ts);
    if (cs->stopping || timeout_ms <= 0) continue;
    rp_consumer_t *expired = collect_expired(cs, rp_now_ms(), timeout_ms);
    if (!expired) continue;
    pthread_mutex_unlock(&cs->mu);
    close_chain(expired, "expired (idle too long)");
    pthread_mutex_lock(&cs->mu);
  }
  pthread_mutex_unlock(&cs->mu);
  return NULL;
}

rp_consumers_t *rp_consumers_new(rp_t *rp) {
  rp_consumers_t *cs = calloc(1, sizeof *cs);
  if (!cs) return NULL;
  cs->rp = rp;
  atomic_init(&cs->quiescing, false);
  pthread_condattr_t attr;
  bool attr_ok = pthread_condattr_init(&attr) == 0;
  if (attr_ok) pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  bool mu_ok = pthread_mutex_init(&cs->mu, NULL) == 0;
  bool wake_ok = attr_ok && pthread_cond_init(&cs->wake, &attr) == 0;
  bool drained_ok = pthread_cond_init(&cs->drained, NULL) == 0;
  if (attr_ok) pthread_condattr_destroy(&attr);
  if (mu_ok && wake_ok && drained_ok && pthread_create(&cs->thread, NULL, expiry_main, cs) == 0) {
    cs->thread_started = true;
    return cs;
  }
  if (mu_ok) pthread_mutex_destroy(&cs->mu);
  if (wake_ok) pthread_cond_destroy(&cs->wake);
  if (drained_ok) pthread_cond_destroy(&cs->drained);
  free(cs);
  return NULL;
}

void rp__consumers_quiesce(rp_consumers_t *cs) {
  if (cs) atomic_store(&cs->quiescing, true);
}

bool rp__consumers_quiescing(rp_consumers_t *cs) {
  return cs && atomic_load(&cs->quiescing);
}

void rp_consumers_destroy(rp_consumers_t *cs) {
  if (!cs) return;
  rp__consumers_quiesce(cs);
  pthread_mutex_lock(&cs->mu);
  cs->stopping = true;
  pthread_cond_broadcast(&cs->wake);
  pthread_mutex_unlock(&cs->mu);
  if (cs->thread_started) pthread_join(cs->thread, NULL);

  /* Unlist everything; close the unused now, let users in flight close theirs. */
  rp_consumer_t *chain = NULL;
  pthread_mutex_lock(&cs->mu);
  for (size_t b = 0; b < RP_BUCKETS; b++) {
    while (cs->buckets[b]) {
      rp_consumer_t *inst = unlist_locked(cs, &cs->buckets[b]);
      if (!inst) continue;
      inst->next = chain;
      chain = inst;
    }
  }
  pthread_mutex_unlock(&cs->mu);
  close_chain(chain, "closed (shutdown)");
  pthread_mutex_lock(&cs->mu);
  while (cs->draining > 0) pthread_cond_wait(&cs->drained, &cs->mu);
  pthread_mutex_unlock(&cs->mu);

  pthread_cond_destroy(&cs->wake);
  pthread_cond_destroy(&cs->drained);
  pthread_mutex_destroy(&cs->mu);
  free(cs);
}
