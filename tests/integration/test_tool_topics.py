# SPDX-License-Identifier: Apache-2.0
"""`weir topics create|list|describe|delete|alter` against a real `weir broker`
(num.partitions=2), run as a subprocess the way a user runs it, with every
change checked independently through confluent-kafka-python's AdminClient
(list_topics, describe_configs): topics are created with their partition
counts and configs, a second create exits 4 (0 with --if-not-exists), list
and describe print kafka-topics.sh's shapes, alter grows partitions and
changes configs one by one without resetting the others, delete removes the
topic (3 the second time, 0 with --if-exists), bad command lines exit 2
before any connection, and an unreachable broker exits 1 within seconds."""

import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "broker"))

from confluent_kafka.admin import AdminClient, ConfigResource  # noqa: E402

from brokertest import Broker, run_tests, stop_broker, unique_topic, weir_bin  # noqa: E402
from weirtest import free_port  # noqa: E402

B = None
ADMIN = None
DEFAULT_PARTITIONS = 2


def setup_module():
    global B, ADMIN
    B = Broker(options={"num.partitions": str(DEFAULT_PARTITIONS)}).start()
    ADMIN = AdminClient({"bootstrap.servers": B.bootstrap})


def teardown_module():
    stop_broker(B)


def topics(*args, bootstrap=None, timeout=60):
    """Runs `weir topics args... --bootstrap-server B`; (rc, stdout, stderr)."""
    cmd = [weir_bin(), "topics", *args, "--bootstrap-server", bootstrap or B.bootstrap]
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def ok(*args):
    rc, out, err = topics(*args)
    assert rc == 0, f"weir topics {' '.join(args)} exited {rc}:\n{err}\nbroker log:\n{B.log_tail(10)}"
    return out


# -- independent checks through AdminClient ------------------------------------
def partition_count(topic):
    """The topic's partition count per the broker's metadata, None if absent."""
    md = ADMIN.list_topics(timeout=10)
    t = md.topics.get(topic)
    return None if t is None or t.error is not None else len(t.partitions)


def topic_configs(topic):
    """{name: ConfigEntry} of the topic, per DescribeConfigs."""
    fs = ADMIN.describe_configs([ConfigResource("topic", topic)])
    (f,) = fs.values()
    return f.result(timeout=10)


def overrides(topic):
    """{name: value} of the configs the topic overrides (not defaults)."""
    return {n: e.value for n, e in topic_configs(topic).items() if not e.is_default}


def create(topic, *extra):
    out = ok("create", topic, *extra)
    assert out.strip() == f"Created topic {topic}.", out
    return out


# -- create ----------------------------------------------------------------------
def test_create_sets_partitions_and_configs_seen_by_admin_client():
    t = unique_topic("create")
    create(t, "--partitions", "3", "--config", "retention.ms=123456", "--config", "cleanup.policy=compact")
    assert partition_count(t) == 3
    ov = overrides(t)
    assert ov.get("retention.ms") == "123456", ov
    assert ov.get("cleanup.policy") == "compact", ov


def test_create_without_counts_uses_broker_defaults():
    t = unique_topic("dflt")
    create(t)
    assert partition_count(t) == DEFAULT_PARTITIONS
    assert overrides(t) == {}, overrides(t)


def test_create_accepts_topic_option_instead_of_argument():
    t = unique_topic("opt")
    out = ok("create", "--topic", t, "--partitions", "1")
    assert out.strip() == f"Created topic {t}.", out
    assert partition_count(t) == 1
    rc, _, err = topics("create", t, "--topic", t + "x")
    assert rc == 2 and "two topics" in err, (rc, err)


def test_create_existing_topic_exits_4_unless_if_not_exists():
    t = unique_topic("twice")
    create(t, "--partitions", "1")
    rc, out, err = topics("create", t, "--partitions", "5")
    assert rc == 4, (rc, out, err)
    assert t in err and "TOPIC_ALREADY_EXISTS" in err, err
    rc, out, err = topics("create", t, "--partitions", "5", "--if-not-exists")
    assert rc == 0, (rc, err)
    assert partition_count(t) == 1  # left as it was


def test_create_with_invalid_config_or_counts_exits_1_with_broker_message():
    cases = [
        (["--config", "retention.ms=not-a-number"], "retention.ms"),
        (["--config", "no.such.topic.config=1"], "no.such.topic.config"),
        (["--partitions", "0"], "INVALID_PARTITIONS"),
        (["--replication-factor", "3"], "INVALID_REPLICATION_FACTOR"),
    ]
    for extra, needle in cases:
        t = unique_topic("bad")
        rc, out, err = topics("create", t, *extra)
        assert rc == 1, (extra, rc, out, err)
        assert t in err and needle in err, (extra, err)
        assert partition_count(t) is None, f"{extra}: topic {t} was created anyway"


