# SPDX-License-Identifier: Apache-2.0
"""REST proxy v3 produce against a real `weir start`: single records and true
streams (raw sockets, chunked, full duplex: one record sent, its report read
before the next is sent; a burst of 10000 records split at random points)
whose delivery reports are checked record by record against what
confluent-kafka reads back (keys, values, headers, timestamps, partitions,
offsets); BINARY/JSON/STRING and AVRO (raw schema registered, schema_id,
schema_version, no type = latest version; Confluent framing with the right
id); per-record error reports (bad base64, Avro data naming the field ->
42207, negative partition -> 40402, unknown partition -> 40403); plain
answers for a missing topic (40401 at once, before the body), an empty body
(42206) and a foreign cluster id; malformed JSON ending the stream; an
oversized record closing the connection; the stream lifetime (408); the
Transfer-Encoding + Content-Length smuggling guard on the streamed route;
and records:batch (207, 42208 validation)."""

import base64
import json
import random
import socket
import struct
import threading
import time

import rptest
from rptest import b64, check, check_error, unique_topic

P = R = None          # the main platform
PS = RS = None        # one with a 4 KiB record limit and a 1 s stream lifetime
CID = None

ORDER_V1 = {"type": "record", "name": "Order", "namespace": "com.example",
            "fields": [{"name": "id", "type": "long"},
                       {"name": "note", "type": ["null", "string"], "default": None}]}
ORDER_V2 = {"type": "record", "name": "Order", "namespace": "com.example",
            "fields": [{"name": "id", "type": "long"},
                       {"name": "note", "type": ["null", "string"], "default": None},
                       {"name": "qty", "type": "int", "default": 1}]}


def setup_module():
    global P, R, PS, RS, CID
    P, R = rptest.start()
    PS, RS = rptest.start({"rest-proxy.api.v3.produce.request.size.limit.max.bytes": "4096",
                           "rest-proxy.streaming.connection.max.duration.ms": "1000"})
    CID = R.cluster_id()


def teardown_module():
    rptest.stop_server(P, if_alive=True)
    rptest.stop_server(PS, if_alive=True)


def records_path(topic, cid=None):
    return f"/v3/clusters/{cid or CID}/topics/{topic}/records"


def parse_reports(text):
    """Reports are JSON objects each followed by CRLF (Confluent's separator)."""
    assert text.endswith("\r\n"), repr(text[-40:])
    return [json.loads(part) for part in text.split("\r\n")[:-1]]


def post_records(topic, records, proxy=None):
    """One request whose body is the records' objects concatenated (with
    assorted whitespace between them, no commas)."""
    body = "".join(json.dumps(r) + ("\n" if i % 2 else " \t") for i, r in enumerate(records))
    r = (proxy or R).post(records_path(topic), raw=body.encode(), content_type="application/json")
    check(r, 200)
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    assert r.headers.get("Transfer-Encoding") == "chunked", r.headers
    return parse_reports(r.text)


