// SPDX-License-Identifier: Apache-2.0
/* One HTTP request on a civetweb connection, start to finish: reject
 * ambiguous framing (Transfer-Encoding together with Content-Length, repeated
 * or malformed lengths: request smuggling, CVE-2025-55763 in Debian's civetweb
 * 1.15) before any body byte is read, read the body under the size limit
 * (413 without draining it), call the service handler, write the response in
 * one piece, log one line. Streamed routes (opts.stream_match) pass the same
 * framing checks, then leave the body to the handler (http_stream.c). It runs
 * inside civetweb's begin_request callback, so civetweb's own file serving
 * and form handling are never reached. */
#include <civetweb.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_int.h"
#include "http_metrics.h"
#include "log/log.h"

/* The request as decoded from civetweb plus the storage it points into. */
typedef struct conn_req {
  http_request_t req;
  http_header_t headers[MG_MAX_HEADERS];
  char *body;
  bool close; /* answer with Connection: close and drop the connection */
} conn_req_t;

static bool all_digits(const char *s) {
  if (!s || !*s) return false;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

/* Why the message framing is ambiguous, or NULL when it is sound. */
static const char *framing_error(const struct mg_request_info *ri) {
  int te = 0, cl = 0;
  const char *cl_value = NULL;
  for (int i = 0; i < ri->num_headers; i++) {
    const char *name = ri->http_headers[i].name;
    if (strcasecmp(name, "Transfer-Encoding") == 0) te++;
    if (strcasecmp(name, "Content-Length") == 0) cl++, cl_value = ri->http_headers[i].value;
  }
  if (te > 0 && cl > 0) return "request has both Transfer-Encoding and Content-Length";
  if (te > 1) return "request has more than one Transfer-Encoding header";
  if (cl > 1) return "request has more than one Content-Length header";
  if (cl == 1 && !all_digits(cl_value)) return "invalid Content-Length";
  return NULL;
}

/* Sends "100 Continue" when asked to; false for expectations we can't meet. */
static bool handle_expect(struct mg_connection *conn) {
  const char *expect = mg_get_header(conn, "Expect");
  if (!expect) return true;
  if (strcasecmp(expect, "100-continue") != 0) return false;
  mg_printf(conn, "HTTP/1.1 100 Continue\r\n\r\n");
  return true;
}

/* Reads exactly len bytes (a Content-Length body). Returns 0 or 400. */
static int read_sized(struct mg_connection *conn, char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    int n = mg_read(conn, buf + got, len - got);
    if (n <= 0) return 400;
    got += (size_t)n;
  }
  return 0;
}

/* Reads a chunked body of at most max bytes into a growing buffer. Returns 0,
 * 413 (limit exceeded: stops reading) or 400 (broken chunking / EOF). */
