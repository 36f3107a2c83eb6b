# SPDX-License-Identifier: Apache-2.0
"""Runs every AVRO and PROTOBUF row of shared/conformance/compat-cases.jsonl
through the HTTP API of a real `weir registry` (spec §7): fresh subject per
row, register the row's dependencies (Protobuf imports) under per-row
subjects, register each `old` under NONE, set the row's level, then
  * POST /compatibility/subjects/{s}/versions?verbose=true  -> is_compatible
    (and, for incompatible rows, a message naming expected_error_type),
  * for one-`old` BACKWARD/FORWARD rows also POST .../versions/latest,
  * POST /subjects/{s}/versions with `new` -> 200 or 409.
Prints "conformance: N passed, M failed" per format and fails if any row
failed. Protobuf rows also check that every incompatible change the row
expects is named in the verbose messages. JSON Schema rows come with issue 9."""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402


def load_rows(fmt):
    path = os.path.join(wt.shared_dir(), "conformance", "compat-cases.jsonl")
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(i + 1, r) for i, r in enumerate(rows) if r["format"] == fmt]


def corpus_dependency_texts():
    """Every dependency text of the corpus by import name, in corpus order."""
    texts = {}
    for _, row in load_rows("PROTOBUF"):
        for name, text in (row.get("dependencies") or {}).items():
            texts.setdefault(name, [])
            if text not in texts[name]:
                texts[name].append(text)
    return texts


def dependency_text(row, side, ref, corpus_texts):
    """The text of one referenced subject version. A row that references two
    versions of one subject (old and new sides) carries only the newer
    text; the older one is the corpus text of that name whose package the
    side's schema uses (upstream it was registered by an earlier case)."""
    given = row["dependencies"][ref["name"]]
    others = [r for s2 in ("old", "new") for r in row.get(f"{s2}_references") or []
              if r["subject"] == ref["subject"] and r["version"] > ref["version"]]
    if not others:
        return given
    schema = row["old"][-1] if side == "old" else row["new"]
    used = re.findall(r"\.([\w.]+)\s+\w+\s*=", schema)  # fully qualified field types
    for text in corpus_texts.get(ref["name"], []):
        package = re.search(r"^package\s+([\w.]+);", text, re.M)
        if text == given or not package:
            continue
        for full in used:
            rest = full[len(package.group(1)) + 1:].split(".") if full.startswith(package.group(1) + ".") else []
            if rest and all(re.search(rf"\bmessage\s+{re.escape(c)}\b", text) for c in rest):
                return text
    return given


def register_dependencies(reg, s, row, corpus_texts):
    """Registers each referenced subject version of the row under a subject
    prefixed with s (rows reuse names such as google.proto with different
    texts). Returns the map (subject, version) -> (our subject, our version),
    or a problem string."""
    out = {}
    for side in ("old", "new"):
        for ref in sorted(row.get(f"{side}_references") or [], key=lambda r: r["version"]):
            key = (ref["subject"], ref["version"])
            if key in out:
                continue
            dep = f"{s}-{ref['subject']}"
            text = dependency_text(row, side, ref, corpus_texts)
            reg.put(f"/config/{wt.quote(dep)}", {"compatibility": "NONE"})  # two versions of one subject
            r = reg.post(f"/subjects/{wt.quote(dep)}/versions", {"schema": text, "schemaType": row["format"]})
            if r.status_code != 200:
                return f"registering dependency {ref['name']} v{ref['version']} -> {r.status_code} {r.text[:300]}"
            got = reg.post(f"/subjects/{wt.quote(dep)}", {"schema": text, "schemaType": row["format"]}).json()
            out[key] = (dep, got["version"])
    return out


def schema_body(row, text, side, deps):
    """The register/compatibility body for one side ("old" or "new")."""
    body = {"schema": text}
    if row["format"] != "AVRO":
        body["schemaType"] = row["format"]
    refs = row.get(f"{side}_references") or []
    if refs:
        body["references"] = [{"name": ref["name"], "subject": deps[(ref["subject"], ref["version"])][0],
                               "version": deps[(ref["subject"], ref["version"])][1]} for ref in refs]
    if row.get(f"{side}_metadata"):
        body["metadata"] = row[f"{side}_metadata"]
    return body


