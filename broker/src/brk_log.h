// SPDX-License-Identifier: Apache-2.0
/* The broker's storage: topics, their configs and partition logs under
 * <data_dir>/broker/ (shared/spec/kafka-broker.md §2, §3). Each partition is
 * a directory of segments named by base offset (20 digits) with sparse
 * offset (.index) and time (.timeindex) indexes; opening the store recovers
 * every partition (CRC-validates the tail, truncates a torn write). Record
 * batches are opaque on the hot path: validated (framing, magic 2, CRC32C),
 * offsets assigned, appended, and served back as file slices for sendfile.
 * Called from the event-loop thread only; the store's own flusher thread does
 * fdatasync (group commit) and reports through callbacks. */
#ifndef WEIR_BROKER_BRK_LOG_H
#define WEIR_BROKER_BRK_LOG_H

#include "broker/topic_name.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brk_kerr.h"

typedef struct brk_store brk_store_t;
typedef struct brk_partition brk_partition_t;

typedef struct brk_store_opts {
  const char *dir;                 /* e.g. <data_dir>/broker; created if missing */
  int64_t segment_bytes;           /* default for topics without segment.bytes */
  int64_t retention_ms;            /* default retention.ms (-1 = forever) */
  int64_t retention_bytes;         /* default retention.bytes (-1 = unlimited) */
  int64_t flush_interval_messages; /* 1 = durable mode (acks wait for fsync) */
  int32_t message_max_bytes;       /* default max.message.bytes (largest batch) */
} brk_store_opts_t;

/* Opens (recovering) every topic under opts->dir. Returns NULL with a
 * message in errbuf on failure. Release with brk_store_close. */
brk_store_t *brk_store_open(const brk_store_opts_t *opts, char *errbuf, size_t errbuf_len);
/* Flushes everything, stops the flusher, closes files. Accepts NULL. */
void brk_store_close(brk_store_t *store);

/* ---- topics ---------------------------------------------------------------- */

typedef struct brk_kv {
  const char *key;
  const char *value; /* NULL = delete/reset to default (AlterConfigs) */
} brk_kv_t;

/* Topic names: brk_topic_name_valid in broker/topic_name.h. */

/* Creates a topic (INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS,
 * INVALID_PARTITIONS, INVALID_CONFIG). Durable (directories and metadata
 * fsynced) before it returns. validate_only checks without creating. */
brk_kerr_t brk_store_create_topic(brk_store_t *store, const char *name, int32_t partitions,
                                  const brk_kv_t *configs, size_t n_configs, bool validate_only);
/* Deletes a topic and its data (UNKNOWN_TOPIC_OR_PARTITION). */
brk_kerr_t brk_store_delete_topic(brk_store_t *store, const char *name);
/* Grows a topic to new_total partitions (INVALID_PARTITIONS if not larger). */
brk_kerr_t brk_store_create_partitions(brk_store_t *store, const char *name, int32_t new_total,
                                       bool validate_only);
/* A message describing the last error returned by a topic/config function
 * above (e.g. which config is invalid), for CreateTopics' ErrorMessage;
 * "" if none. Valid until the next call on the store. */
const char *brk_store_last_error(const brk_store_t *store);
/* Partition count, or -1 if the topic does not exist. */
int32_t brk_store_topic_partitions(const brk_store_t *store, const char *name);
/* The sorted topic names; *names is a new array of borrowed strings valid
 * until the next topic change (free() the array only). Returns the count. */
size_t brk_store_topic_names(const brk_store_t *store, const char ***names);

/* One topic config as DescribeConfigs shows it. */
typedef struct brk_config_entry {
  const char *name;
  const char *value;  /* effective value */
  bool is_default;    /* not set on the topic */
  bool read_only;
  bool sensitive;
} brk_config_entry_t;

/* Every known topic config of `topic` (new array of borrowed strings; free()
 * the array). UNKNOWN_TOPIC_OR_PARTITION if the topic does not exist. */
brk_kerr_t brk_store_topic_configs(const brk_store_t *store, const char *topic, brk_config_entry_t **entries,
                                   size_t *n);
/* AlterConfigs (replace=true: configs not listed return to defaults) or
 * incremental (replace=false: value NULL deletes). INVALID_CONFIG names an
 * unknown key or bad value. Durable before it returns. */
brk_kerr_t brk_store_topic_configs_alter(brk_store_t *store, const char *topic, const brk_kv_t *configs,
                                         size_t n, bool replace, bool validate_only);

/* ---- partitions -------------------------------------------------------------- */

/* The partition, or NULL if the topic or partition does not exist. Valid
 * until the topic is deleted. */
brk_partition_t *brk_store_partition(brk_store_t *store, const char *topic, size_t topic_len, int32_t partition);

typedef struct brk_append_result {
  int64_t base_offset;     /* offset given to the first record */
  int64_t last_offset;     /* offset of the last record appended */
  int64_t log_append_time; /* -1 unless the topic uses LogAppendTime */
  int64_t log_start_offset;
} brk_append_result_t;

