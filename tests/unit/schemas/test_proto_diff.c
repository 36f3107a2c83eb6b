// SPDX-License-Identifier: Apache-2.0
/* Tests of the Protobuf compatibility diff (proto_diff*.c): every PROTOBUF
 * row of compat-cases.jsonl gives exactly Confluent's change list, in
 * Confluent's order, and its verdict; hand-written cases pin what the corpus
 * does not reach (Java hash-set order of names and enum numbers, map entries,
 * proto3 optional, groups, recursive imported types, aliases, well-known
 * types) and the description texts of Confluent's Difference.java. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "compat_cases.h"
#include "proto_diff_int.h"
#include "schemas/proto_schema.h"

#define MAX_REFS 16

/* ---- helpers ----------------------------------------------------------------- */

static sch_pb_schema_t *build(const char *text, const sch_reference_t *refs, size_t n_refs,
                              const char *what) {
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(text, strlen(text), refs, n_refs, &err);
  if (!s) fail_msg("%s: build failed: %s\n%s", what, err.message, text);
  return s;
}

/* The changes as "TYPE path" lines, one per change (caller frees). */
static char *changes_text(const sch_pb_changes_t *c) {
  size_t size = 1;
  for (size_t i = 0; i < c->count; i++) size += strlen(c->items[i].type) + strlen(c->items[i].path) + 2;
  char *text = calloc(1, size);
  assert_non_null(text);
  for (size_t i = 0; i < c->count; i++) {
    strcat(text, c->items[i].type);
    strcat(text, " ");
    strcat(text, c->items[i].path);
    strcat(text, "\n");
  }
  return text;
}

static bool all_compatible(const sch_pb_changes_t *c) {
  for (size_t i = 0; i < c->count; i++) {
    if (!c->items[i].compatible) return false;
  }
  return true;
}

/* Diffs original -> update (each with the same refs) and asserts the change
 * list is want[0..n) in order. Returns the verdict. */
static bool assert_diff_refs(const char *original, const char *update, const sch_reference_t *refs,
                             size_t n_refs, const char *const *want, size_t n) {
  sch_pb_schema_t *o = build(original, refs, n_refs, "original");
  sch_pb_schema_t *u = build(update, refs, n_refs, "update");
  sch_pb_changes_t changes;
  sch_error_t err = {0};
  assert_int_equal(sch_pb_diff(o, u, &changes, &err), SCH_OK);
  char *got = changes_text(&changes);
  size_t size = 1;
  for (size_t i = 0; i < n; i++) size += strlen(want[i]) + 1;
  char *expected = calloc(1, size);
  assert_non_null(expected);
  for (size_t i = 0; i < n; i++) strcat(strcat(expected, want[i]), "\n");
  if (strcmp(got, expected) != 0) fail_msg("changes differ\n--- got:\n%s--- want:\n%s", got, expected);
  bool verdict = all_compatible(&changes);
  free(expected);
  free(got);
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
  return verdict;
}

#define N(a) (sizeof(a) / sizeof *(a))
#define assert_diff(o, u, want) assert_diff_refs((o), (u), NULL, 0, (want), N(want))

/* ---- the conformance corpus ----------------------------------------------------- */

/* Rows whose two sides import the same path at different versions carry only
 * one text in `dependencies` (the later version's): the corpus flattened
 * upstream's original_dependencies/update_dependencies. The missing text,
 * from Confluent's diff-schema-examples.json ("Detect incompatible import
 * change with same subject, different version"), is supplied here. */
static const struct {
  const char *name;
  int version;
  const char *text;
} missing_dependencies[] = {
    {"google.proto", 1,
     "syntax = \"proto3\";\n\npackage io.confluent.cloud.demo.domain;\n\noption java_outer_classname = "
     "\"GoogleImpl\";\n\nmessage outer {\n  message GoogleHome {\n  int32 deviceID = 1;\n  bool enabled = "
     "2;\n}\n}"},
};

