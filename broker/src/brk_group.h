// SPDX-License-Identifier: Apache-2.0
/* The classic consumer-group coordinator (shared/spec/kafka-broker.md §4):
 * group state machine (Empty, PreparingRebalance, CompletingRebalance,
 * Stable, Dead), members with session and rebalance timeouts on loop timers,
 * static membership, and the assignment relay. Group membership is in memory
 * (clients rejoin after a restart, as with Kafka); committed offsets live in
 * brk_offsets. Loop thread only. */
#ifndef WEIR_BROKER_BRK_GROUP_H
#define WEIR_BROKER_BRK_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "brk_kerr.h"

typedef struct brk_broker brk_broker_t;
typedef struct brk_groups brk_groups_t;

brk_groups_t *brk_groups_new(brk_broker_t *b);
void brk_groups_free(brk_groups_t *g); /* accepts NULL; answers parked joins/syncs first */

/* May this commit go ahead (OffsetCommit / TxnOffsetCommit)? generation -1
 * with an empty member id is a "simple" commit, allowed when the group has
 * no members. Otherwise UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION,
 * REBALANCE_IN_PROGRESS or FENCED_INSTANCE_ID as Kafka answers. */
brk_kerr_t brk_groups_check_commit(brk_groups_t *g, const char *group, const char *member_id, int32_t generation,
                                   const char *group_instance_id);
/* True while the group has members (offsets of active groups never expire). */
bool brk_groups_is_active(brk_groups_t *g, const char *group);
/* Calls fn for every group the coordinator knows, with its member count
 * (metrics). fn must not change the groups. */
void brk_groups_foreach(const brk_groups_t *g, void (*fn)(void *arg, const char *group, size_t members), void *arg);

#endif
