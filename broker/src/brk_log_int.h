// SPDX-License-Identifier: Apache-2.0
/* Internals of the broker's storage (brk_log_*.c): the store, topic,
 * partition and segment structures, the record-batch header helpers, CRC32C,
 * file helpers and the cross-file functions. Nothing outside brk_log_*.c,
 * the producer-state files (brk_producer_*.c), brk_txn_store.c (CRC32C and
 * file helpers) and unit tests includes this header.
 *
 * Layout under opts->dir: topics/<topic>/topic.properties,
 * topics/<topic>/<partition>/<base:20 digits>.log|.index|.timeindex and
 * log-start-offset; staging/ (topic being created), trash/ (being deleted),
 * .lock, clean-shutdown. Limits: BRK_LOG_MAX_TOPICS topics,
 * BRK_LOG_MAX_PARTITIONS partitions per topic. */
#ifndef WEIR_BROKER_BRK_LOG_INT_H
#define WEIR_BROKER_BRK_LOG_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "brk_log.h"

#define BRK_LOG_MAX_TOPICS 10000
#define BRK_LOG_MAX_PARTITIONS 10000
#define BRK_LOG_COMPONENT "broker.log"

/* ---- record batch v2 header (spec §2.1) ---------------------------------- */

enum {
  BRK_B_BASE_OFFSET = 0,
  BRK_B_LENGTH = 8,
  BRK_B_LEADER_EPOCH = 12,
  BRK_B_MAGIC = 16,
  BRK_B_CRC = 17,
  BRK_B_ATTRIBUTES = 21,
  BRK_B_LAST_DELTA = 23,
  BRK_B_BASE_TS = 27,
  BRK_B_MAX_TS = 35,
  BRK_B_COUNT = 57,
  BRK_B_HEADER_SIZE = 61,
  BRK_B_LOG_OVERHEAD = 12, /* baseOffset + batchLength */
};
#define BRK_B_ATTR_CODEC_MASK 0x07
#define BRK_B_ATTR_LOG_APPEND_TIME 0x08
#define BRK_B_ATTR_TRANSACTIONAL 0x10
#define BRK_B_ATTR_CONTROL 0x20
enum { BRK_B_PRODUCER_ID = 43, BRK_B_PRODUCER_EPOCH = 51, BRK_B_BASE_SEQ = 53 };

typedef struct brk__batch_hdr {
  int64_t base_offset;
  int32_t length; /* batchLength: bytes after the field */
  int8_t magic;
  uint32_t crc;
  int16_t attributes;
  int32_t last_offset_delta;
  int64_t base_ts;
  int64_t max_ts;
  int32_t count;
} brk__batch_hdr_t;

