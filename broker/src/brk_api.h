// SPDX-License-Identifier: Apache-2.0
/* The contract between the request dispatcher and the per-API handler
 * files (one file per Kafka API, brk_api_<name>.c). A synchronous handler
 * decodes its request body from `r` (positioned after the request header,
 * tagged fields included for flexible versions) and writes its response body
 * (after the response header, which the dispatcher writes) to `w`. It returns
 * 0, or -1 when the request is malformed: the connection is then closed.
 * Kafka error codes go inside the response, per topic/partition, as the API
 * defines. Handlers run on the event-loop thread. */
#ifndef WEIR_BROKER_BRK_API_H
#define WEIR_BROKER_BRK_API_H

#include "brk_codec.h"
#include "brk_log.h"
#include "broker/broker.h"

typedef struct brk_broker brk_broker_t;

typedef struct brk_reqhdr {
  int16_t api_key;
  int16_t api_version;
  int32_t correlation_id;
  brk_slice_t client_id;
} brk_reqhdr_t;

typedef int (*brk_api_sync_fn)(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);

brk_store_t *brk_broker_store(brk_broker_t *b);
const brk_config_t *brk_broker_config(const brk_broker_t *b);

/* Admin APIs (versions advertised in brackets). */
int brk_api_create_topics(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);     /* 19 [0-4] */
int brk_api_delete_topics(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);     /* 20 [0-1] */
int brk_api_delete_records(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);    /* 21 [0-1] */
int brk_api_describe_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);  /* 32 [0-2] */
int brk_api_alter_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w);     /* 33 [0-1] */
int brk_api_create_partitions(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w); /* 37 [0-1] */
int brk_api_incremental_alter_configs(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r,
                                      brk_writer_t *w); /* 44 [0] */

#endif