/* Appends the record batches in batches[0..len) (Produce's records field;
 * rewritten in place: baseOffset, and for LogAppendTime maxTimestamp,
 * attributes and CRC). Validates every batch first; nothing is written
 * unless all are valid: CORRUPT_MESSAGE (bad framing/CRC),
 * UNSUPPORTED_FOR_MESSAGE_FORMAT (magic < 2), MESSAGE_TOO_LARGE,
 * INVALID_TIMESTAMP, KAFKA_STORAGE_ERROR (I/O; the store is then failed). */
brk_kerr_t brk_partition_append(brk_partition_t *p, uint8_t *batches, size_t len, int64_t now_ms,
                                brk_append_result_t *res);

/* Appends one COMMIT (commit) or ABORT control batch (transactional +
 * control attributes, key version 0 + type, value version 0 +
 * coordinator_epoch) for producer pid/epoch, ending its ongoing transaction
 * on this partition (an abort goes into the aborted-transaction index).
 * KAFKA_STORAGE_ERROR on I/O failure. */
brk_kerr_t brk_partition_append_control(brk_partition_t *p, int64_t pid, int16_t epoch, bool commit,
                                        int32_t coordinator_epoch, int64_t now_ms, brk_append_result_t *res);
/* True if producer pid has an ongoing transaction on p. */
bool brk_partition_txn_ongoing(const brk_partition_t *p, int64_t pid);
/* Last stable offset: the first offset of the earliest ongoing transaction,
 * or the high watermark when none is open (read_committed reads below it). */
int64_t brk_partition_last_stable(const brk_partition_t *p);

typedef struct brk_aborted_txn {
  int64_t producer_id;
  int64_t first_offset;
  int64_t last_offset; /* offset of its ABORT marker */
} brk_aborted_txn_t;

/* Aborted transactions overlapping [from, to): up to max into out; returns
 * how many matched (may exceed max: call again with a bigger array). */
size_t brk_partition_aborted(const brk_partition_t *p, int64_t from, int64_t to, brk_aborted_txn_t *out,
                             size_t max);

int64_t brk_partition_log_start(const brk_partition_t *p);
int64_t brk_partition_high_watermark(const brk_partition_t *p); /* = log end offset */
/* Bytes of whole batches in all its segments (metrics). */
int64_t brk_partition_size_bytes(const brk_partition_t *p);
/* Offsets below this are known fsynced (exclusive bound). */
int64_t brk_partition_durable_offset(const brk_partition_t *p);

/* A refcounted open segment file, so a slice stays readable while queued for
 * sendfile even if retention deletes the segment meanwhile. */
typedef struct brk_file brk_file_t;
void brk_file_ref(brk_file_t *f);
void brk_file_unref(brk_file_t *f); /* accepts NULL */
int brk_file_fd(const brk_file_t *f);

typedef struct brk_read_slice {
  brk_file_t *file; /* a reference the caller owns: brk_file_unref it */
  int64_t pos;
  int64_t len;
} brk_read_slice_t;

/* Whole batches starting with the one containing fetch_offset, up to
 * max_bytes (but at least one whole batch when at_least_one), possibly
 * across segments (one slice per segment). OFFSET_OUT_OF_RANGE when
 * fetch_offset < log start or > high watermark; fetch_offset == high
 * watermark gives zero slices. */
brk_kerr_t brk_partition_read(brk_partition_t *p, int64_t fetch_offset, int32_t max_bytes, bool at_least_one,
                              brk_read_slice_t *slices, size_t max_slices, size_t *n_slices, int64_t *total_bytes);
/* The same, serving only batches that start below `upto` (read_committed:
 * upto = brk_partition_last_stable). */
brk_kerr_t brk_partition_read_upto(brk_partition_t *p, int64_t fetch_offset, int64_t upto, int32_t max_bytes,
                                   bool at_least_one, brk_read_slice_t *slices, size_t max_slices, size_t *n_slices,
                                   int64_t *total_bytes);

/* ListOffsets: ts -1 = latest (high watermark), -2 = earliest (log start),
 * else the first offset whose batch max timestamp >= ts (*offset -1 and
 * *timestamp -1 if none). */
brk_kerr_t brk_partition_offset_for_time(brk_partition_t *p, int64_t ts, int64_t *offset, int64_t *timestamp);

/* DeleteRecords: moves the log start to before_offset (-1 = high
 * watermark); OFFSET_OUT_OF_RANGE if beyond the high watermark. Durable. */
brk_kerr_t brk_partition_delete_records(brk_partition_t *p, int64_t before_offset, int64_t *low_watermark);

/* ---- durability and housekeeping --------------------------------------------- */

/* Asks the flusher to fdatasync p until at least `upto` (exclusive) is
 * durable; group commit: one fdatasync serves every waiting request. `done`
 * runs ON THE FLUSHER THREAD once covered (err 0), or with err != 0 if the
 * fsync failed (the broker then stops: fail-stop). */
void brk_store_flush_request(brk_store_t *store, brk_partition_t *p, int64_t upto,
                             void (*done)(void *arg, int err), void *arg);

/* Deletes whole segments beyond retention.ms / retention.bytes (never the
 * active one) and advances log starts. Call periodically from the loop. */
void brk_store_enforce_retention(brk_store_t *store, int64_t now_ms);

#endif
