// SPDX-License-Identifier: Apache-2.0
/* v3 produce endpoints (rest-proxy.md §2.3, §2.4):
 *   POST /v3/clusters/{cid}/topics/{t}/records        streamed (full duplex)
 *   POST /v3/clusters/{cid}/topics/{t}/records:batch  207 Multi-Status
 * A stream is read in cycles: read what has arrived (64 KiB at a time,
 * reading on while more has already arrived, up to 4096 records), check
 * and encode every complete record (rp_v3_produce_parse.c), send them as
 * one produce batch, wait for their deliveries, write their reports in
 * request order as one chunk, read again. A client that sends one record
 * and waits for its report is answered at once; a fast client gets natural
 * batching. The cluster id in the path must be this cluster's (404
 * otherwise, like the other v3 endpoints); a missing topic is a plain
 * 404/40401 before any report. */
#include "rp_v3_produce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rp_kafka.h"
#include "rp_metrics.h"
#include "rp_v3.h"

#define READ_CAP 65536
/* Most records read on (while more input has already arrived) before the
 * cycle is produced and answered. */
#define CYCLE_MAX_RECORDS 4096
#define ID_MAX 80
/* Confluent's ChunkedOutputFactory separates reports with CRLF. */
#define REPORT_SEP "\r\n"

/* ---- reports ------------------------------------------------------------------ */

