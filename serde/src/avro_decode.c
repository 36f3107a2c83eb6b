// SPDX-License-Identifier: Apache-2.0
/* Runs a compiled resolution program (avro_program.h) over untrusted Avro
 * binary: a bounded reader that checks every varint, length and block count
 * against the bytes left and the caller's limits before acting on it, and
 * stores each datum into an avro-c generic value of the reader schema with
 * the avro_value_set_* calls. Writer-only fields are skipped by walking the
 * writer's model tree under the same bounds. Compiling the program is
 * avro_resolve.c's; this file allocates nothing but a string scratch buffer. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "avro_program.h"

typedef struct dec {
  const uint8_t *p;
  const uint8_t *end;
  const uint8_t *start;
  size_t items; /* array and map elements so far */
  size_t max_items;
  int depth;
  int max_depth;
  serde_error_t *err;
  serde_avro_path_t *path;
  char *scratch; /* NUL-terminated copies of long strings */
  size_t scratch_cap;
  char small[256]; /* ... and of short ones */
} dec_t;

static serde_code_t run(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst);
static serde_code_t skip(dec_t *d, const sch_avro_node_t *w);

/* ---- errors ------------------------------------------------------------- */

static size_t offset(const dec_t *d) {
  return (size_t)(d->p - d->start);
}

__attribute__((noinline)) static serde_code_t truncated(dec_t *d, size_t need) {
  return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "truncated: %zu bytes needed at offset %zu, %zu left",
                     need, offset(d), (size_t)(d->end - d->p));
}

#define AVRO_TRY(d, call) SERDE_AVRO_TRY((d)->err, SERDE_ERR_INVALID_ARG, "the reader schema's", call)

#define TRY(call) SERDE_TRY(call)

static serde_code_t enter(dec_t *d) {
  if (++d->depth > d->max_depth) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "nested deeper than the limit of %d at offset %zu",
                       d->max_depth, offset(d));
  }
  return SERDE_OK;
}

/* ---- primitives ----------------------------------------------------------- */

__attribute__((noinline)) static serde_code_t varint_slow(dec_t *d, uint64_t *out) {
  const uint8_t *p = d->p;
  uint64_t v = 0;
  for (unsigned i = 0; i < 10; i++) {
    if (p == d->end) {
      return truncated(d, (size_t)(p - d->p) + 1);
    }
    uint8_t b = *p++;
    if (i == 9 && b > 1) {
      return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "varint longer than 64 bits at offset %zu",
                         offset(d));
    }
    v |= (uint64_t)(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) {
      d->p = p;
      *out = v;
      return SERDE_OK;
    }
  }
  return SERDE_ERR_PAYLOAD_INVALID; /* unreachable: the 10th byte stops the loop */
}

static inline serde_code_t rd_long(dec_t *d, int64_t *out) {
  uint64_t v = 0;
  if (d->p < d->end && *d->p < 0x80) {
    v = *d->p++;
  } else {
    TRY(varint_slow(d, &v));
  }
  *out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
  return SERDE_OK;
}

static inline serde_code_t rd_int(dec_t *d, int32_t *out) {
  int64_t v = 0;
  TRY(rd_long(d, &v));
  if (v < INT32_MIN || v > INT32_MAX) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "int %lld out of range before offset %zu",
                       (long long)v, offset(d));
  }
  *out = (int32_t)v;
  return SERDE_OK;
}

/* A length prefix: not negative, and no more than the bytes left. */
static inline serde_code_t rd_len(dec_t *d, size_t *out) {
  int64_t n = 0;
  TRY(rd_long(d, &n));
  if (n < 0) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "negative length %lld before offset %zu",
                       (long long)n, offset(d));
  }
  if ((uint64_t)n > (uint64_t)(d->end - d->p)) {
    return truncated(d, (size_t)n);
  }
  *out = (size_t)n;
  return SERDE_OK;
}

static inline serde_code_t need(dec_t *d, size_t n) {
  return (size_t)(d->end - d->p) >= n ? SERDE_OK : truncated(d, n);
}

static inline uint64_t le_bits(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++) {
    v |= (uint64_t)p[i] << (8 * i);
  }
  return v;
}

static serde_code_t rd_float(dec_t *d, float *out) {
  TRY(need(d, 4));
  uint32_t bits = (uint32_t)le_bits(d->p, 4);
  memcpy(out, &bits, 4);
  d->p += 4;
  return SERDE_OK;
}

