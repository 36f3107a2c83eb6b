// SPDX-License-Identifier: Apache-2.0
/* v2 consumer instances (rp_consumers.c and rp_v2_consumer*.c): the table of
 * instances keyed by (group, name), each a librdkafka consumer with its
 * format, read buffer and idle clock; the expiry thread; and the
 * /consumers/... routes (rp_v2_consumer_routes in rp_int.h). */
#ifndef WEIR_REST_PROXY_RP_CONSUMERS_H
#define WEIR_REST_PROXY_RP_CONSUMERS_H

#include "rp_int.h"

/* Creates the table and starts the expiry thread (instances idle longer than
 * cfg.consumer_instance_timeout_ms are closed). NULL on failure. */
rp_consumers_t *rp_consumers_new(rp_t *rp);

/* Stops the expiry thread and closes every instance (each leaves its group).
 * Accepts NULL. */
void rp_consumers_destroy(rp_consumers_t *cs);

#endif
