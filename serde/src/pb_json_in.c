// SPDX-License-Identifier: Apache-2.0
/* proto3 JSON -> Protobuf binary, schema-driven, as Java's JsonFormat
 * parser reads JSON into a DynamicMessage and protoc's C++ serializes it:
 * members matched by json_name or field name, written in field-number
 * order, proto3 fields without presence left out when default, repeated
 * scalars packed when the field is packed, map entries written with key and
 * value. Every value is checked against its field's type; errors carry the
 * JSON path. The well-known types' special forms are pb_wkt_json.c's. */
#include <math.h>
#include <stdlib.h>

#include "pb_int.h"


/* ---- errors -------------------------------------------------------------------------- */

static void describe(const json_t *v, char *out, size_t size) {
  switch (json_typeof(v)) {
    case JSON_OBJECT:
      snprintf(out, size, "an object");
      break;
    case JSON_ARRAY:
      snprintf(out, size, "an array");
      break;
    case JSON_STRING:
      snprintf(out, size, "\"%.40s%s\"", json_string_value(v), json_string_length(v) > 40 ? "..." : "");
      break;
    case JSON_INTEGER:
      snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
      break;
    case JSON_REAL:
      snprintf(out, size, "%.17g", json_real_value(v));
      break;
    case JSON_TRUE:
      snprintf(out, size, "true");
      break;
    case JSON_FALSE:
      snprintf(out, size, "false");
      break;
    default:
      snprintf(out, size, "null");
  }
}

serde_code_t serde__pb_in_expected(pb_jin_t *j, const char *what, const json_t *got) {
  char text[64];
  describe(got, text, sizeof text);
  return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "%s, got %s", what, text);
}

/* ---- scalars ---------------------------------------------------------------------------- */

bool serde__pb_null_is_value(const sch_pb_field_t *f) {
  const char *name = f->message ? f->message->full_name : f->enm ? f->enm->full_name : NULL;
  return name &&
         (strcmp(name, "google.protobuf.Value") == 0 || strcmp(name, "google.protobuf.NullValue") == 0);
}

static serde_code_t in_enum(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v, pb_scalar_t *out) {
  const sch_pb_enum_t *e = f->enm;
  if (json_is_null(v)) { /* only reached for google.protobuf.NullValue */
    out->u = 0;
    return SERDE_OK;
  }
  if (json_is_string(v)) {
    for (size_t i = 0; i < e->n_values; i++) {
      if (strcmp(e->values[i].name, json_string_value(v)) == 0) {
        out->u = (uint64_t)(int64_t)e->values[i].number;
        return SERDE_OK;
      }
    }
  }
  int64_t n = 0;
  const char *why = NULL;
  if (!json_is_boolean(v) && serde__pb_json_int(v, INT32_MIN, INT32_MAX, &n, &why)) {
    bool known = false;
    for (size_t i = 0; i < e->n_values && !known; i++) {
      known = e->values[i].number == n;
    }
    if (known || e->file->syntax == SCH_PROTO3) { /* proto3 enums are open */
      out->u = (uint64_t)n;
      return SERDE_OK;
    }
  }
  char what[300];
  snprintf(what, sizeof what, "expected a value of enum %s", e->full_name);
  return serde__pb_in_expected(j, what, v);
}

/* Standard or URL-safe base64, padding optional. *owned gets the bytes. */
static serde_code_t in_bytes(pb_jin_t *j, const json_t *v, pb_scalar_t *out, void **owned) {
  if (!json_is_string(v)) {
    return serde__pb_in_expected(j, "expected base64 text", v);
  }
  size_t n = json_string_length(v);
  char *text = serde__strndup(json_string_value(v), n);
  if (!text) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    text[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
  }
  size_t len = 0;
  uint8_t *bytes = n ? sch_base64_decode(text, n, &len) : NULL;
  free(text);
  if (n && !bytes) {
    return serde__pb_in_expected(j, "expected base64 text", v);
  }
  out->s = bytes ? (const void *)bytes : (const void *)"";
  out->n = len;
  *owned = bytes;
  return SERDE_OK;
}

