# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the REST proxy integration tests: one `weir start`
(broker + registry + REST proxy) per test module, HTTP helpers against the
proxy, and real Kafka clients (confluent-kafka, kcat) to check what the proxy
wrote or to feed what it reads."""

import base64
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # weirtest
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "broker"))  # brokertest (kcat)

import requests  # noqa: E402
from brokertest import KCAT, unique_topic  # noqa: E402,F401
from weirtest import HttpVerbs, Platform, check, check_error, run_tests, stop_server  # noqa: E402,F401

V2 = "application/vnd.kafka.v2+json"
BINARY_V2 = "application/vnd.kafka.binary.v2+json"
JSON_V2 = "application/vnd.kafka.json.v2+json"
AVRO_V2 = "application/vnd.kafka.avro.v2+json"


def b64(data):
    """Base64 text of bytes or str (UTF-8)."""
    if isinstance(data, str):
        data = data.encode()
    return base64.b64encode(data).decode()


def unb64(text):
    return None if text is None else base64.b64decode(text)


class Proxy(HttpVerbs):
    """HTTP helpers bound to one Platform's REST proxy (keep-alive session)."""

    def __init__(self, platform):
        self.p = platform
        self.url = platform.rest_url
        self.s = requests.Session()

    def request(self, method, path, body=None, raw=None, content_type=None, accept=None, params=None,
                headers=None, timeout=60):
        h = dict(headers or {})
        if content_type:
            h["Content-Type"] = content_type
        if accept:
            h["Accept"] = accept
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        return self.s.request(method, self.url + path, data=data, headers=h, params=params, timeout=timeout)

    def cluster_id(self):
        body = check(self.get("/v3/clusters"), 200)
        return body["data"][0]["cluster_id"]


def start(options=None):
    """Starts one `weir start` (num.partitions 1 unless given) and returns
    (platform, proxy)."""
    opts = {"num.partitions": "1"}
    opts.update(options or {})
    p = Platform(options=opts).start()
    return p, Proxy(p)


def create_topic(platform, topic, partitions=1):
    """Creates a topic with confluent-kafka's AdminClient (a real client)."""
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": platform.bootstrap})
    fs = admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    for f in fs.values():
        f.result(30)


def consume_all(platform, topic, count, timeout=30.0, partitions=None):
    """Reads `count` messages of topic from the beginning with confluent-kafka
    (assign, no group); returns a list of Message sorted by (partition, offset)."""
    import time
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": platform.bootstrap, "group.id": "rptest-check",
                  "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        md = c.list_topics(topic, timeout=10)
        parts = partitions if partitions is not None else sorted(md.topics[topic].partitions)
        c.assign([TopicPartition(topic, p, 0) for p in parts])
        out = []
        deadline = time.time() + timeout
        while len(out) < count and time.time() < deadline:
            m = c.poll(0.5)
            if m is None or m.error():
                continue
            out.append(m)
        assert len(out) == count, f"expected {count} messages in {topic}, read {len(out)}"
        return sorted(out, key=lambda m: (m.partition(), m.offset()))
    finally:
        c.close()


def produce_kcat(platform, topic, lines, partition=0, key_delim=None):
    """Produces lines (str) with kcat to one partition; key_delim splits key/value."""
    args = [KCAT, "-b", platform.bootstrap, "-P", "-t", topic, "-p", str(partition)]
    if key_delim:
        args += ["-K", key_delim]
    data = "".join(line + "\n" for line in lines).encode()
    subprocess.run(args, input=data, check=True, timeout=60)
