// SPDX-License-Identifier: Apache-2.0
/* Broker lifecycle (broker.h): copies the config, opens the store at
 * <data_dir>/broker, binds the listener, runs the event loop on its own
 * thread, arms the retention timer, and tears it all down in an order that
 * lets deferred produce acks and parked fetches finish or be cancelled.
 * Registers the broker's metrics collector while the loop runs, and answers
 * health pings through it. Also the topic lookup/auto-create shared by
 * Metadata and Produce. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "brk_broker_int.h"
#include "log/log.h"

struct brk_server {
  brk_broker_t *b;
  pthread_t thread;
};

brk_store_t *brk_broker_store(brk_broker_t *b) { return b->store; }
const brk_config_t *brk_broker_config(const brk_broker_t *b) { return &b->cfg; }

int64_t brk__wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool brk__topic_cstr(brk_slice_t name, char *buf, size_t buf_len) {
  if (!name.ptr || name.len < 0 || (size_t)name.len >= buf_len || memchr(name.ptr, 0, (size_t)name.len)) return false;
  memcpy(buf, name.ptr, (size_t)name.len);
  buf[name.len] = '\0';
  return true;
}

int32_t brk__topic_lookup(brk_broker_t *b, brk_slice_t name, bool allow_auto, brk_kerr_t *err) {
  char buf[256];
  if (!brk__topic_cstr(name, buf, sizeof buf)) {
    *err = BRK_KERR_INVALID_TOPIC_EXCEPTION;
    return -1;
  }
  int32_t n = brk_store_topic_partitions(b->store, buf);
  if (n >= 0) return n;
  if (!brk_topic_name_valid(buf, (size_t)name.len)) {
    *err = BRK_KERR_INVALID_TOPIC_EXCEPTION;
    return -1;
  }
  if (!allow_auto || !b->cfg.auto_create_topics) {
    *err = BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
    return -1;
  }
  brk_kerr_t e = brk_store_create_topic(b->store, buf, b->cfg.num_partitions, NULL, 0, false);
  if (e != BRK_KERR_NONE && e != BRK_KERR_TOPIC_ALREADY_EXISTS) {
    log_warn("broker", "auto-creating topic \"%s\" failed: %s", buf, brk_kerr_name(e));
    *err = e;
    return -1;
  }
  if (e == BRK_KERR_NONE) log_info("broker", "auto-created topic \"%s\" with %d partitions", buf, b->cfg.num_partitions);
  n = brk_store_topic_partitions(b->store, buf);
  if (n < 0) *err = BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  return n;
}

/* ---- construction ----------------------------------------------------------------- */

/* mkdir -p for the data dir (the store creates only its own directory). */
static void make_dirs(const char *path) {
  char *tmp = strdup(path);
  if (!tmp) return;
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    mkdir(tmp, 0755);
    *p = '/';
  }
  mkdir(tmp, 0755);
  free(tmp);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Splits "host:port" / "[v6]:port" into host (new string) and port. */
static int split_listen(const char *listen, char **host, int *port) {
  const char *colon = strrchr(listen, ':');
  if (!colon) return -1;
  const char *h = listen;
  size_t hl = (size_t)(colon - listen);
  if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
    h++;
    hl -= 2;
  }
  char *end;
  long p = strtol(colon + 1, &end, 10);
  if (*end || end == colon + 1 || p < 0 || p > 65535) return -1;
  *host = strndup(h, hl);
  *port = (int)p;
  return *host ? 0 : -1;
}

static const char *resolve_advertised(brk_broker_t *b, const char *listen_host) {
  if (b->cfg.advertised_host && *b->cfg.advertised_host) return b->cfg.advertised_host;
  if (!*listen_host || !strcmp(listen_host, "0.0.0.0") || !strcmp(listen_host, "::")) return "localhost";
  return listen_host;
}

