// SPDX-License-Identifier: Apache-2.0
/* ListOffsets (key 2) v1-v3 (shared/spec/kafka-broker.md §1.6.5):
 * timestamp -1 = latest (the high watermark, or the last stable offset when
 * a v2+ read_committed client asks), -2 = earliest (log start), otherwise
 * the first record whose timestamp is >= the given one, or -1/-1 if none.
 * Never auto-creates topics. */
#include "brk_broker_int.h"

static void write_partition(brk_broker_t *b, brk_slice_t topic, int32_t index, int64_t ts, bool committed,
                            brk_writer_t *w) {
  brk_partition_t *p = topic.ptr ? brk_store_partition(b->store, (const char *)topic.ptr, (size_t)topic.len, index) : NULL;
  int64_t offset = -1, timestamp = -1;
  brk_kerr_t err = BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  if (p) err = brk_partition_offset_for_time(p, ts, &offset, &timestamp);
  if (err != BRK_KERR_NONE) offset = timestamp = -1;
  else if (ts == -1 && committed) offset = brk_partition_last_stable(p);
  brk_write_i32(w, index);
  brk_write_i16(w, (int16_t)err);
  brk_write_i64(w, timestamp);
  brk_write_i64(w, offset);
}

int brk__api_list_offsets(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)brk_read_i32(r); /* ReplicaId */
  bool committed = h->api_version >= 2 && brk_read_i8(r) == 1; /* IsolationLevel READ_COMMITTED */
  int32_t n_topics = brk_read_array_len(r, 6);
  if (h->api_version >= 2) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n_topics);
  for (int32_t t = 0; t < n_topics && brk_reader_ok(r); t++) {
    brk_slice_t topic = brk_read_string(r);
    int32_t n_parts = brk_read_array_len(r, 12);
    brk_write_string_n(w, topic.ptr, topic.len < 0 ? 0 : topic.len);
    brk_write_i32(w, n_parts);
    for (int32_t i = 0; i < n_parts && brk_reader_ok(r); i++) {
      int32_t index = brk_read_i32(r);
      int64_t ts = brk_read_i64(r);
      if (brk_reader_ok(r)) write_partition(b, topic, index, ts, committed, w);
    }
  }
  return brk_reader_ok(r) ? 0 : -1;
}
