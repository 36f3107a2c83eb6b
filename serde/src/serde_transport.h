// SPDX-License-Identifier: Apache-2.0
/* The one door from outside serde into its Schema Registry HTTP transport,
 * for in-tree tools that speak the registry's REST API themselves (weir
 * schema: platform/src/tool_schema_http.c) instead of writing a second
 * libcurl client. What such a tool may use from serde_client.h is the
 * transport only: serde__http_new (from a serde_conf_t built with the
 * public serde_conf_set), serde__http_call, serde__http_resp_fini and
 * serde__http_destroy. The registry calls and everything else there stay
 * serde's own. Applications outside the tree use serde/serde.h only. */
#ifndef WEIR_SERDE_TRANSPORT_H
#define WEIR_SERDE_TRANSPORT_H

#include "serde_client.h"

#endif
