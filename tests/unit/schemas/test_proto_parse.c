// SPDX-License-Identifier: Apache-2.0
/* Tests of the .proto parser (proto_lex.c, proto_parse*.c, proto_check.c) and
 * printer (proto_print.c): each construct parses and prints as expected, each
 * error names line:col and what was expected, limits give SCH_ERR_LIMIT, no
 * prefix of a valid file crashes, and printing is a fixed point over a corpus
 * (Protobuf schemas of compat-cases.jsonl, and Debian's google/protobuf .proto files
 * when libprotobuf-dev is installed). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "schemas/proto_model.h"
#include "compat_cases.h"
#include "proto_test_files.h"

/* Parses, prints, re-parses and re-prints; asserts the two prints agree and
 * returns the first (caller frees). Fails the test if text does not parse. */
static char *round_trip(const char *text, size_t len, const char *what) {
  sch_error_t err = {0};
  sch_proto_file_t *f = sch_proto_parse(text, len, &err);
  if (!f) {
    fail_msg("%s: parse failed: %s", what, err.message);
  }
  size_t n1 = 0, n2 = 0;
  char *p1 = sch_proto_print(f, &n1, &err);
  assert_non_null(p1);
  sch_proto_file_t *g = sch_proto_parse(p1, n1, &err);
  if (!g) {
    fail_msg("%s: printed text does not parse: %s\n%s", what, err.message, p1);
  }
  char *p2 = sch_proto_print(g, &n2, &err);
  assert_non_null(p2);
  if (n1 != n2 || memcmp(p1, p2, n1) != 0) {
    fail_msg("%s: printing is not a fixed point:\n%s\n---\n%s", what, p1, p2);
  }
  free(p2);
  sch_proto_file_destroy(g);
  sch_proto_file_destroy(f);
  return p1;
}

static void assert_prints(const char *text, const char *want) {
  char *got = round_trip(text, strlen(text), text);
  assert_string_equal(got, want);
  free(got);
}

static void assert_error(const char *text, sch_code_t code, const char *want) {
  sch_error_t err = {0};
  sch_proto_file_t *f = sch_proto_parse(text, strlen(text), &err);
  if (f) {
    sch_proto_file_destroy(f);
    fail_msg("expected an error for %s", text);
  }
  assert_int_equal(err.code, code);
  if (!strstr(err.message, want)) {
    fail_msg("message \"%s\" lacks \"%s\"", err.message, want);
  }
}

static sch_proto_file_t *parse_ok(const char *text) {
  sch_error_t err = {0};
  sch_proto_file_t *f = sch_proto_parse(text, strlen(text), &err);
  if (!f) {
    fail_msg("parse failed: %s", err.message);
  }
  return f;
}

/* ---- constructs ------------------------------------------------------------ */

static void test_proto_parse_prints_minimal_proto3_file(void **state) {
  (void)state;
  assert_prints("syntax = \"proto3\"; package a.b;\nmessage M { string s = 1; }",
                "syntax = \"proto3\";\npackage a.b;\n\nmessage M {\n  string s = 1;\n}\n");
}

static void test_proto_parse_defaults_to_proto2_without_syntax(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok("message M { optional int32 a = 1; }");
  assert_int_equal(f->syntax, SCH_PROTO2);
  assert_int_equal(f->syntax_written, 0);
  sch_proto_file_destroy(f);
}

static void test_proto_parse_keeps_imports_with_kinds(void **state) {
  (void)state;
  sch_proto_file_t *f =
      parse_ok("syntax = \"proto3\"; import \"a.proto\"; import public \"b.proto\"; import weak 'c.proto';");
  assert_string_equal(f->imports->path, "a.proto");
  assert_int_equal(f->imports->kind, SCH_PROTO_IMPORT);
  assert_int_equal(f->imports->next->kind, SCH_PROTO_IMPORT_PUBLIC);
  assert_int_equal(f->imports->next->next->kind, SCH_PROTO_IMPORT_WEAK);
  assert_string_equal(f->imports->next->next->path, "c.proto");
  sch_proto_file_destroy(f);
}

