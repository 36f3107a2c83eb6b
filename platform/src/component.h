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

extern const weir_component_t weir__component_registry;

extern const weir_component_t weir__component_rest_proxy;

#endif
