// SPDX-License-Identifier: Apache-2.0
/* Tests of FileDescriptorProto writing (proto_descriptor_out*.c) and reading
 * (proto_descriptor_in*.c), with protoc 3.21 as the oracle: over a corpus
 * (every Protobuf schema of compat-cases.jsonl with its dependencies,
 * Debian's google/protobuf/ files, hand-written proto2/proto3 files), the
 * descriptor weir writes equals protoc's --descriptor_set_out after both are
 * repacked by protobuf-c, and the text weir reads back from protoc's
 * descriptor makes protoc build the same descriptor again. Malformed,
 * truncated, oversized and deeply nested input gives a clean error.
 * Differences that are by design are named where they are tolerated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "compat_cases.h"
#include "proto_test_files.h"
#include "google/protobuf/descriptor.pb-c.h"
#include "schemas/proto_schema.h"

/* ---- files and protoc --------------------------------------------------------- */


static void make_tmp(char *dir) {
  strcpy(dir, "/tmp/weir-desc-XXXXXX");
  assert_non_null(mkdtemp(dir));
}

static void remove_tmp(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}


/* Whole file, NUL-terminated (caller frees); NULL if it cannot be opened. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    return NULL;
  }
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      buf = realloc(buf, cap *= 2);
      assert_non_null(buf);
    }
  }
  fclose(f);
  buf[n] = '\0';
  if (len) {
    *len = n;
  }
  return buf;
}

/* protobuf-c's packing of a FileDescriptorProto: the form both sides are
 * compared in (field order and encoding fixed by one encoder). */
static uint8_t *repack(const Google__Protobuf__FileDescriptorProto *fd, size_t *len) {
  *len = google__protobuf__file_descriptor_proto__get_packed_size(fd);
  uint8_t *out = malloc(*len + 1);
  assert_non_null(out);
  assert_int_equal(google__protobuf__file_descriptor_proto__pack(fd, out), *len);
  return out;
}

/* The descriptor protoc builds for `name` (found under dir, then
 * /usr/include), repacked; NULL if protoc rejects the file. */
static uint8_t *protoc_descriptor(const char *dir, const char *name, size_t *len) {
  char out[4200], cmd[16384];
  snprintf(out, sizeof out, "%s/.weir-set.pb", dir);
  snprintf(cmd, sizeof cmd, "protoc -I'%s' -I/usr/include --descriptor_set_out='%s' '%s' >/dev/null 2>&1",
           dir, out, name);
  if (system(cmd) != 0) {
    return NULL;
  }
  size_t n = 0;
  char *raw = read_file(out, &n);
  assert_non_null(raw);
  remove(out);
  Google__Protobuf__FileDescriptorSet *set =
      google__protobuf__file_descriptor_set__unpack(NULL, n, (const uint8_t *)raw);
  assert_non_null(set);
  assert_int_equal(set->n_file, 1);
  uint8_t *bytes = repack(set->file[0], len);
  google__protobuf__file_descriptor_set__free_unpacked(set, NULL);
  free(raw);
  return bytes;
}

/* protoc's text form of a FileDescriptorProto (for failure messages). */
static char *decode_text(const uint8_t *bytes, size_t len) {
  char dir[32], cmd[9000], in[100], out[100];
  make_tmp(dir);
  snprintf(in, sizeof in, "%s/d.pb", dir);
  snprintf(out, sizeof out, "%s/d.txt", dir);
  proto_test_write(dir, "d.pb", bytes, len);
  snprintf(
      cmd, sizeof cmd,
      "protoc -I/usr/include --decode=google.protobuf.FileDescriptorProto google/protobuf/descriptor.proto "
      "<'%s' >'%s' 2>&1",
      in, out);
  if (system(cmd) != 0) {
    fprintf(stderr, "protoc --decode failed\n");
  }
  char *text = read_file(out, NULL);
  remove_tmp(dir);
  return text ? text : strdup("?");
}

/* Fails with a diff of both descriptors in protoc's text form unless they
 * are byte-identical. */
static void assert_same_descriptor(const uint8_t *want, size_t want_len, const uint8_t *got, size_t got_len,
                                   const char *what) {
  if (want_len == got_len && memcmp(want, got, want_len) == 0) {
    return;
  }
  char *w = decode_text(want, want_len), *g = decode_text(got, got_len);
  char dir[32], cmd[300];
  make_tmp(dir);
  proto_test_write(dir, "protoc.txt", w, strlen(w));
  proto_test_write(dir, "weir.txt", g, strlen(g));
  fprintf(stderr, "%s: descriptors differ (- protoc, + weir):\n", what);
  snprintf(cmd, sizeof cmd, "cd '%s' && diff -u protoc.txt weir.txt >&2", dir);
  if (system(cmd) == 0) {
    fprintf(stderr, "(same text, different bytes)\n");
  }
  remove_tmp(dir);
  free(w);
  free(g);
  fail_msg("%s: descriptors differ", what);
}

/* Drops unknown fields (custom options: extensions protobuf-c does not know)
 * from every options message, and options messages left empty. */
static void strip_custom_options(ProtobufCMessage *m) {
  const ProtobufCMessageDescriptor *d = m->descriptor;
  for (unsigned i = 0; i < d->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &d->fields[i];
    if (f->type != PROTOBUF_C_TYPE_MESSAGE) {
      continue;
    }
    char *member = (char *)m + f->offset;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *(size_t *)((char *)m + f->quantifier_offset);
      for (size_t k = 0; k < n; k++) {
        strip_custom_options((*(ProtobufCMessage ***)member)[k]);
      }
      continue;
    }
    ProtobufCMessage *sub = *(ProtobufCMessage **)member;
    if (!sub) {
      continue;
    }
    strip_custom_options(sub);
    if (strcmp(f->name, "options") == 0 && protobuf_c_message_get_packed_size(sub) == 0) {
      protobuf_c_message_free_unpacked(sub, NULL);
      *(ProtobufCMessage **)member = NULL;
    }
  }
  if (strstr(d->name, "Options")) {
    for (unsigned k = 0; k < m->n_unknown_fields; k++) {
      free(m->unknown_fields[k].data);
    }
    free(m->unknown_fields);
    m->unknown_fields = NULL;
    m->n_unknown_fields = 0;
  }
}

/* The descriptor without custom options (see strip_custom_options). */
static uint8_t *without_custom_options(const uint8_t *bytes, size_t len, size_t *out_len) {
  Google__Protobuf__FileDescriptorProto *fd =
      google__protobuf__file_descriptor_proto__unpack(NULL, len, bytes);
  assert_non_null(fd);
  strip_custom_options(&fd->base);
  uint8_t *out = repack(fd, out_len);
  google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);
  return out;
}

