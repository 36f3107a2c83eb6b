// SPDX-License-Identifier: Apache-2.0
/* Tests of pb_json_out.c, pb_json_in.c, pb_wkt_json.c, pb_number.c and
 * pb_wkt_time.c: Protobuf binary <-> proto3 JSON against reference data
 * made by protoc (binary) and Google's Python json_format (JSON), see
 * data/pb/make_fixtures.py; then the exact text Java's JsonFormat would
 * print (key order, number layout), the merge rules of the wire format, what
 * the JSON reader accepts and the errors it gives with their paths, and
 * hostile binary input. */
#include <jansson.h>
#include <math.h>

#include "pb_int.h"
#include "test_pb_helpers.h"

static sch_pb_schema_t *codec, *codec2;

static int setup(void **state) {
  (void)state;
  codec = tpb_build_file("codec.proto");
  codec2 = tpb_build_file("codec2.proto");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  sch_pb_schema_destroy(codec);
  sch_pb_schema_destroy(codec2);
  return 0;
}

static const sch_pb_schema_t *schema_of(const char *message) {
  return strncmp(message, "weir.test2.", 11) == 0 ? codec2 : codec;
}

/* binary -> JSON text (malloc'd), asserting success. */
static char *to_json(const char *message, const uint8_t *p, size_t n) {
  const sch_pb_schema_t *s = schema_of(message);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  serde_code_t rc = serde__pb_to_json(s, tpb_message(s, message), p, n, &out, &err);
  if (rc != SERDE_OK) {
    fail_msg("%s does not print: %s", message, err.message);
  }
  char *text = strndup((const char *)out.data, out.len);
  serde_buf_fini(&out);
  return text;
}

/* JSON -> binary, asserting success. */
static serde_buf_t from_json(const char *message, const char *json) {
  const sch_pb_schema_t *s = schema_of(message);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  if (serde__pb_from_json(s, tpb_message(s, message), json, strlen(json), &out, &err) != SERDE_OK) {
    fail_msg("%s does not read %s: %s", message, json, err.message);
  }
  return out;
}

static void assert_same_json(const char *got, const char *want, const char *what) {
  json_t *g = json_loads(got, JSON_DECODE_ANY, NULL), *w = json_loads(want, JSON_DECODE_ANY, NULL);
  if (!g) {
    fail_msg("%s: output is not JSON: %s", what, got);
  }
  assert_non_null(w);
  if (!json_equal(g, w)) {
    fail_msg("%s:\n got  %s\n want %s", what, got, want);
  }
  json_decref(g);
  json_decref(w);
}

/* ---- reference data ----------------------------------------------------------------------- */

/* Cases whose Python JSON does not encode back to protoc's exact bytes:
 * an empty Value prints as null, which reads back as null_value. */
static bool bytes_differ_by_design(const char *name) {
  return strcmp(name, "wkt_empty_wrappers") == 0;
}

static void test_pb_json_matches_protoc_and_python_on_every_fixture(void **state) {
  (void)state;
  char *text = tpb_read("fixtures.jsonl", NULL);
  int cases = 0;
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), cases++) {
    json_t *c = json_loads(line, 0, NULL);
    assert_non_null(c);
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *message = json_string_value(json_object_get(c, "message"));
    const char *want = json_string_value(json_object_get(c, "json"));
    size_t n = 0;
    uint8_t *bin = tpb_unhex(json_string_value(json_object_get(c, "hex")), &n);
    /* protoc's bytes print as Python prints them */
    char *got = to_json(message, bin, n);
    assert_same_json(got, want, name);
    /* Python's JSON reads back to protoc's bytes (proto3: defaults are not written) */
    serde_buf_t again = from_json(message, want);
    if (schema_of(message) == codec && !bytes_differ_by_design(name)) {
      if (again.len != n || (n && memcmp(again.data, bin, n) != 0)) {
        fail_msg("%s: JSON encodes to %zu bytes, protoc wrote %zu", name, again.len, n);
      }
    }
    /* and whatever it encodes to prints the same JSON */
    char *round = to_json(message, again.data, again.len);
    assert_same_json(round, want, name);
    free(round);
    serde_buf_fini(&again);
    free(got);
    free(bin);
    json_decref(c);
  }
  assert_true(cases >= 20);
  free(text);
}

/* ---- exact output ----------------------------------------------------------------------------- */

static void assert_prints(const char *message, const char *json_in, const char *want) {
  serde_buf_t bin = from_json(message, json_in);
  char *got = to_json(message, bin.data, bin.len);
  assert_string_equal(got, want);
  free(got);
  serde_buf_fini(&bin);
}

