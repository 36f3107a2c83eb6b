// SPDX-License-Identifier: Apache-2.0
/* Opening ../shared/conformance/compat-cases.jsonl for the schemas unit
 * tests that read it (test_avro_conformance.c, test_proto_parse.c): from
 * WEIR_SHARED_DIR when ctest sets it, else next to the source tree. */
#ifndef WEIR_TESTS_SCHEMAS_COMPAT_CASES_H
#define WEIR_TESTS_SCHEMAS_COMPAT_CASES_H

#include <stdio.h>
#include <stdlib.h>

/* The open file, or NULL after saying on stderr which path failed. */
static inline FILE *compat_cases_open(void) {
  char path[4096];
  const char *shared = getenv("WEIR_SHARED_DIR");
  const char *src = getenv("WEIR_SOURCE_DIR");
  if (shared)
    snprintf(path, sizeof path, "%s/conformance/compat-cases.jsonl", shared);
  else
    snprintf(path, sizeof path, "%s/../shared/conformance/compat-cases.jsonl", src ? src : ".");
  FILE *f = fopen(path, "r");
  if (!f) fprintf(stderr, "cannot open %s\n", path);
  return f;
}

#endif
