# SPDX-License-Identifier: Apache-2.0
"""`weir schema`, the Schema Registry command-line client, against a real
`weir registry`: every subcommand is run as a subprocess and its effect is
checked independently with HTTP requests to the registry (register, get,
list, check, delete soft and permanent, config), plus the exit-status
contract: 3 not found, 4 incompatible, 2 bad command line (decided before any
request: those cases point at a closed port), 1 unreachable registry."""

import json
import os
import subprocess
import tempfile
import time

from weirtest import (Registry, avro_record, check, check_error, free_port, quote, run_tests, stop_server,
                      unique, weir_bin)

REG = None

V1 = avro_record("Order", [("id", "long")], namespace="com.example")
V2 = avro_record("Order", [("id", "long"), ("note", "string", "")], namespace="com.example")
V3 = avro_record("Order", [("id", "long"), ("note", "string", ""), ("qty", "int", 0)], namespace="com.example")
# A new required field: BACKWARD-incompatible with V1 (new schema cannot read old data).
V_BAD = avro_record("Order", [("id", "long"), ("amount", "double")], namespace="com.example")


def setup_module():
    global REG
    REG = Registry().start()


def teardown_module():
    stop_server(REG)


def run(*args, url=None, stdin=None, timeout=30):
    """Runs `weir schema ARGS --schema-registry-url URL`; returns the CompletedProcess."""
    cmd = [weir_bin(), "schema", *args, "--schema-registry-url", url or REG.url]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)


def ok(*args, **kw):
    p = run(*args, **kw)
    assert p.returncode == 0, f"weir schema {' '.join(args)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p


def closed_url():
    return f"http://127.0.0.1:{free_port()}"


def latest(subject):
    return check(REG.get(f"/subjects/{quote(subject)}/versions/latest"), 200)


def versions(subject, deleted=False):
    r = REG.get(f"/subjects/{quote(subject)}/versions", params={"deleted": "true"} if deleted else None)
    return r.json() if r.status_code == 200 else r.status_code


# -- register ---------------------------------------------------------------
def test_register_prints_the_id_the_registry_stored():
    s = unique("orders")
    p = ok("register", s, "--schema", V1)
    got = latest(s)
    assert p.stdout == f"{got['id']}\n", p.stdout
    assert f"registered {s}: id {got['id']} version 1" in p.stderr, p.stderr
    assert json.loads(got["schema"]) == json.loads(V1)


def test_register_same_schema_again_gives_the_same_id_and_no_new_version():
    s = unique("orders")
    first = ok("register", s, "--schema", V1).stdout
    again = ok("register", s, "--schema", V1).stdout
    assert first == again
    assert versions(s) == [1]


def test_register_reads_the_schema_from_a_file_and_from_stdin():
    s = unique("orders")
    with tempfile.NamedTemporaryFile("w", suffix=".avsc", delete=False) as f:
        f.write(V1)
    try:
        id1 = int(ok("register", s, "--schema-file", f.name).stdout)
    finally:
        os.unlink(f.name)
    id2 = int(ok("register", "--subject", s, "--schema-file", "-", stdin=V2).stdout)
    assert id1 != id2
    assert check(REG.get(f"/subjects/{quote(s)}/versions/1"), 200)["id"] == id1
    assert check(REG.get(f"/subjects/{quote(s)}/versions/2"), 200)["id"] == id2


def test_register_sends_references():
    money_subject, order_subject = unique("money"), unique("order")
    money = avro_record("Money", [("units", "long")], namespace="com.pay")
    REG.register(money_subject, money)
    order = avro_record("Order", [("total", "com.pay.Money")])
    ok("register", order_subject, "--schema", order, "--reference", f"com.pay.Money={money_subject}:latest")
    assert latest(order_subject)["references"] == [{"name": "com.pay.Money", "subject": money_subject, "version": 1}]


