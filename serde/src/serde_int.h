// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the serde sources: the configuration struct that
 * serde_conf.c fills from Confluent property names, error and buffer
 * helpers, and the few internal entry points one source offers another.
 * The handle and schema structs live in serde_core.h; the registry client
 * in serde_client.h; the Avro codec in avro_codec.h. */
#ifndef WEIR_SERDE_INT_H
#define WEIR_SERDE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serde/serde.h"

typedef enum {
  SERDE_STRATEGY_TOPIC,        /* <topic>-key / <topic>-value */
  SERDE_STRATEGY_RECORD,       /* <record full name> */
  SERDE_STRATEGY_TOPIC_RECORD, /* <topic>-<record full name> */
} serde_strategy_t;

/* Every property of serde_conf_properties(), parsed. Strings are owned
 * (NULL when unset). */
struct serde_conf {
  /* registry connection (serde_http.c) */
  char *urls;         /* schema.registry.url: comma-separated */
  char *user_info;    /* basic.auth.user.info: "user:password" */
  char *bearer_token; /* bearer.auth.token */
  char *ssl_ca;       /* ssl.ca.location */
  char *ssl_cert;     /* ssl.certificate.location */
  char *ssl_key;      /* ssl.key.location */
  char *ssl_key_password;
  bool ssl_verify_host; /* ssl.endpoint.identification.algorithm=https (default) */
  /* Every numeric property is a long (serde_conf.c parses them alike). */
  long connect_timeout_ms;
  long request_timeout_ms;
  long max_retries;
  long retry_wait_ms;
  long retry_max_wait_ms;
  /* serializer */
  bool auto_register;
  long use_schema_id; /* -1 = unset */
  bool use_latest;
  bool latest_strict;
  bool id_strict;
  bool normalize;
  serde_strategy_t key_strategy;
  serde_strategy_t value_strategy;
  bool pb_deprecated_format; /* use.deprecated.format: unsigned-varint message indexes */
  /* caches */
  long latest_ttl_sec;  /* 0 = fetch every time */
  long cache_capacity;
  long missing_ttl_sec; /* 0 = no negative caching */
  /* decoding limits */
  bool fail_on_trailing;
  long max_depth;
  long max_items; /* elements per datum across all arrays and maps */
};

/* serde_error.c: sets err (may be NULL) and returns code. Also resets
 * http_status/error_code to 0. */
serde_code_t serde__fail(serde_error_t *err, serde_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes err->message with "prefix: " (keeps code/status). */
void serde__error_prefix(serde_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns from the calling function with the code of a failed step. */
#define SERDE_TRY(call)            \
  do {                             \
    serde_code_t code_ = (call);   \
    if (code_ != SERDE_OK) {       \
      return code_;                \
    }                              \
  } while (0)

/* serde_buf.c: growable buffer helpers. All return SERDE_OK or NOMEM. */
serde_code_t serde__buf_reserve(serde_buf_t *b, size_t extra); /* cap >= len + extra */
serde_code_t serde__buf_put(serde_buf_t *b, const void *data, size_t n);
serde_code_t serde__buf_puts(serde_buf_t *b, const char *s);
serde_code_t serde__buf_putc(serde_buf_t *b, char c);
serde_code_t serde__buf_printf(serde_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes; n bytes of UTF-8). */
serde_code_t serde__buf_json_string(serde_buf_t *b, const char *s, size_t n);

/* serde_conf.c: a copy of the defaults, for tests. */
void serde__conf_defaults(struct serde_conf *conf);

/* Allocator hook (serde_alloc.c): tests fail the Nth allocation. */
void serde__alloc_fail_at(long n); /* 0 = never; n = the nth allocation from now fails */
void *serde__malloc(size_t n);
void *serde__calloc(size_t n, size_t size);
void *serde__realloc(void *p, size_t n);
char *serde__strdup(const char *s);
char *serde__strndup(const char *s, size_t n);

#endif