static serde_code_t rd_double(dec_t *d, double *out) {
  TRY(need(d, 8));
  uint64_t bits = le_bits(d->p, 8);
  memcpy(out, &bits, 8);
  d->p += 8;
  return SERDE_OK;
}

static serde_code_t rd_boolean(dec_t *d, int *out) {
  TRY(need(d, 1));
  if (*d->p > 1) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "boolean byte 0x%02x at offset %zu", *d->p,
                       offset(d));
  }
  *out = *d->p++;
  return SERDE_OK;
}

/* A NUL-terminated copy of n bytes (n is already checked against the input). */
static serde_code_t nul_copy(dec_t *d, const uint8_t *s, size_t n, const char **out) {
  char *buf = d->small;
  if (n >= sizeof d->small) {
    if (n >= d->scratch_cap) {
      size_t cap = d->scratch_cap * 2 > n + 1 ? d->scratch_cap * 2 : n + 1;
      char *grown = serde__realloc(d->scratch, cap);
      if (!grown) {
        return serde__fail(d->err, SERDE_ERR_NOMEM, "out of memory copying a %zu-byte string", n);
      }
      d->scratch = grown;
      d->scratch_cap = cap;
    }
    buf = d->scratch;
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  *out = buf;
  return SERDE_OK;
}

/* Stores n bytes at s as the op's reader type (bytes or string). */
static serde_code_t put_bytes(dec_t *d, serde_avro_op_t op, const uint8_t *s, size_t n, avro_value_t *dst) {
  if (op == SERDE_AVRO_OP_BYTES || op == SERDE_AVRO_OP_STRING_BYTES) {
    AVRO_TRY(d, avro_value_set_bytes(dst, (void *)s, n));
    return SERDE_OK;
  }
  /* avro-c string sizes include the NUL, and it copies size bytes. */
  const char *str = NULL;
  TRY(nul_copy(d, s, n, &str));
  AVRO_TRY(d, avro_value_set_string_len(dst, str, n + 1));
  return SERDE_OK;
}

/* ---- compound ops ------------------------------------------------------------ */

/* Reads a reader-only field's pre-encoded default (trusted, not counted
 * against max_items). */
static serde_code_t run_default(dec_t *d, const serde_avro_step_t *s, avro_value_t *dst) {
  const uint8_t *p = d->p, *end = d->end, *start = d->start;
  size_t items = d->items, max_items = d->max_items;
  d->p = d->start = s->deflt;
  d->end = s->deflt + s->deflt_len;
  d->max_items = SIZE_MAX;
  serde_code_t code = run(d, s->prog, dst);
  d->p = p;
  d->end = end;
  d->start = start;
  d->items = items;
  d->max_items = max_items;
  return code;
}

static serde_code_t run_record(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  TRY(enter(d));
  for (size_t k = 0; k < n->n; k++) {
    const serde_avro_step_t *s = &n->steps[k];
    serde_code_t code;
    avro_value_t field;
    if (s->kind == SERDE_AVRO_STEP_SKIP) {
      code = skip(d, s->wtype);
    } else {
      AVRO_TRY(d, avro_value_get_by_index(dst, s->rindex, &field, NULL));
      code = s->kind == SERDE_AVRO_STEP_READ ? run(d, s->prog, &field) : run_default(d, s, &field);
    }
    if (code != SERDE_OK) {
      serde__avro_path_seg(d->path, s->name, NULL, 0);
      return code;
    }
  }
  d->depth--;
  return SERDE_OK;
}

/* Reads one block header: *count elements (0 = end). A negative count is
 * followed by the block's byte size; with skip_ok the caller may skip the
 * whole block by it (*size >= 0), else *size is -1. */
static serde_code_t block_header(dec_t *d, bool may_be_empty, int64_t *count, int64_t *size) {
  TRY(rd_long(d, count));
  *size = -1;
  if (*count < 0) {
    if (*count == INT64_MIN) {
      return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "invalid block count before offset %zu",
                         offset(d));
    }
    *count = -*count;
    TRY(rd_long(d, size));
    if (*size < 0 || (uint64_t)*size > (uint64_t)(d->end - d->p)) {
      return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "invalid block size %lld before offset %zu",
                         (long long)*size, offset(d));
    }
  }
  if ((uint64_t)*count > d->max_items - d->items) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID,
                       "more than %zu array and map elements (block of %lld)", d->max_items,
                       (long long)*count);
  }
  if (!may_be_empty && (uint64_t)*count > (uint64_t)(d->end - d->p)) {
    return truncated(d, (size_t)*count);
  }
  d->items += (size_t)*count;
  return SERDE_OK;
}

