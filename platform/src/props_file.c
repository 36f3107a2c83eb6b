// SPDX-License-Identifier: Apache-2.0
/* Loads a properties file into a store (props_file.h): reads the whole file
 * under a size limit and feeds the parser's pairs to weir_props_set. The
 * syntax itself lives in props_parse.c. */
#include "platform/props_file.h"

#include "platform_int.h"

static weir_code_t set_entry(void *ctx, const char *key, const char *value, weir_error_t *err) {
  return weir_props_set(ctx, key, value, err);
}

weir_code_t weir_props_load_file(weir_props_t *props, const char *path, weir_error_t *err) {
  char *text = NULL;
  size_t len = 0;
  weir_code_t rc = weir__file_read(path, WEIR_PROPS_MAX_FILE_BYTES, "config file", &text, &len, err);
  if (rc != WEIR_OK) return rc;
  rc = weir_props_parse(text, len, path, set_entry, props, err);
  weir__free(text);
  return rc;
}
