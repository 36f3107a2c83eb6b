// SPDX-License-Identifier: Apache-2.0
/* The Kafka side of `weir topics`: the admin client (built by tool_kafka.c
 * from --bootstrap-server and --command-config), Metadata, and librdkafka
 * 2.0.2's admin API (CreateTopics, DeleteTopics, CreatePartitions,
 * DescribeConfigs, AlterConfigs), with every answer copied into the plain
 * results of tool_topics.h. Works against weir's broker or any Kafka
 * cluster. It prints nothing except the probe's failure; deciding what a
 * result means and printing it is tool_topics_cmds.c's job. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "platform_int.h"
#include "tool_topics.h"

/* A dead address (no RST, no answer) must not hold the tool for longer than
 * the probe; a refused connection fails the probe at once. */
#define PROBE_TIMEOUT_MS 10000
/* How long the controller may take to finish a create/delete/partition
 * change before it answers: below the request timeout, so the broker's own
 * answer (REQUEST_TIMED_OUT) arrives instead of a client-side time-out. */
#define OPERATION_TIMEOUT_MS (WEIR_TT_TIMEOUT_MS - 5000)

static void status_set(weir_tt_status_t *st, rd_kafka_resp_err_t err, const char *msg) {
  st->err = err;
  snprintf(st->msg, sizeof st->msg, "%s", msg && msg[0] ? msg : rd_kafka_err2str(err));
}

int weir_tt_open(weir_tt_t *tt, const weir_cli_t *cli) {
  /* allow.auto.create.topics: the producer handle would otherwise let a
   * Metadata request create a topic that is only being looked at. */
  static const char *const defaults[] = {
      "client.id", "weir-topics", "allow.auto.create.topics", "false", "socket.connection.setup.timeout.ms",
      "10000",     NULL};
  const weir_tk_kafka_spec_t spec = {WEIR_TT_TOOL, RD_KAFKA_PRODUCER, defaults, NULL, tt};
  int status = weir_tk_kafka_init(&tt->kafka, &spec, cli);
  if (status == 0) status = weir_tk_kafka_probe(&tt->kafka, PROBE_TIMEOUT_MS);
  if (status == 0 && !(tt->q = rd_kafka_queue_new(tt->kafka.rk)))
    status = weir_tk_fail(WEIR_TT_TOOL, WEIR_TK_FAILED, "out of memory");
  return status;
}

void weir_tt_close(weir_tt_t *tt) {
  if (tt->q) rd_kafka_queue_destroy(tt->q);
  tt->q = NULL;
  weir_tk_kafka_fini(&tt->kafka);
}

/* ---- metadata ------------------------------------------------------------------ */

const struct rd_kafka_metadata *weir_tt_metadata(weir_tt_t *tt, weir_tt_status_t *st) {
  const struct rd_kafka_metadata *md = NULL;
  rd_kafka_resp_err_t err = rd_kafka_metadata(tt->kafka.rk, 1, NULL, &md, WEIR_TT_TIMEOUT_MS);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return md;
  char msg[512];
  snprintf(msg, sizeof msg, "Metadata from %s: %s", tt->kafka.bootstrap, rd_kafka_err2str(err));
  status_set(st, err, msg);
  return NULL;
}

const rd_kafka_metadata_topic_t *weir_tt_md_topic(const struct rd_kafka_metadata *md, const char *name) {
  for (int i = 0; i < md->topic_cnt; i++)
    if (strcmp(md->topics[i].topic, name) == 0 &&
        md->topics[i].err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
      return &md->topics[i];
  return NULL;
}

/* ---- requests ------------------------------------------------------------------ */

static rd_kafka_AdminOptions_t *options_new(weir_tt_t *tt, rd_kafka_admin_op_t op) {
  rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(tt->kafka.rk, op);
  char ignored[128];
  rd_kafka_AdminOptions_set_request_timeout(o, WEIR_TT_TIMEOUT_MS, ignored, sizeof ignored);
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
      op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS)
    rd_kafka_AdminOptions_set_operation_timeout(o, OPERATION_TIMEOUT_MS, ignored, sizeof ignored);
  return o;
}

/* The request's result event, or NULL with st set when the request as a
 * whole failed (time-out, broker gone, unsupported). librdkafka ends every
 * request by its request timeout; the extra margin only guards against a
 * result that never comes. */
