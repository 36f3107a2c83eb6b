// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the REST proxy's v3 stream framer
 * (rest-proxy/src/rp_v3_produce_parse.c): arbitrary bytes pushed in
 * arbitrary pieces (the first input byte seeds the split points) must never
 * crash, and every object handed out must start with '{', end with '}' and
 * respect the size limit; after MALFORMED or TOO_LARGE the caller stops. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rp_v3_produce.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  unsigned split = data[0] | 1u;
  size_t max = 16 + (size_t)data[1] * 4;
  data += 2, size -= 2;
  rp_v3_framer_t f;
  rp_v3_framer_init(&f, max);
  size_t off = 0;
  bool stop = false;
  while (off < size && !stop) {
    size_t piece = (off * 31 + split) % 97 + 1;
    if (piece > size - off) piece = size - off;
    if (!rp_v3_framer_push(&f, (const char *)data + off, piece)) break;
    off += piece;
    for (;;) {
      const char *obj = NULL;
      size_t len = 0;
      rp_v3_frame_t r = rp_v3_framer_next(&f, &obj, &len);
      if (r == RP_V3_FRAME_MORE) break;
      if (r != RP_V3_FRAME_OBJECT) {
        stop = true;
        break;
      }
      if (len < 2 || len > max || obj[0] != '{' || obj[len - 1] != '}') abort();
    }
  }
  (void)rp_v3_framer_idle(&f);
  rp_v3_framer_fini(&f);
  return 0;
}
