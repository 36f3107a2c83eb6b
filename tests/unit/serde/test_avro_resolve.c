// SPDX-License-Identifier: Apache-2.0
/* Tests of avro_resolve.c: resolution programs compiled for (writer, reader)
 * pairs, run on data that avro-c's own writer encoded from Avro JSON, and
 * the reader value compared as Avro JSON. Covers the spec's resolution
 * rules (fields by name and alias, defaults, skipped fields, enums,
 * promotions, unions both ways, named types, recursion) and the
 * compile-time errors with their paths. */
#include "test_avro_helpers.h"

#define REC(fields) "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" fields "]}"

static void assert_incompatible(const char *wtext, const char *rtext, const char *want) {
  tschema_t w, r;
  tschema_load(&w, wtext);
  tschema_load(&r, rtext);
  serde_error_t err = {0};
  serde_avro_program_t *prog = serde__avro_program_new(w.root, r.root, &err);
  if (prog) {
    serde__avro_program_destroy(prog);
    fail_msg("expected %s -> %s to be incompatible", wtext, rtext);
  }
  assert_error(err.code, err, SERDE_ERR_SCHEMA_INCOMPATIBLE, want);
  tschema_free(&w);
  tschema_free(&r);
}

/* Resolves wjson and expects a decode-time PAYLOAD_INVALID containing want. */
static void assert_fails_on_data(const char *wtext, const char *rtext, const char *wjson, const char *want) {
  serde_error_t err = {0};
  char *got = tresolve(wtext, rtext, wjson, &err);
  if (got) {
    fail_msg("expected a decode error, got %s", got);
  }
  assert_error(err.code, err, SERDE_ERR_PAYLOAD_INVALID, want);
}

static void test_avro_resolve_identity_program_reads_every_type(void **state) {
  (void)state;
  const char *s =
      REC("{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"i\",\"type\":\"int\"},"
          "{\"name\":\"l\",\"type\":\"long\"},{\"name\":\"f\",\"type\":\"float\"},"
          "{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"y\",\"type\":\"bytes\"},"
          "{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"null\"},"
          "{\"name\":\"x\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},"
          "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
          "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}},"
          "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
          "{\"name\":\"u\",\"type\":[\"null\",\"E\"]}");
  const char *v =
      "{\"b\":true,\"i\":-7,\"l\":9007199254740993,\"f\":1.5,\"d\":0.1,\"y\":\"a\\u0000b\",\"s\":"
      "\"h\\u00e9\","
      "\"n\":null,\"x\":\"\\u00ff\\u0001\",\"e\":\"B\",\"a\":[1,2,3],\"m\":{\"k\":\"v\"},\"u\":{\"E\":\"A\"}"
      "}";
  assert_resolves(s, NULL, v,
                  "{\"b\":true,\"i\":-7,\"l\":9007199254740993,\"f\":1.5,\"d\":0.1,\"y\":\"a\\u0000b\",\"s\":"
                  "\"h\xc3\xa9\","
                  "\"n\":null,\"x\":\"\\u00ff\\u0001\",\"e\":\"B\",\"a\":[1,2,3],\"m\":{\"k\":\"v\"},\"u\":{"
                  "\"E\":\"A\"}}");
}

static void test_avro_resolve_added_field_takes_reader_default(void **state) {
  (void)state;
  const char *w = REC("{\"name\":\"a\",\"type\":\"int\"}");
  const char *r =
      REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"},"
          "{\"name\":\"c\",\"type\":[\"null\",\"int\"],\"default\":null},"
          "{\"name\":\"d\",\"type\":[\"long\",\"null\"],\"default\":7},"
          "{\"name\":\"e\",\"type\":{\"type\":\"record\",\"name\":\"S\",\"fields\":["
          "{\"name\":\"p\",\"type\":\"bytes\"},{\"name\":\"q\",\"type\":\"double\",\"default\":2}]},"
          "\"default\":{\"p\":\"\\u00ff\"}},"
          "{\"name\":\"f\",\"type\":{\"type\":\"array\",\"items\":\"int\"},\"default\":[1,2]}");
  assert_resolves(
      w, r, "{\"a\":1}",
      "{\"a\":1,\"b\":\"x\",\"c\":null,\"d\":{\"long\":7},\"e\":{\"p\":\"\\u00ff\",\"q\":2.0},\"f\":[1,2]}");
}

static void test_avro_resolve_rejects_added_field_without_default(void **state) {
  (void)state;
  assert_incompatible(REC("{\"name\":\"a\",\"type\":\"int\"}"),
                      REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}"),
                      "reader field \"b\" is missing from the writer and has no default");
}

static void test_avro_resolve_rejects_invalid_reader_default(void **state) {
  (void)state;
  assert_incompatible(
      REC("{\"name\":\"a\",\"type\":\"int\"}"),
      REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\",\"default\":\"abc\"}"),
      "reader field \"b\": invalid default");
}

