// SPDX-License-Identifier: Apache-2.0
/* Protobuf binary -> proto3 JSON, schema-driven. Each message's bytes are
 * scanned into field occurrences (pb_wire_read.c), sorted by field number,
 * and printed as Java's JsonFormat.printer().includingDefaultValueFields()
 * prints a DynamicMessage, which is what Confluent's REST proxy shows:
 * json_name keys in field-number order, defaults for fields without
 * presence, [] and {} for empty repeated fields and maps, no unset message
 * fields or oneof members. Repeated occurrences follow Protobuf's merge
 * rules. The well-known types' special forms are pb_wkt_json.c's. */
#include <stdlib.h>

#include "pb_int.h"


/* ---- strings ------------------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at s (n bytes left), 0 if none:
 * no overlong forms, surrogates or code points over U+10FFFF. */
static size_t utf8_seq(const uint8_t *s, size_t n) {
  uint8_t c = s[0];
  if (c < 0x80) {
    return 1;
  }
  size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (!len || c > 0xf4 || len > n) {
    return 0;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) {
      return 0;
    }
  }
  if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) || (c == 0xf0 && s[1] < 0x90) ||
      (c == 0xf4 && s[1] >= 0x90)) {
    return 0;
  }
  return len;
}

size_t serde__pb_utf8_prefix(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k = utf8_seq(s + i, n - i);
    if (!k) {
      break;
    }
    i += k;
  }
  return i;
}

/* Writes a string value; invalid UTF-8 fails (proto3) or becomes U+FFFD
 * per bad byte (proto2, as Java decodes it). */
static serde_code_t out_string(pb_jout_t *j, const uint8_t *s, size_t n, bool lenient) {
  size_t i = serde__pb_utf8_prefix(s, n);
  if (i == n) {
    PB_PUT(serde__buf_json_string(j->out, (const char *)s, n));
    return SERDE_OK;
  }
  if (!lenient) {
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "string holds invalid UTF-8 at byte %zu", i);
  }
  serde_buf_t fixed = {0};
  serde_code_t rc = SERDE_OK;
  for (i = 0; i < n && rc == SERDE_OK;) {
    size_t k = utf8_seq(s + i, n - i);
    rc = k ? serde__buf_put(&fixed, s + i, k) : serde__buf_puts(&fixed, "\xef\xbf\xbd");
    i += k ? k : 1;
  }
  if (rc == SERDE_OK) {
    rc = serde__buf_json_string(j->out, (const char *)fixed.data, fixed.len);
  }
  serde_buf_fini(&fixed);
  return rc == SERDE_OK ? SERDE_OK : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
}

static serde_code_t out_bytes(pb_jout_t *j, const uint8_t *p, size_t n) {
  size_t len = 0;
  char *text = sch_base64_encode(p, n, &len);
  if (!text) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde_code_t rc = serde__buf_putc(j->out, '"');
  if (rc == SERDE_OK) {
    rc = serde__buf_put(j->out, text, len);
  }
  if (rc == SERDE_OK) {
    rc = serde__buf_putc(j->out, '"');
  }
  free(text);
  return rc == SERDE_OK ? SERDE_OK : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
}

/* ---- scalars ------------------------------------------------------------------------ */

static const sch_pb_enum_value_t *enum_by_number(const sch_pb_enum_t *e, int32_t number) {
  for (size_t i = 0; i < e->n_values; i++) {
    if (e->values[i].number == number) {
      return &e->values[i]; /* the first declared, as Java's findValueByNumber */
    }
  }
  return NULL;
}

static bool is_null_value_enum(const sch_pb_enum_t *e) {
  return e && strcmp(e->full_name, "google.protobuf.NullValue") == 0;
}

/* proto2 enums are closed: a number they lack is an unknown field. */
static bool enum_drops(const sch_pb_field_t *f, uint64_t v) {
  return f->type == SCH_PB_ENUM && f->enm && f->enm->file->syntax == SCH_PROTO2 &&
         !enum_by_number(f->enm, (int32_t)(uint32_t)v);
}

