# SPDX-License-Identifier: Apache-2.0
"""weir broker driven by Debian's kafka-python 2.0.2 (its own protocol code,
not librdkafka): the ApiVersions v0 + Metadata v0 version probe, KafkaProducer
with acks 0/1/all, KafkaConsumer with assign()/seek() (no group), offset
lookups, and KafkaAdminClient create/delete topics and describe_configs."""

import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError

from brokertest import Broker, run_tests, stop_broker, unique_topic

B = None


def setup_module():
    global B
    B = Broker(options={"num.partitions": "2"}).start()


def teardown_module():
    stop_broker(B)


def admin():
    return KafkaAdminClient(bootstrap_servers=B.bootstrap, request_timeout_ms=15000)


def consumer():
    return KafkaConsumer(bootstrap_servers=B.bootstrap, group_id=None, enable_auto_commit=False,
                         consumer_timeout_ms=3000, request_timeout_ms=15000)


def create(topic, partitions=1):
    a = admin()
    try:
        a.create_topics([NewTopic(name=topic, num_partitions=partitions, replication_factor=1)])
    finally:
        a.close()


def read(c, n, timeout=20):
    out = []
    deadline = time.monotonic() + timeout
    while len(out) < n and time.monotonic() < deadline:
        for recs in c.poll(timeout_ms=500).values():
            out.extend(recs)
    return out


def test_version_probe_infers_a_recent_broker():
    p = KafkaProducer(bootstrap_servers=B.bootstrap)
    try:
        v = p.config["api_version"]
        assert v >= (1, 0, 0), f"kafka-python inferred broker version {v}"
    finally:
        p.close()


def test_producer_acks_0_1_all_and_consumer_reads_in_order():
    for acks in (0, 1, "all"):
        topic = unique_topic(f"kp{acks}")
        create(topic)
        p = KafkaProducer(bootstrap_servers=B.bootstrap, acks=acks, linger_ms=5)
        futures = [p.send(topic, value=f"{acks}-{i}".encode(), key=f"k{i}".encode(), partition=0) for i in range(100)]
        p.flush(30)
        metas = [f.get(timeout=30) for f in futures]
        p.close()
        if acks != 0:
            assert [m.offset for m in metas] == list(range(100)), [m.offset for m in metas][:5]
        c = consumer()
        tp = TopicPartition(topic, 0)
        c.assign([tp])
        c.seek_to_beginning(tp)
        recs = read(c, 100)
        c.close()
        assert [r.value for r in recs] == [f"{acks}-{i}".encode() for i in range(100)], f"acks={acks}: {len(recs)}"
        assert [r.key for r in recs] == [f"k{i}".encode() for i in range(100)]
        assert [r.offset for r in recs] == list(range(100))


def test_consumer_seek_and_offset_lookups():
    topic = unique_topic("seek")
    create(topic)
    base = 1600000000000
    p = KafkaProducer(bootstrap_servers=B.bootstrap, acks="all")
    for i in range(20):
        p.send(topic, value=f"s{i}".encode(), partition=0, timestamp_ms=base + 1000 * i,
               headers=[("n", str(i).encode())])
    p.flush(30)
    p.close()
    c = consumer()
    tp = TopicPartition(topic, 0)
    c.assign([tp])
    assert c.beginning_offsets([tp]) == {tp: 0}
    assert c.end_offsets([tp]) == {tp: 20}
    found = c.offsets_for_times({tp: base + 5500})
    assert found[tp] is not None and found[tp].offset == 6 and found[tp].timestamp == base + 6000, found
    c.seek(tp, 15)
    recs = read(c, 5)
    assert [r.value for r in recs] == [f"s{i}".encode() for i in range(15, 20)], recs
    assert recs[0].headers == [("n", b"15")], recs[0].headers
    assert recs[0].timestamp == base + 15000
    c.seek_to_end(tp)
    assert c.position(tp) == 20
    assert read(c, 1, timeout=2) == []
    c.close()


def test_admin_create_describe_delete_topics():
    a = admin()
    try:
        topic = unique_topic("adm")
        a.create_topics([NewTopic(name=topic, num_partitions=3, replication_factor=1,
                                  topic_configs={"retention.ms": "86400000"})])
        assert topic in a.list_topics()
        try:
            a.create_topics([NewTopic(name=topic, num_partitions=1, replication_factor=1)])
            raise AssertionError("creating an existing topic succeeded")
        except TopicAlreadyExistsError:
            pass
        c = consumer()
        assert c.partitions_for_topic(topic) == {0, 1, 2}
        c.close()
        resp = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        resources = resp[0].resources
        assert len(resources) == 1
        err, _msg, rtype, rname, entries = resources[0]
        assert err == 0 and rname == topic, resources[0]
        values = {e[0]: e[1] for e in entries}
        assert values.get("retention.ms") == "86400000", values
        assert "cleanup.policy" in values and "segment.bytes" in values, sorted(values)
        a.delete_topics([topic])
        deadline = time.monotonic() + 10
        while topic in a.list_topics() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert topic not in a.list_topics()
    finally:
        a.close()


def test_producer_to_new_topic_auto_creates_with_num_partitions():
    topic = unique_topic("auto")
    p = KafkaProducer(bootstrap_servers=B.bootstrap, acks=1)
    m = p.send(topic, b"hello").get(timeout=30)
    p.close()
    assert m.topic == topic and m.offset == 0
    c = consumer()
    assert c.partitions_for_topic(topic) == {0, 1}  # num.partitions=2
    c.close()


if __name__ == "__main__":
    run_tests(globals())
