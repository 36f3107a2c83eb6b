// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the v3 admin files (rp_v3_*.c): the per-request v3
 * frame (cluster id check, base URL), the builders of Confluent's resource
 * shapes (self links, CRN resource names, related links, collections), the
 * plumbing of one librdkafka admin call, and the config describe/alter
 * machinery that topic and broker config endpoints share. Handlers live in
 * the area files; the route table in rp_v3_routes.c. */
#ifndef WEIR_REST_PROXY_RP_V3_H
#define WEIR_REST_PROXY_RP_V3_H

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_int.h"
#include "rp_kafka.h"

#define RP_V3_CID_MAX 128
#define RP_V3_BASE_MAX 512
/* How long a handler waits for an admin result: the request timeout given
 * to librdkafka plus a margin, so the broker's answer (or librdkafka's own
 * timeout error) normally arrives first. */
#define RP_V3_ADMIN_WAIT_MS (RP_KAFKA_TIMEOUT_MS + 5000)
/* Topic creation / growth bounds (the single-node broker keeps one log
 * directory per partition). */
#define RP_V3_MAX_PARTITIONS 10000
/* Entries accepted in one configs:alter or one create's "configs". */
#define RP_V3_MAX_CONFIG_ENTRIES 1000

/* One v3 request: the call, the Kafka side, the cluster id and the
 * absolute base of every link ("http://host:port"). */
typedef struct rp_v3 {
  rp_call_t *c;
  rp_kafka_t *k;
  rd_kafka_t *rk;
  char cid[RP_V3_CID_MAX];
  char base[RP_V3_BASE_MAX];
} rp_v3_t;

/* ---- request frame (rp_v3_json.c) ----------------------------------------- */

/* Fills v for a request. With check_cid, c->params[0] must be the cluster
 * id: otherwise 404/404 "Cluster <id> cannot be found.". An unreachable
 * cluster answers 500/50003. False after answering. */
bool rp_v3_open(rp_call_t *c, rp_v3_t *v, bool check_cid);

/* Path parameter i (0 = cluster id) as a decimal int32 in [0, INT32_MAX].
 * Anything else answers `code` with msg_fmt (one %s: the raw text) and
 * returns false: a malformed id names nothing that exists. */
bool rp_v3_param_id(rp_v3_t *v, size_t i, rp_code_t code, const char *msg_fmt, int32_t *out);


/* Answers body with status (taken). NULL body answers 500 out of memory. */
void rp_v3_reply(rp_v3_t *v, int status, json_t *body);

/* Answers a Kafka error through rp_code_from_kafka; message = what + ": " +
 * detail (detail NULL: librdkafka's text for err). */
void rp_v3_kafka_error(rp_v3_t *v, rd_kafka_resp_err_t err, const char *what, const char *detail);

/* ---- links and resources (rp_v3_json.c) ----------------------------------- */

/* A decimal number as a string usable inside one full expression:
 * rp_v3_url(v, "brokers", rp_v3_num(id).s, NULL). */
typedef struct rp_v3_num {
  char s[24];
} rp_v3_num_t;
rp_v3_num_t rp_v3_num(int64_t n);

/* JSON string: base + "/v3/clusters" + "/" + cid, then "/" + each segment
 * percent-encoded; NULL-terminated list. NULL on allocation failure. */
json_t *rp_v3_url(const rp_v3_t *v, ...) __attribute__((sentinel));
/* Same without the cluster id: base + "/v3/clusters". */
json_t *rp_v3_url_root(const rp_v3_t *v);
/* JSON string "crn:///kafka=<cid>" + "/" + key "=" value for each
 * (key, value) pair; value "" writes the key alone (".../lag-summary"). */
json_t *rp_v3_crn(const rp_v3_t *v, ...) __attribute__((sentinel));
/* JSON string of s (null for NULL); bytes that are not valid UTF-8 become
 * '?', so names from Kafka never fail a whole answer. */
json_t *rp_v3_str(const char *s);

/* {"kind": kind, "metadata": {"self": self, "next": null}, "data": data}:
 * self and data taken; NULL when any part is NULL. */
