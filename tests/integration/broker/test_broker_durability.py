# SPDX-License-Identifier: Apache-2.0
"""Durability of the weir broker under kill -9 (ARCHITECTURE.md, durability
contract): an acks=all produce load of sequence-numbered records
(confluent-kafka-python), the broker killed with SIGKILL in the middle of
it, restarted on the same data directory, and everything read back. Every
acknowledged record must be present at the offset its delivery report gave,
in sequence order, and the log's offsets must be contiguous from 0 with no
offset repeated. Run in durable mode (log.flush.interval.messages=1) and with
the default page-cache policy (acks survive kill -9 either way)."""

import threading
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from brokertest import Broker, run_tests, unique_topic

PARTITIONS = 2
TOTAL = 30000  # records the producer tries to send (over about 6 s)
KILL_AFTER = 4000  # acknowledged records before the kill


class Load:
    """Produces TOTAL records "seq:<n>" round-robin over partitions (acks=all)
    in a thread and records every successful delivery report."""

    def __init__(self, bootstrap, topic):
        self.topic = topic
        self.acked = {}  # seq -> (partition, offset)
        self.failed = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 2,
                           "message.timeout.ms": 8000, "max.in.flight.requests.per.connection": 1,
                           "retries": 0, "queue.buffering.max.messages": 100000})
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _on_delivery(self, err, msg):
        seq = int(msg.value().split(b":")[1])
        with self.lock:
            if err is None:
                assert seq not in self.acked, f"seq {seq} acknowledged twice"
                self.acked[seq] = (msg.partition(), msg.offset())
            else:
                self.failed += 1

    def _run(self):
        for seq in range(TOTAL):
            if self.stop.is_set():
                break
            while True:
                try:
                    self.p.produce(self.topic, f"seq:{seq}".encode(), partition=seq % PARTITIONS,
                                   on_delivery=self._on_delivery)
                    break
                except BufferError:
                    self.p.poll(0.05)
            self.p.poll(0)
            if seq % 100 == 0:
                time.sleep(0.02)  # keep the load going for a while
        self.p.flush(30)

    def acked_count(self):
        with self.lock:
            return len(self.acked)


def read_partition(bootstrap, topic, partition):
    """All records of one partition from offset 0 until EOF: [(offset, value)]."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "weir-it-durability", "enable.auto.commit": False,
                  "enable.partition.eof": True})
    try:
        c.assign([TopicPartition(topic, partition, 0)])
        out = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    return out
                raise AssertionError(f"consumer error: {m.error()}")
            out.append((m.offset(), m.value()))
        raise AssertionError(f"partition {partition} not read to its end within 60s ({len(out)} records)")
    finally:
        c.close()


def check_log(bootstrap, topic, acked):
    """Asserts the contract; returns the number of records in the log."""
    total = 0
    for part in range(PARTITIONS):
        recs = read_partition(bootstrap, topic, part)
        offsets = [o for o, _ in recs]
        assert offsets == list(range(len(recs))), \
            f"partition {part}: offsets not contiguous from 0: first bad at " \
            f"{next(i for i, o in enumerate(offsets) if o != i)}"
        by_offset = dict(recs)
        mine = sorted((off, seq) for seq, (p, off) in acked.items() if p == part)
        for off, seq in mine:
            assert off in by_offset, f"partition {part}: acknowledged seq {seq} at offset {off} is missing " \
                f"(log has {len(recs)} records)"
            assert by_offset[off] == f"seq:{seq}".encode(), \
                f"partition {part}: offset {off} holds {by_offset[off]!r}, acknowledged seq {seq}"
        seqs = [seq for _, seq in mine]
        assert seqs == sorted(seqs), f"partition {part}: acknowledged records out of order"
        values = [v for _, v in recs]
        assert len(set(values)) == len(values), f"partition {part}: a record appears twice"
        total += len(recs)
    return total


def run_kill9_scenario(options):
    with Broker(options=options) as b:
        topic = unique_topic("dur")
        a = AdminClient({"bootstrap.servers": b.bootstrap})
        a.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result(15)
        load = Load(b.bootstrap, topic)
        load.thread.start()
        deadline = time.monotonic() + 120
        while load.acked_count() < KILL_AFTER and time.monotonic() < deadline and load.thread.is_alive():
            time.sleep(0.01)
        assert load.acked_count() >= KILL_AFTER, \
            f"only {load.acked_count()} records acknowledged before the deadline\n{b.log_tail(20)}"
        b.kill9()
        load.stop.set()
        load.thread.join(60)
        assert not load.thread.is_alive(), "producer did not finish after the kill"
        acked = dict(load.acked)
        assert len(acked) < TOTAL, "the kill came after the load finished: nothing was tested"
        b.restart()
        total = check_log(b.bootstrap, topic, acked)
        assert total >= len(acked)
        # The recovered log accepts new records right after its end.
        p = Producer({"bootstrap.servers": b.bootstrap, "acks": "all"})
        res = []
        p.produce(topic, b"seq:after", partition=0, on_delivery=lambda e, m: res.append((e, m.offset())))
        p.flush(15)
        end0 = len(read_partition(b.bootstrap, topic, 0))
        assert res and res[0][0] is None and res[0][1] == end0 - 1, (res, end0)
        # And a clean restart keeps everything (no second recovery loss).
        b.stop()
        b.restart()
        assert check_log(b.bootstrap, topic, acked) == total + 1
        print(f"  {options or 'default'}: {len(acked)} acknowledged, {load.failed} failed, "
              f"{total} in the log after kill -9")


def test_kill9_during_acks_all_load_loses_no_acknowledged_record_durable_mode():
    run_kill9_scenario({"log.flush.interval.messages": "1"})


def test_kill9_during_acks_all_load_loses_no_acknowledged_record_default_mode():
    run_kill9_scenario({})


def test_repeated_kill9_restarts_keep_offsets_contiguous():
    with Broker(options={"log.segment.bytes": "65536"}) as b:
        topic = unique_topic("rep")
        a = AdminClient({"bootstrap.servers": b.bootstrap})
        a.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result(15)
        acked = {}
        seq = 0
        for _round in range(3):
            p = Producer({"bootstrap.servers": b.bootstrap, "acks": "all", "linger.ms": 1})

            def on_delivery(err, msg):
                if err is None:
                    acked[int(msg.value().split(b":")[1].split(b".")[0])] = (msg.partition(), msg.offset())

            for _ in range(1500):
                p.produce(topic, f"seq:{seq}".encode() + b"." * 100, partition=seq % PARTITIONS,
                          on_delivery=on_delivery)
                seq += 1
                p.poll(0)
            p.flush(30)
            b.kill9()
            b.restart()
        assert len(acked) == seq, f"{seq - len(acked)} records not acknowledged with a live broker"
        # values carry padding: compare the prefix only
        for part in range(PARTITIONS):
            recs = read_partition(b.bootstrap, topic, part)
            assert [o for o, _ in recs] == list(range(len(recs)))
            by_offset = dict(recs)
            for s, (pp, off) in acked.items():
                if pp == part:
                    assert by_offset.get(off, b"").startswith(f"seq:{s}.".encode()), (part, off, s)


if __name__ == "__main__":
    run_tests(globals())
