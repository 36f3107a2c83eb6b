// SPDX-License-Identifier: Apache-2.0
/* Pure helpers for the parts of a request URL a service must interpret
 * itself: percent-decoding of one path segment, query string parsing with
 * repeated keys, and the scalar syntaxes used in query parameters. No I/O,
 * no civetweb; safe on any thread. */
#ifndef WEIR_HTTP_HTTP_PARSE_H
#define WEIR_HTTP_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  HTTP_PARSE_OK = 0,
  HTTP_PARSE_INVALID, /* bad %-escape, decoded NUL, malformed number */
  HTTP_PARSE_NOMEM,
} http_parse_code_t;

/* Percent-decodes in[0..len) into a new NUL-terminated string (*out, free()).
 * With plus_is_space (query strings) '+' becomes ' ', otherwise it stays.
 * Rejects a '%' not followed by two hex digits and any escape decoding to
 * NUL (HTTP_PARSE_INVALID; *out is then NULL). */
http_parse_code_t http_url_decode(const char *in, size_t len, bool plus_is_space, char **out);

/* Like http_url_decode (no '+' rule) but %00 is decoded too: *out holds
 * *out_len bytes that may include NUL, plus a terminating NUL. For names a
 * service validates itself (a NUL must reach its validator, not become a
 * 400). Malformed escapes and a raw NUL byte are still HTTP_PARSE_INVALID. */
http_parse_code_t http_url_decode_bytes(const char *in, size_t len, char **out, size_t *out_len);

/* One decoded key=value pair ("k" alone gives value ""). */
typedef struct http_param {
  char *key;
  char *value;
} http_param_t;

/* A parsed query string, in wire order (repeated keys kept). */
typedef struct http_query {
  http_param_t *params;
  size_t count;
} http_query_t;

/* Parses a raw query string ("a=1&b=x%20y&a=2"; NULL or "" is empty) into q,
 * which must be released with http_query_fini even on failure. Empty pieces
 * ("a=1&&b") are skipped. */
http_parse_code_t http_query_parse(const char *raw, http_query_t *q);
void http_query_fini(http_query_t *q);

/* The value of the first parameter named key (case-sensitive), or NULL. */
const char *http_query_get(const http_query_t *q, const char *key);

/* The n-th (0-based) value of key, or NULL; http_query_count gives how many. */
const char *http_query_get_nth(const http_query_t *q, const char *key, size_t n);
size_t http_query_count(const http_query_t *q, const char *key);

/* JAX-RS boolean: NULL (absent) gives dflt; "true" in any case gives true;
 * any other text gives false (Java's Boolean.valueOf). */
bool http_parse_bool(const char *s, bool dflt);

/* Strict decimal integer: optional sign, digits only, no spaces, in range.
 * Returns HTTP_PARSE_OK or HTTP_PARSE_INVALID. */
http_parse_code_t http_parse_int64(const char *s, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
