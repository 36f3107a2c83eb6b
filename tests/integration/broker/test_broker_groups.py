# SPDX-License-Identifier: Apache-2.0
"""Consumer groups on the weir broker with real clients (issue 4): two and
three confluent-kafka-python consumers split a 6-partition topic disjointly
and completely; a consumer that closes (LeaveGroup) or is killed (session
timeout) hands its partitions to the others; the range, roundrobin and
cooperative-sticky assignors work (the broker only relays them); kafka-python
KafkaConsumer and `kcat -G` consume as groups; a static member
(group.instance.id) rejoins without a rebalance. Offsets: see
test_broker_group_offsets.py."""

import time

from kafka import KafkaConsumer
from kafka import TopicPartition as KTopicPartition

from brokertest import run_tests, stop_broker, unique_topic
from grouptest import (HEARTBEAT_MS, SESSION_MS, ChildMember, Member, create_topic, group_broker, produce,
                       split_ok, wait_until)

B = None
PARTS = 6
SESSION_LIMIT = 40  # bound for a takeover: session timeout 6 s + rejoin


def setup_module():
    global B
    B = group_broker().start()


def teardown_module():
    stop_broker(B)


def topic6(prefix, n=60):
    topic = unique_topic(prefix)
    create_topic(B.bootstrap, topic, PARTS)
    values = [f"{prefix}-{i}".encode() for i in range(n)]
    produce(B.bootstrap, topic, values, partition=lambda i: i % PARTS)
    return topic, values


def close_all(members):
    for m in members:
        if m.thread.is_alive():
            m.close()


def describe(members):
    return ", ".join(f"{m.name}={sorted(m.partitions())}" for m in members)


