// SPDX-License-Identifier: Apache-2.0
/* GET /consumers/{group}/instances/{name}/records (rest-proxy.md §1.5):
 * content negotiation against the instance's format, then one bounded read.
 *
 * Deliberately better than Confluent, which waits out the whole timeout
 * whenever fetch.min.bytes is off: the read blocks only until the first
 * record arrives (so a read right after subscribe waits for the group
 * assignment within its timeout), then keeps collecting while records are
 * immediately available, and answers as soon as a short poll finds nothing,
 * max_bytes is reached or fetch.min.bytes is exceeded; with no data it
 * answers [] at the timeout. A record that does not fit stays buffered in the
 * instance for the next read (a record larger than max_bytes on its own is
 * returned alone, so a consumer can never get stuck). Records carry the
 * extras "timestamp" and, when present, "headers" as Karapace does. Offsets
 * are stored only for records put in a response. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_media.h"
#include "log/log.h"
#include "rp_consumer.h"
#include "rp_metrics.h"

/* How long a read keeps polling once it has records and the queue ran dry. */
#define RP_READ_LINGER_MS 5
/* Longest single poll while waiting, so a shutdown is noticed promptly. */
#define RP_READ_SLICE_MS 100

typedef struct read_state {
  rp_call_t *c;
  rp_consumer_t *inst;
  int64_t max_bytes;
  int64_t bytes;
  size_t count;
  rp_jbuf_t out;                          /* the response array */
  rp_jbuf_t rec;                          /* one record being rendered */
  rd_kafka_topic_partition_list_t *store; /* next offsets of returned records */
  rp_code_t code;                         /* a failure to answer when nothing was gathered */
  char msg[512];
} read_state_t;

static const char *format_type(rp_format_t fmt) {
  switch (fmt) {
    case RP_FMT_JSON:
      return RP_MT_JSON_V2;
    case RP_FMT_AVRO:
      return RP_MT_AVRO_V2;
    case RP_FMT_JSONSCHEMA:
      return RP_MT_JSONSCHEMA_V2;
    case RP_FMT_PROTOBUF:
      return RP_MT_PROTOBUF_V2;
    case RP_FMT_BINARY:
    case RP_FMT_STRING:
      break;
  }
  return RP_MT_BINARY_V2;
}

/* The format the client's Accept asks for, as Confluent's server-side
 * weights decide it: a missing Accept or any wildcard selects binary; an
 * embedded type selects its format; the generic v2 type and plain JSON mean
 * "the instance's format". False after replying 406 when nothing fits. */
static bool accept_format(rp_call_t *c, rp_format_t instance_fmt, rp_format_t *out) {
  static const http_produce_t types[] = {{RP_MT_BINARY_V2, 1.0},  {RP_MT_V2, 0.9},
                                         {RP_MT_JSON, 0.5},       {RP_MT_JSON_V2, 0.1},
                                         {RP_MT_AVRO_V2, 0.1},    {RP_MT_JSONSCHEMA_V2, 0.1},
                                         {RP_MT_PROTOBUF_V2, 0.1}};
  static const rp_format_t formats[] = {RP_FMT_BINARY, RP_FMT_BINARY,     RP_FMT_BINARY,  RP_FMT_JSON,
                                        RP_FMT_AVRO,   RP_FMT_JSONSCHEMA, RP_FMT_PROTOBUF};
  int i = http_media_negotiate(http_request_header(c->req, "Accept"), types, sizeof types / sizeof types[0]);
  if (i < 0) {
    rp_reply_error(c, RP_ERR_NOT_ACCEPTABLE, NULL);
    return false;
  }
  *out = (i == 1 || i == 2) ? instance_fmt : formats[i];
  return true;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len = c < 0x80                 ? 1
               : c >= 0xc2 && c <= 0xdf ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
      (c == 0xf4 && s[1] > 0x8f))
    return 0; /* overlong, surrogate, beyond U+10FFFF */
  return len;
}

/* A header name as a JSON string; bytes that are not UTF-8 become U+FFFD,
 * as a Java client decoding the name would show them. */
static void header_name(rp_jbuf_t *b, const char *name) {
  size_t n = strlen(name), i = 0, run = 0;
  rp_jbuf_t tmp = {0};
  while (i < n) {
    size_t len = utf8_seq((const unsigned char *)name + i, n - i);
    if (len == 0) {
      rp_jbuf_raw(&tmp, name + run, i - run);
      rp_jbuf_raw(&tmp, "\xef\xbf\xbd", 3);
      run = ++i;
    } else {
      i += len;
    }
  }
  if (run == 0) {
    rp_jbuf_str(b, name, n);
    return;
  }
  rp_jbuf_raw(&tmp, name + run, n - run);
  if (tmp.oom)
    b->oom = true;
  else
    rp_jbuf_str(b, tmp.p, tmp.len);
  rp_jbuf_fini(&tmp);
}

