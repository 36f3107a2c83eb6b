# SPDX-License-Identifier: Apache-2.0
"""REST proxy v2 consumer instances end to end: records produced with kcat /
confluent-kafka (and Avro through the proxy's own v2 produce) are read over
HTTP with binary, json and avro instances; subscribe / assign / seek
(offset, timestamp, beginning, end) / commit (the offset + 1 rule, checked
with confluent-kafka's committed()) / committed offsets; the Confluent error
codes (40403, 40601, 40902, 40903, 40001, 42204, 40402); bounded read
timeouts, max_bytes, ordering without loss across reads and concurrent
readers; idle expiry."""

import datetime
import json
import threading
import time

import rptest
from rptest import AVRO_V2, BINARY_V2, JSON_V2, V2, b64, check, check_error, run_tests, stop_server, unb64, \
    unique_topic

P = R = None


def setup_module():
    global P, R
    P, R = rptest.start()


def teardown_module():
    stop_server(P)


# -- helpers ----------------------------------------------------------------

def new_instance(group=None, **cfg):
    """Creates an instance; returns (group, name, base_path)."""
    group = group or unique_topic("g")
    body = dict(cfg)
    r = R.post(f"/consumers/{group}", body, content_type=V2)
    out = check(r, 200)
    assert r.headers["Content-Type"].startswith(V2), r.headers
    name = out["instance_id"]
    assert out["base_uri"] == f"{R.url}/consumers/{group}/instances/{name}", out
    return group, name, f"/consumers/{group}/instances/{name}"


def read(base, accept=BINARY_V2, timeout=None, max_bytes=None, http_timeout=60):
    params = {}
    if timeout is not None:
        params["timeout"] = timeout
    if max_bytes is not None:
        params["max_bytes"] = max_bytes
    return R.get(base + "/records", accept=accept, params=params, timeout=http_timeout)


def read_n(base, n, accept=BINARY_V2, deadline_s=30, **kw):
    """Reads until n records arrived (asserting no more than n)."""
    out = []
    timeout = kw.pop("timeout", 2000)
    end = time.monotonic() + deadline_s
    while len(out) < n and time.monotonic() < end:
        r = read(base, accept=accept, timeout=timeout, **kw)
        out += check(r, 200)
    assert len(out) == n, f"expected {n} records, got {len(out)}: {out!r}"
    return out


def assign(base, topic, partitions=(0,)):
    r = R.post(base + "/assignments", {"partitions": [{"topic": topic, "partition": p} for p in partitions]},
               content_type=V2)
    check(r, 204)


def produce_ck(topic, records, partition=0):
    """records: list of dicts with value/key/headers/timestamp (ms)."""
    from confluent_kafka import Producer
    p = Producer({"bootstrap.servers": P.bootstrap})
    for rec in records:
        kw = {"partition": partition}
        for k in ("key", "headers", "timestamp"):
            if rec.get(k) is not None:
                kw[k] = rec[k]
        p.produce(topic, rec.get("value"), **kw)
    assert p.flush(30) == 0


def committed(group, topic, partition=0):
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": P.bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        return c.committed([TopicPartition(topic, partition)], timeout=10)[0].offset
    finally:
        c.close()


def topic_with(lines, partitions=1):
    topic = unique_topic("c")
    rptest.create_topic(P, topic, partitions)
    if lines:
        rptest.produce_kcat(P, topic, lines, key_delim=":")
    return topic


# -- create / delete ----------------------------------------------------------

def test_create_generates_a_name_and_an_absolute_base_uri():
    r = R.post(f"/consumers/{unique_topic('g')}", {"format": "binary"}, content_type=V2)
    out = check(r, 200)
    assert out["instance_id"].startswith("rest-consumer-"), out
    assert out["base_uri"].startswith(R.url + "/consumers/"), out
    assert out["base_uri"].endswith("/instances/" + out["instance_id"]), out
    # an empty body is fine too, and plain application/json is accepted
    check(R.post(f"/consumers/{unique_topic('g')}", None, content_type=V2), 200)
    check(R.post(f"/consumers/{unique_topic('g')}", {}, content_type="application/json"), 200)


def test_duplicate_name_is_40902_and_other_groups_may_reuse_it():
    group, name, _ = new_instance(name="dup")
    check_error(R.post(f"/consumers/{group}", {"name": "dup"}, content_type=V2), 40902)
    new_instance(name="dup")  # another group