class Stream:
    """A raw HTTP/1.1 request with a chunked body, written piece by piece
    while the chunked answer is decoded as it arrives (full duplex)."""

    def __init__(self, platform, path, head_extra=""):
        self.sock = socket.create_connection(("127.0.0.1", platform.rest_port), timeout=15)
        self.sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           f"Transfer-Encoding: chunked\r\n{head_extra}\r\n").encode())
        self.raw = b""
        self.status = None
        self.headers = {}
        self.body = b""
        self.done = False     # the answer's last chunk arrived
        self.eof = False      # the server closed the connection
        self.chunked = True

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")

    def end(self):
        self.sock.sendall(b"0\r\n\r\n")

    def close(self):
        self.sock.close()

    def _fill(self):
        d = self.sock.recv(1 << 20)
        if not d:
            self.eof = True
            raise EOFError("server closed the connection")
        self.raw += d

    def _decode(self):
        if self.status is None:
            if b"\r\n\r\n" not in self.raw:
                return
            head, self.raw = self.raw.split(b"\r\n\r\n", 1)
            lines = head.decode().split("\r\n")
            self.status = int(lines[0].split()[1])
            for line in lines[1:]:
                k, v = line.split(":", 1)
                self.headers[k.strip().lower()] = v.strip()
            self.chunked = self.headers.get("transfer-encoding") == "chunked"
        if not self.chunked:
            n = int(self.headers.get("content-length", "0"))
            if len(self.raw) >= n:
                self.body, self.raw, self.done = self.raw[:n], self.raw[n:], True
            return
        while not self.done and b"\r\n" in self.raw:
            size_text, rest = self.raw.split(b"\r\n", 1)
            size = int(size_text, 16)
            if size == 0:
                if rest.startswith(b"\r\n"):
                    self.done = True
                return
            if len(rest) < size + 2:
                return
            self.body += rest[:size]
            self.raw = rest[size + 2:]

    def response(self):
        """Reads until the answer is complete; returns (status, body bytes)."""
        while not self.done:
            self._decode()
            if not self.done:
                self._fill()
        return self.status, self.body

    def reports(self, n):
        """Reads until n complete reports arrived (or the answer ended)."""
        while True:
            self._decode()
            parts = self.body.split(b"\r\n")[:-1]
            if len(parts) >= n or self.done:
                return [json.loads(p) for p in parts]
            self._fill()

    def closed_by_server(self, timeout=5.0):
        """True when the server closes the connection within timeout."""
        self.sock.settimeout(timeout)
        try:
            while True:
                d = self.sock.recv(65536)
                if not d:
                    return True
                self.raw += d
        except (socket.timeout, ConnectionResetError):
            return False


def headers_of(msg):
    return msg.headers() or []


def check_success(rep, topic):
    assert rep["error_code"] == 200, rep
    assert rep["cluster_id"] == CID and rep["topic_name"] == topic, rep
    assert isinstance(rep["partition_id"], int) and isinstance(rep["offset"], int), rep
    assert rep["timestamp"].endswith("Z") and len(rep["timestamp"]) == 24, rep


def iso_ms(ts):
    """Epoch ms of a report timestamp like 2021-02-05T19:14:42.000Z."""
    import datetime
    dt = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(round(dt.timestamp() * 1000))


# Braces, brackets, quotes and backslashes inside strings must not confuse
# the framing of the stream.
TRICKY = 'a } b { c ] [ "q" \\" \\ }{ \u00e9 end\\'


