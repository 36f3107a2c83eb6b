// SPDX-License-Identifier: Apache-2.0
/* Tests the group coordinator's membership protocol over loopback
 * connections (brk_group*.c, brk_api_group_join.c, brk_api_group_sync.c,
 * brk_api_group_member.c): the v4+ MEMBER_ID_REQUIRED handshake, parked
 * JoinGroup/SyncGroup responses, leader election and the assignment relay,
 * rebalances on join/leave/rebalance timeout, static membership, and the
 * JoinGroup/Heartbeat error codes (spec §4.2-4.3). */
#include <time.h>

#include "brk_group_fixture.h"

/* A v5 member joining alone: MEMBER_ID_REQUIRED, rejoin, generation 1, sync. */
static void join_alone(gf_t *f, int c, const char *group, gf_join_resp_t *out) {
  gf_join_t j = {.group = group, .protos = {"range", "roundrobin"}, .tag = "a"};
  gf_send_join(f, c, 5, &j);
  gf_read_join(gf_recv(f, c), 5, out);
  assert_int_equal(out->err, BRK_KERR_MEMBER_ID_REQUIRED);
  assert_true(strncmp(out->member_id, "test-", 5) == 0);
  j.member_id = out->member_id;
  char id[128];
  strcpy(id, out->member_id);
  j.member_id = id;
  gf_send_join(f, c, 5, &j);
  gf_read_join(gf_recv(f, c), 5, out);
}

static void test_group_join_v5_requires_member_id_then_completes(void **state) {
  gf_t *f = *state;
  gf_join_resp_t jr;
  join_alone(f, 0, "g1", &jr);
  assert_int_equal(jr.err, 0);
  assert_int_equal(jr.generation, 1);
  assert_string_equal(jr.protocol, "range");
  assert_string_equal(jr.leader, jr.member_id);
  assert_int_equal(jr.n_members, 1);
  assert_string_equal(jr.metas[0], "meta-range-a");
  const char *ids[] = {jr.member_id};
  const char *as[] = {"assignment-a"};
  gf_send_sync(f, 0, 3, "g1", 1, jr.member_id, NULL, 1, ids, as);
  char assign[64];
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 3, assign, sizeof assign), 0);
  assert_string_equal(assign, "assignment-a");
  assert_int_equal(gf_heartbeat(f, 0, 3, "g1", 1, jr.member_id, NULL), 0);
  assert_int_equal(gf_heartbeat(f, 0, 3, "g1", 7, jr.member_id, NULL), BRK_KERR_ILLEGAL_GENERATION);
  assert_int_equal(gf_heartbeat(f, 0, 3, "g1", 1, "nobody", NULL), BRK_KERR_UNKNOWN_MEMBER_ID);
  assert_true(brk_groups_is_active(f->n->b->groups, "g1"));
  assert_int_equal(gf_leave(f, 0, "g1", jr.member_id), 0);
  assert_false(brk_groups_is_active(f->n->b->groups, "g1"));
  assert_int_equal(gf_heartbeat(f, 0, 3, "g1", 2, jr.member_id, NULL), BRK_KERR_UNKNOWN_MEMBER_ID);
}

/* Two v2 members: the second join parks until the first rejoins (told by a
 * heartbeat), the leader gets both members' metadata, the follower's sync
 * parks until the leader's arrives. */
static void test_group_two_members_rebalance_and_relay_assignments(void **state) {
  gf_t *f = *state;
  gf_join_t ja = {.group = "g2", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 2, &ja);
  gf_join_resp_t a, b;
  gf_read_join(gf_recv(f, 0), 2, &a);
  assert_int_equal(a.err, 0);
  assert_int_equal(a.generation, 1);
  const char *ids1[] = {a.member_id};
  const char *as1[] = {"all"};
  gf_send_sync(f, 0, 1, "g2", 1, a.member_id, NULL, 1, ids1, as1);
  char assign[64];
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 1, assign, sizeof assign), 0);

  gf_join_t jb = {.group = "g2", .protos = {"range"}, .tag = "b"};
  gf_send_join(f, 1, 2, &jb);
  assert_int_equal(gf_recv_timeout(f, 1, 100), -2); /* parked */
  assert_int_equal(gf_heartbeat(f, 0, 1, "g2", 1, a.member_id, NULL), BRK_KERR_REBALANCE_IN_PROGRESS);
  ja.member_id = a.member_id;
  gf_send_join(f, 0, 2, &ja);
  gf_read_join(gf_recv(f, 0), 2, &a);
  gf_read_join(gf_recv(f, 1), 2, &b);
  assert_int_equal(a.generation, 2);
  assert_int_equal(b.generation, 2);
  assert_string_equal(a.leader, a.member_id);
  assert_string_equal(b.leader, a.member_id);
  assert_int_equal(a.n_members, 2);
  assert_int_equal(b.n_members, 0);
  assert_string_equal(a.metas[1], "meta-range-b");

  gf_send_sync(f, 1, 1, "g2", 2, b.member_id, NULL, 0, NULL, NULL);
  assert_int_equal(gf_recv_timeout(f, 1, 100), -2);                       /* waits for the leader */
  assert_int_equal(gf_heartbeat(f, 0, 1, "g2", 2, a.member_id, NULL), 0); /* CompletingRebalance */
  const char *ids[] = {a.member_id, b.member_id};
  const char *as[] = {"for-a", "for-b"};
  gf_send_sync(f, 0, 1, "g2", 2, a.member_id, NULL, 2, ids, as);
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 1, assign, sizeof assign), 0);
  assert_string_equal(assign, "for-a");
  assert_int_equal(gf_read_sync(gf_recv(f, 1), 1, assign, sizeof assign), 0);
  assert_string_equal(assign, "for-b");

  /* the leader leaves: b becomes leader of generation 3 once it rejoins */
  assert_int_equal(gf_leave(f, 0, "g2", a.member_id), 0);
  assert_int_equal(gf_heartbeat(f, 1, 1, "g2", 2, b.member_id, NULL), BRK_KERR_REBALANCE_IN_PROGRESS);
  jb.member_id = b.member_id;
  gf_send_join(f, 1, 2, &jb);
  gf_read_join(gf_recv(f, 1), 2, &b);
  assert_int_equal(b.generation, 3);
  assert_string_equal(b.leader, b.member_id);
}