def test_bad_create_requests_get_confluent_codes():
    g = unique_topic("g")
    r = check(R.post(f"/consumers/{g}", {"format": "xml"}, content_type=V2), 422)
    assert r["error_code"] == 422 and r["message"] == "Invalid format type.", r
    # 40001 is sent with HTTP 422 (Confluent's exception to the first-three-digits rule)
    check(R.post(f"/consumers/{g}", {"fetch.min.bytes": 10000001}, content_type=V2), 422, 40001)
    check(R.post(f"/consumers/{g}", {"responseMinBytes": -2}, content_type=V2), 422, 40001)
    check_error(R.post(f"/consumers/{g}", {"auto.offset.reset": "sometimes"}, content_type=V2), 42204)
    check_error(R.post(f"/consumers/{g}", {"auto.commit.enable": "maybe"}, content_type=V2), 42204)
    check(R.post(f"/consumers/{g}", raw=b"{not json", content_type=V2), 400)
    check(R.post(f"/consumers/{g}", raw=b"{}", content_type="text/plain"), 415)
    # none of the failures left an instance behind: the name is still free
    check(R.post(f"/consumers/{g}", {"name": "x", "format": "JSON", "fetch.min.bytes": "100"}, content_type=V2), 200)


def test_delete_then_every_call_is_40403():
    _, _, base = new_instance()
    check(R.delete(base), 204)
    check_error(read(base), 40403)
    check_error(R.get(base + "/subscription"), 40403)
    check_error(R.post(base + "/subscription", {"topics": ["x"]}, content_type=V2), 40403)
    check_error(R.post(base + "/offsets", None, content_type=V2), 40403)
    check_error(R.delete(base), 40403)


# -- reading --------------------------------------------------------------------

def test_subscribe_first_read_waits_for_the_group_and_returns_records_in_order():
    topic = topic_with([f"k{i}:v{i}" for i in range(5)])
    # ?timeout can only shorten the instance's wait, so give the instance a long one
    _, _, base = new_instance(**{"auto.offset.reset": "earliest", "consumer.request.timeout.ms": 20000})
    check(R.post(base + "/subscription", {"topics": [topic]}, content_type=V2), 204)
    t0 = time.monotonic()
    r = read(base, timeout=20000)
    took = time.monotonic() - t0
    recs = check(r, 200)
    assert r.headers["Content-Type"].startswith(BINARY_V2), r.headers
    # the group join takes seconds; the read must not return [] meanwhile,
    # and must return soon after data arrives (not at the timeout)
    assert recs, "first read after subscribe returned []"
    assert took < 15, took
    recs += read_n(base, 5 - len(recs)) if len(recs) < 5 else []
    assert [unb64(x["value"]) for x in recs] == [f"v{i}".encode() for i in range(5)], recs
    assert [unb64(x["key"]) for x in recs] == [f"k{i}".encode() for i in range(5)], recs
    assert [x["offset"] for x in recs] == list(range(5)), recs
    for x in recs:
        assert x["topic"] == topic and x["partition"] == 0, x
        assert isinstance(x["timestamp"], int) and abs(x["timestamp"] / 1000 - time.time()) < 120, x
        assert "headers" not in x, x
    sub = check(R.get(base + "/subscription"), 200)
    assert sub == {"topics": [topic]}, sub
    parts = check(R.get(base + "/assignments"), 200)
    assert parts == {"partitions": [{"topic": topic, "partition": 0}]}, parts
    check(R.delete(base), 204)


def test_json_instance_reads_json_values_and_headers():
    topic = topic_with([])
    produce_ck(topic, [
        {"key": b'"k1"', "value": json.dumps({"a": 1, "b": [True, None]}).encode(),
         "headers": [("trace", b"\x00\x01abc"), ("empty", None)]},
        {"key": None, "value": b"42"},
        {"key": None, "value": None},
    ])
    _, _, base = new_instance(format="json")
    assign(base, topic)
    check(R.post(base + "/positions/beginning", {"partitions": [{"topic": topic, "partition": 0}]},
                 content_type=V2), 204)
    r = read(base, accept=JSON_V2, timeout=5000)
    assert r.headers["Content-Type"].startswith(JSON_V2), r.headers
    recs = check(r, 200)
    recs += read_n(base, 3 - len(recs), accept=JSON_V2) if len(recs) < 3 else []
    assert recs[0]["key"] == "k1" and recs[0]["value"] == {"a": 1, "b": [True, None]}, recs
    assert recs[0]["headers"] == [{"key": "trace", "value": b64(b"\x00\x01abc")}, {"key": "empty", "value": None}], recs
    assert recs[1]["key"] is None and recs[1]["value"] == 42 and "headers" not in recs[1], recs
    assert recs[2]["value"] is None, recs
    # a json instance read with a vague or binary Accept is 40601 (Confluent's weights pick binary)
    check_error(read(base, accept=BINARY_V2, timeout=100), 40601)
    check_error(read(base, accept="*/*", timeout=100), 40601)
    check(read(base, accept="text/html", timeout=100), 406)
    # binary instance: */* is fine, a json Accept is not
    _, _, bbase = new_instance()
    check(read(bbase, accept="*/*", timeout=100), 200)
    check_error(read(bbase, accept=JSON_V2, timeout=100), 40601)


