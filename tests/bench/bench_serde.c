// SPDX-License-Identifier: Apache-2.0
/* Serde benchmark: records/s of serde_serialize_avro and serde_deserialize_avro
 * with warm caches, side by side in the same run with plain avro-c doing the
 * same encoding and decoding of the same values, for a 10-field and a
 * 100-field record. Each pair is measured in rounds of short interleaved
 * slices (A B, B A, ...); medians are reported with the ratio serde/avro-c.
 * It also times the JSON paths (serde_deserialize_avro_json,
 * serde_avro_to_json) next to avro-c's avro_value_to_json, and the public
 * pieces of serde's hot path one by one, and the same data as Protobuf
 * (a .proto with the same fields) through the proto3 JSON paths the REST
 * proxy uses, against the Avro JSON paths. It prints figures and never fails
 * on timing: it exits 1 only when serde's bytes or values differ from
 * avro-c's, 2 when a call fails (registry unreachable, bad arguments).
 * Benchmark scaffolding, not part of weir; tests/bench/bench_serde.sh runs it
 * against a fresh `weir registry`. */
#include <avro.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serde/serde.h"

#define REPEAT_FIELDS 10 /* fields in one repetition of the mix */
#define MAX_ROUNDS 99
#define SLICES 10          /* interleaved A/B slices per round */
#define GOAL_OVERHEAD 0.05 /* the goal: serde within 5% of avro-c */

/* One record size: its schema, one filled value, and every reused buffer. */
typedef struct rec_case {
  const char *label; /* "small", "large" */
  const char *topic;
  int reps; /* repetitions of the 10-field mix */
  serde_t *sd;
  serde_schema_t *schema;
  avro_value_t value;
  int32_t id;
  avro_writer_t writer;
  char *wbuf;
  size_t wcap;
  size_t plain_len; /* avro-c's encoding of value, in wbuf */
  avro_reader_t reader;
  avro_value_iface_t *plain_iface; /* avro-c's own generic class, apart from serde's */
  avro_value_t plain_out;          /* avro-c decodes here */
  serde_buf_t framed;              /* serde's encoding of value */
  avro_value_t serde_out;          /* serde decodes here (zero-initialised, then reused) */
  serde_buf_t json;
  /* the same data as Protobuf: a .proto with the record's fields */
  serde_schema_t *pb_schema;
  int32_t pb_id;
  char *avro_json; /* Avro JSON of value */
  char *pb_json;   /* proto3 JSON of the same data */
  serde_buf_t pb_framed, avro_framed_json;
} rec_case_t;

/* Runs an operation n times; 0 on success. */
typedef int (*op_fn)(rec_case_t *c, long n);

typedef struct opts {
  const char *url;
  long iters;     /* per measurement; 0 = calibrate to seconds */
  double seconds; /* target time of one measurement */
  int rounds;
  const char *single; /* -p RECORD:OP:SIDE: time only that operation */
} opts_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- schema and value -------------------------------------------------------- */

/* Appends the 10-field mix with suffix r to s (at least 2 KiB free). */
static size_t put_mix(char *s, size_t size, int r) {
  return (size_t)snprintf(
      s, size,
      "%s{\"name\":\"id_%d\",\"type\":\"long\"},{\"name\":\"count_%d\",\"type\":\"int\"},"
      "{\"name\":\"name_%d\",\"type\":\"string\"},{\"name\":\"score_%d\",\"type\":\"double\"},"
      "{\"name\":\"active_%d\",\"type\":\"boolean\"},"
      "{\"name\":\"note_%d\",\"type\":[\"null\",\"string\"],\"default\":null},"
      "{\"name\":\"kind_%d\",\"type\":{\"type\":\"enum\",\"name\":\"Kind%d\",\"symbols\":[\"A\",\"B\",\"C\","
      "\"D\"]}},"
      "{\"name\":\"blob_%d\",\"type\":\"bytes\"},"
      "{\"name\":\"tags_%d\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
      "{\"name\":\"attrs_%d\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}",
      r ? "," : "", r, r, r, r, r, r, r, r, r, r, r);
}