static void test_avro_resolve_skips_removed_fields_of_every_shape(void **state) {
  (void)state;
  const char *w =
      REC("{\"name\":\"a\",\"type\":\"int\"},"
          "{\"name\":\"g1\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"G\","
          "\"fields\":[{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"d\",\"type\":\"double\"}]}}},"
          "{\"name\":\"g2\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"G\"]}},"
          "{\"name\":\"g3\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":3}},"
          "{\"name\":\"g4\",\"type\":[\"null\",\"float\",\"boolean\"]},"
          "{\"name\":\"g5\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}},"
          "{\"name\":\"z\",\"type\":\"string\"}");
  const char *r = REC("{\"name\":\"z\",\"type\":\"string\"},{\"name\":\"a\",\"type\":\"int\"}");
  assert_resolves(w, r,
                  "{\"a\":5,\"g1\":[{\"s\":\"x\",\"d\":1},{\"s\":\"yy\",\"d\":2}],\"g2\":{\"k\":{\"G\":{"
                  "\"s\":\"q\",\"d\":3}},"
                  "\"n\":null},\"g3\":\"abc\",\"g4\":{\"float\":1.5},\"g5\":\"B\",\"z\":\"end\"}",
                  "{\"z\":\"end\",\"a\":5}");
}

static void test_avro_resolve_matches_renamed_field_by_reader_alias(void **state) {
  (void)state;
  const char *w = REC("{\"name\":\"old\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}");
  const char *r =
      REC("{\"name\":\"b\",\"type\":\"int\"},{\"name\":\"new\",\"type\":\"long\",\"aliases\":[\"old\"]}");
  assert_resolves(w, r, "{\"old\":3,\"b\":4}", "{\"b\":4,\"new\":3}");
}

static void test_avro_resolve_prefers_exact_field_name_over_alias(void **state) {
  (void)state;
  const char *w = REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\"}");
  const char *r =
      REC("{\"name\":\"a\",\"type\":\"int\",\"aliases\":[\"b\"]},{\"name\":\"b\",\"type\":\"int\"}");
  assert_resolves(w, r, "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2}");
}

static void test_avro_resolve_maps_enum_symbols_by_name(void **state) {
  (void)state;
  const char *w = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"]}";
  const char *r = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"C\",\"A\",\"B\"]}";
  assert_resolves(w, r, "\"A\"", "\"A\"");
  assert_resolves(w, r, "\"C\"", "\"C\"");
}

static void test_avro_resolve_unknown_enum_symbol_takes_reader_default(void **state) {
  (void)state;
  const char *w = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"NEW\"]}";
  const char *r =
      "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"UNKNOWN\"],\"default\":\"UNKNOWN\"}";
  assert_resolves(w, r, "\"NEW\"", "\"UNKNOWN\"");
  assert_resolves(w, r, "\"B\"", "\"B\"");
}

static void test_avro_resolve_unknown_enum_symbol_without_default_fails_only_when_it_occurs(void **state) {
  (void)state;
  const char *w = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"NEW\"]}";
  const char *r = "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}";
  assert_resolves(w, r, "\"A\"", "\"A\"");
  assert_fails_on_data(w, r, "\"NEW\"", "enum symbol \"NEW\" of E is unknown to the reader");
}

static void test_avro_resolve_applies_every_promotion(void **state) {
  (void)state;
  assert_resolves("\"int\"", "\"long\"", "-5", "-5");
  assert_resolves("\"int\"", "\"float\"", "16777217", "16777216.0");
  assert_resolves("\"int\"", "\"double\"", "2147483647", "2147483647.0");
  assert_resolves("\"long\"", "\"float\"", "1099511627776", "1.0995116e+12");
  assert_resolves("\"long\"", "\"double\"", "9007199254740993", "9007199254740992.0");
  assert_resolves("\"float\"", "\"double\"", "0.1", "0.10000000149011612");
  assert_resolves("\"string\"", "\"bytes\"", "\"a\\u00e9\"", "\"a\\u00c3\\u00a9\"");
  assert_resolves("\"bytes\"", "\"string\"", "\"hi\"", "\"hi\"");
  assert_resolves(REC("{\"name\":\"s\",\"type\":\"bytes\"}"), REC("{\"name\":\"s\",\"type\":\"string\"}"),
                  "{\"s\":\"\\u00c3\\u00a9\"}", "{\"s\":\"\xc3\xa9\"}");
}

static void test_avro_resolve_rejects_demotion_with_field_path(void **state) {
  (void)state;
  assert_incompatible("\"long\"", "\"int\"", "writer long cannot be read as int");
  const char *w =
      REC("{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"In\",\"fields\":["
          "{\"name\":\"b\",\"type\":\"string\"}]}}");
  const char *r =
      REC("{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"In\",\"fields\":["
          "{\"name\":\"b\",\"type\":\"int\"}]}}");
  assert_incompatible(w, r, "field \"a.b\": writer string cannot be read as int");
}

