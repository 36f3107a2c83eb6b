#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Makes the reference data of the serde's Protobuf unit tests.

fixtures.jsonl (tests/unit/serde/test_pb_json.c):
Each case is a message of codec.proto or codec2.proto in protobuf text
format. protoc (C++) encodes it to binary (`protoc --encode`), and Google's
Python json_format prints that binary as JSON with the options Confluent's
ProtobufSchemaUtils.toJson uses in Java (includingDefaultValueFields; the
whitespace does not matter, the test compares parsed JSON). One JSON object
per line:
  {"name", "file", "message", "hex" (protoc's binary), "json" (Python's text)}

python_frames.jsonl (tests/unit/serde/test_serde_protobuf.c): whole Kafka
values as Debian's confluent-kafka-python 1.7.0 ProtobufSerializer frames
them with schema id 42 (message indexes as unsigned varints, the legacy
form weir reads and writes with use.deprecated.format=true; map-entry types
counted in the indexes as the compiled descriptor has them):
  {"message", "text", "hex"}

Run from anywhere with Debian's protoc 3.21, python3-protobuf 4.21 and
python3-confluent-kafka 1.7.0:
  /usr/bin/python3 tests/unit/serde/data/pb/make_fixtures.py
"""
import json
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = "/usr/include"

# (name, file, message, text format)
CASES = [
    ("scalars_all_set", "codec.proto", "weir.test.Scalars", r'''
d: 1.5 f: 0.1 i32: -5 i64: -9000000000 u32: 4000000000 u64: 18446744073709551615
s32: -7 s64: -8 fx32: 9 fx64: 10 sfx32: -11 sfx64: -12 b: true
s: "h\303\251llo\n\"quoted\" \\ <tag> \001" by: "\000\001\377\376" color: GREEN opt_i32: 0
json_named: "x" snake_case_name: "y"
'''),
    ("scalars_defaults", "codec.proto", "weir.test.Scalars", ""),
    ("scalars_extremes", "codec.proto", "weir.test.Scalars", r'''
d: 1e300 f: 3.4028235e38 i32: -2147483648 i64: -9223372036854775808 u32: 4294967295
s32: -2147483648 s64: -9223372036854775808 sfx32: -2147483648 sfx64: -9223372036854775808
fx64: 18446744073709551615 fx32: 4294967295
'''),
    ("scalars_small_and_big_doubles", "codec.proto", "weir.test.Scalars", "d: 1e-7 f: 1e10"),
    ("scalars_infinities", "codec.proto", "weir.test.Scalars", "d: inf f: -inf"),
    ("scalars_negative_zero", "codec.proto", "weir.test.Scalars", "d: -0.0 f: -0.0"),
    ("scalars_unknown_enum_number", "codec.proto", "weir.test.Scalars", "color: 7"),
    ("order_full", "codec.proto", "weir.test.Order", r'''
order_id: "o-1"
lines { sku: "a" count: 2 price: 9.99 }
lines { sku: "b" count: 0 price: 0 }
qty { key: "a" value: 2 }
by_num { key: -3 value { sku: "neg" count: 1 } }
card: "visa"
packed_nums: [1, -2, 300]
unpacked_nums: [4, 5]
tags: ["x", "", "z"]
colors: [RED, GREEN, COLOR_UNSPECIFIED]
flags { key: true value: "yes" }
parent { order_id: "p" parent { order_id: "pp" } }
ratios: [0.5, 2]
blobs { key: 18446744073709551615 value: "\377" }
'''),
    ("order_map_default_values", "codec.proto", "weir.test.Order", r'''
qty { key: "" value: 0 } by_num { key: 0 value { } } flags { key: false value: "" }
'''),
    ("order_oneof_message", "codec.proto", "weir.test.Order", r'''
gift { sku: "gift" }
'''),
    ("order_oneof_default_value", "codec.proto", "weir.test.Order", "cash_cents: 0"),
    ("order_empty", "codec.proto", "weir.test.Order", ""),
    ("wkt_all", "codec.proto", "weir.test.Wkt", r'''
ts { seconds: 63072020 nanos: 21000000 }
dur { seconds: -1 nanos: -500000000 }
i32w { value: -3 } i64w { value: 5 } sw { value: "s" } bw { value: true }
byw { value: "\001" } dw { value: 2.5 } fw { value: 0.25 } u32w { value: 7 }
u64w { value: 18446744073709551615 }
st { fields { key: "k" value { list_value { values { number_value: 1 } values { string_value: "two" }
     values { null_value: NULL_VALUE } values { struct_value { fields { key: "in" value { bool_value: false } } } } } } } }
v { string_value: "hello" }
lv { values { number_value: 3.5 } }
fm { paths: "a.b_c" paths: "d" }
e { }
any { [type.googleapis.com/weir.test.Order.Line] { sku: "packed" count: 3 } }
nv: NULL_VALUE
tss { seconds: 0 } tss { seconds: 1 nanos: 1000 }
vals { key: "n" value { null_value: NULL_VALUE } }
'''),
    ("wkt_defaults", "codec.proto", "weir.test.Wkt", ""),
    ("wkt_empty_wrappers", "codec.proto", "weir.test.Wkt", r'''
ts { } dur { } i32w { } sw { } st { } lv { } fm { } v { }
'''),
    ("wkt_any_of_duration", "codec.proto", "weir.test.Wkt", r'''
any { [type.googleapis.com/google.protobuf.Duration] { seconds: 3 nanos: 1 } }
'''),
    ("wkt_timestamp_range", "codec.proto", "weir.test.Wkt", r'''
ts { seconds: -62135596800 } tss { seconds: 253402300799 nanos: 999999999 } tss { seconds: 1 nanos: 123456000 }
'''),
    ("node_nested", "codec.proto", "weir.test.Node", "v: 1 next { v: 2 next { next { v: 4 } } }"),
    ("p2_required_only", "codec2.proto", "weir.test2.P2", 'name: "n"'),
    ("p2_full", "codec2.proto", "weir.test2.P2", r'''
name: "n" count: 0 label: "" kind: A nums: [1, 2] packed: [3, 4]
Grp { a: 5 } data: "\000" ratio: -1.5 plain_kind: B flag: false kinds: [A, B]
'''),
]


def encode(file, message, text):
    proc = subprocess.run(
        ["protoc", "-I" + HERE, "-I" + INCLUDE, "--encode=" + message, file],
        input=text.encode(), capture_output=True, check=True)
    return proc.stdout


def load_pool():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        subprocess.run(["protoc", "-I" + HERE, "-I" + INCLUDE, "--include_imports",
                        "--descriptor_set_out=" + out, "codec.proto", "codec2.proto"],
                       cwd=HERE, check=True)
        fds = descriptor_pb2.FileDescriptorSet()
        with open(out, "rb") as f:
            fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)
    return pool


# (message, text format) framed by confluent-kafka-python 1.7.0
FRAMES = [
    ("weir.test.Scalars", "i32: 150"),
    ("weir.test.Order", 'order_id: "o"'),
    ("weir.test.Order.Line", 'sku: "after-the-map" count: 2'),
    ("weir.test.Node", "v: 1 next { v: 2 }"),
]


class _StubRegistry:
    """Answers the serializer's registry calls: every schema is id 42."""

    class _Registered:
        version = 1
        schema_id = 42

    def register_schema(self, subject, schema):
        return 42

    def lookup_schema(self, subject, schema):
        return self._Registered()


