// SPDX-License-Identifier: Apache-2.0
/* The `format` query parameter of schema reads (GET /schemas/ids/{id},
 * GET /subjects/{s}/versions/{v}): a format that has another representation
 * of its schemas (PROTOBUF "serialized": base64 FileDescriptorProto) answers
 * with it in "schema"; "default", unknown formats and formats without one
 * leave the stored text, as Confluent does. */
#include <stdlib.h>
#include <string.h>

#include "log/log.h"
#include "reg_service_int.h"

void reg__apply_format(reg_service_t *svc, reg_schema_rec_t *rec, const char *format, json_t *obj) {
  if (!obj || !format || !*format || strcmp(format, "default") == 0) return;
  const sch_schema_t *parsed = reg__schema_parsed(svc, rec);
  if (!parsed) return;
  sch_error_t serr = {0};
  size_t len = 0;
  char *text = sch_schema_render(parsed, format, &len, &serr);
  if (!text) {
    if (serr.code != SCH_OK)
      log_warn("registry", "schema %lld cannot be rendered as %s: %s", (long long)rec->id, format, serr.message);
    return;
  }
  json_object_set_new(obj, "schema", json_stringn(text, len));
  free(text);
}