static void test_pb_json_prints_like_java_jsonformat(void **state) {
  (void)state;
  /* field-number order whatever the input order, json_name, defaults,
   * 64-bit integers quoted, compact */
  assert_prints(
      "weir.test.Scalars", "{\"renamed\":\"r\",\"i64\":5,\"d\":2}",
      "{\"d\":2.0,\"f\":0.0,\"i32\":0,\"i64\":\"5\",\"u32\":0,\"u64\":\"0\",\"s32\":0,\"s64\":\"0\","
      "\"fx32\":0,\"fx64\":\"0\",\"sfx32\":0,\"sfx64\":\"0\",\"b\":false,\"s\":\"\",\"by\":\"\","
      "\"color\":\"COLOR_UNSPECIFIED\",\"renamed\":\"r\",\"snakeCaseName\":\"\"}");
  /* a message field that is set prints with its own defaults */
  assert_prints("weir.test.Node", "{\"next\":{}}", "{\"v\":0,\"next\":{\"v\":0}}");
  assert_prints("weir.test.Order", "{\"gift\":{},\"qty\":{\"b\":1,\"a\":2}}",
                "{\"orderId\":\"\",\"lines\":[],\"qty\":{\"b\":\"1\",\"a\":\"2\"},\"byNum\":{},"
                "\"gift\":{\"sku\":\"\",\"count\":0,\"price\":0.0},\"packedNums\":[],\"unpackedNums\":[],"
                "\"tags\":[],\"colors\":[],\"flags\":{},\"ratios\":[],\"blobs\":{}}");
  /* proto2: unset optional scalars print their [default]; unset groups do not */
  assert_prints(
      "weir.test2.P2", "{\"name\":\"n\",\"grp\":{\"a\":1}}",
      "{\"name\":\"n\",\"count\":7,\"label\":\"hi\",\"kind\":\"B\",\"nums\":[],\"packed\":[],"
      "\"grp\":{\"a\":1},\"data\":\"YQFi\",\"ratio\":\"Infinity\",\"plainKind\":\"A\",\"flag\":false,"
      "\"kinds\":[]}");
}

static void assert_double_text(double x, bool is_float, const char *want) {
  serde_buf_t b = {0};
  assert_int_equal(serde__pb_put_double(&b, x, is_float), SERDE_OK);
  assert_int_equal(serde__buf_putc(&b, 0), SERDE_OK);
  assert_string_equal((const char *)b.data, want);
  serde_buf_fini(&b);
}

static void test_pb_json_numbers_use_javas_layout(void **state) {
  (void)state;
  assert_double_text(1.0, false, "1.0");
  assert_double_text(100.0, false, "100.0");
  assert_double_text(1234567.0, false, "1234567.0");
  assert_double_text(1e7, false, "1.0E7");
  assert_double_text(12345678.9, false, "1.23456789E7");
  assert_double_text(0.001, false, "0.001");
  assert_double_text(0.0001, false, "1.0E-4");
  assert_double_text(-2.5e-10, false, "-2.5E-10");
  assert_double_text(0.1, false, "0.1");
  assert_double_text(0.1f, true, "0.1");
  assert_double_text(0.1f, false, "0.10000000149011612");
  assert_double_text(3.4028234663852886e38, true, "3.4028235E38");
  assert_double_text(1.7976931348623157e308, false, "1.7976931348623157E308");
  assert_double_text(5e-324, false, "4.9E-324");
  assert_double_text(-0.0, false, "-0.0");
  assert_double_text(NAN, false, "\"NaN\"");
  assert_double_text(-INFINITY, true, "\"-Infinity\"");
  serde_buf_t b = {0};
  assert_int_equal(serde__pb_put_int(&b, INT64_MIN, true), SERDE_OK);
  assert_int_equal(serde__pb_put_uint(&b, UINT64_MAX, false), SERDE_OK);
  assert_int_equal(serde__pb_put_int(&b, -7, false), SERDE_OK);
  assert_int_equal(b.len, strlen("\"-9223372036854775808\"18446744073709551615-7"));
  assert_memory_equal(b.data, "\"-9223372036854775808\"18446744073709551615-7", b.len);
  serde_buf_fini(&b);
}