static serde_code_t run_array(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  TRY(enter(d));
  size_t index = 0;
  for (;;) {
    int64_t count = 0, size = 0;
    TRY(block_header(d, n->elem_may_be_empty, &count, &size));
    if (count == 0) {
      break;
    }
    for (int64_t i = 0; i < count; i++, index++) {
      avro_value_t elem;
      AVRO_TRY(d, avro_value_append(dst, &elem, NULL));
      serde_code_t code = run(d, n->child, &elem);
      if (code != SERDE_OK) {
        serde__avro_path_seg(d->path, NULL, NULL, index);
        return code;
      }
    }
  }
  d->depth--;
  return SERDE_OK;
}

static serde_code_t map_entry(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  size_t klen = 0;
  const char *key = NULL;
  TRY(rd_len(d, &klen));
  const uint8_t *kp = d->p;
  if (memchr(kp, 0, klen)) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "map key with a NUL byte at offset %zu", offset(d));
  }
  d->p += klen;
  TRY(nul_copy(d, kp, klen, &key));
  avro_value_t elem;
  int is_new = 1;
  AVRO_TRY(d, avro_value_add(dst, key, &elem, NULL, &is_new));
  if (!is_new) { /* a repeated key: the last value wins */
    AVRO_TRY(d, avro_value_reset(&elem));
  }
  serde_code_t code = run(d, n->child, &elem);
  if (code != SERDE_OK) {
    char k[64];
    size_t kn = klen < sizeof k - 1 ? klen : sizeof k - 1;
    memcpy(k, kp, kn);
    k[kn] = '\0';
    serde__avro_path_seg(d->path, NULL, k, 0);
  }
  return code;
}

static serde_code_t run_map(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  TRY(enter(d));
  for (;;) {
    int64_t count = 0, size = 0;
    TRY(block_header(d, false, &count, &size));
    if (count == 0) {
      break;
    }
    for (int64_t i = 0; i < count; i++) {
      TRY(map_entry(d, n, dst));
    }
  }
  d->depth--;
  return SERDE_OK;
}

static serde_code_t run_union(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  TRY(enter(d));
  int64_t index = 0;
  TRY(rd_long(d, &index));
  if (index < 0 || (uint64_t)index >= n->n) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID,
                       "union branch %lld out of range (%zu branches) at offset %zu", (long long)index, n->n,
                       offset(d));
  }
  const serde_avro_branch_t *b = &n->branches[index];
  if (b->prog->op == SERDE_AVRO_OP_FAIL) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "writer union branch %s cannot be read: %s",
                       serde__avro_type_name(b->prog->w), b->prog->msg ? b->prog->msg : "unresolvable");
  }
  if (b->rbranch < 0) {
    TRY(run(d, b->prog, dst));
  } else {
    avro_value_t branch;
    AVRO_TRY(d, avro_value_set_branch(dst, b->rbranch, &branch));
    TRY(run(d, b->prog, &branch));
  }
  d->depth--;
  return SERDE_OK;
}

static serde_code_t run_enum(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  int64_t i = 0;
  TRY(rd_long(d, &i));
  if (i < 0 || (uint64_t)i >= n->n) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID,
                       "enum index %lld out of range (%zu symbols) at offset %zu", (long long)i, n->n,
                       offset(d));
  }
  if (n->symbols[i] < 0) {
    return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID,
                       "enum symbol \"%s\" of %s is unknown to the reader, which has no default",
                       n->w->symbols[i], n->w->name.full);
  }
  AVRO_TRY(d, avro_value_set_enum(dst, n->symbols[i]));
  return SERDE_OK;
}

/* ---- the interpreter ------------------------------------------------------------ */

