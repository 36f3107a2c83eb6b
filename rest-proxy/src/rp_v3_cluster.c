// SPDX-License-Identifier: Apache-2.0
/* v3 cluster and broker endpoints (rest-proxy.md §2.2): GET /v3/clusters,
 * /v3/clusters/{cid}, brokers from the metadata, and broker configs
 * (per broker, all brokers; the cluster-wide defaults under /broker-configs
 * are answered without Kafka, see below). The config machinery itself (shapes, describe, the
 * describe-then-replace alter) is rp_v3_configs.c's; this file only decides
 * which broker a request names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_v3.h"

/* How long GET /clusters waits for librdkafka to know the controller. */
#define CONTROLLER_WAIT_MS 1000

/* ---- clusters ----------------------------------------------------------------- */

static json_t *related(json_t *url) {
  return json_pack("{s:o}", "related", url);
}

static json_t *cluster_json(const rp_v3_t *v, int32_t controller) {
  json_t *ctl =
      controller >= 0 ? related(rp_v3_url(v, "brokers", rp_v3_num(controller).s, NULL)) : json_null();
  return json_pack("{s:s, s:{s:o, s:o}, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kind", "KafkaCluster",
                   "metadata", "self", rp_v3_url(v, NULL), "resource_name", rp_v3_crn(v, NULL), "cluster_id",
                   v->cid, "controller", ctl, "acls", related(rp_v3_url(v, "acls", NULL)), "brokers",
                   related(rp_v3_url(v, "brokers", NULL)), "broker_configs",
                   related(rp_v3_url(v, "broker-configs", NULL)), "consumer_groups",
                   related(rp_v3_url(v, "consumer-groups", NULL)), "topics",
                   related(rp_v3_url(v, "topics", NULL)), "partition_reassignments",
                   related(rp_v3_url(v, "topics", "-", "partitions", "-", "reassignment", NULL)));
}

void rp_v3_clusters_list(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, false)) return;
  json_t *data = json_array();
  rp_v3_push(data, cluster_json(&v, rd_kafka_controllerid(v.rk, CONTROLLER_WAIT_MS)));
  if (data && json_array_size(data) != 1) {
    json_decref(data);
    data = NULL;
  }
  rp_v3_reply(&v, 200, rp_v3_list("KafkaClusterList", rp_v3_url_root(&v), data));
}

void rp_v3_cluster_get(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true)) return;
  rp_v3_reply(&v, 200, cluster_json(&v, rd_kafka_controllerid(v.rk, CONTROLLER_WAIT_MS)));
}

/* ---- brokers ------------------------------------------------------------------ */

static const struct rd_kafka_metadata_broker *find_broker(const struct rd_kafka_metadata *md, int32_t id) {
  for (int i = 0; i < md->broker_cnt; i++)
    if (md->brokers[i].id == id) return &md->brokers[i];
  return NULL;
}

void rp_v3_brokers_list(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, &v, true) || !rp_v3_metadata(&v, &md)) return;
  json_t *data = json_array();
  for (int i = 0; data && i < md->broker_cnt; i++) {
    const struct rd_kafka_metadata_broker *b = &md->brokers[i];
    if (!rp_v3_push(data, rp_v3_broker_json(&v, b->id, b->host, b->port))) {
      json_decref(data);
      data = NULL;
    }
  }
  rd_kafka_metadata_destroy(md);
  rp_v3_reply(&v, 200, rp_v3_list("KafkaBrokerList", rp_v3_url(&v, "brokers", NULL), data));
}

/* A broker named by params[1], as a config resource. */
typedef struct broker_ref {
  rp_v3_cfgres_t res;
  char name[16];
} broker_ref_t;

/* Opens the request, checks that params[1] names a broker of the cluster
 * (404 otherwise) and fills b. False after answering. */
static bool open_broker(rp_call_t *c, rp_v3_t *v, broker_ref_t *b) {
  int32_t id = -1;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, v, true) ||
      !rp_v3_param_id(v, 1, RP_ERR_NOT_FOUND, "Broker %.64s cannot be found.", &id) ||
      !rp_v3_metadata(v, &md))
    return false;
  bool found = find_broker(md, id) != NULL;
  rd_kafka_metadata_destroy(md);
  if (!found) {
    rp_reply_error(c, RP_ERR_NOT_FOUND, "Broker %d cannot be found.", (int)id);
    return false;
  }
  snprintf(b->name, sizeof b->name, "%d", (int)id);
  b->res = (rp_v3_cfgres_t){RD_KAFKA_RESOURCE_BROKER, b->name, id};
  return true;
}