static void test_avro_resolve_union_to_union_picks_first_matching_reader_branch(void **state) {
  (void)state;
  const char *w = "[\"null\",\"int\",\"string\"]";
  const char *r = "[\"string\",\"null\",\"double\",\"long\"]";
  assert_resolves(w, r, "null", "null");
  /* Java scans for promotions in reader order: double comes before long */
  assert_resolves(w, r, "{\"int\":3}", "{\"double\":3.0}");
  assert_resolves(w, "[\"long\",\"int\"]", "{\"int\":3}", "{\"int\":3}");
  assert_resolves(w, r, "{\"string\":\"s\"}", "{\"string\":\"s\"}");
}

static void test_avro_resolve_union_branch_without_match_fails_only_when_it_occurs(void **state) {
  (void)state;
  const char *w = "[\"int\",\"boolean\"]";
  const char *r = "[\"null\",\"int\"]";
  assert_resolves(w, r, "{\"int\":9}", "{\"int\":9}");
  assert_fails_on_data(w, r, "{\"boolean\":true}", "writer union branch boolean cannot be read");
}

static void test_avro_resolve_non_union_writer_into_reader_union(void **state) {
  (void)state;
  assert_resolves("\"int\"", "[\"null\",\"long\"]", "5", "{\"long\":5}");
  assert_resolves("\"string\"", "[\"null\",\"string\"]", "\"a\"", "{\"string\":\"a\"}");
  assert_resolves("\"bytes\"", "[\"null\",\"int\",\"string\"]", "\"b\"", "{\"string\":\"b\"}");
  assert_incompatible("\"boolean\"", "[\"null\",\"long\"]",
                      "writer boolean matches no branch of the reader union");
}

static void test_avro_resolve_union_writer_into_non_union_reader(void **state) {
  (void)state;
  const char *w = "[\"null\",\"int\"]";
  assert_resolves(w, "\"long\"", "{\"int\":5}", "5");
  assert_fails_on_data(w, "\"long\"", "null", "writer union branch null cannot be read");
}

static void test_avro_resolve_matches_named_types_by_short_name_and_alias(void **state) {
  (void)state;
  assert_resolves("{\"type\":\"enum\",\"name\":\"a.E\",\"symbols\":[\"X\"]}",
                  "{\"type\":\"enum\",\"name\":\"b.E\",\"symbols\":[\"X\"]}", "\"X\"", "\"X\"");
  assert_resolves("{\"type\":\"fixed\",\"name\":\"a.Old\",\"size\":1}",
                  "{\"type\":\"fixed\",\"name\":\"b.New\",\"size\":1,\"aliases\":[\"a.Old\"]}", "\"z\"",
                  "\"z\"");
  assert_incompatible("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}",
                      "{\"type\":\"enum\",\"name\":\"F\",\"symbols\":[\"X\"]}",
                      "writer enum E cannot be read as enum F");
  assert_incompatible("{\"type\":\"fixed\",\"name\":\"F\",\"size\":1}",
                      "{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", "has size 1");
}

static void test_avro_resolve_union_branches_match_renamed_and_namespaced_records(void **state) {
  (void)state;
  const char *w =
      "[\"null\",{\"type\":\"record\",\"name\":\"old.P\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}]";
  const char *r =
      "[\"null\",{\"type\":\"record\",\"name\":\"other.Q\",\"fields\":[{\"name\":\"y\",\"type\":\"int\","
      "\"default\":0}]},{\"type\":\"record\",\"name\":\"new.P\",\"aliases\":[\"old.P\"],"
      "\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}]";
  assert_resolves(w, r, "{\"old.P\":{\"x\":4}}", "{\"new.P\":{\"x\":4}}");
  /* without the alias, Java's structural match picks the first record that resolves */
  const char *r2 =
      "[\"null\",{\"type\":\"record\",\"name\":\"other.Q\",\"fields\":[{\"name\":\"y\",\"type\":\"int\"}]},"
      "{\"type\":\"record\",\"name\":\"new.Z\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}]";
  assert_resolves(w, r2, "{\"old.P\":{\"x\":4}}", "{\"new.Z\":{\"x\":4}}");
}

static void test_avro_resolve_compiles_recursive_list_with_evolution(void **state) {
  (void)state;
  const char *w =
      "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
      "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}";
  const char *r =
      "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
      "{\"name\":\"tag\",\"type\":\"string\",\"default\":\"t\"},"
      "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}";
  assert_resolves(
      w, r, "{\"v\":1,\"next\":{\"Node\":{\"v\":2,\"next\":{\"Node\":{\"v\":3,\"next\":null}}}}}",
      "{\"v\":1,\"tag\":\"t\",\"next\":{\"Node\":{\"v\":2,\"tag\":\"t\",\"next\":{\"Node\":{\"v\":3,"
      "\"tag\":\"t\",\"next\":null}}}}}");
}