/* ---- corpus -------------------------------------------------------------------- */

/* One .proto file to test: its text, the file name it gets, and the files it
 * may import (import path -> text). */
typedef struct corpus_file {
  const char *name;
  const char *text;
  const json_t *deps; /* object or NULL */
  const char *what;
} corpus_file_t;

typedef void (*corpus_fn)(const corpus_file_t *cf, void *ctx);

/* Writes cf and its dependencies into a new temporary directory. */
static void corpus_write(const corpus_file_t *cf, char *dir) {
  make_tmp(dir);
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)cf->deps, key, v) {
    proto_test_write(dir, key, json_string_value(v), json_string_length(v));
  }
  proto_test_write(dir, cf->name, cf->text, strlen(cf->text));
}

static bool seen_before(json_t *seen, const char *text) {
  if (json_object_get(seen, text)) {
    return true;
  }
  json_object_set_new(seen, text, json_true());
  return false;
}

/* Every distinct PROTOBUF schema of compat-cases.jsonl (old, new and
 * dependencies, each with the row's dependencies beside it). */
static size_t each_conformance_schema(corpus_fn fn, void *ctx) {
  FILE *f = compat_cases_open();
  assert_non_null(f);
  static char line[1 << 17];
  json_t *seen = json_object();
  size_t n = 0;
  while (fgets(line, sizeof line, f)) {
    json_t *row = json_loads(line, 0, NULL);
    assert_non_null(row);
    if (strcmp(json_string_value(json_object_get(row, "format")), "PROTOBUF") != 0) {
      json_decref(row);
      continue;
    }
    json_t *deps = json_object_get(row, "dependencies"), *texts = json_array(), *v;
    size_t i;
    const char *key;
    json_array_extend(texts, json_object_get(row, "old"));
    json_array_append(texts, json_object_get(row, "new"));
    json_array_foreach(texts, i, v) {
      if (!seen_before(seen, json_string_value(v))) {
        corpus_file_t cf = {"weir_schema_under_test.proto", json_string_value(v), deps, json_string_value(v)};
        fn(&cf, ctx);
        n++;
      }
    }
    json_object_foreach(deps, key, v) {
      if (!seen_before(seen, json_string_value(v))) {
        corpus_file_t cf = {key, json_string_value(v), deps, key};
        fn(&cf, ctx);
        n++;
      }
    }
    json_decref(texts);
    json_decref(row);
  }
  json_decref(seen);
  fclose(f);
  return n;
}

static const char *const wkt_names[] = {"any",       "api",        "descriptor",     "duration",
                                        "empty",     "field_mask", "source_context", "struct",
                                        "timestamp", "type",       "wrappers"};

/* Debian's google/protobuf/ files, as their own import paths. */
static size_t each_wkt(corpus_fn fn, void *ctx) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof wkt_names / sizeof wkt_names[0]; i++) {
    char name[128], path[256];
    snprintf(name, sizeof name, "google/protobuf/%s.proto", wkt_names[i]);
    snprintf(path, sizeof path, "/usr/include/%s", name);
    char *text = read_file(path, NULL);
    if (!text) {
      continue;
    }
    corpus_file_t cf = {name, text, NULL, name};
    fn(&cf, ctx);
    free(text);
    n++;
  }
  return n;
}

/* Hand-written files covering what the conformance corpus lacks: proto2
 * defaults of every kind, groups (in messages, oneofs and extend blocks),
 * extensions at file and message level, reserved and extension ranges,
 * standard options everywhere, services with streaming and options, proto3
 * optional, maps of messages and enums, nested scopes and json_name. */
