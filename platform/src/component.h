// SPDX-License-Identifier: Apache-2.0
/* The interface every server component implements to run inside `weir`
 * (broker, registry, REST proxy), and the component table run.c walks.
 * Each component's file is the only place that calls that component's
 * library; nothing here knows about signals or argv. */
#ifndef WEIR_PLATFORM_COMPONENT_H
#define WEIR_PLATFORM_COMPONENT_H

#include <stddef.h>

#include "platform/error.h"
#include "platform/props.h"

typedef struct weir_component {
  weir_component_id_t id;
  const char *name;
  /* Starts serving from props and logs one line with the bound address.
   * Returns an opaque handle, or NULL with err set (WEIR_ERR_START) naming
   * the component and the cause (e.g. the port in use). */
  void *(*start)(const weir_props_t *props, weir_error_t *err);
  /* Stops serving and releases the handle; waits for in-flight work. */
  void (*stop)(void *handle);
} weir_component_t;

/* The port a running component of this process actually bound (its
 * listener may say port 0), or 0 when it is not running. Components set it
 * once started; the REST proxy dials its own process's broker and registry
 * there. */
void weir__component_bound_port_set(weir_component_id_t id, int port);
int weir__component_bound_port(weir_component_id_t id);

/* Components built into this executable, in start order (stopped in reverse). */
const weir_component_t *const *weir__components(size_t *count);

extern const weir_component_t weir__component_broker;

/* component_broker.c's mapping of the broker properties onto brk_config_t,
 * exposed for its unit test. The config's strings point into *s (or into
 * props), so both must outlive cfg. */
typedef struct weir_broker_strings {
  char listen[300];
  char advertised_host[256];
} weir_broker_strings_t;
struct brk_config;
void weir__broker_config(const weir_props_t *props, struct brk_config *cfg, weir_broker_strings_t *s);

/* metrics_listener.c: a component's own HTTP listener for `metrics.listener`
 * (GET /metrics: the process's metrics; GET /health: 200 {"status":"UP",
 * "service":"<service>"} when health(ctx) returns NULL, else 503 with
 * "status":"DOWN" and the "reason" it returned; other methods on those
 * paths: JSON 405; other paths: JSON 404). listen is the property text
 * (`http://HOST:PORT`); service is a plain name ("broker") used in the body
 * and log lines. Logs the bound address. health runs on an HTTP worker
 * thread and must be thread-safe; its reason is static text without quotes
 * or backslashes. NULL with err set (WEIR_ERR_CONFIG, WEIR_ERR_START) on
 * failure. Stop it before whatever health reads goes away. */
typedef struct weir_metrics_listener weir_metrics_listener_t;
typedef const char *(*weir_health_fn)(void *ctx);
weir_metrics_listener_t *weir__metrics_listener_start(const char *listen, const char *service,
                                                      weir_health_fn health, void *health_ctx, weir_error_t *err);
/* The port bound, or -1 for NULL. */
int weir__metrics_listener_port(const weir_metrics_listener_t *l);
/* Stops serving (waits for in-flight requests) and frees; accepts NULL. */
void weir__metrics_listener_stop(weir_metrics_listener_t *l);

extern const weir_component_t weir__component_registry;

extern const weir_component_t weir__component_rest_proxy;

#endif