static rd_kafka_event_t *result_wait(weir_tt_t *tt, const char *what, weir_tt_status_t *st) {
  rd_kafka_event_t *ev = rd_kafka_queue_poll(tt->q, WEIR_TT_TIMEOUT_MS + 5000);
  char msg[512];
  if (!ev) {
    snprintf(msg, sizeof msg, "%s: no answer from %s within %d ms", what, tt->kafka.bootstrap,
             WEIR_TT_TIMEOUT_MS + 5000);
    status_set(st, RD_KAFKA_RESP_ERR__TIMED_OUT, msg);
    return NULL;
  }
  rd_kafka_resp_err_t err = rd_kafka_event_error(ev);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return ev;
  snprintf(msg, sizeof msg, "%s: %s", what, rd_kafka_event_error_string(ev));
  status_set(st, err, msg);
  rd_kafka_event_destroy(ev);
  return NULL;
}

/* The single topic result of CreateTopics/DeleteTopics/CreatePartitions. */
static int topic_result(const rd_kafka_topic_result_t **tr, size_t n, weir_tt_status_t *st) {
  if (n != 1) {
    status_set(st, RD_KAFKA_RESP_ERR__BAD_MSG, "the broker answered without the topic's result");
    return -1;
  }
  status_set(st, rd_kafka_topic_result_error(tr[0]), rd_kafka_topic_result_error_string(tr[0]));
  return st->err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

int weir_tt_create(weir_tt_t *tt, const weir_tt_new_topic_t *nt, weir_tt_status_t *st) {
  char errstr[512] = "";
  rd_kafka_NewTopic_t *req =
      rd_kafka_NewTopic_new(nt->name, nt->partitions, nt->replication_factor, errstr, sizeof errstr);
  if (!req) { /* librdkafka's own range check of the counts */
    status_set(st, RD_KAFKA_RESP_ERR__INVALID_ARG, errstr);
    return -1;
  }
  for (size_t i = 0; i < nt->n_configs; i++)
    rd_kafka_NewTopic_set_config(req, nt->configs[i].name, nt->configs[i].value);
  rd_kafka_AdminOptions_t *o = options_new(tt, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_CreateTopics(tt->kafka.rk, &req, 1, o, tt->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_NewTopic_destroy(req);
  rd_kafka_event_t *ev = result_wait(tt, "CreateTopics", st);
  if (!ev) return -1;
  size_t n = 0;
  const rd_kafka_topic_result_t **tr =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
  int rc = topic_result(tr, n, st);
  rd_kafka_event_destroy(ev);
  return rc;
}

int weir_tt_delete(weir_tt_t *tt, const char *topic, weir_tt_status_t *st) {
  rd_kafka_DeleteTopic_t *req = rd_kafka_DeleteTopic_new(topic);
  rd_kafka_AdminOptions_t *o = options_new(tt, RD_KAFKA_ADMIN_OP_DELETETOPICS);
  rd_kafka_DeleteTopics(tt->kafka.rk, &req, 1, o, tt->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_DeleteTopic_destroy(req);
  rd_kafka_event_t *ev = result_wait(tt, "DeleteTopics", st);
  if (!ev) return -1;
  size_t n = 0;
  const rd_kafka_topic_result_t **tr =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev), &n);
  int rc = topic_result(tr, n, st);
  rd_kafka_event_destroy(ev);
  return rc;
}

int weir_tt_create_partitions(weir_tt_t *tt, const char *topic, int total, weir_tt_status_t *st) {
  char errstr[512] = "";
  rd_kafka_NewPartitions_t *req = rd_kafka_NewPartitions_new(topic, (size_t)total, errstr, sizeof errstr);
  if (!req) {
    status_set(st, RD_KAFKA_RESP_ERR__INVALID_ARG, errstr);
    return -1;
  }
  rd_kafka_AdminOptions_t *o = options_new(tt, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS);
  rd_kafka_CreatePartitions(tt->kafka.rk, &req, 1, o, tt->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_NewPartitions_destroy(req);
  rd_kafka_event_t *ev = result_wait(tt, "CreatePartitions", st);
  if (!ev) return -1;
  size_t n = 0;
  const rd_kafka_topic_result_t **tr =
      rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev), &n);
  int rc = topic_result(tr, n, st);
  rd_kafka_event_destroy(ev);
  return rc;
}

/* librdkafka 2.0.2 has no IncrementalAlterConfigs (2.2.0 added it): this is
 * the classic AlterConfigs, which replaces the topic's whole set of
 * overrides. The caller sends the merged set (tool_topics_cmds.c). */
int weir_tt_alter_configs(weir_tt_t *tt, const char *topic, const weir_tt_kv_t *kv, size_t n,
                          weir_tt_status_t *st) {
  rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic);
  for (size_t i = 0; i < n; i++) rd_kafka_ConfigResource_set_config(res, kv[i].name, kv[i].value);
  rd_kafka_AdminOptions_t *o = options_new(tt, RD_KAFKA_ADMIN_OP_ALTERCONFIGS);
  rd_kafka_AlterConfigs(tt->kafka.rk, &res, 1, o, tt->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_ConfigResource_destroy(res);
  rd_kafka_event_t *ev = result_wait(tt, "AlterConfigs", st);
  if (!ev) return -1;
  size_t cnt = 0;
  const rd_kafka_ConfigResource_t **r =
      rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev), &cnt);
  if (cnt != 1)
    status_set(st, RD_KAFKA_RESP_ERR__BAD_MSG, "the broker answered without the topic's result");
  else
    status_set(st, rd_kafka_ConfigResource_error(r[0]), rd_kafka_ConfigResource_error_string(r[0]));
  rd_kafka_event_destroy(ev);
  return st->err == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

