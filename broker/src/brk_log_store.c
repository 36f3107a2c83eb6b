// SPDX-License-Identifier: Apache-2.0
/* The store: opening a data directory (lock, clean-shutdown marker,
 * leftovers of interrupted creates/deletes, loading every topic with crash
 * recovery), the sorted topic table and its lookups, failing the store on
 * I/O errors, and the orderly close that flushes everything and writes the
 * clean-shutdown marker. Topic admin is brk_log_admin.c's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "brk_log_int.h"
#include "log/log.h"

#define CLEAN_MARKER "clean-shutdown"

void brk__store_fail(brk_store_t *store, const char *what, int err) {
  if (!atomic_exchange(&store->failed, true))
    log_error(BRK_LOG_COMPONENT, "%s: %s: storage failed, refusing further writes", what, strerror(err));
}

static int topic_cmp(const brk__topic_t *t, const char *name, size_t len) {
  size_t tl = strlen(t->name);
  int c = memcmp(t->name, name, tl < len ? tl : len);
  return c ? c : (tl > len) - (tl < len);
}

/* Index of the first topic >= name. */
static size_t topic_lower_bound(const brk_store_t *store, const char *name, size_t len) {
  size_t lo = 0, hi = store->n_topics;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (topic_cmp(store->topics[mid], name, len) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

brk__topic_t *brk__store_find_topic(const brk_store_t *store, const char *name, size_t len) {
  size_t i = topic_lower_bound(store, name, len);
  return i < store->n_topics && topic_cmp(store->topics[i], name, len) == 0 ? store->topics[i] : NULL;
}

int brk__store_insert_topic(brk_store_t *store, brk__topic_t *t) {
  if (store->n_topics == store->cap_topics) {
    size_t cap = store->cap_topics ? store->cap_topics * 2 : 16;
    brk__topic_t **n = realloc(store->topics, cap * sizeof *n);
    if (!n) return -ENOMEM;
    store->topics = n;
    store->cap_topics = cap;
  }
  size_t i = topic_lower_bound(store, t->name, strlen(t->name));
  memmove(store->topics + i + 1, store->topics + i, (store->n_topics - i) * sizeof *store->topics);
  store->topics[i] = t;
  store->n_topics++;
  return 0;
}

void brk__store_remove_topic(brk_store_t *store, const brk__topic_t *t) {
  size_t i = topic_lower_bound(store, t->name, strlen(t->name));
  if (i >= store->n_topics || store->topics[i] != t) return;
  memmove(store->topics + i, store->topics + i + 1, (store->n_topics - i - 1) * sizeof *store->topics);
  store->n_topics--;
}

int32_t brk_store_topic_partitions(const brk_store_t *store, const char *name) {
  const brk__topic_t *t = brk__store_find_topic(store, name, strlen(name));
  return t ? t->n_parts : -1;
}

size_t brk_store_topic_names(const brk_store_t *store, const char ***names) {
  *names = NULL;
  if (store->n_topics == 0) return 0;
  const char **arr = malloc(store->n_topics * sizeof *arr);
  if (!arr) return 0;
  for (size_t i = 0; i < store->n_topics; i++) arr[i] = store->topics[i]->name;
  *names = arr;
  return store->n_topics;
}

brk_partition_t *brk_store_partition(brk_store_t *store, const char *topic, size_t topic_len,
                                     int32_t partition) {
  const brk__topic_t *t = brk__store_find_topic(store, topic, topic_len);
  if (!t || partition < 0 || partition >= t->n_parts) return NULL;
  return t->parts[partition];
}

static char *path_join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s", a, b);
  return p;
}

/* Directories, lock, clean marker (read and removed). */
static int store_prepare(brk_store_t *store) {
  store->topics_dir = path_join(store->dir, "topics");
  store->staging_dir = path_join(store->dir, "staging");
  store->trash_dir = path_join(store->dir, "trash");
  char *lock = path_join(store->dir, ".lock"), *marker = path_join(store->dir, CLEAN_MARKER);
  int rc = store->topics_dir && store->staging_dir && store->trash_dir && lock && marker ? 0 : -ENOMEM;
  if (rc == 0) rc = brk__mkdir(store->dir);
  if (rc == 0 && (store->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) rc = -errno;
  if (rc == 0 && flock(store->lock_fd, LOCK_EX | LOCK_NB) < 0) rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
  if (rc == 0) rc = brk__mkdir(store->topics_dir);
  if (rc == 0) rc = brk__remove_tree(store->staging_dir);
  if (rc == 0) rc = brk__remove_tree(store->trash_dir);
  if (rc == 0) rc = brk__mkdir(store->staging_dir);
  if (rc == 0) rc = brk__mkdir(store->trash_dir);
  if (rc == 0) {
    store->was_clean = unlink(marker) == 0;
    if (store->was_clean) rc = brk__fsync_dir(store->dir);
  }
  free(lock);
  free(marker);
  return rc;
}

static int load_topics(brk_store_t *store, char *errbuf, size_t errbuf_len) {
  DIR *d = opendir(store->topics_dir);
  if (!d) return -errno;
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (!brk_topic_name_valid(e->d_name, strlen(e->d_name))) continue;
    brk__topic_t *t = brk__topic_load(store, e->d_name, &rc);
    if (t && (rc = brk__store_insert_topic(store, t)) != 0) brk__topic_free(t);
    if (rc != 0) snprintf(errbuf, errbuf_len, "topic %s: %s", e->d_name, strerror(-rc));
  }
  closedir(d);
  return rc;
}

brk_store_t *brk_store_open(const brk_store_opts_t *opts, char *errbuf, size_t errbuf_len) {
  brk_store_t *store = calloc(1, sizeof *store);
  if (!store || !(store->dir = strdup(opts->dir))) {
    free(store);
    snprintf(errbuf, errbuf_len, "out of memory");
    return NULL;
  }
  store->opts = *opts;
  store->opts.dir = store->dir;
  store->lock_fd = -1;
  atomic_init(&store->failed, false);
  brk__store_defaults_init(store);
  int rc = store_prepare(store);
  if (rc != 0)
    snprintf(errbuf, errbuf_len, "%s: %s", opts->dir,
             rc == -EBUSY ? "in use by another process" : strerror(-rc));
  if (rc == 0) rc = load_topics(store, errbuf, errbuf_len);
  if (rc == 0 && (rc = brk__flusher_start(store)) != 0)
    snprintf(errbuf, errbuf_len, "flusher thread: %s", strerror(-rc));
  if (rc != 0) {
    store->failed = true; /* no clean marker */
    brk_store_close(store);
    return NULL;
  }
  /* An empty store has nothing to recover: don't call a new data dir "unclean". */
  log_info(BRK_LOG_COMPONENT, "opened %s: %zu topics%s", opts->dir, store->n_topics,
           store->n_topics == 0 ? "" : store->was_clean ? " (clean shutdown)" : " (unclean shutdown: logs checked)");
  return store;
}

void brk_store_close(brk_store_t *store) {
  if (!store) return;
  brk__flusher_stop(store);
  for (size_t i = 0; i < store->n_topics; i++) {
    brk__topic_t *t = store->topics[i];
    for (int32_t j = 0; j < t->n_parts; j++) brk__partition_shutdown(t->parts[j]);
  }
  if (!atomic_load(&store->failed) && store->lock_fd >= 0) {
    int rc = brk__write_file_atomic(store->dir, CLEAN_MARKER, "", 0);
    if (rc != 0) log_warn(BRK_LOG_COMPONENT, "%s: clean-shutdown marker: %s", store->dir, strerror(-rc));
  }
  for (size_t i = 0; i < store->n_topics; i++) brk__topic_free(store->topics[i]);
  free(store->topics);
  if (store->lock_fd >= 0) close(store->lock_fd);
  free(store->topics_dir);
  free(store->staging_dir);
  free(store->trash_dir);
  free(store->dir);
  free(store);
}
