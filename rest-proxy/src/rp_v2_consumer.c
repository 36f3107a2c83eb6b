// SPDX-License-Identifier: Apache-2.0
/* v2 consumer control endpoints (rest-proxy.md §1.5) and the route table of
 * /consumers/...: create and delete instances, subscription, manual
 * assignment, seeks (offsets, timestamps, beginning, end), commits (the
 * client names the last record it processed; Kafka gets offset + 1) and
 * committed-offset lookups (GET with a JSON body). Reading records is in
 * rp_v2_consumer_read.c; the instance table in rp_consumers.c. */
#include <ctype.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "http/http_media.h"
#include "rp_consumer.h"
#include "rp_kafka.h"

/* Most partitions named in one control call. */
#define RP_MAX_CALL_PARTITIONS 10000
#define RP_ILLEGAL_MUTEX \
  "Illegal state: Subscription to topics, partitions and pattern are mutually exclusive"

/* ---- media types ------------------------------------------------------------- */

/* Control calls take vnd.kafka.v2+json; application/json and the embedded
 * v2 types are accepted too (clients reuse one Content-Type for all calls).
 * A missing Content-Type is fine. */
static bool content_type_ok(rp_call_t *c) {
  static const char *const types[] = {
      RP_MT_V2,      RP_MT_JSON,          RP_MT_BINARY_V2,   RP_MT_JSON_V2,
      RP_MT_AVRO_V2, RP_MT_JSONSCHEMA_V2, RP_MT_PROTOBUF_V2, "application/vnd.kafka+json"};
  const char *ct = http_request_header(c->req, "Content-Type");
  if (!ct || !*ct || c->req->body_len == 0) return true;
  if (http_media_match(ct, types, sizeof types / sizeof types[0]) >= 0) return true;
  rp_reply_error(c, RP_ERR_UNSUPPORTED_MEDIA, NULL);
  return false;
}

/* vnd.kafka.v2+json unless the client prefers plain application/json. */
static const char *reply_type(const rp_call_t *c) {
  static const http_produce_t types[] = {{RP_MT_V2, 1.0}, {RP_MT_JSON, 0.5}};
  int i = http_media_negotiate(http_request_header(c->req, "Accept"), types, 2);
  return i == 1 ? RP_MT_JSON : RP_MT_V2;
}

static void reply_json(rp_call_t *c, json_t *body) {
  if (!body) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    return;
  }
  rp_reply_json(c, 200, body, reply_type(c));
}

/* {key: arr} (arr taken; NULL after an allocation failure). */
static void reply_wrapped(rp_call_t *c, const char *key, json_t *arr) {
  reply_json(c, arr ? json_pack("{s:o}", key, arr) : NULL);
}

/* Body of a control call: required (42206 when empty) unless optional. */
static bool read_body(rp_call_t *c, bool required) {
  return content_type_ok(c) && rp_call_body(c, required);
}

/* ---- request decoding --------------------------------------------------------- */

/* A JSON integer or a decimal string (Jackson coerces both). */
static bool field_intish(rp_call_t *c, const json_t *obj, const char *name, int64_t *out, bool *present) {
  const json_t *v = json_object_get(obj, name);
  *present = v && !json_is_null(v);
  if (!*present) return true;
  if (json_is_integer(v)) {
    *out = json_integer_value(v);
    return true;
  }
  if (json_is_string(v) && http_parse_int64(json_string_value(v), out) == HTTP_PARSE_OK) return true;
  rp_reply_error(c, RP_ERR_UNPROCESSABLE, "%s must be an integer", name);
  return false;
}

/* "true"/"false" in any case, or a JSON boolean. */
static bool field_boolish(rp_call_t *c, const json_t *obj, const char *name, bool *out) {
  const json_t *v = json_object_get(obj, name);
  if (!v || json_is_null(v)) return true;
  if (json_is_boolean(v)) {
    *out = json_is_true(v);
    return true;
  }
  if (json_is_string(v) && strcasecmp(json_string_value(v), "true") == 0) {
    *out = true;
    return true;
  }
  if (json_is_string(v) && strcasecmp(json_string_value(v), "false") == 0) {
    *out = false;
    return true;
  }
  rp_reply_error(c, RP_ERR_CONSUMER_CONFIG, "Invalid value for configuration %s: must be true or false",
                 name);
  return false;
}

static bool name_valid(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > RP_CONSUMER_NAME_MAX) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return false;
  return true;
}

/* ISO-8601 instant ("2024-01-31T12:00:00.250Z", "...+01:00") -> ms since
 * the epoch. */
