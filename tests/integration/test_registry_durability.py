# SPDX-License-Identifier: Apache-2.0
"""Durability of a real `weir registry` across kill -9 and restarts on the same
data dir: every registration that was answered 200 survives with the same id,
version and schema; ids are never reused, not even the highest id after its
only version was hard-deleted; a SIGTERM shutdown exits 0 and loses nothing.
Prints start-up and restart timings. Load is bounded (threads stop at a count
or a deadline) and only ever targets 127.0.0.1."""

import json
import os
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402
from weirtest import avro_record, check, check_error, unique  # noqa: E402

THREADS = 4
PER_THREAD_MAX = 3000
LOAD_SECONDS_MAX = 20.0
KILL_AFTER_SUCCESSES = 400


def schema_for(tag, i):
    return avro_record(f"Dur_{tag}_{i}", [("id", "long"), (f"f_{i}", "string", "")], namespace="weir.durability")


class Loader(threading.Thread):
    """Registers distinct schemas under its own subject until told to stop or
    the server goes away; records every 200 answer."""

    def __init__(self, url, tag, stop):
        super().__init__(daemon=True)
        self.url, self.tag, self.stop = url, tag, stop
        self.subject = f"dur-{tag}"
        self.ok = []  # (subject, schema, id, version or None)
        self.attempted_ids = []
        self.errors = []

    def run(self):
        sess = requests.Session()
        for i in range(PER_THREAD_MAX):
            if self.stop.is_set():
                break
            schema = schema_for(self.tag, i)
            try:
                r = sess.post(f"{self.url}/subjects/{self.subject}/versions", data=json.dumps({"schema": schema}),
                              headers={"Content-Type": wt.CT_V1}, timeout=10)
            except requests.RequestException:
                break  # the server was killed
            if r.status_code != 200:
                self.errors.append((r.status_code, r.text[:200]))
                continue
            body = r.json()
            self.ok.append((self.subject, schema, body["id"], body.get("version")))


def run_load_and_kill(reg):
    stop = threading.Event()
    loaders = [Loader(reg.url, f"{unique('t')}".replace("-", "_"), stop) for _ in range(THREADS)]
    for ld in loaders:
        ld.start()
    t0 = time.monotonic()
    while time.monotonic() - t0 < LOAD_SECONDS_MAX:
        if sum(len(ld.ok) for ld in loaders) >= KILL_AFTER_SUCCESSES:
            break
        if not any(ld.is_alive() for ld in loaders):
            break
        time.sleep(0.01)
    reg.kill9()  # mid-load: requests are in flight on every thread
    killed_at = sum(len(ld.ok) for ld in loaders)
    stop.set()
    for ld in loaders:
        ld.join(timeout=15)
    return loaders, killed_at, time.monotonic() - t0


def verify_present(reg, records):
    """Every acknowledged registration is readable with the same id/version/schema."""
    missing = []
    for subject, schema, sid, version in records:
        r = reg.post(f"/subjects/{subject}", {"schema": schema})
        if r.status_code != 200:
            missing.append((subject, sid, version, r.status_code, r.text[:120]))
            continue
        body = r.json()
        if body["id"] != sid or (version is not None and body["version"] != version):
            missing.append((subject, sid, version, "got", body["id"], body["version"]))
            continue
        byid = reg.get(f"/schemas/ids/{sid}")
        if byid.status_code != 200 or json.loads(byid.json()["schema"]) != json.loads(schema):
            missing.append((subject, sid, "by id", byid.status_code, byid.text[:120]))
    assert not missing, f"{len(missing)} acknowledged registrations lost or changed, e.g. {missing[:5]}"


