// SPDX-License-Identifier: Apache-2.0
/* Config resources over DescribeConfigs / AlterConfigs (rest-proxy.md §2.2):
 * the KafkaTopicConfig / KafkaBrokerConfig shapes, GET
 * of one config or all, PUT / DELETE of one, and POST configs:alter, shared
 * by topic and broker endpoints; plus the topic config endpoints
 * themselves. librdkafka 2.0.2 has only the non-incremental AlterConfigs,
 * which replaces the whole dynamic set: a change is made by describing the
 * current dynamic configs and sending them back with the change applied
 * (two requests, so a concurrent alter of the same resource can be lost).
 * Broker endpoints (rp_v3_cluster.c) decide which broker exists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rp_v3.h"

/* ---- shapes ----------------------------------------------------------------- */

static const char *source_name(rd_kafka_ConfigSource_t s) {
  switch (s) {
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG:
      return "DYNAMIC_TOPIC_CONFIG";
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG:
      return "DYNAMIC_BROKER_CONFIG";
    case RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG:
      return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG:
      return "STATIC_BROKER_CONFIG";
    case RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG:
      return "DEFAULT_CONFIG";
    default:
      return "UNKNOWN";
  }
}

/* The value shown: sensitive values are never echoed. */
static const char *shown_value(const rd_kafka_ConfigEntry_t *e) {
  return rd_kafka_ConfigEntry_is_sensitive(e) ? NULL : rd_kafka_ConfigEntry_value(e);
}

static json_t *synonyms_json(const rd_kafka_ConfigEntry_t *e) {
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **syn = rd_kafka_ConfigEntry_synonyms(e, &n);
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < n; i++) {
    json_t *s =
        json_pack("{s:o, s:o, s:s}", "name", rp_v3_str(rd_kafka_ConfigEntry_name(syn[i])), "value",
                  rp_v3_str(shown_value(syn[i])), "source", source_name(rd_kafka_ConfigEntry_source(syn[i])));
    if (!rp_v3_push(arr, s)) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* kind, metadata, cluster_id and the field naming the owner. */
static json_t *config_head(const rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name) {
  if (res->type == RD_KAFKA_RESOURCE_TOPIC)
    return json_pack("{s:s, s:{s:o, s:o}, s:s, s:o}", "kind", "KafkaTopicConfig", "metadata", "self",
                     rp_v3_url(v, "topics", res->name, "configs", name, NULL), "resource_name",
                     rp_v3_crn(v, "topic", res->name, "config", name, NULL), "cluster_id", v->cid,
                     "topic_name", rp_v3_str(res->name));
  return json_pack("{s:s, s:{s:o, s:o}, s:s, s:i}", "kind", "KafkaBrokerConfig", "metadata", "self",
                   rp_v3_url(v, "brokers", res->name, "configs", name, NULL), "resource_name",
                   rp_v3_crn(v, "broker", res->name, "config", name, NULL), "cluster_id", v->cid, "broker_id",
                   (int)res->broker_id);
}

json_t *rp_v3_config_json(const rp_v3_t *v, const rp_v3_cfgres_t *res, const rd_kafka_ConfigEntry_t *e) {
  const char *name = rd_kafka_ConfigEntry_name(e);
  if (!name) name = "";
  json_t *head = config_head(v, res, name);
  json_t *body =
      json_pack("{s:o, s:o, s:b, s:b, s:b, s:s, s:o}", "name", rp_v3_str(name), "value",
                rp_v3_str(shown_value(e)), "is_default", rd_kafka_ConfigEntry_is_default(e), "is_read_only",
                rd_kafka_ConfigEntry_is_read_only(e), "is_sensitive", rd_kafka_ConfigEntry_is_sensitive(e),
                "source", source_name(rd_kafka_ConfigEntry_source(e)), "synonyms", synonyms_json(e));
  if (!head || !body || json_object_update(head, body) != 0) {
    json_decref(head);
    head = NULL;
  }
  json_decref(body);
  return head;
}

static json_t *configs_self(const rp_v3_t *v, const rp_v3_cfgres_t *res) {
  if (res->type == RD_KAFKA_RESOURCE_TOPIC) return rp_v3_url(v, "topics", res->name, "configs", NULL);
  return rp_v3_url(v, "brokers", res->name, "configs", NULL);
}

static const char *list_kind(const rp_v3_cfgres_t *res) {
  return res->type == RD_KAFKA_RESOURCE_TOPIC ? "KafkaTopicConfigList" : "KafkaBrokerConfigList";
}

/* ---- describe ----------------------------------------------------------------- */

static const char *res_what(const rp_v3_cfgres_t *res) {
  return res->type == RD_KAFKA_RESOURCE_TOPIC ? "topic" : "broker";
}

bool rp_v3_config_describe(rp_v3_t *v, const rp_v3_cfgres_t *res, rp_v3_admin_t *a,
                           const rd_kafka_ConfigResource_t **out) {
  *out = NULL;
  if (!rp_v3_admin_begin(v, a, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS)) return false;
  rd_kafka_ConfigResource_t *cr = rd_kafka_ConfigResource_new(res->type, res->name);
  if (!cr) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return false;
  }
  rd_kafka_DescribeConfigs(v->rk, &cr, 1, a->opts, a->q);
  rd_kafka_ConfigResource_destroy(cr);
  rd_kafka_event_t *ev = rp_v3_admin_wait(v, a, "Cannot describe configs");
  if (!ev) return false;
  const rd_kafka_DescribeConfigs_result_t *r = rd_kafka_event_DescribeConfigs_result(ev);
  size_t n = 0;
  const rd_kafka_ConfigResource_t **rs = r ? rd_kafka_DescribeConfigs_result_resources(r, &n) : NULL;
  if (n < 1) {
    rp_reply_error(v->c, RP_ERR_KAFKA, "Kafka answered DescribeConfigs without the %s.", res_what(res));
    return false;
  }
  rd_kafka_resp_err_t err = rd_kafka_ConfigResource_error(rs[0]);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && res->type == RD_KAFKA_RESOURCE_TOPIC)
      rp_reply_error(v->c, RP_ERR_TOPIC_NOT_FOUND, "Topic '%s' not found.", res->name);
    else
      rp_v3_kafka_error(v, err, "Cannot describe configs", rd_kafka_ConfigResource_error_string(rs[0]));
    return false;
  }
  *out = rs[0];
  return true;
}