/* A member that does not rejoin within the rebalance timeout is dropped. */
static void test_group_rebalance_timeout_drops_silent_member(void **state) {
  gf_t *f = *state;
  gf_join_t ja = {.group = "g3", .rebalance_ms = 100, .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 2, &ja);
  gf_join_resp_t a, b;
  gf_read_join(gf_recv(f, 0), 2, &a);
  gf_join_t jb = {.group = "g3", .rebalance_ms = 100, .protos = {"range"}, .tag = "b"};
  gf_send_join(f, 1, 2, &jb);
  gf_read_join(gf_recv(f, 1), 2, &b);
  assert_int_equal(b.err, 0);
  assert_int_equal(b.generation, 2);
  assert_string_equal(b.leader, b.member_id);
  assert_int_equal(b.n_members, 1);
  assert_int_equal(gf_heartbeat(f, 0, 1, "g3", 1, a.member_id, NULL), BRK_KERR_UNKNOWN_MEMBER_ID);
}

static void test_group_join_errors(void **state) {
  gf_t *f = *state;
  gf_join_resp_t r;
  gf_join_t j = {.group = "", .protos = {"range"}};
  gf_send_join(f, 0, 5, &j);
  gf_read_join(gf_recv(f, 0), 5, &r);
  assert_int_equal(r.err, BRK_KERR_INVALID_GROUP_ID);
  j = (gf_join_t){.group = "ge", .session_ms = 1000, .protos = {"range"}};
  gf_send_join(f, 0, 5, &j);
  gf_read_join(gf_recv(f, 0), 5, &r);
  assert_int_equal(r.err, BRK_KERR_INVALID_SESSION_TIMEOUT);
  j = (gf_join_t){.group = "ge", .member_id = "ghost", .protos = {"range"}};
  gf_send_join(f, 0, 5, &j);
  gf_read_join(gf_recv(f, 0), 5, &r);
  assert_int_equal(r.err, BRK_KERR_UNKNOWN_MEMBER_ID);
  j = (gf_join_t){.group = "ge", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 1, &j); /* v1: no MEMBER_ID_REQUIRED */
  gf_read_join(gf_recv(f, 0), 1, &r);
  assert_int_equal(r.err, 0);
  j = (gf_join_t){.group = "ge", .protos = {"roundrobin"}};
  gf_send_join(f, 1, 1, &j);
  gf_read_join(gf_recv(f, 1), 1, &r);
  assert_int_equal(r.err, BRK_KERR_INCONSISTENT_GROUP_PROTOCOL);
  j = (gf_join_t){.group = "ge", .protocol_type = "connect", .protos = {"range"}};
  gf_send_join(f, 1, 1, &j);
  gf_read_join(gf_recv(f, 1), 1, &r);
  assert_int_equal(r.err, BRK_KERR_INCONSISTENT_GROUP_PROTOCOL);
}

/* KIP-345: a static member rejoining with an empty id gets a new id and its
 * old assignment without a rebalance; its old id is fenced. */
