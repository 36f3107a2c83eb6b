// SPDX-License-Identifier: Apache-2.0
/* v3 topic endpoints (rest-proxy.md §2.2): GET /topics (internal topics
 * left out, like Kafka's listTopics), POST /topics (CreateTopics with
 * partitions_count / replication_factor / replicas_assignments / configs /
 * validate_only), GET /topics/{t}, PATCH /topics/{t} (CreatePartitions) and
 * DELETE /topics/{t}. Every change forgets the topic in the proxy's
 * metadata cache so produce paths see it at once. Topic configs and
 * partitions are other files'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_v3.h"

/* Replicas accepted for one partition in replicas_assignments. */
#define MAX_REPLICAS 64

/* ---- list / get ----------------------------------------------------------------- */

static int cmp_topic(const void *a, const void *b) {
  const rd_kafka_metadata_topic_t *x = *(const rd_kafka_metadata_topic_t *const *)a;
  const rd_kafka_metadata_topic_t *y = *(const rd_kafka_metadata_topic_t *const *)b;
  return strcmp(x->topic, y->topic);
}

static json_t *topics_data(const rp_v3_t *v, const struct rd_kafka_metadata *md) {
  json_t *data = json_array();
  const rd_kafka_metadata_topic_t **sorted =
      md->topic_cnt > 0 ? calloc((size_t)md->topic_cnt, sizeof *sorted) : NULL;
  size_t n = 0;
  if (!data || (md->topic_cnt > 0 && !sorted)) goto fail;
  for (int i = 0; i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t *t = &md->topics[i];
    if (t->err == RD_KAFKA_RESP_ERR_NO_ERROR && t->topic && !rp_v3_topic_is_internal(t->topic))
      sorted[n++] = t;
  }
  if (n > 1) qsort(sorted, n, sizeof *sorted, cmp_topic);
  for (size_t i = 0; i < n; i++)
    if (!rp_v3_push(data, rp_v3_topic_json(v, sorted[i]->topic, sorted[i], 0, 0))) goto fail;
  free(sorted);
  return data;
fail:
  free(sorted);
  json_decref(data);
  return NULL;
}

void rp_v3_topics_list(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, &v, true) || !rp_v3_metadata(&v, &md)) return;
  json_t *data = topics_data(&v, md);
  rd_kafka_metadata_destroy(md);
  rp_v3_reply(&v, 200, rp_v3_list("KafkaTopicList", rp_v3_url(&v, "topics", NULL), data));
}

void rp_v3_topic_get(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  const rd_kafka_metadata_topic_t *t = NULL;
  if (!rp_v3_open(c, &v, true) || !rp_v3_metadata(&v, &md)) return;
  if (rp_v3_topic(&v, md, c->params[1], &t)) rp_v3_reply(&v, 200, rp_v3_topic_json(&v, t->topic, t, 0, 0));
  rd_kafka_metadata_destroy(md);
}

/* Answers the topic as the broker now reports it (fresh metadata after a
 * change); rf/count are used when it is not visible yet. */
static void reply_topic_now(rp_v3_t *v, int status, const char *name, int rf, int count) {
  const struct rd_kafka_metadata *md = NULL;
  rp_kafka_forget(v->k, name);
  if (rp_kafka_metadata(v->k, &md) != RP_OK) md = NULL;
  const rd_kafka_metadata_topic_t *t = md ? rp_v3_md_topic(md, name) : NULL;
  json_t *topic = rp_v3_topic_json(v, name, t, rf, count);
  json_t *self = status == 201 ? json_object_get(json_object_get(topic, "metadata"), "self") : NULL;
  if (json_is_string(self)) v->c->resp->location = strdup(json_string_value(self));
  rp_v3_reply(v, status, topic);
  if (md) rd_kafka_metadata_destroy(md);
}

/* ---- create --------------------------------------------------------------------- */

typedef struct create_req {
  const char *name;
  int64_t partitions, rf; /* -1: the broker's default */
  bool has_partitions, has_rf, validate_only;
  const json_t *assignments; /* object or NULL */
  const json_t *configs;     /* array or NULL */
} create_req_t;

