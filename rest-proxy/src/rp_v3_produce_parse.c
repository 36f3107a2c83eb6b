// SPDX-License-Identifier: Apache-2.0
/* Reading v3 produce requests (rest-proxy.md §2.3): framing a stream of
 * concatenated JSON objects, and turning one record object (partition_id,
 * headers, key, value, timestamp) into Kafka bytes with the precise
 * per-record error codes. Schema selection goes through rp_schema_resolve
 * (the path v2 uses too), cached per request so a stream resolves its
 * schema once. Sending and reporting live in rp_v3_produce.c. */
#include <avro.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rp_kafka.h"
#include "rp_v3_produce.h"
#include "schemas/schemas.h"

/* ---- framing -------------------------------------------------------------- */

void rp_v3_framer_init(rp_v3_framer_t *f, size_t max) {
  memset(f, 0, sizeof *f);
  f->max = max;
}

void rp_v3_framer_fini(rp_v3_framer_t *f) {
  free(f->buf);
  memset(f, 0, sizeof *f);
}

bool rp_v3_framer_push(rp_v3_framer_t *f, const char *data, size_t len) {
  if (f->start > 0) { /* drop what was handed out */
    memmove(f->buf, f->buf + f->start, f->len - f->start);
    f->len -= f->start, f->pos -= f->start, f->start = 0;
  }
  if (f->cap - f->len < len) {
    size_t cap = f->cap ? f->cap : 65536;
    while (cap - f->len < len) cap *= 2;
    char *p = realloc(f->buf, cap);
    if (!p) return false;
    f->buf = p, f->cap = cap;
  }
  memcpy(f->buf + f->len, data, len);
  f->len += len;
  return true;
}

static bool is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

rp_v3_frame_t rp_v3_framer_next(rp_v3_framer_t *f, const char **obj, size_t *len) {
  while (f->pos < f->len) {
    char ch = f->buf[f->pos];
    if (!f->in_obj) {
      if (is_space(ch)) {
        f->start = ++f->pos;
        continue;
      }
      if (ch != '{') return RP_V3_FRAME_MALFORMED;
      f->in_obj = true, f->depth = 0, f->in_str = false, f->esc = false;
      f->start = f->pos;
    }
    f->pos++;
    if (f->in_str) {
      if (f->esc)
        f->esc = false;
      else if (ch == '\\')
        f->esc = true;
      else if (ch == '"')
        f->in_str = false;
    } else if (ch == '"') {
      f->in_str = true;
    } else if (ch == '{' || ch == '[') {
      f->depth++;
    } else if ((ch == '}' || ch == ']') && --f->depth == 0) {
      if (ch == ']') return RP_V3_FRAME_MALFORMED; /* "{...]": not an object */
      *obj = f->buf + f->start;
      *len = f->pos - f->start;
      f->in_obj = false;
      f->start = f->pos;
      return *len > f->max ? RP_V3_FRAME_TOO_LARGE : RP_V3_FRAME_OBJECT;
    }
    if (f->pos - f->start > f->max) return RP_V3_FRAME_TOO_LARGE;
  }
  return RP_V3_FRAME_MORE;
}

bool rp_v3_framer_idle(const rp_v3_framer_t *f) {
  return !f->in_obj;
}

/* ---- record state ------------------------------------------------------------ */

static void side_fini(rp_v3_side_t *s) {
  free(s->subject);
  serde_buf_fini(&s->bytes);
  memset(s, 0, sizeof *s);
}

void rp_v3_record_fini(rp_v3_rec_t *rec) {
  free(rec->msg);
  free(rec->id);
  if (rec->headers) rd_kafka_headers_destroy(rec->headers);
  side_fini(&rec->key);
  side_fini(&rec->value);
  memset(rec, 0, sizeof *rec);
}

/* Replaces bytes that do not form valid UTF-8 with '?' (messages quote
 * request text cut at a byte count, and reports are JSON text). */
static void fix_utf8(char *s) {
  unsigned char *p = (unsigned char *)s;
  while (*p) {
    size_t len = *p < 0x80 ? 1 : *p >= 0xF0 && *p <= 0xF4 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
    size_t i = 1;
    while (len && i < len && (p[i] & 0xC0) == 0x80) i++;
    if (!len || i < len) {
      *p++ = '?';
      continue;
    }
    p += len;
  }
}

void rp_v3_record_fail(rp_v3_rec_t *rec, rp_code_t code, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fix_utf8(msg);
  char *id = rec->id;
  bool end = rec->end_stream;
  rec->id = NULL;
  rp_v3_record_fini(rec);
  rec->id = id;
  rec->end_stream = end;
  rec->code = code;
  rec->msg = strdup(msg); /* NULL when out of memory: the code's default message */
}