def test_avro_instance_reads_what_the_proxy_produced_as_avro():
    topic = topic_with([])
    schema = json.dumps({"type": "record", "name": "User", "fields": [
        {"name": "name", "type": "string"}, {"name": "age", "type": ["null", "int"], "default": None}]})
    body = {"value_schema": schema, "records": [{"value": {"name": "ann", "age": {"int": 30}}},
                                                {"value": {"name": "bob", "age": None}}]}
    r = R.post(f"/topics/{topic}", body, content_type=AVRO_V2, accept=V2)
    out = check(r, 200)
    assert all(o.get("error_code") is None for o in out["offsets"]), out
    _, _, base = new_instance(format="avro", **{"auto.offset.reset": "earliest"})
    assign(base, topic)
    recs = read_n(base, 2, accept=AVRO_V2)
    assert recs[0]["value"] == {"name": "ann", "age": {"int": 30}}, recs
    assert recs[1]["value"] == {"name": "bob", "age": None}, recs
    assert recs[0]["key"] is None, recs


def test_empty_read_returns_within_its_timeout():
    topic = topic_with([])
    _, _, base = new_instance(**{"consumer.request.timeout.ms": 5000})
    assign(base, topic)
    for ms in (100, 600, 1500):
        t0 = time.monotonic()
        recs = check(read(base, timeout=ms), 200)
        took = time.monotonic() - t0
        assert recs == [], recs
        assert ms / 1000 - 0.05 <= took < ms / 1000 + 1.0, (ms, took)
    # no (or a non-positive) ?timeout means the instance's own
    t0 = time.monotonic()
    check(read(base, timeout=0), 200)
    assert 4.9 <= time.monotonic() - t0 < 6.0
    # ?timeout can only shorten the instance's consumer.request.timeout.ms
    _, _, short = new_instance(**{"consumer.request.timeout.ms": 300})
    assign(short, topic)
    t0 = time.monotonic()
    check(read(short, timeout=10000), 200)
    assert time.monotonic() - t0 < 1.3
    # and a subscription to a topic that does not exist still answers [] in time
    _, _, none = new_instance()
    check(R.post(none + "/subscription", {"topics": [unique_topic("missing")]}, content_type=V2), 204)
    t0 = time.monotonic()
    assert check(read(none, timeout=800), 200) == []
    assert time.monotonic() - t0 < 1.8


def test_max_bytes_is_honoured_and_no_record_is_lost_or_repeated():
    topic = topic_with([])
    produce_ck(topic, [{"key": b"k%02d" % i, "value": b"x" * 97} for i in range(30)])  # 100 bytes each
    _, _, base = new_instance(**{"auto.offset.reset": "earliest"})
    assign(base, topic)
    got = []
    sizes = []
    end = time.monotonic() + 30
    while len(got) < 30 and time.monotonic() < end:
        recs = check(read(base, timeout=3000, max_bytes=350), 200)
        size = sum(len(unb64(x["key"])) + len(unb64(x["value"])) for x in recs)
        assert size <= 350, size
        sizes.append(len(recs))
        got += recs
    assert [x["offset"] for x in got] == list(range(30)), [x["offset"] for x in got]
    assert [unb64(x["key"]) for x in got] == [b"k%02d" % i for i in range(30)]
    assert max(sizes) == 3, sizes
    # a record bigger than max_bytes is still delivered (alone), never stuck
    produce_ck(topic, [{"value": b"y" * 1000}, {"value": b"z"}])
    recs = check(read(base, timeout=5000, max_bytes=100), 200)
    assert [len(unb64(x["value"])) for x in recs] == [1000], recs
    recs = check(read(base, timeout=5000, max_bytes=100), 200)
    assert [unb64(x["value"]) for x in recs] == [b"z"], recs