static bool parse_create(rp_v3_t *v, create_req_t *r) {
  rp_call_t *c = v->c;
  const json_t *body = c->body;
  bool has_name = false;
  memset(r, 0, sizeof *r);
  r->partitions = r->rf = -1;
  if (!rp_field_string(c, body, "topic_name", &r->name, &has_name)) return false;
  if (!has_name || !rp_topic_name_valid(r->name)) {
    rp_reply_error(c, RP_ERR_PAYLOAD, "Invalid topic name.");
    return false;
  }
  if (!rp_field_int(c, body, "partitions_count", INT32_MIN, INT32_MAX, &r->partitions, &r->has_partitions) ||
      !rp_field_int(c, body, "replication_factor", INT16_MIN, INT16_MAX, &r->rf, &r->has_rf))
    return false;
  if (!r->has_partitions) r->partitions = -1;
  if (!r->has_rf) r->rf = -1;
  const json_t *vo = json_object_get(body, "validate_only");
  r->assignments = json_object_get(body, "replicas_assignments");
  r->configs = json_object_get(body, "configs");
  if (json_is_null(r->assignments)) r->assignments = NULL;
  if (json_is_null(r->configs)) r->configs = NULL;
  if (vo && !json_is_boolean(vo) && !json_is_null(vo)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Field validate_only must be a boolean.");
    return false;
  }
  r->validate_only = json_is_true(vo);
  if (r->assignments &&
      (!json_is_object(r->assignments) || json_object_size(r->assignments) > RP_V3_MAX_PARTITIONS)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE,
                   "Field replicas_assignments must be an object of at most %d partitions.",
                   RP_V3_MAX_PARTITIONS);
    return false;
  }
  if (r->configs && (!json_is_array(r->configs) || json_array_size(r->configs) > RP_V3_MAX_CONFIG_ENTRIES)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Field configs must be an array of at most %d entries.",
                   RP_V3_MAX_CONFIG_ENTRIES);
    return false;
  }
  return true;
}

/* Sets replicas_assignments {"0": [1], "1": [1]} on nt: partitions must be
 * 0..n-1. False after answering. */
static bool set_assignments(rp_v3_t *v, rd_kafka_NewTopic_t *nt, const json_t *obj) {
  size_t n = json_object_size(obj);
  for (size_t p = 0; p < n; p++) {
    char key[24], errstr[256];
    snprintf(key, sizeof key, "%zu", p);
    const json_t *arr = json_object_get(obj, key);
    int32_t ids[MAX_REPLICAS];
    size_t cnt = json_array_size(arr);
    if (!json_is_array(arr) || cnt == 0 || cnt > MAX_REPLICAS) {
      rp_reply_error(
          v->c, RP_ERR_UNPROCESSABLE,
          "replicas_assignments must map partitions 0..%zu to arrays of 1..%d broker ids (partition %zu).",
          n - 1, MAX_REPLICAS, p);
      return false;
    }
    for (size_t i = 0; i < cnt; i++) {
      const json_t *id = json_array_get(arr, i);
      if (!json_is_integer(id) || json_integer_value(id) < 0 || json_integer_value(id) > INT32_MAX) {
        rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "replicas_assignments[\"%zu\"] must hold broker ids.", p);
        return false;
      }
      ids[i] = (int32_t)json_integer_value(id);
    }
    if (rd_kafka_NewTopic_set_replica_assignment(nt, (int32_t)p, ids, cnt, errstr, sizeof errstr) != 0) {
      rp_reply_error(v->c, RP_ERR_KAFKA_BAD_REQUEST, "%s", errstr);
      return false;
    }
  }
  return true;
}

/* Sets configs [{"name","value"}] on nt (null values are left out: the
 * default applies). False after answering. */
