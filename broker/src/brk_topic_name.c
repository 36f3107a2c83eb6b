// SPDX-License-Identifier: Apache-2.0
/* Kafka's topic name rule (broker/topic_name.h). */
#include "broker/topic_name.h"

#include <stdio.h>

static bool legal_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

const char *brk_topic_name_problem(const char *name, size_t len, char *buf, size_t cap) {
  if (len == 0) return "the topic name is empty";
  if (len > BRK_TOPIC_NAME_MAX) {
    snprintf(buf, cap, "the topic name is %zu characters long; at most %d are allowed", len, BRK_TOPIC_NAME_MAX);
    return buf;
  }
  if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
    return "a topic cannot be named \".\" or \"..\"";
  for (size_t i = 0; i < len; i++)
    if (!legal_char(name[i])) {
      snprintf(buf, cap, "character %zu (0x%02x) is not allowed in a topic name; use a-z, A-Z, 0-9, '.', '_' and '-'",
               i + 1, (unsigned char)name[i]);
      return buf;
    }
  return NULL;
}

bool brk_topic_name_valid(const char *name, size_t len) {
  char buf[160];
  return brk_topic_name_problem(name, len, buf, sizeof buf) == NULL;
}
