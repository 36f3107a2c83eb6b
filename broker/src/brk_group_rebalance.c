// SPDX-License-Identifier: Apache-2.0
/* The classic group state machine (shared/spec/kafka-broker.md §4.1-4.2, as
 * Kafka's GroupCoordinator): PreparingRebalance collects JoinGroups until
 * every member rejoined or the rebalance timeout fired, then the generation
 * is bumped, a protocol chosen and the parked JoinGroups answered
 * (CompletingRebalance); the leader's SyncGroup stores the assignments and
 * answers every parked SyncGroup (Stable). Departures (leave, session
 * expiry) trigger a new rebalance. Request decoding is not done here. */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"
#include "log/log.h"

static bool all_support(const brk_group_t *g, const char *name) {
  for (size_t i = 0; i < g->n_members; i++)
    if (!brk__gmember_proto(g->members[i], name)) return false;
  return true;
}

bool brk__group_supports(const brk_group_t *g, const char *protocol_type, const brk_gproto_t *protos,
                         size_t n) {
  if (n == 0 || !protocol_type || !protocol_type[0]) return false;
  if (g->n_members == 0) return true;
  if (!g->protocol_type || strcmp(g->protocol_type, protocol_type) != 0) return false;
  for (size_t i = 0; i < n; i++)
    if (all_support(g, protos[i].name)) return true;
  return false;
}

/* Among protocols every member supports, each member votes for the first
 * of its own list; most votes wins (ties: the first member's order). */
const char *brk__group_select_protocol(const brk_group_t *g) {
  const brk_gmember_t *first = g->members[0];
  const char *best = NULL;
  size_t best_votes = 0;
  for (size_t c = 0; c < first->n_protos; c++) {
    const char *cand = first->protos[c].name;
    if (!all_support(g, cand)) continue;
    size_t votes = 0;
    for (size_t i = 0; i < g->n_members; i++) {
      const brk_gmember_t *m = g->members[i];
      for (size_t k = 0; k < m->n_protos; k++) {
        if (!all_support(g, m->protos[k].name)) continue;
        if (strcmp(m->protos[k].name, cand) == 0) votes++;
        break;
      }
    }
    if (!best || votes > best_votes) {
      best = cand;
      best_votes = votes;
    }
  }
  return best;
}

/* The leader must be a member that rejoined; keep it if it did. */
static void elect_joined_leader(brk_group_t *g) {
  brk_gmember_t *leader = g->leader ? brk__group_member(g, g->leader) : NULL;
  if (leader && leader->awaiting_join) return;
  for (size_t i = 0; i < g->n_members; i++) {
    if (!g->members[i]->awaiting_join) continue;
    char *id = strdup(g->members[i]->id);
    if (!id) return;
    free(g->leader);
    g->leader = id;
    return;
  }
}

static void answer_joins(brk_group_t *g) {
  for (size_t i = 0; i < g->n_members; i++) {
    brk_gmember_t *m = g->members[i];
    if (!m->awaiting_join) continue;
    m->awaiting_join = false;
    brk_join_result_t res = {.err = BRK_KERR_NONE,
                             .generation = g->generation,
                             .protocol = g->protocol,
                             .leader = g->leader,
                             .member_id = m->id,
                             .with_members = g->leader && strcmp(g->leader, m->id) == 0};
    brk__gmember_answer_join(m, &res);
    brk__gmember_touch(m);
  }
}

/* Kafka's onCompleteJoin: drops dynamic members that did not rejoin, starts
 * the next generation and answers the parked JoinGroups. */
static void complete_join(brk_group_t *g) {
  brk_timer_stop(g->gs->b->loop, &g->join_timer);
  for (size_t i = g->n_members; i-- > 0;) {
    brk_gmember_t *m = g->members[i];
    if (!m->awaiting_join && !m->instance_id) brk__group_drop_member(g, m, BRK_KERR_UNKNOWN_MEMBER_ID);
  }
  g->generation++;
  free(g->protocol);
  g->protocol = NULL;
  if (g->n_members == 0) {
    g->state = BRK_GSTATE_EMPTY;
    log_info("broker", "group \"%s\" is empty (generation %d)", g->id, g->generation);
    return;
  }
  elect_joined_leader(g);
  const char *p = brk__group_select_protocol(g);
  g->protocol = p ? strdup(p) : NULL;
  g->state = BRK_GSTATE_COMPLETING;
  log_info("broker", "group \"%s\" generation %d: %zu members, protocol %s, leader %s", g->id, g->generation,
           g->n_members, g->protocol ? g->protocol : "?", g->leader ? g->leader : "?");
  answer_joins(g);
}

static void join_timeout(void *arg) {
  brk_group_t *g = arg;
  if (g->state == BRK_GSTATE_PREPARING) complete_join(g);
}

