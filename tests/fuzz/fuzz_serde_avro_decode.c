// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the serde's Avro decoder (serde/src/avro_decode.c),
 * which reads untrusted Kafka payloads: byte 0 picks a (writer, reader)
 * schema pair from the table below (identity, evolution with defaults and
 * skipped fields, recursion, unions both ways, raw bytes, zero-byte
 * elements), byte 1 the limits, the rest is the payload. Every datum that
 * decodes must print as Avro JSON that jansson parses and that converts back
 * into a value of the reader schema. Seeds: tests/fuzz/seeds/fuzz_serde_avro_decode
 * (one valid datum per pair). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avro_codec.h"
#include "schemas/schemas.h"

/* assert() vanishes under the fuzz build's NDEBUG. */
#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      abort();                                                                  \
    }                                                                           \
  } while (0)

#define NODE_W                                                                                            \
  "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"                 \
  "{\"name\":\"gone\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":[\"null\","     \
  "\"string\",{\"type\":\"fixed\",\"name\":\"F4\",\"size\":4}]}}},{\"name\":\"next\",\"type\":[\"null\"," \
  "\"Node\"]}]}"
#define NODE_R                                                                                        \
  "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"            \
  "{\"name\":\"tag\",\"type\":[\"string\",\"null\"],\"default\":\"t\"},{\"name\":\"next\",\"type\":[" \
  "\"null\",\"Node\"]}]}"

typedef struct fuzz_pair {
  const char *writer;
  const char *reader; /* NULL = the writer */
} fuzz_pair_t;

static const fuzz_pair_t pairs[] = {
    /* 0: the spec's 8-field benchmark record */
    {"{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"b\",\"fields\":[{\"name\":\"id\",\"type\":"
     "\"long\"},"
     "{\"name\":\"c\",\"type\":\"string\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"]},"
     "{\"name\":\"q\",\"type\":\"int\"},{\"name\":\"p\",\"type\":\"double\"},{\"name\":\"ok\",\"type\":"
     "\"boolean\"},"
     "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
     "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}]}",
     NULL},
    /* 1: a recursive list */
    {"{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
     "{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}",
     NULL},
    /* 2: evolution: promoted, skipped and defaulted fields in a recursive type */
    {NODE_W, NODE_R},
    /* 3: unions both ways, some branches unresolvable */
    {"[\"null\",\"int\",\"string\",\"float\",{\"type\":\"record\",\"name\":\"a.P\",\"fields\":[{\"name\":"
     "\"x\","
     "\"type\":\"bytes\"}]},{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]},\"boolean\"]",
     "[\"string\",\"null\",\"double\",{\"type\":\"record\",\"name\":\"b.P\",\"aliases\":[\"a.P\"],\"fields\":"
     "["
     "{\"name\":\"x\",\"type\":\"string\"},{\"name\":\"y\",\"type\":\"int\",\"default\":1}]},"
     "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"B\"]}]"},
    /* 4: Confluent's raw top-level bytes into a union */
    {"\"bytes\"", "[\"null\",\"string\"]"},
    /* 5: enum with a reader default; union writer into a non-union reader */
    {"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":"
     "\"E\","
     "\"symbols\":[\"A\",\"B\",\"C\",\"D\"]}},{\"name\":\"u\",\"type\":[\"int\",\"null\",\"long\"]}]}",
     "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"u\",\"type\":\"double\"},{\"name\":\"e\","
     "\"type\":"
     "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"B\",\"A\",\"X\"],\"default\":\"X\"}}]}"},
    /* 6: nested maps and arrays of records with every scalar */
    {"{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"S\","
     "\"fields\":["
     "{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"d\",\"type\":"
     "\"double\"},"
     "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":3}},{\"name\":\"y\",\"type\":"
     "\"bytes\"},"
     "{\"name\":\"n\",\"type\":\"null\"}]}}}",
     NULL},
    /* 7: zero-byte elements (bounded only by max_items) */
    {"{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Z\",\"fields\":[{\"name\":\"n\",\"type\":"
     "\"null\"},"
     "{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"F0\",\"size\":0}}]}}",
     "{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"Z\",\"fields\":[{\"name\":\"f\",\"type\":"
     "{\"type\":\"fixed\",\"name\":\"F0\",\"size\":0}},{\"name\":\"k\",\"type\":{\"type\":\"map\",\"values\":"
     "\"int\"},"
     "\"default\":{\"a\":1}}]}}"},
};
#define N_PAIRS (sizeof pairs / sizeof pairs[0])

typedef struct fuzz_state {
  sch_schema_t *w, *r;
  avro_schema_t reader_avro;
  avro_value_iface_t *iface;
  serde_avro_program_t *prog;
} fuzz_state_t;

static fuzz_state_t states[N_PAIRS];

static sch_schema_t *parse(const char *text) {
  sch_parse_opts_t opts = {0};
  sch_error_t err;
  sch_schema_t *s = sch_schema_parse(sch_format_find("AVRO"), text, strlen(text), &opts, &err);
  CHECK(s);
  return s;
}

static fuzz_state_t *state_for(size_t i) {
  fuzz_state_t *st = &states[i];
  if (st->prog) {
    return st;
  }
  st->w = parse(pairs[i].writer);
  st->r = parse(pairs[i].reader ? pairs[i].reader : pairs[i].writer);
  size_t len = 0;
  char *text = sch_avro_standalone_text(st->r, &len);
  CHECK(text && avro_schema_from_json_length(text, len, &st->reader_avro) == 0);
  free(text);
  st->iface = avro_generic_class_from_schema(st->reader_avro);
  serde_error_t err;
  st->prog = serde__avro_program_new(sch_avro_root(st->w), sch_avro_root(st->r), &err);
  CHECK(st->iface && st->prog);
  return st;
}

/* The decoded value must print, parse back as JSON and convert back. */
static void check_json(const fuzz_state_t *st, const avro_value_t *v) {
  const sch_avro_node_t *root = sch_avro_root(st->r);
  serde_buf_t buf = {0};
  serde_error_t err;
  CHECK(serde__avro_to_json(root, v, &buf, &err) == SERDE_OK);
  json_error_t jerr;
  json_t *js = json_loadb((const char *)buf.data, buf.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
  if (!js) {
    fprintf(stderr, "unparsable output %.*s: %s\n", (int)buf.len, (const char *)buf.data, jerr.text);
    abort();
  }
  avro_value_t again;
  CHECK(avro_generic_value_new(st->iface, &again) == 0);
  if (serde__avro_from_json(root, js, SERDE_AVRO_JSON_ENCODING, &again, &err) != SERDE_OK) {
    fprintf(stderr, "output %.*s does not read back: %s\n", (int)buf.len, (const char *)buf.data,
            err.message);
    abort();
  }
  avro_value_decref(&again);
  json_decref(js);
  serde_buf_fini(&buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) {
    return 0;
  }
  fuzz_state_t *st = state_for(data[0] % N_PAIRS);
  serde_avro_limits_t lim = {
      .max_depth = 1 + (data[1] & 63),
      .max_items = (data[1] & 128) ? 20000 : 500,
      .allow_trailing = (data[1] & 64) != 0,
  };
  avro_value_t v;
  CHECK(avro_generic_value_new(st->iface, &v) == 0);
  serde_error_t err;
  serde_code_t code = serde__avro_decode(st->prog, data + 2, size - 2, &lim, &v, &err);
  CHECK(code == SERDE_OK || code == SERDE_ERR_PAYLOAD_INVALID);
  if (code == SERDE_OK) {
    check_json(st, &v);
  }
  avro_value_decref(&v);
  return 0;
}
