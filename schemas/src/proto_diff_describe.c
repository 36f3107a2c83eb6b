// SPDX-License-Identifier: Apache-2.0
/* The words of the Protobuf diff: Confluent's description of each
 * difference type (protobuf/diff/Difference.java, whose two %s
 * SchemaValidatorBuilder fills with "new"/"old" for BACKWARD and
 * "old"/"new" for FORWARD). Only the text lives here; the
 * {errorType:"..", description:".."} wrapping is the PROTOBUF format's, and
 * which types are compatible is proto_diff.c's. */
#include <string.h>

#include "proto_diff_int.h"

static const struct {
  const char *name;
  const char *text;
} descriptions[SCH__PB_DIFF_TYPE_COUNT] = {
#define SCH__PB_DIFF_TEXT(name, ok, text) {#name, text},
    SCH__PB_DIFF_TYPES(SCH__PB_DIFF_TEXT)
#undef SCH__PB_DIFF_TEXT
};

/* Appends n bytes of s at *at, keeping room for the NUL. */
static void put(char *out, size_t size, size_t *at, const char *s, size_t n) {
  if (*at + 1 >= size) return;
  if (n > size - 1 - *at) n = size - 1 - *at;
  memcpy(out + *at, s, n);
  *at += n;
}

void sch__pb_change_describe_roles(const sch_pb_change_t *change, const char *reader_role,
                                   const char *writer_role, char *out, size_t size) {
  if (!size) return;
  const char *text = "";
  for (size_t i = 0; i < SCH__PB_DIFF_TYPE_COUNT; i++) {
    if (change->type && strcmp(change->type, descriptions[i].name) == 0) text = descriptions[i].text;
  }
  size_t at = 0;
  for (const char *p = text; *p; p++) {
    const char *word = NULL;
    if (strncmp(p, "{p}", 3) == 0) word = change->path ? change->path : "";
    if (strncmp(p, "{r}", 3) == 0) word = reader_role;
    if (strncmp(p, "{w}", 3) == 0) word = writer_role;
    if (word) {
      put(out, size, &at, word, strlen(word));
      p += 2;
    } else {
      put(out, size, &at, p, 1);
    }
  }
  out[at] = '\0';
}

void sch_pb_change_describe(const sch_pb_change_t *change, char *out, size_t size) {
  sch__pb_change_describe_roles(change, "new", "old", out, size);
}
