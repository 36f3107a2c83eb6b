// SPDX-License-Identifier: Apache-2.0
/* Internals of v3 produce (rest-proxy.md §2.3, §2.4), shared by
 * rp_v3_produce_parse.c (framing the concatenated JSON objects of a stream,
 * checking and encoding one record) and rp_v3_produce.c (the endpoints: the
 * streamed read/produce/report loop, records:batch, delivery reports). */
#ifndef WEIR_REST_PROXY_RP_V3_PRODUCE_H
#define WEIR_REST_PROXY_RP_V3_PRODUCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rp_codec.h"
#include "rp_int.h"

/* ---- framing (rp_v3_produce_parse.c) -------------------------------------- */

/* Splits a byte stream into top-level JSON objects separated by optional
 * whitespace (Confluent's JsonStream: no commas, no enclosing array). It
 * tracks only braces, brackets and strings; the objects are parsed later. */
typedef struct rp_v3_framer {
  char *buf;
  size_t len, cap;
  size_t start; /* first byte not handed out yet */
  size_t pos;   /* scan position (>= start) */
  size_t max;   /* largest object accepted */
  int depth;
  bool in_obj, in_str, esc;
} rp_v3_framer_t;

typedef enum {
  RP_V3_FRAME_OBJECT,    /* one complete object in obj, len */
  RP_V3_FRAME_MORE,      /* no complete object buffered */
  RP_V3_FRAME_MALFORMED, /* something other than an object at the top level */
  RP_V3_FRAME_TOO_LARGE, /* an object longer than max */
} rp_v3_frame_t;

void rp_v3_framer_init(rp_v3_framer_t *f, size_t max);
void rp_v3_framer_fini(rp_v3_framer_t *f);
/* Appends bytes. False when out of memory. Objects handed out before are
 * invalidated. */
bool rp_v3_framer_push(rp_v3_framer_t *f, const char *data, size_t len);
/* The next complete object (valid until the next push). */
rp_v3_frame_t rp_v3_framer_next(rp_v3_framer_t *f, const char **obj, size_t *len);
/* True when nothing but whitespace is buffered (no object begun). */
bool rp_v3_framer_idle(const rp_v3_framer_t *f);

/* ---- records (rp_v3_produce_parse.c) -------------------------------------- */

/* One side (key or value) of a record as encoded, and what its report says. */
typedef struct rp_v3_side {
  bool present; /* the request had a key/value object: reported */
  rp_format_t fmt;
  bool schema;   /* schema-backed: subject/schema_id/schema_version reported */
  char *subject; /* malloc'd, schema-backed only */
  int32_t schema_id;
  int32_t schema_version; /* -1 when unknown (not reported) */
  serde_buf_t bytes;
  bool is_null; /* Kafka null */
} rp_v3_side_t;

/* One record of a stream or batch: ready to send (code RP_OK) or failed. */
typedef struct rp_v3_rec {
  rp_code_t code;
  char *msg;            /* failure message (malloc'd), NULL when ready */
  bool end_stream;      /* malformed JSON: the stream cannot go on after this report */
  char *id;             /* records:batch entry id (malloc'd), else NULL */
  int32_t partition;    /* -1 = the partitioner */
  int64_t timestamp_ms; /* 0 = now */
  rd_kafka_headers_t *headers;
  rp_v3_side_t key, value;
} rp_v3_rec_t;

/* The last schema a side resolved in this request, reused while records
 * ask for the same one (a stream parses and looks up its schema once). */
typedef struct rp_v3_schema_cache {
  bool valid;
  rp_format_t fmt;
  int64_t id, version;
  char *text, *subject;
  rp_strategy_t strategy;
  rp_schema_ref_t ref;
} rp_v3_schema_cache_t;

/* What every record of one request shares. */
typedef struct rp_v3_produce {
  rp_t *rp;
  const char *topic;
  int32_t partitions;
  rp_v3_schema_cache_t cache[2]; /* SERDE_KEY, SERDE_VALUE */
} rp_v3_produce_t;

void rp_v3_produce_fini(rp_v3_produce_t *p);

/* Checks and encodes one record object into rec (zeroed by the caller).
 * Failures are recorded in rec->code/msg with the per-record codes of
 * §2.3: 400 bad fields or data, 40402 negative partition, 40403 partition
 * past the topic's count, 42205 bad raw schema, 42207 Avro data not
 * matching (message names the field), 40801 registry errors. */
void rp_v3_record_prepare(rp_v3_produce_t *p, const json_t *obj, rp_v3_rec_t *rec);
/* Parses text as one record object first (malformed JSON or too deep:
 * 400). */
void rp_v3_record_prepare_text(rp_v3_produce_t *p, const char *text, size_t len, rp_v3_rec_t *rec);
/* Marks rec failed with code and a formatted message (frees earlier data). */
void rp_v3_record_fail(rp_v3_rec_t *rec, rp_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rp_v3_record_fini(rp_v3_rec_t *rec);

#endif