static const char *const hand_files[] = {
    "syntax = \"proto2\";\n"
    "package a.b;\n"
    "option java_package = \"x.y\";\n"
    "option java_multiple_files = true;\n"
    "option optimize_for = CODE_SIZE;\n"
    "option go_package = \"example.com/x;x\";\n"
    "option cc_enable_arenas = false;\n"
    "option deprecated = true;\n"
    "message M {\n"
    "  option deprecated = true;\n"
    "  option no_standard_descriptor_accessor = true;\n"
    "  extensions 100 to 199, 300 to max;\n"
    "  extensions 250;\n"
    "  reserved 5, 8 to 10, 40 to 60;\n"
    "  reserved \"foo\", \"bar\";\n"
    "  optional int32 a = 1 [default = 0x10, deprecated = true];\n"
    "  optional string s = 2 [default = \"h\\\"i\\n\\001\\\\\"];\n"
    "  optional bytes b = 3 [default = \"\\001\\377x\\0\\t\\'\"];\n"
    "  optional double d = 4 [default = -inf];\n"
    "  optional float fl = 6 [default = 1e3];\n"
    "  optional double d2 = 16 [default = nan];\n"
    "  optional double d3 = 17 [default = -1.25e-7];\n"
    "  optional float f2 = 18 [default = 0.1];\n"
    "  repeated int32 p = 7 [packed = true];\n"
    "  repeated sint64 up = 19 [packed = false];\n"
    "  optional E e = 11 [default = Y];\n"
    "  optional group Grp = 12 { optional int32 q = 1; repeated group Inner = 2 { required string w = 1; } "
    "}\n"
    "  map<string, M> mm = 13;\n"
    "  map<int64, E> me = 21 [deprecated = true];\n"
    "  oneof o { int32 x = 14; string my_name = 15 [json_name = \"zz\"]; group OG = 22 { optional int32 k = "
    "1; } }\n"
    "  required uint64 big = 23 [default = 18446744073709551615];\n"
    "  optional int64 neg = 24 [default = -9223372036854775808];\n"
    "  optional bool flag = 25 [default = true];\n"
    "  optional string lazy_cord = 26 [ctype = CORD];\n"
    "  optional M lz = 27 [lazy = true];\n"
    "  optional int64 js = 28 [jstype = JS_STRING];\n"
    "  optional sfixed32 camel_case_name_ = 29 [json_name = \"camel_case_name_\"];\n"
    "  optional .a.b.M.E qualified = 30;\n"
    "  enum E { option allow_alias = true; option deprecated = true; X = 0; Y = 1; Z = 1 [deprecated = "
    "true];\n"
    "    reserved 7 to max; reserved 3, 4 to 5; reserved \"W\"; }\n"
    "  extend M { optional int32 ext_in = 100; repeated group NG = 101 { optional int32 z = 1; } }\n"
    "  message Empty { reserved 10 to max; }\n"
    "}\n"
    "extend M { optional M ext_top = 102; repeated group EG = 103 { optional int32 z = 1; } }\n"
    "extend M { optional M.E ext_enum = 104 [default = Z]; }\n"
    "enum Top { A = 1; B = -2; }\n"
    "service S { option deprecated = true;\n"
    "  rpc Foo(M) returns (stream M) { option idempotency_level = NO_SIDE_EFFECTS; }\n"
    "  rpc Bar(stream .a.b.M) returns (M.Empty);\n"
    "  rpc Baz(stream M) returns (stream M) { option deprecated = true; }\n"
    "}\n",

    "package nosyntax;\n"
    "message Old { optional int32 a = 1; repeated string b = 2; }\n",

    "syntax = \"proto3\";\n"
    "package p3.deep.pkg;\n"
    "import public \"google/protobuf/timestamp.proto\";\n"
    "import \"google/protobuf/any.proto\";\n"
    "import weak \"google/protobuf/empty.proto\";\n"
    "option csharp_namespace = \"P3\";\n"
    "option php_namespace = \"P3\\\\Ns\";\n"
    "option objc_class_prefix = \"PPP\";\n"
    "option swift_prefix = \"S\";\n"
    "option ruby_package = \"P3::R\";\n"
    "message Outer {\n"
    "  optional string maybe = 1;\n"
    "  repeated double packed_by_default = 2;\n"
    "  repeated double unpacked = 3 [packed = false];\n"
    "  google.protobuf.Timestamp ts = 4;\n"
    "  .google.protobuf.Any any = 5;\n"
    "  map<string, Inner> inners = 6;\n"
    "  map<uint32, Inner.Color> colors = 7;\n"
    "  oneof choice { Inner inner = 8; bytes raw = 9; }\n"
    "  optional Inner.Color color = 10;\n"
    "  Outer.Inner.Deeper deeper = 11;\n"
    "  reserved 100 to 200;\n"
    "  reserved \"gone\";\n"
    "  message Inner {\n"
    "    enum Color { RED = 0; GREEN = 1; }\n"
    "    message Deeper { Color c = 1; Inner i = 2; Outer o = 3; }\n"
    "    Color c = 1;\n"
    "  }\n"
    "  int32 field_with_under_score = 12;\n"
    "  int32 _leading = 13;\n"
    "  int32 x2y = 14;\n"
    "}\n"
    "service Svc { rpc Get(Outer) returns (Outer.Inner); }\n",

    "syntax = \"proto2\";\n"
    "message MessageSet {\n"
    "  option message_set_wire_format = true;\n"
    "  extensions 4 to max;\n"
    "}\n"
    "message MessageSet2 {\n"
    "  option message_set_wire_format = true;\n"
    "  extensions 4 to 99;\n"
    "  reserved 100 to max;\n"
    "}\n"
    "message Weak { optional int32 w = 1 [weak = false]; optional MessageSet ms = 2 [unverified_lazy = "
    "true]; }\n",

    /* custom options (weir neither writes nor reads them) next to standard ones */
    "syntax = \"proto2\";\n"
    "package opts;\n"
    "import \"google/protobuf/descriptor.proto\";\n"
    "extend google.protobuf.FileOptions { optional string file_tag = 50000; }\n"
    "extend google.protobuf.MessageOptions { optional int32 msg_tag = 50001; }\n"
    "extend google.protobuf.FieldOptions { optional Rule rule = 50002; }\n"
    "extend google.protobuf.EnumValueOptions { repeated string alias = 50003; }\n"
    "message Rule { optional string expr = 1; repeated int32 n = 2; }\n"
    "option (file_tag) = \"f\";\n"
    "option java_package = \"o\";\n"
    "message M {\n"
    "  option (msg_tag) = 7;\n"
    "  optional int32 a = 1 [(rule) = { expr: \"x > 0\" n: 1 n: 2 }, deprecated = true];\n"
    "  optional int32 b = 2 [(rule).expr = \"y\"];\n"
    "  enum E { Z = 0 [(alias) = \"zero\", (alias) = \"nil\"]; }\n"
    "}\n",

    /* nested types declared before the map and group fields that add theirs */
    "syntax = \"proto2\";\n"
    "message R {\n"
    "  message A { optional int32 x = 1; }\n"
    "  map<string, A> m = 1;\n"
    "  optional group G = 2 { optional A a = 1; }\n"
    "  message B { map<int32, R> back = 1; }\n"
    "  extend R { optional group XG = 100 { optional int32 y = 1; } }\n"
    "  extensions 100 to 200;\n"
    "}\n",
};

static size_t each_hand_file(corpus_fn fn, void *ctx) {
  for (size_t i = 0; i < sizeof hand_files / sizeof hand_files[0]; i++) {
    char what[64];
    snprintf(what, sizeof what, "hand-written file %zu", i);
    corpus_file_t cf = {"hand.proto", hand_files[i], NULL, what};
    fn(&cf, ctx);
  }
  return sizeof hand_files / sizeof hand_files[0];
}

/* Every corpus file: the conformance schemas, Debian's well-known types and
 * the hand-written files. Returns how many were offered to fn. */
static size_t each_file(corpus_fn fn, void *ctx) {
  return each_conformance_schema(fn, ctx) + each_wkt(fn, ctx) + each_hand_file(fn, ctx);
}

/* ---- reading descriptors: exact text ------------------------------------------------ */

static uint8_t *pack_file(const Google__Protobuf__FileDescriptorProto *fd, size_t *len) {
  return repack(fd, len);
}

/* Text of a descriptor that must be accepted. */
static char *to_proto(const uint8_t *bytes, size_t len) {
  sch_error_t err = {0};
  size_t n = 0;
  char *text = sch_pb_descriptor_to_proto(bytes, len, &n, &err);
  if (!text) {
    fail_msg("descriptor rejected: %s", err.message);
  }
  assert_int_equal(strlen(text), n);
  return text;
}

static void assert_rejected(const uint8_t *bytes, size_t len, sch_code_t code, const char *want) {
  sch_error_t err = {0};
  size_t n = 0;
  char *text = sch_pb_descriptor_to_proto(bytes, len, &n, &err);
  if (text) {
    fprintf(stderr, "%s\n", text);
    free(text);
    fail_msg("expected an error containing \"%s\"", want);
  }
  assert_int_equal(err.code, code);
  if (!strstr(err.message, want)) {
    fail_msg("message \"%s\" lacks \"%s\"", err.message, want);
  }
}