static void retention_tick(void *arg) {
  brk_broker_t *b = arg;
  brk_store_enforce_retention(b->store, brk__wall_ms());
  brk_offsets_tick(b, brk__wall_ms()); /* expires offsets of groups without members */
  int64_t every = b->cfg.retention_check_interval_ms > 0 ? b->cfg.retention_check_interval_ms : 300000;
  brk_timer_start(b->loop, &b->retention_timer, brk_now_ms() + every, retention_tick, b);
}

brk_broker_t *brk__broker_new(const brk_config_t *cfg, char *errbuf, size_t errbuf_len) {
  brk_broker_t *b = calloc(1, sizeof *b);
  char *dir = NULL;
  if (!b) goto oom;
  b->listen_fd = -1;
  b->cfg = *cfg;
  b->cfg.listen = b->listen_copy = dup_or_null(cfg->listen ? cfg->listen : "0.0.0.0:9092");
  b->cfg.advertised_host = b->advertised_copy = dup_or_null(cfg->advertised_host);
  b->cfg.data_dir = b->data_dir_copy = dup_or_null(cfg->data_dir ? cfg->data_dir : "./weir-data");
  if (!b->listen_copy || !b->data_dir_copy || (cfg->advertised_host && !b->advertised_copy)) goto oom;
  if (b->cfg.max_request_bytes <= 0) b->cfg.max_request_bytes = 100 * 1024 * 1024;
  b->advertised_host = b->cfg.advertised_host && *b->cfg.advertised_host ? b->cfg.advertised_host : "localhost";
  b->port = 9092;
  brk__metrics_init(&b->metrics);
  b->loop = brk_loop_new();
  if (!b->loop) {
    snprintf(errbuf, errbuf_len, "broker: event loop: %s", strerror(errno));
    goto fail;
  }
  size_t dl = strlen(b->cfg.data_dir) + sizeof "/broker";
  if (!(dir = malloc(dl))) goto oom;
  snprintf(dir, dl, "%s/broker", b->cfg.data_dir);
  make_dirs(b->cfg.data_dir);
  brk_store_opts_t so = {dir, cfg->segment_bytes, cfg->retention_ms, cfg->retention_bytes,
                         cfg->flush_interval_messages, cfg->message_max_bytes};
  b->store = brk_store_open(&so, errbuf, errbuf_len);
  if (b->store) b->offsets = brk_offsets_open(dir, b->cfg.offsets_retention_ms, errbuf, errbuf_len);
  free(dir);
  if (!b->offsets) goto fail;
  if (!(b->groups = brk_groups_new(b))) goto oom;
  if (!(b->txn = brk_txn_new(b, errbuf, errbuf_len))) goto fail;
  retention_tick(b);
  return b;
oom:
  snprintf(errbuf, errbuf_len, "broker: out of memory");
fail:
  brk__broker_free(b);
  return NULL;
}

static void on_accept(void *arg, uint32_t events) {
  brk_broker_t *b = arg;
  (void)events;
  for (int i = 0; i < 64; i++) {
    int fd = accept4(b->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
        log_warn("broker", "accept: %s", strerror(errno));
      return;
    }
    brk_conn_new(b, fd);
  }
}

static int bind_listener(const char *host, int port, char *errbuf, size_t errbuf_len) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
  struct addrinfo *res = NULL;
  char ps[16];
  snprintf(ps, sizeof ps, "%d", port);
  int rc = getaddrinfo(*host ? host : NULL, ps, &hints, &res);
  if (rc != 0) {
    snprintf(errbuf, errbuf_len, "broker: listen host \"%s\": %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = -1, err = 0;
  for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
      err = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0) snprintf(errbuf, errbuf_len, "broker: cannot listen on %s:%d: %s", host, port, strerror(err));
  return fd;
}

