# SPDX-License-Identifier: Apache-2.0
"""Bad input against every REST proxy endpoint that takes a body or path
values: thousands of generated malformed bodies (random bytes, wrong JSON
types, huge numbers, deep nesting, long strings, odd unicode, nulls where
objects belong) and mangled paths. Every answer must be a 4xx with a
Confluent error body ({"error_code": int, "message": str}) or a success —
never a 5xx, a hang or a dead process — and the proxy must still produce and
consume correctly afterwards. Also the smuggling-shaped request
(Transfer-Encoding with Content-Length) is refused before any body byte."""

import json
import random
import socket

import rptest
from rptest import V2, BINARY_V2, JSON_V2, AVRO_V2, b64, check, unique_topic

P = R = None
TOPIC = None
CID = None
RNG = random.Random(6)


def setup_module():
    global P, R, TOPIC, CID
    P, R = rptest.start()
    TOPIC = unique_topic("bad")
    rptest.create_topic(P, TOPIC, partitions=2)
    CID = R.cluster_id()
    check(R.post("/consumers/gbad", {"name": "c1", "format": "binary"}, content_type=V2), 200)


def teardown_module():
    rptest.stop_server(P, if_alive=True)


def junk_value(depth=0):
    choices = [
        lambda: None, lambda: True, lambda: RNG.randint(-2**70, 2**70), lambda: RNG.random() * 1e308,
        lambda: "".join(chr(RNG.choice([0x41, 0x7f, 0xe9, 0x2028, 0xfffd, 0x1f600])) for _ in range(RNG.randint(0, 8))),
        lambda: "x" * RNG.choice([0, 1, 300, 70000]), lambda: "aGVsbG8=", lambda: -1, lambda: 2**31,
    ]
    if depth < 3:
        choices += [lambda: [junk_value(depth + 1) for _ in range(RNG.randint(0, 3))],
                    lambda: {RNG.choice(FIELDS): junk_value(depth + 1) for _ in range(RNG.randint(0, 4))}]
    return RNG.choice(choices)()


FIELDS = ["records", "key", "value", "partition", "key_schema", "value_schema", "value_schema_id", "key_schema_id",
          "topics", "topic_pattern", "partitions", "offsets", "timestamps", "topic", "offset", "format", "name",
          "auto.offset.reset", "fetch.min.bytes", "consumer.request.timeout.ms", "topic_name", "partitions_count",
          "replication_factor", "configs", "data", "type", "schema", "schema_id", "schema_version", "subject",
          "subject_name_strategy", "headers", "timestamp", "partition_id", "entries", "id", "validate_only",
          "operation", "value_schema", "metadata"]


def junk_body():
    kind = RNG.randrange(6)
    if kind == 0:
        return bytes(RNG.randrange(256) for _ in range(RNG.randint(0, 64)))
    if kind == 1:
        return ("[" * 5000 + "]" * 5000).encode() if RNG.random() < 0.5 else ('{"a":' * 3000 + "1" + "}" * 3000).encode()
    if kind == 2:
        return json.dumps(junk_value()).encode()
    obj = {RNG.choice(FIELDS): junk_value() for _ in range(RNG.randint(1, 5))}
    if kind == 3:
        obj["records"] = [{RNG.choice(FIELDS): junk_value() for _ in range(RNG.randint(0, 3))}
                          for _ in range(RNG.randint(0, 4))]
    return json.dumps(obj).encode()


ENDPOINTS = None


