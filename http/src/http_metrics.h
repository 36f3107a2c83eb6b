// SPDX-License-Identifier: Apache-2.0
/* The HTTP glue's request metrics (http_metrics.c), called by http_conn.c and
 * http_stream.c: every request counted and timed once, labelled by the
 * server's log_component as "service". */
#ifndef WEIR_HTTP_HTTP_METRICS_H
#define WEIR_HTTP_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

/* A request started on a server tagged `service` (in-flight gauge + 1). */
void http__metrics_request_begin(const char *service);

/* The request ended with `status` after `bytes_out` response body bytes:
 * counts it by method and status, observes the time since t0_us
 * (CLOCK_MONOTONIC microseconds), adds the body bytes (bytes_in: the body
 * read by the glue; streamed bodies are counted as read), in-flight - 1. */
void http__metrics_request_end(const char *service, const char *method, int status, size_t bytes_in,
                               size_t bytes_out, int64_t t0_us);

/* Streamed request body bytes, as the handler reads them. */
void http__metrics_body_read(const char *service, size_t bytes);

#endif