/* Parses v as a value of scalar or enum field f. */
static serde_code_t in_scalar(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v, pb_scalar_t *out,
                              void **owned) {
  *out = (pb_scalar_t){0};
  *owned = NULL;
  int64_t i = 0;
  const char *why = "expected a number";
  bool ok = false;
  switch (f->type) {
    case SCH_PB_INT32:
    case SCH_PB_SINT32:
    case SCH_PB_SFIXED32:
      ok = serde__pb_json_int(v, INT32_MIN, INT32_MAX, &i, &why);
      out->u = (uint64_t)i;
      break;
    case SCH_PB_INT64:
    case SCH_PB_SINT64:
    case SCH_PB_SFIXED64:
      ok = serde__pb_json_int(v, INT64_MIN, INT64_MAX, &i, &why);
      out->u = (uint64_t)i;
      break;
    case SCH_PB_UINT32:
    case SCH_PB_FIXED32:
      ok = serde__pb_json_uint(v, UINT32_MAX, &out->u, &why);
      break;
    case SCH_PB_UINT64:
    case SCH_PB_FIXED64:
      ok = serde__pb_json_uint(v, UINT64_MAX, &out->u, &why);
      break;
    case SCH_PB_FLOAT:
    case SCH_PB_DOUBLE:
      ok = serde__pb_json_double(v, f->type == SCH_PB_FLOAT, &out->d, &why);
      break;
    case SCH_PB_BOOL:
      why = "expected true or false";
      ok = json_is_boolean(v) || (json_is_string(v) && (strcmp(json_string_value(v), "true") == 0 ||
                                                        strcmp(json_string_value(v), "false") == 0));
      out->u = json_is_true(v) || (json_is_string(v) && json_string_value(v)[0] == 't');
      break;
    case SCH_PB_STRING:
      why = "expected a string";
      ok = json_is_string(v);
      out->s = ok ? json_string_value(v) : NULL;
      out->n = ok ? json_string_length(v) : 0;
      break;
    case SCH_PB_BYTES:
      return in_bytes(j, v, out, owned);
    case SCH_PB_ENUM:
      return in_enum(j, f, v, out);
    default:
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "field \"%s\" is not a scalar", f->name);
  }
  return ok ? SERDE_OK : serde__pb_in_expected(j, why, v);
}

/* Does f keep a default value it was given (proto2, oneof members, proto3
 * `optional`), or is the default not written (proto3 implicit presence)? */
static bool has_presence(const sch_pb_message_t *m, const sch_pb_field_t *f) {
  return m->file->syntax == SCH_PROTO2 || f->oneof_index >= 0 || f->message != NULL;
}

/* Writes one scalar with its tag; skip_default leaves a default out. */
static serde_code_t put_scalar_field(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v,
                                     bool skip_default) {
  pb_scalar_t sc;
  void *owned = NULL;
  PB_TRY(in_scalar(j, f, v, &sc, &owned));
  serde_code_t rc = SERDE_OK;
  if (!skip_default || !serde__pb_scalar_is_default(f->type, &sc)) {
    rc = serde__pb_put_tag(j->out, f->number, serde__pb_wire_of(f->type));
    rc = rc == SERDE_OK ? serde__pb_put_scalar(j->out, f->type, &sc) : rc;
    rc = rc == SERDE_OK ? SERDE_OK : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  free(owned);
  return rc;
}

/* ---- messages, repeated fields, maps -------------------------------------------------------- */

static serde_code_t in_submessage(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v) {
  size_t pos = 0;
  if (f->type == SCH_PB_GROUP) {
    PB_PUT(serde__pb_put_tag(j->out, f->number, PB_SGROUP));
    PB_TRY(serde__pb_in_message(j, f->message, v, false));
    PB_PUT(serde__pb_put_tag(j->out, f->number, PB_EGROUP));
    return SERDE_OK;
  }
  PB_PUT(serde__pb_put_tag(j->out, f->number, PB_LEN));
  PB_PUT(serde__pb_len_begin(j->out, &pos));
  PB_TRY(serde__pb_in_message(j, f->message, v, false));
  PB_PUT(serde__pb_len_end(j->out, pos));
  return SERDE_OK;
}

/* One value of f with its tag, written even when default. */
static serde_code_t in_one(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v) {
  if (json_is_null(v) && !serde__pb_null_is_value(f)) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "null is not allowed here");
  }
  return f->message ? in_submessage(j, f, v) : put_scalar_field(j, f, v, false);
}