static bool parse_instant(const char *s, int64_t *ms) {
  struct tm tm = {0};
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
             &tm.tm_min, &tm.tm_sec, &n) != 6 ||
      n != 19)
    return false;
  int year = tm.tm_year, mon = tm.tm_mon, day = tm.tm_mday;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return false;
  const char *p = s + n;
  int64_t frac = 0;
  if (*p == '.') {
    int digits = 0;
    for (p++; isdigit((unsigned char)*p); p++, digits++)
      if (digits < 3) frac = frac * 10 + (*p - '0');
    if (digits == 0 || digits > 9) return false;
    for (; digits < 3; digits++) frac *= 10;
  }
  int64_t offset_s = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int hh = 0, mm = 0;
    int sign = *p == '-' ? -1 : 1;
    if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return false;
    hh = (p[1] - '0') * 10 + (p[2] - '0');
    p += 3;
    if (*p == ':') p++;
    if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
      mm = (p[0] - '0') * 10 + (p[1] - '0');
      p += 2;
    }
    if (hh > 18 || mm > 59) return false;
    offset_s = sign * (hh * 3600 + mm * 60);
  } else {
    return false;
  }
  if (*p) return false;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  time_t t = timegm(&tm);
  if (tm.tm_mday != day) return false; /* 31 February normalised away */
  *ms = ((int64_t)t - offset_s) * 1000 + frac;
  return *ms >= 0;
}

typedef enum { TP_PLAIN, TP_OFFSET, TP_TIMESTAMP } tp_kind_t;

/* One element {topic, partition[, offset | timestamp][, metadata]} of
 * body[key][i] into list (later duplicates win). */
static bool parse_tp(rp_call_t *c, const json_t *e, tp_kind_t kind, rd_kafka_topic_partition_list_t *list) {
  const char *topic = NULL, *meta = NULL;
  int64_t part = 0, off = RD_KAFKA_OFFSET_INVALID;
  bool has_topic = false, has_part = false, has_off = false, has_meta = false;
  if (!json_is_object(e)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "each entry must be an object with topic and partition");
    return false;
  }
  if (!rp_field_string(c, e, "topic", &topic, &has_topic) ||
      !rp_field_int(c, e, "partition", 0, INT32_MAX, &part, &has_part))
    return false;
  if (!has_topic || !has_part) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "each entry needs a topic and a partition");
    return false;
  }
  if (!rp_topic_name_valid(topic)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "invalid topic name");
    return false;
  }
  if (kind == TP_OFFSET) {
    if (!rp_field_int(c, e, "offset", 0, INT64_MAX - 1, &off, &has_off) ||
        !rp_field_string(c, e, "metadata", &meta, &has_meta))
      return false;
  } else if (kind == TP_TIMESTAMP) {
    const json_t *ts = json_object_get(e, "timestamp");
    has_off = ts && !json_is_null(ts);
    if (json_is_integer(ts) && json_integer_value(ts) >= 0) {
      off = json_integer_value(ts);
    } else if (has_off && (!json_is_string(ts) || !parse_instant(json_string_value(ts), &off))) {
      rp_reply_error(c, RP_ERR_UNPROCESSABLE,
                     "timestamp must be an ISO-8601 instant such as 2024-01-31T12:00:00.000Z");
      return false;
    }
  }
  if (kind != TP_PLAIN && !has_off) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "each entry needs %s",
                   kind == TP_OFFSET ? "an offset" : "a timestamp");
    return false;
  }
  rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_find(list, topic, (int32_t)part);
  if (!tp) tp = rd_kafka_topic_partition_list_add(list, topic, (int32_t)part);
  tp->offset = off;
  if (has_meta) {
    free(tp->metadata);
    tp->metadata_size = strlen(meta);
    tp->metadata = malloc(tp->metadata_size + 1);
    if (!tp->metadata) {
      tp->metadata_size = 0;
      rp_reply_error(c, RP_ERR_NOMEM, NULL);
      return false;
    }
    memcpy(tp->metadata, meta, tp->metadata_size + 1);
  }
  return true;
}

/* body[key] as a partition list. Absent: 422 when required, else *out NULL. */
static bool parse_tp_array(rp_call_t *c, const char *key, tp_kind_t kind, bool required,
                           rd_kafka_topic_partition_list_t **out) {
  *out = NULL;
  const json_t *arr = c->body ? json_object_get(c->body, key) : NULL;
  if (!arr || json_is_null(arr)) {
    if (required) rp_reply_error(c, RP_ERR_UNPROCESSABLE, "%s is required", key);
    return !required;
  }
  if (!json_is_array(arr) || json_array_size(arr) > RP_MAX_CALL_PARTITIONS) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "%s must be an array of at most %d entries", key,
                   RP_MAX_CALL_PARTITIONS);
    return false;
  }
  rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)json_array_size(arr));
  size_t i;
  const json_t *e;
  json_array_foreach(arr, i, e) {
    if (!parse_tp(c, e, kind, list)) {
      rd_kafka_topic_partition_list_destroy(list);
      return false;
    }
  }
  *out = list;
  return true;
}