void brk__group_try_complete_join(brk_group_t *g) {
  if (g->state != BRK_GSTATE_PREPARING || g->pending || brk_now_ms() < g->join_not_before) return;
  for (size_t i = 0; i < g->n_members; i++)
    if (!g->members[i]->awaiting_join) return;
  complete_join(g);
}

/* End of a new group's initial delay: complete if everyone has joined,
 * else keep waiting until the rebalance timeout (join_until). */
static void initial_delay_done(void *arg) {
  brk_group_t *g = arg;
  if (g->state != BRK_GSTATE_PREPARING) return;
  brk__group_try_complete_join(g);
  if (g->state == BRK_GSTATE_PREPARING)
    brk_timer_start(g->gs->b->loop, &g->join_timer, g->join_until, join_timeout, g);
}

static void prepare_rebalance(brk_group_t *g) {
  /* Kafka's group.initial.rebalance.delay.ms: a group forming from Empty
   * waits a little so that consumers starting together join one generation. */
  bool initial = g->state == BRK_GSTATE_EMPTY;
  if (g->state == BRK_GSTATE_COMPLETING) {
    for (size_t i = 0; i < g->n_members; i++) {
      brk_gmember_t *m = g->members[i];
      brk__gmember_answer_sync(m, BRK_KERR_REBALANCE_IN_PROGRESS);
      free(m->assignment);
      m->assignment = NULL;
      m->assignment_len = 0;
    }
  }
  int32_t timeout = 0;
  for (size_t i = 0; i < g->n_members; i++)
    if (g->members[i]->rebalance_ms > timeout) timeout = g->members[i]->rebalance_ms;
  g->state = BRK_GSTATE_PREPARING;
  int64_t now = brk_now_ms();
  int64_t delay = initial ? g->gs->b->cfg.group_initial_rebalance_delay_ms : 0;
  if (delay > timeout) delay = timeout;
  g->join_not_before = now + delay;
  g->join_until = now + timeout;
  if (delay > 0)
    brk_timer_start(g->gs->b->loop, &g->join_timer, g->join_not_before, initial_delay_done, g);
  else
    brk_timer_start(g->gs->b->loop, &g->join_timer, g->join_until, join_timeout, g);
  brk__group_try_complete_join(g);
}

void brk__group_maybe_rebalance(brk_group_t *g) {
  if (g->state == BRK_GSTATE_STABLE || g->state == BRK_GSTATE_COMPLETING || g->state == BRK_GSTATE_EMPTY)
    prepare_rebalance(g);
}

void brk__group_remove_member(brk_group_t *g, brk_gmember_t *m, brk_kerr_t err) {
  brk__group_drop_member(g, m, err);
  switch (g->state) {
    case BRK_GSTATE_STABLE:
    case BRK_GSTATE_COMPLETING:
      brk__group_maybe_rebalance(g);
      break;
    case BRK_GSTATE_PREPARING:
      brk__group_try_complete_join(g);
      break;
    case BRK_GSTATE_EMPTY:
    case BRK_GSTATE_DEAD:
      break;
  }
}

static bool store_assignment(brk_gmember_t *m, const brk_slice_t *a) {
  free(m->assignment);
  m->assignment = NULL;
  m->assignment_len = 0;
  if (!a || a->len <= 0) return true;
  if (!(m->assignment = malloc((size_t)a->len))) return false;
  memcpy(m->assignment, a->ptr, (size_t)a->len);
  m->assignment_len = a->len;
  return true;
}

void brk__group_set_assignment(brk_group_t *g, const char **ids, const brk_slice_t *assign, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < g->n_members; i++) {
    brk_gmember_t *m = g->members[i];
    const brk_slice_t *a = NULL;
    for (size_t k = 0; k < n && !a; k++)
      if (strcmp(ids[k], m->id) == 0) a = &assign[k];
    ok = store_assignment(m, a) && ok;
  }
  brk_kerr_t err = ok ? BRK_KERR_NONE : BRK_KERR_UNKNOWN_SERVER_ERROR;
  for (size_t i = 0; i < g->n_members; i++) brk__gmember_answer_sync(g->members[i], err);
  if (ok) {
    g->state = BRK_GSTATE_STABLE;
  } else {
    prepare_rebalance(g);
  }
}

void brk__gmember_expire(void *arg) {
  brk_gmember_t *m = arg;
  if (m->join_resp || m->sync_resp) { /* parked: kept alive until answered */
    brk__gmember_touch(m);
    return;
  }
  brk_group_t *g = m->g;
  log_info("broker", "group \"%s\": member %s session expired", g->id, m->id);
  brk__group_remove_member(g, m, BRK_KERR_UNKNOWN_MEMBER_ID);
}
