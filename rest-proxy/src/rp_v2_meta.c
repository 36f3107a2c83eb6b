// SPDX-License-Identifier: Apache-2.0
/* v2 metadata endpoints (rest-proxy.md §1.3): GET/POST / liveness, topics
 * (names, one topic with all its configs and partitions), partitions with
 * leaders and replicas, partition offsets (log start / high watermark) and
 * brokers. Internal topics ("__" prefix) are not listed, as Kafka's
 * listTopics() does not list them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_kafka.h"
#include "rp_v2.h"
#include "rp_v3.h"

static void h_root(rp_call_t *c) {
  const char *ct;
  if (rp_v2_response_type(c, &ct)) rp_reply_json(c, 200, json_object(), ct);
}

/* Full metadata, or an answered error. */
static const struct rd_kafka_metadata *metadata(rp_call_t *c) {
  const struct rd_kafka_metadata *md = NULL;
  rp_code_t rc = rp_kafka_metadata(c->rp->kafka, &md);
  if (rc != RP_OK) rp_reply_error(c, rc, "Cannot read the cluster metadata from Kafka.");
  return md;
}

static const rd_kafka_metadata_topic_t *find_topic(const struct rd_kafka_metadata *md, const char *name) {
  for (int i = 0; i < md->topic_cnt; i++)
    if (md->topics[i].topic && strcmp(md->topics[i].topic, name) == 0 && !md->topics[i].err) return &md->topics[i];
  return NULL;
}

static json_t *partition_json(const rd_kafka_metadata_partition_t *p) {
  json_t *replicas = json_array();
  for (int r = 0; r < p->replica_cnt; r++) {
    bool in_sync = false;
    for (int s = 0; s < p->isr_cnt; s++) in_sync |= p->isrs[s] == p->replicas[r];
    json_array_append_new(replicas, json_pack("{s:i, s:b, s:b}", "broker", (int)p->replicas[r], "leader",
                                              p->replicas[r] == p->leader, "in_sync", in_sync));
  }
  return json_pack("{s:i, s:i, s:o}", "partition", (int)p->id, "leader", (int)p->leader, "replicas", replicas);
}

static void h_topics(rp_call_t *c) {
  const char *ct;
  if (!rp_v2_response_type(c, &ct)) return;
  const struct rd_kafka_metadata *md = metadata(c);
  if (!md) return;
  json_t *names = json_array();
  for (int i = 0; i < md->topic_cnt; i++) {
    const char *t = md->topics[i].topic;
    if (t && !md->topics[i].err && strncmp(t, "__", 2) != 0) json_array_append_new(names, json_string(t));
  }
  rd_kafka_metadata_destroy(md);
  rp_reply_json(c, 200, names, ct);
}

/* The topic's configs as {name: value} (v3's DescribeConfigs call), or
 * NULL after an answered error. */
static json_t *topic_configs(rp_call_t *c, const char *topic) {
  rp_v3_t v;
  rp_v3_admin_t a = {0};
  rp_v3_cfgres_t res = {.type = RD_KAFKA_RESOURCE_TOPIC, .name = topic};
  const rd_kafka_ConfigResource_t *cr = NULL;
  json_t *out = NULL;
  if (rp_v3_open(c, &v, false) && rp_v3_config_describe(&v, &res, &a, &cr)) {
    size_t m = 0;
    const rd_kafka_ConfigEntry_t **entries = rd_kafka_ConfigResource_configs(cr, &m);
    out = json_object();
    for (size_t i = 0; i < m; i++) {
      const char *val = rd_kafka_ConfigEntry_value(entries[i]);
      json_object_set_new(out, rd_kafka_ConfigEntry_name(entries[i]),
                          val && !rd_kafka_ConfigEntry_is_sensitive(entries[i]) ? json_string(val) : json_null());
    }
  }
  rp_v3_admin_fini(&a);
  return out;
}

/* The per-topic handlers' prologue: response type, fresh metadata (*md,
 * released by the caller even when NULL is returned) and the topic named by
 * params[0]. NULL after an answered error (406, Kafka unreachable, 40401). */
static const rd_kafka_metadata_topic_t *open_topic(rp_call_t *c, const char **ct,
                                                   const struct rd_kafka_metadata **md) {
  *md = NULL;
  if (!rp_v2_response_type(c, ct) || !(*md = metadata(c))) return NULL;
  const rd_kafka_metadata_topic_t *t = find_topic(*md, c->params[0]);
  if (!t) rp_reply_error(c, RP_ERR_TOPIC_NOT_FOUND, "Topic %s not found.", c->params[0]);
  return t;
}