static void test_proto_parse_reads_field_parts(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok(
      "syntax = \"proto2\";\nmessage M {\n  repeated .a.B bs = 0x10 [packed = true, "
      "json_name = \"x\"];\n}");
  const sch_proto_message_t *m = f->elems->u.message;
  const sch_proto_field_t *fl = m->elems->u.field;
  assert_int_equal(fl->label, SCH_PROTO_LABEL_REPEATED);
  assert_string_equal(fl->type, ".a.B");
  assert_string_equal(fl->name, "bs");
  assert_int_equal(fl->number, 16);
  assert_int_equal(fl->line, 3);
  assert_int_equal(fl->col, 3);
  assert_string_equal(fl->options->name, "packed");
  assert_int_equal(fl->options->value.kind, SCH_PROTO_CONST_IDENT);
  assert_string_equal(fl->options->next->value.text, "x");
  assert_int_equal(fl->options->next->value.kind, SCH_PROTO_CONST_STRING);
  sch_proto_file_destroy(f);
}

static void test_proto_parse_reads_map_fields(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok("syntax = \"proto3\"; message M { map<string, .x.V> m = 1; }");
  const sch_proto_field_t *fl = f->elems->u.message->elems->u.field;
  assert_string_equal(fl->map_key, "string");
  assert_string_equal(fl->type, ".x.V");
  sch_proto_file_destroy(f);
  assert_prints("syntax = \"proto3\"; message M { map < int64 , V > m = 1 ; }",
                "syntax = \"proto3\";\n\nmessage M {\n  map<int64, V> m = 1;\n}\n");
}

static void test_proto_parse_prints_oneofs_and_nested_types(void **state) {
  (void)state;
  assert_prints(
      "syntax = \"proto3\";\nmessage M { message N { } oneof o { option (x) = 1; int32 a = 1; N n = 2; } "
      "enum E { Z = 0; } optional string p = 3; }",
      "syntax = \"proto3\";\n\nmessage M {\n  oneof o {\n    option (x) = 1;\n    int32 a = 1;\n    N n = "
      "2;\n"
      "  }\n  optional string p = 3;\n\n  message N {\n  }\n\n  enum E {\n    Z = 0;\n  }\n}\n");
}

static void test_proto_parse_prints_reserved_and_extensions(void **state) {
  (void)state;
  assert_prints(
      "message M { reserved 2, 15, 9 to 11, 40 to max; reserved 'a', \"b\"; extensions 100 to 199 "
      "[(verify) = true]; extensions 5; }",
      "message M {\n  reserved 2, 15, 9 to 11, 40 to max;\n  reserved \"a\", \"b\";\n"
      "  extensions 100 to 199 [(verify) = true];\n  extensions 5;\n}\n");
}

static void test_proto_parse_prints_enums_with_options_and_reserved(void **state) {
  (void)state;
  assert_prints(
      "enum E { option allow_alias = true; A = 0; B = 0 [deprecated = true]; C = -3; reserved -5 to -4, "
      "100 to max; reserved \"D\"; }",
      "enum E {\n  option allow_alias = true;\n  reserved -5 to -4, 100 to max;\n"
      "  reserved \"D\";\n  A = 0;\n  B = 0 [deprecated = true];\n  C = -3;\n}\n");
}

static void test_proto_parse_prints_services(void **state) {
  (void)state;
  assert_prints(
      "syntax = \"proto3\"; service S { option (a).b = \"x\"; rpc A (Req) returns (stream .p.Resp); "
      "rpc B (stream Req) returns (Resp) { option deprecated = true; } rpc C (stream) returns (R) {} }",
      "syntax = \"proto3\";\n\nservice S {\n  option (a).b = \"x\";\n  rpc A (Req) returns (stream "
      ".p.Resp);\n"
      "  rpc B (stream Req) returns (Resp) {\n    option deprecated = true;\n  }\n"
      "  rpc C (stream) returns (R);\n}\n");
}

static void test_proto_parse_keeps_extend_blocks(void **state) {
  (void)state;
  assert_prints(
      "syntax = \"proto2\"; import \"google/protobuf/descriptor.proto\"; extend google.protobuf.FieldOptions "
      "{ optional string my_opt = 50000; }",
      "syntax = \"proto2\";\n\nimport \"google/protobuf/descriptor.proto\";\n\n"
      "extend google.protobuf.FieldOptions {\n  optional string my_opt = 50000;\n}\n");
}

static void test_proto_parse_keeps_aggregate_options_as_text(void **state) {
  (void)state;
  assert_prints("syntax = \"proto3\"; option (cfg) = { name : 'x' , n: - 5 sub { list: [1, 2] } };",
                "syntax = \"proto3\";\n\noption (cfg) = { name: \"x\", n: -5 sub { list: [1, 2] } };\n");
}