def endpoints():
    v3 = f"/v3/clusters/{CID}"
    inst = "/consumers/gbad/instances/c1"
    return [
        ("POST", f"/topics/{TOPIC}", BINARY_V2), ("POST", f"/topics/{TOPIC}", JSON_V2),
        ("POST", f"/topics/{TOPIC}", AVRO_V2), ("POST", f"/topics/{TOPIC}/partitions/1", BINARY_V2),
        ("POST", "/consumers/gbad", V2), ("POST", f"{inst}/subscription", V2), ("POST", f"{inst}/assignments", V2),
        ("POST", f"{inst}/positions", V2), ("POST", f"{inst}/positions/beginning", V2),
        ("POST", f"{inst}/positions/end", V2), ("POST", f"{inst}/offsets", V2), ("GET", f"{inst}/offsets", V2),
        ("POST", f"{v3}/topics", "application/json"), ("PATCH", f"{v3}/topics/{TOPIC}", "application/json"),
        ("POST", f"{v3}/topics/{TOPIC}/configs:alter", "application/json"),
        ("PUT", f"{v3}/topics/{TOPIC}/configs/retention.ms", "application/json"),
        ("POST", f"{v3}/topics/{TOPIC}/records", "application/json"),
        ("POST", f"{v3}/topics/{TOPIC}/records:batch", "application/json"),
        ("POST", f"{v3}/acls", "application/json"),
    ]


def assert_client_error(r, what):
    assert r.status_code < 500, f"{what}: HTTP {r.status_code}: {r.text[:300]!r}"
    if r.status_code >= 400:
        body = r.json()
        assert isinstance(body.get("error_code"), int) and isinstance(body.get("message"), str), (what, body)


def test_generated_bodies_get_client_errors():
    global ENDPOINTS
    ENDPOINTS = endpoints()
    seen = {}
    for i in range(1500):
        method, path, ctype = ENDPOINTS[i % len(ENDPOINTS)]
        body = junk_body()
        r = R.request(method, path, raw=body, content_type=ctype, timeout=30)
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        # v3 produce answers 200 and reports per record; every report must be an object with an error_code
        if path.endswith("/records") and r.status_code == 200:
            for line in r.text.split("\r\n"):
                if line.strip():
                    rep = json.loads(line)
                    assert isinstance(rep.get("error_code"), int), rep
            continue
        assert_client_error(r, f"{method} {path} body {body[:80]!r}")
    print(f"  statuses: {sorted(seen.items())}")
    assert {400, 404, 422} <= set(seen), seen  # the generator reaches the validators, not one early exit


def test_mangled_paths_and_queries():
    paths = ["/topics/%", "/topics/%00", "/topics/" + "a" * 5000, "/topics/x/partitions/abc",
             "/topics/x/partitions/99999999999999999999/offsets", f"/v3/clusters/{CID}/topics/%ZZ",
             f"/v3/clusters/{CID}/brokers/-5", f"/v3/clusters/{CID}/topics/{TOPIC}/partitions/1/offset?offset_type=x",
             "/consumers/gbad/instances/c1/records?timeout=abc", "/consumers/gbad/instances/c1/records?max_bytes=-9",
             "/consumers/%ff/instances/%fe/records", "//topics", "/v3/clusters/" + "x" * 3000,
             f"/v3/clusters/{CID}/consumer-groups/" + "%C3%28" * 10]
    for p in paths:
        for method in ("GET", "POST", "DELETE"):
            r = R.request(method, p, raw=b"{}", content_type=V2, accept=BINARY_V2, timeout=30)
            assert_client_error(r, f"{method} {p}")


def test_smuggling_shaped_requests_are_refused():
    for path in (f"/topics/{TOPIC}", f"/v3/clusters/{CID}/topics/{TOPIC}/records"):
        s = socket.create_connection(("127.0.0.1", P.rest_port), timeout=10)
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n").encode())
        data = s.recv(4096)
        s.close()
        assert data.startswith(b"HTTP/1.1 400"), data[:200]


def test_still_serving_correctly_afterwards():
    assert P.alive()
    t = unique_topic("after")
    rptest.create_topic(P, t)
    body = check(R.post(f"/topics/{t}", {"records": [{"value": b64("ok")}]}, content_type=BINARY_V2), 200)
    assert body["offsets"][0]["offset"] == 0
    msgs = rptest.consume_all(P, t, 1)
    assert msgs[0].value() == b"ok"


if __name__ == "__main__":
    rptest.run_tests(globals())
