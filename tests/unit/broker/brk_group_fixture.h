// SPDX-License-Identifier: Apache-2.0
/* Fixture for the group coordinator tests (test_brk_group_*.c): a broker
 * from brk_net_fixture.h plus several client connections (one per group
 * member, since JoinGroup/SyncGroup responses are parked per connection),
 * and request builders for the group APIs (JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, DescribeGroups, ListGroups, DeleteGroups). */
#ifndef WEIR_TESTS_BRK_GROUP_FIXTURE_H
#define WEIR_TESTS_BRK_GROUP_FIXTURE_H

#include "brk_net_fixture.h"

#define GF_MAX_CLIENTS 4

typedef struct gf_client {
  int fd;
  brk_writer_t resp;
  brk_reader_t rr;
} gf_client_t;

typedef struct gf {
  net_t *n;
  gf_client_t cl[GF_MAX_CLIENTS];
  int32_t corr;
} gf_t;

/* Most tests want rebalances to complete as soon as everyone has joined. */
static inline void gf_no_initial_delay(brk_config_t *cfg) { cfg->group_initial_rebalance_delay_ms = 0; }

static inline int gf_setup_with(void **state, void (*edit)(brk_config_t *cfg)) {
  if (net_setup_with(state, edit) != 0) return -1;
  gf_t *f = calloc(1, sizeof *f);
  f->n = *state;
  f->cl[0].fd = f->n->cli;
  for (int i = 1; i < GF_MAX_CLIENTS; i++) {
    if (net_connect(f->n) != 0) return -1;
    f->cl[i].fd = f->n->cli;
  }
  f->n->cli = f->cl[0].fd;
  *state = f;
  return 0;
}

static inline int gf_setup(void **state) { return gf_setup_with(state, gf_no_initial_delay); }

static inline int gf_teardown(void **state) {
  gf_t *f = *state;
  for (int i = 0; i < GF_MAX_CLIENTS; i++) {
    if (i > 0 && f->cl[i].fd >= 0) close(f->cl[i].fd);
    brk_writer_fini(&f->cl[i].resp);
  }
  *state = f->n;
  free(f);
  return net_teardown(state);
}

static inline void gf_run(gf_t *f, int ms) {
  for (int i = 0; i < ms / 5 + 1; i++) {
    brk_loop_run_once(f->n->b->loop, 0);
    usleep(5000);
  }
}

static inline void gf_send(gf_t *f, int c, brk_writer_t *w) {
  net_send_on(f->cl[c].fd, w);
  brk_loop_run_once(f->n->b->loop, 0);
}

/* Runs the loop until a response frame arrives on client c (0), it closes
 * (-1) or timeout_ms passes (-2). The reader is positioned after the
 * correlation id. */
static inline int gf_recv_timeout(gf_t *f, int c, int timeout_ms) {
  gf_client_t *cl = &f->cl[c];
  int rc = net_recv_on(f->n, cl->fd, &cl->resp, &cl->rr, timeout_ms);
  if (rc == 0) brk_read_i32(&cl->rr); /* correlation id */
  return rc;
}

static inline brk_reader_t *gf_recv(gf_t *f, int c) {
  assert_int_equal(gf_recv_timeout(f, c, 3000), 0);
  return &f->cl[c].rr;
}

/* ---- JoinGroup ---------------------------------------------------------------- */

typedef struct gf_join {
  const char *group, *member_id, *instance_id, *protocol_type;
  int32_t session_ms, rebalance_ms;
  const char *protos[2]; /* names; metadata = "meta-<name>-<member tag>" */
  const char *tag;
} gf_join_t;

static inline void gf_send_join(gf_t *f, int c, int16_t v, const gf_join_t *j) {
  brk_writer_t w;
  net_req_begin(&w, 11, v, ++f->corr, false);
  brk_write_string(&w, j->group);
  brk_write_i32(&w, j->session_ms ? j->session_ms : 10000);
  if (v >= 1) brk_write_i32(&w, j->rebalance_ms ? j->rebalance_ms : 5000);
  brk_write_string(&w, j->member_id ? j->member_id : "");
  if (v >= 5) brk_write_string(&w, j->instance_id);
  brk_write_string(&w, j->protocol_type ? j->protocol_type : "consumer");
  int np = j->protos[1] ? 2 : 1;
  brk_write_i32(&w, np);
  for (int i = 0; i < np; i++) {
    char meta[64];
    snprintf(meta, sizeof meta, "meta-%s-%s", j->protos[i], j->tag ? j->tag : "");
    brk_write_string(&w, j->protos[i]);
    brk_write_bytes(&w, meta, (int32_t)strlen(meta));
  }
  gf_send(f, c, &w);
}