/* A descriptor built by hand reads as the text protoc's source would print. */
static void test_descriptor_to_proto_prints_in_printer_layout(void **state) {
  (void)state;
  Google__Protobuf__FieldDescriptorProto key = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT,
                                         val = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT,
                                         map = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT,
                                         opt = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT,
                                         one = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT;
  key.name = "key", key.has_number = 1, key.number = 1, key.has_type = 1;
  key.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_STRING;
  val.name = "value", val.has_number = 1, val.number = 2, val.has_type = 1;
  val.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE, val.type_name = ".p.M";
  map.name = "by_name", map.has_number = 1, map.number = 1, map.has_label = 1;
  map.label = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED;
  map.has_type = 1, map.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE;
  map.type_name = ".p.M.ByNameEntry", map.json_name = "byName";
  opt.name = "maybe", opt.has_number = 1, opt.number = 2, opt.has_label = 1;
  opt.label = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL;
  opt.has_type = 1, opt.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT64;
  opt.has_oneof_index = 1, opt.oneof_index = 1, opt.has_proto3_optional = 1, opt.proto3_optional = 1;
  opt.json_name = "renamed";
  one.name = "pick", one.has_number = 1, one.number = 3, one.has_type = 1;
  one.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BOOL, one.has_oneof_index = 1;
  Google__Protobuf__FieldDescriptorProto *entry_fields[] = {&key, &val}, *fields[] = {&map, &opt, &one};
  Google__Protobuf__MessageOptions entry_opts = GOOGLE__PROTOBUF__MESSAGE_OPTIONS__INIT;
  entry_opts.has_map_entry = 1, entry_opts.map_entry = 1;
  Google__Protobuf__DescriptorProto entry = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT,
                                    m = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT;
  entry.name = "ByNameEntry", entry.n_field = 2, entry.field = entry_fields, entry.options = &entry_opts;
  Google__Protobuf__OneofDescriptorProto real = GOOGLE__PROTOBUF__ONEOF_DESCRIPTOR_PROTO__INIT,
                                         synth = GOOGLE__PROTOBUF__ONEOF_DESCRIPTOR_PROTO__INIT;
  real.name = "choice", synth.name = "_maybe";
  Google__Protobuf__OneofDescriptorProto *oneofs[] = {&real, &synth};
  Google__Protobuf__DescriptorProto *nested[] = {&entry}, *top[] = {&m};
  m.name = "M", m.n_field = 3, m.field = fields, m.n_nested_type = 1, m.nested_type = nested;
  m.n_oneof_decl = 2, m.oneof_decl = oneofs;
  Google__Protobuf__FileOptions fopts = GOOGLE__PROTOBUF__FILE_OPTIONS__INIT;
  fopts.java_package = "com.p", fopts.has_optimize_for = 1;
  fopts.optimize_for = GOOGLE__PROTOBUF__FILE_OPTIONS__OPTIMIZE_MODE__SPEED;
  char *deps[] = {"a.proto", "b.proto"};
  int32_t pub[] = {1};
  Google__Protobuf__FileDescriptorProto fd = GOOGLE__PROTOBUF__FILE_DESCRIPTOR_PROTO__INIT;
  fd.name = "p.proto", fd.package = "p", fd.syntax = "proto3", fd.n_dependency = 2, fd.dependency = deps;
  fd.n_public_dependency = 1, fd.public_dependency = pub, fd.options = &fopts;
  fd.n_message_type = 1, fd.message_type = top;
  size_t len = 0;
  uint8_t *bytes = pack_file(&fd, &len);
  char *text = to_proto(bytes, len);
  assert_string_equal(text,
                      "syntax = \"proto3\";\n"
                      "package p;\n"
                      "\n"
                      "import \"a.proto\";\n"
                      "import public \"b.proto\";\n"
                      "\n"
                      "option java_package = \"com.p\";\n"
                      "option optimize_for = SPEED;\n"
                      "\n"
                      "message M {\n"
                      "  map<string, .p.M> by_name = 1;\n"
                      "  optional int64 maybe = 2 [json_name = \"renamed\"];\n"
                      "  oneof choice {\n"
                      "    bool pick = 3;\n"
                      "  }\n"
                      "}\n");
  free(text);
  free(bytes);
  /* an entry with more than a key and a value is no map entry */
  Google__Protobuf__DescriptorProto extra = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT, *extras[] = {&extra};
  extra.name = "Extra";
  entry.n_nested_type = 1, entry.nested_type = extras;
  bytes = pack_file(&fd, &len);
  assert_rejected(bytes, len, SCH_ERR_INVALID, "map entry \"ByNameEntry\" is not just a key and a value");
  free(bytes);
  entry.n_nested_type = 0, val.has_number = 0;
  bytes = pack_file(&fd, &len);
  assert_rejected(bytes, len, SCH_ERR_INVALID, "map entry \"ByNameEntry\" has no usable value field");
  free(bytes);
}

/* proto2 constructs read back as source: labels, defaults (bytes
 * unescaped), groups, extension blocks grouped by extendee, ranges. */
static void test_descriptor_to_proto_reads_proto2_constructs(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  char dir[32];
  make_tmp(dir);
  const char *src =
      "package q;\n"
      "message M {\n"
      "  extensions 10 to max;\n"
      "  reserved 2 to 3;\n"
      "  optional bytes b = 1 [default = \"\\000a\\\"\"];\n"
      "  repeated group G = 4 { optional int32 x = 1; }\n"
      "}\n"
      "extend M { optional int32 e1 = 10; }\n"
      "message N { extensions 1; }\n"
      "extend N { optional int32 n1 = 1; }\n"
      "extend M { optional int32 e2 = 11; }\n";
  proto_test_write(dir, "q.proto", src, strlen(src));
  size_t len = 0;
  uint8_t *d = protoc_descriptor(dir, "q.proto", &len);
  assert_non_null(d);
  char *text = to_proto(d, len);
  assert_string_equal(text,
                      "package q;\n"
                      "\n"
                      "message M {\n"
                      "  reserved 2 to 3;\n"
                      "  extensions 10 to max;\n"
                      "  optional bytes b = 1 [default = \"\\000a\\\"\"];\n"
                      "  repeated group G = 4 {\n"
                      "    optional int32 x = 1;\n"
                      "  }\n"
                      "}\n"
                      "\n"
                      "message N {\n"
                      "  extensions 1;\n"
                      "}\n"
                      "\n"
                      "extend .q.M {\n"
                      "  optional int32 e1 = 10;\n"
                      "  optional int32 e2 = 11;\n"
                      "}\n"
                      "\n"
                      "extend .q.N {\n"
                      "  optional int32 n1 = 1;\n"
                      "}\n");
  free(text);
  free(d);
  remove_tmp(dir);
}

/* ---- reading descriptors: protoc round trip ---------------------------------------------- */

/* True if m's nested types that its fields declare (map entries, groups)
 * come first and in field order: the only nested_type order text printed in
 * sch_proto_print's layout (fields before nested declarations) can give. */