def python_frames(pool, factory):
    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
    from confluent_kafka.serialization import MessageField, SerializationContext
    out = []
    for message, text in FRAMES:
        cls = factory.GetPrototype(pool.FindMessageTypeByName(message))
        msg = cls()
        msg.ParseFromString(encode("codec.proto", message, text))
        ser = ProtobufSerializer(cls, _StubRegistry(), {"auto.register.schemas": True})
        frame = ser(msg, SerializationContext("t", MessageField.VALUE))
        out.append(json.dumps({"message": message, "text": text, "hex": frame.hex()}, sort_keys=True))
    return out


def main():
    pool = load_pool()
    factory = message_factory.MessageFactory(pool)
    lines = []
    for name, file, message, text in CASES:
        binary = encode(file, message, text)
        cls = factory.GetPrototype(pool.FindMessageTypeByName(message))
        msg = cls()
        msg.ParseFromString(binary)
        js = json_format.MessageToJson(msg, including_default_value_fields=True, indent=None,
                                       descriptor_pool=pool)
        lines.append(json.dumps({"name": name, "file": file, "message": message,
                                 "hex": binary.hex(), "json": js}, sort_keys=True))
    with open(os.path.join(HERE, "fixtures.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    frames = python_frames(pool, factory)
    with open(os.path.join(HERE, "python_frames.jsonl"), "w") as f:
        f.write("\n".join(frames) + "\n")
    print("wrote %d cases and %d frames" % (len(lines), len(frames)), file=sys.stderr)


if __name__ == "__main__":
    main()