static void test_pb_json_number_input_forms(void **state) {
  (void)state;
  json_t *v = NULL;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  const char *why = NULL;
  struct {
    const char *json;
    bool ok;
    int64_t want;
  } ints[] = {{"5", true, 5},
              {"5.0", true, 5},
              {"\"5\"", true, 5},
              {"\"1e2\"", true, 100},
              {"\"-0\"", true, 0},
              {"5.5", false, 0},
              {"\"x\"", false, 0},
              {"2147483648", false, 0},
              {"\"+7\"", true, 7},
              {"\" 7\"", false, 0},
              {"true", false, 0},
              {"\"0x10\"", false, 0},
              {"-2147483648", true, INT32_MIN}};
  for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
    v = json_loads(ints[k].json, JSON_DECODE_ANY, NULL);
    assert_non_null(v);
    bool ok = serde__pb_json_int(v, INT32_MIN, INT32_MAX, &i, &why);
    if (ok != ints[k].ok || (ok && i != ints[k].want)) {
      fail_msg("int32 from %s: %d", ints[k].json, ok);
    }
    json_decref(v);
  }
  v = json_string("18446744073709551615");
  assert_true(serde__pb_json_uint(v, UINT64_MAX, &u, &why));
  assert_true(u == UINT64_MAX);
  assert_false(serde__pb_json_uint(v, UINT32_MAX, &u, &why));
  json_decref(v);
  v = json_string("-1");
  assert_false(serde__pb_json_uint(v, UINT64_MAX, &u, &why));
  json_decref(v);
  v = json_string("9223372036854775807");
  assert_true(serde__pb_json_int(v, INT64_MIN, INT64_MAX, &i, &why));
  assert_true(i == INT64_MAX);
  json_decref(v);
  v = json_string("9223372036854775808");
  assert_false(serde__pb_json_int(v, INT64_MIN, INT64_MAX, &i, &why));
  json_decref(v);
  const char *reals[] = {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1.5\"", "1", "\"1e3\""};
  for (size_t k = 0; k < 6; k++) {
    v = json_loads(reals[k], JSON_DECODE_ANY, NULL);
    assert_true(serde__pb_json_double(v, false, &d, &why));
    json_decref(v);
  }
  const char *bad_reals[] = {"\"nan\"", "\"inf\"", "\"0x1p3\"", "\"1e999\"", "true", "\"\""};
  for (size_t k = 0; k < 6; k++) {
    v = json_loads(bad_reals[k], JSON_DECODE_ANY, NULL);
    if (serde__pb_json_double(v, false, &d, &why)) {
      fail_msg("double from %s accepted", bad_reals[k]);
    }
    json_decref(v);
  }
  v = json_real(3.5e38);
  assert_false(serde__pb_json_double(v, true, &d, &why));
  assert_string_equal(why, "float out of range");
  json_decref(v);
}

static void test_pb_json_time_text_round_trips_and_checks_ranges(void **state) {
  (void)state;
  char text[PB_TIME_TEXT_MAX];
  int64_t s = 0;
  int32_t n = 0;
  assert_true(serde__pb_timestamp_format(0, 0, text));
  assert_string_equal(text, "1970-01-01T00:00:00Z");
  assert_true(serde__pb_timestamp_format(951782400, 1000, text)); /* a leap day */
  assert_string_equal(text, "2000-02-29T00:00:00.000001Z");
  assert_true(serde__pb_timestamp_format(-62135596800LL, 0, text));
  assert_string_equal(text, "0001-01-01T00:00:00Z");
  assert_true(serde__pb_timestamp_format(-1, 999999999, text));
  assert_string_equal(text, "1969-12-31T23:59:59.999999999Z");
  assert_false(serde__pb_timestamp_format(-62135596801LL, 0, text));
  assert_false(serde__pb_timestamp_format(253402300800LL, 0, text));
  assert_false(serde__pb_timestamp_format(0, -1, text));
  assert_true(serde__pb_timestamp_parse("2000-02-29T01:00:00.5+01:00", 27, &s, &n));
  assert_true(s == 951782400 && n == 500000000);
  const char *bad[] = {"2001-02-29T00:00:00Z", "2000-01-01T24:00:00Z",     "2000-01-01 00:00:00Z",
                       "2000-01-01T00:00:00",  "2000-01-01T00:00:00.Z",    "2000-01-01T00:00:00.1234567890Z",
                       "0000-12-31T00:00:00Z", "9999-12-31T23:59:59-01:00"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    if (serde__pb_timestamp_parse(bad[k], strlen(bad[k]), &s, &n)) {
      fail_msg("timestamp %s accepted", bad[k]);
    }
  }
  assert_true(serde__pb_duration_format(-1, -500000000, text));
  assert_string_equal(text, "-1.500s");
  assert_true(serde__pb_duration_format(0, -1000, text));
  assert_string_equal(text, "-0.000001s");
  assert_false(serde__pb_duration_format(1, -1, text));
  assert_false(serde__pb_duration_format(315576000001LL, 0, text));
  assert_true(serde__pb_duration_parse("-0.5s", 5, &s, &n));
  assert_true(s == 0 && n == -500000000);
  assert_false(serde__pb_duration_parse("1.5", 3, &s, &n));
  assert_false(serde__pb_duration_parse("315576000001s", 13, &s, &n));
  assert_false(serde__pb_duration_parse("s", 1, &s, &n));
}