/* 40401 / 40402 unless every partition of list exists. */
static bool check_exist(rp_call_t *c, const rd_kafka_topic_partition_list_t *list) {
  for (int i = 0; i < list->cnt; i++) {
    int32_t count = 0;
    rp_code_t code = rp_kafka_partitions(c->rp->kafka, list->elems[i].topic, &count);
    if (code != RP_OK) {
      rp_reply_error(c, code,
                     code == RP_ERR_TOPIC_NOT_FOUND ? "Topic %s not found." : "Topic %s: Kafka unavailable.",
                     list->elems[i].topic);
      return false;
    }
    if (list->elems[i].partition >= count) {
      rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, "Partition %" PRId32 " of topic %s not found.",
                     list->elems[i].partition, list->elems[i].topic);
      return false;
    }
  }
  return true;
}

/* 40903 unless every partition of list is currently assigned to inst. */
static bool check_assigned(rp_call_t *c, rp_consumer_t *inst, const rd_kafka_topic_partition_list_t *list) {
  rd_kafka_topic_partition_list_t *cur = NULL;
  rd_kafka_resp_err_t err = rd_kafka_assignment(inst->rk, &cur);
  if (err) {
    rp_reply_error(c, rp_code_from_kafka(err), "%s", rd_kafka_err2str(err));
    return false;
  }
  bool ok = true;
  for (int i = 0; ok && i < list->cnt; i++) {
    if (rd_kafka_topic_partition_list_find(cur, list->elems[i].topic, list->elems[i].partition)) continue;
    rp_reply_error(c, RP_ERR_ILLEGAL_STATE, "Illegal state: No current assignment for partition %s-%" PRId32,
                   list->elems[i].topic, list->elems[i].partition);
    ok = false;
  }
  rd_kafka_topic_partition_list_destroy(cur);
  return ok;
}

/* The first partition error of list (after a librdkafka call), replied. */
static bool check_partition_errors(rp_call_t *c, const rd_kafka_topic_partition_list_t *list) {
  for (int i = 0; i < list->cnt; i++) {
    const rd_kafka_topic_partition_t *tp = &list->elems[i];
    if (!tp->err) continue;
    rp_reply_error(c, rp_code_from_kafka(tp->err), "%s-%" PRId32 ": %s", tp->topic, tp->partition,
                   rd_kafka_err2str(tp->err));
    return false;
  }
  return true;
}

/* ---- create / delete ------------------------------------------------------------ */

/* A v4 UUID text in out[37]. */
static void uuid_text(char out[37]) {
  unsigned char b[16] = {0};
  if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
    uint64_t x = (uint64_t)rp_now_ms() ^ ((uint64_t)(uintptr_t)out << 16) ^ (uint64_t)time(NULL);
    for (size_t i = 0; i < sizeof b; i++, x = x * 6364136223846793005ull + 1442695040888963407ull)
      b[i] = (unsigned char)(x >> 56);
  }
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
           b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Percent-encodes one path segment onto out. */
static bool append_segment(char *out, size_t size, const char *seg) {
  size_t n = strlen(out);
  for (const unsigned char *p = (const unsigned char *)seg; *p; p++) {
    if (n + 4 > size) return false;
    if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~')
      out[n++] = (char)*p;
    else
      n += (size_t)snprintf(out + n, 4, "%%%02X", *p);
  }
  out[n] = '\0';
  return true;
}

/* auto.offset.reset in Confluent's and Kafka's spellings -> librdkafka's. */
static bool offset_reset_value(const char *s, const char **out) {
  static const char *const map[][2] = {{"earliest", "earliest"},
                                       {"smallest", "earliest"},
                                       {"latest", "latest"},
                                       {"largest", "latest"},
                                       {"none", "error"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strcasecmp(s, map[i][0]) == 0) {
      *out = map[i][1];
      return true;
    }
  }
  return false;
}

/* An int option under its Confluent name or its legacy alias, range-checked
 * (40001). */
static bool option_int(rp_call_t *c, const char *name, const char *alias, int64_t min, int64_t max,
                       int *out) {
  int64_t v = 0;
  bool present = false;
  if (!field_intish(c, c->body, name, &v, &present)) return false;
  if (!present && !field_intish(c, c->body, alias, &v, &present)) return false;
  if (!present) return true;
  if (v < min || v > max) {
    rp_reply_error(c, RP_ERR_CONSUMER_CONFIG_RANGE, "%s must be between %" PRId64 " and %" PRId64, name, min,
                   max);
    return false;
  }
  *out = (int)v;
  return true;
}