int brk__broker_listen(brk_broker_t *b, char *errbuf, size_t errbuf_len) {
  char *host = NULL;
  int port;
  if (split_listen(b->cfg.listen, &host, &port) != 0) {
    snprintf(errbuf, errbuf_len, "broker: listen address \"%s\" is not host:port", b->cfg.listen);
    free(host);
    return -1;
  }
  b->listen_fd = bind_listener(host, port, errbuf, errbuf_len);
  if (b->listen_fd < 0) {
    free(host);
    return -1;
  }
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  getsockname(b->listen_fd, (struct sockaddr *)&ss, &sl);
  b->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port);
  const char *adv = resolve_advertised(b, host);
  if (adv == host) {
    free(b->advertised_copy);
    b->cfg.advertised_host = NULL;
    b->advertised_copy = host; /* keeps it alive; cfg.advertised_host stays as given */
    host = NULL;
  }
  b->advertised_host = adv;
  free(host);
  b->listen_io = (brk_io_t){on_accept, b};
  if (brk_loop_watch(b->loop, b->listen_fd, EPOLLIN, &b->listen_io) != 0) {
    snprintf(errbuf, errbuf_len, "broker: epoll: %s", strerror(errno));
    return -1;
  }
  log_info("broker", "listening on %s (advertised %s:%d)", b->cfg.listen, b->advertised_host, b->port);
  return 0;
}

void brk__broker_free(brk_broker_t *b) {
  if (!b) return;
  b->closing = true; /* tasks run below may be late brk__loop_call tasks: they must not read state */
  if (b->loop) {
    if (b->listen_fd >= 0) brk_loop_unwatch(b->loop, b->listen_fd);
    brk_groups_free(b->groups); /* answers parked joins/syncs while connections exist */
    brk_txn_free(b->txn);
    brk_loop_run_tasks(b->loop); /* finishes scheduled connection closes */
    while (b->conns) brk_conn_destroy(b->conns);
    brk_timer_stop(b->loop, &b->retention_timer);
  }
  if (b->listen_fd >= 0) close(b->listen_fd);
  brk_offsets_close(b->offsets);
  brk_store_close(b->store); /* its flusher may post last acks: run them */
  if (b->loop) brk_loop_run_tasks(b->loop);
  brk_loop_destroy(b->loop);
  free(b->listen_copy);
  free(b->advertised_copy);
  free(b->data_dir_copy);
  free(b);
}

/* ---- public API ----------------------------------------------------------------- */

static void *loop_main(void *arg) {
  brk_server_t *srv = arg;
  brk_loop_run(srv->b->loop);
  return NULL;
}

brk_server_t *brk_server_start(const brk_config_t *cfg, char *errbuf, size_t errbuf_len) {
  brk_server_t *srv = calloc(1, sizeof *srv);
  if (!srv) {
    snprintf(errbuf, errbuf_len, "broker: out of memory");
    return NULL;
  }
  srv->b = brk__broker_new(cfg, errbuf, errbuf_len);
  if (!srv->b || brk__broker_listen(srv->b, errbuf, errbuf_len) != 0) goto fail;
  int rc = pthread_create(&srv->thread, NULL, loop_main, srv);
  if (rc != 0) {
    snprintf(errbuf, errbuf_len, "broker: thread: %s", strerror(rc));
    goto fail;
  }
  if (metrics_add_collector(brk__metrics_collect, srv->b) != 0)
    log_warn("broker", "metrics: collector table full; partition and group metrics not collected");
  return srv;
fail:
  brk__broker_free(srv->b);
  free(srv);
  return NULL;
}

int brk_server_port(const brk_server_t *srv) { return srv ? srv->b->port : -1; }

static void ping(brk_broker_t *b, void *arg) {
  (void)b;
  (void)arg;
}

bool brk_server_alive(brk_server_t *srv, int timeout_ms) {
  return srv && brk__loop_call(srv->b, timeout_ms, ping, NULL, NULL);
}

void brk_server_stop(brk_server_t *srv) {
  if (!srv) return;
  /* waits for a scrape in progress, which may be waiting for this loop */
  metrics_remove_collector(brk__metrics_collect, srv->b);
  brk_loop_stop(srv->b->loop);
  pthread_join(srv->thread, NULL);
  brk__broker_free(srv->b);
  free(srv);
}
