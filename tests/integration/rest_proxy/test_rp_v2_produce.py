# SPDX-License-Identifier: Apache-2.0
"""REST proxy v2 metadata and produce against a real `weir start`: topics,
partitions, offsets and brokers match what confluent-kafka sees; binary,
json and avro records written over HTTP are read back byte for byte with
confluent-kafka (Avro framed with the registry's id); keys land on the
partition the Java client's murmur2 partitioner picks; errors are precise
(40401 at once for a missing topic, 40402, 42201/42202, 42207 naming the
field, 415, 400, 422); and acknowledged records survive kill -9."""

import json
import struct
import time

import rptest
from rptest import AVRO_V2, BINARY_V2, JSON_V2, V2, b64, check, check_error, unique_topic

P = R = None

ORDER = {"type": "record", "name": "Order", "namespace": "com.example",
         "fields": [{"name": "id", "type": "long"},
                    {"name": "note", "type": ["null", "string"], "default": None}]}


def setup_module():
    global P, R
    P, R = rptest.start()


def teardown_module():
    rptest.stop_server(P, if_alive=True)


def produce(topic, records, ctype=BINARY_V2, path=None, **extra):
    body = dict(records=records, **extra)
    return R.post(path or f"/topics/{topic}", body, content_type=ctype, accept=V2)


def test_root_and_brokers():
    assert check(R.get("/"), 200) == {}
    brokers = check(R.get("/brokers"), 200)["brokers"]
    assert brokers == [1], brokers


def test_topic_metadata_matches_kafka():
    t = unique_topic("meta")
    rptest.create_topic(P, t, partitions=3)
    assert t in check(R.get("/topics"), 200)
    body = check(R.get(f"/topics/{t}"), 200)
    assert body["name"] == t
    assert body["configs"]["cleanup.policy"] == "delete"
    assert [p["partition"] for p in body["partitions"]] == [0, 1, 2]
    parts = check(R.get(f"/topics/{t}/partitions"), 200)
    assert parts == body["partitions"]
    assert parts[0]["replicas"] == [{"broker": 1, "leader": True, "in_sync": True}]
    assert check(R.get(f"/topics/{t}/partitions/2"), 200)["partition"] == 2
    check_error(R.get(f"/topics/{t}/partitions/3"), 40402)
    check_error(R.get("/topics/no-such-topic"), 40401)
    check_error(R.get("/topics/no-such-topic/partitions"), 40401)
    rptest.produce_kcat(P, t, ["a", "b", "c"], partition=1)
    assert check(R.get(f"/topics/{t}/partitions/1/offsets"), 200) == {"beginning_offset": 0, "end_offset": 3}


def test_binary_produce_round_trips_through_kafka():
    t = unique_topic("bin")
    rptest.create_topic(P, t, partitions=2)
    payloads = [bytes([i, 0, 255, 10]) * (i + 1) for i in range(20)]
    recs = [{"value": b64(v), "partition": i % 2} for i, v in enumerate(payloads)]
    recs.append({"key": b64(b"k\x00ey"), "value": None, "partition": 0})
    body = check(produce(t, recs), 200)
    assert body["key_schema_id"] is None and body["value_schema_id"] is None
    offs = body["offsets"]
    assert len(offs) == 21 and all(o["error_code"] is None and o["error"] is None for o in offs)
    assert [o["partition"] for o in offs[:20]] == [i % 2 for i in range(20)]
    assert [o["offset"] for o in offs[:20:2]] == list(range(10))
    msgs = rptest.consume_all(P, t, 21)
    got = {(m.partition(), m.offset()): (m.key(), m.value()) for m in msgs}
    for i, v in enumerate(payloads):
        assert got[(offs[i]["partition"], offs[i]["offset"])] == (None, v)
    assert got[(0, offs[20]["offset"])] == (b"k\x00ey", None)


