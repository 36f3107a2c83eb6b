// SPDX-License-Identifier: Apache-2.0
/* The component table: which servers this executable contains and the order
 * `weir start` starts them in (dependencies first: the broker, then the
 * registry, then the REST proxy). Adding a component is one line here, one
 * file implementing component.h, and its rows in prop_table.c. */
#include "component.h"

static const weir_component_t *const k_components[] = {
    &weir__component_broker,
    &weir__component_registry,
    &weir__component_rest_proxy,
};

const weir_component_t *const *weir__components(size_t *count) {
  *count = sizeof k_components / sizeof k_components[0];
  return k_components;
}
