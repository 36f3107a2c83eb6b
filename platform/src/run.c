// SPDX-License-Identifier: Apache-2.0
/* Runs components in-process (run.h): creates the data directory, blocks
 * SIGTERM/SIGINT before any thread exists, starts the selected components in
 * table order, waits with sigwait in the main thread, stops them in reverse.
 * No signal handler runs, so nothing async-signal-unsafe can happen. */
#include "platform/run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "component.h"
#include "log/log.h"

/* mkdir -p path. */
static weir_code_t make_dirs(const char *path, weir_error_t *err) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
    return weir_error_set(err, WEIR_ERR_CONFIG, "data.dir \"%.64s...\" is too long", path);
  for (char *p = buf + 1;; p++) {
    char saved = *p;
    if (saved != '/' && saved != '\0') continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return weir_error_set(err, WEIR_ERR_START, "cannot create data directory \"%s\": %s", buf,
                            strerror(errno));
    *p = saved;
    if (saved == '\0') return WEIR_OK;
  }
}

typedef struct running {
  const weir_component_t *comp[WEIR_COMP__COUNT];
  void *handle[WEIR_COMP__COUNT];
  size_t n;
} running_t;

static void stop_all(running_t *r) {
  while (r->n > 0) {
    r->n--;
    log_info("weir", "stopping %s", r->comp[r->n]->name);
    r->comp[r->n]->stop(r->handle[r->n]);
  }
}

static weir_code_t start_all(const weir_props_t *props, unsigned components, running_t *r,
                             weir_error_t *err) {
  size_t count;
  const weir_component_t *const *table = weir__components(&count);
  for (size_t i = 0; i < count && r->n < WEIR_COMP__COUNT; i++) {
    if (!(components & (1u << table[i]->id))) continue;
    void *h = table[i]->start(props, err);
    if (!h) {
      stop_all(r);
      return WEIR_ERR_START;
    }
    r->comp[r->n] = table[i];
    r->handle[r->n++] = h;
  }
  if (r->n == 0) return weir_error_set(err, WEIR_ERR_USAGE, "no component to run");
  return WEIR_OK;
}

weir_code_t weir_run(const weir_props_t *props, unsigned components, weir_error_t *err) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
  signal(SIGPIPE, SIG_IGN);

  weir_code_t rc = make_dirs(weir_props_get(props, WEIR_COMP_CORE, "data.dir"), err);
  if (rc != WEIR_OK) return rc;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  running_t r = {0};
  rc = start_all(props, components, &r, err);
  if (rc != WEIR_OK) return rc;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  log_info("weir", "ready: %zu component%s started in %ld ms", r.n, r.n == 1 ? "" : "s",
           (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));

  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
  }
  log_info("weir", "received %s, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  stop_all(&r);
  log_info("weir", "stopped");
  return WEIR_OK;
}
