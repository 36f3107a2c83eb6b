// SPDX-License-Identifier: Apache-2.0
/* Reading the Protobuf wire format from untrusted bytes: varints, fixed
 * values, tags, length-delimited values and groups, each checked against
 * the bytes left; and the scanner that turns one message body into the
 * occurrences of the fields the schema knows, skipping the rest. What the
 * occurrences mean as JSON is pb_json_out.c's business. */
#include <stdlib.h>

#include "pb_int.h"

serde_code_t serde__pb_rd_varint(pb_rd_t *r, uint64_t *v, serde_error_t *err) {
  uint64_t x = 0;
  for (int i = 0; i < 10; i++) {
    if (r->p >= r->end) {
      return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "truncated varint");
    }
    uint8_t b = *r->p++;
    if (i == 9 && b > 1) {
      return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "varint over 64 bits");
    }
    x |= (uint64_t)(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      *v = x;
      return SERDE_OK;
    }
  }
  return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "varint longer than 10 bytes");
}

static serde_code_t need(const pb_rd_t *r, size_t n, serde_error_t *err) {
  size_t left = (size_t)(r->end - r->p);
  if (n > left) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "truncated: %zu bytes needed, %zu left", n, left);
  }
  return SERDE_OK;
}

serde_code_t serde__pb_rd_fixed32(pb_rd_t *r, uint32_t *v, serde_error_t *err) {
  SERDE_TRY(need(r, 4, err));
  *v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
  r->p += 4;
  return SERDE_OK;
}

serde_code_t serde__pb_rd_fixed64(pb_rd_t *r, uint64_t *v, serde_error_t *err) {
  SERDE_TRY(need(r, 8, err));
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--) {
    x = x << 8 | r->p[i];
  }
  *v = x;
  r->p += 8;
  return SERDE_OK;
}

serde_code_t serde__pb_rd_tag(pb_rd_t *r, int32_t *number, int *wire, serde_error_t *err) {
  uint64_t t = 0;
  SERDE_TRY(serde__pb_rd_varint(r, &t, err));
  if (t >> 32) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "tag over 32 bits");
  }
  *wire = (int)(t & 7);
  *number = (int32_t)(t >> 3);
  if (*number == 0) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "field number 0");
  }
  if (*wire > PB_I32) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "field %d: invalid wire type %d", *number, *wire);
  }
  return SERDE_OK;
}

serde_code_t serde__pb_rd_len(pb_rd_t *r, const uint8_t **p, size_t *len, serde_error_t *err) {
  uint64_t n = 0;
  SERDE_TRY(serde__pb_rd_varint(r, &n, err));
  size_t left = (size_t)(r->end - r->p);
  if (n > left) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "length %llu exceeds the %zu bytes left",
                       (unsigned long long)n, left);
  }
  *p = r->p;
  *len = (size_t)n;
  r->p += n;
  return SERDE_OK;
}

/* Skips one value of wire type `wire` (not a group). */
static serde_code_t skip_value(pb_rd_t *r, int wire, serde_error_t *err) {
  uint64_t v = 0;
  const uint8_t *p = NULL;
  size_t len = 0;
  switch (wire) {
    case PB_VARINT:
      return serde__pb_rd_varint(r, &v, err);
    case PB_I64:
      return serde__pb_rd_fixed64(r, &v, err);
    case PB_I32:
      SERDE_TRY(need(r, 4, err));
      r->p += 4;
      return SERDE_OK;
    default:
      return serde__pb_rd_len(r, &p, &len, err);
  }
}

serde_code_t serde__pb_rd_group(pb_rd_t *r, int32_t number, int depth, const uint8_t **p, size_t *len,
                                serde_error_t *err) {
  /* Iterative: the open groups' numbers are a stack bounded by the depth
   * limit, so no input can exhaust the C stack. */
  int32_t open[SERDE_PB_MAX_DEPTH + 1];
  int n_open = 0;
  int room = SERDE_PB_MAX_DEPTH - depth;
  open[n_open++] = number;
  const uint8_t *start = r->p;
  while (n_open > 0) {
    const uint8_t *tag_at = r->p;
    int32_t num = 0;
    int wire = 0;
    if (r->p >= r->end) {
      return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "group %d has no end tag", open[n_open - 1]);
    }
    SERDE_TRY(serde__pb_rd_tag(r, &num, &wire, err));
    if (wire == PB_EGROUP) {
      if (num != open[n_open - 1]) {
        return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "end tag of group %d closes group %d", num,
                           open[n_open - 1]);
      }
      if (--n_open == 0) {
        *p = start;
        *len = (size_t)(tag_at - start);
      }
    } else if (wire == PB_SGROUP) {
      if (n_open > room) {
        return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "groups nest deeper than %d levels",
                           SERDE_PB_MAX_DEPTH);
      }
      open[n_open++] = num;
    } else {
      SERDE_TRY(skip_value(r, wire, err));
    }
  }
  return SERDE_OK;
}

