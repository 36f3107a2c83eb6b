# SPDX-License-Identifier: Apache-2.0
"""`weir start -o bootstrap.servers=...` against an external Kafka cluster
(here a separate `weir broker` process standing in for one): no embedded
broker starts (its port stays closed, no broker data dir), and the REST
proxy produces to and reads metadata from the external cluster, checked
with confluent-kafka against that cluster."""

import os
import socket

import rptest
from brokertest import Broker
from rptest import BINARY_V2, b64, check, unique_topic
from weirtest import ExternalPlatform

EXT = P = R = None


def setup_module():
    global EXT, P, R
    EXT = Broker(options={"num.partitions": "1"}).start()
    P = ExternalPlatform(EXT.bootstrap).start()
    R = rptest.Proxy(P)


def teardown_module():
    rptest.stop_server(P, if_alive=True)
    rptest.stop_server(EXT, if_alive=True)


def test_no_embedded_broker_runs():
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", P.broker_port)) != 0, "the embedded broker should not listen"
    assert not os.path.isdir(os.path.join(P.data_dir, "broker"))


def test_proxy_uses_the_external_cluster():
    t = unique_topic("ext")
    external = type("Ext", (), {"bootstrap": EXT.bootstrap})()
    rptest.create_topic(external, t)
    assert t in check(R.get("/topics"), 200)
    body = check(R.post(f"/topics/{t}", {"records": [{"value": b64(f"v{i}")} for i in range(5)]},
                        content_type=BINARY_V2), 200)
    assert [o["offset"] for o in body["offsets"]] == [0, 1, 2, 3, 4]
    msgs = rptest.consume_all(external, t, 5)
    assert [m.value() for m in msgs] == [f"v{i}".encode() for i in range(5)]


if __name__ == "__main__":
    rptest.run_tests(globals())
