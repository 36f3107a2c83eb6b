// SPDX-License-Identifier: Apache-2.0
/* The broker's scrape-time collector: per-partition log start/end offsets
 * and sizes, per-group member counts and committed-offset lag, topic and
 * partition counts. It does not mirror any of it on the hot path.
 *
 * Thread safety: the collector runs on the scraping thread (an HTTP worker),
 * but topics, partitions, groups and committed offsets belong to the event
 * loop thread and have no locks (only the partitions' segment lists have a
 * mutex, and only against the flusher). So the collector asks the loop,
 * through brk__loop_call, to copy what it needs into a heap snapshot
 * (snapshot_build, on the loop thread: a few microseconds per partition),
 * waits for it at most COLLECT_TIMEOUT_MS and then writes the samples from
 * the copy on its own thread. A loop that does not answer in time costs the
 * scrape these families (logged), never a data race: the late task fills
 * and frees the abandoned snapshot itself. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"
#include "log/log.h"

#define COLLECT_TIMEOUT_MS 2000

typedef struct snap_part {
  const char *topic;
  int32_t partition;
  int64_t log_start, log_end, size;
} snap_part_t;

typedef struct snap_group {
  const char *group;
  size_t members;
} snap_group_t;

typedef struct snap_lag {
  const char *group, *topic;
  int32_t partition;
  int64_t lag;
} snap_lag_t;

/* A growable array of elements of one type. */
typedef struct snap_vec {
  void *v;
  size_t n, cap;
} snap_vec_t;

typedef struct snapshot {
  brk_broker_t *b;
  size_t n_topics;
  snap_vec_t parts, groups, lags; /* snap_part_t, snap_group_t, snap_lag_t */
  snap_vec_t strs;                /* char *: every string the samples point to */
  const char *cur_group;          /* while walking one group's offsets */
  bool oom;
} snapshot_t;

static void *vec_push(snapshot_t *s, snap_vec_t *vec, size_t size) {
  if (s->oom) return NULL;
  if (vec->n == vec->cap) {
    size_t cap = vec->cap ? vec->cap * 2 : 16;
    void *nv = realloc(vec->v, cap * size);
    if (!nv) {
      s->oom = true;
      return NULL;
    }
    vec->v = nv;
    vec->cap = cap;
  }
  return (char *)vec->v + size * vec->n++;
}

/* A copy of str owned by the snapshot (NULL when out of memory). */
static const char *snap_str(snapshot_t *s, const char *str) {
  char **slot = vec_push(s, &s->strs, sizeof(char *));
  if (!slot) return NULL;
  if (!(*slot = strdup(str))) {
    s->strs.n--;
    s->oom = true;
  }
  return *slot;
}

static void snapshot_free(void *arg) {
  snapshot_t *s = arg;
  if (!s) return;
  for (size_t i = 0; i < s->strs.n; i++) free(((char **)s->strs.v)[i]);
  free(s->strs.v);
  free(s->parts.v);
  free(s->groups.v);
  free(s->lags.v);
  free(s);
}

/* ---- loop thread: copying the state --------------------------------------------- */

static void snap_topic(snapshot_t *s, brk_store_t *store, const char *name) {
  int32_t n = brk_store_topic_partitions(store, name);
  const char *copy = n > 0 ? snap_str(s, name) : NULL;
  for (int32_t i = 0; copy && i < n; i++) {
    brk_partition_t *p = brk_store_partition(store, name, strlen(name), i);
    snap_part_t *sp = p ? vec_push(s, &s->parts, sizeof *sp) : NULL;
    if (!sp) continue;
    *sp = (snap_part_t){copy, i, brk_partition_log_start(p), brk_partition_high_watermark(p),
                        brk_partition_size_bytes(p)};
  }
}

static void snap_group(void *arg, const char *group, size_t members) {
  snapshot_t *s = arg;
  const char *copy = snap_str(s, group);
  snap_group_t *sg = copy ? vec_push(s, &s->groups, sizeof *sg) : NULL;
  if (sg) *sg = (snap_group_t){copy, members};
}

static void snap_committed(void *arg, const char *topic, int32_t partition, const brk_committed_t *c) {
  snapshot_t *s = arg;
  if (!s->cur_group || c->offset < 0) return;
  brk_partition_t *p = brk_store_partition(s->b->store, topic, strlen(topic), partition);
  if (!p) return; /* topic deleted since the commit */
  int64_t lag = brk_partition_high_watermark(p) - c->offset;
  const char *copy = snap_str(s, topic);
  snap_lag_t *sl = copy ? vec_push(s, &s->lags, sizeof *sl) : NULL;
  if (sl) *sl = (snap_lag_t){s->cur_group, copy, partition, lag > 0 ? lag : 0};
}