static void put_time(rp_jbuf_t *b, int64_t ms) {
  time_t secs = (time_t)(ms / 1000);
  struct tm tm;
  char text[48];
  if (!gmtime_r(&secs, &tm)) {
    rp_jbuf_lit(b, "null");
    return;
  }
  int n = snprintf(text, sizeof text, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
  rp_jbuf_raw(b, text, (size_t)n);
}

static void put_side(rp_jbuf_t *b, const char *name, const rp_v3_side_t *s) {
  if (!s->present) return;
  rp_jbuf_lit(b, ",\"");
  rp_jbuf_lit(b, name);
  rp_jbuf_lit(b, "\":{\"type\":\"");
  rp_jbuf_lit(b, rp_format_name(s->fmt));
  rp_jbuf_lit(b, "\"");
  if (s->schema) {
    rp_jbuf_lit(b, ",\"subject\":");
    if (s->subject && s->subject[0])
      rp_jbuf_str(b, s->subject, strlen(s->subject));
    else
      rp_jbuf_lit(b, "null");
    rp_jbuf_lit(b, ",\"schema_id\":");
    rp_jbuf_int(b, s->schema_id);
    rp_jbuf_lit(b, ",\"schema_version\":");
    if (s->schema_version >= 0)
      rp_jbuf_int(b, s->schema_version);
    else
      rp_jbuf_lit(b, "null");
  }
  rp_jbuf_lit(b, ",\"size\":");
  rp_jbuf_int(b, s->is_null ? 0 : (int64_t)s->bytes.len);
  rp_jbuf_lit(b, "}");
}

static void put_error(rp_jbuf_t *b, rp_code_t code, const char *msg) {
  rp_jbuf_lit(b, "\"error_code\":");
  rp_jbuf_int(b, rp_code_error_code(code));
  rp_jbuf_lit(b, ",\"message\":");
  if (!msg) msg = rp_code_message(code);
  rp_jbuf_str(b, msg, strlen(msg));
}

/* One record's report: a stream report ({"error_code":200,...} or
 * {"error_code":N,"message":...}), or with `id` a records:batch success
 * (no error_code) or failure. d is NULL for records never sent. */
static void put_report(rp_jbuf_t *b, const rp_v3_produce_t *p, const char *cid, const rp_v3_rec_t *rec,
                       const rp_delivery_t *d) {
  rp_jbuf_lit(b, "{");
  if (rec->id) {
    rp_jbuf_lit(b, "\"id\":");
    rp_jbuf_str(b, rec->id, strlen(rec->id));
    rp_jbuf_lit(b, ",");
  }
  if (rec->code != RP_OK) {
    put_error(b, rec->code, rec->msg);
  } else if (!d || d->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_resp_err_t err = d ? d->err : RD_KAFKA_RESP_ERR__FAIL;
    put_error(b, rp_code_from_kafka(err), rd_kafka_err2str(err));
  } else {
    if (!rec->id) rp_jbuf_lit(b, "\"error_code\":200,");
    rp_jbuf_lit(b, "\"cluster_id\":");
    rp_jbuf_str(b, cid, strlen(cid));
    rp_jbuf_lit(b, ",\"topic_name\":");
    rp_jbuf_str(b, p->topic, strlen(p->topic));
    rp_jbuf_lit(b, ",\"partition_id\":");
    rp_jbuf_int(b, d->partition);
    rp_jbuf_lit(b, ",\"offset\":");
    rp_jbuf_int(b, d->offset);
    rp_jbuf_lit(b, ",\"timestamp\":");
    put_time(b, d->timestamp_ms);
    put_side(b, "key", &rec->key);
    put_side(b, "value", &rec->value);
  }
  rp_jbuf_lit(b, "}");
}

/* ---- sending ------------------------------------------------------------------ */

static const void *side_bytes(const rp_v3_side_t *s) {
  if (s->is_null) return NULL;
  return s->bytes.data ? (const void *)s->bytes.data : "";
}

/* Sends every ready record of recs as one batch and waits for all of them.
 * NULL when out of memory (the caller fails the records). */
static rp_batch_t *send_all(rp_v3_produce_t *p, rp_v3_rec_t *recs, size_t n) {
  rp_batch_t *b = rp_batch_new(p->rp->kafka, n);
  if (!b) return NULL;
  for (size_t i = 0; i < n; i++) {
    rp_v3_rec_t *r = &recs[i];
    if (r->code != RP_OK) {
      rp_batch_skip(b, i);
      continue;
    }
    rp_record_t rec = {
        .topic = p->topic,
        .partition = r->partition,
        .key = side_bytes(&r->key),
        .key_len = r->key.is_null ? 0 : r->key.bytes.len,
        .value = side_bytes(&r->value),
        .value_len = r->value.is_null ? 0 : r->value.bytes.len,
        .timestamp_ms = r->timestamp_ms,
        .headers = r->headers,
    };
    r->headers = NULL; /* taken */
    rp_batch_send(b, i, &rec);
  }
  rp_batch_wait(b);
  size_t acked = rp_batch_acked(b);
  rp__metrics_produced(RP_API_V3, acked, n - acked);
  return b;
}

/* ---- the frame every produce request starts with ----------------------------- */

/* Cluster id, topic (a plain 404/40401 when missing, answered before any
 * body byte is read). False after answering. */
static bool open_produce(rp_call_t *c, rp_v3_t *v, rp_v3_produce_t *p) {
  memset(p, 0, sizeof *p);
  if (!rp_v3_open(c, v, true)) return false;
  p->rp = c->rp;
  p->topic = c->params[1];
  if (!rp_topic_name_valid(p->topic)) {
    rp_reply_error(c, RP_ERR_TOPIC_NOT_FOUND, "Topic %.300s not found.", p->topic);
    return false;
  }
  rp_code_t rc = rp_kafka_partitions(c->rp->kafka, p->topic, &p->partitions);
  if (rc == RP_ERR_TOPIC_NOT_FOUND) {
    rp_reply_error(c, rc, "Topic %s not found.", p->topic);
    return false;
  }
  if (rc != RP_OK) {
    rp_reply_error(c, rc, "Cannot reach Kafka to produce to %s.", p->topic);
    return false;
  }
  return true;
}

/* ---- streamed produce --------------------------------------------------------- */

typedef struct stream_run {
  rp_call_t *c;
  http_stream_t *s; /* NULL: the glue read the body (not expected for this route) */
  size_t body_off;  /* read position in c->req->body when s is NULL */
  rp_v3_produce_t p;
  const char *cid;
  rp_v3_framer_t f;
  int64_t deadline_ms; /* monotonic end of the stream's allowed lifetime */
  rp_v3_rec_t *recs;   /* this cycle's records */
  size_t n, cap;
  bool begun, stop, close, broken, any;
  rp_jbuf_t whole; /* the answer when s is NULL */
} stream_run_t;

static long body_read(stream_run_t *r, char *buf, size_t cap) {
  if (r->s) return http_stream_read(r->s, buf, cap);
  size_t left = r->c->req->body_len - r->body_off;
  size_t n = left < cap ? left : cap;
  memcpy(buf, r->c->req->body + r->body_off, n);
  r->body_off += n;
  return (long)n;
}

/* More input already here: reading on will not wait for the client. */
static bool body_ready(const stream_run_t *r) {
  return r->s ? http_stream_ready(r->s) : r->body_off < r->c->req->body_len;
}

static bool out_write(stream_run_t *r, const char *data, size_t len) {
  if (!r->s) {
    r->begun = true;
    rp_jbuf_raw(&r->whole, data, len);
    return !r->whole.oom;
  }
  if (!r->begun) {
    if (http_stream_begin(r->s, 200, RP_MT_JSON) != 0) return false;
    r->begun = true;
  }
  return http_stream_write(r->s, data, len) == 0;
}

/* A new zeroed record slot of this cycle, NULL when out of memory. */
static rp_v3_rec_t *add_rec(stream_run_t *r) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    rp_v3_rec_t *p = realloc(r->recs, cap * sizeof *p);
    if (!p) return NULL;
    r->recs = p, r->cap = cap;
  }
  rp_v3_rec_t *rec = &r->recs[r->n++];
  memset(rec, 0, sizeof *rec);
  return rec;
}