# -- list, describe -----------------------------------------------------------------
def test_list_prints_every_topic_sorted_one_per_line():
    names = [unique_topic("list-b"), unique_topic("list-a")]
    for n in names:
        create(n, "--partitions", "1")
    lines = ok("list").splitlines()
    assert lines == sorted(lines), lines
    assert set(names) <= set(lines), lines
    expected = {n for n, t in ADMIN.list_topics(timeout=10).topics.items() if t.error is None}
    assert set(lines) == expected, (lines, expected)


def parse_describe(out):
    """{topic: (header fields, [partition fields...])} from describe output."""
    topics_seen = {}
    for line in out.splitlines():
        fields = dict(f.split(": ", 1) for f in line.strip("\t").split("\t"))
        if line.startswith("\t"):
            topics_seen[fields["Topic"]][1].append(fields)
        else:
            topics_seen[fields["Topic"]] = (fields, [])
    return topics_seen


def test_describe_prints_header_with_configs_and_one_line_per_partition():
    t = unique_topic("desc")
    create(t, "--partitions", "3", "--config", "retention.ms=7654321")
    out = ok("describe", t)
    d = parse_describe(out)
    assert list(d) == [t], out
    head, parts = d[t]
    assert head["PartitionCount"] == "3" and head["ReplicationFactor"] == "1", out
    assert "retention.ms=7654321" in head["Configs"].split(","), out
    assert [p["Partition"] for p in parts] == ["0", "1", "2"], out
    for p in parts:
        assert p["Leader"].isdigit() and p["Replicas"] == p["Leader"] and p["Isr"] == p["Leader"], out


def test_describe_without_topic_describes_every_topic():
    t = unique_topic("descall")
    create(t, "--partitions", "1")
    d = parse_describe(ok("describe"))
    assert t in d and d[t][0]["PartitionCount"] == "1", d.get(t)
    assert list(d) == sorted(d), list(d)
    expected = {n for n, x in ADMIN.list_topics(timeout=10).topics.items() if x.error is None}
    assert set(d) == expected, (set(d), expected)


def test_describe_unknown_topic_exits_3_and_does_not_create_it():
    t = unique_topic("ghost")
    rc, out, err = topics("describe", t)
    assert rc == 3 and out == "" and t in err, (rc, out, err)
    rc, out, err = topics("describe", t, "--if-exists")
    assert rc == 0 and out == "", (rc, out, err)
    # The broker auto-creates topics on Metadata requests that ask for them.
    assert partition_count(t) is None, "describe created the topic"


# -- alter --------------------------------------------------------------------------
def test_alter_partitions_grows_and_never_shrinks():
    t = unique_topic("grow")
    create(t, "--partitions", "1")
    out = ok("alter", t, "--partitions", "3")
    assert "from 1 to 3" in out, out
    assert partition_count(t) == 3
    rc, out, err = topics("alter", t, "--partitions", "2")
    assert rc == 1 and "only grow" in err, (rc, out, err)
    assert partition_count(t) == 3
    rc, out, err = topics("alter", t, "--partitions", "3")
    assert rc == 0 and partition_count(t) == 3, (rc, err)


def test_alter_config_changes_only_the_named_configs():
    t = unique_topic("cfg")
    create(t, "--config", "retention.ms=111111", "--config", "cleanup.policy=compact")
    ok("alter", t, "--config", "segment.bytes=1048576")
    ov = overrides(t)
    assert ov == {"retention.ms": "111111", "cleanup.policy": "compact", "segment.bytes": "1048576"}, ov
    ok("alter", t, "--delete-config", "cleanup.policy")
    cfg = topic_configs(t)
    assert cfg["cleanup.policy"].is_default and cfg["cleanup.policy"].value == "delete", cfg["cleanup.policy"]
    ov = overrides(t)
    assert ov == {"retention.ms": "111111", "segment.bytes": "1048576"}, ov
    ok("alter", t, "--config", "retention.ms=222222", "--partitions", "4")
    assert overrides(t) == {"retention.ms": "222222", "segment.bytes": "1048576"}, overrides(t)
    assert partition_count(t) == 4