/* Renders the record into st->rec; *size gets what counts against max_bytes.
 * A decode failure sets st->code/msg and returns false. */
static bool render(read_state_t *st, const rd_kafka_message_t *m, size_t *size) {
  rp_jbuf_t *b = &st->rec;
  const char *topic = rd_kafka_topic_name(m->rkt);
  size_t ksize = 0, vsize = 0;
  char why[384] = "";
  b->len = 0;
  rp_jbuf_lit(b, "{\"topic\":");
  rp_jbuf_str(b, topic, strlen(topic));
  rp_jbuf_lit(b, ",\"key\":");
  rp_code_t code = rp_decode(st->c->rp, st->inst->format, topic, SERDE_KEY, m->key, m->key_len, b, &ksize,
                             why, sizeof why);
  if (code == RP_OK) {
    rp_jbuf_lit(b, ",\"value\":");
    code = rp_decode(st->c->rp, st->inst->format, topic, SERDE_VALUE, m->payload, m->len, b, &vsize, why,
                     sizeof why);
  }
  if (code != RP_OK) {
    st->code = code;
    snprintf(st->msg, sizeof st->msg,
             "Cannot decode the record at topic %s partition %" PRId32 " offset %" PRId64 " as %s: %s", topic,
             m->partition, m->offset, rp_format_name(st->inst->format), why);
    return false;
  }
  rp_jbuf_lit(b, ",\"partition\":");
  rp_jbuf_int(b, m->partition);
  rp_jbuf_lit(b, ",\"offset\":");
  rp_jbuf_int(b, m->offset);
  rd_kafka_timestamp_type_t tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  int64_t ts = rd_kafka_message_timestamp(m, &tstype);
  rp_jbuf_lit(b, ",\"timestamp\":");
  if (tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE)
    rp_jbuf_lit(b, "null");
  else
    rp_jbuf_int(b, ts);
  rd_kafka_headers_t *hdrs = NULL;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && rd_kafka_header_cnt(hdrs) > 0) {
    rp_jbuf_lit(b, ",\"headers\":[");
    const char *name = NULL;
    const void *val = NULL;
    size_t vlen = 0;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &vlen) == RD_KAFKA_RESP_ERR_NO_ERROR;
         i++) {
      rp_jbuf_lit(b, i ? ",{\"key\":" : "{\"key\":");
      header_name(b, name);
      rp_jbuf_lit(b, ",\"value\":");
      if (val)
        rp_jbuf_base64(b, val, vlen);
      else
        rp_jbuf_lit(b, "null");
      rp_jbuf_lit(b, "}");
    }
    rp_jbuf_lit(b, "]");
  }
  rp_jbuf_lit(b, "}");
  *size = ksize + vsize;
  return true;
}

/* Remembers that the client got m: its offset + 1 is stored for commits. */
static void note_returned(read_state_t *st, const rd_kafka_message_t *m) {
  const char *topic = rd_kafka_topic_name(m->rkt);
  rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_find(st->store, topic, m->partition);
  if (!tp) tp = rd_kafka_topic_partition_list_add(st->store, topic, m->partition);
  tp->offset = m->offset + 1;
}

/* Handles one record. Returns false when the read must end (m then buffered
 * in the instance, or taken). */
static bool take_record(read_state_t *st, rd_kafka_message_t *m) {
  size_t size = 0;
  if (!render(st, m, &size) || st->rec.oom) {
    if (st->rec.oom) st->code = RP_ERR_NOMEM;
    st->inst->pending = m; /* keep it: the client may seek past it */
    return false;
  }
  if (st->count > 0 && st->bytes + (int64_t)size > st->max_bytes) {
    st->inst->pending = m;
    return false;
  }
  rp_jbuf_raw(&st->out, st->count ? "," : "", st->count ? 1 : 0);
  rp_jbuf_raw(&st->out, st->rec.p, st->rec.len);
  st->count++;
  st->bytes += (int64_t)size;
  note_returned(st, m);
  rd_kafka_message_destroy(m);
  int min_bytes = st->inst->fetch_min_bytes;
  if (st->bytes >= st->max_bytes || (min_bytes >= 0 && st->bytes > min_bytes)) return false;
  return true;
}

/* Errors worth telling the client; the rest (unknown topic while a
 * subscription waits for it, broker transport hiccups) are retried by
 * librdkafka and only logged. */
static bool error_is_final(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET || err == RD_KAFKA_RESP_ERR__FATAL ||
         err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
         err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED || err == RD_KAFKA_RESP_ERR__INVALID_ARG;
}