/* The version the other side's references give `name`, or -1. */
static int other_version(const json_t *other_refs, const char *name) {
  size_t i;
  json_t *r;
  json_array_foreach(other_refs, i, r) {
    if (strcmp(json_string_value(json_object_get(r, "name")), name) == 0) {
      return (int)json_integer_value(json_object_get(r, "version"));
    }
  }
  return -1;
}

static const char *dependency_text(const json_t *row, const json_t *ref, const json_t *other_refs) {
  const char *name = json_string_value(json_object_get(ref, "name"));
  int version = (int)json_integer_value(json_object_get(ref, "version"));
  int other = other_version(other_refs, name);
  for (size_t i = 0; i < N(missing_dependencies); i++) {
    if (strcmp(missing_dependencies[i].name, name) == 0 && missing_dependencies[i].version == version &&
        other >= 0 && other != version) {
      return missing_dependencies[i].text;
    }
  }
  return json_string_value(json_object_get(json_object_get(row, "dependencies"), name));
}

/* The refs of one side: the dependencies its references name, or every
 * dependency when the row lists no references. */
static size_t side_refs(const json_t *row, const char *refs_key, const char *other_key,
                        sch_reference_t *out) {
  const json_t *refs = json_object_get(row, refs_key), *other = json_object_get(row, other_key);
  size_t n = 0;
  if (refs) {
    size_t i;
    json_t *r;
    json_array_foreach(refs, i, r) {
      assert_true(n < MAX_REFS);
      const char *text = dependency_text(row, r, other);
      assert_non_null(text);
      out[n++] = (sch_reference_t){json_string_value(json_object_get(r, "name")), text, strlen(text)};
    }
    return n;
  }
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)json_object_get(row, "dependencies"), key, v) {
    assert_true(n < MAX_REFS);
    out[n++] = (sch_reference_t){key, json_string_value(v), strlen(json_string_value(v))};
  }
  return n;
}

static char *expected_text(const json_t *row) {
  size_t i, size = 1;
  json_t *v;
  const json_t *list = json_object_get(row, "expected_changes");
  json_array_foreach(list, i, v) size += strlen(json_string_value(v)) + 1;
  char *text = calloc(1, size);
  assert_non_null(text);
  json_array_foreach(list, i, v) strcat(strcat(text, json_string_value(v)), "\n");
  return text;
}

/* Runs one row; returns true if the change list and verdict match, else
 * prints what differs. */
static bool run_row(const json_t *row, size_t line) {
  bool backward = strcmp(json_string_value(json_object_get(row, "mode")), "BACKWARD") == 0;
  const json_t *old = json_object_get(row, "old");
  const char *old_text = json_string_value(json_array_get(old, json_array_size(old) - 1));
  const char *new_text = json_string_value(json_object_get(row, "new"));
  sch_reference_t old_refs[MAX_REFS], new_refs[MAX_REFS];
  size_t n_old = side_refs(row, "old_references", "new_references", old_refs);
  size_t n_new = side_refs(row, "new_references", "old_references", new_refs);
  sch_pb_schema_t *o =
      backward ? build(old_text, old_refs, n_old, "old") : build(new_text, new_refs, n_new, "new");
  sch_pb_schema_t *u =
      backward ? build(new_text, new_refs, n_new, "new") : build(old_text, old_refs, n_old, "old");
  sch_pb_changes_t changes;
  sch_error_t err = {0};
  assert_int_equal(sch_pb_diff(o, u, &changes, &err), SCH_OK);
  char *got = changes_text(&changes), *want = expected_text(row);
  bool verdict = all_compatible(&changes);
  bool ok = strcmp(got, want) == 0 && verdict == json_is_true(json_object_get(row, "expected_compatible"));
  if (!ok) {
    fprintf(stderr, "line %zu %s \"%s\": compatible %d\n--- got:\n%s--- want:\n%s", line,
            json_string_value(json_object_get(row, "mode")),
            json_string_value(json_object_get(row, "description")), verdict, got, want);
  }
  free(got);
  free(want);
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
  return ok;
}

