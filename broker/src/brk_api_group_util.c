// SPDX-License-Identifier: Apache-2.0
/* Small wire helpers shared by the group API handlers: copying request
 * strings into owned C strings and naming a member's client host. */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"

char *brk__gstr(brk_slice_t s) {
  size_t n = s.ptr && s.len > 0 ? (size_t)s.len : 0;
  char *out = malloc(n + 1);
  if (!out) return NULL;
  if (n) memcpy(out, s.ptr, n);
  out[n] = '\0';
  return out;
}

bool brk__gstr_nullable(brk_slice_t s, char **out) {
  *out = NULL;
  if (!s.ptr || s.len < 0) return true;
  return (*out = brk__gstr(s)) != NULL;
}

/* The member's client host as Kafka shows it: "/<ip>" ("/" if the
 * connection is already gone). */
const char *brk__gclient_host(const brk_resp_t *resp) {
  return resp->conn ? brk_conn_peer_host(resp->conn) : "/";
}
