# SPDX-License-Identifier: Apache-2.0
"""Runs serde_api_check (the serde's public API end to end, a cmocka program)
against a real `weir registry` and the fault-injection server, which it
starts and stops. The C program asserts; this file owns the processes.
Environment: SERDE_API_CHECK (the built program), WEIR_BIN."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fault_server import FaultServer  # noqa: E402
from weirtest import Registry, run_tests  # noqa: E402


def test_serde_public_api_against_a_real_registry():
    program = os.environ["SERDE_API_CHECK"]
    fault = FaultServer()
    fault.start()
    try:
        with Registry() as reg:
            env = dict(os.environ, WEIR_REGISTRY_URL=reg.url, WEIR_FAULT_URL=fault.url)
            done = subprocess.run([program], env=env, timeout=120, capture_output=True, text=True)
            print(done.stdout + done.stderr)
            assert done.returncode == 0, f"serde_api_check exited {done.returncode}"
    finally:
        fault.stop()


if __name__ == "__main__":
    run_tests(globals())