static void test_proto_parse_reads_option_names(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok("option ( .a.b ) . c . (d.e) = 1;");
  assert_string_equal(f->elems->u.option->name, "(.a.b).c.(d.e)");
  sch_proto_file_destroy(f);
}

/* ---- tokens ------------------------------------------------------------------ */

static void test_proto_lex_reads_integers_in_every_base(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok("enum E { A = 0; B = 0x7fffffff; C = -0x80000000; D = 017; E = -12; }");
  const sch_proto_enum_value_t *v = f->elems->u.enm->values;
  assert_int_equal(v->next->number, 2147483647);
  assert_int_equal(v->next->next->number, INT32_MIN);
  assert_int_equal(v->next->next->next->number, 15);
  assert_int_equal(v->next->next->next->next->number, -12);
  sch_proto_file_destroy(f);
}

static void test_proto_lex_reads_floats_inf_and_nan(void **state) {
  (void)state;
  assert_prints(
      "message M { optional double a = 1 [default = 1.5]; optional double b = 2 [default = .5e-3];"
      " optional float c = 3 [default = -inf]; optional float d = 4 [default = nan];"
      " optional double e = 5 [default = 1E10]; optional double f = 6 [default = 2.]; }",
      "message M {\n  optional double a = 1 [default = 1.5];\n"
      "  optional double b = 2 [default = .5e-3];\n  optional float c = 3 [default = -inf];\n"
      "  optional float d = 4 [default = nan];\n  optional double e = 5 [default = 1E10];\n"
      "  optional double f = 6 [default = 2.];\n}\n");
}

static void test_proto_lex_decodes_every_string_escape(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok(
      "option x = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"\\?\\0\\101\\x41\\u00e9\\U0001F600\" 'y' \"z\";");
  const sch_proto_const_t *v = &f->elems->u.option->value;
  static const char want[] = "\a\b\f\n\r\t\v\\'\"?\0AA\xc3\xa9\xf0\x9f\x98\x80yz";
  assert_int_equal(v->len, sizeof want - 1);
  assert_memory_equal(v->text, want, sizeof want - 1);
  sch_proto_file_destroy(f);
  assert_prints("option x = \"a\\0b\\\"\\n\\xff\";",
                "\noption x = \"a\\000b\\\"\\n\\377\";\n");
}

static void test_proto_lex_skips_comments(void **state) {
  (void)state;
  assert_prints("// a\nsyntax /* b */ = \"proto3\"; // c\n/* multi\nline */ message M { // d\n }\n",
                "syntax = \"proto3\";\n\nmessage M {\n}\n");
}

/* ---- errors ------------------------------------------------------------------ */

static void test_proto_parse_names_line_and_column_of_errors(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\";\nmessage M {\n  int32 id 1;\n}", SCH_ERR_INVALID,
               "line 3:12: expected \"=\" after field name \"id\"");
  assert_error("syntax = \"proto3\";\nmessage M {\n  int32 id = 1\n}", SCH_ERR_INVALID,
               "line 4:1: expected \";\" after field \"id\"");
  assert_error("syntax = \"proto3\"\nmessage M {}", SCH_ERR_INVALID,
               "line 2:1: expected \";\" after syntax statement");
  assert_error("message M {\n  optional string s = 1 [default = \"abc\n];\n}", SCH_ERR_INVALID,
               "line 2:36: unterminated string");
  assert_error("syntax = \"proto3\";\n/* open", SCH_ERR_INVALID, "line 2:1: unterminated comment");
  assert_error("syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n", SCH_ERR_INVALID,
               "line 4:1: expected \"}\" to close message");
}

static void test_proto_parse_rejects_bad_tokens(void **state) {
  (void)state;
  assert_error("enum E { A = 09; }", SCH_ERR_INVALID, "must be octal");
  assert_error("enum E { A = 0x; }", SCH_ERR_INVALID, "hex digits");
  assert_error("enum E { A = 12abc; }", SCH_ERR_INVALID, "need space between number and identifier");
  assert_error("option x = \"\\q\";", SCH_ERR_INVALID, "invalid escape");
  assert_error("option x = \"\\xZ\";", SCH_ERR_INVALID, "hex digits");
  assert_error("option x = \"\\U00110000\";", SCH_ERR_INVALID, "out of range");
  assert_error("message M \x01 {}", SCH_ERR_INVALID, "line 1:11: unexpected character");
  assert_error("option x = 1e;", SCH_ERR_INVALID, "exponent");
}