static serde_code_t out_enum(pb_jout_t *j, const sch_pb_enum_t *e, int32_t number) {
  if (is_null_value_enum(e)) {
    PB_PUT(serde__buf_puts(j->out, "null"));
    return SERDE_OK;
  }
  const sch_pb_enum_value_t *v = e ? enum_by_number(e, number) : NULL;
  PB_PUT(v ? serde__buf_json_string(j->out, v->name, strlen(v->name))
        : serde__pb_put_int(j->out, number, false));
  return SERDE_OK;
}

static int64_t unzigzag(uint64_t u) {
  return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

serde_code_t serde__pb_out_scalar(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f,
                                  uint64_t v, const uint8_t *p, size_t len) {
  serde_buf_t *o = j->out;
  uint32_t u32 = (uint32_t)v;
  float fl = 0;
  double d = 0;
  switch (f->type) {
    case SCH_PB_INT32:
    case SCH_PB_SFIXED32:
      PB_PUT(serde__pb_put_int(o, (int32_t)u32, false));
      return SERDE_OK;
    case SCH_PB_SINT32:
      PB_PUT(serde__pb_put_int(o, (int32_t)unzigzag(u32), false));
      return SERDE_OK;
    case SCH_PB_UINT32:
    case SCH_PB_FIXED32:
      PB_PUT(serde__pb_put_uint(o, u32, false));
      return SERDE_OK;
    case SCH_PB_INT64:
    case SCH_PB_SFIXED64:
      PB_PUT(serde__pb_put_int(o, (int64_t)v, true));
      return SERDE_OK;
    case SCH_PB_SINT64:
      PB_PUT(serde__pb_put_int(o, unzigzag(v), true));
      return SERDE_OK;
    case SCH_PB_UINT64:
    case SCH_PB_FIXED64:
      PB_PUT(serde__pb_put_uint(o, v, true));
      return SERDE_OK;
    case SCH_PB_BOOL:
      PB_PUT(serde__buf_puts(o, v ? "true" : "false"));
      return SERDE_OK;
    case SCH_PB_FLOAT:
      memcpy(&fl, &u32, sizeof fl);
      PB_PUT(serde__pb_put_double(o, fl, true));
      return SERDE_OK;
    case SCH_PB_DOUBLE:
      memcpy(&d, &v, sizeof d);
      PB_PUT(serde__pb_put_double(o, d, false));
      return SERDE_OK;
    case SCH_PB_ENUM:
      return out_enum(j, f->enm, (int32_t)u32);
    case SCH_PB_STRING:
      return out_string(j, p, len, m->file->syntax == SCH_PROTO2);
    case SCH_PB_BYTES:
      return out_bytes(j, p, len);
    default:
      return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "field \"%s\" is not a scalar", f->name);
  }
}

/* ---- defaults ------------------------------------------------------------------------ */

/* protoc's C escapes (\n, \\, \", octal \NNN, \xHH) of a bytes default. */
static size_t c_unescape(const char *s, uint8_t *out) {
  size_t n = 0;
  while (*s) {
    if (*s != '\\' || !s[1]) {
      out[n++] = (uint8_t)*s++;
      continue;
    }
    s++;
    const char *simple = strchr("n\nr\rt\ta\ab\bf\fv\v", *s);
    if (*s >= '0' && *s <= '7') {
      unsigned v = 0;
      for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++) {
        v = v * 8 + (unsigned)(*s++ - '0');
      }
      out[n++] = (uint8_t)v;
    } else if (*s == 'x') {
      char *end = NULL;
      out[n++] = (uint8_t)strtoul(s + 1, &end, 16);
      s = end;
    } else {
      out[n++] = (uint8_t)(simple && (simple - "n\nr\rt\ta\ab\bf\fv\v") % 2 == 0 ? simple[1] : *s);
      s++;
    }
  }
  return n;
}

