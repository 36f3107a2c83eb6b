// SPDX-License-Identifier: Apache-2.0
/* The committed-offsets store behind brk_offsets.h: every change is first
 * encoded as a log record, appended durably (brk_offsets_file.c), and only
 * then applied to the in-memory map by the same replay code recovery uses,
 * so memory never holds anything the disk does not. Expiry follows Kafka
 * 2.1+: only groups without members lose offsets, counted from the later of
 * the commit and the last time the group was seen active. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"
#include "brk_offsets_int.h"
#include "log/log.h"

brk_offsets_t *brk_offsets_open(const char *dir, int64_t retention_ms, char *errbuf, size_t errbuf_len) {
  brk_offsets_t *o = calloc(1, sizeof *o);
  if (!o) {
    snprintf(errbuf, errbuf_len, "offsets: out of memory");
    return NULL;
  }
  brk__offmap_init(&o->map);
  o->retention_ms = retention_ms;
  if (brk__offlog_open(&o->log, dir, &o->map, brk__wall_ms(), errbuf, errbuf_len) != 0) {
    brk__offmap_fini(&o->map);
    free(o);
    return NULL;
  }
  log_info("broker", "offsets: recovered %zu committed offsets of %zu groups", o->map.n_entries, o->map.n);
  brk__offlog_maybe_compact(&o->log, &o->map);
  return o;
}

void brk_offsets_close(brk_offsets_t *o) {
  if (!o) return;
  brk__offlog_close(&o->log);
  brk__offmap_fini(&o->map);
  free(o);
}

/* Applies the frames of buf (already durable) to the map. Memory that no
 * longer matches the disk would serve wrong offsets: fail-stop instead. */
static void apply_frames(brk_offsets_t *o, const uint8_t *buf, size_t len) {
  size_t pos = 0;
  while (pos < len) {
    size_t total = 0;
    int ok = brk__offrec_frame(buf + pos, len - pos, &total);
    int rc =
        ok ? brk__offrec_apply(&o->map, buf + pos + BRK__OFFREC_FRAME_HDR, total - BRK__OFFREC_FRAME_HDR, 0)
           : -1;
    if (rc != 0) {
      log_error("broker", "offsets: cannot apply a durable record (error %d): stopping (fail-stop)", rc);
      abort();
    }
    pos += total;
  }
}

/* Appends w's records durably and applies them. 0 or -errno. */
static int write_and_apply(brk_offsets_t *o, brk_writer_t *w) {
  if (!brk_writer_ok(w)) return -1;
  int rc = brk__offlog_append(&o->log, w->buf, w->len);
  if (rc != 0) return rc;
  apply_frames(o, w->buf, w->len);
  brk__offlog_maybe_compact(&o->log, &o->map);
  return 0;
}

brk_kerr_t brk_offsets_commit_expiring(brk_offsets_t *o, const char *group, brk_offset_commit_t *items,
                                       size_t n, int64_t now_ms, int64_t expire_ms) {
  brk_writer_t w = {0};
  size_t start = brk__offrec_begin(&w, BRK__OFFREC_COMMIT, group, strlen(group));
  size_t count_pos = brk_write_placeholder_i32(&w);
  int32_t count = 0;
  for (size_t i = 0; i < n; i++) {
    size_t md_len = items[i].metadata ? strlen(items[i].metadata) : 0;
    items[i].result = md_len > BRK_OFFSETS_METADATA_MAX ? BRK_KERR_OFFSET_METADATA_TOO_LARGE : BRK_KERR_NONE;
    if (items[i].result != BRK_KERR_NONE) continue;
    brk__off_item_t it = {items[i].topic,
                          strlen(items[i].topic),
                          items[i].partition,
                          items[i].offset,
                          items[i].leader_epoch,
                          items[i].metadata,
                          md_len,
                          now_ms,
                          expire_ms};
    brk__offrec_put_item(&w, &it);
    count++;
  }
  brk_writer_patch_i32(&w, count_pos, count);
  brk__offrec_end(&w, start);
  int rc = count > 0 ? write_and_apply(o, &w) : 0;
  brk_writer_fini(&w);
  if (rc == 0) return BRK_KERR_NONE;
  for (size_t i = 0; i < n; i++)
    if (items[i].result == BRK_KERR_NONE) items[i].result = BRK_KERR_KAFKA_STORAGE_ERROR;
  return BRK_KERR_KAFKA_STORAGE_ERROR;
}

brk_kerr_t brk_offsets_commit(brk_offsets_t *o, const char *group, brk_offset_commit_t *items, size_t n,
                              int64_t now_ms) {
  return brk_offsets_commit_expiring(o, group, items, n, now_ms, -1);
}

