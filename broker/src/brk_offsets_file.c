// SPDX-License-Identifier: Apache-2.0
/* The committed-offsets log file, <store dir>/offsets/offsets.log: an 8-byte
 * magic followed by CRC-framed records (brk_offsets_record.c). Appends are
 * one pwrite + fdatasync; open replays every record and truncates a torn or
 * corrupt tail; compaction rewrites the file as a snapshot of the live map
 * (temp + fsync + rename + fsync dir). An fsync failure aborts the process
 * (ARCHITECTURE.md: fail-stop). It does not interpret records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk_log_int.h"
#include "brk_offsets_int.h"
#include "log/log.h"

static const char MAGIC[8] = {'W', 'E', 'I', 'R', 'O', 'F', 'F', '1'};
#define MAGIC_LEN ((int64_t)sizeof MAGIC)
#define SNAPSHOT_CHUNK 10000 /* entries per COMMIT record in a snapshot */

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s/%s", a, b);
  return s;
}

static void fatal_sync(const char *what, const char *path, int err) {
  log_error("broker", "offsets: %s %s failed: %s: stopping (fail-stop)", what, path, strerror(err));
  abort();
}

/* Writes a fresh header over an empty or torn-at-creation file. */
static int write_header(brk__off_log_t *l) {
  if (ftruncate(l->fd, 0) < 0) return -errno;
  int rc = brk__pwrite_all(l->fd, MAGIC, sizeof MAGIC, 0);
  if (rc != 0) return rc;
  if (fdatasync(l->fd) < 0) fatal_sync("fdatasync", l->path, errno);
  l->size = MAGIC_LEN;
  return 0;
}

static int read_all(int fd, uint8_t **out, int64_t *len) {
  struct stat st;
  if (fstat(fd, &st) < 0) return -errno;
  *len = st.st_size;
  *out = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
  if (!*out) return -ENOMEM;
  ssize_t got = brk__pread_full(fd, *out, (size_t)st.st_size, 0);
  if (got < 0) return (int)got;
  *len = got;
  return 0;
}

/* Replays data into m; returns the length of the valid prefix or -errno. */
static int64_t replay(const uint8_t *data, int64_t len, brk__off_map_t *m, int64_t now_ms) {
  int64_t pos = MAGIC_LEN;
  while (pos < len) {
    size_t total = 0;
    if (!brk__offrec_frame(data + pos, (size_t)(len - pos), &total)) break;
    int rc = brk__offrec_apply(m, data + pos + BRK__OFFREC_FRAME_HDR, total - BRK__OFFREC_FRAME_HDR, now_ms);
    if (rc == -ENOMEM) return rc;
    if (rc != 0) break; /* a CRC-valid but undecodable record: treat as corrupt tail */
    pos += (int64_t)total;
  }
  return pos;
}

static int recover(brk__off_log_t *l, brk__off_map_t *m, int64_t now_ms, char *errbuf, size_t errbuf_len) {
  uint8_t *data = NULL;
  int64_t len = 0;
  int rc = read_all(l->fd, &data, &len);
  if (rc == 0 && len < MAGIC_LEN) {
    rc = write_header(l);
  } else if (rc == 0 && memcmp(data, MAGIC, sizeof MAGIC) != 0) {
    snprintf(errbuf, errbuf_len, "offsets: %s is not an offsets log (bad magic)", l->path);
    rc = -EINVAL;
  } else if (rc == 0) {
    int64_t good = replay(data, len, m, now_ms);
    if (good < 0) rc = (int)good;
    if (good >= 0 && good < len) {
      log_warn("broker", "offsets: %s: dropping %lld bytes of torn or corrupt tail at %lld", l->path,
               (long long)(len - good), (long long)good);
      if (ftruncate(l->fd, good) < 0)
        rc = -errno;
      else if (fdatasync(l->fd) < 0)
        fatal_sync("fdatasync", l->path, errno);
    }
    l->size = good;
  }
  if (rc != 0 && !*errbuf) snprintf(errbuf, errbuf_len, "offsets: %s: %s", l->path, strerror(-rc));
  free(data);
  return rc;
}

