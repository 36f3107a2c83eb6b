// SPDX-License-Identifier: Apache-2.0
/* The group coordinator's registry (shared/spec/kafka-broker.md §4): the
 * in-memory list of groups, their lifecycle, and the questions other areas
 * ask (may an OffsetCommit go ahead, is a group active). Membership, the
 * state machine and the wire handlers live in brk_group_member.c,
 * brk_group_rebalance.c and brk_api_group_*.c. Nothing here is persisted:
 * clients rejoin after a restart, as with Kafka. */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"

brk_groups_t *brk_groups_new(brk_broker_t *b) {
  brk_groups_t *gs = calloc(1, sizeof *gs);
  if (gs) gs->b = b;
  return gs;
}

static void group_free(brk_group_t *g, brk_kerr_t err) {
  brk_broker_t *b = g->gs->b;
  while (g->n_members > 0) brk__group_drop_member(g, g->members[g->n_members - 1], err);
  while (g->pending) brk__group_del_pending(g, g->pending->id);
  brk_timer_stop(b->loop, &g->join_timer);
  free(g->members);
  free(g->id);
  free(g->protocol_type);
  free(g->protocol);
  free(g->leader);
  free(g);
}

void brk_groups_free(brk_groups_t *gs) {
  if (!gs) return;
  while (gs->head) {
    brk_group_t *g = gs->head;
    gs->head = g->next;
    group_free(g, BRK_KERR_NOT_COORDINATOR); /* the clients look for the coordinator again */
  }
  free(gs);
}

brk_group_t *brk__group_find(brk_groups_t *gs, const char *id) {
  for (brk_group_t *g = gs->head; g; g = g->next)
    if (strcmp(g->id, id) == 0) return g;
  return NULL;
}

brk_group_t *brk__group_get_or_create(brk_groups_t *gs, const char *id) {
  brk_group_t *g = brk__group_find(gs, id);
  if (g) return g;
  if (!(g = calloc(1, sizeof *g)) || !(g->id = strdup(id))) {
    free(g);
    return NULL;
  }
  g->gs = gs;
  g->state = BRK_GSTATE_EMPTY;
  g->next = gs->head;
  gs->head = g;
  return g;
}

void brk__group_remove(brk_groups_t *gs, brk_group_t *g) {
  for (brk_group_t **pp = &gs->head; *pp; pp = &(*pp)->next) {
    if (*pp == g) {
      *pp = g->next;
      break;
    }
  }
  g->state = BRK_GSTATE_DEAD;
  group_free(g, BRK_KERR_COORDINATOR_NOT_AVAILABLE);
}

const char *brk__group_state_name(brk_gstate_t s) {
  switch (s) {
    case BRK_GSTATE_EMPTY:
      return "Empty";
    case BRK_GSTATE_PREPARING:
      return "PreparingRebalance";
    case BRK_GSTATE_COMPLETING:
      return "CompletingRebalance";
    case BRK_GSTATE_STABLE:
      return "Stable";
    case BRK_GSTATE_DEAD:
      return "Dead";
  }
  return "Dead";
}

/* Kafka's GroupCoordinator.handleCommitOffsets / doCommitOffsets checks. */
brk_kerr_t brk_groups_check_commit(brk_groups_t *gs, const char *group, const char *member_id,
                                   int32_t generation, const char *group_instance_id) {
  if (!group || !group[0]) return BRK_KERR_INVALID_GROUP_ID;
  brk_group_t *g = brk__group_find(gs, group);
  if (!g) return generation < 0 ? BRK_KERR_NONE : BRK_KERR_ILLEGAL_GENERATION;
  if (g->state == BRK_GSTATE_DEAD) return BRK_KERR_COORDINATOR_NOT_AVAILABLE;
  if (brk__group_fenced(g, member_id, group_instance_id)) return BRK_KERR_FENCED_INSTANCE_ID;
  if (generation < 0 && g->state == BRK_GSTATE_EMPTY) return BRK_KERR_NONE;
  brk_gmember_t *m = member_id ? brk__group_member(g, member_id) : NULL;
  if (!m) return BRK_KERR_UNKNOWN_MEMBER_ID;
  if (generation != g->generation) return BRK_KERR_ILLEGAL_GENERATION;
  if (g->state == BRK_GSTATE_COMPLETING) return BRK_KERR_REBALANCE_IN_PROGRESS;
  brk__gmember_touch(m);
  return BRK_KERR_NONE;
}

bool brk_groups_is_active(brk_groups_t *gs, const char *group) {
  brk_group_t *g = gs && group ? brk__group_find(gs, group) : NULL;
  return g && g->n_members > 0;
}

void brk_groups_foreach(const brk_groups_t *gs, void (*fn)(void *arg, const char *group, size_t members),
                        void *arg) {
  for (const brk_group_t *g = gs ? gs->head : NULL; g; g = g->next) fn(arg, g->id, g->n_members);
}
