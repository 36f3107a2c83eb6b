// SPDX-License-Identifier: Apache-2.0
/* Runs server components in this process: starts them in order, waits in the
 * calling (main) thread for SIGTERM or SIGINT, then stops them in reverse
 * order. Which components exist is the component table's business
 * (src/components.c); this header is the only way main.c reaches them. */
#ifndef WEIR_PLATFORM_RUN_H
#define WEIR_PLATFORM_RUN_H

#include "platform/error.h"
#include "platform/props.h"

#ifdef __cplusplus
extern "C" {
#endif

/* components: bit (1u << weir_component_id_t) per component to run; bits of
 * components not built in are ignored. Must be called from the main thread
 * before any other thread exists (it blocks SIGTERM/SIGINT so that threads
 * the components create inherit the mask). Returns WEIR_OK after a clean
 * shutdown, WEIR_ERR_START if a component failed to start (the others were
 * stopped), WEIR_ERR_USAGE if no component was selected. */
weir_code_t weir_run(const weir_props_t *props, unsigned components, weir_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