static serde_code_t in_packed(pb_jin_t *j, const sch_pb_field_t *f, const json_t *arr) {
  size_t pos = 0, i = 0;
  json_t *el = NULL;
  PB_PUT(serde__pb_put_tag(j->out, f->number, PB_LEN));
  PB_PUT(serde__pb_len_begin(j->out, &pos));
  json_array_foreach(arr, i, el) {
    pb_scalar_t sc;
    void *owned = NULL;
    serde_code_t rc = json_is_null(el)
                          ? serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "null is not allowed here")
                          : in_scalar(j, f, el, &sc, &owned);
    if (rc == SERDE_OK && serde__pb_put_scalar(j->out, f->type, &sc) != SERDE_OK) {
      rc = serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
    }
    if (rc != SERDE_OK) {
      serde__pb_path_seg(&j->path, NULL, NULL, 0, i);
      return rc;
    }
  }
  PB_PUT(serde__pb_len_end(j->out, pos));
  return SERDE_OK;
}

static serde_code_t in_repeated(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v) {
  if (!json_is_array(v)) {
    return serde__pb_in_expected(j, "expected an array", v);
  }
  if (json_array_size(v) == 0) {
    return SERDE_OK;
  }
  if (f->packed && serde__pb_packable(f->type)) {
    return in_packed(j, f, v);
  }
  size_t i = 0;
  json_t *el = NULL;
  json_array_foreach(v, i, el) {
    serde_code_t rc = in_one(j, f, el);
    if (rc != SERDE_OK) {
      serde__pb_path_seg(&j->path, NULL, NULL, 0, i);
      return rc;
    }
  }
  return SERDE_OK;
}

/* A map key from its JSON member name. */
static serde_code_t in_key(pb_jin_t *j, const sch_pb_field_t *kf, const char *key, size_t n,
                           pb_scalar_t *out) {
  *out = (pb_scalar_t){0};
  int64_t i = 0;
  bool ok = true;
  switch (kf->type) {
    case SCH_PB_STRING:
      out->s = key;
      out->n = n;
      break;
    case SCH_PB_BOOL:
      ok = strcmp(key, "true") == 0 || strcmp(key, "false") == 0;
      out->u = key[0] == 't';
      break;
    case SCH_PB_INT32:
    case SCH_PB_SINT32:
    case SCH_PB_SFIXED32:
      ok = serde__pb_text_int(key, n, INT32_MIN, INT32_MAX, &i);
      out->u = (uint64_t)i;
      break;
    case SCH_PB_UINT32:
    case SCH_PB_FIXED32:
      ok = serde__pb_text_uint(key, n, UINT32_MAX, &out->u);
      break;
    case SCH_PB_UINT64:
    case SCH_PB_FIXED64:
      ok = serde__pb_text_uint(key, n, UINT64_MAX, &out->u);
      break;
    default:
      ok = serde__pb_text_int(key, n, INT64_MIN, INT64_MAX, &i);
      out->u = (uint64_t)i;
  }
  return ok ? SERDE_OK
            : serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "map key is not a valid %s",
                          kf->type == SCH_PB_BOOL ? "bool" : "integer");
}

