# SPDX-License-Identifier: Apache-2.0
"""Consumer groups across a broker kill -9 (issue 4): two confluent-kafka
consumers in one group process a sequence-numbered stream with synchronous
commits while the broker is killed with SIGKILL and restarted on the same
port and data directory. The consumers must rejoin and finish; together
they process every produced record (at-least-once); a record is processed
again only if it lies at or after the last commit acknowledged before the
re-processing member was assigned the partition (the uncommitted tail); and the group's committed offsets, watched from
outside throughout, never move backwards, across the restart too."""

import threading
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from brokertest import run_tests, stop_broker, unique_topic
from grouptest import Member, create_topic, group_broker, wait_until

PARTS = 4
TOTAL = 6000
COMMIT_EVERY = 25


class Ledger:
    """What the group processed and which commits the broker acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.processed = {}  # (partition, offset) -> times processed
        self.acked = {p: 0 for p in range(PARTS)}  # highest acknowledged commit
        self.violations = []
        self.by = {}  # (partition, offset) -> member that processed it first
        self.acked_hist = {p: [] for p in range(PARTS)}  # [(monotonic time, offset)]
        self.commit_errors = 0

    def on_message(self, member, m):
        key = (m.partition(), m.offset())
        with self.lock:
            # the floor is what was acknowledged before this member got the
            # partition: a member of the new generation may still commit
            # positions of partitions it lost (Kafka does not check ownership)
            floor = max((o for t, o in self.acked_hist[m.partition()] if t < member.assigned_at), default=0)
            if key in self.processed and m.offset() < floor:
                self.violations.append((key, f"commit {floor} acknowledged before {member.name} was assigned",
                                        f"first by {self.by[key]}, again by {member.name}"))
            self.processed[key] = self.processed.get(key, 0) + 1
            self.by.setdefault(key, member.name)
            count = sum(self.processed.values())
        if count % COMMIT_EVERY == 0:
            self.commit(member.consumer)

    def commit(self, consumer):
        try:
            res = consumer.commit(asynchronous=False)
        except KafkaException:
            with self.lock:
                self.commit_errors += 1
            return
        with self.lock:
            for tp in res or []:
                if tp.error is None and tp.offset >= 0:
                    self.acked[tp.partition] = max(self.acked[tp.partition], tp.offset)
                    self.acked_hist[tp.partition].append((time.monotonic(), tp.offset))


class Watcher:
    """Polls the group's committed offsets (OffsetFetch) from outside."""

    def __init__(self, bootstrap, group, topic):
        self.c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "socket.timeout.ms": 3000})
        self.topic = topic
        self.history = {p: [] for p in range(PARTS)}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            try:
                res = self.c.committed([TopicPartition(self.topic, p) for p in range(PARTS)], timeout=3)
                for tp in res:
                    if tp.error is None and tp.offset >= 0:
                        self.history[tp.partition].append(tp.offset)
            except KafkaException:
                pass  # broker down
            time.sleep(0.2)
        self.c.close()


def produce_stream(bootstrap, topic, acked, done):
    # acks=all with retries (not idempotent: this file tests groups, not
    # producers); a retried record may land twice, under a new offset.
    p = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5, "message.timeout.ms": 60000})

    def on_delivery(err, msg):
        if err is None:
            acked.append((msg.partition(), msg.offset(), msg.value()))

    for seq in range(TOTAL):
        while True:
            try:
                p.produce(topic, f"seq:{seq}".encode(), partition=seq % PARTS, on_delivery=on_delivery)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
        if seq % 50 == 0:
            time.sleep(0.03)  # spread the stream over a few seconds
    p.flush(90)
    done.set()


def test_group_consumers_survive_broker_kill9_at_least_once_with_monotonic_commits():
    b = group_broker().start()
    members = []
    watcher = None
    try:
        topic = unique_topic("gdur")
        create_topic(b.bootstrap, topic, PARTS)
        group = unique_topic("g-dur")
        ledger = Ledger()
        acked, done = [], threading.Event()
        prod = threading.Thread(target=produce_stream, args=(b.bootstrap, topic, acked, done), daemon=True)
        members = [Member(b.bootstrap, group, [topic], name=f"d{i}", on_message=ledger.on_message,
                          **{"fetch.wait.max.ms": 100}) for i in range(2)]
        watcher = Watcher(b.bootstrap, group, topic)
        prod.start()
        wait_until(lambda: len(ledger.processed) >= 1500 and all(m.partitions() for m in members), 60,
                   "the group to process 1500 records", interval=0.05)
        b.kill9()
        assert not done.is_set(), "the stream ended before the kill: nothing was tested"
        at_kill = len(ledger.processed)
        time.sleep(1.0)
        b.restart()
        wait_until(done.is_set, 120, "the producer to finish after the restart")
        produced = {(p, o) for p, o, _ in acked}
        assert len(acked) == TOTAL, f"only {len(acked)} of {TOTAL} records acknowledged"
        wait_until(lambda: produced <= set(ledger.processed), 90,
                   f"the group to process all {TOTAL} records after the restart")
        assert at_kill < TOTAL
        for m in members:
            m.close()
        members = []
        dups = sum(n - 1 for n in ledger.processed.values())
        watcher.stop.set()
        watcher.thread.join(15)
        # a last look after the members left: the final offsets end every history
        final = Consumer({"bootstrap.servers": b.bootstrap, "group.id": group})
        for tp in final.committed([TopicPartition(topic, p) for p in range(PARTS)], timeout=15):
            assert tp.error is None and tp.offset >= 0, tp
            assert tp.offset >= ledger.acked[tp.partition], (tp, ledger.acked)
            watcher.history[tp.partition].append(tp.offset)
        final.close()
        for p, hist in watcher.history.items():
            back = [(a, c) for a, c in zip(hist, hist[1:]) if c < a]
            assert not back, f"partition {p}: committed offset moved backwards {back[:3]}"
            assert hist, f"partition {p}: no committed offset ever observed"
        assert not ledger.violations, f"{len(ledger.violations)} records below an acknowledged commit " \
            f"processed again, e.g. {ledger.violations[:3]}"
        print(f"  processed {len(ledger.processed)} distinct records, {dups} duplicates, "
              f"{ledger.commit_errors} failed commits")
    finally:
        for m in members:
            m.close()
        if watcher is not None:
            watcher.stop.set()
        stop_broker(b)


if __name__ == "__main__":
    run_tests(globals())
