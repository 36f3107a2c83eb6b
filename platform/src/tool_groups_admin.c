// SPDX-License-Identifier: Apache-2.0
/* The Kafka side of `weir groups`: librdkafka 2.0.2's admin API
 * (ListConsumerGroups, DescribeConsumerGroups, ListConsumerGroupOffsets)
 * plus watermark queries for log end offsets, copied into the plain model of
 * tool_groups.h. Works against weir's broker or any Kafka cluster. It does
 * no printing; tool_groups.c formats the model. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "tool_groups.h"

#define TIMEOUT_MS 10000

struct weir_tg_client {
  rd_kafka_t *rk;
  rd_kafka_queue_t *q;
};

static char *dup_str(const char *s) {
  return s ? weir__strndup(s, strlen(s)) : NULL;
}

/* librdkafka logs connection trouble itself; the tool reports outcomes. */
static void quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
  (void)rk, (void)level, (void)fac, (void)buf;
}

weir_tg_client_t *weir_tg_client_new(const char *bootstrap, char *errbuf, size_t errbuf_len) {
  weir_tg_client_t *c = weir__malloc(sizeof *c);
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (!c || !conf) goto fail;
  c->rk = NULL;
  c->q = NULL;
  if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errbuf, errbuf_len) != RD_KAFKA_CONF_OK ||
      rd_kafka_conf_set(conf, "client.id", "weir-groups", errbuf, errbuf_len) != RD_KAFKA_CONF_OK)
    goto fail;
  /* WEIR_GROUPS_DEBUG=<librdkafka debug contexts> shows the client's own log. */
  const char *debug = getenv("WEIR_GROUPS_DEBUG");
  if (debug && debug[0]) {
    if (rd_kafka_conf_set(conf, "debug", debug, errbuf, errbuf_len) != RD_KAFKA_CONF_OK) goto fail;
  } else {
    rd_kafka_conf_set_log_cb(conf, quiet_log);
  }
  c->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errbuf, errbuf_len);
  if (!c->rk) goto fail;
  conf = NULL; /* owned by rk now */
  c->q = rd_kafka_queue_new(c->rk);
  return c;
fail:
  if (conf) rd_kafka_conf_destroy(conf);
  if (c && !c->rk && errbuf_len && !errbuf[0]) snprintf(errbuf, errbuf_len, "out of memory");
  weir__free(c);
  return NULL;
}

void weir_tg_client_destroy(weir_tg_client_t *c) {
  if (!c) return;
  if (c->q) rd_kafka_queue_destroy(c->q);
  rd_kafka_destroy(c->rk);
  weir__free(c);
}

static rd_kafka_AdminOptions_t *options(weir_tg_client_t *c, rd_kafka_admin_op_t op) {
  rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(c->rk, op);
  char ignored[64];
  if (o) rd_kafka_AdminOptions_set_request_timeout(o, TIMEOUT_MS, ignored, sizeof ignored);
  return o;
}

