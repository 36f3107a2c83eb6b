# SPDX-License-Identifier: Apache-2.0
"""weir broker driven by kcat 1.7.1 (librdkafka 2.0.2): metadata (-L),
produce with acks 0/1/all, consume from beginning / end / an offset / a
timestamp, keys and headers, and compressed batches (gzip, snappy, lz4,
zstd) round-tripping byte for byte."""

import json
import time

from brokertest import Broker, run_tests, stop_broker, unique_topic

B = None


def setup_module():
    global B
    B = Broker(options={"num.partitions": "1"}).start()


def teardown_module():
    stop_broker(B)


def produce(topic, lines, *extra):
    data = "".join(line + "\n" for line in lines).encode()
    B.kcat("-P", "-t", topic, "-p", "0", *extra, input=data)


def consume(topic, *extra, fmt="%s\\n"):
    """Consumes partition 0 until its end (-e); returns the formatted lines."""
    r = B.kcat("-C", "-t", topic, "-p", "0", "-e", "-q", "-f", fmt, *extra, timeout=60)
    out = r.stdout.decode()
    return out.split("\n")[:-1] if out else []


def test_kcat_metadata_lists_this_broker_and_a_created_topic():
    topic = unique_topic("meta")
    produce(topic, ["x"])
    r = B.kcat("-L", "-J", "-t", topic)
    md = json.loads(r.stdout)
    brokers = md["brokers"]
    assert len(brokers) == 1, md
    assert brokers[0]["id"] == 1, md
    assert brokers[0]["name"] == f"127.0.0.1:{B.port}", md
    assert md.get("controllerid", 1) == 1, md
    topics = {t["topic"]: t for t in md["topics"]}
    assert topic in topics, md
    t = topics[topic]
    assert "error" not in t, t
    assert [p["partition"] for p in t["partitions"]] == [0], t
    p = t["partitions"][0]
    assert p["leader"] == 1 and p["replicas"] == [{"id": 1}] and p["isrs"] == [{"id": 1}], p


def test_kcat_metadata_plain_text_names_the_broker():
    r = B.kcat("-L")
    text = r.stdout.decode()
    assert "1 brokers:" in text, text
    assert f"broker 1 at 127.0.0.1:{B.port}" in text, text


def test_kcat_produce_acks_0_1_all_every_record_is_stored_in_order():
    for acks in ("0", "1", "all", "-1"):
        topic = unique_topic(f"acks{acks.replace('-', 'm')}")
        lines = [f"acks={acks} record {i}" for i in range(200)]
        produce(topic, lines, "-X", f"acks={acks}")
        got = consume(topic, "-o", "beginning")
        assert got == lines, f"acks={acks}: {len(got)} records back, first diff at " \
            f"{next((i for i, (a, b) in enumerate(zip(got, lines)) if a != b), min(len(got), len(lines)))}"


def test_kcat_offsets_are_contiguous_from_zero():
    topic = unique_topic("offs")
    produce(topic, [f"v{i}" for i in range(50)])
    produce(topic, [f"w{i}" for i in range(50)])
    got = consume(topic, "-o", "beginning", fmt="%o %s\\n")
    assert [int(line.split()[0]) for line in got] == list(range(100)), got[:5]
    assert [line.split()[1] for line in got] == [f"v{i}" for i in range(50)] + [f"w{i}" for i in range(50)]


def test_kcat_consume_from_offset_end_and_relative():
    topic = unique_topic("seek")
    lines = [f"m{i}" for i in range(20)]
    produce(topic, lines)
    assert consume(topic, "-o", "7") == lines[7:]
    assert consume(topic, "-o", "19") == lines[19:]
    assert consume(topic, "-o", "-3") == lines[-3:]
    assert consume(topic, "-o", "end") == []
    assert consume(topic, "-o", "beginning") == lines


def test_kcat_consume_from_offset_in_the_middle_of_a_batch():
    topic = unique_topic("midbatch")
    lines = [f"b{i}" for i in range(100)]
    produce(topic, lines, "-X", "linger.ms=200")  # few large batches
    assert consume(topic, "-o", "55") == lines[55:]


def test_kcat_consume_by_timestamp_starts_at_first_record_at_or_after_it():
    topic = unique_topic("ts")
    produce(topic, ["early-1", "early-2"])
    time.sleep(0.3)
    ts = int(time.time() * 1000)
    time.sleep(0.3)
    produce(topic, ["late-1", "late-2"])
    assert consume(topic, "-o", f"s@{ts}") == ["late-1", "late-2"]
    assert consume(topic, "-o", "s@0") == ["early-1", "early-2", "late-1", "late-2"]
    got = consume(topic, "-o", "beginning", fmt="%T\\n")
    stamps = [int(x) for x in got]
    assert stamps[0] < ts < stamps[2], (stamps, ts)
    now = int(time.time() * 1000)
    assert all(now - 60000 < s <= now for s in stamps), stamps


def test_kcat_offsets_for_times_query():
    topic = unique_topic("q")
    produce(topic, ["a", "b"])
    time.sleep(0.3)
    ts = int(time.time() * 1000)
    time.sleep(0.3)
    produce(topic, ["c"])
    r = B.kcat("-Q", "-t", f"{topic}:0:{ts}")
    out = r.stdout.decode()
    assert f"{topic} [0] offset 2" in out, out
    r = B.kcat("-Q", "-t", f"{topic}:0:-1")  # -1 = latest
    assert f"{topic} [0] offset 3" in r.stdout.decode(), r.stdout


def test_kcat_keys_and_headers_round_trip():
    topic = unique_topic("kh")
    B.kcat("-P", "-t", topic, "-p", "0", "-K", ":", "-H", "trace=abc", "-H", "n=1",
           input=b"key-1:value-1\nkey-2:value-2\n")
    got = consume(topic, "-o", "beginning", fmt="%k|%s|%h\\n")
    assert got == ["key-1|value-1|trace=abc,n=1", "key-2|value-2|trace=abc,n=1"], got


def test_kcat_empty_value_and_keyless_record():
    topic = unique_topic("nk")
    B.kcat("-P", "-t", topic, "-p", "0", "-K", ":", input=b"k:\n")
    produce(topic, ["no-key"])
    got = consume(topic, "-o", "beginning", fmt="[%K][%k][%S][%s]\n")
    assert got == ["[1][k][0][]", "[-1][][6][no-key]"], got


def test_kcat_compressed_batches_round_trip():
    for codec in ("gzip", "snappy", "lz4", "zstd"):
        topic = unique_topic(codec)
        lines = [f"{codec} record {i} " + "payload " * (i % 17) for i in range(300)]
        produce(topic, lines, "-z", codec, "-X", "linger.ms=100")
        got = consume(topic, "-o", "beginning")
        assert got == lines, f"{codec}: {len(got)} records back"
        got = consume(topic, "-o", "150")
        assert got == lines[150:], f"{codec}: mid-batch start returned {got[:2]}"


def test_kcat_large_record_round_trips():
    topic = unique_topic("big")
    value = "x" * 500000
    produce(topic, [value])
    got = consume(topic, "-o", "beginning")
    assert got == [value], [len(x) for x in got]


def test_kcat_data_survives_a_clean_restart():
    topic = unique_topic("restart")
    lines = [f"r{i}" for i in range(30)]
    produce(topic, lines, "-X", "acks=all")
    B.stop()
    B.restart()
    assert consume(topic, "-o", "beginning") == lines
    produce(topic, ["after"])
    assert consume(topic, "-o", "beginning", fmt="%o:%s\\n")[-1] == "30:after"


if __name__ == "__main__":
    run_tests(globals())
