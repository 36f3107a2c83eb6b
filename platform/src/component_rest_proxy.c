// SPDX-License-Identifier: Apache-2.0
/* The REST Proxy as a weir component: maps the rest-proxy properties onto
 * rp_config_t (an empty bootstrap.servers / schema.registry.url means this
 * process's own broker / registry listener, at the port it bound) and calls
 * rp_server_start/stop.
 * The only platform file that includes rest_proxy/rest_proxy.h. */
#include <stdio.h>
#include <string.h>

#include "component.h"
#include "log/log.h"
#include "platform/listener.h"
#include "rest_proxy/rest_proxy.h"

#define RP WEIR_COMP_REST_PROXY

/* Buffers the rp_config_t strings point into (rp_server_start copies them). */
typedef struct rest_proxy_strings {
  char listen[300];
  char bootstrap[300];
  char registry[300];
} rest_proxy_strings_t;

/* A listener's host as a client should dial it (all interfaces -> loopback). */
static const char *dial_host(const weir_listener_t *l) {
  return strcmp(l->host, "0.0.0.0") == 0 || !l->host[0] ? "127.0.0.1" : l->host;
}

/* The port to dial a component of this process on: the one it bound when it
 * runs here (its listener may say 0), else the configured one. */
static int dial_port(weir_component_id_t comp, const weir_listener_t *l) {
  int bound = weir__component_bound_port(comp);
  return bound > 0 ? bound : l->port;
}

static void rest_proxy_config(const weir_props_t *props, rp_config_t *cfg, rest_proxy_strings_t *s) {
  rp_config_init(cfg);
  weir_listener_t l;
  weir_listener_parse(weir_props_get(props, RP, "listeners"), &l, NULL); /* validated when set */
  snprintf(s->listen, sizeof s->listen, "%s:%d", l.host, l.port);
  cfg->listen = s->listen;
  cfg->advertised_url = weir_props_get(props, RP, "advertised.listeners");
  const char *bootstrap = weir_props_get(props, RP, "bootstrap.servers");
  if (!bootstrap[0] && weir_listener_parse_kafka(weir_props_get(props, WEIR_COMP_BROKER, "listeners"), &l, NULL) == WEIR_OK) {
    snprintf(s->bootstrap, sizeof s->bootstrap, "%s:%d", dial_host(&l), dial_port(WEIR_COMP_BROKER, &l));
    bootstrap = s->bootstrap;
  }
  cfg->bootstrap_servers = bootstrap;
  const char *registry = weir_props_get(props, RP, "schema.registry.url");
  if (strcmp(registry, "none") == 0) {
    registry = "";
  } else if (!registry[0] && weir_listener_parse(weir_props_get(props, WEIR_COMP_REGISTRY, "listeners"), &l, NULL) == WEIR_OK) {
    snprintf(s->registry, sizeof s->registry, "http://%s:%d", dial_host(&l), dial_port(WEIR_COMP_REGISTRY, &l));
    registry = s->registry;
  }
  cfg->schema_registry_url = registry;
  cfg->id = weir_props_get(props, RP, "id");
  cfg->num_threads = (int)weir_props_get_int(props, RP, "thread.pool.max");
  cfg->max_request_bytes = (size_t)weir_props_get_int(props, RP, "request.max.bytes");
  cfg->consumer_request_timeout_ms = (int)weir_props_get_int(props, RP, "consumer.request.timeout.ms");
  cfg->consumer_request_max_bytes = weir_props_get_int(props, RP, "consumer.request.max.bytes");
  cfg->consumer_instance_timeout_ms = (int)weir_props_get_int(props, RP, "consumer.instance.timeout.ms");
  cfg->fetch_min_bytes = (int)weir_props_get_int(props, RP, "fetch.min.bytes");
  cfg->produce_record_max_bytes = weir_props_get_int(props, RP, "api.v3.produce.request.size.limit.max.bytes");
  cfg->streaming_max_duration_ms = weir_props_get_int(props, RP, "streaming.connection.max.duration.ms");
  cfg->produce_batch_max_entries = (int)weir_props_get_int(props, RP, "api.v3.produce.batch.maximum.entries");
  cfg->producer_linger_ms = (int)weir_props_get_int(props, RP, "producer.linger.ms");
  cfg->metadata_max_age_ms = (int)weir_props_get_int(props, RP, "metadata.max.age.ms");
}

static void *rest_proxy_start(const weir_props_t *props, weir_error_t *err) {
  rp_config_t cfg;
  rest_proxy_strings_t s;
  rest_proxy_config(props, &cfg, &s);
  char errbuf[512] = "";
  rp_server_t *srv = rp_server_start(&cfg, errbuf, sizeof errbuf);
  if (!srv) {
    weir_error_set(err, WEIR_ERR_START, "rest-proxy: cannot start on %s: %s", cfg.listen, errbuf);
    return NULL;
  }
  weir_listener_t l;
  weir_listener_parse(weir_props_get(props, RP, "listeners"), &l, NULL);
  log_info("rest-proxy", "listening on http://%s:%d (kafka %s, schema registry %s)", l.host, rp_server_port(srv),
           cfg.bootstrap_servers, cfg.schema_registry_url[0] ? cfg.schema_registry_url : "none");
  return srv;
}

static void rest_proxy_stop(void *handle) { rp_server_stop(handle); }

const weir_component_t weir__component_rest_proxy = {
    .id = WEIR_COMP_REST_PROXY,
    .name = "rest-proxy",
    .start = rest_proxy_start,
    .stop = rest_proxy_stop,
};