/* Promotions, fixed and unresolvable writer types. */
static serde_code_t run_other(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  int32_t i = 0;
  int64_t l = 0;
  float f = 0;
  switch (n->op) {
    case SERDE_AVRO_OP_INT_LONG:
      TRY(rd_int(d, &i));
      AVRO_TRY(d, avro_value_set_long(dst, i));
      return SERDE_OK;
    case SERDE_AVRO_OP_INT_FLOAT:
      TRY(rd_int(d, &i));
      AVRO_TRY(d, avro_value_set_float(dst, (float)i));
      return SERDE_OK;
    case SERDE_AVRO_OP_INT_DOUBLE:
      TRY(rd_int(d, &i));
      AVRO_TRY(d, avro_value_set_double(dst, i));
      return SERDE_OK;
    case SERDE_AVRO_OP_LONG_FLOAT:
      TRY(rd_long(d, &l));
      AVRO_TRY(d, avro_value_set_float(dst, (float)l));
      return SERDE_OK;
    case SERDE_AVRO_OP_LONG_DOUBLE:
      TRY(rd_long(d, &l));
      AVRO_TRY(d, avro_value_set_double(dst, (double)l));
      return SERDE_OK;
    case SERDE_AVRO_OP_FLOAT_DOUBLE:
      TRY(rd_float(d, &f));
      AVRO_TRY(d, avro_value_set_double(dst, f));
      return SERDE_OK;
    case SERDE_AVRO_OP_FIXED:
      TRY(need(d, n->n));
      AVRO_TRY(d, avro_value_set_fixed(dst, (void *)d->p, n->n));
      d->p += n->n;
      return SERDE_OK;
    default:
      assert(n->op == SERDE_AVRO_OP_FAIL);
      return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID, "writer %s cannot be read: %s",
                         serde__avro_type_name(n->w), n->msg ? n->msg : "unresolvable");
  }
}

/* The writer's own primitive types. */
static serde_code_t run_primitive(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  int b = 0;
  int32_t i = 0;
  int64_t l = 0;
  float f = 0;
  double x = 0;
  switch (n->op) {
    case SERDE_AVRO_OP_NULL:
      AVRO_TRY(d, avro_value_set_null(dst));
      return SERDE_OK;
    case SERDE_AVRO_OP_BOOLEAN:
      TRY(rd_boolean(d, &b));
      AVRO_TRY(d, avro_value_set_boolean(dst, b));
      return SERDE_OK;
    case SERDE_AVRO_OP_INT:
      TRY(rd_int(d, &i));
      AVRO_TRY(d, avro_value_set_int(dst, i));
      return SERDE_OK;
    case SERDE_AVRO_OP_LONG:
      TRY(rd_long(d, &l));
      AVRO_TRY(d, avro_value_set_long(dst, l));
      return SERDE_OK;
    case SERDE_AVRO_OP_FLOAT:
      TRY(rd_float(d, &f));
      AVRO_TRY(d, avro_value_set_float(dst, f));
      return SERDE_OK;
    case SERDE_AVRO_OP_DOUBLE:
      TRY(rd_double(d, &x));
      AVRO_TRY(d, avro_value_set_double(dst, x));
      return SERDE_OK;
    default:
      return run_other(d, n, dst);
  }
}

static serde_code_t run_to_union(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  avro_value_t branch;
  TRY(enter(d));
  AVRO_TRY(d, avro_value_set_branch(dst, n->rbranch, &branch));
  TRY(run(d, n->child, &branch));
  d->depth--;
  return SERDE_OK;
}

static serde_code_t run(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  size_t len = 0;
  switch (n->op) {
    case SERDE_AVRO_OP_BYTES:
    case SERDE_AVRO_OP_STRING:
    case SERDE_AVRO_OP_STRING_BYTES:
    case SERDE_AVRO_OP_BYTES_STRING:
      TRY(rd_len(d, &len));
      d->p += len;
      return put_bytes(d, n->op, d->p - len, len, dst);
    case SERDE_AVRO_OP_ENUM:
      return run_enum(d, n, dst);
    case SERDE_AVRO_OP_RECORD:
      return run_record(d, n, dst);
    case SERDE_AVRO_OP_ARRAY:
      return run_array(d, n, dst);
    case SERDE_AVRO_OP_MAP:
      return run_map(d, n, dst);
    case SERDE_AVRO_OP_UNION:
      return run_union(d, n, dst);
    case SERDE_AVRO_OP_TO_UNION:
      return run_to_union(d, n, dst);
    default:
      return run_primitive(d, n, dst);
  }
}

/* Confluent's raw "bytes" payload: the whole input is the writer's value. */
static serde_code_t run_raw(dec_t *d, const serde_avro_pnode_t *n, avro_value_t *dst) {
  if (n->op == SERDE_AVRO_OP_TO_UNION) {
    avro_value_t branch;
    AVRO_TRY(d, avro_value_set_branch(dst, n->rbranch, &branch));
    return run_raw(d, n->child, &branch);
  }
  if (n->op != SERDE_AVRO_OP_BYTES && n->op != SERDE_AVRO_OP_BYTES_STRING) {
    return run(d, n, dst); /* FAIL */
  }
  const uint8_t *s = d->p;
  size_t len = (size_t)(d->end - d->p);
  d->p = d->end;
  return put_bytes(d, n->op, s, len, dst);
}

/* ---- skipping writer-only data ------------------------------------------------------ */

