// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the lead's v2 files (rp_v2_media.c): v2 media types,
 * i.e. which response type an Accept header selects and which embedded
 * format a produce Content-Type names. */
#ifndef WEIR_REST_PROXY_RP_V2_H
#define WEIR_REST_PROXY_RP_V2_H

#include "rp_codec.h"
#include "rp_int.h"

/* The response type for a v2 metadata/produce answer:
 * application/vnd.kafka.v2+json, or application/json when the client
 * prefers it. False after answering 406. */
bool rp_v2_response_type(rp_call_t *c, const char **ctype);

/* The embedded format named by a produce request's Content-Type:
 * vnd.kafka.{binary,json,avro,jsonschema,protobuf}.v2+json (v1 spellings
 * too); the generic vnd.kafka[.v2]+json, application/json,
 * application/octet-stream or no Content-Type mean binary (lenient, as the
 * Confluent docs allowed). False after answering 415. */
bool rp_v2_produce_format(rp_call_t *c, rp_format_t *fmt);

#endif