static void snap_offsets_group(void *arg, const char *group) {
  snapshot_t *s = arg;
  s->cur_group = snap_str(s, group);
  brk_offsets_foreach(s->b->offsets, group, snap_committed, s);
  s->cur_group = NULL;
}

static void snapshot_build(brk_broker_t *b, void *arg) {
  snapshot_t *s = arg;
  s->b = b;
  const char **names = NULL;
  s->n_topics = brk_store_topic_names(b->store, &names);
  for (size_t i = 0; i < s->n_topics && names; i++) snap_topic(s, b->store, names[i]);
  free(names);
  brk_groups_foreach(b->groups, snap_group, s);
  brk_offsets_foreach_group(b->offsets, snap_offsets_group, s);
}

/* ---- scraping thread: writing the samples ----------------------------------------- */

static void write_parts(metrics_writer_t *w, const snapshot_t *s) {
  static const char *const labels[] = {"topic", "partition"};
  static const struct {
    const char *name, *help;
    size_t field; /* 0 log end, 1 log start, 2 size */
  } fams[] = {
      {"weir_broker_partition_log_end_offset", "Offset the next record appended to the partition will get.",
       0},
      {"weir_broker_partition_log_start_offset",
       "First offset still in the partition (retention, DeleteRecords).", 1},
      {"weir_broker_partition_size_bytes", "Bytes of record batches in the partition's segments.", 2},
  };
  const snap_part_t *parts = s->parts.v;
  for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++) {
    metrics_write_header(w, fams[f].name, fams[f].help, "gauge");
    for (size_t i = 0; i < s->parts.n; i++) {
      char num[16];
      snprintf(num, sizeof num, "%" PRId32, parts[i].partition);
      const char *values[] = {parts[i].topic, num};
      int64_t v = fams[f].field == 0   ? parts[i].log_end
                  : fams[f].field == 1 ? parts[i].log_start
                                       : parts[i].size;
      metrics_write_sample(w, fams[f].name, labels, values, 2, (double)v);
    }
  }
}

static void write_groups(metrics_writer_t *w, const snapshot_t *s) {
  static const char *const glabels[] = {"group"};
  static const char *const llabels[] = {"group", "topic", "partition"};
  const snap_group_t *groups = s->groups.v;
  const snap_lag_t *lags = s->lags.v;
  metrics_write_header(w, "weir_broker_group_members", "Members of the consumer group.", "gauge");
  for (size_t i = 0; i < s->groups.n; i++) {
    const char *values[] = {groups[i].group};
    metrics_write_sample(w, "weir_broker_group_members", glabels, values, 1, (double)groups[i].members);
  }
  metrics_write_header(w, "weir_broker_group_lag",
                       "Log end offset minus the group's committed offset (0 when the commit is ahead).",
                       "gauge");
  for (size_t i = 0; i < s->lags.n; i++) {
    char num[16];
    snprintf(num, sizeof num, "%" PRId32, lags[i].partition);
    const char *values[] = {lags[i].group, lags[i].topic, num};
    metrics_write_sample(w, "weir_broker_group_lag", llabels, values, 3, (double)lags[i].lag);
  }
}

void brk__metrics_collect(void *ctx, metrics_writer_t *w) {
  brk_broker_t *b = ctx;
  snapshot_t *s = calloc(1, sizeof *s);
  if (!s) return;
  if (!brk__loop_call(b, COLLECT_TIMEOUT_MS, snapshot_build, s, snapshot_free)) {
    log_warn("broker",
             "metrics: the event loop did not answer within %d ms; partition and group metrics "
             "are left out of this scrape",
             COLLECT_TIMEOUT_MS);
    return;
  }
  if (s->oom) {
    log_warn("broker", "metrics: out of memory copying partition and group state; left out of this scrape");
    snapshot_free(s);
    return;
  }
  metrics_write_header(w, "weir_broker_topics", "Topics in the broker.", "gauge");
  metrics_write_sample(w, "weir_broker_topics", NULL, NULL, 0, (double)s->n_topics);
  metrics_write_header(w, "weir_broker_partitions", "Partitions of all topics.", "gauge");
  metrics_write_sample(w, "weir_broker_partitions", NULL, NULL, 0, (double)s->parts.n);
  write_parts(w, s);
  write_groups(w, s);
  snapshot_free(s);
}