def run_row(reg, lineno, row, corpus_texts):
    """Returns a list of problems (empty = pass)."""
    problems = []
    s = f"conf-{lineno}-{wt.unique('r')}"
    deps = register_dependencies(reg, s, row, corpus_texts)
    if isinstance(deps, str):
        return [deps]
    r = reg.put(f"/config/{s}", {"compatibility": "NONE"})
    if r.status_code != 200:
        return [f"PUT /config NONE -> {r.status_code} {r.text[:200]}"]
    for k, old in enumerate(row["old"]):
        r = reg.post(f"/subjects/{s}/versions", schema_body(row, old, "old", deps))
        if r.status_code != 200:
            return [f"registering old[{k}] -> {r.status_code} {r.text[:300]}"]
    r = reg.put(f"/config/{s}", {"compatibility": row["mode"]})
    if r.status_code != 200:
        return [f"PUT /config {row['mode']} -> {r.status_code} {r.text[:200]}"]
    expected = row["expected_compatible"]

    new_body = schema_body(row, row["new"], "new", deps)
    r = reg.post(f"/compatibility/subjects/{s}/versions", new_body, params={"verbose": "true"})
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
            elif row["format"] == "PROTOBUF":
                # the row's changes include compatible ones; at least one named change must be reported
                kinds = {c.split(" ")[0] for c in row.get("expected_changes", [])}
                if kinds and not any(f'errorType:"{k}"' in m for k in kinds for m in msgs):
                    problems.append(f"messages name none of {sorted(kinds)}: {msgs}")

    if len(row["old"]) == 1 and row["mode"] in ("BACKWARD", "FORWARD"):
        r = reg.post(f"/compatibility/subjects/{s}/versions/latest", new_body)
        if r.status_code != 200:
            problems.append(f"POST /compatibility/.../versions/latest -> {r.status_code} {r.text[:300]}")
        elif r.json().get("is_compatible") is not expected:
            problems.append(f"/versions/latest: is_compatible={r.json().get('is_compatible')} expected {expected}")

    # A schema already live in the subject is returned as is, without a check (§5.2 step 3).
    already = reg.post(f"/subjects/{s}", new_body).status_code == 200
    r = reg.post(f"/subjects/{s}/versions", new_body)
    want = 200 if (expected or already) else 409
    if r.status_code != want:
        problems.append(f"register new -> {r.status_code} expected {want}: {r.text[:300]}")
    return problems


def run_format(fmt, minimum):
    rows = load_rows(fmt)
    assert len(rows) >= minimum, f"expected at least {minimum} {fmt} rows, found {len(rows)}"
    failed = 0
    corpus_texts = corpus_dependency_texts()
    t0 = time.monotonic()
    with wt.Registry() as reg:
        for lineno, row in rows:
            problems = run_row(reg, lineno, row, corpus_texts)
            if problems:
                failed += 1
                print(f"  row line {lineno} [{row['mode']}] {row.get('description', '')} "
                      f"({row.get('source_test', '').rsplit('#', 1)[-1]}):")
                print(f"    old={row['old']}\n    new={row['new']}")
                for p in problems:
                    print(f"    - {p}")
    passed = len(rows) - failed
    print(f"{len(rows)} {fmt} rows in {time.monotonic() - t0:.1f}s")
    print(f"conformance {fmt}: {passed} passed, {failed} failed", flush=True)
    assert failed == 0, f"{failed} {fmt} conformance rows failed"


def test_every_avro_row_of_the_corpus_through_http():
    run_format("AVRO", 200)


def test_every_protobuf_row_of_the_corpus_through_http():
    run_format("PROTOBUF", 70)


if __name__ == "__main__":
    wt.run_tests(globals())
