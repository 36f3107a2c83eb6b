// SPDX-License-Identifier: Apache-2.0
/* Tests http_server.c and http_conn.c with a real listener on an ephemeral
 * loopback port and a raw socket client: normal requests, keep-alive, the
 * request smuggling guard (Transfer-Encoding + Content-Length -> 400 before
 * the body is read), body limits (413) for sized and chunked bodies, and
 * listen address validation. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "http/http_server.h"

static atomic_int handler_calls;

/* Echoes "METHOD PATH QUERY BODYLEN BODY" as text/plain. */
static void echo_handler(void *ctx, const http_request_t *req, http_response_t *resp) {
  (void)ctx;
  atomic_fetch_add(&handler_calls, 1);
  char buf[512];
  int n = snprintf(buf, sizeof buf, "%s %s %s %zu %.64s", req->method, req->path, req->query, req->body_len,
                   req->body);
  resp->content_type = "text/plain";
  http_response_set_copy(resp, 200, buf, (size_t)n);
}

/* Two servers shared by the tests (civetweb takes ~2 s to stop). */
static http_server_t *srv_default, *srv_small;

static http_server_t *start(size_t max_body) {
  http_server_opts_t o = {.listen = "127.0.0.1:0", .num_threads = 4, .max_body_bytes = max_body,
                          .handler = echo_handler, .log_component = "test-http"};
  char err[256] = "";
  http_server_t *srv = http_server_start(&o, err, sizeof err);
  if (!srv) fprintf(stderr, "start failed: %s\n", err);
  assert_non_null(srv);
  assert_true(http_server_port(srv) > 0);
  return srv;
}

static int group_setup(void **state) {
  (void)state;
  srv_default = start(0);
  srv_small = start(16);
  return 0;
}

static int group_teardown(void **state) {
  (void)state;
  http_server_stop(srv_default);
  http_server_stop(srv_small);
  return 0;
}

/* The shared server with the given body limit (16 or default). */
static http_server_t *use(size_t max_body) {
  atomic_store(&handler_calls, 0);
  return max_body == 16 ? srv_small : srv_default;
}

/* Sends raw bytes, then reads until the server closes (or 5 s pass). */
static char *exchange(const http_server_t *srv, const char *raw, size_t raw_len) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)http_server_port(srv))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(send(fd, raw, raw_len, MSG_NOSIGNAL), (ssize_t)raw_len);
  size_t cap = 65536, len = 0;
  char *out = calloc(1, cap + 1);
  ssize_t n;
  while (len < cap && (n = recv(fd, out + len, cap - len, 0)) > 0) len += (size_t)n;
  close(fd);
  return out;
}

static char *exchange_str(const http_server_t *srv, const char *raw) { return exchange(srv, raw, strlen(raw)); }

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

static void test_server_passes_raw_path_query_and_body(void **state) {
  (void)state;
  http_server_t *srv = use(0);
  char *r = exchange_str(srv, "POST /subjects/a%2Fb/versions?x=1&y=%20 HTTP/1.1\r\nHost: t\r\n"
                              "Connection: close\r\nContent-Length: 5\r\n\r\nhello");
  assert_non_null(strstr(r, "HTTP/1.1 200"));
  assert_non_null(strstr(r, "Content-Type: text/plain"));
  assert_non_null(strstr(r, "POST /subjects/a%2Fb/versions x=1&y=%20 5 hello"));
  free(r);
}

static void test_server_keeps_connection_alive_between_requests(void **state) {
  (void)state;
  http_server_t *srv = use(0);
  char *r = exchange_str(srv, "GET /one HTTP/1.1\r\nHost: t\r\n\r\n"
                              "GET /two HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  assert_int_equal(count(r, "HTTP/1.1 200"), 2);
  assert_non_null(strstr(r, "Connection: keep-alive"));
  assert_non_null(strstr(r, "GET /two"));
  free(r);
}

static void test_server_rejects_transfer_encoding_with_content_length(void **state) {
  (void)state;
  http_server_t *srv = use(0);
  char *r = exchange_str(srv, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                              "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
  assert_int_equal(strncmp(r, "HTTP/1.1 400", 12), 0);
  assert_non_null(strstr(r, "\"error_code\":400"));
  assert_non_null(strstr(r, "Connection: close"));
  assert_int_equal(count(r, "HTTP/1.1"), 1); /* the smuggled request is never served */
  assert_int_equal(atomic_load(&handler_calls), 0);
  free(r);
}

static void test_server_rejects_repeated_or_malformed_content_length(void **state) {
  (void)state;
  http_server_t *srv = use(0);
  char *r = exchange_str(srv, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
  assert_int_equal(strncmp(r, "HTTP/1.1 400", 12), 0);
  free(r);
  r = exchange_str(srv, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2x\r\n\r\nab");
  assert_int_equal(strncmp(r, "HTTP/1.1 400", 12), 0);
  free(r);
  assert_int_equal(atomic_load(&handler_calls), 0);
}

static void test_server_answers_413_without_reading_oversized_body(void **state) {
  (void)state;
  http_server_t *srv = use(16);
  /* Only the headers are sent: the answer must come without the body. */
  char *r = exchange_str(srv, "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n");
  assert_int_equal(strncmp(r, "HTTP/1.1 413", 12), 0);
  assert_non_null(strstr(r, "{\"error_code\":413,"));
  assert_int_equal(atomic_load(&handler_calls), 0);
  free(r);
}

static void test_server_reads_chunked_body_under_the_same_limit(void **state) {
  (void)state;
  http_server_t *srv = use(16);
  char *r = exchange_str(srv, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  assert_non_null(strstr(r, "HTTP/1.1 200"));
  assert_non_null(strstr(r, "POST /c  5 abcde"));
  free(r);
  r = exchange_str(srv, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n");
  assert_int_equal(strncmp(r, "HTTP/1.1 413", 12), 0);
  free(r);
  r = exchange_str(srv, "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  assert_int_equal(strncmp(r, "HTTP/1.1 400", 12), 0);
  free(r);
  assert_int_equal(atomic_load(&handler_calls), 1);
}

static void test_server_rejects_unusable_listen_addresses(void **state) {
  (void)state;
  const char *bad[] = {"[::1]:0", "::1:0", "nohost", "127.0.0.1:99999", "https://127.0.0.1:0",
                       "127.0.0.1:x"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    http_server_opts_t o = {.listen = bad[i], .handler = echo_handler};
    char err[256] = "";
    assert_null(http_server_start(&o, err, sizeof err));
    assert_true(err[0] != '\0');
  }
  http_server_opts_t o = {.listen = "http://localhost:0", .handler = echo_handler};
  char err[256] = "";
  http_server_t *srv = http_server_start(&o, err, sizeof err);
  assert_non_null(srv);
  http_server_stop(srv);
  http_server_stop(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_server_passes_raw_path_query_and_body),
      cmocka_unit_test(test_server_keeps_connection_alive_between_requests),
      cmocka_unit_test(test_server_rejects_transfer_encoding_with_content_length),
      cmocka_unit_test(test_server_rejects_repeated_or_malformed_content_length),
      cmocka_unit_test(test_server_answers_413_without_reading_oversized_body),
      cmocka_unit_test(test_server_reads_chunked_body_under_the_same_limit),
      cmocka_unit_test(test_server_rejects_unusable_listen_addresses),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