/* The raw wire value of a proto2 [default = text]. */
static uint64_t parse_default(const sch_pb_field_t *f, const char *text) {
  double d = 0;
  float fl = 0;
  uint64_t v = 0;
  uint32_t u32 = 0;
  switch (f->type) {
    case SCH_PB_FLOAT:
    case SCH_PB_DOUBLE:
      d = strtod(text, NULL); /* "inf", "-inf", "nan" included */
      if (f->type == SCH_PB_DOUBLE) {
        memcpy(&v, &d, sizeof v);
        return v;
      }
      fl = (float)d;
      memcpy(&u32, &fl, sizeof u32);
      return u32;
    case SCH_PB_BOOL:
      return strcmp(text, "true") == 0;
    case SCH_PB_ENUM:
      for (size_t i = 0; f->enm && i < f->enm->n_values; i++) {
        if (strcmp(f->enm->values[i].name, text) == 0) {
          return (uint32_t)f->enm->values[i].number;
        }
      }
      return 0;
    case SCH_PB_UINT32:
    case SCH_PB_UINT64:
    case SCH_PB_FIXED32:
    case SCH_PB_FIXED64:
      return strtoull(text, NULL, 0);
    case SCH_PB_SINT32:
    case SCH_PB_SINT64: /* printed through unzigzag */
      v = (uint64_t)strtoll(text, NULL, 0);
      return (v << 1) ^ (uint64_t)((int64_t)v >> 63);
    default:
      return (uint64_t)strtoll(text, NULL, 0);
  }
}

serde_code_t serde__pb_out_default(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f) {
  if (f->label == SCH_PB_REPEATED) {
    PB_PUT(serde__buf_puts(j->out, f->message && f->message->map_entry ? "{}" : "[]"));
    return SERDE_OK;
  }
  if (f->type == SCH_PB_MESSAGE || f->type == SCH_PB_GROUP) {
    return serde__pb_out_message(j, f->message, 0, 0, NULL, 0);
  }
  const char *text = f->default_value;
  if (f->type == SCH_PB_STRING) {
    return out_string(j, (const uint8_t *)(text ? text : ""), text ? strlen(text) : 0, true);
  }
  if (f->type == SCH_PB_BYTES) {
    uint8_t *raw = serde__malloc(text ? strlen(text) + 1 : 1);
    if (!raw) {
      return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
    }
    serde_code_t rc = out_bytes(j, raw, text ? c_unescape(text, raw) : 0);
    free(raw);
    return rc;
  }
  uint64_t v = 0;
  if (text) {
    v = parse_default(f, text);
  } else if (f->type == SCH_PB_ENUM && f->enm && f->enm->n_values) {
    v = (uint32_t)f->enm->values[0].number; /* proto2: the first declared; proto3: 0, also first */
  }
  return serde__pb_out_scalar(j, m, f, v, NULL, 0);
}

/* ---- repeated fields ------------------------------------------------------------------- */

/* Prints the elements packed in one LEN occurrence. */
static serde_code_t out_packed(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f,
                               const uint8_t *p, size_t len, size_t *count) {
  pb_rd_t r = {p, p + len};
  int wire = serde__pb_wire_of(f->type);
  while (r.p < r.end) {
    uint64_t v = 0;
    uint32_t v32 = 0;
    serde_code_t rc = wire == PB_VARINT ? serde__pb_rd_varint(&r, &v, j->err)
                      : wire == PB_I64  ? serde__pb_rd_fixed64(&r, &v, j->err)
                                        : serde__pb_rd_fixed32(&r, &v32, j->err);
    if (rc != SERDE_OK) {
      serde__pb_path_seg(&j->path, NULL, NULL, 0, *count);
      return rc;
    }
    v = wire == PB_I32 ? v32 : v;
    if (enum_drops(f, v)) {
      continue;
    }
    if (*count) {
      PB_PUT(serde__buf_putc(j->out, ','));
    }
    PB_TRY(serde__pb_out_scalar(j, m, f, v, NULL, 0));
    (*count)++;
  }
  return SERDE_OK;
}