/* ---- DescribeConfigs ------------------------------------------------------------- */

void weir_tt_configs_fini(weir_tt_configs_t *c) {
  for (size_t i = 0; i < c->n; i++) {
    weir__free(c->v[i].name);
    weir__free(c->v[i].value);
  }
  weir__free(c->v);
  c->v = NULL;
  c->n = 0;
}

static char *dup_str(const char *s) {
  return weir__strndup(s, strlen(s));
}

/* A DescribeConfigs v0 answer has no source, only IsDefault: a non-default
 * entry then counts as the topic's own override. */
static void config_copy(const rd_kafka_ConfigEntry_t *e, weir_tt_config_t *c) {
  rd_kafka_ConfigSource_t src = rd_kafka_ConfigEntry_source(e);
  bool is_default = rd_kafka_ConfigEntry_is_default(e) || src == RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG;
  c->is_override = src == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG ||
                   (src == RD_KAFKA_CONFIG_SOURCE_UNKNOWN_CONFIG && !is_default);
  c->non_default = !is_default;
}

/* Copies one resource's entries into out (empty on its error). 0 or -1 (memory). */
static int configs_copy(const rd_kafka_ConfigResource_t *r, weir_tt_configs_t *out) {
  status_set(&out->status, rd_kafka_ConfigResource_error(r), rd_kafka_ConfigResource_error_string(r));
  if (out->status.err != RD_KAFKA_RESP_ERR_NO_ERROR) return 0;
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **e = rd_kafka_ConfigResource_configs(r, &n);
  if (n > 0 && !(out->v = weir__malloc(n * sizeof *out->v))) return -1;
  for (size_t i = 0; i < n; i++) {
    weir_tt_config_t *c = &out->v[out->n];
    const char *value = rd_kafka_ConfigEntry_value(e[i]);
    c->name = dup_str(rd_kafka_ConfigEntry_name(e[i]));
    c->value = value ? dup_str(value) : NULL;
    out->n++;
    if (!c->name || (value && !c->value)) return -1;
    config_copy(e[i], c);
  }
  return 0;
}

/* Matches each result to its request by name (the order is not promised). */
static int configs_collect(rd_kafka_event_t *ev, const char *const *topics, size_t n,
                           weir_tt_configs_t *out) {
  size_t cnt = 0;
  const rd_kafka_ConfigResource_t **r =
      rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &cnt);
  for (size_t i = 0; i < n; i++) {
    status_set(&out[i].status, RD_KAFKA_RESP_ERR__BAD_MSG,
               "the broker answered without this topic's configs");
    for (size_t j = 0; j < cnt; j++)
      if (strcmp(rd_kafka_ConfigResource_name(r[j]), topics[i]) == 0) {
        if (configs_copy(r[j], &out[i]) != 0) return -1;
        break;
      }
  }
  return 0;
}

int weir_tt_describe_configs(weir_tt_t *tt, const char *const *topics, size_t n, weir_tt_configs_t *out,
                             weir_tt_status_t *st) {
  assert(n > 0);
  memset(out, 0, n * sizeof *out);
  rd_kafka_ConfigResource_t **res = weir__malloc(n * sizeof *res);
  if (!res) {
    status_set(st, RD_KAFKA_RESP_ERR__FAIL, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < n; i++) res[i] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topics[i]);
  rd_kafka_AdminOptions_t *o = options_new(tt, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  rd_kafka_DescribeConfigs(tt->kafka.rk, res, n, o, tt->q);
  rd_kafka_AdminOptions_destroy(o);
  rd_kafka_ConfigResource_destroy_array(res, n);
  weir__free(res);
  rd_kafka_event_t *ev = result_wait(tt, "DescribeConfigs", st);
  int rc = ev ? configs_collect(ev, topics, n, out) : -1;
  if (ev && rc != 0) status_set(st, RD_KAFKA_RESP_ERR__FAIL, "out of memory");
  if (ev) rd_kafka_event_destroy(ev);
  for (size_t i = 0; rc != 0 && i < n; i++) {
    weir_tt_configs_fini(&out[i]);
    out[i].status = *st;
  }
  return rc;
}
