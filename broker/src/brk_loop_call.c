// SPDX-License-Identifier: Apache-2.0
/* Bounded synchronous calls into the event loop from other threads
 * (brk__loop_call in brk_broker_int.h): a metrics scrape or a health check
 * posts a task through the loop's task queue and waits on a condition
 * variable, at most timeout_ms. Every piece of broker state stays owned by
 * the loop thread; this file is the only hand-over, and it never lets a
 * late task write into memory its caller has given up: the call object and
 * the argument are freed by whichever side finishes last. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "brk_broker_int.h"

typedef struct loop_call {
  brk_task_t task;
  brk_broker_t *b;
  brk_loop_call_fn fn;
  void *arg;
  void (*free_arg)(void *);
  pthread_mutex_t mu; /* guards the three flags */
  pthread_cond_t cond;
  bool finished;  /* the task ran (fn or not) */
  bool ran;       /* fn ran: the broker was not closing */
  bool abandoned; /* the caller timed out: the task frees everything */
} loop_call_t;

static void call_free(loop_call_t *c, bool with_arg) {
  if (with_arg && c->free_arg) c->free_arg(c->arg);
  pthread_cond_destroy(&c->cond);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

/* Loop thread (or brk__broker_free's final task run, with b->closing set:
 * the loop thread is gone and the state may be half torn down). */
static void call_task(void *p) {
  loop_call_t *c = p;
  bool ran = !c->b->closing;
  if (ran) c->fn(c->b, c->arg);
  pthread_mutex_lock(&c->mu);
  c->finished = true;
  c->ran = ran;
  bool abandoned = c->abandoned;
  pthread_cond_signal(&c->cond);
  pthread_mutex_unlock(&c->mu);
  if (abandoned) call_free(c, true); /* the caller is gone; otherwise it frees c */
}

static loop_call_t *call_new(brk_broker_t *b, brk_loop_call_fn fn, void *arg, void (*free_arg)(void *)) {
  loop_call_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->b = b;
  c->fn = fn;
  c->arg = arg;
  c->free_arg = free_arg;
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* deadlines immune to wall-clock jumps */
  int rc = pthread_cond_init(&c->cond, &ca);
  pthread_condattr_destroy(&ca);
  if (rc != 0) {
    free(c);
    return NULL;
  }
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

bool brk__loop_call(brk_broker_t *b, int timeout_ms, brk_loop_call_fn fn, void *arg,
                    void (*free_arg)(void *)) {
  loop_call_t *c = call_new(b, fn, arg, free_arg);
  if (!c) {
    if (free_arg) free_arg(arg);
    return false;
  }
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += timeout_ms / 1000;
  deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  brk_loop_post(b->loop, &c->task, call_task, c);
  pthread_mutex_lock(&c->mu);
  while (!c->finished) {
    if (pthread_cond_timedwait(&c->cond, &c->mu, &deadline) == ETIMEDOUT && !c->finished) break;
  }
  if (!c->finished) {
    c->abandoned = true; /* from here on the task owns c and arg */
    pthread_mutex_unlock(&c->mu);
    return false;
  }
  bool ran = c->ran;
  pthread_mutex_unlock(&c->mu);
  call_free(c, !ran);
  return ran;
}
