# SPDX-License-Identifier: Apache-2.0
"""Committed offsets on the weir broker (issue 4) with real clients:
synchronous, asynchronous and automatic commits (confluent-kafka-python); a
consumer restarted in the same group resumes right after its committed
offset (nothing re-delivered, nothing skipped); OffsetFetch of an unknown
group answers -1; committed offsets survive kill -9; AdminClient.list_groups
shows a group's members; DeleteGroups answers NON_EMPTY_GROUP while members
are active and removes the group and its offsets once they left
(kafka-python KafkaAdminClient)."""

import struct
import time

from confluent_kafka import OFFSET_INVALID, Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient
from kafka import KafkaAdminClient
from kafka.errors import NonEmptyGroupError, NoError

from brokertest import run_tests, stop_broker, unique_topic
from grouptest import Member, create_topic, group_broker, group_conf, produce, wait_until
from rawkafka import connect, kstr, recv_frame, request

B = None


def setup_module():
    global B
    B = group_broker().start()


def teardown_module():
    stop_broker(B)


def topic_with(prefix, partitions, n):
    topic = unique_topic(prefix)
    create_topic(B.bootstrap, topic, partitions)
    values = [f"{prefix}-{i}".encode() for i in range(n)]
    produce(B.bootstrap, topic, values, partition=lambda i: i % partitions)
    return topic, values


