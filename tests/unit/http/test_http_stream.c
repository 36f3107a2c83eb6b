// SPDX-License-Identifier: Apache-2.0
/* Tests http_stream.c and the streamed path of http_conn.c with a real
 * listener and raw socket clients: chunked answers, full duplex (a client
 * that sends a piece and waits for its echo before sending more), large
 * bodies in odd chunk sizes, Content-Length bodies with keep-alive, the
 * smuggling guard and Expect: 100-continue on streamed routes, and the
 * connection being closed when a handler leaves body bytes unread. */
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
#include <time.h>
#include <unistd.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "http/http_server.h"

static atomic_int handler_calls;

static bool match_stream(void *ctx, const char *method, const char *path) {
  (void)ctx;
  return strcmp(method, "POST") == 0 && strncmp(path, "/s/", 3) == 0;
}

/* Echoes every piece read as one chunk; "EMPTY" for an empty body. */
static void stream_echo(http_stream_t *s) {
  char buf[16384];
  bool begun = false;
  long n;
  while ((n = http_stream_read(s, buf, sizeof buf)) > 0) {
    if (!begun) begun = http_stream_begin(s, 200, "text/plain") == 0;
    http_stream_write(s, buf, (size_t)n);
  }
  if (!begun) http_stream_begin(s, 200, "text/plain");
  if (n < 0)
    http_stream_write(s, "BROKEN", 6);
  else if (!begun)
    http_stream_write(s, "EMPTY", 5);
}

/* Reads the body with small, varying caps; answers "<bytes> <fnv1a hash>". */
static void stream_count(http_stream_t *s, http_response_t *resp) {
  char buf[1000];
  size_t total = 0, cap = 1;
  uint32_t h = 2166136261u;
  long n;
  while ((n = http_stream_read(s, buf, cap)) > 0) {
    for (long i = 0; i < n; i++) h = (h ^ (uint8_t)buf[i]) * 16777619u;
    total += (size_t)n;
    cap = (cap + 7) % sizeof buf + 1; /* 1..sizeof buf */
  }
  char out[64];
  int len = snprintf(out, sizeof out, "%s%zu %08x", n < 0 ? "BROKEN " : "", total, h);
  resp->content_type = "text/plain";
  http_response_set_copy(resp, 200, out, (size_t)len);
}

/* Reads 1000 bytes, notes http_stream_ready, drains, notes it again:
 * answers "<ready after the first read> <ready at the end>". */
static void stream_ready(http_stream_t *s, http_response_t *resp) {
  char buf[1000];
  long n = http_stream_read(s, buf, sizeof buf);
  bool first = n > 0 && http_stream_ready(s);
  while ((n = http_stream_read(s, buf, sizeof buf)) > 0) {
  }
  char out[16];
  int len = snprintf(out, sizeof out, "%d %d", first, http_stream_ready(s));
  http_response_set_copy(resp, 200, out, (size_t)len);
}

static void handler(void *ctx, const http_request_t *req, http_response_t *resp) {
  (void)ctx;
  atomic_fetch_add(&handler_calls, 1);
  resp->content_type = "text/plain";
  if (!req->stream) {
    http_response_set_copy(resp, 200, req->path, strlen(req->path));
  } else if (strcmp(req->path, "/s/echo") == 0) {
    stream_echo(req->stream);
  } else if (strcmp(req->path, "/s/count") == 0) {
    stream_count(req->stream, resp);
  } else if (strcmp(req->path, "/s/ready") == 0) {
    stream_ready(req->stream, resp);
  } else { /* answers without reading the body */
    http_response_error(resp, 404, 40401, "not read");
  }
}

static http_server_t *srv;

static int group_setup(void **state) {
  (void)state;
  http_server_opts_t o = {.listen = "127.0.0.1:0",
                          .num_threads = 4,
                          .max_body_bytes = 64,
                          .handler = handler,
                          .log_component = "test-http",
                          .stream_match = match_stream};
  char err[256] = "";
  srv = http_server_start(&o, err, sizeof err);
  if (!srv) fprintf(stderr, "start failed: %s\n", err);
  return srv ? 0 : -1;
}

static int group_teardown(void **state) {
  (void)state;
  http_server_stop(srv);
  return 0;
}

static int connect_srv(void) {
  atomic_store(&handler_calls, 0);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)http_server_port(srv))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
  return fd;
}

