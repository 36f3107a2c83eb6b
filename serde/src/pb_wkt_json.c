// SPDX-License-Identifier: Apache-2.0
/* The well-known types whose proto3 JSON is not an object of their fields,
 * both ways: Timestamp and Duration as strings (text in pb_wkt_time.c), the
 * wrappers as their plain value, Struct / Value / ListValue as plain JSON,
 * FieldMask as "a.b,cD", and Any as {"@type": url, ...} with the packed
 * message resolved in the schema (its fields inline, or {"value": ...} for a
 * well-known type). Ordinary messages are pb_json_out.c's and
 * pb_json_in.c's. */
#include <stdlib.h>

#include "pb_int.h"


typedef enum {
  WKT_NONE,
  WKT_TIMESTAMP,
  WKT_DURATION,
  WKT_WRAPPER,
  WKT_STRUCT,
  WKT_VALUE,
  WKT_LIST,
  WKT_FIELD_MASK,
  WKT_ANY,
} wkt_t;

static wkt_t wkt_kind(const sch_pb_message_t *m) {
  static const char prefix[] = "google.protobuf.";
  if (strncmp(m->full_name, prefix, sizeof prefix - 1) != 0) {
    return WKT_NONE;
  }
  static const struct {
    const char *name;
    wkt_t kind;
  } table[] = {
      {"Timestamp", WKT_TIMESTAMP},  {"Duration", WKT_DURATION},
      {"BoolValue", WKT_WRAPPER},    {"Int32Value", WKT_WRAPPER},
      {"Int64Value", WKT_WRAPPER},   {"UInt32Value", WKT_WRAPPER},
      {"UInt64Value", WKT_WRAPPER},  {"FloatValue", WKT_WRAPPER},
      {"DoubleValue", WKT_WRAPPER},  {"StringValue", WKT_WRAPPER},
      {"BytesValue", WKT_WRAPPER},   {"Struct", WKT_STRUCT},
      {"Value", WKT_VALUE},          {"ListValue", WKT_LIST},
      {"FieldMask", WKT_FIELD_MASK}, {"Any", WKT_ANY},
  };
  const char *rest = m->full_name + sizeof prefix - 1;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (strcmp(rest, table[i].name) == 0) {
      return table[i].kind;
    }
  }
  return WKT_NONE;
}

bool serde__pb_wkt_special(const sch_pb_message_t *m) {
  return wkt_kind(m) != WKT_NONE;
}

/* ---- out -------------------------------------------------------------------------------- */

/* The occurrences of field `number` in items[s..e) (sorted by number). */
static void run_of(const pb_jout_t *j, size_t s, size_t e, int32_t number, size_t *rs, size_t *re) {
  *rs = s;
  while (*rs < e && j->occs.items[*rs].field->number < number) {
    (*rs)++;
  }
  *re = *rs;
  while (*re < e && j->occs.items[*re].field->number == number) {
    (*re)++;
  }
}

static serde_code_t out_time(pb_jout_t *j, size_t s, size_t e, bool timestamp) {
  size_t rs = 0, re = 0;
  int64_t seconds = 0;
  int32_t nanos = 0;
  run_of(j, s, e, 1, &rs, &re);
  if (re > rs) {
    seconds = (int64_t)j->occs.items[re - 1].v;
  }
  run_of(j, s, e, 2, &rs, &re);
  if (re > rs) {
    nanos = (int32_t)(uint32_t)j->occs.items[re - 1].v;
  }
  char text[PB_TIME_TEXT_MAX];
  bool ok = timestamp ? serde__pb_timestamp_format(seconds, nanos, text)
                      : serde__pb_duration_format(seconds, nanos, text);
  if (!ok) {
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "%s of %lld seconds and %d nanos is out of range",
                       timestamp ? "timestamp" : "duration", (long long)seconds, (int)nanos);
  }
  PB_PUT(serde__buf_json_string(j->out, text, strlen(text)));
  return SERDE_OK;
}

/* A message printed as the JSON value of its field `number` (wrappers,
 * Struct, ListValue). */
