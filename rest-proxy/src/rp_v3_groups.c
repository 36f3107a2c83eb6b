// SPDX-License-Identifier: Apache-2.0
/* v3 consumer group endpoints (rest-proxy.md §2.2): groups
 * (ListConsumerGroups + DescribeConsumerGroups), their consumers and
 * assignments (from the member descriptions), and lags: committed offsets
 * (ListConsumerGroupOffsets) against log end offsets (ListOffsets LATEST),
 * lag = log end - committed, per partition and summarised. A group the
 * coordinator reports as Dead (never existed, or gone) is 404. Partitions
 * without a committed offset have no lag row, as in Confluent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_v3.h"

/* ---- groups --------------------------------------------------------------------- */

static const char *state_name(rd_kafka_consumer_group_state_t s) {
  switch (s) {
    case RD_KAFKA_CONSUMER_GROUP_STATE_PREPARING_REBALANCE:
      return "PREPARING_REBALANCE";
    case RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE:
      return "COMPLETING_REBALANCE";
    case RD_KAFKA_CONSUMER_GROUP_STATE_STABLE:
      return "STABLE";
    case RD_KAFKA_CONSUMER_GROUP_STATE_DEAD:
      return "DEAD";
    case RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY:
      return "EMPTY";
    default:
      return "UNKNOWN";
  }
}

static json_t *group_json(const rp_v3_t *v, const rd_kafka_ConsumerGroupDescription_t *g) {
  const char *id = rd_kafka_ConsumerGroupDescription_group_id(g);
  const rd_kafka_Node_t *coord = rd_kafka_ConsumerGroupDescription_coordinator(g);
  json_t *cj = coord ? json_pack("{s:o}", "related",
                                 rp_v3_url(v, "brokers", rp_v3_num(rd_kafka_Node_id(coord)).s, NULL))
                     : json_null();
  return json_pack(
      "{s:s, s:{s:o, s:o}, s:s, s:o, s:b, s:o, s:s, s:s, s:b, s:o, s:{s:o}, s:{s:o}}", "kind",
      "KafkaConsumerGroup", "metadata", "self", rp_v3_url(v, "consumer-groups", id, NULL), "resource_name",
      rp_v3_crn(v, "consumer-group", id, NULL), "cluster_id", v->cid, "consumer_group_id", rp_v3_str(id),
      "is_simple", rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g), "partition_assignor",
      rp_v3_str(rd_kafka_ConsumerGroupDescription_partition_assignor(g)), "state",
      state_name(rd_kafka_ConsumerGroupDescription_state(g)), "type", "CLASSIC", "is_mixed_consumer_group", 0,
      "coordinator", cj, "consumers", "related", rp_v3_url(v, "consumer-groups", id, "consumers", NULL),
      "lag_summary", "related", rp_v3_url(v, "consumer-groups", id, "lag-summary", NULL));
}

/* DescribeConsumerGroups of ids into a; *out and *n get the descriptions
 * (valid while a lives). False after answering. */