def test_schemaless_records_round_trip_through_kafka():
    t = unique_topic("v3plain")
    rptest.create_topic(P, t, partitions=3)
    recs = [
        {"partition_id": 2, "key": {"type": "BINARY", "data": b64(b"k\x00\xff")},
         "value": {"type": "BINARY", "data": b64(b"\x00\x01binary\xfe")},
         "headers": [{"name": "h1", "value": b64("v1")}, {"name": "h1", "value": b64("again")},
                     {"name": "nul", "value": None}],
         "timestamp": "2021-02-05T19:14:42.123Z"},
        {"partition_id": 0, "key": {"type": "STRING", "data": "clé"}, "value": {"type": "JSON", "data": {"a": [1, None]}},
         "timestamp": "2021-02-05T20:14:42+01:00"},
        {"partition_id": 1, "value": {"type": "STRING", "data": "only value"}},
        {"partition_id": 1, "key": {"type": "JSON", "data": None}, "value": {"type": "BINARY", "data": None}},
        {"partition_id": 1},
        {"partition_id": 0, "value": {"type": "STRING", "data": TRICKY}},
    ]
    reps = post_records(t, recs)
    assert len(reps) == 6
    for rep in reps:
        check_success(rep, t)
    assert [r["partition_id"] for r in reps] == [2, 0, 1, 1, 1, 0]
    assert reps[0]["key"] == {"type": "BINARY", "size": 3} and reps[0]["value"] == {"type": "BINARY", "size": 9}
    assert reps[0]["timestamp"] == "2021-02-05T19:14:42.123Z"
    assert reps[1]["key"] == {"type": "STRING", "size": 4} and reps[1]["value"] == {"type": "JSON", "size": 14}
    assert reps[1]["timestamp"] == "2021-02-05T19:14:42.000Z"
    assert "key" not in reps[2] and reps[2]["value"] == {"type": "STRING", "size": 10}
    assert reps[3]["key"] == {"type": "JSON", "size": 0} and reps[3]["value"] == {"type": "BINARY", "size": 0}
    assert "key" not in reps[4] and "value" not in reps[4]
    msgs = {(m.partition(), m.offset()): m for m in rptest.consume_all(P, t, 6)}
    got = [msgs[(r["partition_id"], r["offset"])] for r in reps]
    assert got[0].key() == b"k\x00\xff" and got[0].value() == b"\x00\x01binary\xfe"
    assert headers_of(got[0]) == [("h1", b"v1"), ("h1", b"again"), ("nul", None)]
    assert got[0].timestamp()[1] == 1612552482123
    assert got[1].key() == "clé".encode() and json.loads(got[1].value()) == {"a": [1, None]}
    assert got[1].timestamp()[1] == 1612552482000
    assert got[2].key() is None and got[2].value() == b"only value"
    assert got[3].key() is None and got[3].value() is None and got[4].value() is None
    assert got[5].value() == TRICKY.encode()
    for rep, m in zip(reps, got):
        assert iso_ms(rep["timestamp"]) == m.timestamp()[1]