def test_alter_with_invalid_config_changes_nothing():
    t = unique_topic("cfgbad")
    create(t, "--partitions", "1", "--config", "retention.ms=333333")
    rc, out, err = topics("alter", t, "--config", "retention.ms=abc", "--partitions", "2")
    assert rc == 1 and "retention.ms" in err and t in err, (rc, out, err)
    assert overrides(t) == {"retention.ms": "333333"}, overrides(t)
    assert partition_count(t) == 1


def test_alter_unknown_topic_exits_3_unless_if_exists():
    t = unique_topic("noalter")
    rc, _, err = topics("alter", t, "--partitions", "2")
    assert rc == 3 and t in err, (rc, err)
    rc, _, err = topics("alter", t, "--config", "retention.ms=1", "--if-exists")
    assert rc == 0, (rc, err)
    assert partition_count(t) is None


# -- delete -------------------------------------------------------------------------
def test_delete_removes_the_topic_then_exits_3_unless_if_exists():
    t = unique_topic("del")
    create(t, "--partitions", "2")
    out = ok("delete", t)
    assert out.strip() == f"Deleted topic {t}.", out
    assert partition_count(t) is None
    rc, _, err = topics("delete", t)
    assert rc == 3 and t in err, (rc, err)
    rc, _, err = topics("delete", t, "--if-exists")
    assert rc == 0, (rc, err)


# -- command line and connection --------------------------------------------------------
def test_bad_command_lines_exit_2_before_connecting():
    closed = f"127.0.0.1:{free_port()}"  # a connection attempt would exit 1, not 2
    cases = [
        ["create", "bad name"],
        ["create", "a/b"],
        ["create", ".."],
        ["create", "."],
        ["create", "x" * 250],
        ["create", "t", "--config", "retention.ms"],
        ["create", "t", "--config", "=1"],
        ["create", "t", "--config", "a=1", "--config", "a=2"],
        ["frobnicate", "t"],
        [],
        ["create"],
        ["list", "t"],
        ["delete", "t", "--partitions", "3"],
        ["create", "t", "--delete-config", "a"],
        ["alter", "t"],
        ["alter", "t", "--config", "a=1", "--delete-config", "a"],
        ["alter", "t", "--delete-config", "a=1"],
    ]
    for args in cases:
        rc, out, err = topics(*args, bootstrap=closed)
        assert rc == 2, (args, rc, out, err)
        assert err.strip() and out == "", (args, out, err)
    rc, _, _ = topics("create", "x" * 249, bootstrap=closed)
    assert rc == 1, "a 249-character name is legal: it should get as far as connecting"


def test_unreachable_broker_exits_1_within_seconds():
    closed = f"127.0.0.1:{free_port()}"
    for args in (["list"], ["create", unique_topic("nobroker")], ["describe"]):
        t0 = time.monotonic()
        rc, out, err = topics(*args, bootstrap=closed, timeout=30)
        took = time.monotonic() - t0
        assert rc == 1, (args, rc, out, err)
        assert closed in err, err
        assert took < 5, f"{args}: took {took:.1f}s against a closed port"


def test_command_config_file_supplies_client_properties():
    t = unique_topic("cmdcfg")
    create(t, "--partitions", "1")
    with tempfile.NamedTemporaryFile("w", suffix=".properties", delete=False) as f:
        f.write(f"# admin client\nbootstrap.servers={B.bootstrap}\nclient.id=topics-test\n")
        good = f.name
    with tempfile.NamedTemporaryFile("w", suffix=".properties", delete=False) as f:
        f.write("no.such.librdkafka.property=1\n")
        bad = f.name
    try:
        p = subprocess.run([weir_bin(), "topics", "list", "--command-config", good], capture_output=True, timeout=60)
        assert p.returncode == 0 and t in p.stdout.decode().split(), (p.returncode, p.stderr)
        rc, _, err = topics("list", "--command-config", bad)
        assert rc == 2 and "no.such.librdkafka.property" in err, (rc, err)
    finally:
        os.unlink(good)
        os.unlink(bad)


def test_help_names_subcommands_options_and_exit_codes():
    p = subprocess.run([weir_bin(), "topics", "--help"], capture_output=True, timeout=30)
    out = p.stdout.decode()
    assert p.returncode == 0, p.stderr
    for word in ("create", "list", "describe", "delete", "alter", "--partitions", "--replication-factor",
                 "--config", "--delete-config", "--if-exists", "--if-not-exists", "--command-config",
                 "exit status", "examples"):
        assert word in out, f"--help lacks {word}:\n{out}"


if __name__ == "__main__":
    run_tests(globals())
