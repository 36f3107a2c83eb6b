// SPDX-License-Identifier: Apache-2.0
/* Internals shared by the v2 consumer files: one consumer instance (a
 * librdkafka KafkaConsumer plus the proxy-side read settings and the one
 * record a read could not fit), and the table functions that find, pin and
 * release instances (rp_consumers.c). The HTTP handlers live in
 * rp_v2_consumer.c (control calls) and rp_v2_consumer_read.c (records).
 *
 * Locking: the table lock guards the table, refs, listed and the idle clock;
 * each instance's `mu` serialises every call on that instance (reads hold it
 * for their whole wait). The table lock is never taken while waiting for an
 * instance's mu, and is never held across a librdkafka call. */
#ifndef WEIR_REST_PROXY_RP_CONSUMER_H
#define WEIR_REST_PROXY_RP_CONSUMER_H

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "rp_codec.h"
#include "rp_consumers.h"
#include "rp_int.h"

/* Longest group id and instance name accepted (bytes). */
#define RP_CONSUMER_NAME_MAX 255
/* Most instances one proxy keeps (each is a librdkafka client with its own
 * threads and fetch buffers). */
#define RP_CONSUMERS_MAX 500
/* fetch.min.bytes range (Confluent: -1 .. 10,000,000). */
#define RP_FETCH_MIN_BYTES_MAX 10000000
/* consumer.request.timeout.ms accepted per instance. */
#define RP_REQUEST_TIMEOUT_MAX_MS 300000

/* How the instance consumes: nothing yet, a group subscription (topics or a
 * pattern), or a manual assignment. Subscribing and assigning are mutually
 * exclusive (40903). */
typedef enum {
  RP_CONSUMER_IDLE,
  RP_CONSUMER_SUBSCRIBED,
  RP_CONSUMER_PATTERN,
  RP_CONSUMER_ASSIGNED
} rp_consumer_mode_t;

/* What POST /consumers/{group} asked for. */
typedef struct rp_consumer_opts {
  const char *group;
  const char *name;
  rp_format_t format;
  const char *auto_offset_reset; /* librdkafka spelling, NULL = Kafka default (latest) */
  bool auto_commit;
  int fetch_min_bytes; /* -1 = off */
  int request_timeout_ms;
} rp_consumer_opts_t;

typedef struct rp_consumer {
  /* set at creation, then read-only */
  char *group;
  char *name;
  rp_format_t format;
  int fetch_min_bytes;
  int request_timeout_ms;
  rd_kafka_t *rk;

  /* guarded by mu */
  pthread_mutex_t mu;
  rp_consumer_mode_t mode;
  rd_kafka_message_t *pending; /* polled but not returned (did not fit, or failed to decode) */

  /* guarded by the table lock */
  int refs;
  bool listed;
  int64_t last_used_ms; /* monotonic */
  struct rp_consumer *next;
} rp_consumer_t;

/* Creates an instance (librdkafka consumer of group opts->group). On a
 * configuration rejected by librdkafka returns RP_ERR_CONSUMER_CONFIG with
 * msg; RP_ERR_NOMEM. Release with rp__consumer_free (not yet listed). */
rp_code_t rp__consumer_new(rp_t *rp, const rp_consumer_opts_t *opts, rp_consumer_t **out, char *msg,
                           size_t msg_size);
/* Closes the consumer (leaves the group, commits when auto commit is on),
 * destroys it and frees the instance. Accepts NULL. */
void rp__consumer_free(rp_consumer_t *inst);

/* Drops the buffered record (after seeks and assignment changes), or only
 * the one of topic/partition when topic is not NULL. Caller holds inst->mu. */
void rp__consumer_drop_pending(rp_consumer_t *inst, const char *topic, int32_t partition);

/* True when (group, name) is listed (a cheap pre-check before creating). */
bool rp__consumers_exists(rp_consumers_t *cs, const char *group, const char *name);
/* Outcome of rp__consumers_insert. */
typedef enum { RP_INSERT_OK, RP_INSERT_EXISTS, RP_INSERT_FULL } rp_insert_t;
/* Lists inst (taken only on RP_INSERT_OK). RP_INSERT_EXISTS when the name is
 * in use in the group, RP_INSERT_FULL when RP_CONSUMERS_MAX are listed. */
rp_insert_t rp__consumers_insert(rp_consumers_t *cs, rp_consumer_t *inst);
/* Unlists (group, name); the instance is closed now or when its last user
 * releases it. False when unknown. */
bool rp__consumers_remove(rp_consumers_t *cs, const char *group, const char *name);

/* For handlers: finds the instance named by c->params[0] (group) and
 * c->params[1] (name), pins it, refreshes its idle clock and locks its mu.
 * Replies 404/40403 and returns NULL when unknown (or deleted meanwhile).
 * Pair with rp__consumer_release. */
rp_consumer_t *rp__consumer_acquire(rp_call_t *c);
/* Unlocks, refreshes the idle clock and unpins (closing an instance deleted
 * while it was in use). Destroy every topic-partition list used with
 * inst->rk first: librdkafka caches partition references in lists, and a
 * live one makes rd_kafka_destroy wait forever. */
void rp__consumer_release(rp_call_t *c, rp_consumer_t *inst);

/* Makes reads in progress answer within ~100 ms and later reads answer at
 * once (what they have, else []). For shutdown: calling it before stopping
 * the HTTP server keeps long reads from delaying the stop. rp_consumers_destroy
 * calls it too. */
void rp__consumers_quiesce(rp_consumers_t *cs);
/* True once rp__consumers_quiesce was called. Any thread. */
bool rp__consumers_quiescing(rp_consumers_t *cs);

/* GET .../records (rp_v2_consumer_read.c). */
void rp__v2_consumer_read(rp_call_t *c);

#endif