/* Reads the creation body into o; name written to name_buf when generated. */
static bool parse_create(rp_call_t *c, rp_consumer_opts_t *o, char *name_buf, size_t name_size) {
  const char *name = NULL, *id = NULL, *format = NULL, *reset = NULL;
  bool has = false;
  if (c->body) {
    if (!rp_field_string(c, c->body, "name", &name, &has) || !rp_field_string(c, c->body, "id", &id, &has) ||
        !rp_field_string(c, c->body, "format", &format, &has) ||
        !rp_field_string(c, c->body, "auto.offset.reset", &reset, &has) ||
        !field_boolish(c, c->body, "auto.commit.enable", &o->auto_commit) ||
        !option_int(c, "fetch.min.bytes", "responseMinBytes", -1, RP_FETCH_MIN_BYTES_MAX,
                    &o->fetch_min_bytes) ||
        !option_int(c, "consumer.request.timeout.ms", "requestWaitMs", 0, RP_REQUEST_TIMEOUT_MAX_MS,
                    &o->request_timeout_ms))
      return false;
  }
  if (id) name = id; /* deprecated `id` overrides `name` */
  if (format && (!rp_format_parse(format, &o->format) || o->format == RP_FMT_STRING)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Invalid format type.");
    return false;
  }
  if (reset && !offset_reset_value(reset, &o->auto_offset_reset)) {
    rp_reply_error(c, RP_ERR_CONSUMER_CONFIG,
                   "Invalid value %s for configuration auto.offset.reset: must be earliest, latest or none",
                   reset);
    return false;
  }
  if (name && !name_valid(name)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE,
                   "Invalid consumer instance name: 1 to %d characters, no control characters",
                   RP_CONSUMER_NAME_MAX);
    return false;
  }
  if (!name) {
    char uuid[37];
    uuid_text(uuid);
    const char *node = c->rp->cfg.id ? c->rp->cfg.id : "";
    snprintf(name_buf, name_size, "rest-consumer-%s%s%s", node, *node ? "-" : "", uuid);
    name = name_buf;
  }
  o->name = name;
  return true;
}

static void reply_created(rp_call_t *c, const char *group, const char *name) {
  char uri[2048];
  if (!rp_base_url(c, uri, sizeof uri) || strlen(uri) + sizeof "/consumers/" > sizeof uri) goto too_long;
  strcat(uri, "/consumers/");
  if (!append_segment(uri, sizeof uri, group) || strlen(uri) + sizeof "/instances/" > sizeof uri)
    goto too_long;
  strcat(uri, "/instances/");
  if (!append_segment(uri, sizeof uri, name)) goto too_long;
  reply_json(c, json_pack("{s:s, s:s}", "instance_id", name, "base_uri", uri));
  return;
too_long:
  rp_reply_error(c, RP_ERR_INTERNAL, "base_uri too long");
}

/* POST /consumers/{group} */
static void h_create(rp_call_t *c) {
  if (!read_body(c, false)) return;
  const char *group = c->params[0];
  if (!name_valid(group)) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "Invalid consumer group name: 1 to %d characters",
                   RP_CONSUMER_NAME_MAX);
    return;
  }
  rp_consumer_opts_t o = {.group = group,
                          .format = RP_FMT_BINARY,
                          .auto_commit = true,
                          .fetch_min_bytes = c->rp->cfg.fetch_min_bytes,
                          .request_timeout_ms = c->rp->cfg.consumer_request_timeout_ms};
  char name_buf[RP_CONSUMER_NAME_MAX + 64];
  if (!parse_create(c, &o, name_buf, sizeof name_buf)) return;
  if (rp__consumers_exists(c->rp->consumers, group, o.name)) {
    rp_reply_error(c, RP_ERR_CONSUMER_EXISTS, NULL);
    return;
  }
  char msg[512] = "";
  rp_consumer_t *inst = NULL;
  rp_code_t code = rp__consumer_new(c->rp, &o, &inst, msg, sizeof msg);
  if (code != RP_OK) {
    rp_reply_error(c, code, "%s", *msg ? msg : rp_code_message(code));
    return;
  }
  rp_insert_t ins = rp__consumers_insert(c->rp->consumers, inst);
  if (ins != RP_INSERT_OK) {
    rp__consumer_free(inst);
    if (ins == RP_INSERT_EXISTS)
      rp_reply_error(c, RP_ERR_CONSUMER_EXISTS, NULL);
    else
      rp_reply_status(c, 429, 429, "Too many consumer instances on this proxy; delete unused ones");
    return;
  }
  reply_created(c, group, o.name);
}

