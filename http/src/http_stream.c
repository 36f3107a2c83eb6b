// SPDX-License-Identifier: Apache-2.0
/* Streamed requests (http_server.h "streamed requests"): the body read piece
 * by piece through civetweb's mg_read, and a chunked answer written chunk by
 * chunk while the client may still be sending (full duplex). It does not
 * decide which routes stream, check framing or log (http_conn.c does).
 *
 * Why the socket: civetweb 1.15's mg_read(n) blocks until n body bytes came
 * (for chunked bodies it reads on across chunks), so "read what has arrived"
 * needs to know how much has arrived. The glue finds the connection's socket
 * once per streamed request and asks the kernel (FIONREAD) how many bytes
 * are queued; it only reads what those bytes must contain, so a client that
 * sends one record and waits for its answer is never waited on. */
#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "http_int.h"
#include "http_metrics.h"

/* Chunk framing per chunk of a sane client: a size line of at most 8 hex
 * digits + CRLF (10 bytes) and the CRLF after the data. A queue of K bytes
 * thus holds at least (K - 2 * HTTP_CHUNK_FRAMING) / (HTTP_CHUNK_FRAMING + 1)
 * body bytes. Clients padding size lines further only slow their own reads. */
#define HTTP_CHUNK_FRAMING 12

/* The socket of the connection serving ri: the one whose peer is the
 * client's address and port and whose local port is the server's. -1 when
 * not found (no /proc): reads then fall back to one byte at a time. */
static int find_socket(const struct mg_request_info *ri) {
  struct in_addr peer_addr;
  if (inet_pton(AF_INET, ri->remote_addr, &peer_addr) != 1) return -1;
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  struct dirent *e;
  while (found < 0 && (e = readdir(dir)) != NULL) {
    char *end = NULL;
    long fd = strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd < 0 || fd > INT_MAX || fd == dirfd(dir)) continue;
    struct sockaddr_in peer, local;
    socklen_t plen = sizeof peer, llen = sizeof local;
    if (getpeername((int)fd, (struct sockaddr *)&peer, &plen) != 0 || plen != sizeof peer) continue;
    if (peer.sin_family != AF_INET || peer.sin_port != htons((uint16_t)ri->remote_port) ||
        peer.sin_addr.s_addr != peer_addr.s_addr)
      continue;
    if (getsockname((int)fd, (struct sockaddr *)&local, &llen) != 0 || llen != sizeof local) continue;
    if (local.sin_port == htons((uint16_t)ri->server_port)) found = (int)fd;
  }
  closedir(dir);
  return found;
}

void http__stream_init(http_stream_t *s, struct mg_connection *conn, const http_server_t *srv) {
  const struct mg_request_info *ri = mg_get_request_info(conn);
  const char *te = mg_get_header(conn, "Transfer-Encoding");
  memset(s, 0, sizeof *s);
  s->conn = conn;
  s->srv = srv;
  s->chunked = te && strcasecmp(te, "chunked") == 0;
  s->remaining = s->chunked || ri->content_length < 0 ? 0 : ri->content_length;
  s->ended = !s->chunked && s->remaining == 0;
  s->fd = s->chunked ? find_socket(ri) : -1; /* only chunked reads need it */
}

/* Chunked body bytes that can be read now without waiting for the client
 * (bytes civetweb buffered with the headers are not counted: they are read
 * one at a time). */
static size_t readable_now(const http_stream_t *s) {
  int queued = 0;
  if (s->fd < 0 || ioctl(s->fd, FIONREAD, &queued) != 0 || queued <= 0) return 0;
  size_t k = (size_t)queued;
  if (k <= 2 * HTTP_CHUNK_FRAMING) return 1;
  return (k - 2 * HTTP_CHUNK_FRAMING) / (HTTP_CHUNK_FRAMING + 1) + 1;
}

/* One mg_read of want bytes; updates the stream state. Returns the count,
 * 0 at the end, -1 when broken. */
