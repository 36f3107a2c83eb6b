# SPDX-License-Identifier: Apache-2.0
"""Protobuf through the HTTP API of a real `weir registry`: registration with
built-in well-known imports (no references needed), references to other
subjects with `/` in their names, canonical and normalized identity,
`format=serialized` checked by loading the answer into python3-protobuf's
descriptor pool, base64 FileDescriptorProto registrations (what Debian's
confluent-kafka ProtobufSerializer sends), compatibility answers with
Confluent's Protobuf messages, and bad input: malformed text, unresolved imports,
unknown types (422/42201 with the line in the message).
Run with /usr/bin/python3 (python3-requests, python3-protobuf)."""

import base64
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402
from weirtest import check, check_error, quote, unique  # noqa: E402

from google.protobuf import descriptor_pb2, descriptor_pool  # noqa: E402

REG = None

ORDER = """syntax = "proto3";
package shop.v1;

import "google/protobuf/timestamp.proto";
import "google/type/money.proto";

message Order {
  string id = 1;
  google.protobuf.Timestamp placed_at = 2;
  repeated Line lines = 3;
  map<string, int32> qty = 4;
  message Line {
    string sku = 1;
    google.type.Money price = 2;
  }
}
"""

COMMON = """syntax = "proto3";
package common;

message Address {
  string street = 1;
  string city = 2;
}
"""

CUSTOMER = """syntax = "proto3";
package crm;

import "common/address.proto";

message Customer {
  string name = 1;
  common.Address home = 2;
}
"""


def setup_module():
    global REG
    REG = wt.Registry().start()


def teardown_module():
    wt.stop_server(REG)


def register(subject, schema, references=None, **params):
    body = {"schema": schema, "schemaType": "PROTOBUF"}
    if references is not None:
        body["references"] = references
    return REG.post(f"/subjects/{quote(subject)}/versions", body, params=params or None)


def serialized(schema_id):
    body = check(REG.get(f"/schemas/ids/{schema_id}", params={"format": "serialized"}), 200)
    assert body["schemaType"] == "PROTOBUF", body
    fdp = descriptor_pb2.FileDescriptorProto()
    fdp.ParseFromString(base64.b64decode(body["schema"], validate=True))
    return fdp


def test_schema_types_include_protobuf():
    assert "PROTOBUF" in check(REG.get("/schemas/types"), 200)


def test_well_known_imports_resolve_without_references():
    s = unique("order")
    body = check(register(s, ORDER), 200)
    got = check(REG.get(f"/subjects/{quote(s)}/versions/1"), 200)
    assert got["schemaType"] == "PROTOBUF" and got["id"] == body["id"], got
    assert "google/protobuf/timestamp.proto" in got["schema"] and "message Line" in got["schema"], got
    # the stored text is the canonical print: registering it again gives the same id
    assert check(register(s, got["schema"]), 200)["id"] == body["id"]
    # the raw schema endpoint returns .proto text
    raw = REG.get(f"/subjects/{quote(s)}/versions/1/schema")
    assert raw.status_code == 200 and raw.text.startswith('syntax = "proto3";'), raw.text[:200]


def test_format_serialized_is_a_file_descriptor_protoc_would_accept():
    s = unique("order")
    sid = check(register(s, ORDER), 200)["id"]
    fdp = serialized(sid)
    assert fdp.package == "shop.v1" and fdp.syntax == "proto3", fdp
    assert list(fdp.dependency) == ["google/protobuf/timestamp.proto", "google/type/money.proto"], fdp.dependency
    order = fdp.message_type[0]
    assert order.name == "Order"
    fields = {f.name: f for f in order.field}
    assert fields["placed_at"].type_name == ".google.protobuf.Timestamp", fields["placed_at"]
    assert fields["lines"].label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
    assert fields["qty"].type_name == ".shop.v1.Order.QtyEntry", fields["qty"]
    nested = [m.name for m in order.nested_type]
    # protoc's order: the map entry comes where the map field is declared
    assert nested == ["QtyEntry", "Line"] or nested == ["Line", "QtyEntry"], nested
    entry = [m for m in order.nested_type if m.name == "QtyEntry"][0]
    assert entry.options.map_entry, entry
    # a second route carries the same answer
    by_version = check(REG.get(f"/subjects/{quote(s)}/versions/1", params={"format": "serialized"}), 200)
    assert base64.b64decode(by_version["schema"]) == fdp.SerializeToString(), "version and id answers differ"
    # unknown formats are ignored: the text comes back
    plain = check(REG.get(f"/schemas/ids/{sid}", params={"format": "nonsense"}), 200)
    assert plain["schema"].startswith('syntax = "proto3";'), plain


def test_serialized_descriptor_loads_into_a_descriptor_pool():
    s = unique("addr")
    sid = check(register(s, COMMON), 200)["id"]
    fdp = serialized(sid)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    msg = pool.FindMessageTypeByName("common.Address")
    assert [f.name for f in msg.fields] == ["street", "city"], msg.fields