/* DELETE /consumers/{group}/instances/{name} */
static void h_delete(rp_call_t *c) {
  if (rp__consumers_remove(c->rp->consumers, c->params[0], c->params[1]))
    rp_reply_no_content(c);
  else
    rp_reply_error(c, RP_ERR_CONSUMER_NOT_FOUND, NULL);
}

/* ---- subscription ---------------------------------------------------------------- */

/* A Java-style full-match pattern as a librdkafka regex subscription. */
static bool pattern_topic(rp_call_t *c, const char *pat, char *out, size_t size) {
  size_t n = strlen(pat);
  regex_t re;
  if (n == 0 || n + 8 > size || regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) != 0) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "topic_pattern is not a valid regular expression");
    return false;
  }
  regfree(&re);
  const char *body = pat;
  if (*body == '^') body++, n--;
  if (n > 0 && body[n - 1] == '$' && (n < 2 || body[n - 2] != '\\')) n--;
  snprintf(out, size, "^(%.*s)$", (int)n, body);
  return true;
}

static rd_kafka_topic_partition_list_t *subscription_list(rp_call_t *c, rp_consumer_mode_t *mode) {
  const json_t *topics = json_object_get(c->body, "topics");
  const char *pat = NULL;
  bool has_pat = false;
  if (!rp_field_string(c, c->body, "topic_pattern", &pat, &has_pat)) return NULL;
  bool has_topics = topics && !json_is_null(topics);
  if (has_topics == has_pat) {
    rp_reply_error(
        c, RP_ERR_UNPROCESSABLE,
        has_pat ? "topics and topic_pattern are mutually exclusive" : "topics or topic_pattern is required");
    return NULL;
  }
  rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
  if (has_pat) {
    char regex[1024];
    if (!pattern_topic(c, pat, regex, sizeof regex)) goto fail;
    rd_kafka_topic_partition_list_add(list, regex, RD_KAFKA_PARTITION_UA);
    *mode = RP_CONSUMER_PATTERN;
    return list;
  }
  if (!json_is_array(topics) || json_array_size(topics) > RP_MAX_CALL_PARTITIONS) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "topics must be an array of topic names");
    goto fail;
  }
  size_t i;
  const json_t *t;
  json_array_foreach(topics, i, t) {
    if (!json_is_string(t) || !rp_topic_name_valid(json_string_value(t))) {
      rp_reply_error(c, RP_ERR_UNPROCESSABLE, "topics[%zu] is not a valid topic name", i);
      goto fail;
    }
    if (!rd_kafka_topic_partition_list_find(list, json_string_value(t), RD_KAFKA_PARTITION_UA))
      rd_kafka_topic_partition_list_add(list, json_string_value(t), RD_KAFKA_PARTITION_UA);
  }
  *mode = list->cnt ? RP_CONSUMER_SUBSCRIBED : RP_CONSUMER_IDLE;
  return list;
fail:
  rd_kafka_topic_partition_list_destroy(list);
  return NULL;
}

/* POST .../subscription: {"topics":[...]} or {"topic_pattern":"re"}. */
static void h_subscribe(rp_call_t *c) {
  if (!read_body(c, true)) return;
  rp_consumer_mode_t mode = RP_CONSUMER_IDLE;
  rd_kafka_topic_partition_list_t *list = subscription_list(c, &mode);
  if (!list) return;
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) goto out;
  if (inst->mode == RP_CONSUMER_ASSIGNED) {
    rp_reply_error(c, RP_ERR_ILLEGAL_STATE, RP_ILLEGAL_MUTEX);
    goto out;
  }
  /* Java's subscribe(empty) is unsubscribe(). */
  rd_kafka_resp_err_t err = list->cnt ? rd_kafka_subscribe(inst->rk, list) : rd_kafka_unsubscribe(inst->rk);
  if (err) {
    rp_reply_error(c, rp_code_from_kafka(err), "subscribe: %s", rd_kafka_err2str(err));
    goto out;
  }
  rp__consumer_drop_pending(inst, NULL, 0);
  inst->mode = mode;
  rp_reply_no_content(c);
out:
  rd_kafka_topic_partition_list_destroy(list); /* first: it may pin partitions of inst->rk */
  rp__consumer_release(c, inst);
}