static bool describe_groups(rp_v3_t *v, rp_v3_admin_t *a, const char **ids, size_t n_ids,
                            const rd_kafka_ConsumerGroupDescription_t ***out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (!rp_v3_admin_begin(v, a, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS)) return false;
  rd_kafka_DescribeConsumerGroups(v->rk, ids, n_ids, a->opts, a->q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(v, a, "Cannot describe consumer groups");
  if (!ev) return false;
  const rd_kafka_DescribeConsumerGroups_result_t *r = rd_kafka_event_DescribeConsumerGroups_result(ev);
  *out = r ? (const rd_kafka_ConsumerGroupDescription_t **)rd_kafka_DescribeConsumerGroups_result_groups(r, n)
           : NULL;
  return true;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Group ids from ListConsumerGroups, sorted; *ids points into la's event. */
static bool list_group_ids(rp_v3_t *v, rp_v3_admin_t *la, const char ***ids, size_t *n) {
  *ids = NULL;
  *n = 0;
  if (!rp_v3_admin_begin(v, la, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS)) return false;
  rd_kafka_ListConsumerGroups(v->rk, la->opts, la->q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(v, la, "Cannot list consumer groups");
  if (!ev) return false;
  const rd_kafka_ListConsumerGroups_result_t *r = rd_kafka_event_ListConsumerGroups_result(ev);
  size_t cnt = 0;
  const rd_kafka_ConsumerGroupListing_t **gl = r ? rd_kafka_ListConsumerGroups_result_valid(r, &cnt) : NULL;
  if (cnt == 0) return true;
  if (!(*ids = calloc(cnt, sizeof **ids))) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return false;
  }
  for (size_t i = 0; i < cnt; i++) (*ids)[i] = rd_kafka_ConsumerGroupListing_group_id(gl[i]);
  qsort((void *)*ids, cnt, sizeof **ids, cmp_str);
  *n = cnt;
  return true;
}

void rp_v3_groups_list(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_admin_t la, da;
  const char **ids = NULL;
  size_t n = 0, nd = 0;
  const rd_kafka_ConsumerGroupDescription_t **gs = NULL;
  memset(&la, 0, sizeof la);
  memset(&da, 0, sizeof da);
  if (!rp_v3_open(c, &v, true) || !list_group_ids(&v, &la, &ids, &n)) goto out;
  if (n > 0 && !describe_groups(&v, &da, ids, n, &gs, &nd)) goto out;
  json_t *data = json_array();
  for (size_t i = 0; data && i < nd; i++) {
    if (rd_kafka_ConsumerGroupDescription_error(gs[i])) continue; /* deleted meanwhile */
    if (!rp_v3_push(data, group_json(&v, gs[i]))) {
      json_decref(data);
      data = NULL;
    }
  }
  rp_v3_reply(&v, 200, rp_v3_list("KafkaConsumerGroupList", rp_v3_url(&v, "consumer-groups", NULL), data));
out:
  free(ids);
  rp_v3_admin_fini(&da);
  rp_v3_admin_fini(&la);
}

/* The group of params[1], described. */
typedef struct group_ref {
  rp_v3_admin_t a;
  const rd_kafka_ConsumerGroupDescription_t *g;
  const char *id;
} group_ref_t;

static bool open_group(rp_call_t *c, rp_v3_t *v, group_ref_t *r) {
  memset(r, 0, sizeof *r);
  if (!rp_v3_open(c, v, true)) return false;
  r->id = c->params[1];
  const rd_kafka_ConsumerGroupDescription_t **gs = NULL;
  size_t n = 0;
  if (!describe_groups(v, &r->a, &r->id, 1, &gs, &n)) return false;
  const rd_kafka_error_t *err = n > 0 ? rd_kafka_ConsumerGroupDescription_error(gs[0]) : NULL;
  if (n == 0 || (err && rd_kafka_error_code(err) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND) ||
      (!err && rd_kafka_ConsumerGroupDescription_state(gs[0]) == RD_KAFKA_CONSUMER_GROUP_STATE_DEAD)) {
    rp_reply_error(c, RP_ERR_GROUP_NOT_FOUND, "Consumer group '%.255s' not found.", r->id);
    return false;
  }
  if (err) {
    rp_v3_kafka_error(v, rd_kafka_error_code(err), "Cannot describe the consumer group",
                      rd_kafka_error_string(err));
    return false;
  }
  r->g = gs[0];
  return true;
}

void rp_v3_group_get(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t r;
  if (open_group(c, &v, &r)) rp_v3_reply(&v, 200, group_json(&v, r.g));
  rp_v3_admin_fini(&r.a);
}

/* ---- consumers and assignments ------------------------------------------------------ */

static json_t *consumer_json(const rp_v3_t *v, const char *gid, const rd_kafka_MemberDescription_t *m) {
  const char *cid = rd_kafka_MemberDescription_consumer_id(m);
  return json_pack("{s:s, s:{s:o, s:o}, s:s, s:o, s:o, s:o, s:o, s:{s:o}}", "kind", "KafkaConsumer",
                   "metadata", "self", rp_v3_url(v, "consumer-groups", gid, "consumers", cid, NULL),
                   "resource_name", rp_v3_crn(v, "consumer-group", gid, "consumer", cid, NULL), "cluster_id",
                   v->cid, "consumer_group_id", rp_v3_str(gid), "consumer_id", rp_v3_str(cid), "instance_id",
                   rp_v3_str(rd_kafka_MemberDescription_group_instance_id(m)), "client_id",
                   rp_v3_str(rd_kafka_MemberDescription_client_id(m)), "assignments", "related",
                   rp_v3_url(v, "consumer-groups", gid, "consumers", cid, "assignments", NULL));
}

static const rd_kafka_MemberDescription_t *find_member(const rd_kafka_ConsumerGroupDescription_t *g,
                                                       const char *consumer_id) {
  size_t n = rd_kafka_ConsumerGroupDescription_member_count(g);
  for (size_t i = 0; i < n; i++) {
    const rd_kafka_MemberDescription_t *m = rd_kafka_ConsumerGroupDescription_member(g, i);
    const char *id = m ? rd_kafka_MemberDescription_consumer_id(m) : NULL;
    if (id && strcmp(id, consumer_id) == 0) return m;
  }
  return NULL;
}

/* open_group plus the member named by params[2] (404 when absent). */
static bool open_member(rp_call_t *c, rp_v3_t *v, group_ref_t *r, const rd_kafka_MemberDescription_t **m) {
  if (!open_group(c, v, r)) return false;
  if ((*m = find_member(r->g, c->params[2])) != NULL) return true;
  rp_reply_error(c, RP_ERR_NOT_FOUND, "Consumer '%.255s' not found in consumer group '%.255s'.", c->params[2],
                 r->id);
  return false;
}

void rp_v3_consumers_list(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t r;
  if (open_group(c, &v, &r)) {
    json_t *data = json_array();
    size_t n = rd_kafka_ConsumerGroupDescription_member_count(r.g);
    for (size_t i = 0; data && i < n; i++)
      if (!rp_v3_push(data, consumer_json(&v, r.id, rd_kafka_ConsumerGroupDescription_member(r.g, i)))) {
        json_decref(data);
        data = NULL;
      }
    rp_v3_reply(
        &v, 200,
        rp_v3_list("KafkaConsumerList", rp_v3_url(&v, "consumer-groups", r.id, "consumers", NULL), data));
  }
  rp_v3_admin_fini(&r.a);
}

void rp_v3_consumer_get(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t r;
  const rd_kafka_MemberDescription_t *m = NULL;
  if (open_member(c, &v, &r, &m)) rp_v3_reply(&v, 200, consumer_json(&v, r.id, m));
  rp_v3_admin_fini(&r.a);
}

static json_t *assignment_json(const rp_v3_t *v, const char *gid, const char *cid,
                               const rd_kafka_topic_partition_t *tp) {
  const char *t = tp->topic;
  return json_pack(
      "{s:s, s:{s:o, s:o}, s:s, s:o, s:o, s:s, s:i, s:{s:o}, s:{s:o}}", "kind", "KafkaConsumerAssignment",
      "metadata", "self",
      rp_v3_url(v, "consumer-groups", gid, "consumers", cid, "assignments", t, "partitions",
                rp_v3_num(tp->partition).s, NULL),
      "resource_name",
      rp_v3_crn(v, "consumer-group", gid, "consumer", cid, "assignment", t, "partition",
                rp_v3_num(tp->partition).s, NULL),
      "cluster_id", v->cid, "consumer_group_id", rp_v3_str(gid), "consumer_id", rp_v3_str(cid), "topic_name",
      t, "partition_id", (int)tp->partition, "partition", "related",
      rp_v3_url(v, "topics", t, "partitions", rp_v3_num(tp->partition).s, NULL), "lag", "related",
      rp_v3_url(v, "consumer-groups", gid, "lags", t, "partitions", rp_v3_num(tp->partition).s, NULL));
}

static const rd_kafka_topic_partition_list_t *member_partitions(const rd_kafka_MemberDescription_t *m) {
  const rd_kafka_MemberAssignment_t *as = rd_kafka_MemberDescription_assignment(m);
  return as ? rd_kafka_MemberAssignment_partitions(as) : NULL;
}

void rp_v3_assignments_list(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t r;
  const rd_kafka_MemberDescription_t *m = NULL;
  if (open_member(c, &v, &r, &m)) {
    const rd_kafka_topic_partition_list_t *tps = member_partitions(m);
    const char *cid = c->params[2];
    json_t *data = json_array();
    for (int i = 0; data && tps && i < tps->cnt; i++)
      if (!rp_v3_push(data, assignment_json(&v, r.id, cid, &tps->elems[i]))) {
        json_decref(data);
        data = NULL;
      }
    rp_v3_reply(
        &v, 200,
        rp_v3_list("KafkaConsumerAssignmentList",
                   rp_v3_url(&v, "consumer-groups", r.id, "consumers", cid, "assignments", NULL), data));
  }
  rp_v3_admin_fini(&r.a);
}

/* GET .../consumers/{c}/assignments/{t}/partitions/{p} (five captures). */
void rp_v3_assignment_get(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t r;
  const rd_kafka_MemberDescription_t *m = NULL;
  const char *ptext = c->params[4];
  int32_t p = -1;
  if (!open_member(c, &v, &r, &m)) goto out;
  const rd_kafka_topic_partition_list_t *tps = member_partitions(m);
  const rd_kafka_topic_partition_t *tp = NULL;
  char *end = NULL;
  long pl = strtol(ptext, &end, 10);
  if (*ptext >= '0' && *ptext <= '9' && end && *end == '\0' && pl <= INT32_MAX) p = (int32_t)pl;
  if (p >= 0 && tps) tp = rd_kafka_topic_partition_list_find(tps, c->params[3], p);
  if (!tp)
    rp_reply_error(c, RP_ERR_NOT_FOUND,
                   "Consumer '%.255s' is not assigned partition %.64s of topic '%.255s'.", c->params[2],
                   ptext, c->params[3]);
  else
    rp_v3_reply(&v, 200, assignment_json(&v, r.id, c->params[2], tp));
out:
  rp_v3_admin_fini(&r.a);
}

/* ---- lags ------------------------------------------------------------------------- */

/* One partition with a committed offset and a known log end. */
typedef struct lag_row {
  const char *topic; /* in lags_t.ends */
  int32_t partition;
  int64_t current, end;
  const rd_kafka_MemberDescription_t *member; /* NULL: not assigned now */
} lag_row_t;

typedef struct lags {
  rp_v3_admin_t oa;                      /* ListConsumerGroupOffsets */
  rd_kafka_topic_partition_list_t *ends; /* committed partitions, offsets turned into log ends */
  lag_row_t *rows;
  size_t n;
} lags_t;

static void lags_fini(lags_t *l) {
  rp_v3_admin_fini(&l->oa);
  if (l->ends) rd_kafka_topic_partition_list_destroy(l->ends);
  free(l->rows);
  memset(l, 0, sizeof *l);
}

/* Every partition of every topic in the cluster: what OffsetFetch is asked
 * about. librdkafka 2.0.2 sends an empty topic array (not the null "all
 * partitions" of OffsetFetch v2+) when ListConsumerGroupOffsets gets no
 * partitions, so the proxy names them. NULL after answering. */
static rd_kafka_topic_partition_list_t *all_partitions(rp_v3_t *v) {
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_metadata(v, &md)) return NULL;
  int total = 0;
  for (int i = 0; i < md->topic_cnt; i++)
    if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) total += md->topics[i].partition_cnt;
  rd_kafka_topic_partition_list_t *all = rd_kafka_topic_partition_list_new(total);
  for (int i = 0; all && i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t *t = &md->topics[i];
    if (t->err != RD_KAFKA_RESP_ERR_NO_ERROR || !t->topic) continue;
    for (int j = 0; j < t->partition_cnt; j++)
      rd_kafka_topic_partition_list_add(all, t->topic, t->partitions[j].id);
  }
  rd_kafka_metadata_destroy(md);
  if (!all) rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
  return all;
}