static void test_proto_parse_rejects_bad_syntax_statements(void **state) {
  (void)state;
  assert_error("edition = \"2023\";", SCH_ERR_INVALID, "line 1:1: editions are not supported");
  assert_error("syntax = \"proto4\";", SCH_ERR_INVALID, "unrecognized syntax \"proto4\"");
  assert_error("package a; syntax = \"proto3\";", SCH_ERR_INVALID, "\"syntax\" must be the first statement");
  assert_error("package a; package b;", SCH_ERR_INVALID, "line 1:12: multiple package definitions");
  assert_error("import a;", SCH_ERR_INVALID, "expected import path string");
  assert_error("syntax = \"proto3\"; foo", SCH_ERR_INVALID, "line 1:20: expected top-level statement");
}

static void test_proto_parse_reads_proto2_groups(void **state) {
  (void)state;
  sch_proto_file_t *f = parse_ok(
      "message M { repeated group Result = 1 [deprecated = true] { required string url = 2; } "
      "oneof o { group G = 3 { optional int32 a = 1; } } }");
  const sch_proto_field_t *g = f->elems->u.message->elems->u.field;
  assert_string_equal(g->type, "Result");
  assert_string_equal(g->name, "result");
  assert_non_null(g->group);
  assert_string_equal(g->group->elems->u.field->name, "url");
  sch_proto_file_destroy(f);
  assert_prints(
      "message M { optional group Data = 1 { optional int32 a = 2; message N { } } }",
      "message M {\n  optional group Data = 1 {\n    optional int32 a = 2;\n\n"
      "    message N {\n    }\n  }\n}\n");
}

static void test_proto_parse_checks_groups(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\"; message M { group G = 1 { } }", SCH_ERR_INVALID,
               "line 1:32: groups are not supported in proto3");
  assert_error("message M { optional group g = 1 { } }", SCH_ERR_INVALID,
               "line 1:28: group name must start with a capital");
  assert_error("message M { optional group G = 1 { optional int32 a = 0; } }", SCH_ERR_INVALID,
               "field \"a\": number 0 out of range");
  assert_error("message M { optional group G = 1 { } optional int32 g = 2; }", SCH_ERR_INVALID,
               "field \"g\" is already defined in \"M\"");
}

static void test_proto_parse_allows_message_set_extension_numbers(void **state) {
  (void)state;
  sch_proto_file_destroy(parse_ok("extend M { optional N ext = 2147483646; }"));
}

static void test_proto_parse_prints_in_confluent_layout(void **state) {
  (void)state;
  /* Row 0 of compat-cases.jsonl: its "new" text is Confluent's own printing. */
  assert_prints(
      "syntax = \"proto3\";\npackage foo;\nmessage TestMessage {\n    string test_string = 1;\n"
      "    .foo.TestMessage.Status test_int = 2;\n    message Status {\n    string test_string = 1;\n    }\n"
      "    float test_float = 3;\n}",
      "syntax = \"proto3\";\npackage foo;\n\nmessage TestMessage {\n  string test_string = 1;\n"
      "  .foo.TestMessage.Status test_int = 2;\n  float test_float = 3;\n\n  message Status {\n"
      "    string test_string = 1;\n  }\n}\n");
}

/* A map field after a nested message keeps its place: protoc puts map entries
 * in nested_type by declaration, and message indexes count them. */
static void test_proto_parse_keeps_map_fields_after_nested_messages_in_place(void **state) {
  (void)state;
  assert_prints("syntax = \"proto3\";\nmessage M { int32 a = 1; message L { } map<string, L> m = 2; int32 z = 3; }",
                "syntax = \"proto3\";\n\nmessage M {\n  int32 a = 1;\n\n  message L {\n  }\n"
                "  map<string, L> m = 2;\n  int32 z = 3;\n}\n");
}

static void test_proto_parse_rejects_bad_field_numbers(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\"; message M { int32 a = 0; }", SCH_ERR_INVALID,
               "field \"a\": number 0 out of range 1..536870911");
  assert_error("syntax = \"proto3\"; message M { int32 a = 536870912; }", SCH_ERR_INVALID, "out of range");
  assert_error("syntax = \"proto3\"; message M { int32 a = 19000; }", SCH_ERR_INVALID,
               "numbers 19000 through 19999 are reserved");
  assert_error("syntax = \"proto3\"; message M { int32 a = 19999; }", SCH_ERR_INVALID, "19000 through 19999");
  assert_error("syntax = \"proto3\"; message M { int32 a = 4294967296; }", SCH_ERR_INVALID,
               "integer 4294967296 out of range");
  assert_error("syntax = \"proto3\"; message M { int32 a = 99999999999999999999999; }", SCH_ERR_INVALID,
               "out of range");
  assert_error("syntax = \"proto3\"; message M { int32 a = x; }", SCH_ERR_INVALID,
               "expected integer as field number");
}