int serde__pb_wire_of(sch_pb_type_t t) {
  switch (t) {
    case SCH_PB_DOUBLE:
    case SCH_PB_FIXED64:
    case SCH_PB_SFIXED64:
      return PB_I64;
    case SCH_PB_FLOAT:
    case SCH_PB_FIXED32:
    case SCH_PB_SFIXED32:
      return PB_I32;
    case SCH_PB_STRING:
    case SCH_PB_BYTES:
    case SCH_PB_MESSAGE:
      return PB_LEN;
    case SCH_PB_GROUP:
      return PB_SGROUP;
    default:
      return PB_VARINT;
  }
}

bool serde__pb_packable(sch_pb_type_t t) {
  int w = serde__pb_wire_of(t);
  return w == PB_VARINT || w == PB_I64 || w == PB_I32;
}

static const char *wire_name(int wire) {
  static const char *const names[] = {"varint",      "64-bit",    "length-delimited",
                                      "start-group", "end-group", "32-bit"};
  return wire >= 0 && wire <= PB_I32 ? names[wire] : "unknown";
}

serde_code_t serde__pb_occs_reserve(pb_occs_t *occs, serde_error_t *err) {
  if (occs->n < occs->cap) {
    return SERDE_OK;
  }
  size_t cap = occs->cap ? occs->cap * 2 : 32;
  pb_occ_t *items = serde__realloc(occs->items, cap * sizeof *items);
  if (!items) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  occs->items = items;
  occs->cap = cap;
  return SERDE_OK;
}

/* Reads the value of a known field into o, checking the wire type. */
static serde_code_t read_known(pb_rd_t *r, const sch_pb_field_t *f, int wire, int depth, pb_occ_t *o,
                               serde_error_t *err) {
  int want = serde__pb_wire_of(f->type);
  bool packed_ok = f->label == SCH_PB_REPEATED && serde__pb_packable(f->type) && wire == PB_LEN;
  if (wire != want && !packed_ok) {
    return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "field %d (%s): wire type %s, expected %s", f->number,
                       f->name, wire_name(wire), wire_name(want));
  }
  uint32_t v32 = 0;
  switch (wire) {
    case PB_VARINT:
      return serde__pb_rd_varint(r, &o->v, err);
    case PB_I64:
      return serde__pb_rd_fixed64(r, &o->v, err);
    case PB_I32:
      SERDE_TRY(serde__pb_rd_fixed32(r, &v32, err));
      o->v = v32;
      return SERDE_OK;
    case PB_LEN:
      return serde__pb_rd_len(r, &o->p, &o->len, err);
    default:
      return serde__pb_rd_group(r, f->number, depth + 1, &o->p, &o->len, err);
  }
}

serde_code_t serde__pb_scan(pb_occs_t *occs, const sch_pb_message_t *m, const uint8_t *data, size_t len,
                            int depth, uint32_t *seq, serde_error_t *err) {
  pb_rd_t r = {data, data + len};
  const uint8_t *p = NULL;
  size_t plen = 0;
  while (r.p < r.end) {
    int32_t number = 0;
    int wire = 0;
    SERDE_TRY(serde__pb_rd_tag(&r, &number, &wire, err));
    if (wire == PB_EGROUP) {
      return serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "end tag of group %d outside that group", number);
    }
    const sch_pb_field_t *f = sch_pb_field_by_number(m, number);
    if (!f) {
      serde_code_t rc = wire == PB_SGROUP ? serde__pb_rd_group(&r, number, depth + 1, &p, &plen, err)
                                          : skip_value(&r, wire, err);
      if (rc != SERDE_OK) {
        return rc;
      }
      continue;
    }
    SERDE_TRY(serde__pb_occs_reserve(occs, err));
    pb_occ_t *o = &occs->items[occs->n];
    *o = (pb_occ_t){.field = f, .seq = (*seq)++, .wire = (uint8_t)wire};
    SERDE_TRY(read_known(&r, f, wire, depth, o, err));
    occs->n++;
  }
  return SERDE_OK;
}

static int cmp_occ(const void *a, const void *b) {
  const pb_occ_t *x = a, *y = b;
  if (x->field->number != y->field->number) {
    return x->field->number < y->field->number ? -1 : 1;
  }
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void serde__pb_occs_sort(pb_occs_t *occs, size_t from) {
  /* Writers emit fields in number order, so the common case is sorted. */
  for (size_t i = from + 1; i < occs->n; i++) {
    if (cmp_occ(&occs->items[i - 1], &occs->items[i]) > 0) {
      qsort(occs->items + from, occs->n - from, sizeof *occs->items, cmp_occ);
      return;
    }
  }
}

const uint32_t *serde__pb_field_order(const sch_pb_message_t *m, uint32_t *idx, size_t cap, uint32_t **heap) {
  *heap = NULL;
  if (m->n_fields > cap) {
    idx = *heap = serde__malloc(m->n_fields * sizeof *idx);
    if (!idx) {
      return NULL;
    }
  }
  /* Insertion sort: declaration order is nearly always number order. */
  for (size_t i = 0; i < m->n_fields; i++) {
    size_t k = i;
    while (k > 0 && m->fields[idx[k - 1]].number > m->fields[i].number) {
      idx[k] = idx[k - 1];
      k--;
    }
    idx[k] = (uint32_t)i;
  }
  return idx;
}
