// SPDX-License-Identifier: Apache-2.0
/* The record format of the committed-offsets log (layout in
 * brk_offsets_int.h): encoding records into a writer, checking a frame's
 * length and CRC-32C, and replaying one record into the in-memory map. It
 * does no I/O; brk_offsets_file.c owns the file. */
#include <errno.h>
#include <string.h>

#include "brk_log_int.h"
#include "brk_offsets_int.h"

static void put_str(brk_writer_t *w, const char *s, size_t len) {
  brk_write_i32(w, (int32_t)len);
  if (len) brk_write_raw(w, s, len);
}

size_t brk__offrec_begin(brk_writer_t *w, int type, const char *group, size_t group_len) {
  size_t start = w->len;
  brk_write_i32(w, 0); /* length, patched by _end */
  brk_write_i32(w, 0); /* crc, patched by _end */
  brk_write_i8(w, (int8_t)type);
  put_str(w, group, group_len);
  return start;
}

void brk__offrec_put_u32(brk_writer_t *w, uint32_t v) {
  brk_write_i32(w, (int32_t)v);
}

void brk__offrec_put_item(brk_writer_t *w, const brk__off_item_t *it) {
  put_str(w, it->topic, it->topic_len);
  brk_write_i32(w, it->partition);
  brk_write_i64(w, it->offset);
  brk_write_i32(w, it->leader_epoch);
  brk_write_i64(w, it->commit_ms);
  brk_write_i64(w, it->expire_ms);
  put_str(w, it->metadata ? it->metadata : "", it->metadata ? it->metadata_len : 0);
}

void brk__offrec_put_key(brk_writer_t *w, const char *topic, size_t topic_len, int32_t partition) {
  put_str(w, topic, topic_len);
  brk_write_i32(w, partition);
}

void brk__offrec_end(brk_writer_t *w, size_t start) {
  if (!brk_writer_ok(w)) return;
  size_t body = w->len - start - BRK__OFFREC_FRAME_HDR;
  brk__put_u32(w->buf + start, (uint32_t)body);
  brk__put_u32(w->buf + start + 4, brk__crc32c(0, w->buf + start + BRK__OFFREC_FRAME_HDR, body));
}

int brk__offrec_frame(const uint8_t *data, size_t avail, size_t *total) {
  if (avail < BRK__OFFREC_FRAME_HDR) return 0;
  uint32_t len = brk__get_u32(data);
  if (len == 0 || len > BRK__OFFREC_MAX_BODY || len > avail - BRK__OFFREC_FRAME_HDR) return 0;
  if (brk__crc32c(0, data + BRK__OFFREC_FRAME_HDR, len) != brk__get_u32(data + 4)) return 0;
  *total = BRK__OFFREC_FRAME_HDR + (size_t)len;
  return 1;
}

static brk_slice_t get_str(brk_reader_t *r) {
  int32_t len = brk_read_i32(r);
  brk_slice_t s = {NULL, 0};
  if (len < 0 || (size_t)len > brk_reader_remaining(r)) {
    r->failed = true;
    return s;
  }
  s.ptr = r->p;
  s.len = len;
  r->p += len;
  return s;
}

static int apply_commit(brk__off_map_t *m, brk__off_group_t *g, brk_reader_t *r) {
  uint32_t n = (uint32_t)brk_read_i32(r);
  for (uint32_t i = 0; i < n && brk_reader_ok(r); i++) {
    brk__off_item_t it;
    brk_slice_t t = get_str(r);
    it.topic = (const char *)t.ptr;
    it.topic_len = (size_t)t.len;
    it.partition = brk_read_i32(r);
    it.offset = brk_read_i64(r);
    it.leader_epoch = brk_read_i32(r);
    it.commit_ms = brk_read_i64(r);
    it.expire_ms = brk_read_i64(r);
    brk_slice_t md = get_str(r);
    it.metadata = (const char *)md.ptr;
    it.metadata_len = (size_t)md.len;
    if (!brk_reader_ok(r)) return -EINVAL;
    if (brk__offmap_put(m, g, &it) != 0) return -ENOMEM;
  }
  return brk_reader_ok(r) ? 0 : -EINVAL;
}

static int apply_delete_items(brk__off_map_t *m, brk__off_group_t *g, brk_reader_t *r) {
  uint32_t n = (uint32_t)brk_read_i32(r);
  for (uint32_t i = 0; i < n && brk_reader_ok(r); i++) {
    brk_slice_t t = get_str(r);
    int32_t partition = brk_read_i32(r);
    if (!brk_reader_ok(r)) return -EINVAL;
    brk__offmap_remove(m, g, (const char *)t.ptr, (size_t)t.len, partition);
  }
  return brk_reader_ok(r) ? 0 : -EINVAL;
}

int brk__offrec_apply(brk__off_map_t *m, const uint8_t *body, size_t len, int64_t active_ms) {
  brk_reader_t r;
  brk_reader_init(&r, body, len);
  int type = brk_read_i8(&r);
  brk_slice_t name = get_str(&r);
  if (!brk_reader_ok(&r)) return -EINVAL;
  bool create = type == BRK__OFFREC_COMMIT;
  brk__off_group_t *g = brk__offmap_group(m, (const char *)name.ptr, (size_t)name.len, create);
  if (create && !g) return -ENOMEM;
  int rc = -EINVAL;
  if (type == BRK__OFFREC_COMMIT) {
    if (g->active_ms < active_ms) g->active_ms = active_ms;
    rc = apply_commit(m, g, &r);
  } else if (type == BRK__OFFREC_DELETE_GROUP) {
    brk__offmap_drop_group(m, g);
    rc = 0;
  } else if (type == BRK__OFFREC_DELETE_ITEMS) {
    rc = g ? apply_delete_items(m, g, &r) : 0;
  }
  if (rc == 0 && g && type != BRK__OFFREC_DELETE_GROUP && g->n == 0) brk__offmap_drop_group(m, g);
  return rc;
}