def test_acknowledged_registrations_survive_kill_9_and_ids_are_never_reused():
    with wt.Registry() as reg:
        print(f"  cold start: {reg.last_start_seconds * 1000:.0f} ms")
        reg.set_compat(None, "NONE")
        # the highest id so far is hard-deleted before the crash
        top_subject = unique("top")
        top_id = reg.register(top_subject, avro_record("Top", [("t", "int")]))["id"]
        check(reg.delete(f"/subjects/{top_subject}"), 200)
        check(reg.delete(f"/subjects/{top_subject}", params={"permanent": "true"}), 200)
        check_error(reg.get(f"/schemas/ids/{top_id}"), 40403)

        loaders, killed_at, secs = run_load_and_kill(reg)
        records = [rec for ld in loaders for rec in ld.ok]
        errors = [e for ld in loaders for e in ld.errors]
        assert not errors, f"registrations failed before the kill: {errors[:5]}"
        assert len(records) >= min(KILL_AFTER_SUCCESSES, 50), f"only {len(records)} registrations succeeded"
        print(f"  load: {len(records)} acknowledged registrations from {THREADS} threads in {secs:.2f}s "
              f"({len(records) / secs:.0f}/s), kill -9 after {killed_at}")
        ids = [r[2] for r in records]
        assert len(set(ids)) == len(ids), "distinct schemas must get distinct ids"
        assert min(ids) > top_id, "an id was reused after the highest one was hard-deleted"
        max_returned = max(ids + [top_id])

        t0 = time.monotonic()
        reg.restart()
        print(f"  restart after kill -9 with {len(records)}+ schemas: {(time.monotonic() - t0) * 1000:.0f} ms "
              f"(process start to first GET / answer: {reg.last_start_seconds * 1000:.0f} ms)")
        verify_present(reg, records)
        for ld in loaders:
            vs = check(reg.get(f"/subjects/{ld.subject}/versions"), 200)
            acked = [r[3] for r in ld.ok if r[3] is not None]
            assert set(acked) <= set(vs), (ld.subject, sorted(set(acked) - set(vs))[:5])
            assert vs == sorted(vs) and len(set(vs)) == len(vs), vs
        check_error(reg.get(f"/schemas/ids/{top_id}"), 40403)

        new_ids = [reg.register(unique("after"), avro_record("After", [("a", "int", i)]))["id"] for i in range(5)]
        assert min(new_ids) > max_returned, f"new ids {new_ids} must exceed every id ever returned ({max_returned})"
        max_returned = max(new_ids)

        # hard-delete the highest id, then crash right away: the id is still never reused
        hs = unique("high")
        high_id = reg.register(hs, avro_record("High", [("h", "int")]))["id"]
        assert high_id > max_returned
        check(reg.delete(f"/subjects/{hs}"), 200)
        check(reg.delete(f"/subjects/{hs}", params={"permanent": "true"}), 200)
        reg.kill9()
        reg.restart()
        again = reg.register(unique("again"), avro_record("Again", [("g", "int")]))["id"]
        assert again > high_id, f"id {again} reuses or precedes the hard-deleted highest id {high_id}"
        # re-registering the hard-deleted schema gets a new id too (its md5->id mapping is gone)
        back = reg.register(hs, avro_record("High", [("h", "int")]))["id"]
        assert back > again, (back, again)
        verify_present(reg, records[:50])


def test_sigterm_shutdown_is_clean_and_keeps_everything():
    with wt.Registry() as reg:
        reg.set_compat(None, "NONE")  # distinct record names in one subject
        s = unique("term")
        recs = []
        for i in range(20):
            schema = schema_for("term", i)
            body = reg.register(s, schema)
            recs.append((s, schema, body["id"], body.get("version")))
        check(reg.put(f"/config/{s}", {"compatibility": "FULL"}), 200)
        check(reg.put(f"/mode/{s}", {"mode": "READONLY"}), 200)
        secs = reg.stop()  # asserts exit code 0
        print(f"  SIGTERM shutdown: {secs * 1000:.0f} ms")
        reg.start()
        print(f"  restart after SIGTERM: {reg.last_start_seconds * 1000:.0f} ms")
        verify_present(reg, recs)
        assert check(reg.get(f"/config/{s}"), 200)["compatibilityLevel"] == "FULL"
        assert check(reg.get(f"/mode/{s}"), 200) == {"mode": "READONLY"}
        assert check(reg.get(f"/subjects/{s}/versions"), 200) == list(range(1, 21))


def test_deletes_and_config_survive_kill_9():
    with wt.Registry() as reg:
        reg.set_compat(None, "NONE")  # distinct record names in one subject
        s = unique("del")
        reg.register(s, schema_for("del", 0))
        reg.register(s, schema_for("del", 1))
        reg.register(s, schema_for("del", 2))
        check(reg.delete(f"/subjects/{s}/versions/3"), 200)
        check(reg.delete(f"/subjects/{s}/versions/3", params={"permanent": "true"}), 200)
        check(reg.delete(f"/subjects/{s}/versions/1"), 200)
        check(reg.put(f"/config/{s}", {"compatibility": "FORWARD"}), 200)
        reg.kill9()
        reg.restart()
        assert check(reg.get(f"/subjects/{s}/versions"), 200) == [2]
        assert check(reg.get(f"/subjects/{s}/versions", params={"deleted": "true"}), 200) == [1, 2]
        check_error(reg.get(f"/subjects/{s}/versions/3", params={"deleted": "true"}), 40402)
        assert check(reg.get(f"/config/{s}"), 200)["compatibilityLevel"] == "FORWARD"
        # the freed number 3 is handed out again, 1 (soft-deleted) is not
        check(reg.put(f"/config/{s}", {"compatibility": "NONE"}), 200)
        reg.register(s, schema_for("del", 9))
        assert check(reg.get(f"/subjects/{s}/versions"), 200) == [2, 3]


if __name__ == "__main__":
    wt.run_tests(globals())