/* Waits for the admin result; NULL (errbuf set) on timeout or request error. */
static rd_kafka_event_t *wait_result(weir_tg_client_t *c, const char *what, char *errbuf, size_t errbuf_len) {
  rd_kafka_event_t *ev = rd_kafka_queue_poll(c->q, TIMEOUT_MS + 5000);
  if (!ev) {
    snprintf(errbuf, errbuf_len, "%s: no answer from the broker within %d ms", what, TIMEOUT_MS + 5000);
    return NULL;
  }
  if (rd_kafka_event_error(ev)) {
    snprintf(errbuf, errbuf_len, "%s: %s", what, rd_kafka_event_error_string(ev));
    rd_kafka_event_destroy(ev);
    return NULL;
  }
  return ev;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void weir_tg_ids_free(char **ids, size_t n) {
  for (size_t i = 0; ids && i < n; i++) weir__free(ids[i]);
  weir__free(ids);
}

int weir_tg_list(weir_tg_client_t *c, char ***ids, size_t *n, char *errbuf, size_t errbuf_len) {
  *ids = NULL;
  *n = 0;
  rd_kafka_AdminOptions_t *o = options(c, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
  rd_kafka_ListConsumerGroups(c->rk, o, c->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_event_t *ev = wait_result(c, "ListConsumerGroups", errbuf, errbuf_len);
  if (!ev) return -1;
  const rd_kafka_ListConsumerGroups_result_t *res = rd_kafka_event_ListConsumerGroups_result(ev);
  size_t n_valid = 0, n_err = 0;
  const rd_kafka_ConsumerGroupListing_t **valid = rd_kafka_ListConsumerGroups_result_valid(res, &n_valid);
  const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(res, &n_err);
  int rc = 0;
  if (n_err > 0) {
    snprintf(errbuf, errbuf_len, "ListConsumerGroups: %s", rd_kafka_error_string(errs[0]));
    rc = -1;
  } else if (n_valid > 0 && !(*ids = weir__malloc(n_valid * sizeof **ids))) {
    snprintf(errbuf, errbuf_len, "out of memory");
    rc = -1;
  }
  for (size_t i = 0; rc == 0 && i < n_valid; i++) {
    if (!((*ids)[i] = dup_str(rd_kafka_ConsumerGroupListing_group_id(valid[i]))))
      rc = -1;
    else
      (*n)++;
  }
  rd_kafka_event_destroy(ev);
  if (rc != 0) {
    weir_tg_ids_free(*ids, *n);
    *ids = NULL;
    *n = 0;
    return -1;
  }
  if (*n > 1) qsort(*ids, *n, sizeof **ids, cmp_str);
  return 0;
}

/* Copies one member (ids, host, assignment). 0 or -1 (out of memory). */
static int copy_member(const rd_kafka_MemberDescription_t *md, weir_tg_member_t *m) {
  memset(m, 0, sizeof *m);
  m->member_id = dup_str(rd_kafka_MemberDescription_consumer_id(md));
  m->client_id = dup_str(rd_kafka_MemberDescription_client_id(md));
  m->host = dup_str(rd_kafka_MemberDescription_host(md));
  m->instance_id = dup_str(rd_kafka_MemberDescription_group_instance_id(md));
  if (!m->member_id || !m->client_id || !m->host) return -1;
  const rd_kafka_MemberAssignment_t *a = rd_kafka_MemberDescription_assignment(md);
  const rd_kafka_topic_partition_list_t *l = a ? rd_kafka_MemberAssignment_partitions(a) : NULL;
  if (!l || l->cnt <= 0) return 0;
  if (!(m->assignment = weir__malloc((size_t)l->cnt * sizeof *m->assignment))) return -1;
  for (int i = 0; i < l->cnt; i++) {
    weir_tg_tp_t *tp = &m->assignment[m->n_assignment];
    if (!(tp->topic = dup_str(l->elems[i].topic))) return -1;
    tp->partition = l->elems[i].partition;
    m->n_assignment++;
  }
  return 0;
}

/* DescribeConsumerGroups: state, assignor, members. */
static int describe_members(weir_tg_client_t *c, const char *group, weir_tg_group_t *g, char *errbuf,
                            size_t errbuf_len) {
  rd_kafka_AdminOptions_t *o = options(c, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
  const char *groups[1] = {group};
  rd_kafka_DescribeConsumerGroups(c->rk, groups, 1, o, c->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_event_t *ev = wait_result(c, "DescribeConsumerGroups", errbuf, errbuf_len);
  if (!ev) return -1;
  size_t n = 0;
  const rd_kafka_ConsumerGroupDescription_t **d =
      rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
  int rc = 0;
  const rd_kafka_error_t *e = n == 1 ? rd_kafka_ConsumerGroupDescription_error(d[0]) : NULL;
  if (n != 1 || e) {
    snprintf(errbuf, errbuf_len, "DescribeConsumerGroups: %s", e ? rd_kafka_error_string(e) : "no result");
    rc = -1;
  }
  if (rc == 0) {
    g->state = dup_str(rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d[0])));
    const char *assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(d[0]);
    g->assignor = dup_str(assignor ? assignor : "");
    size_t nm = rd_kafka_ConsumerGroupDescription_member_count(d[0]);
    g->members = nm ? weir__malloc(nm * sizeof *g->members) : NULL;
    if (!g->state || !g->assignor || (nm && !g->members)) rc = -1;
    for (size_t i = 0; rc == 0 && i < nm; i++) {
      g->n_members++;
      rc = copy_member(rd_kafka_ConsumerGroupDescription_member(d[0], i), &g->members[i]);
    }
    if (rc != 0) snprintf(errbuf, errbuf_len, "out of memory");
  }
  rd_kafka_event_destroy(ev);
  return rc;
}

/* Every partition of every topic in the cluster. librdkafka 2.0.2 sends
 * "all partitions" (NULL) as an empty topic array, which a broker answers
 * with nothing, so the tool names the partitions itself. NULL on error. */
static rd_kafka_topic_partition_list_t *all_partitions(weir_tg_client_t *c, char *errbuf, size_t errbuf_len) {
  const struct rd_kafka_metadata *md = NULL;
  rd_kafka_resp_err_t err = rd_kafka_metadata(c->rk, 1, NULL, &md, TIMEOUT_MS);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    snprintf(errbuf, errbuf_len, "Metadata: %s", rd_kafka_err2str(err));
    return NULL;
  }
  int n = 0;
  for (int i = 0; i < md->topic_cnt; i++) n += md->topics[i].partition_cnt;
  rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
  for (int i = 0; i < md->topic_cnt; i++)
    for (int j = 0; j < md->topics[i].partition_cnt; j++)
      rd_kafka_topic_partition_list_add(l, md->topics[i].topic, md->topics[i].partitions[j].id);
  rd_kafka_metadata_destroy(md);
  return l;
}

/* ListConsumerGroupOffsets (OffsetFetch) of want: the group's answer, copied. */
static rd_kafka_topic_partition_list_t *fetch_offsets(weir_tg_client_t *c, const char *group,
                                                      const rd_kafka_topic_partition_list_t *want,
                                                      char *errbuf, size_t errbuf_len) {
  rd_kafka_AdminOptions_t *o = options(c, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
  rd_kafka_ListConsumerGroupOffsets_t *req = rd_kafka_ListConsumerGroupOffsets_new(group, want);
  rd_kafka_ListConsumerGroupOffsets(c->rk, &req, 1, o, c->q);
  rd_kafka_ListConsumerGroupOffsets_destroy(req);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_event_t *ev = wait_result(c, "ListConsumerGroupOffsets", errbuf, errbuf_len);
  if (!ev) return NULL;
  size_t n = 0;
  const rd_kafka_group_result_t **gr =
      rd_kafka_ListConsumerGroupOffsets_result_groups(rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
  const rd_kafka_error_t *e = n == 1 ? rd_kafka_group_result_error(gr[0]) : NULL;
  const rd_kafka_topic_partition_list_t *parts = n == 1 ? rd_kafka_group_result_partitions(gr[0]) : NULL;
  rd_kafka_topic_partition_list_t *copy = NULL;
  if (n != 1 || e)
    snprintf(errbuf, errbuf_len, "ListConsumerGroupOffsets: %s", e ? rd_kafka_error_string(e) : "no result");
  else
    copy = parts ? rd_kafka_topic_partition_list_copy(parts) : rd_kafka_topic_partition_list_new(0);
  rd_kafka_event_destroy(ev);
  return copy;
}

/* The group's committed offsets over every partition of the cluster. */
static rd_kafka_topic_partition_list_t *committed_offsets(weir_tg_client_t *c, const char *group,
                                                          char *errbuf, size_t errbuf_len) {
  rd_kafka_topic_partition_list_t *want = all_partitions(c, errbuf, errbuf_len);
  if (!want) return NULL;
  rd_kafka_topic_partition_list_t *got = want->cnt > 0 ? fetch_offsets(c, group, want, errbuf, errbuf_len)
                                                       : rd_kafka_topic_partition_list_new(0);
  rd_kafka_topic_partition_list_destroy(want);
  return got;
}

static int cmp_row(const void *a, const void *b) {
  const weir_tg_row_t *x = a, *y = b;
  int c = strcmp(x->topic, y->topic);
  return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

/* The row of (topic, partition), adding it when new; NULL when out of memory. */
static weir_tg_row_t *row_for(weir_tg_group_t *g, const char *topic, int32_t partition) {
  for (size_t i = 0; i < g->n_rows; i++)
    if (g->rows[i].partition == partition && strcmp(g->rows[i].topic, topic) == 0) return &g->rows[i];
  weir_tg_row_t *r = &g->rows[g->n_rows];
  if (!(r->topic = dup_str(topic))) return NULL;
  r->partition = partition;
  r->committed = -1;
  r->log_end = -1;
  r->member = -1;
  g->n_rows++;
  return r;
}

/* Rows: committed partitions joined with assignments, plus log end offsets. */
static int build_rows(weir_tg_client_t *c, weir_tg_group_t *g, const rd_kafka_topic_partition_list_t *offs) {
  size_t cap = (size_t)offs->cnt;
  for (size_t i = 0; i < g->n_members; i++) cap += g->members[i].n_assignment;
  if (cap && !(g->rows = weir__malloc(cap * sizeof *g->rows))) return -1;
  for (int i = 0; i < offs->cnt; i++) {
    if (offs->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR || offs->elems[i].offset < 0) continue; /* none */
    weir_tg_row_t *r = row_for(g, offs->elems[i].topic, offs->elems[i].partition);
    if (!r) return -1;
    r->committed = offs->elems[i].offset;
  }
  for (size_t m = 0; m < g->n_members; m++) {
    for (size_t j = 0; j < g->members[m].n_assignment; j++) {
      weir_tg_row_t *r = row_for(g, g->members[m].assignment[j].topic, g->members[m].assignment[j].partition);
      if (!r) return -1;
      r->member = (int)m;
    }
  }
  if (g->n_rows > 1) qsort(g->rows, g->n_rows, sizeof *g->rows, cmp_row);
  for (size_t i = 0; i < g->n_rows; i++) {
    int64_t lo = -1, hi = -1;
    if (rd_kafka_query_watermark_offsets(c->rk, g->rows[i].topic, g->rows[i].partition, &lo, &hi,
                                         TIMEOUT_MS) == RD_KAFKA_RESP_ERR_NO_ERROR)
      g->rows[i].log_end = hi;
  }
  return 0;
}

int weir_tg_describe(weir_tg_client_t *c, const char *group, weir_tg_group_t *out, char *errbuf,
                     size_t errbuf_len) {
  memset(out, 0, sizeof *out);
  if (!(out->group_id = dup_str(group))) return -1;
  if (describe_members(c, group, out, errbuf, errbuf_len) != 0) return -1;
  rd_kafka_topic_partition_list_t *offs = committed_offsets(c, group, errbuf, errbuf_len);
  if (!offs) return -1;
  int rc = build_rows(c, out, offs);
  if (rc != 0) snprintf(errbuf, errbuf_len, "out of memory");
  rd_kafka_topic_partition_list_destroy(offs);
  return rc;
}

void weir_tg_group_fini(weir_tg_group_t *g) {
  for (size_t i = 0; i < g->n_members; i++) {
    weir_tg_member_t *m = &g->members[i];
    for (size_t j = 0; j < m->n_assignment; j++) weir__free(m->assignment[j].topic);
    weir__free(m->assignment);
    weir__free(m->member_id);
    weir__free(m->instance_id);
    weir__free(m->client_id);
    weir__free(m->host);
  }
  for (size_t i = 0; i < g->n_rows; i++) weir__free(g->rows[i].topic);
  weir__free(g->members);
  weir__free(g->rows);
  weir__free(g->group_id);
  weir__free(g->state);
  weir__free(g->assignor);
  memset(g, 0, sizeof *g);
}
