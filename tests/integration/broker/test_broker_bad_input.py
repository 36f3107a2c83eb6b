# SPDX-License-Identifier: Apache-2.0
"""Hostile and malformed input against the weir broker over raw sockets:
absurd and negative frame sizes, truncated frames, unknown API keys and
versions (with the ApiVersions fallback rule of KIP-511: an unsupported
ApiVersions version gets a v0 response with UNSUPPORTED_VERSION and the API
list), garbage bytes, and Produce batches with a corrupted CRC or absurd
counts (CORRUPT_MESSAGE, nothing appended). After each case the broker must
still be alive and serve a normal client."""

import os
import socket
import struct

from brokertest import Broker, run_tests, stop_broker, unique_topic
from rawkafka import closed_by_peer, connect, kstr, produce_v3, recv_frame, record_batch, request

B = None
UNSUPPORTED_VERSION = 35
CORRUPT_MESSAGE = 2
API_VERSIONS, METADATA, PRODUCE, LIST_OFFSETS = 18, 3, 0, 2


def setup_module():
    global B
    B = Broker().start()


def teardown_module():
    stop_broker(B)


def parse_produce_v3(payload):
    """-> (correlation id, error code, base offset) of the single partition."""
    off = 0
    corr, ntopics = struct.unpack_from(">ii", payload, off)
    off += 8
    assert ntopics == 1, ntopics
    (nlen,) = struct.unpack_from(">h", payload, off)
    off += 2 + nlen
    (nparts,) = struct.unpack_from(">i", payload, off)
    off += 4
    assert nparts == 1, nparts
    _part, err, base = struct.unpack_from(">ihq", payload, off)
    return corr, err, base


def high_watermark(topic, partition=0):
    """ListOffsets v1 with timestamp -1 (latest) over a raw socket."""
    body = struct.pack(">i", -1) + struct.pack(">i", 1) + kstr(topic) + struct.pack(">i", 1)
    body += struct.pack(">iq", partition, -1)
    with connect(B.port) as s:
        s.sendall(request(LIST_OFFSETS, 1, 77, body))
        payload = recv_frame(s)
    corr, ntopics = struct.unpack_from(">ii", payload, 0)
    assert corr == 77 and ntopics == 1
    (nlen,) = struct.unpack_from(">h", payload, 8)
    off = 10 + nlen
    nparts, _part, err, _ts, offset = struct.unpack_from(">iihqq", payload, off)
    assert err == 0, f"ListOffsets error {err}"
    return offset


def parse_api_versions_v0(payload):
    corr, err, n = struct.unpack_from(">ihi", payload, 0)
    apis = {}
    for i in range(n):
        k, lo, hi = struct.unpack_from(">hhh", payload, 10 + 6 * i)
        apis[k] = (lo, hi)
    return corr, err, apis


def assert_broker_serves():
    """The broker process is alive and answers ApiVersions v0 on a new connection."""
    assert B.alive(), f"broker died:\n{B.log_tail()}"
    with connect(B.port) as s:
        s.sendall(request(API_VERSIONS, 0, 4242))
        corr, err, apis = parse_api_versions_v0(recv_frame(s))
    assert corr == 4242 and err == 0 and API_VERSIONS in apis


# -- ApiVersions ----------------------------------------------------------------
def test_api_versions_v0_lists_apis_needed_by_librdkafka():
    with connect(B.port) as s:
        s.sendall(request(API_VERSIONS, 0, 1))
        corr, err, apis = parse_api_versions_v0(recv_frame(s))
    assert corr == 1 and err == 0
    for key, need in ((PRODUCE, 7), (1, 10), (LIST_OFFSETS, 1), (METADATA, 4), (API_VERSIONS, 3)):
        assert key in apis and apis[key][0] <= need <= apis[key][1], (key, apis.get(key))
    assert 3 in range(apis[PRODUCE][0], apis[PRODUCE][1] + 1), apis[PRODUCE]