static bool set_configs(rp_v3_t *v, rd_kafka_NewTopic_t *nt, const json_t *arr) {
  for (size_t i = 0; i < json_array_size(arr); i++) {
    const json_t *e = json_array_get(arr, i);
    const char *name = NULL, *value = NULL;
    bool has_name = false, has_value = false;
    if (!json_is_object(e)) {
      rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "configs[%zu] must be an object.", i);
      return false;
    }
    if (!rp_field_string(v->c, e, "name", &name, &has_name) ||
        !rp_field_string(v->c, e, "value", &value, &has_value))
      return false;
    if (!has_name || !*name) {
      rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "configs[%zu].name is required.", i);
      return false;
    }
    if (has_value && rd_kafka_NewTopic_set_config(nt, name, value) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
      return false;
    }
  }
  return true;
}

/* Builds the NewTopic of r; NULL after answering. */
static rd_kafka_NewTopic_t *new_topic(rp_v3_t *v, const create_req_t *r) {
  char errstr[256] = "";
  /* librdkafka wants the real count and no replication factor with a
   * manual assignment. */
  bool manual = r->assignments && json_object_size(r->assignments) > 0;
  int parts = manual ? (int)json_object_size(r->assignments) : (int)r->partitions;
  int rf = manual ? -1 : (int)r->rf;
  rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(r->name, parts, rf, errstr, sizeof errstr);
  if (!nt) {
    rp_reply_error(v->c, RP_ERR_KAFKA_BAD_REQUEST, "%s", errstr[0] ? errstr : "Invalid topic settings.");
    return NULL;
  }
  if ((manual && !set_assignments(v, nt, r->assignments)) ||
      (r->configs && !set_configs(v, nt, r->configs))) {
    rd_kafka_NewTopic_destroy(nt);
    return NULL;
  }
  return nt;
}

/* The replication factor reported for a created topic that metadata does
 * not show yet: as Confluent, the requested one or 0. */
static int assumed_rf(const create_req_t *r) {
  if (r->has_rf) return (int)r->rf;
  if (r->assignments && json_object_size(r->assignments) > 0)
    return (int)json_array_size(json_object_get(r->assignments, "0"));
  return 0;
}

static int assumed_count(const create_req_t *r) {
  if (r->assignments && json_object_size(r->assignments) > 0) return (int)json_object_size(r->assignments);
  return r->has_partitions ? (int)r->partitions : 0;
}

void rp_v3_topic_create(rp_call_t *c) {
  rp_v3_t v;
  create_req_t r;
  rp_v3_admin_t a;
  rd_kafka_NewTopic_t *nt = NULL;
  char err[256];
  memset(&a, 0, sizeof a);
  if (!rp_v3_open(c, &v, true) || !rp_call_body(c, true) || !parse_create(&v, &r)) return;
  if (!(nt = new_topic(&v, &r)) || !rp_v3_admin_begin(&v, &a, RD_KAFKA_ADMIN_OP_CREATETOPICS)) goto out;
  if (r.validate_only && rd_kafka_AdminOptions_set_validate_only(a.opts, 1, err, sizeof err) != 0) {
    rp_reply_error(c, RP_ERR_INTERNAL, "validate_only: %s", err);
    goto out;
  }
  rd_kafka_CreateTopics(v.rk, &nt, 1, a.opts, a.q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(&v, &a, "Cannot create the topic");
  if (!ev) goto out;
  size_t n = 0;
  const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
  const rd_kafka_topic_result_t **trs = res ? rd_kafka_CreateTopics_result_topics(res, &n) : NULL;
  rd_kafka_resp_err_t e = n < 1 ? RD_KAFKA_RESP_ERR__BAD_MSG : rd_kafka_topic_result_error(trs[0]);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rp_v3_kafka_error(&v, e, NULL, n < 1 ? NULL : rd_kafka_topic_result_error_string(trs[0]));
  } else if (r.validate_only) {
    rp_v3_reply(&v, 200, rp_v3_topic_json(&v, r.name, NULL, assumed_rf(&r), assumed_count(&r)));
  } else {
    reply_topic_now(&v, 201, r.name, assumed_rf(&r), assumed_count(&r));
  }
out:
  if (nt) rd_kafka_NewTopic_destroy(nt);
  rp_v3_admin_fini(&a);
}

/* ---- patch / delete ------------------------------------------------------------- */