static void test_proto_diff_matches_confluent_on_every_corpus_row(void **state) {
  (void)state;
  FILE *f = compat_cases_open();
  assert_non_null(f);
  static char line[1 << 17];
  size_t rows = 0, passed = 0, n = 0;
  while (fgets(line, sizeof line, f)) {
    n++;
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") == 0) {
      rows++;
      passed += run_row(row, n);
    }
    json_decref(row);
  }
  fclose(f);
  fprintf(stderr, "%zu/%zu protobuf rows match Confluent's changes and verdict\n", passed, rows);
  assert_true(rows > 0);
  assert_int_equal(passed, rows);
}

/* ---- order -------------------------------------------------------------------- */

static void test_proto_diff_reports_messages_in_java_hash_set_order(void **state) {
  (void)state;
  /* Java iterates {Zebra, Alpha} + {Mango, Kiwi, Banana} as Kiwi, Zebra,
   * Alpha, Mango, Banana: neither declaration nor sorted order. */
  const char *o = "syntax = \"proto3\";\nmessage Zebra {}\nmessage Alpha {}\n";
  const char *u =
      "syntax = \"proto3\";\nmessage Alpha {}\nmessage Zebra {}\nmessage Mango {}\nmessage Kiwi {}\nmessage "
      "Banana "
      "{}\n";
  const char *want[] = {"MESSAGE_ADDED #/Kiwi", "MESSAGE_MOVED #/Zebra", "MESSAGE_MOVED #/Alpha",
                        "MESSAGE_ADDED #/Mango", "MESSAGE_ADDED #/Banana"};
  assert_false(assert_diff(
      u, o,
      ((const char *[]){"MESSAGE_REMOVED #/Kiwi", "MESSAGE_MOVED #/Zebra", "MESSAGE_MOVED #/Alpha",
                        "MESSAGE_REMOVED #/Mango", "MESSAGE_REMOVED #/Banana"})));
  assert_true(assert_diff(o, u, want));
}

static void test_proto_diff_reports_enum_numbers_in_java_hash_set_order(void **state) {
  (void)state;
  /* HashSet({0, 17}) + {0, 16, 1, 17} iterates 0, 16, 17, 1 (buckets of 16). */
  const char *o = "syntax = \"proto3\";\nenum E {\n  A = 0;\n  B = 17;\n}\n";
  const char *u = "syntax = \"proto3\";\nenum E {\n  A = 0;\n  C = 1;\n  D = 16;\n  B = 17;\n}\n";
  const char *want[] = {"ENUM_CONST_ADDED #/E/16", "ENUM_CONST_ADDED #/E/1"};
  assert_true(assert_diff(o, u, want));
}

static void test_proto_diff_orders_oneofs_by_name_and_tags_ascending(void **state) {
  (void)state;
  const char *o = "syntax = \"proto3\";\nmessage M {\n  int32 z = 9;\n  oneof b { int32 x = 5; }\n}\n";
  const char *u =
      "syntax = \"proto3\";\nmessage M {\n  oneof c { int32 x = 5; }\n  int32 y = 2;\n  oneof a { int32 w = "
      "7; }\n}\n";
  const char *want[] = {"ONEOF_ADDED #/M/a", "ONEOF_REMOVED #/M/b",       "ONEOF_ADDED #/M/c",
                        "FIELD_ADDED #/M/2", "ONEOF_FIELD_ADDED #/M/a/7", "FIELD_REMOVED #/M/9"};
  assert_true(assert_diff(o, u, want));
}

