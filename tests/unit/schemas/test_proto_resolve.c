// SPDX-License-Identifier: Apache-2.0
/* Tests of the Protobuf resolver (proto_resolve*.c, proto_index.c,
 * proto_builtin.c): full names and protoc's scoping, map entries and groups
 * at their declaration position, json names, synthetic oneofs, packed and
 * default values, imports (references, built-ins, public imports,
 * visibility), every error with its code and position, limits, message
 * indexes and field lookups. Where protoc is installed, the resolved nodes
 * are compared with protoc's own FileDescriptorSet for a corpus of tricky
 * files, the conformance schemas and every built-in file. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* cmocka needs the standard headers above */
#include <cmocka.h>

#include "compat_cases.h"
#include "proto_test_files.h"
#include "google/protobuf/descriptor.pb-c.h"
#include "proto_builtin.h"
#include "proto_resolve_int.h"
#include "schemas/proto_schema.h"

/* ---- helpers ------------------------------------------------------------- */

static sch_pb_schema_t *build_refs(const char *text, const sch_reference_t *refs, size_t n) {
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(text, strlen(text), refs, n, &err);
  if (!s) {
    fail_msg("build failed: %s\n%s", err.message, text);
  }
  return s;
}

static sch_pb_schema_t *build(const char *text) {
  return build_refs(text, NULL, 0);
}

static void expect_error_refs(const char *text, const sch_reference_t *refs, size_t n, sch_code_t code,
                              const char *want) {
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(text, strlen(text), refs, n, &err);
  if (s) {
    sch_pb_schema_destroy(s);
    fail_msg("expected an error (%s) for:\n%s", want, text);
  }
  if (err.code != code || !strstr(err.message, want)) {
    fail_msg("got code %d \"%s\", want code %d with \"%s\"", (int)err.code, err.message, (int)code, want);
  }
}

static void expect_error(const char *text, sch_code_t code, const char *want) {
  expect_error_refs(text, NULL, 0, code, want);
}

static sch_reference_t ref(const char *name, const char *text) {
  return (sch_reference_t){name, text, strlen(text)};
}

static const sch_pb_message_t *msg(const sch_pb_schema_t *s, const char *full_name) {
  const sch_pb_message_t *m = sch_pb_find_message(s, full_name);
  if (!m) {
    fail_msg("message %s not found", full_name);
  }
  return m;
}

static const sch_pb_field_t *field(const sch_pb_message_t *m, const char *name) {
  const sch_pb_field_t *f = sch_pb_field_by_name(m, name);
  if (!f) {
    fail_msg("field %s.%s not found", m->full_name, name);
  }
  return f;
}

/* Asserts field `name` of message `full` has type_name `want` (NULL for scalars). */
static void assert_type_name(const sch_pb_schema_t *s, const char *full, const char *name, const char *want) {
  const sch_pb_field_t *f = field(msg(s, full), name);
  if (!want) {
    assert_null(f->type_name);
  } else {
    assert_non_null(f->type_name);
    assert_string_equal(f->type_name, want);
  }
}

/* "A,B,C": the names of m's nested messages in order. */
static void assert_nested(const sch_pb_message_t *m, const char *want) {
  char got[1024] = "";
  for (size_t i = 0; i < m->n_nested; i++) {
    strcat(got, i ? "," : "");
    strncat(got, m->nested[i]->name, sizeof got - strlen(got) - 1);
  }
  assert_string_equal(got, want);
}

/* ---- names and scoping ----------------------------------------------------- */