/* Topics of a list, each once, as a JSON array. */
static json_t *topic_names(const rd_kafka_topic_partition_list_t *list) {
  json_t *arr = json_array();
  for (int i = 0; arr && list && i < list->cnt; i++) {
    bool seen = false;
    for (int j = 0; j < i && !seen; j++) seen = strcmp(list->elems[j].topic, list->elems[i].topic) == 0;
    if (!seen && json_array_append_new(arr, json_string(list->elems[i].topic)) != 0) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* GET .../subscription: the subscribed topics; for a pattern, the topics it
 * currently matched into the assignment. */
static void h_subscription(rp_call_t *c) {
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) return;
  rd_kafka_topic_partition_list_t *list = NULL;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (inst->mode == RP_CONSUMER_SUBSCRIBED)
    err = rd_kafka_subscription(inst->rk, &list);
  else if (inst->mode == RP_CONSUMER_PATTERN)
    err = rd_kafka_assignment(inst->rk, &list);
  if (err)
    rp_reply_error(c, rp_code_from_kafka(err), "%s", rd_kafka_err2str(err));
  else
    reply_wrapped(c, "topics", topic_names(list));
  if (list) rd_kafka_topic_partition_list_destroy(list);
  rp__consumer_release(c, inst);
}

/* DELETE .../subscription (also drops a manual assignment, as Java's
 * unsubscribe does). */
static void h_unsubscribe(rp_call_t *c) {
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) return;
  rd_kafka_resp_err_t err =
      inst->mode == RP_CONSUMER_ASSIGNED ? rd_kafka_assign(inst->rk, NULL) : rd_kafka_unsubscribe(inst->rk);
  if (err) {
    rp_reply_error(c, rp_code_from_kafka(err), "unsubscribe: %s", rd_kafka_err2str(err));
  } else {
    rp__consumer_drop_pending(inst, NULL, 0);
    inst->mode = RP_CONSUMER_IDLE;
    rp_reply_no_content(c);
  }
  rp__consumer_release(c, inst);
}

/* ---- assignments ------------------------------------------------------------------- */

static json_t *partitions_json(const rd_kafka_topic_partition_list_t *list) {
  json_t *arr = json_array();
  for (int i = 0; arr && list && i < list->cnt; i++) {
    json_t *e = json_pack("{s:s, s:i}", "topic", list->elems[i].topic, "partition",
                          (json_int_t)list->elems[i].partition);
    if (json_array_append_new(arr, e) != 0) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* POST .../assignments {"partitions":[...]}: manual assignment starting at
 * the committed offsets (else auto.offset.reset). */
static void h_assign(rp_call_t *c) {
  rd_kafka_topic_partition_list_t *list = NULL;
  if (!read_body(c, true) || !parse_tp_array(c, "partitions", TP_PLAIN, true, &list) || !check_exist(c, list))
    goto out0;
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) goto out0;
  if (inst->mode == RP_CONSUMER_SUBSCRIBED || inst->mode == RP_CONSUMER_PATTERN) {
    rp_reply_error(c, RP_ERR_ILLEGAL_STATE, RP_ILLEGAL_MUTEX);
  } else {
    rd_kafka_resp_err_t err = rd_kafka_assign(inst->rk, list->cnt ? list : NULL);
    if (err) {
      rp_reply_error(c, rp_code_from_kafka(err), "assign: %s", rd_kafka_err2str(err));
    } else {
      rp__consumer_drop_pending(inst, NULL, 0);
      inst->mode = list->cnt ? RP_CONSUMER_ASSIGNED : RP_CONSUMER_IDLE;
      rp_reply_no_content(c);
    }
  }
  rd_kafka_topic_partition_list_destroy(list); /* first: it may pin partitions of inst->rk */
  list = NULL;
  rp__consumer_release(c, inst);
out0:
  if (list) rd_kafka_topic_partition_list_destroy(list);
}

/* GET .../assignments: manual or group-given partitions. */
static void h_assignments(rp_call_t *c) {
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) return;
  rd_kafka_topic_partition_list_t *list = NULL;
  rd_kafka_resp_err_t err = rd_kafka_assignment(inst->rk, &list);
  if (err)
    rp_reply_error(c, rp_code_from_kafka(err), "%s", rd_kafka_err2str(err));
  else
    reply_wrapped(c, "partitions", partitions_json(list));
  if (list) rd_kafka_topic_partition_list_destroy(list);
  rp__consumer_release(c, inst);
}

/* ---- positions -------------------------------------------------------------------- */

/* The timeout argument of rd_kafka_seek_partitions: librdkafka before 2.1.0
 * (Debian ships 2.0.2) waits that many microseconds instead of ms (#4230),
 * which times seeks out after 10 ms under load. */
static int seek_timeout_arg(int ms) {
  return rd_kafka_version() < 0x02010000 ? ms * 1000 : ms;
}

/* Seeks every partition of list to its .offset (absolute or logical). A
 * partition assigned a moment ago may not have started fetching yet
 * (librdkafka answers __STATE); that is retried for a bounded time. */