static serde_code_t out_field_as(pb_jout_t *j, const sch_pb_message_t *m, size_t s, size_t e,
                                 int32_t number) {
  const sch_pb_field_t *f = sch_pb_field_by_number(m, number);
  if (!f) {
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "%s has no field %d", m->full_name, number);
  }
  size_t rs = 0, re = 0;
  run_of(j, s, e, number, &rs, &re);
  return re > rs ? serde__pb_out_value(j, m, f, rs, re) : serde__pb_out_default(j, m, f);
}

/* Value: the kind set last, null when none. */
static serde_code_t out_value(pb_jout_t *j, const sch_pb_message_t *m, size_t s, size_t e) {
  if (s == e) {
    PB_PUT(serde__buf_puts(j->out, "null"));
    return SERDE_OK;
  }
  size_t last = s;
  for (size_t k = s; k < e; k++) {
    last = j->occs.items[k].seq > j->occs.items[last].seq ? k : last;
  }
  const sch_pb_field_t *f = j->occs.items[last].field;
  uint32_t other_last = 0;
  bool other = false;
  for (size_t k = s; k < e; k++) {
    if (j->occs.items[k].field != f && (!other || j->occs.items[k].seq > other_last)) {
      other_last = j->occs.items[k].seq;
      other = true;
    }
  }
  size_t rs = 0, re = 0;
  run_of(j, s, e, f->number, &rs, &re);
  while (other && j->occs.items[rs].seq < other_last) {
    rs++;
  }
  return serde__pb_out_value(j, m, f, rs, re);
}

static serde_code_t out_field_mask(pb_jout_t *j, size_t s, size_t e) {
  size_t rs = 0, re = 0;
  run_of(j, s, e, 1, &rs, &re);
  serde_buf_t text = {0};
  serde_code_t rc = SERDE_OK;
  for (size_t k = rs; k < re && rc == SERDE_OK; k++) {
    const pb_occ_t *o = &j->occs.items[k];
    if (serde__pb_utf8_prefix(o->p, o->len) != o->len) {
      serde_buf_fini(&text);
      return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "field mask path %zu holds invalid UTF-8",
                         k - rs);
    }
    if (o->len == 0) {
      continue; /* as Java: empty paths are not printed */
    }
    rc = text.len ? serde__buf_putc(&text, ',') : SERDE_OK;
    for (size_t i = 0; i < o->len && rc == SERDE_OK; i++) {
      char c = (char)o->p[i];
      if ((c >= 'A' && c <= 'Z') || c == ',') { /* no JSON form reads back to it */
        serde_buf_fini(&text);
        return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "field mask path %zu holds \"%c\"", k - rs, c);
      }
      bool up = c == '_' && i + 1 < o->len && o->p[i + 1] >= 'a' && o->p[i + 1] <= 'z';
      rc = up ? serde__buf_putc(&text, (char)(o->p[++i] - 'a' + 'A')) : serde__buf_putc(&text, c);
    }
  }
  if (rc == SERDE_OK) {
    rc = serde__buf_json_string(j->out, text.len ? (const char *)text.data : "", text.len);
  }
  serde_buf_fini(&text);
  return rc == SERDE_OK ? SERDE_OK : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
}

/* The message a type URL names ("type.googleapis.com/pkg.Msg"). */
static const sch_pb_message_t *any_type(const sch_pb_schema_t *schema, const uint8_t *url, size_t n,
                                        bool *ascii) {
  char name[512];
  size_t start = 0;
  *ascii = true;
  for (size_t i = 0; i < n; i++) {
    *ascii = *ascii && url[i] >= 0x20 && url[i] < 0x7f;
    start = url[i] == '/' ? i + 1 : start;
  }
  if (!*ascii || n - start >= sizeof name || start == n) {
    return NULL;
  }
  memcpy(name, url + start, n - start);
  name[n - start] = '\0';
  return sch_pb_find_message(schema, name);
}

