// SPDX-License-Identifier: Apache-2.0
/* GET /health's question to the service: does the store still answer? One
 * cheap read on the SQLite connection, at most once a second, under the
 * service's read lock (writers, the only other users of the connection, are
 * excluded) and health_mu (so two probes never share the connection). A
 * write that holds the lock for over 2 s makes the registry report down
 * rather than hang the probe. */
#include <pthread.h>
#include <time.h>

#include "reg_service_int.h"

#define HEALTH_CACHE_MS 1000
#define HEALTH_LOCK_WAIT_S 2

static int64_t monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One probe; fills svc->health. Caller holds health_mu. */
static void probe(reg_service_t *svc) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += HEALTH_LOCK_WAIT_S;
  int rc = pthread_rwlock_timedrdlock(&svc->lock, &deadline);
  if (rc != 0) {
    reg_error_set(&svc->health, REG_ERR_STORE, "store busy: a write held it for over %d s",
                  HEALTH_LOCK_WAIT_S);
    return;
  }
  reg_error_t err = {0};
  if (reg_store_ping(svc->store, &err) == REG_OK)
    reg_error_set(&svc->health, REG_OK, "ok");
  else
    reg_error_set(&svc->health, REG_ERR_STORE, "store does not answer: %s", err.message);
  reg__unlock(svc);
}

reg_code_t reg_svc_health(reg_service_t *svc, reg_error_t *err) {
  pthread_mutex_lock(&svc->health_mu);
  int64_t now = monotonic_ms();
  if (svc->health_checked_ms == 0 || now - svc->health_checked_ms >= HEALTH_CACHE_MS) {
    probe(svc);
    svc->health_checked_ms = monotonic_ms();
  }
  reg_code_t rc = svc->health.code;
  if (err) *err = svc->health;
  pthread_mutex_unlock(&svc->health_mu);
  return rc;
}