static const rd_kafka_ConfigEntry_t *find_entry(const rd_kafka_ConfigResource_t *cr, const char *name) {
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **es = rd_kafka_ConfigResource_configs(cr, &n);
  for (size_t i = 0; i < n; i++) {
    const char *en = rd_kafka_ConfigEntry_name(es[i]);
    if (en && strcmp(en, name) == 0) return es[i];
  }
  return NULL;
}

static void reply_no_config(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name) {
  if (res->type == RD_KAFKA_RESOURCE_TOPIC)
    rp_reply_error(v->c, RP_ERR_NOT_FOUND, "Config '%.255s' not found for topic '%s'.", name, res->name);
  else
    rp_reply_error(v->c, RP_ERR_NOT_FOUND, "Config '%.255s' not found for broker %s.", name, res->name);
}

void rp_v3_config_get(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name) {
  rp_v3_admin_t a;
  const rd_kafka_ConfigResource_t *cr = NULL;
  if (!rp_v3_config_describe(v, res, &a, &cr)) goto out;
  if (name) {
    const rd_kafka_ConfigEntry_t *e = find_entry(cr, name);
    if (!e)
      reply_no_config(v, res, name);
    else
      rp_v3_reply(v, 200, rp_v3_config_json(v, res, e));
    goto out;
  }
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **es = rd_kafka_ConfigResource_configs(cr, &n);
  json_t *data = json_array();
  for (size_t i = 0; data && i < n; i++)
    if (!rp_v3_push(data, rp_v3_config_json(v, res, es[i]))) {
      json_decref(data);
      data = NULL;
    }
  rp_v3_reply(v, 200, rp_v3_list(list_kind(res), configs_self(v, res), data));
out:
  rp_v3_admin_fini(&a);
}

/* ---- alter -------------------------------------------------------------------- */

