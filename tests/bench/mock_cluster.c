// SPDX-License-Identifier: Apache-2.0
/* A librdkafka 2.0.2 mock cluster in its own process: the in-memory,
 * single-threaded, no-disk performance peer that tests/bench/bench_broker.sh
 * runs side by side with weir's broker. It prints the bootstrap address on
 * stdout and serves until SIGTERM/SIGINT. Usage: mock_cluster [PARTITIONS
 * TOPIC...] (pre-creates each TOPIC with PARTITIONS partitions). Benchmark
 * scaffolding only, not part of weir. */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

int main(int argc, char **argv) {
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "mock_cluster: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, 1);
  if (!mc) {
    fprintf(stderr, "mock_cluster: rd_kafka_mock_cluster_new failed\n");
    return 1;
  }
  int partitions = argc > 1 ? atoi(argv[1]) : 1;
  for (int i = 2; i < argc; i++) rd_kafka_mock_topic_create(mc, argv[i], partitions, 1);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);
  while (!g_stop) pause();
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