static serde_code_t in_entry(pb_jin_t *j, const sch_pb_field_t *f, const char *key, const json_t *val) {
  const sch_pb_message_t *em = f->message;
  const sch_pb_field_t *kf = sch_pb_field_by_number(em, 1), *vf = sch_pb_field_by_number(em, 2);
  if (!kf || !vf) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "map entry %s lacks a key or value field",
                       em->full_name);
  }
  pb_scalar_t k;
  size_t pos = 0;
  PB_TRY(in_key(j, kf, key, strlen(key), &k));
  PB_PUT(serde__pb_put_tag(j->out, f->number, PB_LEN));
  PB_PUT(serde__pb_len_begin(j->out, &pos));
  PB_PUT(serde__pb_put_tag(j->out, 1, serde__pb_wire_of(kf->type)));
  PB_PUT(serde__pb_put_scalar(j->out, kf->type, &k));
  PB_TRY(in_one(j, vf, val));
  PB_PUT(serde__pb_len_end(j->out, pos));
  return SERDE_OK;
}

static serde_code_t in_map(pb_jin_t *j, const sch_pb_field_t *f, const json_t *v) {
  if (!json_is_object(v)) {
    return serde__pb_in_expected(j, "expected an object", v);
  }
  if (j->depth > SERDE_PB_MAX_DEPTH) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "messages nest deeper than %d levels",
                       SERDE_PB_MAX_DEPTH);
  }
  const char *key = NULL;
  json_t *val = NULL;
  j->depth++; /* an entry is a message level */
  json_object_foreach((json_t *)v, key, val) {
    serde_code_t rc = in_entry(j, f, key, val);
    if (rc != SERDE_OK) {
      j->depth--;
      serde__pb_path_seg(&j->path, NULL, key, strlen(key), 0);
      return rc;
    }
  }
  j->depth--;
  return SERDE_OK;
}

serde_code_t serde__pb_in_field(pb_jin_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f,
                                const json_t *v) {
  if (json_is_null(v) && (f->label == SCH_PB_REPEATED || !serde__pb_null_is_value(f))) {
    return SERDE_OK;
  }
  if (f->label == SCH_PB_REPEATED) {
    return f->message && f->message->map_entry ? in_map(j, f, v) : in_repeated(j, f, v);
  }
  if (f->message) {
    return in_submessage(j, f, v);
  }
  return put_scalar_field(j, f, v, !has_presence(m, f));
}

/* ---- message members ------------------------------------------------------------------------ */

typedef struct member {
  const sch_pb_field_t *f;
  const char *key;
  const json_t *v;
} member_t;

/* Matches the object's members to fields; checks unknown names, a field
 * given twice and two members of one oneof. */
static serde_code_t collect(pb_jin_t *j, const sch_pb_message_t *m, const json_t *obj, bool skip_type,
                            member_t *out, size_t *n) {
  const char *key = NULL;
  json_t *val = NULL;
  *n = 0;
  json_object_foreach((json_t *)obj, key, val) {
    if (skip_type && strcmp(key, "@type") == 0) {
      continue;
    }
    const sch_pb_field_t *f = sch_pb_field_by_name(m, key);
    if (!f) {
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "message %s has no field \"%s\"", m->full_name,
                         key);
    }
    for (size_t i = 0; i < *n; i++) {
      if (out[i].f == f) {
        return serde__fail(j->err, SERDE_ERR_VALUE_INVALID,
                           "field \"%s\" is given twice (as \"%s\" and \"%s\")", f->name, out[i].key, key);
      }
      bool set = !json_is_null(val) || serde__pb_null_is_value(f);
      bool other_set = !json_is_null(out[i].v) || serde__pb_null_is_value(out[i].f);
      if (f->oneof_index >= 0 && out[i].f->oneof_index == f->oneof_index && set && other_set) {
        return serde__fail(j->err, SERDE_ERR_VALUE_INVALID,
                           "fields \"%s\" and \"%s\" are members of oneof \"%s\"; set one", out[i].key, key,
                           m->oneofs[f->oneof_index].name);
      }
    }
    out[(*n)++] = (member_t){f, key, val};
  }
  return SERDE_OK;
}