/* ---- the wire format's merge rules ---------------------------------------------------------- */

static void assert_binary_prints(const char *message, const uint8_t *p, size_t n, const char *want) {
  char *got = to_json(message, p, n);
  assert_string_equal(got, want);
  free(got);
}

static void test_pb_json_follows_protobuf_merge_rules(void **state) {
  (void)state;
  /* Node: v twice (last wins), next twice (merged: v from the first, next.next from the second) */
  const uint8_t node[] = {0x08, 0x01, 0x12, 0x02, 0x08, 0x05, 0x08, 0x02, 0x12, 0x04, 0x12, 0x02, 0x08, 0x07};
  assert_binary_prints("weir.test.Node", node, sizeof node,
                       "{\"v\":2,\"next\":{\"v\":5,\"next\":{\"v\":7}}}");
  /* Order: oneof card then cash_cents (cash wins); packed and unpacked mixed; a repeated key */
  const uint8_t order[] = {0x2a, 0x01, 'c',  0x30, 0x05, 0x42, 0x02, 0x01, 0x02, 0x40, 0x03,
                           0x1a, 0x05, 0x0a, 0x01, 'k',  0x10, 0x01, 0x1a, 0x05, 0x0a, 0x01,
                           'j',  0x10, 0x02, 0x1a, 0x05, 0x0a, 0x01, 'k',  0x10, 0x03};
  char *got = to_json("weir.test.Order", order, sizeof order);
  assert_non_null(strstr(got, "\"qty\":{\"k\":\"3\",\"j\":\"2\"}"));
  assert_non_null(strstr(got, "\"cashCents\":\"5\""));
  assert_null(strstr(got, "card"));
  assert_non_null(strstr(got, "\"packedNums\":[1,2,3]"));
  free(got);
  /* a oneof message member set, then another member, then the first again: only the last part survives */
  const uint8_t oneof[] = {0x3a, 0x03, 0x0a, 0x01, 'a', 0x2a, 0x00, 0x3a, 0x02, 0x10, 0x04};
  got = to_json("weir.test.Order", oneof, sizeof oneof);
  assert_non_null(strstr(got, "\"gift\":{\"sku\":\"\",\"count\":4,\"price\":0.0}"));
  free(got);
}

static void test_pb_json_skips_unknown_fields_and_reads_groups(void **state) {
  (void)state;
  /* P2: name, unknown varint 99, unknown group 100 { 101: "x" }, Grp { a: 3 }, unknown enum 9 for kind */
  const uint8_t p2[] = {0x0a, 0x01, 'n',  0x98, 0x06, 0x01, 0xa3, 0x06, 0xaa, 0x06, 0x01, 'x',
                        0xa4, 0x06, 0x3b, 0x40, 0x03, 0x3c, 0x20, 0x09, 0x68, 0x01, 0x68, 0x09};
  char *got = to_json("weir.test2.P2", p2, sizeof p2);
  assert_non_null(strstr(got, "\"grp\":{\"a\":3}"));
  assert_non_null(strstr(got, "\"kind\":\"B\"")); /* 9 is unknown in a closed enum: the default stays */
  assert_non_null(strstr(got, "\"kinds\":[\"A\"]"));
  free(got);
  /* proto3: unknown fields are skipped */
  assert_binary_prints("weir.test.Node", (const uint8_t[]){0x08, 0x02, 0x50, 0x01}, 4, "{\"v\":2}");
}

/* ---- JSON in: accepted forms ----------------------------------------------------------------- */

static void assert_encodes(const char *message, const char *json, const uint8_t *want, size_t n) {
  serde_buf_t got = from_json(message, json);
  if (got.len != n || (n && memcmp(got.data, want, n) != 0)) {
    fail_msg("%s: %zu bytes, want %zu", json, got.len, n);
  }
  serde_buf_fini(&got);
}