int brk__offlog_open(brk__off_log_t *l, const char *store_dir, brk__off_map_t *m, int64_t now_ms,
                     char *errbuf, size_t errbuf_len) {
  memset(l, 0, sizeof *l);
  l->fd = -1;
  l->compact_min = 1 << 20;
  if (errbuf_len) *errbuf = '\0';
  l->dir = join(store_dir, "offsets");
  l->path = l->dir ? join(l->dir, "offsets.log") : NULL;
  char *tmp = l->dir ? join(l->dir, "offsets.log.tmp") : NULL;
  int rc = l->path && tmp ? 0 : -ENOMEM;
  if (rc == 0) rc = brk__mkdir(store_dir);
  if (rc == 0) rc = brk__mkdir(l->dir);
  if (rc == 0) unlink(tmp); /* a compaction that never reached its rename */
  free(tmp);
  if (rc == 0 && (l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) rc = -errno;
  if (rc == 0) rc = brk__fsync_dir(l->dir);
  if (rc != 0) {
    snprintf(errbuf, errbuf_len, "offsets: %s: %s", l->path ? l->path : store_dir, strerror(-rc));
  } else {
    rc = recover(l, m, now_ms, errbuf, errbuf_len);
  }
  if (rc != 0) brk__offlog_close(l);
  l->base_size = l->size;
  return rc;
}

void brk__offlog_close(brk__off_log_t *l) {
  if (l->fd >= 0) close(l->fd);
  l->fd = -1;
  free(l->dir);
  free(l->path);
  l->dir = l->path = NULL;
}

int brk__offlog_append(brk__off_log_t *l, const void *buf, size_t len) {
  int rc = brk__pwrite_all(l->fd, buf, len, l->size);
  if (rc != 0) {
    /* Cut a partial record off so the log stays a clean sequence of frames. */
    if (ftruncate(l->fd, l->size) < 0)
      log_warn("broker", "offsets: cannot cut back %s: %s", l->path, strerror(errno));
    log_error("broker", "offsets: write to %s failed: %s", l->path, strerror(-rc));
    return rc;
  }
  if (fdatasync(l->fd) < 0) fatal_sync("fdatasync", l->path, errno);
  l->size += (int64_t)len;
  return 0;
}

/* Serialises every live entry into w as COMMIT records after the magic. */
static void snapshot(brk_writer_t *w, const brk__off_map_t *m) {
  brk_write_raw(w, MAGIC, sizeof MAGIC);
  for (size_t i = 0; i < m->n_buckets; i++) {
    for (const brk__off_group_t *g = m->buckets[i]; g; g = g->next) {
      size_t start = 0, in_rec = 0, count_pos = 0;
      for (size_t j = 0; j < g->n_buckets; j++) {
        for (const brk__off_entry_t *e = g->buckets[j]; e; e = e->next) {
          if (in_rec == 0) {
            start = brk__offrec_begin(w, BRK__OFFREC_COMMIT, g->name, strlen(g->name));
            count_pos = brk_write_placeholder_i32(w);
          }
          brk__off_item_t it = {e->topic,    strlen(e->topic),    e->partition, e->offset,   e->leader_epoch,
                                e->metadata, strlen(e->metadata), e->commit_ms, e->expire_ms};
          brk__offrec_put_item(w, &it);
          if (++in_rec == SNAPSHOT_CHUNK) {
            brk_writer_patch_i32(w, count_pos, (int32_t)in_rec);
            brk__offrec_end(w, start);
            in_rec = 0;
          }
        }
      }
      if (in_rec > 0) {
        brk_writer_patch_i32(w, count_pos, (int32_t)in_rec);
        brk__offrec_end(w, start);
      }
    }
  }
}

/* Writes data to a new file at path and fsyncs it. 0 or -errno. */
static int write_temp(const char *path, const uint8_t *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -errno;
  int rc = brk__pwrite_all(fd, data, len, 0);
  if (rc == 0 && fsync(fd) < 0) fatal_sync("fsync", path, errno);
  close(fd);
  return rc;
}

int brk__offlog_compact(brk__off_log_t *l, const brk__off_map_t *m) {
  brk_writer_t w = {0};
  char *tmp = join(l->dir, "offsets.log.tmp");
  int rc = tmp ? 0 : -ENOMEM;
  if (rc == 0) snapshot(&w, m);
  if (rc == 0 && !brk_writer_ok(&w)) rc = -ENOMEM;
  if (rc == 0) rc = write_temp(tmp, w.buf, w.len);
  if (rc == 0 && rename(tmp, l->path) < 0) rc = -errno;
  if (rc != 0) {
    if (tmp) unlink(tmp);
    log_warn("broker", "offsets: compaction of %s failed: %s (keeping the old log)", l->path, strerror(-rc));
    goto out;
  }
  /* The snapshot is now the log: everything below must succeed or stop. */
  int fd = open(l->path, O_RDWR | O_CLOEXEC);
  if (fd < 0) fatal_sync("reopen", l->path, errno);
  int drc = brk__fsync_dir(l->dir);
  if (drc != 0) fatal_sync("fsync of directory", l->dir, -drc);
  close(l->fd);
  l->fd = fd;
  l->size = l->base_size = (int64_t)w.len;
out:
  free(tmp);
  brk_writer_fini(&w);
  return rc;
}

void brk__offlog_maybe_compact(brk__off_log_t *l, const brk__off_map_t *m) {
  if (l->size < l->compact_min || l->size < 4 * l->base_size) return;
  if (brk__offlog_compact(l, m) != 0) l->base_size = l->size; /* back off until it grows 4x again */
}
