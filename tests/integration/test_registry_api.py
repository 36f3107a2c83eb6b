# SPDX-License-Identifier: Apache-2.0
"""Drives every Schema Registry endpoint of a real `weir registry` over HTTP and
asserts status, error_code and JSON shapes as shared/spec/schema-registry.md
defines them (§0, §2, §3, §4, §5 and the §7 REST behaviour scenario table).
Tests that change global config or mode start their own server; the rest
share one server and use fresh subject names. Not covered here: malformed
input (test_registry_bad_input.py) and the compatibility corpus
(test_registry_conformance.py)."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weirtest as wt  # noqa: E402
from weirtest import avro_record, check, check_error, quote, unique  # noqa: E402

REG = None

A = avro_record("myrecord", [("f1", "string")])
B = avro_record("myrecord", [("f1", "string"), ("f2", "string", "foo")])
C = avro_record("myrecord", [("f1", "string"), ("f2", "string", "foo"), ("f3", "int", 0)])
INCOMPATIBLE_WITH_A = avro_record("myrecord", [("f1", "string"), ("f2", "string")])  # new field, no default


def setup_module():
    global REG
    REG = wt.Registry().start()


def teardown_module():
    wt.stop_server(REG)


def versions(subject, **params):
    r = REG.get(f"/subjects/{quote(subject)}/versions", params=params or None)
    return check(r, 200)


def lookup(subject, schema, **params):
    return REG.post(f"/subjects/{quote(subject)}", {"schema": schema}, params=params or None)


# ---------------------------------------------------------------- root / metadata
def test_root_answers_empty_object_with_schemaregistry_content_type():
    r = REG.get("/")
    assert check(r, 200) == {}
    assert r.headers["Content-Type"].startswith(wt.CT_V1), r.headers


def test_metadata_id_has_cluster_scope():
    body = check(REG.get("/v1/metadata/id"), 200)
    assert isinstance(body["scope"]["path"], list), body
    assert isinstance(body["scope"]["clusters"], dict), body


def test_unknown_route_answers_404_with_error_body():
    check(REG.get("/no/such/route"), 404, 404)


def test_wrong_method_on_known_route_answers_405():
    check(REG.delete("/schemas/types"), 405, 405)
    check(REG.request("PUT", "/subjects"), 405, 405)


# ---------------------------------------------------------------- content negotiation
def test_accept_application_json_is_honoured():
    r = REG.get("/schemas/types", headers={"Accept": "application/json"})
    check(r, 200)
    assert r.headers["Content-Type"].startswith("application/json"), r.headers


def test_accept_vnd_schemaregistry_json_is_honoured():
    r = REG.get("/schemas/types", headers={"Accept": wt.CT_SR})
    check(r, 200)
    assert r.headers["Content-Type"].startswith(wt.CT_SR), r.headers


def test_accept_wildcard_gets_v1_json():
    r = REG.get("/schemas/types", headers={"Accept": "*/*"})
    check(r, 200)
    assert r.headers["Content-Type"].startswith(wt.CT_V1), r.headers


def test_unsatisfiable_accept_answers_406():
    check(REG.get("/schemas/types", headers={"Accept": "text/html"}), 406, 406)


def test_unsupported_content_type_answers_415():
    s = unique()
    r = REG.post(f"/subjects/{s}/versions", raw=json.dumps({"schema": A}), headers={"Content-Type": "text/plain"})
    check(r, 415, 415)


def test_register_accepts_every_json_content_type_and_none():
    s = unique()
    for ct in (wt.CT_V1, wt.CT_SR, wt.CT_JSON, "application/octet-stream", None):
        headers = {"Content-Type": ct} if ct else {}
        r = REG.post(f"/subjects/{s}/versions", raw=json.dumps({"schema": A}), headers=headers)
        assert check(r, 200)["id"] > 0, ct


# ---------------------------------------------------------------- register / read
def test_register_same_schema_on_different_subjects_gives_same_id_and_version_1():
    s1, s2 = unique(), unique()
    id1 = REG.register(s1, A)["id"]
    id2 = REG.register(s2, A)["id"]
    assert isinstance(id1, int) and id1 >= 1
    assert id1 == id2
    assert versions(s1) == [1] and versions(s2) == [1]
    v = check(REG.get(f"/subjects/{s2}/versions/1"), 200)
    assert v["id"] == id1 and v["version"] == 1 and v["subject"] == s2


def test_reregistering_is_idempotent():
    s = unique()
    first = REG.register(s, A)
    again = REG.register(s, A)
    assert again["id"] == first["id"]
    if "version" in again:
        assert again["version"] == 1
    assert versions(s) == [1]


def test_whitespace_and_attribute_order_variants_share_one_id():
    s1, s2 = unique(), unique()
    compact = '{"type":"record","name":"ws","fields":[{"name":"f1","type":"string"}]}'
    spaced = '{ "fields" : [ { "type" : "string" , "name" : "f1" } ] ,\n "name" : "ws", "type" : "record" }'
    assert REG.register(s1, compact)["id"] == REG.register(s2, spaced)["id"]


def test_avro_schema_is_stored_in_canonical_form():
    s = unique()
    sid = REG.register(s, '{ "name": "canon", "fields": [ {"type": "string", "name": "f1"} ], "type": "record" }')["id"]
    got = check(REG.get(f"/schemas/ids/{sid}"), 200)["schema"]
    assert got == '{"type":"record","name":"canon","fields":[{"name":"f1","type":"string"}]}', got


def test_primitive_wrapper_collapses_to_primitive_name():
    s = unique()
    sid = REG.register(s, '{"type": "string"}')["id"]
    assert check(REG.get(f"/schemas/ids/{sid}"), 200)["schema"] == '"string"'
    r = REG.get(f"/subjects/{s}/versions/1/schema")
    check(r, 200)
    assert r.text.strip() == '"string"', r.text
    assert REG.register(unique(), '"string"')["id"] == sid


def test_subject_version_shape_and_latest_aliases():
    s = unique()
    REG.register(s, A)
    REG.register(s, B)
    v2 = check(REG.get(f"/subjects/{s}/versions/2"), 200)
    for k in ("subject", "version", "id", "schema"):
        assert k in v2, v2
    assert v2["subject"] == s and v2["version"] == 2
    assert v2.get("schemaType", "AVRO") == "AVRO"
    assert json.loads(v2["schema"]) == json.loads(B)
    for alias in ("latest", "LATEST", "Latest", "-1"):
        assert check(REG.get(f"/subjects/{s}/versions/{alias}"), 200) == v2, alias
    raw = REG.get(f"/subjects/{s}/versions/latest/schema")
    check(raw, 200)
    assert json.loads(raw.text) == json.loads(B)
    assert versions(s) == [1, 2]


def test_get_subjects_is_sorted_and_lists_new_subject():
    s = unique("zz")
    REG.register(s, A)
    subjects = check(REG.get("/subjects"), 200)
    assert s in subjects
    assert subjects == sorted(subjects)


def test_schema_by_id_shapes_and_subresources():
    s1, s2 = unique(), unique()
    sid = REG.register(s1, C)["id"]
    REG.register(s2, A)
    REG.register(s2, C)
    body = check(REG.get(f"/schemas/ids/{sid}"), 200)
    assert json.loads(body["schema"]) == json.loads(C)
    assert body.get("schemaType", "AVRO") == "AVRO"
    assert "subject" not in body and "version" not in body and "maxId" not in body, body
    raw = REG.get(f"/schemas/ids/{sid}/schema")
    check(raw, 200)
    assert json.loads(raw.text) == json.loads(C)
    assert sorted(check(REG.get(f"/schemas/ids/{sid}/subjects"), 200)) == sorted([s1, s2])
    vs = check(REG.get(f"/schemas/ids/{sid}/versions"), 200)
    assert sorted(vs, key=lambda x: x["subject"]) == sorted(
        [{"subject": s1, "version": 1}, {"subject": s2, "version": 2}], key=lambda x: x["subject"]
    ), vs


def test_schema_by_id_with_subject_param_fills_subject_and_version():
    s = unique()
    sid = REG.register(s, A)["id"]
    REG.register(s, B)
    body = check(REG.get(f"/schemas/ids/{sid}", params={"subject": s}), 200)
    assert body.get("subject") == s and body.get("version") == 1, body


def test_fetch_max_id_only_when_asked():
    s = unique()
    sid = REG.register(s, avro_record("maxid", [("x", "long")]))["id"]
    plain = check(REG.get(f"/schemas/ids/{sid}"), 200)
    assert "maxId" not in plain
    withmax = check(REG.get(f"/schemas/ids/{sid}", params={"fetchMaxId": "true"}), 200)
    assert isinstance(withmax.get("maxId"), int) and withmax["maxId"] >= sid, withmax


def test_unknown_schema_id_answers_40403_on_every_id_route():
    for path in ("", "/schema", "/subjects", "/versions"):
        check_error(REG.get(f"/schemas/ids/987654321{path}"), 40403)


def test_schema_types_lists_avro():
    types = check(REG.get("/schemas/types"), 200)
    assert isinstance(types, list) and "AVRO" in types, types
    assert set(types) <= {"AVRO", "JSON", "PROTOBUF"}, types
    assert len(set(types)) == len(types), types


def test_get_schemas_lists_full_schema_objects():
    s = unique("list")
    sid = REG.register(s, A)["id"]
    lst = check(REG.get("/schemas", params={"subjectPrefix": s}), 200)
    assert isinstance(lst, list)
    mine = [x for x in lst if x.get("subject") == s]
    assert len(mine) == 1, lst
    assert mine[0]["id"] == sid and mine[0]["version"] == 1 and "schema" in mine[0]


def test_lookup_finds_registered_version_and_reports_4040x_otherwise():
    s = unique()
    sid = REG.register(s, A)["id"]
    body = check(lookup(s, A), 200)
    assert body["subject"] == s and body["version"] == 1 and body["id"] == sid
    assert json.loads(body["schema"]) == json.loads(A)
    check_error(lookup(s, B), 40403)
    check_error(lookup(unique(), A), 40401)


def test_unknown_version_answers_40402_and_unknown_subject_40401():
    s = unique()
    REG.register(s, A)
    check_error(REG.get(f"/subjects/{s}/versions/99"), 40402)
    check_error(REG.get(f"/subjects/{unique()}/versions/1"), 40401)
    check_error(REG.get(f"/subjects/{unique()}/versions"), 40401)


def test_invalid_version_strings_answer_42202_everywhere():
    s = unique()
    REG.register(s, A)
    for bad in ("0", "-2", "abc", "2147483648", "1.5"):
        check_error(REG.get(f"/subjects/{s}/versions/{bad}"), 42202)
        check_error(REG.get(f"/subjects/{s}/versions/{bad}/schema"), 42202)
        check_error(REG.get(f"/subjects/{s}/versions/{bad}/referencedby"), 42202)
        check_error(REG.delete(f"/subjects/{s}/versions/{bad}"), 42202)
        check_error(REG.post(f"/compatibility/subjects/{s}/versions/{bad}", {"schema": B}), 42202)


def test_explicit_version_must_be_next_version():
    s = unique()
    REG.register(s, A)
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": B, "version": 3}), 42201)
    assert check(REG.post(f"/subjects/{s}/versions", {"schema": B, "version": 2}), 200)["id"] > 0
    assert versions(s) == [1, 2]


def test_unknown_request_fields_are_ignored():
    s = unique()
    body = {
        "schema": A,
        "schemaType": "AVRO",
        "someFutureField": {"x": [1, 2]},
        "schemaTagsToAdd": [],
        "propagateSchemaTags": False,
    }
    assert check(REG.post(f"/subjects/{s}/versions", body), 200)["id"] > 0
    check(REG.post(f"/subjects/{s}", body), 200)


def test_metadata_and_rule_set_are_stored_returned_and_part_of_identity():
    s = unique()
    schema = avro_record("meta", [("a", "int")])
    metadata = {"properties": {"owner": "team-a", "tier": "gold"}}
    rule_set = {
        "domainRules": [
            {"name": "checkA", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "message.a > 0"}
        ]
    }
    plain_id = REG.register(unique(), schema)["id"]
    sid = check(REG.post(f"/subjects/{s}/versions", {"schema": schema, "metadata": metadata, "ruleSet": rule_set}), 200)[
        "id"
    ]
    assert sid != plain_id, "metadata/ruleSet are part of schema identity"
    v = check(REG.get(f"/subjects/{s}/versions/1"), 200)
    assert v["metadata"]["properties"]["owner"] == "team-a", v
    assert v["metadata"]["properties"]["tier"] == "gold", v
    assert v["ruleSet"]["domainRules"][0]["name"] == "checkA", v
    assert v["ruleSet"]["domainRules"][0]["expr"] == "message.a > 0", v
    byid = check(REG.get(f"/schemas/ids/{sid}"), 200)
    assert byid["metadata"]["properties"]["owner"] == "team-a", byid
    assert byid["ruleSet"]["domainRules"][0]["name"] == "checkA", byid


def test_url_encoded_subject_with_slash():
    s = unique("ns") + "/my.proto"
    enc = quote(s)
    assert "%2F" in enc
    sid = REG.register(s, A)["id"]
    assert check(REG.get(f"/subjects/{enc}/versions"), 200) == [1]
    v = check(REG.get(f"/subjects/{enc}/versions/1"), 200)
    assert v["subject"] == s and v["id"] == sid
    assert s in check(REG.get("/subjects"), 200)
    assert s in check(REG.get(f"/schemas/ids/{sid}/subjects"), 200)


def test_invalid_schema_and_schema_type_answer_42201():
    s = unique()
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": '{"type":"record","name":"x"}'}), 42201)
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": A, "schemaType": "XML"}), 42201)
    bad_default = '{"type":"record","name":"d","fields":[{"name":"f","type":"string","default":null}]}'
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": bad_default}), 42201)


def test_normalize_lookup_finds_version_with_reordered_properties():
    s = unique()
    schema = '{"type":"record","name":"norm","namespace":"n.s","fields":[{"name":"a","type":"int","doc":"x","default":1}]}'
    reordered = '{"namespace":"n.s","fields":[{"default":1,"doc":"x","type":"int","name":"a"}],"name":"norm","type":"record"}'
    sid = check(REG.post(f"/subjects/{s}/versions", {"schema": schema}, params={"normalize": "true"}), 200)["id"]
    body = check(REG.post(f"/subjects/{s}", {"schema": reordered}, params={"normalize": "true"}), 200)
    assert body["id"] == sid and body["version"] == 1


# ---------------------------------------------------------------- deletes (§5.4, §5.5)
def test_delete_schema_version_basic_sequence():
    s = unique()
    id_a = REG.register(s, A)["id"]
    id_b = REG.register(s, B)["id"]
    assert check(REG.delete(f"/subjects/{s}/versions/2"), 200) == 2
    assert versions(s) == [1]
    got = check(REG.get(f"/subjects/{s}/versions/2", params={"deleted": "true"}), 200)
    assert got["id"] == id_b and got["version"] == 2
    check_error(REG.get(f"/subjects/{s}/versions/2"), 40402)
    check_error(lookup(s, B), 40403)
    # id of a soft-deleted version stays resolvable
    check(REG.get(f"/schemas/ids/{id_b}"), 200)
    assert check(REG.delete(f"/subjects/{s}/versions/latest"), 200) == 1
    check_error(REG.get(f"/subjects/{s}/versions"), 40401)
    check_error(REG.get(f"/subjects/{s}/versions/latest"), 40401)
    again = REG.register(s, A)
    assert again["id"] == id_a
    assert versions(s) == [3]
    REG.register(s, A)
    assert versions(s) == [3]


def test_delete_schema_version_permanent_sequence():
    s = unique()
    id_a = REG.register(s, A)["id"]
    REG.register(s, B)
    check_error(REG.delete(f"/subjects/{s}/versions/2", params={"permanent": "true"}), 40407)
    assert check(REG.delete(f"/subjects/{s}/versions/2"), 200) == 2
    check_error(REG.delete(f"/subjects/{s}/versions/2"), 40406)
    check(REG.get(f"/subjects/{s}/versions/2", params={"deleted": "true"}), 200)
    assert check(REG.delete(f"/subjects/{s}/versions/2", params={"permanent": "true"}), 200) == 2
    check_error(REG.get(f"/subjects/{s}/versions/2", params={"deleted": "true"}), 40402)
    assert check(REG.delete(f"/subjects/{s}/versions/1"), 200) == 1
    again = REG.register(s, A)
    assert again["id"] == id_a
    assert versions(s) == [2], "hard-deleted version numbers are freed"


def test_delete_latest_moves_latest_back_and_deleting_older_keeps_it():
    s = unique()
    REG.register(s, A)
    REG.register(s, B)
    REG.register(s, C)
    check(REG.delete(f"/subjects/{s}/versions/latest"), 200)
    assert check(REG.get(f"/subjects/{s}/versions/latest"), 200)["version"] == 2
    check(REG.delete(f"/subjects/{s}/versions/1"), 200)
    assert check(REG.get(f"/subjects/{s}/versions/latest"), 200)["version"] == 2
    assert versions(s) == [2]


def test_lookup_with_deleted_finds_soft_deleted_version():
    s = unique()
    id_a = REG.register(s, A)["id"]
    REG.register(s, B)
    assert sorted(check(REG.delete(f"/subjects/{s}"), 200)) == [1, 2]
    check_error(lookup(s, A), 40401)
    found = check(lookup(s, A, deleted="true"), 200)
    assert found["version"] == 1 and found["id"] == id_a
    assert REG.register(s, A)["id"] == id_a
    assert versions(s) == [3]


def test_delete_subject_and_register_again_continues_numbering():
    s = unique()
    REG.register(s, A)
    REG.register(s, B)
    check(REG.delete(f"/subjects/{s}"), 200)
    REG.register(s, A)
    REG.register(s, B)
    assert versions(s) == [3, 4]
    check_error(REG.get(f"/subjects/{s}/versions/1"), 40402)


def test_deleting_incompatible_latest_makes_schema_compatible_again():
    s = unique()
    REG.set_compat(s, "NONE")
    REG.register(s, A)
    REG.register(s, avro_record("myrecord", [("f1", "int")]))
    REG.set_compat(s, "BACKWARD")
    r = REG.post(f"/subjects/{s}/versions", {"schema": B})
    check(r, 409)
    check(REG.delete(f"/subjects/{s}/versions/2"), 200)
    REG.register(s, B)
    assert check(REG.get(f"/subjects/{s}/versions/latest"), 200)["version"] == 3


def test_list_soft_deleted_subjects_and_versions():
    live, gone = unique("live"), unique("gone")
    REG.register(live, A)
    REG.register(gone, A)
    REG.register(gone, B)
    check(REG.delete(f"/subjects/{gone}/versions/1"), 200)
    assert check(REG.get(f"/subjects/{gone}/versions", params={"deletedOnly": "true"}), 200) == [1]
    assert check(REG.get(f"/subjects/{gone}/versions", params={"deleted": "true"}), 200) == [1, 2]
    check(REG.delete(f"/subjects/{gone}"), 200)
    plain = check(REG.get("/subjects"), 200)
    assert live in plain and gone not in plain
    with_deleted = check(REG.get("/subjects", params={"deleted": "true"}), 200)
    assert live in with_deleted and gone in with_deleted
    only = check(REG.get("/subjects", params={"deletedOnly": "true"}), 200)
    assert gone in only and live not in only


def test_delete_subject_error_codes():
    s = unique()
    REG.register(s, A)
    REG.register(s, B)
    check_error(REG.delete(f"/subjects/{s}", params={"permanent": "true"}), 40405)
    assert sorted(check(REG.delete(f"/subjects/{s}"), 200)) == [1, 2]
    check_error(REG.delete(f"/subjects/{s}"), 40404)
    assert sorted(check(REG.delete(f"/subjects/{s}", params={"permanent": "true"}), 200)) == [1, 2]
    check_error(REG.get(f"/subjects/{s}/versions", params={"deleted": "true"}), 40401)
    assert s not in check(REG.get("/subjects", params={"deleted": "true"}), 200)
    nobody = unique()
    check_error(REG.delete(f"/subjects/{nobody}"), 40401)
    check_error(REG.delete(f"/subjects/{nobody}", params={"permanent": "true"}), 40401)
    check_error(REG.delete(f"/subjects/{nobody}/versions/1"), 40401)


def test_ids_disappear_after_last_hard_delete():
    s = unique()
    sid = REG.register(s, avro_record("gone", [("g", "double")]))["id"]
    check(REG.delete(f"/subjects/{s}"), 200)
    check(REG.get(f"/schemas/ids/{sid}"), 200)
    check(REG.delete(f"/subjects/{s}", params={"permanent": "true"}), 200)
    check_error(REG.get(f"/schemas/ids/{sid}"), 40403)


# ---------------------------------------------------------------- compatibility endpoints
def test_compatibility_against_missing_subject_is_true():
    r = REG.post(f"/compatibility/subjects/{unique()}/versions/latest", {"schema": A})
    assert check(r, 200) == {"is_compatible": True}
    r = REG.post(f"/compatibility/subjects/{unique()}/versions", {"schema": A})
    assert check(r, 200)["is_compatible"] is True


def test_compatibility_against_missing_version_is_40402():
    s = unique()
    REG.register(s, A)
    check_error(REG.post(f"/compatibility/subjects/{s}/versions/7", {"schema": B}), 40402)


def test_compatibility_verbose_messages_and_plain_shape():
    s = unique()
    REG.register(s, A)
    ok = check(REG.post(f"/compatibility/subjects/{s}/versions/latest", {"schema": B}), 200)
    assert ok == {"is_compatible": True}
    bad = check(REG.post(f"/compatibility/subjects/{s}/versions/latest", {"schema": INCOMPATIBLE_WITH_A}), 200)
    assert bad == {"is_compatible": False}
    verbose = check(
        REG.post(f"/compatibility/subjects/{s}/versions", {"schema": INCOMPATIBLE_WITH_A}, params={"verbose": "true"}),
        200,
    )
    assert verbose["is_compatible"] is False
    assert isinstance(verbose["messages"], list) and verbose["messages"], verbose
    assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in m for m in verbose["messages"]), verbose


def test_compatibility_verbose_parse_error_is_reported_as_incompatible():
    s = unique()
    REG.register(s, A)
    r = REG.post(f"/compatibility/subjects/{s}/versions", {"schema": "{not avro"}, params={"verbose": "true"})
    body = check(r, 200)
    assert body["is_compatible"] is False and body["messages"], body


def test_compatibility_path_accepts_trailing_slash():
    s = unique()
    REG.register(s, A)
    assert check(REG.post(f"/compatibility/subjects/{s}/versions/", {"schema": B}), 200)["is_compatible"] is True
    r = REG.post(f"/compatibility/subjects/{s}/versions/", {"schema": INCOMPATIBLE_WITH_A})
    assert check(r, 200)["is_compatible"] is False


def test_compatibility_never_writes():
    s = unique()
    REG.register(s, A)
    check(REG.post(f"/compatibility/subjects/{s}/versions", {"schema": B}), 200)
    assert versions(s) == [1]


def test_incompatible_registration_answers_409_with_details():
    s = unique()
    REG.register(s, A)
    r = REG.post(f"/subjects/{s}/versions", {"schema": INCOMPATIBLE_WITH_A})
    body = check(r, 409)
    assert body["error_code"] in (409, 40901), body
    msg = body["message"]
    for needle in ("READER_FIELD_MISSING_DEFAULT_VALUE", "oldSchemaVersion:", "oldSchema:", "compatibility:"):
        assert needle in msg, (needle, msg)
    assert versions(s) == [1]


def test_transitive_level_checks_every_live_version():
    s = unique()
    REG.set_compat(s, "NONE")
    REG.register(s, avro_record("t", [("a", "int")]))
    REG.register(s, avro_record("t", [("a", "int"), ("b", "string", "x")]))
    REG.register(s, avro_record("t", [("b", "string", "x")]))
    # reads v3 (a missing there, but has a default) but not v1/v2 (a: int written, string read)
    new = avro_record("t", [("a", "string", ""), ("b", "string", "x")])
    REG.set_compat(s, "BACKWARD")
    assert check(REG.post(f"/compatibility/subjects/{s}/versions", {"schema": new}), 200)["is_compatible"] is True
    REG.set_compat(s, "BACKWARD_TRANSITIVE")
    assert check(REG.post(f"/compatibility/subjects/{s}/versions", {"schema": new}), 200)["is_compatible"] is False
    check(REG.delete(f"/subjects/{s}/versions/1"), 200)
    check(REG.delete(f"/subjects/{s}/versions/2"), 200)
    assert check(REG.post(f"/compatibility/subjects/{s}/versions", {"schema": new}), 200)["is_compatible"] is True


# ---------------------------------------------------------------- config hierarchy
def test_config_put_get_delete_on_subject():
    s = unique()
    REG.register(s, A)
    check_error(REG.get(f"/config/{s}"), 40408)
    eff = check(REG.get(f"/config/{s}", params={"defaultToGlobal": "true"}), 200)
    glob = check(REG.get("/config"), 200)
    assert eff["compatibilityLevel"] == glob["compatibilityLevel"]
    put = check(REG.put(f"/config/{s}", {"compatibility": "forward_transitive"}), 200)
    assert put == {"compatibility": "FORWARD_TRANSITIVE"} or put.get("compatibility") == "FORWARD_TRANSITIVE", put
    assert check(REG.get(f"/config/{s}"), 200)["compatibilityLevel"] == "FORWARD_TRANSITIVE"
    check_error(REG.put(f"/config/{s}", {"compatibility": "SIDEWAYS"}), 42203)
    deleted = check(REG.delete(f"/config/{s}"), 200)
    assert deleted.get("compatibilityLevel") == "FORWARD_TRANSITIVE", deleted
    check_error(REG.get(f"/config/{s}"), 40408)
    check_error(REG.delete(f"/config/{s}"), 40401)


def test_subject_config_survives_soft_delete_and_goes_with_permanent_delete():
    s = unique()
    REG.register(s, A)
    REG.set_compat(s, "NONE")
    check(REG.delete(f"/subjects/{s}"), 200)
    assert check(REG.get(f"/config/{s}"), 200)["compatibilityLevel"] == "NONE"
    check(REG.delete(f"/subjects/{s}", params={"permanent": "true"}), 200)
    check_error(REG.get(f"/config/{s}"), 40408)


def test_global_and_context_config_hierarchy():
    with wt.Registry() as reg:
        assert check(reg.get("/config"), 200)["compatibilityLevel"] == "BACKWARD"
        assert check(reg.get("/mode"), 200) == {"mode": "READWRITE"}
        put = check(reg.put("/config", {"compatibility": "FULL"}), 200)
        assert put.get("compatibility") == "FULL", put
        assert check(reg.get("/config"), 200)["compatibilityLevel"] == "FULL"
        check_error(reg.put("/config", {"compatibility": "nope"}), 42203)
        s = unique()
        reg.register(s, A)
        assert check(reg.get(f"/config/{s}", params={"defaultToGlobal": "true"}), 200)["compatibilityLevel"] == "FULL"
        # FULL: a new field without default is rejected
        check(reg.post(f"/subjects/{s}/versions", {"schema": INCOMPATIBLE_WITH_A}), 409)
        reg.set_compat(s, "NONE")
        assert check(reg.get(f"/config/{s}", params={"defaultToGlobal": "true"}), 200)["compatibilityLevel"] == "NONE"
        reg.register(s, INCOMPATIBLE_WITH_A)
        # context-level config applies to subjects of that context without their own config
        check(reg.put("/config/:.ctxc:", {"compatibility": "NONE"}), 200)
        cs = ":.ctxc:" + unique()
        eff = check(reg.get(f"/config/{quote(cs)}", params={"defaultToGlobal": "true"}), 200)
        assert eff["compatibilityLevel"] == "NONE", eff
        reg.register(cs, A)
        reg.register(cs, INCOMPATIBLE_WITH_A)
        # deleting the global config falls back to the server default
        check(reg.delete("/config"), 200)
        assert check(reg.get("/config"), 200)["compatibilityLevel"] == "BACKWARD"


# ---------------------------------------------------------------- modes
def test_subject_mode_readonly_blocks_writes_but_not_idempotent_register():
    s = unique()
    sid = REG.register(s, A)["id"]
    check_error(REG.get(f"/mode/{s}"), 40409)
    assert check(REG.get(f"/mode/{s}", params={"defaultToGlobal": "true"}), 200) == {"mode": "READWRITE"}
    assert check(REG.put(f"/mode/{s}", {"mode": "READONLY"}), 200) == {"mode": "READONLY"}
    assert check(REG.get(f"/mode/{s}"), 200) == {"mode": "READONLY"}
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": B}), 42205)
    assert REG.register(s, A)["id"] == sid, "re-registering an existing schema works in READONLY"
    check_error(REG.delete(f"/subjects/{s}/versions/1"), 42205)
    check_error(REG.delete(f"/subjects/{s}"), 42205)
    check_error(REG.put(f"/config/{s}", {"compatibility": "NONE"}), 42205)
    check_error(REG.put(f"/mode/{s}", {"mode": "SOMETIMES"}), 42204)
    assert check(REG.put(f"/mode/{s}", {"mode": "readwrite"}), 200) == {"mode": "READWRITE"}
    REG.register(s, B)
    assert check(REG.delete(f"/mode/{s}"), 200).get("mode") == "READWRITE"
    check_error(REG.get(f"/mode/{s}"), 40409)
    check_error(REG.delete(f"/mode/{s}"), 40401)


def test_register_with_id_outside_import_mode_is_42205():
    s = unique()
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": A, "id": 4242}), 42205)


def test_import_mode_on_empty_subject_requires_id():
    s = unique()
    assert check(REG.put(f"/mode/{s}", {"mode": "IMPORT"}), 200) == {"mode": "IMPORT"}
    check_error(REG.post(f"/subjects/{s}/versions", {"schema": A}), 42205)


def test_register_with_different_id_after_soft_delete_and_import():
    s = unique()
    schema = avro_record("reimport", [("r", "int")])
    REG.register(s, schema)
    check(REG.delete(f"/subjects/{s}"), 200)
    check(REG.put(f"/mode/{s}", {"mode": "IMPORT"}), 200)
    body = check(REG.post(f"/subjects/{s}/versions", {"schema": schema, "id": 777777, "version": 1}), 200)
    assert body["id"] == 777777
    assert check(REG.get(f"/subjects/{s}/versions/1"), 200)["id"] == 777777


def test_global_import_mode_with_force_explicit_ids_and_id_continuation():
    with wt.Registry() as reg:
        s = unique()
        reg.register(s, A)
        check_error(reg.put("/mode", {"mode": "IMPORT"}), 42205)
        assert check(reg.put("/mode", {"mode": "IMPORT"}, params={"force": "true"}), 200) == {"mode": "IMPORT"}
        assert check(reg.get("/mode"), 200) == {"mode": "IMPORT"}
        imp = unique("imp")
        check_error(reg.post(f"/subjects/{imp}/versions", {"schema": B}), 42205)
        body = check(reg.post(f"/subjects/{imp}/versions", {"schema": B, "id": 100, "version": 5}), 200)
        assert body["id"] == 100
        assert check(reg.get(f"/subjects/{imp}/versions"), 200) == [5]
        assert check(reg.get(f"/subjects/{imp}/versions/5"), 200)["id"] == 100
        # id reuse only for identical content
        check_error(reg.post(f"/subjects/{unique()}/versions", {"schema": C, "id": 100}), 42205)
        same = check(reg.post(f"/subjects/{unique()}/versions", {"schema": B, "id": 100}), 200)
        assert same["id"] == 100
        # no compatibility check in IMPORT
        check(reg.post(f"/subjects/{imp}/versions", {"schema": '"int"', "id": 101, "version": 6}), 200)
        assert check(reg.put("/mode", {"mode": "READWRITE"}), 200) == {"mode": "READWRITE"}
        nid = reg.register(unique(), avro_record("after", [("z", "int")]))["id"]
        assert nid > 101, f"ids continue above the highest imported id, got {nid}"
        # global READONLY blocks registration; a subject-level READWRITE overrides it
        check(reg.put("/mode", {"mode": "READONLY"}), 200)
        rw = unique()
        check_error(reg.post(f"/subjects/{rw}/versions", {"schema": A}), 42205)
        check(reg.put(f"/mode/{rw}", {"mode": "READWRITE"}), 200)
        reg.register(rw, A)
        assert check(reg.get(f"/mode/{unique()}", params={"defaultToGlobal": "true"}), 200) == {"mode": "READONLY"}
        check(reg.put("/mode", {"mode": "READWRITE"}), 200)


# ---------------------------------------------------------------- contexts
def test_qualified_subjects_have_their_own_id_space_and_listing():
    ctx = ".ctx" + unique("c").replace("-", "")
    s1, s2 = f":{ctx}:alpha", f":{ctx}:beta"
    id1 = REG.register(s1, avro_record("ctxrec", [("a", "int")]))["id"]
    id2 = REG.register(s2, avro_record("ctxrec2", [("b", "int")]))["id"]
    assert (id1, id2) == (1, 2), f"a new context starts its ids at 1, got {(id1, id2)}"
    contexts = check(REG.get("/contexts"), 200)
    assert contexts[0] == "." and ctx in contexts, contexts
    listed = check(REG.get("/subjects", params={"subjectPrefix": f":{ctx}:"}), 200)
    assert listed == [s1, s2], listed
    assert s1 in check(REG.get("/subjects"), 200)
    assert check(REG.get(f"/subjects/{quote(s1)}/versions"), 200) == [1]
    body = check(REG.get(f"/schemas/ids/{id1}", params={"subject": f":{ctx}:"}), 200)
    assert json.loads(body["schema"])["name"] == "ctxrec"
    # path-prefix form
    assert check(REG.get(f"/contexts/{ctx}/subjects/beta/versions"), 200) == [1]
    check_error(REG.delete(f"/contexts/{ctx}"), 42211)


def test_default_context_alias_equals_plain_subject():
    s = unique()
    sid = REG.register(s, A)["id"]
    body = check(REG.get(f"/subjects/{quote(':.:' + s)}/versions/1"), 200)
    assert body["id"] == sid


def test_empty_context_can_be_deleted():
    ctx = ".del" + unique("c").replace("-", "")
    s = f":{ctx}:x"
    REG.register(s, A)
    check(REG.delete(f"/subjects/{quote(s)}"), 200)
    check(REG.delete(f"/subjects/{quote(s)}", params={"permanent": "true"}), 200)
    r = REG.delete(f"/contexts/{ctx}")
    assert r.status_code in (200, 204), (r.status_code, r.text)
    assert ctx not in check(REG.get("/contexts"), 200)


# ---------------------------------------------------------------- references
ADDRESS = '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"}]}'
PERSON = (
    '{"type":"record","name":"Person","namespace":"com.acme","fields":'
    '[{"name":"name","type":"string"},{"name":"address","type":"com.acme.Address"}]}'
)
PERSON2 = (
    '{"type":"record","name":"Person2","namespace":"com.acme","fields":'
    '[{"name":"home","type":"com.acme.Address"}]}'
)


def test_references_between_avro_subjects_referencedby_and_delete_protection():
    addr, person, person2 = unique("addr"), unique("person"), unique("person2")
    REG.register(addr, ADDRESS)
    check_error(REG.post(f"/subjects/{person}/versions", {"schema": PERSON}), 42201)
    missing = [{"name": "com.acme.Address", "subject": unique("nobody"), "version": 1}]
    check_error(REG.post(f"/subjects/{person}/versions", {"schema": PERSON, "references": missing}), 42201)
    ref = [{"name": "com.acme.Address", "subject": addr, "version": 1}]
    pid = REG.register(person, PERSON, references=ref)["id"]
    got = check(REG.get(f"/subjects/{person}/versions/1"), 200)
    assert got["references"] == ref, got
    assert check(REG.get(f"/schemas/ids/{pid}"), 200)["references"] == ref
    # version -1 is resolved to the concrete latest version and stored so
    p2 = REG.register(person2, PERSON2, references=[{"name": "com.acme.Address", "subject": addr, "version": -1}])["id"]
    assert check(REG.get(f"/subjects/{person2}/versions/1"), 200)["references"][0]["version"] == 1
    assert sorted(check(REG.get(f"/subjects/{addr}/versions/1/referencedby"), 200)) == sorted([pid, p2])
    # lookup with references finds the version
    found = check(REG.post(f"/subjects/{person}", {"schema": PERSON, "references": ref}), 200)
    assert found["id"] == pid
    check_error(REG.delete(f"/subjects/{addr}/versions/1"), 42206)
    check_error(REG.delete(f"/subjects/{addr}"), 42206)
    # soft-deleted referrers no longer block a soft delete, but still block a permanent one
    check(REG.delete(f"/subjects/{person}"), 200)
    check(REG.delete(f"/subjects/{person2}"), 200)
    check(REG.delete(f"/subjects/{addr}/versions/1"), 200)
    check_error(REG.delete(f"/subjects/{addr}/versions/1", params={"permanent": "true"}), 42206)
    check(REG.delete(f"/subjects/{person}", params={"permanent": "true"}), 200)
    check(REG.delete(f"/subjects/{person2}", params={"permanent": "true"}), 200)
    assert check(REG.delete(f"/subjects/{addr}/versions/1", params={"permanent": "true"}), 200) == 1


def test_same_text_with_different_references_gets_different_ids():
    a1, a2 = unique("addr"), unique("addr")
    REG.register(a1, ADDRESS)
    REG.register(a2, ADDRESS)
    i1 = REG.register(unique("p"), PERSON, references=[{"name": "com.acme.Address", "subject": a1, "version": 1}])["id"]
    i2 = REG.register(unique("p"), PERSON, references=[{"name": "com.acme.Address", "subject": a2, "version": 1}])["id"]
    assert i1 != i2


# ---------------------------------------------------------------- data contracts (§5.12, §5.6, §5.2 step 10, §5.13)
def test_config_default_and_override_metadata_and_rules_are_merged_on_register():
    s = unique()
    check(REG.put(f"/config/{s}", {
        "compatibility": "NONE",
        "defaultMetadata": {"properties": {"owner": "team-a", "tier": "gold"}},
        "overrideMetadata": {"properties": {"tier": "platinum"}, "sensitive": ["ssn"]},
        "defaultRuleSet": {"domainRules": [{"name": "r1", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
                                            "expr": "true"}]},
        "overrideRuleSet": {"domainRules": [{"name": "r2", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
                                             "expr": "false"}]},
    }), 200)
    out = REG.register(s, A, metadata={"properties": {"owner": "team-b", "app": "x"}},
                       ruleSet={"domainRules": [{"name": "r1", "kind": "CONDITION", "mode": "WRITE", "type": "CEL",
                                                 "expr": "size(name) > 0"}]})
    props = out["metadata"]["properties"]
    assert props == {"owner": "team-b", "tier": "platinum", "app": "x"}, out
    assert out["metadata"]["sensitive"] == ["ssn"], out
    rules = {r["name"]: r["expr"] for r in out["ruleSet"]["domainRules"]}
    assert rules == {"r1": "size(name) > 0", "r2": "false"}, out
    v = check(REG.get(f"/subjects/{s}/versions/1"), 200)
    assert v["metadata"] == out["metadata"] and v["ruleSet"] == out["ruleSet"]
    # the same text without metadata inherits the previous version's: same id, same version
    again = REG.register(s, A)
    assert (again["id"], again["version"]) == (out["id"], 1), again
    # lookup of the bare text finds it; so does a lookup with only the request's part (merged retry)
    assert check(lookup(s, A), 200)["version"] == 1
    r = REG.post(f"/subjects/{s}", {"schema": A, "metadata": {"properties": {"owner": "team-b", "app": "x"}},
                                    "ruleSet": {"domainRules": [{"name": "r1", "kind": "CONDITION", "mode": "WRITE",
                                                                 "type": "CEL", "expr": "size(name) > 0"}]}})
    assert check(r, 200)["version"] == 1


def test_confluent_version_is_set_for_explicit_versions_and_ignored_by_lookup():
    s = unique()
    out = REG.register(s, A, version=1)
    assert out["metadata"]["properties"]["confluent:version"] == "1", out
    # the property is carried forward and renumbered
    out2 = REG.register(s, B)
    assert out2["version"] == 2 and out2["metadata"]["properties"]["confluent:version"] == "2", out2
    # a lookup with a stale or missing confluent:version still matches
    r = REG.post(f"/subjects/{s}", {"schema": B, "metadata": {"properties": {"confluent:version": "7"}}})
    assert check(r, 200)["version"] == 2
    assert check(lookup(s, A), 200)["version"] == 1
    # re-registering B is idempotent although its confluent:version would be 3
    assert REG.register(s, B)["version"] == 2
    assert versions(s) == [1, 2]
    plain = unique()
    assert "metadata" not in REG.register(plain, A)


def test_compatibility_group_compares_only_versions_with_the_same_group_value():
    s = unique()
    check(REG.put(f"/config/{s}", {"compatibility": "BACKWARD", "compatibilityGroup": "major"}), 200)
    REG.register(s, A, metadata={"properties": {"major": "1"}})
    # incompatible with A, but in another group: accepted
    out = REG.register(s, INCOMPATIBLE_WITH_A, metadata={"properties": {"major": "2"}})
    assert out["version"] == 2
    # incompatible within group 2 (f2 loses... a required field f3 without default): refused
    bad = avro_record("myrecord", [("f1", "string"), ("f2", "string"), ("f3", "string")])
    r = REG.post(f"/subjects/{s}/versions", {"schema": bad, "metadata": {"properties": {"major": "2"}}})
    assert r.status_code == 409, r.text
    r = REG.post(f"/compatibility/subjects/{s}/versions", {"schema": bad,
                                                            "metadata": {"properties": {"major": "3"}}})
    assert check(r, 200)["is_compatible"] is True


def test_reserved_fields_are_enforced_with_validate_fields():
    s = unique()
    check(REG.put(f"/config/{s}", {"compatibility": "NONE", "validateFields": True}), 200)
    REG.register(s, A, metadata={"properties": {"confluent:reserved": "f9, f8"}})
    # a top-level field named like a reserved one
    clash = avro_record("myrecord", [("f1", "string"), ("f9", "string", "x")])
    r = REG.post(f"/subjects/{s}/versions", {"schema": clash,
                                             "metadata": {"properties": {"confluent:reserved": "f9,f8"}}})
    body = check(r, 409)
    assert "FIELD_CONFLICTS_WITH_RESERVED_FIELD" in body["message"] and "f9" in body["message"], body
    # a reserved name dropped from the list
    r = REG.post(f"/subjects/{s}/versions", {"schema": B, "metadata": {"properties": {"confluent:reserved": "f9"}}})
    body = check(r, 409)
    assert "RESERVED_FIELD_REMOVED" in body["message"] and "f8" in body["message"], body
    # keeping the list (inherited) and avoiding the names is fine
    assert REG.register(s, B)["version"] == 2
    # without validateFields the same clash is accepted
    other = unique()
    check(REG.put(f"/config/{other}", {"compatibility": "NONE"}), 200)
    REG.register(other, clash, metadata={"properties": {"confluent:reserved": "f9"}})


def test_versions_carry_ts_and_guid():
    s = unique()
    out = REG.register(s, A)
    v = check(REG.get(f"/subjects/{s}/versions/1"), 200)
    assert isinstance(v["ts"], int) and v["ts"] > 1_600_000_000_000, v
    assert v["guid"] == out["guid"] and len(v["guid"]) == 36, v
    by_id = check(REG.get(f"/schemas/ids/{out['id']}"), 200)
    assert by_id["guid"] == v["guid"], by_id


def test_metadata_lookup_returns_latest_version_with_all_pairs():
    s = unique()
    REG.register(s, A, metadata={"properties": {"app": "x", "env": "prod"}})
    REG.register(s, B, metadata={"properties": {"app": "x", "env": "dev"}})
    r = REG.get(f"/subjects/{s}/metadata", params=[("key", "app"), ("value", "x")])
    assert check(r, 200)["version"] == 2
    r = REG.get(f"/subjects/{s}/metadata", params=[("key", "app"), ("value", "x"), ("key", "env"), ("value", "prod")])
    got = check(r, 200)
    assert got["version"] == 1 and got["subject"] == s and "schema" in got
    check_error(REG.get(f"/subjects/{s}/metadata", params=[("key", "app"), ("value", "y")]), 40403)
    check_error(REG.get(f"/subjects/{unique()}/metadata", params=[("key", "app"), ("value", "x")]), 40401)


if __name__ == "__main__":
    wt.run_tests(globals())