/* Handles an error event. Returns false when the read must end. */
static bool take_error(read_state_t *st, rd_kafka_message_t *m) {
  if (!error_is_final(m->err)) {
    log_debug("rest-proxy", "consumer %s/%s: %s", st->inst->group, st->inst->name,
              rd_kafka_message_errstr(m));
    rd_kafka_message_destroy(m);
    return true;
  }
  if (st->count > 0) { /* answer what we have; report it on the next read */
    st->inst->pending = m;
    return false;
  }
  bool reset = m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET; /* auto.offset.reset=none */
  st->code = reset ? RP_ERR_ILLEGAL_STATE : rp_code_from_kafka(m->err);
  snprintf(st->msg, sizeof st->msg, "%s%s", reset ? "Illegal state: " : "", rd_kafka_message_errstr(m));
  rd_kafka_message_destroy(m);
  return false;
}

/* A buffered record of a partition the group has since taken away is
 * dropped (the new owner reads it from the committed offset). */
static void check_pending(rp_consumer_t *inst) {
  rd_kafka_message_t *m = inst->pending;
  if (!m || m->err || !m->rkt || (inst->mode != RP_CONSUMER_SUBSCRIBED && inst->mode != RP_CONSUMER_PATTERN))
    return;
  rd_kafka_topic_partition_list_t *cur = NULL;
  if (rd_kafka_assignment(inst->rk, &cur) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  if (!rd_kafka_topic_partition_list_find(cur, rd_kafka_topic_name(m->rkt), m->partition))
    rp__consumer_drop_pending(inst, NULL, 0);
  rd_kafka_topic_partition_list_destroy(cur);
}

/* The read loop: see the file comment. */
static void gather(read_state_t *st, int64_t timeout_ms) {
  rp_consumer_t *inst = st->inst;
  int64_t deadline = rp_now_ms() + timeout_ms;
  bool polled = false;
  for (;;) {
    rd_kafka_message_t *m = inst->pending;
    inst->pending = NULL;
    if (!m) {
      int64_t left = deadline - rp_now_ms();
      if (polled && (left <= 0 || rp__consumers_quiescing(st->c->rp->consumers))) return;
      if (left < 0) left = 0;
      if (left > RP_READ_SLICE_MS) left = RP_READ_SLICE_MS;
      if (st->count > 0 && left > RP_READ_LINGER_MS) left = RP_READ_LINGER_MS;
      m = rd_kafka_consumer_poll(inst->rk, (int)left);
      polled = true;
      if (!m) {
        if (st->count > 0) return;
        continue;
      }
    }
    bool more = m->err ? take_error(st, m) : take_record(st, m);
    if (!more) return;
  }
}

/* GET .../records?timeout=&max_bytes= */
void rp__v2_consumer_read(rp_call_t *c) {
  int64_t timeout_q = -1, max_bytes_q = -1;
  if (!rp_query_int(c, "timeout", -1, INT64_MIN, INT64_MAX, &timeout_q) ||
      !rp_query_int(c, "max_bytes", -1, INT64_MIN, INT64_MAX, &max_bytes_q))
    return;
  rp_consumer_t *inst = rp__consumer_acquire(c);
  if (!inst) return;
  read_state_t st = {.c = c, .inst = inst, .code = RP_OK};
  rp_format_t want = RP_FMT_BINARY;
  if (!accept_format(c, inst->format, &want)) goto out;
  if (want != inst->format) {
    rp_reply_error(c, RP_ERR_CONSUMER_FORMAT,
                   "Consumer format %s does not match the embedded format %s requested by "
                   "the Accept header.",
                   rp_format_name(inst->format), rp_format_name(want));
    goto out;
  }
  int64_t timeout = inst->request_timeout_ms;
  if (timeout_q > 0 && timeout_q < timeout) timeout = timeout_q;
  st.max_bytes = c->rp->cfg.consumer_request_max_bytes;
  if (max_bytes_q > 0 && max_bytes_q < st.max_bytes) st.max_bytes = max_bytes_q;
  st.store = rd_kafka_topic_partition_list_new(4);
  rp_jbuf_lit(&st.out, "[");
  check_pending(inst);
  gather(&st, timeout);
  if (st.count == 0 && st.code != RP_OK) {
    rp_reply_error(c, st.code, "%s", st.msg);
    goto out;
  }
  rp_jbuf_lit(&st.out, "]");
  size_t len = 0;
  char *body = rp_jbuf_take(&st.out, &len);
  if (!body) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    goto out;
  }
  if (st.store->cnt > 0)
    rd_kafka_offsets_store(inst->rk, st.store); /* __STATE for revoked partitions: fine */
  rp_reply_raw(c, 200, body, len, format_type(inst->format));
  rp__metrics_consumed(st.count);
out:
  /* The list pins partitions of inst->rk: free it before the release, which
   * may close the consumer (deleted meanwhile), or rd_kafka_destroy hangs. */
  if (st.store) rd_kafka_topic_partition_list_destroy(st.store);
  rp__consumer_release(c, inst);
  rp_jbuf_fini(&st.out);
  rp_jbuf_fini(&st.rec);
}