static bool seek_all(rp_call_t *c, rp_consumer_t *inst, rd_kafka_topic_partition_list_t *list) {
  int64_t deadline = rp_now_ms() + RP_KAFKA_TIMEOUT_MS;
  for (;;) {
    for (int i = 0; i < list->cnt; i++) list->elems[i].err = RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_error_t *e = rd_kafka_seek_partitions(inst->rk, list, seek_timeout_arg(RP_KAFKA_TIMEOUT_MS));
    if (e) {
      rp_reply_error(c, rp_code_from_kafka(rd_kafka_error_code(e)), "seek: %s", rd_kafka_error_string(e));
      rd_kafka_error_destroy(e);
      return false;
    }
    bool retry = false;
    for (int i = 0; i < list->cnt; i++) retry |= list->elems[i].err == RD_KAFKA_RESP_ERR__STATE;
    if (!retry || rp_now_ms() >= deadline) break;
    struct timespec ts = {0, 20 * 1000000};
    nanosleep(&ts, NULL);
  }
  for (int i = 0; i < list->cnt; i++)
    rp__consumer_drop_pending(inst, list->elems[i].topic, list->elems[i].partition);
  return check_partition_errors(c, list);
}

/* Turns timestamps (ms) into offsets: the first record at or after each;
 * none -> the end of the partition. */
static bool resolve_times(rp_call_t *c, rp_consumer_t *inst, rd_kafka_topic_partition_list_t *list) {
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(inst->rk, list, RP_KAFKA_TIMEOUT_MS);
  if (err) {
    rp_reply_error(c, rp_code_from_kafka(err), "offsets for times: %s", rd_kafka_err2str(err));
    return false;
  }
  for (int i = 0; i < list->cnt; i++)
    if (list->elems[i].offset < 0) list->elems[i].offset = RD_KAFKA_OFFSET_END;
  return check_partition_errors(c, list);
}

/* POST .../positions {"offsets":[...]} and/or {"timestamps":[...]}. */
static void h_seek(rp_call_t *c) {
  rd_kafka_topic_partition_list_t *offs = NULL, *times = NULL;
  rp_consumer_t *inst = NULL;
  if (!read_body(c, true) || !parse_tp_array(c, "offsets", TP_OFFSET, false, &offs) ||
      !parse_tp_array(c, "timestamps", TP_TIMESTAMP, false, &times))
    goto out;
  if (!offs && !times) {
    rp_reply_error(c, RP_ERR_UNPROCESSABLE, "offsets or timestamps is required");
    goto out;
  }
  if (!(inst = rp__consumer_acquire(c))) goto out;
  if ((offs && !check_assigned(c, inst, offs)) || (times && !check_assigned(c, inst, times))) goto out;
  if (times && !resolve_times(c, inst, times)) goto out;
  if (!offs) offs = rd_kafka_topic_partition_list_new(times->cnt);
  for (int i = 0; times && i < times->cnt; i++) {
    rd_kafka_topic_partition_t *t = &times->elems[i];
    rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_find(offs, t->topic, t->partition);
    if (!tp) tp = rd_kafka_topic_partition_list_add(offs, t->topic, t->partition);
    tp->offset = t->offset;
  }
  if (seek_all(c, inst, offs)) rp_reply_no_content(c);
out:
  if (offs) rd_kafka_topic_partition_list_destroy(offs); /* first: they may pin partitions of inst->rk */
  if (times) rd_kafka_topic_partition_list_destroy(times);
  rp__consumer_release(c, inst);
}

static void seek_logical(rp_call_t *c, int64_t where) {
  rd_kafka_topic_partition_list_t *list = NULL;
  rp_consumer_t *inst = NULL;
  if (!read_body(c, true) || !parse_tp_array(c, "partitions", TP_PLAIN, true, &list)) goto out;
  if (!(inst = rp__consumer_acquire(c)) || !check_assigned(c, inst, list)) goto out;
  for (int i = 0; i < list->cnt; i++) list->elems[i].offset = where;
  if (seek_all(c, inst, list)) rp_reply_no_content(c);
out:
  if (list) rd_kafka_topic_partition_list_destroy(list); /* first: it may pin partitions of inst->rk */
  rp__consumer_release(c, inst);
}

/* POST .../positions/beginning and .../positions/end {"partitions":[...]} */
static void h_seek_beginning(rp_call_t *c) {
  seek_logical(c, RD_KAFKA_OFFSET_BEGINNING);
}
static void h_seek_end(rp_call_t *c) {
  seek_logical(c, RD_KAFKA_OFFSET_END);
}

/* ---- offsets ------------------------------------------------------------------------ */

