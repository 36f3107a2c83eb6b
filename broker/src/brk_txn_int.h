// SPDX-License-Identifier: Apache-2.0
/* Internals of the transaction coordinator (brk_txn*.c, brk_api_txn_*.c):
 * the per-transactional.id state, the producer-id allocator, the durable
 * state log under <data_dir>/broker/txn/ and the operations the API
 * handlers call. Loop thread only. */
#ifndef WEIR_BROKER_BRK_TXN_INT_H
#define WEIR_BROKER_BRK_TXN_INT_H

#include "brk_broker_int.h"

typedef enum brk__txn_state {
  BRK_TXN_EMPTY = 0,
  BRK_TXN_ONGOING,
  BRK_TXN_PREPARE_COMMIT,
  BRK_TXN_PREPARE_ABORT,
  BRK_TXN_COMPLETE_COMMIT,
  BRK_TXN_COMPLETE_ABORT,
} brk__txn_state_t;

typedef struct brk__txn_part {
  char *topic;
  int32_t partition;
} brk__txn_part_t;

typedef struct brk__txn_offset {
  char *group, *topic, *metadata; /* metadata may be NULL */
  int32_t partition, leader_epoch;
  int64_t offset;
} brk__txn_offset_t;

typedef struct brk__txn_entry {
  char *tid;
  int64_t pid;
  int16_t epoch;
  int32_t timeout_ms;
  brk__txn_state_t state;
  int64_t start_ms; /* brk_now_ms() when it became ongoing */
  brk__txn_part_t *parts;
  size_t n_parts, cap_parts;
  char **groups;
  size_t n_groups, cap_groups;
  brk__txn_offset_t *offsets;
  size_t n_offsets, cap_offsets;
} brk__txn_entry_t;

struct brk_txn {
  brk_broker_t *b;
  char *dir;
  int fd;             /* txn.log, appended */
  size_t log_records; /* since the last compaction */
  int64_t next_pid, pid_limit; /* ids below pid_limit are reserved durably */
  brk__txn_entry_t **entries;
  size_t n_entries, cap_entries;
  brk_timer_t timer;
};

/* ---- durable state (brk_txn_store.c) ------------------------------------------ */

/* Opens dir/txn.log, replays it into t (entries, pid_limit), drops a torn
 * tail and compacts. -1 + errbuf on failure. */
int brk__txn_store_open(brk_txn_t *t, char *errbuf, size_t errbuf_len);
/* Appends e's whole state durably (fsync). 0 or -errno. */
int brk__txn_store_put(brk_txn_t *t, const brk__txn_entry_t *e);
/* Durably reserves producer ids below limit. 0 or -errno. */
int brk__txn_store_reserve(brk_txn_t *t, int64_t limit);
void brk__txn_entry_free(brk__txn_entry_t *e);
/* Drops e's partitions, groups and pending offsets (memory only). */
void brk__txn_entry_clear(brk__txn_entry_t *e);

/* ---- coordinator (brk_txn.c, brk_txn_end.c) ----------------------------------- */

brk__txn_entry_t *brk__txn_find(brk_txn_t *t, brk_slice_t tid);
/* Adds a new entry for tid (owned by t); NULL on allocation failure. */
brk__txn_entry_t *brk__txn_add(brk_txn_t *t, brk_slice_t tid);
/* A fresh producer id (durably reserved), or -1 on failure. */
int64_t brk__txn_alloc_pid(brk_txn_t *t);
/* Checks tid/pid/epoch of a transactional request: INVALID_PRODUCER_ID_MAPPING,
 * INVALID_PRODUCER_EPOCH (fenced), CONCURRENT_TRANSACTIONS, or NONE with *out. */
brk_kerr_t brk__txn_lookup(brk_txn_t *t, brk_slice_t tid, int64_t pid, int16_t epoch, brk__txn_entry_t **out);
/* Moves e to ONGOING (start of a transaction) if not already. */
void brk__txn_begin(brk__txn_entry_t *e);
/* Completes e's ongoing transaction: PREPARE record, (commit) pending
 * offsets applied, markers written, COMPLETE record. KAFKA_STORAGE_ERROR if
 * the state could not be persisted. */
brk_kerr_t brk__txn_end(brk_txn_t *t, brk__txn_entry_t *e, bool commit);
/* Redoes what a recovered PREPARE/COMPLETE entry may not have finished. */
void brk__txn_recover_entry(brk_txn_t *t, brk__txn_entry_t *e);
/* Produce: may producer pid/epoch write a transactional batch to topic/partition? */
brk_kerr_t brk__txn_check_produce(brk_txn_t *t, int64_t pid, int16_t epoch, brk_slice_t topic, int32_t partition);

/* ---- API handlers (brk_api_txn_*.c) ------------------------------------------- */

int brk__api_init_producer_id(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_add_partitions_to_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_add_offsets_to_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_end_txn(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_txn_offset_commit(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);

#endif
