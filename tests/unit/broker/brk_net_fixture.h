// SPDX-License-Identifier: Apache-2.0
/* Fixture for the broker's network-level tests (test_brk_dispatch.c,
 * test_brk_data_apis.c): a broker (brk__broker_new + a loopback listener)
 * over a temporary data dir, driven by running its loop in the test thread,
 * and a blocking client socket that sends framed requests and reads framed
 * responses. */
#ifndef WEIR_TESTS_BRK_NET_FIXTURE_H
#define WEIR_TESTS_BRK_NET_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "brk_broker_int.h"

typedef struct net {
  char dir[64];
  brk_broker_t *b;
  int cli;
  brk_writer_t resp; /* last response frame, size prefix stripped */
  brk_reader_t rr;
} net_t;

static inline int net_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static inline int net_connect(net_t *n) {
  n->cli = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)n->b->port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(n->cli, (struct sockaddr *)&sa, sizeof sa) != 0) return -1;
  struct timeval tv = {0, 20000};
  setsockopt(n->cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return 0;
}

static inline int net_setup_with(void **state, void (*edit)(brk_config_t *cfg)) {
  net_t *n = calloc(1, sizeof *n);
  snprintf(n->dir, sizeof n->dir, "/tmp/weir-brk-test-XXXXXX");
  if (!mkdtemp(n->dir)) return -1;
  brk_config_t cfg;
  brk_config_init(&cfg);
  cfg.data_dir = n->dir;
  cfg.listen = "127.0.0.1:0";
  if (edit) edit(&cfg);
  char err[256];
  n->b = brk__broker_new(&cfg, err, sizeof err);
  if (!n->b || brk__broker_listen(n->b, err, sizeof err) != 0) {
    fprintf(stderr, "broker: %s\n", err);
    return -1;
  }
  if (net_connect(n) != 0) return -1;
  *state = n;
  return 0;
}

static inline int net_setup(void **state) { return net_setup_with(state, NULL); }

static inline int net_teardown(void **state) {
  net_t *n = *state;
  close(n->cli);
  brk__broker_free(n->b);
  nftw(n->dir, net_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  brk_writer_fini(&n->resp);
  free(n);
  return 0;
}

/* Starts a request frame: size placeholder + header v1 (v2 if flexible). */
static inline void net_req_begin(brk_writer_t *w, int16_t key, int16_t version, int32_t corr, bool flexible) {
  memset(w, 0, sizeof *w);
  brk_write_placeholder_i32(w);
  brk_write_i16(w, key);
  brk_write_i16(w, version);
  brk_write_i32(w, corr);
  brk_write_string(w, "test");
  if (flexible) brk_write_empty_tagged_fields(w);
}

/* Sends the frame in w (patching its size) on socket fd and frees it. */
static inline void net_send_on(int fd, brk_writer_t *w) {
  brk_writer_patch_i32(w, 0, (int32_t)(w->len - 4));
  assert_int_equal(write(fd, w->buf, w->len), (ssize_t)w->len);
  brk_writer_fini(w);
}

/* Sends the frame in w (patching its size) and frees it. */
static inline void net_send(net_t *n, brk_writer_t *w) { net_send_on(n->cli, w); }

/* Runs n's loop until one response frame arrives on socket fd (0), the
 * broker closes the connection (-1) or timeout_ms passes (-2). The frame
 * (size prefix stripped) replaces *resp and *rr reads it from the start. */
static inline int net_recv_on(net_t *n, int fd, brk_writer_t *resp, brk_reader_t *rr, int timeout_ms) {
  brk_writer_fini(resp);
  memset(resp, 0, sizeof *resp);
  uint8_t hdr[4];
  size_t have = 0, want = 4;
  uint8_t *dst = hdr;
  for (int i = 0; i < timeout_ms / 20 + 1; i++) {
    brk_loop_run_once(n->b->loop, 0);
    ssize_t got = recv(fd, dst + have, want - have, 0);
    if (got == 0) return -1;
    if (got < 0) {
      if (errno == ECONNRESET) return -1;
      continue;
    }
    have += (size_t)got;
    if (have < want) continue;
    if (dst == hdr) {
      want = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
      resp->buf = malloc(want ? want : 1);
      resp->len = resp->cap = want;
      dst = resp->buf;
      have = 0;
      if (want > 0) continue;
    }
    brk_reader_init(rr, resp->buf, resp->len);
    return 0;
  }
  return -2;
}

/* Runs the loop until one response frame arrives (0), the broker closes the
 * connection (-1) or timeout_ms passes (-2). */
static inline int net_recv_timeout(net_t *n, int timeout_ms) {
  return net_recv_on(n, n->cli, &n->resp, &n->rr, timeout_ms);
}

static inline int net_recv(net_t *n) { return net_recv_timeout(n, 3000); }

#endif
