// SPDX-License-Identifier: Apache-2.0
/* Implements registry.h: turns a reg_config_t into the service options (the
 * store at <data_dir>/registry/registry.db) and the HTTP listener options,
 * and owns the start/stop order (service before HTTP on start, HTTP before
 * service on stop, so no request ever sees a closed service). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "http/http_server.h"
#include "log/log.h"
#include "reg_http.h"
#include "reg_metrics.h"
#include "registry/registry.h"

#define REG_LOG "registry"

struct reg_server {
  reg_service_t *svc;
  reg_http_t http_ctx;
  http_server_t *http;
};

void reg_config_init(reg_config_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->listen = "0.0.0.0:8081";
  cfg->data_dir = "./weir-data";
  cfg->num_threads = 32;
  cfg->max_request_bytes = (size_t)16 << 20;
  cfg->max_schema_bytes = (size_t)1 << 20;
  cfg->default_compatibility = "BACKWARD";
  cfg->incompatible_error_code = 40901;
  cfg->mode_mutability = true;
}

/* mkdir -p for path (a directory). Returns 0 or -1 with errno set. */
static int mkdir_p(const char *path) {
  char buf[4096];
  size_t len = strlen(path);
  if (len == 0 || len >= sizeof buf) return errno = ENAMETOOLONG, -1;
  memcpy(buf, path, len + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
  return 0;
}

/* Opens the service on <data_dir>/registry/registry.db. */
static reg_service_t *open_service(const reg_config_t *cfg, char *errbuf, size_t errbuf_len) {
  char dir[4096], db[4200];
  const char *data_dir = cfg->data_dir ? cfg->data_dir : "./weir-data";
  snprintf(dir, sizeof dir, "%s/registry", data_dir);
  if (mkdir_p(dir) != 0) {
    snprintf(errbuf, errbuf_len, "cannot create %s: %s", dir, strerror(errno));
    return NULL;
  }
  snprintf(db, sizeof db, "%s/registry.db", dir);
  reg_service_opts_t opts = {.db_path = db,
                             .default_compatibility = cfg->default_compatibility ? cfg->default_compatibility
                                                                                 : "BACKWARD",
                             .max_schema_bytes = cfg->max_schema_bytes,
                             .mode_mutability = cfg->mode_mutability};
  reg_error_t err = {0};
  reg_service_t *svc = reg_service_open(&opts, &err);
  if (!svc) snprintf(errbuf, errbuf_len, "cannot open registry store %s: %s", db, err.message);
  return svc;
}

/* Logs "registry listening on host:port" with the port actually bound. */
static void log_listening(const char *listen, int port) {
  if (strncmp(listen, "http://", 7) == 0) listen += 7;
  const char *colon = strrchr(listen, ':');
  int host_len = colon ? (int)(colon - listen) : 0;
  log_info(REG_LOG, "registry listening on %.*s:%d", host_len, host_len ? listen : "0.0.0.0", port);
}

reg_server_t *reg_server_start(const reg_config_t *cfg, char *errbuf, size_t errbuf_len) {
  reg_server_t *srv = calloc(1, sizeof *srv);
  if (!srv) {
    snprintf(errbuf, errbuf_len, "registry: out of memory");
    return NULL;
  }
  srv->svc = open_service(cfg, errbuf, errbuf_len);
  if (!srv->svc) goto fail;
  if (reg__metrics_start(srv->svc) != 0)
    log_warn(REG_LOG, "metrics: collector table full; schema gauges left out");
  srv->http_ctx = (reg_http_t){.svc = srv->svc, .incompatible_error_code = cfg->incompatible_error_code};
  http_server_opts_t hopts = {.listen = cfg->listen ? cfg->listen : "0.0.0.0:8081",
                              .num_threads = cfg->num_threads,
                              .max_body_bytes = cfg->max_request_bytes,
                              .handler = reg_http_ops_handle,
                              .ctx = &srv->http_ctx,
                              .log_component = REG_LOG,
                              .error_content_type = "application/vnd.schemaregistry.v1+json"};
  srv->http = http_server_start(&hopts, errbuf, errbuf_len);
  if (!srv->http) goto fail;
  log_listening(hopts.listen, http_server_port(srv->http));
  return srv;
fail:
  if (srv->svc) reg__metrics_stop(srv->svc);
  reg_service_close(srv->svc);
  free(srv);
  return NULL;
}

int reg_server_port(const reg_server_t *srv) { return srv ? http_server_port(srv->http) : -1; }

void reg_server_stop(reg_server_t *srv) {
  if (!srv) return;
  http_server_stop(srv->http);
  reg__metrics_stop(srv->svc);
  reg_service_close(srv->svc);
  free(srv);
}
