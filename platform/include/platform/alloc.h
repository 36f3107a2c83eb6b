// SPDX-License-Identifier: Apache-2.0
/* The platform module's allocator hook, so tests can fail the Nth
 * allocation. Process-wide; set it before any other platform call. */
#ifndef WEIR_PLATFORM_ALLOC_H
#define WEIR_PLATFORM_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Replaces malloc/free for the platform module; NULL restores the libc ones. */
void weir_alloc_set(void *(*malloc_fn)(size_t), void (*free_fn)(void *));

#ifdef __cplusplus
}
#endif
#endif