/* The record schema text with reps x 10 fields (free() it). */
static char *schema_text(const char *name, int reps) {
  size_t size = 256 + (size_t)reps * 2048, len = 0;
  char *s = malloc(size);
  if (!s) {
    return NULL;
  }
  len += (size_t)snprintf(
      s, size, "{\"type\":\"record\",\"name\":\"%s\",\"namespace\":\"weir.bench\",\"fields\":[", name);
  for (int r = 0; r < reps; r++) {
    len += put_mix(s + len, size - len, r);
  }
  snprintf(s + len, size - len, "]}");
  return s;
}

/* Fields 10r..10r+9 of rec; non-zero on an avro-c error. */
static int fill_mix(avro_value_t *rec, int r) {
  static const uint8_t blob[16] = {0, 1, 2, 3, 4, 5, 6, 7, 250, 251, 252, 253, 254, 255, 10, 13};
  static const char *tags[] = {"alpha", "beta", "gamma"};
  static const char *keys[] = {"clicks", "views", "orders"};
  size_t b = (size_t)r * REPEAT_FIELDS;
  avro_value_t f, br, e;
  int rc = avro_value_get_by_index(rec, b + 0, &f, NULL) || avro_value_set_long(&f, 1234567890123LL + r);
  rc = rc || avro_value_get_by_index(rec, b + 1, &f, NULL) || avro_value_set_int(&f, 42 + r);
  rc = rc || avro_value_get_by_index(rec, b + 2, &f, NULL) || avro_value_set_string(&f, "customer-000017");
  rc = rc || avro_value_get_by_index(rec, b + 3, &f, NULL) || avro_value_set_double(&f, 3.25 * (r + 1));
  rc = rc || avro_value_get_by_index(rec, b + 4, &f, NULL) || avro_value_set_boolean(&f, r % 2 == 0);
  rc = rc || avro_value_get_by_index(rec, b + 5, &f, NULL) || avro_value_set_branch(&f, 1, &br) ||
       avro_value_set_string(&br, "leave at the door");
  rc = rc || avro_value_get_by_index(rec, b + 6, &f, NULL) || avro_value_set_enum(&f, r % 4);
  rc = rc || avro_value_get_by_index(rec, b + 7, &f, NULL) ||
       avro_value_set_bytes(&f, (void *)blob, sizeof blob);
  rc = rc || avro_value_get_by_index(rec, b + 8, &f, NULL);
  for (int i = 0; i < 3 && !rc; i++) {
    rc = avro_value_append(&f, &e, NULL) || avro_value_set_string(&e, tags[i]);
  }
  rc = rc || avro_value_get_by_index(rec, b + 9, &f, NULL);
  for (int i = 0; i < 3 && !rc; i++) {
    rc = avro_value_add(&f, keys[i], &e, NULL, NULL) || avro_value_set_long(&e, 1000L * (i + 1) + r);
  }
  return rc;
}

/* The .proto of the record: the 10-field mix as Protobuf types (free() it). */
static char *proto_text(const char *name, int reps) {
  size_t size = 256 + (size_t)reps * 1024, len = 0;
  char *s = malloc(size);
  if (!s) return NULL;
  len += (size_t)snprintf(s, size, "syntax = \"proto3\";\npackage weir.bench;\nmessage %s {\n", name);
  for (int r = 0, tag = 1; r < reps; r++, tag += REPEAT_FIELDS) {
    len += (size_t)snprintf(s + len, size - len,
                            "  int64 id_%d = %d;\n  int32 count_%d = %d;\n  string name_%d = %d;\n"
                            "  double score_%d = %d;\n  bool active_%d = %d;\n  optional string note_%d = %d;\n"
                            "  Kind kind_%d = %d;\n  bytes blob_%d = %d;\n  repeated string tags_%d = %d;\n"
                            "  map<string, int64> attrs_%d = %d;\n",
                            r, tag, r, tag + 1, r, tag + 2, r, tag + 3, r, tag + 4, r, tag + 5, r, tag + 6, r,
                            tag + 7, r, tag + 8, r, tag + 9);
  }
  snprintf(s + len, size - len, "  enum Kind {\n    A = 0;\n    B = 1;\n    C = 2;\n    D = 3;\n  }\n}\n");
  return s;
}

