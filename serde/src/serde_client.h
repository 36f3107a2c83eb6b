// SPDX-License-Identifier: Apache-2.0
/* The serde's Schema Registry client, in two layers:
 *   - serde_http.c: the transport over libcurl. A pool of easy handles kept
 *     alive between requests (connection reuse), the comma-separated URL list
 *     with fail-over, basic auth (basic.auth.user.info, or user:pass@ in the
 *     URL), bearer tokens, TLS options, connect and request timeouts, retries
 *     with exponential backoff and full jitter on 408/429/500/502/503/504 and
 *     network errors only. Thread-safe; no lock is held during I/O.
 *   - serde_client.c: the registry REST calls a serde makes (register, lookup,
 *     schema by id, latest, a version), with subjects URL-encoded per path
 *     segment, Confluent's headers, and answers parsed with jansson. HTTP
 *     errors become serde codes with the registry's status and error_code.
 * No caching here: serde_cache.c caches above this layer. */
#ifndef WEIR_SERDE_CLIENT_H
#define WEIR_SERDE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serde_int.h"

/* ---- transport (serde_http.c) ------------------------------------------------ */

typedef struct serde_http serde_http_t;

typedef struct serde_http_resp {
  long status;  /* final HTTP status */
  char *body;   /* NUL-terminated, malloc'd (free()), may be empty */
  size_t body_len;
} serde_http_resp_t;

/* Creates the transport from conf (borrowed only during the call). Fails
 * with SERDE_ERR_CONF if no URL, a URL is not http(s)://host[:port][/path]
 * (no query), basic.auth.user.info has no ':', or basic auth (user info or
 * user:pass@ in a URL, percent-decoded) and bearer.auth.token are both set.
 * Messages never show credentials. Calls curl_global_init once per process
 * (pthread_once); curl_global_cleanup is left to the application. */
serde_http_t *serde__http_new(const struct serde_conf *conf, serde_error_t *err);
void serde__http_destroy(serde_http_t *http); /* accepts NULL */

/* Sends one request: method ("GET", "POST"), target = path + query already
 * encoded ("/subjects/a%2Fb/versions?normalize=true"), an optional JSON body.
 * Each URL gets 1 + max.retries attempts: 408/429/500/502/503/504 and
 * network errors are retried after a full-jitter backoff, TLS verification
 * errors move straight to the next URL, and a call starts at the URL that
 * answered last. Returns SERDE_OK with resp filled for any final HTTP answer
 * (2xx or not; the caller maps the status), and for the last retriable
 * answer (a 503, say) once every URL is exhausted; resp->body is then never
 * NULL and is released with serde__http_resp_fini. Errors:
 * SERDE_ERR_REGISTRY_UNAVAILABLE when no URL answered (message names the
 * last URL and curl's error), SERDE_ERR_REGISTRY_RESPONSE for an answer over
 * 16 MiB (not retried), NOMEM. Thread-safe. */
serde_code_t serde__http_call(serde_http_t *http, const char *method, const char *target, const char *body,
                              size_t body_len, serde_http_resp_t *resp, serde_error_t *err);
void serde__http_resp_fini(serde_http_resp_t *resp);

/* ---- registry calls (serde_client.c) ------------------------------------------- */

typedef struct serde_reg_ref {
  char *name;    /* Avro: full name of the type; Protobuf: import path */
  char *subject;
  int version;
} serde_reg_ref_t;

/* A registry answer about one schema. Fields a call does not return are
 * 0/NULL (version 0 = unknown). All strings owned. The calls below zero it
 * first and leave it zeroed on error, so fini is needed after SERDE_OK only
 * (calling it anyway is harmless). */
typedef struct serde_registered {
  int32_t id;
  int version;
  char *subject;
  char *schema_type; /* "AVRO" when the answer omits schemaType */
  char *schema;      /* NUL-terminated */
  size_t schema_len;
  serde_reg_ref_t *refs;
  size_t n_refs;
  char *guid; /* when the registry sends one */
} serde_registered_t;

void serde__registered_fini(serde_registered_t *r); /* accepts zeroed */

/* The schema text and references sent by register and lookup (a reference
 * version of -1 asks for the latest). The schema must be UTF-8
 * (SERDE_ERR_INVALID_ARG otherwise). */
typedef struct serde_schema_body {
  const char *schema_type; /* "AVRO" is sent as an omitted schemaType, as Java does */
  const char *schema;
  size_t schema_len;
  const serde_reg_ref_t *refs;
  size_t n_refs;
} serde_schema_body_t;

/* POST /subjects/{subject}/versions[?normalize=true] -> id (and whatever
 * else is answered: version, guid, schema). 409 and 422 ->
 * SERDE_ERR_REGISTRY_REJECTED with the registry's message. An answer without
 * an integer id, or with any field of the wrong type ->
 * SERDE_ERR_REGISTRY_RESPONSE. Subjects are sent percent-encoded as one path
 * segment; an empty subject is SERDE_ERR_INVALID_ARG. */
serde_code_t serde__client_register(serde_http_t *http, const char *subject, const serde_schema_body_t *body,
                                    bool normalize, serde_registered_t *out, serde_error_t *err);
/* POST /subjects/{subject}[?normalize=true] -> id, version, schema (all
 * three guaranteed on SERDE_OK). 404 (40401 subject, 40403 schema) ->
 * SERDE_ERR_UNKNOWN_SCHEMA. */
serde_code_t serde__client_lookup(serde_http_t *http, const char *subject, const serde_schema_body_t *body,
                                  bool normalize, serde_registered_t *out, serde_error_t *err);
/* GET /schemas/ids/{id}[?subject=...] -> schema (guaranteed), schemaType,
 * references (out->id = id). 404 -> SERDE_ERR_UNKNOWN_SCHEMA. subject may be
 * NULL. A negative id is SERDE_ERR_INVALID_ARG. */
serde_code_t serde__client_by_id(serde_http_t *http, int32_t id, const char *subject, serde_registered_t *out,
                                 serde_error_t *err);
/* GET /subjects/{subject}/versions/{version} (version -1 = "latest"; 0 and
 * other negatives are SERDE_ERR_INVALID_ARG) -> id, version, schema
 * (guaranteed), subject, references. 404 (40401, 40402) ->
 * SERDE_ERR_UNKNOWN_SCHEMA. */
serde_code_t serde__client_version(serde_http_t *http, const char *subject, int version, serde_registered_t *out,
                                   serde_error_t *err);

/* Maps a non-2xx answer to a serde code, filling err (may be NULL) with the
 * status, the body's error_code and message (or the start of a body that is
 * not Confluent's JSON error, an HTML page from a proxy say): 401/403 AUTH,
 * 404 UNKNOWN_SCHEMA, 408/5xx UNAVAILABLE, 429 THROTTLED, 409/422 REJECTED,
 * other 4xx INVALID_ARG, anything else (1xx, 3xx) REGISTRY_RESPONSE. */
serde_code_t serde__client_error(const serde_http_resp_t *resp, const char *what, serde_error_t *err);

#endif
