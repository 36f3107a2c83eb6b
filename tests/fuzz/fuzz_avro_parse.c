// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the Avro schema parser, which faces the network via the
 * registry's REST API: arbitrary bytes are parsed with validation and
 * normalization on or off (chosen by the first byte), and every schema that
 * parses is checked for compatibility against itself, which must hold
 * (seeds: tests/data/avro/fuzz-seeds). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "schemas/schemas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) {
    return 0;
  }
  sch_parse_opts_t opts = {.validate = (data[0] & 1) != 0, .normalize = (data[0] & 2) != 0};
  const sch_format_t *avro = sch_format_find("AVRO");
  sch_error_t err;
  sch_schema_t *s = sch_schema_parse(avro, (const char *)data + 1, size - 1, &opts, &err);
  if (!s) {
    return 0;
  }
  sch_messages_t msgs = {0};
  bool ok = false;
  if (avro->can_read(s, s, &ok, &msgs, &err) == SCH_OK) {
    /* Java also fails a field whose alias names another field of the record. */
    assert(ok ? msgs.count == 0 : msgs.count == 1 && strstr(msgs.items[0], "Unexpected exception"));
  }
  sch_messages_fini(&msgs);
  sch_schema_destroy(s);
  return 0;
}
