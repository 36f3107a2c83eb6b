// SPDX-License-Identifier: Apache-2.0
/* Parsing of one listener address as Kafka/Confluent spell it in
 * `listeners`: `http://HOST:PORT` (HTTP services), `PLAINTEXT://HOST:PORT`
 * (the Kafka broker), or the shortcut form `HOST:PORT` used by `--listen`.
 * An empty host means all interfaces (0.0.0.0). It only parses: binding is
 * the component's business. */
#ifndef WEIR_PLATFORM_LISTENER_H
#define WEIR_PLATFORM_LISTENER_H

#include "platform/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct weir_listener {
  char scheme[16]; /* "http" (HTTP listeners) or "PLAINTEXT" (Kafka listeners) */
  char host[256];  /* "0.0.0.0" when empty in the text */
  int port;        /* 0..65535; 0 = any free port */
} weir_listener_t;

/* Parses text into out. Only the http scheme is accepted today (https and
 * several comma-separated listeners are reported as unsupported; IPv6 hosts
 * too, the packaged civetweb has no IPv6). Errors: WEIR_ERR_CONFIG with a
 * message naming the text. */
weir_code_t weir_listener_parse(const char *text, weir_listener_t *out, weir_error_t *err);

/* Parses a Kafka listener (`listeners` / `advertised.listeners` of the
 * broker): `PLAINTEXT://HOST:PORT` (scheme case-insensitive, stored as
 * "PLAINTEXT") or `HOST:PORT`. The Kafka form with a listener name
 * (`NAME://...` mapped by listener.security.protocol.map), SSL and SASL_*
 * schemes, several listeners and IPv6 hosts are reported as unsupported.
 * Errors: WEIR_ERR_CONFIG with a message naming the text. */
weir_code_t weir_listener_parse_kafka(const char *text, weir_listener_t *out, weir_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