/* Ends the stream with one last failed record (400 framing errors). */
static void fail_and_stop(stream_run_t *r, rp_code_t code, const char *msg) {
  rp_v3_rec_t *rec = add_rec(r);
  if (rec) rp_v3_record_fail(rec, code, "%s", msg);
  r->stop = true;
}

/* Takes every complete object out of the framer into this cycle. */
static void collect(stream_run_t *r) {
  bool expired = rp_now_ms() > r->deadline_ms;
  while (!r->stop) {
    const char *obj = NULL;
    size_t len = 0;
    rp_v3_frame_t fr = rp_v3_framer_next(&r->f, &obj, &len);
    if (fr == RP_V3_FRAME_MORE) return;
    if (fr == RP_V3_FRAME_MALFORMED) {
      fail_and_stop(r, RP_ERR_BAD_REQUEST,
                    "Error processing JSON: expected a JSON object (records are "
                    "concatenated objects, without commas or an enclosing array).");
      return;
    }
    if (fr == RP_V3_FRAME_TOO_LARGE) {
      char msg[160];
      snprintf(msg, sizeof msg,
               "Record is larger than the limit of %zu bytes: the connection will be closed.", r->f.max);
      fail_and_stop(r, RP_ERR_BAD_REQUEST, msg);
      r->close = true;
      return;
    }
    rp_v3_rec_t *rec = add_rec(r);
    if (!rec) {
      r->stop = r->close = true;
      return;
    }
    if (expired) {
      rp_v3_record_fail(rec, RP_ERR_TIMEOUT,
                        "Streaming connection open for longer than allowed: Connection will be closed.");
      r->close = true; /* every record of this cycle gets 408; the stream ends after it */
      continue;
    }
    rp_v3_record_prepare_text(&r->p, obj, len, rec);
    if (rec->end_stream) r->stop = true;
  }
}

