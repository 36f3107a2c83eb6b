# SPDX-License-Identifier: Apache-2.0
"""Transactions on the weir broker (issue 4) with confluent-kafka-python:
init_transactions / begin / produce / commit and abort; read_committed
consumers see only committed records (aborted data skipped, control records
hidden) while read_uncommitted ones see both; a consume-transform-produce
loop with send_offsets_to_transaction in a consumer group, some rounds
aborted, leaves exactly the committed rounds in the output and the group's
offsets at the end of the input; a second producer with the same
transactional.id fences the first; committed data and the state of an open
transaction survive kill -9."""

import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

from brokertest import run_tests, stop_broker, unique_topic
from grouptest import create_topic, group_broker, group_conf, produce, read_all, wait_until

B = None


def setup_module():
    global B
    B = group_broker().start()


def teardown_module():
    stop_broker(B)


def txn_producer(bootstrap, txn_id, **conf):
    c = {"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 5,
         "transaction.timeout.ms": 30000}
    c.update(conf)
    p = Producer(c)
    p.init_transactions(30)
    return p


def txn_round(p, topic, values, commit, partition=None):
    p.begin_transaction()
    for i, v in enumerate(values):
        kw = {} if partition is None else {"partition": partition if isinstance(partition, int) else partition(i)}
        p.produce(topic, v, **kw)
    p.flush(30)
    if commit:
        p.commit_transaction(30)
    else:
        p.abort_transaction(30)


def test_read_committed_sees_only_committed_read_uncommitted_sees_all():
    topic = unique_topic("txn")
    create_topic(B.bootstrap, topic, 2)
    p = txn_producer(B.bootstrap, unique_topic("tid"))
    c1 = [f"commit1-{i}".encode() for i in range(10)]
    a1 = [f"abort1-{i}".encode() for i in range(10)]
    c2 = [f"commit2-{i}".encode() for i in range(10)]
    txn_round(p, topic, c1, True, partition=lambda i: i % 2)
    txn_round(p, topic, a1, False, partition=lambda i: i % 2)
    txn_round(p, topic, c2, True, partition=lambda i: i % 2)
    committed = [v for _, _, v in read_all(B.bootstrap, topic, 2, isolation="read_committed")]
    assert sorted(committed) == sorted(c1 + c2), f"read_committed saw {sorted(set(committed) - set(c1 + c2))[:5]}"
    everything = read_all(B.bootstrap, topic, 2, isolation="read_uncommitted")
    assert sorted(v for _, _, v in everything) == sorted(c1 + a1 + c2)
    # control records occupy offsets: each partition has 3 markers in its offset space
    for part in range(2):
        offs = [o for pp, o, _ in everything if pp == part]
        assert offs == sorted(offs) and offs[-1] == len(offs) + 1, f"partition {part} offsets {offs}"
    # per partition, committed order is preserved
    for part in range(2):
        got = [v for pp, _, v in read_all(B.bootstrap, topic, 2, isolation="read_committed") if pp == part]
        want = [v for i, v in enumerate(c1) if i % 2 == part] + [v for i, v in enumerate(c2) if i % 2 == part]
        assert got == want, (part, got)


def test_open_transaction_holds_back_read_committed_until_it_ends():
    topic = unique_topic("lso")
    create_topic(B.bootstrap, topic, 1)
    produce(B.bootstrap, topic, [b"plain-0"], partition=0)
    p = txn_producer(B.bootstrap, unique_topic("tid"))
    p.begin_transaction()
    p.produce(topic, b"open-0", partition=0)
    p.flush(30)
    produce(B.bootstrap, topic, [b"plain-1"], partition=0)  # after the open txn's first offset
    seen = [v for _, _, v in read_all(B.bootstrap, topic, 1, isolation="read_committed")]
    assert seen == [b"plain-0"], f"read_committed read past the last stable offset: {seen}"
    p.commit_transaction(30)
    seen = [v for _, _, v in read_all(B.bootstrap, topic, 1, isolation="read_committed")]
    assert seen == [b"plain-0", b"open-0", b"plain-1"], seen


