# SPDX-License-Identifier: Apache-2.0
"""Hostile and malformed input against a real `weir registry`: malformed JSON,
invalid schemas, oversized bodies and schemas, deep nesting, bad versions,
unknown subjects and ids, and request smuggling (Transfer-Encoding together
with Content-Length). Each answer must be the right 4xx with a Confluent error
body, never a 500, and the server must stay up throughout (checked after every
test and by a clean SIGTERM exit at the end)."""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402
from weirtest import avro_record, check, check_error, unique  # noqa: E402

REG = None
A = avro_record("bad", [("f1", "string")])


def setup_module():
    global REG
    REG = wt.Registry().start()


def teardown_module():
    wt.stop_server(REG)


def assert_alive():
    assert REG.alive(), "weir registry died:\n" + REG.log_tail()
    check(REG.get("/"), 200)


def assert_4xx(r, allowed=None):
    """A client error with a Confluent error body; never 5xx."""
    try:
        body = r.json()
    except ValueError:
        body = r.text
    assert 400 <= r.status_code < 500, f"expected 4xx, got {r.status_code}: {body!r}"
    if allowed is not None:
        assert r.status_code in allowed, f"expected one of {allowed}, got {r.status_code}: {body!r}"
    assert isinstance(body, dict) and isinstance(body.get("error_code"), int) and "message" in body, body
    assert str(body["error_code"]).startswith(str(r.status_code)), body
    return body


def post_raw(path, raw, ct=wt.CT_V1):
    return REG.post(path, raw=raw, headers={"Content-Type": ct})


def test_malformed_json_bodies_answer_400():
    s = unique()
    for raw in ('{"schema": ', "not json at all", '{"schema": "x",}', "[1,2", '{"schema": "\\ud800"', "\x00\x01\x02"):
        r = post_raw(f"/subjects/{s}/versions", raw)
        check(r, 400, 400)
        r = post_raw(f"/subjects/{s}", raw)
        check(r, 400, 400)
        r = post_raw(f"/compatibility/subjects/{s}/versions", raw)
        check(r, 400, 400)
    check(REG.request("PUT", "/config", raw="{oops", headers={"Content-Type": wt.CT_V1}), 400, 400)
    check(REG.request("PUT", "/mode", raw="{oops", headers={"Content-Type": wt.CT_V1}), 400, 400)
    assert_alive()


def test_wrong_json_types_in_body_are_client_errors():
    s = unique()
    for body in ([], "a string", 42, {"schema": 42}, {"schema": None}, {"schema": A, "references": "nope"},
                 {"schema": A, "version": "two"}, {"schema": A, "schemaType": 7}):
        assert_4xx(REG.post(f"/subjects/{s}/versions", body))
    for body in ([], {"compatibility": 3}, "FULL"):
        assert_4xx(REG.put(f"/config/{s}", body))
    for body in ([], {"mode": 3}):
        assert_4xx(REG.put(f"/mode/{s}", body))
    assert_alive()


def test_missing_or_empty_schema_is_rejected():
    s = unique()
    assert_4xx(REG.post(f"/subjects/{s}/versions", {}), allowed=(422,))
    assert_4xx(REG.post(f"/subjects/{s}/versions", {"schema": ""}), allowed=(422,))
    assert_4xx(REG.post(f"/subjects/{s}/versions", raw=b"", headers={"Content-Type": wt.CT_V1}))
    assert_alive()


def test_invalid_avro_schemas_answer_42201():
    s = unique()
    invalid = [
        "{not json",
        '{"type":"record","name":"x"}',                                              # no fields
        '{"type":"record","fields":[]}',                                             # no name
        '{"type":"nosuchtype"}',
        '"nosuchtype"',
        '{"type":"enum","name":"e","symbols":["A","A"]}',                            # duplicate symbol
        '{"type":"fixed","name":"f"}',                                               # no size
        '{"type":"array"}',                                                          # no items
        '["int","int"]',                                                             # duplicate union branch
        '{"type":"record","name":"r","fields":[{"name":"a","type":"int","default":"x"}]}',
        '{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}',
        '{"type":"record","name":"1bad","fields":[]}',                               # invalid name
        "42",
    ]
    for schema in invalid:
        r = REG.post(f"/subjects/{s}/versions", {"schema": schema})
        body = assert_4xx(r)
        assert body["error_code"] == 42201, (schema, body)
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": A, "schemaType": "YAML"}), 42201)
    check_error(REG.get(f"/subjects/{s}/versions"), 40401)
    assert_alive()


