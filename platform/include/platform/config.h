// SPDX-License-Identifier: Apache-2.0
/* Builds the effective configuration of one `weir` invocation. Precedence,
 * lowest first: table defaults, --config FILE, -o key=value (in order), then
 * the --data-dir and --listen shortcuts. It neither parses argv nor starts
 * anything. */
#ifndef WEIR_PLATFORM_CONFIG_H
#define WEIR_PLATFORM_CONFIG_H

#include "platform/cli.h"
#include "platform/error.h"
#include "platform/props.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns a new store (release with weir_props_destroy), or NULL with err
 * set: WEIR_ERR_USAGE (e.g. --listen with a command that runs several
 * servers), WEIR_ERR_CONFIG (unknown key, bad value, naming it), WEIR_ERR_IO
 * (unreadable --config file), WEIR_ERR_NOMEM. */
weir_props_t *weir_config_build(const weir_cli_t *cli, weir_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