static serde_code_t check_required(pb_jin_t *j, const sch_pb_message_t *m, const member_t *mem, size_t n) {
  for (size_t i = 0; i < m->n_fields; i++) {
    const sch_pb_field_t *f = &m->fields[i];
    if (f->label != SCH_PB_REQUIRED) {
      continue;
    }
    bool given = false;
    for (size_t k = 0; k < n && !given; k++) {
      given = mem[k].f == f && !json_is_null(mem[k].v);
    }
    if (!given) {
      return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "required field \"%s\" of %s is missing",
                         f->json_name, m->full_name);
    }
  }
  return SERDE_OK;
}

static serde_code_t write_members(pb_jin_t *j, const sch_pb_message_t *m, member_t *mem, size_t n) {
  for (size_t i = 1; i < n; i++) { /* number order: insertion sort, members are few */
    member_t x = mem[i];
    size_t k = i;
    for (; k > 0 && mem[k - 1].f->number > x.f->number; k--) {
      mem[k] = mem[k - 1];
    }
    mem[k] = x;
  }
  for (size_t i = 0; i < n; i++) {
    serde_code_t rc = serde__pb_in_field(j, m, mem[i].f, mem[i].v);
    if (rc != SERDE_OK) {
      serde__pb_path_seg(&j->path, mem[i].key, NULL, 0, 0);
      return rc;
    }
  }
  return SERDE_OK;
}

serde_code_t serde__pb_in_message(pb_jin_t *j, const sch_pb_message_t *m, const json_t *json,
                                  bool skip_type) {
  if (j->depth > SERDE_PB_MAX_DEPTH) {
    return serde__fail(j->err, SERDE_ERR_VALUE_INVALID, "messages nest deeper than %d levels",
                       SERDE_PB_MAX_DEPTH);
  }
  if (serde__pb_wkt_special(m) && !skip_type) {
    j->depth++;
    serde_code_t rc = serde__pb_wkt_in(j, m, json);
    j->depth--;
    return rc;
  }
  if (!json_is_object(json)) {
    char what[300];
    snprintf(what, sizeof what, "expected an object (message %s)", m->full_name);
    return serde__pb_in_expected(j, what, json);
  }
  member_t small[32], *mem = small;
  size_t cap = json_object_size(json);
  if (cap > 32 && !(mem = serde__malloc(cap * sizeof *mem))) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  size_t n = 0;
  j->depth++;
  serde_code_t rc = collect(j, m, json, skip_type, mem, &n);
  if (rc == SERDE_OK) {
    rc = check_required(j, m, mem, n);
  }
  if (rc == SERDE_OK) {
    rc = write_members(j, m, mem, n);
  }
  j->depth--;
  if (mem != small) {
    free(mem);
  }
  return rc;
}

serde_code_t serde__pb_from_json(const sch_pb_schema_t *schema, const sch_pb_message_t *m, const char *json,
                                 size_t len, serde_buf_t *out, serde_error_t *err) {
  serde_error_t local;
  err = err ? err : &local;
  if (!schema || !m || !json || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema, message, json and out are required");
  }
  if (!sch_json_nesting_within(json, len, SERDE_PB_MAX_JSON_DEPTH)) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "JSON nests deeper than %d levels",
                       SERDE_PB_MAX_JSON_DEPTH);
  }
  json_error_t jerr;
  json_t *doc = json_loadb(json, len, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
  if (!doc) {
    return serde__fail(err, SERDE_ERR_VALUE_INVALID, "invalid JSON at line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text);
  }
  pb_jin_t j = {.schema = schema, .out = out, .err = err};
  serde__pb_path_init(&j.path);
  size_t mark = out->len;
  serde_code_t rc = serde__pb_in_message(&j, m, doc, false);
  if (rc != SERDE_OK) {
    serde__pb_path_apply(&j.path, err);
    out->len = mark;
  }
  json_decref(doc);
  return rc;
}
