// SPDX-License-Identifier: Apache-2.0
/* Committed consumer offsets: the durable map (group, topic, partition) ->
 * (offset, leader epoch, metadata, commit time) behind OffsetCommit,
 * OffsetFetch, TxnOffsetCommit and DeleteGroups. Stored under
 * <data_dir>/broker/ (its own log with periodic compaction, recovered on open;
 * a torn tail is dropped, acknowledged commits never are) and expired per
 * offsets.retention.minutes for groups without members. Loop thread only. */
#ifndef WEIR_BROKER_BRK_OFFSETS_H
#define WEIR_BROKER_BRK_OFFSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brk_kerr.h"

typedef struct brk_offsets brk_offsets_t;

/* Opens (recovering) the offsets store in dir. NULL + errbuf on failure. */
brk_offsets_t *brk_offsets_open(const char *dir, int64_t retention_ms, char *errbuf, size_t errbuf_len);
void brk_offsets_close(brk_offsets_t *o); /* accepts NULL */

typedef struct brk_offset_commit {
  const char *topic;
  int32_t partition;
  int64_t offset;
  int32_t leader_epoch;  /* -1 if unknown */
  const char *metadata;  /* may be NULL */
  brk_kerr_t result;     /* out: per-partition result */
} brk_offset_commit_t;

/* Commits items for group in ONE durable write (fsync before return):
 * OFFSET_METADATA_TOO_LARGE per item when metadata is over the limit, else
 * NONE. Returns KAFKA_STORAGE_ERROR if the write failed (nothing committed). */
brk_kerr_t brk_offsets_commit(brk_offsets_t *o, const char *group, brk_offset_commit_t *items, size_t n,
                              int64_t now_ms);

typedef struct brk_committed {
  int64_t offset;       /* -1 when nothing is committed */
  int32_t leader_epoch;
  const char *metadata; /* borrowed, valid until the next change; "" if none */
  int64_t commit_ms;
} brk_committed_t;

/* The committed offset of one partition (offset -1 if none). */
void brk_offsets_get(const brk_offsets_t *o, const char *group, const char *topic, int32_t partition,
                     brk_committed_t *out);
/* Calls fn for every committed partition of group (OffsetFetch with null
 * topics, weir groups describe). */
void brk_offsets_foreach(const brk_offsets_t *o, const char *group,
                         void (*fn)(void *arg, const char *topic, int32_t partition, const brk_committed_t *c),
                         void *arg);
/* True if the group has any committed offset. */
bool brk_offsets_has_group(const brk_offsets_t *o, const char *group);
/* Calls fn for every group that has committed offsets (ListGroups). */
void brk_offsets_foreach_group(const brk_offsets_t *o, void (*fn)(void *arg, const char *group), void *arg);
/* Removes all of a group's offsets, durably. */
brk_kerr_t brk_offsets_delete_group(brk_offsets_t *o, const char *group);
/* Drops offsets older than the retention of groups for which is_active
 * returns false. Call periodically. */
void brk_offsets_expire(brk_offsets_t *o, int64_t now_ms, bool (*is_active)(void *arg, const char *group),
                        void *arg);

/* brk_offsets_commit for OffsetCommit v2-4 with retention_time_ms != -1:
 * the items expire at expire_ms (once their group has no members) instead
 * of after offsets.retention.minutes. expire_ms -1 = the default. */
brk_kerr_t brk_offsets_commit_expiring(brk_offsets_t *o, const char *group, brk_offset_commit_t *items, size_t n,
                                       int64_t now_ms, int64_t expire_ms);

typedef struct brk_broker brk_broker_t;
/* Expires the broker's offsets of groups without members (uses
 * brk_groups_is_active). Call from the broker's periodic retention tick. */
void brk_offsets_tick(brk_broker_t *b, int64_t now_ms);

#endif
