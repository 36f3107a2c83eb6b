// SPDX-License-Identifier: Apache-2.0
/* The frame every v3 admin handler runs in: the cluster id check, path
 * parameters, absolute self/related links and CRN resource names, the
 * collection envelope, one librdkafka admin request (queue, options,
 * bounded wait), fresh metadata lookups, and the topic and broker shapes
 * that several areas return (rest-proxy.md §2.1). It knows no endpoint's
 * rules: those live in the area files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_codec.h"
#include "rp_v3.h"

/* ---- request frame ----------------------------------------------------------- */

bool rp_v3_open(rp_call_t *c, rp_v3_t *v, bool check_cid) {
  memset(v, 0, sizeof *v);
  v->c = c;
  v->k = c->rp->kafka;
  v->rk = rp_kafka_handle(v->k);
  if (!rp_base_url(c, v->base, sizeof v->base)) {
    rp_reply_error(c, RP_ERR_BAD_REQUEST, "The Host header is too long to build links from.");
    return false;
  }
  rp_code_t code = rp_kafka_cluster_id(v->k, v->cid, sizeof v->cid);
  if (code != RP_OK) {
    rp_reply_error(c, code, "The Kafka cluster cannot be reached: its cluster id is unknown.");
    return false;
  }
  if (check_cid && (c->nparams < 1 || strcmp(c->params[0], v->cid) != 0)) {
    rp_reply_error(c, RP_ERR_CLUSTER_NOT_FOUND, "Cluster %.200s cannot be found.",
                   c->nparams ? c->params[0] : "");
    return false;
  }
  return true;
}

/* Strict decimal int32 >= 0 (no sign, no spaces, no leading '+'). */
static bool parse_id(const char *s, int32_t *out) {
  int64_t n = 0;
  if (!s || !*s || strlen(s) > 10) return false;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    n = n * 10 + (*p - '0');
  }
  if (n > INT32_MAX) return false;
  *out = (int32_t)n;
  return true;
}

bool rp_v3_param_id(rp_v3_t *v, size_t i, rp_code_t code, const char *msg_fmt, int32_t *out) {
  const char *s = i < v->c->nparams ? v->c->params[i] : NULL;
  if (parse_id(s, out)) return true;
  char msg[256];
  snprintf(msg, sizeof msg, msg_fmt, s ? s : "");
  rp_reply_error(v->c, code, "%s", msg);
  return false;
}

void rp_v3_reply(rp_v3_t *v, int status, json_t *body) {
  if (!body) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return;
  }
  rp_reply_json(v->c, status, body, RP_MT_JSON);
}

void rp_v3_kafka_error(rp_v3_t *v, rd_kafka_resp_err_t err, const char *what, const char *detail) {
  rp_code_t code = rp_code_from_kafka(err);
  if (code == RP_OK) code = RP_ERR_KAFKA;
  const char *text = detail && *detail ? detail : rd_kafka_err2str(err);
  if (what)
    rp_reply_error(v->c, code, "%s: %s", what, text);
  else
    rp_reply_error(v->c, code, "%s", text);
}

/* ---- links and resources -------------------------------------------------------- */

rp_v3_num_t rp_v3_num(int64_t n) {
  rp_v3_num_t out;
  snprintf(out.s, sizeof out.s, "%lld", (long long)n);
  return out;
}

/* Appends s percent-encoded as one path segment (RFC 3986 unreserved kept). */
static void put_segment(rp_jbuf_t *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char ch = *p;
    bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                ch == '-' || ch == '.' || ch == '_' || ch == '~';
    if (keep) {
      rp_jbuf_raw(b, (const char *)p, 1);
    } else {
      char esc[3] = {'%', hex[ch >> 4], hex[ch & 15]};
      rp_jbuf_raw(b, esc, 3);
    }
  }
}

/* Takes b's text into a JSON string (sanitised: it may hold names from
 * Kafka). */
static json_t *take_string(rp_jbuf_t *b) {
  char *text = rp_jbuf_take(b, NULL);
  json_t *j = text ? rp_v3_str(text) : NULL;
  free(text);
  return j;
}

