// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the platform module's source files: the allocation
 * wrappers behind the alloc.h hook and whole-file reading. Not installed,
 * not for other modules. */
#ifndef WEIR_PLATFORM_INT_H
#define WEIR_PLATFORM_INT_H

#include <stddef.h>

#include "platform/error.h"

void *weir__malloc(size_t n);
void weir__free(void *p);
/* Copy of s[0..n) plus a NUL; release with weir__free. NULL when out of memory. */
char *weir__strndup(const char *s, size_t n);

/* Reads the whole file at path (at most max_bytes) into a new NUL-terminated
 * buffer (weir__free). `what` names the file in messages ("config file").
 * Errors: WEIR_ERR_IO (open/read), WEIR_ERR_CONFIG (too large), NOMEM. */
weir_code_t weir__file_read(const char *path, size_t max_bytes, const char *what, char **text, size_t *len,
                            weir_error_t *err);

#endif