static void test_avro_resolve_recursive_default_uses_reader_program(void **state) {
  (void)state;
  const char *w = REC("{\"name\":\"a\",\"type\":\"int\"}");
  const char *r =
      REC("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"t\",\"type\":{\"type\":\"record\",\"name\":\"T\","
          "\"fields\":[{\"name\":\"kids\",\"type\":{\"type\":\"array\",\"items\":\"T\"}}]},"
          "\"default\":{\"kids\":[{\"kids\":[]},{\"kids\":[{\"kids\":[]}]}]}}");
  assert_resolves(w, r, "{\"a\":1}", "{\"a\":1,\"t\":{\"kids\":[{\"kids\":[]},{\"kids\":[{\"kids\":[]}]}]}}");
}

static void test_avro_resolve_reader_null_means_writer_schema(void **state) {
  (void)state;
  tschema_t w;
  tschema_load(&w, REC("{\"name\":\"f\",\"type\":\"string\"}"));
  serde_error_t err = {0};
  serde_avro_program_t *prog = serde__avro_program_new(w.root, NULL, &err);
  assert_non_null(prog);
  avro_value_t v;
  tvalue_new(&w, &v);
  static const uint8_t data[] = {0x04, 'h', 'i'};
  assert_int_equal(serde__avro_decode(prog, data, sizeof data, NULL, &v, &err), SERDE_OK);
  char *json = tvalue_to_json(&w, &v);
  assert_string_equal(json, "{\"f\":\"hi\"}");
  free(json);
  avro_value_decref(&v);
  serde__avro_program_destroy(prog);
  tschema_free(&w);
}

static void test_avro_resolve_survives_every_allocation_failure(void **state) {
  (void)state;
  tschema_t w, r;
  tschema_load(&w,
               "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"int\"},"
               "{\"name\":\"gone\",\"type\":\"string\"},{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");
  tschema_load(
      &r,
      "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
      "{\"name\":\"tag\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[\"a\",\"b\"]},"
      "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");
  bool succeeded = false;
  for (long n = 1; n < 200 && !succeeded; n++) {
    serde_error_t err = {0};
    serde__alloc_fail_at(n);
    serde_avro_program_t *prog = serde__avro_program_new(w.root, r.root, &err);
    serde__alloc_fail_at(0);
    if (prog) {
      succeeded = true;
      serde__avro_program_destroy(prog);
    } else {
      assert_int_equal(err.code, SERDE_ERR_NOMEM);
    }
  }
  assert_true(succeeded);
  tschema_free(&w);
  tschema_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_avro_resolve_identity_program_reads_every_type),
      cmocka_unit_test(test_avro_resolve_added_field_takes_reader_default),
      cmocka_unit_test(test_avro_resolve_rejects_added_field_without_default),
      cmocka_unit_test(test_avro_resolve_rejects_invalid_reader_default),
      cmocka_unit_test(test_avro_resolve_skips_removed_fields_of_every_shape),
      cmocka_unit_test(test_avro_resolve_matches_renamed_field_by_reader_alias),
      cmocka_unit_test(test_avro_resolve_prefers_exact_field_name_over_alias),
      cmocka_unit_test(test_avro_resolve_maps_enum_symbols_by_name),
      cmocka_unit_test(test_avro_resolve_unknown_enum_symbol_takes_reader_default),
      cmocka_unit_test(test_avro_resolve_unknown_enum_symbol_without_default_fails_only_when_it_occurs),
      cmocka_unit_test(test_avro_resolve_applies_every_promotion),
      cmocka_unit_test(test_avro_resolve_rejects_demotion_with_field_path),
      cmocka_unit_test(test_avro_resolve_union_to_union_picks_first_matching_reader_branch),
      cmocka_unit_test(test_avro_resolve_union_branch_without_match_fails_only_when_it_occurs),
      cmocka_unit_test(test_avro_resolve_non_union_writer_into_reader_union),
      cmocka_unit_test(test_avro_resolve_union_writer_into_non_union_reader),
      cmocka_unit_test(test_avro_resolve_matches_named_types_by_short_name_and_alias),
      cmocka_unit_test(test_avro_resolve_union_branches_match_renamed_and_namespaced_records),
      cmocka_unit_test(test_avro_resolve_compiles_recursive_list_with_evolution),
      cmocka_unit_test(test_avro_resolve_recursive_default_uses_reader_program),
      cmocka_unit_test(test_avro_resolve_reader_null_means_writer_schema),
      cmocka_unit_test(test_avro_resolve_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
