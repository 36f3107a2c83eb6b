# SPDX-License-Identifier: Apache-2.0
"""Helpers for the consumer-group, offset, idempotence and transaction tests
(issue 4), on top of brokertest.py: a broker started with short group timers
(only the properties this weir build knows), topic creation and produce/read
helpers around confluent-kafka-python, a threaded group member that records
its assignment and what it consumed, a consumer in a child process (to kill
it without a LeaveGroup), and raw-frame codecs for InitProducerId and
idempotent Produce. It asserts nothing about the broker itself."""

import struct
import subprocess
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from brokertest import Broker, weir_bin
from rawkafka import connect, kstr, produce_v3, recv_frame, record_batch, request

# Group timers kept short so rebalances take seconds (spec §4: the broker's
# minimum session timeout is 6000 ms).
SESSION_MS = 6000
HEARTBEAT_MS = 500
MAX_POLL_MS = 15000  # librdkafka's rebalance timeout

# Broker properties worth setting when this weir build defines them.
_WANTED = {"group.initial.rebalance.delay.ms": "0", "group.min.session.timeout.ms": "6000"}
_known_props = None


def known_props():
    """Property names `weir config` lists (empty set if it cannot say)."""
    global _known_props
    if _known_props is None:
        try:
            out = subprocess.run([weir_bin(), "config"], capture_output=True, timeout=20).stdout.decode()
        except (OSError, subprocess.SubprocessError):
            out = ""
        _known_props = {w.strip("`|* ") for line in out.splitlines() for w in line.split() if "." in w}
    return _known_props


def group_broker(options=None, **kw):
    """A Broker with group.initial.rebalance.delay.ms=0 (if supported) plus options."""
    opts = {k: v for k, v in _WANTED.items() if k in known_props()}
    opts.update(options or {})
    return Broker(options=opts, **kw)


def wait_until(pred, timeout, what, interval=0.1):
    """Polls pred() until it is truthy; returns its value or raises AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def create_topic(bootstrap, topic, partitions=1, config=None):
    a = AdminClient({"bootstrap.servers": bootstrap})
    a.create_topics([NewTopic(topic, partitions, 1, config=config or {})])[topic].result(15)


def produce(bootstrap, topic, values, partition=None, keys=None, **conf):
    """Produces values (acks=all); returns [(partition, offset, value)] of the
    delivery reports and asserts every record was delivered."""
    c = {"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5}
    c.update(conf)
    p = Producer(c)
    reports, errors = [], []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(err)
        else:
            reports.append((msg.partition(), msg.offset(), msg.value()))

    for i, v in enumerate(values):
        kw = {"on_delivery": on_delivery}
        if partition is not None:
            kw["partition"] = partition if isinstance(partition, int) else partition(i)
        if keys:
            kw["key"] = keys[i]
        while True:
            try:
                p.produce(topic, v, **kw)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    left = p.flush(30)
    assert left == 0 and not errors, f"{left} undelivered, errors {errors[:3]}"
    return reports


def read_all(bootstrap, topic, partitions, isolation="read_uncommitted", timeout=30):
    """Every record of topic (assign, from offset 0 to EOF on each partition):
    [(partition, offset, value)] in per-partition offset order."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "weir-it-reader", "enable.auto.commit": False,
                  "enable.partition.eof": True, "isolation.level": isolation})
    try:
        c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
        out, eof = [], set()
        deadline = time.monotonic() + timeout
        while len(eof) < partitions:
            assert time.monotonic() < deadline, f"{topic}: only {sorted(eof)} of {partitions} partitions read to EOF"
            m = c.poll(0.3)
            if m is None:
                continue
            if m.error():
                if m.error().code() == KafkaError._PARTITION_EOF:
                    eof.add(m.partition())
                    continue
                raise AssertionError(f"consumer error: {m.error()}")
            eof.discard(m.partition())
            out.append((m.partition(), m.offset(), m.value()))
        return out
    finally:
        c.close()


def group_conf(bootstrap, group, **extra):
    c = {"bootstrap.servers": bootstrap, "group.id": group, "session.timeout.ms": SESSION_MS,
         "heartbeat.interval.ms": HEARTBEAT_MS, "max.poll.interval.ms": MAX_POLL_MS,
         "auto.offset.reset": "earliest", "enable.auto.commit": False}
    c.update(extra)
    return c