json_t *rp_v3_list(const char *kind, json_t *self, json_t *data);
/* Appends item (taken) to array; false (item released) on failure or when
 * either is NULL. */
bool rp_v3_push(json_t *array, json_t *item);

/* ---- admin calls (rp_v3_json.c) ------------------------------------------- */

typedef struct rp_v3_admin {
  rd_kafka_queue_t *q;
  rd_kafka_AdminOptions_t *opts;
  rd_kafka_event_t *ev;
} rp_v3_admin_t;

/* A queue and options (request timeout RP_KAFKA_TIMEOUT_MS; operation
 * timeout for topic create/delete/grow) for one admin request of type op.
 * False after answering 500. Release with rp_v3_admin_fini either way. */
bool rp_v3_admin_begin(rp_v3_t *v, rp_v3_admin_t *a, rd_kafka_admin_op_t op);
/* Waits (RP_V3_ADMIN_WAIT_MS) for the result event; NULL after answering
 * (timeout: 500/50003; request-level error: mapped). The event belongs
 * to a. */
rd_kafka_event_t *rp_v3_admin_wait(rp_v3_t *v, rp_v3_admin_t *a, const char *what);
void rp_v3_admin_fini(rp_v3_admin_t *a);

/* ---- metadata (rp_v3_json.c) ---------------------------------------------- */

/* Fresh full metadata (rp_kafka_metadata); false after answering. Release
 * with rd_kafka_metadata_destroy. */
bool rp_v3_metadata(rp_v3_t *v, const struct rd_kafka_metadata **md);
/* The topic in md, NULL when absent or reported with an error. */
const rd_kafka_metadata_topic_t *rp_v3_md_topic(const struct rd_kafka_metadata *md, const char *name);
/* Like rp_v3_md_topic; a missing (or illegally named) topic answers 404/40401. */
bool rp_v3_topic(rp_v3_t *v, const struct rd_kafka_metadata *md, const char *name,
                 const rd_kafka_metadata_topic_t **out);
/* Partition p of t; NULL when absent. */
const rd_kafka_metadata_partition_t *rp_v3_md_partition(const rd_kafka_metadata_topic_t *t, int32_t p);
/* True for Kafka's internal topics (__consumer_offsets, __transaction_state). */
bool rp_v3_topic_is_internal(const char *name);

/* ---- shared JSON shapes (rp_v3_json.c) ------------------------------------ */

/* KafkaTopic (TopicData) for a topic of md; rf/count override when t is
 * NULL (a topic created but not yet in metadata). */
json_t *rp_v3_topic_json(const rp_v3_t *v, const char *name, const rd_kafka_metadata_topic_t *t, int rf,
                         int count);
/* KafkaBroker (BrokerData). */
json_t *rp_v3_broker_json(const rp_v3_t *v, int32_t id, const char *host, int port);

/* ---- configs (rp_v3_configs.c) -------------------------------------------- */

/* Which resource a config request is about. */
typedef struct rp_v3_cfgres {
  rd_kafka_ResourceType_t type; /* RD_KAFKA_RESOURCE_TOPIC or _BROKER */
  const char *name;             /* topic name, or the broker id as text */
  int32_t broker_id;            /* BROKER only */
} rp_v3_cfgres_t;

/* DescribeConfigs of one resource: *out gets the result resource (valid
 * while a is alive). False after answering (unknown topic 40401; callers
 * check that a broker exists before asking about it). */
bool rp_v3_config_describe(rp_v3_t *v, const rp_v3_cfgres_t *res, rp_v3_admin_t *a,
                           const rd_kafka_ConfigResource_t **out);
/* One config entry as KafkaTopicConfig or KafkaBrokerConfig. */
json_t *rp_v3_config_json(const rp_v3_t *v, const rp_v3_cfgres_t *res, const rd_kafka_ConfigEntry_t *e);
/* Answers GET .../configs (the whole list) or .../configs/{name} (name non
 * NULL: 404 when the resource has no such config). */
void rp_v3_config_get(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name);

