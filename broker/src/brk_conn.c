// SPDX-License-Identifier: Apache-2.0
/* Connection I/O (see brk_conn.h): framing on the read side, the ordered
 * response queue and zero-copy writing on the other. Requests are handed to
 * brk__dispatch one frame at a time; this file never decodes a body. */
#include "brk_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "brk_broker_int.h"
#include "log/log.h"

enum {
  READ_BUF_INITIAL = 64 * 1024,
  READ_BUF_KEEP = 1024 * 1024,     /* shrink back after a bigger frame */
  MAX_QUEUED_RESPS = 4096,         /* stop reading beyond this (Kafka's mute) */
  MAX_IOV = 64,
};
#define MAX_QUEUED_BYTES ((int64_t)64 * 1024 * 1024)

struct brk_conn {
  brk_broker_t *b;
  brk_conn_t *prev, *next; /* b->conns */
  int fd;
  brk_io_t io;
  uint32_t watching; /* current epoll interest */
  uint8_t *rbuf;
  size_t rlen, rcap;
  brk_resp_t *head, *tail;
  size_t n_resps;
  int64_t queued_bytes; /* ready, unsent */
  bool closing;
  bool busy;           /* inside process_frames: do not re-enter */
  bool resume_posted;
  brk_task_t close_task, resume_task;
  char peer_host[INET6_ADDRSTRLEN + 2]; /* "/<ip>" as Kafka shows client hosts */
};

static void on_io(void *arg, uint32_t events);
static void process_frames(brk_conn_t *c);
static void flush(brk_conn_t *c);

/* Remembers the client's address for DescribeGroups ("/127.0.0.1"). */
static void set_peer_host(brk_conn_t *c) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char ip[INET6_ADDRSTRLEN] = "";
  if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0) {
    const void *a = ss.ss_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
                                             : (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
    if (!inet_ntop(ss.ss_family, a, ip, sizeof ip)) ip[0] = '\0';
  }
  snprintf(c->peer_host, sizeof c->peer_host, "/%s", ip);
}

const char *brk_conn_peer_host(const brk_conn_t *c) { return c->peer_host; }

brk_conn_t *brk_conn_new(brk_broker_t *b, int fd) {
  brk_conn_t *c = calloc(1, sizeof *c);
  if (!c) {
    close(fd);
    return NULL;
  }
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->b = b;
  c->fd = fd;
  set_peer_host(c);
  c->io = (brk_io_t){on_io, c};
  c->watching = EPOLLIN;
  if (brk_loop_watch(b->loop, fd, EPOLLIN, &c->io) != 0) {
    close(fd);
    free(c);
    return NULL;
  }
  c->next = b->conns;
  if (b->conns) b->conns->prev = c;
  b->conns = c;
  b->n_conns++;
  metrics_add(b->metrics.connections, 1);
  return c;
}

void brk_resp_free(brk_resp_t *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_parts; i++) brk_file_unref(r->parts[i].file);
  free(r->parts);
  brk_writer_fini(&r->w);
  free(r);
}

/* Detaches every queued response: frees the finished, cancels or orphans
 * the pending ones (their completer frees them). */
static void drop_queue(brk_conn_t *c) {
  brk_resp_t *r = c->head;
  c->head = c->tail = NULL;
  while (r) {
    brk_resp_t *next = r->next;
    r->next = NULL;
    if (r->ready || (!r->cancel && !r->deferred)) {
      brk_resp_free(r); /* done, or abandoned by a failed handler */
    } else if (r->cancel) {
      r->cancel(r->cancel_arg);
      brk_resp_free(r);
    } else {
      r->conn = NULL;
    }
    r = next;
  }
  c->n_resps = 0;
}

void brk_conn_destroy(brk_conn_t *c) {
  if (!c) return;
  brk_broker_t *b = c->b;
  if (!c->closing) brk_loop_unwatch(b->loop, c->fd);
  if (c->fd >= 0) close(c->fd);
  drop_queue(c);
  if (c->prev)
    c->prev->next = c->next;
  else
    b->conns = c->next;
  if (c->next) c->next->prev = c->prev;
  b->n_conns--;
  metrics_add(b->metrics.connections, -1);
  free(c->rbuf);
  free(c);
}

