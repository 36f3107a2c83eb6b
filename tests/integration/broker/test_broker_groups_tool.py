# SPDX-License-Identifier: Apache-2.0
"""`weir groups list|describe` (issue 4) against a real weir broker: with a
confluent-kafka-python consumer group that consumed and committed part of a
3-partition topic, `list` names the group and `describe` shows every
partition with its committed offset, log end offset and lag, and the member
(consumer id, host, client id, assignment); after the member leaves, the
group is shown without members but with its offsets; an unknown group and
an unreachable broker fail with exit status 1, bad usage with 2."""

import subprocess

from confluent_kafka import TopicPartition

from brokertest import run_tests, stop_broker, unique_topic, weir_bin
from grouptest import Member, create_topic, group_broker, produce, wait_until

B = None
PARTS = 3
PER_PART = 10
COMMITTED = {0: 4, 1: 7, 2: 10}


def setup_module():
    global B
    B = group_broker().start()


def teardown_module():
    stop_broker(B)


def weir_groups(*args, bootstrap=None):
    cmd = [weir_bin(), "groups", *args, "--bootstrap-server", bootstrap or B.bootstrap]
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def offset_rows(out, group):
    """{(topic, partition): [current, log-end, lag, consumer-id, host, client-id]}."""
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 9 and f[0] == group and f[2].isdigit():
            rows[(f[1], int(f[2]))] = f[3:]
    return rows


def seeded_group():
    """A topic with PER_PART records per partition and a member of a fresh
    group that committed COMMITTED; returns (topic, group, member)."""
    topic, group = unique_topic("tool"), unique_topic("g")
    create_topic(B.bootstrap, topic, PARTS)
    produce(B.bootstrap, topic, [b"v%d" % i for i in range(PARTS * PER_PART)], partition=lambda i: i % PARTS)
    m = Member(B.bootstrap, group, [topic], name="tool", **{"client.id": "tool-client"})
    wait_until(lambda: len(m.values()) == PARTS * PER_PART, 60, "the member to consume everything")
    m.consumer.commit(offsets=[TopicPartition(topic, p, o) for p, o in COMMITTED.items()], asynchronous=False)
    return topic, group, m


def test_groups_list_and_describe_show_members_offsets_and_lag():
    topic, group, m = seeded_group()
    try:
        rc, out, err = weir_groups("list")
        assert rc == 0, err
        assert group in out.split(), out
        rc, out, err = weir_groups("describe", group)
        assert rc == 0, err
        assert "STATE Stable" in out, out
        rows = offset_rows(out, group)
        assert set(rows) == {(topic, p) for p in range(PARTS)}, out
        for p, committed in COMMITTED.items():
            cur, end, lag, cid, host, client = rows[(topic, p)]
            assert (int(cur), int(end), int(lag)) == (committed, PER_PART, PER_PART - committed), out
            assert cid != "-" and client == "tool-client" and host != "-", out
        member_lines = [l for l in out.splitlines() if l.startswith(group) and "tool-client" in l and "(" in l]
        assert len(member_lines) == 1, out
        assert f"{topic}(0,1,2)" in member_lines[0], out
    finally:
        m.close()
    rc, out, err = weir_groups("describe", group)
    assert rc == 0, err
    assert "has no active members" in out, out
    rows = offset_rows(out, group)
    assert {p: int(rows[(topic, p)][0]) for p in range(PARTS)} == COMMITTED, out
    assert all(r[3] == "-" for r in rows.values()), out


def test_groups_describe_unknown_group_fails():
    rc, out, err = weir_groups("describe", unique_topic("nobody"))
    assert rc == 1, (rc, out, err)
    assert "does not exist" in err, err


def test_groups_usage_errors_exit_2():
    for args in [(), ("describe",), ("list", "extra"), ("frobnicate",)]:
        rc, _, err = weir_groups(*args)
        assert rc == 2, (args, rc, err)
        assert "usage: weir groups" in err, err


def test_groups_unreachable_broker_fails_with_1():
    rc, _, err = weir_groups("list", bootstrap="127.0.0.1:1")
    assert rc == 1, (rc, err)
    assert "weir groups:" in err, err


if __name__ == "__main__":
    run_tests(globals())
