// SPDX-License-Identifier: Apache-2.0
/* The registry requests of `weir schema`, sent through serde's HTTP
 * transport (serde/src/serde_transport.h: libcurl handles, the URL list with
 * fail-over, basic auth, TLS, the 16 MiB answer cap) rather than a second
 * libcurl client. This file owns the request targets (the subject
 * percent-encoded as one path segment), the JSON on the wire, and turning an
 * answer into JSON or into an exit status with the registry's error_code and
 * message. What each subcommand asks for is not its business. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/tools.h"
#include "platform_int.h"
#include "serde_transport.h"
#include "tool_schema.h"

/* A command-line tool should fail fast: no retries, bounded waits. */
static const char *const k_transport_conf[][2] = {
    {"http.connect.timeout.ms", "5000"},
    {"http.read.timeout.ms", "30000"}, /* the whole request, answer included */
    {"max.retries", "0"},
};

struct weir_ts_registry {
  serde_http_t *http;
};

weir_ts_registry_t *weir_ts_registry_new(const char *url, char *errbuf, size_t errbuf_len) {
  serde_error_t err = {.message = "out of memory"};
  serde_conf_t *conf = serde_conf_new();
  weir_ts_registry_t *reg = weir__malloc(sizeof *reg);
  bool ok = conf && reg && serde_conf_set(conf, "schema.registry.url", url, &err) == SERDE_OK;
  for (size_t i = 0; ok && i < sizeof k_transport_conf / sizeof k_transport_conf[0]; i++)
    ok = serde_conf_set(conf, k_transport_conf[i][0], k_transport_conf[i][1], &err) == SERDE_OK;
  if (ok) {
    reg->http = serde__http_new(conf, &err);
    ok = reg->http != NULL;
  }
  serde_conf_destroy(conf);
  if (!ok) {
    snprintf(errbuf, errbuf_len, "%s", err.message);
    weir__free(reg);
    return NULL;
  }
  return reg;
}

void weir_ts_registry_destroy(weir_ts_registry_t *reg) {
  if (!reg) return;
  serde__http_destroy(reg->http);
  weir__free(reg);
}

/* prefix + the subject as one path segment + suffix (weir__free), or NULL
 * when out of memory. curl_easy_escape keeps only RFC 3986's unreserved
 * characters, so '/', ':', '%' and spaces travel encoded; a subject of dots
 * only is encoded in full, or a server would read it as a dot-segment. */
static char *target_build(const weir_ts_req_t *req) {
  const char *s = req->subject ? req->subject : "";
  size_t n = strlen(s);
  bool dots = n > 0 && strspn(s, ".") == n;
  char *escaped = dots ? NULL : curl_easy_escape(NULL, s, 0);
  if (!dots && !escaped) return NULL;
  size_t len = strlen(req->prefix) + (dots ? 3 * n : strlen(escaped)) + strlen(req->suffix);
  char *target = weir__malloc(len + 1);
  if (target) {
    char *p = stpcpy(target, req->prefix);
    for (size_t i = 0; dots && i < n; i++) p = stpcpy(p, "%2E");
    if (!dots) p = stpcpy(p, escaped);
    strcpy(p, req->suffix);
  }
  curl_free(escaped);
  return target;
}

/* Reads a non-2xx answer: the registry's {"error_code": N, "message": M}
 * stays in reply->json; any other body is kept as a printable excerpt. */
static int answer_error(const serde_http_resp_t *resp, weir_ts_reply_t *reply) {
  reply->json = json_loadb(resp->body, resp->body_len, JSON_DECODE_ANY, NULL);
  json_t *code = json_object_get(reply->json, "error_code");
  if (json_is_integer(code) && json_integer_value(code) > 0 && json_integer_value(code) <= INT32_MAX)
    reply->error_code = (int)json_integer_value(code);
  if (!json_is_string(json_object_get(reply->json, "message"))) {
    size_t n = resp->body_len < sizeof reply->excerpt - 1 ? resp->body_len : sizeof reply->excerpt - 1;
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)resp->body[i];
      reply->excerpt[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    reply->excerpt[n] = '\0';
  }
  if (resp->status == 404) return WEIR_EXIT_NOT_FOUND;
  if (resp->status == 409) return WEIR_EXIT_CONFLICT;
  return WEIR_EXIT_FAILED;
}

static int answer_read(const serde_http_resp_t *resp, weir_ts_reply_t *reply) {
  reply->status = resp->status;
  if (resp->status < 200 || resp->status > 299) return answer_error(resp, reply);
  json_error_t jerr;
  reply->json = json_loadb(resp->body, resp->body_len, JSON_DECODE_ANY, &jerr);
  if (reply->json) return WEIR_EXIT_OK;
  snprintf(reply->failure, sizeof reply->failure, "%s: the registry's answer (HTTP %ld) is not JSON: %s",
           reply->what, resp->status, jerr.text);
  return WEIR_EXIT_FAILED;
}

int weir_ts_call(weir_ts_registry_t *reg, const weir_ts_req_t *req, weir_ts_reply_t *reply) {
  *reply = (weir_ts_reply_t){0};
  serde_http_resp_t resp = {0};
  serde_error_t err = {0};
  int status = WEIR_EXIT_FAILED;
  char *target = target_build(req);
  char *body = req->body ? json_dumps(req->body, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  snprintf(reply->what, sizeof reply->what, "%s %s", req->method, target ? target : req->prefix);
  if (!target || (req->body && !body)) {
    snprintf(reply->failure, sizeof reply->failure, "%s: out of memory", reply->what);
  } else if (serde__http_call(reg->http, req->method, target, body, body ? strlen(body) : 0, &resp, &err) !=
             SERDE_OK) {
    snprintf(reply->failure, sizeof reply->failure, "%s", err.message); /* names the URL and curl's error */
  } else {
    status = answer_read(&resp, reply);
  }
  serde__http_resp_fini(&resp);
  free(body); /* json_dumps allocates with jansson's default, malloc */
  weir__free(target);
  return status;
}

void weir_ts_reply_fini(weir_ts_reply_t *reply) {
  if (!reply) return;
  json_decref(reply->json);
  reply->json = NULL;
}

int weir_ts_report(const weir_ts_reply_t *reply, int status) {
  if (reply->failure[0]) {
    fprintf(stderr, WEIR_TS_TOOL ": %s\n", reply->failure);
    return status;
  }
  const char *message = json_string_value(json_object_get(reply->json, "message"));
  fprintf(stderr, WEIR_TS_TOOL ": %s: HTTP %ld", reply->what, reply->status);
  if (reply->error_code) fprintf(stderr, ", error_code %d", reply->error_code);
  fprintf(stderr, ": %s\n", message ? message : reply->excerpt[0] ? reply->excerpt : "(no message)");
  return status;
}