static inline uint64_t brk__get_u64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}
static inline uint32_t brk__get_u32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void brk__put_u64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}
static inline void brk__put_u32(uint8_t *p, uint32_t v) {
  for (int i = 3; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}
static inline void brk__put_u16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

/* CRC-32C (Castagnoli), hardware (SSE4.2) when the CPU has it. crc is the
 * running value (start with 0). */
uint32_t brk__crc32c(uint32_t crc, const void *data, size_t len);
uint32_t brk__crc32c_sw(uint32_t crc, const void *data, size_t len); /* table version */

/* Decodes the 61-byte header at b (caller guarantees 61 readable bytes). */
void brk__batch_hdr_decode(const uint8_t *b, brk__batch_hdr_t *h);
/* Framing of the batch at b with `avail` bytes: magic 2, batchLength >= 49
 * and within avail, lastOffsetDelta >= 0. Sets *total (12 + batchLength).
 * CORRUPT_MESSAGE or UNSUPPORTED_FOR_MESSAGE_FORMAT (magic 0/1). */
brk_kerr_t brk__batch_frame(const uint8_t *b, size_t avail, brk__batch_hdr_t *h, size_t *total);
/* CRC32C over [21, total) equals the stored crc. */
bool brk__batch_crc_ok(const uint8_t *b, size_t total);

typedef struct brk__topic_cfg {
  int64_t segment_bytes;
  int64_t segment_ms;
  int64_t retention_ms;
  int64_t retention_bytes;
  int64_t flush_messages;
  int64_t ts_diff_max_ms; /* message.timestamp.difference.max.ms */
  int32_t max_message_bytes;
  int32_t index_interval_bytes;
  bool log_append_time;
  bool cleanup_delete; /* cleanup.policy contains "delete" */
} brk__topic_cfg_t;

/* Producer-side checks of one framed batch (spec §2.4 steps 2-4, 6). */
brk_kerr_t brk__batch_validate(const uint8_t *b, const brk__batch_hdr_t *h, size_t total,
                               const brk__topic_cfg_t *cfg, int64_t now_ms);
/* Rewrites baseOffset and partitionLeaderEpoch (0); with log_append_time
 * also sets the attribute bit and maxTimestamp = now_ms and recomputes CRC. */
void brk__batch_assign(uint8_t *b, size_t total, int64_t base_offset, bool log_append_time, int64_t now_ms);

/* ---- files ----------------------------------------------------------------- */

struct brk_file {
  int fd;
  atomic_int refs;
};
/* Wraps fd (taken) with one reference. NULL on allocation failure (fd closed). */
brk_file_t *brk__file_new(int fd);

/* Writes all of buf at off (retrying short writes). 0 or -errno. */
int brk__pwrite_all(int fd, const void *buf, size_t len, int64_t off);
/* Reads up to len at off; returns bytes read or -errno. */
ssize_t brk__pread_full(int fd, void *buf, size_t len, int64_t off);
/* fsyncs a directory. 0 or -errno. */
int brk__fsync_dir(const char *dir);
/* dir/name replaced atomically and durably by data: temp + fsync + rename +
 * fsync dir. 0 or -errno. */
int brk__write_file_atomic(const char *dir, const char *name, const void *data, size_t len);
/* Reads a small file (at most max bytes) into a new NUL-terminated buffer
 * (free()). NULL with errno set. */
char *brk__read_small_file(const char *path, size_t max, size_t *len);
/* rm -rf path. 0 or -errno. */
int brk__remove_tree(const char *path);
/* mkdir that accepts an existing directory. 0 or -errno. */
int brk__mkdir(const char *path);

/* ---- segments and partitions ----------------------------------------------- */

typedef struct brk__idx_entry {
  int32_t rel;       /* batch base offset - segment base */
  uint32_t pos;      /* byte position of that batch */
  int64_t ts_before; /* max timestamp of the batches before pos (-1 if none) */
} brk__idx_entry_t;

typedef struct brk__segment {
  int64_t base;       /* base offset (file name) */
  int64_t end_offset; /* next offset after its last batch (= base when empty) */
  int64_t size;       /* bytes of whole batches */
  int64_t max_ts;     /* largest batch maxTimestamp, -1 when empty */
  int64_t created_ms; /* for segment.ms */
  int64_t bytes_since_idx;
  brk_file_t *file;
  brk__idx_entry_t *idx;
  size_t n_idx, cap_idx;
} brk__segment_t;

typedef struct brk__topic brk__topic_t;

/* A topic's own config settings (keys sorted, strings owned). */
typedef struct brk__kvset {
  char **keys, **values;
  size_t n;
} brk__kvset_t;

/* ---- producer state (idempotence, transactions; brk_producer_state.c) --------- */

#define BRK__PRODUCER_BATCHES 5 /* Kafka keeps the last 5 batches per producer */
typedef struct brk__pbatch {
  int32_t first_seq, last_seq;
  int64_t first_off, last_off;
} brk__pbatch_t;

typedef struct brk__producer {
  int64_t pid; /* -1: free slot */
  int16_t epoch;
  uint8_t n, head; /* ring of cached batches: newest at head */
  brk__pbatch_t batches[BRK__PRODUCER_BATCHES];
  int64_t txn_first; /* first offset of its ongoing transaction, -1 if none */
} brk__producer_t;

/* Per-partition producer table (open addressing on pid) and the aborted
 * transaction index (sorted by last offset). Zero-initialised = empty. */
typedef struct brk__pstate {
  brk__producer_t *slots;
  size_t cap, n, n_ongoing;
  brk_aborted_txn_t *aborted;
  size_t n_aborted, cap_aborted;
} brk__pstate_t;

void brk__pstate_fini(brk__pstate_t *s);
/* Sequence/epoch check of one idempotent batch header (pid >= 0) before
 * append: NONE (append it), DUPLICATE_SEQUENCE_NUMBER with the cached
 * batch's offsets in *dup (not to be written again), or
 * OUT_OF_ORDER_SEQUENCE_NUMBER / INVALID_PRODUCER_EPOCH. */
brk_kerr_t brk__pstate_check(const brk__pstate_t *s, const uint8_t *hdr, brk__pbatch_t *dup);
/* Records an appended batch (header at hdr with its final base offset).
 * control_type: -1 data, 0 abort marker, 1 commit marker. 0 or -ENOMEM. */
int brk__pstate_apply(brk__pstate_t *s, const uint8_t *hdr, int control_type);
/* Smallest first offset of an ongoing transaction, INT64_MAX if none. */
int64_t brk__pstate_first_unstable(const brk__pstate_t *s);
/* The control type (0 abort, 1 commit) of the control batch in buf[0..len), -1 if unreadable. */
int brk__control_type(const uint8_t *buf, size_t len);
/* Rebuilds p->pstate from every batch header of the log (recovery). 0 or -errno. */
int brk__pstate_rebuild(brk_partition_t *p);

struct brk_partition {
  brk_store_t *store;
  brk__topic_t *topic; /* dangling once the topic is deleted (flusher never uses it) */
  int32_t id;
  char *dir;
  pthread_mutex_t mu; /* guards segs/n_segs changes, leo, unsynced against the flusher */
  brk__segment_t **segs;
  size_t n_segs, cap_segs;
  int64_t leo;
  int64_t log_start;
  _Atomic int64_t durable;
  brk_file_t **unsynced; /* rolled segment files not yet fdatasynced */
  size_t n_unsynced, cap_unsynced;
  int64_t msgs_since_flush;
  atomic_int refs;
  uint64_t flush_gen; /* flusher thread only */
  brk__pstate_t pstate; /* loop thread only */
};

struct brk__topic {
  char *name;
  char *dir;
  int32_t n_parts;
  brk_partition_t **parts;
  brk__kvset_t over; /* configs set on the topic */
  brk__topic_cfg_t cfg;
};

typedef struct brk__flush_req {
  brk_partition_t *p;
  void (*done)(void *arg, int err);
  void *arg;
  struct brk__flush_req *next;
} brk__flush_req_t;

typedef struct brk__flusher {
  pthread_t thread;
  bool started;
  pthread_mutex_t mu;
  pthread_cond_t cond;
  brk__flush_req_t *head, *tail;
  bool stop;
  uint64_t gen;
} brk__flusher_t;

#define BRK__N_STORE_DEFAULTS 5
struct brk_store {
  brk_store_opts_t opts;
  char *dir;
  char *topics_dir, *staging_dir, *trash_dir;
  int lock_fd;
  bool was_clean;
  brk__topic_t **topics; /* sorted by name */
  size_t n_topics, cap_topics;
  char defaults[BRK__N_STORE_DEFAULTS][24]; /* store-level default values as text */
  atomic_bool failed;
  uint64_t trash_seq;
  char last_err[256];
  brk__flusher_t flusher;
};

/* Segment file names. */
void brk__segment_path(char *buf, size_t len, const char *dir, int64_t base, const char *ext);
/* Records a batch appended/found at pos: index entry every interval bytes,
 * size, end offset, max timestamp. */
void brk__segment_track(brk__segment_t *seg, int64_t pos, const brk__batch_hdr_t *h, int64_t total,
                        int32_t interval);
/* Creates an empty segment file at base in dir (and fsyncs dir). */
brk__segment_t *brk__segment_create(const char *dir, int64_t base, int64_t now_ms, int *err);
/* Opens an existing segment file (no scan). */
brk__segment_t *brk__segment_open(const char *dir, int64_t base, int *err);
void brk__segment_free(brk__segment_t *seg); /* accepts NULL */
/* Writes .index and .timeindex from memory (temp + rename; rebuildable, not fsynced). */
int brk__segment_write_index(const brk__segment_t *seg, const char *dir);
/* Loads the index files if they are sane; false otherwise (seg->idx empty). */
bool brk__segment_load_index(brk__segment_t *seg, const char *dir);
void brk__segment_unlink(const char *dir, int64_t base);
/* Index search: the last entry with rel <= target_rel (or -1). */
ssize_t brk__index_floor_offset(const brk__segment_t *seg, int64_t target_rel);
/* The last entry with pos <= limit (or -1). */
ssize_t brk__index_floor_pos(const brk__segment_t *seg, int64_t limit);
/* The last entry with ts_before < ts (or -1). */
ssize_t brk__index_floor_time(const brk__segment_t *seg, int64_t ts);

/* Walks the batches of seg from `from` (seg state must describe [0, from)),
 * validating framing (and CRC when verify_crc), and tracks each good batch.
 * Returns the end of the last good batch, or -errno. */
int64_t brk__segment_scan(brk__segment_t *seg, int64_t from, bool verify_crc, int32_t interval);
/* Opens and recovers the segments of a partition (spec §3.4). 0 or -errno. */
int brk__partition_recover(brk_partition_t *p, bool clean, int64_t now_ms);

/* Reads the header of the batch at pos of seg through a small cache. */
typedef struct brk__hdr_cursor {
  const brk__segment_t *seg;
  int64_t buf_pos;
  size_t buf_len;
  uint8_t buf[8192];
} brk__hdr_cursor_t;
void brk__hdr_cursor_init(brk__hdr_cursor_t *c, const brk__segment_t *seg);
/* 0 and *h / *total for a well-framed batch at pos; -1 at the end or on a
 * bad header (bounded by seg->size). */
int brk__hdr_cursor_get(brk__hdr_cursor_t *c, int64_t pos, brk__batch_hdr_t *h, int64_t *total);

/* ListOffsets by time within the batch at pos whose max timestamp is >= ts:
 * 0 with the first record at/after ts (not below log_start), 1 if no record
 * of the batch qualifies (brk_log_timeseek.c). */
int brk__batch_seek_time(const brk__segment_t *seg, int64_t pos, const brk__batch_hdr_t *h, int64_t ts,
                         int64_t log_start, int64_t *offset, int64_t *timestamp);

brk_partition_t *brk__partition_open(brk_store_t *store, brk__topic_t *t, int32_t id, bool clean, int *err);
/* Appends seg to p->segs (under p->mu). 0 or -ENOMEM. */
int brk__partition_push_segment(brk_partition_t *p, brk__segment_t *seg);
/* The saved log-start-offset, or -1. */
int64_t brk__partition_load_log_start(const brk_partition_t *p);
void brk__partition_ref(brk_partition_t *p);
void brk__partition_unref(brk_partition_t *p);
/* Final fdatasync + index files of the active segment (store close). */
void brk__partition_shutdown(brk_partition_t *p);
/* New active segment at p->leo; the old file goes to p->unsynced. */
brk_kerr_t brk__partition_roll(brk_partition_t *p, int64_t now_ms);
/* Deletes segment 0 (never the active one) and advances the log start. */
void brk__partition_drop_first(brk_partition_t *p);
/* Persists p->log_start (log-start-offset, atomic). 0 or -errno. */
int brk__partition_save_log_start(const brk_partition_t *p);
/* Marks the store failed (KAFKA_STORAGE_ERROR from now on) and logs. */
void brk__store_fail(brk_store_t *store, const char *what, int err);

/* ---- topics and configs ----------------------------------------------------- */

brk__topic_t *brk__store_find_topic(const brk_store_t *store, const char *name, size_t len);
/* Adds t to the sorted topic array (0 or -ENOMEM) / removes it (not freed). */
int brk__store_insert_topic(brk_store_t *store, brk__topic_t *t);
void brk__store_remove_topic(brk_store_t *store, const brk__topic_t *t);
/* The settings of `base` (NULL = none; ignored when replace) changed by
 * configs (value NULL = unset), validated, and the effective config they
 * give. INVALID_CONFIG with store->last_err set. Release with kvset_free. */
brk_kerr_t brk__kvset_merge(brk_store_t *store, const brk__kvset_t *base, const brk_kv_t *configs, size_t n,
                            bool replace, brk__kvset_t *out, brk__topic_cfg_t *cfg);
void brk__kvset_free(brk__kvset_t *s);
/* key is a known topic config and value valid for it. */
bool brk__topic_cfg_valid(const char *key, const char *value);
/* Sets store->last_err (printf-style). */
void brk__store_err(brk_store_t *store, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fills store->defaults from opts. */
void brk__store_defaults_init(brk_store_t *store);
/* topic.properties text: a new string (free()). */
char *brk__topic_props_format(int32_t n_parts, const brk__kvset_t *over);
/* Loads topics/<name>. NULL and *err (-errno) on failure. */
brk__topic_t *brk__topic_load(brk_store_t *store, const char *name, int *err);
void brk__topic_free(brk__topic_t *t); /* unrefs its partitions; accepts NULL */

/* ---- flusher ---------------------------------------------------------------- */

int brk__flusher_start(brk_store_t *store);
void brk__flusher_stop(brk_store_t *store); /* drains the queue first */

#endif