static json_t *url_va(const rp_v3_t *v, bool with_cid, va_list ap) {
  rp_jbuf_t b = {0};
  rp_jbuf_lit(&b, v->base);
  rp_jbuf_lit(&b, "/v3/clusters");
  if (with_cid) {
    rp_jbuf_lit(&b, "/");
    put_segment(&b, v->cid);
  }
  for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
    rp_jbuf_lit(&b, "/");
    put_segment(&b, s);
  }
  return take_string(&b);
}

json_t *rp_v3_url(const rp_v3_t *v, ...) {
  va_list ap;
  va_start(ap, v);
  json_t *j = url_va(v, true, ap);
  va_end(ap);
  return j;
}

json_t *rp_v3_url_root(const rp_v3_t *v) {
  rp_jbuf_t b = {0};
  rp_jbuf_lit(&b, v->base);
  rp_jbuf_lit(&b, "/v3/clusters");
  return take_string(&b);
}

json_t *rp_v3_crn(const rp_v3_t *v, ...) {
  rp_jbuf_t b = {0};
  rp_jbuf_lit(&b, "crn:///kafka=");
  rp_jbuf_lit(&b, v->cid);
  va_list ap;
  va_start(ap, v);
  for (const char *key = va_arg(ap, const char *); key; key = va_arg(ap, const char *)) {
    const char *value = va_arg(ap, const char *);
    rp_jbuf_lit(&b, "/");
    rp_jbuf_lit(&b, key);
    if (value && *value) {
      rp_jbuf_lit(&b, "=");
      rp_jbuf_lit(&b, value);
    }
    if (!value) break; /* odd argument count: a caller bug, stop at the sentinel */
  }
  va_end(ap);
  return take_string(&b);
}

json_t *rp_v3_str(const char *s) {
  if (!s) return json_null();
  json_t *j = json_string(s);
  if (j) return j;
  /* Not UTF-8 (or out of memory): keep ASCII, mark the rest. */
  char *copy = strdup(s);
  if (!copy) return NULL;
  for (char *p = copy; *p; p++)
    if ((unsigned char)*p >= 0x80) *p = '?';
  j = json_string(copy);
  free(copy);
  return j;
}

json_t *rp_v3_list(const char *kind, json_t *self, json_t *data) {
  return json_pack("{s:s, s:{s:o, s:n}, s:o}", "kind", kind, "metadata", "self", self, "next", "data", data);
}

bool rp_v3_push(json_t *array, json_t *item) {
  if (!array || !item) {
    json_decref(item);
    return false;
  }
  return json_array_append_new(array, item) == 0;
}

/* ---- admin calls ---------------------------------------------------------------- */

bool rp_v3_admin_begin(rp_v3_t *v, rp_v3_admin_t *a, rd_kafka_admin_op_t op) {
  memset(a, 0, sizeof *a);
  a->q = rd_kafka_queue_new(v->rk);
  a->opts = rd_kafka_AdminOptions_new(v->rk, op);
  if (!a->q || !a->opts) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return false;
  }
  char err[256];
  rd_kafka_AdminOptions_set_request_timeout(a->opts, RP_KAFKA_TIMEOUT_MS, err, sizeof err);
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
      op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS)
    rd_kafka_AdminOptions_set_operation_timeout(a->opts, RP_KAFKA_TIMEOUT_MS / 2, err, sizeof err);
  return true;
}

rd_kafka_event_t *rp_v3_admin_wait(rp_v3_t *v, rp_v3_admin_t *a, const char *what) {
  a->ev = rp_kafka_admin_wait(a->q, RP_V3_ADMIN_WAIT_MS);
  if (!a->ev) {
    rp_reply_error(v->c, RP_ERR_KAFKA_RETRIABLE, "%s: no answer from Kafka within %d ms.", what,
                   RP_V3_ADMIN_WAIT_MS);
    return NULL;
  }
  rd_kafka_resp_err_t err = rd_kafka_event_error(a->ev);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rp_v3_kafka_error(v, err, what, rd_kafka_event_error_string(a->ev));
    return NULL;
  }
  return a->ev;
}