void brk_offsets_get(const brk_offsets_t *o, const char *group, const char *topic, int32_t partition,
                     brk_committed_t *out) {
  const brk__off_group_t *g = brk__offmap_group((brk__off_map_t *)&o->map, group, strlen(group), false);
  const brk__off_entry_t *e = brk__offmap_find(g, topic, strlen(topic), partition);
  *out = (brk_committed_t){.offset = -1, .leader_epoch = -1, .metadata = "", .commit_ms = -1};
  if (!e) return;
  *out = (brk_committed_t){e->offset, e->leader_epoch, e->metadata, e->commit_ms};
}

void brk_offsets_foreach(const brk_offsets_t *o, const char *group,
                         void (*fn)(void *arg, const char *topic, int32_t partition,
                                    const brk_committed_t *c),
                         void *arg) {
  const brk__off_group_t *g = brk__offmap_group((brk__off_map_t *)&o->map, group, strlen(group), false);
  if (!g) return;
  for (size_t i = 0; i < g->n_buckets; i++) {
    for (const brk__off_entry_t *e = g->buckets[i]; e; e = e->next) {
      brk_committed_t c = {e->offset, e->leader_epoch, e->metadata, e->commit_ms};
      fn(arg, e->topic, e->partition, &c);
    }
  }
}

bool brk_offsets_has_group(const brk_offsets_t *o, const char *group) {
  return brk__offmap_group((brk__off_map_t *)&o->map, group, strlen(group), false) != NULL;
}

void brk_offsets_foreach_group(const brk_offsets_t *o, void (*fn)(void *arg, const char *group), void *arg) {
  for (size_t i = 0; i < o->map.n_buckets; i++)
    for (const brk__off_group_t *g = o->map.buckets[i]; g; g = g->next) fn(arg, g->name);
}

brk_kerr_t brk_offsets_delete_group(brk_offsets_t *o, const char *group) {
  if (!brk_offsets_has_group(o, group)) return BRK_KERR_NONE;
  brk_writer_t w = {0};
  brk__offrec_end(&w, brk__offrec_begin(&w, BRK__OFFREC_DELETE_GROUP, group, strlen(group)));
  int rc = write_and_apply(o, &w);
  brk_writer_fini(&w);
  return rc == 0 ? BRK_KERR_NONE : BRK_KERR_KAFKA_STORAGE_ERROR;
}

static bool entry_expired(const brk_offsets_t *o, const brk__off_group_t *g, const brk__off_entry_t *e,
                          int64_t now_ms) {
  if (e->expire_ms >= 0) return now_ms >= e->expire_ms;
  if (o->retention_ms < 0) return false;
  int64_t base = e->commit_ms > g->active_ms ? e->commit_ms : g->active_ms;
  return now_ms - base >= o->retention_ms;
}

/* Adds g's expired entries to w as one record (DELETE_GROUP if all are). */
static void expire_group(const brk_offsets_t *o, const brk__off_group_t *g, int64_t now_ms, brk_writer_t *w) {
  size_t mark = w->len;
  size_t start = brk__offrec_begin(w, BRK__OFFREC_DELETE_ITEMS, g->name, strlen(g->name));
  size_t count_pos = brk_write_placeholder_i32(w);
  int32_t count = 0;
  for (size_t i = 0; i < g->n_buckets; i++) {
    for (const brk__off_entry_t *e = g->buckets[i]; e; e = e->next) {
      if (!entry_expired(o, g, e, now_ms)) continue;
      brk__offrec_put_key(w, e->topic, strlen(e->topic), e->partition);
      count++;
    }
  }
  if (count == 0 || (size_t)count == g->n) w->len = mark; /* nothing, or the whole group */
  if (count > 0 && (size_t)count == g->n) {
    start = brk__offrec_begin(w, BRK__OFFREC_DELETE_GROUP, g->name, strlen(g->name));
    brk__offrec_end(w, start);
    return;
  }
  if (count == 0) return;
  brk_writer_patch_i32(w, count_pos, count);
  brk__offrec_end(w, start);
}

void brk_offsets_expire(brk_offsets_t *o, int64_t now_ms, bool (*is_active)(void *arg, const char *group),
                        void *arg) {
  brk_writer_t w = {0};
  for (size_t i = 0; i < o->map.n_buckets; i++) {
    for (brk__off_group_t *g = o->map.buckets[i]; g; g = g->next) {
      if (is_active && is_active(arg, g->name)) {
        g->active_ms = now_ms;
        continue;
      }
      expire_group(o, g, now_ms, &w);
    }
  }
  if (w.len > 0) {
    size_t before = o->map.n_entries;
    if (write_and_apply(o, &w) == 0)
      log_info("broker", "offsets: expired %zu committed offsets", before - o->map.n_entries);
  }
  brk_writer_fini(&w);
}

static bool group_is_active(void *arg, const char *group) {
  return brk_groups_is_active(arg, group);
}

void brk_offsets_tick(brk_broker_t *b, int64_t now_ms) {
  if (b->offsets && b->groups) brk_offsets_expire(b->offsets, now_ms, group_is_active, b->groups);
}