def test_concurrent_reads_on_one_instance_see_every_record_once():
    topic = topic_with([])
    produce_ck(topic, [{"value": b"%d" % i} for i in range(200)])
    _, _, base = new_instance(**{"auto.offset.reset": "earliest"})
    assign(base, topic)
    got, errors = [], []
    lock = threading.Lock()

    def reader():
        s = rptest.requests.Session()
        try:
            end = time.monotonic() + 30
            while time.monotonic() < end:
                with lock:
                    if len(got) >= 200:
                        return
                r = s.get(R.url + base + "/records", headers={"Accept": BINARY_V2},
                          params={"timeout": 500, "max_bytes": 500}, timeout=30)
                assert r.status_code == 200, r.text
                with lock:
                    got.extend(x["offset"] for x in r.json())
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(got) == list(range(200)), (len(got), sorted(set(range(200)) - set(got))[:10])


def test_undecodable_record_is_an_error_that_a_seek_gets_past():
    topic = topic_with([])
    produce_ck(topic, [{"value": b"1"}, {"value": b"{oops"}, {"value": b"3"}])
    _, _, base = new_instance(format="json", **{"auto.offset.reset": "earliest"})
    assign(base, topic)
    recs = read_n(base, 1, accept=JSON_V2)
    assert [x["value"] for x in recs] == [1], recs
    for _ in range(2):  # the bad record is kept, not skipped silently
        r = check_error(read(base, accept=JSON_V2, timeout=2000), 42203)
        assert "offset 1" in r["message"] and topic in r["message"], r
    check(R.post(base + "/positions", {"offsets": [{"topic": topic, "partition": 0, "offset": 2}]},
                 content_type=V2), 204)
    recs = read_n(base, 1, accept=JSON_V2)
    assert [(x["offset"], x["value"]) for x in recs] == [(2, 3)], recs


def test_auto_offset_reset_none_without_a_commit_is_an_illegal_state():
    topic = topic_with(["k:v"])
    group, _, base = new_instance(**{"auto.offset.reset": "none"})
    assign(base, topic)
    r = check_error(read(base, timeout=3000), 40903)
    assert r["message"].startswith("Illegal state"), r
    # once the group has a commit (record 0 processed -> committed 1, the end), reads work
    _, _, base2 = new_instance(group, **{"auto.offset.reset": "none"})
    check(R.post(base2 + "/offsets", {"offsets": [{"topic": topic, "partition": 0, "offset": 0}]},
                 content_type=V2), 200)
    check(R.delete(base2), 204)
    _, _, base3 = new_instance(group, **{"auto.offset.reset": "none"})
    assign(base3, topic)
    assert check(read(base3, timeout=3000), 200) == []  # committed 1 = the end


def test_delete_during_a_read_answers_at_once_and_the_read_still_completes():
    topic = topic_with([])
    group, name, base = new_instance(**{"consumer.request.timeout.ms": 3000})
    assign(base, topic)
    result = {}

    def reader():
        s = rptest.requests.Session()
        t0 = time.monotonic()
        r = s.get(R.url + base + "/records", headers={"Accept": BINARY_V2}, timeout=30)
        result["status"], result["body"], result["took"] = r.status_code, r.json(), time.monotonic() - t0

    th = threading.Thread(target=reader)
    th.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    check(R.delete(base), 204)
    assert time.monotonic() - t0 < 1.0
    # the name is free for a new instance while the old one finishes its read
    check(R.post(f"/consumers/{group}", {"name": name}, content_type=V2), 200)
    th.join()
    assert result["status"] == 200 and result["body"] == [], result
    assert result["took"] < 4.5, result
    check(R.delete(base), 204)  # the new one
    check_error(R.delete(base), 40403)