static void cache_clear(rp_v3_schema_cache_t *c) {
  free(c->text);
  free(c->subject);
  rp_schema_ref_fini(&c->ref);
  memset(c, 0, sizeof *c);
}

void rp_v3_produce_fini(rp_v3_produce_t *p) {
  cache_clear(&p->cache[SERDE_KEY]);
  cache_clear(&p->cache[SERDE_VALUE]);
}

/* ---- small field readers ----------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* n decimal digits at *p into *out; advances *p. */
static bool digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char ch = (*p)[i];
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  *p += n;
  *out = v;
  return true;
}

static bool expect(const char **p, char ch) {
  if (**p != ch) return false;
  (*p)++;
  return true;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" (or '-') into seconds east of UTC. */
static bool parse_zone(const char *p, int *offset_s) {
  if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
    *offset_s = 0;
    return true;
  }
  if (*p != '+' && *p != '-') return false;
  int sign = *p++ == '-' ? -1 : 1, hh = 0, mm = 0;
  if (!digits(&p, 2, &hh)) return false;
  if (*p == ':') p++;
  if (*p && !digits(&p, 2, &mm)) return false;
  if (*p || hh > 18 || mm > 59) return false;
  *offset_s = sign * (hh * 3600 + mm * 60);
  return true;
}

/* ISO-8601 instant "YYYY-MM-DDTHH:MM:SS[.fraction](Z|offset)" to epoch ms. */
static bool parse_instant(const char *s, int64_t *ms) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const char *p = s;
  int y, mo, d, h, mi, sec, frac_ms = 0, offset_s = 0;
  if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') || !digits(&p, 2, &d))
    return false;
  if ((*p != 'T' && *p != 't') || !(p++, digits(&p, 2, &h)) || !expect(&p, ':') || !digits(&p, 2, &mi) ||
      !expect(&p, ':') || !digits(&p, 2, &sec))
    return false;
  if (*p == '.') {
    p++;
    int n = 0;
    for (; *p >= '0' && *p <= '9'; p++, n++) {
      if (n < 3) frac_ms = frac_ms * 10 + (*p - '0');
    }
    if (n == 0 || n > 9) return false;
    for (; n < 3; n++) frac_ms *= 10;
  }
  if (!parse_zone(p, &offset_s)) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 ||
      sec > 59)
    return false;
  int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  *ms = secs * 1000 + frac_ms;
  return true;
}

/* The latest instant accepted: 9999-12-31T23:59:59Z. */
#define MAX_TIMESTAMP_S 253402300799LL

/* "timestamp": an ISO-8601 string, or (as Jackson reads an Instant) a
 * number of seconds since the epoch. */
static bool read_timestamp(const json_t *obj, rp_v3_rec_t *rec) {
  const json_t *v = json_object_get(obj, "timestamp");
  if (!v || json_is_null(v)) return true;
  int64_t ms = -1;
  if (json_is_string(v)) {
    if (!parse_instant(json_string_value(v), &ms)) {
      rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                        "timestamp \"%.64s\" is not an ISO-8601 instant like 2021-02-05T19:14:42.000Z.",
                        json_string_value(v));
      return false;
    }
  } else if (json_is_number(v) && isfinite(json_number_value(v)) && json_number_value(v) >= 0 &&
             json_number_value(v) <= (double)MAX_TIMESTAMP_S) {
    ms = json_is_integer(v) ? json_integer_value(v) * 1000 : llround(json_real_value(v) * 1000.0);
  } else {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "timestamp must be an ISO-8601 instant string.");
    return false;
  }
  if (ms < 0 || ms > MAX_TIMESTAMP_S * 1000 + 999) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                      "timestamp must be between 1970-01-01T00:00:00Z and 9999-12-31.");
    return false;
  }
  rec->timestamp_ms = ms == 0 ? 1 : ms; /* 0 means "now" to rp_batch; 1 ms off is the closest we can store */
  return true;
}

static bool read_partition(rp_v3_produce_t *p, const json_t *obj, rp_v3_rec_t *rec) {
  const json_t *v = json_object_get(obj, "partition_id");
  rec->partition = -1;
  if (!v || json_is_null(v)) return true;
  if (!json_is_integer(v)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "partition_id must be an integer.");
    return false;
  }
  json_int_t n = json_integer_value(v);
  if (n < 0) {
    rp_v3_record_fail(rec, RP_ERR_PARTITION_NOT_FOUND, "Partition %lld not found.", (long long)n);
    return false;
  }
  int32_t count = p->partitions;
  if (n >= count && rp_kafka_partitions(p->rp->kafka, p->topic, &count) == RP_OK) p->partitions = count;
  if (n >= count) {
    rp_v3_record_fail(rec, RP_ERR_UNKNOWN_TOPIC_PARTITION,
                      "This server does not host this topic-partition: partition %lld of topic %s.",
                      (long long)n, p->topic);
    return false;
  }
  rec->partition = (int32_t)n;
  return true;
}