def test_invalid_schema_on_lookup_and_compatibility():
    s = unique()
    REG.register(s, A)
    check_error(REG.post(f"/subjects/{s}", {"schema": "{nope"}), 42201)
    check_error(REG.post(f"/compatibility/subjects/{s}/versions/latest", {"schema": "{nope"}), 42201)
    assert_alive()


def send_until_answered(payload, timeout=30.0):
    """Sends payload in pieces, stopping as soon as the server answers (a server
    that rejects on Content-Length answers early and may reset the connection
    if we keep writing), then reads the whole answer."""
    import select

    resp = b""
    with socket.create_connection(("127.0.0.1", REG.port), timeout=timeout) as sock:
        view = memoryview(payload)
        sent = 0
        try:
            while sent < len(view):
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break
                sent += sock.send(view[sent:sent + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                resp += data
        except (socket.timeout, ConnectionResetError):
            pass
    return resp


def test_huge_body_answers_413_and_oversized_schema_42209():
    s = unique()
    # 17 MiB: above the default 16 MiB request limit. The server may answer
    # 413 as soon as it sees Content-Length and close before reading the body,
    # so send on a raw socket and read the answer whatever happens to the send.
    body = b'{"schema":"' + b"a" * (17 * 1024 * 1024) + b'"}'
    head = (
        b"POST /subjects/" + s.encode() + b"/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/vnd.schemaregistry.v1+json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
    )
    resp = send_until_answered(head + body)
    assert resp, "no answer to a 17 MiB body"
    status = status_of(resp)
    assert status in (413, 422), resp[:300]
    if status == 422:
        assert b"42209" in resp, resp[:300]
    check_error(REG.get(f"/subjects/{s}/versions"), 40401)
    # a valid schema just over the 1 MiB schema limit but well under the body limit
    fields = [{"name": f"f{i:06d}", "type": "string", "doc": "x" * 40} for i in range(20000)]
    big = json.dumps({"type": "record", "name": "big", "fields": fields})
    assert 1024 * 1024 < len(big) < 4 * 1024 * 1024
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": big}), 42209)
    assert_alive()


def test_deeply_nested_json_body_is_a_client_error():
    s = unique()
    for depth in (1000, 100000):
        raw = "[" * depth + "]" * depth
        assert_4xx(post_raw(f"/subjects/{s}/versions", raw))
        raw = '{"schema":' + '{"a":' * depth + "1" + "}" * depth + "}"
        assert_4xx(post_raw(f"/subjects/{s}/versions", raw))
    assert_alive()


def test_deeply_nested_avro_schema_does_not_crash():
    s = unique()
    for depth in (200, 5000, 50000):
        schema = '{"type":"array","items":' * depth + '"int"' + "}" * depth
        r = REG.post(f"/subjects/{s}/versions", {"schema": schema})
        assert r.status_code < 500, (depth, r.status_code, r.text[:200])
        inner = '"int"'
        for i in range(min(depth, 5000)):
            inner = '{"type":"record","name":"r%d","fields":[{"name":"f","type":%s}]}' % (i, inner)
        r = REG.post(f"/subjects/{unique()}/versions", {"schema": inner})
        assert r.status_code < 500, (depth, r.status_code, r.text[:200])
        assert_alive()


def test_deeply_nested_schema_in_compatibility_check_does_not_crash():
    s = unique()
    REG.register(s, '{"type":"array","items":"int"}')
    REG.set_compat(s, "FULL_TRANSITIVE")
    schema = '{"type":"array","items":' * 20000 + '"int"' + "}" * 20000
    r = REG.post(f"/compatibility/subjects/{s}/versions", {"schema": schema}, params={"verbose": "true"})
    assert r.status_code < 500, (r.status_code, r.text[:200])
    assert_alive()


def test_bad_versions_answer_42202():
    s = unique()
    REG.register(s, A)
    for bad in ("0", "-5", "x", "99999999999999999999", "%20", "1e3", "latest2"):
        check_error(REG.get(f"/subjects/{s}/versions/{bad}"), 42202)
        check_error(REG.delete(f"/subjects/{s}/versions/{bad}"), 42202)
    assert_alive()


def test_unknown_subjects_and_ids():
    check_error(REG.get(f"/subjects/{unique()}/versions"), 40401)
    check_error(REG.get(f"/subjects/{unique()}/versions/latest"), 40401)
    check_error(REG.post(f"/subjects/{unique()}", {"schema": A}), 40401)
    check_error(REG.delete(f"/subjects/{unique()}"), 40401)
    for bad_id in ("2147483647", "999999999"):
        check_error(REG.get(f"/schemas/ids/{bad_id}"), 40403)
    for bad_id in ("0", "-1", "abc", "99999999999999999999999"):
        r = REG.get(f"/schemas/ids/{bad_id}")
        assert_4xx(r)
    assert_alive()


def test_control_characters_and_reserved_names_in_subject_answer_42208():
    for s in ("tab%09subject", "nl%0Asubject", "cr%0Dx", "del%7Fx", "__GLOBAL", "__EMPTY"):
        check_error(REG.post(f"/subjects/{s}/versions", {"schema": A}), 42208)
    # NUL is a control character like the others (Confluent answers 42208), and
    # reads of such a subject find nothing. (Malformed escapes, still 400, are
    # covered by the unit tests: requests re-encodes a bare '%'.)
    check_error(REG.post("/subjects/bad%00subject/versions", {"schema": A}), 42208)
    check_error(REG.get("/subjects/bad%00subject/versions"), 40401)
    r = REG.post("/subjects/%FF%FE/versions", {"schema": A})  # not UTF-8: accept or reject, never crash
    assert r.status_code < 500, (r.status_code, r.text)
    assert_alive()


def test_bad_query_parameters_are_tolerated_or_rejected_cleanly():
    s = unique()
    REG.register(s, A)
    for params in ({"deleted": "maybe"}, {"offset": "-1", "limit": "abc"}, {"offset": "99999999999999999999"}):
        r = REG.get(f"/subjects/{s}/versions", params=params)
        assert r.status_code < 500, (params, r.status_code, r.text)
    assert_alive()


def raw_http(payload, timeout=5.0):
    """Sends raw bytes on a fresh connection and returns everything read."""
    with socket.create_connection(("127.0.0.1", REG.port), timeout=timeout) as sock:
        sock.sendall(payload)
        chunks = []
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except socket.timeout:
            pass
    return b"".join(chunks)


def status_of(resp):
    line = resp.split(b"\r\n", 1)[0]
    parts = line.split()
    assert len(parts) >= 2 and parts[0].startswith(b"HTTP/1."), resp[:200]
    return int(parts[1])


def test_chunked_together_with_content_length_is_rejected_with_400():
    s = unique()
    body = json.dumps({"schema": A}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    req = (
        b"POST /subjects/" + s.encode() + b"/versions HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\n"
        b"Content-Type: application/vnd.schemaregistry.v1+json\r\n"
        b"Transfer-Encoding: chunked\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n"
        b"Connection: close\r\n\r\n" + chunked
    )
    resp = raw_http(req)
    assert status_of(resp) == 400, resp[:300]
    # nothing was registered by the ambiguous request
    check_error(REG.get(f"/subjects/{s}/versions"), 40401)
    # the server is still alive and serves a normal request afterwards
    assert_alive()
    assert REG.register(s, A)["id"] > 0


def test_garbage_request_lines_do_not_kill_the_server():
    for payload in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,  # TLS ClientHello start
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /subjects/x/versions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"schema\"",  # truncated
    ):
        try:
            resp = raw_http(payload, timeout=3.0)
            if resp:
                assert status_of(resp) < 500 or status_of(resp) == 505, resp[:200]
        except (ConnectionResetError, BrokenPipeError):
            pass
        assert_alive()


if __name__ == "__main__":
    wt.run_tests(globals())
