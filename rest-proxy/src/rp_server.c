// SPDX-License-Identifier: Apache-2.0
/* The REST proxy's lifecycle: config defaults, building the service context
 * (Kafka clients, serde handle for the registry, consumer table) and the
 * HTTP listener, and tearing them down in reverse order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/log.h"
#include "rp_consumer.h"
#include "rp_consumers.h"
#include "rp_int.h"
#include "rp_kafka.h"
#include "rp_metrics.h"
#include "serde/serde.h"

struct rp_server {
  rp_t rp;
  http_server_t *http;
};

void rp_config_init(rp_config_t *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->listen = "0.0.0.0:8082";
  cfg->bootstrap_servers = "127.0.0.1:9092";
  cfg->schema_registry_url = "http://127.0.0.1:8081";
  cfg->id = "";
  cfg->num_threads = 64;
  cfg->max_request_bytes = 64u << 20;
  cfg->consumer_request_timeout_ms = 1000;
  cfg->consumer_request_max_bytes = 64 << 20;
  cfg->consumer_instance_timeout_ms = 300000;
  cfg->fetch_min_bytes = -1;
  cfg->produce_record_max_bytes = 8 << 20;
  cfg->streaming_max_duration_ms = 86400000;
  cfg->produce_batch_max_entries = 10;
  cfg->producer_linger_ms = 0;
  cfg->metadata_max_age_ms = 5000;
}

/* strdup of s, or NULL for NULL/"" when empty_is_null. */
static bool dup_str(const char *s, bool empty_is_null, const char **out) {
  *out = NULL;
  if (!s || (empty_is_null && !*s)) return true;
  char *d = strdup(s);
  *out = d;
  return d != NULL;
}

static void free_config(rp_config_t *cfg) {
  free((char *)cfg->listen);
  free((char *)cfg->advertised_url);
  free((char *)cfg->bootstrap_servers);
  free((char *)cfg->schema_registry_url);
  free((char *)cfg->id);
}

static bool copy_config(const rp_config_t *in, rp_config_t *out) {
  *out = *in;
  out->listen = out->advertised_url = out->bootstrap_servers = out->schema_registry_url = out->id = NULL;
  bool ok = dup_str(in->listen, false, &out->listen) && dup_str(in->advertised_url, true, &out->advertised_url) &&
            dup_str(in->bootstrap_servers, false, &out->bootstrap_servers) &&
            dup_str(in->schema_registry_url, true, &out->schema_registry_url) &&
            dup_str(in->id ? in->id : "", false, &out->id);
  if (!out->produce_record_max_bytes) out->produce_record_max_bytes = 8 << 20;
  return ok && out->listen && out->bootstrap_servers;
}

static serde_t *make_serde(const char *url, char *errbuf, size_t errbuf_len) {
  serde_error_t err = {0};
  serde_conf_t *conf = serde_conf_new();
  if (!conf) {
    snprintf(errbuf, errbuf_len, "out of memory");
    return NULL;
  }
  serde_t *sd = NULL;
  if (serde_conf_set(conf, "schema.registry.url", url, &err) == SERDE_OK) sd = serde_new(conf, &err);
  if (!sd) {
    snprintf(errbuf, errbuf_len, "schema.registry.url: %s", err.message);
    serde_conf_destroy(conf);
  }
  return sd;
}

static void teardown(rp_server_t *srv) {
  if (srv->rp.consumers) rp__consumers_quiesce(srv->rp.consumers); /* long reads return now */
  http_server_stop(srv->http);
  rp_consumers_destroy(srv->rp.consumers);
  rp_kafka_destroy(srv->rp.kafka);
  serde_destroy(srv->rp.serde);
  free_config(&srv->rp.cfg);
  free(srv);
}

rp_server_t *rp_server_start(const rp_config_t *cfg, char *errbuf, size_t errbuf_len) {
  rp_server_t *srv = calloc(1, sizeof *srv);
  if (!srv || !copy_config(cfg, &srv->rp.cfg)) {
    snprintf(errbuf, errbuf_len, "out of memory");
    if (srv) free_config(&srv->rp.cfg);
    free(srv);
    return NULL;
  }
  rp_t *rp = &srv->rp;
  rp__metrics_init();
  if (rp->cfg.schema_registry_url && !(rp->serde = make_serde(rp->cfg.schema_registry_url, errbuf, errbuf_len))) {
    teardown(srv);
    return NULL;
  }
  if (!(rp->kafka = rp_kafka_new(&rp->cfg, errbuf, errbuf_len))) {
    teardown(srv);
    return NULL;
  }
  if (!(rp->consumers = rp_consumers_new(rp))) {
    snprintf(errbuf, errbuf_len, "cannot start the consumer expiry thread");
    teardown(srv);
    return NULL;
  }
  http_server_opts_t opts = {
      .listen = rp->cfg.listen,
      .num_threads = rp->cfg.num_threads,
      .max_body_bytes = rp->cfg.max_request_bytes,
      .handler = rp_handle,
      .ctx = rp,
      .log_component = "rest-proxy",
      .error_content_type = RP_MT_JSON,
      .stream_match = rp_is_streamed,
  };
  if (!(srv->http = http_server_start(&opts, errbuf, errbuf_len))) {
    teardown(srv);
    return NULL;
  }
  return srv;
}

int rp_server_port(const rp_server_t *srv) { return srv ? http_server_port(srv->http) : -1; }

void rp_server_stop(rp_server_t *srv) {
  if (srv) teardown(srv);
}