def test_register_incompatible_schema_exits_4_with_the_registrys_message():
    s = unique("orders")
    ok("register", s, "--schema", V1)
    p = run("register", s, "--schema", V_BAD)
    assert p.returncode == 4, (p.returncode, p.stderr)
    assert p.stdout == ""
    assert "409" in p.stderr and "incompatible" in p.stderr and "READER_FIELD_MISSING_DEFAULT_VALUE" in p.stderr
    assert versions(s) == [1]


def test_register_invalid_schema_exits_1_with_error_code_42201():
    s = unique("orders")
    p = run("register", s, "--schema", '{"type": "record", "name": ')
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "42201" in p.stderr, p.stderr
    assert versions(s) == 404


def test_protobuf_register_with_a_reference_then_check_and_get():
    money_subject, order_subject = unique("common") + "/money.proto", unique("order")
    money = 'syntax = "proto3";\npackage pay;\n\nmessage Money {\n  int64 units = 1;\n}\n'
    ok("register", money_subject, "--schema-type", "PROTOBUF", "--schema", money)
    order = ('syntax = "proto3";\nimport "common/money.proto";\nimport "google/protobuf/timestamp.proto";\n'
             'message Order {\n  pay.Money total = 1;\n  google.protobuf.Timestamp at = 2;\n}\n')
    p = ok("register", order_subject, "--schema-type", "PROTOBUF", "--schema", order,
           "--reference", f"common/money.proto={money_subject}:latest")
    got = latest(order_subject)
    assert p.stdout.strip() == str(got["id"]), (p.stdout, got)
    assert got["schemaType"] == "PROTOBUF" and "pay.Money total = 1;" in got["schema"], got
    assert got["references"] == [{"name": "common/money.proto", "subject": money_subject, "version": 1}], got
    REG.set_compat(order_subject, "BACKWARD")
    bad = order.replace("pay.Money total = 1;", "string total = 1;")
    p = run("check", order_subject, "--schema-type", "PROTOBUF", "--schema", bad,
            "--reference", f"common/money.proto={money_subject}:1")
    assert p.returncode == 4 and p.stdout == "incompatible\n", (p.returncode, p.stdout, p.stderr)
    assert "FIELD_KIND_CHANGED" in p.stderr, p.stderr
    p = ok("get", order_subject)
    assert "pay.Money total = 1;" in p.stdout and not p.stdout.lstrip().startswith("{"), p.stdout


# -- get ----------------------------------------------------------------------
def test_get_prints_the_schema_of_latest_a_version_and_an_id():
    s = unique("orders")
    id1 = REG.register(s, V1)["id"]
    REG.register(s, V2)
    assert json.loads(ok("get", s).stdout) == json.loads(V2)
    assert json.loads(ok("get", s, "--version", "latest").stdout) == json.loads(V2)
    assert json.loads(ok("get", s, "--version", "1").stdout) == json.loads(V1)
    p = ok("get", "--id", str(id1))
    assert json.loads(p.stdout) == json.loads(V1)
    assert json.loads(p.stdout) == json.loads(check(REG.get(f"/schemas/ids/{id1}"), 200)["schema"])


def test_get_pretty_prints_avro():
    s = unique("orders")
    REG.register(s, V1)
    out = ok("get", s).stdout
    assert "\n  \"type\": \"record\"" in out, out


def test_get_deleted_finds_a_soft_deleted_version():
    s = unique("orders")
    REG.register(s, V1)
    REG.register(s, V2)
    check(REG.delete(f"/subjects/{quote(s)}/versions/1"), 200)
    assert run("get", s, "--version", "1").returncode == 3
    assert json.loads(ok("get", s, "--version", "1", "--deleted").stdout) == json.loads(V1)


# -- list -----------------------------------------------------------------------
def test_list_prints_subjects_and_a_subjects_versions():
    a, b = unique("list-a"), unique("list-b")
    REG.register(a, V1)
    REG.register(b, V1)
    REG.register(b, V2)
    subjects = ok("list").stdout.splitlines()
    assert subjects == check(REG.get("/subjects"), 200)
    assert a in subjects and b in subjects
    assert ok("list", b).stdout == "1\n2\n"


