// SPDX-License-Identifier: Apache-2.0
/* The transaction coordinator's durable state: <data_dir>/broker/txn/txn.log,
 * a sequence of CRC-framed records ([u32 length][u32 crc32c][payload]):
 * 'P' reserves producer ids below a limit, 'T' holds one transactional id's
 * whole state (the last one wins). Replayed on open (a torn tail is cut),
 * then compacted to one record per id; compacted again when it grows. Every
 * record is fsynced before the coordinator answers (Kafka's acks=all on
 * __transaction_state). The coordinator logic is in brk_txn.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk_log_int.h" /* crc32c and file helpers */
#include "brk_txn_int.h"

enum { FRAME_HDR = 8, COMPACT_EVERY = 1000 };
#define LOG_NAME "txn.log"

static void put_str(brk_writer_t *w, const char *s) { brk_write_string(w, s); }

static void encode_entry(brk_writer_t *w, const brk__txn_entry_t *e) {
  brk_write_i8(w, 'T');
  put_str(w, e->tid);
  brk_write_i64(w, e->pid);
  brk_write_i16(w, e->epoch);
  brk_write_i32(w, e->timeout_ms);
  brk_write_i8(w, (int8_t)e->state);
  brk_write_i32(w, (int32_t)e->n_parts);
  for (size_t i = 0; i < e->n_parts; i++) {
    put_str(w, e->parts[i].topic);
    brk_write_i32(w, e->parts[i].partition);
  }
  brk_write_i32(w, (int32_t)e->n_groups);
  for (size_t i = 0; i < e->n_groups; i++) put_str(w, e->groups[i]);
  brk_write_i32(w, (int32_t)e->n_offsets);
  for (size_t i = 0; i < e->n_offsets; i++) {
    const brk__txn_offset_t *o = &e->offsets[i];
    put_str(w, o->group);
    put_str(w, o->topic);
    put_str(w, o->metadata);
    brk_write_i32(w, o->partition);
    brk_write_i32(w, o->leader_epoch);
    brk_write_i64(w, o->offset);
  }
}

/* Frames the payload in w (which starts with FRAME_HDR reserved bytes). */
static void frame(brk_writer_t *w) {
  size_t len = w->len - FRAME_HDR;
  brk__put_u32(w->buf, (uint32_t)len);
  brk__put_u32(w->buf + 4, brk__crc32c(0, w->buf + FRAME_HDR, len));
}

static int append_record(brk_txn_t *t, brk_writer_t *w) {
  int rc = 0;
  frame(w);
  if (!brk_writer_ok(w)) rc = -ENOMEM;
  else if (write(t->fd, w->buf, w->len) != (ssize_t)w->len) rc = -EIO;
  else if (fdatasync(t->fd) != 0) rc = -errno;
  brk_writer_fini(w);
  t->log_records++;
  return rc;
}

static void begin_record(brk_writer_t *w) {
  static const uint8_t zero[FRAME_HDR];
  brk_write_raw(w, zero, FRAME_HDR);
}

static int compact(brk_txn_t *t);

int brk__txn_store_put(brk_txn_t *t, const brk__txn_entry_t *e) {
  if (t->log_records > COMPACT_EVERY + 2 * t->n_entries) return compact(t);
  brk_writer_t w = {0};
  begin_record(&w);
  encode_entry(&w, e);
  return append_record(t, &w);
}

int brk__txn_store_reserve(brk_txn_t *t, int64_t limit) {
  brk_writer_t w = {0};
  begin_record(&w);
  brk_write_i8(&w, 'P');
  brk_write_i64(&w, limit);
  int rc = append_record(t, &w);
  if (rc == 0) t->pid_limit = limit;
  return rc;
}

/* ---- replay -------------------------------------------------------------------- */

static char *dup_slice(brk_slice_t s) {
  if (!s.ptr) return NULL;
  char *c = malloc((size_t)s.len + 1);
  if (c) {
    memcpy(c, s.ptr, (size_t)s.len);
    c[s.len] = '\0';
  }
  return c;
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 0;
  size_t nc = *cap ? *cap * 2 : 4;
  void *a = realloc(*arr, nc * elem);
  if (!a) return -ENOMEM;
  *arr = a;
  *cap = nc;
  return 0;
}

