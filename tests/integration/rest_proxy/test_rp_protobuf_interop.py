# SPDX-License-Identifier: Apache-2.0
"""Protobuf records between weir (its registry, and its serde inside the REST
proxy) and Debian's python3-confluent-kafka 1.7.0 with python3-protobuf,
against one real `weir start`:
  * records written by confluent-kafka's ProtobufSerializer (which registers
    base64 FileDescriptorProtos, google/protobuf/timestamp.proto included,
    and writes message indexes) are read through the REST proxy's v2
    consumer (format protobuf) as the JSON Google's json_format gives;
  * records produced through the REST proxy (v2 protobuf embedded format and
    v3 PROTOBUF) decode with confluent-kafka's ProtobufDeserializer to equal
    messages, and their payload after the frame is the bytes python-protobuf
    serializes;
  * a message declared after a map<> field (message indexes count protoc's
    map-entry types) frames as [1] when produced with its schema id;
  * bad data gets the proxy's error codes.
The _pb2 modules are generated at test time with protoc --python_out. Run
with /usr/bin/python3."""

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rptest  # noqa: E402
from rptest import check, create_topic, consume_all, run_tests, stop_server, unique_topic  # noqa: E402

from confluent_kafka import Producer  # noqa: E402
from confluent_kafka.schema_registry import SchemaRegistryClient  # noqa: E402
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer  # noqa: E402
from confluent_kafka.serialization import MessageField, SerializationContext  # noqa: E402
from google.protobuf import json_format  # noqa: E402

PROTOBUF_V2 = "application/vnd.kafka.protobuf.v2+json"

with open(os.path.join(HERE, "shop.proto"), encoding="utf-8") as _f:
    SHOP_PROTO = _f.read()

P = PROXY = PB2 = None
TMP = None


def setup_module():
    global P, PROXY, PB2, TMP
    TMP = tempfile.mkdtemp(prefix="weir-pb-interop-")
    with open(os.path.join(TMP, "shop.proto"), "w") as f:
        f.write(SHOP_PROTO)
    subprocess.run(["protoc", f"-I{TMP}", "-I/usr/include", f"--python_out={TMP}", "shop.proto"], check=True)
    sys.path.insert(0, TMP)
    import shop_pb2
    PB2 = shop_pb2
    P, PROXY = rptest.start()


def teardown_module():
    stop_server(P)
    subprocess.run(["rm", "-rf", TMP], check=False)


def sample_order(i):
    o = PB2.Order(id=f"o{i}", qty=2**40 + i, total=12.5, status=PB2.Order.PAID, note=b"\x00\xffhi")
    o.placed_at.seconds = 1767225600 + i
    o.placed_at.nanos = 500000000
    o.lines.add(sku="a", delta=-3)
    o.lines.add(sku="b", delta=7)
    o.tags["k"] = i
    return o


def expected_json(msg):
    """What Confluent's proxy prints: json_format with default-valued fields."""
    return json_format.MessageToDict(msg, including_default_value_fields=True)


def registry_client():
    return SchemaRegistryClient({"url": P.url})


def v2_consumer_read(topic, want):
    """Creates a v2 consumer (format protobuf), subscribes and reads want records."""
    group = unique_topic("pbg")
    body = check(PROXY.post(f"/consumers/{group}", {"name": "c", "format": "protobuf",
                                                     "auto.offset.reset": "earliest"},
                            content_type=rptest.V2), 200)
    base = f"/consumers/{group}/instances/c"
    assert body["base_uri"].endswith(base), body
    check(PROXY.post(f"{base}/subscription", {"topics": [topic]}, content_type=rptest.V2), 204)
    got, deadline = [], time.time() + 30
    while len(got) < want and time.time() < deadline:
        r = PROXY.get(f"{base}/records", params={"timeout": "1000"}, accept=PROTOBUF_V2)
        got += check(r, 200)
    PROXY.delete(base, content_type=rptest.V2)
    assert len(got) == want, got
    return got


def test_python_serializer_records_read_through_the_rest_proxy():
    topic = unique_topic("pb-py")
    create_topic(P, topic)
    ser = ProtobufSerializer(PB2.Order, registry_client())
    prod = Producer({"bootstrap.servers": P.bootstrap})
    msgs = [sample_order(i) for i in range(3)]
    for m in msgs:
        prod.produce(topic, value=ser(m, SerializationContext(topic, MessageField.VALUE)))
    assert prod.flush(30) == 0
    # the registry stored .proto text for the base64 descriptor python sent, and the import as a reference
    latest = check(P.get(f"/subjects/{topic}-value/versions/latest"), 200)
    assert "message Order" in latest["schema"] and "google.protobuf.Timestamp placed_at = 6;" in latest["schema"], latest
    assert [r["name"] for r in latest["references"]] == ["google/protobuf/timestamp.proto"], latest
    got = v2_consumer_read(topic, 3)
    for m, rec in zip(msgs, got):
        assert rec["value"] == expected_json(m), (rec["value"], expected_json(m))


