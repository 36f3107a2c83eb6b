// SPDX-License-Identifier: Apache-2.0
/* Tests of pb_wire_read.c, pb_wire_write.c and pb_depth.c: the Protobuf
 * wire primitives on hostile input (truncated and over-long varints, lengths
 * past the end, bad tags, unbalanced and bottomless groups), the field
 * scanner's wire-type checks, the writer's encodings as protoc's C++ writes
 * them, and the nesting guard that runs before protobuf-c's unpack. */
#include "pb_int.h"
#include "test_pb_helpers.h"

static serde_code_t read_varint(const uint8_t *p, size_t n, uint64_t *v, serde_error_t *err) {
  pb_rd_t r = {p, p + n};
  return serde__pb_rd_varint(&r, v, err);
}

static void test_pb_wire_reads_varints_up_to_64_bits(void **state) {
  (void)state;
  uint64_t v = 0;
  serde_error_t err = {0};
  assert_int_equal(read_varint((const uint8_t[]){0x96, 0x01}, 2, &v, &err), SERDE_OK);
  assert_int_equal(v, 150);
  const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  assert_int_equal(read_varint(max, sizeof max, &v, &err), SERDE_OK);
  assert_true(v == UINT64_MAX);
  const uint8_t over[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  assert_int_equal(read_varint(over, sizeof over, &v, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "varint over 64 bits");
  const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00};
  assert_int_equal(read_varint(eleven, sizeof eleven, &v, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_int_equal(read_varint((const uint8_t[]){0x80, 0x80}, 2, &v, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "truncated varint");
  assert_int_equal(read_varint(NULL, 0, &v, &err), SERDE_ERR_PAYLOAD_INVALID);
}

static void test_pb_wire_checks_lengths_and_fixed_values_against_the_bytes_left(void **state) {
  (void)state;
  serde_error_t err = {0};
  const uint8_t *p = NULL;
  size_t len = 0;
  /* a length of 2^63 with 3 bytes left: refused, nothing allocated */
  const uint8_t huge[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 'a', 'b', 'c'};
  pb_rd_t r = {huge, huge + sizeof huge};
  assert_int_equal(serde__pb_rd_len(&r, &p, &len, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_non_null(strstr(err.message, "exceeds the 3 bytes left"));
  const uint8_t ok[] = {0x02, 'h', 'i', 'x'};
  r = (pb_rd_t){ok, ok + sizeof ok};
  assert_int_equal(serde__pb_rd_len(&r, &p, &len, &err), SERDE_OK);
  assert_int_equal(len, 2);
  assert_memory_equal(p, "hi", 2);
  assert_ptr_equal(r.p, ok + 3);
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  r = (pb_rd_t){ok, ok + 3};
  assert_int_equal(serde__pb_rd_fixed32(&r, &v32, &err), SERDE_ERR_PAYLOAD_INVALID);
  r = (pb_rd_t){huge, huge + 7};
  assert_int_equal(serde__pb_rd_fixed64(&r, &v64, &err), SERDE_ERR_PAYLOAD_INVALID);
  r = (pb_rd_t){huge, huge + 8};
  assert_int_equal(serde__pb_rd_fixed64(&r, &v64, &err), SERDE_OK);
  assert_true(v64 == 0x8080808080808080ULL);
}

static void test_pb_wire_rejects_bad_tags(void **state) {
  (void)state;
  serde_error_t err = {0};
  int32_t number = 0;
  int wire = 0;
  pb_rd_t r = {(const uint8_t[]){0x02}, NULL};
  r.end = r.p + 1;
  assert_int_equal(serde__pb_rd_tag(&r, &number, &wire, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "field number 0");
  const uint8_t six[] = {0x0e};
  r = (pb_rd_t){six, six + 1};
  assert_int_equal(serde__pb_rd_tag(&r, &number, &wire, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "field 1: invalid wire type 6");
  const uint8_t wide[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
  r = (pb_rd_t){wide, wide + sizeof wide};
  assert_int_equal(serde__pb_rd_tag(&r, &number, &wire, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "tag over 32 bits");
  const uint8_t good[] = {0xfa, 0xff, 0xff, 0xff, 0x0f};
  r = (pb_rd_t){good, good + sizeof good};
  assert_int_equal(serde__pb_rd_tag(&r, &number, &wire, &err), SERDE_OK);
  assert_int_equal(number, PB_MAX_FIELD_NUMBER);
  assert_int_equal(wire, PB_LEN);
}

static void test_pb_wire_finds_group_ends_and_rejects_bad_groups(void **state) {
  (void)state;
  serde_error_t err = {0};
  const uint8_t *p = NULL;
  size_t len = 0;
  /* group 1 { f2 = 5, group 3 { f4 = "x" } } then f5 = 1 */
  const uint8_t g[] = {0x10, 0x05, 0x1b, 0x22, 0x01, 'x', 0x1c, 0x0c, 0x28, 0x01};
  pb_rd_t r = {g, g + sizeof g};
  assert_int_equal(serde__pb_rd_group(&r, 1, 0, &p, &len, &err), SERDE_OK);
  assert_ptr_equal(p, g);
  assert_int_equal(len, 7);
  assert_ptr_equal(r.p, g + 8);
  /* the end tag closes another group */
  const uint8_t wrong[] = {0x10, 0x05, 0x14};
  r = (pb_rd_t){wrong, wrong + sizeof wrong};
  assert_int_equal(serde__pb_rd_group(&r, 1, 0, &p, &len, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "end tag of group 2 closes group 1");
  r = (pb_rd_t){g, g + 7};
  assert_int_equal(serde__pb_rd_group(&r, 1, 0, &p, &len, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "group 1 has no end tag");
  /* 10,000 nested start-group tags: refused at the depth limit, no recursion */
  uint8_t deep[10000];
  memset(deep, 0x0b, sizeof deep);
  r = (pb_rd_t){deep, deep + sizeof deep};
  assert_int_equal(serde__pb_rd_group(&r, 1, 0, &p, &len, &err), SERDE_ERR_PAYLOAD_INVALID);
  assert_non_null(strstr(err.message, "deeper than 100"));
}

static const char *SCAN_PROTO =
    "syntax = \"proto3\"; package t;\n"
    "message M { int32 a = 1; repeated int32 r = 2; string s = 3; M m = 4; fixed32 f = 5; repeated string rs "
    "= 6; }\n";

static serde_code_t scan(const sch_pb_message_t *m, const uint8_t *p, size_t n, pb_occs_t *occs,
                         serde_error_t *err) {
  uint32_t seq = 0;
  return serde__pb_scan(occs, m, p, n, 1, &seq, err);
}

static void test_pb_wire_scan_keeps_known_fields_and_skips_unknown_ones(void **state) {
  (void)state;
  sch_pb_schema_t *s = tpb_build_text(SCAN_PROTO);
  const sch_pb_message_t *m = tpb_message(s, "t.M");
  /* a=1, unknown 9 (varint), r packed [1,2], unknown group 10 {11: 1}, r=3 unpacked, unknown 12 fixed64,
   * s="x" */
  const uint8_t data[] = {0x08, 0x01, 0x48, 0x07, 0x12, 0x02, 0x01, 0x02, 0x53, 0x58, 0x01, 0x54, 0x10,
                          0x03, 0x61, 1,    2,    3,    4,    5,    6,    7,    8,    0x1a, 0x01, 'x'};
  pb_occs_t occs = {0};
  serde_error_t err = {0};
  assert_int_equal(scan(m, data, sizeof data, &occs, &err), SERDE_OK);
  assert_int_equal(occs.n, 4);
  assert_int_equal(occs.items[0].field->number, 1);
  assert_int_equal(occs.items[0].v, 1);
  assert_int_equal(occs.items[1].wire, PB_LEN); /* packed */
  assert_int_equal(occs.items[2].wire, PB_VARINT);
  assert_int_equal(occs.items[2].v, 3);
  assert_int_equal(occs.items[3].len, 1);
  assert_int_equal(occs.items[3].seq, 3);
  /* sorting by (number, seq) */
  occs.items[0].field = sch_pb_field_by_number(m, 3);
  serde__pb_occs_sort(&occs, 0);
  assert_int_equal(occs.items[0].field->number, 2);
  assert_int_equal(occs.items[1].field->number, 2);
  assert_true(occs.items[0].seq < occs.items[1].seq);
  free(occs.items);
  sch_pb_schema_destroy(s);
}

static void assert_scan_fails(const sch_pb_message_t *m, const uint8_t *p, size_t n, const char *want) {
  pb_occs_t occs = {0};
  serde_error_t err = {0};
  assert_int_equal(scan(m, p, n, &occs, &err), SERDE_ERR_PAYLOAD_INVALID);
  if (!strstr(err.message, want)) {
    fail_msg("\"%s\" lacks \"%s\"", err.message, want);
  }
  free(occs.items);
}

static void test_pb_wire_scan_rejects_wrong_wire_types_and_truncation(void **state) {
  (void)state;
  sch_pb_schema_t *s = tpb_build_text(SCAN_PROTO);
  const sch_pb_message_t *m = tpb_message(s, "t.M");
  assert_scan_fails(m, (const uint8_t[]){0x0d, 1, 2, 3, 4}, 5,
                    "field 1 (a): wire type 32-bit, expected varint");
  assert_scan_fails(m, (const uint8_t[]){0x0a, 0x00}, 2, "wire type length-delimited, expected varint");
  assert_scan_fails(m, (const uint8_t[]){0x18, 0x01}, 2, "field 3 (s): wire type varint");
  assert_scan_fails(m, (const uint8_t[]){0x32, 0x05, 'a'}, 3, "length 5 exceeds the 1 bytes left");
  assert_scan_fails(m, (const uint8_t[]){0x2d, 1, 2}, 3, "truncated");
  assert_scan_fails(m, (const uint8_t[]){0x0c}, 1, "end tag of group 1 outside that group");
  assert_scan_fails(m, (const uint8_t[]){0x08}, 1, "truncated varint");
  sch_pb_schema_destroy(s);
}

/* ---- writing ------------------------------------------------------------------------- */

static void assert_scalar(sch_pb_type_t t, pb_scalar_t v, const uint8_t *want, size_t n) {
  serde_buf_t b = {0};
  assert_int_equal(serde__pb_put_scalar(&b, t, &v), SERDE_OK);
  assert_int_equal(b.len, n);
  assert_memory_equal(b.data, want, n);
  serde_buf_fini(&b);
}

static void test_pb_wire_writes_scalars_as_cpp_does(void **state) {
  (void)state;
  const uint8_t ten[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  assert_scalar(SCH_PB_INT32, (pb_scalar_t){.u = (uint64_t)-1}, ten, 10); /* sign-extended */
  assert_scalar(SCH_PB_ENUM, (pb_scalar_t){.u = (uint64_t)-1}, ten, 10);
  assert_scalar(SCH_PB_INT64, (pb_scalar_t){.u = (uint64_t)-1}, ten, 10);
  assert_scalar(SCH_PB_UINT32, (pb_scalar_t){.u = 4294967295u},
                (const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0x0f}, 5);
  assert_scalar(SCH_PB_SINT32, (pb_scalar_t){.u = (uint64_t)-1}, (const uint8_t[]){0x01}, 1);
  assert_scalar(SCH_PB_SINT32, (pb_scalar_t){.u = 1}, (const uint8_t[]){0x02}, 1);
  assert_scalar(SCH_PB_SINT64, (pb_scalar_t){.u = (uint64_t)INT64_MIN}, ten, 10);
  assert_scalar(SCH_PB_BOOL, (pb_scalar_t){.u = 7}, (const uint8_t[]){0x01}, 1);
  assert_scalar(SCH_PB_FIXED32, (pb_scalar_t){.u = 0x01020304}, (const uint8_t[]){4, 3, 2, 1}, 4);
  assert_scalar(SCH_PB_SFIXED64, (pb_scalar_t){.u = (uint64_t)-2},
                (const uint8_t[]){0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 8);
  assert_scalar(SCH_PB_FLOAT, (pb_scalar_t){.d = 1.0}, (const uint8_t[]){0, 0, 0x80, 0x3f}, 4);
  assert_scalar(SCH_PB_DOUBLE, (pb_scalar_t){.d = 1.5}, (const uint8_t[]){0, 0, 0, 0, 0, 0, 0xf8, 0x3f}, 8);
  assert_scalar(SCH_PB_STRING, (pb_scalar_t){.s = "hi", .n = 2}, (const uint8_t[]){2, 'h', 'i'}, 3);
  /* proto3 defaults: -0.0 is not one (C++ compares bits) */
  assert_true(serde__pb_scalar_is_default(SCH_PB_DOUBLE, &(pb_scalar_t){.d = 0.0}));
  assert_false(serde__pb_scalar_is_default(SCH_PB_DOUBLE, &(pb_scalar_t){.d = -0.0}));
  assert_false(serde__pb_scalar_is_default(SCH_PB_FLOAT, &(pb_scalar_t){.d = -0.0}));
  assert_true(serde__pb_scalar_is_default(SCH_PB_INT32, &(pb_scalar_t){.u = 0}));
  assert_false(serde__pb_scalar_is_default(SCH_PB_BYTES, &(pb_scalar_t){.s = "", .n = 1}));
}

static void test_pb_wire_patches_lengths_of_any_size(void **state) {
  (void)state;
  size_t sizes[] = {0, 127, 128, 16383, 16384, 70000};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    serde_buf_t b = {0};
    size_t pos = 0;
    assert_int_equal(serde__buf_putc(&b, 'T'), SERDE_OK);
    assert_int_equal(serde__pb_len_begin(&b, &pos), SERDE_OK);
    for (size_t i = 0; i < sizes[k]; i++) {
      assert_int_equal(serde__buf_putc(&b, (char)(i % 251)), SERDE_OK);
    }
    assert_int_equal(serde__pb_len_end(&b, pos), SERDE_OK);
    pb_rd_t r = {b.data + 1, b.data + b.len};
    const uint8_t *p = NULL;
    size_t len = 0;
    serde_error_t err = {0};
    assert_int_equal(serde__pb_rd_len(&r, &p, &len, &err), SERDE_OK);
    assert_int_equal(len, sizes[k]);
    assert_ptr_equal(r.p, b.data + b.len);
    for (size_t i = 0; i < len; i++) {
      assert_int_equal(p[i], i % 251);
    }
    assert_int_equal(b.data[0], 'T');
    serde_buf_fini(&b);
  }
  serde_buf_t b = {0};
  assert_int_equal(serde__pb_put_tag(&b, PB_MAX_FIELD_NUMBER, PB_I32), SERDE_OK);
  assert_int_equal(b.len, 5);
  assert_memory_equal(b.data, ((const uint8_t[]){0xfd, 0xff, 0xff, 0xff, 0x0f}), 5);
  serde_buf_fini(&b);
}

/* ---- the protobuf-c nesting guard ------------------------------------------------------- */

/* n nested Nodes, each `next` of the one before, innermost v = 1. */
static uint8_t *nested_nodes(int n, size_t *len) {
  serde_buf_t b = {0};
  assert_int_equal(serde__buf_put(&b, "\x08\x01", 2), SERDE_OK);
  for (int i = 0; i < n; i++) {
    serde_buf_t outer = {0};
    assert_int_equal(serde__pb_put_tag(&outer, 2, PB_LEN), SERDE_OK);
    assert_int_equal(serde__pb_put_varint(&outer, b.len), SERDE_OK);
    assert_int_equal(serde__buf_put(&outer, b.data, b.len), SERDE_OK);
    serde_buf_fini(&b);
    b = outer;
  }
  *len = b.len;
  return b.data;
}

static void test_pb_depth_guard_allows_100_levels_and_refuses_more(void **state) {
  (void)state;
  serde_error_t err = {0};
  size_t len = 0;
  uint8_t *ok = nested_nodes(100, &len);
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, ok, len, SERDE_PB_MAX_DEPTH, &err), SERDE_OK);
  ProtobufCMessage *msg = protobuf_c_message_unpack(&tpb_node_descriptor, NULL, len, ok);
  assert_non_null(msg);
  protobuf_c_message_free_unpacked(msg, NULL);
  free(ok);
  uint8_t *deep = nested_nodes(101, &len);
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, deep, len, SERDE_PB_MAX_DEPTH, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "messages nest deeper than 100 levels");
  free(deep);
  /* 10,000 levels (crashes protobuf-c's unpack): refused without recursion */
  uint8_t *bomb = nested_nodes(10000, &len);
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, bomb, len, SERDE_PB_MAX_DEPTH, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  free(bomb);
  /* a lower limit */
  uint8_t *three = nested_nodes(3, &len);
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, three, len, 2, &err),
                   SERDE_ERR_PAYLOAD_INVALID);
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, three, len, 3, &err), SERDE_OK);
  free(three);
}

static void test_pb_depth_guard_leaves_malformed_input_to_unpack(void **state) {
  (void)state;
  serde_error_t err = {0};
  const uint8_t bad[][4] = {{0x12, 0x7f, 0x08, 0x01}, {0x80, 0x80, 0x80, 0x80}, {0x0b, 0x08, 0x01, 0x0c}};
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, bad[i], 4, SERDE_PB_MAX_DEPTH, &err),
                     SERDE_OK);
    assert_null(protobuf_c_message_unpack(&tpb_node_descriptor, NULL, 4, bad[i]));
  }
  /* fields that are not messages are not followed, whatever they hold */
  const uint8_t other[] = {0x0a, 0x02, 0x12, 0x00};
  assert_int_equal(serde__pb_check_depth(&tpb_node_descriptor, other, 4, 0, &err), SERDE_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pb_wire_reads_varints_up_to_64_bits),
      cmocka_unit_test(test_pb_wire_checks_lengths_and_fixed_values_against_the_bytes_left),
      cmocka_unit_test(test_pb_wire_rejects_bad_tags),
      cmocka_unit_test(test_pb_wire_finds_group_ends_and_rejects_bad_groups),
      cmocka_unit_test(test_pb_wire_scan_keeps_known_fields_and_skips_unknown_ones),
      cmocka_unit_test(test_pb_wire_scan_rejects_wrong_wire_types_and_truncation),
      cmocka_unit_test(test_pb_wire_writes_scalars_as_cpp_does),
      cmocka_unit_test(test_pb_wire_patches_lengths_of_any_size),
      cmocka_unit_test(test_pb_depth_guard_allows_100_levels_and_refuses_more),
      cmocka_unit_test(test_pb_depth_guard_leaves_malformed_input_to_unpack),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
