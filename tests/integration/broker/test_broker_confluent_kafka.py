# SPDX-License-Identifier: Apache-2.0
"""weir broker driven by Debian's confluent-kafka-python 1.7.0 (librdkafka
2.0.2): Producer with acks=all and delivery reports, Consumer with assign()
(no consumer group: groups are issue 4), AdminClient create/delete topics,
create partitions, describe/alter configs, list offsets (watermarks,
offsets_for_times) and auto-created topics (auto.create.topics.enable,
num.partitions)."""

import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

from brokertest import Broker, run_tests, stop_broker, unique_topic

B = None


def setup_module():
    global B
    B = Broker(options={"num.partitions": "3"}).start()


def teardown_module():
    stop_broker(B)


def producer(broker=None, **conf):
    c = {"bootstrap.servers": (broker or B).bootstrap, "acks": "all", "linger.ms": 5}
    c.update(conf)
    return Producer(c)


def consumer(broker=None, **conf):
    c = {"bootstrap.servers": (broker or B).bootstrap, "group.id": "weir-it-assign",
         "enable.auto.commit": False, "enable.partition.eof": True, "auto.offset.reset": "earliest"}
    c.update(conf)
    return Consumer(c)


def admin(broker=None):
    return AdminClient({"bootstrap.servers": (broker or B).bootstrap})


def produce_all(p, topic, values, partition=0, timestamps=None, keys=None, headers=None):
    """Produces values and returns the delivery reports [(err, partition, offset, value)]."""
    reports = []

    def on_delivery(err, msg):
        reports.append((err, msg.partition(), msg.offset(), msg.value()))

    for i, v in enumerate(values):
        kw = {"partition": partition, "on_delivery": on_delivery}
        if timestamps:
            kw["timestamp"] = timestamps[i]
        if keys:
            kw["key"] = keys[i]
        if headers:
            kw["headers"] = headers[i]
        p.produce(topic, v, **kw)
        p.poll(0)
    remaining = p.flush(30)
    assert remaining == 0, f"{remaining} messages not delivered within 30s\n{B.log_tail(15)}"
    return reports


def consume_from(topic, partition, offset, expect_count, timeout=30):
    """assign() + poll until partition EOF after at least expect_count messages."""
    c = consumer()
    try:
        c.assign([TopicPartition(topic, partition, offset)])
        out = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    if len(out) >= expect_count:
                        return out
                    continue
                raise AssertionError(f"consumer error: {m.error()}")
            out.append(m)
        raise AssertionError(f"only {len(out)} of {expect_count} messages within {timeout}s")
    finally:
        c.close()


def create_topic(topic, partitions, config=None):
    a = admin()  # keep the client alive until the future resolves
    a.create_topics([NewTopic(topic, partitions, 1, config=config or {})])[topic].result(15)


def wait_topic(topic, present=True, timeout=10, broker=None):
    a = admin(broker)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        md = a.list_topics(timeout=5)
        if (topic in md.topics and md.topics[topic].error is None) == present:
            return md.topics.get(topic)
        time.sleep(0.1)
    raise AssertionError(f"topic {topic} {'never appeared' if present else 'never went away'}")


def test_producer_acks_all_delivery_reports_give_contiguous_offsets():
    topic = unique_topic("dr")
    create_topic(topic, 1)
    values = [f"v{i}".encode() for i in range(500)]
    reports = produce_all(producer(), topic, values)
    assert all(err is None for err, _, _, _ in reports), [r for r in reports if r[0]][:3]
    assert sorted(off for _, _, off, _ in reports) == list(range(500))
    by_offset = {off: v for _, _, off, v in reports}
    assert [by_offset[i] for i in range(500)] == values


def test_producer_acks_1_and_0():
    for acks in ("1", "0"):
        topic = unique_topic(f"acks{acks}")
        create_topic(topic, 1)
        reports = produce_all(producer(acks=acks), topic, [f"a{i}".encode() for i in range(100)])
        assert all(err is None for err, _, _, _ in reports), reports[:3]
        got = consume_from(topic, 0, 0, 100)
        assert [m.value() for m in got] == [f"a{i}".encode() for i in range(100)], acks
        assert [m.offset() for m in got] == list(range(100))