def test_rest_proxy_v2_records_decode_with_the_python_deserializer():
    topic = unique_topic("pb-v2")
    create_topic(P, topic)
    msgs = [sample_order(i) for i in range(3)]
    records = [{"value": json_format.MessageToDict(m)} for m in msgs]
    body = check(PROXY.post(f"/topics/{topic}", {"value_schema": SHOP_PROTO, "records": records},
                            content_type=PROTOBUF_V2), 200)
    sid = body["value_schema_id"]
    assert isinstance(sid, int) and sid > 0, body
    de = ProtobufDeserializer(PB2.Order)
    for m, got in zip(msgs, consume_all(P, topic, 3)):
        raw = got.value()
        # 0x00, the id, index [0] as the single byte 0, then protobuf's own bytes
        assert raw[:5] == b"\x00" + sid.to_bytes(4, "big") and raw[5] == 0, raw[:8]
        assert raw[6:] == m.SerializeToString(deterministic=True), (raw[6:], m.SerializeToString())
        assert de(raw, SerializationContext(topic, MessageField.VALUE)) == m


def test_rest_proxy_v3_protobuf_records_and_a_message_after_a_map_field():
    topic = unique_topic("pb-v3")
    create_topic(P, topic)
    cid = PROXY.cluster_id()
    order = sample_order(9)
    r = PROXY.post(f"/v3/clusters/{cid}/topics/{topic}/records",
                   {"value": {"type": "PROTOBUF", "schema": SHOP_PROTO, "data": json_format.MessageToDict(order)}})
    rep = check(r, 200)
    assert rep["error_code"] == 200 and rep["value"]["type"] == "PROTOBUF", rep
    sid = rep["value"]["schema_id"]
    # no type: the latest schema of the subject, with its format
    r = PROXY.post(f"/v3/clusters/{cid}/topics/{topic}/records", {"value": {"data": {"id": "o10", "qty": "5"}}})
    assert check(r, 200)["value"]["schema_id"] == sid
    got = consume_all(P, topic, 2)
    assert ProtobufDeserializer(PB2.Order)(got[0].value(), SerializationContext(topic, MessageField.VALUE)) == order
    assert ProtobufDeserializer(PB2.Order)(got[1].value(), None) == PB2.Order(id="o10", qty=5)
    # Refund is the second top-level message: its frame carries index [1] (zigzag 02 02)
    refund = PB2.Refund(order_id="o9", detail=PB2.Refund.Detail(amount=2**63 + 5))
    refund.reasons["why"] = "late"
    raw_topic = unique_topic("pb-idx")
    create_topic(P, raw_topic)
    prod = Producer({"bootstrap.servers": P.bootstrap})
    prod.produce(raw_topic, value=b"\x00" + sid.to_bytes(4, "big") + b"\x02\x02" + refund.SerializeToString())
    # Refund.Detail is declared after the map field `reasons`, whose entry type
    # protoc puts first among Refund's nested types: its path is [1, 1]
    # (zigzag count 2, then 1, 1), as python's _create_msg_index computes
    from confluent_kafka.schema_registry.protobuf import _create_msg_index
    assert _create_msg_index(PB2.Refund.Detail.DESCRIPTOR) == [2, 1, 1]  # count, then the path
    prod.produce(raw_topic, value=b"\x00" + sid.to_bytes(4, "big") + b"\x04\x02\x02" +
                 refund.detail.SerializeToString())
    assert prod.flush(30) == 0
    recs = v2_consumer_read(raw_topic, 2)
    assert recs[0]["value"] == expected_json(refund), (recs[0]["value"], expected_json(refund))
    assert recs[1]["value"] == {"amount": str(2**63 + 5)}, recs[1]


def test_bad_protobuf_data_gets_the_proxys_errors():
    topic = unique_topic("pb-bad")
    create_topic(P, topic)
    r = PROXY.post(f"/topics/{topic}", {"value_schema": SHOP_PROTO, "records": [{"value": {"qty": "many"}}]},
                   content_type=PROTOBUF_V2)
    assert r.status_code == 422 and r.json()["error_code"] == 42207, r.text
    assert "qty" in r.json()["message"], r.text
    r = PROXY.post(f"/topics/{topic}", {"value_schema": SHOP_PROTO, "records": [{"value": {"nope": 1}}]},
                   content_type=PROTOBUF_V2)
    assert r.status_code == 422 and "nope" in r.json()["message"], r.text
    r = PROXY.post(f"/topics/{topic}", {"value_schema": "syntax = \"proto3\"; message {", "records": [{"value": {}}]},
                   content_type=PROTOBUF_V2)
    assert r.status_code == 422 and r.json()["error_code"] == 42205, r.text
    # an Avro schema id is not a Protobuf schema
    avro = check(P.post(f"/subjects/{topic}-avro/versions", {"schema": '"string"'}), 200)["id"]
    r = PROXY.post(f"/topics/{topic}", {"value_schema_id": avro, "records": [{"value": {}}]},
                   content_type=PROTOBUF_V2)
    assert r.status_code == 422 and "AVRO" in r.json()["message"], r.text
    cid = PROXY.cluster_id()
    r = PROXY.post(f"/v3/clusters/{cid}/topics/{topic}/records",
                   {"value": {"type": "PROTOBUF", "schema": SHOP_PROTO, "data": {"status": "UNKNOWN_STATUS"}}})
    rep = r.json()
    assert rep["error_code"] in (400, 42207), rep
    assert "status" in rep["message"], rep
    assert consume_all(P, topic, 0, timeout=1) == []


if __name__ == "__main__":
    run_tests(globals())