def test_topic_pattern_subscription_reads_every_matching_topic():
    prefix = unique_topic("pat")
    t1, t2 = prefix + "-a", prefix + "-b"
    for t in (t1, t2, prefix + "x"):
        rptest.create_topic(P, t)
        rptest.produce_kcat(P, t, [t])
    _, _, base = new_instance(**{"auto.offset.reset": "earliest"})
    check(R.post(base + "/subscription", {"topic_pattern": prefix + "-.*"}, content_type=V2), 204)
    got = set()
    end = time.monotonic() + 30
    while len(got) < 2 and time.monotonic() < end:
        got |= {x["topic"] for x in check(read(base, timeout=5000), 200)}
    assert got == {t1, t2}, got
    check_error(R.post(base + "/subscription", {"topics": [t1], "topic_pattern": "x"}, content_type=V2), 422)
    check_error(R.post(base + "/subscription", {}, content_type=V2), 422)
    check(R.delete(base + "/subscription"), 204)
    assert check(R.get(base + "/subscription"), 200) == {"topics": []}


def test_subscribe_and_assign_are_mutually_exclusive_40903():
    topic = topic_with([])
    _, _, base = new_instance()
    assign(base, topic)
    r = check_error(R.post(base + "/subscription", {"topics": [topic]}, content_type=V2), 40903)
    assert r["message"].startswith("Illegal state"), r
    check(R.delete(base + "/subscription"), 204)  # unsubscribe drops the assignment
    assert check(R.get(base + "/assignments"), 200) == {"partitions": []}
    check(R.post(base + "/subscription", {"topics": [topic]}, content_type=V2), 204)
    check_error(R.post(base + "/assignments", {"partitions": [{"topic": topic, "partition": 0}]},
                       content_type=V2), 40903)
    # assignments are validated against the cluster
    _, _, other = new_instance()
    check_error(R.post(other + "/assignments", {"partitions": [{"topic": topic, "partition": 7}]},
                       content_type=V2), 40402)
    check_error(R.post(other + "/assignments", {"partitions": [{"topic": unique_topic("no"), "partition": 0}]},
                       content_type=V2), 40401)


