# SPDX-License-Identifier: Apache-2.0
"""The broker's metrics listener (`metrics.listener`) with real clients: a
`weir broker` serves GET /metrics (Prometheus text, checked by the strict
parser of ../promtext.py) and GET /health on its own HTTP port.
confluent-kafka produces N records of known size to a 2-partition topic and
consumes them in a group that commits part of them; the scrape must then
show exactly N records in, at least the payload bytes in, log end offsets
summing to N, group lag N - committed, open connections, consistent request
counts and histograms.
A second scrape after more work shows the counters moving on."""

import json
import time

import requests
from confluent_kafka import Consumer, Producer, TopicPartition

from brokertest import Broker, run_tests, stop_broker, unique_topic
from grouptest import create_topic, known_props, wait_until
from promtext import Scrape, self_test  # ../promtext.py (on sys.path via brokertest)
from weirtest import free_port

B = None
N = 200            # records of the first round
M = 50             # records of the second round
VALUE_SIZE = 100   # bytes per record value (no keys)
COMMIT = (37, 41)  # offsets committed on partitions 0 and 1


# -- the broker ---------------------------------------------------------------

class MetricsBroker(Broker):
    """A `weir broker` with metrics.listener on its own free port (picked
    again on every start attempt); ready once /health answers 200."""

    metrics_port = None

    def command_args(self):
        self.metrics_port = free_port()
        return super().command_args() + ["-o", f"metrics.listener=http://127.0.0.1:{self.metrics_port}"]

    @property
    def metrics_url(self):
        return f"http://127.0.0.1:{self.metrics_port}"

    def ready(self):
        if not super().ready():
            return False
        try:
            return requests.get(self.metrics_url + "/health", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def scrape(self):
        r = requests.get(self.metrics_url + "/metrics", timeout=10)
        assert r.status_code == 200, f"/metrics: HTTP {r.status_code}: {r.text[:300]}"
        ct = r.headers.get("Content-Type", "")
        assert ct.startswith("text/plain") and "version=0.0.4" in ct, f"/metrics content type {ct!r}"
        return Scrape(r.text)


def setup_module():
    global B
    opts = {"group.initial.rebalance.delay.ms": "0"} if "group.initial.rebalance.delay.ms" in known_props() else {}
    B = MetricsBroker(options=opts).start()


def teardown_module():
    stop_broker(B)


# -- helpers ------------------------------------------------------------------

def value_of(i):
    v = f"rec-{i:06d}-".encode()
    return v + b"x" * (VALUE_SIZE - len(v))


def produce_into(p, topic, first, n):
    """Produces records first..first+n-1 alternating over partitions 0 and 1
    and waits for every ack; returns the count per partition."""
    errors, per_part = [], [0, 0]

    def on_delivery(err, msg):
        if err is not None:
            errors.append(err)
        else:
            per_part[msg.partition()] += 1

    for i in range(first, first + n):
        p.produce(topic, value_of(i), partition=i % 2, on_delivery=on_delivery)
        p.poll(0)
    assert p.flush(30) == 0 and not errors, f"undelivered records, errors {errors[:3]}"
    return per_part


def consume_all(c, n, timeout=40):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < n:
        assert time.monotonic() < deadline, f"consumed only {len(got)} of {n} records"
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        got.append(m)
    return got


def lag_sum(s, group, topic):
    return sum(v for labels, v in s.series("weir_broker_group_lag", group=group, topic=topic))


def leo_sum(s, topic):
    return sum(v for _, v in s.series("weir_broker_partition_log_end_offset", topic=topic))


# -- tests --------------------------------------------------------------------

def test_health_answers_up_other_methods_405_and_unknown_paths_a_json_404():
    r = requests.get(B.metrics_url + "/health", timeout=5)
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "UP", "service": "broker"}, r.text
    r = requests.get(B.metrics_url + "/nope", timeout=5)
    assert r.status_code == 404, r.text
    assert isinstance(r.json(), dict) and r.json().get("error_code") == 404, r.text
    for path in ("/metrics", "/health"):
        r = requests.post(B.metrics_url + path, data="x", timeout=5)
        assert r.status_code == 405, (path, r.status_code, r.text)
        assert r.json().get("error_code") == 405, r.text


def test_parser_rejects_malformed_exposition():
    """The parser the other tests (and test_metrics.py) rely on does fail on
    bad input (promtext.BAD_EXPOSITIONS) and reads good input right."""
    self_test()