def test_api_versions_v3_response_header_has_no_tagged_fields():
    body = b"\x0bweir-tests\x061.0.0\x00"  # compact strings ClientSoftwareName/Version + tags
    with connect(B.port) as s:
        s.sendall(request(API_VERSIONS, 3, 9, body, flexible=True))
        payload = recv_frame(s)
    corr, err = struct.unpack_from(">ih", payload, 0)
    assert corr == 9 and err == 0, payload[:16].hex()
    assert payload[6] > 5, f"compact ApiKeys count byte {payload[6]} right after the error code"


def test_unknown_api_versions_version_gets_v0_unsupported_version_with_api_list():
    for version in (4, 99, 32767):
        with connect(B.port) as s:
            s.sendall(request(API_VERSIONS, version, 31337, b"\x00\x00\x00", flexible=True))
            payload = recv_frame(s)
        corr, err, apis = parse_api_versions_v0(payload)
        assert corr == 31337, corr
        assert err == UNSUPPORTED_VERSION, f"v{version}: error {err}"
        assert API_VERSIONS in apis and apis[API_VERSIONS][0] == 0 and apis[API_VERSIONS][1] >= 3, apis
    assert_broker_serves()


def test_unknown_api_key_closes_the_connection_or_answers():
    for key in (999, 32767, -1):
        with connect(B.port) as s:
            s.sendall(request(key, 0, 5))
            s.settimeout(10)
            try:
                data = s.recv(4)
            except (ConnectionResetError, socket.timeout) as e:
                data = e
            assert not isinstance(data, socket.timeout), f"api key {key}: no answer and no close in 10s"
            if isinstance(data, bytes) and data:
                # an answer must at least be a frame for our correlation id
                rest = s.recv(4)
                assert len(data) == 4 and struct.unpack(">i", rest)[0] == 5, (data, rest)
    assert_broker_serves()


def test_unsupported_version_of_known_api_closes_the_connection():
    with connect(B.port) as s:
        s.sendall(request(METADATA, 999, 6, struct.pack(">i", -1)))
        assert closed_by_peer(s), "Metadata v999 left the connection open"
    assert_broker_serves()


# -- framing ---------------------------------------------------------------------
def test_absurd_frame_sizes_close_the_connection_without_waiting_for_data():
    for size in (0x7FFFFFFF, 200 * 1024 * 1024, -5, -2147483648):
        with connect(B.port) as s:
            s.sendall(struct.pack(">i", size) + b"\x00\x12\x00\x00")
            assert closed_by_peer(s, timeout=10), f"frame size {size}: connection left open"
    assert_broker_serves()


def test_tiny_frames_shorter_than_a_header_close_the_connection():
    for size in (0, 1, 7):
        with connect(B.port) as s:
            s.sendall(struct.pack(">i", size) + b"\x00" * size)
            assert closed_by_peer(s, timeout=10), f"frame size {size}: connection left open"
    assert_broker_serves()


def test_truncated_frames_then_disconnect_do_not_hurt_the_broker():
    full = request(METADATA, 1, 7, struct.pack(">i", -1))
    for cut in (1, 3, 4, 6, len(full) - 1):
        s = connect(B.port)
        s.sendall(full[:cut])
        s.close()
    s = connect(B.port)  # a partial frame left hanging while others are served
    s.sendall(full[:6])
    assert_broker_serves()
    s.close()
    assert_broker_serves()


def test_header_client_id_longer_than_the_frame_is_rejected():
    payload = struct.pack(">hhih", METADATA, 1, 8, 30000) + b"abc"
    with connect(B.port) as s:
        s.sendall(struct.pack(">i", len(payload)) + payload)
        assert closed_by_peer(s), "connection left open after a lying client_id length"
    assert_broker_serves()


def test_metadata_with_absurd_topic_count_is_rejected():
    with connect(B.port) as s:
        s.sendall(request(METADATA, 1, 9, struct.pack(">i", 0x7FFFFFFF)))
        s.settimeout(10)
        try:
            data = s.recv(65536)
        except ConnectionResetError:
            data = b""
        # Closed, or an answer that does not claim 2^31 topics; never a hang or crash.
        assert data == b"" or len(data) < 1 << 20
    assert_broker_serves()


