// SPDX-License-Identifier: Apache-2.0
/* ApiVersions (key 18) v0-v3 (shared/spec/kafka-broker.md §1.2): lists the
 * dispatcher's API table. v3 is flexible (compact arrays, tagged fields) but
 * its response header stays v0 (the dispatcher sees to that). Versions above
 * 3 get the v0-shaped UNSUPPORTED_VERSION fallback. */
#include "brk_broker_int.h"

static void write_keys(brk_writer_t *w, bool flexible) {
  const brk_api_entry_t *t[BRK_MAX_APIS];
  size_t n = brk__api_list(t, BRK_MAX_APIS);
  if (flexible)
    brk_write_compact_array_len(w, (int32_t)n);
  else
    brk_write_i32(w, (int32_t)n);
  for (size_t i = 0; i < n; i++) {
    brk_write_i16(w, t[i]->api_key);
    brk_write_i16(w, t[i]->min_version);
    brk_write_i16(w, t[i]->max_version);
    if (flexible) brk_write_empty_tagged_fields(w);
  }
}

void brk__api_versions_fallback(brk_writer_t *w) {
  brk_write_i16(w, BRK_KERR_UNSUPPORTED_VERSION);
  write_keys(w, false);
}

int brk__api_api_versions(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)b;
  bool flexible = h->api_version >= 3;
  if (flexible) {
    /* ClientSoftwareName/Version: accepted whatever they contain (§1.2). */
    (void)brk_read_compact_string(r);
    (void)brk_read_compact_string(r);
    brk_skip_tagged_fields(r);
    if (!brk_reader_ok(r)) {
      /* Kafka answers INVALID_REQUEST rather than dropping the client. */
      brk_write_i16(w, BRK_KERR_INVALID_REQUEST);
      write_keys(w, true);
      brk_write_i32(w, 0);
      brk_write_empty_tagged_fields(w);
      return 0;
    }
  }
  brk_write_i16(w, BRK_KERR_NONE);
  write_keys(w, flexible);
  if (h->api_version >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  if (flexible) brk_write_empty_tagged_fields(w);
  return 0;
}
