// SPDX-License-Identifier: Apache-2.0
/* Standard base64 (RFC 4648 §4, with padding) for the schemas module: the
 * registry's `format=serialized` answers and clients that register a
 * base64 FileDescriptorProto instead of .proto text. */
#include <stdlib.h>
#include <string.h>

#include "schemas/proto_schema.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sch_base64_encode(const void *data, size_t n, size_t *out_len) {
  const unsigned char *in = data;
  size_t len = (n + 2) / 3 * 4;
  char *out = malloc(len + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    out[o++] = alphabet[(v >> 18) & 63];
    out[o++] = alphabet[(v >> 12) & 63];
    out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
  }
  out[o] = '\0';
  if (out_len) *out_len = o;
  return out;
}

static int sextet(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

uint8_t *sch_base64_decode(const char *text, size_t len, size_t *out_len) {
  while (len > 0 && text[len - 1] == '=' ) len--;
  if (len % 4 == 1) return NULL;
  uint8_t *out = malloc(len / 4 * 3 + 3);
  if (!out) return NULL;
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; i++) {
    int v = sextet((unsigned char)text[i]);
    if (v < 0) {
      free(out);
      return NULL;
    }
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (uint8_t)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (out_len) *out_len = o;
  return out;
}
