// SPDX-License-Identifier: Apache-2.0
/* GET /health's question to Kafka: does the cluster answer a Metadata
 * request (brokers and the producer's known topics only, never all topics)
 * on the shared producer within 2 s? One probe per second at most: a probe
 * arriving within a second of the last reuses its answer, so health checks
 * stay cheap for the cluster and the proxy. */
#include <stdio.h>

#include "rp_kafka_int.h"

rp_code_t rp_kafka_health(rp_kafka_t *k, char *reason, size_t size) {
  pthread_mutex_lock(&k->health_mu);
  if (k->health_ms == 0 || rp_now_ms() - k->health_ms >= RP_KAFKA_HEALTH_CACHE_MS) {
    const struct rd_kafka_metadata *md = NULL;
    k->health_err = rd_kafka_metadata(k->rk, 0, NULL, &md, RP_KAFKA_HEALTH_TIMEOUT_MS);
    if (!k->health_err && (!md || md->broker_cnt == 0)) k->health_err = RD_KAFKA_RESP_ERR__TRANSPORT;
    if (md) rd_kafka_metadata_destroy(md);
    k->health_ms = rp_now_ms();
  }
  rd_kafka_resp_err_t err = k->health_err;
  pthread_mutex_unlock(&k->health_mu);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return RP_OK;
  snprintf(reason, size, "kafka cluster (bootstrap.servers %s) does not answer metadata within %d ms: %s",
           k->bootstrap, RP_KAFKA_HEALTH_TIMEOUT_MS, rd_kafka_err2str(err));
  return RP_ERR_KAFKA_RETRIABLE;
}
