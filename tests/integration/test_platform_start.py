# SPDX-License-Identifier: Apache-2.0
"""`weir start` (README's start command runs it): one process serves the
Schema Registry, the Kafka broker and the REST proxy together, from one data
dir (the proxy finds the broker and registry of its own process with no
configuration), and a registered schema and a produced record both survive a
SIGTERM restart.
Also the CLI's contract: a bad option or unknown property exits 2 naming it,
a taken port exits 1."""

import json
import os
import signal
import socket
import subprocess
import tempfile
import time

import requests
from confluent_kafka import Consumer, Producer, TopicPartition

from weirtest import free_port, run_tests, weir_bin


REST_PORT = free_port()


def start(data_dir, reg_port, brk_port, *extra):
    args = [weir_bin(), "start", "--data-dir", data_dir,
            "-o", f"registry.listeners=http://127.0.0.1:{reg_port}",
            "-o", f"broker.listeners=PLAINTEXT://127.0.0.1:{brk_port}",
            "-o", f"rest-proxy.listeners=http://127.0.0.1:{REST_PORT}", *extra]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode()
        try:
            with socket.create_connection(("127.0.0.1", brk_port), timeout=0.5):
                pass
            if (requests.get(f"http://127.0.0.1:{reg_port}/", timeout=1).status_code == 200
                    and requests.get(f"http://127.0.0.1:{REST_PORT}/", timeout=1).status_code == 200):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("weir start did not open both listeners in 30 s")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, proc.stdout.read().decode()


def test_weir_start_serves_registry_and_broker_and_keeps_both_across_restart():
    with tempfile.TemporaryDirectory() as d:
        reg_port, brk_port = free_port(), free_port()
        proc = start(d, reg_port, brk_port)
        try:
            r = requests.post(f"http://127.0.0.1:{reg_port}/subjects/orders-value/versions",
                              headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
                              data=json.dumps({"schema": '"string"'}), timeout=10)
            assert r.status_code == 200, r.text
            schema_id = r.json()["id"]
            p = Producer({"bootstrap.servers": f"127.0.0.1:{brk_port}", "acks": "all"})
            p.produce("orders", b"first order", partition=0)
            assert p.flush(15) == 0
        finally:
            stop(proc)
        assert os.path.isdir(os.path.join(d, "registry")) and os.path.isdir(os.path.join(d, "broker"))
        proc = start(d, reg_port, brk_port)
        try:
            r = requests.get(f"http://127.0.0.1:{reg_port}/schemas/ids/{schema_id}", timeout=10)
            assert r.status_code == 200 and r.json()["schema"] == '"string"', r.text
            # The REST proxy reaches this process's broker with no bootstrap.servers set.
            r = requests.get(f"http://127.0.0.1:{REST_PORT}/topics/orders/partitions/0/offsets", timeout=10)
            assert r.status_code == 200 and r.json() == {"beginning_offset": 0, "end_offset": 1}, r.text
            c = Consumer({"bootstrap.servers": f"127.0.0.1:{brk_port}", "group.id": "start-it",
                          "enable.auto.commit": False})
            try:
                c.assign([TopicPartition("orders", 0, 0)])
                msg = c.poll(15)
                assert msg is not None and msg.error() is None and msg.value() == b"first order", msg
            finally:
                c.close()
        finally:
            stop(proc)


def run_weir(*args):
    return subprocess.run([weir_bin(), *args], capture_output=True, timeout=30)


def test_unknown_property_and_bad_option_exit_2_naming_them():
    r = run_weir("start", "-o", "no.such.property=1")
    assert r.returncode == 2 and b"no.such.property" in r.stderr, r
    r = run_weir("registry", "--no-such-option")
    assert r.returncode == 2 and b"--no-such-option" in r.stderr, r


def test_start_can_leave_servers_out():
    """--no-broker --no-rest-proxy: only the registry runs (its port answers, the
    broker's and proxy's stay closed); leaving everything out is a usage error."""
    with tempfile.TemporaryDirectory() as d:
        reg_port, brk_port = free_port(), free_port()
        args = [weir_bin(), "start", "--no-broker", "--no-rest-proxy", "--data-dir", d,
                "-o", f"registry.listeners=http://127.0.0.1:{reg_port}",
                "-o", f"broker.listeners=PLAINTEXT://127.0.0.1:{brk_port}",
                "-o", f"rest-proxy.listeners=http://127.0.0.1:{REST_PORT}"]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 30
            while True:
                assert proc.poll() is None and time.time() < deadline, "registry did not come up"
                try:
                    if requests.get(f"http://127.0.0.1:{reg_port}/", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    time.sleep(0.1)
            for port in (brk_port, REST_PORT):
                with socket.socket() as s:
                    assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} should be closed"
        finally:
            stop(proc)
        assert not os.path.isdir(os.path.join(d, "broker"))
    r = run_weir("start", "--no-broker", "--no-registry", "--no-rest-proxy")
    assert r.returncode == 2 and b"nothing to run" in r.stderr, r


def test_port_in_use_exits_1():
    with socket.socket() as s, tempfile.TemporaryDirectory() as d:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = run_weir("registry", "--listen", f"127.0.0.1:{port}", "--data-dir", d)
        assert r.returncode == 1, r


if __name__ == "__main__":
    run_tests(globals())