/* Commits what the client was given (offsets stored by reads). */
static bool commit_consumed(rp_call_t *c, rp_consumer_t *inst) {
  rd_kafka_resp_err_t err = rd_kafka_commit(inst->rk, NULL, 0);
  if (!err || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return true;
  rp_reply_error(c, rp_code_from_kafka(err), "commit: %s", rd_kafka_err2str(err));
  return false;
}

/* POST .../offsets: no body (or no "offsets") commits everything consumed;
 * {"offsets":[{topic,partition,offset,metadata?}]} commits offset + 1. */
static void h_commit(rp_call_t *c) {
  rd_kafka_topic_partition_list_t *list = NULL;
  rp_consumer_t *inst = NULL;
  if (!read_body(c, false) || !parse_tp_array(c, "offsets", TP_OFFSET, false, &list)) goto out;
  if (list && !check_exist(c, list)) goto out;
  if (!(inst = rp__consumer_acquire(c))) goto out;
  if (!list) {
    if (!commit_consumed(c, inst)) goto out;
  } else if (list->cnt > 0) {
    for (int i = 0; i < list->cnt; i++) list->elems[i].offset++; /* the next record to read */
    rd_kafka_resp_err_t err = rd_kafka_commit(inst->rk, list, 0);
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      rp_reply_error(c, rp_code_from_kafka(err), "commit: %s", rd_kafka_err2str(err));
      goto out;
    }
    if (!check_partition_errors(c, list)) goto out;
  }
  reply_json(c, json_array());
out:
  if (list) rd_kafka_topic_partition_list_destroy(list); /* first: it may pin partitions of inst->rk */
  rp__consumer_release(c, inst);
}

static json_t *committed_json(const rd_kafka_topic_partition_list_t *list) {
  json_t *arr = json_array();
  for (int i = 0; arr && i < list->cnt; i++) {
    const rd_kafka_topic_partition_t *tp = &list->elems[i];
    if (tp->err || tp->offset < 0) continue; /* nothing committed */
    json_t *meta = tp->metadata ? json_stringn(tp->metadata, tp->metadata_size) : NULL;
    json_t *e = json_pack("{s:s, s:i, s:I, s:o}", "topic", tp->topic, "partition", (json_int_t)tp->partition,
                          "offset", (json_int_t)tp->offset, "metadata", meta ? meta : json_string(""));
    if (json_array_append_new(arr, e) != 0) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

/* GET .../offsets with body {"partitions":[...]}: the committed offsets
 * (the next record to read); partitions without a commit are left out. No
 * body -> 40402 as Confluent. */
static void h_committed(rp_call_t *c) {
  rd_kafka_topic_partition_list_t *list = NULL;
  rp_consumer_t *inst = NULL;
  if (!read_body(c, false)) return;
  if (!c->body) {
    rp_reply_error(c, RP_ERR_PARTITION_NOT_FOUND, NULL);
    return;
  }
  if (!parse_tp_array(c, "partitions", TP_PLAIN, true, &list)) return;
  if (!(inst = rp__consumer_acquire(c))) goto out;
  rd_kafka_resp_err_t err = list->cnt ? rd_kafka_committed(inst->rk, list, RP_KAFKA_TIMEOUT_MS) : 0;
  if (err)
    rp_reply_error(c, rp_code_from_kafka(err), "committed offsets: %s", rd_kafka_err2str(err));
  else
    reply_wrapped(c, "offsets", committed_json(list));
out:
  rd_kafka_topic_partition_list_destroy(list); /* first: it may pin partitions of inst->rk */
  rp__consumer_release(c, inst);
}

/* ---- routes ---------------------------------------------------------------------------- */

#define RP_INST "consumers/*/instances/*"

const rp_route_t rp_v2_consumer_routes[] = {
    {"POST", "consumers/*", h_create, false},
    {"DELETE", RP_INST, h_delete, false},
    {"POST", RP_INST "/subscription", h_subscribe, false},
    {"GET", RP_INST "/subscription", h_subscription, false},
    {"DELETE", RP_INST "/subscription", h_unsubscribe, false},
    {"POST", RP_INST "/assignments", h_assign, false},
    {"GET", RP_INST "/assignments", h_assignments, false},
    {"POST", RP_INST "/positions", h_seek, false},
    {"POST", RP_INST "/positions/beginning", h_seek_beginning, false},
    {"POST", RP_INST "/positions/end", h_seek_end, false},
    {"POST", RP_INST "/offsets", h_commit, false},
    {"GET", RP_INST "/offsets", h_committed, false},
    {"GET", RP_INST "/records", rp__v2_consumer_read, false},
};
const size_t rp_v2_consumer_route_count = sizeof rp_v2_consumer_routes / sizeof rp_v2_consumer_routes[0];