def test_seek_to_offset_beginning_end_and_timestamp():
    topic = topic_with([])
    base_ts = 1_700_000_000_000
    produce_ck(topic, [{"value": b"r%d" % i, "timestamp": base_ts + i * 1000} for i in range(10)])
    _, _, base = new_instance(**{"auto.offset.reset": "earliest"})
    # seeking a partition the instance does not own is 40903
    check_error(R.post(base + "/positions", {"offsets": [{"topic": topic, "partition": 0, "offset": 3}]},
                       content_type=V2), 40903)
    assign(base, topic)
    check(R.post(base + "/positions", {"offsets": [{"topic": topic, "partition": 0, "offset": 6}]},
                 content_type=V2), 204)
    recs = read_n(base, 4)
    assert [x["offset"] for x in recs] == [6, 7, 8, 9], recs
    assert recs[0]["timestamp"] == base_ts + 6000, recs
    tp = {"partitions": [{"topic": topic, "partition": 0}]}
    check(R.post(base + "/positions/beginning", tp, content_type=V2), 204)
    assert check(read(base, timeout=5000), 200)[0]["offset"] == 0
    check(R.post(base + "/positions/end", tp, content_type=V2), 204)
    assert check(read(base, timeout=500), 200) == []
    iso = datetime.datetime.fromtimestamp((base_ts + 4500) / 1000, datetime.timezone.utc).isoformat()
    check(R.post(base + "/positions", {"timestamps": [{"topic": topic, "partition": 0, "timestamp": iso}]},
                 content_type=V2), 204)
    assert check(read(base, timeout=5000), 200)[0]["offset"] == 5
    # "Z" form with milliseconds, exactly on a record
    iso = datetime.datetime.fromtimestamp((base_ts + 2000) / 1000, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")
    check(R.post(base + "/positions", {"timestamps": [{"topic": topic, "partition": 0, "timestamp": iso}]},
                 content_type=V2), 204)
    assert check(read(base, timeout=5000), 200)[0]["offset"] == 2
    check_error(R.post(base + "/positions", {"timestamps": [{"topic": topic, "partition": 0,
                                                             "timestamp": "yesterday"}]}, content_type=V2), 422)


def test_commit_uses_offset_plus_one_and_get_offsets_reads_it_back():
    topic = topic_with([f"k:v{i}" for i in range(8)])
    group, _, base = new_instance(**{"auto.commit.enable": "false", "auto.offset.reset": "earliest"})
    out = check(R.post(base + "/offsets", {"offsets": [{"topic": topic, "partition": 0, "offset": 4,
                                                        "metadata": "m1"}]}, content_type=V2), 200)
    assert out == [], out
    assert committed(group, topic) == 5
    got = check(R.request("GET", base + "/offsets", body={"partitions": [{"topic": topic, "partition": 0}]},
                          content_type=V2), 200)
    assert got == {"offsets": [{"topic": topic, "partition": 0, "offset": 5, "metadata": "m1"}]}, got
    # GET without a body is Confluent's 40402
    check_error(R.get(base + "/offsets"), 40402)
    # an assigned partition starts at the committed offset; commit-all commits what was returned
    assign(base, topic)
    recs = check(read(base, timeout=5000, max_bytes=4), 200)
    assert [x["offset"] for x in recs] == [5], recs
    check(R.post(base + "/offsets", None, content_type=V2), 200)
    assert committed(group, topic) == 6
    # a partition with no commit is left out
    other = topic_with([])
    got = check(R.request("GET", base + "/offsets", body={"partitions": [{"topic": other, "partition": 0}]},
                          content_type=V2), 200)
    assert got == {"offsets": []}, got


def test_commit_all_after_delete_lets_the_next_instance_resume():
    topic = topic_with([f"k:v{i}" for i in range(6)])
    group, _, base = new_instance(**{"auto.commit.enable": "false", "auto.offset.reset": "earliest"})
    check(R.post(base + "/subscription", {"topics": [topic]}, content_type=V2), 204)
    first = []
    end = time.monotonic() + 30
    while len(first) < 3 and time.monotonic() < end:
        first += check(read(base, timeout=10000, max_bytes=3 * (3 - len(first))), 200)
    assert [x["offset"] for x in first] == [0, 1, 2], first
    check(R.post(base + "/offsets", None, content_type=V2), 200)
    check(R.delete(base), 204)
    _, _, base2 = new_instance(group, **{"auto.offset.reset": "earliest"})
    check(R.post(base2 + "/subscription", {"topics": [topic]}, content_type=V2), 204)
    rest = []
    end = time.monotonic() + 30
    while len(rest) < 3 and time.monotonic() < end:
        rest += check(read(base2, timeout=10000), 200)
    assert [x["offset"] for x in rest] == [3, 4, 5], rest


def test_auto_commit_instance_commits_what_it_returned_when_deleted():
    topic = topic_with([f"k:v{i}" for i in range(4)])
    group, _, base = new_instance(**{"auto.offset.reset": "earliest", "consumer.request.timeout.ms": 15000})
    check(R.post(base + "/subscription", {"topics": [topic]}, content_type=V2), 204)
    got = []
    end = time.monotonic() + 30
    while len(got) < 2 and time.monotonic() < end:
        got += check(read(base, timeout=15000, max_bytes=3 * (2 - len(got))), 200)
    assert [x["offset"] for x in got] == [0, 1], got
    check(R.delete(base), 204)  # leaves the group; auto commit commits the records returned, not the prefetched
    assert committed(group, topic) == 2


def test_idle_instances_expire_and_busy_ones_do_not():
    p2, r2 = rptest.start({"rest-proxy.consumer.instance.timeout.ms": "1500"})
    try:
        g = unique_topic("g")
        idle = check(r2.post(f"/consumers/{g}", {"name": "idle"}, content_type=V2), 200)
        busy = check(r2.post(f"/consumers/{g}", {"name": "busy"}, content_type=V2), 200)
        assert idle["instance_id"] == "idle" and busy["instance_id"] == "busy"
        end = time.monotonic() + 4.5
        while time.monotonic() < end:
            check(r2.get(f"/consumers/{g}/instances/busy/assignments"), 200)
            time.sleep(0.3)
        r = check_error(r2.get(f"/consumers/{g}/instances/idle/assignments"), 40403)
        assert "not found" in r["message"].lower(), r
        check(r2.get(f"/consumers/{g}/instances/busy/assignments"), 200)
        # the name is free again
        check(r2.post(f"/consumers/{g}", {"name": "idle"}, content_type=V2), 200)
        # a read longer than the idle timeout does not let the instance expire under it
        check(r2.post(f"/consumers/{g}", {"name": "slow", "consumer.request.timeout.ms": 3000}, content_type=V2), 200)
        t0 = time.monotonic()
        r = r2.get(f"/consumers/{g}/instances/slow/records", headers={"Accept": BINARY_V2}, timeout=30)
        assert check(r, 200) == [] and time.monotonic() - t0 >= 2.9
        check(r2.get(f"/consumers/{g}/instances/slow/assignments"), 200)
    finally:
        stop_server(p2)


run_tests(globals())