/* The committed offsets of the group (>= 0 only), as a new list. */
static bool committed(rp_v3_t *v, const char *gid, lags_t *l, rd_kafka_topic_partition_list_t **out) {
  *out = NULL;
  rd_kafka_topic_partition_list_t *all = all_partitions(v);
  if (!all) return false;
  if (all->cnt == 0) {
    *out = all; /* no topics: nothing can be committed */
    return true;
  }
  rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(gid, all);
  rd_kafka_topic_partition_list_destroy(all);
  if (!req) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return false;
  }
  if (!rp_v3_admin_begin(v, &l->oa, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS)) {
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    return false;
  }
  rd_kafka_ListConsumerGroupOffsets(v->rk, &req, 1, l->oa.opts, l->oa.q);
  rd_kafka_ListConsumerGroupOffsets_destroy(req);
  rd_kafka_event_t *ev = rp_v3_admin_wait(v, &l->oa, "Cannot read the group's committed offsets");
  if (!ev) return false;
  const rd_kafka_ListConsumerGroupOffsets_result_t *r = rd_kafka_event_ListConsumerGroupOffsets_result(ev);
  size_t n = 0;
  const rd_kafka_group_result_t **gr = r ? rd_kafka_ListConsumerGroupOffsets_result_groups(r, &n) : NULL;
  const rd_kafka_error_t *err = n > 0 ? rd_kafka_group_result_error(gr[0]) : NULL;
  if (err) {
    rp_v3_kafka_error(v, rd_kafka_error_code(err), "Cannot read the group's committed offsets",
                      rd_kafka_error_string(err));
    return false;
  }
  const rd_kafka_topic_partition_list_t *parts = n > 0 ? rd_kafka_group_result_partitions(gr[0]) : NULL;
  *out = rd_kafka_topic_partition_list_new(parts ? parts->cnt : 0);
  for (int i = 0; *out && parts && i < parts->cnt; i++) {
    const rd_kafka_topic_partition_t *tp = &parts->elems[i];
    if (tp->err == RD_KAFKA_RESP_ERR_NO_ERROR && tp->offset >= 0)
      rd_kafka_topic_partition_list_add(*out, tp->topic, tp->partition)->offset = tp->offset;
  }
  if (!*out) rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
  return *out != NULL;
}