static int read_chunked(struct mg_connection *conn, size_t max, char **out, size_t *out_len) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap + 1);
  int rc = 500;
  for (;;) {
    if (!buf) goto out;
    if (len == cap) {
      if (cap > max) {
        rc = 413;
        goto out;
      }
      char *grown = realloc(buf, cap * 2 + 1);
      if (!grown) goto out;
      buf = grown, cap *= 2;
    }
    int n = mg_read(conn, buf + len, cap - len);
    if (n < 0) {
      rc = 400;
      goto out;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  if (len > max) {
    rc = 413;
    goto out;
  }
  buf[len] = '\0';
  *out = buf, *out_len = len;
  return 0;
out:
  free(buf);
  return rc;
}

/* Reads the whole body into cr. Returns 0 or an HTTP status to answer. */
static int read_body(struct mg_connection *conn, const http_server_t *srv, conn_req_t *cr) {
  const struct mg_request_info *ri = mg_get_request_info(conn);
  const char *te = mg_get_header(conn, "Transfer-Encoding");
  bool chunked = te && strcasecmp(te, "chunked") == 0;
  long long cl = ri->content_length;
  if (!chunked && cl <= 0) return 0;
  if (!chunked && (unsigned long long)cl > srv->max_body_bytes) return 413;
  if (!handle_expect(conn)) return 417;
  if (chunked) {
    cr->close = true; /* never trust what follows a chunked body */
    return read_chunked(conn, srv->max_body_bytes, &cr->body, &cr->req.body_len);
  }
  cr->body = malloc((size_t)cl + 1);
  if (!cr->body) return 500;
  int rc = read_sized(conn, cr->body, (size_t)cl);
  if (rc != 0) return rc;
  cr->body[cl] = '\0';
  cr->req.body_len = (size_t)cl;
  return 0;
}

static void conn_req_init(struct mg_connection *conn, conn_req_t *cr) {
  const struct mg_request_info *ri = mg_get_request_info(conn);
  memset(cr, 0, sizeof *cr);
  for (int i = 0; i < ri->num_headers && i < MG_MAX_HEADERS; i++) {
    cr->headers[i].name = ri->http_headers[i].name;
    cr->headers[i].value = ri->http_headers[i].value;
  }
  cr->req.method = ri->request_method;
  cr->req.path = ri->local_uri_raw ? ri->local_uri_raw : "/";
  cr->req.query = ri->query_string ? ri->query_string : "";
  cr->req.body = "";
  cr->req.headers = cr->headers;
  cr->req.num_headers = (size_t)(ri->num_headers < 0 ? 0 : ri->num_headers);
  cr->req.remote_addr = ri->remote_addr;
}

/* Mirrors civetweb's keep-alive decision so the header we send is true. */
bool http__conn_client_keeps_alive(const struct mg_connection *conn) {
  const char *h = mg_get_header(conn, "Connection");
  if (h) return strcasestr(h, "keep-alive") != NULL;
  const char *v = mg_get_request_info(conn)->http_version;
  return v && strcmp(v, "1.1") == 0;
}

/* Appends n bytes of s at buf[*len] when they fit under cap (the head is
 * bounded: a response type longer than that is a programming error). */
static void put(char *buf, size_t cap, size_t *len, const char *s, size_t n) {
  if (*len + n > cap) n = cap - *len;
  memcpy(buf + *len, s, n);
  *len += n;
}

static void put_str(char *buf, size_t cap, size_t *len, const char *s) { put(buf, cap, len, s, strlen(s)); }

static void put_uint(char *buf, size_t cap, size_t *len, size_t v) {
  char digits[24];
  size_t n = sizeof digits;
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put(buf, cap, len, digits + n, sizeof digits - n);
}

/* A Location value safe to send: printable, short enough for the head. */
static bool location_ok(const char *s) {
  if (!s) return false;
  size_t i = 0;
  for (; s[i]; i++)
    if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] >= 0x7f || i >= 900) return false;
  return i > 0;
}

/* Formats status line and headers into buf (cap bytes); returns the length.
 * Hand-rolled: this runs on every request and printf is its largest cost. */
static size_t format_head(struct mg_connection *conn, const http_server_t *srv, const http_response_t *resp,
                          bool keep, char *buf, size_t cap) {
  size_t n = 0;
  put_str(buf, cap, &n, "HTTP/1.1 ");
  put_uint(buf, cap, &n, (size_t)resp->status);
  put_str(buf, cap, &n, " ");
  put_str(buf, cap, &n, mg_get_response_code_text(conn, resp->status));
  put_str(buf, cap, &n, keep ? "\r\nConnection: keep-alive\r\n" : "\r\nConnection: close\r\n");
  if (resp->status != 204 && resp->status != 304) {
    put_str(buf, cap, &n, "Content-Type: ");
    put_str(buf, cap, &n, resp->content_type ? resp->content_type : srv->error_content_type);
    put_str(buf, cap, &n, "\r\nContent-Length: ");
    put_uint(buf, cap, &n, resp->body_len);
    put_str(buf, cap, &n, "\r\n");
  }
  if (location_ok(resp->location)) {
    put_str(buf, cap, &n, "Location: ");
    put_str(buf, cap, &n, resp->location);
    put_str(buf, cap, &n, "\r\n");
  }
  put_str(buf, cap, &n, "\r\n");
  return n;
}

/* Writes status line, headers and body; small responses in one write from a
 * stack buffer (civetweb worker stacks are small: keep it at 4 KiB). */
