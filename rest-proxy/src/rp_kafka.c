// SPDX-License-Identifier: Apache-2.0
/* The proxy's Kafka clients: the one shared producer (murmur2 partitioner
 * like the Java client, no linger by default, bounded delivery timeout) whose poll
 * thread serves delivery reports, the base configuration consumers start
 * from, admin result waits and the cluster id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log/log.h"
#include "rp_kafka_int.h"

int64_t rp_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool set(rd_kafka_conf_t *conf, const char *name, const char *value, char *errbuf, size_t errbuf_len) {
  char why[200];
  if (rd_kafka_conf_set(conf, name, value, why, sizeof why) == RD_KAFKA_CONF_OK) return true;
  snprintf(errbuf, errbuf_len, "%s: %s", name, why);
  return false;
}

static void *poll_loop(void *arg) {
  rp_kafka_t *k = arg;
  while (!atomic_load(&k->stop)) rd_kafka_poll(k->rk, 100);
  return NULL;
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
  (void)rk;
  if (level <= 3) {
    log_warn("rest-proxy", "kafka %s: %s", fac, buf);
  } else if (level <= 5) {
    log_info("rest-proxy", "kafka %s: %s", fac, buf);
  }
}

rd_kafka_conf_t *rp_kafka_conf_new(rp_kafka_t *k) {
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  char err[512];
  if (!conf) return NULL;
  if (!set(conf, "bootstrap.servers", k->bootstrap, err, sizeof err) ||
      !set(conf, "client.id", "weir-rest-proxy", err, sizeof err)) {
    rd_kafka_conf_destroy(conf);
    return NULL;
  }
  rd_kafka_conf_set_log_cb(conf, log_cb);
  return conf;
}

rp_kafka_t *rp_kafka_new(const rp_config_t *cfg, char *errbuf, size_t errbuf_len) {
  rp_kafka_t *k = calloc(1, sizeof *k);
  if (!k || !(k->bootstrap = strdup(cfg->bootstrap_servers))) {
    free(k);
    snprintf(errbuf, errbuf_len, "out of memory");
    return NULL;
  }
  k->metadata_max_age_ms = cfg->metadata_max_age_ms > 0 ? cfg->metadata_max_age_ms : 5000;
  pthread_mutex_init(&k->meta_mu, NULL);
  pthread_mutex_init(&k->refresh_mu, NULL);
  pthread_mutex_init(&k->health_mu, NULL);
  rd_kafka_conf_t *conf = rp_kafka_conf_new(k);
  char linger[32];
  snprintf(linger, sizeof linger, "%d", cfg->producer_linger_ms >= 0 ? cfg->producer_linger_ms : 0);
  bool ok = conf && set(conf, "linger.ms", linger, errbuf, errbuf_len) &&
            set(conf, "partitioner", "murmur2_random", errbuf, errbuf_len) &&
            set(conf, "message.timeout.ms", "30000", errbuf, errbuf_len) &&
            set(conf, "allow.auto.create.topics", "false", errbuf, errbuf_len);
  if (!conf) snprintf(errbuf, errbuf_len, "invalid bootstrap.servers \"%s\"", cfg->bootstrap_servers);
  if (ok) {
    rd_kafka_conf_set_dr_msg_cb(conf, rp__batch_delivered);
    char why[512];
    k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof why);
    if (!k->rk) snprintf(errbuf, errbuf_len, "kafka producer: %s", why);
    if (k->rk) conf = NULL; /* rd_kafka_new took it; on failure we destroy it below */
    ok = k->rk != NULL;
  }
  if (conf) rd_kafka_conf_destroy(conf);
  if (ok && pthread_create(&k->poller, NULL, poll_loop, k) != 0) {
    snprintf(errbuf, errbuf_len, "cannot start the producer poll thread");
    rd_kafka_destroy(k->rk);
    ok = false;
  }
  if (!ok) {
    pthread_mutex_destroy(&k->meta_mu);
    pthread_mutex_destroy(&k->refresh_mu);
    pthread_mutex_destroy(&k->health_mu);
    free(k->bootstrap);
    free(k);
    return NULL;
  }
  return k;
}

void rp_kafka_destroy(rp_kafka_t *k) {
  if (!k) return;
  rd_kafka_flush(k->rk, 10000);
  atomic_store(&k->stop, true);
  pthread_join(k->poller, NULL);
  rd_kafka_destroy(k->rk);
  rp__meta_clear(k);
  pthread_mutex_destroy(&k->meta_mu);
  pthread_mutex_destroy(&k->refresh_mu);
  pthread_mutex_destroy(&k->health_mu);
  free(k->bootstrap);
  free(k);
}

rd_kafka_t *rp_kafka_handle(rp_kafka_t *k) { return k->rk; }

rd_kafka_event_t *rp_kafka_admin_wait(rd_kafka_queue_t *q, int timeout_ms) {
  return rd_kafka_queue_poll(q, timeout_ms);
}

rp_code_t rp_kafka_cluster_id(rp_kafka_t *k, char *out, size_t size) {
  pthread_mutex_lock(&k->meta_mu);
  bool known = k->cluster_id[0] != '\0';
  if (known) snprintf(out, size, "%s", k->cluster_id);
  pthread_mutex_unlock(&k->meta_mu);
  if (known) return RP_OK;
  char *id = rd_kafka_clusterid(k->rk, RP_KAFKA_TIMEOUT_MS);
  if (!id) return RP_ERR_KAFKA_RETRIABLE;
  pthread_mutex_lock(&k->meta_mu);
  snprintf(k->cluster_id, sizeof k->cluster_id, "%s", id);
  pthread_mutex_unlock(&k->meta_mu);
  snprintf(out, size, "%s", id);
  rd_kafka_mem_free(k->rk, id);
  return RP_OK;
}