static void test_group_static_member_rejoins_without_rebalance(void **state) {
  gf_t *f = *state;
  gf_join_t j = {.group = "gs", .instance_id = "inst-1", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 5, &j);
  gf_join_resp_t r1, r2;
  gf_read_join(gf_recv(f, 0), 5, &r1);
  assert_int_equal(r1.err, 0); /* no MEMBER_ID_REQUIRED for static members */
  assert_int_equal(r1.generation, 1);
  const char *ids[] = {r1.member_id};
  const char *as[] = {"mine"};
  gf_send_sync(f, 0, 3, "gs", 1, r1.member_id, "inst-1", 1, ids, as);
  char assign[64];
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 3, assign, sizeof assign), 0);

  gf_send_join(f, 1, 5, &j); /* restarted process, same instance id */
  gf_read_join(gf_recv(f, 1), 5, &r2);
  assert_int_equal(r2.err, 0);
  assert_int_equal(r2.generation, 1);
  assert_string_not_equal(r2.member_id, r1.member_id);
  assert_string_equal(r2.leader, r1.member_id); /* old id: do not re-assign */
  gf_send_sync(f, 1, 3, "gs", 1, r2.member_id, "inst-1", 0, NULL, NULL);
  assert_int_equal(gf_read_sync(gf_recv(f, 1), 3, assign, sizeof assign), 0);
  assert_string_equal(assign, "mine");
  assert_int_equal(gf_heartbeat(f, 0, 3, "gs", 1, r1.member_id, "inst-1"), BRK_KERR_FENCED_INSTANCE_ID);
  assert_int_equal(gf_heartbeat(f, 1, 3, "gs", 1, r2.member_id, "inst-1"), 0);
  assert_int_equal(brk_groups_check_commit(f->n->b->groups, "gs", r1.member_id, 1, "inst-1"),
                   BRK_KERR_FENCED_INSTANCE_ID);
  assert_int_equal(brk_groups_check_commit(f->n->b->groups, "gs", r2.member_id, 1, "inst-1"), BRK_KERR_NONE);
}

/* A connection closing while its JoinGroup is parked cancels the response;
 * the member stays until its session expires. */
static void test_group_parked_join_survives_connection_close(void **state) {
  gf_t *f = *state;
  gf_join_t ja = {.group = "gc", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 2, &ja);
  gf_join_resp_t a;
  gf_read_join(gf_recv(f, 0), 2, &a);
  gf_join_t jb = {.group = "gc", .protos = {"range"}, .tag = "b"};
  gf_send_join(f, 2, 2, &jb);
  assert_int_equal(gf_recv_timeout(f, 2, 60), -2);
  close(f->cl[2].fd);
  f->cl[2].fd = -1;
  gf_run(f, 50);
  ja.member_id = a.member_id;
  gf_send_join(f, 0, 2, &ja);
  gf_read_join(gf_recv(f, 0), 2, &a);
  assert_int_equal(a.generation, 2);
  assert_int_equal(a.n_members, 2);
}

static void test_group_check_commit_rules(void **state) {
  gf_t *f = *state;
  brk_groups_t *gs = f->n->b->groups;
  assert_int_equal(brk_groups_check_commit(gs, "simple", "", -1, NULL), BRK_KERR_NONE);
  assert_int_equal(brk_groups_check_commit(gs, "simple", "", 3, NULL), BRK_KERR_ILLEGAL_GENERATION);
  gf_join_t j = {.group = "gk", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 2, &j);
  gf_join_resp_t r;
  gf_read_join(gf_recv(f, 0), 2, &r);
  assert_int_equal(brk_groups_check_commit(gs, "gk", "", -1, NULL), BRK_KERR_UNKNOWN_MEMBER_ID);
  assert_int_equal(brk_groups_check_commit(gs, "gk", r.member_id, 1, NULL), BRK_KERR_REBALANCE_IN_PROGRESS);
  const char *ids[] = {r.member_id};
  const char *as[] = {"x"};
  gf_send_sync(f, 0, 1, "gk", 1, r.member_id, NULL, 1, ids, as);
  char assign[8];
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 1, assign, sizeof assign), 0);
  assert_int_equal(brk_groups_check_commit(gs, "gk", r.member_id, 1, NULL), BRK_KERR_NONE);
  assert_int_equal(brk_groups_check_commit(gs, "gk", r.member_id, 0, NULL), BRK_KERR_ILLEGAL_GENERATION);
}

/* group.initial.rebalance.delay.ms: the first rebalance of a group forming
 * from Empty is held for the delay even though its only member has joined. */
static void initial_delay_300ms(brk_config_t *cfg) { cfg->group_initial_rebalance_delay_ms = 300; }
static int gf_setup_initial_delay(void **state) { return gf_setup_with(state, initial_delay_300ms); }

static void test_group_first_rebalance_waits_for_the_initial_delay(void **state) {
  gf_t *f = *state;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  gf_join_resp_t jr;
  join_alone(f, 0, "gdelay", &jr);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  assert_int_equal(jr.err, 0);
  assert_int_equal(jr.generation, 1);
  int64_t waited_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  assert_true(waited_ms >= 290);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_group_first_rebalance_waits_for_the_initial_delay,
                                      gf_setup_initial_delay, gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_join_v5_requires_member_id_then_completes, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_two_members_rebalance_and_relay_assignments, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_rebalance_timeout_drops_silent_member, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_join_errors, gf_setup, gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_static_member_rejoins_without_rebalance, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_parked_join_survives_connection_close, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_group_check_commit_rules, gf_setup, gf_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