static void test_pb_json_reads_every_accepted_form(void **state) {
  (void)state;
  /* proto field name and json_name; strings for 64-bit and 32-bit numbers; null is "not set" */
  assert_encodes("weir.test.Scalars",
                 "{\"json_named\":\"a\",\"snake_case_name\":null,\"i64\":\"-1\",\"u32\":\"7\"}",
                 (const uint8_t[]){0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x28,
                                   0x07, 0x92, 0x01, 0x01, 'a'},
                 17);
  /* URL-safe base64 without padding; enum by number and by name */
  assert_encodes("weir.test.Scalars", "{\"by\":\"-_8\",\"color\":2}",
                 (const uint8_t[]){0x7a, 0x02, 0xfb, 0xff, 0x80, 0x01, 0x02}, 7);
  assert_encodes("weir.test.Scalars", "{\"color\":\"RED\",\"b\":\"true\"}",
                 (const uint8_t[]){0x68, 0x01, 0x80, 0x01, 0x01}, 5);
  /* NaN and defaults: proto3 defaults are not written, -0.0 is */
  assert_encodes("weir.test.Scalars", "{\"d\":\"NaN\",\"i32\":0,\"s\":\"\",\"f\":-0.0}",
                 (const uint8_t[]){0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0x15, 0, 0, 0, 0x80}, 14);
  /* proto3 optional and oneof members are written even when default */
  assert_encodes("weir.test.Scalars", "{\"optI32\":0}", (const uint8_t[]){0x88, 0x01, 0x00}, 3);
  assert_encodes("weir.test.Order", "{\"cashCents\":\"0\",\"packedNums\":[],\"unpackedNums\":[1,2]}",
                 (const uint8_t[]){0x30, 0x00, 0x48, 0x01, 0x48, 0x02}, 6);
  /* proto2: fields given are written, unpacked repeated by default */
  assert_encodes("weir.test2.P2", "{\"name\":\"\",\"count\":0,\"nums\":[1],\"packed\":[1]}",
                 (const uint8_t[]){0x0a, 0x00, 0x10, 0x00, 0x28, 0x01, 0x32, 0x01, 0x01}, 9);
  /* a group */
  assert_encodes("weir.test2.P2", "{\"name\":\"\",\"grp\":{\"a\":1}}",
                 (const uint8_t[]){0x0a, 0x00, 0x3b, 0x40, 0x01, 0x3c}, 6);
  /* well-known types: Timestamp with an offset, FieldMask, an Any of a Duration */
  assert_encodes("weir.test.Wkt", "{\"ts\":\"1970-01-01T01:00:01+01:00\",\"fm\":\"fooBar,x.yZ\"}",
                 (const uint8_t[]){0x0a, 0x02, 0x08, 0x01, 0x7a, 0x10, 0x0a, 0x07, 'f', 'o', 'o',
                                   '_',  'b',  'a',  'r',  0x0a, 0x05, 'x',  '.',  'y', '_', 'z'},
                 22);
}

/* ---- JSON in: errors ------------------------------------------------------------------------- */

static void assert_json_error(const char *message, const char *json, const char *want) {
  const sch_pb_schema_t *s = schema_of(message);
  serde_buf_t out = {0};
  assert_int_equal(serde__buf_put(&out, "keep", 4), SERDE_OK);
  serde_error_t err = {0};
  serde_code_t rc = serde__pb_from_json(s, tpb_message(s, message), json, strlen(json), &out, &err);
  if (rc != SERDE_ERR_VALUE_INVALID || strcmp(err.message, want) != 0) {
    fail_msg("%s:\n got  %d %s\n want %s", json, rc, err.message, want);
  }
  assert_int_equal(out.len, 4); /* the buffer keeps what it had */
  serde_buf_fini(&out);
}