static serde_code_t out_any(pb_jout_t *j, size_t s, size_t e) {
  size_t us = 0, ue = 0, vs = 0, ve = 0;
  run_of(j, s, e, 1, &us, &ue);
  run_of(j, s, e, 2, &vs, &ve);
  if (ue == us) {
    if (ve > vs && j->occs.items[ve - 1].len > 0) {
      return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "Any has a value but no type URL");
    }
    PB_PUT(serde__buf_puts(j->out, "{}"));
    return SERDE_OK;
  }
  const pb_occ_t *url = &j->occs.items[ue - 1];
  bool ascii = true;
  const sch_pb_message_t *target = any_type(j->schema, url->p, url->len, &ascii);
  if (!target) {
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "Any type \"%.*s\" is not defined in the schema",
                       ascii ? (int)(url->len > 200 ? 200 : url->len) : 0, (const char *)url->p);
  }
  /* The packed message is a level below the Any. */
  return serde__pb_out_message(j, target, ve > vs ? ve - 1 : 0, ve > vs ? ve : 0, (const char *)url->p,
                               url->len);
}

serde_code_t serde__pb_wkt_out(pb_jout_t *j, const sch_pb_message_t *m, size_t s, size_t e) {
  switch (wkt_kind(m)) {
    case WKT_TIMESTAMP:
      return out_time(j, s, e, true);
    case WKT_DURATION:
      return out_time(j, s, e, false);
    case WKT_WRAPPER:
    case WKT_STRUCT:
    case WKT_LIST:
      return out_field_as(j, m, s, e, 1);
    case WKT_VALUE:
      return out_value(j, m, s, e);
    case WKT_FIELD_MASK:
      return out_field_mask(j, s, e);
    case WKT_ANY:
      return out_any(j, s, e);
    default:
      return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "%s has no special JSON form", m->full_name);
  }
}

/* ---- in ----------------------------------------------------------------------------------- */

static serde_code_t put_varint_field(pb_jin_t *j, int32_t number, uint64_t v) {
  if (v == 0) { /* proto3: defaults are not written */
    return SERDE_OK;
  }
  PB_PUT(serde__pb_put_tag(j->out, number, PB_VARINT));
  PB_PUT(serde__pb_put_varint(j->out, v));
  return SERDE_OK;
}

static serde_code_t in_time(pb_jin_t *j, const json_t *v, bool timestamp) {
  int64_t seconds = 0;
  int32_t nanos = 0;
  bool ok =
      json_is_string(v) &&
      (timestamp ? serde__pb_timestamp_parse(json_string_value(v), json_string_length(v), &seconds, &nanos)
                 : serde__pb_duration_parse(json_string_value(v), json_string_length(v), &seconds, &nanos));
  if (!ok) {
    return serde__pb_in_expected(j,
                                 timestamp ? "expected an RFC 3339 timestamp (\"1972-01-01T10:00:20.021Z\")"
                                           : "expected a duration (\"1.5s\")",
                                 v);
  }
  PB_TRY(put_varint_field(j, 1, (uint64_t)seconds));
  return put_varint_field(j, 2, (uint64_t)(int64_t)nanos);
}

static serde_code_t in_field_as(pb_jin_t *j, const sch_pb_message_t *m, const json_t *v, int32_t number,
                                const char *want, bool (*is)(const json_t *)) {
  const sch_pb_field_t *f = sch_pb_field_by_number(m, number);
  if (!f) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s has no field %d", m->full_name, number);
  }
  if (is && !is(v)) {
    return serde__pb_in_expected(j, want, v);
  }
  if (json_is_null(v)) {
    return serde__pb_in_expected(j, "expected a value", v);
  }
  return serde__pb_in_field(j, m, f, v);
}

static bool is_object(const json_t *v) {
  return json_is_object(v);
}
static bool is_array(const json_t *v) {
  return json_is_array(v);
}

