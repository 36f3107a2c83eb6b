// SPDX-License-Identifier: Apache-2.0
/* Media types and content negotiation as JAX-RS servers do it (which is what
 * Confluent clients expect): is a request Content-Type one we consume, and
 * which of the types we produce best satisfies an Accept header (client q,
 * then server qs). Pure functions, no I/O. */
#ifndef WEIR_HTTP_HTTP_MEDIA_H
#define WEIR_HTTP_HTTP_MEDIA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the index in types[0..n) of the media type named by a Content-Type
 * header (parameters such as charset ignored, case-insensitive), or -1. */
int http_media_match(const char *content_type, const char *const *types, size_t n);

/* A type the server can produce with its server-side quality (0..1). */
typedef struct http_produce {
  const char *type; /* "application/json" (no parameters) */
  double qs;
} http_produce_t;

/* Chooses the response type for an Accept header: for each produced type the
 * q of the most specific matching range (exact, then type/any, then any)
 * counts;
 * the highest q wins, ties go to the higher qs, then to the earlier entry.
 * NULL or empty Accept picks the highest qs. Returns the index, or -1 when
 * nothing is acceptable (406). Malformed ranges are skipped. */
int http_media_negotiate(const char *accept, const http_produce_t *types, size_t n);

#ifdef __cplusplus
}
#endif
#endif