def test_consume_transform_produce_with_aborted_rounds_outputs_committed_rounds_only():
    src, dst = unique_topic("ctp-in"), unique_topic("ctp-out")
    create_topic(B.bootstrap, src, 3)
    create_topic(B.bootstrap, dst, 3)
    n = 120
    produce(B.bootstrap, src, [f"in-{i}".encode() for i in range(n)], partition=lambda i: i % 3)
    group = unique_topic("g-ctp")
    c = Consumer(group_conf(B.bootstrap, group, **{"isolation.level": "read_committed"}))
    c.subscribe([src])
    p = txn_producer(B.bootstrap, unique_topic("tid-ctp"))
    committed_inputs, aborted_rounds, rnd = [], 0, 0
    deadline = time.monotonic() + 90
    try:
        while len(committed_inputs) < n:
            assert time.monotonic() < deadline, f"{len(committed_inputs)} of {n} inputs committed in 90s"
            msgs = [m for m in c.consume(num_messages=15, timeout=1.0) if not m.error()]
            if not msgs:
                continue
            rnd += 1
            p.begin_transaction()
            for m in msgs:
                p.produce(dst, b"out-" + m.value(), partition=m.partition())
            positions = [tp for tp in c.position(c.assignment()) if tp.offset >= 0]
            p.send_offsets_to_transaction(positions, c.consumer_group_metadata(), 30)
            if rnd % 3 == 0:
                p.flush(30)  # let the aborted data reach the log (abort purges unsent records)
                p.abort_transaction(30)
                aborted_rounds += 1
                # rewind to the committed offsets: the aborted round is processed again
                for tp in c.committed(c.assignment(), timeout=15):
                    c.seek(TopicPartition(src, tp.partition, tp.offset if tp.offset >= 0 else 0))
            else:
                p.commit_transaction(30)
                committed_inputs.extend(m.value() for m in msgs)
        assert aborted_rounds >= 2, "too few aborted rounds to test anything"
        got = [v for _, _, v in read_all(B.bootstrap, dst, 3, isolation="read_committed")]
        assert len(got) == len(set(got)), f"{len(got) - len(set(got))} outputs committed twice"
        assert sorted(got) == sorted(b"out-" + v for v in committed_inputs)
        assert sorted(committed_inputs) == sorted(f"in-{i}".encode() for i in range(n))
        offs = {tp.partition: tp.offset for tp in c.committed([TopicPartition(src, q) for q in range(3)], timeout=15)}
        assert offs == {0: 40, 1: 40, 2: 40}, f"group offsets {offs} (committed through the transactions)"
        everything = [v for _, _, v in read_all(B.bootstrap, dst, 3)]
        assert len(everything) > len(got), "aborted rounds wrote nothing"
    finally:
        c.close()


def is_fenced(e):
    err = e.args[0]
    return err.fatal() or err.code() in (KafkaError._FENCED, KafkaError.INVALID_PRODUCER_EPOCH, KafkaError.PRODUCER_FENCED)


def test_second_producer_with_same_transactional_id_fences_the_first():
    topic = unique_topic("fence")
    create_topic(B.bootstrap, topic, 1)
    tid = unique_topic("tid-fence")
    p1 = txn_producer(B.bootstrap, tid)
    txn_round(p1, topic, [b"p1-a"], True, partition=0)
    p2 = txn_producer(B.bootstrap, tid)  # bumps the epoch
    try:
        txn_round(p1, topic, [b"p1-zombie"], True, partition=0)
    except KafkaException as e:
        assert is_fenced(e), f"zombie failed with {e.args[0]}, not as fenced"
    else:
        raise AssertionError("the fenced producer committed a transaction")
    txn_round(p2, topic, [b"p2-a"], True, partition=0)
    seen = [v for _, _, v in read_all(B.bootstrap, topic, 1, isolation="read_committed")]
    assert seen == [b"p1-a", b"p2-a"], seen


def test_committed_transactions_and_open_transaction_survive_kill9():
    b = group_broker().start()
    try:
        topic = unique_topic("txk9")
        create_topic(b.bootstrap, topic, 2)
        tid = unique_topic("tid-k9")
        p = txn_producer(b.bootstrap, tid)
        done = [f"done-{i}".encode() for i in range(20)]
        txn_round(p, topic, done, True, partition=lambda i: i % 2)
        p.begin_transaction()
        for i in range(6):
            p.produce(topic, f"open-{i}".encode(), partition=i % 2)
        p.flush(30)  # written, never committed
        b.kill9()
        b.restart()
        seen = [v for _, _, v in read_all(b.bootstrap, topic, 2, isolation="read_committed")]
        assert sorted(seen) == sorted(done), f"after kill -9 read_committed saw {len(seen)} records"
        # a new producer with the same id aborts the open transaction and carries on
        p2 = txn_producer(b.bootstrap, tid)
        after = [f"after-{i}".encode() for i in range(4)]
        txn_round(p2, topic, after, True, partition=lambda i: i % 2)
        seen = wait_until(lambda: (lambda s: s if len(s) >= 24 else None)(
            [v for _, _, v in read_all(b.bootstrap, topic, 2, isolation="read_committed")]), 30,
            "read_committed to pass the aborted open transaction")
        assert sorted(seen) == sorted(done + after), sorted(set(seen) - set(done + after))
        everything = [v for _, _, v in read_all(b.bootstrap, topic, 2)]
        assert sum(v.startswith(b"open-") for v in everything) == 6
    finally:
        stop_broker(b)


if __name__ == "__main__":
    run_tests(globals())