static serde_code_t in_value(pb_jin_t *j, const sch_pb_message_t *m, const json_t *v) {
  int32_t number = json_is_null(v)      ? 1
                   : json_is_number(v)  ? 2
                   : json_is_string(v)  ? 3
                   : json_is_boolean(v) ? 4
                   : json_is_object(v)  ? 5
                                        : 6;
  const sch_pb_field_t *f = sch_pb_field_by_number(m, number);
  if (!f) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s has no field %d", m->full_name, number);
  }
  return serde__pb_in_field(j, m, f, v);
}

static serde_code_t in_field_mask(pb_jin_t *j, const json_t *v) {
  if (!json_is_string(v)) {
    return serde__pb_in_expected(j, "expected a field mask (\"a.b,cD\")", v);
  }
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  serde_buf_t path = {0};
  serde_code_t rc = SERDE_OK;
  for (size_t i = 0; i <= n && rc == SERDE_OK; i++) {
    if (i < n && s[i] != ',') {
      char c = s[i];
      rc = c >= 'A' && c <= 'Z' ? serde__buf_putc(&path, '_') : SERDE_OK;
      rc = rc == SERDE_OK ? serde__buf_putc(&path, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) : rc;
      continue;
    }
    if (path.len) { /* a path ends: field 1, repeated string */
      rc = serde__pb_put_tag(j->out, 1, PB_LEN);
      rc = rc == SERDE_OK ? serde__pb_put_varint(j->out, path.len) : rc;
      rc = rc == SERDE_OK ? serde__buf_put(j->out, path.data, path.len) : rc;
      path.len = 0;
    }
  }
  serde_buf_fini(&path);
  return rc == SERDE_OK ? SERDE_OK : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
}

static serde_code_t in_any(pb_jin_t *j, const json_t *v) {
  if (!json_is_object(v)) {
    return serde__pb_in_expected(j, "expected an object with \"@type\"", v);
  }
  if (json_object_size(v) == 0) {
    return SERDE_OK;
  }
  const json_t *url = json_object_get(v, "@type");
  if (!json_is_string(url)) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "an Any needs a \"@type\" string");
  }
  bool ascii = true;
  const char *u = json_string_value(url);
  size_t un = json_string_length(url);
  const sch_pb_message_t *target = any_type(j->schema, (const uint8_t *)u, un, &ascii);
  if (!target) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "Any type \"%.200s\" is not defined in the schema",
                       u);
  }
  const json_t *body = v;
  bool special = serde__pb_wkt_special(target);
  if (special && !(body = json_object_get(v, "value"))) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "an Any of %s needs a \"value\" member",
                       target->full_name);
  }
  PB_PUT(serde__pb_put_tag(j->out, 1, PB_LEN));
  PB_PUT(serde__pb_put_varint(j->out, un));
  PB_PUT(serde__buf_put(j->out, u, un));
  size_t start = j->out->len, pos = 0;
  PB_PUT(serde__pb_put_tag(j->out, 2, PB_LEN));
  PB_PUT(serde__pb_len_begin(j->out, &pos));
  PB_TRY(serde__pb_in_message(j, target, body, !special));
  if (j->out->len == pos) { /* an empty value is the default: not written */
    j->out->len = start;
    return SERDE_OK;
  }
  PB_PUT(serde__pb_len_end(j->out, pos));
  return SERDE_OK;
}

serde_code_t serde__pb_wkt_in(pb_jin_t *j, const sch_pb_message_t *m, const json_t *json) {
  switch (wkt_kind(m)) {
    case WKT_TIMESTAMP:
      return in_time(j, json, true);
    case WKT_DURATION:
      return in_time(j, json, false);
    case WKT_WRAPPER:
      return in_field_as(j, m, json, 1, NULL, NULL);
    case WKT_STRUCT:
      return in_field_as(j, m, json, 1, "expected an object", is_object);
    case WKT_LIST:
      return in_field_as(j, m, json, 1, "expected an array", is_array);
    case WKT_VALUE:
      return in_value(j, m, json);
    case WKT_FIELD_MASK:
      return in_field_mask(j, json);
    case WKT_ANY:
      return in_any(j, json);
    default:
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s has no special JSON form", m->full_name);
  }
}