static void test_proto_parse_rejects_duplicates(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\";\nmessage M {\n  int32 a = 1;\n  oneof o { string b = 1; }\n}",
               SCH_ERR_INVALID, "line 4:13: field number 1 has already been used in \"M\" by field \"a\"");
  assert_error("syntax = \"proto3\"; message M { int32 a = 1; string a = 2; }", SCH_ERR_INVALID,
               "field \"a\" is already defined in \"M\"");
  assert_error("syntax = \"proto3\"; enum E { A = 0; B = 1; A = 2; }", SCH_ERR_INVALID,
               "enum value \"A\" is already defined in \"E\"");
  assert_error("syntax = \"proto3\"; enum E { A = 0; B = 0; }", SCH_ERR_INVALID,
               "enum value number 0 has already been used in \"E\" by enum value \"A\"");
}

static void test_proto_parse_enforces_proto3_rules(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\"; enum E { A = 1; }", SCH_ERR_INVALID,
               "enum \"E\": the first value must be zero");
  assert_error("syntax = \"proto3\"; message M { required int32 a = 1; }", SCH_ERR_INVALID,
               "required fields are not allowed in proto3");
  assert_error("syntax = \"proto3\"; message M { int32 a = 1 [default = 5]; }", SCH_ERR_INVALID,
               "default values are not allowed in proto3");
  assert_error("syntax = \"proto3\"; message M { extensions 100 to 200; }", SCH_ERR_INVALID,
               "extension ranges are not allowed in proto3");
  sch_proto_file_destroy(parse_ok("syntax = \"proto3\"; message M { optional int32 a = 1; }"));
}

static void test_proto_parse_enforces_proto2_labels(void **state) {
  (void)state;
  assert_error("message M { int32 a = 1; }", SCH_ERR_INVALID,
               "field \"a\": expected \"required\", \"optional\", or "
               "\"repeated\" in proto2");
  sch_proto_file_destroy(parse_ok("message M { oneof o { int32 a = 1; } map<string, int32> m = 2; }"));
}

static void test_proto_parse_rejects_use_of_reserved(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\"; message M { reserved 5 to 10; int32 a = 7; }", SCH_ERR_INVALID,
               "field \"a\" in \"M\" uses reserved number 7");
  assert_error("syntax = \"proto3\"; message M { reserved 'a'; int32 a = 7; }", SCH_ERR_INVALID,
               "field \"a\" in \"M\" uses a reserved name");
  assert_error("syntax = \"proto3\"; enum E { reserved 1; A = 0; B = 1; }", SCH_ERR_INVALID,
               "enum value \"B\" in \"E\" uses reserved number 1");
  assert_error("message M { extensions 100 to max; optional int32 a = 150; }", SCH_ERR_INVALID,
               "uses extension range number 150");
  assert_error("message M { reserved 10 to 5; }", SCH_ERR_INVALID, "range end 5 is before its start 10");
  assert_error("message M { reserved 1, 'a'; }", SCH_ERR_INVALID, "expected integer");
}

static void test_proto_parse_checks_map_fields(void **state) {
  (void)state;
  assert_error("syntax = \"proto3\"; message M { map<float, int32> m = 1; }", SCH_ERR_INVALID,
               "map key type \"float\" must be an integral, bool or string type");
  assert_error("syntax = \"proto3\"; message M { map<M, int32> m = 1; }", SCH_ERR_INVALID,
               "map key type \"M\"");
  assert_error("syntax = \"proto3\"; message M { repeated map<int32, int32> m = 1; }", SCH_ERR_INVALID,
               "map fields are not allowed with labels");
  assert_error("syntax = \"proto3\"; message M { oneof o { map<int32, int32> m = 1; } }", SCH_ERR_INVALID,
               "map fields are not allowed in oneofs");
  assert_error("syntax = \"proto3\"; message M { oneof o { repeated int32 m = 1; } }", SCH_ERR_INVALID,
               "fields in oneofs must not have labels");
  assert_error("syntax = \"proto3\"; message M { oneof o { } }", SCH_ERR_INVALID,
               "must have at least one field");
  sch_proto_file_destroy(
      parse_ok("syntax = \"proto3\"; message M { map<bool, bytes> a = 1; map<sfixed64, M> b = 2; }"));
}