typedef struct gf_join_resp {
  int16_t err;
  int32_t generation;
  char protocol[64], leader[128], member_id[128];
  int32_t n_members;
  char member_ids[4][128];
  char metas[4][64];
} gf_join_resp_t;

static inline void gf_str(brk_reader_t *r, char *out, size_t cap) {
  brk_slice_t s = brk_read_string(r);
  size_t n = s.len > 0 ? (size_t)s.len : 0;
  if (n >= cap) n = cap - 1;
  if (n) memcpy(out, s.ptr, n);
  out[n] = '\0';
}

static inline void gf_read_join(brk_reader_t *r, int16_t v, gf_join_resp_t *out) {
  memset(out, 0, sizeof *out);
  if (v >= 2) assert_int_equal(brk_read_i32(r), 0);
  out->err = brk_read_i16(r);
  out->generation = brk_read_i32(r);
  gf_str(r, out->protocol, sizeof out->protocol);
  gf_str(r, out->leader, sizeof out->leader);
  gf_str(r, out->member_id, sizeof out->member_id);
  out->n_members = brk_read_array_len(r, 6);
  for (int32_t i = 0; i < out->n_members; i++) {
    gf_str(r, i < 4 ? out->member_ids[i] : out->protocol, 128);
    if (v >= 5) brk_read_string(r);
    brk_slice_t m = brk_read_bytes(r);
    if (i < 4 && m.len > 0 && m.len < 64) memcpy(out->metas[i], m.ptr, (size_t)m.len);
  }
  assert_true(brk_reader_ok(r));
  assert_int_equal(brk_reader_remaining(r), 0);
}

/* ---- SyncGroup, Heartbeat, LeaveGroup ----------------------------------------- */

static inline void gf_send_sync(gf_t *f, int c, int16_t v, const char *group, int32_t gen, const char *member,
                                const char *instance, int n, const char **ids, const char **assign) {
  brk_writer_t w;
  net_req_begin(&w, 14, v, ++f->corr, false);
  brk_write_string(&w, group);
  brk_write_i32(&w, gen);
  brk_write_string(&w, member);
  if (v >= 3) brk_write_string(&w, instance);
  brk_write_i32(&w, n);
  for (int i = 0; i < n; i++) {
    brk_write_string(&w, ids[i]);
    brk_write_bytes(&w, assign[i], (int32_t)strlen(assign[i]));
  }
  gf_send(f, c, &w);
}

/* Reads a SyncGroup response: returns the error, copies the assignment. */
static inline int16_t gf_read_sync(brk_reader_t *r, int16_t v, char *assign, size_t cap) {
  if (v >= 1) brk_read_i32(r);
  int16_t err = brk_read_i16(r);
  brk_slice_t a = brk_read_bytes(r);
  size_t n = a.len > 0 ? (size_t)a.len : 0;
  if (n >= cap) n = cap - 1;
  if (n) memcpy(assign, a.ptr, n);
  assign[n] = '\0';
  assert_true(brk_reader_ok(r));
  return err;
}

static inline int16_t gf_heartbeat(gf_t *f, int c, int16_t v, const char *group, int32_t gen,
                                   const char *member, const char *instance) {
  brk_writer_t w;
  net_req_begin(&w, 12, v, ++f->corr, false);
  brk_write_string(&w, group);
  brk_write_i32(&w, gen);
  brk_write_string(&w, member);
  if (v >= 3) brk_write_string(&w, instance);
  gf_send(f, c, &w);
  brk_reader_t *r = gf_recv(f, c);
  if (v >= 1) brk_read_i32(r);
  return brk_read_i16(r);
}

static inline int16_t gf_leave(gf_t *f, int c, const char *group, const char *member) {
  brk_writer_t w;
  net_req_begin(&w, 13, 1, ++f->corr, false);
  brk_write_string(&w, group);
  brk_write_string(&w, member);
  gf_send(f, c, &w);
  brk_reader_t *r = gf_recv(f, c);
  brk_read_i32(r);
  return brk_read_i16(r);
}

#endif
