# SPDX-License-Identifier: Apache-2.0
"""Harness for weir's broker integration tests.

It owns the `weir broker` flavour of weirtest.WeirProcess (ready once the
port accepts connections; start, SIGTERM with an exit-code check, kill -9
and restart on the same data directory come from ../weirtest.py, imported,
not copied), the module teardown for a shared broker, and a kcat helper.
Raw Kafka frames live in rawkafka.py. It knows nothing about what a test
asserts: the test files do.

Environment: WEIR_BIN (the weir executable; default build/platform/weir under
the source tree). Run with /usr/bin/python3 so Debian's python3-confluent-kafka
and python3-kafka are importable.
"""

import os
import shutil
import socket
import subprocess
import sys
import uuid

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from weirtest import SkipTest, WeirProcess, run_tests, stop_server, weir_bin  # noqa: E402,F401

KCAT = shutil.which("kcat") or "/usr/bin/kcat"


def unique_topic(prefix="t"):
    """A fresh topic name so tests sharing one broker never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def stop_broker(b):
    """Module teardown for a shared broker (None is fine): stops it if it is
    still alive (asserting a clean exit) and removes its data dir."""
    stop_server(b, if_alive=True)


class Broker(WeirProcess):
    """One `weir broker`: ready once its port accepts connections. Restarts
    on the same port by default (clients keep their bootstrap address)."""

    command = "broker"
    dir_prefix = "weir-bit-"
    ready_what = "accept connections"
    stop_timeout = 30.0
    restart_same_port = True

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
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
