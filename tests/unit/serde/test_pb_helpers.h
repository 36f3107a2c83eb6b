// SPDX-License-Identifier: Apache-2.0
/* Helpers of the serde's Protobuf unit tests: the test schemas under
 * tests/unit/serde/data/pb (built with the schemas module's resolver), hex
 * text, and two protobuf-c message descriptors written by hand in the
 * layout protoc-c generates (protoc-c is not part of the test build):
 *   weir.test.Node        { int32 v = 1; Node next = 2; }      (self-nested)
 *   weir.test.Order.Line  { string sku = 1; int32 count = 2; double price = 3; } */
#ifndef WEIR_TEST_PB_HELPERS_H
#define WEIR_TEST_PB_HELPERS_H

#include <protobuf-c/protobuf-c.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above first. */
#include <cmocka.h>

#include "schemas/proto_schema.h"

/* The text of a file under tests/unit/serde/data/pb (malloc'd). */
static inline char *tpb_read(const char *name, size_t *len) {
  const char *root = getenv("WEIR_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/unit/serde/data/pb/%s", root ? root : ".", name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fail_msg("cannot open %s (set WEIR_SOURCE_DIR)", path);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  assert_non_null(text);
  assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
  text[n] = '\0';
  fclose(f);
  if (len) {
    *len = (size_t)n;
  }
  return text;
}

static inline sch_pb_schema_t *tpb_build_text(const char *text) {
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(text, strlen(text), NULL, 0, &err);
  if (!s) {
    fail_msg("schema does not build: %s", err.message);
  }
  return s;
}

static inline sch_pb_schema_t *tpb_build_file(const char *name) {
  char *text = tpb_read(name, NULL);
  sch_pb_schema_t *s = tpb_build_text(text);
  free(text);
  return s;
}

static inline const sch_pb_message_t *tpb_message(const sch_pb_schema_t *s, const char *name) {
  const sch_pb_message_t *m = sch_pb_find_message(s, name);
  if (!m) {
    fail_msg("no message %s", name);
  }
  return m;
}

/* Hex text -> bytes (malloc'd; at least 1 byte allocated). */
static inline uint8_t *tpb_unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2;
  uint8_t *out = malloc(n + 1);
  assert_non_null(out);
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
    out[i] = (uint8_t)v;
  }
  *len = n;
  return out;
}

/* ---- hand-written protobuf-c descriptors ---------------------------------------------- */

typedef struct TpbNode {
  ProtobufCMessage base;
  int32_t v;
  struct TpbNode *next;
} TpbNode;

typedef struct TpbLine {
  ProtobufCMessage base;
  char *sku;
  int32_t count;
  double price;
} TpbLine;

extern const ProtobufCMessageDescriptor tpb_node_descriptor;
extern const ProtobufCMessageDescriptor tpb_line_descriptor;

static const ProtobufCFieldDescriptor tpb_node_fields[2] = {
    {"v", 1, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_INT32, 0, offsetof(TpbNode, v), NULL, NULL, 0, 0, NULL,
     NULL},
    {"next", 2, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_MESSAGE, 0, offsetof(TpbNode, next),
     &tpb_node_descriptor, NULL, 0, 0, NULL, NULL},
};
static const unsigned tpb_node_by_name[2] = {1, 0};
static const ProtobufCIntRange tpb_node_ranges[2] = {{1, 0}, {0, 2}};
const ProtobufCMessageDescriptor tpb_node_descriptor = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                        "weir.test.Node",
                                                        "Node",
                                                        "Weir__Test__Node",
                                                        "weir.test",
                                                        sizeof(TpbNode),
                                                        2,
                                                        tpb_node_fields,
                                                        tpb_node_by_name,
                                                        1,
                                                        tpb_node_ranges,
                                                        NULL,
                                                        NULL,
                                                        NULL,
                                                        NULL};

static char tpb_empty_string[] = "";
static const ProtobufCFieldDescriptor tpb_line_fields[3] = {
    {"sku", 1, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_STRING, 0, offsetof(TpbLine, sku), NULL,
     &tpb_empty_string, 0, 0, NULL, NULL},
    {"count", 2, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_INT32, 0, offsetof(TpbLine, count), NULL, NULL, 0, 0,
     NULL, NULL},
    {"price", 3, PROTOBUF_C_LABEL_NONE, PROTOBUF_C_TYPE_DOUBLE, 0, offsetof(TpbLine, price), NULL, NULL, 0, 0,
     NULL, NULL},
};
static const unsigned tpb_line_by_name[3] = {1, 2, 0};
static const ProtobufCIntRange tpb_line_ranges[2] = {{1, 0}, {0, 3}};
static inline void tpb_line_init(ProtobufCMessage *m) {
  TpbLine *l = (TpbLine *)m;
  memset(l, 0, sizeof *l);
  l->base.descriptor = &tpb_line_descriptor;
  l->sku = tpb_empty_string;
}
const ProtobufCMessageDescriptor tpb_line_descriptor = {PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
                                                        "weir.test.Order.Line",
                                                        "Line",
                                                        "Weir__Test__Order__Line",
                                                        "weir.test",
                                                        sizeof(TpbLine),
                                                        3,
                                                        tpb_line_fields,
                                                        tpb_line_by_name,
                                                        1,
                                                        tpb_line_ranges,
                                                        tpb_line_init,
                                                        NULL,
                                                        NULL,
                                                        NULL};

#endif