static void test_pb_json_reports_bad_input_with_its_path(void **state) {
  (void)state;
  assert_json_error("weir.test.Order", "{\"lines\":[{},{},{\"price\":\"x\"}]}",
                    "$.lines[2].price: expected a double, got \"x\"");
  assert_json_error("weir.test.Order", "{\"byNum\":{\"7\":{\"count\":2147483648}}}",
                    "$.byNum[\"7\"].count: integer out of range, got 2147483648");
  assert_json_error("weir.test.Order", "{\"byNum\":{\"x\":{}}}",
                    "$.byNum[\"x\"]: map key is not a valid integer");
  assert_json_error("weir.test.Order", "{\"parent\":{\"nope\":1}}",
                    "$.parent: message weir.test.Order has no field \"nope\"");
  assert_json_error("weir.test.Order", "{\"order_id\":\"a\",\"orderId\":\"b\"}",
                    "$: field \"order_id\" is given twice (as \"order_id\" and \"orderId\")");
  assert_json_error("weir.test.Order", "{\"card\":\"a\",\"cashCents\":1}",
                    "$: fields \"card\" and \"cashCents\" are members of oneof \"payment\"; set one");
  assert_json_error("weir.test.Order", "{\"tags\":[\"a\",null]}", "$.tags[1]: null is not allowed here");
  assert_json_error("weir.test.Order", "{\"tags\":\"a\"}", "$.tags: expected an array, got \"a\"");
  assert_json_error("weir.test.Order", "[]", "$: expected an object (message weir.test.Order), got an array");
  assert_json_error("weir.test.Scalars", "{\"color\":\"BLUE\"}",
                    "$.color: expected a value of enum weir.test.Color, got \"BLUE\"");
  assert_json_error("weir.test.Scalars", "{\"by\":\"a*b\"}", "$.by: expected base64 text, got \"a*b\"");
  assert_json_error("weir.test.Scalars", "{\"b\":1}", "$.b: expected true or false, got 1");
  assert_json_error("weir.test.Scalars", "{\"s\":5}", "$.s: expected a string, got 5");
  assert_json_error("weir.test2.P2", "{\"count\":1}",
                    "$: required field \"name\" of weir.test2.P2 is missing");
  assert_json_error("weir.test2.P2", "{\"name\":\"n\",\"kind\":3}",
                    "$.kind: expected a value of enum weir.test2.P2.Kind, got 3");
  assert_json_error("weir.test.Wkt", "{\"ts\":\"yesterday\"}",
                    "$.ts: expected an RFC 3339 timestamp (\"1972-01-01T10:00:20.021Z\"), got \"yesterday\"");
  assert_json_error("weir.test.Wkt", "{\"any\":{\"@type\":\"type.googleapis.com/x.Y\"}}",
                    "$.any: Any type \"type.googleapis.com/x.Y\" is not defined in the schema");
  assert_json_error("weir.test.Wkt", "{\"any\":{\"sku\":\"a\"}}", "$.any: an Any needs a \"@type\" string");
  assert_json_error("weir.test.Wkt", "{\"st\":[]}", "$.st: expected an object, got an array");
  assert_json_error("weir.test.Order", "{\"a\":1,\"a\":2}",
                    "invalid JSON at line 1 column 10: duplicate object key near '\"a\"'");
  assert_json_error("weir.test.Order", "{",
                    "invalid JSON at line 1 column 1: string or '}' expected near end of file");
}

static void test_pb_json_limits_nesting_of_input(void **state) {
  (void)state;
  /* 100 nested messages are fine, 101 are not */
  char *json = malloc(101 * 9 + 200);
  assert_non_null(json);
  for (int depth = 100; depth <= 101; depth++) {
    char *p = json;
    for (int i = 0; i < depth; i++) {
      p += sprintf(p, "{\"next\":");
    }
    p += sprintf(p, "{}");
    for (int i = 0; i < depth; i++) {
      *p++ = '}';
    }
    *p = '\0';
    const sch_pb_message_t *m = tpb_message(codec, "weir.test.Node");
    serde_buf_t out = {0};
    serde_error_t err = {0};
    serde_code_t rc = serde__pb_from_json(codec, m, json, strlen(json), &out, &err);
    assert_int_equal(rc, depth == 100 ? SERDE_OK : SERDE_ERR_VALUE_INVALID);
    if (rc != SERDE_OK) {
      assert_non_null(strstr(err.message, "messages nest deeper than 100 levels"));
    }
    serde_buf_fini(&out);
  }
  free(json);
  /* a deep JSON array is refused before jansson parses it */
  char deep[3000];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  assert_json_error("weir.test.Order", deep, "JSON nests deeper than 202 levels");
}

/* {"a":{"a":...{}}} nested n deep, as a google.protobuf.Struct. */
static char *nested_struct(int n) {
  char *json = malloc((size_t)n * 6 + 3);
  assert_non_null(json);
  char *p = json;
  for (int i = 0; i < n; i++) {
    p += sprintf(p, "{\"a\":");
  }
  p += sprintf(p, "{}");
  for (int i = 0; i < n; i++) {
    *p++ = '}';
  }
  *p = '\0';
  return json;
}

