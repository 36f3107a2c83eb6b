#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Helpers for bench_registry.sh (run with /usr/bin/python3, which sees Debian's
python3-requests). Subcommands:
  wait URL                 wait until GET URL/ answers 200
  register URL N           register N distinct Avro schemas (4 client threads); prints the highest id
  fetch URL ID FILE        save the exact body bytes of GET /schemas/ids/ID to FILE
  compat URL [FIELDS] [VERSIONS] [REQUESTS]
                           time POST /compatibility for a FIELDS-field record against VERSIONS
                           versions under FULL_TRANSITIVE
Prints figures only; never fails on timing (it fails only if the server answers wrongly)."""

import json
import statistics
import sys
import threading
import time

import requests

CT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def wait(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    sys.exit(f"registry at {url} did not answer")


def schema(i):
    return json.dumps({"type": "record", "name": f"Seed{i}", "namespace": "weir.bench",
                       "fields": [{"name": "id", "type": "long"}, {"name": f"f{i}", "type": "string", "default": ""}]})


def register(url, n):
    n = int(n)
    ids = []
    lock = threading.Lock()

    def worker(k):
        s = requests.Session()
        for i in range(k, n, 4):
            r = s.post(f"{url}/subjects/seed-{i}/versions", data=json.dumps({"schema": schema(i)}), headers=CT)
            if r.status_code != 200:
                sys.exit(f"register seed-{i}: {r.status_code} {r.text[:200]}")
            with lock:
                ids.append(r.json()["id"])

    t0 = time.monotonic()
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    secs = time.monotonic() - t0
    if len(ids) != n:
        sys.exit(f"only {len(ids)} of {n} registrations succeeded")
    print(f"seeded {n} schemas in {secs:.2f}s ({n / secs:.0f}/s, 4 clients)", file=sys.stderr)
    print(max(ids))


def fetch(url, sid, path):
    r = requests.get(f"{url}/schemas/ids/{sid}")
    if r.status_code != 200:
        sys.exit(f"GET /schemas/ids/{sid}: {r.status_code}")
    with open(path, "wb") as f:
        f.write(r.content)
    print(r.headers.get("Content-Type", "application/vnd.schemaregistry.v1+json"))


def record(nfields, extra):
    fields = [{"name": f"field_{i:03d}", "type": ["string", "long", "double", "boolean", "int"][i % 5]}
              for i in range(nfields)]
    fields += [{"name": f"added_{k:02d}", "type": ["null", "string"], "default": None} for k in range(extra)]
    return json.dumps({"type": "record", "name": "Wide", "namespace": "weir.bench", "fields": fields})


def compat(url, nfields="200", nversions="50", nrequests="20"):
    nfields, nversions, nrequests = int(nfields), int(nversions), int(nrequests)
    s = requests.Session()
    subject = f"bench-compat-{int(time.time() * 1000)}"
    r = s.put(f"{url}/config/{subject}", data=json.dumps({"compatibility": "FULL_TRANSITIVE"}), headers=CT)
    assert r.status_code == 200, r.text
    reg_times = []
    for v in range(nversions):
        t0 = time.monotonic()
        r = s.post(f"{url}/subjects/{subject}/versions", data=json.dumps({"schema": record(nfields, v)}), headers=CT)
        reg_times.append(time.monotonic() - t0)
        if r.status_code != 200:
            sys.exit(f"registering version {v + 1}: {r.status_code} {r.text[:300]}")
    vs = s.get(f"{url}/subjects/{subject}/versions").json()
    assert len(vs) == nversions, vs
    candidate = json.dumps({"schema": record(nfields, nversions)})
    times = []
    for _ in range(nrequests):
        t0 = time.monotonic()
        r = s.post(f"{url}/compatibility/subjects/{subject}/versions", data=candidate, headers=CT)
        times.append(time.monotonic() - t0)
        if r.status_code != 200 or r.json().get("is_compatible") is not True:
            sys.exit(f"compatibility check: {r.status_code} {r.text[:300]}")
    times.sort()
    ms = [t * 1000 for t in times]
    print(f"compatibility, {nfields}-field record vs {nversions} versions, FULL_TRANSITIVE, {nrequests} requests: "
          f"mean {statistics.mean(ms):.2f} ms, p50 {ms[len(ms) // 2]:.2f} ms, max {ms[-1]:.2f} ms")
    print(f"registering those {nversions} versions (each checked transitively): "
          f"mean {statistics.mean(reg_times) * 1000:.2f} ms, last {reg_times[-1] * 1000:.2f} ms")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"wait": wait, "register": register, "fetch": fetch, "compat": compat}[cmd](*args)
