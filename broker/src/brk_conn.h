// SPDX-License-Identifier: Apache-2.0
/* One client connection: a read buffer cut into 4-byte-size-prefixed frames
 * (absurd sizes close the connection), an ordered response queue whose
 * entries may complete out of order (deferred produce acks, long-poll
 * fetches) but are written in request order, and the writer that sends
 * memory parts with sendmsg and file parts (fetch records) with sendfile,
 * resuming partial sends. Stops reading while too much output is queued.
 * Decoding requests is the dispatcher's job (brk_dispatch.c). */
#ifndef WEIR_BROKER_BRK_CONN_H
#define WEIR_BROKER_BRK_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "brk_codec.h"
#include "brk_log.h"
#include "metrics/metrics.h"

typedef struct brk_broker brk_broker_t;
typedef struct brk_conn brk_conn_t;

/* A piece of a response: bytes [pos, pos+len) of the response writer
 * (file NULL) or of a segment file. */
typedef struct brk_part {
  brk_file_t *file;
  int64_t pos;
  int64_t len;
} brk_part_t;

typedef struct brk_resp brk_resp_t;
struct brk_resp {
  brk_resp_t *next;
  brk_conn_t *conn; /* NULL once the connection closed while this was pending */
  bool ready;
  bool empty;       /* no response at all (Produce acks=0) */
  bool deferred;    /* a completer (flusher ack) will finish it: orphan, never free, on close */
  brk_writer_t w;   /* size prefix + response header + body (memory parts) */
  brk_part_t *parts; /* NULL: the whole of w is the response */
  size_t n_parts, cap_parts;
  size_t mem_mark;  /* end of the last memory part recorded in parts */
  int64_t total;    /* bytes to send, set by brk_resp_finish */
  size_t part_i;    /* send progress */
  int64_t part_off;
  /* Called (instead of leaving the response orphaned) if the connection
   * closes while this response is not ready; it must not touch the resp. */
  void (*cancel)(void *arg);
  void *cancel_arg;
  /* Metrics (set by the dispatcher): the duration is observed and a failed
   * request counted when the response is queued (finish or drop). */
  metrics_child_t *m_duration, *m_errors;
  int64_t start_ns; /* brk__metrics_now_ns when the request was decoded */
  bool error;       /* the handler answered an error code (Produce, Fetch) */
};

/* Takes ownership of the connected socket fd (made non-blocking here) and
 * starts reading. Returns NULL (fd closed) on allocation failure. */
brk_conn_t *brk_conn_new(brk_broker_t *b, int fd);
/* The client's address as Kafka shows it in DescribeGroups ("/127.0.0.1"). */
const char *brk_conn_peer_host(const brk_conn_t *c);
/* Schedules the close: stops I/O now, frees on the loop after this event
 * batch. Pending responses are cancelled or orphaned. Safe anywhere. */
void brk_conn_close(brk_conn_t *c);
/* Closes and frees immediately (broker shutdown only). */
void brk_conn_destroy(brk_conn_t *c);

/* Appends a response slot for a request: writes the size placeholder and
 * the response header (v0: correlation id; v1 adds empty tagged fields).
 * Returns NULL on allocation failure. */
brk_resp_t *brk_conn_resp_begin(brk_conn_t *c, int32_t correlation_id, bool header_v1);
/* Appends a file slice as the next part; takes the slice's file reference. */
void brk_resp_add_file(brk_resp_t *r, brk_read_slice_t *s);
/* Marks the response complete and sends what the queue order allows. For
 * an orphaned response it just frees it. Returns false when the writer
 * failed (allocation), in which case the connection is closed. */
bool brk_resp_finish(brk_resp_t *r);
/* Truncates the body back to len bytes of the writer and drops file parts
 * (a long-poll fetch that decided to wait). */
void brk_resp_rewind(brk_resp_t *r, size_t len);
/* Completes the slot with no bytes at all (acks=0). */
void brk_resp_drop(brk_resp_t *r);
/* Unrefs files and frees a response that is in no queue. */
void brk_resp_free(brk_resp_t *r);

#endif