/* Produces this cycle's records and writes their reports as one chunk. */
static void flush_cycle(stream_run_t *r) {
  if (r->n == 0) return;
  r->any = true;
  rp_batch_t *b = send_all(&r->p, r->recs, r->n);
  rp_jbuf_t out = {0};
  for (size_t i = 0; i < r->n; i++) {
    if (!b && r->recs[i].code == RP_OK) rp_v3_record_fail(&r->recs[i], RP_ERR_NOMEM, "Out of memory");
    put_report(&out, &r->p, r->cid, &r->recs[i], b ? rp_batch_result(b, i) : NULL);
    rp_jbuf_lit(&out, REPORT_SEP);
    rp_v3_record_fini(&r->recs[i]);
  }
  rp_batch_free(b);
  r->n = 0;
  if (out.oom || !out_write(r, out.p, out.len)) r->broken = true;
  rp_jbuf_fini(&out);
}

static void stream_loop(stream_run_t *r, char *buf) {
  for (;;) {
    long n = body_read(r, buf, READ_CAP);
    if (n < 0) { /* the client went away or broke the chunk framing */
      r->broken = true;
      return;
    }
    if (n > 0 && !rp_v3_framer_push(&r->f, buf, (size_t)n)) {
      fail_and_stop(r, RP_ERR_NOMEM, "Out of memory");
      r->close = true;
    }
    collect(r);
    if (n == 0 && !r->stop && !rp_v3_framer_idle(&r->f))
      fail_and_stop(r, RP_ERR_BAD_REQUEST, "Error processing JSON: the request body ends inside a record.");
    if (r->close) r->stop = true;
    /* Answer only when the client may be waiting for it: nothing more has
     * arrived yet (or the cycle is full). */
    if (r->stop || n == 0 || r->n >= CYCLE_MAX_RECORDS || !body_ready(r)) flush_cycle(r);
    if (r->broken || r->stop || n == 0) return;
  }
}

static void h_produce(rp_call_t *c) {
  rp_v3_t v;
  stream_run_t r = {.c = c, .s = c->req->stream};
  if (!open_produce(c, &v, &r.p)) return;
  r.cid = v.cid;
  int64_t max_bytes = c->rp->cfg.produce_record_max_bytes > 0 ? c->rp->cfg.produce_record_max_bytes : 8 << 20;
  int64_t max_ms = c->rp->cfg.streaming_max_duration_ms > 0 ? c->rp->cfg.streaming_max_duration_ms : 86400000;
  r.deadline_ms = rp_now_ms() + max_ms;
  rp_v3_framer_init(&r.f, (size_t)max_bytes);
  char *buf = malloc(READ_CAP);
  if (!buf) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
  } else {
    stream_loop(&r, buf);
    if (!r.any && !r.begun && !r.broken) {
      rp_reply_error(c, RP_ERR_PAYLOAD, "Payload error. Request body is empty. Data is required.");
    } else if (!r.begun) {
      rp_reply_error(c, RP_ERR_BAD_REQUEST, "The request body could not be read.");
    } else if (!r.s) {
      size_t len = 0;
      char *text = rp_jbuf_take(&r.whole, &len);
      if (text)
        rp_reply_raw(c, 200, text, len, RP_MT_JSON);
      else
        rp_reply_error(c, RP_ERR_NOMEM, NULL);
    }
    if (r.close && r.s) http_stream_close_after(r.s);
  }
  for (size_t i = 0; i < r.n; i++) rp_v3_record_fini(&r.recs[i]);
  free(r.recs);
  free(buf);
  rp_jbuf_fini(&r.whole);
  rp_v3_framer_fini(&r.f);
  rp_v3_produce_fini(&r.p);
}

/* ---- records:batch ------------------------------------------------------------ */

