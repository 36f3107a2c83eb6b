// SPDX-License-Identifier: Apache-2.0
/* The compiled form of an Avro resolution program, shared by the compiler
 * (avro_resolve.c) and its interpreter (avro_decode.c), plus the two small
 * helpers the codec files share: the JSON-to-binary walk that pre-encodes
 * reader defaults, and the error path built while an error unwinds. Nothing
 * here is visible outside the codec sources and their unit tests. */
#ifndef WEIR_SERDE_AVRO_PROGRAM_H
#define WEIR_SERDE_AVRO_PROGRAM_H

#include <stdio.h>
#include <string.h>

#include "avro_codec.h"

/* One operation per (writer type, reader type) pair. Every op reads one
 * writer datum and stores it into one reader value. */
typedef enum {
  SERDE_AVRO_OP_NULL,
  SERDE_AVRO_OP_BOOLEAN,
  SERDE_AVRO_OP_INT,
  SERDE_AVRO_OP_LONG,
  SERDE_AVRO_OP_FLOAT,
  SERDE_AVRO_OP_DOUBLE,
  SERDE_AVRO_OP_BYTES,
  SERDE_AVRO_OP_STRING,
  SERDE_AVRO_OP_INT_LONG, /* promotions: writer type _ reader type */
  SERDE_AVRO_OP_INT_FLOAT,
  SERDE_AVRO_OP_INT_DOUBLE,
  SERDE_AVRO_OP_LONG_FLOAT,
  SERDE_AVRO_OP_LONG_DOUBLE,
  SERDE_AVRO_OP_FLOAT_DOUBLE,
  SERDE_AVRO_OP_STRING_BYTES,
  SERDE_AVRO_OP_BYTES_STRING,
  SERDE_AVRO_OP_FIXED,
  SERDE_AVRO_OP_ENUM,
  SERDE_AVRO_OP_RECORD,
  SERDE_AVRO_OP_ARRAY,
  SERDE_AVRO_OP_MAP,
  SERDE_AVRO_OP_UNION,    /* writer union: one branch entry per writer branch */
  SERDE_AVRO_OP_TO_UNION, /* non-union writer stored into one reader branch */
  SERDE_AVRO_OP_FAIL,     /* unresolvable: fails only when the data reaches it */
} serde_avro_op_t;

typedef struct serde_avro_pnode serde_avro_pnode_t;

typedef enum {
  SERDE_AVRO_STEP_READ,    /* writer field -> reader field rindex via prog */
  SERDE_AVRO_STEP_SKIP,    /* writer-only field: skip a datum of wtype */
  SERDE_AVRO_STEP_DEFAULT, /* reader-only field: decode deflt with prog */
} serde_avro_step_kind_t;

/* One step of a record op, in writer field order, then the defaults. */
typedef struct serde_avro_step {
  serde_avro_step_kind_t kind;
  size_t rindex;                  /* READ, DEFAULT: reader field index */
  const serde_avro_pnode_t *prog; /* READ: writer->reader; DEFAULT: reader->reader */
  const sch_avro_node_t *wtype;   /* SKIP */
  const uint8_t *deflt;           /* DEFAULT: the default, Avro binary of the reader type */
  size_t deflt_len;
  const char *name; /* field name for error paths (writer's, or reader's for DEFAULT) */
} serde_avro_step_t;

/* A writer union branch: where it goes and how it is read. */
typedef struct serde_avro_branch {
  int rbranch;                    /* reader branch to select, -1 when the reader is no union */
  const serde_avro_pnode_t *prog; /* never NULL; a FAIL op when unresolvable */
} serde_avro_branch_t;

struct serde_avro_pnode {
  serde_avro_op_t op;
  bool elem_may_be_empty;              /* ARRAY, MAP: an element can encode to zero bytes */
  size_t n;                            /* RECORD steps, UNION branches, ENUM writer symbols, FIXED size */
  const serde_avro_step_t *steps;      /* RECORD */
  const serde_avro_branch_t *branches; /* UNION */
  const int *symbols;                  /* ENUM: writer symbol -> reader symbol, -1 = unknown */
  const serde_avro_pnode_t *child;     /* ARRAY items, MAP values, TO_UNION branch */
  int rbranch;                         /* TO_UNION */
  const sch_avro_node_t *w;            /* writer type, for messages */
  const char *msg;                     /* FAIL: why */
};

struct serde_avro_program {
  const serde_avro_pnode_t *root;
  bool raw_bytes; /* writer root is "bytes": the whole input is the value */
  void **allocs;  /* everything the program owns */
  size_t n_allocs;
  size_t cap_allocs;
};

/* Shape-checked name of a type for messages: full name or kind name. */
static inline const char *serde__avro_type_name(const sch_avro_node_t *n) {
  return sch_avro_is_named(n->kind) && n->name.full ? n->name.full : sch_avro_kind_name(n->kind);
}

/* avro_json_in.c: the same walk as serde__avro_from_json, appending the Avro
 * binary encoding of json under node to out instead of setting a value.
 * Errors as serde__avro_from_json. */
serde_code_t serde__avro_json_to_binary(const sch_avro_node_t *node, const json_t *json,
                                        serde_avro_json_mode_t mode, serde_buf_t *out, serde_error_t *err);

/* An error path ("$.items[2].price") built right to left while an error
 * unwinds, so the success path never pays for it. */
typedef struct serde_avro_path {
  char buf[256];
  size_t start; /* text is buf[start..sizeof buf - 1) */
  bool truncated;
} serde_avro_path_t;

static inline void serde__avro_path_init(serde_avro_path_t *p) {
  p->start = sizeof p->buf - 1;
  p->buf[p->start] = '\0';
  p->truncated = false;
}

/* Prepends one segment: a field (".name"), a map key ("[\"key\"]", key not
 * NULL) or an array index ("[3]"). */
static inline void serde__avro_path_seg(serde_avro_path_t *p, const char *field, const char *key,
                                        size_t index) {
  char seg[80];
  int n = field ? snprintf(seg, sizeof seg, ".%s", field)
          : key ? snprintf(seg, sizeof seg, "[\"%.60s\"]", key)
                : snprintf(seg, sizeof seg, "[%zu]", index);
  size_t len = n < 0 ? 0 : (size_t)n >= sizeof seg ? sizeof seg - 1 : (size_t)n;
  if (len > p->start) {
    p->truncated = true;
    return;
  }
  p->start -= len;
  memcpy(p->buf + p->start, seg, len);
}

/* Prefixes err's message with "$<path>: ". */
static inline void serde__avro_path_apply(const serde_avro_path_t *p, serde_error_t *err) {
  serde__error_prefix(err, "$%s%s", p->truncated ? "..." : "", p->buf + p->start);
}

/* An avro-c setter failed (avro_decode.c, avro_json_in.c): ENOMEM is out of
 * memory; anything else means the value does not have the expected shape,
 * reported as shape_code with what (e.g. "the reader schema's"). */
serde_code_t serde__avro_failed(serde_error_t *err, int rc, serde_code_t shape_code, const char *what);

/* Calls an avro-c function returning 0 or an errno; returns from the
 * caller with serde__avro_failed's code when it fails. */
#define SERDE_AVRO_TRY(err, shape_code, what, call)                  \
  do {                                                             \
    int rc_ = (call);                                              \
    if (rc_ != 0) {                                                \
      return serde__avro_failed((err), rc_, (shape_code), (what)); \
    }                                                              \
  } while (0)

#endif
