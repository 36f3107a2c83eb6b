// SPDX-License-Identifier: Apache-2.0
/* REST proxy produce benchmark: records/s written through the proxy with v2
 * batches (POST /topics/{t}, K records per request, C keep-alive
 * connections) and with v3 streaming (one chunked POST .../records per
 * connection, reports read while writing), side by side in the same run with
 * librdkafka producing the same records straight to the same broker (the
 * reference: the ratio proxy/direct is the figure). Every record's report is
 * checked (an error report or a short count exits 1). Plain sockets for HTTP,
 * so the client costs little next to the proxy. 127.0.0.1 only.
 *
 * usage: bench_rest_proxy PROXY_PORT BOOTSTRAP CLUSTER_ID [records] [value_bytes] [batch] [connections] */
#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct bench {
  int port;
  const char *bootstrap;
  const char *cluster_id;
  long records, value_bytes, batch, connections;
  char *b64; /* the value, base64 */
} bench_t;

typedef struct worker {
  const bench_t *b;
  const char *topic;
  long records;
  long ok;
  pthread_t thread;
} worker_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("connect");
    exit(1);
  }
  return fd;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) {
      perror("write");
      exit(1);
    }
    p += w, n -= (size_t)w;
  }
}

static long count(const char *hay, size_t n, const char *needle) {
  long c = 0;
  size_t m = strlen(needle);
  for (const char *p = hay; (p = memmem(p, n - (size_t)(p - hay), needle, m)); p += m) c++;
  return c;
}

/* Reads one HTTP response with Content-Length into buf; returns body length. */
static size_t read_response(int fd, char **buf, size_t *cap, size_t *body_off) {
  size_t len = 0;
  for (;;) {
    if (len + 4096 > *cap) *buf = realloc(*buf, *cap = (*cap + 4096) * 2);
    ssize_t r = read(fd, *buf + len, *cap - len - 1);
    if (r <= 0) {
      fprintf(stderr, "bench: connection closed mid-response\n");
      exit(1);
    }
    len += (size_t)r;
    (*buf)[len] = '\0';
    char *end = strstr(*buf, "\r\n\r\n");
    if (!end) continue;
    char *cl = strcasestr(*buf, "Content-Length:");
    size_t body = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
    size_t head = (size_t)(end - *buf) + 4;
    while (len < head + body) {
      if (len + 4096 > *cap) *buf = realloc(*buf, *cap = (*cap + 4096) * 2);
      r = read(fd, *buf + len, *cap - len - 1);
      if (r <= 0) exit(1);
      len += (size_t)r;
    }
    (*buf)[len] = '\0';
    if (strncmp(*buf, "HTTP/1.1 200", 12) != 0) {
      fprintf(stderr, "bench: %.300s\n", *buf);
      exit(1);
    }
    *body_off = head;
    return body;
  }
}

static void *v2_worker(void *arg) {
  worker_t *w = arg;
  const bench_t *b = w->b;
  size_t rec_len = strlen(b->b64) + 16;
  char *body = malloc((size_t)b->batch * rec_len + 32);
  size_t n = (size_t)sprintf(body, "{\"records\":[");
  for (long i = 0; i < b->batch; i++) n += (size_t)sprintf(body + n, "%s{\"value\":\"%s\"}", i ? "," : "", b->b64);
  n += (size_t)sprintf(body + n, "]}");
  char head[512];
  size_t hn = (size_t)snprintf(head, sizeof head,
                               "POST /topics/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                               "application/vnd.kafka.binary.v2+json\r\nContent-Length: %zu\r\n\r\n",
                               w->topic, n);
  int fd = dial(b->port);
  char *buf = NULL;
  size_t cap = 0;
  for (long sent = 0; sent < w->records; sent += b->batch) {
    write_all(fd, head, hn);
    write_all(fd, body, n);
    size_t off = 0, blen = read_response(fd, &buf, &cap, &off);
    w->ok += count(buf + off, blen, "\"error_code\":null");
  }
  close(fd);
  free(buf);
  free(body);
  return NULL;
}

typedef struct v3_reader {
  int fd;
  long want, ok, failed;
} v3_reader_t;

static void *v3_read(void *arg) {
  v3_reader_t *r = arg;
  char buf[65536 + 64];
  size_t keep = 0;
  while (r->ok + r->failed < r->want) {
    ssize_t n = read(r->fd, buf + keep, 65536);
    if (n <= 0) break;
    size_t len = keep + (size_t)n;
    /* count complete markers; keep a short tail in case one is split */
    char *last = buf;
    for (char *p = buf; (p = memmem(p, len - (size_t)(p - buf), "\"error_code\":", 13)); p += 13) {
      if ((size_t)(p - buf) + 16 > len) break;
      if (strncmp(p + 13, "200", 3) == 0) {
        r->ok++;
      } else {
        r->failed++;
        fprintf(stderr, "bench: report %.200s\n", p);
      }
      last = p + 13;
    }
    keep = len - (size_t)(last - buf) < 32 ? len - (size_t)(last - buf) : 32;
    memmove(buf, buf + len - keep, keep);
  }
  return NULL;
}

