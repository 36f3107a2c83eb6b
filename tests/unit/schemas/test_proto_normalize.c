// SPDX-License-Identifier: Apache-2.0
/* Tests of the PROTOBUF format's canonical and normalized text
 * (proto_format.c, proto_normalize.c) through sch_format_find("PROTOBUF"):
 * reordered variants of one schema normalize to the same text, the
 * normalized text is sorted and qualified as Confluent's rules say,
 * normalizing is idempotent, keeps message order (so message indexes do not
 * move) and resolves again, over every Protobuf schema of
 * compat-cases.jsonl; base64 FileDescriptorProto input is accepted. */
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
#include "schemas/proto_schema.h"

static const sch_format_t *fmt(void) {
  const sch_format_t *f = sch_format_find("PROTOBUF");
  assert_non_null(f);
  return f;
}

static sch_schema_t *parse_refs(const char *text, bool normalize, const sch_reference_t *refs, size_t n) {
  sch_parse_opts_t opts = {.refs = refs, .n_refs = n, .validate = true, .normalize = normalize};
  sch_error_t err = {0};
  sch_schema_t *s = sch_schema_parse(fmt(), text, strlen(text), &opts, &err);
  if (!s) fail_msg("parse failed: %s\n%s", err.message, text);
  return s;
}

static sch_schema_t *parse(const char *text, bool normalize) { return parse_refs(text, normalize, NULL, 0); }

static char *normalized(const char *text) {
  sch_schema_t *s = parse(text, true);
  char *out = strdup(sch_schema_canonical(s, NULL));
  sch_schema_destroy(s);
  return out;
}

static void test_reordered_variants_normalize_alike(void **state) {
  (void)state;
  const char *a = "syntax = \"proto3\";\npackage n;\n"
                  "import \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/duration.proto\";\n"
                  "option java_package = \"x\";\noption go_package = \"y\";\n"
                  "message M {\n  reserved 9, 7 to 8;\n  int32 b = 2;\n  string a = 1;\n"
                  "  google.protobuf.Timestamp t = 3;\n  oneof o { int32 z = 6; int32 y = 5; }\n"
                  "  map<string, Inner> m = 4;\n  message Inner { E e = 1; }\n  enum E { Z = 0; B = 2; A = 1; }\n}\n";
  const char *b = "syntax = \"proto3\";\npackage n;\n"
                  "import \"google/protobuf/duration.proto\";\nimport \"google/protobuf/timestamp.proto\";\n"
                  "option go_package = \"y\";\noption java_package = \"x\";\n"
                  "message M {\n  reserved 7 to 8, 9;\n  map<string, .n.M.Inner> m = 4;\n  string a = 1;\n"
                  "  oneof o { int32 y = 5; int32 z = 6; }\n  int32 b = 2;\n  .google.protobuf.Timestamp t = 3;\n"
                  "  message Inner { M.E e = 1; }\n  enum E { Z = 0; A = 1; B = 2; }\n}\n";
  char *na = normalized(a), *nb = normalized(b);
  assert_string_equal(na, nb);
  /* sorted and qualified */
  assert_true(strstr(na, "duration.proto") < strstr(na, "timestamp.proto"));
  assert_true(strstr(na, "go_package") < strstr(na, "java_package"));
  assert_true(strstr(na, "string a = 1;") < strstr(na, "int32 b = 2;"));
  assert_true(strstr(na, "int32 b = 2;") < strstr(na, "oneof o"));
  assert_true(strstr(na, "int32 y = 5;") < strstr(na, "int32 z = 6;"));
  assert_non_null(strstr(na, ".google.protobuf.Timestamp t = 3;"));
  assert_non_null(strstr(na, "map<string, .n.M.Inner> m = 4;"));
  assert_non_null(strstr(na, ".n.M.E e = 1;"));
  assert_true(strstr(na, "A = 1;") < strstr(na, "B = 2;"));
  assert_true(strstr(na, "reserved 7 to 8;") < strstr(na, "reserved 9;"));
  /* without normalize the texts differ */
  sch_schema_t *pa = parse(a, false), *pb = parse(b, false);
  assert_string_not_equal(sch_schema_canonical(pa, NULL), sch_schema_canonical(pb, NULL));
  sch_schema_destroy(pa);
  sch_schema_destroy(pb);
  free(na);
  free(nb);
}

static void test_proto2_loses_its_syntax_line_when_normalized(void **state) {
  (void)state;
  char *n = normalized("syntax = \"proto2\";\nmessage M {\n  optional int32 a = 1 [default = 5];\n}\n");
  assert_null(strstr(n, "syntax"));
  assert_non_null(strstr(n, "optional int32 a = 1 [default = 5];"));
  char *again = normalized(n);
  assert_string_equal(n, again);
  free(n);
  free(again);
}

/* The full names of every message of file in message-index order. */
static void message_names(const sch_pb_message_t *const *ms, size_t n, char *out, size_t size) {
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(out);
    snprintf(out + len, size - len, "%s,", ms[i]->full_name);
    message_names(ms[i]->nested, ms[i]->n_nested, out, size);
  }
}

/* Returns false (checking nothing) when the row's dependencies cannot build
 * the schema: rows 270/271 reference two versions of google.proto but carry
 * one text. */
