// SPDX-License-Identifier: Apache-2.0
/* Tests brk_api_group_admin.c: FindCoordinator v0/v2 (group and
 * transaction keys answer this node), DescribeGroups v0/v4 (state names,
 * protocol, member metadata and assignment, unknown = Dead, offsets-only =
 * Empty), ListGroups (members' groups and offsets-only groups) and
 * DeleteGroups (NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, offsets removed). */
#include "brk_group_fixture.h"

static void test_find_coordinator_answers_this_node(void **state) {
  gf_t *f = *state;
  for (int16_t v = 0; v <= 2; v++) {
    brk_writer_t w;
    net_req_begin(&w, 10, v, 1, false);
    brk_write_string(&w, "any-group");
    if (v >= 1) brk_write_i8(&w, v == 2 ? 1 : 0);
    gf_send(f, 0, &w);
    brk_reader_t *r = gf_recv(f, 0);
    if (v >= 1) assert_int_equal(brk_read_i32(r), 0);
    assert_int_equal(brk_read_i16(r), 0);
    if (v >= 1) assert_int_equal(brk_read_string(r).len, -1);
    assert_int_equal(brk_read_i32(r), f->n->b->cfg.node_id);
    char host[64];
    gf_str(r, host, sizeof host);
    assert_string_equal(host, f->n->b->advertised_host);
    assert_int_equal(brk_read_i32(r), f->n->b->port);
    assert_int_equal(brk_reader_remaining(r), 0);
  }
}

/* One Stable member in group "gd" with assignment "asg". */
static void make_stable_group(gf_t *f, char *member_id) {
  gf_join_t j = {.group = "gd", .instance_id = "i1", .protos = {"range"}, .tag = "a"};
  gf_send_join(f, 0, 5, &j);
  gf_join_resp_t r;
  gf_read_join(gf_recv(f, 0), 5, &r);
  strcpy(member_id, r.member_id);
  const char *ids[] = {r.member_id};
  const char *as[] = {"asg"};
  gf_send_sync(f, 0, 3, "gd", 1, r.member_id, NULL, 1, ids, as);
  char assign[8];
  assert_int_equal(gf_read_sync(gf_recv(f, 0), 3, assign, sizeof assign), 0);
}

static void send_describe(gf_t *f, int16_t v, const char *g1, const char *g2) {
  brk_writer_t w;
  net_req_begin(&w, 15, v, 2, false);
  brk_write_i32(&w, 2);
  brk_write_string(&w, g1);
  brk_write_string(&w, g2);
  if (v >= 3) brk_write_i8(&w, 0);
  gf_send(f, 0, &w);
}

static void test_describe_groups_shows_members_and_dead_groups(void **state) {
  gf_t *f = *state;
  char mid[128];
  make_stable_group(f, mid);
  send_describe(f, 4, "gd", "nope");
  brk_reader_t *r = gf_recv(f, 0);
  char s[128];
  assert_int_equal(brk_read_i32(r), 0);
  assert_int_equal(brk_read_i32(r), 2);
  assert_int_equal(brk_read_i16(r), 0);
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "gd");
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "Stable");
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "consumer");
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "range");
  assert_int_equal(brk_read_i32(r), 1);
  gf_str(r, s, sizeof s);
  assert_string_equal(s, mid);
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "i1");
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "test");
  brk_read_string(r); /* client host */
  brk_slice_t meta = brk_read_bytes(r);
  assert_int_equal(meta.len, (int32_t)strlen("meta-range-a"));
  brk_slice_t asg = brk_read_bytes(r);
  assert_int_equal(asg.len, 3);
  assert_memory_equal(asg.ptr, "asg", 3);
  assert_int_equal(brk_read_i32(r), INT32_MIN);
  assert_int_equal(brk_read_i16(r), 0);
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "nope");
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "Dead");
  brk_read_string(r);
  brk_read_string(r);
  assert_int_equal(brk_read_i32(r), 0);
  assert_int_equal(brk_read_i32(r), INT32_MIN);
  assert_true(brk_reader_ok(r));
  assert_int_equal(brk_reader_remaining(r), 0);

  send_describe(f, 0, "gd", "");
  r = gf_recv(f, 0);
  assert_int_equal(brk_read_i32(r), 2);
  assert_int_equal(brk_read_i16(r), 0);
  brk_read_string(r), brk_read_string(r), brk_read_string(r), brk_read_string(r);
  assert_int_equal(brk_read_i32(r), 1);
  for (int i = 0; i < 3; i++) brk_read_string(r); /* no instance id in v0 */
  brk_read_bytes(r), brk_read_bytes(r);
  assert_int_equal(brk_read_i16(r), BRK_KERR_INVALID_GROUP_ID);
}

