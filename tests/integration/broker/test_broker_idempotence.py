# SPDX-License-Identifier: Apache-2.0
"""Idempotent producers on the weir broker (issue 4): confluent-kafka-python
with enable.idempotence=True writes every sequenced record exactly once and
in order; at the protocol level (raw InitProducerId v0 + Produce v3/v7 of a
batch with producer id, epoch and base sequence) a replayed batch is
answered with its original base offset and stored once, also after a kill -9
(producer state is recovered), and a sequence gap is refused with
OUT_OF_ORDER_SEQUENCE_NUMBER; an idempotent producer that keeps retrying
across a broker kill -9 + restart leaves every acknowledged record in the
log exactly once."""

import threading
import time

from confluent_kafka import Producer

from brokertest import run_tests, stop_broker, unique_topic
from grouptest import (create_topic, group_broker, idempotent_batch, init_producer_id, produce, produce_raw,
                       read_all)
from rawkafka import connect

B = None
NONE, OUT_OF_ORDER_SEQUENCE_NUMBER, DUPLICATE_SEQUENCE_NUMBER = 0, 45, 46


def setup_module():
    global B
    B = group_broker().start()


def teardown_module():
    stop_broker(B)


def test_idempotent_producer_writes_each_record_once_in_order():
    topic = unique_topic("idem")
    create_topic(B.bootstrap, topic, 3)
    n = 6000
    values = [f"seq:{i}".encode() for i in range(n)]
    reports = produce(B.bootstrap, topic, values, partition=lambda i: i % 3, **{
        "enable.idempotence": True, "linger.ms": 2, "batch.num.messages": 200})
    assert len(reports) == n
    log = read_all(B.bootstrap, topic, 3)
    got = [v for _, _, v in log]
    assert len(got) == n and len(set(got)) == n, f"{len(got)} records, {len(set(got))} distinct, {n} produced"
    for p in range(3):
        seqs = [int(v.split(b":")[1]) for pp, _, v in log if pp == p]
        assert seqs == list(range(p, n, 3)), f"partition {p} out of order or incomplete"


def test_replayed_idempotent_batch_is_stored_once_with_its_original_offset():
    topic = unique_topic("dup")
    create_topic(B.bootstrap, topic, 1)
    err, pid, epoch = init_producer_id(B.port)
    assert err == NONE and pid >= 0 and epoch >= 0, (err, pid, epoch)
    b0 = idempotent_batch([b"a0", b"a1", b"a2"], pid, epoch, 0)
    b1 = idempotent_batch([b"b0", b"b1"], pid, epoch, 3)
    with connect(B.port) as s:
        assert produce_raw(s, topic, 0, b0, corr=1) == (NONE, 0)
        assert produce_raw(s, topic, 0, b1, corr=2) == (NONE, 3)
        for version, corr in ((3, 3), (7, 4)):
            err, base = produce_raw(s, topic, 0, b1, version=version, corr=corr)
            assert err in (NONE, DUPLICATE_SEQUENCE_NUMBER), f"replay (Produce v{version}) answered error {err}"
            if err == NONE:
                assert base == 3, f"replay (Produce v{version}) answered base offset {base}, the batch is at 3"
        # an older batch still in the producer's window is a duplicate too
        err, base = produce_raw(s, topic, 0, b0, corr=5)
        assert err in (NONE, DUPLICATE_SEQUENCE_NUMBER) and (err or base == 0), (err, base)
        # a gap in the sequence is refused and writes nothing
        gap = idempotent_batch([b"gap"], pid, epoch, 9)
        err, _ = produce_raw(s, topic, 0, gap, corr=6)
        assert err == OUT_OF_ORDER_SEQUENCE_NUMBER, f"sequence gap answered {err}, expected 45"
        # the right next sequence is still accepted
        assert produce_raw(s, topic, 0, idempotent_batch([b"c0"], pid, epoch, 5), corr=7) == (NONE, 5)
    log = [v for _, _, v in read_all(B.bootstrap, topic, 1)]
    assert log == [b"a0", b"a1", b"a2", b"b0", b"b1", b"c0"], log


def test_producer_state_survives_kill9_so_a_retried_batch_is_not_written_twice():
    b = group_broker().start()
    try:
        topic = unique_topic("dupk9")
        create_topic(b.bootstrap, topic, 1)
        err, pid, epoch = init_producer_id(b.port)
        assert err == NONE, err
        b0 = idempotent_batch([b"x0", b"x1"], pid, epoch, 0)
        with connect(b.port) as s:
            assert produce_raw(s, topic, 0, b0, corr=1) == (NONE, 0)
        b.kill9()
        b.restart()
        with connect(b.port) as s:
            err, base = produce_raw(s, topic, 0, b0, corr=2)
            assert err in (NONE, DUPLICATE_SEQUENCE_NUMBER), f"replay after kill -9 answered {err}"
            if err == NONE:
                assert base == 0, f"replay after kill -9 was appended again at {base}"
            assert produce_raw(s, topic, 0, idempotent_batch([b"x2"], pid, epoch, 2), corr=3) == (NONE, 2)
        assert [v for _, _, v in read_all(b.bootstrap, topic, 1)] == [b"x0", b"x1", b"x2"]
    finally:
        stop_broker(b)


def test_idempotent_producer_across_kill9_keeps_every_acknowledged_record_once():
    b = group_broker().start()
    try:
        topic = unique_topic("idk9")
        parts = 2
        create_topic(b.bootstrap, topic, parts)
        acked, failed = {}, []
        lock = threading.Lock()

        def on_delivery(err, msg):
            with lock:
                if err is None:
                    seq = int(msg.value().split(b":")[1])
                    assert seq not in acked, f"seq {seq} acknowledged twice"
                    acked[seq] = (msg.partition(), msg.offset())
                else:
                    failed.append(err)

        p = Producer({"bootstrap.servers": b.bootstrap, "enable.idempotence": True, "linger.ms": 5,
                      "message.timeout.ms": 60000, "retry.backoff.ms": 200})
        total = 20000
        killed = False
        for seq in range(total):
            while True:
                try:
                    p.produce(topic, f"seq:{seq}".encode(), partition=seq % parts, on_delivery=on_delivery)
                    break
                except BufferError:
                    p.poll(0.05)
            p.poll(0)
            if seq % 200 == 0:
                time.sleep(0.01)
            if not killed and len(acked) >= 3000:
                b.kill9()  # in-flight batches now fail and are retried after the restart
                killed = True
                time.sleep(0.5)
                b.restart()
        left = p.flush(90)
        assert killed, "the load finished before the kill: nothing was tested"
        assert left == 0, f"{left} records neither delivered nor failed within 90s"
        log = read_all(b.bootstrap, topic, parts)
        values = [v for _, _, v in log]
        assert len(values) == len(set(values)), f"{len(values) - len(set(values))} records stored twice"
        where = {(pp, off): v for pp, off, v in log}
        for seq, (pp, off) in acked.items():
            assert where.get((pp, off)) == f"seq:{seq}".encode(), (seq, pp, off, where.get((pp, off)))
        for pp in range(parts):
            seqs = [int(v.split(b":")[1]) for q, _, v in log if q == pp]
            assert seqs == sorted(seqs), f"partition {pp}: records out of order after the restart"
        print(f"  {len(acked)} acknowledged, {len(failed)} failed, {len(values)} in the log")
    finally:
        stop_broker(b)


if __name__ == "__main__":
    run_tests(globals())
