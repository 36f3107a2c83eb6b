// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the broker's request decoding (brk_dispatch.c and
 * every API handler behind it): the input is one request frame (without its
 * size prefix) dispatched on a connection of a broker whose store lives in a
 * temporary directory. Responses go to a socketpair nobody reads (the
 * connection is destroyed after each input); parked fetches are cancelled
 * then. Findings are crashes, leaks and sanitizer reports. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "brk_broker_int.h"
#include "log/log.h"

static brk_broker_t *broker;

static void setup(void) {
  char dir[] = "/tmp/weir-fuzz-broker-XXXXXX";
  if (!mkdtemp(dir)) abort();
  log_set_level(LOG_LEVEL_OFF);
  brk_config_t cfg;
  brk_config_init(&cfg);
  cfg.data_dir = dir;
  cfg.segment_bytes = 1 << 20;
  char err[256];
  broker = brk__broker_new(&cfg, err, sizeof err);
  if (!broker) {
    fprintf(stderr, "broker: %s\n", err);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!broker) setup();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 0;
  brk_conn_t *c = brk_conn_new(broker, sv[0]);
  if (!c) {
    close(sv[1]);
    return 0;
  }
  uint8_t *frame = malloc(size ? size : 1);
  if (frame) {
    memcpy(frame, data, size);
    if (brk__dispatch(broker, c, frame, size) != 0) brk_conn_close(c);
    free(frame);
  }
  brk_loop_run_tasks(broker->loop);
  if (broker->conns) brk_conn_destroy(broker->conns);
  close(sv[1]);
  return 0;
}
