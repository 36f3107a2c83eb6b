// SPDX-License-Identifier: Apache-2.0
/* Heartbeat (key 12, v0-3) and LeaveGroup (key 13, v0-1), as Kafka's
 * GroupCoordinator.handleHeartbeat / handleLeaveGroup (shared/spec/
 * kafka-broker.md §4.2): a heartbeat keeps a member's session alive and
 * tells it to rejoin while the group rebalances; a leave removes the member
 * and rebalances the rest. */
#include <stdlib.h>

#include "brk_group_int.h"

static brk_kerr_t heartbeat(brk_groups_t *gs, const char *group, const char *member_id, int32_t generation,
                            const char *instance_id) {
  if (!group[0]) return BRK_KERR_INVALID_GROUP_ID;
  brk_group_t *g = brk__group_find(gs, group);
  if (!g) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (g->state == BRK_GSTATE_DEAD) return BRK_KERR_COORDINATOR_NOT_AVAILABLE;
  if (g->state == BRK_GSTATE_EMPTY) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (brk__group_fenced(g, member_id, instance_id)) return BRK_KERR_FENCED_INSTANCE_ID;
  brk_gmember_t *m = brk__group_member(g, member_id);
  if (!m) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (generation != g->generation) return BRK_KERR_ILLEGAL_GENERATION;
  brk__gmember_touch(m);
  return g->state == BRK_GSTATE_PREPARING ? BRK_KERR_REBALANCE_IN_PROGRESS : BRK_KERR_NONE;
}

int brk__api_heartbeat(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  brk_slice_t group = brk_read_string(r);
  int32_t generation = brk_read_i32(r);
  brk_slice_t member = brk_read_string(r);
  brk_slice_t instance = h->api_version >= 3 ? brk_read_string(r) : (brk_slice_t){NULL, -1};
  if (!brk_reader_ok(r)) return -1;
  char *g = brk__gstr(group), *m = brk__gstr(member), *inst = NULL;
  bool ok = g && m && brk__gstr_nullable(instance, &inst);
  if (ok) {
    brk_kerr_t err = heartbeat(b->groups, g, m, generation, inst);
    if (h->api_version >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
    brk_write_i16(w, (int16_t)err);
  }
  free(g);
  free(m);
  free(inst);
  return ok ? 0 : -1;
}

static brk_kerr_t leave(brk_groups_t *gs, const char *group, const char *member_id) {
  if (!group[0]) return BRK_KERR_INVALID_GROUP_ID;
  brk_group_t *g = brk__group_find(gs, group);
  if (!g) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (g->state == BRK_GSTATE_DEAD) return BRK_KERR_COORDINATOR_NOT_AVAILABLE;
  if (brk__group_is_pending(g, member_id)) {
    brk__group_del_pending(g, member_id);
    brk__group_try_complete_join(g);
    return BRK_KERR_NONE;
  }
  brk_gmember_t *m = brk__group_member(g, member_id);
  if (!m) return BRK_KERR_UNKNOWN_MEMBER_ID;
  brk__group_remove_member(g, m, BRK_KERR_UNKNOWN_MEMBER_ID);
  return BRK_KERR_NONE;
}

int brk__api_leave_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  brk_slice_t group = brk_read_string(r);
  brk_slice_t member = brk_read_string(r);
  if (!brk_reader_ok(r)) return -1;
  char *g = brk__gstr(group), *m = brk__gstr(member);
  bool ok = g && m;
  if (ok) {
    brk_kerr_t err = leave(b->groups, g, m);
    if (h->api_version >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
    brk_write_i16(w, (int16_t)err);
  }
  free(g);
  free(m);
  return ok ? 0 : -1;
}
