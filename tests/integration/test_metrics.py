# SPDX-License-Identifier: Apache-2.0
"""GET /metrics and GET /health of the Schema Registry and the REST proxy,
end to end (docs/metrics.md).

One `weir start` (registry + REST proxy) runs against a separate `weir
broker` standing in for the Kafka cluster, so the test can take Kafka away.
Real work is done through the public APIs (Avro registrations, REST v2 and
v3 produce, a v2 consumer), then both /metrics endpoints are parsed with the
strict Prometheus text-format parser of promtext.py and the counters must
have moved by exactly the work done. Both endpoints show the whole process,
so a window of work on one service is measured through the other service's
port (the scrape itself is a request, counted on the port it hits).
Hostile methods and paths must not grow the output, and the proxy's /health
must go 503 when Kafka dies while the registry's stays 200."""

import json
import os
import random
import re
import string
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "rest_proxy"))
sys.path.insert(0, os.path.join(HERE, "broker"))

import requests  # noqa: E402
import rptest  # noqa: E402
from brokertest import Broker  # noqa: E402
from rptest import BINARY_V2, V2, b64, unique_topic  # noqa: E402
from promtext import Scrape  # noqa: E402
from weirtest import ExternalPlatform, avro_record, check, run_tests, stop_server, unique  # noqa: E402

METRICS_CT = "text/plain; version=0.0.4; charset=utf-8"
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "other"}

KAFKA = P = R = None


def setup_module():
    global KAFKA, P, R
    KAFKA = Broker(options={"num.partitions": "1"}).start()
    P = ExternalPlatform(KAFKA.bootstrap).start()
    R = rptest.Proxy(P)


def teardown_module():
    try:
        stop_server(P, if_alive=True)
    finally:
        stop_server(KAFKA, if_alive=True)


# -- scraping ------------------------------------------------------------------