static bool nested_order_printable(const Google__Protobuf__DescriptorProto *m) {
  size_t next = 0;
  for (size_t i = 0; i < m->n_field; i++) {
    const Google__Protobuf__FieldDescriptorProto *f = m->field[i];
    if (!f->type_name) {
      continue;
    }
    for (size_t k = 0; k < m->n_nested_type; k++) {
      const Google__Protobuf__DescriptorProto *n = m->nested_type[k];
      bool entry = n->options && n->options->map_entry;
      bool declared = entry || f->type == GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_GROUP;
      size_t name_at = strlen(f->type_name) - strlen(n->name);
      if (declared && strlen(f->type_name) > strlen(n->name) && f->type_name[name_at - 1] == '.' &&
          strcmp(f->type_name + name_at, n->name) == 0) {
        if (k != next++) {
          return false;
        }
      }
    }
  }
  for (size_t k = 0; k < m->n_nested_type; k++) {
    if (!nested_order_printable(m->nested_type[k])) {
      return false;
    }
  }
  return true;
}

static int cmp_message_name(const void *a, const void *b) {
  const Google__Protobuf__DescriptorProto *x = *(Google__Protobuf__DescriptorProto *const *)a;
  const Google__Protobuf__DescriptorProto *y = *(Google__Protobuf__DescriptorProto *const *)b;
  return strcmp(x->name, y->name);
}

static void sort_nested(Google__Protobuf__DescriptorProto *m) {
  if (m->n_nested_type > 1) {
    qsort(m->nested_type, m->n_nested_type, sizeof(*m->nested_type), cmp_message_name);
  }
  for (size_t k = 0; k < m->n_nested_type; k++) {
    sort_nested(m->nested_type[k]);
  }
}

/* The descriptor with every message's nested types sorted by name. */
static uint8_t *sorted_nested(const uint8_t *bytes, size_t len, size_t *out_len) {
  Google__Protobuf__FileDescriptorProto *fd =
      google__protobuf__file_descriptor_proto__unpack(NULL, len, bytes);
  assert_non_null(fd);
  for (size_t k = 0; k < fd->n_message_type; k++) {
    sort_nested(fd->message_type[k]);
  }
  uint8_t *out = repack(fd, out_len);
  google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);
  return out;
}

static bool printable(const uint8_t *bytes, size_t len) {
  Google__Protobuf__FileDescriptorProto *fd =
      google__protobuf__file_descriptor_proto__unpack(NULL, len, bytes);
  assert_non_null(fd);
  bool ok = true;
  for (size_t k = 0; k < fd->n_message_type; k++) {
    ok = ok && nested_order_printable(fd->message_type[k]);
  }
  google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);
  return ok;
}

typedef struct trip_stats {
  size_t checked, rejected_by_protoc, reordered, custom;
} trip_stats_t;

/* d2 equals d1, up to two losses by design: custom options are dropped,
 * and where d1's nested_type order cannot be printed (a nested message
 * declared before a map or group field) the order of nested types. */
static void assert_same_read_back(const uint8_t *d1, size_t n1, const uint8_t *d2, size_t n2,
                                  const char *what, trip_stats_t *st) {
  if (n1 == n2 && memcmp(d1, d2, n1) == 0) {
    return;
  }
  size_t np = 0, s1 = 0, s2 = 0;
  uint8_t *plain = without_custom_options(d1, n1, &np);
  st->custom += np != n1;
  if (np != n2 || memcmp(plain, d2, np) != 0) {
    if (printable(plain, np)) {
      assert_same_descriptor(plain, np, d2, n2, what);
    }
    uint8_t *a = sorted_nested(plain, np, &s1), *b = sorted_nested(d2, n2, &s2);
    assert_same_descriptor(a, s1, b, s2, what);
    st->reordered++;
    free(a);
    free(b);
  }
  free(plain);
}

/* protoc(original) == protoc(to_proto(protoc(original))), and the text is
 * a fixed point of parse + print. */
static void round_trip_one(const corpus_file_t *cf, void *ctx) {
  trip_stats_t *st = ctx;
  char dir[32];
  corpus_write(cf, dir);
  size_t n1 = 0, n2 = 0;
  uint8_t *d1 = protoc_descriptor(dir, cf->name, &n1);
  if (!d1) {
    st->rejected_by_protoc++;
    remove_tmp(dir);
    return;
  }
  char *text = to_proto(d1, n1);
  sch_error_t err = {0};
  sch_proto_file_t *f = sch_proto_parse(text, strlen(text), &err);
  if (!f) {
    fail_msg("%s: text read from the descriptor does not parse: %s\n%s", cf->what, err.message, text);
  }
  char *again = sch_proto_print(f, NULL, &err);
  assert_non_null(again);
  assert_string_equal(again, text);
  proto_test_write(dir, cf->name, text, strlen(text));
  uint8_t *d2 = protoc_descriptor(dir, cf->name, &n2);
  if (!d2) {
    fail_msg("%s: protoc rejects the text read from its descriptor:\n%s", cf->what, text);
  }
  assert_same_read_back(d1, n1, d2, n2, cf->what, st);
  st->checked++;
  free(d2);
  free(again);
  sch_proto_file_destroy(f);
  free(text);
  free(d1);
  remove_tmp(dir);
}

static void test_descriptor_to_proto_gives_protoc_the_same_descriptor(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  trip_stats_t st = {0};
  size_t n = each_file(round_trip_one, &st);
  fprintf(stderr,
          "%zu files: %zu round-tripped through protoc (%zu only up to the order of nested types, %zu "
          "without their custom options), %zu rejected by protoc itself\n",
          n, st.checked, st.reordered, st.custom, st.rejected_by_protoc);
  assert_true(st.checked > 50);
}

/* Custom options are extensions protobuf-c does not know: they are dropped
 * (the one tolerated loss), and the rest of the file is read. */
static void test_descriptor_to_proto_drops_custom_options(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  char dir[32];
  make_tmp(dir);
  const char *src =
      "syntax = \"proto3\";\n"
      "import \"google/protobuf/descriptor.proto\";\n"
      "extend google.protobuf.FieldOptions { string tag = 50001; }\n"
      "option java_package = \"j\";\n"
      "message M { int32 a = 1 [(tag) = \"x\", deprecated = true]; }\n";
  proto_test_write(dir, "c.proto", src, strlen(src));
  size_t len = 0;
  uint8_t *d = protoc_descriptor(dir, "c.proto", &len);
  assert_non_null(d);
  char *text = to_proto(d, len);
  assert_null(strstr(text, "(tag)"));
  assert_non_null(strstr(text, "int32 a = 1 [deprecated = true];"));
  assert_non_null(strstr(text, "extend .google.protobuf.FieldOptions {\n  string tag = 50001;\n}"));
  free(text);
  free(d);
  remove_tmp(dir);
}

/* ---- reading descriptors: bad input -------------------------------------------------------- */

