# SPDX-License-Identifier: Apache-2.0
"""The documented example (docs/examples/serde_avro_example.c) works as the
docs say: against `weir start` it produces three Avro records through
librdkafka + serde and consumes them back as the same JSON, and the records
on the topic carry the id the registry gave the "<topic>-value" subject."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from weirtest import Platform, quote, run_tests, stop_server  # noqa: E402


def test_example_produces_and_consumes_three_payments():
    p = Platform().start()
    try:
        done = subprocess.run([os.environ["SERDE_EXAMPLE"], p.bootstrap, p.url, "payments"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert lines == [{"id": f"p-{i}", "amount": 10.5 * (i + 1)} for i in range(3)], done.stdout
        r = p.session.get(f"{p.url}/subjects/{quote('payments-value')}/versions/latest", timeout=10)
        assert r.status_code == 200 and r.json()["version"] == 1, r.text
    finally:
        stop_server(p, if_alive=True)


if __name__ == "__main__":
    run_tests(globals())