def test_produce_consume_commit_show_in_metrics_then_counters_move_on():
    s0 = B.scrape()
    topic = unique_topic("metrics")
    group = unique_topic("g-metrics")
    create_topic(B.bootstrap, topic, 2)
    p = Producer({"bootstrap.servers": B.bootstrap, "acks": "all", "linger.ms": 20})
    c = Consumer({"bootstrap.servers": B.bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "session.timeout.ms": 6000, "heartbeat.interval.ms": 500})
    try:
        per_part = produce_into(p, topic, 0, N)
        c.subscribe([topic])
        got = consume_all(c, N)
        assert sorted(m.value() for m in got) == sorted(value_of(i) for i in range(N))
        c.commit(offsets=[TopicPartition(topic, 0, COMMIT[0]), TopicPartition(topic, 1, COMMIT[1])],
                 asynchronous=False)
        s1 = B.scrape()
        check_first_round(s0, s1, topic, group, per_part)
    finally:
        c.close()
        p.flush(10)
        del p

    # second round: clients gone, more records; counters move on
    p = Producer({"bootstrap.servers": B.bootstrap, "acks": "all", "linger.ms": 20})
    produce_into(p, topic, N, M)
    del p
    s2 = wait_until(lambda: (lambda s: s if s.value("weir_broker_connections") == 0 else None)(B.scrape()),
                    15, "weir_broker_connections back to 0 after every client closed")
    check_second_round(s1, s2, topic, group)


def check_first_round(s0, s1, topic, group, per_part):
    d = lambda name, **kw: s1.value(name, **kw) - s0.value(name, **kw)  # noqa: E731
    # records and bytes
    assert d("weir_broker_messages_in_total") == N, d("weir_broker_messages_in_total")
    assert d("weir_broker_bytes_in_total") >= N * VALUE_SIZE, d("weir_broker_bytes_in_total")
    assert s1.get("weir_broker_topic_bytes_in_total", topic=topic) >= N * VALUE_SIZE
    assert d("weir_broker_bytes_out_total") >= N * VALUE_SIZE, "the consumer fetched every record"
    # requests: counted per request, answered ones timed
    produce = d("weir_broker_requests_total", api="Produce")
    assert 0 < produce <= N, produce
    assert s1.get("weir_broker_requests_total", api="Produce") == \
        s1.get("weir_broker_request_duration_seconds_count", api="Produce"), "every Produce answered and timed"
    assert s1.get("weir_broker_request_errors_total", api="Produce") == 0
    for api in ("ApiVersions", "Metadata", "Fetch", "JoinGroup", "SyncGroup", "OffsetCommit", "CreateTopics"):
        assert d("weir_broker_requests_total", api=api) > 0, f"no {api} request counted"
    assert s1.check_histograms() >= 10, "too few histogram series"
    assert s1.types["weir_broker_request_duration_seconds"] == "histogram"
    assert s1.types["weir_broker_requests_total"] == "counter"
    # partitions
    leos = {int(lb["partition"]): v for lb, v in s1.series("weir_broker_partition_log_end_offset", topic=topic)}
    assert leos == {0: per_part[0], 1: per_part[1]}, leos
    assert leo_sum(s1, topic) == N
    assert s1.get("weir_broker_partition_log_start_offset", topic=topic, partition="0") == 0
    size = sum(v for _, v in s1.series("weir_broker_partition_size_bytes", topic=topic))
    assert size >= N * VALUE_SIZE, size
    assert s1.get("weir_broker_topics") >= 1 and s1.get("weir_broker_partitions") >= 2
    # group
    assert s1.get("weir_broker_group_members", group=group) == 1
    for part in (0, 1):
        lag = s1.get("weir_broker_group_lag", group=group, topic=topic, partition=str(part))
        assert lag == per_part[part] - COMMIT[part], (part, lag)
    assert lag_sum(s1, group, topic) == N - sum(COMMIT)
    # connections: producer and consumer are open
    assert s1.get("weir_broker_connections") >= 2, s1.get("weir_broker_connections")


def check_second_round(s1, s2, topic, group):
    assert s2.get("weir_broker_messages_in_total") - s1.get("weir_broker_messages_in_total") == M
    assert s2.get("weir_broker_requests_total", api="Produce") > s1.get("weir_broker_requests_total", api="Produce")
    assert s2.get("weir_broker_request_duration_seconds_count", api="Produce") == \
        s2.get("weir_broker_requests_total", api="Produce")
    assert s2.get("weir_broker_bytes_in_total") - s1.get("weir_broker_bytes_in_total") >= M * VALUE_SIZE
    assert s2.get("weir_broker_topic_bytes_in_total", topic=topic) - \
        s1.get("weir_broker_topic_bytes_in_total", topic=topic) >= M * VALUE_SIZE
    assert leo_sum(s2, topic) == N + M
    assert lag_sum(s2, group, topic) == N + M - sum(COMMIT)
    assert s2.get("weir_broker_group_members", group=group) == 0, "the consumer left the group"
    assert s2.check_histograms() >= 10


def test_health_is_up_after_work():
    r = requests.get(B.metrics_url + "/health", timeout=5)
    assert r.status_code == 200 and json.loads(r.text)["status"] == "UP", r.text


if __name__ == "__main__":
    run_tests(globals())
