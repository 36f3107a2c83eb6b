// SPDX-License-Identifier: Apache-2.0
/* v2 produce (rest-proxy.md §1.4): POST /topics/{t} and
 * /topics/{t}/partitions/{p} with binary, json or avro records. The whole
 * request is checked first (topic exists — answered at once, never after a
 * producer timeout —, partition, schemas, every key and value encoded), then
 * all records go to the shared producer together and the answer lists each
 * record's partition and offset (or its Kafka error) in request order.
 * Extensions users asked for (§5): optional per-record "timestamp" (ms
 * since the epoch) and "headers" ([{"name","value"(base64)}], as in v3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_kafka.h"
#include "rp_metrics.h"
#include "rp_v2.h"

#define MAX_RECORDS 1000000

/* One record after encoding: its bytes live in the request's buffers. */
typedef struct encoded {
  serde_buf_t key, value;
  bool key_null, value_null;
  int32_t partition;
  int64_t timestamp_ms;
  rd_kafka_headers_t *headers;
} encoded_t;

typedef struct produce_req {
  rp_call_t *c;
  const char *topic;
  int32_t partitions;  /* of the topic */
  int32_t path_partition; /* -1 on the topic path */
  rp_format_t fmt;
  rp_schema_ref_t key_schema, value_schema;
  bool has_key_schema, has_value_schema;
  size_t n;
  encoded_t *recs;
} produce_req_t;

static void req_fini(produce_req_t *r) {
  for (size_t i = 0; r->recs && i < r->n; i++) {
    serde_buf_fini(&r->recs[i].key);
    serde_buf_fini(&r->recs[i].value);
    if (r->recs[i].headers) rd_kafka_headers_destroy(r->recs[i].headers);
  }
  free(r->recs);
  rp_schema_ref_fini(&r->key_schema);
  rp_schema_ref_fini(&r->value_schema);
}

/* Reads key_schema(_id) or value_schema(_id) and resolves it. */
static bool resolve_side(produce_req_t *r, serde_side_t side) {
  rp_call_t *c = r->c;
  bool key = side == SERDE_KEY;
  const char *text = NULL;
  int64_t id = -1;
  bool has_text, has_id;
  if (!rp_field_string(c, c->body, key ? "key_schema" : "value_schema", &text, &has_text) ||
      !rp_field_int(c, c->body, key ? "key_schema_id" : "value_schema_id", 0, INT32_MAX, &id, &has_id))
    return false;
  if (!has_text && !has_id) return true;
  rp_schema_sel_t sel = {.schema_text = has_id ? NULL : text, .schema_id = has_id ? id : -1, .schema_version = -1};
  rp_schema_ref_t *out = key ? &r->key_schema : &r->value_schema;
  char msg[768] = "";
  rp_code_t rc = rp_schema_resolve(c->rp, r->fmt, r->topic, side, &sel, out, msg, sizeof msg);
  if (rc != RP_OK) {
    rp_reply_error(c, rc, "%s", msg);
    return false;
  }
  *(key ? &r->has_key_schema : &r->has_value_schema) = true;
  return true;
}

/* Reads the optional "headers" extension into rec->headers. */
static bool read_headers(rp_call_t *c, const json_t *jrec, size_t i, encoded_t *rec) {
  json_t *hs = json_object_get(jrec, "headers");
  if (!hs || json_is_null(hs)) return true;
  if (!json_is_array(hs)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "records[%zu].headers must be an array.", i);
    return false;
  }
  rec->headers = rd_kafka_headers_new(json_array_size(hs));
  serde_buf_t bytes = {0};
  size_t h;
  json_t *hv;
  json_array_foreach(hs, h, hv) {
    json_t *name = json_object_get(hv, "name"), *value = json_object_get(hv, "value");
    bool null_value = !value || json_is_null(value);
    bool is_null = true;
    char msg[128];
    if (!json_is_string(name) ||
        (!null_value && rp_encode(c->rp, RP_FMT_BINARY, NULL, value, &bytes, &is_null, msg, sizeof msg) != RP_OK)) {
      serde_buf_fini(&bytes);
      rp_reply_error(c, RP_ERR_UNPROCESSABLE,
                     "records[%zu].headers[%zu] must be {\"name\": string, \"value\": base64 string or null}.", i, h);
      return false;
    }
    rd_kafka_header_add(rec->headers, json_string_value(name), (ssize_t)json_string_length(name),
                        null_value ? NULL : bytes.data, null_value ? 0 : (ssize_t)bytes.len);
  }
  serde_buf_fini(&bytes);
  return true;
}