static serde_code_t out_repeated(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f, size_t s,
                                 size_t e) {
  PB_PUT(serde__buf_putc(j->out, '['));
  size_t count = 0;
  for (size_t i = s; i < e; i++) {
    pb_occ_t o = j->occs.items[i];
    if (o.wire == PB_LEN && serde__pb_packable(f->type)) {
      PB_TRY(out_packed(j, m, f, o.p, o.len, &count));
      continue;
    }
    if (enum_drops(f, o.v)) {
      continue;
    }
    if (count) {
      PB_PUT(serde__buf_putc(j->out, ','));
    }
    serde_code_t rc = f->message ? serde__pb_out_message(j, f->message, i, i + 1, NULL, 0)
                                 : serde__pb_out_scalar(j, m, f, o.v, o.p, o.len);
    if (rc != SERDE_OK) {
      serde__pb_path_seg(&j->path, NULL, NULL, 0, count);
      return rc;
    }
    count++;
  }
  PB_PUT(serde__buf_putc(j->out, ']'));
  return SERDE_OK;
}

/* ---- maps ------------------------------------------------------------------------------ */

typedef struct map_entry {
  uint64_t key;      /* integer keys, normalized */
  const uint8_t *kp; /* string keys */
  size_t klen;
  uint64_t kraw;     /* the key as read, for printing */
  size_t vfrom, vto; /* the value's occurrences */
  size_t print;      /* for the first entry of a key: the entry whose value to print; else SIZE_MAX */
} map_entry_t;

static uint64_t key_norm(sch_pb_type_t t, uint64_t v) {
  switch (t) {
    case SCH_PB_INT32:
    case SCH_PB_SFIXED32:
      return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    case SCH_PB_SINT32:
      return (uint64_t)unzigzag((uint32_t)v);
    case SCH_PB_SINT64:
      return (uint64_t)unzigzag(v);
    case SCH_PB_UINT32:
    case SCH_PB_FIXED32:
      return (uint32_t)v;
    case SCH_PB_BOOL:
      return v != 0;
    default:
      return v;
  }
}

static int key_cmp(const map_entry_t *x, const map_entry_t *y) {
  if (x->kp) {
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = n ? memcmp(x->kp, y->kp, n) : 0;
    return c ? c : x->klen < y->klen ? -1 : x->klen > y->klen;
  }
  return x->key < y->key ? -1 : x->key > y->key;
}

/* qsort has no context argument: the entries being sorted, per thread. */
static _Thread_local const map_entry_t *sort_entries;

static int cmp_index(const void *a, const void *b) {
  size_t i = *(const size_t *)a, k = *(const size_t *)b;
  int c = key_cmp(&sort_entries[i], &sort_entries[k]);
  return c ? c : i < k ? -1 : 1;
}

/* A key seen several times prints once, at its first place, with the value
 * of its last entry (what Jackson makes of JsonFormat's output). */
static serde_code_t dedupe(pb_jout_t *j, map_entry_t *ents, size_t n) {
  for (size_t i = 0; i < n; i++) {
    ents[i].print = i;
  }
  if (n < 2) {
    return SERDE_OK;
  }
  size_t *order = serde__malloc(n * sizeof *order);
  if (!order) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    order[i] = i;
  }
  sort_entries = ents;
  qsort(order, n, sizeof *order, cmp_index);
  for (size_t g = 0; g < n;) {
    size_t end = g + 1;
    while (end < n && key_cmp(&ents[order[g]], &ents[order[end]]) == 0) {
      ents[order[end]].print = SIZE_MAX;
      end++;
    }
    ents[order[g]].print = order[end - 1];
    g = end;
  }
  free(order);
  return SERDE_OK;
}