def test_garbage_bytes_close_the_connection_and_broker_survives():
    rnd = os.urandom(4096)
    # Random bytes behind a size that matches them and an api key no broker
    # has: a random size prefix alone would, 2% of the time, be a plausible
    # length the broker must legitimately wait for.
    framed_garbage = struct.pack(">ih", len(rnd) - 4, 0x7ff0) + rnd[6:]
    for chunk in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + rnd[:200],
                  framed_garbage, b"\xff" * 64):
        with connect(B.port) as s:
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            assert closed_by_peer(s, timeout=10), f"garbage {chunk[:12]!r}... left the connection open"
    assert_broker_serves()


def test_many_pipelined_requests_are_answered_in_order():
    with connect(B.port) as s:
        s.sendall(b"".join(request(API_VERSIONS, 0, i) for i in range(200)))
        corrs = [struct.unpack_from(">i", recv_frame(s))[0] for _ in range(200)]
    assert corrs == list(range(200))


# -- produce validation --------------------------------------------------------------
def make_topic():
    topic = unique_topic("raw")
    B.kcat("-P", "-t", topic, "-p", "0", input=b"seed\n")
    assert high_watermark(topic) == 1
    return topic


def send_produce(topic, batch, corr):
    with connect(B.port) as s:
        s.sendall(request(PRODUCE, 3, corr, produce_v3(topic, 0, batch)))
        return parse_produce_v3(recv_frame(s))


def test_raw_valid_batch_is_appended_at_the_log_end():
    topic = make_topic()
    corr, err, base = send_produce(topic, record_batch([b"one", b"two"]), 100)
    assert (corr, err, base) == (100, 0, 1), (corr, err, base)
    assert high_watermark(topic) == 3
    r = B.kcat("-C", "-t", topic, "-p", "0", "-e", "-q", "-o", "beginning", "-f", "%o:%s\\n")
    assert r.stdout == b"0:seed\n1:one\n2:two\n", r.stdout


def test_corrupted_crc_gets_corrupt_message_and_nothing_is_appended():
    topic = make_topic()
    batch = bytearray(record_batch([b"payload-1", b"payload-2"]))
    batch[-5] ^= 0x01  # flip a bit inside the records: CRC no longer matches
    corr, err, _ = send_produce(topic, bytes(batch), 101)
    assert corr == 101 and err == CORRUPT_MESSAGE, f"error {err}, expected CORRUPT_MESSAGE (2)"
    bad_crc = bytearray(record_batch([b"x"]))
    bad_crc[17:21] = b"\xde\xad\xbe\xef"
    _, err, _ = send_produce(topic, bytes(bad_crc), 102)
    assert err == CORRUPT_MESSAGE, err
    assert high_watermark(topic) == 1, "a corrupt batch was appended"
    r = B.kcat("-C", "-t", topic, "-p", "0", "-e", "-q", "-o", "beginning", "-f", "%s\\n")
    assert r.stdout == b"seed\n", r.stdout


def test_batch_with_lying_lengths_or_counts_is_rejected_and_nothing_appended():
    topic = make_topic()
    good = record_batch([b"a", b"b"])
    cases = {
        "absurd record count": record_batch([b"a", b"b"], count=0x7FFFFFFF),
        "negative record count": record_batch([b"a"], count=-1),
        "batchLength past the end": good[:8] + struct.pack(">i", 0x7FFFFFF0) + good[12:],
        "batchLength too small": good[:8] + struct.pack(">i", 10) + good[12:],
        "truncated batch": good[:40],
        "magic 1": good[:16] + b"\x01" + good[17:],
    }
    for name, batch in cases.items():
        with connect(B.port) as s:
            s.sendall(request(PRODUCE, 3, 103, produce_v3(topic, 0, batch)))
            try:
                _, err, _ = parse_produce_v3(recv_frame(s))
            except ConnectionError:
                err = "closed"
        assert err != 0, f"{name}: accepted"
        assert B.alive(), f"{name}: broker died\n{B.log_tail()}"
    assert high_watermark(topic) == 1, "a malformed batch was appended"
    assert_broker_serves()


def test_broker_still_stops_cleanly_after_all_this():
    B.stop()
    B.restart()
    assert_broker_serves()


if __name__ == "__main__":
    run_tests(globals())
