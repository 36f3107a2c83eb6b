// SPDX-License-Identifier: Apache-2.0
/* Keys and values between JSON and Kafka bytes (rp_codec.h): format names,
 * base64, UTF-8 checks, Avro through serde. Shared by v2 and v3 produce and
 * by v2 consumer reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rp_codec.h"

static const char *const k_format_names[] = {"BINARY", "JSON", "STRING", "AVRO", "JSONSCHEMA", "PROTOBUF"};

bool rp_format_parse(const char *name, rp_format_t *out) {
  for (size_t i = 0; i < sizeof k_format_names / sizeof k_format_names[0]; i++) {
    if (strcasecmp(name, k_format_names[i]) == 0) {
      *out = (rp_format_t)i;
      return true;
    }
  }
  return false;
}

const char *rp_format_name(rp_format_t fmt) { return k_format_names[fmt]; }

bool rp_format_has_schema(rp_format_t fmt) { return fmt >= RP_FMT_AVRO; }

rp_format_t rp_format_of_schema(const serde_schema_t *schema) {
  return strcmp(serde_schema_type(schema), "PROTOBUF") == 0 ? RP_FMT_PROTOBUF : RP_FMT_AVRO;
}

static bool buf_set(serde_buf_t *out, const void *data, size_t len) {
  if (out->cap < len + 1) {
    uint8_t *p = realloc(out->data, len + 1);
    if (!p) return false;
    out->data = p, out->cap = len + 1;
  }
  if (len) memcpy(out->data, data, len);
  out->len = len;
  return true;
}

/* Base64 digit values; 64 marks a byte that is not a digit. */
static const unsigned char k_b64[256] = {
    ['A'] = 0,  ['B'] = 1,  ['C'] = 2,  ['D'] = 3,  ['E'] = 4,  ['F'] = 5,  ['G'] = 6,  ['H'] = 7,  ['I'] = 8,
    ['J'] = 9,  ['K'] = 10, ['L'] = 11, ['M'] = 12, ['N'] = 13, ['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17,
    ['S'] = 18, ['T'] = 19, ['U'] = 20, ['V'] = 21, ['W'] = 22, ['X'] = 23, ['Y'] = 24, ['Z'] = 25, ['a'] = 26,
    ['b'] = 27, ['c'] = 28, ['d'] = 29, ['e'] = 30, ['f'] = 31, ['g'] = 32, ['h'] = 33, ['i'] = 34, ['j'] = 35,
    ['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39, ['o'] = 40, ['p'] = 41, ['q'] = 42, ['r'] = 43, ['s'] = 44,
    ['t'] = 45, ['u'] = 46, ['v'] = 47, ['w'] = 48, ['x'] = 49, ['y'] = 50, ['z'] = 51, ['0'] = 52, ['1'] = 53,
    ['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57, ['6'] = 58, ['7'] = 59, ['8'] = 60, ['9'] = 61, ['+'] = 62,
    ['/'] = 63,
};

/* The value of a base64 digit, or -1 ('A' is the only digit worth 0). */
static int b64_value(unsigned char ch) { return k_b64[ch] || ch == 'A' ? k_b64[ch] : -1; }

/* Strict padded standard base64 into out. */
static bool b64_decode(const char *s, size_t n, serde_buf_t *out) {
  if (n % 4) return false;
  if (out->cap < n / 4 * 3 + 1) {
    uint8_t *p = realloc(out->data, n / 4 * 3 + 1);
    if (!p) return false;
    out->data = p, out->cap = n / 4 * 3 + 1;
  }
  size_t o = 0;
  for (size_t i = 0; i < n; i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      unsigned char ch = (unsigned char)s[i + j];
      if (ch == '=' && i + 4 == n && j >= 2) {
        v[j] = 0, pad++;
      } else {
        if (pad || (v[j] = b64_value(ch)) < 0) return false;
      }
    }
    unsigned bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
    out->data[o++] = (uint8_t)(bits >> 16);
    if (pad < 2) out->data[o++] = (uint8_t)(bits >> 8);
    if (pad < 1) out->data[o++] = (uint8_t)bits;
  }
  out->len = o;
  return true;
}

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!len || c > 0xF4 || i + len > n) return false;
    for (size_t j = 1; j < len; j++)
      if ((s[i + j] & 0xC0) != 0x80) return false;
    if (c == 0xE0 && s[i + 1] < 0xA0) return false;
    if (c == 0xED && s[i + 1] >= 0xA0) return false;
    if (c == 0xF0 && s[i + 1] < 0x90) return false;
    if (c == 0xF4 && s[i + 1] >= 0x90) return false;
    i += len;
  }
  return true;
}