static const rd_kafka_MemberDescription_t *owner(const rd_kafka_ConsumerGroupDescription_t *g,
                                                 const char *topic, int32_t partition) {
  size_t n = rd_kafka_ConsumerGroupDescription_member_count(g);
  for (size_t i = 0; i < n; i++) {
    const rd_kafka_MemberDescription_t *m = rd_kafka_ConsumerGroupDescription_member(g, i);
    const rd_kafka_topic_partition_list_t *tps = m ? member_partitions(m) : NULL;
    if (tps && rd_kafka_topic_partition_list_find(tps, topic, partition)) return m;
  }
  return NULL;
}

/* Fills l->rows for the group: committed offsets, then log ends (one
 * ListOffsets LATEST per leader) for those partitions. False after
 * answering. */
static bool collect_lags(rp_v3_t *v, const group_ref_t *g, lags_t *l) {
  rd_kafka_topic_partition_list_t *cur = NULL;
  memset(l, 0, sizeof *l);
  if (!committed(v, g->id, l, &cur)) return false;
  bool ok = true;
  if (cur->cnt > 0 && !(l->ends = rd_kafka_topic_partition_list_copy(cur))) ok = false;
  if (ok && cur->cnt > 0 && !(l->rows = calloc((size_t)cur->cnt, sizeof *l->rows))) ok = false;
  if (!ok) {
    rd_kafka_topic_partition_list_destroy(cur);
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return false;
  }
  for (int i = 0; l->ends && i < l->ends->cnt; i++) l->ends->elems[i].offset = RD_KAFKA_OFFSET_END;
  rd_kafka_resp_err_t err =
      l->ends ? rd_kafka_offsets_for_times(v->rk, l->ends, RP_KAFKA_TIMEOUT_MS) : RD_KAFKA_RESP_ERR_NO_ERROR;
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION) {
    rd_kafka_topic_partition_list_destroy(cur);
    rp_v3_kafka_error(v, err, "Cannot read log end offsets", NULL);
    return false;
  }
  if (l->ends) rd_kafka_topic_partition_list_sort(l->ends, NULL, NULL);
  for (int i = 0; l->ends && i < l->ends->cnt; i++) {
    const rd_kafka_topic_partition_t *e = &l->ends->elems[i];
    const rd_kafka_topic_partition_t *c = rd_kafka_topic_partition_list_find(cur, e->topic, e->partition);
    if (!c || e->err != RD_KAFKA_RESP_ERR_NO_ERROR || e->offset < 0) continue; /* topic gone: no row */
    l->rows[l->n++] =
        (lag_row_t){e->topic, e->partition, c->offset, e->offset, owner(g->g, e->topic, e->partition)};
  }
  rd_kafka_topic_partition_list_destroy(cur);
  return true;
}