/* The entries array after the 42208 checks (§2.4), or NULL after answering. */
static const json_t *batch_entries(rp_call_t *c) {
  if (!rp_call_body(c, false)) return NULL;
  const json_t *entries = c->body ? json_object_get(c->body, "entries") : NULL;
  size_t max = c->rp->cfg.produce_batch_max_entries > 0 ? (size_t)c->rp->cfg.produce_batch_max_entries : 10;
  if (!c->body) {
    rp_reply_error(c, RP_ERR_BATCH_INVALID, "Payload error. Request body is empty. Data is required.");
  } else if (!json_is_array(entries) || json_array_size(entries) == 0) {
    rp_reply_error(c, RP_ERR_BATCH_INVALID, "entries must be a non-empty array.");
  } else if (json_array_size(entries) > max) {
    rp_reply_error(c, RP_ERR_BATCH_INVALID, "A batch may hold at most %zu entries; this one has %zu.", max,
                   json_array_size(entries));
  } else {
    size_t n = json_array_size(entries);
    for (size_t i = 0; i < n; i++) {
      const json_t *e = json_array_get(entries, i), *id = json_object_get(e, "id");
      if (!json_is_object(e) || !json_is_string(id) || json_string_length(id) < 1 ||
          json_string_length(id) > ID_MAX) {
        rp_reply_error(c, RP_ERR_BATCH_INVALID, "entries[%zu].id must be a string of 1 to %d characters.", i,
                       ID_MAX);
        return NULL;
      }
      for (size_t j = 0; j < i; j++) {
        if (json_equal(id, json_object_get(json_array_get(entries, j), "id"))) {
          rp_reply_error(c, RP_ERR_BATCH_INVALID, "entries[%zu].id \"%s\" is not unique in the batch.", i,
                         json_string_value(id));
          return NULL;
        }
      }
    }
    return entries;
  }
  return NULL;
}

/* {"successes":[...],"failures":[...]}, each in request order. */
static void batch_answer(rp_call_t *c, const rp_v3_produce_t *p, const char *cid, rp_v3_rec_t *recs, size_t n,
                         const rp_batch_t *b) {
  rp_jbuf_t out = {0};
  for (int pass = 0; pass < 2; pass++) {
    rp_jbuf_lit(&out, pass == 0 ? "{\"successes\":[" : "],\"failures\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
      const rp_delivery_t *d = b ? rp_batch_result(b, i) : NULL;
      bool ok = recs[i].code == RP_OK && d && d->err == RD_KAFKA_RESP_ERR_NO_ERROR;
      if (ok != (pass == 0)) continue;
      if (!first) rp_jbuf_lit(&out, ",");
      first = false;
      put_report(&out, p, cid, &recs[i], d);
    }
  }
  rp_jbuf_lit(&out, "]}");
  size_t len = 0;
  char *text = rp_jbuf_take(&out, &len);
  if (text)
    rp_reply_raw(c, 207, text, len, RP_MT_JSON);
  else
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
}

static void h_produce_batch(rp_call_t *c) {
  rp_v3_t v;
  rp_v3_produce_t p;
  const json_t *entries = batch_entries(c);
  if (!entries || !open_produce(c, &v, &p)) return;
  size_t n = json_array_size(entries);
  rp_v3_rec_t *recs = calloc(n, sizeof *recs);
  if (!recs) {
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
    rp_v3_produce_fini(&p);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const json_t *e = json_array_get(entries, i);
    recs[i].id = strdup(json_string_value(json_object_get(e, "id")));
    if (!recs[i].id)
      rp_v3_record_fail(&recs[i], RP_ERR_NOMEM, "Out of memory");
    else
      rp_v3_record_prepare(&p, e, &recs[i]);
  }
  rp_batch_t *b = send_all(&p, recs, n);
  if (b)
    batch_answer(c, &p, v.cid, recs, n, b);
  else
    rp_reply_error(c, RP_ERR_NOMEM, NULL);
  rp_batch_free(b);
  for (size_t i = 0; i < n; i++) rp_v3_record_fini(&recs[i]);
  free(recs);
  rp_v3_produce_fini(&p);
}

const rp_route_t rp_v3_produce_routes[] = {
    {"POST", "v3/clusters/*/topics/*/records", h_produce, true},
    {"POST", "v3/clusters/*/topics/*/records:batch", h_produce_batch, false},
};
const size_t rp_v3_produce_route_count = sizeof rp_v3_produce_routes / sizeof rp_v3_produce_routes[0];