static void close_task(void *arg) { brk_conn_destroy(arg); }

void brk_conn_close(brk_conn_t *c) {
  if (c->closing) return;
  c->closing = true;
  brk_loop_unwatch(c->b->loop, c->fd);
  shutdown(c->fd, SHUT_RDWR);
  brk_loop_post(c->b->loop, &c->close_task, close_task, c);
}

/* ---- response queue ----------------------------------------------------------- */

brk_resp_t *brk_conn_resp_begin(brk_conn_t *c, int32_t correlation_id, bool header_v1) {
  brk_resp_t *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->conn = c;
  brk_write_i32(&r->w, 0); /* size, patched by brk_resp_finish */
  brk_write_i32(&r->w, correlation_id);
  if (header_v1) brk_write_empty_tagged_fields(&r->w);
  if (c->tail)
    c->tail->next = r;
  else
    c->head = r;
  c->tail = r;
  c->n_resps++;
  return r;
}

static bool parts_push(brk_resp_t *r, brk_part_t p) {
  if (p.len <= 0) {
    brk_file_unref(p.file);
    return true;
  }
  if (r->n_parts == r->cap_parts) {
    size_t cap = r->cap_parts ? r->cap_parts * 2 : 8;
    brk_part_t *np = realloc(r->parts, cap * sizeof *np);
    if (!np) {
      brk_file_unref(p.file);
      r->w.failed = true;
      return false;
    }
    r->parts = np;
    r->cap_parts = cap;
  }
  r->parts[r->n_parts++] = p;
  return true;
}

void brk_resp_add_file(brk_resp_t *r, brk_read_slice_t *s) {
  brk_part_t mem = {NULL, (int64_t)r->mem_mark, (int64_t)(r->w.len - r->mem_mark)};
  r->mem_mark = r->w.len;
  parts_push(r, mem);
  parts_push(r, (brk_part_t){s->file, s->pos, s->len});
  s->file = NULL;
}

void brk_resp_rewind(brk_resp_t *r, size_t len) {
  for (size_t i = 0; i < r->n_parts; i++) brk_file_unref(r->parts[i].file);
  r->n_parts = 0;
  r->mem_mark = 0;
  if (len < r->w.len) r->w.len = len;
}

static void maybe_mute(brk_conn_t *c);

/* The response is queued (or dropped): observe how long the request took. */
static void resp_observe(const brk_resp_t *r) {
  if (!r->m_duration) return;
  metrics_observe(r->m_duration, (double)(brk__metrics_now_ns() - r->start_ns) / 1e9);
  if (r->error) metrics_inc(r->m_errors, 1);
}

bool brk_resp_finish(brk_resp_t *r) {
  brk_conn_t *c = r->conn;
  resp_observe(r);
  if (!c) {
    brk_resp_free(r);
    return true;
  }
  if (r->n_parts > 0) parts_push(r, (brk_part_t){NULL, (int64_t)r->mem_mark, (int64_t)(r->w.len - r->mem_mark)});
  if (!brk_writer_ok(&r->w)) {
    r->ready = true;
    brk_conn_close(c);
    return false;
  }
  int64_t total = (int64_t)r->w.len;
  if (r->n_parts > 0) {
    total = 0;
    for (size_t i = 0; i < r->n_parts; i++) total += r->parts[i].len;
  }
  if (total - 4 > INT32_MAX) {
    r->ready = true;
    brk_conn_close(c);
    return false;
  }
  brk_writer_patch_i32(&r->w, 0, (int32_t)(total - 4));
  r->total = total;
  r->ready = true;
  c->queued_bytes += total;
  if (!c->closing) flush(c);
  return true;
}

void brk_resp_drop(brk_resp_t *r) {
  resp_observe(r);
  r->empty = true;
  r->ready = true;
  if (!r->conn) {
    brk_resp_free(r);
    return;
  }
  if (!r->conn->closing) flush(r->conn);
}