static void test_proto_parse_rejects_bad_constants(void **state) {
  (void)state;
  assert_error("option x = ;", SCH_ERR_INVALID, "line 1:12: expected constant as option value");
  assert_error("option x = -foo;", SCH_ERR_INVALID, "expected number after \"-\"");
  assert_error("option x = { a: 1 ;", SCH_ERR_INVALID, "line 1:12: expected \"}\" to close aggregate value");
  assert_error("enum E {}", SCH_ERR_INVALID, "enum \"E\" must have at least one value");
}

/* ---- limits and hostile input ------------------------------------------------ */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail) {
  size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
  char *s = malloc(hl + ul * n + tl + 1);
  assert_non_null(s);
  memcpy(s, head, hl);
  for (size_t i = 0; i < n; i++) {
    memcpy(s + hl + i * ul, unit, ul);
  }
  memcpy(s + hl + ul * n, tail, tl + 1);
  return s;
}

static void test_proto_parse_limits_nesting_depth(void **state) {
  (void)state;
  char *open = repeat("", "message M {", SCH_MAX_DEPTH, "");
  char *ok = repeat(open, "}", SCH_MAX_DEPTH, "");
  sch_proto_file_destroy(parse_ok(ok));
  char *open2 = repeat("", "message M {", SCH_MAX_DEPTH + 1, "");
  char *deep = repeat(open2, "}", SCH_MAX_DEPTH + 1, "");
  assert_error(deep, SCH_ERR_LIMIT, "nesting deeper than 64 levels");
  char *agg = repeat("option x = ", "{a", 100000, "");
  assert_error(agg, SCH_ERR_LIMIT, "nesting deeper");
  free(open);
  free(ok);
  free(open2);
  free(deep);
  free(agg);
}

static void test_proto_parse_limits_size_and_counts(void **state) {
  (void)state;
  sch_error_t err = {0};
  assert_null(sch_proto_parse("", SCH_MAX_SCHEMA_BYTES + 1, &err));
  assert_int_equal(err.code, SCH_ERR_LIMIT);
  char *many = repeat("message M {", "optional int32 a = 1;", SCH_PROTO_MAX_ELEMS + 1, "}");
  assert_error(many, SCH_ERR_LIMIT, "more than 10000 statements");
  char *types = repeat("", "message A { enum E { Z = 0; } }", SCH_MAX_NAMED_TYPES / 2 + 1, "");
  assert_error(types, SCH_ERR_LIMIT, "more than 10000 messages and enums");
  free(many);
  free(types);
}

static const char sample[] =
    "syntax = \"proto2\";\npackage p.q;\nimport public \"x.proto\";\noption (o) = { a: [1, 2] };\n"
    "message A {\n  optional int64 a = 1 [default = -0x10];\n  map<string, A> m = 2;\n  oneof k { string s = "
    "3; }\n"
    "  reserved 9 to max, 5;\n  extensions 6 to 8;\n  message B { repeated double d = 1 [packed = true]; }\n"
    "  enum E { option allow_alias = true; X = 0; Y = 0; }\n  extend A { optional string e = 6; }\n}\n"
    "service S { rpc R (A) returns (stream A) { option deprecated = true; } }\n";

static void test_proto_parse_survives_every_prefix_of_a_file(void **state) {
  (void)state;
  for (size_t n = 0; n <= sizeof sample - 1; n++) {
    sch_error_t err = {0};
    sch_proto_file_t *f = sch_proto_parse(sample, n, &err);
    if (f) {
      free(round_trip(sample, n, "prefix"));
    } else {
      assert_true(err.code == SCH_ERR_INVALID);
      assert_true(strncmp(err.message, "line ", 5) == 0);
    }
    sch_proto_file_destroy(f);
  }
}

/* ---- corpus ------------------------------------------------------------------ */

static bool opendir_ok(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    closedir(d);
  }
  return d != NULL;
}

/* Whole file as a NUL-terminated string (caller frees). */
static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  size_t n;
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len - 1 == 0) {
      cap *= 2;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
  }
  fclose(f);
  buf[len] = '\0';
  return buf;
}

static size_t corpus_check(const char *text, const char *what) {
  free(round_trip(text, strlen(text), what));
  return 1;
}