/* The proto3 JSON of the value fill_mix builds (free() it). */
static char *proto_json(int reps) {
  static const char *kinds[] = {"A", "B", "C", "D"};
  size_t size = 64 + (size_t)reps * 512, len = 0;
  char *s = malloc(size);
  if (!s) return NULL;
  s[len++] = '{';
  for (int r = 0; r < reps; r++) {
    len += (size_t)snprintf(
        s + len, size - len,
        "%s\"id_%d\":\"%lld\",\"count_%d\":%d,\"name_%d\":\"customer-000017\",\"score_%d\":%g,"
        "\"active_%d\":%s,\"note_%d\":\"leave at the door\",\"kind_%d\":\"%s\","
        "\"blob_%d\":\"AAECAwQFBgf6+/z9/v8KDQ==\",\"tags_%d\":[\"alpha\",\"beta\",\"gamma\"],"
        "\"attrs_%d\":{\"clicks\":\"%d\",\"views\":\"%d\",\"orders\":\"%d\"}",
        r ? "," : "", r, 1234567890123LL + r, r, 42 + r, r, r, 3.25 * (r + 1), r, r % 2 == 0 ? "true" : "false", r,
        r, kinds[r % 4], r, r, r, 1000 + r, 2000 + r, 3000 + r);
  }
  snprintf(s + len, size - len, "}");
  return s;
}

/* The Protobuf side of a case: schema registered under <topic>-pb, both
 * JSON texts, and the framed records the read paths decode. Needs c->id
 * (check() sets it). 0 on success. */
static int pb_init(rec_case_t *c, const char *record_name) {
  serde_error_t err = {0};
  char *text = proto_text(record_name, c->reps);
  char subject[128];
  snprintf(subject, sizeof subject, "%s-pb", c->topic);
  c->pb_schema = text ? serde_schema_new(c->sd, "PROTOBUF", text, strlen(text), &err) : NULL;
  free(text);
  c->pb_json = proto_json(c->reps);
  if (!c->pb_schema || !c->pb_json || serde_register(c->sd, subject, c->pb_schema, &c->pb_id, &err) != SERDE_OK ||
      serde_avro_to_json(c->schema, &c->value, &c->json, &err) != SERDE_OK ||
      !(c->avro_json = strndup((const char *)c->json.data, c->json.len)) ||
      serde_frame_protobuf_json(c->pb_schema, c->pb_id, NULL, c->pb_json, strlen(c->pb_json), &c->pb_framed,
                                &err) != SERDE_OK ||
      serde_frame_avro_json(c->schema, c->id, c->avro_json, strlen(c->avro_json), &c->avro_framed_json, &err) !=
          SERDE_OK) {
    fprintf(stderr, "bench_serde: %s Protobuf setup: %s\n", c->label, err.message);
    return 2;
  }
  /* the proto3 JSON read back frames to the same bytes */
  serde_buf_t again = {0};
  int rc = serde_deserialize_protobuf_json(c->sd, c->topic, SERDE_VALUE, c->pb_framed.data, c->pb_framed.len,
                                           &c->json, NULL, &err) != SERDE_OK ||
                   serde_frame_protobuf_json(c->pb_schema, c->pb_id, NULL, (const char *)c->json.data, c->json.len,
                                             &again, &err) != SERDE_OK
               ? 2
           : again.len != c->pb_framed.len || memcmp(again.data, c->pb_framed.data, again.len) != 0 ? 1
                                                                                                      : 0;
  if (rc) fprintf(stderr, "bench_serde: %s Protobuf round trip failed %s\n", c->label, err.message);
  serde_buf_fini(&again);
  return rc;
}

/* Parses the schema and fills the value; 0 on success. */
static int case_init(rec_case_t *c, serde_t *sd, const char *record_name) {
  serde_error_t err = {0};
  char *text = schema_text(record_name, c->reps);
  c->sd = sd;
  c->schema = text ? serde_schema_new(sd, "AVRO", text, strlen(text), &err) : NULL;
  free(text);
  if (!c->schema || serde_schema_value_new(c->schema, &c->value, &err) != SERDE_OK) {
    fprintf(stderr, "bench_serde: %s schema: %s\n", c->label, err.message);
    return -1;
  }
  for (int r = 0; r < c->reps; r++) {
    if (fill_mix(&c->value, r) != 0) {
      fprintf(stderr, "bench_serde: filling the %s value: %s\n", c->label, avro_strerror());
      return -1;
    }
  }
  c->wcap = 64 * 1024;
  c->wbuf = malloc(c->wcap);
  c->writer = c->wbuf ? avro_writer_memory(c->wbuf, (int64_t)c->wcap) : NULL;
  c->reader = avro_reader_memory(c->wbuf, 0);
  c->plain_iface = avro_generic_class_from_schema(serde_schema_avro(c->schema));
  if (!c->writer || !c->reader || !c->plain_iface ||
      avro_generic_value_new(c->plain_iface, &c->plain_out) != 0) {
    fprintf(stderr, "bench_serde: avro-c setup: %s\n", avro_strerror());
    return -1;
  }
  return 0;
}