def scrape(base):
    """GET base/metrics, parsed strictly (promtext.Scrape; .text is the body)."""
    r = requests.get(base + "/metrics", timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == METRICS_CT, r.headers
    return Scrape(r.text)


def delta(before, after, name, **labels):
    """How far the series moved (a series not there yet counts as 0; its
    family must be declared)."""
    return after.value(name, **labels) - before.value(name, **labels)


# -- tests ---------------------------------------------------------------------

def test_both_endpoints_parse_strictly_and_show_the_whole_process():
    reg = scrape(P.url)
    rp = scrape(P.rest_url)
    assert set(reg.types) == set(rp.types), set(reg.types) ^ set(rp.types)
    for fam in ("weir_http_requests_total", "weir_http_request_duration_seconds", "weir_registry_schemas",
                "weir_registry_registrations_total", "weir_rest_proxy_records_produced_total",
                "weir_rest_proxy_consumer_instances", "process_start_time_seconds", "process_cpu_seconds_total"):
        assert fam in reg.types, f"{fam} missing"
    start = reg.get("process_start_time_seconds")
    assert time.time() - 600 < start <= time.time() + 1
    assert reg.types["weir_http_request_duration_seconds"] == "histogram"
    assert reg.types["weir_http_requests_total"] == "counter"


def test_registry_work_moves_its_metrics_by_exactly_the_work_done():
    before = scrape(P.rest_url)  # measured through the other port: scrapes do not count here
    s1, s2 = unique("m1"), unique("m2")
    schema1 = avro_record("A", [("f", "string")])
    schema2 = avro_record("B", [("g", "int")])
    bodies = []
    for subject, schema in ((s1, schema1), (s2, schema2), (s1, schema1)):
        bodies.append(json.dumps({"schema": schema}).encode())
        check(P.post(f"/subjects/{subject}/versions", {"schema": schema}), 200)
    check(P.post(f"/subjects/{s1}/versions", {"schema": "{not avro"}), 422)
    compat = check(P.post(f"/compatibility/subjects/{s1}/versions/latest",
                          {"schema": avro_record("A", [("f", "int")])}), 200)
    assert compat["is_compatible"] is False
    r = P.get("/subjects")
    check(r, 200)
    after = scrape(P.rest_url)

    assert after.value("weir_registry_schemas", type="AVRO") == 2
    assert after.value("weir_registry_schemas", type="PROTOBUF") == 0
    assert after.value("weir_registry_subjects") == 2
    assert after.value("weir_registry_schema_versions", state="live") == 2
    assert after.value("weir_registry_schema_versions", state="soft_deleted") == 0
    assert delta(before, after, "weir_registry_registrations_total", result="new") == 2
    assert delta(before, after, "weir_registry_registrations_total", result="existing") == 1
    assert delta(before, after, "weir_registry_registrations_total", result="invalid") == 1
    assert delta(before, after, "weir_registry_compatibility_checks_total", result="incompatible") == 1
    reg = {"service": "registry"}
    assert delta(before, after, "weir_http_requests_total", method="POST", code="200", **reg) == 4
    assert delta(before, after, "weir_http_requests_total", method="POST", code="422", **reg) == 1
    assert delta(before, after, "weir_http_requests_total", method="GET", code="200", **reg) == 1
    assert delta(before, after, "weir_http_request_duration_seconds_count", **reg) == 6
    assert delta(before, after, "weir_http_response_body_bytes_total", **reg) >= len(r.content)
    assert delta(before, after, "weir_http_request_body_bytes_total", **reg) >= sum(map(len, bodies))
    assert delta(before, after, "weir_http_requests_in_flight", **reg) == 0


def test_rest_proxy_work_moves_its_metrics_by_exactly_the_work_done():
    topic = unique_topic("metrics")
    rptest.create_topic(KAFKA, topic)
    cid = R.cluster_id()
    before = scrape(P.url)
    sent = 0
    bodies, answers = [], []
    for n in (10, 10, 5):
        body = json.dumps({"records": [{"value": b64(f"v{sent + i}")} for i in range(n)]}).encode()
        r = R.post(f"/topics/{topic}", raw=body, content_type=BINARY_V2)
        check(r, 200)
        bodies.append(body)
        answers.append(r.content)
        sent += n
    entries = [{"id": "a", "value": {"type": "STRING", "data": "x"}},
               {"id": "b", "value": {"type": "BINARY", "data": "!!"}},  # not base64: refused
               {"id": "c", "value": {"type": "STRING", "data": "y"}}]
    batch = check(R.post(f"/v3/clusters/{cid}/topics/{topic}/records:batch", {"entries": entries}), 207)
    assert len(batch["successes"]) == 2 and len(batch["failures"]) == 1, batch
    after = scrape(P.url)

    rp = {"service": "rest-proxy"}
    assert delta(before, after, "weir_rest_proxy_records_produced_total", api="v2") == 25
    assert delta(before, after, "weir_rest_proxy_produce_errors_total", api="v2") == 0
    assert delta(before, after, "weir_rest_proxy_records_produced_total", api="v3") == 2
    assert delta(before, after, "weir_rest_proxy_produce_errors_total", api="v3") == 1
    assert delta(before, after, "weir_http_requests_total", method="POST", code="200", **rp) == 3
    assert delta(before, after, "weir_http_requests_total", method="POST", code="207", **rp) == 1
    assert delta(before, after, "weir_http_request_duration_seconds_count", **rp) == 4
    batch_body = len(json.dumps({"entries": entries}).encode())
    assert delta(before, after, "weir_http_request_body_bytes_total", **rp) == sum(map(len, bodies)) + batch_body
    assert delta(before, after, "weir_http_response_body_bytes_total", **rp) >= sum(map(len, answers))

    # consume some of it through a v2 consumer instance
    group = unique_topic("g")
    before = scrape(P.url)
    out = check(R.post(f"/consumers/{group}", {"auto.offset.reset": "earliest"}, content_type=V2), 200)
    base = f"/consumers/{group}/instances/{out['instance_id']}"
    check(R.post(base + "/assignments", {"partitions": [{"topic": topic, "partition": 0}]}, content_type=V2), 204)
    mid = scrape(P.url)
    assert delta(before, mid, "weir_rest_proxy_consumer_instances") == 1
    got, reads = [], 0
    deadline = time.monotonic() + 30
    while len(got) < 27 and time.monotonic() < deadline:
        got += check(R.get(base + "/records", accept=BINARY_V2, params={"timeout": 2000}), 200)
        reads += 1
    assert len(got) == 27, got
    check(R.delete(base, content_type=V2), 204)
    after = scrape(P.url)
    assert delta(before, after, "weir_rest_proxy_records_consumed_total") == 27
    assert delta(before, after, "weir_rest_proxy_consumer_instances") == 0
    assert delta(before, after, "weir_http_requests_total", method="GET", code="200", **rp) == reads


def random_token(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def test_hostile_methods_and_paths_do_not_grow_the_metrics():
    rng = random.Random(20261123)
    text_before = scrape(P.url).text
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO", "get", "BREW", "M-SEARCH",
               "PROPFIND", "X" * 40]
    for i in range(200):
        base = P.url if i % 2 else P.rest_url
        method = rng.choice(methods) if i % 3 else random_token(rng, string.ascii_uppercase, rng.randint(1, 12))
        path = "/" + "/".join(random_token(rng, string.ascii_letters + string.digits + "%._-~", rng.randint(1, 30))
                              for _ in range(rng.randint(1, 5)))
        try:
            requests.request(method, base + path, data=random_token(rng, string.printable, rng.randint(0, 50)),
                             timeout=10)
        except requests.RequestException:
            pass  # a refused method may close the connection: fine
    after = scrape(P.url)
    text_after = after.text
    requests_total = after.series("weir_http_requests_total")
    assert requests_total, "no weir_http_requests_total series"
    for labels, _ in requests_total:
        assert labels["method"] in KNOWN_METHODS, labels
        assert labels["service"] in ("registry", "rest-proxy"), labels
        assert re.fullmatch(r"[1-9]\d\d", labels["code"]), labels
    lines_before, lines_after = text_before.count("\n"), text_after.count("\n")
    # a few new (method, code) pairs at most, never one series per path
    assert lines_after - lines_before <= 60, (lines_before, lines_after)
    assert len(requests_total) <= 2 * len(KNOWN_METHODS) * 8
    for base in (P.url, P.rest_url):
        check(requests.get(base + "/health", timeout=10), 200)


def test_health_is_up_on_both_services():
    body = check(requests.get(P.url + "/health", timeout=10), 200)
    assert body == {"status": "UP", "service": "schema-registry"}, body
    r = requests.get(P.rest_url + "/health", timeout=10)
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    body = check(r, 200)
    assert body == {"status": "UP", "service": "rest-proxy"}, body
    check(requests.post(P.url + "/health", timeout=10), 405)
    check(requests.post(P.rest_url + "/metrics", timeout=10), 405)


def wait_health(base, status, within_s):
    deadline = time.monotonic() + within_s
    while True:
        r = requests.get(base + "/health", timeout=30)
        if r.status_code == status or time.monotonic() > deadline:
            return r
        time.sleep(0.2)


def test_proxy_health_goes_down_with_kafka_and_back_up_while_the_registry_stays_up():
    KAFKA.kill9()
    t0 = time.monotonic()
    r = wait_health(P.rest_url, 503, 10)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "DOWN" and body["service"] == "rest-proxy" and body["reason"], body
    assert time.monotonic() - t0 < 10
    check(requests.get(P.url + "/health", timeout=10), 200)
    scrape(P.rest_url)  # /metrics still answers without Kafka
    KAFKA.restart()
    r = wait_health(P.rest_url, 200, 30)
    assert r.status_code == 200, r.text


if __name__ == "__main__":
    run_tests(globals())
