# SPDX-License-Identifier: Apache-2.0
"""Runs every AVRO row of shared/conformance/compat-cases.jsonl through the HTTP
API of a real `weir registry` (spec §7): fresh subject per row, register each
`old` under NONE, set the row's level, then
  * POST /compatibility/subjects/{s}/versions?verbose=true  -> is_compatible
    (and, for incompatible rows, a message naming expected_error_type),
  * for one-`old` BACKWARD/FORWARD rows also POST .../versions/latest,
  * POST /subjects/{s}/versions with `new` -> 200 or 409.
Prints "conformance: N passed, M failed" and fails if any row failed. The
Protobuf and JSON Schema rows are not run here (weir's registry is Avro-only
for now)."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402


def load_rows():
    path = os.path.join(wt.shared_dir(), "conformance", "compat-cases.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(i + 1, r) for i, r in enumerate(rows) if r["format"] == "AVRO"]


def run_row(reg, lineno, row):
    """Returns a list of problems (empty = pass)."""
    problems = []
    s = f"conf-{lineno}-{wt.unique('r')}"
    r = reg.put(f"/config/{s}", {"compatibility": "NONE"})
    if r.status_code != 200:
        return [f"PUT /config NONE -> {r.status_code} {r.text[:200]}"]
    for k, old in enumerate(row["old"]):
        r = reg.post(f"/subjects/{s}/versions", {"schema": old})
        if r.status_code != 200:
            return [f"registering old[{k}] -> {r.status_code} {r.text[:300]}"]
    r = reg.put(f"/config/{s}", {"compatibility": row["mode"]})
    if r.status_code != 200:
        return [f"PUT /config {row['mode']} -> {r.status_code} {r.text[:200]}"]
    expected = row["expected_compatible"]

    r = reg.post(f"/compatibility/subjects/{s}/versions", {"schema": row["new"]}, params={"verbose": "true"})
    if r.status_code != 200:
        problems.append(f"POST /compatibility/.../versions -> {r.status_code} {r.text[:300]}")
    else:
        body = r.json()
        if body.get("is_compatible") is not expected:
            problems.append(f"/compatibility verbose: is_compatible={body.get('is_compatible')} expected {expected}; "
                            f"messages={body.get('messages')}")
        elif not expected:
            msgs = body.get("messages")
            if not isinstance(msgs, list) or not msgs:
                problems.append(f"verbose incompatible answer has no messages: {body}")
            elif row.get("expected_error_type") and not any(row["expected_error_type"] in m for m in msgs):
                problems.append(f"messages do not name {row['expected_error_type']}: {msgs}")

    if len(row["old"]) == 1 and row["mode"] in ("BACKWARD", "FORWARD"):
        r = reg.post(f"/compatibility/subjects/{s}/versions/latest", {"schema": row["new"]})
        if r.status_code != 200:
            problems.append(f"POST /compatibility/.../versions/latest -> {r.status_code} {r.text[:300]}")
        elif r.json().get("is_compatible") is not expected:
            problems.append(f"/versions/latest: is_compatible={r.json().get('is_compatible')} expected {expected}")

    # A schema already live in the subject is returned as is, without a check (§5.2 step 3).
    already = reg.post(f"/subjects/{s}", {"schema": row["new"]}).status_code == 200
    r = reg.post(f"/subjects/{s}/versions", {"schema": row["new"]})
    want = 200 if (expected or already) else 409
    if r.status_code != want:
        problems.append(f"register new -> {r.status_code} expected {want}: {r.text[:300]}")
    return problems


def test_every_avro_row_of_the_corpus_through_http():
    rows = load_rows()
    assert len(rows) >= 200, f"expected ~212 AVRO rows, found {len(rows)}"
    failed = 0
    t0 = time.monotonic()
    with wt.Registry() as reg:
        for lineno, row in rows:
            problems = run_row(reg, lineno, row)
            if problems:
                failed += 1
                print(f"  row line {lineno} [{row['mode']}] {row.get('description', '')} "
                      f"({row.get('source_test', '').rsplit('#', 1)[-1]}):")
                print(f"    old={row['old']}\n    new={row['new']}")
                for p in problems:
                    print(f"    - {p}")
    passed = len(rows) - failed
    print(f"{len(rows)} AVRO rows in {time.monotonic() - t0:.1f}s")
    print(f"conformance: {passed} passed, {failed} failed", flush=True)
    assert failed == 0, f"{failed} conformance rows failed"


if __name__ == "__main__":
    wt.run_tests(globals())
