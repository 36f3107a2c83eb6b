// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the platform module's source files: the allocation
 * wrappers behind the alloc.h hook. Not installed, not for other modules. */
#ifndef WEIR_PLATFORM_INT_H
#define WEIR_PLATFORM_INT_H

#include <stddef.h>

void *weir__malloc(size_t n);
void weir__free(void *p);
/* Copy of s[0..n) plus a NUL; release with weir__free. NULL when out of memory. */
char *weir__strndup(const char *s, size_t n);

#endif