static void send_str(int fd, const char *s) {
  assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Appends received bytes to buf (cap 64 KiB) until needle shows up, the peer
 * closes (needle NULL) or the 5 s receive timeout passes. */
static bool recv_until(int fd, char *buf, size_t *len, const char *needle) {
  const size_t cap = 65536;
  for (;;) {
    buf[*len] = '\0';
    if (needle && strstr(buf, needle)) return true;
    if (*len >= cap) return false;
    ssize_t n = recv(fd, buf + *len, cap - *len, 0);
    if (n <= 0) return needle == NULL;
    *len += (size_t)n;
  }
}

/* The chunked body of the answer in r decoded as far as it arrived. */
static void dechunk(const char *r, char *out, size_t cap) {
  const char *p = strstr(r, "\r\n\r\n");
  size_t n = 0;
  out[0] = '\0';
  if (!p) return;
  p += 4;
  for (;;) {
    char *end = NULL;
    unsigned long size = strtoul(p, &end, 16);
    if (end == p || strncmp(end, "\r\n", 2) != 0 || size == 0 || strlen(end + 2) < size + 2) break;
    if (n + size >= cap) break;
    memcpy(out + n, end + 2, size);
    n += size;
    out[n] = '\0';
    p = end + 2 + size + 2;
  }
}

/* Receives until the decoded answer body ends with want. */
static bool recv_body(int fd, char *buf, size_t *len, const char *want) {
  char body[4096];
  for (;;) {
    buf[*len] = '\0';
    dechunk(buf, body, sizeof body);
    size_t bl = strlen(body), wl = strlen(want);
    if (bl >= wl && strcmp(body + bl - wl, want) == 0) return true;
    ssize_t n = recv(fd, buf + *len, 65536 - *len, 0);
    if (n <= 0) return false;
    *len += (size_t)n;
  }
}

static char *new_buf(void) {
  char *b = calloc(1, 65537);
  assert_non_null(b);
  return b;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) n++;
  return n;
}

static void test_stream_answers_each_piece_while_the_client_waits(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  /* The client sends nothing more until the echo came back. */
  assert_true(recv_body(fd, r, &len, "hello"));
  assert_int_equal(strncmp(r, "HTTP/1.1 200", 12), 0);
  assert_non_null(strstr(r, "Transfer-Encoding: chunked\r\n"));
  assert_non_null(strstr(r, "Content-Type: text/plain\r\n"));
  send_str(fd, "6\r\n world\r\n");
  assert_true(recv_body(fd, r, &len, "hello world"));
  send_str(fd, "1\r\n!\r\n");
  assert_true(recv_body(fd, r, &len, "hello world!"));
  send_str(fd, "0\r\n\r\n");
  assert_true(recv_until(fd, r, &len, NULL));
  assert_int_equal(strcmp(r + len - 5, "0\r\n\r\n"), 0);
  assert_non_null(strstr(r, "Connection: close\r\n")); /* chunked request bodies end the connection */
  free(r);
  close(fd);
}

static void test_stream_reads_queued_bytes_in_large_pieces(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n");
  assert_true(recv_body(fd, r, &len, "a"));
  size_t head = len;
  /* 48000 bytes in one chunk, all queued before the server reads them. */
  char *big = malloc(48000 + 16);
  assert_non_null(big);
  int hl = snprintf(big, 16, "%x\r\n", 48000);
  memset(big + hl, 'b', 48000);
  memcpy(big + hl + 48000, "\r\n0\r\n\r\n", 7);
  assert_int_equal(send(fd, big, (size_t)hl + 48007, MSG_NOSIGNAL), (ssize_t)hl + 48007);
  assert_true(recv_until(fd, r, &len, NULL));
  /* Echoed in pieces of up to 16 KiB, not byte by byte. */
  assert_true(count(r + head, "\r\nbbbb") <= 12);
  free(big);
  free(r);
  close(fd);
}

