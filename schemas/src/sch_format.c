// SPDX-License-Identifier: Apache-2.0
/* The table of schema formats weir supports and the format-neutral
 * convenience calls on parsed schemas. Adding a format means adding its
 * sch_format_t here; everything format specific stays in that format's files. */
#include <string.h>

#include "avro_int.h"
#include "proto_int.h"

static const sch_format_t *const formats[] = {&sch__avro_format, &sch__proto_format, NULL};
static const char *const format_names[] = {"AVRO", "PROTOBUF", NULL};

const sch_format_t *sch_format_find(const char *name) {
  for (size_t i = 0; name && formats[i]; i++) {
    if (strcmp(formats[i]->name, name) == 0) {
      return formats[i];
    }
  }
  return NULL;
}

const char *const *sch_format_names(void) { return format_names; }

sch_schema_t *sch_schema_parse(const sch_format_t *format, const char *text, size_t len,
                               const sch_parse_opts_t *opts, sch_error_t *err) {
  if (!format || !text) {
    sch__error_set(err, SCH_ERR_INVALID, "no schema format or text");
    return NULL;
  }
  return format->parse(text, len, opts, err);
}

const char *sch_schema_canonical(const sch_schema_t *schema, size_t *len) {
  if (len) {
    *len = schema->canonical_len;
  }
  return schema->canonical;
}

char *sch_schema_render(const sch_schema_t *schema, const char *format, size_t *len, sch_error_t *err) {
  if (err) err->code = SCH_OK;
  if (!schema || !format || !schema->format->render) return NULL;
  return schema->format->render(schema, format, len, err);
}

void sch_schema_destroy(sch_schema_t *schema) {
  if (schema) {
    schema->format->destroy(schema);
  }
}