/* Appends a varint. */
static size_t put_varint(uint8_t *p, uint64_t v) {
  size_t n = 0;
  do {
    p[n++] = (uint8_t)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return n;
}

/* A FileDescriptorProto whose message_type nests `depth` DescriptorProtos
 * through nested_type (each named "N"), built from the inside out. */
static uint8_t *nested_descriptor(size_t depth, size_t *len) {
  size_t cap = 64 + depth * 16;
  uint8_t *buf = malloc(cap), *tmp = malloc(16);
  assert_non_null(buf);
  size_t start = cap, body;
  /* innermost: name = "N" */
  buf[--start] = 'N';
  buf[--start] = 1;
  buf[--start] = 0x0A;
  for (size_t i = 1; i < depth; i++) {
    body = cap - start;
    size_t n = put_varint(tmp, body);
    start -= n;
    memcpy(buf + start, tmp, n);
    buf[--start] = 0x1A; /* nested_type = 3 */
    buf[--start] = 'N';
    buf[--start] = 1;
    buf[--start] = 0x0A;
  }
  body = cap - start;
  size_t n = put_varint(tmp, body);
  start -= n;
  memcpy(buf + start, tmp, n);
  buf[--start] = 0x22; /* message_type = 4 */
  buf[--start] = 'f';
  buf[--start] = 1;
  buf[--start] = 0x0A; /* name = "f" */
  *len = cap - start;
  memmove(buf, buf + start, *len);
  free(tmp);
  return buf;
}

static void test_descriptor_to_proto_limits_nesting(void **state) {
  (void)state;
  size_t len = 0;
  uint8_t *ok = nested_descriptor(SCH_MAX_DEPTH, &len);
  char *text = to_proto(ok, len);
  assert_non_null(strstr(text, "message N {"));
  free(text);
  free(ok);
  uint8_t *deep = nested_descriptor(SCH_MAX_DEPTH + 1, &len);
  assert_rejected(deep, len, SCH_ERR_LIMIT, "deeper than 64");
  free(deep);
  /* far deeper than protobuf-c's recursive unpack could survive */
  uint8_t *huge = nested_descriptor(200000, &len);
  assert_rejected(huge, len, SCH_ERR_LIMIT, "deeper than 64");
  free(huge);
}

/* More statements in one message than the .proto parser takes. */
static void test_descriptor_to_proto_limits_statements(void **state) {
  (void)state;
  enum { N = SCH_PROTO_MAX_ELEMS + 1 };
  Google__Protobuf__FieldDescriptorProto *fields = calloc(N, sizeof(*fields)), **ptrs = calloc(N, sizeof(*ptrs));
  char(*names)[16] = calloc(N, sizeof(*names));
  assert_true(fields && ptrs && names);
  for (int i = 0; i < N; i++) {
    google__protobuf__field_descriptor_proto__init(&fields[i]);
    snprintf(names[i], sizeof names[i], "f%d", i);
    fields[i].name = names[i], fields[i].has_number = 1, fields[i].number = i + 1, fields[i].has_type = 1;
    fields[i].type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BOOL;
    ptrs[i] = &fields[i];
  }
  Google__Protobuf__DescriptorProto m = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT, *top[] = {&m};
  m.name = "Wide", m.n_field = N - 1, m.field = ptrs;
  Google__Protobuf__FileDescriptorProto fd = GOOGLE__PROTOBUF__FILE_DESCRIPTOR_PROTO__INIT;
  fd.name = "w.proto", fd.n_message_type = 1, fd.message_type = top;
  size_t len = 0;
  uint8_t *b = pack_file(&fd, &len);
  free(to_proto(b, len));
  free(b);
  m.n_field = N;
  b = pack_file(&fd, &len);
  assert_rejected(b, len, SCH_ERR_LIMIT, "its .proto text exceeds a limit: line");
  free(b);
  free(names);
  free(ptrs);
  free(fields);
}

static void test_descriptor_to_proto_rejects_garbage(void **state) {
  (void)state;
  static const uint8_t garbage[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  assert_rejected(garbage, sizeof garbage, SCH_ERR_INVALID, "not a FileDescriptorProto: ");
  static const uint8_t text[] = "syntax = \"proto3\"; message M {}";
  assert_rejected(text, sizeof text - 1, SCH_ERR_INVALID, "not a FileDescriptorProto: ");
  static const uint8_t group_wire[] = {0x0A, 0x01, 'f', 0x0B, 0x0C};
  assert_rejected(group_wire, sizeof group_wire, SCH_ERR_INVALID, "wire type 3");
  static const uint8_t wrong_type[] = {0x0A, 0x01, 'f', 0x22,
                                       0x02, 0x08, 0x01}; /* message_type.name as varint */
  assert_rejected(wrong_type, sizeof wrong_type, SCH_ERR_INVALID, "do not decode");
  /* no bytes: an empty FileDescriptorProto, i.e. an empty proto2 file */
  char *empty = to_proto(NULL, 0);
  assert_string_equal(empty, "");
  free(empty);
  size_t big = SCH_MAX_SCHEMA_BYTES + 1;
  uint8_t *huge = calloc(1, big);
  assert_non_null(huge);
  assert_rejected(huge, big, SCH_ERR_LIMIT, "exceeds the limit");
  free(huge);
}

/* Structurally valid descriptors that describe no .proto file. */
static void test_descriptor_to_proto_rejects_nonsense(void **state) {
  (void)state;
  Google__Protobuf__FieldDescriptorProto f = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__INIT;
  f.name = "a", f.has_number = 1, f.number = 1, f.has_type = 1;
  f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32;
  Google__Protobuf__FieldDescriptorProto *fields[] = {&f, &f};
  Google__Protobuf__DescriptorProto m = GOOGLE__PROTOBUF__DESCRIPTOR_PROTO__INIT, *top[] = {&m};
  m.name = "M", m.n_field = 1, m.field = fields;
  Google__Protobuf__FileDescriptorProto fd = GOOGLE__PROTOBUF__FILE_DESCRIPTOR_PROTO__INIT;
  fd.name = "x.proto", fd.n_message_type = 1, fd.message_type = top;
  size_t len = 0;
  uint8_t *b = pack_file(&fd, &len);
  char *text = to_proto(b, len);
  assert_string_equal(text, "message M {\n  optional int32 a = 1;\n}\n");
  free(text);
  free(b);

#define EXPECT_REJECTED(code, want)      \
  do {                                   \
    b = pack_file(&fd, &len);            \
    assert_rejected(b, len, code, want); \
    free(b);                             \
  } while (0)

  m.name = "";
  EXPECT_REJECTED(SCH_ERR_INVALID, "message has no name");
  m.name = "9M";
  EXPECT_REJECTED(SCH_ERR_INVALID, "message name \"9M\" is not an identifier");
  m.name = "M";
  f.name = NULL;
  EXPECT_REJECTED(SCH_ERR_INVALID, "field has no name");
  f.name = "a b";
  EXPECT_REJECTED(SCH_ERR_INVALID, "is not an identifier");
  f.name = "a", f.has_number = 0;
  EXPECT_REJECTED(SCH_ERR_INVALID, "field \"a\" has no number");
  f.has_number = 1;
  m.n_field = 2;
  EXPECT_REJECTED(SCH_ERR_INVALID, "not a FileDescriptorProto: its .proto text is invalid: line");
  m.n_field = 1;
  f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE;
  EXPECT_REJECTED(SCH_ERR_INVALID, "field has no type name");
  f.type_name = "..x";
  EXPECT_REJECTED(SCH_ERR_INVALID, "is not a type name");
  f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_GROUP, f.type_name = ".M.G";
  EXPECT_REJECTED(SCH_ERR_INVALID, "group field \"a\" has no nested type");
  f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BYTES, f.type_name = NULL;
  f.default_value = "\\q";
  EXPECT_REJECTED(SCH_ERR_INVALID, "bad escape");
  f.type = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32, f.default_value = "1x";
  EXPECT_REJECTED(SCH_ERR_INVALID, "default \"1x\" does not fit");
  f.default_value = NULL, f.has_oneof_index = 1, f.oneof_index = 3;
  EXPECT_REJECTED(SCH_ERR_INVALID, "oneof index 3 is out of range");
  f.has_oneof_index = 0;
  int32_t bad_pub[] = {2};
  char *deps[] = {"d.proto"};
  fd.n_dependency = 1, fd.dependency = deps, fd.n_public_dependency = 1, fd.public_dependency = bad_pub;
  EXPECT_REJECTED(SCH_ERR_INVALID, "public dependency index 2 is out of range");
  fd.n_dependency = 0, fd.n_public_dependency = 0;
  fd.syntax = "editions";
  EXPECT_REJECTED(SCH_ERR_INVALID, "unsupported syntax \"editions\"");
  fd.syntax = "proto3";
  f.has_label = 1, f.label = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REQUIRED;
  EXPECT_REJECTED(SCH_ERR_INVALID, "not a FileDescriptorProto: its .proto text is invalid: line");
  fd.syntax = NULL, f.has_label = 0;
  fd.package = "a..b";
  EXPECT_REJECTED(SCH_ERR_INVALID, "package \"a..b\" is not a dotted name");
  fd.package = NULL;
  m.field = NULL, m.n_field = 0, m.n_oneof_decl = 1;
  Google__Protobuf__OneofDescriptorProto od = GOOGLE__PROTOBUF__ONEOF_DESCRIPTOR_PROTO__INIT, *ods[] = {&od};
  m.oneof_decl = ods;
  fields[0] = &f, m.field = fields, m.n_field = 1, f.has_oneof_index = 1, f.oneof_index = 0;
  EXPECT_REJECTED(SCH_ERR_INVALID, "oneof has no name");
  f.has_oneof_index = 0, f.has_proto3_optional = 1, f.proto3_optional = 1;
  m.n_oneof_decl = 0;
  EXPECT_REJECTED(SCH_ERR_INVALID, "proto3 optional field \"a\" has no oneof");
#undef EXPECT_REJECTED
}

/* No prefix of a real descriptor crashes or leaks (run under ASan). */
static void test_descriptor_to_proto_survives_every_prefix(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  char dir[32];
  make_tmp(dir);
  proto_test_write(dir, "hand.proto", hand_files[0], strlen(hand_files[0]));
  size_t len = 0;
  uint8_t *d = protoc_descriptor(dir, "hand.proto", &len);
  assert_non_null(d);
  size_t accepted = 0;
  for (size_t n = 0; n < len; n++) {
    sch_error_t err = {0};
    size_t out = 0;
    char *text = sch_pb_descriptor_to_proto(d, n, &out, &err);
    if (text) {
      accepted++;
      free(text);
    } else {
      assert_true(err.code == SCH_ERR_INVALID);
      assert_non_null(strstr(err.message, "not a FileDescriptorProto: "));
    }
  }
  /* flipping each byte must not crash either */
  for (size_t i = 0; i < len; i++) {
    uint8_t saved = d[i];
    d[i] ^= 0xA5;
    sch_error_t err = {0};
    free(sch_pb_descriptor_to_proto(d, len, NULL, &err));
    d[i] = saved;
  }
  fprintf(stderr, "%zu of %zu prefixes accepted\n", accepted, len);
  free(d);
  remove_tmp(dir);
}

/* ---- writing descriptors ---------------------------------------------------------- */

/* weir's descriptor of `file`, repacked, named `name` (the schema's own
 * file is built without a path; protoc needs one). */
static uint8_t *weir_descriptor(const sch_pb_file_t *file, const char *name, size_t *len) {
  sch_error_t err = {0};
  size_t n = 0;
  uint8_t *raw = sch_pb_file_descriptor(file, &n, &err);
  if (!raw) {
    fail_msg("sch_pb_file_descriptor failed: %s", err.message);
  }
  Google__Protobuf__FileDescriptorProto *fd = google__protobuf__file_descriptor_proto__unpack(NULL, n, raw);
  assert_non_null(fd);
  /* protobuf-c packs in field order: weir's bytes are already canonical */
  size_t n2 = 0;
  uint8_t *again = repack(fd, &n2);
  assert_int_equal(n2, n);
  assert_memory_equal(again, raw, n);
  free(again);
  free(fd->name);
  fd->name = strdup(name);
  uint8_t *out = repack(fd, len);
  google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);
  free(raw);
  return out;
}

typedef struct write_stats {
  size_t files, deps, custom, skipped;
} write_stats_t;

/* weir's descriptor equals protoc's; where protoc's carries custom options
 * (which weir does not write), equal once they are removed. */
static void assert_same_written(const uint8_t *want, size_t want_len, const uint8_t *got, size_t got_len,
                                const char *what, write_stats_t *st) {
  if (want_len == got_len && memcmp(want, got, want_len) == 0) {
    return;
  }
  size_t n = 0;
  uint8_t *plain = without_custom_options(want, want_len, &n);
  if (n == want_len) {
    assert_same_descriptor(want, want_len, got, got_len, what); /* no custom options: fails */
  }
  assert_same_descriptor(plain, n, got, got_len, what);
  st->custom++;
  free(plain);
}

/* The file and each file it imports (directly or not), compared with what
 * protoc writes for the same import path. */
static void compare_file(const sch_pb_file_t *file, const char *name, const char *dir, write_stats_t *st,
                         json_t *done) {
  if (json_object_get(done, name)) {
    return;
  }
  json_object_set_new(done, name, json_true());
  size_t want_len = 0, got_len = 0;
  uint8_t *want = protoc_descriptor(dir, name, &want_len);
  assert_non_null(want);
  uint8_t *got = weir_descriptor(file, name, &got_len);
  assert_same_written(want, want_len, got, got_len, name, st);
  free(want);
  free(got);
  for (size_t i = 0; i < file->n_deps; i++) {
    st->deps++;
    compare_file(file->deps[i], file->deps[i]->path, dir, st, done);
  }
}

static void write_one(const corpus_file_t *cf, void *ctx) {
  write_stats_t *st = ctx;
  char dir[32];
  corpus_write(cf, dir);
  size_t n_refs = cf->deps ? json_object_size(cf->deps) : 0, k = 0;
  sch_reference_t *refs = calloc(n_refs + 1, sizeof(*refs));
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)cf->deps, key, v) {
    refs[k++] = (sch_reference_t){key, json_string_value(v), json_string_length(v)};
  }
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(cf->text, strlen(cf->text), refs, n_refs, &err);
  size_t len = 0;
  uint8_t *d = protoc_descriptor(dir, cf->name, &len);
  if (!s || !d) {
    /* both must refuse alike, or the comparison has nothing to compare */
    if (!s && d) {
      fail_msg("%s: weir refuses what protoc accepts: %s", cf->what, err.message);
    }
    st->skipped++;
  } else {
    json_t *done = json_object();
    compare_file(sch_pb_schema_file(s), cf->name, dir, st, done);
    json_decref(done);
    st->files++;
  }
  free(d);
  sch_pb_schema_destroy(s);
  free(refs);
  remove_tmp(dir);
}

