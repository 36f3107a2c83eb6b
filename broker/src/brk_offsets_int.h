// SPDX-License-Identifier: Apache-2.0
/* Internals of the committed-offsets store (brk_offsets*.c): the in-memory
 * map (group -> (topic, partition) -> entry, brk_offsets_map.c), the record
 * format of the offsets log (brk_offsets_record.c) and the log file itself:
 * append + fdatasync, recovery, compaction (brk_offsets_file.c). Loop thread
 * only; nothing here is visible outside these files and their tests. */
#ifndef WEIR_BROKER_BRK_OFFSETS_INT_H
#define WEIR_BROKER_BRK_OFFSETS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brk_codec.h"
#include "brk_offsets.h"

/* offset.metadata.max.bytes: longer metadata is OFFSET_METADATA_TOO_LARGE. */
#define BRK_OFFSETS_METADATA_MAX 4096

/* ---- in-memory map ---------------------------------------------------------- */

typedef struct brk__off_entry {
  struct brk__off_entry *next; /* hash chain */
  char *topic;
  int32_t partition;
  uint32_t hash;
  int64_t offset;
  int32_t leader_epoch;
  char *metadata; /* never NULL */
  int64_t commit_ms;
  int64_t expire_ms; /* explicit expiry (OffsetCommit v2-4 retention_time_ms), -1 = none */
} brk__off_entry_t;

typedef struct brk__off_group {
  struct brk__off_group *next; /* hash chain */
  char *name;
  uint32_t hash;
  brk__off_entry_t **buckets;
  size_t n_buckets, n;
  int64_t active_ms; /* last time the group was seen active (not durable) */
} brk__off_group_t;

typedef struct brk__off_map {
  brk__off_group_t **buckets;
  size_t n_buckets, n;
  size_t n_entries;
} brk__off_map_t;

/* One committed value as the log and the map exchange it. */
typedef struct brk__off_item {
  const char *topic;
  size_t topic_len;
  int32_t partition;
  int64_t offset;
  int32_t leader_epoch;
  const char *metadata; /* NULL = "" */
  size_t metadata_len;
  int64_t commit_ms;
  int64_t expire_ms;
} brk__off_item_t;

void brk__offmap_init(brk__off_map_t *m);
void brk__offmap_fini(brk__off_map_t *m);
/* The group named (name, len), or NULL; create makes an empty one (NULL on
 * allocation failure). */
brk__off_group_t *brk__offmap_group(brk__off_map_t *m, const char *name, size_t len, bool create);
brk__off_entry_t *brk__offmap_find(const brk__off_group_t *g, const char *topic, size_t topic_len,
                                   int32_t partition);
/* Inserts or replaces one entry of g. 0 or -ENOMEM (g unchanged). */
int brk__offmap_put(brk__off_map_t *m, brk__off_group_t *g, const brk__off_item_t *it);
/* Removes one entry of g (no-op if absent). */
void brk__offmap_remove(brk__off_map_t *m, brk__off_group_t *g, const char *topic, size_t topic_len,
                        int32_t partition);
/* Removes the group and all its entries (no-op if NULL). */
void brk__offmap_drop_group(brk__off_map_t *m, brk__off_group_t *g);

/* ---- records ---------------------------------------------------------------- */

/* Frame: u32 body length, u32 CRC-32C of the body, body. Body: u8 type, then
 *   COMMIT:        str group, u32 n, n x (str topic, i32 partition,
 *                  i64 offset, i32 leader_epoch, i64 commit_ms, i64 expire_ms,
 *                  str metadata)
 *   DELETE_GROUP:  str group
 *   DELETE_ITEMS:  str group, u32 n, n x (str topic, i32 partition)
 * where str is a u32 length and bytes; integers are big-endian. */
enum { BRK__OFFREC_COMMIT = 1, BRK__OFFREC_DELETE_GROUP = 2, BRK__OFFREC_DELETE_ITEMS = 3 };
#define BRK__OFFREC_FRAME_HDR 8
#define BRK__OFFREC_MAX_BODY (64u * 1024 * 1024)

/* Starts a record frame of type in w; returns its start for _end. */
size_t brk__offrec_begin(brk_writer_t *w, int type, const char *group, size_t group_len);
void brk__offrec_put_u32(brk_writer_t *w, uint32_t v);
void brk__offrec_put_item(brk_writer_t *w, const brk__off_item_t *it);
void brk__offrec_put_key(brk_writer_t *w, const char *topic, size_t topic_len, int32_t partition);
/* Patches the frame length and CRC of the record started at start. */
void brk__offrec_end(brk_writer_t *w, size_t start);

/* Checks the frame at data (avail bytes): 1 and *total if whole and its CRC
 * matches, 0 if torn or corrupt. */
int brk__offrec_frame(const uint8_t *data, size_t avail, size_t *total);
/* Applies one checked record body to the map; a committing group counts as
 * active at active_ms or later (recovery passes the open time, so retention
 * restarts after a restart; live commits pass 0). 0, -EINVAL (undecodable)
 * or -ENOMEM. */
int brk__offrec_apply(brk__off_map_t *m, const uint8_t *body, size_t len, int64_t active_ms);

/* ---- the log file ----------------------------------------------------------- */

typedef struct brk__off_log {
  char *dir;  /* <store dir>/offsets */
  char *path; /* dir/offsets.log */
  int fd;
  int64_t size;        /* bytes of valid records (the append position) */
  int64_t base_size;   /* size right after the last open/compaction */
  int64_t compact_min; /* never compact below this size */
} brk__off_log_t;

/* Opens dir/offsets.log (creating dir and the file), replays it into m and
 * truncates a torn or corrupt tail. 0 or -errno with errbuf set. */
int brk__offlog_open(brk__off_log_t *l, const char *store_dir, brk__off_map_t *m, int64_t now_ms,
                     char *errbuf, size_t errbuf_len);
void brk__offlog_close(brk__off_log_t *l);
/* Appends buf (whole frames) and fdatasyncs. -errno if the write failed
 * (the file is cut back: nothing was appended). An fsync failure is fatal
 * (the process aborts, per the durability contract). */
int brk__offlog_append(brk__off_log_t *l, const void *buf, size_t len);
/* Rewrites the log as a snapshot of m when it grew past 4x its size after
 * the last rewrite (and past compact_min). Failure leaves the old log. */
void brk__offlog_maybe_compact(brk__off_log_t *l, const brk__off_map_t *m);
/* Rewrites the log now (temp + fsync + rename + fsync dir). 0 or -errno. */
int brk__offlog_compact(brk__off_log_t *l, const brk__off_map_t *m);

/* ---- API handlers (brk_api_offset_*.c, registered in brk_api_offsets_table.c) -- */

typedef struct brk_broker brk_broker_t;
typedef struct brk_reqhdr brk_reqhdr_t;
int brk__api_offset_commit(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                           brk_writer_t *w); /* 8 [2-7] */
int brk__api_offset_fetch(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                          brk_writer_t *w); /* 9 [1-5] */

struct brk_offsets {
  brk__off_map_t map;
  brk__off_log_t log;
  int64_t retention_ms;
};

#endif