/* One requested change: value NULL = DELETE (back to the default). */
typedef struct rp_v3_cfgop {
  const char *name;
  const char *value;
} rp_v3_cfgop_t;

/* Applies ops to res and answers 204 (or the error). librdkafka 2.0.2 only
 * has the non-incremental AlterConfigs, which replaces every dynamic config
 * of the resource: the current dynamic configs are described first and sent
 * back with the ops applied. */
void rp_v3_config_alter(rp_v3_t *v, const rp_v3_cfgres_t *res, const rp_v3_cfgop_t *ops, size_t n,
                        bool validate_only);
/* PUT .../configs/{name} body {"value": "..."}. */
void rp_v3_config_put(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name);
/* DELETE .../configs/{name}. */
void rp_v3_config_reset(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name);
/* POST .../configs:alter body {"data":[{"name","value","operation"}], "validate_only"}. */
void rp_v3_config_alter_batch(rp_v3_t *v, const rp_v3_cfgres_t *res);

/* ---- handlers (one file each area) ---------------------------------------- */

/* rp_v3_cluster.c */
void rp_v3_clusters_list(rp_call_t *c);
void rp_v3_cluster_get(rp_call_t *c);
void rp_v3_brokers_list(rp_call_t *c);
void rp_v3_broker_get(rp_call_t *c);
void rp_v3_broker_configs_all(rp_call_t *c);
void rp_v3_broker_configs_list(rp_call_t *c);
void rp_v3_broker_config_get(rp_call_t *c);
void rp_v3_broker_config_put(rp_call_t *c);
void rp_v3_broker_config_delete(rp_call_t *c);
void rp_v3_broker_configs_alter(rp_call_t *c);
void rp_v3_cluster_configs_list(rp_call_t *c);
void rp_v3_cluster_config_get(rp_call_t *c);
void rp_v3_cluster_config_put(rp_call_t *c);
void rp_v3_cluster_config_delete(rp_call_t *c);
void rp_v3_cluster_configs_alter(rp_call_t *c);

/* rp_v3_topics.c */
void rp_v3_topics_list(rp_call_t *c);
void rp_v3_topic_create(rp_call_t *c);
void rp_v3_topic_get(rp_call_t *c);
void rp_v3_topic_patch(rp_call_t *c);
void rp_v3_topic_delete(rp_call_t *c);

/* rp_v3_configs.c */
void rp_v3_topic_configs_all(rp_call_t *c);
void rp_v3_topic_configs_list(rp_call_t *c);
void rp_v3_topic_config_get(rp_call_t *c);
void rp_v3_topic_config_put(rp_call_t *c);
void rp_v3_topic_config_delete(rp_call_t *c);
void rp_v3_topic_configs_alter(rp_call_t *c);

/* rp_v3_partitions.c */
void rp_v3_partitions_list(rp_call_t *c);
void rp_v3_partition_get(rp_call_t *c);
void rp_v3_partition_offsets(rp_call_t *c);
void rp_v3_replicas_list(rp_call_t *c);
void rp_v3_replica_get(rp_call_t *c);
void rp_v3_broker_replicas(rp_call_t *c);
void rp_v3_reassignments_all(rp_call_t *c);
void rp_v3_reassignments_topic(rp_call_t *c);
void rp_v3_reassignment_get(rp_call_t *c);

/* rp_v3_groups.c */
void rp_v3_groups_list(rp_call_t *c);
void rp_v3_group_get(rp_call_t *c);
void rp_v3_consumers_list(rp_call_t *c);
void rp_v3_consumer_get(rp_call_t *c);
void rp_v3_assignments_list(rp_call_t *c);
void rp_v3_assignment_get(rp_call_t *c);
void rp_v3_lags_list(rp_call_t *c);
void rp_v3_lag_get(rp_call_t *c);
void rp_v3_lag_summary(rp_call_t *c);

/* rp_v3_acls.c */
void rp_v3_acls_list(rp_call_t *c);
void rp_v3_acls_create(rp_call_t *c);
void rp_v3_acls_batch(rp_call_t *c);
void rp_v3_acls_delete(rp_call_t *c);

#endif