static void test_file_descriptor_equals_protoc(void **state) {
  (void)state;
  if (!proto_test_have_protoc()) {
    skip();
  }
  write_stats_t st = {0};
  size_t n = each_file(write_one, &st);
  fprintf(stderr,
          "%zu files: %zu written as protoc writes them (%zu imports compared too; %zu equal once protoc's "
          "custom options are removed), %zu refused by both\n",
          n, st.files, st.deps, st.custom, st.skipped);
  assert_true(st.files > 50);
}

/* Custom options are the one thing weir leaves out; the standard ones next
 * to them are written. */
static void test_file_descriptor_leaves_out_custom_options(void **state) {
  (void)state;
  const char *src =
      "syntax = \"proto3\";\n"
      "import \"google/protobuf/descriptor.proto\";\n"
      "extend google.protobuf.FieldOptions { string tag = 50001; }\n"
      "message M { int32 a = 1 [(tag) = \"x\", deprecated = true]; int32 b = 2 [(tag) = \"y\"]; }\n";
  sch_error_t err = {0};
  sch_pb_schema_t *s = sch_pb_schema_build(src, strlen(src), NULL, 0, &err);
  if (!s) {
    fail_msg("build failed: %s", err.message);
  }
  size_t n = 0;
  uint8_t *bytes = sch_pb_file_descriptor(sch_pb_schema_file(s), &n, &err);
  assert_non_null(bytes);
  Google__Protobuf__FileDescriptorProto *fd = google__protobuf__file_descriptor_proto__unpack(NULL, n, bytes);
  assert_non_null(fd);
  assert_string_equal(fd->name, "default"); /* the schema's own file, named as Confluent names it */
  assert_string_equal(fd->syntax, "proto3");
  assert_int_equal(fd->n_extension, 1);
  assert_string_equal(fd->extension[0]->extendee, ".google.protobuf.FieldOptions");
  Google__Protobuf__DescriptorProto *m = fd->message_type[0];
  assert_non_null(m->field[0]->options);
  assert_true(m->field[0]->options->has_deprecated && m->field[0]->options->deprecated);
  assert_int_equal(m->field[0]->options->base.n_unknown_fields, 0);
  assert_null(m->field[1]->options);
  google__protobuf__file_descriptor_proto__free_unpacked(fd, NULL);
  free(bytes);
  sch_pb_schema_destroy(s);
}

