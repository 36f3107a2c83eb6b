// SPDX-License-Identifier: Apache-2.0
/* Topic administration on the store: CreateTopics (staged in staging/, then
 * renamed into topics/), DeleteTopics (renamed into trash/, then removed),
 * CreatePartitions and AlterConfigs. Each change is durable before it
 * returns; validate_only checks without changing anything. Errors carry a
 * message in brk_store_last_error for the response's ErrorMessage. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_log_int.h"
#include "log/log.h"

static brk_kerr_t storage_error(brk_store_t *store, const char *what, int rc) {
  brk__store_err(store, "%s: %s", what, strerror(-rc));
  log_error(BRK_LOG_COMPONENT, "%s: %s", what, strerror(-rc));
  if (rc == -EIO) brk__store_fail(store, what, EIO);
  return BRK_KERR_KAFKA_STORAGE_ERROR;
}

static brk_kerr_t create_check(brk_store_t *store, const char *name, int32_t partitions) {
  if (!brk_topic_name_valid(name, strlen(name))) {
    brk__store_err(store, "invalid topic name \"%.260s\"", name);
    return BRK_KERR_INVALID_TOPIC_EXCEPTION;
  }
  if (brk__store_find_topic(store, name, strlen(name))) {
    brk__store_err(store, "topic \"%s\" already exists", name);
    return BRK_KERR_TOPIC_ALREADY_EXISTS;
  }
  if (partitions < 1 || partitions > BRK_LOG_MAX_PARTITIONS) {
    brk__store_err(store, "partitions must be 1..%d, got %" PRId32, BRK_LOG_MAX_PARTITIONS, partitions);
    return BRK_KERR_INVALID_PARTITIONS;
  }
  if (store->n_topics >= BRK_LOG_MAX_TOPICS) {
    brk__store_err(store, "too many topics (at most %d)", BRK_LOG_MAX_TOPICS);
    return BRK_KERR_POLICY_VIOLATION;
  }
  return BRK_KERR_NONE;
}

/* Writes staging/<name>/topic.properties and renames it into topics/. */
static int create_on_disk(brk_store_t *store, const char *name, int32_t partitions,
                          const brk__kvset_t *over) {
  char staged[PATH_MAX], final[PATH_MAX];
  snprintf(staged, sizeof staged, "%s/%s", store->staging_dir, name);
  snprintf(final, sizeof final, "%s/%s", store->topics_dir, name);
  int rc = brk__remove_tree(staged);
  if (rc == 0) rc = brk__mkdir(staged);
  char *text = rc == 0 ? brk__topic_props_format(partitions, over) : NULL;
  if (rc == 0 && !text) rc = -ENOMEM;
  if (rc == 0) rc = brk__write_file_atomic(staged, "topic.properties", text, strlen(text));
  free(text);
  if (rc == 0 && rename(staged, final) < 0) rc = -errno;
  if (rc == 0) rc = brk__fsync_dir(store->topics_dir);
  if (rc == 0) rc = brk__fsync_dir(store->staging_dir);
  return rc;
}

brk_kerr_t brk_store_create_topic(brk_store_t *store, const char *name, int32_t partitions,
                                  const brk_kv_t *configs, size_t n_configs, bool validate_only) {
  store->last_err[0] = '\0';
  brk_kerr_t e = create_check(store, name, partitions);
  brk__kvset_t over;
  brk__topic_cfg_t cfg;
  if (e == BRK_KERR_NONE) e = brk__kvset_merge(store, NULL, configs, n_configs, true, &over, &cfg);
  if (e != BRK_KERR_NONE) return e;
  if (validate_only || atomic_load(&store->failed)) {
    brk__kvset_free(&over);
    return validate_only ? BRK_KERR_NONE : BRK_KERR_KAFKA_STORAGE_ERROR;
  }
  int rc = create_on_disk(store, name, partitions, &over);
  brk__kvset_free(&over);
  if (rc != 0) return storage_error(store, name, rc);
  brk__topic_t *t = brk__topic_load(store, name, &rc);
  if (t && brk__store_insert_topic(store, t) != 0) {
    brk__topic_free(t);
    t = NULL;
    rc = -ENOMEM;
  }
  if (!t) return storage_error(store, name, rc);
  log_info(BRK_LOG_COMPONENT, "created topic %s with %" PRId32 " partitions", name, partitions);
  return BRK_KERR_NONE;
}

