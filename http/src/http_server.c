// SPDX-License-Identifier: Apache-2.0
/* Lifecycle of an HTTP listener over civetweb: translate the "host:port"
 * listen address into civetweb's IPv4 form, pick the hardened option set (no
 * document root, keep-alive, TCP_NODELAY, raw URLs), start, report the bound
 * port, stop. Per-request work lives in http_conn.c. */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"
#include "log/log.h"

#define HTTP_DEFAULT_THREADS 32
#define HTTP_DEFAULT_MAX_BODY ((size_t)16 << 20)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_library(void) { mg_init_library(0); }

/* Resolves host to a dotted IPv4 address in out (16 bytes). */
static int resolve_ipv4(const char *host, char *out, char *errbuf, size_t errbuf_len) {
  struct in_addr a;
  if (*host == '\0') host = "0.0.0.0";
  if (strcasecmp(host, "localhost") == 0) host = "127.0.0.1";
  if (inet_pton(AF_INET, host, &a) == 1) {
    inet_ntop(AF_INET, &a, out, 16);
    return 0;
  }
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
  if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) {
    snprintf(errbuf, errbuf_len, "listen address: cannot resolve host \"%s\" to an IPv4 address", host);
    return -1;
  }
  inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, out, 16);
  freeaddrinfo(res);
  return 0;
}

/* "http://host:port" / "host:port" / ":port" -> civetweb "a.b.c.d:port". */
static int listen_to_ports(const char *listen, char *out, size_t out_len, char *errbuf, size_t errbuf_len) {
  if (strncasecmp(listen, "https://", 8) == 0) {
    snprintf(errbuf, errbuf_len, "listen address \"%s\": https is not supported", listen);
    return -1;
  }
  if (strncasecmp(listen, "http://", 7) == 0) listen += 7;
  const char *colon = strrchr(listen, ':');
  if (listen[0] == '[' || (colon && memchr(listen, ':', (size_t)(colon - listen)))) {
    snprintf(errbuf, errbuf_len, "listen address \"%s\": IPv6 is not supported", listen);
    return -1;
  }
  char *end = NULL;
  long port = colon ? strtol(colon + 1, &end, 10) : -1;
  if (!colon || end == colon + 1 || *end != '\0' || port < 0 || port > 65535) {
    snprintf(errbuf, errbuf_len, "listen address \"%s\" is not host:port", listen);
    return -1;
  }
  char host[256], ip[16];
  size_t hlen = (size_t)(colon - listen);
  if (hlen >= sizeof host) {
    snprintf(errbuf, errbuf_len, "listen address: host name too long");
    return -1;
  }
  memcpy(host, listen, hlen);
  host[hlen] = '\0';
  if (resolve_ipv4(host, ip, errbuf, errbuf_len) != 0) return -1;
  snprintf(out, out_len, "%s:%ld", ip, port);
  return 0;
}

/* Routes civetweb's internal messages into weir's log. */
static int on_log_message(const struct mg_connection *conn, const char *message) {
  const struct mg_context *mg = conn ? mg_get_context(conn) : NULL;
  const http_server_t *srv = mg ? mg_get_user_data(mg) : NULL;
  log_warn(srv ? srv->log_component : "http", "civetweb: %s", message);
  return 1;
}

static int start_civetweb(http_server_t *srv, const char *ports, int threads, char *errbuf,
                          size_t errbuf_len) {
  char nthreads[16];
  snprintf(nthreads, sizeof nthreads, "%d", threads);
  /* No document_root: civetweb never serves files. decode_url=no keeps the
   * raw path so %2F inside a subject survives routing. */
  const char *options[] = {"listening_ports", ports, "num_threads", nthreads, "tcp_nodelay", "1",
                           "enable_keep_alive", "yes", "keep_alive_timeout_ms", "5000",
                           "request_timeout_ms", "30000", "decode_url", "no",
                           "enable_directory_listing", "no", NULL};
  static const struct mg_callbacks callbacks = {.begin_request = http__conn_begin_request,
                                                .log_message = on_log_message};
  struct mg_init_data init = {.callbacks = &callbacks, .user_data = srv, .configuration_options = options};
  char text[256] = "";
  struct mg_error_data error = {.text = text, .text_buffer_size = sizeof text};
  srv->mg = mg_start2(&init, &error);
  if (!srv->mg) {
    snprintf(errbuf, errbuf_len, "cannot listen on %s: %s", ports, text[0] ? text : "civetweb failed to start");
    return -1;
  }
  struct mg_server_port bound[4];
  int n = mg_get_server_ports(srv->mg, 4, bound);
  srv->port = n > 0 ? bound[0].port : -1;
  return 0;
}

static void server_free(http_server_t *srv) {
  if (!srv) return;
  free(srv->log_component);
  free(srv->error_content_type);
  free(srv);
}

http_server_t *http_server_start(const http_server_opts_t *opts, char *errbuf, size_t errbuf_len) {
  char ports[64];
  if (!opts || !opts->handler || !opts->listen) {
    snprintf(errbuf, errbuf_len, "http server: listen address and handler are required");
    return NULL;
  }
  if (listen_to_ports(opts->listen, ports, sizeof ports, errbuf, errbuf_len) != 0) return NULL;
  pthread_once(&init_once, init_library);
  http_server_t *srv = calloc(1, sizeof *srv);
  if (!srv) goto nomem;
  srv->handler = opts->handler;
  srv->stream_match = opts->stream_match;
  srv->ctx = opts->ctx;
  srv->max_body_bytes = opts->max_body_bytes ? opts->max_body_bytes : HTTP_DEFAULT_MAX_BODY;
  srv->log_component = strdup(opts->log_component ? opts->log_component : "http");
  srv->error_content_type = strdup(opts->error_content_type ? opts->error_content_type : "application/json");
  if (!srv->log_component || !srv->error_content_type) goto nomem;
  int threads = opts->num_threads > 0 ? opts->num_threads : HTTP_DEFAULT_THREADS;
  if (start_civetweb(srv, ports, threads, errbuf, errbuf_len) != 0) {
    server_free(srv);
    return NULL;
  }
  snprintf(srv->ip, sizeof srv->ip, "%.*s", (int)strcspn(ports, ":"), ports);
  return srv;
nomem:
  server_free(srv);
  snprintf(errbuf, errbuf_len, "http server: out of memory");
  return NULL;
}

int http_server_port(const http_server_t *srv) { return srv ? srv->port : -1; }

void http_server_stop(http_server_t *srv) {
  if (!srv) return;
  http__stop_civetweb(srv->mg, srv->ip, srv->port);
  server_free(srv);
}