static void test_stream_reads_large_chunked_body_in_odd_pieces(void **state) {
  (void)state;
  int fd = connect_srv();
  const size_t total = 3 << 20;
  char *body = malloc(total);
  assert_non_null(body);
  uint32_t h = 2166136261u, x = 12345;
  for (size_t i = 0; i < total; i++) {
    x = x * 1103515245u + 12345u;
    body[i] = (char)(x >> 16);
    h = (h ^ (uint8_t)body[i]) * 16777619u;
  }
  send_str(fd, "POST /s/count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  size_t off = 0, piece = 1;
  char line[32];
  while (off < total) {
    size_t n = piece < total - off ? piece : total - off;
    snprintf(line, sizeof line, "%zx\r\n", n);
    send_str(fd, line);
    assert_int_equal(send(fd, body + off, n, MSG_NOSIGNAL), (ssize_t)n);
    send_str(fd, "\r\n");
    off += n;
    piece = piece * 3 % 70001 + 1;
  }
  send_str(fd, "0\r\n\r\n");
  char *r = new_buf();
  size_t len = 0;
  assert_true(recv_until(fd, r, &len, NULL));
  char want[64];
  snprintf(want, sizeof want, "\r\n\r\n%zu %08x", total, h);
  assert_non_null(strstr(r, want));
  free(r);
  free(body);
  close(fd);
}

static void test_stream_sized_body_keeps_the_connection(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd,
           "POST /s/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world"
           "GET /after HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  assert_true(recv_until(fd, r, &len, NULL));
  assert_non_null(strstr(r, "Connection: keep-alive\r\n"));
  assert_non_null(strstr(r, "hello world"));
  assert_non_null(strstr(r, "0\r\n\r\nHTTP/1.1 200"));
  assert_non_null(strstr(r, "/after"));
  assert_int_equal(atomic_load(&handler_calls), 2);
  free(r);
  close(fd);
}

static void test_stream_empty_body_reads_end_at_once(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  assert_true(recv_until(fd, r, &len, NULL));
  assert_non_null(strstr(r, "5\r\nEMPTY\r\n0\r\n\r\n"));
  free(r);
  close(fd);
}

static void test_stream_route_still_rejects_transfer_encoding_with_length(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd,
           "POST /s/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
           "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
  assert_true(recv_until(fd, r, &len, NULL));
  assert_int_equal(strncmp(r, "HTTP/1.1 400", 12), 0);
  assert_int_equal(count(r, "HTTP/1.1"), 1);
  assert_int_equal(atomic_load(&handler_calls), 0);
  free(r);
  close(fd);
}

static void test_stream_answers_expect_continue_before_reading(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/count HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  assert_true(recv_until(fd, r, &len, "HTTP/1.1 100 Continue\r\n\r\n"));
  send_str(fd, "abc");
  assert_true(recv_until(fd, r, &len, "\r\n\r\n3 "));
  free(r);
  close(fd);
}

static void test_stream_unread_body_closes_the_connection(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
  assert_true(recv_until(fd, r, &len, NULL)); /* closed without waiting for the body */
  assert_int_equal(strncmp(r, "HTTP/1.1 404", 12), 0);
  assert_non_null(strstr(r, "Connection: close\r\n"));
  assert_non_null(strstr(r, "\"error_code\":40401"));
  assert_int_equal(count(r, "HTTP/1.1"), 1);
  free(r);
  close(fd);
}

static void test_stream_reports_broken_chunk_framing(void **state) {
  (void)state;
  int fd = connect_srv();
  char *r = new_buf();
  size_t len = 0;
  send_str(fd, "POST /s/count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");
  assert_true(recv_until(fd, r, &len, NULL));
  assert_non_null(strstr(r, "\r\n\r\nBROKEN 3 "));
  free(r);
  close(fd);
}

static void test_stream_ready_tells_queued_input_from_the_end(void **state) {
  (void)state;
  int fd = connect_srv();
  size_t big = 200000;
  char *req = malloc(big + 256);
  int h = snprintf(req, 256, "POST /s/ready HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n", big);
  memset(req + h, 'x', big);
  memcpy(req + h + big, "\r\n0\r\n\r\n", 7);
  size_t total = (size_t)h + big + 7, sent = 0;
  while (sent < total) {
    ssize_t w = write(fd, req + sent, total - sent);
    assert_true(w > 0);
    sent += (size_t)w;
  }
  char *r = new_buf();
  size_t len = 0;
  assert_true(recv_until(fd, r, &len, NULL));
  assert_int_equal(strncmp(r, "HTTP/1.1 200", 12), 0);
  /* queued input after the first 1000 bytes; nothing once the body ended */
  assert_non_null(strstr(r, "\r\n\r\n1 0"));
  free(r);
  free(req);
  close(fd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stream_answers_each_piece_while_the_client_waits),
      cmocka_unit_test(test_stream_reads_queued_bytes_in_large_pieces),
      cmocka_unit_test(test_stream_reads_large_chunked_body_in_odd_pieces),
      cmocka_unit_test(test_stream_sized_body_keeps_the_connection),
      cmocka_unit_test(test_stream_empty_body_reads_end_at_once),
      cmocka_unit_test(test_stream_route_still_rejects_transfer_encoding_with_length),
      cmocka_unit_test(test_stream_answers_expect_continue_before_reading),
      cmocka_unit_test(test_stream_unread_body_closes_the_connection),
      cmocka_unit_test(test_stream_reports_broken_chunk_framing),
      cmocka_unit_test(test_stream_ready_tells_queued_input_from_the_end),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