static void case_fini(rec_case_t *c) {
  if (c->value.iface) {
    avro_value_decref(&c->value);
  }
  if (c->plain_out.iface) {
    avro_value_decref(&c->plain_out);
  }
  if (c->plain_iface) {
    avro_value_iface_decref(c->plain_iface);
  }
  if (c->serde_out.iface) {
    avro_value_decref(&c->serde_out);
  }
  if (c->writer) {
    avro_writer_free(c->writer);
  }
  if (c->reader) {
    avro_reader_free(c->reader);
  }
  free(c->wbuf);
  serde_buf_fini(&c->framed);
  serde_buf_fini(&c->json);
  serde_schema_unref(c->schema);
  serde_schema_unref(c->pb_schema);
  free(c->avro_json);
  free(c->pb_json);
  serde_buf_fini(&c->pb_framed);
  serde_buf_fini(&c->avro_framed_json);
}

/* ---- the operations timed ---------------------------------------------------- */

/* avro-c's best: one memory writer, re-pointed at the same buffer. */
static int op_avro_encode(rec_case_t *c, long n) {
  for (long i = 0; i < n; i++) {
    avro_writer_memory_set_dest(c->writer, c->wbuf, (int64_t)c->wcap);
    if (avro_value_write(c->writer, &c->value) != 0) {
      return -1;
    }
    c->plain_len = (size_t)avro_writer_tell(c->writer);
  }
  return 0;
}

