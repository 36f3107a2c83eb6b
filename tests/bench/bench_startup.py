#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Startup and shutdown time of `weir start` on an empty data dir.

Usage: tests/bench/bench_startup.py [path/to/weir] (default build/platform/weir)
Env: RUNS (default 10).

Each run starts `weir start` in a fresh temporary data dir on free loopback
ports and measures, from just before exec, the time until all three services
answer: the broker completes a Kafka ApiVersions round trip, the registry
and the REST proxy answer GET / with 200. Then it sends SIGTERM and measures
the time to a clean exit. The reference in the same run is the time to exec
`weir version` to its exit (process creation, dynamic linking, nothing
served), so "ratio" says how many process-launches' worth of work becoming
ready costs. Prints median and max; never fails on timing (it fails only if
weir does not become ready within 30 s or exits non-zero)."""

import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "platform", "weir")
RUNS = int(os.environ.get("RUNS", "10"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kafka_api_versions(port):
    """One ApiVersions v0 request/response; True when the broker answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            client = b"bench"
            body = struct.pack(">hhih", 18, 0, 1, len(client)) + client
            s.sendall(struct.pack(">i", len(body)) + body)
            head = s.recv(4)
            return len(head) == 4 and struct.unpack(">i", head)[0] > 0
    except OSError:
        return False


def http_ok(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=0.5) as r:
            return r.status == 200
    except OSError:
        return False


def one_run():
    with tempfile.TemporaryDirectory(prefix="weir-bench-start-") as d:
        b, r, p = free_port(), free_port(), free_port()
        args = [WEIR, "start", "--data-dir", os.path.join(d, "data"),
                "-o", f"broker.listeners=PLAINTEXT://127.0.0.1:{b}",
                "-o", f"registry.listeners=http://127.0.0.1:{r}",
                "-o", f"rest-proxy.listeners=http://127.0.0.1:{p}"]
        t0 = time.monotonic()
        proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        pending = {"broker": lambda: kafka_api_versions(b), "registry": lambda: http_ok(r),
                   "rest-proxy": lambda: http_ok(p)}
        while pending:
            if time.monotonic() - t0 > 30 or proc.poll() is not None:
                proc.kill()
                sys.exit(f"weir start not ready in 30 s (still waiting for {sorted(pending)})")
            for name in list(pending):
                if pending[name]():
                    del pending[name]
            if pending:
                time.sleep(0.002)
        ready = time.monotonic() - t0
        t1 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(30)
        stopped = time.monotonic() - t1
        if rc != 0:
            sys.exit(f"weir start exited {rc} after SIGTERM")
        return ready, stopped


def exec_time():
    t0 = time.monotonic()
    subprocess.run([WEIR, "version"], stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - t0


def main():
    ref = [exec_time() for _ in range(RUNS)]
    runs = [one_run() for _ in range(RUNS)]
    ready = [x for x, _ in runs]
    stop = [y for _, y in runs]
    ref_med = statistics.median(ref)
    print(f"runs: {RUNS}")
    print(f"reference: exec `weir version`   median {ref_med * 1000:7.1f} ms  max {max(ref) * 1000:7.1f} ms")
    print(f"weir start ready (all three)      median {statistics.median(ready) * 1000:7.1f} ms  "
          f"max {max(ready) * 1000:7.1f} ms  ratio {statistics.median(ready) / ref_med:.1f}")
    print(f"SIGTERM to exit 0                 median {statistics.median(stop) * 1000:7.1f} ms  "
          f"max {max(stop) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
