// SPDX-License-Identifier: Apache-2.0
/* CreateTopics (key 19) v0-4 and DeleteTopics (key 20) v0-1 on a single
 * node: request decoding, per-topic validation (names, partition counts,
 * replication factor 1, manual assignments naming only this node, duplicate
 * entries) and the per-topic results. Creating and deleting the logs, and
 * validating topic configs, belong to the store (brk_log.h). Both requests
 * are decoded completely before anything is created or deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_api_admin.h"

/* ---- CreateTopics ----------------------------------------------------------- */

typedef struct create_topic {
  brk_slice_t name;           /* Name */
  int32_t num_partitions;     /* NumPartitions */
  int16_t replication_factor; /* ReplicationFactor */
  brk_reader_t assignments;   /* positioned at Assignments' count */
  int32_t n_assignments;
  brk_reader_t configs; /* positioned at Configs' count */
} create_topic_t;

/* Assignments: PartitionIndex int32 + BrokerIds count. */
static int32_t skip_assignments(brk_reader_t *r) {
  int32_t n = brk_read_array_len(r, 8);
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    brk_read_i32(r); /* PartitionIndex */
    int32_t n_ids = brk_read_array_len(r, 4);
    for (int32_t j = 0; j < n_ids && brk_reader_ok(r); j++) brk_read_i32(r); /* BrokerIds */
  }
  return n;
}

/* Pass one: every field, nested arrays skipped. -1 if malformed. */
static int create_topics_decode(brk_reader_t *r, int16_t version, create_topic_t **out, int32_t *n_out,
                                bool *validate_only) {
  /* Name 2 + NumPartitions 4 + ReplicationFactor 2 + two array counts 8. */
  int32_t n = brk_read_array_len(r, 16);
  create_topic_t *topics = n > 0 ? calloc((size_t)n, sizeof *topics) : NULL;
  if (n > 0 && topics == NULL) return -1;
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    create_topic_t *t = &topics[i];
    t->name = brk_read_string(r);
    t->num_partitions = brk_read_i32(r);
    t->replication_factor = brk_read_i16(r);
    t->assignments = *r;
    t->n_assignments = skip_assignments(r);
    t->configs = *r;
    brk__admin_skip_kvs(r, false);
  }
  brk_read_i32(r); /* timeoutMs: creation is synchronous here */
  *validate_only = version >= 1 ? brk_read_i8(r) != 0 : false;
  if (!brk_reader_ok(r)) {
    free(topics);
    return -1;
  }
  *out = topics;
  *n_out = n;
  return 0;
}

/* Manual assignments: partitions 0..n-1 each once, each on exactly this node. */
static brk_kerr_t check_assignments(const create_topic_t *t, int32_t node_id, char *msg, size_t cap) {
  if (t->num_partitions != -1 || t->replication_factor != -1) {
    snprintf(msg, cap,
             "Both numPartitions or replicationFactor and replicasAssignments were set. "
             "Both cannot be used at the same time.");
    return BRK_KERR_INVALID_REQUEST;
  }
  if (t->n_assignments > BRK_ADMIN_MAX_PARTITIONS) {
    snprintf(msg, cap, "Number of partitions %d exceeds the limit of %d.", t->n_assignments,
             BRK_ADMIN_MAX_PARTITIONS);
    return BRK_KERR_INVALID_PARTITIONS;
  }
  bool *seen = calloc((size_t)t->n_assignments, sizeof *seen);
  if (seen == NULL) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  brk_kerr_t err = BRK_KERR_NONE;
  brk_reader_t r = t->assignments;
  brk_read_array_len(&r, 8);
  for (int32_t i = 0; i < t->n_assignments && err == BRK_KERR_NONE; i++) {
    int32_t partition_index = brk_read_i32(&r);
    int32_t n_ids = brk_read_array_len(&r, 4);
    int32_t broker_id = n_ids > 0 ? brk_read_i32(&r) : -1;
    for (int32_t j = 1; j < n_ids; j++) brk_read_i32(&r);
    if (partition_index < 0 || partition_index >= t->n_assignments || seen[partition_index]) {
      snprintf(msg, cap, "Partitions should be a consecutive 0-based integer sequence.");
      err = BRK_KERR_INVALID_REPLICA_ASSIGNMENT;
    } else if (n_ids != 1 || broker_id != node_id) {
      snprintf(msg, cap, "Partition %d must be assigned to exactly broker %d (single node).", partition_index,
               node_id);
      err = BRK_KERR_INVALID_REPLICA_ASSIGNMENT;
    } else {
      seen[partition_index] = true;
    }
  }
  free(seen);
  return err;
}

/* NumPartitions / ReplicationFactor without assignments. -1 means the
 * broker default in every version, as Kafka's broker resolves it: only v4
 * clients are meant to send it, but kafkajs sends ReplicationFactor -1 on
 * v0-3 whenever the caller leaves it out. */
static brk_kerr_t check_counts(const create_topic_t *t, int32_t *partitions, const brk_config_t *cfg,
                               char *msg, size_t cap) {
  *partitions = t->num_partitions == -1 ? cfg->num_partitions : t->num_partitions;
  if (*partitions <= 0) {
    snprintf(msg, cap, "Number of partitions must be larger than 0.");
    return BRK_KERR_INVALID_PARTITIONS;
  }
  if (*partitions > BRK_ADMIN_MAX_PARTITIONS) {
    snprintf(msg, cap, "Number of partitions %d exceeds the limit of %d.", *partitions,
             BRK_ADMIN_MAX_PARTITIONS);
    return BRK_KERR_INVALID_PARTITIONS;
  }
  int16_t rf = t->replication_factor;
  if (rf == -1) return BRK_KERR_NONE;
  if (rf <= 0) {
    snprintf(msg, cap, "Replication factor must be larger than 0.");
    return BRK_KERR_INVALID_REPLICATION_FACTOR;
  }
  if (rf > 1) {
    snprintf(msg, cap, "Replication factor: %d larger than available brokers: 1.", (int)rf);
    return BRK_KERR_INVALID_REPLICATION_FACTOR;
  }
  return BRK_KERR_NONE;
}