/* "headers": [{"name": string, "value": base64 string or null}, ...]. */
static bool read_headers(rp_v3_produce_t *p, const json_t *obj, rp_v3_rec_t *rec) {
  const json_t *hs = json_object_get(obj, "headers");
  if (!hs || json_is_null(hs)) return true;
  if (!json_is_array(hs)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "headers must be an array of {\"name\", \"value\"} objects.");
    return false;
  }
  rec->headers = rd_kafka_headers_new(json_array_size(hs));
  serde_buf_t bytes = {0};
  bool ok = rec->headers != NULL;
  size_t i;
  const json_t *h;
  json_array_foreach(hs, i, h) {
    const json_t *name = json_object_get(h, "name"), *value = json_object_get(h, "value");
    bool is_null = true;
    char msg[128];
    if (!ok || !json_is_string(name) ||
        (value && !json_is_null(value) &&
         rp_encode(p->rp, RP_FMT_BINARY, NULL, value, &bytes, &is_null, msg, sizeof msg) != RP_OK)) {
      ok = false;
      break;
    }
    rd_kafka_header_add(rec->headers, json_string_value(name), (ssize_t)json_string_length(name),
                        is_null ? NULL : (bytes.data ? (const void *)bytes.data : ""),
                        is_null ? 0 : (ssize_t)bytes.len);
  }
  serde_buf_fini(&bytes);
  if (!ok)
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                      "headers[%zu] must be {\"name\": string, \"value\": padded base64 string or null}.", i);
  return ok;
}

/* ---- key and value ------------------------------------------------------------ */

/* The fields of a key/value object. */
typedef struct side_req {
  const char *what; /* "key" / "value" */
  const json_t *data;
  const char *type, *schema, *subject, *strategy;
  int64_t schema_id, schema_version;
} side_req_t;

/* Reads an optional string field; false (rec failed) when not a string. */
static bool opt_string(const json_t *o, const char *what, const char *name, const char **out,
                       rp_v3_rec_t *rec) {
  const json_t *v = json_object_get(o, name);
  *out = NULL;
  if (!v || json_is_null(v)) return true;
  if (json_is_string(v)) {
    *out = json_string_value(v);
    return true;
  }
  rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "%s.%s must be a string.", what, name);
  return false;
}

static bool opt_int(const json_t *o, const char *what, const char *name, int64_t *out, rp_v3_rec_t *rec) {
  const json_t *v = json_object_get(o, name);
  *out = -1;
  if (!v || json_is_null(v)) return true;
  if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= INT32_MAX) {
    *out = json_integer_value(v);
    return true;
  }
  rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "%s.%s must be a non-negative 32-bit integer.", what, name);
  return false;
}

static bool read_side_req(const json_t *o, side_req_t *r, rp_v3_rec_t *rec) {
  r->data = json_object_get(o, "data");
  return opt_string(o, r->what, "type", &r->type, rec) && opt_string(o, r->what, "schema", &r->schema, rec) &&
         opt_string(o, r->what, "subject", &r->subject, rec) &&
         opt_string(o, r->what, "subject_name_strategy", &r->strategy, rec) &&
         opt_int(o, r->what, "schema_id", &r->schema_id, rec) &&
         opt_int(o, r->what, "schema_version", &r->schema_version, rec);
}

/* The field combinations SchemaManagerImpl allows (§2.3); false after
 * failing rec with 400. */
static bool check_combination(const side_req_t *r, bool has_type, rp_format_t fmt, rp_v3_rec_t *rec) {
  const char *bad = NULL;
  if (has_type && !rp_format_has_schema(fmt)) {
    bad = r->schema_id >= 0        ? "schema_id"
          : r->schema_version >= 0 ? "schema_version"
          : r->schema              ? "schema"
          : r->subject             ? "subject"
          : r->strategy            ? "subject_name_strategy"
                                   : NULL;
    if (bad)
      rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "%s: cannot use %s with schemaless format %s.", r->what, bad,
                        rp_format_name(fmt));
    return !bad;
  }
  if (has_type && (r->schema_id >= 0 || r->schema_version >= 0)) {
    bad = "cannot use type together with schema_id or schema_version (the registry knows the type)";
  } else if (r->schema_id >= 0 && (r->schema_version >= 0 || r->schema)) {
    bad = "cannot use schema_id together with schema_version or schema";
  } else if (r->schema_version >= 0 && r->schema) {
    bad = "cannot use schema_version together with schema";
  } else if (r->schema && !has_type) {
    bad = "a raw schema needs a type (AVRO, JSONSCHEMA or PROTOBUF)";
  } else if (has_type && !r->schema) {
    bad =
        "type AVRO, JSONSCHEMA or PROTOBUF needs schema (or leave type out to use schema_id, schema_version "
        "or the subject's latest version)";
  } else if (r->subject && r->strategy) {
    bad = "subject and subject_name_strategy are mutually exclusive";
  }
  if (bad) rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "%s: %s.", r->what, bad);
  return !bad;
}