/* Encodes one side of record i. */
static bool encode_side(produce_req_t *r, size_t i, const json_t *jrec, serde_side_t side) {
  rp_call_t *c = r->c;
  bool key = side == SERDE_KEY;
  encoded_t *rec = &r->recs[i];
  const json_t *data = json_object_get(jrec, key ? "key" : "value");
  bool present = data && !json_is_null(data);
  if (present && rp_format_has_schema(r->fmt) && !(key ? r->has_key_schema : r->has_value_schema)) {
    rp_reply_error(c, key ? RP_ERR_KEY_SCHEMA_MISSING : RP_ERR_VALUE_SCHEMA_MISSING, NULL);
    return false;
  }
  char msg[768] = "";
  rp_code_t rc = rp_encode(c->rp, r->fmt, key ? &r->key_schema : &r->value_schema, data, key ? &rec->key : &rec->value,
                           key ? &rec->key_null : &rec->value_null, msg, sizeof msg);
  if (rc == RP_OK) return true;
  if (rc == RP_ERR_UNPROCESSABLE) rc = RP_ERR_JSON_CONVERSION;
  rp_reply_error(c, rc, "records[%zu].%s: %s", i, key ? "key" : "value", msg);
  return false;
}

static bool encode_record(produce_req_t *r, size_t i, const json_t *jrec) {
  rp_call_t *c = r->c;
  encoded_t *rec = &r->recs[i];
  rec->partition = r->path_partition;
  if (!json_is_object(jrec)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "records[%zu] must be a JSON object.", i);
    return false;
  }
  int64_t v = 0;
  bool has;
  if (!rp_field_int(c, jrec, "partition", 0, INT32_MAX, &v, &has)) return false;
  if (has && r->path_partition < 0) rec->partition = (int32_t)v;
  if (!rp_field_int(c, jrec, "timestamp", 0, INT64_MAX, &v, &has)) return false;
  rec->timestamp_ms = has ? v : 0;
  return read_headers(c, jrec, i, rec) && encode_side(r, i, jrec, SERDE_KEY) && encode_side(r, i, jrec, SERDE_VALUE);
}

static void schema_id(rp_jbuf_t *o, bool has, int32_t id) {
  if (has) {
    rp_jbuf_int(o, id);
  } else {
    rp_jbuf_lit(o, "null");
  }
}

/* The answer, hand-built (it is one object per record): offsets in request
 * order plus the schema ids used. */
static void answer(produce_req_t *r, rp_batch_t *b, const char *ctype) {
  rp_jbuf_t o = {0};
  rp_jbuf_lit(&o, "{\"offsets\":[");
  for (size_t i = 0; i < r->n; i++) {
    const rp_delivery_t *d = rp_batch_result(b, i);
    rp_jbuf_lit(&o, i ? ",{\"partition\":" : "{\"partition\":");
    if (d->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      rp_jbuf_int(&o, d->partition);
      rp_jbuf_lit(&o, ",\"offset\":");
      rp_jbuf_int(&o, d->offset);
      rp_jbuf_lit(&o, ",\"error_code\":null,\"error\":null}");
    } else {
      rp_code_t code = d->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ? RP_ERR_PARTITION_NOT_FOUND
                                                                      : rp_code_from_kafka(d->err);
      const char *why = rd_kafka_err2str(d->err);
      rp_jbuf_lit(&o, "null,\"offset\":null,\"error_code\":");
      rp_jbuf_int(&o, rp_code_error_code(code));
      rp_jbuf_lit(&o, ",\"error\":");
      rp_jbuf_str(&o, why, strlen(why));
      rp_jbuf_lit(&o, "}");
    }
  }
  rp_jbuf_lit(&o, "],\"key_schema_id\":");
  schema_id(&o, r->has_key_schema, r->key_schema.id);
  rp_jbuf_lit(&o, ",\"value_schema_id\":");
  schema_id(&o, r->has_value_schema, r->value_schema.id);
  rp_jbuf_lit(&o, "}");
  size_t len = 0;
  char *text = rp_jbuf_take(&o, &len);
  if (text) {
    rp_reply_raw(r->c, 200, text, len, ctype);
  } else {
    rp_reply_error(r->c, RP_ERR_NOMEM, NULL);
  }
}

