// SPDX-License-Identifier: Apache-2.0
/* Minimal stand-ins for librdkafka's internal rd.h/rdtime.h, enough to build
 * the rdkafka_performance example outside the librdkafka tree. */
#ifndef WEIR_BENCH_RD_SHIM_H
#define WEIR_BENCH_RD_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
typedef int64_t rd_ts_t;
static inline rd_ts_t rd_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (rd_ts_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
#define rd_snprintf snprintf
#define RD_MAX(a, b) ((a) > (b) ? (a) : (b))
#define RD_MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
