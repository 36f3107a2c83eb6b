// SPDX-License-Identifier: Apache-2.0
/* Stopping civetweb promptly. mg_stop raises a flag that civetweb's master
 * thread only sees when its poll() on the listening socket returns, which
 * without traffic is a full poll quantum later (up to 2 s in 1.15), so each
 * HTTP server took 0-2 s to stop and `weir start` up to 4 s to exit on
 * SIGTERM. While mg_stop waits, a helper thread connects to the server's own
 * listening socket every few milliseconds: the poll returns, the master
 * thread sees the flag and shuts down. The wake-up connections carry no
 * request and are closed at once. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_int.h"

typedef struct waker {
  struct sockaddr_in addr;
  atomic_bool done;
} waker_t;

static void *wake_master(void *arg) {
  waker_t *w = arg;
  const struct timespec pause = {0, 5 * 1000 * 1000};
  while (!atomic_load(&w->done)) {
    nanosleep(&pause, NULL);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    (void)connect(fd, (const struct sockaddr *)&w->addr, sizeof w->addr);
    close(fd);
  }
  return NULL;
}

void http__stop_civetweb(struct mg_context *mg, const char *ip, int port) {
  waker_t w = {0};
  w.addr.sin_family = AF_INET;
  w.addr.sin_port = htons((uint16_t)port);
  pthread_t thread;
  bool waking = port > 0 && inet_pton(AF_INET, strcmp(ip, "0.0.0.0") == 0 ? "127.0.0.1" : ip, &w.addr.sin_addr) == 1 &&
                pthread_create(&thread, NULL, wake_master, &w) == 0;
  mg_stop(mg);
  if (waking) {
    atomic_store(&w.done, true);
    pthread_join(thread, NULL);
  }
}
