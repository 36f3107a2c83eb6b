// SPDX-License-Identifier: Apache-2.0
/* DeleteRecords (key 21) v0-1: moves partitions' log start offsets forward
 * (Offset -1 = the high watermark) and answers each partition's
 * LowWatermark. Whole segments below the new start are removed later by the
 * store; this file only decodes, dispatches and encodes. The request is
 * decoded completely before any log start moves. */
#include "brk_api_admin.h"

/* Pass one: Topics []{Name, Partitions []{PartitionIndex int32, Offset int64}}. */
static void skip_request(brk_reader_t *r) {
  int32_t n_topics = brk_read_array_len(r, 6); /* Name 2 + Partitions count 4 */
  for (int32_t i = 0; i < n_topics && brk_reader_ok(r); i++) {
    brk_read_string(r);
    int32_t n_parts = brk_read_array_len(r, 12);
    for (int32_t j = 0; j < n_parts && brk_reader_ok(r); j++) {
      brk_read_i32(r);
      brk_read_i64(r);
    }
  }
  brk_read_i32(r); /* TimeoutMs: the store's change is durable when it returns */
}

static brk_kerr_t delete_one(brk_broker_t *b, brk_slice_t topic, int32_t partition_index, int64_t offset,
                             int64_t *low_watermark) {
  *low_watermark = -1;
  if (topic.ptr == NULL || topic.len <= 0) return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  brk_partition_t *p =
      brk_store_partition(brk_broker_store(b), (const char *)topic.ptr, (size_t)topic.len, partition_index);
  if (p == NULL) return BRK_KERR_UNKNOWN_TOPIC_OR_PARTITION;
  if (offset < -1) return BRK_KERR_OFFSET_OUT_OF_RANGE;
  brk_kerr_t err = brk_partition_delete_records(p, offset, low_watermark);
  if (err != BRK_KERR_NONE) *low_watermark = -1;
  return err;
}

int brk_api_delete_records(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h; /* v0 and v1 share one layout */
  brk_reader_t start = *r;
  skip_request(r);
  if (!brk_reader_ok(r)) return -1;
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  int32_t n_topics = brk_read_array_len(&start, 6);
  brk_write_i32(w, n_topics); /* Topics */
  for (int32_t i = 0; i < n_topics; i++) {
    brk_slice_t name = brk_read_string(&start);
    brk_write_string_n(w, name.ptr, name.len); /* Name */
    int32_t n_parts = brk_read_array_len(&start, 12);
    brk_write_i32(w, n_parts); /* Partitions */
    for (int32_t j = 0; j < n_parts; j++) {
      int32_t partition_index = brk_read_i32(&start);
      int64_t offset = brk_read_i64(&start);
      int64_t low_watermark;
      brk_kerr_t err = delete_one(b, name, partition_index, offset, &low_watermark);
      brk_write_i32(w, partition_index); /* PartitionIndex */
      brk_write_i64(w, low_watermark);   /* LowWatermark */
      brk_write_i16(w, (int16_t)err);    /* ErrorCode */
    }
  }
  return 0;
}