rp_code_t rp_encode(rp_t *rp, rp_format_t fmt, const rp_schema_ref_t *schema, const json_t *data,
                    serde_buf_t *out, bool *is_null, char *msg, size_t msg_size) {
  (void)rp;
  *is_null = !data || json_is_null(data);
  if (*is_null) return RP_OK;
  switch (fmt) {
    case RP_FMT_BINARY:
      if (!json_is_string(data) || !b64_decode(json_string_value(data), json_string_length(data), out)) {
        snprintf(msg, msg_size, "data is not a base64 string.");
        return RP_ERR_UNPROCESSABLE;
      }
      return RP_OK;
    case RP_FMT_STRING:
      if (!json_is_string(data)) {
        snprintf(msg, msg_size, "data is not a string.");
        return RP_ERR_UNPROCESSABLE;
      }
      return buf_set(out, json_string_value(data), json_string_length(data)) ? RP_OK : RP_ERR_NOMEM;
    case RP_FMT_JSON: {
      char *text = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
      bool ok = text && buf_set(out, text, strlen(text));
      free(text);
      return ok ? RP_OK : RP_ERR_NOMEM;
    }
    case RP_FMT_AVRO: {
      if (!schema || !schema->schema) {
        snprintf(msg, msg_size, "No schema for the AVRO data.");
        return RP_ERR_UNPROCESSABLE;
      }
      char *text = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
      if (!text) return RP_ERR_NOMEM;
      serde_error_t err = {0};
      serde_code_t rc = serde_frame_avro_json(schema->schema, schema->id, text, strlen(text), out, &err);
      free(text);
      if (rc == SERDE_OK) return RP_OK;
      if (rc == SERDE_ERR_NOMEM) return RP_ERR_NOMEM;
      snprintf(msg, msg_size, "Error serializing Avro message: %s", err.message);
      return RP_ERR_SERIALIZATION;
    }
    case RP_FMT_PROTOBUF: {
      if (!schema || !schema->schema) {
        snprintf(msg, msg_size, "No schema for the PROTOBUF data.");
        return RP_ERR_UNPROCESSABLE;
      }
      char *text = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
      if (!text) return RP_ERR_NOMEM;
      serde_error_t err = {0};
      serde_code_t rc = serde_frame_protobuf_json(schema->schema, schema->id, NULL, text, strlen(text), out, &err);
      free(text);
      if (rc == SERDE_OK) return RP_OK;
      if (rc == SERDE_ERR_NOMEM) return RP_ERR_NOMEM;
      snprintf(msg, msg_size, "Error serializing Protobuf message: %s", err.message);
      return RP_ERR_SERIALIZATION;
    }
    default:
      snprintf(msg, msg_size, "%s records are not supported yet by this REST proxy.", rp_format_name(fmt));
      return RP_ERR_BAD_REQUEST;
  }
}

rp_code_t rp_decode(rp_t *rp, rp_format_t fmt, const char *topic, serde_side_t side, const void *data,
                    size_t len, rp_jbuf_t *out, size_t *size, char *msg, size_t msg_size) {
  *size = 0;
  if (!data) {
    rp_jbuf_lit(out, "null");
    return RP_OK;
  }
  *size = len;
  switch (fmt) {
    case RP_FMT_BINARY:
      rp_jbuf_base64(out, data, len);
      return RP_OK;
    case RP_FMT_STRING:
      if (!utf8_valid(data, len)) {
        snprintf(msg, msg_size, "The record at this offset is not valid UTF-8.");
        return RP_ERR_JSON_CONVERSION;
      }
      rp_jbuf_str(out, data, len);
      return RP_OK;
    case RP_FMT_JSON: {
      json_error_t jerr;
      json_t *v = json_loadb(data, len, JSON_DECODE_ANY, &jerr);
      if (!v) {
        snprintf(msg, msg_size, "The record is not valid JSON: %s", jerr.text);
        return RP_ERR_JSON_CONVERSION;
      }
      json_decref(v);
      rp_jbuf_raw(out, data, len);
      return RP_OK;
    }
    case RP_FMT_AVRO:
    case RP_FMT_PROTOBUF: {
      if (!rp->serde) {
        snprintf(msg, msg_size, "Schema Registry is not configured (schema.registry.url is empty).");
        return RP_ERR_SCHEMA_REGISTRY;
      }
      serde_buf_t text = {0};
      serde_error_t err = {0};
      bool avro = fmt == RP_FMT_AVRO;
      serde_code_t rc = avro ? serde_deserialize_avro_json(rp->serde, topic, side, data, len, &text, NULL, &err)
                             : serde_deserialize_protobuf_json(rp->serde, topic, side, data, len, &text, NULL, &err);
      rp_code_t code = RP_OK;
      if (rc == SERDE_OK) {
        rp_jbuf_raw(out, (const char *)text.data, text.len);
        *size = text.len;
      } else if (rc == SERDE_ERR_REGISTRY_UNAVAILABLE || rc == SERDE_ERR_REGISTRY_AUTH ||
                 rc == SERDE_ERR_REGISTRY_THROTTLED || rc == SERDE_ERR_REGISTRY_RESPONSE) {
        snprintf(msg, msg_size, "Error when contacting the Schema Registry: %s", err.message);
        code = RP_ERR_SCHEMA_REGISTRY;
      } else {
        snprintf(msg, msg_size, "Error deserializing %s message: %s", avro ? "Avro" : "Protobuf", err.message);
        code = RP_ERR_SERIALIZATION;
      }
      serde_buf_fini(&text);
      return code;
    }
    default:
      snprintf(msg, msg_size, "%s records are not supported yet by this REST proxy.", rp_format_name(fmt));
      return RP_ERR_BAD_REQUEST;
  }
}