def test_list_deleted_includes_soft_deleted_subjects_and_versions():
    s = unique("gone")
    REG.register(s, V1)
    check(REG.delete(f"/subjects/{quote(s)}"), 200)
    assert s not in ok("list").stdout.splitlines()
    assert s in ok("list", "--deleted").stdout.splitlines()
    assert ok("list", s, "--deleted").stdout == "1\n"


# -- check -------------------------------------------------------------------------
def test_check_compatible_schema_prints_compatible_and_exits_0():
    s = unique("orders")
    REG.register(s, V1)
    p = ok("check", s, "--schema", V2)
    assert p.stdout == "compatible\n"
    assert versions(s) == [1]  # check never registers


def test_check_incompatible_under_backward_exits_4_with_the_reason():
    s = unique("orders")
    REG.register(s, V1)
    REG.set_compat(s, "BACKWARD")
    p = run("check", s, "--schema", V_BAD)
    assert p.returncode == 4, (p.returncode, p.stderr)
    assert p.stdout == "incompatible\n"
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in p.stderr, p.stderr
    r = REG.post(f"/compatibility/subjects/{quote(s)}/versions/latest", {"schema": V_BAD})
    assert check(r, 200)["is_compatible"] is False


def test_check_against_a_version_number():
    s = unique("orders")
    REG.register(s, V1)
    REG.register(s, V2)
    REG.set_compat(s, "FORWARD")
    # FORWARD: version 2 (V2) must read data written with V3, which only adds a field.
    assert ok("check", s, "--schema", V3, "--version", "2").stdout == "compatible\n"
    assert run("check", s, "--schema", V3, "--version", "7").returncode == 3


def test_check_against_a_subject_without_versions_agrees_with_the_registry():
    s = unique("empty")
    verdict = check(REG.post(f"/compatibility/subjects/{quote(s)}/versions/latest", {"schema": V_BAD}), 200)
    p = run("check", s, "--schema", V_BAD)
    assert verdict["is_compatible"] is True
    assert (p.returncode, p.stdout) == (0, "compatible\n"), (p.returncode, p.stdout, p.stderr)


# -- config ---------------------------------------------------------------------------
def test_config_prints_and_sets_the_compatibility_level():
    s = unique("cfg")
    REG.register(s, V1)
    assert ok("config").stdout.strip() == check(REG.get("/config"), 200)["compatibilityLevel"]
    assert ok("config", s).stdout.strip() == check(REG.get("/config"), 200)["compatibilityLevel"]
    assert ok("config", s, "--compatibility", "full_transitive").stdout == "FULL_TRANSITIVE\n"
    assert check(REG.get(f"/config/{quote(s)}"), 200)["compatibilityLevel"] == "FULL_TRANSITIVE"
    assert ok("config", s).stdout == "FULL_TRANSITIVE\n"


def test_config_rejects_a_bad_level_before_any_request():
    p = run("config", "--compatibility", "sideways", url=closed_url())
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "sideways" in p.stderr


# -- delete -------------------------------------------------------------------------------
def test_delete_version_soft_deletes_it():
    s = unique("del")
    REG.register(s, V1)
    REG.register(s, V2)
    assert ok("delete", s, "--version", "1").stdout == "1\n"
    assert versions(s) == [2]
    assert versions(s, deleted=True) == [1, 2]


def test_delete_subject_soft_then_permanent():
    s = unique("del")
    REG.register(s, V1)
    REG.register(s, V2)
    assert ok("delete", s).stdout == "1\n2\n"
    assert s not in check(REG.get("/subjects"), 200)
    assert s in check(REG.get("/subjects", params={"deleted": "true"}), 200)
    assert ok("delete", s, "--permanent").stdout == "1\n2\n"
    assert s not in check(REG.get("/subjects", params={"deleted": "true"}), 200)
    assert versions(s, deleted=True) == 404


def test_delete_permanent_of_a_live_subject_soft_deletes_first():
    s = unique("del")
    REG.register(s, V1)
    assert ok("delete", s, "--permanent").stdout == "1\n"
    check_error(REG.get(f"/subjects/{quote(s)}/versions", params={"deleted": "true"}), 40401)