static void test_proto_diff_java_union_pairs_last_occurrences(void **state) {
  (void)state;
  /* put() keeps a repeated key's first place and its last value. */
  sch__pb_key_t o[] = {{NULL, 3}, {NULL, 1}, {NULL, 3}};
  sch__pb_key_t u[] = {{NULL, 2}, {NULL, 1}};
  size_t n = 0;
  sch__pb_pair_t *p = sch__pb_java_union(o, N(o), u, N(u), &n);
  assert_non_null(p);
  assert_int_equal(n, 3);
  assert_int_equal(p[0].original, 1); /* key 1 */
  assert_int_equal(p[0].update, 1);
  assert_int_equal(p[1].original, SCH__PB_NONE); /* key 2 */
  assert_int_equal(p[1].update, 0);
  assert_int_equal(p[2].original, 2); /* key 3, last occurrence */
  assert_int_equal(p[2].update, SCH__PB_NONE);
  free(p);
}

/* ---- what Confluent's parsed .proto file has and has not ---------------------- */

static void test_proto_diff_ignores_map_entry_messages(void **state) {
  (void)state;
  /* The entry of m sits before B in one version and after it in the other;
   * counted, it would move B. */
  const char *o = "syntax = \"proto3\";\nmessage A {\n  map<string, int32> m = 1;\n  message B {}\n}\n";
  const char *u = "syntax = \"proto3\";\nmessage A {\n  message B {}\n  map<string, int32> m = 1;\n}\n";
  assert_true(assert_diff_refs(o, u, NULL, 0, NULL, 0));
  const char *none = "syntax = \"proto3\";\nmessage A {\n  message B {}\n}\n";
  const char *added[] = {"FIELD_ADDED #/A/1"};
  assert_true(assert_diff(none, u, added));
  const char *removed[] = {"FIELD_REMOVED #/A/1"};
  assert_true(assert_diff(o, none, removed));
}

static void test_proto_diff_compares_map_keys_and_values(void **state) {
  (void)state;
  const char *o = "syntax = \"proto3\";\nmessage M {\n  map<string, int32> m = 1;\n}\n";
  const char *compatible = "syntax = \"proto3\";\nmessage M {\n  map<string, int64> m = 1;\n}\n";
  assert_true(assert_diff_refs(o, compatible, NULL, 0, NULL, 0));
  const char *value = "syntax = \"proto3\";\nmessage M {\n  map<string, sint32> m = 1;\n}\n";
  const char *want_value[] = {"FIELD_SCALAR_KIND_CHANGED #/M/1"};
  assert_false(assert_diff(o, value, want_value));
  const char *key = "syntax = \"proto3\";\nmessage M {\n  map<int32, int32> m = 1;\n}\n";
  const char *want_key[] = {"FIELD_SCALAR_KIND_CHANGED #/M/1"};
  assert_false(assert_diff(o, key, want_key));
  const char *repeated =
      "syntax = \"proto3\";\nmessage M {\n  repeated E m = 1;\n  message E {\n    string key = 1;\n    int32 "
      "value = "
      "2;\n  }\n}\n";
  const char *want_kind[] = {"FIELD_KIND_CHANGED #/M/1", "MESSAGE_ADDED #/M/E"};
  assert_false(assert_diff(o, repeated, want_kind));
}

static void test_proto_diff_treats_proto3_optional_as_a_plain_field(void **state) {
  (void)state;
  const char *o = "syntax = \"proto3\";\nmessage M {\n  optional int32 a = 1;\n  optional string s = 2;\n}\n";
  const char *u = "syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n  repeated string s = 2;\n}\n";
  const char *want[] = {"FIELD_STRING_OR_BYTES_LABEL_CHANGED #/M/2"};
  assert_true(assert_diff(o, u, want));
}

static void test_proto_diff_compares_labels_only_where_written(void **state) {
  (void)state;
  /* Confluent's parser gives an unlabelled proto3 field no label, and a
   * label change is only seen between two written labels. */
  const char *o = "syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n  optional int32 b = 2;\n}\n";
  const char *u = "syntax = \"proto3\";\nmessage M {\n  repeated int32 a = 1;\n  repeated int32 b = 2;\n}\n";
  const char *want[] = {"FIELD_NUMERIC_LABEL_CHANGED #/M/2"};
  assert_false(assert_diff(o, u, want));
}