/* Reads one entry's key and value occurrences (scanned onto the stack). */
static serde_code_t read_entry(pb_jout_t *j, const sch_pb_field_t *f, size_t i, map_entry_t *ent) {
  const sch_pb_message_t *em = f->message;
  pb_occ_t o = j->occs.items[i];
  size_t base = j->occs.n;
  uint32_t seq = 0;
  PB_TRY(serde__pb_scan(&j->occs, em, o.p, o.len, j->depth + 1, &seq, j->err));
  serde__pb_occs_sort(&j->occs, base);
  *ent = (map_entry_t){.vfrom = j->occs.n, .vto = j->occs.n};
  const sch_pb_field_t *kf = sch_pb_field_by_number(em, 1);
  bool string_key = kf && kf->type == SCH_PB_STRING;
  if (string_key) {
    ent->kp = (const uint8_t *)"";
  }
  for (size_t k = base; k < j->occs.n; k++) {
    const pb_occ_t *x = &j->occs.items[k];
    if (x->field->number == 1) {
      ent->kraw = x->v;
      ent->key = key_norm(x->field->type, x->v);
      if (string_key) {
        ent->kp = x->p;
        ent->klen = x->len;
      }
    } else if (x->field->number == 2) {
      if (ent->vfrom == j->occs.n) {
        ent->vfrom = k;
      }
      ent->vto = k + 1;
    }
  }
  return SERDE_OK;
}

/* Prints a key as a JSON string: integers and booleans quoted. */
static serde_code_t out_key(pb_jout_t *j, const sch_pb_message_t *em, const map_entry_t *ent) {
  const sch_pb_field_t *kf = sch_pb_field_by_number(em, 1);
  if (!kf || kf->type == SCH_PB_STRING) {
    return out_string(j, ent->kp, ent->klen, em->file->syntax == SCH_PROTO2);
  }
  bool quoted_already = kf->type == SCH_PB_INT64 || kf->type == SCH_PB_UINT64 || kf->type == SCH_PB_SINT64 ||
                        kf->type == SCH_PB_FIXED64 || kf->type == SCH_PB_SFIXED64;
  if (!quoted_already) {
    PB_PUT(serde__buf_putc(j->out, '"'));
  }
  PB_TRY(serde__pb_out_scalar(j, em, kf, ent->kraw, NULL, 0));
  if (!quoted_already) {
    PB_PUT(serde__buf_putc(j->out, '"'));
  }
  return SERDE_OK;
}

static serde_code_t out_entries(pb_jout_t *j, const sch_pb_field_t *f, const map_entry_t *ents, size_t n) {
  const sch_pb_message_t *em = f->message;
  const sch_pb_field_t *vf = sch_pb_field_by_number(em, 2);
  bool first = true;
  PB_PUT(serde__buf_putc(j->out, '{'));
  for (size_t i = 0; i < n; i++) {
    if (ents[i].print == SIZE_MAX) {
      continue;
    }
    if (!first) {
      PB_PUT(serde__buf_putc(j->out, ','));
    }
    first = false;
    const map_entry_t *val = &ents[ents[i].print];
    serde_code_t rc = out_key(j, em, &ents[i]);
    if (rc == SERDE_OK) {
      rc = serde__buf_putc(j->out, ':') == SERDE_OK ? SERDE_OK
                                                    : serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
    }
    if (rc == SERDE_OK && vf) {
      rc = val->vto > val->vfrom ? serde__pb_out_value(j, em, vf, val->vfrom, val->vto)
                                 : serde__pb_out_default(j, em, vf);
    }
    if (rc != SERDE_OK) {
      char key[72];
      int kn = ents[i].kp ? snprintf(key, sizeof key, "%.*s", (int)(ents[i].klen > 64 ? 64 : ents[i].klen),
                                     (const char *)ents[i].kp)
                          : snprintf(key, sizeof key, "%llu", (unsigned long long)ents[i].key);
      serde__pb_path_seg(&j->path, NULL, key, kn > 0 ? (size_t)kn : 0, 0);
      return rc;
    }
  }
  PB_PUT(serde__buf_putc(j->out, '}'));
  return SERDE_OK;
}

