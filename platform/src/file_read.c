// SPDX-License-Identifier: Apache-2.0
/* Reading a whole small file under a size limit (platform_int.h), for the
 * config loader and the record tools' schema files. It only reads bytes;
 * what they mean is the caller's business. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "platform_int.h"

weir_code_t weir__file_read(const char *path, size_t max_bytes, const char *what, char **text, size_t *len,
                            weir_error_t *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return weir_error_set(err, WEIR_ERR_IO, "cannot open %s \"%s\": %s", what, path, strerror(errno));
  weir_code_t rc = WEIR_OK;
  size_t n = 0;
  char *buf = weir__malloc(max_bytes + 1);
  if (!buf) {
    rc = weir_error_set(err, WEIR_ERR_NOMEM, "out of memory reading \"%s\"", path);
    goto out;
  }
  n = fread(buf, 1, max_bytes + 1, f);
  if (ferror(f))
    rc = weir_error_set(err, WEIR_ERR_IO, "cannot read %s \"%s\": %s", what, path, strerror(errno));
  else if (n > max_bytes)
    rc = weir_error_set(err, WEIR_ERR_CONFIG, "%s \"%s\" is larger than %zu bytes", what, path, max_bytes);
out:
  fclose(f);
  if (rc != WEIR_OK) {
    weir__free(buf);
    return rc;
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return WEIR_OK;
}
