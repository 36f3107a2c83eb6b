// SPDX-License-Identifier: Apache-2.0
/* SyncGroup (key 14, v0-3; shared/spec/kafka-broker.md §4.2), as Kafka's
 * GroupCoordinator.handleSyncGroup: in CompletingRebalance followers are
 * parked until the leader's SyncGroup delivers every member's assignment;
 * in Stable a member gets its stored assignment back. The assignment bytes
 * are relayed opaquely (ConsumerProtocol, §4.4). */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"

typedef struct sync_req {
  int16_t v;
  char *group, *member_id, *instance_id;
  int32_t generation;
  char **ids;
  brk_slice_t *assign;
  size_t n;
} sync_req_t;

static void reply(brk_resp_t *resp, int16_t v, brk_kerr_t err, const uint8_t *a, int32_t len) {
  brk__sync_write(&resp->w, v, err, a, len);
  brk_resp_finish(resp);
}

static brk_kerr_t check(brk_group_t *g, const sync_req_t *q, brk_gmember_t **out) {
  *out = NULL;
  if (!q->group[0]) return BRK_KERR_INVALID_GROUP_ID;
  if (!g) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (g->state == BRK_GSTATE_DEAD) return BRK_KERR_COORDINATOR_NOT_AVAILABLE;
  if (brk__group_fenced(g, q->member_id, q->instance_id)) return BRK_KERR_FENCED_INSTANCE_ID;
  brk_gmember_t *m = brk__group_member(g, q->member_id);
  if (!m) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (q->generation != g->generation) return BRK_KERR_ILLEGAL_GENERATION;
  if (g->state == BRK_GSTATE_EMPTY) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (g->state == BRK_GSTATE_PREPARING) return BRK_KERR_REBALANCE_IN_PROGRESS;
  *out = m;
  return BRK_KERR_NONE;
}

static void sync_group(brk_groups_t *gs, const sync_req_t *q, brk_resp_t *resp) {
  brk_group_t *g = q->group[0] ? brk__group_find(gs, q->group) : NULL;
  brk_gmember_t *m = NULL;
  brk_kerr_t err = check(g, q, &m);
  if (err != BRK_KERR_NONE) {
    reply(resp, q->v, err, NULL, 0);
    return;
  }
  brk__gmember_touch(m);
  if (g->state == BRK_GSTATE_STABLE) {
    reply(resp, q->v, BRK_KERR_NONE, m->assignment, m->assignment_len);
    return;
  }
  /* CompletingRebalance: wait for the leader (or be it). */
  brk__gmember_park_sync(m, resp, q->v);
  if (g->leader && strcmp(g->leader, m->id) == 0)
    brk__group_set_assignment(g, (const char **)q->ids, q->assign, q->n);
}

static void req_free(sync_req_t *q) {
  for (size_t i = 0; q->ids && i < q->n; i++) free(q->ids[i]);
  free(q->ids);
  free(q->assign);
  free(q->group);
  free(q->member_id);
  free(q->instance_id);
}

static bool read_assignments(brk_reader_t *r, sync_req_t *q) {
  int32_t n = brk_read_array_len(r, 6);
  if (!brk_reader_ok(r)) return false;
  size_t cap = n > 0 ? (size_t)n : 1;
  q->ids = calloc(cap, sizeof *q->ids);
  q->assign = calloc(cap, sizeof *q->assign);
  if (!q->ids || !q->assign) return false;
  for (int32_t i = 0; i < n; i++) {
    brk_slice_t id = brk_read_string(r);
    q->assign[i] = brk_read_bytes(r);
    q->n = (size_t)i + 1;
    if (!brk_reader_ok(r) || !(q->ids[i] = brk__gstr(id))) return false;
  }
  return true;
}

int brk__api_sync_group(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp) {
  sync_req_t q = {.v = h->api_version};
  brk_slice_t group = brk_read_string(r);
  q.generation = brk_read_i32(r);
  brk_slice_t member = brk_read_string(r);
  brk_slice_t instance = q.v >= 3 ? brk_read_string(r) : (brk_slice_t){NULL, -1};
  bool ok = brk_reader_ok(r) && read_assignments(r, &q) && brk_reader_ok(r) && (q.group = brk__gstr(group)) &&
            (q.member_id = brk__gstr(member)) && brk__gstr_nullable(instance, &q.instance_id);
  if (ok) sync_group(b->groups, &q, resp);
  req_free(&q);
  return ok ? 0 : -1;
}
