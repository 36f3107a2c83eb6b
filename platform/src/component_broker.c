// SPDX-License-Identifier: Apache-2.0
/* The Kafka-protocol broker as a weir component: maps the broker's
 * properties (Kafka server.properties names) onto brk_config_t and calls
 * brk_server_start/stop, plus the broker's own metrics listener
 * (`metrics.listener`, metrics_listener.c) when set. The only platform file
 * that includes broker/broker.h; how the broker serves clients is broker/'s
 * business. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "broker/broker.h"
#include "component.h"
#include "platform/listener.h"

#define BRK WEIR_COMP_BROKER

/* log.retention.ms wins over log.retention.hours (Kafka's rule); any
 * negative value means "keep forever" (-1). */
static int64_t retention_ms(const weir_props_t *props) {
  const char *ms = weir_props_get(props, BRK, "log.retention.ms");
  long long v = ms[0] ? weir_props_get_int(props, BRK, "log.retention.ms")
                      : weir_props_get_int(props, BRK, "log.retention.hours");
  if (v < 0) return -1;
  if (ms[0]) return (int64_t)v;
  return (int64_t)v * 3600LL * 1000LL;
}

static void broker_listeners(const weir_props_t *props, brk_config_t *cfg, weir_broker_strings_t *s) {
  weir_listener_t l;
  weir_code_t rc = weir_listener_parse_kafka(weir_props_get(props, BRK, "listeners"), &l, NULL);
  (void)rc; /* validated when set */
  snprintf(s->listen, sizeof s->listen, "%s:%d", l.host, l.port);
  cfg->listen = s->listen;
  const char *adv = weir_props_get(props, BRK, "advertised.listeners");
  if (adv[0] && weir_listener_parse_kafka(adv, &l, NULL) == WEIR_OK) {
    snprintf(s->advertised_host, sizeof s->advertised_host, "%s", l.host);
    cfg->advertised_host = s->advertised_host;
  }
}

void weir__broker_config(const weir_props_t *props, brk_config_t *cfg, weir_broker_strings_t *s) {
  brk_config_init(cfg);
  broker_listeners(props, cfg, s);
  cfg->data_dir = weir_props_get(props, WEIR_COMP_CORE, "data.dir");
  cfg->node_id = (int32_t)weir_props_get_int(props, BRK, "node.id");
  cfg->auto_create_topics = weir_props_get_bool(props, BRK, "auto.create.topics.enable");
  cfg->num_partitions = (int32_t)weir_props_get_int(props, BRK, "num.partitions");
  cfg->segment_bytes = (int64_t)weir_props_get_int(props, BRK, "log.segment.bytes");
  cfg->retention_ms = retention_ms(props);
  cfg->retention_bytes = (int64_t)weir_props_get_int(props, BRK, "log.retention.bytes");
  cfg->flush_interval_messages = (int64_t)weir_props_get_int(props, BRK, "log.flush.interval.messages");
  cfg->max_request_bytes = (int32_t)weir_props_get_int(props, BRK, "socket.request.max.bytes");
  cfg->message_max_bytes = (int32_t)weir_props_get_int(props, BRK, "message.max.bytes");
  cfg->retention_check_interval_ms =
      (int64_t)weir_props_get_int(props, BRK, "log.retention.check.interval.ms");
  cfg->offsets_retention_ms = (int64_t)weir_props_get_int(props, BRK, "offsets.retention.minutes") * 60000LL;
  cfg->group_initial_rebalance_delay_ms =
      (int32_t)weir_props_get_int(props, BRK, "group.initial.rebalance.delay.ms");
}

/* The component handle: the broker and its optional metrics listener. */
typedef struct broker_handle {
  brk_server_t *srv;
  weir_metrics_listener_t *metrics;
} broker_handle_t;

/* /health: UP while the event loop runs a posted no-op within a second. */
static const char *broker_health(void *ctx) {
  return brk_server_alive(ctx, 1000) ? NULL : "the broker event loop did not answer within 1 s";
}

static void *broker_start(const weir_props_t *props, weir_error_t *err) {
  brk_config_t cfg;
  weir_broker_strings_t s = {{0}, {0}};
  weir__broker_config(props, &cfg, &s);
  broker_handle_t *h = calloc(1, sizeof *h);
  if (!h) {
    weir_error_set(err, WEIR_ERR_NOMEM, "broker: out of memory");
    return NULL;
  }
  char errbuf[512] = "";
  h->srv = brk_server_start(&cfg, errbuf, sizeof errbuf);
  if (!h->srv) {
    weir_error_set(err, WEIR_ERR_START, "broker: cannot start on %s: %s", cfg.listen, errbuf);
    free(h);
    return NULL;
  }
  /* brk_server_start logs the bound and advertised addresses itself. */
  weir__component_bound_port_set(BRK, brk_server_port(h->srv));
  const char *metrics_listen = weir_props_get(props, BRK, "metrics.listener");
  if (metrics_listen[0]) {
    h->metrics = weir__metrics_listener_start(metrics_listen, "broker", broker_health, h->srv, err);
    if (!h->metrics) {
      brk_server_stop(h->srv);
      free(h);
      return NULL;
    }
  }
  return h;
}

static void broker_stop(void *handle) {
  broker_handle_t *h = handle;
  if (!h) return;
  weir__component_bound_port_set(BRK, 0);
  weir__metrics_listener_stop(h->metrics); /* its /health reads the broker */
  brk_server_stop(h->srv);
  free(h);
}

const weir_component_t weir__component_broker = {
    .id = WEIR_COMP_BROKER,
    .name = "broker",
    .start = broker_start,
    .stop = broker_stop,
};