static serde_code_t out_map(pb_jout_t *j, const sch_pb_field_t *f, size_t s, size_t e) {
  if (j->depth > SERDE_PB_MAX_DEPTH) { /* entries are messages one level down */
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "messages nest deeper than %d levels",
                       SERDE_PB_MAX_DEPTH);
  }
  size_t n = e - s, base = j->occs.n;
  map_entry_t *ents = serde__calloc(n, sizeof *ents);
  if (!ents) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde_code_t rc = SERDE_OK;
  for (size_t i = 0; i < n && rc == SERDE_OK; i++) {
    rc = read_entry(j, f, s + i, &ents[i]);
  }
  if (rc == SERDE_OK) {
    rc = dedupe(j, ents, n);
  }
  if (rc == SERDE_OK) {
    j->depth++; /* an entry is a message level */
    rc = out_entries(j, f, ents, n);
    j->depth--;
  }
  free(ents);
  j->occs.n = base;
  return rc;
}

/* ---- fields and messages ----------------------------------------------------------------- */

serde_code_t serde__pb_out_value(pb_jout_t *j, const sch_pb_message_t *m, const sch_pb_field_t *f, size_t s,
                                 size_t e) {
  if (f->label == SCH_PB_REPEATED) {
    return f->message && f->message->map_entry ? out_map(j, f, s, e) : out_repeated(j, m, f, s, e);
  }
  if (f->message) {
    return serde__pb_out_message(j, f->message, s, e, NULL, 0);
  }
  const pb_occ_t *o = &j->occs.items[e - 1];
  return serde__pb_out_scalar(j, m, f, o->v, o->p, o->len);
}

/* The occurrences of one field of m: items[s..e) within the message's
 * scanned range [base, end). */
typedef struct field_run {
  const sch_pb_field_t *f;
  size_t s, e;
  size_t base, end;
} field_run_t;

/* For a oneof member: false if another member came later (it wins);
 * otherwise narrows the run to the occurrences after every other member's,
 * which are all that survive (a member clears the others when set). */
static bool oneof_survives(const pb_jout_t *j, field_run_t *run) {
  if (run->f->oneof_index < 0 || run->s == run->e) {
    return true;
  }
  uint32_t other_last = 0;
  bool other = false;
  for (size_t k = run->base; k < run->end; k++) {
    const pb_occ_t *o = &j->occs.items[k];
    if (o->field != run->f && o->field->oneof_index == run->f->oneof_index &&
        (!other || o->seq > other_last)) {
      other_last = o->seq;
      other = true;
    }
  }
  if (!other) {
    return true;
  }
  if (j->occs.items[run->e - 1].seq < other_last) {
    return false;
  }
  while (j->occs.items[run->s].seq < other_last) {
    run->s++;
  }
  return true;
}

/* A singular proto2 enum keeps its last known value; unknown numbers are
 * unknown fields. */
static void drop_unknown_enums(const pb_jout_t *j, field_run_t *run) {
  if (run->f->label != SCH_PB_REPEATED) {
    while (run->e > run->s && enum_drops(run->f, j->occs.items[run->e - 1].v)) {
      run->e--;
    }
  }
}

static serde_code_t out_field(pb_jout_t *j, const sch_pb_message_t *m, field_run_t *run, bool *first) {
  const sch_pb_field_t *f = run->f;
  drop_unknown_enums(j, run);
  if (!oneof_survives(j, run)) {
    return SERDE_OK;
  }
  bool present = run->e > run->s;
  bool has_presence = f->label != SCH_PB_REPEATED && (f->message || f->oneof_index >= 0);
  if (!present && has_presence) {
    return SERDE_OK;
  }
  if (!*first) {
    PB_PUT(serde__buf_putc(j->out, ','));
  }
  *first = false;
  PB_PUT(serde__buf_json_string(j->out, f->json_name, strlen(f->json_name)));
  PB_PUT(serde__buf_putc(j->out, ':'));
  serde_code_t rc = present ? serde__pb_out_value(j, m, f, run->s, run->e) : serde__pb_out_default(j, m, f);
  if (rc != SERDE_OK) {
    serde__pb_path_seg(&j->path, f->json_name, NULL, 0, 0);
  }
  return rc;
}

/* Prints every field of m in number order from the scanned, sorted
 * occurrences items[base..end). */
