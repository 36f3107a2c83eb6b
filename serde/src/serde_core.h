// SPDX-License-Identifier: Apache-2.0
/* The serde handle and schema objects as the core sources share them
 * (serde_handle.c, serde_schema.c, serde_cache.c, serde_subject.c,
 * serde_serialize.c, serde_deserialize.c), and the single-flight cache
 * (serde_cache.c) they keep registry answers in. */
#ifndef WEIR_SERDE_CORE_H
#define WEIR_SERDE_CORE_H

#include <pthread.h>
#include <stdatomic.h>

#include "avro_codec.h"
#include "schemas/proto_schema.h"
#include "schemas/schemas.h"
#include "serde_client.h"
#include "serde_int.h"

/* ---- single-flight cache (serde_cache.c) ------------------------------------ */

/* What a cache entry holds: a schema (reference owned by the cache), an id,
 * or both. */
typedef struct serde_cached {
  serde_schema_t *schema;
  int32_t id;
  int version; /* lookups: the subject version; else 0 */
} serde_cached_t;

/* Fills *out for key (a fresh schema reference if any). Runs without locks. */
typedef serde_code_t (*serde_cache_load_fn)(void *ctx, serde_cached_t *out, serde_error_t *err);

/* A bounded map from byte keys to serde_cached_t. Concurrent misses on one
 * key make one load; the others wait for it. Entries expire after their ttl
 * (0 = never); failed loads of unknown schemas are remembered for
 * missing_ttl; other failures are not remembered. Oldest entries are evicted
 * beyond capacity. */
typedef struct serde_cache serde_cache_t;

serde_cache_t *serde__cache_new(size_t capacity, long missing_ttl_sec);
void serde__cache_destroy(serde_cache_t *cache);
/* Looks key up, loading it on a miss. ttl_sec: lifetime of a loaded entry.
 * On success *out holds a new schema reference (if the entry has one). */
serde_code_t serde__cache_get(serde_cache_t *cache, const void *key, size_t key_len, long ttl_sec,
                              serde_cache_load_fn load, void *ctx, serde_cached_t *out, serde_error_t *err);
/* Drops every entry whose key starts with prefix (e.g. latest of a subject
 * after registering to it). */
void serde__cache_forget(serde_cache_t *cache, const void *prefix, size_t prefix_len);

/* ---- handle ------------------------------------------------------------------------ */

struct serde {
  struct serde_conf *conf;
  serde_http_t *http;
  serde_cache_t *cache; /* ids, latest versions, registrations, versions */
  serde_avro_limits_t limits;
};

/* ---- schema -------------------------------------------------------------------------- */

/* (side, topic) -> id answers kept in the schema itself, for the handle
 * that owns the schema: the serializer's hot path is one lock-free scan of
 * this small append-only table, with no subject string built. */
typedef struct serde_topic_id {
  serde_side_t side;
  char *topic;
  int32_t id;
  serde_schema_t *target; /* schema to write with when it is not this one (use.schema.id) */
} serde_topic_id_t;

typedef struct serde_program_entry {
  serde_schema_t *reader; /* reference held */
  serde_avro_program_t *prog;
} serde_program_entry_t;

#define SERDE_SCHEMA_MAX_TOPICS 64
#define SERDE_SCHEMA_MAX_PROGRAMS 64

struct serde_schema {
  atomic_int refs;
  const serde_t *owner; /* the handle whose configuration the topic table follows */
  int32_t id;           /* -1 = application schema */
  char *type;           /* "AVRO" or "PROTOBUF" */
  char *text;
  size_t text_len;
  serde_reg_ref_t *refs_list; /* registry references (registered schemas) */
  size_t n_refs;
  sch_schema_t *parsed;
  const sch_pb_schema_t *pb; /* PROTOBUF: the resolved model (owned by parsed); the Avro members are NULL */
  const sch_avro_node_t *root;
  avro_schema_t avro;
  avro_value_iface_t *iface;

  /* Append-only tables: entries are written under `lock`, then published by
   * a release store of the count (or pointer); readers take no lock. */
  pthread_mutex_t lock;
  _Atomic(avro_schema_t) accepted; /* a foreign avro-c schema found equal to `avro` (reference held) */
  serde_topic_id_t topics[SERDE_SCHEMA_MAX_TOPICS];
  atomic_size_t n_topics;
  _Atomic(serde_avro_program_t *) self_prog; /* reading data of this schema as itself */
  serde_program_entry_t progs[SERDE_SCHEMA_MAX_PROGRAMS];
  atomic_size_t n_progs;
};

/* serde_schema.c: a schema from registry text + already-fetched reference
 * texts (depth-first). Takes nothing; copies what it keeps. */
serde_schema_t *serde__schema_build(const char *type, const char *text, size_t len, const sch_reference_t *refs,
                                    size_t n_refs, int32_t id, serde_error_t *err);
/* The program that reads data written with `writer` as `reader` (NULL =
 * writer), compiled once and kept in writer. Borrowed: valid while writer
 * lives. */
const serde_avro_program_t *serde__schema_program(serde_schema_t *writer, serde_schema_t *reader,
                                                  serde_error_t *err);
/* Topic table: lookup (returns true and fills id and a borrowed target) and
 * insert (ignored when full or already present). */
bool serde__schema_topic_get(serde_schema_t *schema, serde_side_t side, const char *topic, int32_t *id,
                             serde_schema_t **target);
void serde__schema_topic_put(serde_schema_t *schema, serde_side_t side, const char *topic, int32_t id,
                             serde_schema_t *target);
/* Does value's avro-c schema equal this schema's? Remembers one match. */
bool serde__schema_accepts(serde_schema_t *schema, avro_schema_t value_schema);

/* serde_refs.c: fetches a registered schema's references (recursively,
 * depth-first, each name once) and builds the schema. */
serde_schema_t *serde__schema_from_registered(serde_t *sd, const serde_registered_t *reg, serde_error_t *err);

/* serde_subject.c: the strategy's subject into out (a buffer of
 * SERDE_MAX_SUBJECT bytes holds any subject the serde builds). record is the
 * record name the record strategies use; NULL means the schema's own
 * (serde_schema_record_name). */
#define SERDE_MAX_SUBJECT 1024
serde_code_t serde__subject(serde_t *sd, const char *topic, serde_side_t side, const serde_schema_t *schema,
                            char *out, size_t size, serde_error_t *err);
serde_code_t serde__subject_record(serde_t *sd, const char *topic, serde_side_t side, const char *record,
                                   char *out, size_t size, serde_error_t *err);

/* serde_serialize.c: the subject and id a record of `schema` goes out with,
 * in Java's order (auto-register, use.schema.id, use.latest.version,
 * lookup); record as for serde__subject_record (a non-NULL record is not
 * remembered in the schema's topic table). *target gets a reference to the
 * registry's schema to write with when it is not `schema` (else NULL). */
serde_code_t serde__choose(serde_t *sd, const char *topic, serde_side_t side, serde_schema_t *schema,
                           const char *record, int32_t *id, serde_schema_t **target, serde_error_t *err);
/* The 5-byte prefix 0x00 | id (big-endian) at `at`. */
void serde__frame_put(uint8_t *at, int32_t id);
#define SERDE_FRAME_LEN 5

#endif