static serde_code_t skip_bytes(dec_t *d, size_t n) {
  TRY(need(d, n));
  d->p += n;
  return SERDE_OK;
}

static serde_code_t skip_items(dec_t *d, const sch_avro_node_t *w) {
  const sch_avro_node_t *child = w->child;
  bool may_be_empty = child->kind == SCH_AVRO_NULL || child->kind == SCH_AVRO_RECORD ||
                      (child->kind == SCH_AVRO_FIXED && child->size == 0);
  for (;;) {
    int64_t count = 0, size = 0;
    TRY(block_header(d, may_be_empty && w->kind == SCH_AVRO_ARRAY, &count, &size));
    if (count == 0) {
      return SERDE_OK;
    }
    if (size >= 0) { /* the writer told us the block's size: skip it whole */
      d->items -= (size_t)count;
      d->p += size;
      continue;
    }
    for (int64_t i = 0; i < count; i++) {
      size_t klen = 0;
      if (w->kind == SCH_AVRO_MAP) {
        TRY(rd_len(d, &klen));
        d->p += klen;
      }
      TRY(skip(d, child));
    }
  }
}

static serde_code_t skip_compound(dec_t *d, const sch_avro_node_t *w) {
  TRY(enter(d));
  if (w->kind == SCH_AVRO_RECORD) {
    for (size_t i = 0; i < w->n_fields; i++) {
      serde_code_t code = skip(d, w->fields[i].type);
      if (code != SERDE_OK) {
        serde__avro_path_seg(d->path, w->fields[i].name, NULL, 0);
        return code;
      }
    }
  } else if (w->kind == SCH_AVRO_UNION) {
    int64_t index = 0;
    TRY(rd_long(d, &index));
    if (index < 0 || (uint64_t)index >= w->n_branches) {
      return serde__fail(d->err, SERDE_ERR_PAYLOAD_INVALID,
                         "union branch %lld out of range (%zu branches) at offset %zu", (long long)index,
                         w->n_branches, offset(d));
    }
    TRY(skip(d, w->branches[index]));
  } else {
    TRY(skip_items(d, w));
  }
  d->depth--;
  return SERDE_OK;
}

static serde_code_t skip(dec_t *d, const sch_avro_node_t *w) {
  int64_t l = 0;
  int b = 0;
  size_t n = 0;
  switch (w->kind) {
    case SCH_AVRO_NULL:
      return SERDE_OK;
    case SCH_AVRO_BOOLEAN:
      return rd_boolean(d, &b);
    case SCH_AVRO_INT:
    case SCH_AVRO_LONG:
    case SCH_AVRO_ENUM:
      return rd_long(d, &l);
    case SCH_AVRO_FLOAT:
      return skip_bytes(d, 4);
    case SCH_AVRO_DOUBLE:
      return skip_bytes(d, 8);
    case SCH_AVRO_BYTES:
    case SCH_AVRO_STRING:
      TRY(rd_len(d, &n));
      d->p += n;
      return SERDE_OK;
    case SCH_AVRO_FIXED:
      return skip_bytes(d, w->size > 0 ? (size_t)w->size : 0);
    default:
      return skip_compound(d, w);
  }
}

/* ---- entry point -------------------------------------------------------------------- */

serde_code_t serde__avro_decode(const serde_avro_program_t *prog, const uint8_t *data, size_t len,
                                const serde_avro_limits_t *lim, avro_value_t *dst, serde_error_t *err) {
  static const serde_avro_limits_t defaults = {
      .max_depth = 64, .max_items = 10000000, .allow_trailing = false};
  if (!prog || !dst || (!data && len)) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "no program, value or data");
  }
  static const uint8_t empty[1];
  lim = lim ? lim : &defaults;
  data = data ? data : empty;
  serde_avro_path_t path;
  serde__avro_path_init(&path);
  dec_t d = {.p = data,
             .end = data + len,
             .start = data,
             .max_items = lim->max_items,
             .max_depth = lim->max_depth,
             .err = err,
             .path = &path};
  serde_code_t code = prog->raw_bytes ? run_raw(&d, prog->root, dst) : run(&d, prog->root, dst);
  if (code == SERDE_OK && d.p != d.end && !lim->allow_trailing) {
    code = serde__fail(err, SERDE_ERR_PAYLOAD_INVALID, "%zu trailing bytes after the datum at offset %zu",
                       (size_t)(d.end - d.p), offset(&d));
  }
  if (code != SERDE_OK) {
    serde__avro_path_apply(&path, err);
  }
  free(d.scratch);
  return code;
}