static void test_proto_diff_ignores_groups_like_confluent(void **state) {
  (void)state;
  const char *o =
      "syntax = \"proto2\";\nmessage M {\n  optional group G = 1 {\n    optional int32 a = 2;\n  }\n}\n";
  const char *u = "syntax = \"proto2\";\nmessage M {\n}\n";
  assert_true(assert_diff_refs(o, u, NULL, 0, NULL, 0));
}

static void test_proto_diff_reports_required_fields_as_incompatible(void **state) {
  (void)state;
  const char *o = "syntax = \"proto2\";\nmessage M {\n  required int32 a = 1;\n}\n";
  const char *u = "syntax = \"proto2\";\nmessage M {\n  optional int32 a = 1;\n  required int32 b = 2;\n}\n";
  const char *want[] = {"FIELD_NUMERIC_LABEL_CHANGED #/M/1", "REQUIRED_FIELD_ADDED #/M/2"};
  assert_false(assert_diff(o, u, want));
  const char *gone = "syntax = \"proto2\";\nmessage M {\n}\n";
  const char *want_gone[] = {"REQUIRED_FIELD_REMOVED #/M/1"};
  assert_false(assert_diff(o, gone, want_gone));
}

static void test_proto_diff_compares_the_last_alias_of_an_enum_number(void **state) {
  (void)state;
  const char *o = "syntax = \"proto3\";\nenum E {\n  option allow_alias = true;\n  A = 0;\n  B = 0;\n}\n";
  const char *u = "syntax = \"proto3\";\nenum E {\n  A = 0;\n}\n";
  const char *want[] = {"ENUM_CONST_CHANGED #/E/0"};
  assert_true(assert_diff(o, u, want));
}

static void test_proto_diff_reports_package_change_at_the_root(void **state) {
  (void)state;
  const char *o = "syntax = \"proto3\";\npackage a;\nmessage M {}\n";
  const char *u = "syntax = \"proto3\";\nmessage M {}\n";
  const char *want[] = {"PACKAGE_CHANGED #/"};
  assert_false(assert_diff(o, u, want));
}

/* ---- types of other files -------------------------------------------------------- */

static void test_proto_diff_compares_recursive_imported_types_once(void **state) {
  (void)state;
  const char *main = "syntax = \"proto3\";\nimport \"node.proto\";\nmessage M {\n  d.Node n = 1;\n}\n";
  const char *v1 = "syntax = \"proto3\";\npackage d;\nmessage Node {\n  Node next = 1;\n  int32 v = 2;\n}\n";
  const char *v2 = "syntax = \"proto3\";\npackage d;\nmessage Node {\n  Node next = 1;\n  string v = 2;\n}\n";
  sch_reference_t r1 = {"node.proto", v1, strlen(v1)}, r2 = {"node.proto", v2, strlen(v2)};
  sch_pb_schema_t *o = build(main, &r1, 1, "v1"), *u = build(main, &r2, 1, "v2");
  sch_pb_changes_t changes;
  assert_int_equal(sch_pb_diff(o, u, &changes, NULL), SCH_OK);
  char *got = changes_text(&changes);
  assert_string_equal(got, "FIELD_SCALAR_KIND_CHANGED #/Node/2\nFIELD_NAMED_TYPE_CHANGED #/M/1\n");
  free(got);
  sch_pb_changes_fini(&changes);
  assert_int_equal(sch_pb_diff(o, o, &changes, NULL), SCH_OK);
  assert_int_equal(changes.count, 0);
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
}

/* A dependency "package d;" of n messages, each referring to the next; the
 * last one gains a field in version 2. */
static char *chain_text(int n, int version) {
  char *t = malloc((size_t)n * 64 + 64);
  assert_non_null(t);
  size_t at = (size_t)sprintf(t, "syntax = \"proto3\";\npackage d;\n");
  for (int i = 0; i + 1 < n; i++) at += (size_t)sprintf(t + at, "message M%d { M%d f = 1; }\n", i, i + 1);
  sprintf(t + at, "message M%d { int32 v = 1; %s}\n", n - 1, version == 2 ? "int32 w = 2; " : "");
  return t;
}