static long read_some(http_stream_t *s, char *buf, size_t want) {
  int n = mg_read(s->conn, buf, want);
  if (n < 0 || (n == 0 && !s->chunked)) { /* Content-Length: EOF or timeout before the end */
    s->read_broken = true;
    return -1;
  }
  if (s->chunked) {
    /* mg_read reads on across chunks: fewer bytes than asked means it met
     * the last chunk. */
    if ((size_t)n < want) s->ended = true;
  } else {
    s->remaining -= n;
    if (s->remaining == 0) s->ended = true;
  }
  return n;
}

long http_stream_read(http_stream_t *s, void *buf, size_t cap) {
  if (!s || s->read_broken) return -1;
  if (s->ended || cap == 0) return 0;
  if (cap > INT_MAX) cap = INT_MAX;
  char *out = buf;
  size_t got = 0;
  while (got < cap && !s->ended) {
    size_t want = cap - got;
    if (!s->chunked && (unsigned long long)s->remaining < want) want = (size_t)s->remaining;
    /* Content-Length bodies are sent whole: read them in big pieces. A
     * chunked body is read as far as the queued bytes reach; the first
     * byte of a call may wait for the client. */
    if (s->chunked) {
      size_t now = readable_now(s);
      if (got > 0 && now == 0) break;
      if (want > now) want = now > 0 ? now : 1;
    }
    long n = read_some(s, out + got, want);
    if (n < 0 && got == 0) return -1;
    if (n < 0) break;
    got += (size_t)n;
    if (!s->chunked) break;
  }
  http__metrics_body_read(s->srv->log_component, got);
  return (long)got;
}

bool http_stream_ready(const http_stream_t *s) {
  if (!s || s->ended || s->read_broken) return false;
  return s->chunked ? readable_now(s) > 0 : s->remaining > 0;
}

int http_stream_begin(http_stream_t *s, int status, const char *content_type) {
  if (!s || s->begun || s->write_broken) return -1;
  s->begun = true;
  s->status = status;
  /* Keep the connection only when the whole body was read and its end was
   * unambiguous (a sized body); the handler may still ask to close. */
  bool keep = !s->chunked && s->ended && !s->close_after && http__conn_client_keeps_alive(s->conn);
  if (!keep) mg_disable_connection_keep_alive(s->conn);
  char head[512];
  int n =
      snprintf(head, sizeof head,
               "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\nConnection: %s\r\n\r\n",
               status, mg_get_response_code_text(s->conn, status),
               content_type ? content_type : s->srv->error_content_type, keep ? "keep-alive" : "close");
  if (n < 0 || (size_t)n >= sizeof head || mg_write(s->conn, head, (size_t)n) != n) {
    s->write_broken = true;
    return -1;
  }
  return 0;
}

/* Writes all of data or marks the stream broken. */
static int write_all(http_stream_t *s, const void *data, size_t len) {
  if (len > INT_MAX || mg_write(s->conn, data, len) != (int)len) {
    s->write_broken = true;
    return -1;
  }
  return 0;
}

int http_stream_write(http_stream_t *s, const void *data, size_t len) {
  if (!s || !s->begun || s->write_broken) return -1;
  if (len == 0) return 0;
  char size_line[24];
  int hl = snprintf(size_line, sizeof size_line, "%zx\r\n", len);
  size_t total = (size_t)hl + len + 2;
  /* One write per chunk (TCP_NODELAY: three writes would be three packets). */
  char small[4096];
  char *one = total <= sizeof small ? small : malloc(total);
  int rc;
  if (one) {
    memcpy(one, size_line, (size_t)hl);
    memcpy(one + hl, data, len);
    memcpy(one + hl + len, "\r\n", 2);
    rc = write_all(s, one, total);
    if (one != small) free(one);
  } else {
    rc = write_all(s, size_line, (size_t)hl);
    if (rc == 0) rc = write_all(s, data, len);
    if (rc == 0) rc = write_all(s, "\r\n", 2);
  }
  if (rc == 0) s->bytes_out += len;
  return rc;
}

void http_stream_close_after(http_stream_t *s) {
  if (!s) return;
  s->close_after = true;
  mg_disable_connection_keep_alive(s->conn);
}

void http__stream_finish(http_stream_t *s) {
  if (!s->begun || s->write_broken) return;
  write_all(s, "0\r\n\r\n", 5);
}