/* Is e part of the resource's own dynamic set (what AlterConfigs replaces)? */
static bool is_own_dynamic(const rp_v3_cfgres_t *res, const rd_kafka_ConfigEntry_t *e) {
  rd_kafka_ConfigSource_t s = rd_kafka_ConfigEntry_source(e);
  if (res->type == RD_KAFKA_RESOURCE_TOPIC) return s == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG;
  return s == RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG;
}

static const rp_v3_cfgop_t *find_op(const rp_v3_cfgop_t *ops, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(ops[i].name, name) == 0) return &ops[i];
  return NULL;
}

/* The full new dynamic set: kept entries plus the SET ops. False after
 * answering. */
static bool build_new_set(rp_v3_t *v, const rp_v3_cfgres_t *res, const rd_kafka_ConfigResource_t *cur,
                          const rp_v3_cfgop_t *ops, size_t n_ops, rd_kafka_ConfigResource_t *next) {
  size_t n = 0;
  const rd_kafka_ConfigEntry_t **es = rd_kafka_ConfigResource_configs(cur, &n);
  for (size_t i = 0; i < n; i++) {
    const char *name = rd_kafka_ConfigEntry_name(es[i]);
    if (!name || !is_own_dynamic(res, es[i]) || find_op(ops, n_ops, name)) continue;
    const char *value = rd_kafka_ConfigEntry_value(es[i]);
    if (!value) {
      rp_reply_error(v->c, RP_ERR_KAFKA_BAD_REQUEST,
                     "Config '%s' is sensitive and would be lost by this change (only non-incremental "
                     "AlterConfigs is available): include its value in the same request.",
                     name);
      return false;
    }
    if (rd_kafka_ConfigResource_set_config(next, name, value) != RD_KAFKA_RESP_ERR_NO_ERROR) goto nomem;
  }
  for (size_t i = 0; i < n_ops; i++) {
    if (!ops[i].value && !find_entry(cur, ops[i].name)) {
      reply_no_config(v, res, ops[i].name);
      return false;
    }
    if (ops[i].value &&
        rd_kafka_ConfigResource_set_config(next, ops[i].name, ops[i].value) != RD_KAFKA_RESP_ERR_NO_ERROR)
      goto nomem;
  }
  return true;
nomem:
  rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
  return false;
}

/* Sends next with AlterConfigs and answers 204 or the error. */
static void send_alter(rp_v3_t *v, rd_kafka_ConfigResource_t *next, bool validate_only) {
  rp_v3_admin_t a;
  char err[256];
  if (!rp_v3_admin_begin(v, &a, RD_KAFKA_ADMIN_OP_ALTERCONFIGS)) goto out;
  if (validate_only && rd_kafka_AdminOptions_set_validate_only(a.opts, 1, err, sizeof err) != 0) {
    rp_reply_error(v->c, RP_ERR_INTERNAL, "validate_only: %s", err);
    goto out;
  }
  rd_kafka_AlterConfigs(v->rk, &next, 1, a.opts, a.q);
  rd_kafka_event_t *ev = rp_v3_admin_wait(v, &a, "Cannot alter configs");
  if (!ev) goto out;
  const rd_kafka_AlterConfigs_result_t *r = rd_kafka_event_AlterConfigs_result(ev);
  size_t n = 0;
  const rd_kafka_ConfigResource_t **rs = r ? rd_kafka_AlterConfigs_result_resources(r, &n) : NULL;
  rd_kafka_resp_err_t e = n < 1 ? RD_KAFKA_RESP_ERR__BAD_MSG : rd_kafka_ConfigResource_error(rs[0]);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    rp_v3_kafka_error(v, e, "Cannot alter configs",
                      n < 1 ? NULL : rd_kafka_ConfigResource_error_string(rs[0]));
  else
    rp_reply_no_content(v->c);
out:
  rp_v3_admin_fini(&a);
}

void rp_v3_config_alter(rp_v3_t *v, const rp_v3_cfgres_t *res, const rp_v3_cfgop_t *ops, size_t n,
                        bool validate_only) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (strcmp(ops[i].name, ops[j].name) == 0) {
        rp_reply_error(v->c, RP_ERR_BAD_REQUEST, "Config '%.255s' appears more than once.", ops[i].name);
        return;
      }
  rp_v3_admin_t a;
  const rd_kafka_ConfigResource_t *cur = NULL;
  rd_kafka_ConfigResource_t *next = NULL;
  if (!rp_v3_config_describe(v, res, &a, &cur)) goto out;
  next = rd_kafka_ConfigResource_new(res->type, res->name);
  if (!next) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    goto out;
  }
  if (build_new_set(v, res, cur, ops, n, next)) send_alter(v, next, validate_only);
