// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target for the registry's HTTP edge (reg_http*.c): arbitrary
 * bytes become method + raw path + raw query + headers + body and go through
 * routing, percent-decoding, context rewriting, content negotiation, query and
 * JSON body decoding and error rendering, against the recording service stub
 * of the unit tests (so findings are about the edge, not the store).
 * Input layout: byte 0 picks the method; then path, query, Content-Type and
 * Accept separated by '\n'; the rest is the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/registry_http/reg_service_stub.c"
#include "reg_http.h"

/* Next '\n'-terminated field of [*p, end) as a new NUL-terminated string. */
static char *take_field(const uint8_t **p, const uint8_t *end) {
  const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
  size_t len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
  char *s = malloc(len + 1);
  memcpy(s, *p, len);
  s[len] = '\0';
  *p += len + (nl ? 1 : 0);
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
  static reg_http_t rh = {.svc = NULL, .incompatible_error_code = 40901};
  if (size < 1) return 0;
  const uint8_t *p = data + 1, *end = data + size;
  stub_reset();
  stub_next_code = (reg_code_t)(data[0] >> 3) % (REG_ERR_NOMEM + 1);
  char *path = take_field(&p, end), *query = take_field(&p, end);
  char *ct = take_field(&p, end), *accept = take_field(&p, end);
  size_t body_len = (size_t)(end - p);
  char *body = malloc(body_len + 1);
  if (body_len) memcpy(body, p, body_len);
  body[body_len] = '\0';
  http_header_t headers[] = {{"Content-Type", ct}, {"Accept", accept}};
  http_request_t req = {.method = methods[data[0] % 6], .path = path, .query = query, .body = body,
                        .body_len = body_len, .headers = headers, .num_headers = ct[0] || accept[0] ? 2 : 0,
                        .remote_addr = ""};
  http_response_t resp;
  http_response_init(&resp);
  reg_http_handle(&rh, &req, &resp);
  if (resp.status < 100 || resp.status > 599) abort();
  http_response_fini(&resp);
  free(path), free(query), free(ct), free(accept), free(body);
  return 0;
}