static void test_proto_parse_round_trips_every_conformance_schema(void **state) {
  (void)state;
  FILE *f = compat_cases_open();
  assert_non_null(f);
  char line[1 << 16];
  size_t rows = 0, schemas = 0;
  while (fgets(line, sizeof line, f)) {
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") == 0) {
      char what[64];
      snprintf(what, sizeof what, "conformance row %zu", rows++);
      size_t i;
      json_t *v;
      json_array_foreach(json_object_get(row, "old"), i, v) {
        schemas += corpus_check(json_string_value(v), what);
      }
      schemas += corpus_check(json_string_value(json_object_get(row, "new")), what);
      const char *key;
      json_object_foreach(json_object_get(row, "dependencies"), key, v) {
        schemas += corpus_check(json_string_value(v), key);
      }
    }
    json_decref(row);
  }
  fclose(f);
  fprintf(stderr, "%zu protobuf rows, %zu schemas round-tripped\n", rows, schemas);
  assert_true(rows > 0);
}

static void test_proto_parse_round_trips_debian_well_known_types(void **state) {
  (void)state;
  const char *dir = "/usr/include/google/protobuf";
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "skipped: %s not found (install libprotobuf-dev)\n", dir);
    skip();
  }
  struct dirent *de;
  size_t n = 0;
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    if (l < 6 || strcmp(de->d_name + l - 6, ".proto") != 0) {
      continue;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    char *text = read_all(path);
    free(round_trip(text, strlen(text), path));
    free(text);
    n++;
  }
  closedir(d);
  fprintf(stderr, "%zu files under %s round-tripped\n", n, dir);
}

/* ---- protoc as an oracle (skipped when protoc is not installed) ------------- */



/* Runs protoc on `file` with `dir` first on the import path; the descriptor
 * set goes to `out`. Returns true if protoc accepted it. */
static bool protoc_run(const char *dir, const char *file, const char *out) {
  char cmd[16384];
  snprintf(cmd, sizeof cmd, "protoc -I'%s' -I/usr/include --descriptor_set_out='%s' '%s' >/dev/null 2>&1",
           dir, out, file);
  return system(cmd) == 0;
}

static char *print_text(const char *text) {
  sch_error_t err = {0};
  sch_proto_file_t *f = sch_proto_parse(text, strlen(text), &err);
  if (!f) {
    fail_msg("parse failed: %s", err.message);
  }
  char *out = sch_proto_print(f, NULL, &err);
  assert_non_null(out);
  sch_proto_file_destroy(f);
  return out;
}

static bool same_file(const char *a, const char *b) {
  char cmd[16384];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
  return system(cmd) == 0;
}

/* Printing must not change what protoc builds: the descriptor of each
 * printed well-known type equals the descriptor of the original file. */