/* Diffs the two versions of a chain of n types; returns the change count,
 * the last change in last and the verdict in *compatible. */
static size_t chain_changes(int n, char *last, size_t size, bool *compatible) {
  const char *main = "syntax = \"proto3\";\nimport \"d.proto\";\nmessage Top {\n  d.M0 m = 1;\n}\n";
  char *v1 = chain_text(n, 1), *v2 = chain_text(n, 2);
  sch_reference_t r1 = {"d.proto", v1, strlen(v1)}, r2 = {"d.proto", v2, strlen(v2)};
  sch_pb_schema_t *o = build(main, &r1, 1, "chain v1"), *u = build(main, &r2, 1, "chain v2");
  sch_pb_changes_t changes;
  assert_int_equal(sch_pb_diff(o, u, &changes, NULL), SCH_OK);
  size_t count = changes.count;
  if (count) snprintf(last, size, "%s %s", changes.items[count - 1].type, changes.items[count - 1].path);
  *compatible = all_compatible(&changes);
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
  free(v1);
  free(v2);
  return count;
}

static void test_proto_diff_stops_sub_comparisons_past_the_depth_limit(void **state) {
  (void)state;
  char last[128] = "";
  bool compatible = false;
  /* Down to the limit the added field is found at the end of the chain... */
  assert_int_equal(chain_changes(SCH__PB_DIFF_MAX_SUBCOMPARE, last, sizeof last, &compatible), 1);
  assert_true(compatible);
  char want[64];
  snprintf(want, sizeof want, "FIELD_ADDED #/M%d/2", SCH__PB_DIFF_MAX_SUBCOMPARE - 1);
  assert_string_equal(last, want);
  /* ...past it the type that was not compared counts as changed. */
  assert_true(chain_changes(SCH__PB_DIFF_MAX_SUBCOMPARE + 1, last, sizeof last, &compatible) > 1);
  assert_false(compatible);
  assert_string_equal(last, "FIELD_NAMED_TYPE_CHANGED #/Top/1");
}

static void test_proto_diff_compares_an_unchanged_import_whose_own_import_changed(void **state) {
  (void)state;
  const char *main = "syntax = \"proto3\";\nimport \"a.proto\";\nmessage Top {\n  a.A a = 1;\n}\n";
  const char *a = "syntax = \"proto3\";\npackage a;\nimport \"b.proto\";\nmessage A {\n  b.B x = 1;\n}\n";
  const char *b1 = "syntax = \"proto3\";\npackage b;\nmessage B {\n  int32 v = 1;\n}\n";
  const char *b2 = "syntax = \"proto3\";\npackage b;\nmessage B {\n  string v = 1;\n}\n";
  sch_reference_t r1[] = {{"b.proto", b1, strlen(b1)}, {"a.proto", a, strlen(a)}};
  sch_reference_t r2[] = {{"b.proto", b2, strlen(b2)}, {"a.proto", a, strlen(a)}};
  sch_pb_schema_t *o = build(main, r1, 2, "v1"), *u = build(main, r2, 2, "v2");
  sch_pb_changes_t changes;
  assert_int_equal(sch_pb_diff(o, u, &changes, NULL), SCH_OK);
  char *got = changes_text(&changes);
  assert_string_equal(got,
                      "FIELD_SCALAR_KIND_CHANGED #/B/1\nFIELD_NAMED_TYPE_CHANGED #/A/1\n"
                      "FIELD_NAMED_TYPE_CHANGED #/Top/1\n");
  free(got);
  sch_pb_changes_fini(&changes);
  /* The same files on both sides need no comparing at all. */
  sch_pb_schema_t *again = build(main, r1, 2, "v1 again");
  assert_int_equal(sch_pb_diff(o, again, &changes, NULL), SCH_OK);
  assert_int_equal(changes.count, 0);
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(again);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
}