static void test_proto_resolve_builds_full_names_and_field_types(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\npackage a.b;\n"
      "message Outer {\n  message Inner { Kind k = 1; }\n  enum Kind { K0 = 0; }\n"
      "  Inner i = 1;\n  Kind k = 2;\n  string s = 3;\n  repeated Outer self = 4;\n}\n"
      "enum Top { T0 = 0; }\n");
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  assert_string_equal(f->path, "");
  assert_string_equal(f->package, "a.b");
  assert_int_equal(f->syntax, SCH_PROTO3);
  assert_int_equal(f->n_messages, 1);
  assert_int_equal(f->n_enums, 1);
  assert_string_equal(f->enums[0]->full_name, "a.b.Top");
  assert_null(f->enums[0]->parent);
  const sch_pb_message_t *outer = f->messages[0];
  assert_string_equal(outer->full_name, "a.b.Outer");
  assert_ptr_equal(outer->file, f);
  assert_null(outer->parent);
  assert_int_equal(outer->n_fields, 4);
  const sch_pb_message_t *inner = msg(s, ".a.b.Outer.Inner");
  assert_ptr_equal(inner->parent, outer);
  assert_string_equal(inner->name, "Inner");
  const sch_pb_field_t *i = field(outer, "i");
  assert_int_equal(i->type, SCH_PB_MESSAGE);
  assert_ptr_equal(i->message, inner);
  assert_string_equal(i->type_name, ".a.b.Outer.Inner");
  const sch_pb_field_t *k = field(outer, "k");
  assert_int_equal(k->type, SCH_PB_ENUM);
  assert_ptr_equal(k->enm, sch_pb_find_enum(s, "a.b.Outer.Kind"));
  assert_string_equal(k->type_name, ".a.b.Outer.Kind");
  assert_int_equal(field(outer, "s")->type, SCH_PB_STRING);
  assert_null(field(outer, "s")->type_name);
  assert_int_equal(field(outer, "self")->label, SCH_PB_REPEATED);
  assert_ptr_equal(field(outer, "self")->message, outer);
  assert_string_equal(field(inner, "k")->type_name, ".a.b.Outer.Kind");
  assert_ptr_equal(field(outer, "i")->src, outer->src->elems->next->next->u.field);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_searches_the_innermost_scope_first(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "package p;\n"
      "message T { optional int32 x = 1; }\n"
      "message A {\n  message T { optional int32 y = 1; }\n"
      "  message B { optional T t = 1; optional .p.T top = 2; }\n"
      "  optional T t = 1;\n}\n"
      "message C { optional T t = 1; }\n");
  assert_type_name(s, "p.A.B", "t", ".p.A.T");
  assert_type_name(s, "p.A.B", "top", ".p.T");
  assert_type_name(s, "p.A", "t", ".p.A.T");
  assert_type_name(s, "p.C", "t", ".p.T");
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_lets_the_first_component_choose_the_scope(void **state) {
  (void)state;
  /* protoc: "Bar" is found in Foo, so Bar.Baz must be Foo.Bar.Baz */
  expect_error(
      "package p;\nmessage Bar { message Baz {} }\n"
      "message Foo {\n  message Bar {}\n  optional Bar.Baz baz = 1;\n}\n",
      SCH_ERR_REFERENCE, "line 5:3: field \"baz\": type \"Bar.Baz\" resolves to \"p.Foo.Bar.Baz\"");
  sch_pb_schema_t *s = build(
      "package p;\nmessage Bar { message Baz {} }\n"
      "message Foo {\n  message Bar {}\n  optional .p.Bar.Baz baz = 1;\n"
      "  optional p.Bar.Baz b2 = 2;\n}\n");
  assert_type_name(s, "p.Foo", "baz", ".p.Bar.Baz");
  assert_type_name(s, "p.Foo", "b2", ".p.Bar.Baz");
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_skips_names_that_are_not_types(void **state) {
  (void)state;
  /* the field "Foo" itself is no type: the lookup goes on outwards */
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\npackage p;\nmessage Foo { int32 x = 1; }\n"
      "message M {\n  Foo Foo = 1;\n}\n"
      "enum E { RED = 0; }\nmessage N { E e = 1; }\n");
  assert_type_name(s, "p.M", "Foo", ".p.Foo");
  assert_type_name(s, "p.N", "e", ".p.E");
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_finds_names_through_package_prefixes(void **state) {
  (void)state;
  sch_reference_t dep = ref("dep.proto", "syntax = \"proto3\";\npackage a.b;\nmessage D { int32 x = 1; }\n");
  sch_pb_schema_t *s = build_refs(
      "syntax = \"proto3\";\npackage a.b.c;\nimport \"dep.proto\";\n"
      "message M {\n  D d1 = 1;\n  b.D d2 = 2;\n  a.b.D d3 = 3;\n  .a.b.D d4 = 4;\n}\n",
      &dep, 1);
  for (const char *n = "1"; *n <= '4'; n = *n == '1' ? "2" : *n == '2' ? "3" : *n == '3' ? "4" : "5") {
    char name[4] = {'d', *n, 0};
    assert_type_name(s, "a.b.c.M", name, ".a.b.D");
  }
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_rejects_unknown_types_with_position(void **state) {
  (void)state;
  expect_error("syntax = \"proto3\";\nmessage M {\n  Foo f = 1;\n}\n", SCH_ERR_REFERENCE,
               "line 3:3: field \"f\": type \"Foo\" is not defined");
  expect_error("syntax = \"proto3\";\nmessage M {\n  map<string, Nope> m = 1;\n}\n", SCH_ERR_REFERENCE,
               "field \"m\": type \"Nope\" is not defined");
  expect_error("syntax = \"proto3\";\nmessage M { int32 x = 1; }\nservice S { rpc R (M) returns (Q); }\n",
               SCH_ERR_REFERENCE, "rpc \"R\": type \"Q\" is not defined");
}

static void test_proto_resolve_rejects_packages_and_services_as_types(void **state) {
  (void)state;
  expect_error("syntax = \"proto3\";\npackage a.b;\nmessage M {\n  a.b f = 1;\n}\n", SCH_ERR_INVALID,
               "line 4:3: field \"f\": \"a.b\" is not a message or enum type");
  expect_error("syntax = \"proto3\";\nmessage M { S f = 1; }\nservice S { rpc R (M) returns (M); }\n",
               SCH_ERR_INVALID, "field \"f\": \"S\" is not a message or enum type");
  expect_error("syntax = \"proto3\";\nenum E { Z = 0; }\nservice S { rpc R (E) returns (E); }\n",
               SCH_ERR_INVALID, "rpc \"R\": \"E\" is not a message type");
}

static void test_proto_resolve_rejects_names_defined_twice(void **state) {
  (void)state;
  sch_reference_t dep = ref("dep.proto", "syntax = \"proto3\";\npackage p;\nmessage M { int32 x = 1; }\n");
  expect_error_refs("syntax = \"proto3\";\npackage p;\nimport \"dep.proto\";\nmessage M { int32 y = 1; }\n",
                    &dep, 1, SCH_ERR_INVALID, "line 4:1: \"p.M\" is already defined in \"dep.proto\"");
  expect_error(
      "syntax = \"proto3\";\nmessage M {\n  map<string, string> foo = 1;\n"
      "  message FooEntry { int32 x = 1; }\n}\n",
      SCH_ERR_INVALID, "\"M.FooEntry\" is already defined");
  expect_error("syntax = \"proto3\";\nenum A { X = 0; }\nenum B { X = 0; }\n", SCH_ERR_INVALID,
               "\"X\" is already defined");
  sch_reference_t pkg = ref("pkg.proto", "syntax = \"proto3\";\npackage foo;\nmessage Q { int32 x = 1; }\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"pkg.proto\";\nmessage foo { int32 y = 1; }\n", &pkg, 1,
                    SCH_ERR_INVALID, "\"foo\" is already defined (as a package) in \"pkg.proto\"");
}

/* ---- layout: map entries, groups, oneofs, json names ------------------------ */

static void test_proto_resolve_places_map_entries_at_their_declaration(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\npackage p;\nmessage M {\n"
      "  map<string, Line> foo_bar = 1;\n  message Line { int32 n = 1; }\n"
      "  map<int32, E> _x_y = 2;\n  enum E { Z = 0; }\n  message Last {}\n"
      "  map<bool, bytes> Done = 3;\n}\n");
  const sch_pb_message_t *m = msg(s, "p.M");
  assert_nested(m, "FooBarEntry,Line,XYEntry,Last,DoneEntry");
  const sch_pb_message_t *e = m->nested[0];
  assert_true(e->map_entry);
  assert_null(e->src);
  assert_ptr_equal(e->parent, m);
  assert_string_equal(e->full_name, "p.M.FooBarEntry");
  assert_int_equal(e->n_fields, 2);
  assert_string_equal(e->fields[0].name, "key");
  assert_int_equal(e->fields[0].number, 1);
  assert_int_equal(e->fields[0].type, SCH_PB_STRING);
  assert_int_equal(e->fields[0].label, SCH_PB_OPTIONAL);
  assert_string_equal(e->fields[1].name, "value");
  assert_int_equal(e->fields[1].number, 2);
  assert_int_equal(e->fields[1].type, SCH_PB_MESSAGE);
  assert_string_equal(e->fields[1].type_name, ".p.M.Line");
  assert_null(e->fields[1].src);
  const sch_pb_field_t *fb = field(m, "foo_bar");
  assert_int_equal(fb->label, SCH_PB_REPEATED);
  assert_int_equal(fb->type, SCH_PB_MESSAGE);
  assert_ptr_equal(fb->message, e);
  assert_string_equal(fb->type_name, ".p.M.FooBarEntry");
  assert_false(fb->packed);
  assert_int_equal(m->nested[2]->fields[1].type, SCH_PB_ENUM);
  assert_int_equal(m->nested[2]->fields[0].type, SCH_PB_INT32);
  assert_false(m->nested[1]->map_entry);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_turns_groups_into_nested_messages(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "package p;\nmessage M {\n  message A {}\n"
      "  optional group Result = 1 { optional string url = 2; }\n  message B {}\n"
      "  oneof o { group Choice = 3 { optional int32 c = 4; } }\n}\n");
  const sch_pb_message_t *m = msg(s, "p.M");
  assert_nested(m, "A,Result,B,Choice");
  const sch_pb_field_t *r = field(m, "result");
  assert_int_equal(r->type, SCH_PB_GROUP);
  assert_string_equal(r->type_name, ".p.M.Result");
  assert_ptr_equal(r->message, m->nested[1]);
  assert_false(m->nested[1]->map_entry);
  assert_non_null(m->nested[1]->src);
  assert_int_equal(field(m, "choice")->oneof_index, 0);
  assert_string_equal(field(msg(s, "p.M.Result"), "url")->json_name, "url");
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_derives_json_names_like_protoc(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\nmessage M {\n  int32 foo_bar = 1;\n  int32 _lead = 2;\n"
      "  int32 trail_ = 3;\n  int32 a__b = 4;\n  int32 x_1y = 5;\n  int32 CamelCase = 6;\n"
      "  int32 custom = 7 [json_name = \"my-name\"];\n  int32 a_b_c = 8;\n}\n");
  const sch_pb_message_t *m = msg(s, "M");
  const char *want[][2] = {{"foo_bar", "fooBar"}, {"_lead", "Lead"}, {"trail_", "trail"},
                           {"a__b", "aB"},        {"x_1y", "x1y"},   {"CamelCase", "CamelCase"},
                           {"custom", "my-name"}, {"a_b_c", "aBC"}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_string_equal(field(m, want[i][0])->json_name, want[i][1]);
  }
  assert_ptr_equal(sch_pb_field_by_name(m, "my-name"), field(m, "custom"));
  assert_ptr_equal(sch_pb_field_by_name(m, "fooBar"), field(m, "foo_bar"));
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_gives_proto3_optional_a_synthetic_oneof_after_real_ones(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\nmessage M {\n  optional int32 a = 1;\n"
      "  oneof real { string r = 2; }\n  optional string _b = 3;\n  int32 _c = 4;\n"
      "  optional int32 c = 5;\n  int32 plain = 6;\n}\n");
  const sch_pb_message_t *m = msg(s, "M");
  assert_int_equal(m->n_oneofs, 4);
  assert_string_equal(m->oneofs[0].name, "real");
  assert_false(m->oneofs[0].synthetic);
  assert_non_null(m->oneofs[0].src);
  assert_string_equal(m->oneofs[1].name, "_a");
  assert_true(m->oneofs[1].synthetic);
  assert_null(m->oneofs[1].src);
  assert_string_equal(m->oneofs[2].name, "X_b"); /* "_b" is the field's own name */
  assert_string_equal(m->oneofs[3].name, "X_c"); /* "_c" is a field: protoc prefixes X */
  assert_true(field(m, "a")->proto3_optional);
  assert_int_equal(field(m, "a")->oneof_index, 1);
  assert_int_equal(field(m, "r")->oneof_index, 0);
  assert_false(field(m, "r")->proto3_optional);
  assert_int_equal(field(m, "_b")->oneof_index, 2);
  assert_int_equal(field(m, "c")->oneof_index, 3);
  assert_int_equal(field(m, "plain")->oneof_index, -1);
  assert_false(field(m, "plain")->proto3_optional);
  assert_int_equal(field(m, "plain")->label, SCH_PB_OPTIONAL);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_marks_packed_fields(void **state) {
  (void)state;
  sch_pb_schema_t *s3 = build(
      "syntax = \"proto3\";\nenum E { Z = 0; }\nmessage M {\n  repeated int32 a = 1;\n"
      "  repeated E b = 2;\n  repeated bool c = 3;\n  repeated string d = 4;\n"
      "  repeated M e = 5;\n  repeated double f = 6 [packed = false];\n  int32 g = 7;\n"
      "  repeated bytes h = 8;\n}\n");
  const sch_pb_message_t *m = msg(s3, "M");
  const char *packed = "abc", *not_packed = "defgh";
  for (const char *p = packed; *p; p++) {
    char n[2] = {*p, 0};
    assert_true(field(m, n)->packed);
  }
  for (const char *p = not_packed; *p; p++) {
    char n[2] = {*p, 0};
    assert_false(field(m, n)->packed);
  }
  sch_pb_schema_destroy(s3);
  sch_pb_schema_t *s2 = build(
      "message M {\n  repeated int32 a = 1;\n  repeated int32 b = 2 [packed = true];\n"
      "  repeated sint64 c = 3 [packed = false];\n}\n");
  m = msg(s2, "M");
  assert_false(field(m, "a")->packed);
  assert_true(field(m, "b")->packed);
  assert_false(field(m, "c")->packed);
  sch_pb_schema_destroy(s2);
}

static void test_proto_resolve_writes_defaults_in_descriptor_form(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "enum E { A = 0; B = 1; }\nmessage M {\n"
      "  optional int32 i = 1 [default = -0x10];\n"
      "  optional uint64 u = 2 [default = 18446744073709551615];\n"
      "  optional double d = 3 [default = 1.5e3];\n  optional float f = 4 [default = -inf];\n"
      "  optional double n = 5 [default = nan];\n  optional double g = 6 [default = 0.1];\n"
      "  optional bool b = 7 [default = true];\n  optional E e = 8 [default = B];\n"
      "  optional string s = 9 [default = \"a\\\"b\\n\"];\n"
      "  optional bytes y = 10 [default = \"\\001a'\\\\\\xff\"];\n"
      "  optional int64 o = 11 [default = 017];\n  optional float h = 12 [default = 0x10];\n"
      "  optional int32 none = 13;\n  optional sint32 m = 14 [default = -2147483648];\n}\n");
  const sch_pb_message_t *m = msg(s, "M");
  const char *want[][2] = {{"i", "-16"},        {"u", "18446744073709551615"},
                           {"d", "1500"},       {"f", "-inf"},
                           {"n", "nan"},        {"g", "0.1"},
                           {"b", "true"},       {"e", "B"},
                           {"s", "a\"b\n"},     {"y", "\\001a\\'\\\\\\377"},
                           {"o", "15"},         {"h", "16"},
                           {"m", "-2147483648"}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    const sch_pb_field_t *f = field(m, want[i][0]);
    if (!f->default_value || strcmp(f->default_value, want[i][1]) != 0) {
      fail_msg("field %s: default %s, want %s", want[i][0], f->default_value ? f->default_value : "(none)",
               want[i][1]);
    }
  }
  assert_null(field(m, "none")->default_value);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_rejects_defaults_that_do_not_fit(void **state) {
  (void)state;
  expect_error("message M { optional int32 i = 1 [default = 2147483648]; }", SCH_ERR_INVALID,
               "field \"i\": default 2147483648 is not a valid int32");
  expect_error("message M { optional uint32 i = 1 [default = -1]; }", SCH_ERR_INVALID,
               "is not a valid uint32");
  expect_error("message M { optional int32 i = 1 [default = 1.5]; }", SCH_ERR_INVALID,
               "is not a valid int32");
  expect_error("message M { optional bool b = 1 [default = 1]; }", SCH_ERR_INVALID, "is not a valid bool");
  expect_error("message M { optional string s = 1 [default = abc]; }", SCH_ERR_INVALID,
               "is not a valid string");
  expect_error("enum E { A = 0; }\nmessage M { optional E e = 1 [default = C]; }", SCH_ERR_INVALID,
               "default C is not a valid value of the enum");
  expect_error("message M { optional M m = 1 [default = 1]; }", SCH_ERR_INVALID,
               "messages can't have default values");
  expect_error("message M { repeated int32 r = 1 [default = 1]; }", SCH_ERR_INVALID,
               "repeated fields can't have default values");
}

/* ---- imports ---------------------------------------------------------------- */

static void test_proto_resolve_imports_references(void **state) {
  (void)state;
  sch_reference_t refs[] = {
      ref("b.proto", "syntax = \"proto3\";\npackage pb;\nimport \"c.proto\";\nmessage B { pc.C c = 1; }\n"),
      ref("c.proto", "syntax = \"proto3\";\npackage pc;\nmessage C { int32 x = 1; }\n"),
      ref("unused.proto", "this is not even protobuf"),
  };
  sch_pb_schema_t *s =
      build_refs("syntax = \"proto3\";\nimport \"b.proto\";\nmessage M { pb.B b = 1; }\n", refs, 3);
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  assert_int_equal(f->n_deps, 1);
  assert_string_equal(f->deps[0]->path, "b.proto");
  assert_false(f->deps[0]->builtin);
  assert_int_equal(f->deps[0]->n_deps, 1);
  assert_string_equal(f->deps[0]->deps[0]->path, "c.proto");
  assert_string_equal(f->deps[0]->deps[0]->package, "pc");
  assert_type_name(s, "M", "b", ".pb.B");
  assert_ptr_equal(field(msg(s, "M"), "b")->message->file, f->deps[0]);
  assert_non_null(sch_pb_find_message(s, "pc.C")); /* everything imported is found */
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_sees_public_imports_but_not_plain_transitive_ones(void **state) {
  (void)state;
  sch_reference_t refs[] = {
      ref("pub.proto", "syntax = \"proto3\";\nimport public \"deep.proto\";\nimport \"hidden.proto\";\n"),
      ref("deep.proto", "syntax = \"proto3\";\nmessage Deep { int32 x = 1; }\n"),
      ref("hidden.proto", "syntax = \"proto3\";\nmessage Hidden { int32 x = 1; }\n"),
  };
  sch_pb_schema_t *s =
      build_refs("syntax = \"proto3\";\nimport \"pub.proto\";\nmessage M { Deep d = 1; }\n", refs, 3);
  assert_type_name(s, "M", "d", ".Deep");
  sch_pb_schema_destroy(s);
  expect_error_refs(
      "syntax = \"proto3\";\nimport \"pub.proto\";\nmessage M {\n  Hidden h = 1;\n}\n", refs, 3,
      SCH_ERR_REFERENCE,
      "line 4:3: field \"h\": type \"Hidden\" is defined in \"hidden.proto\", which is not imported");
}

static void test_proto_resolve_imports_builtins_without_references(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\n"
      "import \"google/type/date.proto\";\nimport \"confluent/type/decimal.proto\";\n"
      "message M {\n  google.protobuf.Timestamp ts = 1;\n  google.type.Date d = 2;\n"
      "  confluent.type.Decimal dec = 3;\n}\n");
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  assert_int_equal(f->n_deps, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_true(f->deps[i]->builtin);
  }
  assert_type_name(s, "M", "ts", ".google.protobuf.Timestamp");
  assert_type_name(s, "M", "d", ".google.type.Date");
  assert_type_name(s, "M", "dec", ".confluent.type.Decimal");
  assert_int_equal(field(msg(s, "google.type.Date"), "day")->number, 3);
  assert_int_equal(field(msg(s, "confluent.type.Decimal"), "scale")->type, SCH_PB_INT32);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_prefers_references_over_builtins(void **state) {
  (void)state;
  sch_reference_t mine =
      ref("google/type/date.proto",
          "syntax = \"proto3\";\npackage google.type;\nmessage Date { string iso = 1; }\n");
  sch_pb_schema_t *s = build_refs(
      "syntax = \"proto3\";\nimport \"google/type/date.proto\";\n"
      "message M { google.type.Date d = 1; }\n",
      &mine, 1);
  const sch_pb_file_t *dep = sch_pb_schema_file(s)->deps[0];
  assert_false(dep->builtin);
  assert_non_null(sch_pb_field_by_name(msg(s, "google.type.Date"), "iso"));
  assert_null(sch_pb_field_by_name(msg(s, "google.type.Date"), "year"));
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_rejects_missing_imports(void **state) {
  (void)state;
  expect_error("syntax = \"proto3\";\nimport \"nope.proto\";\n", SCH_ERR_REFERENCE,
               "line 2:1: import \"nope.proto\" was not found");
  sch_reference_t a = ref("a.proto", "syntax = \"proto3\";\n\nimport \"gone.proto\";\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"a.proto\";\n", &a, 1, SCH_ERR_REFERENCE,
                    "a.proto: line 3:1: import \"gone.proto\" was not found");
}

static void test_proto_resolve_rejects_import_cycles(void **state) {
  (void)state;
  sch_reference_t refs[] = {
      ref("a.proto", "syntax = \"proto3\";\nimport \"b.proto\";\n"),
      ref("b.proto", "syntax = \"proto3\";\nimport \"c.proto\";\n"),
      ref("c.proto", "syntax = \"proto3\";\nimport \"a.proto\";\n"),
      ref("self.proto", "syntax = \"proto3\";\nimport \"self.proto\";\n"),
  };
  expect_error_refs("syntax = \"proto3\";\nimport \"a.proto\";\n", refs, 4, SCH_ERR_INVALID,
                    "import cycle: a.proto -> b.proto -> c.proto -> a.proto");
  expect_error_refs("syntax = \"proto3\";\nimport \"self.proto\";\n", refs, 4, SCH_ERR_INVALID,
                    "import cycle: self.proto -> self.proto");
  /* a diamond is no cycle */
  sch_reference_t diamond[] = {
      ref("l.proto", "syntax = \"proto3\";\nimport \"base.proto\";\n"),
      ref("r.proto", "syntax = \"proto3\";\nimport \"base.proto\";\n"),
      ref("base.proto", "syntax = \"proto3\";\nmessage Base { int32 x = 1; }\n"),
  };
  sch_pb_schema_t *s =
      build_refs("syntax = \"proto3\";\nimport \"l.proto\";\nimport \"r.proto\";\n", diamond, 3);
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  assert_ptr_equal(f->deps[0]->deps[0], f->deps[1]->deps[0]);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_names_the_file_of_errors_in_imports(void **state) {
  (void)state;
  sch_reference_t bad = ref("bad.proto", "syntax = \"proto3\";\nmessage B {\n  int32 x = ;\n}\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"bad.proto\";\n", &bad, 1, SCH_ERR_INVALID,
                    "bad.proto: line 3:");
  sch_reference_t unknown = ref("u.proto", "syntax = \"proto3\";\nmessage U {\n  Missing m = 1;\n}\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"u.proto\";\n", &unknown, 1, SCH_ERR_REFERENCE,
                    "u.proto: line 3:3: field \"m\": type \"Missing\" is not defined");
  expect_error("syntax = \"proto3\";\nimport \"a.proto\";\nimport \"a.proto\";\n", SCH_ERR_REFERENCE,
               "import \"a.proto\" was not found");
  sch_reference_t a = ref("a.proto", "syntax = \"proto3\";\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"a.proto\";\nimport \"a.proto\";\n", &a, 1,
                    SCH_ERR_INVALID, "line 3:1: import \"a.proto\" was listed twice");
}

static void test_proto_resolve_rejects_proto2_enums_in_proto3_messages(void **state) {
  (void)state;
  sch_reference_t e2 = ref("e2.proto", "syntax = \"proto2\";\nenum Closed { A = 1; }\n");
  expect_error_refs("syntax = \"proto3\";\nimport \"e2.proto\";\nmessage M {\n  Closed c = 1;\n}\n", &e2, 1,
                    SCH_ERR_INVALID, "line 4:3: field \"c\": enum \"Closed\" is a proto2 enum");
  sch_pb_schema_t *s = build_refs(
      "syntax = \"proto2\";\nimport \"e2.proto\";\nmessage M { optional Closed c = 1; }\n", &e2, 1);
  assert_int_equal(field(msg(s, "M"), "c")->type, SCH_PB_ENUM);
  sch_pb_schema_destroy(s);
}

static void test_proto_resolve_resolves_extensions_and_services(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\n"
      "message Base { extensions 100 to max; }\nmessage Opt { optional string v = 1; }\n"
      "extend google.protobuf.FieldOptions { optional Opt opt = 50000; }\n"
      "message Holder {\n  extend Base { optional Holder h = 100; repeated int32 r = 101; }\n}\n"
      "service S { rpc Call (Base) returns (stream Holder); }\n");
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  size_t n = 0;
  const sch__pb_extension_t *x = sch__pb_file_extensions(f, &n);
  assert_int_equal(n, 3);
  assert_string_equal(x[0].extendee, ".google.protobuf.FieldOptions");
  assert_null(x[0].scope);
  assert_string_equal(x[0].field.type_name, ".p.Opt");
  assert_string_equal(x[0].field.json_name, "opt");
  assert_ptr_equal(x[0].target, sch_pb_find_message(s, "google.protobuf.FieldOptions"));
  assert_string_equal(x[1].extendee, ".p.Base");
  assert_ptr_equal(x[1].scope, msg(s, "p.Holder"));
  assert_string_equal(x[1].field.type_name, ".p.Holder");
  assert_int_equal(x[2].field.type, SCH_PB_INT32);
  assert_int_equal(x[2].field.label, SCH_PB_REPEATED);
  assert_int_equal(msg(s, "p.Holder")->n_fields, 0);
  const sch__pb_service_t *sv = sch__pb_file_services(f, &n);
  assert_int_equal(n, 1);
  assert_string_equal(sv->full_name, "p.S");
  assert_int_equal(sv->n_methods, 1);
  assert_string_equal(sv->methods[0].input_type, ".p.Base");
  assert_string_equal(sv->methods[0].output_type, ".p.Holder");
  sch_pb_schema_destroy(s);
  expect_error(
      "syntax = \"proto2\";\nmessage Base { extensions 100 to 199; }\n"
      "extend Base { optional int32 x = 200; }\n",
      SCH_ERR_INVALID, "extension \"x\": \"Base\" does not declare 200 as an extension number");
  expect_error("syntax = \"proto2\";\nextend Nope { optional int32 x = 200; }\n", SCH_ERR_REFERENCE,
               "extension \"x\": type \"Nope\" is not defined");
}

/* ---- limits ------------------------------------------------------------------ */

static void test_proto_resolve_limits_the_number_of_files(void **state) {
  (void)state;
  size_t n = SCH_PB_MAX_FILES;
  sch_reference_t *refs = calloc(n, sizeof(*refs));
  char **names = calloc(n, sizeof(*names));
  sch_buf_t main_text = {0};
  sch__buf_puts(&main_text, "syntax = \"proto3\";\n");
  for (size_t i = 0; i < n; i++) {
    names[i] = malloc(32);
    snprintf(names[i], 32, "f%zu.proto", i);
    refs[i] = ref(names[i], "syntax = \"proto3\";\n");
    sch__buf_printf(&main_text, "import \"%s\";\n", names[i]);
  }
  expect_error_refs(main_text.data, refs, n, SCH_ERR_LIMIT, "more than 1000 files");
  /* one fewer import fits (the schema itself is a file) */
  char *cut = strstr(main_text.data, "import \"f999.proto\";");
  *cut = '\0';
  sch_pb_schema_t *s = build_refs(main_text.data, refs, n);
  assert_int_equal(sch_pb_schema_file(s)->n_deps, n - 1);
  sch_pb_schema_destroy(s);
  for (size_t i = 0; i < n; i++) {
    free(names[i]);
  }
  free(names);
  free(refs);
  sch__buf_fini(&main_text);
}

static void test_proto_resolve_limits_named_types_over_all_files(void **state) {
  (void)state;
  sch_buf_t a = {0}, b = {0};
  sch__buf_puts(&a, "syntax = \"proto3\";\npackage a;\n");
  sch__buf_puts(&b, "syntax = \"proto3\";\npackage b;\nimport \"a.proto\";\n");
  for (int i = 0; i < SCH_MAX_NAMED_TYPES / 2; i++) {
    sch__buf_printf(&a, "message M%d {}\n", i);
    sch__buf_printf(&b, "message M%d {}\n", i);
  }
  sch_reference_t r = ref("a.proto", a.data);
  sch_pb_schema_t *s = build_refs(b.data, &r, 1);
  sch_pb_schema_destroy(s);
  sch__buf_puts(&b, "enum OneMore { Z = 0; }\n");
  expect_error_refs(b.data, &r, 1, SCH_ERR_LIMIT, "more than 10000 messages and enums");
  sch__buf_fini(&a);
  sch__buf_fini(&b);
}

static void test_proto_resolve_limits_the_depth_of_imports(void **state) {
  (void)state;
  enum { N = SCH_MAX_DEPTH + 1 };
  sch_reference_t refs[N];
  char names[N][16], texts[N][64];
  for (int i = 0; i < N; i++) {
    snprintf(names[i], sizeof names[i], "d%d.proto", i);
    if (i + 1 < N) {
      snprintf(texts[i], sizeof texts[i], "syntax = \"proto3\";\nimport \"d%d.proto\";\n", i + 1);
    } else {
      snprintf(texts[i], sizeof texts[i], "syntax = \"proto3\";\n");
    }
    refs[i] = ref(names[i], texts[i]);
  }
  expect_error_refs("syntax = \"proto3\";\nimport \"d0.proto\";\n", refs, N, SCH_ERR_LIMIT,
                    "imports nest deeper than 64 files");
  sch_pb_schema_t *s = build_refs("syntax = \"proto3\";\nimport \"d2.proto\";\n", refs, N);
  sch_pb_schema_destroy(s);
}

/* ---- indexes and lookups -------------------------------------------------------- */

static void test_proto_resolve_message_indexes_count_map_entries(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\npackage p;\nmessage A {}\nmessage B {\n"
      "  map<string, string> m = 1;\n  message C { message D {} }\n}\n");
  const sch_pb_file_t *f = sch_pb_schema_file(s);
  int32_t idx[8];
  const sch_pb_message_t *d = msg(s, "p.B.C.D");
  assert_int_equal(sch_pb_message_indexes(d, idx, 8), 3);
  assert_int_equal(idx[0], 1);
  assert_int_equal(idx[1], 1); /* MEntry is nested[0] */
  assert_int_equal(idx[2], 0);
  assert_ptr_equal(sch_pb_message_at(f, idx, 3), d);
  assert_int_equal(sch_pb_message_indexes(d, idx, 2), 3); /* too small: length only */
  assert_int_equal(sch_pb_message_indexes(msg(s, "p.A"), idx, 8), 1);
  assert_int_equal(idx[0], 0);
  assert_ptr_equal(sch_pb_message_at(f, NULL, 0), msg(s, "p.A"));
  int32_t entry[] = {1, 0};
  assert_true(sch_pb_message_at(f, entry, 2)->map_entry);
  int32_t bad1[] = {2}, bad2[] = {-1}, bad3[] = {0, 0};
  assert_null(sch_pb_message_at(f, bad1, 1));
  assert_null(sch_pb_message_at(f, bad2, 1));
  assert_null(sch_pb_message_at(f, bad3, 2));
  sch_pb_schema_destroy(s);
  sch_pb_schema_t *empty = build("syntax = \"proto3\";\nenum E { Z = 0; }\n");
  assert_null(sch_pb_message_at(sch_pb_schema_file(empty), NULL, 0));
  sch_pb_schema_destroy(empty);
}

static void test_proto_resolve_finds_fields_by_number_and_name(void **state) {
  (void)state;
  sch_pb_schema_t *s = build(
      "syntax = \"proto3\";\nmessage M {\n  int32 z = 30;\n  int32 a_b = 2;\n"
      "  oneof o { int32 m = 15; }\n  int32 q = 1;\n}\n");
  const sch_pb_message_t *m = msg(s, "M");
  int32_t nums[] = {30, 2, 15, 1};
  for (size_t i = 0; i < 4; i++) {
    assert_ptr_equal(sch_pb_field_by_number(m, nums[i]), &m->fields[i]);
  }
  assert_null(sch_pb_field_by_number(m, 3));
  assert_null(sch_pb_field_by_number(m, 31));
  assert_null(sch_pb_field_by_number(m, 0));
  assert_ptr_equal(sch_pb_field_by_name(m, "a_b"), &m->fields[1]);
  assert_ptr_equal(sch_pb_field_by_name(m, "aB"), &m->fields[1]);
  assert_null(sch_pb_field_by_name(m, "ab"));
  assert_null(sch_pb_field_by_name(m, NULL));
  assert_null(sch_pb_field_by_number(NULL, 1));
  assert_null(sch_pb_find_message(s, "N"));
  assert_null(sch_pb_find_enum(s, "M"));
  assert_null(sch_pb_find_message(NULL, "M"));
  sch_pb_schema_destroy(s);
}

/* ---- built-ins ------------------------------------------------------------------ */

static void test_proto_resolve_builtin_text_covers_the_documented_files(void **state) {
  (void)state;
  const char *paths[] = {"google/protobuf/any.proto",
                         "google/protobuf/api.proto",
                         "google/protobuf/descriptor.proto",
                         "google/protobuf/duration.proto",
                         "google/protobuf/empty.proto",
                         "google/protobuf/field_mask.proto",
                         "google/protobuf/source_context.proto",
                         "google/protobuf/struct.proto",
                         "google/protobuf/timestamp.proto",
                         "google/protobuf/type.proto",
                         "google/protobuf/wrappers.proto",
                         "google/type/calendar_period.proto",
                         "google/type/color.proto",
                         "google/type/date.proto",
                         "google/type/datetime.proto",
                         "google/type/dayofweek.proto",
                         "google/type/decimal.proto",
                         "google/type/expr.proto",
                         "google/type/fraction.proto",
                         "google/type/interval.proto",
                         "google/type/latlng.proto",
                         "google/type/money.proto",
                         "google/type/month.proto",
                         "google/type/phone_number.proto",
                         "google/type/postal_address.proto",
                         "google/type/quaternion.proto",
                         "google/type/timeofday.proto",
                         "confluent/meta.proto",
                         "confluent/type/decimal.proto",
                         "confluent/type/variant.proto"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    size_t len = 0;
    const char *t = sch_pb_builtin_text(paths[i], &len);
    if (!t) {
      fail_msg("%s is not built in", paths[i]);
    }
    assert_int_equal(len, strlen(t));
    assert_non_null(strstr(t, "syntax"));
  }
  size_t len = 7;
  assert_null(sch_pb_builtin_text("google/type/nope.proto", &len));
  assert_int_equal(len, 7);
  assert_null(sch_pb_builtin_text(NULL, &len));
}

static void test_proto_resolve_resolves_every_builtin_file(void **state) {
  (void)state;
  size_t n = 0;
  for (const sch__pb_builtin_t *b = sch__pb_builtins; b->path; b++, n++) {
    char text[256];
    snprintf(text, sizeof text, "syntax = \"proto3\";\nimport \"%s\";\n", b->path);
    sch_pb_schema_t *s = build(text);
    const sch_pb_file_t *dep = sch_pb_schema_file(s)->deps[0];
    assert_true(dep->builtin);
    assert_string_equal(dep->path, b->path);
    assert_true(dep->n_messages + dep->n_enums > 0);
    sch_pb_schema_destroy(s);
    /* and as the schema itself */
    sch_pb_schema_destroy(build(b->text));
  }
  assert_true(n >= 30);
  sch_pb_schema_t *s = build("syntax = \"proto3\";\nimport \"confluent/meta.proto\";\n");
  const sch_pb_message_t *meta = msg(s, "confluent.Meta");
  assert_int_equal(field(meta, "params")->type, SCH_PB_MESSAGE);
  assert_true(field(meta, "params")->message->map_entry);
  size_t nx = 0;
  const sch__pb_extension_t *x = sch__pb_file_extensions(sch_pb_schema_file(s)->deps[0], &nx);
  assert_int_equal(nx, 5);
  for (size_t i = 0; i < nx; i++) {
    assert_int_equal(x[i].field.number, 1088);
    assert_string_equal(x[i].field.type_name, ".confluent.Meta");
  }
  sch_pb_schema_destroy(s);
}

/* ---- protoc cross-checks ---------------------------------------------------------- */



/* protoc's FileDescriptorSet (with imports) for main.proto and deps; NULL
 * (with the reason on stderr) if protoc rejects the files. */
static Google__Protobuf__FileDescriptorSet *protoc_set(const char *text, const sch_reference_t *refs,
                                                       size_t n) {
  char dir[] = "/tmp/weir-resolve-XXXXXX";
  assert_non_null(mkdtemp(dir));
  proto_test_write(dir, "main.proto", text, strlen(text));
  for (size_t i = 0; i < n; i++) {
    proto_test_write(dir, refs[i].name, refs[i].schema, strlen(refs[i].schema));
  }
  const char *src = getenv("WEIR_SOURCE_DIR");
  char cmd[8192];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && protoc -I . -I '%s/schemas/wkt' -I /usr/include --include_imports "
           "--descriptor_set_out=out.pb main.proto 2>err.txt",
           dir, src ? src : ".");
  int rc = system(cmd);
  Google__Protobuf__FileDescriptorSet *set = NULL;
  if (rc == 0) {
    char path[4096];
    snprintf(path, sizeof path, "%s/out.pb", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1 << 22];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    set = google__protobuf__file_descriptor_set__unpack(NULL, len, buf);
    assert_non_null(set);
  } else {
    snprintf(cmd, sizeof cmd, "cat '%s/err.txt' >&2", dir);
    (void)system(cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  return set;
}

static void same_str(const char *what, const char *want, const char *got) {
  if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0)) {
    fail_msg("%s: protoc says \"%s\", weir \"%s\"", what, want ? want : "(none)", got ? got : "(none)");
  }
}

static void same_int(const char *what, long want, long got) {
  if (want != got) {
    fail_msg("%s: protoc says %ld, weir %ld", what, want, got);
  }
}

static void compare_field(const char *where, const Google__Protobuf__FieldDescriptorProto *pf,
                          const sch_pb_field_t *f) {
  char what[600];
  snprintf(what, sizeof what, "%s.%s", where, pf->name);
  same_str(what, pf->name, f->name);
  same_int(what, pf->number, f->number);
  same_int(what, pf->label, f->label);
  same_int(what, pf->type, f->type);
  same_str(what, pf->type_name, f->type_name);
  same_str(what, pf->json_name, f->json_name);
  same_str(what, pf->default_value, f->default_value);
  same_int(what, pf->has_oneof_index ? pf->oneof_index : -1, f->oneof_index);
  same_int(what, pf->has_proto3_optional && pf->proto3_optional, f->proto3_optional);
  if (pf->options && pf->options->has_packed) {
    same_int(what, pf->options->packed, f->packed);
  }
}

static void compare_enum(const Google__Protobuf__EnumDescriptorProto *pe, const sch_pb_enum_t *e) {
  same_str("enum", pe->name, e->name);
  same_int(e->full_name, (long)pe->n_value, (long)e->n_values);
  for (size_t i = 0; i < pe->n_value; i++) {
    same_str(e->full_name, pe->value[i]->name, e->values[i].name);
    same_int(e->full_name, pe->value[i]->number, e->values[i].number);
  }
}

static void compare_message(const Google__Protobuf__DescriptorProto *pm, const sch_pb_message_t *m) {
  same_str("message", pm->name, m->name);
  const char *w = m->full_name;
  same_int(w, (long)pm->n_field, (long)m->n_fields);
  for (size_t i = 0; i < pm->n_field; i++) {
    compare_field(w, pm->field[i], &m->fields[i]);
  }
  same_int(w, (long)pm->n_oneof_decl, (long)m->n_oneofs);
  for (size_t i = 0; i < pm->n_oneof_decl; i++) {
    same_str(w, pm->oneof_decl[i]->name, m->oneofs[i].name);
  }
  same_int(w, pm->options && pm->options->has_map_entry && pm->options->map_entry, m->map_entry);
  same_int(w, (long)pm->n_nested_type, (long)m->n_nested);
  for (size_t i = 0; i < pm->n_nested_type; i++) {
    compare_message(pm->nested_type[i], m->nested[i]);
  }
  same_int(w, (long)pm->n_enum_type, (long)m->n_enums);
  for (size_t i = 0; i < pm->n_enum_type; i++) {
    compare_enum(pm->enum_type[i], m->enums[i]);
  }
}

static const sch_pb_file_t *file_by_path(const sch_pb_file_t *f, const char *path) {
  if (strcmp(f->path, path) == 0) {
    return f;
  }
  for (size_t i = 0; i < f->n_deps; i++) {
    const sch_pb_file_t *d = file_by_path(f->deps[i], path);
    if (d) {
      return d;
    }
  }
  return NULL;
}

static void compare_file(const Google__Protobuf__FileDescriptorProto *pf, const sch_pb_file_t *f) {
  same_str("package", pf->package, f->package);
  same_int(pf->name, (long)pf->n_dependency, (long)f->n_deps);
  same_int(pf->name, (long)pf->n_message_type, (long)f->n_messages);
  for (size_t i = 0; i < pf->n_message_type; i++) {
    compare_message(pf->message_type[i], f->messages[i]);
  }
  same_int(pf->name, (long)pf->n_enum_type, (long)f->n_enums);
  for (size_t i = 0; i < pf->n_enum_type; i++) {
    compare_enum(pf->enum_type[i], f->enums[i]);
  }
  size_t nx = 0;
  const sch__pb_extension_t *x = sch__pb_file_extensions(f, &nx);
  size_t top = 0;
  for (size_t i = 0; i < nx; i++) {
    if (!x[i].scope) {
      assert_true(top < pf->n_extension);
      compare_field(pf->name, pf->extension[top], &x[i].field);
      same_str(pf->name, pf->extension[top]->extendee, x[i].extendee);
      top++;
    }
  }
  same_int(pf->name, (long)pf->n_extension, (long)top);
}

/* Resolves text with refs and compares every file with protoc's view.
 * Returns false (after saying why) when protoc is missing or rejects it. */
static bool matches_protoc(const char *text, const sch_reference_t *refs, size_t n) {
  Google__Protobuf__FileDescriptorSet *set = protoc_set(text, refs, n);
  if (!set) {
    return false;
  }
  sch_pb_schema_t *s = build_refs(text, refs, n);
  for (size_t i = 0; i < set->n_file; i++) {
    const char *name = set->file[i]->name;
    const sch_pb_file_t *f = file_by_path(sch_pb_schema_file(s), strcmp(name, "main.proto") == 0 ? "" : name);
    if (!f) {
      fail_msg("protoc has file %s, weir does not", name);
    }
    compare_file(set->file[i], f);
  }
  sch_pb_schema_destroy(s);
  google__protobuf__file_descriptor_set__free_unpacked(set, NULL);
  return true;
}

static const char *const tricky[] = {
    /* map entries among nested messages, json names, synthetic oneofs */
    "syntax = \"proto3\";\npackage t.one;\nmessage M {\n  map<string, Line> foo_bar = 1;\n"
    "  message Line { repeated int32 n = 1; optional string _s = 2; }\n  optional int32 opt = 2;\n"
    "  oneof real { string r = 3; Line l = 4; }\n  map<int64, E> Mixed_Case_2 = 5;\n  enum E { Z = 0; }\n"
    "  oneof _c { int32 q = 6; }\n  optional int32 c = 7;\n  repeated E es = 8;\n  int32 x__y_ = 9 "
    "[json_name = \"xy\"];\n}\n"
    "message Other { M.Line l = 1; t.one.M m = 2; .t.one.M.E e = 3; }\n",
    /* proto2: groups, defaults, packed, extensions */
    "syntax = \"proto2\";\npackage t.two;\nenum Color { RED = 1; GREEN = 2; }\n"
    "message G {\n  optional group Res = 1 { optional string url = 2 [default = \"a\\tb\"]; }\n"
    "  message After {}\n  repeated group Many = 3 { required int32 n = 4; }\n"
    "  optional Color c = 5 [default = GREEN];\n  optional bytes b = 6 [default = \"\\0\\x7f\\\"\"];\n"
    "  optional double d = 7 [default = -1e-7];\n  optional float f = 8 [default = 3.14159265358979];\n"
    "  optional int64 i = 9 [default = -0x7fffffffffffffff];\n  optional uint32 u = 10 [default = 0777];\n"
    "  repeated int32 p = 11 [packed = true];\n  optional double big = 12 [default = 1e300];\n"
    "  optional float inf = 13 [default = inf];\n  optional double ni = 14 [default = -nan];\n"
    "  optional double nz = 17 [default = -0];\n  optional int32 iz = 18 [default = -0];\n"
    "  optional float fz = 19 [default = -0.0];\n  optional sint64 big_neg = 20 [default = "
    "-9223372036854775808];\n"
    "  extensions 100 to 200;\n  oneof o { group Og = 15 { optional int32 z = 16; } }\n}\n"
    "extend G { optional int32 ext = 100; optional group Eg = 101 { optional int32 q = 1; } }\n"
    "message Scope {\n  message Before {}\n  extend G { repeated Color cs = 102; optional group Sg = 103 { "
    "optional int32 w = 1; } }\n"
    "  map<string, G> gs = 1;\n  message After {}\n}\n",
    /* scoping through packages and shadowing */
    "syntax = \"proto3\";\npackage a.b.c;\nmessage b { message X { int32 v = 1; } }\n"
    "message Y { b.X x = 1; c.b.X y = 2; a.b.c.b.X z = 3; }\n"
    "message Z { message b { message X {} } b.X inner = 1; .a.b.c.b.X outer = 2; }\n",
    /* well-known imports */
    "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nimport "
    "\"google/protobuf/struct.proto\";\n"
    "import \"google/type/datetime.proto\";\nimport \"google/type/phone_number.proto\";\n"
    "message W {\n  google.protobuf.Timestamp t = 1;\n  google.protobuf.Struct s = 2;\n"
    "  google.type.DateTime dt = 3;\n  google.type.PhoneNumber.ShortCode sc = 4;\n"
    "  map<string, google.protobuf.Value> vals = 5;\n}\n",
};

static void test_proto_resolve_matches_protoc_on_tricky_files(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    fprintf(stderr, "skipped: protoc not installed\n");
    skip();
  }
  for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
    if (!matches_protoc(tricky[i], NULL, 0)) {
      fail_msg("protoc rejected tricky file %zu", i);
    }
  }
}

static void test_proto_resolve_survives_every_prefix_of_a_file(void **state) {
  (void)state;
  for (size_t t = 0; t < sizeof tricky / sizeof tricky[0]; t++) {
    size_t len = strlen(tricky[t]);
    for (size_t n = 0; n <= len; n++) {
      sch_error_t err = {0};
      sch_pb_schema_t *s = sch_pb_schema_build(tricky[t], n, NULL, 0, &err);
      if (s) {
        assert_non_null(sch_pb_schema_file(s));
        sch_pb_schema_destroy(s);
      } else {
        assert_true(err.code != SCH_OK && err.message[0] != '\0');
      }
    }
  }
}

static void test_proto_resolve_matches_protoc_on_every_builtin_file(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    fprintf(stderr, "skipped: protoc not installed\n");
    skip();
  }
  /* one schema importing every built-in: protoc sees them all */
  sch_buf_t text = {0};
  sch__buf_puts(&text, "syntax = \"proto3\";\n");
  for (const sch__pb_builtin_t *b = sch__pb_builtins; b->path; b++) {
    sch__buf_printf(&text, "import \"%s\";\n", b->path);
  }
  assert_true(matches_protoc(text.data, NULL, 0));
  sch__buf_fini(&text);
}

/* ---- conformance corpus --------------------------------------------------------- */

/* True if the row's old and new schemas reference one name at different
 * versions: its single "dependencies" map holds only one of the texts, so
 * one side may not resolve against it. */
static bool versions_differ(json_t *row) {
  size_t i, j;
  json_t *o, *n;
  json_array_foreach(json_object_get(row, "old_references"), i, o) {
    json_array_foreach(json_object_get(row, "new_references"), j, n) {
      if (json_equal(json_object_get(o, "name"), json_object_get(n, "name")) &&
          !json_equal(json_object_get(o, "version"), json_object_get(n, "version"))) {
        return true;
      }
    }
  }
  return false;
}

/* Builds one conformance schema with the row's dependencies as references
 * and, with protoc, compares the result. Returns 1 if it was built. */
static size_t conformance_schema(const char *text, json_t *deps, bool protoc, bool may_miss) {
  size_t n = json_object_size(deps), i = 0;
  sch_reference_t *refs = calloc(n ? n : 1, sizeof(*refs));
  const char *key;
  json_t *v;
  json_object_foreach(deps, key, v) {
    refs[i++] = ref(key, json_string_value(v));
  }
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(text, strlen(text), refs, n, &err);
  if (!s && may_miss && err.code == SCH_ERR_REFERENCE) {
    free(refs);
    return 0;
  }
  if (!s) {
    fail_msg("build failed: %s\n%s", err.message, text);
  }
  sch_pb_schema_destroy(s);
  if (protoc && !matches_protoc(text, refs, n)) {
    fail_msg("protoc rejects a conformance schema weir accepts:\n%s", text);
  }
  free(refs);
  return 1;
}

static void test_proto_resolve_builds_every_conformance_schema(void **state) {
  (void)state;
  bool protoc = proto_test_have_protoc();
  FILE *f = compat_cases_open();
  assert_non_null(f);
  static char line[1 << 20];
  size_t rows = 0, schemas = 0, missed = 0;
  while (fgets(line, sizeof line, f)) {
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") == 0) {
      rows++;
      json_t *deps = json_object_get(row, "dependencies");
      bool may_miss = versions_differ(row);
      size_t i, built;
      json_t *v;
      json_array_foreach(json_object_get(row, "old"), i, v) {
        schemas += built = conformance_schema(json_string_value(v), deps, protoc, may_miss);
        missed += !built;
      }
      schemas += built =
          conformance_schema(json_string_value(json_object_get(row, "new")), deps, protoc, may_miss);
      missed += !built;
    }
    json_decref(row);
  }
  fclose(f);
  fprintf(stderr, "%zu protobuf rows, %zu schemas resolved%s, %zu without their dependency version\n", rows,
          schemas, protoc ? " and compared with protoc" : "", missed);
  assert_true(rows > 0);
  assert_true(missed <= 2);
}

static void test_proto_resolve_wkt_files_are_accepted_by_protoc(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    fprintf(stderr, "skipped: protoc not installed\n");
    skip();
  }
  const char *src = getenv("WEIR_SOURCE_DIR");
  size_t n = 0;
  for (const sch__pb_builtin_t *b = sch__pb_builtins; b->path; b++) {
    if (strncmp(b->path, "google/protobuf/", 16) == 0) {
      continue;
    }
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "protoc -I '%s/schemas/wkt' -I /usr/include --descriptor_set_out=/dev/null '%s'",
             src ? src : ".", b->path);
    if (system(cmd) != 0) {
      fail_msg("protoc rejects %s", b->path);
    }
    n++;
  }
  assert_int_equal(n, 19);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_proto_resolve_builds_full_names_and_field_types),
      cmocka_unit_test(test_proto_resolve_searches_the_innermost_scope_first),
      cmocka_unit_test(test_proto_resolve_lets_the_first_component_choose_the_scope),
      cmocka_unit_test(test_proto_resolve_skips_names_that_are_not_types),
      cmocka_unit_test(test_proto_resolve_finds_names_through_package_prefixes),
      cmocka_unit_test(test_proto_resolve_rejects_unknown_types_with_position),
      cmocka_unit_test(test_proto_resolve_rejects_packages_and_services_as_types),
      cmocka_unit_test(test_proto_resolve_rejects_names_defined_twice),
      cmocka_unit_test(test_proto_resolve_places_map_entries_at_their_declaration),
      cmocka_unit_test(test_proto_resolve_turns_groups_into_nested_messages),
      cmocka_unit_test(test_proto_resolve_derives_json_names_like_protoc),
      cmocka_unit_test(test_proto_resolve_gives_proto3_optional_a_synthetic_oneof_after_real_ones),
      cmocka_unit_test(test_proto_resolve_marks_packed_fields),
      cmocka_unit_test(test_proto_resolve_writes_defaults_in_descriptor_form),
      cmocka_unit_test(test_proto_resolve_rejects_defaults_that_do_not_fit),
      cmocka_unit_test(test_proto_resolve_imports_references),
      cmocka_unit_test(test_proto_resolve_sees_public_imports_but_not_plain_transitive_ones),
      cmocka_unit_test(test_proto_resolve_imports_builtins_without_references),
      cmocka_unit_test(test_proto_resolve_prefers_references_over_builtins),
      cmocka_unit_test(test_proto_resolve_rejects_missing_imports),
      cmocka_unit_test(test_proto_resolve_rejects_import_cycles),
      cmocka_unit_test(test_proto_resolve_names_the_file_of_errors_in_imports),
      cmocka_unit_test(test_proto_resolve_rejects_proto2_enums_in_proto3_messages),
      cmocka_unit_test(test_proto_resolve_resolves_extensions_and_services),
      cmocka_unit_test(test_proto_resolve_limits_the_number_of_files),
      cmocka_unit_test(test_proto_resolve_limits_named_types_over_all_files),
      cmocka_unit_test(test_proto_resolve_limits_the_depth_of_imports),
      cmocka_unit_test(test_proto_resolve_message_indexes_count_map_entries),
      cmocka_unit_test(test_proto_resolve_finds_fields_by_number_and_name),
      cmocka_unit_test(test_proto_resolve_builtin_text_covers_the_documented_files),
      cmocka_unit_test(test_proto_resolve_resolves_every_builtin_file),
      cmocka_unit_test(test_proto_resolve_matches_protoc_on_tricky_files),
      cmocka_unit_test(test_proto_resolve_survives_every_prefix_of_a_file),
      cmocka_unit_test(test_proto_resolve_matches_protoc_on_every_builtin_file),
      cmocka_unit_test(test_proto_resolve_builds_every_conformance_schema),
      cmocka_unit_test(test_proto_resolve_wkt_files_are_accepted_by_protoc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