def test_delete_permanent_latest_removes_that_version_only():
    s = unique("del")
    for v in (V1, V2, V3):
        REG.register(s, v)
    assert ok("delete", s, "--version", "latest", "--permanent").stdout == "3\n"
    assert versions(s, deleted=True) == [1, 2]


# -- exit statuses ------------------------------------------------------------------------------
def test_not_found_cases_exit_3_with_the_error_code():
    s = unique("nf")
    REG.register(s, V1)
    cases = [
        (("get", unique("missing")), "40401"),
        (("get", s, "--version", "9"), "40402"),
        (("get", "--id", "2147483000"), "40403"),
        (("list", unique("missing")), "40401"),
        (("delete", unique("missing")), "40401"),
        (("delete", s, "--version", "9"), "40402"),
    ]
    for args, code in cases:
        p = run(*args)
        assert p.returncode == 3, (args, p.returncode, p.stderr)
        assert code in p.stderr, (args, p.stderr)
        assert p.stdout == "", (args, p.stdout)


def test_unreachable_registry_exits_1_fast_naming_the_url():
    url = closed_url()
    t0 = time.monotonic()
    p = run("list", url=url, timeout=20)
    elapsed = time.monotonic() - t0
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert url in p.stderr, p.stderr
    assert elapsed < 5, elapsed


def test_usage_errors_exit_2_without_a_request():
    url = closed_url()  # a request would exit 1, not 2
    cases = [
        ("frobnicate", "s"),
        ("register", "s"),                                      # no schema
        ("register", "s", "--schema", V1, "--schema-file", "x"),  # both
        ("register", "--schema", V1),                            # no subject
        ("register", "s", "--schema", V1, "--schema-type", "XML"),
        ("register", "s", "--schema", V1, "--reference", "no-version"),
        ("get",),
        ("get", "s", "--id", "3"),
        ("get", "s", "--version", "0"),
        ("get", "s", "--subject", "t"),
        ("list", "--version", "1"),
        ("check", "s", "--schema", V1, "--permanent"),
        ("register", "s", "--schema-file", "/nonexistent/schema.avsc"),
    ]
    for args in cases:
        p = run(*args, url=url)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert p.stderr.startswith("weir schema: "), (args, p.stderr)


def test_a_schema_file_over_16_mib_is_refused():
    with tempfile.NamedTemporaryFile("w", suffix=".avsc") as f:
        f.write(" " * (16 * 1024 * 1024 + 1))
        f.flush()
        p = run("register", "s", "--schema-file", f.name, url=closed_url())
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "larger than" in p.stderr, p.stderr


def test_help_lists_subcommands_options_and_exit_statuses():
    p = subprocess.run([weir_bin(), "schema", "--help"], capture_output=True, text=True, timeout=10)
    assert p.returncode == 0
    for word in ("register", "get", "list", "check", "delete", "config", "--schema-registry-url",
                 "--compatibility", "exit status", "examples"):
        assert word in p.stdout, word


# -- subject names ------------------------------------------------------------------------------
def test_a_subject_with_slash_colon_and_spaces_round_trips():
    s = f"team a/orders: {unique('v')}"
    sid = int(ok("register", s, "--schema", V1).stdout)
    assert latest(s)["id"] == sid
    assert s in ok("list").stdout.splitlines()
    assert json.loads(ok("get", s).stdout) == json.loads(V1)
    assert ok("list", s).stdout == "1\n"
    assert ok("delete", s).stdout == "1\n"
    assert versions(s) == 404


def test_a_subject_of_dots_only_is_not_a_dot_segment():
    s = ".."
    sid = int(ok("register", s, "--schema", V1).stdout)
    assert check(REG.get("/subjects/%2E%2E/versions/latest"), 200)["id"] == sid
    assert ".." in check(REG.get("/subjects"), 200)


if __name__ == "__main__":
    run_tests(globals())
