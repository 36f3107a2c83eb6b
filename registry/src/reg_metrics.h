// SPDX-License-Identifier: Apache-2.0
/* The registry's metrics (reg_metrics.c): registration and compatibility
 * check counters bumped by the service, the scrape-time collector that counts
 * schemas, subjects and versions in the in-memory index. Internal to
 * registry/src. */
#ifndef WEIR_REGISTRY_REG_METRICS_H
#define WEIR_REGISTRY_REG_METRICS_H

#include <stdbool.h>

#include "metrics/metrics.h"
#include "reg_error.h"
#include "reg_service.h"

/* How one POST /subjects/{s}/versions ended in the service. */
typedef enum {
  REG_REGISTRATION_NEW,
  REG_REGISTRATION_EXISTING,
  REG_REGISTRATION_INCOMPATIBLE,
  REG_REGISTRATION_INVALID,
  REG_REGISTRATION_ERROR
} reg_registration_result_t;

/* Counts one registration (weir_registry_registrations_total). */
void reg__metrics_registration(reg_registration_result_t result);
/* The result of a failed registration, by error code. */
reg_registration_result_t reg__metrics_registration_failure(reg_code_t rc);

/* Counts one compatibility check: compatible, incompatible or failed
 * (weir_registry_compatibility_checks_total). */
void reg__metrics_compat_check(reg_code_t rc, bool compatible);

/* Registers the registry's families and its collector over svc (-1 when
 * the collector table is full: the counters still work). reg__metrics_stop
 * removes the collector; call it before svc is closed. */
int reg__metrics_start(reg_service_t *svc);
void reg__metrics_stop(reg_service_t *svc);

/* metrics_collect_fn over a reg_service_t: schemas by type, subjects and
 * versions, read under the service's read lock. */
void reg__metrics_collect(void *svc, metrics_writer_t *w);

#endif
