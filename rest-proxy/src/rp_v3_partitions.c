// SPDX-License-Identifier: Apache-2.0
/* v3 partition and replica endpoints (rest-proxy.md §2.2): partitions of a
 * topic from metadata, their earliest/latest offsets (watermarks), replicas
 * (leader and ISR flags), the replicas a broker hosts, and partition
 * reassignments, of which this cluster never has any (the lists are empty,
 * a single one is 404). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_v3.h"

/* The topic of params[1] and (with_partition) the partition of params[2]
 * from fresh metadata; *md released by the caller when true. */
typedef struct part_ref {
  const struct rd_kafka_metadata *md;
  const rd_kafka_metadata_topic_t *t;
  const rd_kafka_metadata_partition_t *p;
} part_ref_t;

static bool open_part(rp_call_t *c, rp_v3_t *v, part_ref_t *r, bool with_partition) {
  memset(r, 0, sizeof *r);
  int32_t pid = -1;
  if (!rp_v3_open(c, v, true) || !rp_v3_metadata(v, &r->md)) return false;
  if (!rp_v3_topic(v, r->md, c->params[1], &r->t)) goto fail;
  if (!with_partition) return true;
  if (!rp_v3_param_id(v, 2, RP_ERR_PARTITION_NOT_FOUND, "Partition %.64s not found.", &pid)) goto fail;
  if ((r->p = rp_v3_md_partition(r->t, pid)) != NULL) return true;
  rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, "Partition %d of topic '%s' not found.", (int)pid,
                 r->t->topic);
fail:
  rd_kafka_metadata_destroy(r->md);
  r->md = NULL;
  return false;
}

static void close_part(part_ref_t *r) {
  if (r->md) rd_kafka_metadata_destroy(r->md);
  r->md = NULL;
}

static int cmp_partition(const void *a, const void *b) {
  const rd_kafka_metadata_partition_t *x = *(const rd_kafka_metadata_partition_t *const *)a;
  const rd_kafka_metadata_partition_t *y = *(const rd_kafka_metadata_partition_t *const *)b;
  return (x->id > y->id) - (x->id < y->id);
}

/* ---- partitions ------------------------------------------------------------------ */

static json_t *partition_json(const rp_v3_t *v, const char *topic, const rd_kafka_metadata_partition_t *p) {
  json_t *leader = p->leader >= 0 ? json_pack("{s:o}", "related",
                                              rp_v3_url(v, "topics", topic, "partitions", rp_v3_num(p->id).s,
                                                        "replicas", rp_v3_num(p->leader).s, NULL))
                                  : json_null();
  return json_pack(
      "{s:s, s:{s:o, s:o}, s:s, s:s, s:i, s:o, s:{s:o}, s:{s:o}}", "kind", "KafkaPartition", "metadata",
      "self", rp_v3_url(v, "topics", topic, "partitions", rp_v3_num(p->id).s, NULL), "resource_name",
      rp_v3_crn(v, "topic", topic, "partition", rp_v3_num(p->id).s, NULL), "cluster_id", v->cid, "topic_name",
      topic, "partition_id", (int)p->id, "leader", leader, "replicas", "related",
      rp_v3_url(v, "topics", topic, "partitions", rp_v3_num(p->id).s, "replicas", NULL), "reassignment",
      "related", rp_v3_url(v, "topics", topic, "partitions", rp_v3_num(p->id).s, "reassignment", NULL));
}

static json_t *partitions_data(const rp_v3_t *v, const rd_kafka_metadata_topic_t *t) {
  json_t *data = json_array();
  const rd_kafka_metadata_partition_t **sorted =
      t->partition_cnt > 0 ? calloc((size_t)t->partition_cnt, sizeof *sorted) : NULL;
  if (!data || (t->partition_cnt > 0 && !sorted)) goto fail;
  for (int i = 0; i < t->partition_cnt; i++) sorted[i] = &t->partitions[i];
  if (t->partition_cnt > 1) qsort(sorted, (size_t)t->partition_cnt, sizeof *sorted, cmp_partition);
  for (int i = 0; i < t->partition_cnt; i++)
    if (!rp_v3_push(data, partition_json(v, t->topic, sorted[i]))) goto fail;
  free(sorted);
  return data;
fail:
  free(sorted);
  json_decref(data);
  return NULL;
}

