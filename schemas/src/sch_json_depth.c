// SPDX-License-Identifier: Apache-2.0
/* Measures how deeply a JSON text nests, without parsing it. jansson's parser
 * recurses once per level and HTTP worker threads have small stacks, so every
 * place that hands untrusted text to jansson checks this first. It does not
 * validate the JSON: malformed text is left to the real parser. */
#include "schemas/schemas.h"

bool sch_json_nesting_within(const char *text, size_t len, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < len; i++) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\')
        i++; /* skip the escaped character, whatever it is */
      else if (ch == '"')
        in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) return false;
    } else if (ch == ']' || ch == '}') {
      depth--;
    }
  }
  return true;
}