static bool check_row_schema(const char *text, const sch_reference_t *refs, size_t n_refs, int line) {
  sch_parse_opts_t opts = {.refs = refs, .n_refs = n_refs};
  sch_error_t err = {0};
  sch_schema_t *plain = sch_schema_parse(fmt(), text, strlen(text), &opts, &err);
  if (!plain && err.code == SCH_ERR_REFERENCE) return false;
  if (!plain) fail_msg("line %d: parse failed: %s", line, err.message);
  sch_schema_t *norm = parse_refs(text, true, refs, n_refs);
  const char *ntext = sch_schema_canonical(norm, NULL);
  sch_schema_t *again = parse_refs(ntext, true, refs, n_refs);
  if (strcmp(ntext, sch_schema_canonical(again, NULL)) != 0)
    fail_msg("line %d: normalizing is not idempotent:\n%s\n---\n%s", line, ntext, sch_schema_canonical(again, NULL));
  static char names_a[65536], names_b[65536];
  names_a[0] = names_b[0] = '\0';
  const sch_pb_file_t *fa = sch_pb_schema_file(sch_proto_schema_resolved(plain));
  const sch_pb_file_t *fb = sch_pb_schema_file(sch_proto_schema_resolved(again));
  message_names(fa->messages, fa->n_messages, names_a, sizeof names_a);
  message_names(fb->messages, fb->n_messages, names_b, sizeof names_b);
  if (strcmp(names_a, names_b) != 0) fail_msg("line %d: message order changed: %s vs %s", line, names_a, names_b);
  sch_schema_destroy(again);
  sch_schema_destroy(norm);
  sch_schema_destroy(plain);
  return true;
}

static void test_every_corpus_schema_normalizes_stably(void **state) {
  (void)state;
  FILE *f = compat_cases_open();
  assert_non_null(f);
  char *line = NULL;
  size_t cap = 0;
  int lineno = 0, checked = 0, unbuildable = 0;
  while (getline(&line, &cap, f) > 0) {
    lineno++;
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") != 0) {
      json_decref(row);
      continue;
    }
    sch_reference_t refs[16];
    size_t n_refs = 0;
    const char *name;
    json_t *text;
    json_object_foreach(json_object_get(row, "dependencies"), name, text) {
      assert_true(n_refs < 16);
      refs[n_refs++] = (sch_reference_t){name, json_string_value(text), json_string_length(text)};
    }
    size_t i;
    json_t *old;
    json_array_foreach(json_object_get(row, "old"), i, old) {
      if (check_row_schema(json_string_value(old), refs, n_refs, lineno))
        checked++;
      else
        unbuildable++;
    }
    if (check_row_schema(json_string_value(json_object_get(row, "new")), refs, n_refs, lineno))
      checked++;
    else
      unbuildable++;
    json_decref(row);
  }
  free(line);
  fclose(f);
  assert_true(checked >= 150);
  assert_true(unbuildable <= 2);
}

static void test_base64_descriptor_is_accepted_as_text(void **state) {
  (void)state;
  const char *text = "syntax = \"proto3\";\npackage t;\n\nmessage Thing {\n  int64 id = 1;\n  string name = 2;\n}\n";
  sch_schema_t *s = parse(text, false);
  sch_error_t err = {0};
  size_t len = 0;
  char *b64 = sch_schema_render(s, "serialized", &len, &err);
  assert_non_null(b64);
  assert_int_equal(strlen(b64), len);
  sch_schema_t *back = parse(b64, false);
  assert_string_equal(sch_schema_canonical(back, NULL), sch_schema_canonical(s, NULL));
  /* other formats are not rendered */
  assert_null(sch_schema_render(s, "default", &len, &err));
  assert_int_equal(err.code, SCH_OK);
  free(b64);
  sch_schema_destroy(back);
  sch_schema_destroy(s);
}

static void test_compatibility_goes_through_the_diff(void **state) {
  (void)state;
  sch_schema_t *old = parse("syntax = \"proto3\";\nmessage T {\n  int32 a = 1;\n}\n", false);
  sch_schema_t *wider = parse("syntax = \"proto3\";\nmessage T {\n  int64 a = 1;\n  string b = 2;\n}\n", false);
  sch_schema_t *other = parse("syntax = \"proto3\";\nmessage T {\n  sint32 a = 1;\n}\n", false);
  sch_compat_prev_t prev = {old, 1};
  sch_messages_t msgs = {0};
  sch_error_t err = {0};
  bool ok = false;
  assert_int_equal(sch_compat_check(SCH_COMPAT_FULL, wider, &prev, 1, &ok, &msgs, &err), SCH_OK);
  assert_true(ok);
  assert_int_equal(sch_compat_check(SCH_COMPAT_BACKWARD, other, &prev, 1, &ok, &msgs, &err), SCH_OK);
  assert_false(ok);
  assert_true(msgs.count >= 1);
  assert_non_null(strstr(msgs.items[0], "errorType:\"FIELD_SCALAR_KIND_CHANGED\""));
  assert_non_null(strstr(msgs.items[0], "#/T/1"));
  sch_messages_fini(&msgs);
  sch_schema_destroy(other);
  sch_schema_destroy(wider);
  sch_schema_destroy(old);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reordered_variants_normalize_alike),
      cmocka_unit_test(test_proto2_loses_its_syntax_line_when_normalized),
      cmocka_unit_test(test_every_corpus_schema_normalizes_stably),
      cmocka_unit_test(test_base64_descriptor_is_accepted_as_text),
      cmocka_unit_test(test_compatibility_goes_through_the_diff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