static void test_pb_json_nesting_limits_agree_both_ways(void **state) {
  (void)state;
  const sch_pb_message_t *st = tpb_message(codec, "google.protobuf.Struct");
  int deepest = -1;
  serde_buf_t last = {0};
  for (int n = 1; n < 120; n++) {
    char *json = nested_struct(n);
    serde_buf_t bin = {0};
    serde_error_t err = {0};
    serde_code_t rc = serde__pb_from_json(codec, st, json, strlen(json), &bin, &err);
    free(json);
    if (rc != SERDE_OK) {
      assert_non_null(strstr(err.message, "nest deeper than 100"));
      serde_buf_fini(&bin);
      break;
    }
    deepest = n;
    serde_buf_fini(&last);
    last = bin;
  }
  /* Struct -> Value -> Struct ...: a JSON level is a map entry, a Value and a Struct */
  assert_int_equal(deepest, 33);
  /* the deepest input JSON the reader takes prints back, and one level more of binary does not */
  char *printed = to_json("google.protobuf.Struct", last.data, last.len);
  char *want = nested_struct(deepest);
  assert_string_equal(printed, want);
  free(printed);
  free(want);
  serde_buf_t deeper = {0};
  assert_int_equal(serde__pb_put_tag(&deeper, 1, PB_LEN), SERDE_OK); /* fields entry */
  size_t entry = 0, value = 0, inner = 0;
  assert_int_equal(serde__pb_len_begin(&deeper, &entry), SERDE_OK);
  assert_int_equal(serde__buf_put(&deeper, "\x0a\x01\x61\x12", 4), SERDE_OK); /* key "a", value: */
  assert_int_equal(serde__pb_len_begin(&deeper, &value), SERDE_OK);
  assert_int_equal(serde__pb_put_tag(&deeper, 5, PB_LEN), SERDE_OK); /* struct_value */
  assert_int_equal(serde__pb_len_begin(&deeper, &inner), SERDE_OK);
  assert_int_equal(serde__buf_put(&deeper, last.data, last.len), SERDE_OK);
  assert_int_equal(serde__pb_len_end(&deeper, inner), SERDE_OK);
  assert_int_equal(serde__pb_len_end(&deeper, value), SERDE_OK);
  assert_int_equal(serde__pb_len_end(&deeper, entry), SERDE_OK);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde__pb_to_json(codec, st, deeper.data, deeper.len, &out, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  assert_non_null(strstr(err.message, "nest deeper than 100"));
  serde_buf_fini(&out);
  serde_buf_fini(&deeper);
  serde_buf_fini(&last);
}

/* ---- binary in: hostile input ------------------------------------------------------------------ */

static void assert_binary_error(const char *message, const uint8_t *p, size_t n, const char *want) {
  const sch_pb_schema_t *s = schema_of(message);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  serde_code_t rc = serde__pb_to_json(s, tpb_message(s, message), p, n, &out, &err);
  if (rc != SERDE_ERR_PAYLOAD_INVALID || !strstr(err.message, want)) {
    fail_msg("got %d \"%s\", want \"%s\"", rc, err.message, want);
  }
  assert_int_equal(out.len, 0);
  serde_buf_fini(&out);
}

static void test_pb_json_rejects_hostile_binary_with_clean_errors(void **state) {
  (void)state;
  assert_binary_error("weir.test.Order", (const uint8_t[]){0x12, 0x03, 0x0a, 0x09, 'a'}, 5,
                      "$.lines[0]: length 9 exceeds the 1 bytes left");
  assert_binary_error("weir.test.Order", (const uint8_t[]){0x12, 0x03, 0x18, 0x01, 0x0a}, 5,
                      "$.lines[0]: field 3 (price): wire type varint, expected 64-bit");
  assert_binary_error("weir.test.Order", (const uint8_t[]){0x42, 0x02, 0x01, 0x80}, 4,
                      "$.packedNums[1]: truncated varint");
  assert_binary_error("weir.test.Scalars", (const uint8_t[]){0x72, 0x02, 0xc3, 0x28}, 4,
                      "$.s: string holds invalid UTF-8 at byte 0");
  assert_binary_error("weir.test.Scalars", (const uint8_t[]){0x72, 0x03, 0xed, 0xa0, 0x80}, 5,
                      "invalid UTF-8"); /* a surrogate */
  assert_binary_error("weir.test.Scalars", (const uint8_t[]){0x72, 0x02, 0xc0, 0x80}, 4,
                      "invalid UTF-8"); /* overlong */
  assert_binary_error(
      "weir.test.Wkt",
      (const uint8_t[]){0x0a, 0x0a, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 12,
      "$.ts: timestamp of");
  assert_binary_error(
      "weir.test.Wkt",
      (const uint8_t[]){0x8a, 0x01, 0x0b, 0x0a, 0x09, 'x', '.', 'c', 'o', 'm', '/', 'a', '.', 'B'}, 14,
      "$.any: Any type \"x.com/a.B\" is not defined in the schema");
  /* proto2 strings get U+FFFD for bad bytes, as Java decodes them */
  char *got = to_json("weir.test2.P2", (const uint8_t[]){0x0a, 0x03, 'a', 0xff, 'b'}, 5);
  assert_non_null(strstr(got,
                         "\"name\":\"a\xef\xbf\xbd"
                         "b\""));
  free(got);
}

static void test_pb_json_survives_a_10000_level_self_nested_message(void **state) {
  (void)state;
  serde_buf_t b = {0};
  assert_int_equal(serde__buf_put(&b, "\x08\x01", 2), SERDE_OK);
  for (int i = 0; i < 10000; i++) {
    serde_buf_t outer = {0};
    assert_int_equal(serde__pb_put_tag(&outer, 2, PB_LEN), SERDE_OK);
    assert_int_equal(serde__pb_put_varint(&outer, b.len), SERDE_OK);
    assert_int_equal(serde__buf_put(&outer, b.data, b.len), SERDE_OK);
    serde_buf_fini(&b);
    b = outer;
  }
  assert_binary_error("weir.test.Node", b.data, b.len, "messages nest deeper than 100 levels");
  serde_buf_fini(&b);
}

static void test_pb_json_survives_every_allocation_failure(void **state) {
  (void)state;
  const char *json =
      "{\"orderId\":\"o\",\"lines\":[{\"sku\":\"a\"},{\"price\":1.5}],\"qty\":{\"a\":1,\"b\":2,\"a2\":3},"
      "\"byNum\":{\"1\":{}},\"gift\":{\"count\":1},\"packedNums\":[1,2],\"parent\":{\"tags\":[\"x\"]}}";
  const sch_pb_message_t *m = tpb_message(codec, "weir.test.Order");
  serde_buf_t bin = from_json("weir.test.Order", json);
  int failures[2] = {0, 0};
  for (long n = 1; n < 400; n++) {
    serde_buf_t out = {0}, back = {0};
    serde_error_t err = {0};
    serde__alloc_fail_at(n);
    serde_code_t a = serde__pb_to_json(codec, m, bin.data, bin.len, &out, &err);
    serde__alloc_fail_at(n);
    serde_code_t b = serde__pb_from_json(codec, m, json, strlen(json), &back, &err);
    serde__alloc_fail_at(0);
    assert_true(a == SERDE_OK || a == SERDE_ERR_NOMEM);
    assert_true(b == SERDE_OK || b == SERDE_ERR_NOMEM);
    failures[0] += a == SERDE_ERR_NOMEM;
    failures[1] += b == SERDE_ERR_NOMEM;
    if (a == SERDE_ERR_NOMEM) {
      assert_int_equal(out.len, 0);
    }
    serde_buf_fini(&out);
    serde_buf_fini(&back);
  }
  /* both directions met failing allocations (the stack of occurrences, map entries, the output) */
  assert_true(failures[0] >= 3);
  assert_true(failures[1] >= 1);
  serde_buf_fini(&bin);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pb_json_matches_protoc_and_python_on_every_fixture),
      cmocka_unit_test(test_pb_json_prints_like_java_jsonformat),
      cmocka_unit_test(test_pb_json_numbers_use_javas_layout),
      cmocka_unit_test(test_pb_json_number_input_forms),
      cmocka_unit_test(test_pb_json_time_text_round_trips_and_checks_ranges),
      cmocka_unit_test(test_pb_json_follows_protobuf_merge_rules),
      cmocka_unit_test(test_pb_json_skips_unknown_fields_and_reads_groups),
      cmocka_unit_test(test_pb_json_reads_every_accepted_form),
      cmocka_unit_test(test_pb_json_reports_bad_input_with_its_path),
      cmocka_unit_test(test_pb_json_limits_nesting_of_input),
      cmocka_unit_test(test_pb_json_nesting_limits_agree_both_ways),
      cmocka_unit_test(test_pb_json_rejects_hostile_binary_with_clean_errors),
      cmocka_unit_test(test_pb_json_survives_a_10000_level_self_nested_message),
      cmocka_unit_test(test_pb_json_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
