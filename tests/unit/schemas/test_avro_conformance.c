// SPDX-License-Identifier: Apache-2.0
/* Runs every AVRO row of shared/conformance/compat-cases.jsonl through the
 * Avro format and the level driver: old versions parsed leniently, the new
 * schema with validation, and the verdict (and first error type, when the row
 * names one) compared with Confluent's. Failing rows are printed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "schemas/schemas.h"
#include "compat_cases.h"

static sch_schema_t *parse(const char *text, bool validate) {
  sch_parse_opts_t opts = {.validate = validate};
  sch_error_t err = {0};
  sch_schema_t *s = sch_schema_parse(sch_format_find("AVRO"), text, strlen(text), &opts, &err);
  if (!s && validate) {
    fprintf(stderr, "new schema fails validation (%s), parsed leniently\n", err.message);
    return parse(text, false);
  }
  if (!s) {
    fprintf(stderr, "parse failed: %s: %s\n", err.message, text);
  }
  return s;
}

/* The message has path '<loc>' or, because Avro 1.12 (Confluent 8.x) adds
 * the writer-union branch index the corpus (from Avro 1.11) lacks,
 * path '<loc>[/]<n>'. */
static bool path_in(const char *msg, const char *loc) {
  char needle[512];
  int n = snprintf(needle, sizeof needle, "path '%s", loc);
  for (const char *p = strstr(msg, needle); p; p = strstr(p + 1, needle)) {
    const char *q = p + n;
    if (*q == '/' && q[-1] != '/') {
      q++;
    }
    while (*q >= '0' && *q <= '9') {
      q++;
    }
    if (*q == '\'' && (q == p + n || q[-1] != '/')) {
      return true;
    }
  }
  return false;
}

/* Every comma-separated location appears as a path in some message. */
static bool location_reported(const sch_messages_t *msgs, const char *locations) {
  char *copy = strdup(locations), *save = NULL;
  bool ok = copy != NULL;
  for (char *loc = copy ? strtok_r(copy, ",", &save) : NULL; loc; loc = strtok_r(NULL, ",", &save)) {
    bool found = false;
    for (size_t i = 0; i < msgs->count; i++) {
      found = found || path_in(msgs->items[i], loc);
    }
    ok = ok && found;
  }
  free(copy);
  return ok;
}

/* Returns true when the row behaves as Confluent's does. */
static bool run_row(const json_t *row, size_t line) {
  const json_t *old = json_object_get(row, "old");
  size_t n = json_array_size(old);
  sch_compat_prev_t *prev = calloc(n + 1, sizeof *prev);
  bool ok = prev != NULL, compatible = false;
  for (size_t i = 0; ok && i < n; i++) {
    prev[i].schema = parse(json_string_value(json_array_get(old, i)), false);
    prev[i].version = (int)i + 1;
    ok = prev[i].schema != NULL;
  }
  sch_schema_t *cand = ok ? parse(json_string_value(json_object_get(row, "new")), true) : NULL;
  sch_compat_level_t level = SCH_COMPAT_NONE;
  sch_messages_t msgs = {0};
  ok = cand && sch_compat_level_parse(json_string_value(json_object_get(row, "mode")), &level) == 0 &&
       sch_compat_check(level, cand, prev, n, &compatible, &msgs, NULL) == SCH_OK;
  ok = ok && compatible == json_is_true(json_object_get(row, "expected_compatible"));
  const char *etype = json_string_value(json_object_get(row, "expected_error_type"));
  if (ok && etype && !compatible) {
    ok = msgs.count > 0 && strstr(msgs.items[0], etype) != NULL;
  }
  const char *loc = json_string_value(json_object_get(row, "expected_location"));
  if (ok && loc && !compatible) {
    ok = location_reported(&msgs, loc);
  }
  if (!ok) {
    fprintf(stderr, "line %zu FAILED (%s, got %s): %s\n", line, json_string_value(json_object_get(row, "mode")),
            compatible ? "compatible" : "incompatible", json_string_value(json_object_get(row, "description")));
    for (size_t i = 0; i < msgs.count; i++) {
      fprintf(stderr, "   %s\n", msgs.items[i]);
    }
  }
  sch_messages_fini(&msgs);
  sch_schema_destroy(cand);
  for (size_t i = 0; prev && i < n; i++) {
    sch_schema_destroy((sch_schema_t *)prev[i].schema);
  }
  free(prev);
  return ok;
}

static void test_avro_conformance_rows_match_confluent(void **state) {
  (void)state;
  FILE *f = compat_cases_open();
  assert_non_null(f);
  char *line = NULL;
  size_t cap = 0, lineno = 0, rows = 0, failed = 0;
  while (getline(&line, &cap, f) > 0) {
    lineno++;
    json_t *row = json_loads(line, 0, NULL);
    if (row && json_string_value(json_object_get(row, "format")) &&
        strcmp(json_string_value(json_object_get(row, "format")), "AVRO") == 0) {
      rows++;
      failed += run_row(row, lineno) ? 0 : 1;
    }
    json_decref(row);
  }
  free(line);
  fclose(f);
  fprintf(stderr, "avro conformance: %zu rows, %zu failed\n", rows, failed);
  assert_int_equal(rows, 212);
  assert_int_equal(failed, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_conformance_rows_match_confluent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
