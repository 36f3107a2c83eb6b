// SPDX-License-Identifier: Apache-2.0
/* File plumbing for the storage: the refcounted segment file handed out in
 * read slices (brk_file_t), full pread/pwrite loops, durable atomic
 * replacement of small metadata files, directory fsync, recursive removal.
 * Knows nothing about batches, segments or topics. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brk_log_int.h"

brk_file_t *brk__file_new(int fd) {
  brk_file_t *f = malloc(sizeof *f);
  if (!f) {
    close(fd);
    return NULL;
  }
  f->fd = fd;
  atomic_init(&f->refs, 1);
  return f;
}

void brk_file_ref(brk_file_t *f) {
  atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void brk_file_unref(brk_file_t *f) {
  if (!f) return;
  if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1) return;
  close(f->fd);
  free(f);
}

int brk_file_fd(const brk_file_t *f) {
  return f->fd;
}

int brk__pwrite_all(int fd, const void *buf, size_t len, int64_t off) {
  const uint8_t *p = buf;
  while (len > 0) {
    ssize_t n = pwrite(fd, p, len, (off_t)off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) return -EIO;
    p += n;
    len -= (size_t)n;
    off += n;
  }
  return 0;
}

ssize_t brk__pread_full(int fd, void *buf, size_t len, int64_t off) {
  uint8_t *p = buf;
  size_t got = 0;
  while (got < len) {
    ssize_t n = pread(fd, p + got, len - got, (off_t)(off + (int64_t)got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (n == 0) break;
    got += (size_t)n;
  }
  return (ssize_t)got;
}

int brk__fsync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -errno;
  int rc = fsync(fd) < 0 ? -errno : 0;
  close(fd);
  return rc;
}

int brk__write_file_atomic(const char *dir, const char *name, const void *data, size_t len) {
  char tmp[PATH_MAX], dst[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -errno;
  int rc = brk__pwrite_all(fd, data, len, 0);
  if (rc == 0 && fsync(fd) < 0) rc = -errno;
  close(fd);
  if (rc == 0 && rename(tmp, dst) < 0) rc = -errno;
  if (rc == 0) rc = brk__fsync_dir(dir);
  if (rc != 0) unlink(tmp);
  return rc;
}

char *brk__read_small_file(const char *path, size_t max, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  char *buf = malloc(max + 1);
  ssize_t n = buf ? brk__pread_full(fd, buf, max + 1, 0) : -ENOMEM;
  close(fd);
  if (n < 0 || (size_t)n > max) {
    free(buf);
    errno = n < 0 ? (int)-n : EFBIG;
    return NULL;
  }
  buf[n] = '\0';
  if (len) *len = (size_t)n;
  return buf;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int brk__remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) return errno == ENOENT ? 0 : -errno;
  if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0) return errno ? -errno : -EIO;
  return 0;
}

int brk__mkdir(const char *path) {
  if (mkdir(path, 0755) == 0 || errno == EEXIST) return 0;
  return -errno;
}