/* ---- writing ------------------------------------------------------------------ */

/* The i-th part of r (a response without parts is one memory part). */
static bool resp_part(const brk_resp_t *r, size_t i, brk_part_t *out) {
  if (r->empty) return false;
  if (r->n_parts == 0) {
    if (i > 0) return false;
    *out = (brk_part_t){NULL, 0, (int64_t)r->w.len};
    return true;
  }
  if (i >= r->n_parts) return false;
  *out = r->parts[i];
  return true;
}

static void pop_head(brk_conn_t *c) {
  brk_resp_t *r = c->head;
  c->head = r->next;
  if (!c->head) c->tail = NULL;
  c->n_resps--;
  brk_resp_free(r);
}

/* Consumes n sent bytes from the front of the queue. */
static void advance(brk_conn_t *c, int64_t n) {
  c->queued_bytes -= n;
  while (c->head && c->head->ready) {
    brk_resp_t *r = c->head;
    brk_part_t p;
    if (!resp_part(r, r->part_i, &p)) {
      pop_head(c);
      continue;
    }
    int64_t left = p.len - r->part_off;
    if (n < left) {
      r->part_off += n;
      return;
    }
    n -= left;
    r->part_i++;
    r->part_off = 0;
  }
}

/* Gathers memory parts from the queue front into iov; *more is set when a
 * file part follows directly. Returns the iov count. */
static int gather(brk_conn_t *c, struct iovec *iov, bool *more) {
  int n = 0;
  *more = false;
  for (brk_resp_t *r = c->head; r && r->ready && n < MAX_IOV; r = r->next) {
    brk_part_t p;
    for (size_t i = r->part_i; n < MAX_IOV && resp_part(r, i, &p); i++) {
      if (p.file) {
        *more = true;
        return n;
      }
      int64_t off = i == r->part_i ? r->part_off : 0;
      iov[n].iov_base = r->w.buf + p.pos + off;
      iov[n].iov_len = (size_t)(p.len - off);
      n++;
    }
  }
  return n;
}

static void set_interest(brk_conn_t *c, uint32_t ev) {
  if (c->closing || ev == c->watching) return;
  c->watching = ev;
  brk_loop_rewatch(c->b->loop, c->fd, ev, &c->io);
}

/* Sends one chunk; returns bytes sent, 0 on EAGAIN, -1 on error. */
static int64_t send_some(brk_conn_t *c) {
  brk_resp_t *r = c->head;
  brk_part_t p = {0};
  while (r && r->ready && !resp_part(r, r->part_i, &p)) {
    pop_head(c);
    r = c->head;
  }
  if (!r || !r->ready) return 0;
  ssize_t n;
  if (p.file) {
    off_t pos = (off_t)(p.pos + r->part_off);
    size_t len = (size_t)(p.len - r->part_off);
    n = sendfile(c->fd, brk_file_fd(p.file), &pos, len > (1u << 30) ? (1u << 30) : len);
    if (n == 0) return -1; /* file shorter than the slice: cannot keep framing */
  } else {
    struct iovec iov[MAX_IOV];
    bool more;
    int cnt = gather(c, iov, &more);
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)cnt};
    n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT | (more ? MSG_MORE : 0));
  }
  if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
  metrics_inc(c->b->metrics.bytes_out, (uint64_t)n);
  advance(c, n);
  return n;
}

static void maybe_unmute(brk_conn_t *c);

static void flush(brk_conn_t *c) {
  for (;;) {
    while (c->head && c->head->ready && c->head->empty) pop_head(c);
    if (!c->head || !c->head->ready) break;
    int64_t n = send_some(c);
    if (n < 0) {
      brk_conn_close(c);
      return;
    }
    if (n == 0) break;
  }
  bool want_out = c->head && c->head->ready;
  uint32_t ev = (c->watching & EPOLLIN) | (want_out ? EPOLLOUT : 0);
  set_interest(c, ev);
  maybe_unmute(c);
}