class Member:
    """A confluent-kafka consumer subscribed in a group, polled by its own
    thread. Records its current assignment (as {(topic, partition)}), every
    consumed record, and how many times partitions were assigned/revoked.
    on_message(member, msg) runs in the polling thread (e.g. to commit)."""

    def __init__(self, bootstrap, group, topics, name="m", on_message=None, **conf):
        self.name = name
        self.conf = group_conf(bootstrap, group, **conf)
        self.topics = topics
        self.on_message = on_message
        self.lock = threading.Lock()
        self.assignment = set()
        self.records = []  # (partition, offset, value)
        self.assign_events = 0
        self.revoke_events = 0
        self.assigned_at = 0.0  # monotonic time of the last assignment
        self.errors = []
        self._stop = threading.Event()
        self._close = True
        self.consumer = None
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()
        assert self._ready.wait(15), f"{name}: consumer not created"

    def _on_assign(self, c, parts):
        with self.lock:
            self.assign_events += 1
            self.assigned_at = time.monotonic()

    def _on_revoke(self, c, parts):
        with self.lock:
            self.revoke_events += 1

    def _run(self):
        c = Consumer(self.conf)
        self.consumer = c
        c.subscribe(self.topics, on_assign=self._on_assign, on_revoke=self._on_revoke)
        self._ready.set()
        try:
            while not self._stop.is_set():
                m = c.poll(0.1)
                try:
                    asg = {(tp.topic, tp.partition) for tp in c.assignment()}
                except Exception:  # noqa: BLE001 - closing races
                    asg = set()
                with self.lock:
                    self.assignment = asg
                if m is None:
                    continue
                if m.error():
                    if m.error().code() != KafkaError._PARTITION_EOF:
                        self.errors.append(m.error())
                    continue
                with self.lock:
                    self.records.append((m.partition(), m.offset(), m.value()))
                if self.on_message:
                    self.on_message(self, m)
        finally:
            if self._close:
                c.close()

    def partitions(self):
        with self.lock:
            return {p for _, p in self.assignment}

    def values(self):
        with self.lock:
            return [v for _, _, v in self.records]

    def close(self, leave=True):
        """Stops polling; close() sends LeaveGroup (unless static). leave=False
        abandons the consumer without closing it (no LeaveGroup is sent
        until the process ends)."""
        self._close = leave
        self._stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive(), f"{self.name}: consumer did not close within 30s"


def split_ok(members, partitions):
    """True when members' assignments are disjoint, non-empty and cover range(partitions)."""
    sets = [m.partitions() for m in members]
    if any(not s for s in sets):
        return False
    union = set().union(*sets)
    return union == set(range(partitions)) and sum(len(s) for s in sets) == partitions


_CHILD = r"""
import sys, json
from confluent_kafka import Consumer
conf = json.loads(sys.argv[1])
c = Consumer(conf)
last = None
c.subscribe([sys.argv[2]])
while True:
    m = c.poll(0.1)
    asg = sorted(tp.partition for tp in c.assignment())
    if asg != last:
        last = asg
        print("ASSIGNED " + ",".join(map(str, asg)), flush=True)
    if m is not None and not m.error():
        print("MSG %d %d" % (m.partition(), m.offset()), flush=True)
"""


class ChildMember:
    """A group consumer in a child /usr/bin/python3 process, so kill -9 ends
    it without a LeaveGroup. Parses its "ASSIGNED 0,1" lines."""

    def __init__(self, bootstrap, group, topic, **conf):
        import json

        self.proc = subprocess.Popen([sys.executable, "-c", _CHILD, json.dumps(group_conf(bootstrap, group, **conf)),
                                      topic], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.assigned = set()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.decode().strip()
            if line.startswith("ASSIGNED"):
                rest = line[len("ASSIGNED"):].strip()
                self.assigned = {int(x) for x in rest.split(",")} if rest else set()

    def partitions(self):
        return set(self.assigned)

    def kill9(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


# -- raw frames for idempotence -------------------------------------------------
def idempotent_batch(values, producer_id, epoch, base_sequence, attributes=0):
    """Record batch v2 carrying producer id / epoch / base sequence."""
    return record_batch(values, producer_id=producer_id, epoch=epoch, base_sequence=base_sequence,
                        attributes=attributes)


def init_producer_id(port, transactional_id=None, timeout_ms=60000):
    """InitProducerId v0 -> (error, producer id, epoch)."""
    with connect(port) as s:
        s.sendall(request(22, 0, 41, kstr(transactional_id) + struct.pack(">i", timeout_ms)))
        payload = recv_frame(s)
    corr, _throttle, err, pid, epoch = struct.unpack_from(">iihqh", payload, 0)
    assert corr == 41
    return err, pid, epoch


def produce_raw(sock, topic, partition, batch, version=3, acks=-1, corr=1):
    """Produce v3..v7 of one batch on an open socket -> (error, base offset)."""
    sock.sendall(request(0, version, corr, produce_v3(topic, partition, batch, acks)))
    payload = recv_frame(sock)
    (rcorr, ntopics) = struct.unpack_from(">ii", payload, 0)
    assert rcorr == corr and ntopics == 1, (rcorr, ntopics)
    (nlen,) = struct.unpack_from(">h", payload, 8)
    off = 10 + nlen
    (nparts, _part, err, base) = struct.unpack_from(">iihq", payload, off)
    assert nparts == 1
    return err, base