void rp_v3_broker_get(rp_call_t *c) {
  rp_v3_t v;
  int32_t id = -1;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, &v, true) ||
      !rp_v3_param_id(&v, 1, RP_ERR_NOT_FOUND, "Broker %.64s cannot be found.", &id) ||
      !rp_v3_metadata(&v, &md))
    return;
  const struct rd_kafka_metadata_broker *mb = find_broker(md, id);
  if (!mb)
    rp_reply_error(c, RP_ERR_NOT_FOUND, "Broker %d cannot be found.", (int)id);
  else
    rp_v3_reply(&v, 200, rp_v3_broker_json(&v, mb->id, mb->host, mb->port));
  rd_kafka_metadata_destroy(md);
}

/* ---- broker configs ------------------------------------------------------------ */

void rp_v3_broker_configs_list(rp_call_t *c) {
  rp_v3_t v;
  broker_ref_t b;
  if (open_broker(c, &v, &b)) rp_v3_config_get(&v, &b.res, NULL);
}

void rp_v3_broker_config_get(rp_call_t *c) {
  rp_v3_t v;
  broker_ref_t b;
  if (open_broker(c, &v, &b)) rp_v3_config_get(&v, &b.res, c->params[2]);
}

void rp_v3_broker_config_put(rp_call_t *c) {
  rp_v3_t v;
  broker_ref_t b;
  if (open_broker(c, &v, &b)) rp_v3_config_put(&v, &b.res, c->params[2]);
}

void rp_v3_broker_config_delete(rp_call_t *c) {
  rp_v3_t v;
  broker_ref_t b;
  if (open_broker(c, &v, &b)) rp_v3_config_reset(&v, &b.res, c->params[2]);
}

void rp_v3_broker_configs_alter(rp_call_t *c) {
  rp_v3_t v;
  broker_ref_t b;
  if (open_broker(c, &v, &b)) rp_v3_config_alter_batch(&v, &b.res);
}

/* Appends the configs of broker id to data (one DescribeConfigs: librdkafka
 * takes one broker resource per request). False after answering. */
static bool append_broker_configs(rp_v3_t *v, int32_t id, json_t *data) {
  char name[16];
  snprintf(name, sizeof name, "%d", (int)id);
  rp_v3_cfgres_t res = {RD_KAFKA_RESOURCE_BROKER, name, id};
  rp_v3_admin_t a;
  const rd_kafka_ConfigResource_t *cr = NULL;
  bool ok = rp_v3_config_describe(v, &res, &a, &cr);
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **es = ok ? rd_kafka_ConfigResource_configs(cr, &n) : NULL;
  for (size_t i = 0; ok && i < n; i++) {
    if (!rp_v3_push(data, rp_v3_config_json(v, &res, es[i]))) {
      rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
      ok = false;
    }
  }
  rp_v3_admin_fini(&a);
  return ok;
}

void rp_v3_broker_configs_all(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, &v, true) || !rp_v3_metadata(&v, &md)) return;
  json_t *data = json_array();
  bool ok = data != NULL;
  if (!ok) rp_reply_error(c, RP_ERR_NOMEM, NULL);
  for (int i = 0; ok && i < md->broker_cnt; i++) ok = append_broker_configs(&v, md->brokers[i].id, data);
  rd_kafka_metadata_destroy(md);
  if (!ok) {
    json_decref(data);
    return;
  }
  rp_v3_reply(&v, 200,
              rp_v3_list("KafkaBrokerConfigList", rp_v3_url(&v, "brokers", "-", "configs", NULL), data));
}

/* ---- cluster-wide broker configs (/broker-configs) --------------------------------- */

/* librdkafka 2.0.2 cannot name the cluster-wide default broker resource
 * (ConfigResource_new rejects the empty name Kafka uses for it), and weir's
 * broker keeps no such defaults: the list is empty, one config is 404, and
 * changes are refused with the reason. */

void rp_v3_cluster_configs_list(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true)) return;
  rp_v3_reply(&v, 200,
              rp_v3_list("KafkaClusterConfigList", rp_v3_url(&v, "broker-configs", NULL), json_array()));
}

void rp_v3_cluster_config_get(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true)) return;
  rp_reply_error(c, RP_ERR_NOT_FOUND, "Cluster-wide broker config '%.255s' not found: none is set.",
                 c->params[1]);
}

static void refuse_cluster_change(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true)) return;
  rp_reply_error(c, RP_ERR_KAFKA_BAD_REQUEST,
                 "Cluster-wide broker configs cannot be changed through this proxy: set them per broker "
                 "(/brokers/{broker_id}/configs) or in the broker's configuration.");
}

void rp_v3_cluster_config_put(rp_call_t *c) {
  refuse_cluster_change(c);
}
void rp_v3_cluster_config_delete(rp_call_t *c) {
  refuse_cluster_change(c);
}
void rp_v3_cluster_configs_alter(rp_call_t *c) {
  refuse_cluster_change(c);
}
