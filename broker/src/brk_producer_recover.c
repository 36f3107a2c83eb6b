// SPDX-License-Identifier: Apache-2.0
/* Rebuilds a partition's producer state and aborted-transaction index on
 * open (shared/spec/kafka-broker.md §3.4 step 4) by walking every batch
 * header of the recovered log: producerId/epoch/baseSequence/lastOffsetDelta
 * are in the 61-byte header, so records are never read, except the 4-byte
 * key of (small, broker-written) control batches. Runs after the segment
 * recovery has settled the log end. */
#include <errno.h>

#include "brk_log_int.h"

enum { CONTROL_MAX = 512 };

static int apply_batch(brk_partition_t *p, const brk__segment_t *seg, brk__hdr_cursor_t *c, int64_t pos,
                       const brk__batch_hdr_t *h, int64_t total) {
  uint8_t buf[CONTROL_MAX];
  const uint8_t *hdr = c->buf + (pos - c->buf_pos); /* the cursor holds the header */
  int type = -1;
  if (h->attributes & BRK_B_ATTR_CONTROL) {
    size_t want = total < CONTROL_MAX ? (size_t)total : CONTROL_MAX;
    ssize_t n = brk__pread_full(seg->file->fd, buf, want, pos);
    if (n < BRK_B_HEADER_SIZE) return -EIO;
    type = brk__control_type(buf, (size_t)n);
    if (type != 0 && type != 1) return 0; /* unknown control record: ignore */
    hdr = buf;
  }
  return brk__pstate_apply(&p->pstate, hdr, type);
}

int brk__pstate_rebuild(brk_partition_t *p) {
  brk__pstate_fini(&p->pstate);
  for (size_t i = 0; i < p->n_segs; i++) {
    const brk__segment_t *seg = p->segs[i];
    brk__hdr_cursor_t cursor;
    brk__hdr_cursor_init(&cursor, seg);
    int64_t pos = 0;
    while (pos < seg->size) {
      brk__batch_hdr_t h;
      int64_t total = 0;
      if (brk__hdr_cursor_get(&cursor, pos, &h, &total) != 0) break;
      int rc = apply_batch(p, seg, &cursor, pos, &h, total);
      if (rc != 0) return rc;
      pos += total;
    }
  }
  return 0;
}