def test_consumer_assign_reads_keys_headers_timestamps_from_offset():
    topic = unique_topic("assign")
    create_topic(topic, 2)
    ts0 = int(time.time() * 1000) - 100000
    n = 40
    produce_all(producer(), topic, [f"val-{i}".encode() for i in range(n)], partition=1,
                timestamps=[ts0 + i for i in range(n)], keys=[f"key-{i}".encode() for i in range(n)],
                headers=[[("h", f"{i}".encode()), ("dup", b"a"), ("dup", b"b")] for i in range(n)])
    got = consume_from(topic, 1, 10, n - 10)
    assert len(got) == n - 10
    for j, m in enumerate(got):
        i = j + 10
        assert m.offset() == i and m.partition() == 1
        assert m.key() == f"key-{i}".encode() and m.value() == f"val-{i}".encode()
        assert m.headers() == [("h", f"{i}".encode()), ("dup", b"a"), ("dup", b"b")], m.headers()
        assert m.timestamp() == (1, ts0 + i), m.timestamp()  # (CreateTime, ts)
    assert consume_from(topic, 0, 0, 0) == []


def test_consumer_offset_beginning_and_end():
    topic = unique_topic("ends")
    create_topic(topic, 1)
    produce_all(producer(), topic, [b"one", b"two", b"three"])
    got = consume_from(topic, 0, -2, 3)  # OFFSET_BEGINNING
    assert [m.value() for m in got] == [b"one", b"two", b"three"]
    assert consume_from(topic, 0, -1, 0) == []  # OFFSET_END


def test_watermarks_and_offsets_for_times():
    topic = unique_topic("lo")
    create_topic(topic, 1)
    base = 1600000000000
    produce_all(producer(), topic, [f"t{i}".encode() for i in range(10)], timestamps=[base + 1000 * i for i in range(10)])
    c = consumer()
    try:
        assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10) == (0, 10)
        res = c.offsets_for_times([TopicPartition(topic, 0, base + 3500)], timeout=10)
        assert res[0].error is None and res[0].offset == 4, res
        res = c.offsets_for_times([TopicPartition(topic, 0, base)], timeout=10)
        assert res[0].offset == 0, res
        res = c.offsets_for_times([TopicPartition(topic, 0, base + 3000)], timeout=10)
        assert res[0].offset == 3, res
        res = c.offsets_for_times([TopicPartition(topic, 0, base + 99999)], timeout=10)
        assert res[0].offset == -1, res  # no record at or after: end (-1)
    finally:
        c.close()


def test_offsets_for_times_inside_compressed_batches():
    # One batch per codec (linger), records 1 s apart: the answer must be the
    # exact record, which needs the broker to decompress the batch.
    base = 1600000000000
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        topic = unique_topic("lz" + codec)
        create_topic(topic, 1)
        produce_all(producer(**{"compression.type": codec, "linger.ms": 500}), topic,
                    [f"{codec}-{i}".encode() * 20 for i in range(10)],
                    timestamps=[base + 1000 * i for i in range(10)])
        c = consumer()
        try:
            for target, want in ((base + 3500, 4), (base + 7000, 7), (base, 0)):
                res = c.offsets_for_times([TopicPartition(topic, 0, target)], timeout=10)
                assert res[0].error is None and res[0].offset == want, (codec, target, res)
        finally:
            c.close()


def test_admin_create_topics_and_duplicate_is_rejected():
    a = admin()
    topic = unique_topic("ct")
    fs = a.create_topics([NewTopic(topic, num_partitions=4, replication_factor=1,
                                   config={"retention.ms": "3600000"})])
    fs[topic].result(15)
    t = wait_topic(topic)
    assert sorted(t.partitions) == [0, 1, 2, 3], t.partitions
    fs = a.create_topics([NewTopic(topic, 1, 1)])
    try:
        fs[topic].result(15)
        raise AssertionError("creating an existing topic succeeded")
    except KafkaException as e:
        assert e.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS, e


def test_admin_create_topics_validation_errors():
    a = admin()
    bad = [NewTopic(unique_topic("rf"), 1, 3), NewTopic("bad/name", 1, 1), NewTopic(unique_topic("np"), 0, 1)]
    fs = a.create_topics(bad)
    codes = {}
    for name, f in fs.items():
        try:
            f.result(15)
            codes[name] = 0
        except KafkaException as e:
            codes[name] = e.args[0].code()
    assert codes[bad[0].topic] == KafkaError.INVALID_REPLICATION_FACTOR, codes
    assert codes["bad/name"] == KafkaError.TOPIC_EXCEPTION, codes
    assert codes[bad[2].topic] == KafkaError.INVALID_PARTITIONS, codes


