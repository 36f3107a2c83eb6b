// SPDX-License-Identifier: Apache-2.0
/* Internals of `weir schema`: one run's checked options (tool_schema.c), the
 * registry requests (tool_schema_http.c, the only file that sees serde's
 * HTTP transport and libcurl), and the subcommands: those that send or
 * print schema text (tool_schema_schemas.c: register, check, get) and those
 * that manage subjects (tool_schema_subjects.c: list, delete, config).
 * Every subcommand prints its result on stdout, its diagnostics on stderr
 * as "weir schema: ...", and returns a weir_exit_t. */
#ifndef WEIR_PLATFORM_TOOL_SCHEMA_H
#define WEIR_PLATFORM_TOOL_SCHEMA_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/cli.h"

#define WEIR_TS_TOOL "weir schema"

typedef struct weir_ts_registry weir_ts_registry_t;

/* One run of `weir schema`, its options already checked by tool_schema.c. */
typedef struct weir_ts {
  const weir_cli_admin_t *opt;
  const char *subject;       /* the positional argument or --subject; NULL when neither */
  const char *version;       /* --version as sent: "latest" or 1..2^31-1; NULL when not given */
  const char *schema_type;   /* --schema-type in upper case ("AVRO" by default) */
  const char *compatibility; /* --compatibility in upper case; NULL when not given */
  weir_ts_registry_t *reg;
} weir_ts_t;

/* One request: METHOD prefix + percent-encoded subject + suffix. */
typedef struct weir_ts_req {
  const char *method;  /* "GET", "POST", "PUT", "DELETE" */
  const char *prefix;  /* "/subjects/" */
  const char *subject; /* NULL: the target has none */
  const char *suffix;  /* "/versions?deleted=true", or "" */
  const json_t *body;  /* the JSON body, NULL for none */
} weir_ts_req_t;

/* What one request got back. */
typedef struct weir_ts_reply {
  json_t *json;      /* the body when it is JSON: a 2xx result, or the registry's error object */
  long status;       /* the HTTP status; 0 when no answer came */
  int error_code;    /* a non-2xx answer's error_code, else 0 */
  char what[256];    /* the request, "METHOD target", for messages */
  char failure[512]; /* when no usable answer came: why (an unreachable registry names its URL) */
  char excerpt[160]; /* a non-2xx body that is not the registry's JSON error (a proxy's page), printable */
} weir_ts_reply_t;

/* ---- tool_schema_http.c ------------------------------------------------------ */

/* The registry at url (comma-separated URLs fail over; user:password@ is
 * basic auth), with a 5 s connect and 30 s request timeout and no retries.
 * NULL with a message in errbuf for a URL that is not http(s)://host[:port].
 * Sends nothing yet. Release with weir_ts_registry_destroy (accepts NULL). */
weir_ts_registry_t *weir_ts_registry_new(const char *url, char *errbuf, size_t errbuf_len);
void weir_ts_registry_destroy(weir_ts_registry_t *reg);

/* Sends req and waits for the answer. WEIR_EXIT_OK with reply->json for a
 * 2xx JSON answer; otherwise the exit status the failure maps to (HTTP 404
 * WEIR_EXIT_NOT_FOUND, 409 WEIR_EXIT_CONFLICT, anything else, an unreachable
 * registry included, WEIR_EXIT_FAILED), with reply->error_code set for a
 * registry error. Prints nothing. Call weir_ts_reply_fini after, always. */
int weir_ts_call(weir_ts_registry_t *reg, const weir_ts_req_t *req, weir_ts_reply_t *reply);
void weir_ts_reply_fini(weir_ts_reply_t *reply);

/* Prints why the request failed on stderr, the registry's error_code and
 * whole message included ("weir schema: GET /subjects/x/versions/latest:
 * HTTP 404, error_code 40401: Subject 'x' not found."); returns status. */
int weir_ts_report(const weir_ts_reply_t *reply, int status);

/* ---- tool_schema.c ----------------------------------------------------------- */

/* Prints "weir schema: <message>" and a pointer to --help on stderr;
 * returns WEIR_EXIT_USAGE. */
int weir_ts_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "weir schema: <message>" on stderr; returns WEIR_EXIT_FAILED. */
int weir_ts_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- subcommands ------------------------------------------------------------- */

int weir_ts_register(weir_ts_t *ts); /* tool_schema_schemas.c */
int weir_ts_check(weir_ts_t *ts);    /* tool_schema_schemas.c */
int weir_ts_get(weir_ts_t *ts);      /* tool_schema_schemas.c */
int weir_ts_list(weir_ts_t *ts);     /* tool_schema_subjects.c */
int weir_ts_delete(weir_ts_t *ts);   /* tool_schema_subjects.c */
int weir_ts_config(weir_ts_t *ts);   /* tool_schema_subjects.c */

#endif