static void test_proto_diff_compares_well_known_types_by_local_name(void **state) {
  (void)state;
  const char *o =
      "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage M {\n  "
      "google.protobuf.Timestamp t "
      "= 1;\n}\n";
  const char *same =
      "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage M {\n  "
      ".google.protobuf.Timestamp "
      "t = 1;\n}\n";
  assert_true(assert_diff_refs(o, same, NULL, 0, NULL, 0));
  const char *other =
      "syntax = \"proto3\";\nimport \"google/protobuf/duration.proto\";\nmessage M {\n  "
      "google.protobuf.Duration t = "
      "1;\n}\n";
  const char *want[] = {"FIELD_NAMED_TYPE_CHANGED #/M/1"};
  assert_false(assert_diff(o, other, want));
}

/* ---- descriptions ----------------------------------------------------------------- */

static void test_proto_diff_describes_every_incompatible_type_in_confluent_words(void **state) {
  (void)state;
  static const struct {
    const char *type, *text;
  } cases[] = {
      {"PACKAGE_CHANGED",
       "The package at '#/X/1' in the new schema does not match the package in the old schema"},
      {"MESSAGE_REMOVED", "The new schema is missing a MESSAGE type at path '#/X/1' in the old schema"},
      {"FIELD_KIND_CHANGED",
       "The type of a field at path '#/X/1' in the new schema does not match the old schema"},
      {"FIELD_SCALAR_KIND_CHANGED",
       "The kind of a SCALAR field at path '#/X/1' in the new schema does not match its kind in the old "
       "schema"},
      {"FIELD_NAMED_TYPE_CHANGED",
       "The type of a MESSAGE field at path '#/X/1' in the new schema does not match its type in the old "
       "schema"},
      {"FIELD_NUMERIC_LABEL_CHANGED",
       "The label for a NUMERIC field at path '#/X/1' in the new schema does not match its label in the old "
       "schema"},
      {"REQUIRED_FIELD_ADDED",
       "A required field  at path '#/X/1' in the new schema is missing in the old schema"},
      {"REQUIRED_FIELD_REMOVED",
       "The new schema is missing a required field at path: '#/X/1' in the old schema"},
      {"ONEOF_FIELD_REMOVED", "The new schema is missing a oneof field at path '#/X/1' in the old schema"},
      {"ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
       "The oneof field at path '#/X/1' in the new schema was moved out of its oneof to a top-level field in "
       "the old "
       "schema"},
      {"MULTIPLE_FIELDS_MOVED_TO_ONEOF",
       "Multiple fields in the oneof at path '#/X/1' in the new schema are outside a oneof in the old "
       "schema"},
      {"FIELD_MOVED_TO_EXISTING_ONEOF",
       "A field in the oneof at path '#/X/1' in the new schema is outside an existing oneof in the old "
       "schema"},
  };
  char path[] = "#/X/1", out[512];
  for (size_t i = 0; i < N(cases); i++) {
    sch_pb_change_t c = {cases[i].type, path, false};
    sch_pb_change_describe(&c, out, sizeof out);
    assert_string_equal(out, cases[i].text);
  }
}

static void test_proto_diff_describes_a_diffed_change(void **state) {
  (void)state;
  sch_pb_schema_t *o =
      build("syntax = \"proto3\";\nmessage TestMessage {\n  int32 a = 2;\n}\n", NULL, 0, "o");
  sch_pb_schema_t *u =
      build("syntax = \"proto3\";\nmessage TestMessage {\n  TestMessage a = 2;\n}\n", NULL, 0, "u");
  sch_pb_changes_t changes;
  assert_int_equal(sch_pb_diff(o, u, &changes, NULL), SCH_OK);
  assert_int_equal(changes.count, 1);
  assert_string_equal(changes.items[0].type, "FIELD_KIND_CHANGED");
  assert_false(changes.items[0].compatible);
  char out[256];
  sch_pb_change_describe(&changes.items[0], out, sizeof out);
  assert_string_equal(
      out, "The type of a field at path '#/TestMessage/2' in the new schema does not match the old schema");
  sch_pb_changes_fini(&changes);
  sch_pb_schema_destroy(o);
  sch_pb_schema_destroy(u);
}