def committed(bootstrap, group, topic, partitions):
    """{partition: committed offset} as OffsetFetch reports it (librdkafka: -1001 = none)."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        res = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=15)
        for tp in res:
            assert tp.error is None, tp.error
        return {tp.partition: tp.offset for tp in res}
    finally:
        c.close()


def consume_n(c, n, timeout=40, commit=None):
    """Polls c (subscribed) until n records arrived; commit(c, msg) after each."""
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n:
        assert time.monotonic() < deadline, f"only {len(out)} of {n} records within {timeout}s\n{B.log_tail(10)}"
        m = c.poll(0.2)
        if m is None:
            continue
        if m.error():
            assert m.error().code() == KafkaError._PARTITION_EOF, m.error()
            continue
        out.append(m)
        if commit:
            commit(c, m)
    return out


def drain(c, quiet=3.0, timeout=40):
    """Polls c until no record arrived for `quiet` seconds (after assignment)."""
    out = []
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() < deadline:
        m = c.poll(0.2)
        if m is None or m.error():
            if c.assignment() and time.monotonic() - last >= quiet:
                return out
            continue
        out.append(m)
        last = time.monotonic()
    raise AssertionError(f"consumer never went quiet within {timeout}s ({len(out)} records)")


def test_restarted_consumer_resumes_after_sync_commits_without_redelivery():
    topic, values = topic_with("sync", 3, 90)
    group = unique_topic("g-sync")
    c = Consumer(group_conf(B.bootstrap, group))
    c.subscribe([topic])
    first = consume_n(c, 40, commit=lambda cc, m: cc.commit(message=m, asynchronous=False))
    c.close()
    by_part = {}
    for m in first:
        by_part[m.partition()] = max(by_part.get(m.partition(), -1), m.offset())
    got = committed(B.bootstrap, group, topic, 3)
    expect = {p: by_part[p] + 1 if p in by_part else OFFSET_INVALID for p in range(3)}
    assert got == expect, f"committed {got}, expected {expect}"
    c2 = Consumer(group_conf(B.bootstrap, group))
    c2.subscribe([topic])
    second = drain(c2)
    c2.close()
    a = [m.value() for m in first]
    b = [m.value() for m in second]
    assert not set(a) & set(b), f"{len(set(a) & set(b))} committed records delivered again"
    assert sorted(a + b) == sorted(values), f"{len(values) - len(set(a + b))} records skipped"
    for m in second:  # resumes exactly at the committed offset
        assert m.offset() >= by_part.get(m.partition(), -1) + 1


def test_async_commit_is_acknowledged_and_fetched_back():
    topic, values = topic_with("async", 2, 20)
    group = unique_topic("g-async")
    results = []
    c = Consumer(group_conf(B.bootstrap, group, on_commit=lambda err, parts: results.append((err, parts))))
    c.subscribe([topic])
    msgs = consume_n(c, len(values))
    c.commit(asynchronous=True)
    wait_until(lambda: c.poll(0.1) is None and results, 15, "the async commit callback")
    err, parts = results[-1]
    assert err is None, err
    assert {tp.partition: tp.offset for tp in parts} == {0: 10, 1: 10}, parts
    c.close()
    assert committed(B.bootstrap, group, topic, 2) == {0: 10, 1: 10}
    assert len(msgs) == 20


def test_auto_commit_commits_consumed_positions():
    topic, values = topic_with("auto", 2, 30)
    group = unique_topic("g-auto")
    c = Consumer(group_conf(B.bootstrap, group, **{"enable.auto.commit": True, "auto.commit.interval.ms": 300}))
    c.subscribe([topic])
    consume_n(c, len(values))
    wait_until(lambda: c.poll(0.1) is None and committed(B.bootstrap, group, topic, 2) == {0: 15, 1: 15}, 15,
               "auto-commit of the consumed positions")
    c.close()
    c2 = Consumer(group_conf(B.bootstrap, group))
    c2.subscribe([topic])
    assert drain(c2) == [], "records re-delivered after auto-commit"
    c2.close()


def offset_fetch_v1(port, group, topic, partitions):
    """Raw OffsetFetch v1 -> {partition: (offset, error)}."""
    body = kstr(group) + struct.pack(">i", 1) + kstr(topic) + struct.pack(">i", len(partitions))
    body += b"".join(struct.pack(">i", p) for p in partitions)
    with connect(port) as s:
        s.sendall(request(9, 1, 91, body))
        payload = recv_frame(s)
    corr, ntopics = struct.unpack_from(">ii", payload, 0)
    assert corr == 91 and ntopics == 1
    (nlen,) = struct.unpack_from(">h", payload, 8)
    off = 10 + nlen
    (nparts,) = struct.unpack_from(">i", payload, off)
    off += 4
    out = {}
    for _ in range(nparts):
        p, offset, mlen = struct.unpack_from(">iqh", payload, off)
        off += 14 + max(mlen, 0)
        (err,) = struct.unpack_from(">h", payload, off)
        off += 2
        out[p] = (offset, err)
    return out


def test_offset_fetch_of_unknown_group_is_minus_one():
    topic, _ = topic_with("unk", 2, 2)
    group = unique_topic("g-never")
    assert offset_fetch_v1(B.port, group, topic, [0, 1]) == {0: (-1, 0), 1: (-1, 0)}
    assert committed(B.bootstrap, group, topic, 2) == {0: OFFSET_INVALID, 1: OFFSET_INVALID}


def test_committed_offsets_survive_kill9():
    b = group_broker().start()
    try:
        topic = unique_topic("k9")
        create_topic(b.bootstrap, topic, 2)
        produce(b.bootstrap, topic, [f"v{i}".encode() for i in range(40)], partition=lambda i: i % 2)
        group = unique_topic("g-k9")
        c = Consumer(group_conf(b.bootstrap, group))
        c.subscribe([topic])
        n = 0
        deadline = time.monotonic() + 40
        while n < 25:
            assert time.monotonic() < deadline, "consume timed out"
            m = c.poll(0.2)
            if m is None or m.error():
                continue
            n += 1
            c.commit(message=m, asynchronous=False)
        expect = {tp.partition: tp.offset for tp in c.committed(c.assignment(), timeout=10)}
        c.close()
        assert sum(expect.values()) == 25, expect
        b.kill9()
        b.restart()
        assert committed(b.bootstrap, group, topic, 2) == expect
        assert offset_fetch_v1(b.port, group, topic, [0, 1]) == {p: (o, 0) for p, o in expect.items()}
        c2 = Consumer(group_conf(b.bootstrap, group))
        c2.subscribe([topic])
        rest = []
        deadline = time.monotonic() + 40
        while len(rest) < 15 and time.monotonic() < deadline:
            m = c2.poll(0.2)
            if m is not None and not m.error():
                rest.append(m)
        c2.close()
        assert len(rest) == 15, f"{len(rest)} of 15 uncommitted records after restart"
        for m in rest:
            assert m.offset() >= expect[m.partition()], (m.partition(), m.offset(), expect)
    finally:
        stop_broker(b)


def find_group(groups, group):
    return next((g for g in groups if g.id == group), None)


def test_admin_list_groups_shows_members_and_delete_group_needs_it_empty():
    topic, _ = topic_with("adm", 4, 8)
    group = unique_topic("g-adm")
    members = [Member(B.bootstrap, group, [topic], name=f"adm{i}", **{"client.id": f"weir-adm-{i}"})
               for i in range(2)]
    ka = KafkaAdminClient(bootstrap_servers=B.bootstrap, request_timeout_ms=15000)
    a = AdminClient({"bootstrap.servers": B.bootstrap})
    try:
        wait_until(lambda: all(m.partitions() for m in members), 40, "both members assigned")
        wait_until(lambda: sum(len(m.records) for m in members) >= 8, 20, "records consumed")

        def listed():
            g = find_group(a.list_groups(timeout=10), group)
            return g if g is not None and len(g.members) == 2 and g.state == "Stable" else None

        g = wait_until(listed, 20, "list_groups showing the group Stable with 2 members")
        assert g.protocol_type == "consumer", g.protocol_type
        assert g.protocol in ("range", "roundrobin"), g.protocol
        assert {m.client_id for m in g.members} == {"weir-adm-0", "weir-adm-1"}, [m.client_id for m in g.members]
        assert all(m.assignment for m in g.members), "members listed without their assignment"
        one = a.list_groups(group=group, timeout=10)
        assert len(one) == 1 and one[0].id == group and len(one[0].members) == 2
        res = dict(ka.delete_consumer_groups([group]))
        assert isinstance(res[group], NonEmptyGroupError) or res[group] is NonEmptyGroupError, res
        for m in members:
            m.close()
        # LeaveGroup empties the group; then a simple (generation -1) commit is allowed
        wait_until(lambda: not getattr(find_group(a.list_groups(timeout=10), group), "members", []), 20,
                   "the group to become empty")
        simple = Consumer({"bootstrap.servers": B.bootstrap, "group.id": group, "enable.auto.commit": False})
        simple.commit(offsets=[TopicPartition(topic, 0, 1)], asynchronous=False)
        simple.close()
        assert committed(B.bootstrap, group, topic, 4)[0] == 1
        res = dict(ka.delete_consumer_groups([group]))
        assert res[group] is NoError or isinstance(res[group], NoError), res
        assert committed(B.bootstrap, group, topic, 4) == {p: OFFSET_INVALID for p in range(4)}
        assert find_group(a.list_groups(timeout=10), group) is None, "deleted group still listed"
    finally:
        for m in members:
            if m.thread.is_alive():
                m.close()
        ka.close()


if __name__ == "__main__":
    run_tests(globals())