void rp_v3_admin_fini(rp_v3_admin_t *a) {
  if (a->ev) rd_kafka_event_destroy(a->ev);
  if (a->opts) rd_kafka_AdminOptions_destroy(a->opts);
  if (a->q) rd_kafka_queue_destroy(a->q);
  memset(a, 0, sizeof *a);
}

/* ---- metadata ------------------------------------------------------------------- */

bool rp_v3_metadata(rp_v3_t *v, const struct rd_kafka_metadata **md) {
  *md = NULL;
  rp_code_t code = rp_kafka_metadata(v->k, md);
  if (code != RP_OK) {
    rp_reply_error(v->c, code, "Cannot read the cluster metadata from Kafka.");
    return false;
  }
  return true;
}

const rd_kafka_metadata_topic_t *rp_v3_md_topic(const struct rd_kafka_metadata *md, const char *name) {
  for (int i = 0; md && i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t *t = &md->topics[i];
    if (t->topic && strcmp(t->topic, name) == 0) return t->err == RD_KAFKA_RESP_ERR_NO_ERROR ? t : NULL;
  }
  return NULL;
}

bool rp_v3_topic(rp_v3_t *v, const struct rd_kafka_metadata *md, const char *name,
                 const rd_kafka_metadata_topic_t **out) {
  *out = rp_topic_name_valid(name) ? rp_v3_md_topic(md, name) : NULL;
  if (*out) return true;
  rp_reply_error(v->c, RP_ERR_TOPIC_NOT_FOUND, "Topic '%.255s' not found.", name);
  return false;
}

const rd_kafka_metadata_partition_t *rp_v3_md_partition(const rd_kafka_metadata_topic_t *t, int32_t p) {
  for (int i = 0; t && i < t->partition_cnt; i++)
    if (t->partitions[i].id == p) return &t->partitions[i];
  return NULL;
}

bool rp_v3_topic_is_internal(const char *name) {
  return strcmp(name, "__consumer_offsets") == 0 || strcmp(name, "__transaction_state") == 0;
}

/* ---- shared shapes -------------------------------------------------------------- */

json_t *rp_v3_topic_json(const rp_v3_t *v, const char *name, const rd_kafka_metadata_topic_t *t, int rf,
                         int count) {
  if (t) {
    count = t->partition_cnt;
    rf = t->partition_cnt > 0 ? t->partitions[0].replica_cnt : 0;
  }
  return json_pack("{s:s, s:{s:o, s:o}, s:s, s:o, s:b, s:i, s:i, s:{s:o}, s:{s:o}, s:{s:o}}", "kind",
                   "KafkaTopic", "metadata", "self", rp_v3_url(v, "topics", name, NULL), "resource_name",
                   rp_v3_crn(v, "topic", name, NULL), "cluster_id", v->cid, "topic_name", rp_v3_str(name),
                   "is_internal", rp_v3_topic_is_internal(name), "replication_factor", rf, "partitions_count",
                   count, "partitions", "related", rp_v3_url(v, "topics", name, "partitions", NULL),
                   "configs", "related", rp_v3_url(v, "topics", name, "configs", NULL),
                   "partition_reassignments", "related",
                   rp_v3_url(v, "topics", name, "partitions", "-", "reassignment", NULL));
}

json_t *rp_v3_broker_json(const rp_v3_t *v, int32_t id, const char *host, int port) {
  return json_pack("{s:s, s:{s:o, s:o}, s:s, s:i, s:o, s:i, s:n, s:{s:o}, s:{s:o}}", "kind", "KafkaBroker",
                   "metadata", "self", rp_v3_url(v, "brokers", rp_v3_num(id).s, NULL), "resource_name",
                   rp_v3_crn(v, "broker", rp_v3_num(id).s, NULL), "cluster_id", v->cid, "broker_id", (int)id,
                   "host", rp_v3_str(host), "port", port, "rack", "configs", "related",
                   rp_v3_url(v, "brokers", rp_v3_num(id).s, "configs", NULL), "partition_replicas", "related",
                   rp_v3_url(v, "brokers", rp_v3_num(id).s, "partition-replicas", NULL));
}
