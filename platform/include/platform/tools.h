// SPDX-License-Identifier: Apache-2.0
/* Client tools run by the weir executable: commands that talk to a running
 * broker over the Kafka protocol (through librdkafka) instead of serving.
 * Each returns the process exit status: 0 done, 1 the broker could not
 * answer, 2 usage error. Output goes to stdout, diagnostics to stderr. */
#ifndef WEIR_PLATFORM_TOOLS_H
#define WEIR_PLATFORM_TOOLS_H

#include "platform/cli.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `weir groups list` / `weir groups describe GROUP` [--bootstrap-server
 * HOST:PORT]: consumer groups, their members, assignments, committed
 * offsets, log end offsets and lag (tool_groups*.c). */
int weir_tool_groups(const weir_cli_t *cli);

#ifdef __cplusplus
}
#endif
#endif