static int op_serde_encode(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_serialize_avro(c->sd, c->topic, SERDE_VALUE, c->schema, &c->value, &c->framed, &err) !=
        SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_serialize_avro: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

/* avro-c's best: one memory reader, one generic value reset per record. */
static int op_avro_decode(rec_case_t *c, long n) {
  for (long i = 0; i < n; i++) {
    avro_reader_memory_set_source(c->reader, c->wbuf, (int64_t)c->plain_len);
    avro_value_reset(&c->plain_out);
    if (avro_value_read(c->reader, &c->plain_out) != 0) {
      return -1;
    }
  }
  return 0;
}

static int op_serde_decode(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_deserialize_avro(c->sd, c->topic, SERDE_VALUE, c->framed.data, c->framed.len, NULL,
                               &c->serde_out, NULL, &err) != SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_deserialize_avro: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

/* avro-c's own JSON (one line; it allocates the text each time). */
static int avro_json_once(const avro_value_t *v) {
  char *json = NULL;
  if (avro_value_to_json(v, 1, &json) != 0) {
    return -1;
  }
  free(json);
  return 0;
}

static int op_avro_to_json(rec_case_t *c, long n) {
  for (long i = 0; i < n; i++) {
    if (avro_json_once(&c->value) != 0) {
      return -1;
    }
  }
  return 0;
}

static int op_serde_to_json(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_avro_to_json(c->schema, &c->value, &c->json, &err) != SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_avro_to_json: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

/* The REST proxy's consume path done with avro-c: decode, then JSON. */
static int op_avro_read_json(rec_case_t *c, long n) {
  for (long i = 0; i < n; i++) {
    if (op_avro_decode(c, 1) != 0 || avro_json_once(&c->plain_out) != 0) {
      return -1;
    }
  }
  return 0;
}

static int op_serde_read_json(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_deserialize_avro_json(c->sd, c->topic, SERDE_VALUE, c->framed.data, c->framed.len, &c->json,
                                    NULL, &err) != SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_deserialize_avro_json: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

/* The REST proxy's produce path per record: JSON in, framed bytes out. */
static int op_avro_frame_json(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_frame_avro_json(c->schema, c->id, c->avro_json, strlen(c->avro_json), &c->avro_framed_json, &err) !=
        SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_frame_avro_json: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

static int op_pb_frame_json(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_frame_protobuf_json(c->pb_schema, c->pb_id, NULL, c->pb_json, strlen(c->pb_json), &c->pb_framed,
                                  &err) != SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_frame_protobuf_json: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

static int op_pb_read_json(rec_case_t *c, long n) {
  serde_error_t err = {0};
  for (long i = 0; i < n; i++) {
    if (serde_deserialize_protobuf_json(c->sd, c->topic, SERDE_VALUE, c->pb_framed.data, c->pb_framed.len,
                                        &c->json, NULL, &err) != SERDE_OK) {
      fprintf(stderr, "bench_serde: serde_deserialize_protobuf_json: %s\n", err.message);
      return -1;
    }
  }
  return 0;
}

/* Public pieces of serde's hot paths, timed alone. */
static int op_subject_name(rec_case_t *c, long n) {
  char subject[256];
  for (long i = 0; i < n; i++) {
    if (serde_subject_name(c->sd, c->topic, SERDE_VALUE, c->schema, subject, sizeof subject, NULL) !=
        SERDE_OK) {
      return -1;
    }
  }
  return 0;
}

static int op_frame_parse(rec_case_t *c, long n) {
  serde_frame_t frame;
  for (long i = 0; i < n; i++) {
    if (serde_frame_parse(c->framed.data, c->framed.len, &frame, NULL) != SERDE_OK) {
      return -1;
    }
  }
  return 0;
}

static int op_schema_by_id(rec_case_t *c, long n) {
  for (long i = 0; i < n; i++) {
    serde_schema_t *w = serde_schema_by_id(c->sd, c->id, NULL);
    if (!w) {
      return -1;
    }
    serde_schema_unref(w);
  }
  return 0;
}

/* ---- correctness ---------------------------------------------------------------- */

/* serde's payload must be avro-c's bytes and both decodes must give the
 * value back: 0 when all hold, 1 on a mismatch, 2 when a call fails. */
static int check(rec_case_t *c) {
  serde_frame_t frame = {0};
  if (op_avro_encode(c, 1) || op_serde_encode(c, 1) ||
      serde_frame_parse(c->framed.data, c->framed.len, &frame, NULL) != SERDE_OK || op_avro_decode(c, 1) ||
      op_serde_decode(c, 1) || op_serde_read_json(c, 1)) {
    fprintf(stderr, "bench_serde: %s record: a call failed %s\n", c->label,
            *avro_strerror() ? avro_strerror() : "(see above)");
    return 2;
  }
  c->id = frame.id;
  const char *bad = NULL;
  if (frame.payload_len != c->plain_len || memcmp(frame.payload, c->wbuf, c->plain_len) != 0) {
    bad = "serde's payload after the 5-byte frame differs from avro-c's bytes";
  } else if (!avro_value_equal(&c->plain_out, &c->value)) {
    bad = "avro-c's decoded value differs from the original";
  } else if (!avro_value_equal(&c->serde_out, &c->value)) {
    bad = "serde's decoded value differs from the original";
  } else if (c->json.len == 0) {
    bad = "serde_deserialize_avro_json gave no text";
  }
  if (bad) {
    fprintf(stderr, "bench_serde: %s record: %s (payload %zu bytes, avro-c %zu bytes)\n", c->label, bad,
            frame.payload_len, c->plain_len);
    return 1;
  }
  return 0;
}

/* ---- timing ----------------------------------------------------------------------- */

/* ns per record of n runs of op, or -1 on error. */
static double time_op(op_fn op, rec_case_t *c, long n) {
  double t0 = now_s();
  if (op(c, n) != 0) {
    return -1;
  }
  return (now_s() - t0) * 1e9 / (double)n;
}

/* Iterations that take about o->seconds (or o->iters if given). */
static long calibrate(op_fn op, rec_case_t *c, const opts_t *o) {
  if (o->iters > 0) {
    return o->iters;
  }
  for (long n = 16;; n *= 4) {
    double t0 = now_s();
    if (op(c, n) != 0) {
      return -1;
    }
    double dt = now_s() - t0;
    if (dt >= 0.02 || n > (1L << 40)) {
      long want = (long)((double)n * o->seconds / (dt > 0 ? dt : 1e-9));
      return want > 1 ? want : 1;
    }
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(const double *v, int n) {
  double s[MAX_ROUNDS];
  memcpy(s, v, (size_t)n * sizeof *v);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Two ways of doing the same work: A is the reference (avro-c, or Avro
 * for the Protobuf pairs), B is serde (or Protobuf). */
typedef struct pair {
  const char *what;
  const char *name_a;
  op_fn a;
  const char *name_b;
  op_fn b;
  int goal;          /* the 5% goal applies */
  const char *ratio; /* what B/A is called, "serde/avro-c" when NULL */
} pair_t;

/* Medians of one pair on one record size. */
typedef struct result {
  double ns_a, ns_b;         /* median ns/record */
  double ratio;              /* median of the per-round ratios B/A */
  double ratio_lo, ratio_hi; /* their range */
} result_t;

/* One round: SLICES short runs of A and of B, interleaved (A B, B A, ...)
 * and summed, so a burst of load from elsewhere hits both alike. n[0], n[1]:
 * iterations per slice; ns[0], ns[1]: ns/record. */
static int time_round(const pair_t *p, rec_case_t *c, const long n[2], double ns[2]) {
  double t[2] = {0, 0};
  for (int s = 0; s < SLICES; s++) {
    for (int j = 0; j < 2; j++) {
      int b = (s + j) % 2;
      double t0 = now_s();
      if ((b ? p->b : p->a)(c, n[b]) != 0) {
        return -1;
      }
      t[b] += now_s() - t0;
    }
  }
  for (int b = 0; b < 2; b++) {
    ns[b] = t[b] * 1e9 / ((double)n[b] * SLICES);
  }
  return 0;
}

/* o->rounds rounds of the pair; medians and the range of the per-round
 * ratios into out. 0 on success. */
static int measure_pair(const pair_t *p, rec_case_t *c, const opts_t *o, result_t *out) {
  double ns_a[MAX_ROUNDS], ns_b[MAX_ROUNDS], ratio[MAX_ROUNDS];
  long n[2] = {calibrate(p->a, c, o), calibrate(p->b, c, o)};
  if (n[0] < 0 || n[1] < 0) {
    return -1;
  }
  for (int b = 0; b < 2; b++) {
    n[b] = n[b] / SLICES > 0 ? n[b] / SLICES : 1;
  }
  for (int r = 0; r < o->rounds; r++) {
    double ns[2];
    if (time_round(p, c, n, ns) != 0) {
      return -1;
    }
    ns_a[r] = ns[0];
    ns_b[r] = ns[1];
    ratio[r] = ns[1] / ns[0];
  }
  out->ns_a = median(ns_a, o->rounds);
  out->ns_b = median(ns_b, o->rounds);
  out->ratio = median(ratio, o->rounds);
  qsort(ratio, (size_t)o->rounds, sizeof *ratio, cmp_double);
  out->ratio_lo = ratio[0];
  out->ratio_hi = ratio[o->rounds - 1];
  return 0;
}

static void print_line(const char *what, const char *name, double ns) {
  printf("  %-7s %-44s %12.0f rec/s %10.1f ns/rec\n", what, name, 1e9 / ns, ns);
}

static void print_pair(const pair_t *p, const result_t *r) {
  print_line(p->what, p->name_a, r->ns_a);
  print_line(p->what, p->name_b, r->ns_b);
  printf("  %-7s %s %.3f (rounds %.3f..%.3f), B %+.1f ns/rec, overhead %+.1f%%", "",
         p->ratio ? p->ratio : "serde/avro-c", r->ratio, r->ratio_lo, r->ratio_hi, r->ns_b - r->ns_a,
         (r->ratio - 1) * 100);
  if (p->goal) {
    printf(", goal <= +%.0f%%: %s", GOAL_OVERHEAD * 100, r->ratio <= 1 + GOAL_OVERHEAD ? "met" : "NOT met");
  }
  printf("\n");
}

static const pair_t pairs[] = {
    {"encode", "avro-c avro_value_write (memory writer)", op_avro_encode, "serde_serialize_avro (framed)",
     op_serde_encode, 1, NULL},
    {"decode", "avro-c avro_value_read (memory reader)", op_avro_decode,
     "serde_deserialize_avro (writer schema)", op_serde_decode, 1, NULL},
    {"json", "avro-c avro_value_to_json", op_avro_to_json, "serde_avro_to_json", op_serde_to_json, 0, NULL},
    {"rest", "avro-c avro_value_read + avro_value_to_json", op_avro_read_json,
     "serde_deserialize_avro_json (REST proxy path)", op_serde_read_json, 0, NULL},
    {"pb-in", "serde_frame_avro_json (Avro JSON -> framed)", op_avro_frame_json,
     "serde_frame_protobuf_json (proto3 JSON -> framed)", op_pb_frame_json, 0, "protobuf/avro"},
    {"pb-out", "serde_deserialize_avro_json (framed -> JSON)", op_serde_read_json,
     "serde_deserialize_protobuf_json (framed -> JSON)", op_pb_read_json, 0, "protobuf/avro"},
};
#define N_PAIRS (sizeof pairs / sizeof pairs[0])
#define GOAL_PAIRS 2 /* encode, decode: the first entries of pairs[] */

/* Median ns/call of one public piece of the hot path. */
static double measure_piece(op_fn op, rec_case_t *c, const opts_t *o) {
  double ns[MAX_ROUNDS];
  opts_t quick = *o;
  quick.seconds = o->seconds / 4;
  long n = calibrate(op, c, &quick);
  for (int r = 0; r < o->rounds && n > 0; r++) {
    ns[r] = time_op(op, c, n);
    if (ns[r] < 0) {
      return -1;
    }
  }
  return n > 0 ? median(ns, o->rounds) : -1;
}

static void print_pieces(rec_case_t *c, const opts_t *o) {
  printf(
      "  pieces of the serde path (public API, ns/call): serde_subject_name %.1f, "
      "serde_frame_parse %.1f, serde_schema_by_id hit+unref %.1f\n",
      measure_piece(op_subject_name, c, o), measure_piece(op_frame_parse, c, o),
      measure_piece(op_schema_by_id, c, o));
}

/* Measures every pair on one record size; results into res[N_PAIRS]. */
static int run_case(rec_case_t *c, const opts_t *o, result_t *res) {
  printf("== %s record: %d fields, %zu-byte Avro payload, %zu-byte framed record, schema id %d\n", c->label,
         c->reps * REPEAT_FIELDS, c->plain_len, c->framed.len, c->id);
  for (size_t i = 0; i < N_PAIRS; i++) {
    if (measure_pair(&pairs[i], c, o, &res[i]) != 0) {
      fprintf(stderr, "bench_serde: %s: %s failed while timing\n", c->label, pairs[i].what);
      return -1;
    }
    print_pair(&pairs[i], &res[i]);
  }
  print_pieces(c, o);
  return 0;
}

static void print_summary(rec_case_t *cases, int n_cases, result_t res[][N_PAIRS], const opts_t *o) {
  printf(
      "\n== summary: median of %d rounds; ratio = serde/avro-c time per record (> 1.00: serde is slower);\n"
      "   pb-* rows: Avro then Protobuf, ratio protobuf/avro\n",
      o->rounds);
  printf("%-7s %-7s %14s %14s %8s %10s %12s\n", "record", "op", "avro-c rec/s", "serde rec/s", "ratio",
         "overhead", "goal <= +5%");
  for (int k = 0; k < n_cases; k++) {
    for (size_t i = 0; i < N_PAIRS; i++) {
      const result_t *r = &res[k][i];
      const char *goal = i >= GOAL_PAIRS ? "(reference)" : r->ratio <= 1 + GOAL_OVERHEAD ? "met" : "NOT met";
      printf("%-7s %-7s %14.0f %14.0f %8.3f %+9.1f%% %12s\n", cases[k].label, pairs[i].what, 1e9 / r->ns_a,
             1e9 / r->ns_b, r->ratio, (r->ratio - 1) * 100, goal);
    }
  }
}

/* ---- main ---------------------------------------------------------------------------- */

/* The operation -p names ("small:encode:serde"), or NULL. */
static op_fn find_op(rec_case_t *cases, int n_cases, const char *spec, rec_case_t **c) {
  char rec[16], what[16], side[16];
  if (sscanf(spec, "%15[^:]:%15[^:]:%15s", rec, what, side) != 3) {
    return NULL;
  }
  for (int k = 0; k < n_cases; k++) {
    *c = strcmp(cases[k].label, rec) == 0 ? &cases[k] : *c;
  }
  for (size_t i = 0; i < N_PAIRS && *c; i++) {
    if (strcmp(pairs[i].what, what) == 0) {
      return strcmp(side, "serde") == 0 ? pairs[i].b : strcmp(side, "avro-c") == 0 ? pairs[i].a : NULL;
    }
  }
  return NULL;
}

/* -p: one operation alone, for a profiler (perf record, valgrind
 * --tool=callgrind). 0 on success. */
static int run_single(rec_case_t *cases, int n_cases, const opts_t *o) {
  rec_case_t *c = NULL;
  op_fn op = find_op(cases, n_cases, o->single, &c);
  if (!op) {
    fprintf(stderr, "bench_serde: -p %s: expected RECORD:OP:SIDE, e.g. small:encode:serde\n", o->single);
    return 2;
  }
  long n = calibrate(op, c, o);
  double ns = n > 0 ? time_op(op, c, n) : -1;
  if (ns < 0) {
    return 2;
  }
  printf("%s: %ld iterations, %.1f ns/rec, %.0f rec/s\n", o->single, n, ns, 1e9 / ns);
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: bench_serde [-n ITERATIONS] [-t SECONDS] [-r ROUNDS] [-p RECORD:OP:SIDE] REGISTRY_URL\n"
          "  -n  iterations per measurement (default: calibrated to -t)\n"
          "  -t  seconds per measurement (default 0.3)\n"
          "  -r  rounds per pair, alternating order; medians are reported (default 5, at most 99)\n"
          "  -p  time one operation alone, for profiling: RECORD small|large, OP encode|decode|json|rest,\n"
          "      SIDE avro-c|serde (e.g. -p small:encode:serde)\n");
  return 2;
}

static int parse_opts(int argc, char **argv, opts_t *o) {
  *o = (opts_t){NULL, 0, 0.3, 5, NULL};
  for (int ch; (ch = getopt(argc, argv, "n:t:r:p:")) != -1;) {
    if (ch == 'n') {
      o->iters = atol(optarg);
    } else if (ch == 't') {
      o->seconds = atof(optarg);
    } else if (ch == 'r') {
      o->rounds = atoi(optarg);
    } else if (ch == 'p') {
      o->single = optarg;
    } else {
      return -1;
    }
  }
  o->url = optind == argc - 1 ? argv[optind] : NULL;
  return o->url && o->rounds >= 1 && o->rounds <= MAX_ROUNDS && o->seconds > 0 && o->iters >= 0 ? 0 : -1;
}

static serde_t *open_serde(const char *url) {
  serde_error_t err = {0};
  serde_conf_t *conf = serde_conf_new();
  if (!conf || serde_conf_set(conf, "schema.registry.url", url, &err) != SERDE_OK) {
    fprintf(stderr, "bench_serde: configuration: %s\n", conf ? err.message : "out of memory");
    serde_conf_destroy(conf);
    return NULL;
  }
  serde_t *sd = serde_new(conf, &err);
  if (!sd) {
    fprintf(stderr, "bench_serde: serde_new: %s\n", err.message);
  }
  return sd;
}

int main(int argc, char **argv) {
  opts_t o;
  if (parse_opts(argc, argv, &o) != 0) {
    return usage();
  }
  serde_t *sd = open_serde(o.url);
  rec_case_t cases[2] = {{.label = "small", .topic = "bench-small", .reps = 1},
                         {.label = "large", .topic = "bench-large", .reps = REPEAT_FIELDS}};
  const char *names[2] = {"Small", "Large"};
  result_t res[2][N_PAIRS];
  int rc = sd ? 0 : 2;
  printf("bench_serde: registry %s, %ld cores, %d rounds per pair, %s per measurement\n", o.url,
         sysconf(_SC_NPROCESSORS_ONLN), o.rounds, o.iters ? "fixed iterations" : "calibrated time");
  for (int k = 0; k < 2 && rc == 0; k++) {
    rc = case_init(&cases[k], sd, names[k]) != 0 ? 2 : check(&cases[k]);
    if (rc == 0) rc = pb_init(&cases[k], names[k]);
  }
  if (rc == 0 && o.single) {
    rc = run_single(cases, 2, &o);
  }
  for (int k = 0; k < 2 && rc == 0 && !o.single; k++) {
    rc = run_case(&cases[k], &o, res[k]) != 0 ? 2 : check(&cases[k]);
  }
  if (rc == 0 && !o.single) {
    print_summary(cases, 2, res, &o);
  }
  for (int k = 0; k < 2; k++) {
    case_fini(&cases[k]);
  }
  serde_destroy(sd);
  return rc;
}
