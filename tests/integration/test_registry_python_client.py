# SPDX-License-Identifier: Apache-2.0
"""Debian's confluent_kafka.schema_registry.SchemaRegistryClient (1.7.0)
against a real `weir registry`: register, get by id, lookup, latest and
explicit versions, subjects and versions listings, compatibility get/set/test,
version and subject deletes (soft and permanent), and the client's error
object (HTTP status + Confluent error_code). Each test uses a new client so
the client's own cache never answers in the server's place."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402
from weirtest import avro_record, unique  # noqa: E402

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient  # noqa: E402
from confluent_kafka.schema_registry.error import SchemaRegistryError  # noqa: E402

REG = None

V1 = avro_record("User", [("name", "string")], namespace="com.example")
V2 = avro_record("User", [("name", "string"), ("age", "int", 0)], namespace="com.example")
BAD = avro_record("User", [("name", "string"), ("email", "string")], namespace="com.example")


def setup_module():
    global REG
    REG = wt.Registry().start()


def teardown_module():
    wt.stop_server(REG)


def client():
    return SchemaRegistryClient({"url": REG.url})


def expect_error(fn, status, codes):
    try:
        fn()
    except SchemaRegistryError as e:
        assert e.http_status_code == status, e
        assert e.error_code in codes, e
        return e
    raise AssertionError(f"expected SchemaRegistryError {status}/{codes}")


def test_register_get_by_id_and_lookup():
    c = client()
    s = unique("py-value")
    sid = c.register_schema(s, Schema(V1, "AVRO"))
    assert isinstance(sid, int) and sid > 0
    got = client().get_schema(sid)
    assert got.schema_type == "AVRO"
    assert json.loads(got.schema_str) == json.loads(V1)
    reg = client().lookup_schema(s, Schema(V1, "AVRO"))
    assert reg.schema_id == sid and reg.subject == s and reg.version == 1
    # the same schema under another subject gets the same id
    assert client().register_schema(unique("py-other"), Schema(V1, "AVRO")) == sid


def test_versions_latest_and_explicit_version():
    c = client()
    s = unique("py")
    id1 = c.register_schema(s, Schema(V1, "AVRO"))
    id2 = c.register_schema(s, Schema(V2, "AVRO"))
    assert id2 != id1
    assert client().get_versions(s) == [1, 2]
    latest = client().get_latest_version(s)
    assert latest.version == 2 and latest.schema_id == id2 and latest.subject == s
    assert json.loads(latest.schema.schema_str) == json.loads(V2)
    v1 = client().get_version(s, 1)
    assert v1.version == 1 and v1.schema_id == id1
    assert s in client().get_subjects()


def test_compatibility_get_set_and_test():
    c = client()
    s = unique("py")
    c.register_schema(s, Schema(V1, "AVRO"))
    global_level = c.get_compatibility()
    assert global_level == "BACKWARD", global_level
    expect_error(lambda: c.get_compatibility(s), 404, (40408,))
    res = c.set_compatibility(s, "full")
    assert res.get("compatibility") == "FULL", res
    assert client().get_compatibility(s) == "FULL"
    assert c.test_compatibility(s, Schema(V2, "AVRO")) is True
    assert c.test_compatibility(s, Schema(BAD, "AVRO")) is False
    assert c.test_compatibility(s, Schema(V2, "AVRO"), version=1) is True
    e = expect_error(lambda: client().register_schema(s, Schema(BAD, "AVRO")), 409, (409, 40901))
    assert "incompatible" in e.error_message.lower(), e
    expect_error(lambda: c.set_compatibility(s, "SOMETIMES"), 422, (42203,))


def test_delete_version_and_subject():
    c = client()
    s = unique("py")
    c.register_schema(s, Schema(V1, "AVRO"))
    c.register_schema(s, Schema(V2, "AVRO"))
    assert c.delete_version(s, 2) == 2
    assert client().get_versions(s) == [1]
    assert client().get_latest_version(s).version == 1
    expect_error(lambda: client().get_version(s, 2), 404, (40402,))
    assert sorted(c.delete_subject(s)) == [1]
    assert s not in client().get_subjects()
    expect_error(lambda: client().get_versions(s), 404, (40401,))
    s2 = unique("py")
    c.register_schema(s2, Schema(V1, "AVRO"))
    assert c.delete_subject(s2, permanent=True) == [1]
    expect_error(lambda: client().lookup_schema(s2, Schema(V1, "AVRO")), 404, (40401,))


def test_errors_for_unknown_subject_and_id():
    expect_error(lambda: client().get_latest_version(unique()), 404, (40401,))
    expect_error(lambda: client().get_schema(987654321), 404, (40403,))
    s = unique("py")
    client().register_schema(s, Schema(V1, "AVRO"))
    expect_error(lambda: client().lookup_schema(s, Schema(V2, "AVRO")), 404, (40403,))
    expect_error(lambda: client().register_schema(s, Schema("{nope", "AVRO")), 422, (42201,))


def test_subject_with_slash_is_url_encoded_by_the_client():
    s = unique("py") + "/path/to/file.avsc"
    sid = client().register_schema(s, Schema(V1, "AVRO"))
    assert client().get_latest_version(s).schema_id == sid
    assert s in client().get_subjects()


def test_references_through_the_client():
    addr = unique("py-addr")
    address = '{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}'
    person = ('{"type":"record","name":"Person","namespace":"com.example","fields":'
              '[{"name":"home","type":"com.example.Address"}]}')
    client().register_schema(addr, Schema(address, "AVRO"))
    refs = [SchemaReference("com.example.Address", addr, 1)]
    s = unique("py-person")
    pid = client().register_schema(s, Schema(person, "AVRO", refs))
    got = client().get_schema(pid)
    assert [(r.name, r.subject, r.version) for r in got.references] == [("com.example.Address", addr, 1)]
    assert client().lookup_schema(s, Schema(person, "AVRO", refs)).schema_id == pid


if __name__ == "__main__":
    wt.run_tests(globals())
