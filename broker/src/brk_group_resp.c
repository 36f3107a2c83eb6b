// SPDX-License-Identifier: Apache-2.0
/* JoinGroup (key 11, v0-5) and SyncGroup (key 14, v0-3) response bodies and
 * the parked responses behind them: a member's JoinGroup waits until the
 * rebalance completes, a follower's SyncGroup until the leader's arrives.
 * A parked response whose connection closes is cancelled (the member stays
 * until its session expires, as with Kafka). */
#include <stdlib.h>

#include "brk_group_int.h"

void brk__join_write(brk_writer_t *w, int16_t v, const brk_group_t *g, const brk_join_result_t *res) {
  if (v >= 2) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)res->err);
  brk_write_i32(w, res->generation);
  brk_write_string(w, res->protocol ? res->protocol : "");
  brk_write_string(w, res->leader ? res->leader : "");
  brk_write_string(w, res->member_id ? res->member_id : "");
  if (!res->with_members || !g) {
    brk_write_i32(w, 0);
    return;
  }
  brk_write_i32(w, (int32_t)g->n_members);
  for (size_t i = 0; i < g->n_members; i++) {
    const brk_gmember_t *m = g->members[i];
    const brk_gproto_t *p = brk__gmember_proto(m, res->protocol);
    brk_write_string(w, m->id);
    if (v >= 5) brk_write_string(w, m->instance_id);
    brk_write_bytes(w, p ? p->meta : NULL, p ? p->meta_len : 0);
  }
}

void brk__sync_write(brk_writer_t *w, int16_t v, brk_kerr_t err, const uint8_t *assign, int32_t len) {
  if (v >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)err);
  brk_write_bytes(w, err == BRK_KERR_NONE ? assign : NULL, err == BRK_KERR_NONE && assign ? len : 0);
}

static void join_cancel(void *arg) {
  brk_gmember_t *m = arg;
  m->join_resp = NULL;
}

static void sync_cancel(void *arg) {
  brk_gmember_t *m = arg;
  m->sync_resp = NULL;
}

void brk__gmember_park_join(brk_gmember_t *m, brk_resp_t *resp, int16_t v) {
  brk_join_result_t res = {.err = BRK_KERR_REBALANCE_IN_PROGRESS, .generation = -1, .member_id = m->id};
  brk__gmember_answer_join(m, &res); /* a retried JoinGroup replaces the older one */
  m->join_resp = resp;
  m->join_version = v;
  resp->cancel = join_cancel;
  resp->cancel_arg = m;
}

void brk__gmember_park_sync(brk_gmember_t *m, brk_resp_t *resp, int16_t v) {
  brk__gmember_answer_sync(m, BRK_KERR_REBALANCE_IN_PROGRESS);
  m->sync_resp = resp;
  m->sync_version = v;
  resp->cancel = sync_cancel;
  resp->cancel_arg = m;
}

void brk__gmember_answer_join(brk_gmember_t *m, const brk_join_result_t *res) {
  brk_resp_t *resp = m->join_resp;
  if (!resp) return;
  m->join_resp = NULL;
  resp->cancel = NULL;
  resp->cancel_arg = NULL;
  brk__join_write(&resp->w, m->join_version, m->g, res);
  brk_resp_finish(resp);
}

void brk__gmember_answer_sync(brk_gmember_t *m, brk_kerr_t err) {
  brk_resp_t *resp = m->sync_resp;
  if (!resp) return;
  m->sync_resp = NULL;
  resp->cancel = NULL;
  resp->cancel_arg = NULL;
  brk__sync_write(&resp->w, m->sync_version, err, m->assignment, m->assignment_len);
  brk_resp_finish(resp);
}
