// SPDX-License-Identifier: Apache-2.0
/* Parses one listener address (listener.h): `http://HOST:PORT`,
 * `PLAINTEXT://HOST:PORT` or `HOST:PORT`. It validates syntax only; whether
 * the host resolves or the port is free is found out when the component
 * binds. */
#include "platform/listener.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static weir_code_t parse_scheme(const char *text, const char **rest, weir_listener_t *out,
                                weir_error_t *err) {
  const char *sep = strstr(text, "://");
  snprintf(out->scheme, sizeof out->scheme, "http");
  *rest = text;
  if (!sep) return WEIR_OK;
  size_t n = (size_t)(sep - text);
  if (n == 0 || n >= sizeof out->scheme)
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": bad scheme", text);
  for (size_t i = 0; i < n; i++) out->scheme[i] = (char)tolower((unsigned char)text[i]);
  out->scheme[n] = '\0';
  if (strcmp(out->scheme, "https") == 0)
    return weir_error_set(
        err, WEIR_ERR_CONFIG,
        "listener \"%s\": https is not supported yet (see docs/decisions/0001-tls-for-http-services.md)",
        text);
  if (strcmp(out->scheme, "http") != 0)
    return weir_error_set(err, WEIR_ERR_CONFIG,
                          "listener \"%s\": scheme \"%s\" is not supported, use http://", text, out->scheme);
  *rest = sep + 3;
  return WEIR_OK;
}

static weir_code_t parse_port(const char *text, const char *digits, weir_listener_t *out, weir_error_t *err) {
  long port = 0;
  size_t n = 0;
  for (; digits[n]; n++) {
    if (!isdigit((unsigned char)digits[n]) || n >= 5) break;
    port = port * 10 + (digits[n] - '0');
  }
  if (n == 0 || digits[n] != '\0' || port > 65535)
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": port must be a number from 0 to 65535",
                          text);
  out->port = (int)port;
  return WEIR_OK;
}

/* HOST:PORT after the scheme (shared by both listener kinds). */
static weir_code_t parse_host_port(const char *text, const char *rest, weir_listener_t *out,
                                   weir_error_t *err) {
  if (rest[0] == '[')
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": IPv6 addresses are not supported", text);
  const char *colon = strrchr(rest, ':');
  if (!colon) return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": expected HOST:PORT", text);
  size_t host_len = (size_t)(colon - rest);
  if (host_len >= sizeof out->host)
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": host name too long", text);
  for (size_t i = 0; i < host_len; i++) {
    unsigned char c = (unsigned char)rest[i];
    if (!isalnum(c) && c != '.' && c != '-' && c != '_')
      return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": bad character in host", text);
  }
  if (host_len == 0)
    snprintf(out->host, sizeof out->host, "0.0.0.0");
  else
    snprintf(out->host, sizeof out->host, "%.*s", (int)host_len, rest);
  return parse_port(text, colon + 1, out, err);
}

weir_code_t weir_listener_parse(const char *text, weir_listener_t *out, weir_error_t *err) {
  memset(out, 0, sizeof *out);
  if (strchr(text, ','))
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": only one listener is supported", text);
  const char *rest;
  weir_code_t rc = parse_scheme(text, &rest, out, err);
  if (rc != WEIR_OK) return rc;
  return parse_host_port(text, rest, out, err);
}

weir_code_t weir_listener_parse_kafka(const char *text, weir_listener_t *out, weir_error_t *err) {
  memset(out, 0, sizeof *out);
  if (strchr(text, ','))
    return weir_error_set(err, WEIR_ERR_CONFIG, "listener \"%s\": only one listener is supported", text);
  snprintf(out->scheme, sizeof out->scheme, "PLAINTEXT");
  const char *rest = text;
  const char *sep = strstr(text, "://");
  if (sep) {
    size_t n = (size_t)(sep - text);
    if (n != strlen("PLAINTEXT") || strncasecmp(text, "PLAINTEXT", n) != 0)
      return weir_error_set(err, WEIR_ERR_CONFIG,
                            "listener \"%s\": only PLAINTEXT:// is supported for the Kafka protocol", text);
    rest = sep + 3;
  }
  return parse_host_port(text, rest, out, err);
}