static int16_t delete_group(gf_t *f, const char *g) {
  brk_writer_t w;
  net_req_begin(&w, 42, 1, 3, false);
  brk_write_i32(&w, 1);
  brk_write_string(&w, g);
  gf_send(f, 0, &w);
  brk_reader_t *r = gf_recv(f, 0);
  assert_int_equal(brk_read_i32(r), 0);
  assert_int_equal(brk_read_i32(r), 1);
  char s[64];
  gf_str(r, s, sizeof s);
  assert_string_equal(s, g);
  return brk_read_i16(r);
}

/* Lists groups; returns how many, and whether "want" was listed. */
static int list_groups(gf_t *f, const char *want, bool *found) {
  brk_writer_t w;
  net_req_begin(&w, 16, 2, 4, false);
  gf_send(f, 0, &w);
  brk_reader_t *r = gf_recv(f, 0);
  assert_int_equal(brk_read_i32(r), 0);
  assert_int_equal(brk_read_i16(r), 0);
  int n = brk_read_array_len(r, 4);
  *found = false;
  for (int i = 0; i < n; i++) {
    char s[64];
    gf_str(r, s, sizeof s);
    if (strcmp(s, want) == 0) *found = true;
    brk_read_string(r);
  }
  assert_int_equal(brk_reader_remaining(r), 0);
  return n;
}

static void test_list_and_delete_groups(void **state) {
  gf_t *f = *state;
  char mid[128];
  make_stable_group(f, mid);
  brk_offset_commit_t c = {.topic = "t", .partition = 0, .offset = 5, .leader_epoch = -1};
  assert_int_equal(brk_offsets_commit(f->n->b->offsets, "offsets-only", &c, 1, 1000), 0);
  bool found;
  assert_int_equal(list_groups(f, "offsets-only", &found), 2);
  assert_true(found);
  list_groups(f, "gd", &found);
  assert_true(found);

  send_describe(f, 2, "offsets-only", "x");
  brk_reader_t *r = gf_recv(f, 0);
  brk_read_i32(r), brk_read_i32(r), brk_read_i16(r), brk_read_string(r);
  char s[64];
  gf_str(r, s, sizeof s);
  assert_string_equal(s, "Empty");

  assert_int_equal(delete_group(f, "gd"), BRK_KERR_NON_EMPTY_GROUP);
  assert_int_equal(delete_group(f, "unknown"), BRK_KERR_GROUP_ID_NOT_FOUND);
  assert_int_equal(delete_group(f, "offsets-only"), 0);
  assert_false(brk_offsets_has_group(f->n->b->offsets, "offsets-only"));
  assert_int_equal(gf_leave(f, 0, "gd", mid), 0);
  assert_int_equal(delete_group(f, "gd"), 0);
  assert_int_equal(list_groups(f, "gd", &found), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_find_coordinator_answers_this_node, gf_setup, gf_teardown),
      cmocka_unit_test_setup_teardown(test_describe_groups_shows_members_and_dead_groups, gf_setup,
                                      gf_teardown),
      cmocka_unit_test_setup_teardown(test_list_and_delete_groups, gf_setup, gf_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
