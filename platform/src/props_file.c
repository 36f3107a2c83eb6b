// SPDX-License-Identifier: Apache-2.0
/* Loads a properties file into a store (props_file.h): reads the whole file
 * under a size limit and feeds the parser's pairs to weir_props_set. The
 * syntax itself lives in props_parse.c. */
#include "platform/props_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform_int.h"

static weir_code_t set_entry(void *ctx, const char *key, const char *value, weir_error_t *err) {
  return weir_props_set(ctx, key, value, err);
}

/* Reads at most WEIR_PROPS_MAX_FILE_BYTES of path into a new buffer. */
static weir_code_t read_all(const char *path, char **text, size_t *len, weir_error_t *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return weir_error_set(err, WEIR_ERR_IO, "cannot open config file \"%s\": %s", path, strerror(errno));
  weir_code_t rc = WEIR_OK;
  size_t n = 0;
  char *buf = weir__malloc(WEIR_PROPS_MAX_FILE_BYTES + 1);
  if (!buf) {
    rc = weir_error_set(err, WEIR_ERR_NOMEM, "out of memory reading \"%s\"", path);
    goto out;
  }
  n = fread(buf, 1, WEIR_PROPS_MAX_FILE_BYTES + 1, f);
  if (ferror(f)) {
    rc = weir_error_set(err, WEIR_ERR_IO, "cannot read config file \"%s\": %s", path, strerror(errno));
  } else if (n > WEIR_PROPS_MAX_FILE_BYTES) {
    rc = weir_error_set(err, WEIR_ERR_CONFIG, "config file \"%s\" is larger than %d bytes", path,
                        WEIR_PROPS_MAX_FILE_BYTES);
  }
out:
  fclose(f);
  if (rc != WEIR_OK) {
    weir__free(buf);
    return rc;
  }
  *text = buf;
  *len = n;
  return WEIR_OK;
}

weir_code_t weir_props_load_file(weir_props_t *props, const char *path, weir_error_t *err) {
  char *text = NULL;
  size_t len = 0;
  weir_code_t rc = read_all(path, &text, &len, err);
  if (rc != WEIR_OK) return rc;
  rc = weir_props_parse(text, len, path, set_entry, props, err);
  weir__free(text);
  return rc;
}