static void send_response(struct mg_connection *conn, const http_server_t *srv, const http_response_t *resp,
                          bool close) {
  if (close) mg_disable_connection_keep_alive(conn);
  bool keep = !close && http__conn_client_keeps_alive(conn);
  bool bodiless = resp->status == 204 || resp->status == 304;
  char one[4096];
  size_t hlen = format_head(conn, srv, resp, keep, one, 1536);
  size_t blen = bodiless ? 0 : resp->body_len;
  if (hlen + blen <= sizeof one) {
    if (blen) memcpy(one + hlen, resp->body, blen);
    mg_write(conn, one, hlen + blen);
    return;
  }
  char *big = malloc(hlen + blen);
  if (big) {
    memcpy(big, one, hlen);
    memcpy(big + hlen, resp->body, blen);
    mg_write(conn, big, hlen + blen);
    free(big);
    return;
  }
  mg_write(conn, one, hlen);
  if (blen) mg_write(conn, resp->body, blen);
}

/* Copies at most 200 bytes of s with non-printables replaced (log safety). */
static void sanitize(const char *s, char *out, size_t out_len) {
  size_t i = 0;
  for (; s[i] && i + 1 < out_len && i < 200; i++) {
    unsigned char c = (unsigned char)s[i];
    out[i] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
  }
  out[i] = '\0';
}

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void log_request(const http_server_t *srv, const conn_req_t *cr, int status, size_t bytes, int64_t t0) {
  char method[24], path[208];
  sanitize(cr->req.method ? cr->req.method : "?", method, sizeof method);
  sanitize(cr->req.path, path, sizeof path);
  log_info(srv->log_component, "%s %s %s %d %zuB %lldus", cr->req.remote_addr, method, path, status, bytes,
           (long long)(now_us() - t0));
}

/* The glue's own error answers (framing, size, read failures). */
static void glue_error(const http_server_t *srv, http_response_t *resp, int status, const char *msg) {
  resp->content_type = srv->error_content_type;
  http_response_error(resp, status, status, msg);
}

/* A streamed route: the handler reads the body itself (http_stream.c) and
 * may answer in chunks. Framing was checked already. Returns the status and
 * the body bytes sent. */
static int serve_stream(struct mg_connection *conn, const http_server_t *srv, conn_req_t *cr,
                        http_response_t *resp, size_t *bytes) {
  http_stream_t s;
  http__stream_init(&s, conn, srv);
  if (!s.ended && !handle_expect(conn)) {
    glue_error(srv, resp, 417, NULL);
    send_response(conn, srv, resp, true);
    *bytes = resp->body_len;
    return resp->status;
  }
  cr->req.stream = &s;
  srv->handler(srv->ctx, &cr->req, resp);
  cr->req.stream = NULL;
  if (s.begun) {
    http__stream_finish(&s);
    *bytes = s.bytes_out;
    return s.status;
  }
  if (resp->status < 100 || resp->status > 999) glue_error(srv, resp, 500, NULL);
  /* Unread body bytes (or a chunked body, see read_body) end the connection. */
  send_response(conn, srv, resp, !s.ended || s.chunked || s.close_after);
  *bytes = resp->body_len;
  return resp->status;
}

int http__conn_begin_request(struct mg_connection *conn) {
  int64_t t0 = now_us();
  const http_server_t *srv = mg_get_user_data(mg_get_context(conn));
  http__metrics_request_begin(srv->log_component);
  conn_req_t cr;
  conn_req_init(conn, &cr);
  http_response_t resp;
  http_response_init(&resp);
  int status = 0;
  size_t bytes = 0;
  /* Framing is checked before anything reads the body, streamed or not. */
  const char *why = framing_error(mg_get_request_info(conn));
  if (!why && srv->stream_match && srv->stream_match(srv->ctx, cr.req.method, cr.req.path)) {
    status = serve_stream(conn, srv, &cr, &resp, &bytes);
  } else {
    int rc = why ? 400 : read_body(conn, srv, &cr);
    if (rc != 0) {
      cr.close = true;
      glue_error(srv, &resp, rc, why);
    } else {
      if (cr.body) cr.req.body = cr.body;
      srv->handler(srv->ctx, &cr.req, &resp);
      if (resp.status < 100 || resp.status > 999) glue_error(srv, &resp, 500, NULL);
    }
    send_response(conn, srv, &resp, cr.close);
    status = resp.status;
    bytes = resp.body_len;
  }
  http__metrics_request_end(srv->log_component, cr.req.method, status, cr.req.body_len, bytes, t0);
  log_request(srv, &cr, status, bytes, t0);
  http_response_fini(&resp);
  free(cr.body);
  return status > 0 && status < 1000 ? status : 500;
}