static bool parse_strategy(const char *s, rp_strategy_t *out) {
  if (!s || strcmp(s, "TOPIC_NAME") == 0)
    *out = RP_STRATEGY_TOPIC;
  else if (strcmp(s, "RECORD_NAME") == 0)
    *out = RP_STRATEGY_RECORD;
  else if (strcmp(s, "TOPIC_RECORD_NAME") == 0)
    *out = RP_STRATEGY_TOPIC_RECORD;
  else
    return false;
  return true;
}

static bool same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s, bool *oom) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) *oom = true;
  return d;
}

/* The v3 code of a schema selection failure (§2.3: 40801 when the
 * registry cannot give the schema asked for, 42205 for a bad raw schema). */
static rp_code_t v3_schema_code(rp_code_t rc, const rp_schema_sel_t *sel) {
  if (rc == RP_ERR_INVALID_SCHEMA && !sel->schema_text) return RP_ERR_SCHEMA_REGISTRY;
  if (rc == RP_ERR_UNPROCESSABLE) return RP_ERR_BAD_REQUEST;
  return rc;
}

/* Resolves sel through the side's cache. RP_OK with *ref borrowed from the
 * cache, else the v3 code with msg. Failures other than transient registry
 * errors are cached too (a stream with a bad schema does not ask again). */
static rp_code_t resolve(rp_v3_produce_t *p, serde_side_t side, rp_format_t fmt, const rp_schema_sel_t *sel,
                         const rp_schema_ref_t **ref, char *msg, size_t msg_size) {
  rp_v3_schema_cache_t *c = &p->cache[side];
  if (c->valid && c->fmt == fmt && c->id == sel->schema_id && c->version == sel->schema_version &&
      c->strategy == sel->strategy && same_str(c->subject, sel->subject) &&
      same_str(c->text, sel->schema_text)) {
    *ref = &c->ref;
    return RP_OK;
  }
  rp_schema_ref_t fresh;
  rp_code_t rc = rp_schema_resolve(p->rp, fmt, p->topic, side, sel, &fresh, msg, msg_size);
  if (rc != RP_OK) return v3_schema_code(rc, sel);
  cache_clear(c);
  bool oom = false;
  c->text = dup_or_null(sel->schema_text, &oom);
  c->subject = dup_or_null(sel->subject, &oom);
  c->ref = fresh;
  if (oom) {
    cache_clear(c);
    snprintf(msg, msg_size, "Out of memory");
    return RP_ERR_NOMEM;
  }
  c->valid = true, c->fmt = fmt, c->id = sel->schema_id, c->version = sel->schema_version;
  c->strategy = sel->strategy;
  *ref = &c->ref;
  return RP_OK;
}

/* True when Avro data null is a value of the schema (null, or a union with
 * a null branch), or the schema is Protobuf: it is then written as a Kafka
 * null, like Confluent's serializers do with a null object. */
static bool schema_takes_null(const rp_schema_ref_t *ref) {
  if (ref->schema && rp_format_of_schema(ref->schema) == RP_FMT_PROTOBUF) return true; /* a tombstone */
  avro_schema_t s = ref->schema ? serde_schema_avro(ref->schema) : NULL;
  if (is_avro_null(s)) return true;
  if (!is_avro_union(s)) return false;
  for (size_t i = 0; i < avro_schema_union_size(s); i++)
    if (is_avro_null(avro_schema_union_branch(s, (int)i))) return true;
  return false;
}

/* Schema-backed side: resolve, then encode (AVRO, PROTOBUF) or fail. Without
 * a type the registry schema's format is the record's. */