brk_kerr_t brk_store_delete_topic(brk_store_t *store, const char *name) {
  store->last_err[0] = '\0';
  brk__topic_t *t = brk__store_find_topic(store, name, strlen(name));
  if (!t) {
    brk__store_err(store, "unknown topic \"%.260s\"", name);
    return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  }
  char trash[PATH_MAX];
  snprintf(trash, sizeof trash, "%s/%s.%" PRIu64, store->trash_dir, name, ++store->trash_seq);
  int rc = brk__remove_tree(trash);
  if (rc == 0 && rename(t->dir, trash) < 0) rc = -errno;
  if (rc == 0) rc = brk__fsync_dir(store->topics_dir);
  if (rc != 0) return storage_error(store, name, rc);
  brk__store_remove_topic(store, t);
  brk__topic_free(t); /* queued flushes and read slices keep what they use alive */
  rc = brk__remove_tree(trash);
  if (rc != 0) log_warn(BRK_LOG_COMPONENT, "%s: %s (removed at next start)", trash, strerror(-rc));
  log_info(BRK_LOG_COMPONENT, "deleted topic %s", name);
  return BRK_KERR_NONE;
}

static int write_props_of(const brk__topic_t *t, int32_t n_parts) {
  char *text = brk__topic_props_format(n_parts, &t->over);
  int rc = text ? brk__write_file_atomic(t->dir, "topic.properties", text, strlen(text)) : -ENOMEM;
  free(text);
  return rc;
}

static brk_kerr_t grow_partitions(brk_store_t *store, brk__topic_t *t, int32_t new_total) {
  brk_partition_t **parts = realloc(t->parts, (size_t)new_total * sizeof *parts);
  if (!parts) return storage_error(store, t->name, -ENOMEM);
  t->parts = parts;
  for (int32_t i = t->n_parts; i < new_total; i++) { /* leftovers of an interrupted attempt */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%" PRId32, t->dir, i);
    brk__remove_tree(dir);
  }
  int rc = 0;
  for (int32_t i = t->n_parts; i < new_total && rc == 0; i++) {
    t->parts[i] = brk__partition_open(store, t, i, true, &rc);
    if (!t->parts[i]) new_total = i; /* keep what opened; drop below */
  }
  if (rc == 0) rc = brk__fsync_dir(t->dir);
  if (rc == 0) rc = write_props_of(t, new_total);
  if (rc != 0) {
    for (int32_t i = t->n_parts; i < new_total; i++) brk__partition_unref(t->parts[i]);
    return storage_error(store, t->name, rc);
  }
  t->n_parts = new_total;
  return BRK_KERR_NONE;
}

brk_kerr_t brk_store_create_partitions(brk_store_t *store, const char *name, int32_t new_total,
                                       bool validate_only) {
  store->last_err[0] = '\0';
  brk__topic_t *t = brk__store_find_topic(store, name, strlen(name));
  if (!t) {
    brk__store_err(store, "unknown topic \"%.260s\"", name);
    return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  }
  if (new_total <= t->n_parts || new_total > BRK_LOG_MAX_PARTITIONS) {
    brk__store_err(store, "topic %s has %" PRId32 " partitions; the new count must be larger and at most %d",
                   name, t->n_parts, BRK_LOG_MAX_PARTITIONS);
    return BRK_KERR_INVALID_PARTITIONS;
  }
  if (validate_only) return BRK_KERR_NONE;
  if (atomic_load(&store->failed)) return BRK_KERR_KAFKA_STORAGE_ERROR;
  return grow_partitions(store, t, new_total);
}

brk_kerr_t brk_store_topic_configs_alter(brk_store_t *store, const char *topic, const brk_kv_t *configs,
                                         size_t n, bool replace, bool validate_only) {
  store->last_err[0] = '\0';
  brk__topic_t *t = brk__store_find_topic(store, topic, strlen(topic));
  if (!t) {
    brk__store_err(store, "unknown topic \"%.260s\"", topic);
    return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  }
  brk__kvset_t over;
  brk__topic_cfg_t cfg;
  brk_kerr_t e = brk__kvset_merge(store, &t->over, configs, n, replace, &over, &cfg);
  if (e != BRK_KERR_NONE || validate_only) {
    if (e == BRK_KERR_NONE) brk__kvset_free(&over);
    return e;
  }
  brk__kvset_t old = t->over;
  t->over = over;
  int rc = write_props_of(t, t->n_parts);
  t->over = old;
  if (rc != 0) {
    brk__kvset_free(&over);
    return storage_error(store, t->name, rc);
  }
  brk__kvset_free(&t->over);
  t->over = over;
  t->cfg = cfg;
  return BRK_KERR_NONE;
}