/* What the registry returns for format=serialized reads back as the same
 * schema: descriptor -> text -> descriptor is stable. */
static void test_file_descriptor_reads_back_to_the_same_descriptor(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof hand_files / sizeof hand_files[0]; i++) {
    sch_error_t err = {0};
    sch_pb_schema_t *s = sch_pb_schema_build(hand_files[i], strlen(hand_files[i]), NULL, 0, &err);
    if (!s) {
      fail_msg("hand file %zu: build failed: %s", i, err.message);
    }
    size_t n1 = 0, n2 = 0, tl = 0;
    uint8_t *d1 = sch_pb_file_descriptor(sch_pb_schema_file(s), &n1, &err);
    assert_non_null(d1);
    char *text = sch_pb_descriptor_to_proto(d1, n1, &tl, &err);
    if (!text) {
      fail_msg("hand file %zu: weir's own descriptor is refused: %s", i, err.message);
    }
    sch_pb_schema_t *s2 = sch_pb_schema_build(text, tl, NULL, 0, &err);
    if (!s2) {
      fail_msg("hand file %zu: text read back does not build: %s\n%s", i, err.message, text);
    }
    uint8_t *d2 = sch_pb_file_descriptor(sch_pb_schema_file(s2), &n2, &err);
    assert_non_null(d2);
    trip_stats_t st = {0};
    char what[64];
    snprintf(what, sizeof what, "hand file %zu", i);
    assert_same_read_back(d1, n1, d2, n2, what, &st);
    free(d2);
    sch_pb_schema_destroy(s2);
    free(text);
    free(d1);
    sch_pb_schema_destroy(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor_to_proto_prints_in_printer_layout),
      cmocka_unit_test(test_descriptor_to_proto_reads_proto2_constructs),
      cmocka_unit_test(test_descriptor_to_proto_gives_protoc_the_same_descriptor),
      cmocka_unit_test(test_descriptor_to_proto_drops_custom_options),
      cmocka_unit_test(test_descriptor_to_proto_limits_nesting),
      cmocka_unit_test(test_descriptor_to_proto_limits_statements),
      cmocka_unit_test(test_descriptor_to_proto_rejects_garbage),
      cmocka_unit_test(test_descriptor_to_proto_rejects_nonsense),
      cmocka_unit_test(test_descriptor_to_proto_survives_every_prefix),
      cmocka_unit_test(test_file_descriptor_equals_protoc),
      cmocka_unit_test(test_file_descriptor_leaves_out_custom_options),
      cmocka_unit_test(test_file_descriptor_reads_back_to_the_same_descriptor),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