void rp_v3_partitions_list(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  if (!open_part(c, &v, &r, false)) return;
  json_t *data = partitions_data(&v, r.t);
  rp_v3_reply(
      &v, 200,
      rp_v3_list("KafkaPartitionList", rp_v3_url(&v, "topics", r.t->topic, "partitions", NULL), data));
  close_part(&r);
}

void rp_v3_partition_get(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  if (!open_part(c, &v, &r, true)) return;
  rp_v3_reply(&v, 200, partition_json(&v, r.t->topic, r.p));
  close_part(&r);
}

void rp_v3_partition_offsets(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  const char *type = http_query_get(&c->query, "offset_type");
  if (type && strcmp(type, "earliest_and_latest") != 0) {
    rp_reply_error(c, RP_ERR_BAD_REQUEST, "offset_type:%.64s is invalid (only earliest_and_latest).", type);
    return;
  }
  if (!open_part(c, &v, &r, true)) return;
  int64_t lo = -1, hi = -1;
  rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(v.rk, r.t->topic, r.p->id, &lo, &hi, RP_KAFKA_TIMEOUT_MS);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rp_v3_kafka_error(&v, err, "Cannot read the partition's offsets", NULL);
  } else {
    const char *t = r.t->topic;
    rp_v3_reply(&v, 200,
                json_pack("{s:s, s:{s:o, s:o}, s:s, s:s, s:i, s:I, s:I}", "kind", "KafkaPartitionWithOffsets",
                          "metadata", "self",
                          rp_v3_url(&v, "topics", t, "partitions", rp_v3_num(r.p->id).s, "offset", NULL),
                          "resource_name",
                          rp_v3_crn(&v, "topic", t, "partition", rp_v3_num(r.p->id).s, "offset_type",
                                    "earliest_and_latest", NULL),
                          "cluster_id", v.cid, "topic_name", t, "partition_id", (int)r.p->id,
                          "earliest_offset", (json_int_t)lo, "latest_offset", (json_int_t)hi));
  }
  close_part(&r);
}

/* ---- replicas --------------------------------------------------------------------- */

static bool in_isr(const rd_kafka_metadata_partition_t *p, int32_t broker) {
  for (int i = 0; i < p->isr_cnt; i++)
    if (p->isrs[i] == broker) return true;
  return false;
}

static json_t *replica_json(const rp_v3_t *v, const char *topic, const rd_kafka_metadata_partition_t *p,
                            int32_t broker) {
  return json_pack(
      "{s:s, s:{s:o, s:o}, s:s, s:s, s:i, s:i, s:b, s:b, s:{s:o}}", "kind", "KafkaReplica", "metadata",
      "self",
      rp_v3_url(v, "topics", topic, "partitions", rp_v3_num(p->id).s, "replicas", rp_v3_num(broker).s, NULL),
      "resource_name",
      rp_v3_crn(v, "topic", topic, "partition", rp_v3_num(p->id).s, "replica", rp_v3_num(broker).s, NULL),
      "cluster_id", v->cid, "topic_name", topic, "partition_id", (int)p->id, "broker_id", (int)broker,
      "is_leader", p->leader == broker, "is_in_sync", in_isr(p, broker), "broker", "related",
      rp_v3_url(v, "brokers", rp_v3_num(broker).s, NULL));
}

