// SPDX-License-Identifier: Apache-2.0
/* Broker internals shared by the loop-side files: the broker state (config
 * copy, store, loop, listener, connections, parked fetches), the dispatcher
 * and API table, and the deferred (async) data-API handlers. Everything
 * here runs on the event-loop thread unless stated otherwise. */
#ifndef WEIR_BROKER_BRK_BROKER_INT_H
#define WEIR_BROKER_BRK_BROKER_INT_H

#include "brk_api.h"
#include "brk_conn.h"
#include "brk_group.h"
#include "brk_offsets.h"
#include "brk_txn.h"
#include "brk_loop.h"
#include "brk_metrics.h"

typedef struct brk_fetch_waiter brk_fetch_waiter_t;

struct brk_broker {
  brk_config_t cfg;       /* strings point into the *_copy fields below */
  char *listen_copy, *advertised_copy, *data_dir_copy;
  const char *advertised_host; /* resolved: never NULL */
  int port;               /* bound port (or the configured one before listening) */
  int listen_fd;
  brk_io_t listen_io;
  brk_store_t *store;
  brk_loop_t *loop;
  brk_conn_t *conns;      /* every open connection (brk_conn.c links them) */
  size_t n_conns;
  brk_fetch_waiter_t *waiters; /* parked long-poll fetches (brk_api_fetch.c) */
  brk_timer_t retention_timer;
  brk_offsets_t *offsets; /* committed offsets (brk_offsets_*.c) */
  brk_groups_t *groups;   /* group coordinator (brk_group_*.c) */
  brk_txn_t *txn;         /* producer ids and transactions (brk_txn_*.c) */
  brk_metrics_t metrics;  /* hot-path children (brk_metrics.c); read-only after brk__broker_new */
  bool closing;           /* set by brk__broker_free (loop thread gone): calls posted by other
                             threads then find no state to read (brk_loop_call.c) */
};

/* Copies the config, opens the store at <data_dir>/broker and creates the
 * loop; no socket yet. NULL + errbuf on failure. Free with brk__broker_free. */
brk_broker_t *brk__broker_new(const brk_config_t *cfg, char *errbuf, size_t errbuf_len);
/* Binds and watches the listener (cfg.listen). -1 + errbuf on failure. */
int brk__broker_listen(brk_broker_t *b, char *errbuf, size_t errbuf_len);
/* Closes connections and the listener, closes the store, runs the tasks
 * its flusher posted, frees. Loop thread must be stopped. Accepts NULL. */
void brk__broker_free(brk_broker_t *b);

/* Looks up a topic for a data API, auto-creating it when the broker allows
 * it and allow_auto is set. Returns its partition count, or -1 with *err =
 * UNKNOWN_TOPIC_OR_PARTITION / INVALID_TOPIC_EXCEPTION / a create error. */
int32_t brk__topic_lookup(brk_broker_t *b, brk_slice_t name, bool allow_auto, brk_kerr_t *err);
/* Copies a wire topic name into buf (NUL-terminated); false if too long. */
bool brk__topic_cstr(brk_slice_t name, char *buf, size_t buf_len);

/* Runs fn(b, arg) on the loop thread for another thread and waits for it at
 * most timeout_ms: how scrapes and health checks read loop-owned state
 * without racing the loop (brk_loop_call.c). Thread-safe; never call it
 * from the loop thread. Returns true when fn ran in time: the caller owns
 * arg again. Returns false when it did not (loop busy or stopped, broker
 * closing): arg then belongs to the call and is released with free_arg
 * (at once, or by whichever thread runs the late task); the caller must
 * not touch it. free_arg may be NULL when arg needs no release. */
typedef void (*brk_loop_call_fn)(brk_broker_t *b, void *arg);
bool brk__loop_call(brk_broker_t *b, int timeout_ms, brk_loop_call_fn fn, void *arg, void (*free_arg)(void *));

/* ---- dispatch ------------------------------------------------------------------- */

/* A handler that completes its response itself, possibly later: it must
 * call brk_resp_finish or brk_resp_drop exactly once, or return -1 without
 * doing so (malformed request: the connection is closed). */
typedef int (*brk_api_async_fn)(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp);

typedef struct brk_api_entry {
  int16_t api_key;
  int16_t min_version, max_version;
  int16_t first_flexible; /* first flexible version (may be > max) */
  brk_api_sync_fn sync_fn;
  brk_api_async_fn async_fn;
  const char *name;
} brk_api_entry_t;

/* The advertised APIs (ApiVersions lists them all): up to max entries into
 * out, from every area's table; returns how many. */
#define BRK_MAX_APIS 64
size_t brk__api_list(const brk_api_entry_t **out, size_t max);

/* Each protocol area registers its APIs in its own table file (count may
 * be 0; the arrays then hold one unused zero entry). */
extern const brk_api_entry_t brk__api_group_entries[];   /* brk_api_group_table.c */
extern const size_t brk__api_group_count;
extern const brk_api_entry_t brk__api_offsets_entries[]; /* brk_api_offsets_table.c */
extern const size_t brk__api_offsets_count;
extern const brk_api_entry_t brk__api_txn_entries[];     /* brk_api_txn_table.c */
extern const size_t brk__api_txn_count;

/* Decodes one request frame (without its size prefix; writable: Produce
 * rewrites batches in place) and runs its handler, queueing the response on
 * c. Returns -1 when the connection must be closed. */
int brk__dispatch(brk_broker_t *b, brk_conn_t *c, uint8_t *frame, size_t len);

/* ---- data APIs ------------------------------------------------------------------ */

int brk__api_api_versions(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
/* The v0-shaped UNSUPPORTED_VERSION answer for ApiVersions above our max. */
void brk__api_versions_fallback(brk_writer_t *w);
int brk__api_metadata(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_list_offsets(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);
int brk__api_produce(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp);
int brk__api_fetch(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_resp_t *resp);

/* Re-evaluates parked fetches that watch partition p (after an append). */
void brk__fetch_wake(brk_broker_t *b, const brk_partition_t *p);
/* Wall-clock milliseconds (record timestamps, retention). */
int64_t brk__wall_ms(void);

#endif
