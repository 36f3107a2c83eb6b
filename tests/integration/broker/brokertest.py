# SPDX-License-Identifier: Apache-2.0
"""Harness for weir's broker integration tests.

It owns starting and stopping real `weir broker` processes on free loopback
ports (wait for the port, graceful SIGTERM with an exit-code check, kill -9,
restart on the same data directory), a few helpers around kcat and raw Kafka
frames, and reuses the test runner, free_port and weir_bin of
../weirtest.py (imported, not copied). It knows nothing about what a test
asserts: the test files do.

Environment: WEIR_BIN (the weir executable; default build/platform/weir under
the source tree). Run with /usr/bin/python3 so Debian's python3-confluent-kafka
and python3-kafka are importable.
"""

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from weirtest import SkipTest, free_port, run_tests, weir_bin  # noqa: E402,F401

KCAT = shutil.which("kcat") or "/usr/bin/kcat"


def unique_topic(prefix="t"):
    """A fresh topic name so tests sharing one broker never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Broker:
    """One `weir broker` on 127.0.0.1:<free port> with its own data dir.

    Use as a context manager, or call start()/stop() yourself. The data dir
    survives stop()/kill9() so restart() comes back on the same state; it is
    removed by cleanup() (called by __exit__).
    """

    def __init__(self, data_dir=None, options=None, start_timeout=30.0):
        self.bin = weir_bin()
        self._own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="weir-bit-")
        self.options = dict(options or {})
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.data_dir, "weir-broker.log")

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def start(self, port=None):
        """Starts the broker and waits until its port accepts connections.
        Retries on a port race (another process took the free port first)."""
        last_err = None
        for _ in range(5):
            self.port = port or free_port()
            args = [self.bin, "broker", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir]
            for k, v in self.options.items():
                args += ["-o", f"{k}={v}"]
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                self._wait_ready()
                return self
            except RuntimeError as e:
                last_err = e
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
                if port is not None:
                    break
        raise last_err

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise RuntimeError(f"weir broker exited with {rc} during start-up:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"weir broker did not accept connections within {self.start_timeout}s:\n{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30.0):
        """SIGTERM, wait, and assert a clean exit (code 0). Returns seconds taken."""
        if self.proc is None:
            return 0.0
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise AssertionError(f"weir broker ignored SIGTERM for {timeout}s:\n{self.log_tail()}")
        self.proc = None
        assert rc == 0, f"weir broker exited with {rc} after SIGTERM:\n{self.log_tail()}"
        return time.monotonic() - t0

    def kill9(self):
        """Hard kill (SIGKILL): no chance to flush anything."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def restart(self, same_port=True):
        """Starts again on the same data dir (after stop() or kill9())."""
        if self.alive():
            self.stop()
        return self.start(port=self.port if same_port else None)

    def cleanup(self):
        if self.alive():
            self.kill9()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.alive():
                self.stop()
        finally:
            self.cleanup()
        return False

    # -- kcat --------------------------------------------------------------
    def kcat(self, *args, input=None, timeout=60, check=True):
        """Runs kcat -b <this broker> args...; returns CompletedProcess (bytes)."""
        cmd = [KCAT, "-b", self.bootstrap, *args]
        r = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
        if check:
            assert r.returncode == 0, (
                f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr.decode('utf-8', 'replace')}\n"
                f"broker log:\n{self.log_tail(15)}")
        return r


# -- raw Kafka frames (for bad-input tests) ---------------------------------
def kstr(s):
    """Kafka (non-flexible) nullable string."""
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def request(api_key, api_version, correlation_id, body=b"", client_id="weir-it", flexible=False):
    """A framed request: int32 size + header v1 (v2 when flexible) + body."""
    header = struct.pack(">hhi", api_key, api_version, correlation_id) + kstr(client_id)
    if flexible:
        header += b"\x00"  # empty tagged-field section
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def recv_frame(sock):
    """Reads one response frame; returns its payload (correlation id first)."""
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    assert 0 <= size < 64 << 20, f"absurd response size {size}"
    return recv_exact(sock, size)


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def closed_by_peer(sock, timeout=10):
    """True when the peer closes (EOF or reset) within timeout; False if it stays open."""
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
