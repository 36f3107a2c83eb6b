// SPDX-License-Identifier: Apache-2.0
/* The PROTOBUF sch_format_t: parse = resolve the .proto text with its
 * references and the built-in well-known types (sch_pb_schema_build), also
 * accepting a base64 FileDescriptorProto as the Java and Python clients
 * send; canonical text = the printed file (normalized on request);
 * compatibility = Confluent's diff (§6.2) with its messages; render
 * "serialized" = base64 FileDescriptorProto. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"
#include "proto_int.h"
#include "schemas/proto_schema.h"

typedef struct proto_schema {
  sch_schema_t base;
  sch_pb_schema_t *pb;
} proto_schema_t;

const sch_pb_schema_t *sch_proto_schema_resolved(const sch_schema_t *schema) {
  if (!schema || schema->format != &sch__proto_format) return NULL;
  return ((const proto_schema_t *)schema)->pb;
}

static void proto_destroy(sch_schema_t *schema) {
  proto_schema_t *s = (proto_schema_t *)schema;
  sch_pb_schema_destroy(s->pb);
  free(s->base.canonical);
  free(s);
}

/* True if text is non-empty and made only of base64 characters. */
static bool looks_base64(const char *text, size_t len) {
  if (len < 4) return false;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

/* The .proto text of a base64 FileDescriptorProto; NULL (err untouched) if
 * the text is not one. */
static char *descriptor_text(const char *text, size_t len, size_t *out_len) {
  if (!looks_base64(text, len)) return NULL;
  size_t n = 0;
  uint8_t *bytes = sch_base64_decode(text, len, &n);
  if (!bytes) return NULL;
  sch_error_t derr = {0};
  char *proto = sch_pb_descriptor_to_proto(bytes, n, out_len, &derr);
  free(bytes);
  return proto;
}

static sch_schema_t *proto_parse(const char *text, size_t len, const sch_parse_opts_t *opts, sch_error_t *err) {
  const sch_reference_t *refs = opts ? opts->refs : NULL;
  size_t n_refs = opts ? opts->n_refs : 0;
  /* references registered as base64 descriptors are stored as text already;
   * only the schema itself may arrive as a descriptor */
  size_t plen = 0;
  char *from_descriptor = descriptor_text(text, len, &plen);
  if (from_descriptor) {
    text = from_descriptor;
    len = plen;
  }
  proto_schema_t *s = calloc(1, sizeof *s);
  if (!s) {
    free(from_descriptor);
    sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
    return NULL;
  }
  s->base.format = &sch__proto_format;
  s->pb = sch_pb_schema_build(text, len, refs, n_refs, err);
  if (!s->pb) goto fail;
  const sch_pb_file_t *file = sch_pb_schema_file(s->pb);
  size_t clen = 0;
  char *printed = sch_proto_print(file->ast, &clen, err);
  if (!printed) goto fail;
  if (opts && opts->normalize) {
    s->base.canonical = sch__proto_normalize(s->pb, printed, clen, &s->base.canonical_len, err);
    free(printed);
    if (!s->base.canonical) goto fail;
  } else {
    s->base.canonical = printed;
    s->base.canonical_len = clen;
  }
  free(from_descriptor);
  return &s->base;
fail:
  free(from_descriptor);
  proto_destroy(&s->base);
  return NULL;
}

/* Both directions are one diff: the writer's file is the original, the
 * reader's the update (BACKWARD: old -> new; FORWARD: new -> old). */
static sch_code_t proto_can_read_pair(const sch_compat_pair_t *pair, bool *compatible, sch_messages_t *msgs,
                                      sch_error_t *err) {
  const sch_pb_schema_t *reader = sch_proto_schema_resolved(pair->reader);
  const sch_pb_schema_t *writer = sch_proto_schema_resolved(pair->writer);
  *compatible = false;
  if (!reader || !writer) return sch__error_set(err, SCH_ERR_INVALID, "not a Protobuf schema");
  sch_pb_changes_t changes = {0};
  sch_code_t rc = sch_pb_diff(writer, reader, &changes, err);
  if (rc != SCH_OK) {
    sch_pb_changes_fini(&changes);
    return rc;
  }
  *compatible = true;
  for (size_t i = 0; i < changes.count && rc == SCH_OK; i++) {
    if (changes.items[i].compatible) continue;
    *compatible = false;
    if (!msgs) continue;
    char description[1024];
    sch__pb_change_describe_roles(&changes.items[i], pair->reader_role, pair->writer_role, description,
                                  sizeof description);
    rc = sch_messages_addf(msgs, "{errorType:\"%s\", description:\"%s\"}", changes.items[i].type, description);
  }
  sch_pb_changes_fini(&changes);
  if (rc != SCH_OK) return sch__error_set(err, rc, "out of memory");
  return SCH_OK;
}

static sch_code_t proto_can_read(const sch_schema_t *reader, const sch_schema_t *writer, bool *compatible,
                                 sch_messages_t *msgs, sch_error_t *err) {
  sch_compat_pair_t pair = {reader, writer, "new", "old"};
  return proto_can_read_pair(&pair, compatible, msgs, err);
}

static char *proto_render(const sch_schema_t *schema, const char *format, size_t *len, sch_error_t *err) {
  if (strcmp(format, "serialized") != 0) return NULL;
  const sch_pb_schema_t *pb = sch_proto_schema_resolved(schema);
  size_t n = 0;
  uint8_t *bytes = sch_pb_file_descriptor(sch_pb_schema_file(pb), &n, err);
  if (!bytes) return NULL;
  char *text = sch_base64_encode(bytes, n, len);
  free(bytes);
  if (!text) sch__error_set(err, SCH_ERR_NOMEM, "out of memory");
  return text;
}

const sch_format_t sch__proto_format = {
    .name = "PROTOBUF",
    .parse = proto_parse,
    .can_read = proto_can_read,
    .destroy = proto_destroy,
    .can_read_pair = proto_can_read_pair,
    .render = proto_render,
};
