# SPDX-License-Identifier: Apache-2.0
"""The v3 admin API of the REST proxy (everything under /v3/clusters except
produce) against a real `weir start`: clusters and brokers with Confluent's
resource shapes (kind, self links, CRN resource names, related links);
topics created, grown and deleted over REST and checked with
confluent-kafka's AdminClient; topic configs set, reset and batch-altered
over REST and read back with describe_configs; watermarks after producing
with kcat; a real confluent-kafka consumer group whose committed offsets
show as lags and lag summary; and the precise error codes for bad input
(wrong cluster id, unknown topic / partition / group, bad JSON, invalid
topic name, existing topic, read-only broker configs, ACLs on a cluster
without an authorizer).

Run with /usr/bin/python3 (Debian's python3-requests, python3-confluent-kafka);
needs kcat.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import rptest  # noqa: E402
from rptest import check, check_error, run_tests, unique_topic  # noqa: E402

P = None
R = None
CID = None
ADMIN = None


def setup_module():
    global P, R, CID, ADMIN
    from confluent_kafka.admin import AdminClient
    P, R = rptest.start()
    CID = R.cluster_id()
    ADMIN = AdminClient({"bootstrap.servers": P.bootstrap})


def teardown_module():
    global ADMIN
    ADMIN = None  # close the client before its broker goes away
    if P:
        P.stop()


def v3(path=""):
    return f"/v3/clusters/{CID}{path}"


def url(path=""):
    return R.url + v3(path)


def kafka_partitions(topic):
    """Partition count as confluent-kafka sees it, None when absent."""
    md = ADMIN.list_topics(timeout=10)
    t = md.topics.get(topic)
    return None if t is None or t.error is not None else len(t.partitions)


def kafka_topic_config(topic, name):
    from confluent_kafka.admin import ConfigResource
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    configs = ADMIN.describe_configs([res])[res].result(30)
    return configs[name]


def create(topic, **extra):
    body = {"topic_name": topic}
    body.update(extra)
    return R.post(v3("/topics"), body)


# -- clusters and brokers ------------------------------------------------------------

def test_cluster_list_and_get_have_confluent_shape():
    body = check(R.get("/v3/clusters"), 200)
    assert body["kind"] == "KafkaClusterList"
    assert body["metadata"] == {"self": R.url + "/v3/clusters", "next": None}
    assert len(body["data"]) == 1
    c = check(R.get(v3()), 200)
    assert c == body["data"][0]
    assert c["kind"] == "KafkaCluster"
    assert c["cluster_id"] == CID
    assert c["metadata"] == {"self": url(), "resource_name": f"crn:///kafka={CID}"}
    assert c["topics"] == {"related": url("/topics")}
    assert c["brokers"] == {"related": url("/brokers")}
    assert c["consumer_groups"] == {"related": url("/consumer-groups")}
    assert c["partition_reassignments"] == {"related": url("/topics/-/partitions/-/reassignment")}
    assert c["controller"]["related"].startswith(url("/brokers/"))


def test_wrong_cluster_id_is_404_on_every_resource():
    for path in ("", "/topics", "/brokers", "/consumer-groups", "/acls", "/topics/x/partitions"):
        body = check(R.get(f"/v3/clusters/no-such-cluster{path}"), 404, 404)
        assert body["message"] == "Cluster no-such-cluster cannot be found.", body
    check(R.post("/v3/clusters/no-such-cluster/topics", {"topic_name": "x"}), 404, 404)


def test_brokers_list_and_get():
    body = check(R.get(v3("/brokers")), 200)
    assert body["kind"] == "KafkaBrokerList"
    assert body["metadata"]["self"] == url("/brokers")
    assert len(body["data"]) == 1
    b = body["data"][0]
    assert b["kind"] == "KafkaBroker" and b["cluster_id"] == CID
    assert b["port"] == P.broker_port and b["host"] == "127.0.0.1"
    bid = b["broker_id"]
    assert b["metadata"] == {"self": url(f"/brokers/{bid}"), "resource_name": f"crn:///kafka={CID}/broker={bid}"}
    assert b["configs"] == {"related": url(f"/brokers/{bid}/configs")}
    assert check(R.get(v3(f"/brokers/{bid}")), 200) == b
    check(R.get(v3("/brokers/4242")), 404, 404)
    check(R.get(v3("/brokers/abc")), 404, 404)


def test_broker_configs_are_described_and_read_only():
    bid = check(R.get(v3("/brokers")), 200)["data"][0]["broker_id"]
    body = check(R.get(v3(f"/brokers/{bid}/configs")), 200)
    assert body["kind"] == "KafkaBrokerConfigList"
    by_name = {c["name"]: c for c in body["data"]}
    np = by_name["num.partitions"]
    assert np["kind"] == "KafkaBrokerConfig" and np["broker_id"] == bid and np["value"] == "1"
    assert np["metadata"]["resource_name"] == f"crn:///kafka={CID}/broker={bid}/config=num.partitions"
    one = check(R.get(v3(f"/brokers/{bid}/configs/num.partitions")), 200)
    assert one == np
    check(R.get(v3(f"/brokers/{bid}/configs/no.such.config")), 404, 404)
    every = check(R.get(v3("/brokers/-/configs")), 200)
    assert {c["name"] for c in every["data"]} == set(by_name)
    # weir's broker configs are static: the broker refuses the change.
    check_error(R.put(v3(f"/brokers/{bid}/configs/num.partitions"), {"value": "3"}), 40002)
    check_error(R.post(v3(f"/brokers/{bid}/configs:alter"),
                       {"data": [{"name": "num.partitions", "value": "3"}]}), 40002)
    assert check(R.get(v3(f"/brokers/{bid}/configs/num.partitions")), 200)["value"] == "1"
    check_error(R.put(v3("/broker-configs/num.partitions"), {"value": "3"}), 40002)
    assert check(R.get(v3("/broker-configs")), 200)["data"] == []


# -- topics ----------------------------------------------------------------------------

def test_create_topic_is_visible_to_admin_client():
    t = unique_topic("rp-v3-create")
    r = create(t, partitions_count=3, replication_factor=1,
               configs=[{"name": "retention.ms", "value": "123456"}, {"name": "cleanup.policy", "value": "compact"}])
    body = check(r, 201)
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Location"] == url(f"/topics/{t}")
    assert body["kind"] == "KafkaTopic" and body["topic_name"] == t and body["cluster_id"] == CID
    assert body["partitions_count"] == 3 and body["replication_factor"] == 1 and body["is_internal"] is False
    assert body["metadata"] == {"self": url(f"/topics/{t}"), "resource_name": f"crn:///kafka={CID}/topic={t}"}
    assert body["partitions"] == {"related": url(f"/topics/{t}/partitions")}
    assert body["configs"] == {"related": url(f"/topics/{t}/configs")}
    assert kafka_partitions(t) == 3
    assert kafka_topic_config(t, "retention.ms").value == "123456"
    assert kafka_topic_config(t, "cleanup.policy").value == "compact"
    got = check(R.get(v3(f"/topics/{t}")), 200)
    assert got == body
    names = [x["topic_name"] for x in check(R.get(v3("/topics")), 200)["data"]]
    assert t in names and names == sorted(names)


def test_create_topic_with_broker_defaults_and_replica_assignment():
    t = unique_topic("rp-v3-default")
    body = check(create(t), 201)
    assert body["partitions_count"] == 1  # num.partitions of the test platform
    assert kafka_partitions(t) == 1
    bid = check(R.get(v3("/brokers")), 200)["data"][0]["broker_id"]
    t2 = unique_topic("rp-v3-assigned")
    body = check(create(t2, replicas_assignments={"0": [bid], "1": [bid]}), 201)
    assert body["partitions_count"] == 2 and body["replication_factor"] == 1
    assert kafka_partitions(t2) == 2


def test_create_topic_validate_only_creates_nothing():
    t = unique_topic("rp-v3-validate")
    body = check(create(t, partitions_count=2, validate_only=True), 200)
    assert body["topic_name"] == t and body["partitions_count"] == 2
    assert kafka_partitions(t) is None
    check_error(R.get(v3(f"/topics/{t}")), 40401)


def test_create_topic_errors():
    t = unique_topic("rp-v3-exists")
    check(create(t), 201)
    body = check_error(create(t), 40002)
    assert "already exists" in body["message"], body
    body = check_error(create("bad name!"), 42206)
    assert body["message"] == "Invalid topic name."
    check_error(create("x" * 250), 42206)
    check_error(R.post(v3("/topics"), {"partitions_count": 1}), 42206)
    check_error(R.post(v3("/topics"), raw=b"", content_type="application/json"), 42206)
    check(R.post(v3("/topics"), raw=b'{"topic_name": "x",', content_type="application/json"), 400, 400)
    check(create(unique_topic("rp-v3-bad"), partitions_count="three"), 422, 422)
    check(create(unique_topic("rp-v3-bad"), validate_only="yes"), 422, 422)
    check(create(unique_topic("rp-v3-bad"), configs={"retention.ms": "1"}), 422, 422)
    check_error(create(unique_topic("rp-v3-bad"), partitions_count=0), 40002)
    body = check_error(create(unique_topic("rp-v3-bad"), replication_factor=3), 40002)
    assert "eplication" in body["message"], body
    check_error(create(unique_topic("rp-v3-bad"), configs=[{"name": "retention.ms", "value": "soon"}]), 40002)
    check(R.put(v3("/topics"), {"topic_name": "x"}), 405, 405)


def test_unknown_topic_partition_and_routes():
    t = unique_topic("rp-v3-missing")
    body = check_error(R.get(v3(f"/topics/{t}")), 40401)
    assert t in body["message"]
    check_error(R.get(v3(f"/topics/{t}/partitions")), 40401)
    check_error(R.get(v3(f"/topics/{t}/configs")), 40401)
    check_error(R.get(v3(f"/topics/{t}/configs/retention.ms")), 40401)
    check_error(R.put(v3(f"/topics/{t}/configs/retention.ms"), {"value": "1"}), 40401)
    check_error(R.patch(v3(f"/topics/{t}"), {"partitions_count": 2}), 40401)
    check_error(R.delete(v3(f"/topics/{t}")), 40401)
    check_error(R.get(v3("/topics/bad%20name")), 40401)
    existing = unique_topic("rp-v3-parts")
    check(create(existing, partitions_count=2), 201)
    check_error(R.get(v3(f"/topics/{existing}/partitions/2")), 40402)
    check_error(R.get(v3(f"/topics/{existing}/partitions/-1")), 40402)
    check_error(R.get(v3(f"/topics/{existing}/partitions/x/offset")), 40402)
    check(R.get(v3("/no-such-resource")), 404, 404)


def test_patch_grows_partitions_and_delete_removes_topic():
    t = unique_topic("rp-v3-patch")
    check(create(t, partitions_count=2), 201)
    body = check(R.patch(v3(f"/topics/{t}"), {"partitions_count": 5}), 200)
    assert body["partitions_count"] == 5 and body["kind"] == "KafkaTopic"
    assert kafka_partitions(t) == 5
    assert len(check(R.get(v3(f"/topics/{t}/partitions")), 200)["data"]) == 5
    check_error(R.patch(v3(f"/topics/{t}"), {"partitions_count": 3}), 40002)
    check(R.patch(v3(f"/topics/{t}"), {"partitions_count": -3}), 422, 422)
    check(R.patch(v3(f"/topics/{t}"), {}), 422, 422)
    r = R.delete(v3(f"/topics/{t}"))
    check(r, 204)
    assert r.content == b""
    deadline = time.time() + 10
    while kafka_partitions(t) is not None and time.time() < deadline:
        time.sleep(0.2)
    assert kafka_partitions(t) is None
    check_error(R.get(v3(f"/topics/{t}")), 40401)
    check_error(R.delete(v3(f"/topics/{t}")), 40401)


# -- topic configs ----------------------------------------------------------------------

def test_topic_configs_set_over_rest_are_seen_by_admin_client():
    t = unique_topic("rp-v3-configs")
    check(create(t, configs=[{"name": "segment.ms", "value": "7200000"}]), 201)
    body = check(R.get(v3(f"/topics/{t}/configs")), 200)
    assert body["kind"] == "KafkaTopicConfigList"
    assert body["metadata"]["self"] == url(f"/topics/{t}/configs")
    by_name = {c["name"]: c for c in body["data"]}
    rm = by_name["retention.ms"]
    assert rm["kind"] == "KafkaTopicConfig" and rm["topic_name"] == t and rm["is_default"] is True
    assert rm["metadata"] == {"self": url(f"/topics/{t}/configs/retention.ms"),
                              "resource_name": f"crn:///kafka={CID}/topic={t}/config=retention.ms"}
    assert by_name["segment.ms"]["source"] == "DYNAMIC_TOPIC_CONFIG"

    check(R.put(v3(f"/topics/{t}/configs/retention.ms"), {"value": "3600000"}), 204)
    assert kafka_topic_config(t, "retention.ms").value == "3600000"
    # The non-incremental AlterConfigs underneath must keep the other dynamic config.
    assert kafka_topic_config(t, "segment.ms").value == "7200000"
    one = check(R.get(v3(f"/topics/{t}/configs/retention.ms")), 200)
    assert one["value"] == "3600000" and one["source"] == "DYNAMIC_TOPIC_CONFIG" and one["is_default"] is False

    check(R.delete(v3(f"/topics/{t}/configs/retention.ms")), 204)
    assert kafka_topic_config(t, "retention.ms").is_default
    assert kafka_topic_config(t, "segment.ms").value == "7200000"

    check(R.post(v3(f"/topics/{t}/configs:alter"), {"data": [
        {"name": "cleanup.policy", "value": "compact"},
        {"name": "max.message.bytes", "value": "65536", "operation": "SET"},
        {"name": "segment.ms", "operation": "DELETE"}]}), 204)
    assert kafka_topic_config(t, "cleanup.policy").value == "compact"
    assert kafka_topic_config(t, "max.message.bytes").value == "65536"
    assert kafka_topic_config(t, "segment.ms").is_default

    check(R.post(v3(f"/topics/{t}/configs:alter"),
                 {"data": [{"name": "cleanup.policy", "value": "delete"}], "validate_only": True}), 204)
    assert kafka_topic_config(t, "cleanup.policy").value == "compact"

    every = check(R.get(v3("/topics/-/configs")), 200)
    assert any(c["topic_name"] == t and c["name"] == "cleanup.policy" and c["value"] == "compact"
               for c in every["data"])


def test_topic_config_errors():
    t = unique_topic("rp-v3-config-err")
    check(create(t), 201)
    check(R.get(v3(f"/topics/{t}/configs/no.such.config")), 404, 404)
    check_error(R.put(v3(f"/topics/{t}/configs/retention.ms"), {"value": "soon"}), 40002)
    check_error(R.put(v3(f"/topics/{t}/configs/no.such.config"), {"value": "1"}), 40002)
    check(R.put(v3(f"/topics/{t}/configs/retention.ms"), {"value": 5}), 422, 422)
    check(R.put(v3(f"/topics/{t}/configs/retention.ms"), {}), 422, 422)
    check(R.put(v3(f"/topics/{t}/configs/retention.ms"), raw=b"{nope", content_type="application/json"), 400, 400)
    check(R.post(v3(f"/topics/{t}/configs:alter"), {"data": [{"name": "retention.ms", "operation": "FROB"}]}),
          422, 422)
    check(R.post(v3(f"/topics/{t}/configs:alter"), {"data": "retention.ms"}), 422, 422)
    check(R.post(v3(f"/topics/{t}/configs:alter"),
                 {"data": [{"name": "retention.ms", "value": "1"}, {"name": "retention.ms", "value": "2"}]}), 400, 400)
    assert kafka_topic_config(t, "retention.ms").is_default


# -- partitions -------------------------------------------------------------------------

def test_partitions_replicas_and_watermarks_after_kcat():
    t = unique_topic("rp-v3-offsets")
    check(create(t, partitions_count=2), 201)
    rptest.produce_kcat(P, t, [f"m{i}" for i in range(7)], partition=0)
    body = check(R.get(v3(f"/topics/{t}/partitions")), 200)
    assert body["kind"] == "KafkaPartitionList"
    assert [p["partition_id"] for p in body["data"]] == [0, 1]
    p0 = check(R.get(v3(f"/topics/{t}/partitions/0")), 200)
    assert p0 == body["data"][0]
    assert p0["metadata"] == {"self": url(f"/topics/{t}/partitions/0"),
                              "resource_name": f"crn:///kafka={CID}/topic={t}/partition=0"}
    bid = check(R.get(v3("/brokers")), 200)["data"][0]["broker_id"]
    assert p0["leader"] == {"related": url(f"/topics/{t}/partitions/0/replicas/{bid}")}

    off = check(R.get(v3(f"/topics/{t}/partitions/0/offset"), params={"offset_type": "earliest_and_latest"}), 200)
    assert off["kind"] == "KafkaPartitionWithOffsets"
    assert (off["earliest_offset"], off["latest_offset"]) == (0, 7)
    off1 = check(R.get(v3(f"/topics/{t}/partitions/1/offset")), 200)
    assert (off1["earliest_offset"], off1["latest_offset"]) == (0, 0)
    check(R.get(v3(f"/topics/{t}/partitions/0/offset"), params={"offset_type": "latest"}), 400, 400)

    reps = check(R.get(v3(f"/topics/{t}/partitions/0/replicas")), 200)
    assert reps["kind"] == "KafkaReplicaList" and len(reps["data"]) == 1
    rep = reps["data"][0]
    assert rep["broker_id"] == bid and rep["is_leader"] is True and rep["is_in_sync"] is True
    assert rep["broker"] == {"related": url(f"/brokers/{bid}")}
    assert check(R.get(v3(f"/topics/{t}/partitions/0/replicas/{bid}")), 200) == rep
    check(R.get(v3(f"/topics/{t}/partitions/0/replicas/{bid + 1}")), 404, 404)
    hosted = check(R.get(v3(f"/brokers/{bid}/partition-replicas")), 200)["data"]
    assert sum(1 for x in hosted if x["topic_name"] == t) == 2

    for path in ("/topics/-/partitions/-/reassignment", f"/topics/{t}/partitions/-/reassignment"):
        ra = check(R.get(v3(path)), 200)
        assert ra["kind"] == "KafkaReassignmentList" and ra["data"] == []
    check(R.get(v3(f"/topics/{t}/partitions/0/reassignment")), 404, 404)


# -- consumer groups ----------------------------------------------------------------------

def test_consumer_group_lags_match_committed_offsets():
    from confluent_kafka import Consumer, TopicPartition
    t = unique_topic("rp-v3-lag")
    g = unique_topic("rp-v3-group")
    check(create(t, partitions_count=2), 201)
    rptest.produce_kcat(P, t, [f"a{i}" for i in range(10)], partition=0)
    rptest.produce_kcat(P, t, [f"b{i}" for i in range(4)], partition=1)
    c = Consumer({"bootstrap.servers": P.bootstrap, "group.id": g, "client.id": "rp-lag-client",
                  "enable.auto.commit": False, "auto.offset.reset": "earliest"})
    try:
        c.subscribe([t])
        deadline = time.time() + 30
        while len(c.assignment()) < 2 and time.time() < deadline:
            c.poll(0.2)
        assert len(c.assignment()) == 2, c.assignment()
        c.commit(offsets=[TopicPartition(t, 0, 6), TopicPartition(t, 1, 4)], asynchronous=False)

        grp = check(R.get(v3(f"/consumer-groups/{g}")), 200)
        assert grp["kind"] == "KafkaConsumerGroup" and grp["consumer_group_id"] == g
        assert grp["state"] == "STABLE" and grp["is_simple"] is False
        assert grp["partition_assignor"] in ("range", "roundrobin", "cooperative-sticky"), grp
        assert grp["coordinator"]["related"].startswith(url("/brokers/"))
        assert grp["metadata"]["resource_name"] == f"crn:///kafka={CID}/consumer-group={g}"
        groups = check(R.get(v3("/consumer-groups")), 200)
        assert g in [x["consumer_group_id"] for x in groups["data"]]

        consumers = check(R.get(v3(f"/consumer-groups/{g}/consumers")), 200)["data"]
        assert len(consumers) == 1 and consumers[0]["client_id"] == "rp-lag-client"
        member = consumers[0]["consumer_id"]
        assert check(R.get(v3(f"/consumer-groups/{g}/consumers/{member}")), 200) == consumers[0]
        asg = check(R.get(v3(f"/consumer-groups/{g}/consumers/{member}/assignments")), 200)["data"]
        assert sorted((a["topic_name"], a["partition_id"]) for a in asg) == [(t, 0), (t, 1)]
        one = check(R.get(v3(f"/consumer-groups/{g}/consumers/{member}/assignments/{t}/partitions/1")), 200)
        assert one["kind"] == "KafkaConsumerAssignment" and one["partition_id"] == 1
        assert one["lag"] == {"related": url(f"/consumer-groups/{g}/lags/{t}/partitions/1")}
        check(R.get(v3(f"/consumer-groups/{g}/consumers/{member}/assignments/{t}/partitions/9")), 404, 404)
        check(R.get(v3(f"/consumer-groups/{g}/consumers/nobody")), 404, 404)

        lags = check(R.get(v3(f"/consumer-groups/{g}/lags")), 200)
        assert lags["kind"] == "KafkaConsumerLagList"
        rows = {x["partition_id"]: x for x in lags["data"]}
        assert (rows[0]["current_offset"], rows[0]["log_end_offset"], rows[0]["lag"]) == (6, 10, 4)
        assert (rows[1]["current_offset"], rows[1]["log_end_offset"], rows[1]["lag"]) == (4, 4, 0)
        assert rows[0]["consumer_id"] == member and rows[0]["client_id"] == "rp-lag-client"
        assert check(R.get(v3(f"/consumer-groups/{g}/lags/{t}/partitions/0")), 200) == rows[0]
        check(R.get(v3(f"/consumer-groups/{g}/lags/{t}/partitions/7")), 404, 404)

        summary = check(R.get(v3(f"/consumer-groups/{g}/lag-summary")), 200)
        assert summary["kind"] == "KafkaConsumerGroupLagSummary"
        assert summary["max_lag"] == 4 and summary["total_lag"] == 4
        assert summary["max_lag_topic_name"] == t and summary["max_lag_partition_id"] == 0
        assert summary["max_lag_consumer_id"] == member and summary["max_lag_client_id"] == "rp-lag-client"
        assert summary["max_lag_partition"] == {"related": url(f"/topics/{t}/partitions/0")}
    finally:
        c.close()

    # After the member left: the group is empty, its commits still give lags.
    rptest.produce_kcat(P, t, ["late"], partition=1)
    deadline = time.time() + 15
    grp = None
    while time.time() < deadline:
        grp = check(R.get(v3(f"/consumer-groups/{g}")), 200)
        if grp["state"] == "EMPTY":
            break
        time.sleep(0.3)
    assert grp["state"] == "EMPTY", grp
    assert check(R.get(v3(f"/consumer-groups/{g}/consumers")), 200)["data"] == []
    summary = check(R.get(v3(f"/consumer-groups/{g}/lag-summary")), 200)
    assert summary["total_lag"] == 5 and summary["max_lag"] == 4
    assert summary["max_lag_consumer_id"] == "" and summary["max_lag_consumer"] is None
    rows = {x["partition_id"]: x for x in check(R.get(v3(f"/consumer-groups/{g}/lags")), 200)["data"]}
    assert rows[1]["lag"] == 1 and rows[1]["consumer_id"] == ""


def test_unknown_consumer_group_is_404():
    g = unique_topic("rp-v3-nogroup")
    for path in ("", "/consumers", "/lags", "/lag-summary", "/consumers/x/assignments"):
        check_error(R.get(v3(f"/consumer-groups/{g}{path}")), 40405)


# -- ACLs -------------------------------------------------------------------------------

def test_acls_are_empty_and_changes_are_refused():
    body = check(R.get(v3("/acls"), params={"resource_type": "TOPIC", "operation": "READ"}), 200)
    assert body["kind"] == "KafkaAclList" and body["data"] == []
    check(R.get(v3("/acls"), params={"resource_type": "TABLE"}), 400, 400)
    acl = {"resource_type": "TOPIC", "resource_name": "t", "pattern_type": "LITERAL", "principal": "User:alice",
           "host": "*", "operation": "READ", "permission": "ALLOW"}
    body = check_error(R.post(v3("/acls"), acl), 40002)
    assert "Authorizer" in body["message"], body
    check_error(R.post(v3("/acls:batch"), {"data": [acl]}), 40002)
    check_error(R.delete(v3("/acls"), params={"resource_type": "TOPIC"}), 40002)
    check(R.delete(v3("/acls")), 400, 400)


if __name__ == "__main__":
    run_tests(globals())