static serde_code_t out_fields(pb_jout_t *j, const sch_pb_message_t *m, size_t base, size_t end, bool first) {
  uint32_t small[64], *heap = NULL;
  const uint32_t *order = serde__pb_field_order(m, small, 64, &heap);
  if (!order) {
    return serde__fail(j->err, SERDE_ERR_NOMEM, "out of memory");
  }
  serde_code_t rc = SERDE_OK;
  size_t k = base;
  for (size_t i = 0; i < m->n_fields && rc == SERDE_OK; i++) {
    field_run_t run = {&m->fields[order[i]], k, k, base, end};
    while (run.e < end && j->occs.items[run.e].field == run.f) {
      run.e++;
    }
    k = run.e;
    rc = out_field(j, m, &run, &first);
  }
  free(heap);
  return rc;
}

/* The JSON of a scanned message: its fields in braces, or a well-known
 * type's special form; with an Any's "@type" first. */
static serde_code_t out_body(pb_jout_t *j, const sch_pb_message_t *m, size_t base, size_t end,
                             const char *type_url, size_t url_len) {
  bool special = serde__pb_wkt_special(m);
  if (type_url) {
    PB_PUT(serde__buf_puts(j->out, "{\"@type\":"));
    PB_PUT(serde__buf_json_string(j->out, type_url, url_len));
    if (special) { /* {"@type": url, "value": <special form>} */
      PB_PUT(serde__buf_puts(j->out, ",\"value\":"));
      PB_TRY(serde__pb_wkt_out(j, m, base, end));
      PB_PUT(serde__buf_putc(j->out, '}'));
      return SERDE_OK;
    }
  } else if (special) {
    return serde__pb_wkt_out(j, m, base, end);
  } else {
    PB_PUT(serde__buf_putc(j->out, '{'));
  }
  PB_TRY(out_fields(j, m, base, end, !type_url));
  PB_PUT(serde__buf_putc(j->out, '}'));
  return SERDE_OK;
}

serde_code_t serde__pb_out_message(pb_jout_t *j, const sch_pb_message_t *m, size_t from, size_t to,
                                   const char *type_url, size_t url_len) {
  if (j->depth > SERDE_PB_MAX_DEPTH) {
    return serde__fail(j->err, SERDE_ERR_PAYLOAD_INVALID, "messages nest deeper than %d levels",
                       SERDE_PB_MAX_DEPTH);
  }
  size_t base = j->occs.n;
  uint32_t seq = 0;
  serde_code_t rc = SERDE_OK;
  j->depth++;
  for (size_t i = from; i < to && rc == SERDE_OK; i++) {
    pb_occ_t o = j->occs.items[i];
    rc = serde__pb_scan(&j->occs, m, o.p, o.len, j->depth, &seq, j->err);
  }
  if (rc == SERDE_OK) {
    serde__pb_occs_sort(&j->occs, base);
    rc = out_body(j, m, base, j->occs.n, type_url, url_len);
  }
  j->depth--;
  j->occs.n = base;
  return rc;
}

serde_code_t serde__pb_to_json(const sch_pb_schema_t *schema, const sch_pb_message_t *m, const uint8_t *data,
                               size_t len, serde_buf_t *out, serde_error_t *err) {
  serde_error_t local;
  err = err ? err : &local;
  if (!schema || !m || (!data && len) || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema, message, data and out are required");
  }
  pb_jout_t j = {.schema = schema, .out = out, .err = err};
  serde__pb_path_init(&j.path);
  size_t mark = out->len;
  serde_code_t rc = serde__pb_occs_reserve(&j.occs, err);
  if (rc == SERDE_OK) {
    j.occs.items[0] = (pb_occ_t){.wire = PB_LEN, .p = data, .len = len};
    j.occs.n = 1;
    rc = serde__pb_out_message(&j, m, 0, 1, NULL, 0);
  }
  if (rc != SERDE_OK) {
    serde__pb_path_apply(&j.path, err);
    out->len = mark;
  }
  free(j.occs.items);
  return rc;
}
