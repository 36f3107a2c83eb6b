// SPDX-License-Identifier: Apache-2.0
/* v2 media types (rest-proxy.md §1.1): response type negotiation for the
 * metadata and produce endpoints, and the embedded format of a produce
 * request's Content-Type. */
#include "http/http_media.h"
#include "rp_v2.h"

bool rp_v2_response_type(rp_call_t *c, const char **ctype) {
  static const http_produce_t types[] = {{RP_MT_V2, 1.0}, {RP_MT_JSON, 0.9}};
  int i = http_media_negotiate(http_request_header(c->req, "Accept"), types, sizeof types / sizeof types[0]);
  if (i < 0) {
    rp_reply_error(c, RP_ERR_NOT_ACCEPTABLE, NULL);
    return false;
  }
  *ctype = types[i].type;
  return true;
}

bool rp_v2_produce_format(rp_call_t *c, rp_format_t *fmt) {
  static const char *const types[] = {
      RP_MT_BINARY_V2, RP_MT_JSON_V2, RP_MT_AVRO_V2, RP_MT_JSONSCHEMA_V2, RP_MT_PROTOBUF_V2,
      "application/vnd.kafka.binary.v1+json", "application/vnd.kafka.json.v1+json",
      "application/vnd.kafka.avro.v1+json", RP_MT_V2, "application/vnd.kafka+json", RP_MT_JSON,
      "application/octet-stream", "application/vnd.kafka.binary+json", "application/vnd.kafka.json+json",
      "application/vnd.kafka.avro+json",
  };
  static const rp_format_t formats[] = {
      RP_FMT_BINARY, RP_FMT_JSON, RP_FMT_AVRO, RP_FMT_JSONSCHEMA, RP_FMT_PROTOBUF, RP_FMT_BINARY, RP_FMT_JSON,
      RP_FMT_AVRO,   RP_FMT_BINARY, RP_FMT_BINARY, RP_FMT_BINARY, RP_FMT_BINARY, RP_FMT_BINARY, RP_FMT_JSON,
      RP_FMT_AVRO,
  };
  const char *ct = http_request_header(c->req, "Content-Type");
  if (!ct || !*ct) {
    *fmt = RP_FMT_BINARY;
    return true;
  }
  int i = http_media_match(ct, types, sizeof types / sizeof types[0]);
  if (i < 0) {
    rp_reply_error(c, RP_ERR_UNSUPPORTED_MEDIA, NULL);
    return false;
  }
  *fmt = formats[i];
  if (*fmt == RP_FMT_JSONSCHEMA) {
    rp_reply_error(c, RP_ERR_UNSUPPORTED_MEDIA, "HTTP 415 Unsupported Media Type: %s records are not supported yet.",
                   rp_format_name(*fmt));
    return false;
  }
  return true;
}