static void test_proto_print_gives_protoc_the_same_descriptors(void **state) {
  (void)state;
  static const char *const wkts[] = {"any",       "api",        "descriptor",     "duration",
                                     "empty",     "field_mask", "source_context", "struct",
                                     "timestamp", "type",       "wrappers"};
  if (!proto_test_have_protoc() || !opendir_ok("/usr/include/google/protobuf")) {
    skip();
  }
  char dir[] = "/tmp/weir-proto-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char a[4200], b[4200];
  snprintf(a, sizeof a, "%s/a.pb", dir);
  snprintf(b, sizeof b, "%s/b.pb", dir);
  for (size_t i = 0; i < sizeof wkts / sizeof wkts[0]; i++) {
    char name[128], path[256];
    snprintf(name, sizeof name, "google/protobuf/%s.proto", wkts[i]);
    snprintf(path, sizeof path, "/usr/include/%s", name);
    char *text = read_all(path);
    char *printed = print_text(text);
    proto_test_write(dir, name, printed, strlen(printed));
    assert_true(protoc_run("/usr/include", name, a));
    if (!protoc_run(dir, name, b) || !same_file(a, b)) {
      fail_msg("%s: protoc builds something else from the printed text:\n%s", name, printed);
    }
    free(text);
    free(printed);
  }
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* protoc accepts the printed text of every conformance schema exactly when it
 * accepts the original (with the row's dependencies beside it). */
static void test_proto_print_is_accepted_by_protoc_when_the_original_is(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  FILE *f = compat_cases_open();
  assert_non_null(f);
  char line[1 << 16];
  size_t checked = 0, accepted = 0;
  while (fgets(line, sizeof line, f)) {
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") != 0) {
      json_decref(row);
      continue;
    }
    for (int printed = 0; printed < 2; printed++) {
      char dir[] = "/tmp/weir-proto-XXXXXX";
      assert_non_null(mkdtemp(dir));
      const char *key;
      json_t *v;
      json_object_foreach(json_object_get(row, "dependencies"), key, v) {
        char *t = printed ? print_text(json_string_value(v)) : strdup(json_string_value(v));
        proto_test_write(dir, key, t, strlen(t));
        free(t);
      }
      const char *text = json_string_value(json_object_get(row, "new"));
      char *t = printed ? print_text(text) : strdup(text);
      proto_test_write(dir, "weir_schema_under_test.proto", t, strlen(t));
      free(t);
      char out[4200], cmd[4200];
      snprintf(out, sizeof out, "%s/out.pb", dir);
      bool ok = protoc_run(dir, "weir_schema_under_test.proto", out);
      snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
      assert_int_equal(system(cmd), 0);
      if (printed == 0) {
        accepted += ok;
        json_object_set_new(row, "weir_ok", json_boolean(ok));
      } else if (ok != json_is_true(json_object_get(row, "weir_ok"))) {
        fail_msg("protoc %s the original but not the printed text of:\n%s", ok ? "rejects" : "accepts", text);
      }
    }
    checked++;
    json_decref(row);
  }
  fclose(f);
  fprintf(stderr, "%zu conformance schemas checked with protoc (%zu accepted)\n", checked, accepted);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_proto_parse_prints_minimal_proto3_file),
      cmocka_unit_test(test_proto_parse_defaults_to_proto2_without_syntax),
      cmocka_unit_test(test_proto_parse_keeps_imports_with_kinds),
      cmocka_unit_test(test_proto_parse_reads_field_parts),
      cmocka_unit_test(test_proto_parse_reads_map_fields),
      cmocka_unit_test(test_proto_parse_prints_oneofs_and_nested_types),
      cmocka_unit_test(test_proto_parse_keeps_map_fields_after_nested_messages_in_place),
      cmocka_unit_test(test_proto_parse_prints_reserved_and_extensions),
      cmocka_unit_test(test_proto_parse_prints_enums_with_options_and_reserved),
      cmocka_unit_test(test_proto_parse_prints_services),
      cmocka_unit_test(test_proto_parse_keeps_extend_blocks),
      cmocka_unit_test(test_proto_parse_keeps_aggregate_options_as_text),
      cmocka_unit_test(test_proto_parse_reads_option_names),
      cmocka_unit_test(test_proto_lex_reads_integers_in_every_base),
      cmocka_unit_test(test_proto_lex_reads_floats_inf_and_nan),
      cmocka_unit_test(test_proto_lex_decodes_every_string_escape),
      cmocka_unit_test(test_proto_lex_skips_comments),
      cmocka_unit_test(test_proto_parse_names_line_and_column_of_errors),
      cmocka_unit_test(test_proto_parse_rejects_bad_tokens),
      cmocka_unit_test(test_proto_parse_rejects_bad_syntax_statements),
      cmocka_unit_test(test_proto_parse_reads_proto2_groups),
      cmocka_unit_test(test_proto_parse_checks_groups),
      cmocka_unit_test(test_proto_parse_allows_message_set_extension_numbers),
      cmocka_unit_test(test_proto_parse_prints_in_confluent_layout),
      cmocka_unit_test(test_proto_parse_rejects_bad_field_numbers),
      cmocka_unit_test(test_proto_parse_rejects_duplicates),
      cmocka_unit_test(test_proto_parse_enforces_proto3_rules),
      cmocka_unit_test(test_proto_parse_enforces_proto2_labels),
      cmocka_unit_test(test_proto_parse_rejects_use_of_reserved),
      cmocka_unit_test(test_proto_parse_checks_map_fields),
      cmocka_unit_test(test_proto_parse_rejects_bad_constants),
      cmocka_unit_test(test_proto_parse_limits_nesting_depth),
      cmocka_unit_test(test_proto_parse_limits_size_and_counts),
      cmocka_unit_test(test_proto_parse_survives_every_prefix_of_a_file),
      cmocka_unit_test(test_proto_parse_round_trips_every_conformance_schema),
      cmocka_unit_test(test_proto_parse_round_trips_debian_well_known_types),
      cmocka_unit_test(test_proto_print_gives_protoc_the_same_descriptors),
      cmocka_unit_test(test_proto_print_is_accepted_by_protoc_when_the_original_is),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
