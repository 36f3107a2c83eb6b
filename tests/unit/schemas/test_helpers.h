// SPDX-License-Identifier: Apache-2.0
/* Small helpers shared by the schemas unit tests: parse an Avro text with
 * chosen options and expect success (returning the canonical text) or a given
 * error code. Header-only so each test stays one executable. */
#ifndef WEIR_TESTS_SCHEMAS_HELPERS_H
#define WEIR_TESTS_SCHEMAS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schemas/schemas.h"

static inline sch_schema_t *avro_parse_opts(const char *text, const sch_parse_opts_t *opts, sch_error_t *err) {
  return sch_schema_parse(sch_format_find("AVRO"), text, strlen(text), opts, err);
}

/* Asserts text parses (validate on) and its canonical text equals want. */
static inline void assert_canonical(const char *text, const char *want, bool normalize) {
  sch_parse_opts_t opts = {.validate = true, .normalize = normalize};
  sch_error_t err = {0};
  sch_schema_t *s = avro_parse_opts(text, &opts, &err);
  if (!s) {
    fail_msg("parse failed: %s", err.message);
  }
  assert_string_equal(sch_schema_canonical(s, NULL), want);
  sch_schema_destroy(s);
}

/* Asserts text fails with code and a message containing want. */
static inline void assert_parse_error(const char *text, bool validate, sch_code_t code, const char *want) {
  sch_parse_opts_t opts = {.validate = validate};
  sch_error_t err = {0};
  sch_schema_t *s = avro_parse_opts(text, &opts, &err);
  if (s) {
    sch_schema_destroy(s);
    fail_msg("expected an error for %s", text);
  }
  assert_int_equal(err.code, code);
  if (!strstr(err.message, want)) {
    fail_msg("message \"%s\" lacks \"%s\"", err.message, want);
  }
}

#endif
