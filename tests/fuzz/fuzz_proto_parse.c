// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the .proto parser, which will face the network via the
 * registry's REST API once Protobuf is registered: arbitrary bytes are parsed,
 * and every file that parses is printed, re-parsed and printed again, which
 * must succeed and give the same bytes (seeds: tests/fuzz/seeds/fuzz_proto_parse). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemas/proto_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sch_error_t err;
  sch_proto_file_t *f = sch_proto_parse((const char *)data, size, &err);
  if (!f) {
    assert(err.code == SCH_ERR_INVALID || err.code == SCH_ERR_LIMIT);
    return 0;
  }
  size_t n1 = 0, n2 = 0;
  char *p1 = sch_proto_print(f, &n1, &err);
  assert(p1);
  sch_proto_file_t *g = sch_proto_parse(p1, n1, &err);
  assert(g);
  char *p2 = sch_proto_print(g, &n2, &err);
  assert(p2 && n1 == n2 && memcmp(p1, p2, n1) == 0);
  free(p1);
  free(p2);
  sch_proto_file_destroy(g);
  sch_proto_file_destroy(f);
  return 0;
}
