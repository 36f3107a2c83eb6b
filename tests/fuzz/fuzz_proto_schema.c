// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for what the registry does with a Protobuf schema from a
 * request: the first byte picks the path.
 *   even: the rest is .proto text -> the PROTOBUF format (resolution with the
 *         built-in well-known types, canonical or normalized text by bit 1),
 *         then `format=serialized` and reading that descriptor back, which
 *         must succeed and build again;
 *   odd:  the rest is a FileDescriptorProto (what clients register base64'd)
 *         -> .proto text, which must parse when it is returned.
 * Errors must be the documented codes; nothing may crash or leak. Seeds:
 * tests/fuzz/seeds/fuzz_proto_schema. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemas/proto_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void from_descriptor(const uint8_t *data, size_t size) {
  sch_error_t err = {0};
  size_t len = 0;
  char *text = sch_pb_descriptor_to_proto(data, size, &len, &err);
  if (!text) {
    assert(err.code == SCH_ERR_INVALID || err.code == SCH_ERR_LIMIT);
    return;
  }
  sch_proto_file_t *f = sch_proto_parse(text, len, &err);
  assert(f);
  sch_proto_file_destroy(f);
  free(text);
}

static void from_text(const char *text, size_t size, bool normalize) {
  const sch_format_t *fmt = sch_format_find("PROTOBUF");
  sch_parse_opts_t opts = {.validate = true, .normalize = normalize};
  sch_error_t err = {0};
  sch_schema_t *s = sch_schema_parse(fmt, text, size, &opts, &err);
  if (!s) {
    assert(err.code == SCH_ERR_INVALID || err.code == SCH_ERR_REFERENCE || err.code == SCH_ERR_LIMIT);
    return;
  }
  size_t clen = 0;
  const char *canonical = sch_schema_canonical(s, &clen);
  sch_schema_t *again = sch_schema_parse(fmt, canonical, clen, &opts, &err);
  assert(again);
  sch_schema_destroy(again);
  size_t n = 0;
  uint8_t *bytes = sch_pb_file_descriptor(sch_pb_schema_file(sch_proto_schema_resolved(s)), &n, &err);
  assert(bytes);
  size_t tlen = 0;
  char *back = sch_pb_descriptor_to_proto(bytes, n, &tlen, &err);
  assert(back);
  free(back);
  free(bytes);
  sch_schema_destroy(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (data[0] & 1) {
    from_descriptor(data + 1, size - 1);
  } else {
    from_text((const char *)data + 1, size - 1, (data[0] & 2) != 0);
  }
  return 0;
}