void rp_v3_topic_patch(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_admin_t a;
  const struct rd_kafka_metadata *md = NULL;
  const rd_kafka_metadata_topic_t *t = NULL;
  rd_kafka_NewPartitions_t *np = NULL;
  int64_t count = 0;
  bool present = false;
  char errstr[256] = "";
  memset(&a, 0, sizeof a);
  if (!rp_v3_open(c, &v, true) || !rp_call_body(c, true) ||
      !rp_field_int(c, c->body, "partitions_count", 1, INT32_MAX, &count, &present))
    return;
  if (!present) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Field partitions_count is required.");
    return;
  }
  if (!rp_v3_metadata(&v, &md)) return;
  bool exists = rp_v3_topic(&v, md, c->params[1], &t);
  rd_kafka_metadata_destroy(md);
  if (!exists) return;
  if (!(np = rd_kafka_NewPartitions_new(c->params[1], (size_t)count, errstr, sizeof errstr))) {
    rp_reply_error(c, RP_ERR_KAFKA_BAD_REQUEST, "%s", errstr[0] ? errstr : "Invalid partitions_count.");
    goto out;
  }
  if (!rp_v3_admin_begin(&v, &a, RD_KAFKA_ADMIN_OP_CREATEPARTITIONS)) goto out;
  rd_kafka_CreatePartitions(v.rk, &np, 1, a.opts, a.q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(&v, &a, "Cannot change the partition count");
  if (!ev) goto out;
  size_t n = 0;
  const rd_kafka_CreatePartitions_result_t *res = rd_kafka_event_CreatePartitions_result(ev);
  const rd_kafka_topic_result_t **trs = res ? rd_kafka_CreatePartitions_result_topics(res, &n) : NULL;
  rd_kafka_resp_err_t e = n < 1 ? RD_KAFKA_RESP_ERR__BAD_MSG : rd_kafka_topic_result_error(trs[0]);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    rp_v3_kafka_error(&v, e, NULL, n < 1 ? NULL : rd_kafka_topic_result_error_string(trs[0]));
  else
    reply_topic_now(&v, 200, c->params[1], 0, (int)count);
out:
  if (np) rd_kafka_NewPartitions_destroy(np);
  rp_v3_admin_fini(&a);
}

void rp_v3_topic_delete(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_admin_t a;
  rd_kafka_DeleteTopic_t *dt = NULL;
  memset(&a, 0, sizeof a);
  if (!rp_v3_open(c, &v, true)) return;
  const char *name = c->params[1];
  if (!rp_topic_name_valid(name)) {
    rp_reply_error(c, RP_ERR_TOPIC_NOT_FOUND, "Topic '%.255s' not found.", name);
    return;
  }
  if (!(dt = rd_kafka_DeleteTopic_new(name))) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    return;
  }
  if (!rp_v3_admin_begin(&v, &a, RD_KAFKA_ADMIN_OP_DELETETOPICS)) goto out;
  rd_kafka_DeleteTopics(v.rk, &dt, 1, a.opts, a.q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(&v, &a, "Cannot delete the topic");
  if (!ev) goto out;
  size_t n = 0;
  const rd_kafka_DeleteTopics_result_t *res = rd_kafka_event_DeleteTopics_result(ev);
  const rd_kafka_topic_result_t **trs = res ? rd_kafka_DeleteTopics_result_topics(res, &n) : NULL;
  rd_kafka_resp_err_t e = n < 1 ? RD_KAFKA_RESP_ERR__BAD_MSG : rd_kafka_topic_result_error(trs[0]);
  rp_kafka_forget(v.k, name);
  if (e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
    rp_reply_error(c, RP_ERR_TOPIC_NOT_FOUND, "Topic '%s' not found.", name);
  else if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    rp_v3_kafka_error(&v, e, NULL, n < 1 ? NULL : rd_kafka_topic_result_error_string(trs[0]));
  else
    rp_reply_no_content(c);
out:
  rd_kafka_DeleteTopic_destroy(dt);
  rp_v3_admin_fini(&a);
}