def test_references_to_subjects_with_slashes():
    dep = unique("common") + "/address.proto"
    check(register(dep, COMMON), 200)
    s = unique("customer")
    refs = [{"name": "common/address.proto", "subject": dep, "version": 1}]
    sid = check(register(s, CUSTOMER, refs), 200)["id"]
    got = check(REG.get(f"/subjects/{quote(s)}/versions/latest"), 200)
    assert got["references"] == refs, got
    assert check(REG.get(f"/subjects/{quote(dep)}/versions/1/referencedby"), 200) == [sid]
    # without the reference the import cannot be resolved
    r = register(unique("customer"), CUSTOMER)
    check_error(r, 42201)
    assert "common/address.proto" in r.json()["message"], r.json()


def test_normalize_gives_one_id_for_reordered_text():
    a = """syntax = "proto3";
package n;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
message M {
  option deprecated = false;
  int32 b = 2;
  string a = 1;
  google.protobuf.Timestamp t = 3;
  enum E { Z = 0; B = 2; A = 1; }
}
"""
    b = """syntax = "proto3";
package n;
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
message M {
  option deprecated = false;
  string a = 1;
  int32 b = 2;
  .google.protobuf.Timestamp t = 3;
  enum E { Z = 0; A = 1; B = 2; }
}
"""
    s = unique("norm")
    ida = check(register(s, a, normalize="true"), 200)["id"]
    idb = check(register(s, b, normalize="true"), 200)["id"]
    assert ida == idb, (ida, idb)
    assert check(REG.get(f"/subjects/{quote(s)}/versions"), 200) == [1]
    # the normalized text: sorted imports, fields by tag, qualified type names
    text = check(REG.get(f"/subjects/{quote(s)}/versions/1"), 200)["schema"]
    assert text.index("duration.proto") < text.index("timestamp.proto"), text
    assert text.index("string a = 1") < text.index("int32 b = 2"), text
    assert ".google.protobuf.Timestamp t = 3" in text, text
    # without normalize the two texts are different schemas
    s2 = unique("plain")
    assert check(register(s2, a), 200)["id"] != check(register(s2, b), 200)["id"]


def test_base64_descriptor_registration_stores_proto_text():
    fdp = descriptor_pb2.FileDescriptorProto(name="thing.proto", package="t", syntax="proto3")
    m = fdp.message_type.add(name="Thing")
    m.field.add(name="id", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
                label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, json_name="id")
    encoded = base64.b64encode(fdp.SerializeToString()).decode()
    s = unique("b64")
    sid = check(register(s, encoded), 200)["id"]
    text = check(REG.get(f"/schemas/ids/{sid}"), 200)["schema"]
    assert "message Thing" in text and "int64 id = 1;" in text, text
    # the same schema as text is the same schema
    assert check(register(s, text), 200)["id"] == sid


def test_compatibility_messages_are_confluents():
    s = unique("compat")
    check(register(s, 'syntax = "proto3";\nmessage T {\n  int32 a = 1;\n}\n'), 200)
    check(REG.put(f"/config/{quote(s)}", {"compatibility": "BACKWARD"}), 200)
    new = 'syntax = "proto3";\nmessage T {\n  string a = 1;\n}\n'
    body = check(REG.post(f"/compatibility/subjects/{quote(s)}/versions/latest",
                          {"schema": new, "schemaType": "PROTOBUF"}, params={"verbose": "true"}), 200)
    assert body["is_compatible"] is False, body
    assert any('errorType:"FIELD_SCALAR_KIND_CHANGED"' in m and "#/T/1" in m for m in body["messages"]), body
    r = register(s, new)
    check_error(r, 40901)
    ok = 'syntax = "proto3";\nmessage T {\n  int64 a = 1;\n  string b = 2;\n}\n'
    assert check(register(s, ok), 200)["id"] > 0


def test_bad_protobuf_input_answers_42201_with_the_reason():
    cases = {  # text -> a word the message must contain
        'syntax = "proto3";\nmessage T {\n  int32 a = ;\n}\n': "line 3",
        'syntax = "proto3";\nimport "nowhere/missing.proto";\nmessage T { int32 a = 1; }\n': "nowhere/missing.proto",
        'syntax = "proto3";\nmessage T {\n  Unknown u = 1;\n}\n': "Unknown",
        'syntax = "proto3";\nmessage T { int32 a = 1; int32 b = 1; }\n': "1",
        'syntax = "proto3";\nenum E { A = 1; }\n': "0",
        "": "",
    }
    for text, needle in cases.items():
        r = register(unique("bad"), text)
        assert r.status_code == 422, (text, r.status_code, r.text)
        body = r.json()
        assert body["error_code"] in (42201, 42202), (text, body)
        assert needle in body["message"], (text, body)


if __name__ == "__main__":
    wt.run_tests(globals())