static int decode_lists(brk_reader_t *r, brk__txn_entry_t *e) {
  int32_t n = brk_read_array_len(r, 6);
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    if (grow((void **)&e->parts, &e->cap_parts, e->n_parts, sizeof *e->parts) != 0) return -ENOMEM;
    brk__txn_part_t *p = &e->parts[e->n_parts];
    p->topic = dup_slice(brk_read_string(r));
    p->partition = brk_read_i32(r);
    if (!p->topic) return -EINVAL;
    e->n_parts++;
  }
  n = brk_read_array_len(r, 2);
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    if (grow((void **)&e->groups, &e->cap_groups, e->n_groups, sizeof *e->groups) != 0) return -ENOMEM;
    if (!(e->groups[e->n_groups] = dup_slice(brk_read_string(r)))) return -EINVAL;
    e->n_groups++;
  }
  n = brk_read_array_len(r, 22);
  for (int32_t i = 0; i < n && brk_reader_ok(r); i++) {
    if (grow((void **)&e->offsets, &e->cap_offsets, e->n_offsets, sizeof *e->offsets) != 0) return -ENOMEM;
    brk__txn_offset_t *o = &e->offsets[e->n_offsets];
    o->group = dup_slice(brk_read_string(r));
    o->topic = dup_slice(brk_read_string(r));
    o->metadata = dup_slice(brk_read_string(r));
    o->partition = brk_read_i32(r);
    o->leader_epoch = brk_read_i32(r);
    o->offset = brk_read_i64(r);
    e->n_offsets++;
    if (!o->group || !o->topic) return -EINVAL;
  }
  return brk_reader_ok(r) ? 0 : -EINVAL;
}

static int replay_entry(brk_txn_t *t, brk_reader_t *r) {
  brk_slice_t tid = brk_read_string(r);
  if (!brk_reader_ok(r) || !tid.ptr) return -EINVAL;
  brk__txn_entry_t *e = brk__txn_find(t, tid);
  if (!e && !(e = brk__txn_add(t, tid))) return -ENOMEM;
  brk__txn_entry_clear(e);
  e->pid = brk_read_i64(r);
  e->epoch = brk_read_i16(r);
  e->timeout_ms = brk_read_i32(r);
  e->state = (brk__txn_state_t)brk_read_i8(r);
  return decode_lists(r, e);
}

static int replay_record(brk_txn_t *t, const uint8_t *payload, size_t len) {
  brk_reader_t r;
  brk_reader_init(&r, payload, len);
  int8_t type = brk_read_i8(&r);
  if (type == 'P') {
    int64_t limit = brk_read_i64(&r);
    if (!brk_reader_ok(&r)) return -EINVAL;
    if (limit > t->pid_limit) t->pid_limit = limit;
    return 0;
  }
  return type == 'T' ? replay_entry(t, &r) : -EINVAL;
}

static int read_all(int fd, uint8_t **out, size_t *len) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -errno;
  uint8_t *buf = malloc((size_t)st.st_size + 1);
  if (!buf) return -ENOMEM;
  ssize_t n = brk__pread_full(fd, buf, (size_t)st.st_size, 0);
  if (n < 0) {
    free(buf);
    return (int)n;
  }
  *out = buf;
  *len = (size_t)n;
  return 0;
}

/* Replays every whole, CRC-valid record; the rest (a torn write) is ignored. */
static int replay(brk_txn_t *t, int fd) {
  uint8_t *buf = NULL;
  size_t len = 0, pos = 0;
  int rc = read_all(fd, &buf, &len);
  while (rc == 0 && len - pos >= FRAME_HDR) {
    uint32_t n = brk__get_u32(buf + pos);
    if (n > len - pos - FRAME_HDR || brk__crc32c(0, buf + pos + FRAME_HDR, n) != brk__get_u32(buf + pos + 4)) break;
    rc = replay_record(t, buf + pos + FRAME_HDR, n);
    pos += FRAME_HDR + n;
  }
  free(buf);
  return rc;
}

/* Rewrites the log as one 'P' record plus one 'T' record per id (atomic). */
static int compact(brk_txn_t *t) {
  brk_writer_t w = {0};
  begin_record(&w);
  brk_write_i8(&w, 'P');
  brk_write_i64(&w, t->pid_limit);
  frame(&w);
  for (size_t i = 0; i < t->n_entries; i++) {
    brk_writer_t one = {0};
    begin_record(&one);
    encode_entry(&one, t->entries[i]);
    frame(&one);
    brk_write_raw(&w, one.buf, one.len);
    brk_writer_fini(&one);
  }
  int rc = brk_writer_ok(&w) ? brk__write_file_atomic(t->dir, LOG_NAME, w.buf, w.len) : -ENOMEM;
  brk_writer_fini(&w);
  if (rc != 0) return rc;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", t->dir, LOG_NAME);
  int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return -errno;
  if (t->fd >= 0) close(t->fd);
  t->fd = fd;
  t->log_records = 0;
  return 0;
}

int brk__txn_store_open(brk_txn_t *t, char *errbuf, size_t errbuf_len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", t->dir, LOG_NAME);
  int rc = brk__mkdir(t->dir);
  int fd = rc == 0 ? open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
  if (fd < 0) rc = rc ? rc : -errno;
  if (rc == 0) rc = replay(t, fd);
  if (fd >= 0) close(fd);
  if (rc == 0) rc = compact(t);
  if (rc != 0) snprintf(errbuf, errbuf_len, "broker: transaction state %s: %s", path, strerror(-rc));
  return rc ? -1 : 0;
}