static void send_all(produce_req_t *r, const char *ctype) {
  rp_batch_t *b = rp_batch_new(r->c->rp->kafka, r->n);
  if (!b) {
    rp_reply_error(r->c, RP_ERR_NOMEM, NULL);
    return;
  }
  for (size_t i = 0; i < r->n; i++) {
    encoded_t *e = &r->recs[i];
    rp_record_t rec = {
        .topic = r->topic,
        .partition = e->partition,
        .key = e->key_null ? NULL : (e->key.data ? (const void *)e->key.data : ""),
        .key_len = e->key_null ? 0 : e->key.len,
        .value = e->value_null ? NULL : (e->value.data ? (const void *)e->value.data : ""),
        .value_len = e->value_null ? 0 : e->value.len,
        .timestamp_ms = e->timestamp_ms,
        .headers = e->headers,
    };
    e->headers = NULL; /* taken by rp_batch_send */
    rp_batch_send(b, i, &rec);
  }
  rp_batch_wait(b);
  size_t acked = rp_batch_acked(b);
  rp__metrics_produced(RP_API_V2, acked, r->n - acked);
  answer(r, b, ctype);
  rp_batch_free(b);
}

static void produce(rp_call_t *c, int32_t path_partition) {
  produce_req_t r = {.c = c, .topic = c->params[0], .path_partition = path_partition};
  const char *ctype;
  if (!rp_v2_produce_format(c, &r.fmt) || !rp_v2_response_type(c, &ctype) || !rp_call_body(c, true)) return;
  rp_code_t rc = rp_kafka_partitions(c->rp->kafka, r.topic, &r.partitions);
  if (rc != RP_OK) {
    rp_reply_error(c, rc, rc == RP_ERR_TOPIC_NOT_FOUND ? "Topic %s not found." : "Cannot reach Kafka to produce to %s.",
                   r.topic);
    return;
  }
  if (path_partition >= r.partitions) {
    rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, "Partition %d of topic %s not found.", (int)path_partition, r.topic);
    return;
  }
  json_t *records = json_object_get(c->body, "records");
  if (!json_is_array(records) || json_array_size(records) == 0) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, records && !json_is_null(records) && !json_is_array(records)
                                                ? "records must be an array."
                                                : "records may not be empty");
    return;
  }
  r.n = json_array_size(records);
  if (r.n > MAX_RECORDS) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "At most %d records per request.", MAX_RECORDS);
    return;
  }
  r.recs = calloc(r.n, sizeof *r.recs);
  if (!r.recs) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    return;
  }
  bool ok = resolve_side(&r, SERDE_KEY) && resolve_side(&r, SERDE_VALUE);
  for (size_t i = 0; ok && i < r.n; i++) ok = encode_record(&r, i, json_array_get(records, i));
  if (ok) send_all(&r, ctype);
  req_fini(&r);
}

static void h_produce_topic(rp_call_t *c) { produce(c, -1); }

static void h_produce_partition(rp_call_t *c) {
  int64_t p = -1;
  if (http_parse_int64(c->params[1], &p) != HTTP_PARSE_OK || p < 0 || p > INT32_MAX) {
    rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, "Partition %s not found.", c->params[1]);
    return;
  }
  produce(c, (int32_t)p);
}

const rp_route_t rp_v2_produce_routes[] = {
    {"POST", "topics/*", h_produce_topic, false},
    {"POST", "topics/*/partitions/*", h_produce_partition, false},
};
const size_t rp_v2_produce_route_count = sizeof rp_v2_produce_routes / sizeof rp_v2_produce_routes[0];
