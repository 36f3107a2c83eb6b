// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the admin API handlers (brk_api_admin_*.c): topic name
 * copies, duplicate detection within one request, and config name/value
 * lists decoded into brk_kv_t arrays. Handlers decode a request in two
 * passes: pass one skips nested arrays (saving a brk_reader_t copy at their
 * start) so a malformed frame is rejected before any side effect; pass two
 * re-reads them from the saved copy. Nothing here writes responses. */
#ifndef WEIR_BROKER_BRK_API_ADMIN_H
#define WEIR_BROKER_BRK_API_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "brk_api.h"
#include "broker/topic_name.h"

/* Longest legal topic name (brk_topic_name_valid). */
#define BRK_ADMIN_TOPIC_MAX BRK_TOPIC_NAME_MAX
/* Upper bound on a topic's partition count accepted by CreateTopics and
 * CreatePartitions: each partition is a directory with open files, so an
 * absurd count would exhaust the node rather than describe a topic. */
#define BRK_ADMIN_MAX_PARTITIONS 10000

/* Room for an ErrorMessage that quotes a topic name (<= 249 bytes). */
#define BRK_ADMIN_MSG_CAP 512

/* DescribeConfigs ResourceType values (Kafka's ConfigResource.Type). */
enum { BRK_ADMIN_RESOURCE_TOPIC = 2, BRK_ADMIN_RESOURCE_BROKER = 4 };

/* Copies a request's topic name into out as a C string. False (out = "")
 * when the name is null or not a legal topic name. */
bool brk__admin_topic_cstr(brk_slice_t name, char out[BRK_ADMIN_TOPIC_MAX + 1]);

/* Marks in dup[i] every entry whose (kind, name) occurs more than once among
 * the n entries (kinds may be NULL: all kinds equal). Returns a new array,
 * free() it; NULL on allocation failure (or n == 0). */
bool *brk__admin_find_dups(const brk_slice_t *names, const int8_t *kinds, size_t n);

/* A decoded list of config entries: kvs[i] point into one allocation. */
typedef struct brk_admin_kvs {
  brk_kv_t *kvs;
  int8_t *ops; /* IncrementalAlterConfigs ConfigOperation, else NULL */
  size_t n;
  bool has_null_name; /* an entry's Name was null */
} brk_admin_kvs_t;

/* Reads a config array (Name string, [ConfigOperation int8 when with_op],
 * Value nullable string) from r, which must be positioned at the array's
 * count and have been validated by brk__admin_skip_kvs. Returns 0, or -1 on
 * allocation failure. Release with brk__admin_kvs_fini. */
int brk__admin_kvs_read(brk_reader_t *r, bool with_op, brk_admin_kvs_t *out);
void brk__admin_kvs_fini(brk_admin_kvs_t *kvs);
/* Skips the same array (pass one); failures show in r. */
void brk__admin_skip_kvs(brk_reader_t *r, bool with_op);

/* The verdict on entry i of a request before it is acted on, given dup
 * from brk__admin_find_dups: UNKNOWN_SERVER_ERROR ("Out of memory.") when
 * dup is NULL, INVALID_REQUEST with dup_msg when entry i is a duplicate,
 * else NONE (msg untouched) and the caller acts on the entry. The message
 * goes to msg (cap bytes) for the entry's ErrorMessage. */
brk_kerr_t brk__admin_entry_check(const bool *dup, int32_t i, const char *dup_msg, char *msg, size_t cap);

/* After a store call returned err: copies the store's description of it
 * (brk_store_last_error) into msg. False (msg untouched) when err is NONE
 * or the store gave no description. */
bool brk__admin_store_message(brk_broker_t *b, brk_kerr_t err, char *msg, size_t cap);

/* The broker's node.id as DescribeConfigs/AlterConfigs name it ("1"). True
 * when name is this broker's id. */
bool brk__admin_is_own_broker(const brk_broker_t *b, brk_slice_t name);

#endif