/* ---- reading ------------------------------------------------------------------- */

static bool over_limits(const brk_conn_t *c) {
  return c->n_resps >= MAX_QUEUED_RESPS || c->queued_bytes >= MAX_QUEUED_BYTES;
}

static void maybe_mute(brk_conn_t *c) {
  if ((c->watching & EPOLLIN) && over_limits(c)) set_interest(c, c->watching & ~(uint32_t)EPOLLIN);
}

static void resume_task(void *arg) {
  brk_conn_t *c = arg;
  c->resume_posted = false;
  if (!c->closing) process_frames(c);
}

static void maybe_unmute(brk_conn_t *c) {
  if (c->closing || (c->watching & EPOLLIN) || over_limits(c)) return;
  set_interest(c, c->watching | EPOLLIN);
  if (c->rlen >= 4 && !c->busy && !c->resume_posted) {
    c->resume_posted = true; /* buffered frames were left while muted */
    brk_loop_post(c->b->loop, &c->resume_task, resume_task, c);
  }
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static bool ensure_cap(brk_conn_t *c, size_t need) {
  if (c->rcap >= need) return true;
  size_t cap = c->rcap ? c->rcap : READ_BUF_INITIAL;
  while (cap < need) cap *= 2;
  uint8_t *nb = realloc(c->rbuf, cap);
  if (!nb) return false;
  c->rbuf = nb;
  c->rcap = cap;
  return true;
}

/* Dispatches every complete frame in the buffer (unless muted/closing). */
static void process_frames(brk_conn_t *c) {
  size_t off = 0;
  size_t max = (size_t)c->b->cfg.max_request_bytes;
  c->busy = true;
  while (!c->closing && (c->watching & EPOLLIN) && c->rlen - off >= 4) {
    uint32_t size = be32(c->rbuf + off);
    if (size > max || size > INT32_MAX || size < 8) {
      log_warn("broker", "closing connection: request size %u out of range", size);
      brk_conn_close(c);
      break;
    }
    if (c->rlen - off - 4 < size) break;
    if (brk__dispatch(c->b, c, c->rbuf + off + 4, size) != 0) brk_conn_close(c);
    off += 4 + (size_t)size;
    maybe_mute(c);
  }
  c->busy = false;
  if (off > 0) {
    memmove(c->rbuf, c->rbuf + off, c->rlen - off);
    c->rlen -= off;
  }
  if (c->rlen == 0 && c->rcap > READ_BUF_KEEP) {
    free(c->rbuf);
    c->rbuf = NULL;
    c->rcap = 0;
  }
}

static void do_read(brk_conn_t *c) {
  for (int rounds = 0; rounds < 16 && !c->closing && (c->watching & EPOLLIN); rounds++) {
    size_t need = c->rlen + 4096;
    if (c->rlen >= 4) {
      size_t size = be32(c->rbuf);
      if (size <= (size_t)c->b->cfg.max_request_bytes && c->rlen < size + 4) need = size + 4;
    }
    if (!ensure_cap(c, need)) {
      brk_conn_close(c);
      return;
    }
    size_t space = c->rcap - c->rlen;
    ssize_t n = read(c->fd, c->rbuf + c->rlen, space);
    if (n == 0) {
      brk_conn_close(c);
      return;
    }
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) brk_conn_close(c);
      return;
    }
    c->rlen += (size_t)n;
    metrics_inc(c->b->metrics.bytes_in, (uint64_t)n);
    process_frames(c);
    if ((size_t)n < space) return;
  }
}

static void on_io(void *arg, uint32_t events) {
  brk_conn_t *c = arg;
  if (c->closing) return;
  if (events & EPOLLERR) {
    brk_conn_close(c);
    return;
  }
  if (events & (EPOLLIN | EPOLLHUP)) do_read(c);
  if (!c->closing && (events & EPOLLHUP) && !(c->watching & EPOLLIN)) {
    brk_conn_close(c); /* peer gone while muted: nothing more can be sent */
    return;
  }
  if (!c->closing && (events & EPOLLOUT)) flush(c);
}