def test_stream_answers_each_record_before_the_next_is_sent():
    t = unique_topic("v3duplex")
    rptest.create_topic(P, t, partitions=2)
    s = Stream(P, records_path(t))
    try:
        reps = []
        for i in range(12):
            rec = {"partition_id": i % 2, "key": {"type": "STRING", "data": f"k{i}"},
                   "value": {"type": "STRING", "data": f"v{i}" + ("}" * i)}}
            t0 = time.monotonic()
            s.send(json.dumps(rec) + "\n")
            got = s.reports(i + 1)  # the client waits: the report must come without more input
            assert len(got) == i + 1, got
            assert time.monotonic() - t0 < 5
            reps = got
        assert s.status == 200 and s.headers["transfer-encoding"] == "chunked"
        assert s.headers["content-type"].startswith("application/json")
        s.end()
        status, _ = s.response()
        assert status == 200 and len(s.reports(100)) == 12
    finally:
        s.close()
    for rep in reps:
        check_success(rep, t)
    assert [r["partition_id"] for r in reps] == [i % 2 for i in range(12)]
    assert [r["offset"] for r in reps] == [i // 2 for i in range(12)]
    msgs = {(m.partition(), m.offset()): m for m in rptest.consume_all(P, t, 12)}
    for i, rep in enumerate(reps):
        m = msgs[(rep["partition_id"], rep["offset"])]
        assert (m.key(), m.value()) == (f"k{i}".encode(), (f"v{i}" + "}" * i).encode())
        assert iso_ms(rep["timestamp"]) == m.timestamp()[1]


def test_stream_burst_of_10000_records_split_anywhere():
    t = unique_topic("v3burst")
    rptest.create_topic(P, t, partitions=3)
    n = 10000
    body = "".join(json.dumps({"partition_id": i % 3, "key": {"type": "BINARY", "data": b64(f"key-{i}")},
                               "value": {"type": "STRING", "data": f"record {i} " + "x" * (i % 50)},
                               "headers": [{"name": "seq", "value": b64(str(i))}]}) + ("\n" if i % 3 else "")
                   for i in range(n)).encode()
    rnd = random.Random(7)
    s = Stream(P, records_path(t))
    sent_all = threading.Event()
    errors = []

    def sender():
        try:
            off = 0
            while off < len(body):  # chunk boundaries fall anywhere, mid-record included
                size = rnd.choice([1, 7, 100, 1500, 40000])
                s.send(body[off:off + size])
                off += size
            s.end()
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        sent_all.set()

    t0 = time.monotonic()
    th = threading.Thread(target=sender)
    th.start()
    try:
        status, _ = s.response()  # read concurrently with the sender
        th.join(60)
    finally:
        s.close()
    elapsed = time.monotonic() - t0
    assert not errors, errors
    assert status == 200
    reps = s.reports(n)
    assert len(reps) == n, len(reps)
    print(f"  {n} streamed records in {elapsed:.2f}s ({n / elapsed:.0f} records/s)")
    next_off = [0, 0, 0]
    for i, rep in enumerate(reps):
        assert rep["error_code"] == 200, (i, rep)
        p = rep["partition_id"]
        assert p == i % 3 and rep["offset"] == next_off[p], (i, rep)
        next_off[p] += 1
    msgs = rptest.consume_all(P, t, n, timeout=60)
    by_pos = {(m.partition(), m.offset()): m for m in msgs}
    for i, rep in enumerate(reps):
        m = by_pos[(rep["partition_id"], rep["offset"])]
        assert m.key() == f"key-{i}".encode()
        assert m.value() == (f"record {i} " + "x" * (i % 50)).encode()
        assert headers_of(m) == [("seq", str(i).encode())]


def test_requests_generator_body_and_client_going_away():
    t = unique_topic("v3gen")
    rptest.create_topic(P, t)

    def gen():  # requests sends each item as one chunk (Confluent's Python example)
        for i in range(50):
            yield (json.dumps({"value": {"type": "STRING", "data": f"g{i}"}}) + "\n").encode()

    r = R.s.post(R.url + records_path(t), data=gen(), headers={"Content-Type": "application/json"}, timeout=30)
    check(r, 200)
    reps = parse_reports(r.text)
    assert [x["offset"] for x in reps] == list(range(50)), reps
    # A client that vanishes mid-record leaves the proxy serving others.
    s = Stream(P, records_path(t))
    s.send(json.dumps({"value": {"type": "STRING", "data": "g50"}}))
    assert s.reports(1)[0]["offset"] == 50
    s.send('{"value": {"type": "STRING", "da')
    s.close()
    rep = post_records(t, [{"value": {"type": "STRING", "data": "g51"}}])[0]
    assert rep["offset"] == 51, rep
    assert [m.value() for m in rptest.consume_all(P, t, 52)] == [f"g{i}".encode() for i in range(52)]


def registry_id(subject, version="latest"):
    return check(P.get(f"/subjects/{subject}/versions/{version}"), 200)["id"]


def check_framed(data, schema_id):
    magic, sid = struct.unpack(">bI", data[:5])
    assert magic == 0 and sid == schema_id, (magic, sid, schema_id)
    return data[5:]


def test_avro_schema_text_id_version_and_latest():
    t = unique_topic("v3avro")
    rptest.create_topic(P, t)
    # Raw schema text with a type: registered under <topic>-value (and a string key schema under -key).
    reps = post_records(t, [{"key": {"type": "AVRO", "schema": json.dumps({"type": "string"}), "data": "k1"},
                             "value": {"type": "AVRO", "schema": json.dumps(ORDER_V1),
                                       "data": {"id": 1, "note": {"string": "hi"}}}}])
    v1 = registry_id(f"{t}-value")
    kid = registry_id(f"{t}-key")
    check_success(reps[0], t)
    assert reps[0]["value"] == {"type": "AVRO", "subject": f"{t}-value", "schema_id": v1, "schema_version": 1,
                                "size": 5 + 5}, reps[0]
    assert reps[0]["key"] == {"type": "AVRO", "subject": f"{t}-key", "schema_id": kid, "schema_version": 1,
                              "size": 5 + 3}, reps[0]
    # A second, compatible version, registered straight in the registry.
    v2 = P.register(f"{t}-value", ORDER_V2)["id"]
    assert v2 != v1
    reps = post_records(t, [
        {"value": {"schema_id": v1, "data": {"id": 2, "note": None}}},               # by id
        {"value": {"schema_version": 1, "data": {"id": 3, "note": None}}},           # by version
        {"value": {"data": {"id": 4, "note": None, "qty": 9}}},                      # no type: latest (v2)
        {"value": {"type": "AVRO", "schema": json.dumps(ORDER_V1), "data": {"id": 5, "note": None}}},  # found again
    ])
    for rep in reps:
        check_success(rep, t)
    # every report names the version the schema has under its subject
    assert [(r["value"]["schema_id"], r["value"]["schema_version"]) for r in reps] == \
        [(v1, 1), (v1, 1), (v2, 2), (v1, 1)], reps
    assert all(r["value"]["subject"] == f"{t}-value" and r["value"]["type"] == "AVRO" for r in reps)
    msgs = {(m.partition(), m.offset()): m for m in rptest.consume_all(P, t, 5)}
    first = msgs[(0, 0)]
    assert check_framed(first.value(), v1) == bytes([2, 2, 4]) + b"hi"   # id 1 zigzag, union branch 1, "hi"
    assert check_framed(first.key(), kid) == bytes([4]) + b"k1"
    want = [(v1, bytes([4, 0])), (v1, bytes([6, 0])), (v2, bytes([8, 0, 18])), (v1, bytes([10, 0]))]
    for rep, (sid, payload) in zip(reps, want):
        m = msgs[(0, rep["offset"])]
        assert check_framed(m.value(), sid) == payload
        assert m.key() is None and rep["value"]["size"] == len(m.value())
    # An explicit subject: registered there, not under the topic's subject.
    subj = unique_topic("custom-subject")
    rep = post_records(t, [{"value": {"type": "AVRO", "subject": subj, "schema": json.dumps({"type": "long"}),
                                      "data": 42}}])[0]
    check_success(rep, t)
    assert rep["value"]["subject"] == subj and rep["value"]["schema_id"] == registry_id(subj)


def test_per_record_errors_do_not_end_the_stream():
    t = unique_topic("v3err")
    rptest.create_topic(P, t, partitions=2)
    recs = [
        {"value": {"type": "BINARY", "data": "not base64!"}},                              # 400
        {"value": {"type": "AVRO", "schema": json.dumps(ORDER_V1), "data": {"id": "one"}}},  # 42207 naming id
        {"partition_id": -1, "value": {"type": "STRING", "data": "x"}},                   # 40402
        {"partition_id": 2, "value": {"type": "STRING", "data": "x"}},                    # 40403
        {"value": {"type": "STRING", "schema_id": 1, "data": "x"}},                       # 400 schemaless + schema
        {"headers": [{"name": "h", "value": "%%%"}], "value": {"type": "STRING", "data": "x"}},  # 400 header
        {"timestamp": "yesterday", "value": {"type": "STRING", "data": "x"}},              # 400
        {"value": {"type": "STRING", "data": 12}},                                          # 400 not a string
        {"value": {"type": "XML", "data": "x"}},                                            # 400 unknown type
        {"value": {"schema_version": 99, "data": {"id": 1}}},                               # 40801 no such version
        {"value": {"type": "STRING", "data": "ok"}},                                        # 200
    ]
    reps = post_records(t, recs)
    codes = [r["error_code"] for r in reps]
    assert codes == [400, 42207, 40402, 40403, 400, 400, 400, 400, 400, 40801, 200], reps
    assert "base64" in reps[0]["message"]
    assert "id" in reps[1]["message"], reps[1]
    assert all(isinstance(r["message"], str) and r["message"] for r in reps[:-1])
    check_success(reps[-1], t)
    msgs = rptest.consume_all(P, t, 1)
    assert msgs[0].value() == b"ok"


def test_missing_topic_is_answered_before_the_body():
    s = Stream(P, records_path("never-created-" + unique_topic()))
    try:
        t0 = time.monotonic()
        status, body = s.response()   # no body byte was sent
        assert time.monotonic() - t0 < 5
        assert status == 404 and not s.chunked
        assert json.loads(body)["error_code"] == 40401
        assert s.headers.get("connection") == "close"
    finally:
        s.close()
    check_error(R.post(records_path("bad$name"), {"value": {"type": "STRING", "data": "x"}}), 40401)


def test_empty_body_and_foreign_cluster():
    t = unique_topic("v3empty")
    rptest.create_topic(P, t)
    for raw in (b"", b"  \r\n\t "):
        r = R.post(records_path(t), raw=raw, content_type="application/json")
        err = check_error(r, 42206)
        assert err["message"] == "Payload error. Request body is empty. Data is required."
    s = Stream(P, records_path(t))
    try:
        s.end()
        status, body = s.response()
        assert status == 422 and json.loads(body)["error_code"] == 42206
    finally:
        s.close()
    check(R.post(records_path(t, cid="not-this-cluster"), {"value": {"type": "STRING", "data": "x"}}), 404, 404)


def test_malformed_json_ends_the_stream():
    t = unique_topic("v3bad")
    rptest.create_topic(P, t)
    good = json.dumps({"value": {"type": "STRING", "data": "first"}})
    later = json.dumps({"value": {"type": "STRING", "data": "never"}})
    r = R.post(records_path(t), raw=(good + '{"value": {"type": tru}}' + later).encode(),
               content_type="application/json")
    check(r, 200)
    reps = parse_reports(r.text)
    assert [x["error_code"] for x in reps] == [200, 400], reps
    r = R.post(records_path(t), raw=("[" + good + "]").encode(), content_type="application/json")
    reps = parse_reports(r.text)
    assert r.status_code == 200 and [x["error_code"] for x in reps] == [400], reps
    r = R.post(records_path(t), raw=(good + good[:-3]).encode(), content_type="application/json")
    assert [x["error_code"] for x in parse_reports(r.text)] == [200, 400]
    msgs = rptest.consume_all(P, t, 2)
    assert [m.value() for m in msgs] == [b"first", b"first"]


def test_oversized_record_gets_400_and_closes_the_connection():
    t = unique_topic("v3big")
    rptest.create_topic(PS, t)
    s = Stream(PS, f"/v3/clusters/{RS.cluster_id()}/topics/{t}/records")
    try:
        s.send(json.dumps({"value": {"type": "STRING", "data": "small"}}))
        assert [x["error_code"] for x in s.reports(1)] == [200]
        big = json.dumps({"value": {"type": "STRING", "data": "y" * 10000}})
        s.send(big[:6000])   # over the 4096-byte limit before the record is even complete
        reps = s.reports(2)
        assert [x["error_code"] for x in reps] == [200, 400], reps
        assert "larger than" in reps[1]["message"]
        status, _ = s.response()
        assert status == 200
        assert s.headers.get("connection") == "close"
        assert s.closed_by_server(), "the connection must be dropped after an oversized record"
    finally:
        s.close()
    msgs = rptest.consume_all(PS, t, 1)
    assert msgs[0].value() == b"small"


def test_stream_older_than_its_lifetime_gets_408_and_closes():
    t = unique_topic("v3old")
    rptest.create_topic(PS, t)
    s = Stream(PS, f"/v3/clusters/{RS.cluster_id()}/topics/{t}/records")
    try:
        s.send(json.dumps({"value": {"type": "STRING", "data": "in time"}}))
        assert [x["error_code"] for x in s.reports(1)] == [200]
        time.sleep(1.3)   # streaming.connection.max.duration.ms = 1000
        s.send(json.dumps({"value": {"type": "STRING", "data": "too late"}}))
        reps = s.reports(2)
        assert reps[1] == {"error_code": 408, "message": "Streaming connection open for longer than allowed: "
                                                         "Connection will be closed."}, reps
        s.response()
        assert s.closed_by_server()
    finally:
        s.close()
    assert [m.value() for m in rptest.consume_all(PS, t, 1)] == [b"in time"]


def test_streamed_route_still_rejects_smuggling():
    t = unique_topic("v3smuggle")
    rptest.create_topic(P, t)
    body = json.dumps({"value": {"type": "STRING", "data": "smuggled?"}}).encode()
    req = (f"POST {records_path(t)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    req += b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    req += f"GET /v3/clusters/{CID}/topics HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", P.rest_port), timeout=10) as sock:
        sock.sendall(req)
        data = b""
        while True:
            d = sock.recv(65536)
            if not d:
                break
            data += d
    assert data.startswith(b"HTTP/1.1 400"), data[:200]
    assert data.count(b"HTTP/1.1") == 1, data   # the second request was never served
    # Nothing was produced: a later record lands at offset 0.
    rep = post_records(t, [{"value": {"type": "STRING", "data": "after"}}])[0]
    assert rep["offset"] == 0, rep


def test_records_batch():
    t = unique_topic("v3batch")
    rptest.create_topic(P, t, partitions=2)
    path = f"/v3/clusters/{CID}/topics/{t}/records:batch"
    entries = [{"id": "a", "partition_id": 1, "value": {"type": "STRING", "data": "va"}},
               {"id": "b", "value": {"type": "BINARY", "data": "!!"}},
               {"id": "c", "key": {"type": "STRING", "data": "kc"}, "value": {"type": "JSON", "data": [1]},
                "partition_id": 0, "headers": [{"name": "x", "value": b64("y")}]},
               {"id": "d", "partition_id": 5, "value": {"type": "STRING", "data": "vd"}}]
    body = check(R.post(path, {"entries": entries}), 207)
    ok, bad = body["successes"], body["failures"]
    assert [s["id"] for s in ok] == ["a", "c"] and [f["id"] for f in bad] == ["b", "d"], body
    assert [f["error_code"] for f in bad] == [400, 40403]
    assert all("error_code" not in s for s in ok)
    assert ok[0]["partition_id"] == 1 and ok[0]["value"] == {"type": "STRING", "size": 2}
    assert ok[1]["key"] == {"type": "STRING", "size": 2} and ok[1]["cluster_id"] == CID
    msgs = {(m.partition(), m.offset()): m for m in rptest.consume_all(P, t, 2)}
    assert msgs[(1, ok[0]["offset"])].value() == b"va"
    m = msgs[(0, ok[1]["offset"])]
    assert (m.key(), m.value(), headers_of(m)) == (b"kc", b"[1]", [("x", b"y")])
    # 42208 validation
    one = {"value": {"type": "STRING", "data": "x"}}
    for bad_body in ({"entries": []}, {}, {"entries": "x"},
                     {"entries": [dict(one, id=str(i)) for i in range(11)]},
                     {"entries": [dict(one, id="1"), dict(one, id="1")]},
                     {"entries": [dict(one, id="x" * 81)]}, {"entries": [dict(one, id="")]},
                     {"entries": [dict(one, id=7)]}, {"entries": [one]}):
        check_error(R.post(path, bad_body), 42208)
    check_error(R.post(path, raw=b"", content_type="application/json"), 42208)
    assert check(R.post(path, {"entries": [dict(one, id=str(i)) for i in range(10)]}), 207)["failures"] == []
    check_error(R.post(f"/v3/clusters/{CID}/topics/no-such-topic-{t}/records:batch", {"entries": [dict(one, id="1")]}),
                40401)


if __name__ == "__main__":
    rptest.run_tests(globals())
