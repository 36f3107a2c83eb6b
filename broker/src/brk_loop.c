// SPDX-License-Identifier: Apache-2.0
/* epoll event loop, timer min-heap and eventfd-woken task queue (see
 * brk_loop.h). Level-triggered so watchers may stop reading mid-buffer
 * (backpressure) without losing wake-ups. Knows nothing of Kafka. */
#include "brk_loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct brk_loop {
  int epfd;
  int evfd;
  brk_io_t ev_io;
  brk_timer_t **heap;
  size_t heap_len, heap_cap;
  pthread_mutex_t mu; /* guards tasks_* and stop */
  brk_task_t *tasks_head, *tasks_tail;
  bool stop;
};

int64_t brk_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_eventfd(void *arg, uint32_t events) {
  brk_loop_t *loop = arg;
  (void)events;
  uint64_t v;
  while (read(loop->evfd, &v, sizeof v) > 0) {
  }
  /* tasks run after the whole event batch: one may free another watcher */
}

brk_loop_t *brk_loop_new(void) {
  brk_loop_t *loop = calloc(1, sizeof *loop);
  if (!loop) return NULL;
  loop->epfd = epoll_create1(EPOLL_CLOEXEC);
  loop->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  pthread_mutex_init(&loop->mu, NULL);
  loop->ev_io = (brk_io_t){on_eventfd, loop};
  if (loop->epfd < 0 || loop->evfd < 0 || brk_loop_watch(loop, loop->evfd, EPOLLIN, &loop->ev_io) != 0) {
    int e = errno;
    brk_loop_destroy(loop);
    errno = e;
    return NULL;
  }
  return loop;
}

void brk_loop_destroy(brk_loop_t *loop) {
  if (!loop) return;
  if (loop->epfd >= 0) close(loop->epfd);
  if (loop->evfd >= 0) close(loop->evfd);
  pthread_mutex_destroy(&loop->mu);
  free(loop->heap);
  free(loop);
}

int brk_loop_watch(brk_loop_t *loop, int fd, uint32_t events, brk_io_t *io) {
  struct epoll_event ev = {.events = events, .data.ptr = io};
  return epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev);
}

int brk_loop_rewatch(brk_loop_t *loop, int fd, uint32_t events, brk_io_t *io) {
  struct epoll_event ev = {.events = events, .data.ptr = io};
  return epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev);
}

void brk_loop_unwatch(brk_loop_t *loop, int fd) { epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL); }

/* ---- timers: binary min-heap on when_ms ---------------------------------------- */

static void heap_set(brk_loop_t *loop, size_t i, brk_timer_t *t) {
  loop->heap[i] = t;
  t->heap_idx = i + 1;
}

static void heap_up(brk_loop_t *loop, size_t i) {
  brk_timer_t *t = loop->heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (loop->heap[parent]->when_ms <= t->when_ms) break;
    heap_set(loop, i, loop->heap[parent]);
    i = parent;
  }
  heap_set(loop, i, t);
}

static void heap_down(brk_loop_t *loop, size_t i) {
  brk_timer_t *t = loop->heap[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= loop->heap_len) break;
    if (c + 1 < loop->heap_len && loop->heap[c + 1]->when_ms < loop->heap[c]->when_ms) c++;
    if (t->when_ms <= loop->heap[c]->when_ms) break;
    heap_set(loop, i, loop->heap[c]);
    i = c;
  }
  heap_set(loop, i, t);
}

bool brk_timer_armed(const brk_timer_t *t) { return t->heap_idx != 0; }

void brk_timer_stop(brk_loop_t *loop, brk_timer_t *t) {
  if (!t->heap_idx) return;
  size_t i = t->heap_idx - 1;
  t->heap_idx = 0;
  brk_timer_t *last = loop->heap[--loop->heap_len];
  if (i == loop->heap_len) return;
  heap_set(loop, i, last);
  heap_up(loop, i);
  heap_down(loop, last->heap_idx - 1);
}

void brk_timer_start(brk_loop_t *loop, brk_timer_t *t, int64_t when_ms, void (*fn)(void *), void *arg) {
  brk_timer_stop(loop, t);
  t->when_ms = when_ms;
  t->fn = fn;
  t->arg = arg;
  if (loop->heap_len == loop->heap_cap) {
    size_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
    brk_timer_t **nh = realloc(loop->heap, cap * sizeof *nh);
    if (!nh) abort(); /* a lost timer would hang a request forever */
    loop->heap = nh;
    loop->heap_cap = cap;
  }
  heap_set(loop, loop->heap_len++, t);
  heap_up(loop, loop->heap_len - 1);
}

static void run_timers(brk_loop_t *loop) {
  int64_t now = brk_now_ms();
  while (loop->heap_len > 0 && loop->heap[0]->when_ms <= now) {
    brk_timer_t *t = loop->heap[0];
    brk_timer_stop(loop, t);
    t->fn(t->arg);
  }
}

/* ---- tasks --------------------------------------------------------------------- */

void brk_loop_post(brk_loop_t *loop, brk_task_t *task, void (*fn)(void *), void *arg) {
  task->fn = fn;
  task->arg = arg;
  task->next = NULL;
  pthread_mutex_lock(&loop->mu);
  if (loop->tasks_tail)
    loop->tasks_tail->next = task;
  else
    loop->tasks_head = task;
  loop->tasks_tail = task;
  pthread_mutex_unlock(&loop->mu);
  uint64_t one = 1;
  ssize_t n = write(loop->evfd, &one, sizeof one);
  (void)n; /* EAGAIN: the counter is already non-zero, a wake-up is pending */
}

void brk_loop_run_tasks(brk_loop_t *loop) {
  pthread_mutex_lock(&loop->mu);
  brk_task_t *t = loop->tasks_head;
  loop->tasks_head = loop->tasks_tail = NULL;
  pthread_mutex_unlock(&loop->mu);
  while (t) {
    brk_task_t *next = t->next; /* t may be freed by its callback */
    t->fn(t->arg);
    t = next;
  }
}

void brk_loop_stop(brk_loop_t *loop) {
  pthread_mutex_lock(&loop->mu);
  loop->stop = true;
  pthread_mutex_unlock(&loop->mu);
  uint64_t one = 1;
  ssize_t n = write(loop->evfd, &one, sizeof one);
  (void)n;
}

void brk_loop_run_once(brk_loop_t *loop, int timeout_ms) {
  if (loop->heap_len > 0) {
    int64_t wait = loop->heap[0]->when_ms - brk_now_ms();
    if (wait < 0) wait = 0;
    if (timeout_ms < 0 || wait < timeout_ms) timeout_ms = (int)(wait > 60000 ? 60000 : wait);
  }
  struct epoll_event evs[128];
  int n = epoll_wait(loop->epfd, evs, 128, timeout_ms);
  for (int i = 0; i < n; i++) {
    brk_io_t *io = evs[i].data.ptr;
    io->fn(io->arg, evs[i].events);
  }
  brk_loop_run_tasks(loop);
  run_timers(loop);
  brk_loop_run_tasks(loop);
}

void brk_loop_run(brk_loop_t *loop) {
  for (;;) {
    pthread_mutex_lock(&loop->mu);
    bool stop = loop->stop;
    pthread_mutex_unlock(&loop->mu);
    if (stop) break;
    brk_loop_run_once(loop, -1);
  }
}