static const char *member_id(const lag_row_t *r) {
  return r->member ? rd_kafka_MemberDescription_consumer_id(r->member) : "";
}
static const char *member_client(const lag_row_t *r) {
  return r->member ? rd_kafka_MemberDescription_client_id(r->member) : "";
}
static const char *member_instance(const lag_row_t *r) {
  return r->member ? rd_kafka_MemberDescription_group_instance_id(r->member) : NULL;
}

static json_t *lag_json(const rp_v3_t *v, const char *gid, const lag_row_t *r) {
  const char *t = r->topic;
  return json_pack(
      "{s:s, s:{s:o, s:o}, s:s, s:o, s:s, s:i, s:o, s:o, s:o, s:I, s:I, s:I}", "kind", "KafkaConsumerLag",
      "metadata", "self",
      rp_v3_url(v, "consumer-groups", gid, "lags", t, "partitions", rp_v3_num(r->partition).s, NULL),
      "resource_name",
      rp_v3_crn(v, "consumer-group", gid, "lag", t, "partition", rp_v3_num(r->partition).s, NULL),
      "cluster_id", v->cid, "consumer_group_id", rp_v3_str(gid), "topic_name", t, "partition_id",
      (int)r->partition, "consumer_id", rp_v3_str(member_id(r)), "instance_id", rp_v3_str(member_instance(r)),
      "client_id", rp_v3_str(member_client(r)), "current_offset", (json_int_t)r->current, "log_end_offset",
      (json_int_t)r->end, "lag", (json_int_t)(r->end - r->current));
}

