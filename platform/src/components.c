// SPDX-License-Identifier: Apache-2.0
/* The component table: which servers this executable contains and the order
 * `weir start` starts them in (dependencies first: the broker, then the
 * registry, then the REST proxy). Adding a component is one line here, one
 * file implementing component.h, and its rows in prop_table.c. Also keeps
 * the ports the running components bound. */
#include "component.h"

#include <stdatomic.h>

static atomic_int g_bound_port[WEIR_COMP__COUNT];

void weir__component_bound_port_set(weir_component_id_t id, int port) { atomic_store(&g_bound_port[id], port); }

int weir__component_bound_port(weir_component_id_t id) { return atomic_load(&g_bound_port[id]); }

static const weir_component_t *const k_components[] = {
    &weir__component_broker,
    &weir__component_registry,
    &weir__component_rest_proxy,
};

const weir_component_t *const *weir__components(size_t *count) {
  *count = sizeof k_components / sizeof k_components[0];
  return k_components;
}
