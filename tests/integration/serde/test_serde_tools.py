# SPDX-License-Identifier: Apache-2.0
"""`weir produce` and `weir consume` (the kafka-avro-console-producer and
-consumer of weir) against a real `weir start` (broker and registry in one
process): Avro records with nested records, unions, enums, arrays, maps,
bytes and logical types go through produce and come back out of consume as
the same JSON; keys with parse.key, schemas from a file and by registered
id, json and string formats, null.marker tombstones, committed offsets with
--group. The wire bytes are checked with kcat against the id the registry
gives for the subject. Failures: a bad JSON line (its number and serde's
message), an incompatible schema (the registry's message), an unreachable
registry or broker exit 1; bad flags exit 2.

Run with /usr/bin/python3 (Debian's python3-requests); needs kcat.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # weirtest
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "broker"))  # brokertest (kcat)

from brokertest import KCAT, unique_topic  # noqa: E402
from weirtest import Platform, check, free_port, quote, run_tests, stop_server, weir_bin  # noqa: E402

P = None

ORDER_SCHEMA = {
    "type": "record", "name": "Order", "namespace": "com.example.weir",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
            {"name": "name", "type": "string"},
            {"name": "email", "type": ["null", "string"], "default": None}]}},
        {"name": "note", "type": ["null", "string"], "default": None},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "attrs", "type": {"type": "map", "values": "long"}},
        {"name": "blob", "type": "bytes"},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "ratio", "type": "double"},
        {"name": "score", "type": "float"},
        {"name": "ok", "type": "boolean"},
    ],
}

SMALL_SCHEMA = {"type": "record", "name": "Small", "namespace": "com.example.weir",
                "fields": [{"name": "quantity", "type": "long"}, {"name": "s", "type": "string"}]}


def order(i):
    """Record i of ORDER_SCHEMA in Avro's JSON encoding; covers int64 limits,
    both union branches, non-ASCII text, every byte value, exact floats."""
    return {
        "id": [2**63 - 1, -2**63, 0][i] if i < 3 else (1 if i % 2 else -1) * i * 7919 * 2**40,
        "customer": {"name": f"customer {i} Zoë ☕ 𝄞",
                     "email": None if i % 3 == 0 else {"string": f"c{i}@example.com"}},
        "note": None if i % 2 else {"string": f'note "{i}"\n\ttab \\ slash'},
        "status": ["NEW", "PAID", "SHIPPED"][i % 3],
        "tags": [f"t{j}" for j in range(i % 4)],
        "attrs": {f"k{j}": j * i - 5 for j in range(i % 3)},
        "blob": "".join(chr((i * 7 + j) % 256) for j in range(1 + i % 9)),
        "amount": "\u0001\u00e2",
        "day": 19000 + i,
        "ts": 1700000000000 + i,
        "uid": str(uuid.UUID(int=i)),
        "ratio": i / 3.0,
        "score": i * 0.25 - 10,
        "ok": i % 2 == 0,
    }


def setup_module():
    global P
    P = Platform().start()


def teardown_module():
    stop_server(P, if_alive=True)


# -- running the tools ---------------------------------------------------------
def run(args, stdin=b"", timeout=180):
    r = subprocess.run([weir_bin(), *args], input=stdin, capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8", "replace")


def produce(topic, lines, *props, registry=None, bootstrap=None, extra=()):
    args = ["produce", "--bootstrap-server", bootstrap or P.bootstrap, "--topic", topic,
            "--property", f"schema.registry.url={registry or P.url}"]
    for p in props:
        args += ["--property", p]
    return run(args + list(extra), "".join(line + "\n" for line in lines).encode("utf-8"))


def produce_ok(topic, lines, *props, extra=()):
    rc, _, err = produce(topic, lines, *props, extra=extra)
    assert rc == 0, f"weir produce exited {rc}:\n{err}"
    assert f"produced {len(lines)} records to {topic}, 0 failed" in err, err
    return err


def consume(topic, n, *props, timeout_ms=20000, extra=()):
    args = ["consume", "--bootstrap-server", P.bootstrap, "--topic", topic, "--from-beginning",
            "--max-messages", str(n), "--timeout-ms", str(timeout_ms), "--property", f"schema.registry.url={P.url}"]
    for p in props:
        args += ["--property", p]
    return run(args + list(extra))


def consume_lines(topic, n, *props, extra=()):
    rc, out, err = consume(topic, n, *props, extra=extra)
    assert rc == 0, f"weir consume exited {rc}:\n{err}"
    lines = out.split("\n")
    assert lines[-1] == "", f"output does not end in a newline: {out!r}"
    assert len(lines) - 1 == n, f"expected {n} lines, got {len(lines) - 1}:\n{out}\n{err}"
    assert f"consumed {n} records from {topic}" in err, err
    return lines[:-1]


def kcat_values(topic, n):
    """The first n raw values of partition 0 (each read alone: values are binary)."""
    out = []
    for offset in range(n):
        r = subprocess.run([KCAT, "-b", P.bootstrap, "-C", "-t", topic, "-p", "0", "-o", str(offset), "-c", "1",
                            "-e", "-q", "-f", "%s"], capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr.decode()
        out.append(r.stdout)
    return out


def latest_id(subject):
    r = P.get(f"/subjects/{quote(subject)}/versions/latest")
    return check(r, 200)["id"]


def lines_of(records):
    # half with raw UTF-8, half with \\u escapes: both are the same JSON
    return [json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(records)]


# -- round trips -----------------------------------------------------------------
def test_avro_records_with_every_type_come_back_from_consume_as_the_same_json():
    topic = unique_topic("orders")
    records = [order(i) for i in range(200)]
    produce_ok(topic, lines_of(records), "value.schema=" + json.dumps(ORDER_SCHEMA))
    got = [json.loads(line) for line in consume_lines(topic, len(records))]
    for i, (want, have) in enumerate(zip(records, got)):
        assert have == want, f"record {i}: produced {want!r}, consumed {have!r}"
    # every record carries 0x00 + the id the registry holds for <topic>-value
    schema_id = latest_id(f"{topic}-value")
    for raw in kcat_values(topic, 3):
        assert raw[0] == 0 and int.from_bytes(raw[1:5], "big") == schema_id, raw[:5]


def test_wire_bytes_are_magic_byte_registry_id_and_avro_binary():
    topic = unique_topic("wire")
    produce_ok(topic, ['{"quantity": 1, "s": "hi"}', '{"quantity": -65, "s": ""}'],
               "value.schema=" + json.dumps(SMALL_SCHEMA))
    schema_id = latest_id(f"{topic}-value")
    prefix = b"\x00" + schema_id.to_bytes(4, "big")
    assert kcat_values(topic, 2) == [prefix + b"\x02\x04hi", prefix + b"\x81\x01\x00"]
    assert json.loads(check(P.get(f"/subjects/{topic}-value/versions/latest"), 200)["schema"]) == SMALL_SCHEMA


PROTO = """syntax = "proto3";
package tools.v1;

