// SPDX-License-Identifier: Apache-2.0
/* Tests of rest-proxy/src/rp_codec.c and rp_jbuf.c: base64 both ways
 * (strict padding, every tail length), UTF-8 checks of STRING reads, JSON
 * validation of JSON reads, JSON string escaping, format names, and the
 * schemaless encoders' precise refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "rp_codec.h"

/* Encodes data (a JSON text) with fmt; returns the code, bytes in out. */
static rp_code_t enc(rp_format_t fmt, const char *json, serde_buf_t *out, bool *is_null) {
  json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  assert_non_null(v);
  char msg[256] = "";
  rp_code_t rc = rp_encode(NULL, fmt, NULL, v, out, is_null, msg, sizeof msg);
  if (rc != RP_OK) assert_true(msg[0] != '\0');
  json_decref(v);
  return rc;
}

/* Decodes bytes with fmt into a fresh buffer; returns the text (free). */
static char *dec(rp_format_t fmt, const void *data, size_t len, rp_code_t *rc) {
  rp_jbuf_t b = {0};
  size_t size = 0;
  char msg[256] = "";
  *rc = rp_decode(NULL, fmt, "t", SERDE_VALUE, data, len, &b, &size, msg, sizeof msg);
  return rp_jbuf_take(&b, NULL);
}

static void test_base64_round_trips_every_tail_length(void **state) {
  (void)state;
  unsigned char raw[64];
  for (size_t i = 0; i < sizeof raw; i++) raw[i] = (unsigned char)(i * 37 + 11);
  for (size_t n = 0; n <= sizeof raw; n++) {
    rp_code_t rc;
    char *text = dec(RP_FMT_BINARY, raw, n, &rc);
    assert_int_equal(rc, RP_OK);
    serde_buf_t out = {0};
    bool is_null = true;
    assert_int_equal(enc(RP_FMT_BINARY, text, &out, &is_null), RP_OK);
    assert_false(is_null);
    assert_int_equal(out.len, n);
    if (n) assert_memory_equal(out.data, raw, n);
    serde_buf_fini(&out);
    free(text);
  }
}

static void test_base64_known_values_and_refusals(void **state) {
  (void)state;
  rp_code_t rc;
  char *t = dec(RP_FMT_BINARY, "hello", 5, &rc);
  assert_string_equal(t, "\"aGVsbG8=\"");
  free(t);
  serde_buf_t out = {0};
  bool is_null;
  assert_int_equal(enc(RP_FMT_BINARY, "\"aGVsbG8=\"", &out, &is_null), RP_OK);
  assert_int_equal(out.len, 5);
  assert_memory_equal(out.data, "hello", 5);
  const char *bad[] = {"\"aGVsbG8\"", "\"aGV sbG8=\"", "\"a===\"", "\"aG=v\"", "\"!!!!\"", "1", "{}", "[\"aGk=\"]"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(enc(RP_FMT_BINARY, bad[i], &out, &is_null), RP_ERR_UNPROCESSABLE);
  assert_int_equal(enc(RP_FMT_BINARY, "null", &out, &is_null), RP_OK);
  assert_true(is_null);
  serde_buf_fini(&out);
}

static void test_string_and_json_encoders(void **state) {
  (void)state;
  serde_buf_t out = {0};
  bool is_null;
  assert_int_equal(enc(RP_FMT_STRING, "\"h\\u00e9\\u0000x\"", &out, &is_null), RP_OK);
  assert_int_equal(out.len, 5);
  assert_memory_equal(out.data, "h\xc3\xa9\0x", 5);
  assert_int_equal(enc(RP_FMT_STRING, "42", &out, &is_null), RP_ERR_UNPROCESSABLE);
  assert_int_equal(enc(RP_FMT_JSON, "{\"a\": [1, true, null]}", &out, &is_null), RP_OK);
  assert_int_equal(out.len, strlen("{\"a\":[1,true,null]}"));
  assert_memory_equal(out.data, "{\"a\":[1,true,null]}", out.len);
  assert_int_equal(enc(RP_FMT_JSON, "\"s\"", &out, &is_null), RP_OK);
  assert_memory_equal(out.data, "\"s\"", 3);
  assert_int_equal(enc(RP_FMT_AVRO, "{}", &out, &is_null), RP_ERR_UNPROCESSABLE);
  assert_int_equal(enc(RP_FMT_PROTOBUF, "{}", &out, &is_null), RP_ERR_UNPROCESSABLE); /* no schema */
  assert_int_equal(enc(RP_FMT_JSONSCHEMA, "{}", &out, &is_null), RP_ERR_BAD_REQUEST);
  serde_buf_fini(&out);
}

static void test_string_reads_check_utf8(void **state) {
  (void)state;
  rp_code_t rc;
  char *t = dec(RP_FMT_STRING, "a\"\\\n\x01\xc3\xa9", 7, &rc);
  assert_int_equal(rc, RP_OK);
  assert_string_equal(t, "\"a\\\"\\\\\\n\\u0001\xc3\xa9\"");
  free(t);
  const char *bad[] = {"\xc3", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    free(dec(RP_FMT_STRING, bad[i], strlen(bad[i]), &rc));
    assert_int_equal(rc, RP_ERR_JSON_CONVERSION);
  }
}

static void test_json_reads_validate_and_keep_text(void **state) {
  (void)state;
  rp_code_t rc;
  char *t = dec(RP_FMT_JSON, "{\"x\": 1}", 8, &rc);
  assert_int_equal(rc, RP_OK);
  assert_string_equal(t, "{\"x\": 1}");
  free(t);
  free(dec(RP_FMT_JSON, "{\"x\": ", 6, &rc));
  assert_int_equal(rc, RP_ERR_JSON_CONVERSION);
  t = dec(RP_FMT_JSON, NULL, 0, &rc);
  assert_int_equal(rc, RP_OK);
  assert_string_equal(t, "null");
  free(t);
}

static void test_jbuf_integers(void **state) {
  (void)state;
  rp_jbuf_t b = {0};
  int64_t vals[] = {0, 7, -7, 1234567890123LL, INT64_MAX, INT64_MIN};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    rp_jbuf_int(&b, vals[i]);
    rp_jbuf_lit(&b, ",");
  }
  char *t = rp_jbuf_take(&b, NULL);
  assert_string_equal(t, "0,7,-7,1234567890123,9223372036854775807,-9223372036854775808,");
  free(t);
}

static void test_format_names(void **state) {
  (void)state;
  rp_format_t f;
  assert_true(rp_format_parse("binary", &f) && f == RP_FMT_BINARY);
  assert_true(rp_format_parse("Avro", &f) && f == RP_FMT_AVRO);
  assert_true(rp_format_parse("JSONSCHEMA", &f) && f == RP_FMT_JSONSCHEMA);
  assert_false(rp_format_parse("xml", &f));
  assert_string_equal(rp_format_name(RP_FMT_STRING), "STRING");
  assert_true(rp_format_has_schema(RP_FMT_PROTOBUF));
  assert_false(rp_format_has_schema(RP_FMT_JSON));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_base64_round_trips_every_tail_length),
      cmocka_unit_test(test_base64_known_values_and_refusals),
      cmocka_unit_test(test_string_and_json_encoders),
      cmocka_unit_test(test_string_reads_check_utf8),
      cmocka_unit_test(test_json_reads_validate_and_keep_text),
      cmocka_unit_test(test_jbuf_integers),
      cmocka_unit_test(test_format_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