void rp_v3_lags_list(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t g;
  lags_t l;
  memset(&l, 0, sizeof l);
  if (open_group(c, &v, &g) && collect_lags(&v, &g, &l)) {
    json_t *data = json_array();
    for (size_t i = 0; data && i < l.n; i++)
      if (!rp_v3_push(data, lag_json(&v, g.id, &l.rows[i]))) {
        json_decref(data);
        data = NULL;
      }
    rp_v3_reply(
        &v, 200,
        rp_v3_list("KafkaConsumerLagList", rp_v3_url(&v, "consumer-groups", g.id, "lags", NULL), data));
  }
  lags_fini(&l);
  rp_v3_admin_fini(&g.a);
}

void rp_v3_lag_get(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t g;
  lags_t l;
  int32_t p = -1;
  memset(&l, 0, sizeof l);
  if (open_group(c, &v, &g) &&
      rp_v3_param_id(&v, 3, RP_ERR_NOT_FOUND, "Consumer lag for partition %.64s not found.", &p) &&
      collect_lags(&v, &g, &l)) {
    const lag_row_t *row = NULL;
    for (size_t i = 0; !row && i < l.n; i++)
      if (l.rows[i].partition == p && strcmp(l.rows[i].topic, c->params[2]) == 0) row = &l.rows[i];
    if (row)
      rp_v3_reply(&v, 200, lag_json(&v, g.id, row));
    else
      rp_reply_error(c, RP_ERR_NOT_FOUND, "Consumer group '%.255s' has no committed offset for %.255s-%d.",
                     g.id, c->params[2], (int)p);
  }
  lags_fini(&l);
  rp_v3_admin_fini(&g.a);
}

void rp_v3_lag_summary(rp_call_t *c) {
  rp_v3_t v;
  group_ref_t g;
  lags_t l;
  memset(&l, 0, sizeof l);
  if (!open_group(c, &v, &g) || !collect_lags(&v, &g, &l)) goto out;
  if (l.n == 0) {
    rp_reply_error(c, RP_ERR_NOT_FOUND, "Consumer group '%.255s' has no committed offsets.", g.id);
    goto out;
  }
  const lag_row_t *max = &l.rows[0];
  int64_t total = 0;
  for (size_t i = 0; i < l.n; i++) {
    int64_t lag = l.rows[i].end - l.rows[i].current;
    total += lag;
    if (lag > max->end - max->current) max = &l.rows[i];
  }
  const char *mc = member_id(max);
  json_t *mcj = max->member ? json_pack("{s:o}", "related",
                                        rp_v3_url(&v, "consumer-groups", g.id, "consumers", mc, NULL))
                            : json_null();
  rp_v3_reply(
      &v, 200,
      json_pack("{s:s, s:{s:o, s:o}, s:s, s:o, s:o, s:o, s:o, s:s, s:i, s:I, s:I, s:o, s:{s:o}}", "kind",
                "KafkaConsumerGroupLagSummary", "metadata", "self",
                rp_v3_url(&v, "consumer-groups", g.id, "lag-summary", NULL), "resource_name",
                rp_v3_crn(&v, "consumer-group", g.id, "lag-summary", "", NULL), "cluster_id", v.cid,
                "consumer_group_id", rp_v3_str(g.id), "max_lag_consumer_id", rp_v3_str(mc),
                "max_lag_instance_id", rp_v3_str(member_instance(max)), "max_lag_client_id",
                rp_v3_str(member_client(max)), "max_lag_topic_name", max->topic, "max_lag_partition_id",
                (int)max->partition, "max_lag", (json_int_t)(max->end - max->current), "total_lag",
                (json_int_t)total, "max_lag_consumer", mcj, "max_lag_partition", "related",
                rp_v3_url(&v, "topics", max->topic, "partitions", rp_v3_num(max->partition).s, NULL)));
out:
  lags_fini(&l);
  rp_v3_admin_fini(&g.a);
}
