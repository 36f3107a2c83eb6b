// SPDX-License-Identifier: Apache-2.0
/* The registry's metrics (docs/metrics.md): counters of registrations and
 * compatibility checks by result, bumped by the service, and a scrape-time
 * collector that counts what the in-memory index holds (schemas by type,
 * subjects, versions live and soft-deleted) under the service's read lock,
 * so nothing is mirrored on the write path. The /metrics and /health routes
 * are reg_http_ops.c. */
#include "reg_metrics.h"

#include <pthread.h>
#include <string.h>

#include "reg_service_int.h"

static const char *const registration_results[] = {"new", "existing", "incompatible", "invalid", "error"};
static const char *const compat_results[] = {"compatible", "incompatible", "failed"};

static pthread_once_t children_once = PTHREAD_ONCE_INIT;
static metrics_child_t *registrations[5];
static metrics_child_t *compat_checks[3];

/* Every result exists from the start, so rates work from the first scrape. */
static void children_init(void) {
  metrics_family_t *r =
      metrics_counter("weir_registry_registrations_total",
                      "Schema registrations (POST /subjects/{s}/versions) by result.", "result");
  for (size_t i = 0; i < 5; i++) registrations[i] = metrics_child1(r, registration_results[i]);
  metrics_family_t *c = metrics_counter(
      "weir_registry_compatibility_checks_total",
      "Compatibility checks (POST /compatibility/subjects/{s}/versions) by result.", "result");
  for (size_t i = 0; i < 3; i++) compat_checks[i] = metrics_child1(c, compat_results[i]);
}

int reg__metrics_start(reg_service_t *svc) {
  pthread_once(&children_once, children_init);
  return metrics_add_collector(reg__metrics_collect, svc);
}

void reg__metrics_stop(reg_service_t *svc) {
  metrics_remove_collector(reg__metrics_collect, svc);
}

void reg__metrics_registration(reg_registration_result_t result) {
  pthread_once(&children_once, children_init);
  metrics_inc(registrations[result], 1);
}

reg_registration_result_t reg__metrics_registration_failure(reg_code_t rc) {
  switch (rc) {
    case REG_ERR_INCOMPATIBLE:
      return REG_REGISTRATION_INCOMPATIBLE;
    case REG_ERR_STORE:
    case REG_ERR_NOMEM:
      return REG_REGISTRATION_ERROR;
    default:
      return REG_REGISTRATION_INVALID; /* the client's request was refused */
  }
}

void reg__metrics_compat_check(reg_code_t rc, bool compatible) {
  pthread_once(&children_once, children_init);
  metrics_inc(compat_checks[rc != REG_OK ? 2 : compatible ? 0 : 1], 1);
}

/* What one scrape counts. */
typedef struct counts {
  double schemas[3]; /* AVRO, PROTOBUF, JSON */
  double subjects;   /* with at least one live version */
  double live_versions;
  double deleted_versions;
} counts_t;

static const char *const schema_types[] = {"AVRO", "PROTOBUF", "JSON"};

static int count_schema(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl;
  const reg_schema_rec_t *rec = v;
  counts_t *c = arg;
  for (size_t i = 0; i < 3; i++)
    if (strcmp(rec->type, schema_types[i]) == 0) c->schemas[i]++;
  return 0;
}

static int count_ctx(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl;
  reg_map_foreach(&((reg_ctx_t *)v)->by_id, count_schema, arg);
  return 0;
}

static int count_subject(const void *k, size_t kl, void *v, void *arg) {
  (void)k, (void)kl;
  const reg_subject_t *subj = v;
  counts_t *c = arg;
  size_t live = reg_subject_live_count(subj);
  c->subjects += live > 0;
  c->live_versions += (double)live;
  c->deleted_versions += (double)(subj->n_versions - live);
  return 0;
}

void reg__metrics_collect(void *ctx, metrics_writer_t *w) {
  reg_service_t *svc = ctx;
  counts_t c = {{0}, 0, 0, 0};
  reg__rdlock(svc);
  reg_map_foreach(&svc->idx->ctxs, count_ctx, &c);
  reg_map_foreach(&svc->idx->subjects, count_subject, &c);
  reg__unlock(svc);
  static const char *const type_label[] = {"type"}, *const state_label[] = {"state"};
  metrics_write_header(w, "weir_registry_schemas",
                       "Schemas (distinct ids per context) in the registry, by type.", "gauge");
  for (size_t i = 0; i < 3; i++)
    metrics_write_sample(w, "weir_registry_schemas", type_label, &schema_types[i], 1, c.schemas[i]);
  metrics_write_header(w, "weir_registry_subjects", "Subjects with at least one live (not deleted) version.",
                       "gauge");
  metrics_write_sample(w, "weir_registry_subjects", NULL, NULL, 0, c.subjects);
  metrics_write_header(w, "weir_registry_schema_versions", "Subject versions, live or soft-deleted.",
                       "gauge");
  metrics_write_sample(w, "weir_registry_schema_versions", state_label, (const char *const[]){"live"}, 1,
                       c.live_versions);
  metrics_write_sample(w, "weir_registry_schema_versions", state_label, (const char *const[]){"soft_deleted"},
                       1, c.deleted_versions);
}