static void test_proto_diff_describe_swaps_role_words_for_forward(void **state) {
  (void)state;
  char path[] = "#/A", out[256];
  sch_pb_change_t c = {"MESSAGE_REMOVED", path, false};
  sch__pb_change_describe_roles(&c, "old", "new", out, sizeof out);
  assert_string_equal(out, "The old schema is missing a MESSAGE type at path '#/A' in the new schema");
}

static void test_proto_diff_describe_is_empty_for_compatible_types(void **state) {
  (void)state;
  char path[] = "#/A/1", out[64] = "x";
  const char *types[] = {"FIELD_ADDED", "MESSAGE_ADDED", "ONEOF_FIELD_ADDED", "ENUM_CONST_CHANGED"};
  for (size_t i = 0; i < N(types); i++) {
    sch_pb_change_t c = {types[i], path, true};
    sch_pb_change_describe(&c, out, sizeof out);
    assert_string_equal(out, "");
  }
}

static void test_proto_diff_describe_truncates_to_the_buffer(void **state) {
  (void)state;
  char path[] = "#/A", out[11];
  memset(out, 'x', sizeof out);
  sch_pb_change_t c = {"MESSAGE_REMOVED", path, false};
  sch_pb_change_describe(&c, out, sizeof out);
  assert_string_equal(out, "The new sc");
}

static void test_proto_diff_changes_fini_accepts_null_and_empty(void **state) {
  (void)state;
  sch_pb_changes_fini(NULL);
  sch_pb_changes_t empty = {0};
  sch_pb_changes_fini(&empty);
  assert_int_equal(empty.count, 0);
  assert_null(empty.items);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_proto_diff_matches_confluent_on_every_corpus_row),
      cmocka_unit_test(test_proto_diff_reports_messages_in_java_hash_set_order),
      cmocka_unit_test(test_proto_diff_reports_enum_numbers_in_java_hash_set_order),
      cmocka_unit_test(test_proto_diff_orders_oneofs_by_name_and_tags_ascending),
      cmocka_unit_test(test_proto_diff_java_union_pairs_last_occurrences),
      cmocka_unit_test(test_proto_diff_ignores_map_entry_messages),
      cmocka_unit_test(test_proto_diff_compares_map_keys_and_values),
      cmocka_unit_test(test_proto_diff_treats_proto3_optional_as_a_plain_field),
      cmocka_unit_test(test_proto_diff_compares_labels_only_where_written),
      cmocka_unit_test(test_proto_diff_ignores_groups_like_confluent),
      cmocka_unit_test(test_proto_diff_reports_required_fields_as_incompatible),
      cmocka_unit_test(test_proto_diff_compares_the_last_alias_of_an_enum_number),
      cmocka_unit_test(test_proto_diff_reports_package_change_at_the_root),
      cmocka_unit_test(test_proto_diff_compares_recursive_imported_types_once),
      cmocka_unit_test(test_proto_diff_stops_sub_comparisons_past_the_depth_limit),
      cmocka_unit_test(test_proto_diff_compares_an_unchanged_import_whose_own_import_changed),
      cmocka_unit_test(test_proto_diff_compares_well_known_types_by_local_name),
      cmocka_unit_test(test_proto_diff_describes_every_incompatible_type_in_confluent_words),
      cmocka_unit_test(test_proto_diff_describes_a_diffed_change),
      cmocka_unit_test(test_proto_diff_describe_swaps_role_words_for_forward),
      cmocka_unit_test(test_proto_diff_describe_is_empty_for_compatible_types),
      cmocka_unit_test(test_proto_diff_describe_truncates_to_the_buffer),
      cmocka_unit_test(test_proto_diff_changes_fini_accepts_null_and_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