import "google/protobuf/timestamp.proto";

message Reading {
  string sensor = 1;
  int64 count = 2;
  map<string, double> values = 3;
  message Note {
    string text = 1;
  }
  repeated Note notes = 4;
  google.protobuf.Timestamp at = 5;
}
"""


def test_protobuf_values_round_trip_as_proto3_json_with_exact_wire_bytes():
    topic = unique_topic("pb")
    records = [{"sensor": f"s{i}", "count": str(2**40 + i), "values": {"t": 1.5}, "notes": [{"text": "ok"}],
                "at": "2026-01-01T00:00:00Z"} for i in range(5)]
    produce_ok(topic, [json.dumps(r) for r in records], "value.format=protobuf", "value.schema=" + PROTO)
    got = [json.loads(line) for line in consume_lines(topic, len(records), "value.format=protobuf")]
    assert got == records, got
    latest = check(P.get(f"/subjects/{topic}-value/versions/latest"), 200)
    assert latest["schemaType"] == "PROTOBUF", latest
    # 0x00, the id, message index [0] as one zero byte, then field 1 (tag 0x0a) "s0"
    raw = kcat_values(topic, 1)[0]
    assert raw[:7] == b"\x00" + latest["id"].to_bytes(4, "big") + b"\x00\x0a", raw[:8]
    assert raw[7:10] == b"\x02s0", raw[:12]
    # the nested message by name: after the map field, its path is [0, 1] (the map entry is [0, 0])
    topic2 = unique_topic("pb-note")
    produce_ok(topic2, ['{"text": "hello"}'], "value.format=protobuf", "value.schema=" + PROTO,
               "value.message=tools.v1.Reading.Note", "value.subject.name.strategy=RecordNameStrategy")
    raw = kcat_values(topic2, 1)[0]
    assert raw[5:8] == b"\x04\x00\x02" and raw[8:] == b"\x0a\x05hello", raw
    assert [json.loads(x) for x in consume_lines(topic2, 1, "value.format=protobuf")] == [{"text": "hello"}]
    # a bad line names its field
    rc, _, err = produce(topic, ['{"count": "many"}'], "value.format=protobuf", "value.schema=" + PROTO)
    assert rc == 1 and "count" in err, err


def test_avro_keys_with_parse_key_and_a_null_marker_tombstone():
    topic = unique_topic("keyed")
    key_schema = {"type": "record", "name": "OrderKey", "fields": [
        {"name": "region", "type": "string"}, {"name": "n", "type": "int"}]}
    keys = [{"region": "eu", "n": i} for i in range(5)]
    values = [{"quantity": i * 10, "s": f"v{i}"} for i in range(5)]
    lines = [f"{json.dumps(k)}\t{json.dumps(v)}" for k, v in zip(keys, values)]
    lines.append(json.dumps({"region": "us", "n": 99}) + "\tNULL")
    produce_ok(topic, lines, "parse.key=true", "null.marker=NULL", "key.schema=" + json.dumps(key_schema),
               "value.schema=" + json.dumps(SMALL_SCHEMA))
    out = consume_lines(topic, 6, "print.key=true")
    got = [tuple(json.loads(part) for part in line.split("\t")) for line in out]
    assert got == list(zip(keys, values)) + [({"region": "us", "n": 99}, None)], got
    assert latest_id(f"{topic}-key") != latest_id(f"{topic}-value")
    # the tombstone is a Kafka null, not an encoded Avro null
    r = subprocess.run([KCAT, "-b", P.bootstrap, "-C", "-t", topic, "-o", "5", "-c", "1", "-e", "-q",
                        "-f", "%S"], capture_output=True, timeout=60)
    assert r.stdout == b"-1", r


def test_string_keys_with_a_custom_separator_and_print_fields():
    topic = unique_topic("strkeys")
    lines = [f"key-{i}|" + json.dumps({"quantity": i, "s": "x|y"}) for i in range(3)]
    produce_ok(topic, lines, "parse.key=true", "key.separator=|", "value.schema=" + json.dumps(SMALL_SCHEMA))
    out = consume_lines(topic, 3, "print.key=true", "key.format=string", "key.separator=|",
                        "print.partition=true", "print.offset=true")
    for i, line in enumerate(out):
        part, off, key, value = line.split("|", 3)
        assert (part, off, key) == ("Partition:0", f"Offset:{i}", f"key-{i}"), line
        assert json.loads(value) == {"quantity": i, "s": "x|y"}, line


def test_value_schema_file_registers_the_file_schema():
    topic = unique_topic("file")
    with tempfile.NamedTemporaryFile("w", suffix=".avsc", delete=False) as f:
        json.dump(ORDER_SCHEMA, f, indent=2)
    try:
        records = [order(i) for i in range(10, 20)]
        produce_ok(topic, lines_of(records), f"value.schema.file={f.name}")
    finally:
        os.unlink(f.name)
    assert [json.loads(line) for line in consume_lines(topic, 10)] == records
    latest = check(P.get(f"/subjects/{topic}-value/versions/latest"), 200)
    assert json.loads(latest["schema"]) == ORDER_SCHEMA


def test_value_schema_id_writes_with_that_id_and_registers_nothing():
    topic = unique_topic("byid")
    schema_id = P.register(unique_topic("elsewhere") + "-value", json.dumps(SMALL_SCHEMA))["id"]
    produce_ok(topic, ['{"quantity": 7, "s": "by id"}'], f"value.schema.id={schema_id}")
    assert kcat_values(topic, 1) == [b"\x00" + schema_id.to_bytes(4, "big") + b"\x0e\x0aby id"]
    check(P.get(f"/subjects/{topic}-value/versions"), 404)
    assert [json.loads(x) for x in consume_lines(topic, 1)] == [{"quantity": 7, "s": "by id"}]


def test_empty_bytes_and_empty_strings_round_trip():
    topic = unique_topic("empty")
    schema = {"type": "record", "name": "Empties", "fields": [
        {"name": "b", "type": "bytes"}, {"name": "s", "type": "string"},
        {"name": "u", "type": ["null", "bytes"]}, {"name": "a", "type": {"type": "array", "items": "bytes"}}]}
    records = [{"b": "", "s": "", "u": {"bytes": ""}, "a": ["", "x", ""]}, {"b": "\u0000", "s": "", "u": None, "a": []}]
    produce_ok(topic, [json.dumps(r) for r in records], "value.schema=" + json.dumps(schema))
    assert [json.loads(x) for x in consume_lines(topic, 2)] == records


def test_json_and_string_formats_pass_lines_through_unchanged():
    topic = unique_topic("jsonfmt")
    lines = ['{"a": [1, 2.5, null], "b": "Zoë"}', "[]", '"just a string"', "42"]
    produce_ok(topic, lines, "value.format=json")
    assert consume_lines(topic, 4, "value.format=json") == lines
    topic = unique_topic("strfmt")
    lines = ["plain text", "not {json", "  spaced  ", "ünïcödé ☕"]
    produce_ok(topic, lines, "value.format=string")
    assert consume_lines(topic, 4, "value.format=string") == lines


def test_consumer_group_commits_offsets_and_resumes_after_them():
    topic, group = unique_topic("grp"), unique_topic("g")
    produce_ok(topic, [json.dumps({"quantity": i, "s": str(i)}) for i in range(5)],
               "value.schema=" + json.dumps(SMALL_SCHEMA))
    first = consume_lines(topic, 3, extra=["--group", group])
    second = consume_lines(topic, 2, extra=["--group", group])
    assert [json.loads(x)["quantity"] for x in first + second] == [0, 1, 2, 3, 4]


def test_consume_without_group_commits_nothing():
    topic = unique_topic("nogroup")
    produce_ok(topic, ['"a"', '"b"'], "value.format=json")
    assert consume_lines(topic, 2, "value.format=json") == ['"a"', '"b"']
    rc, out, err = run(["groups", "list", "--bootstrap-server", P.bootstrap])
    assert rc == 0, err
    mine = [g for g in out.split() if g.startswith("weir-console-consumer-")]
    assert mine, f"no random weir-console-consumer-* group seen:\n{out}"
    for g in mine:
        rc, out, err = run(["groups", "describe", g, "--bootstrap-server", P.bootstrap])
        committed = [f for f in (line.split() for line in out.splitlines())
                     if len(f) == 9 and f[0] == g and f[2].isdigit() and f[3] != "-"]
        assert not committed, f"group {g} committed offsets:\n{out}"


def test_sigint_stops_both_tools_cleanly_with_a_summary():
    topic = unique_topic("sigint")
    prod = subprocess.Popen([weir_bin(), "produce", "--bootstrap-server", P.bootstrap, "--topic", topic,
                             "--property", "value.format=string"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    prod.stdin.write(b"one\ntwo\n")
    prod.stdin.flush()
    cons = subprocess.Popen([weir_bin(), "consume", "--bootstrap-server", P.bootstrap, "--topic", topic,
                             "--from-beginning", "--property", "value.format=string"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # the consumer prints records as they come (stdout is a pipe here)
        assert cons.stdout.readline() == b"one\n" and cons.stdout.readline() == b"two\n"
        prod.send_signal(signal.SIGINT)  # stdin still open: the producer is waiting for lines
        cons.send_signal(signal.SIGINT)
        prod.wait(timeout=60)  # before stdin closes, so only the signal can have ended it
        perr, cerr = prod.stderr.read().decode(), cons.communicate(timeout=60)[1].decode()
    finally:
        for p in (prod, cons):
            if p.poll() is None:
                p.kill()
    assert prod.returncode == 0 and f"produced 2 records to {topic}, 0 failed" in perr, (prod.returncode, perr)
    assert cons.returncode == 0 and f"consumed 2 records from {topic}" in cerr, (cons.returncode, cerr)


# -- failures ---------------------------------------------------------------------
def test_bad_json_line_stops_with_its_line_number_and_keeps_earlier_records():
    topic = unique_topic("badline")
    lines = ['{"quantity": 1, "s": "a"}', '{"quantity": 2, "s": "b"}', '{"quantity": 3, "s": ', '{"quantity": 4, "s": "d"}']
    rc, _, err = produce(topic, lines, "value.schema=" + json.dumps(SMALL_SCHEMA))
    assert rc == 1, (rc, err)
    assert "line 3: value:" in err, err
    assert f"produced 2 records to {topic}, 1 failed" in err, err
    rc, out, err = consume(topic, 4, timeout_ms=6000)
    assert rc == 0 and [json.loads(x)["quantity"] for x in out.splitlines()] == [1, 2], (out, err)


def test_value_that_does_not_fit_the_schema_names_line_and_field():
    topic = unique_topic("badvalue")
    rc, _, err = produce(topic, ['{"quantity": 1, "s": "a"}', '{"quantity": "many", "s": "b"}'],
                         "value.schema=" + json.dumps(SMALL_SCHEMA))
    assert rc == 1, (rc, err)
    assert "line 2: value:" in err and "quantity" in err, err


def test_incompatible_second_schema_exits_1_with_the_registry_message():
    topic = unique_topic("compat")
    produce_ok(topic, ['{"quantity": 1, "s": "a"}'], "value.schema=" + json.dumps(SMALL_SCHEMA))
    incompatible = dict(SMALL_SCHEMA, fields=[{"name": "quantity", "type": "string"}, {"name": "s", "type": "string"}])
    rc, _, err = produce(topic, ['{"quantity": "one", "s": "a"}'], "value.schema=" + json.dumps(incompatible))
    assert rc == 1, (rc, err)
    # what the registry answers for the same registration
    r = P.post(f"/subjects/{topic}-value/versions", {"schema": json.dumps(incompatible)})
    body = check(r, 409)
    assert "line 1: value:" in err and body["message"][:60] in err, f"registry said {body!r}, tool said:\n{err}"


def test_unreachable_registry_exits_1():
    topic = unique_topic("noreg")
    dead_url = f"http://127.0.0.1:{free_port()}"
    rc, _, err = produce(topic, ['{"quantity": 1, "s": "a"}'], "value.schema=" + json.dumps(SMALL_SCHEMA),
                         "max.retries=0", registry=dead_url)
    assert rc == 1, (rc, err)
    assert "line 1: value:" in err and dead_url in err, err
    assert f"produced 0 records to {topic}, 1 failed" in err, err


def test_unreachable_broker_exits_1_for_both_tools():
    dead = f"127.0.0.1:{free_port()}"
    rc, _, err = produce(unique_topic("nobroker"), ['"x"'], "value.format=json", bootstrap=dead)
    assert rc == 1 and "cannot reach the broker" in err, (rc, err)
    rc, _, err = run(["consume", "--bootstrap-server", dead, "--topic", "t", "--property", "value.format=string"])
    assert rc == 1 and "cannot reach the broker" in err, (rc, err)


def test_bad_flags_and_properties_exit_2_naming_them():
    schema = "value.schema=" + json.dumps(SMALL_SCHEMA)
    cases = [
        (["produce", "--property", f"schema.registry.url={P.url}"], "--topic"),
        (["produce", "--topic", "t", "--property", "no.such.property=1"], "no.such.property"),
        (["produce", "--topic", "t", "--property", "value.format=avro"], "value.schema"),
        (["produce", "--topic", "t", "--property", "value.schema={not json", "--property",
          f"schema.registry.url={P.url}"], "schema"),
        (["produce", "--topic", "t", "--property", schema, "--property", "value.schema.id=3"], "only one"),
        (["produce", "--topic", "t", "--property", "parse.key=maybe"], "parse.key"),
        (["produce", "--topic", "t", "--producer-property", "no.such.client.property=1"], "no.such.client.property"),
        (["produce", "--topic", "t", "--from-beginning"], "--from-beginning"),
        (["consume", "--topic", "t", "--max-messages", "ten"], "--max-messages"),
        (["consume", "--topic", "t", "--property", "value.format=xml"], "value.format"),
        (["consume", "--topic", "t", "--property", "value.format=string", "--consumer.config",
          "/nonexistent/consumer.properties"], "consumer.properties"),
        (["consume", "--topic", "t"], "schema.registry.url"),
    ]
    for args, fragment in cases:
        rc, _, err = run(args + ["--bootstrap-server", P.bootstrap], timeout=60)
        assert rc == 2, f"{args}: expected exit 2, got {rc}:\n{err}"
        assert fragment in err, f"{args}: {fragment!r} not in:\n{err}"


def test_help_lists_the_tools_flags_and_properties():
    rc, out, _ = run(["produce", "--help"])
    assert rc == 0
    for s in ["--producer-property", "value.schema.file", "parse.key", "key.separator", "schema.registry.url",
              "auto.register.schemas"]:
        assert s in out, s
    assert "--from-beginning" not in out
    rc, out, _ = run(["consume", "--help"])
    assert rc == 0
    for s in ["--from-beginning", "--max-messages", "--group", "print.key", "value.format", "basic.auth.user.info"]:
        assert s in out, s
    rc, out, _ = run(["--help"])
    assert rc == 0 and "produce" in out and "consume" in out and "--property KEY=VALUE" in out


if __name__ == "__main__":
    run_tests(globals())