def test_keyed_records_use_the_java_partitioner():
    t = unique_topic("keys")
    rptest.create_topic(P, t, partitions=8)
    keys = [f"user-{i}" for i in range(40)]
    body = check(produce(t, [{"key": b64(k), "value": b64("v")} for k in keys]), 200)
    # Cross-check with confluent-kafka using the same murmur2 partitioner.
    from confluent_kafka import Producer
    seen = {}
    p = Producer({"bootstrap.servers": P.bootstrap, "partitioner": "murmur2_random"})
    for k in keys:
        p.produce(t, key=k.encode(), value=b"c", on_delivery=lambda e, m: seen.__setitem__(m.key().decode(), m.partition()))
    p.flush(30)
    assert [o["partition"] for o in body["offsets"]] == [seen[k] for k in keys]


def test_json_produce_and_headers_extension():
    t = unique_topic("json")
    rptest.create_topic(P, t)
    values = [{"a": 1, "b": [True, None, "x"]}, "text", 12.5, [1, 2]]
    recs = [{"value": v} for v in values]
    recs[0]["headers"] = [{"name": "h1", "value": b64("v1")}, {"name": "h2", "value": None}]
    recs[1]["timestamp"] = 1600000000123
    recs[1]["key"] = {"id": 7}
    check(produce(t, recs, ctype=JSON_V2), 200)
    msgs = rptest.consume_all(P, t, 4)
    assert [json.loads(m.value()) for m in msgs] == values
    assert msgs[0].headers() == [("h1", b"v1"), ("h2", None)]
    assert msgs[1].timestamp()[1] == 1600000000123
    assert json.loads(msgs[1].key()) == {"id": 7}


def test_partition_path():
    t = unique_topic("ppath")
    rptest.create_topic(P, t, partitions=2)
    body = check(produce(t, [{"value": b64("x")}] * 3, path=f"/topics/{t}/partitions/1"), 200)
    assert [o["partition"] for o in body["offsets"]] == [1, 1, 1]
    check_error(produce(t, [{"value": b64("x")}], path=f"/topics/{t}/partitions/2"), 40402)
    check_error(produce(t, [{"value": b64("x")}], path=f"/topics/{t}/partitions/-1"), 40402)
    # a record naming a missing partition fails alone, in a 200 answer
    offs = check(produce(t, [{"value": b64("a"), "partition": 0}, {"value": b64("b"), "partition": 7},
                             {"value": b64("c"), "partition": 0}]), 200)["offsets"]
    assert offs[1]["error_code"] == 40402 and offs[1]["offset"] is None and isinstance(offs[1]["error"], str)
    assert [offs[0]["error_code"], offs[2]["error_code"]] == [None, None]
    assert offs[2]["offset"] == offs[0]["offset"] + 1


def test_avro_produce_registers_and_frames():
    t = unique_topic("avro")
    rptest.create_topic(P, t)
    key_schema = json.dumps({"type": "string"})
    body = check(produce(t, [{"key": "k1", "value": {"id": 1, "note": {"string": "hi"}}},
                             {"key": "k2", "value": {"id": 2, "note": None}}],
                         ctype=AVRO_V2, value_schema=json.dumps(ORDER), key_schema=key_schema), 200)
    vid, kid = body["value_schema_id"], body["key_schema_id"]
    assert isinstance(vid, int) and isinstance(kid, int) and vid != kid
    # The registry has the schemas under the TopicNameStrategy subjects.
    latest = check(P.get(f"/subjects/{t}-value/versions/latest"), 200)
    assert latest["id"] == vid
    assert check(P.get(f"/subjects/{t}-key/versions/latest"), 200)["id"] == kid
    # Second request by id: no schema text needed.
    body2 = check(produce(t, [{"value": {"id": 3, "note": None}}], ctype=AVRO_V2, value_schema_id=vid), 200)
    assert body2["value_schema_id"] == vid
    msgs = rptest.consume_all(P, t, 3)
    for m in msgs:
        magic, sid = struct.unpack(">bI", m.value()[:5])
        assert magic == 0 and sid == vid
    # id=1 zigzag long 2, union branch 1 + "hi"
    assert msgs[0].value()[5:] == bytes([2, 2, 4]) + b"hi"
    assert msgs[0].key()[:5] == struct.pack(">bI", 0, kid) and msgs[0].key()[5:] == bytes([4]) + b"k1"
    assert msgs[2].key() is None