static bool encode_with_schema(rp_v3_produce_t *p, serde_side_t side, const side_req_t *r, rp_format_t fmt,
                               rp_v3_side_t *out, rp_v3_rec_t *rec) {
  rp_schema_sel_t sel = {.schema_text = r->schema,
                         .schema_id = r->schema_id,
                         .schema_version = r->schema_version,
                         .subject = r->subject,
                         .any_type = r->type == NULL};
  if (!parse_strategy(r->strategy, &sel.strategy)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                      "%s.subject_name_strategy must be TOPIC_NAME, RECORD_NAME or TOPIC_RECORD_NAME.",
                      r->what);
    return false;
  }
  char msg[768] = "";
  const rp_schema_ref_t *ref = NULL;
  rp_code_t rc = resolve(p, side, fmt, &sel, &ref, msg, sizeof msg);
  if (rc != RP_OK) {
    rp_v3_record_fail(rec, rc, "%s: %s", r->what, msg);
    return false;
  }
  if (sel.any_type) fmt = out->fmt = rp_format_of_schema(ref->schema);
  out->schema = true;
  out->schema_id = ref->id;
  out->schema_version = ref->version;
  out->subject = strdup(ref->subject);
  if (!out->subject) {
    rp_v3_record_fail(rec, RP_ERR_NOMEM, "Out of memory");
    return false;
  }
  if (!r->data || json_is_null(r->data)) {
    out->is_null = true;
    if (schema_takes_null(ref)) return true;
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "%s: data null is not a value of schema %d.", r->what,
                      (int)ref->id);
    return false;
  }
  rc = rp_encode(p->rp, fmt, ref, r->data, &out->bytes, &out->is_null, msg, sizeof msg);
  if (rc == RP_OK) return true;
  rp_v3_record_fail(rec, rc == RP_ERR_UNPROCESSABLE ? RP_ERR_BAD_REQUEST : rc, "%s: %s", r->what, msg);
  return false;
}

static bool read_side(rp_v3_produce_t *p, const json_t *obj, serde_side_t side, rp_v3_rec_t *rec) {
  side_req_t r = {.what = side == SERDE_KEY ? "key" : "value"};
  rp_v3_side_t *out = side == SERDE_KEY ? &rec->key : &rec->value;
  const json_t *o = json_object_get(obj, r.what);
  out->is_null = true;
  if (!o || json_is_null(o)) return true;
  if (!json_is_object(o)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                      "%s must be an object like {\"type\": \"BINARY\", \"data\": ...}.", r.what);
    return false;
  }
  out->present = true;
  if (!read_side_req(o, &r, rec)) return false;
  rp_format_t fmt = RP_FMT_AVRO; /* no type: the registry schema's format, settled once it is resolved */
  if (r.type && !rp_format_parse(r.type, &fmt)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST,
                      "%s.type \"%.40s\" is not one of BINARY, JSON, STRING, AVRO, JSONSCHEMA, PROTOBUF.",
                      r.what, r.type);
    return false;
  }
  if (!check_combination(&r, r.type != NULL, fmt, rec)) return false;
  out->fmt = fmt;
  if (rp_format_has_schema(fmt)) return encode_with_schema(p, side, &r, fmt, out, rec);
  char msg[256] = "";
  rp_code_t rc = rp_encode(p->rp, fmt, NULL, r.data, &out->bytes, &out->is_null, msg, sizeof msg);
  if (rc == RP_OK) return true;
  rp_v3_record_fail(rec, rc == RP_ERR_UNPROCESSABLE ? RP_ERR_BAD_REQUEST : rc, "%s: %s", r.what, msg);
  return false;
}

void rp_v3_record_prepare(rp_v3_produce_t *p, const json_t *obj, rp_v3_rec_t *rec) {
  rec->code = RP_OK;
  rec->partition = -1;
  if (!json_is_object(obj)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "A record must be a JSON object.");
    return;
  }
  if (read_partition(p, obj, rec) && read_timestamp(obj, rec) && read_headers(p, obj, rec) &&
      read_side(p, obj, SERDE_KEY, rec))
    read_side(p, obj, SERDE_VALUE, rec);
}

void rp_v3_record_prepare_text(rp_v3_produce_t *p, const char *text, size_t len, rp_v3_rec_t *rec) {
  if (!sch_json_nesting_within(text, len, RP_MAX_BODY_DEPTH)) {
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "Record nests deeper than %d levels.", RP_MAX_BODY_DEPTH);
    return;
  }
  json_error_t jerr;
  json_t *obj = json_loadb(text, len, 0, &jerr);
  if (!obj) {
    rec->end_stream = true;
    rp_v3_record_fail(rec, RP_ERR_BAD_REQUEST, "Error processing JSON: %s (at byte %d of the record).",
                      jerr.text, jerr.position);
    return;
  }
  rp_v3_record_prepare(p, obj, rec);
  json_decref(obj);
}