def test_admin_delete_topics():
    a = admin()
    topic = unique_topic("del")
    a.create_topics([NewTopic(topic, 1, 1)])[topic].result(15)
    produce_all(producer(), topic, [b"x"])
    a.delete_topics([topic])[topic].result(15)
    wait_topic(topic, present=False)
    try:
        a.delete_topics([topic])[topic].result(15)
        raise AssertionError("deleting a missing topic succeeded")
    except KafkaException as e:
        assert e.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART, e


def test_admin_create_partitions():
    a = admin()
    topic = unique_topic("cp")
    a.create_topics([NewTopic(topic, 1, 1)])[topic].result(15)
    a.create_partitions([NewPartitions(topic, 3)])[topic].result(15)
    t = wait_topic(topic)
    deadline = time.monotonic() + 10
    while len(t.partitions) != 3 and time.monotonic() < deadline:
        time.sleep(0.2)
        t = wait_topic(topic)
    assert sorted(t.partitions) == [0, 1, 2], t.partitions
    reports = produce_all(producer(), topic, [b"p2"], partition=2)
    assert reports[0][0] is None and reports[0][2] == 0, reports
    try:
        a.create_partitions([NewPartitions(topic, 2)])[topic].result(15)
        raise AssertionError("shrinking partitions succeeded")
    except KafkaException as e:
        assert e.args[0].code() == KafkaError.INVALID_PARTITIONS, e


def describe_topic_configs(a, topic):
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    return a.describe_configs([res])[res].result(15)


def test_admin_describe_configs_lists_defaults_and_overrides():
    a = admin()
    topic = unique_topic("dc")
    a.create_topics([NewTopic(topic, 1, 1, config={"retention.ms": "123456"})])[topic].result(15)
    cfg = describe_topic_configs(a, topic)
    for name in ("retention.ms", "retention.bytes", "segment.bytes", "cleanup.policy", "max.message.bytes"):
        assert name in cfg, sorted(cfg)
    assert cfg["retention.ms"].value == "123456", cfg["retention.ms"]
    assert not cfg["retention.ms"].is_default
    assert cfg["cleanup.policy"].value == "delete"
    res = ConfigResource(ConfigResource.Type.BROKER, "1")
    bcfg = a.describe_configs([res])[res].result(15)
    assert "num.partitions" in bcfg and bcfg["num.partitions"].value == "3", \
        {k: v.value for k, v in bcfg.items()}


def test_admin_alter_configs_then_describe_shows_new_value():
    a = admin()
    topic = unique_topic("ac")
    a.create_topics([NewTopic(topic, 1, 1)])[topic].result(15)
    res = ConfigResource(ConfigResource.Type.TOPIC, topic, set_config={"retention.ms": "7200000"})
    a.alter_configs([res])[res].result(15)
    cfg = describe_topic_configs(a, topic)
    assert cfg["retention.ms"].value == "7200000", cfg["retention.ms"]
    bad = ConfigResource(ConfigResource.Type.TOPIC, topic, set_config={"no.such.config": "1"})
    try:
        a.alter_configs([bad])[bad].result(15)
        raise AssertionError("altering an unknown config succeeded")
    except KafkaException as e:
        assert e.args[0].code() in (KafkaError.INVALID_CONFIG, KafkaError.INVALID_REQUEST), e


def test_auto_created_topic_gets_num_partitions():
    topic = unique_topic("auto")
    reports = produce_all(producer(), topic, [b"hello"])
    assert reports[0][0] is None, reports
    t = wait_topic(topic)
    assert sorted(t.partitions) == [0, 1, 2], t.partitions  # num.partitions=3


def test_auto_create_disabled_rejects_unknown_topic():
    with Broker(options={"auto.create.topics.enable": "false"}) as b2:
        topic = unique_topic("noauto")
        reports = []
        p = producer(b2, **{"message.timeout.ms": 3000})
        p.produce(topic, b"x", on_delivery=lambda err, msg: reports.append(err))
        p.flush(15)
        assert len(reports) == 1 and reports[0] is not None, reports
        assert reports[0].code() in (KafkaError.UNKNOWN_TOPIC_OR_PART, KafkaError._MSG_TIMED_OUT), reports
        md = admin(b2).list_topics(timeout=5)
        assert topic not in md.topics or md.topics[topic].error is not None, md.topics


if __name__ == "__main__":
    run_tests(globals())