static void *v3_worker(void *arg) {
  worker_t *w = arg;
  const bench_t *b = w->b;
  int fd = dial(b->port);
  char head[512];
  size_t hn = (size_t)snprintf(head, sizeof head,
                               "POST /v3/clusters/%s/topics/%s/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                               b->cluster_id, w->topic);
  write_all(fd, head, hn);
  v3_reader_t r = {.fd = fd, .want = w->records};
  pthread_t reader;
  pthread_create(&reader, NULL, v3_read, &r);
  size_t rec_len = strlen(b->b64) + 48;
  long per_chunk = b->batch;
  char *chunk = malloc((size_t)per_chunk * rec_len + 64);
  size_t n = 0;
  for (long i = 0; i < per_chunk; i++) n += (size_t)sprintf(chunk + n, "{\"value\":{\"type\":\"BINARY\",\"data\":\"%s\"}}", b->b64);
  for (long sent = 0; sent < w->records; sent += per_chunk) {
    char size[32];
    int sn = sprintf(size, "%zx\r\n", n);
    write_all(fd, size, (size_t)sn);
    write_all(fd, chunk, n);
    write_all(fd, "\r\n", 2);
  }
  write_all(fd, "0\r\n\r\n", 5);
  pthread_join(reader, NULL);
  w->ok = r.ok;
  close(fd);
  free(chunk);
  return NULL;
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk;
  if (!m->err) (*(long *)opaque)++;
}

static double direct(const bench_t *b, const char *topic) {
  char err[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  long ok = 0;
  rd_kafka_conf_set(conf, "bootstrap.servers", b->bootstrap, err, sizeof err);
  rd_kafka_conf_set(conf, "linger.ms", "1", err, sizeof err);
  rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
  rd_kafka_conf_set_opaque(conf, &ok);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  char *value = malloc((size_t)b->value_bytes);
  memset(value, 'v', (size_t)b->value_bytes);
  double t0 = now_s();
  for (long i = 0; i < b->records; i++) {
    while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(value, (size_t)b->value_bytes),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
      rd_kafka_poll(rk, 1);
    rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 60000);
  double dt = now_s() - t0;
  rd_kafka_destroy(rk);
  free(value);
  if (ok != b->records) {
    fprintf(stderr, "bench: direct delivered %ld of %ld\n", ok, b->records);
    exit(1);
  }
  return (double)b->records / dt;
}

static double through_proxy(const bench_t *b, const char *topic, void *(*fn)(void *)) {
  worker_t *ws = calloc((size_t)b->connections, sizeof *ws);
  double t0 = now_s();
  for (long i = 0; i < b->connections; i++) {
    ws[i] = (worker_t){.b = b, .topic = topic, .records = b->records / b->connections};
    pthread_create(&ws[i].thread, NULL, fn, &ws[i]);
  }
  long ok = 0, want = 0;
  for (long i = 0; i < b->connections; i++) {
    pthread_join(ws[i].thread, NULL);
    ok += ws[i].ok;
    want += (ws[i].records + b->batch - 1) / b->batch * b->batch;
  }
  double dt = now_s() - t0;
  free(ws);
  if (ok != want) {
    fprintf(stderr, "bench: %ld of %ld records acknowledged\n", ok, want);
    exit(1);
  }
  return (double)ok / dt;
}

static char *base64(long n) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned char *raw = malloc((size_t)n);
  memset(raw, 'v', (size_t)n);
  char *out = malloc((size_t)(n + 2) / 3 * 4 + 1), *o = out;
  long i = 0;
  for (; i + 3 <= n; i += 3) {
    unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
    *o++ = al[v >> 18], *o++ = al[(v >> 12) & 63], *o++ = al[(v >> 6) & 63], *o++ = al[v & 63];
  }
  if (i < n) {
    unsigned v = (unsigned)raw[i] << 16 | (i + 1 < n ? (unsigned)raw[i + 1] << 8 : 0);
    *o++ = al[v >> 18], *o++ = al[(v >> 12) & 63], *o++ = i + 1 < n ? al[(v >> 6) & 63] : '=', *o++ = '=';
  }
  *o = '\0';
  free(raw);
  return out;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s PROXY_PORT BOOTSTRAP CLUSTER_ID [records] [value_bytes] [batch] [connections]\n", argv[0]);
    return 2;
  }
  bench_t b = {.port = atoi(argv[1]), .bootstrap = argv[2], .cluster_id = argv[3]};
  b.records = argc > 4 ? atol(argv[4]) : 200000;
  b.value_bytes = argc > 5 ? atol(argv[5]) : 100;
  b.batch = argc > 6 ? atol(argv[6]) : 1000;
  b.connections = argc > 7 ? atol(argv[7]) : 4;
  b.b64 = base64(b.value_bytes);
  printf("records=%ld value_bytes=%ld batch=%ld connections=%ld\n", b.records, b.value_bytes, b.batch, b.connections);
  double d1 = direct(&b, "bench-direct");
  double v2 = through_proxy(&b, "bench-v2", v2_worker);
  double v3 = through_proxy(&b, "bench-v3", v3_worker);
  double d2 = direct(&b, "bench-direct");
  double ref = (d1 + d2) / 2;
  printf("direct librdkafka      %10.0f records/s (runs: %.0f, %.0f)\n", ref, d1, d2);
  printf("v2 batches over HTTP   %10.0f records/s  ratio %.2f\n", v2, v2 / ref);
  printf("v3 streaming over HTTP %10.0f records/s  ratio %.2f\n", v3, v3 / ref);
  free(b.b64);
  return 0;
}
