// SPDX-License-Identifier: Apache-2.0
/* The REST proxy's own metrics (rp_metrics.c): records produced and failed
 * per API, records consumed, consumer instances. Counted per produce batch or
 * per read, never per record under a lock. Internal to rest-proxy/src. */
#ifndef WEIR_REST_PROXY_RP_METRICS_H
#define WEIR_REST_PROXY_RP_METRICS_H

#include <stddef.h>

typedef enum { RP_API_V2, RP_API_V3 } rp_api_t;

/* Registers the families (so they show, at zero, from the first scrape). */
void rp__metrics_init(void);
/* One produce batch answered: `acked` records acknowledged by Kafka,
 * `failed` not produced (delivery failed, or refused before sending). */
void rp__metrics_produced(rp_api_t api, size_t acked, size_t failed);
/* A consumer read returned n records to the client. */
void rp__metrics_consumed(size_t n);
/* A consumer instance was created (+1) or closed/expired (-1). */
void rp__metrics_consumer_instances(int delta);

#endif
