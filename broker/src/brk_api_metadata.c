// SPDX-License-Identifier: Apache-2.0
/* Metadata (key 3) v0-v4 (shared/spec/kafka-broker.md §1.6.1): one broker
 * (this node, at the advertised host/port), ControllerId = own id, and the
 * requested topics (v0: empty = all; v1+: null = all), auto-creating unknown
 * ones when the broker and the request (v4 AllowAutoTopicCreation; implied
 * before v4) allow it. Created topics are returned with their partitions
 * at once: a single node has a leader immediately. */
#include <stdlib.h>
#include <string.h>

#include "brk_broker_int.h"

static const char cluster_id[] = "weir-single-node";

static void write_int_array1(brk_writer_t *w, int32_t v) {
  brk_write_i32(w, 1);
  brk_write_i32(w, v);
}

static void write_topic(brk_broker_t *b, const brk_reqhdr_t *h, brk_writer_t *w, brk_slice_t name, int32_t n_parts,
                        brk_kerr_t err) {
  brk_write_i16(w, (int16_t)err);
  brk_write_string_n(w, name.ptr ? name.ptr : (const uint8_t *)"", name.ptr ? name.len : 0);
  if (h->api_version >= 1)
    brk_write_i8(w, name.len == 18 && !memcmp(name.ptr, "__consumer_offsets", 18)); /* IsInternal */
  if (n_parts < 0) n_parts = 0;
  brk_write_i32(w, n_parts);
  for (int32_t p = 0; p < n_parts; p++) {
    brk_write_i16(w, BRK_KERR_NONE);
    brk_write_i32(w, p);                /* PartitionIndex */
    brk_write_i32(w, b->cfg.node_id);   /* LeaderId */
    write_int_array1(w, b->cfg.node_id); /* ReplicaNodes */
    write_int_array1(w, b->cfg.node_id); /* IsrNodes */
  }
}

static void write_all_topics(brk_broker_t *b, const brk_reqhdr_t *h, brk_writer_t *w) {
  const char **names = NULL;
  size_t n = brk_store_topic_names(b->store, &names);
  brk_write_i32(w, (int32_t)n);
  for (size_t i = 0; i < n; i++) {
    brk_slice_t s = {(const uint8_t *)names[i], (int32_t)strlen(names[i])};
    write_topic(b, h, w, s, brk_store_topic_partitions(b->store, names[i]), BRK_KERR_NONE);
  }
  free(names);
}

int brk__api_metadata(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  brk_reader_t topics = *r, peek = *r;
  int32_t n = brk_read_array_len(r, 2);
  bool all = h->api_version == 0 ? n == 0 : brk_read_i32(&peek) == -1;
  for (int32_t i = 0; i < n; i++) (void)brk_read_string(r);
  bool allow_auto = h->api_version >= 4 ? brk_read_i8(r) != 0 : true;
  if (!brk_reader_ok(r)) return -1;

  if (h->api_version >= 3) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, 1);                            /* Brokers */
  brk_write_i32(w, b->cfg.node_id);
  brk_write_string(w, b->advertised_host);
  brk_write_i32(w, b->port);
  if (h->api_version >= 1) brk_write_string(w, NULL); /* Rack */
  if (h->api_version >= 2) brk_write_string(w, cluster_id);
  if (h->api_version >= 1) brk_write_i32(w, b->cfg.node_id); /* ControllerId */
  if (all) {
    write_all_topics(b, h, w);
    return 0;
  }
  /* Second pass over the (already validated) topic names. */
  (void)brk_read_i32(&topics);
  brk_write_i32(w, n);
  for (int32_t i = 0; i < n; i++) {
    brk_slice_t name = brk_read_string(&topics);
    brk_kerr_t err = BRK_KERR_NONE;
    int32_t parts = brk__topic_lookup(b, name, allow_auto, &err);
    write_topic(b, h, w, name, parts, parts < 0 ? err : BRK_KERR_NONE);
  }
  return 0;
}
