# SPDX-License-Identifier: Apache-2.0
"""`weir start` shut down with SIGTERM in the middle of work on all three
services loses nothing it acknowledged: a Kafka acks=all produce load
(confluent-kafka), REST proxy v2 produce requests and schema registrations
run concurrently; SIGTERM arrives while they are in flight; the process must
exit 0 promptly, and after a restart on the same data dir every record whose
delivery report or HTTP 200 said "stored" is there at the offset it was
given, and every schema id the registry handed out resolves to its schema."""

import json
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "broker"))

import requests  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

from test_broker_durability import PARTITIONS, Load, check_log, read_partition  # noqa: E402
from weirtest import Platform, run_tests  # noqa: E402

V2 = "application/vnd.kafka.v2+json"
JSON_V2 = "application/vnd.kafka.json.v2+json"
CT_SR = "application/vnd.schemaregistry.v1+json"


class HttpLoad:
    """Keeps POSTing requests built by request(n) -> (path, body, content
    type) in a thread until stopped or the server goes away; for every 200,
    on_ok(n, answer) records what was acknowledged in self.acked."""

    def __init__(self, url, request, on_ok):
        self.url, self.request, self.on_ok = url, request, on_ok
        self.acked = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        s = requests.Session()
        n = 0
        while not self.stop.is_set():
            path, body, content_type = self.request(n)
            try:
                r = s.post(self.url + path, data=json.dumps(body),
                           headers={"Content-Type": content_type, "Accept": "application/json, " + V2}, timeout=10)
            except requests.RequestException:
                break
            if r.status_code == 200:
                self.on_ok(self, n, r.json())
            n += 1


def rest_load(url, topic):
    """One-record v2 JSON produce requests: acked n -> (partition, offset)."""
    def on_ok(load, n, answer):
        off = answer["offsets"][0]
        if off.get("error") is None:
            load.acked[n] = (off["partition"], off["offset"])
    return HttpLoad(url, lambda n: (f"/topics/{topic}", {"records": [{"value": {"rest": n}}]}, JSON_V2), on_ok)


def schema_text(n):
    return json.dumps({"type": "record", "name": f"R{n}", "fields": [{"name": "f", "type": "long"}]})


def registry_load(url):
    """New Avro record schemas under new subjects: acked id -> schema text."""
    def on_ok(load, n, answer):
        load.acked[answer["id"]] = schema_text(n)
    return HttpLoad(url, lambda n: (f"/subjects/sigterm-{n}/versions", {"schema": schema_text(n)}, CT_SR), on_ok)


def test_sigterm_under_load_exits_0_and_keeps_everything_acknowledged():
    with Platform(options={"group.initial.rebalance.delay.ms": "0"}) as p:
        kafka_topic, rest_topic = "sigterm-kafka", "sigterm-rest"
        a = AdminClient({"bootstrap.servers": p.bootstrap})
        for topic, parts in ((kafka_topic, PARTITIONS), (rest_topic, 1)):
            a.create_topics([NewTopic(topic, parts, 1)])[topic].result(15)
        kafka = Load(p.bootstrap, kafka_topic)
        rest = rest_load(p.rest_url, rest_topic)
        reg = registry_load(p.url)
        for load in (kafka, rest, reg):
            load.thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (kafka.acked_count() < 3000 or len(rest.acked) < 50
                                               or len(reg.acked) < 20):
            time.sleep(0.01)
        assert kafka.acked_count() >= 3000 and len(rest.acked) >= 50 and len(reg.acked) >= 20, \
            (kafka.acked_count(), len(rest.acked), len(reg.acked))
        t0 = time.monotonic()
        p.stop(timeout=20)  # SIGTERM; asserts exit status 0
        stop_seconds = time.monotonic() - t0
        for load in (kafka, rest, reg):
            load.stop.set()
        kafka.thread.join(60)
        rest.thread.join(30)
        reg.thread.join(30)
        assert not kafka.thread.is_alive(), "the Kafka producer did not finish after the shutdown"
        kafka_acked, rest_acked, reg_ids = dict(kafka.acked), dict(rest.acked), dict(reg.acked)

        p.restart()
        total = check_log(p.bootstrap, kafka_topic, kafka_acked)
        assert total >= len(kafka_acked)
        records = {off: json.loads(v) for off, v in read_partition(p.bootstrap, rest_topic, 0)}
        for n, (part, off) in rest_acked.items():
            assert part == 0 and records.get(off) == {"rest": n}, \
                f"REST record {n} acknowledged at offset {off} holds {records.get(off)!r}"
        for sid, schema in reg_ids.items():
            r = requests.get(f"{p.url}/schemas/ids/{sid}", timeout=10)
            assert r.status_code == 200, f"schema id {sid} was acknowledged but is gone: {r.text}"
            assert json.loads(r.json()["schema"]) == json.loads(schema)
        print(f"  SIGTERM took {stop_seconds:.2f} s; kept {len(kafka_acked)} Kafka records, "
              f"{len(rest_acked)} REST records, {len(reg_ids)} schemas")


if __name__ == "__main__":
    run_tests(globals())
