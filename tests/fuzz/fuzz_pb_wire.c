// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the serde's Protobuf codec (serde/src/pb_*.c), which
 * reads untrusted Kafka payloads for the REST proxy and weir consume: byte 0
 * picks a message of the two schemas below (proto3 with every field kind and
 * the well-known types; proto2 with groups, defaults, closed enums and
 * required fields), the rest is its Protobuf binary. Whatever prints must be
 * JSON that jansson parses, must encode back to binary, and that binary must
 * print the very same JSON (printing is a fixed point after one round).
 * Seeds: tests/fuzz/seeds/fuzz_pb_wire (byte 0, then protoc's encoding). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_codec.h"

/* assert() vanishes under the fuzz build's NDEBUG. */
#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      abort();                                                                  \
    }                                                                           \
  } while (0)

static const char PROTO3[] =
    "syntax = \"proto3\";\n"
    "package fz;\n"
    "import \"google/protobuf/any.proto\";\n"
    "import \"google/protobuf/duration.proto\";\n"
    "import \"google/protobuf/field_mask.proto\";\n"
    "import \"google/protobuf/struct.proto\";\n"
    "import \"google/protobuf/timestamp.proto\";\n"
    "import \"google/protobuf/wrappers.proto\";\n"
    "enum E { E0 = 0; E1 = 1; E2 = 2; }\n"
    "message All {\n"
    "  double d = 1; float f = 2; int32 i32 = 3; int64 i64 = 4; uint32 u32 = 5; uint64 u64 = 6;\n"
    "  sint32 s32 = 7; sint64 s64 = 8; fixed32 fx32 = 9; fixed64 fx64 = 10; sfixed32 sf32 = 11;\n"
    "  sfixed64 sf64 = 12; bool b = 13; string s = 14; bytes by = 15; E e = 16; optional int32 o = 17;\n"
    "  repeated int32 ri = 18; repeated double rd = 19 [packed = false]; repeated string rs = 20;\n"
    "  repeated E re = 21; repeated All rm = 22; map<string, All> ms = 23; map<int64, string> mi = 24;\n"
    "  map<bool, bytes> mb = 25; map<uint32, E> me = 26; map<sint32, double> mz = 27;\n"
    "  oneof k { string ks = 28; All km = 29; int32 ki = 30; }\n"
    "  All next = 31; Wkt w = 32;\n"
    "}\n"
    "message Wkt {\n"
    "  google.protobuf.Timestamp ts = 1; google.protobuf.Duration du = 2; google.protobuf.Any an = 3;\n"
    "  google.protobuf.Struct st = 4; google.protobuf.Value va = 5; google.protobuf.ListValue lv = 6;\n"
    "  google.protobuf.FieldMask fm = 7; google.protobuf.Int64Value i64 = 8; google.protobuf.BytesValue by = "
    "9;\n"
    "  google.protobuf.FloatValue fl = 10; google.protobuf.NullValue nv = 11;\n"
    "  repeated google.protobuf.Value vs = 12; map<string, google.protobuf.Value> vm = 13;\n"
    "}\n";

static const char PROTO2[] =
    "syntax = \"proto2\";\n"
    "package fz2;\n"
    "message P {\n"
    "  enum K { A = 1; B = 2; }\n"
    "  required string name = 1;\n"
    "  optional int32 n = 2 [default = -3];\n"
    "  optional K k = 3 [default = B];\n"
    "  repeated K ks = 4;\n"
    "  repeated sint64 packed = 5 [packed = true];\n"
    "  optional group G = 6 { optional string a = 7; optional P p = 8; }\n"
    "  optional bytes raw = 9 [default = \"\\001\\377\"];\n"
    "  optional float fl = 10 [default = nan];\n"
    "  map<string, P> children = 11;\n"
    "}\n";

typedef struct target {
  const char *text;
  const char *message;
} target_t;

static const target_t targets[] = {
    {PROTO3, "fz.All"},
    {PROTO3, "fz.Wkt"},
    {PROTO3, "google.protobuf.Struct"},
    {PROTO2, "fz2.P"},
};
#define N_TARGETS (sizeof targets / sizeof targets[0])

static sch_pb_schema_t *schemas[N_TARGETS];

static sch_pb_schema_t *schema_for(size_t i) {
  if (!schemas[i]) {
    sch_error_t err;
    schemas[i] = sch_pb_schema_build(targets[i].text, strlen(targets[i].text), NULL, 0, &err);
    if (!schemas[i]) {
      fprintf(stderr, "fuzz schema: %s\n", err.message);
      abort();
    }
  }
  return schemas[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) {
    return 0;
  }
  size_t t = data[0] % N_TARGETS;
  const sch_pb_schema_t *s = schema_for(t);
  const sch_pb_message_t *m = sch_pb_find_message(s, targets[t].message);
  CHECK(m);
  serde_buf_t json = {0}, bin = {0}, again = {0};
  serde_error_t err;
  serde_code_t rc = serde__pb_to_json(s, m, data + 1, size - 1, &json, &err);
  CHECK(rc == SERDE_OK || rc == SERDE_ERR_PAYLOAD_INVALID);
  if (rc == SERDE_OK) {
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)json.data, json.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!doc && strstr(jerr.text, "NUL byte in object key")) {
      /* valid JSON (a map key holding U+0000) that jansson, and so the JSON
       * reader, does not take: nothing to round-trip */
      goto out;
    }
    if (!doc) {
      fprintf(stderr, "unparsable output %.*s: %s\n", (int)json.len, (const char *)json.data, jerr.text);
      abort();
    }
    json_decref(doc);
    if (serde__pb_from_json(s, m, (const char *)json.data, json.len, &bin, &err) != SERDE_OK) {
      fprintf(stderr, "output %.*s does not encode: %s\n", (int)json.len, (const char *)json.data,
              err.message);
      abort();
    }
    if (serde__pb_to_json(s, m, bin.data ? bin.data : (const uint8_t *)"", bin.len, &again, &err) !=
        SERDE_OK) {
      fprintf(stderr, "re-encoded output of %.*s does not print: %s\n", (int)json.len,
              (const char *)json.data, err.message);
      abort();
    }
    if (again.len != json.len || memcmp(again.data, json.data, json.len) != 0) {
      fprintf(stderr, "printing is not stable:\n%.*s\n%.*s\n", (int)json.len, (const char *)json.data,
              (int)again.len, (const char *)again.data);
      abort();
    }
  }
out:
  serde_buf_fini(&json);
  serde_buf_fini(&bin);
  serde_buf_fini(&again);
  return 0;
}
