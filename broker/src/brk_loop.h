// SPDX-License-Identifier: Apache-2.0
/* The broker's event loop (Redis "ae" style, epoll, level-triggered): fd
 * watchers, one-shot timers on a min-heap, and a thread-safe task queue woken
 * through an eventfd so worker threads (the store's flusher) hand results
 * back to the loop thread. Everything except brk_loop_post/brk_loop_stop must
 * be called on the loop thread. It owns no sockets or protocol state. */
#ifndef WEIR_BROKER_BRK_LOOP_H
#define WEIR_BROKER_BRK_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct brk_loop brk_loop_t;

/* An fd watcher, embedded in its owner. events: EPOLLIN/EPOLLOUT bits. */
typedef struct brk_io {
  void (*fn)(void *arg, uint32_t events);
  void *arg;
} brk_io_t;

/* A one-shot timer, embedded in its owner; zero-initialise. */
typedef struct brk_timer {
  int64_t when_ms; /* brk_now_ms() clock */
  size_t heap_idx; /* 0 = not armed, else index + 1 */
  void (*fn)(void *arg);
  void *arg;
} brk_timer_t;

/* A posted callback, embedded in its owner (never posted twice at once). */
typedef struct brk_task {
  struct brk_task *next;
  void (*fn)(void *arg);
  void *arg;
} brk_task_t;

/* Returns NULL on failure (errno set). Release with brk_loop_destroy. */
brk_loop_t *brk_loop_new(void);
/* Frees the loop; tasks still queued are dropped. Accepts NULL. */
void brk_loop_destroy(brk_loop_t *loop);

int brk_loop_watch(brk_loop_t *loop, int fd, uint32_t events, brk_io_t *io);
int brk_loop_rewatch(brk_loop_t *loop, int fd, uint32_t events, brk_io_t *io);
void brk_loop_unwatch(brk_loop_t *loop, int fd);

/* Monotonic milliseconds. */
int64_t brk_now_ms(void);

/* Arms (or re-arms) t to fire once at when_ms. */
void brk_timer_start(brk_loop_t *loop, brk_timer_t *t, int64_t when_ms, void (*fn)(void *), void *arg);
void brk_timer_stop(brk_loop_t *loop, brk_timer_t *t);
bool brk_timer_armed(const brk_timer_t *t);

/* Thread-safe: queues task->fn(task->arg) to run on the loop thread. */
void brk_loop_post(brk_loop_t *loop, brk_task_t *task, void (*fn)(void *), void *arg);
/* Runs every task queued so far (loop thread, or after the loop stopped). */
void brk_loop_run_tasks(brk_loop_t *loop);

/* Runs until brk_loop_stop. */
void brk_loop_run(brk_loop_t *loop);
/* Runs one iteration, waiting at most timeout_ms (-1 = until an event). */
void brk_loop_run_once(brk_loop_t *loop, int timeout_ms);
/* Thread-safe: makes brk_loop_run return. */
void brk_loop_stop(brk_loop_t *loop);

#endif
