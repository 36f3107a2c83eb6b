// SPDX-License-Identifier: Apache-2.0
/* Topics of the store: names, the per-topic topic.properties file
 * (partition count + configs set on the topic, replaced atomically and
 * durably), loading a topic with its partitions, and the admin operations
 * CreateTopics, DeleteTopics, CreatePartitions and AlterConfigs. A topic is
 * created in staging/ and renamed into topics/ so a crash never leaves half
 * a topic; deletion renames it into trash/ first. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_log_int.h"
#include "log/log.h"

#define PROPS_FILE "topic.properties"
#define PROPS_MAX (1 << 20)

char *brk__topic_props_format(int32_t n_parts, const brk__kvset_t *over) {
  size_t cap = 128;
  for (size_t i = 0; i < over->n; i++) cap += strlen(over->keys[i]) + strlen(over->values[i]) + 16;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  size_t len = (size_t)snprintf(
      buf, cap, "# weir topic metadata, replaced atomically\npartitions=%" PRId32 "\n", n_parts);
  for (size_t i = 0; i < over->n; i++)
    len += (size_t)snprintf(buf + len, cap - len, "config.%s=%s\n", over->keys[i], over->values[i]);
  return buf;
}

/* Parses topic.properties in place; configs point into text. */
static int props_parse(char *text, int32_t *n_parts, brk_kv_t *kvs, size_t max_kvs, size_t *n_kvs) {
  *n_parts = -1;
  *n_kvs = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char *eq = strchr(line, '=');
    if (line[0] == '#' || !eq) continue;
    *eq = '\0';
    if (strcmp(line, "partitions") == 0) {
      char *end = NULL;
      long v = strtol(eq + 1, &end, 10);
      if (*end || v < 1 || v > BRK_LOG_MAX_PARTITIONS) return -EINVAL;
      *n_parts = (int32_t)v;
    } else if (strncmp(line, "config.", 7) == 0 && *n_kvs < max_kvs &&
               brk__topic_cfg_valid(line + 7, eq + 1)) {
      kvs[(*n_kvs)++] = (brk_kv_t){line + 7, eq + 1};
    } else {
      log_warn(BRK_LOG_COMPONENT, "topic.properties: ignoring \"%.100s\"", line);
    }
  }
  return *n_parts > 0 ? 0 : -EINVAL;
}

void brk__topic_free(brk__topic_t *t) {
  if (!t) return;
  for (int32_t i = 0; i < t->n_parts; i++) brk__partition_unref(t->parts[i]);
  free(t->parts);
  brk__kvset_free(&t->over);
  free(t->name);
  free(t->dir);
  free(t);
}

/* Opens partitions [from, to) of t into t->parts (already sized). */
static int open_parts(brk_store_t *store, brk__topic_t *t, int32_t from, int32_t to, bool clean) {
  int32_t i = from;
  int rc = 0;
  for (; i < to && rc == 0; i++) {
    t->parts[i] = brk__partition_open(store, t, i, clean, &rc);
    if (!t->parts[i]) break;
  }
  if (rc == 0) rc = brk__fsync_dir(t->dir);
  if (rc != 0) {
    for (int32_t j = from; j < i && j < to; j++) brk__partition_unref(t->parts[j]);
  }
  return rc;
}

static brk__topic_t *topic_new(brk_store_t *store, const char *name) {
  brk__topic_t *t = calloc(1, sizeof *t);
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s/%s", store->topics_dir, name);
  if (!t || !(t->name = strdup(name)) || !(t->dir = strdup(dir))) {
    if (t) free(t->name);
    free(t);
    return NULL;
  }
  return t;
}

static int topic_read_props(brk_store_t *store, brk__topic_t *t, int32_t *n_parts) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", t->dir, PROPS_FILE);
  char *text = brk__read_small_file(path, PROPS_MAX, NULL);
  if (!text) return -errno;
  brk_kv_t kvs[64];
  size_t n = 0;
  int rc = props_parse(text, n_parts, kvs, 64, &n);
  if (rc == 0 && brk__kvset_merge(store, NULL, kvs, n, true, &t->over, &t->cfg) != BRK_KERR_NONE)
    rc = -EINVAL;
  free(text);
  return rc;
}

brk__topic_t *brk__topic_load(brk_store_t *store, const char *name, int *err) {
  brk__topic_t *t = topic_new(store, name);
  int32_t n_parts = 0;
  int rc = t ? topic_read_props(store, t, &n_parts) : -ENOMEM;
  if (rc == 0) {
    t->parts = calloc((size_t)n_parts, sizeof *t->parts);
    rc = t->parts ? open_parts(store, t, 0, n_parts, store->was_clean) : -ENOMEM;
  }
  if (rc != 0) {
    if (t) free(t->parts), t->parts = NULL;
    brk__topic_free(t);
    *err = rc;
    return NULL;
  }
  t->n_parts = n_parts;
  return t;
}