static brk_kerr_t create_one(brk_broker_t *b, const create_topic_t *t, bool validate_only, char *msg,
                             size_t cap) {
  char name[BRK_ADMIN_TOPIC_MAX + 1];
  if (!brk__admin_topic_cstr(t->name, name)) {
    snprintf(msg, cap,
             "Topic name is illegal: it must be 1 to %d characters of [a-zA-Z0-9._-], not '.' or '..'.",
             BRK_ADMIN_TOPIC_MAX);
    return BRK_KERR_INVALID_TOPIC_EXCEPTION;
  }
  const brk_config_t *cfg = brk_broker_config(b);
  int32_t partitions = t->n_assignments;
  brk_kerr_t err = t->n_assignments > 0 ? check_assignments(t, cfg->node_id, msg, cap)
                                        : check_counts(t, &partitions, cfg, msg, cap);
  if (err != BRK_KERR_NONE) return err;
  brk_admin_kvs_t configs;
  brk_reader_t cr = t->configs;
  if (brk__admin_kvs_read(&cr, false, &configs) != 0) return BRK_KERR_UNKNOWN_SERVER_ERROR;
  for (size_t i = 0; i < configs.n && err == BRK_KERR_NONE; i++) {
    if (configs.kvs[i].value == NULL) {
      snprintf(msg, cap, "Null value not supported for topic config '%.64s'.", configs.kvs[i].key);
      err = BRK_KERR_INVALID_CONFIG;
    }
  }
  if (err == BRK_KERR_NONE)
    err =
        brk_store_create_topic(brk_broker_store(b), name, partitions, configs.kvs, configs.n, validate_only);
  brk__admin_kvs_fini(&configs);
  if (msg[0] == '\0') brk__admin_store_message(b, err, msg, cap);
  if (err == BRK_KERR_TOPIC_ALREADY_EXISTS)
    snprintf(msg, cap, "Topic '%s' already exists.", name);
  else if (err == BRK_KERR_INVALID_CONFIG && msg[0] == '\0')
    snprintf(msg, cap, "Invalid config for topic '%s': unknown name or bad value.", name);
  else if (err != BRK_KERR_NONE && msg[0] == '\0')
    snprintf(msg, cap, "Topic '%s' could not be created: %s.", name, brk_kerr_name(err));
  return err;
}

int brk_api_create_topics(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  create_topic_t *topics = NULL;
  int32_t n = 0;
  bool validate_only = false;
  if (create_topics_decode(r, h->api_version, &topics, &n, &validate_only) != 0) return -1;
  brk_slice_t *names = n > 0 ? malloc((size_t)n * sizeof *names) : NULL;
  for (int32_t i = 0; names != NULL && i < n; i++) names[i] = topics[i].name;
  bool *dup = names ? brk__admin_find_dups(names, NULL, (size_t)n) : NULL;
  free(names);
  if (h->api_version >= 2) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n);                          /* Topics */
  for (int32_t i = 0; i < n; i++) {
    char msg[BRK_ADMIN_MSG_CAP] = "";
    brk_kerr_t err = brk__admin_entry_check(
        dup, i, "Create topics request contains multiple entries for this topic.", msg, sizeof msg);
    if (err == BRK_KERR_NONE) err = create_one(b, &topics[i], validate_only, msg, sizeof msg);
    brk_write_string_n(w, topics[i].name.ptr, topics[i].name.len);                   /* Name */
    brk_write_i16(w, (int16_t)err);                                                  /* ErrorCode */
    if (h->api_version >= 1) brk_write_string(w, err == BRK_KERR_NONE ? NULL : msg); /* ErrorMessage */
  }
  free(dup);
  free(topics);
  return 0;
}

/* ---- DeleteTopics ----------------------------------------------------------- */

static brk_kerr_t delete_one(brk_broker_t *b, brk_slice_t topic) {
  char name[BRK_ADMIN_TOPIC_MAX + 1];
  if (!brk__admin_topic_cstr(topic, name)) return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  return brk_store_delete_topic(brk_broker_store(b), name);
}

int brk_api_delete_topics(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  int32_t n = brk_read_array_len(r, 2); /* TopicNames */
  brk_slice_t *names = n > 0 ? calloc((size_t)n, sizeof *names) : NULL;
  if (n > 0 && names == NULL) return -1;
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) names[i] = brk_read_string(r);
  brk_read_i32(r); /* TimeoutMs: deletion is synchronous here */
  if (!brk_reader_ok(r)) {
    free(names);
    return -1;
  }
  bool *dup = brk__admin_find_dups(names, NULL, (size_t)n);
  if (h->api_version >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n);                          /* Responses */
  for (int32_t i = 0; i < n; i++) {
    brk_kerr_t err = dup == NULL ? BRK_KERR_UNKNOWN_SERVER_ERROR
                     : dup[i]    ? BRK_KERR_INVALID_REQUEST
                                 : delete_one(b, names[i]);
    brk_write_string_n(w, names[i].ptr, names[i].len); /* Name */
    brk_write_i16(w, (int16_t)err);                    /* ErrorCode */
  }
  free(dup);
  free(names);
  return 0;
}