def wait_split(members, timeout=40, stable_for=1.5):
    """Waits until members split the partitions and keep that split for stable_for s."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline:
        if split_ok(members, PARTS):
            snap = [m.partitions() for m in members]
            since = since or (time.monotonic(), snap)
            if since[1] != snap:
                since = (time.monotonic(), snap)
            elif time.monotonic() - since[0] >= stable_for:
                return snap
        else:
            since = None
        time.sleep(0.1)
    raise AssertionError(f"no stable disjoint split of {PARTS} partitions within {timeout}s: {describe(members)}\n"
                         f"{B.log_tail(10)}")


def test_two_then_three_consumers_split_partitions_disjointly():
    topic, _ = topic6("split", n=0)
    group = unique_topic("g-split")
    members = [Member(B.bootstrap, group, [topic], name="c1"), Member(B.bootstrap, group, [topic], name="c2")]
    try:
        two = wait_split(members)
        assert sorted(len(s) for s in two) == [3, 3], two
        # produced once the split is stable: each record reaches the owner of its partition, once
        values = [f"split-{i}".encode() for i in range(60)]
        produce(B.bootstrap, topic, values, partition=lambda i: i % PARTS)
        wait_until(lambda: sum(len(m.records) for m in members) >= len(values), 30, "all records consumed")
        time.sleep(0.5)
        assert sorted(v for m in members for v in m.values()) == sorted(values), "records lost or duplicated"
        for m in members:
            assert {p for p, _, _ in m.records} <= m.partitions(), (m.name, m.partitions())
        members.append(Member(B.bootstrap, group, [topic], name="c3"))
        three = wait_split(members)
        assert sorted(len(s) for s in three) == [2, 2, 2], three
        for m in members:
            assert not m.errors, (m.name, m.errors[:3])
    finally:
        close_all(members)


def test_closed_consumer_leaves_and_others_take_over_its_partitions():
    topic, _ = topic6("leave")
    group = unique_topic("g-leave")
    members = [Member(B.bootstrap, group, [topic], name=f"c{i}") for i in range(3)]
    try:
        wait_split(members)
        gone = members.pop()
        t0 = time.monotonic()
        gone.close()  # LeaveGroup: no need to wait for the session timeout
        wait_split(members, timeout=SESSION_LIMIT)
        took = time.monotonic() - t0
        assert took < 6.0 + 3.0, f"takeover after LeaveGroup took {took:.1f}s (session timeout is 6 s)"
        # new records on every partition reach the remaining two
        more = [f"after-leave-{i}".encode() for i in range(12)]
        produce(B.bootstrap, topic, more, partition=lambda i: i % PARTS)
        wait_until(lambda: set(more) <= {v for m in members for v in m.values()}, 20, "records after the leave")
    finally:
        close_all(members)


def test_killed_consumer_expires_after_session_timeout_and_is_replaced():
    topic, _ = topic6("kill")
    group = unique_topic("g-kill")
    members = [Member(B.bootstrap, group, [topic], name=f"c{i}") for i in range(2)]
    child = ChildMember(B.bootstrap, group, topic)
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            sets = [m.partitions() for m in members] + [child.partitions()]
            if all(sets) and set().union(*sets) == set(range(PARTS)) and sum(map(len, sets)) == PARTS:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"three-way split never happened: {describe(members)} child={child.partitions()}")
        t0 = time.monotonic()
        child.kill9()  # no LeaveGroup: only the session timeout can remove it
        wait_split(members, timeout=SESSION_LIMIT)
        took = time.monotonic() - t0
        assert took >= 2.0, f"partitions moved {took:.1f}s after a kill -9: the member cannot have expired yet"
    finally:
        child.kill9()
        close_all(members)


def run_assignor(strategy):
    topic, values = topic6(f"as-{strategy[:4]}")
    group = unique_topic(f"g-{strategy[:4]}")
    members = [Member(B.bootstrap, group, [topic], name=f"{strategy}-{i}",
                      **{"partition.assignment.strategy": strategy}) for i in range(2)]
    try:
        two = wait_split(members)
        if strategy == "roundrobin":
            # one topic, sorted members: members get every other partition
            assert sorted(sorted(s) for s in two) == [[0, 2, 4], [1, 3, 5]], two
        elif strategy == "range":
            assert sorted(sorted(s) for s in two) == [[0, 1, 2], [3, 4, 5]], two
        members.append(Member(B.bootstrap, group, [topic], name=f"{strategy}-2",
                              **{"partition.assignment.strategy": strategy}))
        three = wait_split(members)
        if strategy == "cooperative-sticky":
            # sticky: the two old members keep 2 of their 3 partitions each
            for old, before in zip(members[:2], two):
                assert len(old.partitions() & before) == 2, (before, old.partitions())
        # no commits: a moved partition is read again from the start, so compare sets
        wait_until(lambda: {v for m in members for v in m.values()} >= set(values), 30, "all records consumed")
        assert {v for m in members for v in m.values()} == set(values)
        assert all(three)
    finally:
        close_all(members)


def test_range_assignor():
    run_assignor("range")


def test_roundrobin_assignor():
    run_assignor("roundrobin")


def test_cooperative_sticky_assignor_rebalances_incrementally():
    run_assignor("cooperative-sticky")


def test_kafka_python_group_consumer_consumes_and_splits_with_confluent():
    topic, values = topic6("kpy")
    group = unique_topic("g-kpy")
    c = KafkaConsumer(topic, bootstrap_servers=B.bootstrap, group_id=group, auto_offset_reset="earliest",
                      enable_auto_commit=False, session_timeout_ms=SESSION_MS, heartbeat_interval_ms=HEARTBEAT_MS,
                      request_timeout_ms=20000, consumer_timeout_ms=1000)
    try:
        got = []
        deadline = time.monotonic() + 40
        while len(got) < len(values) and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=500).values():
                got.extend(r.value for r in recs)
        assert sorted(got) == sorted(values), f"kafka-python group consumer read {len(got)} of {len(values)}"
        assert {tp.partition for tp in c.assignment()} == set(range(PARTS))
        c.commit()
        committed = {p: c.committed(KTopicPartition(topic, p)) for p in range(PARTS)}
        assert sum(committed.values()) == len(values), committed
    finally:
        c.close()


def test_kcat_balanced_consumer_reads_the_topic():
    topic, values = topic6("kcatg", n=30)
    group = unique_topic("g-kcat")
    r = B.kcat("-G", group, "-X", "auto.offset.reset=earliest", "-c", str(len(values)), "-q", "-f", "%s\\n",
               "-X", f"session.timeout.ms={SESSION_MS}", "-X", f"heartbeat.interval.ms={HEARTBEAT_MS}",
               topic, timeout=60)
    got = r.stdout.decode().split("\n")[:-1]
    assert sorted(got) == sorted(v.decode() for v in values), (len(got), got[:5])


def test_static_member_rejoins_without_rebalance():
    topic, _ = topic6("static")
    group = unique_topic("g-static")
    a = Member(B.bootstrap, group, [topic], name="a", **{"group.instance.id": "inst-a"})
    b = Member(B.bootstrap, group, [topic], name="b", **{"group.instance.id": "inst-b"})
    members = [a, b]
    try:
        split = wait_split(members)
        a_before = a.partitions()
        b_revokes, b_assigns = b.revoke_events, b.assign_events
        a.close()  # static members don't send LeaveGroup
        a2 = Member(B.bootstrap, group, [topic], name="a2", **{"group.instance.id": "inst-a"})
        members = [a2, b]
        wait_split(members, timeout=20, stable_for=3.0)
        assert a2.partitions() == a_before, f"static member got {a2.partitions()}, had {a_before} ({split})"
        assert (b.revoke_events, b.assign_events) == (b_revokes, b_assigns), \
            f"the other member saw a rebalance: revokes {b_revokes}->{b.revoke_events}, " \
            f"assigns {b_assigns}->{b.assign_events}"
    finally:
        close_all(members)


if __name__ == "__main__":
    run_tests(globals())