def test_avro_errors():
    t = unique_topic("avroerr")
    rptest.create_topic(P, t)
    r = produce(t, [{"value": {"id": "not a long"}}], ctype=AVRO_V2, value_schema=json.dumps(ORDER))
    err = check_error(r, 42207)
    assert "id" in err["message"], err
    check_error(produce(t, [{"value": {"id": 1}}], ctype=AVRO_V2), 42202)
    check_error(produce(t, [{"key": "k", "value": {"id": 1}}], ctype=AVRO_V2, value_schema=json.dumps(ORDER)), 42201)
    check_error(produce(t, [{"value": {"id": 1}}], ctype=AVRO_V2, value_schema="{not json"), 42205)
    check_error(produce(t, [{"value": {"id": 1}}], ctype=AVRO_V2, value_schema_id=987654), 42205)
    # a null value needs no schema
    assert check(produce(t, [{"value": None}], ctype=AVRO_V2), 200)["offsets"][0]["offset"] == 0


def test_missing_topic_answers_at_once():
    t0 = time.time()
    check_error(produce("never-created-" + unique_topic(), [{"value": b64("x")}]), 40401)
    assert time.time() - t0 < 5, "a missing topic must not wait for a producer timeout"


def test_bad_requests():
    t = unique_topic("bad")
    rptest.create_topic(P, t)
    check(R.post(f"/topics/{t}", raw=b"{not json", content_type=BINARY_V2), 400, 400)
    check(R.post(f"/topics/{t}", raw=b"", content_type=BINARY_V2), 422, 42206)
    check(R.post(f"/topics/{t}", {"records": []}, content_type=BINARY_V2), 422, 422)
    check(R.post(f"/topics/{t}", {"records": "x"}, content_type=BINARY_V2), 422, 422)
    check(R.post(f"/topics/{t}", [1, 2], content_type=BINARY_V2), 422, 422)
    check_error(produce(t, [{"value": "not base64!"}]), 42203)
    check(R.post(f"/topics/{t}", {"records": [{"value": b64("x")}]}, content_type="text/plain"), 415, 415)
    check(R.post(f"/topics/{t}", {"records": [{"value": b64("x")}]}, content_type=BINARY_V2,
                 accept="text/html"), 406, 406)
    check(R.post(f"/topics/{t}", {"records": [{"value": b64("x"), "partition": "one"}]},
                 content_type=BINARY_V2), 422, 422)
    deep = "[" * 200 + "]" * 200
    check(R.post(f"/topics/{t}", raw=('{"records":[{"value":' + deep + '}]}').encode(), content_type=JSON_V2), 400, 400)
    check(R.request("PUT", f"/topics/{t}", raw=b"{}"), 405, 405)
    check(R.get("/no/such/path"), 404, 404)
    # lenient media types: generic v2 and application/json mean binary
    for ct in (V2, "application/json", "application/vnd.kafka.binary.v2+json; charset=utf-8"):
        assert check(R.post(f"/topics/{t}", {"records": [{"value": b64("y")}]}, content_type=ct), 200)["offsets"]


def test_acknowledged_records_survive_kill9():
    t = unique_topic("durable")
    rptest.create_topic(P, t)
    for i in range(5):
        check(produce(t, [{"value": b64(f"rec-{i}-{j}")} for j in range(100)]), 200)
    P.kill9()
    P.restart(same_port=True)
    global R
    R = rptest.Proxy(P)
    msgs = rptest.consume_all(P, t, 500)
    assert sorted(m.value().decode() for m in msgs) == sorted(f"rec-{i}-{j}" for i in range(5) for j in range(100))


if __name__ == "__main__":
    rptest.run_tests(globals())