static void release(const struct rd_kafka_metadata *md) {
  if (md) rd_kafka_metadata_destroy(md);
}

static void h_topic(rp_call_t *c) {
  const char *ct;
  const struct rd_kafka_metadata *md;
  const rd_kafka_metadata_topic_t *t = open_topic(c, &ct, &md);
  json_t *configs = t ? topic_configs(c, c->params[0]) : NULL;
  if (configs) {
    json_t *parts = json_array();
    for (int i = 0; i < t->partition_cnt; i++) json_array_append_new(parts, partition_json(&t->partitions[i]));
    rp_reply_json(c, 200, json_pack("{s:s, s:o, s:o}", "name", t->topic, "configs", configs, "partitions", parts), ct);
  }
  release(md);
}

static void h_partitions(rp_call_t *c) {
  const char *ct;
  const struct rd_kafka_metadata *md;
  const rd_kafka_metadata_topic_t *t = open_topic(c, &ct, &md);
  if (t) {
    json_t *parts = json_array();
    for (int i = 0; i < t->partition_cnt; i++) json_array_append_new(parts, partition_json(&t->partitions[i]));
    rp_reply_json(c, 200, parts, ct);
  }
  release(md);
}

/* The partition named by params[1] of topic t, or an answered 40402. */
static const rd_kafka_metadata_partition_t *partition_or_404(rp_call_t *c, const rd_kafka_metadata_topic_t *t) {
  int64_t p = -1;
  if (http_parse_int64(c->params[1], &p) == HTTP_PARSE_OK)
    for (int i = 0; i < t->partition_cnt; i++)
      if (t->partitions[i].id == p) return &t->partitions[i];
  rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, "Partition %s of topic %s not found.", c->params[1], t->topic);
  return NULL;
}

static void h_partition(rp_call_t *c) {
  const char *ct;
  const struct rd_kafka_metadata *md;
  const rd_kafka_metadata_topic_t *t = open_topic(c, &ct, &md);
  const rd_kafka_metadata_partition_t *p = t ? partition_or_404(c, t) : NULL;
  if (p) rp_reply_json(c, 200, partition_json(p), ct);
  release(md);
}

static void h_partition_offsets(rp_call_t *c) {
  const char *ct;
  const struct rd_kafka_metadata *md;
  const rd_kafka_metadata_topic_t *t = open_topic(c, &ct, &md);
  const rd_kafka_metadata_partition_t *p = t ? partition_or_404(c, t) : NULL;
  if (p) {
    int64_t lo = -1, hi = -1;
    rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(rp_kafka_handle(c->rp->kafka), t->topic, p->id, &lo, &hi, RP_KAFKA_TIMEOUT_MS);
    if (err) {
      rp_reply_error(c, rp_code_from_kafka(err), "Cannot read the offsets of %s-%d: %s", t->topic, (int)p->id,
                     rd_kafka_err2str(err));
    } else {
      rp_reply_json(c, 200, json_pack("{s:I, s:I}", "beginning_offset", (json_int_t)lo, "end_offset", (json_int_t)hi), ct);
    }
  }
  release(md);
}

static void h_brokers(rp_call_t *c) {
  const char *ct;
  if (!rp_v2_response_type(c, &ct)) return;
  const struct rd_kafka_metadata *md = metadata(c);
  if (!md) return;
  json_t *ids = json_array();
  for (int i = 0; i < md->broker_cnt; i++) json_array_append_new(ids, json_integer(md->brokers[i].id));
  rd_kafka_metadata_destroy(md);
  rp_reply_json(c, 200, json_pack("{s:o}", "brokers", ids), ct);
}

const rp_route_t rp_v2_meta_routes[] = {
    {"GET", "", h_root, false},
    {"POST", "", h_root, false},
    {"GET", "topics", h_topics, false},
    {"GET", "topics/*", h_topic, false},
    {"GET", "topics/*/partitions", h_partitions, false},
    {"GET", "topics/*/partitions/*", h_partition, false},
    {"GET", "topics/*/partitions/*/offsets", h_partition_offsets, false},
    {"GET", "brokers", h_brokers, false},
};
const size_t rp_v2_meta_route_count = sizeof rp_v2_meta_routes / sizeof rp_v2_meta_routes[0];