out:
  if (next) rd_kafka_ConfigResource_destroy(next);
  rp_v3_admin_fini(&a);
}

void rp_v3_config_put(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name) {
  const char *value = NULL;
  bool present = false;
  if (!rp_call_body(v->c, true) || !rp_field_string(v->c, v->c->body, "value", &value, &present)) return;
  if (!present) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "Field value is required and must be a string.");
    return;
  }
  rp_v3_cfgop_t op = {name, value};
  rp_v3_config_alter(v, res, &op, 1, false);
}

void rp_v3_config_reset(rp_v3_t *v, const rp_v3_cfgres_t *res, const char *name) {
  rp_v3_cfgop_t op = {name, NULL};
  rp_v3_config_alter(v, res, &op, 1, false);
}

/* One {"name","value","operation"} entry of configs:alter. */
static bool parse_op(rp_v3_t *v, const json_t *item, size_t i, rp_v3_cfgop_t *op) {
  const char *name = NULL, *value = NULL, *oper = "SET";
  bool has_name = false, has_value = false, has_op = false;
  if (!json_is_object(item)) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "data[%zu] must be an object.", i);
    return false;
  }
  if (!rp_field_string(v->c, item, "name", &name, &has_name) ||
      !rp_field_string(v->c, item, "value", &value, &has_value) ||
      !rp_field_string(v->c, item, "operation", &oper, &has_op))
    return false;
  if (!has_name || !*name) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "data[%zu].name is required.", i);
    return false;
  }
  if (!has_op) oper = "SET";
  if (strcasecmp(oper, "SET") == 0) {
    if (!has_value) {
      rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "data[%zu].value is required for operation SET.", i);
      return false;
    }
    *op = (rp_v3_cfgop_t){name, value};
  } else if (strcasecmp(oper, "DELETE") == 0) {
    *op = (rp_v3_cfgop_t){name, NULL};
  } else if (strcasecmp(oper, "APPEND") == 0 || strcasecmp(oper, "SUBTRACT") == 0) {
    rp_reply_error(v->c, RP_ERR_KAFKA_BAD_REQUEST, "data[%zu].operation %s is not supported (SET or DELETE).",
                   i, oper);
    return false;
  } else {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "data[%zu].operation must be SET or DELETE.", i);
    return false;
  }
  return true;
}

void rp_v3_config_alter_batch(rp_v3_t *v, const rp_v3_cfgres_t *res) {
  if (!rp_call_body(v->c, true)) return;
  json_t *data = json_object_get(v->c->body, "data");
  json_t *vo = json_object_get(v->c->body, "validate_only");
  if (!json_is_array(data)) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "Field data is required and must be an array.");
    return;
  }
  if (vo && !json_is_boolean(vo) && !json_is_null(vo)) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "Field validate_only must be a boolean.");
    return;
  }
  size_t n = json_array_size(data);
  if (n > RP_V3_MAX_CONFIG_ENTRIES) {
    rp_reply_error(v->c, RP_ERR_UNPROCESSABLE, "At most %d configs can be altered at once.",
                   RP_V3_MAX_CONFIG_ENTRIES);
    return;
  }
  rp_v3_cfgop_t *ops = n ? calloc(n, sizeof *ops) : NULL;
  if (n && !ops) {
    rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
    return;
  }
  size_t i = 0;
  while (i < n && parse_op(v, json_array_get(data, i), i, &ops[i])) i++;
  if (i == n) rp_v3_config_alter(v, res, ops, n, json_is_true(vo));
  free(ops);
}

/* ---- topic config endpoints ------------------------------------------------------ */

/* Opens the request and names the topic of params[1]; false after answering. */
static bool open_topic(rp_call_t *c, rp_v3_t *v, rp_v3_cfgres_t *res) {
  if (!rp_v3_open(c, v, true)) return false;
  *res = (rp_v3_cfgres_t){RD_KAFKA_RESOURCE_TOPIC, c->params[1], -1};
  if (rp_topic_name_valid(res->name)) return true;
  rp_reply_error(c, RP_ERR_TOPIC_NOT_FOUND, "Topic '%.255s' not found.", res->name);
  return false;
}