void rp_v3_replicas_list(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  if (!open_part(c, &v, &r, true)) return;
  json_t *data = json_array();
  for (int i = 0; data && i < r.p->replica_cnt; i++)
    if (!rp_v3_push(data, replica_json(&v, r.t->topic, r.p, r.p->replicas[i]))) {
      json_decref(data);
      data = NULL;
    }
  rp_v3_reply(
      &v, 200,
      rp_v3_list("KafkaReplicaList",
                 rp_v3_url(&v, "topics", r.t->topic, "partitions", rp_v3_num(r.p->id).s, "replicas", NULL),
                 data));
  close_part(&r);
}

void rp_v3_replica_get(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  int32_t broker = -1;
  if (!open_part(c, &v, &r, true)) return;
  bool found = false;
  if (rp_v3_param_id(&v, 3, RP_ERR_NOT_FOUND, "Replica %.64s not found.", &broker)) {
    for (int i = 0; i < r.p->replica_cnt; i++) found = found || r.p->replicas[i] == broker;
    if (found)
      rp_v3_reply(&v, 200, replica_json(&v, r.t->topic, r.p, broker));
    else
      rp_reply_error(c, RP_ERR_NOT_FOUND, "Partition %d of topic '%s' has no replica on broker %d.",
                     (int)r.p->id, r.t->topic, (int)broker);
  }
  close_part(&r);
}

/* GET /brokers/{id}/partition-replicas: every replica the broker hosts. */
static json_t *broker_replicas_data(const rp_v3_t *v, const struct rd_kafka_metadata *md, int32_t broker) {
  json_t *data = json_array();
  for (int i = 0; data && i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t *t = &md->topics[i];
    if (t->err != RD_KAFKA_RESP_ERR_NO_ERROR || !t->topic) continue;
    for (int j = 0; j < t->partition_cnt; j++) {
      const rd_kafka_metadata_partition_t *p = &t->partitions[j];
      bool hosts = false;
      for (int k = 0; k < p->replica_cnt; k++) hosts = hosts || p->replicas[k] == broker;
      if (hosts && !rp_v3_push(data, replica_json(v, t->topic, p, broker))) {
        json_decref(data);
        return NULL;
      }
    }
  }
  return data;
}

void rp_v3_broker_replicas(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  int32_t id = -1;
  if (!rp_v3_open(c, &v, true) ||
      !rp_v3_param_id(&v, 1, RP_ERR_NOT_FOUND, "Broker %.64s cannot be found.", &id) ||
      !rp_v3_metadata(&v, &md))
    return;
  bool known = false;
  for (int i = 0; i < md->broker_cnt; i++) known = known || md->brokers[i].id == id;
  if (!known)
    rp_reply_error(c, RP_ERR_NOT_FOUND, "Broker %d cannot be found.", (int)id);
  else
    rp_v3_reply(
        &v, 200,
        rp_v3_list("KafkaReplicaList", rp_v3_url(&v, "brokers", rp_v3_num(id).s, "partition-replicas", NULL),
                   broker_replicas_data(&v, md, id)));
  rd_kafka_metadata_destroy(md);
}

/* ---- reassignments (none ever run on this cluster) ------------------------------- */

void rp_v3_reassignments_all(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true)) return;
  rp_v3_reply(
      &v, 200,
      rp_v3_list("KafkaReassignmentList",
                 rp_v3_url(&v, "topics", "-", "partitions", "-", "reassignment", NULL), json_array()));
}

void rp_v3_reassignments_topic(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  if (!open_part(c, &v, &r, false)) return;
  rp_v3_reply(
      &v, 200,
      rp_v3_list("KafkaReassignmentList",
                 rp_v3_url(&v, "topics", r.t->topic, "partitions", "-", "reassignment", NULL), json_array()));
  close_part(&r);
}

void rp_v3_reassignment_get(rp_call_t *c) {
  rp_v3_t v;
  part_ref_t r;
  if (!open_part(c, &v, &r, true)) return;
  rp_reply_error(c, RP_ERR_NOT_FOUND, "Partition %d of topic '%s' has no ongoing reassignment.", (int)r.p->id,
                 r.t->topic);
  close_part(&r);
}