void rp_v3_topic_configs_list(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_cfgres_t res;
  if (open_topic(c, &v, &res)) rp_v3_config_get(&v, &res, NULL);
}

void rp_v3_topic_config_get(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_cfgres_t res;
  if (open_topic(c, &v, &res)) rp_v3_config_get(&v, &res, c->params[2]);
}

void rp_v3_topic_config_put(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_cfgres_t res;
  if (open_topic(c, &v, &res)) rp_v3_config_put(&v, &res, c->params[2]);
}

void rp_v3_topic_config_delete(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_cfgres_t res;
  if (open_topic(c, &v, &res)) rp_v3_config_reset(&v, &res, c->params[2]);
}

void rp_v3_topic_configs_alter(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_cfgres_t res;
  if (open_topic(c, &v, &res)) rp_v3_config_alter_batch(&v, &res);
}

/* Appends every config of every described topic resource to data. */
static bool append_all(rp_v3_t *v, const rd_kafka_ConfigResource_t **rs, size_t n, json_t *data) {
  for (size_t i = 0; i < n; i++) {
    if (rd_kafka_ConfigResource_error(rs[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) continue; /* deleted meanwhile */
    rp_v3_cfgres_t res = {RD_KAFKA_RESOURCE_TOPIC, rd_kafka_ConfigResource_name(rs[i]), -1};
    size_t ne = 0;
    const rd_kafka_ConfigEntry_t **es = rd_kafka_ConfigResource_configs(rs[i], &ne);
    for (size_t j = 0; j < ne; j++)
      if (!rp_v3_push(data, rp_v3_config_json(v, &res, es[j]))) return false;
  }
  return true;
}

/* Describes every topic of md in one DescribeConfigs and answers the list. */
static void describe_all_topics(rp_v3_t *v, const struct rd_kafka_metadata *md) {
  rp_v3_admin_t a;
  memset(&a, 0, sizeof a);
  json_t *data = json_array();
  size_t n = 0;
  rd_kafka_ConfigResource_t **crs = md->topic_cnt > 0 ? calloc((size_t)md->topic_cnt, sizeof *crs) : NULL;
  if (!data || (md->topic_cnt > 0 && !crs)) goto nomem;
  for (int i = 0; i < md->topic_cnt; i++) {
    if (md->topics[i].err != RD_KAFKA_RESP_ERR_NO_ERROR || !rp_topic_name_valid(md->topics[i].topic))
      continue;
    if (!(crs[n] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, md->topics[i].topic))) goto nomem;
    n++;
  }
  if (n > 0) {
    if (!rp_v3_admin_begin(v, &a, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS)) goto out;
    rd_kafka_DescribeConfigs(v->rk, crs, n, a.opts, a.q);
    rd_kafka_event_t *ev = rp_v3_admin_wait(v, &a, "Cannot describe topic configs");
    if (!ev) goto out;
    const rd_kafka_DescribeConfigs_result_t *r = rd_kafka_event_DescribeConfigs_result(ev);
    size_t nr = 0;
    const rd_kafka_ConfigResource_t **rs = r ? rd_kafka_DescribeConfigs_result_resources(r, &nr) : NULL;
    if (!append_all(v, rs, nr, data)) goto nomem;
  }
  rp_v3_reply(v, 200, rp_v3_list("KafkaTopicConfigList", rp_v3_url(v, "topics", "-", "configs", NULL), data));
  data = NULL;
  goto out;
nomem:
  rp_reply_error(v->c, RP_ERR_NOMEM, NULL);
out:
  json_decref(data);
  if (crs) rd_kafka_ConfigResource_destroy_array(crs, n);
  free(crs);
  rp_v3_admin_fini(&a);
}

void rp_v3_topic_configs_all(rp_call_t *c) {
  rp_v3_t v;
  const struct rd_kafka_metadata *md = NULL;
  if (!rp_v3_open(c, &v, true) || !rp_v3_metadata(&v, &md)) return;
  describe_all_topics(&v, md);
  rd_kafka_metadata_destroy(md);
}
