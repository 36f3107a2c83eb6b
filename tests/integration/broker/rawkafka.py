# SPDX-License-Identifier: Apache-2.0
"""Raw Kafka frames for broker tests that speak the protocol over a bare
socket: request framing (header v1/v2), reading response frames, detecting a
closed connection, and the record batch v2 codec (CRC-32C, zigzag varints)
with optional producer id / epoch / base sequence. It knows nothing about
starting a broker (brokertest.py) and asserts nothing about its answers,
beyond rejecting an absurd response size."""

import socket
import struct
import time


def kstr(s):
    """Kafka (non-flexible) nullable string."""
    if s is None:
        return struct.pack(">h", -1)
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def request(api_key, api_version, correlation_id, body=b"", client_id="weir-it", flexible=False):
    """A framed request: int32 size + header v1 (v2 when flexible) + body."""
    header = struct.pack(">hhi", api_key, api_version, correlation_id) + kstr(client_id)
    if flexible:
        header += b"\x00"  # empty tagged-field section
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def recv_frame(sock):
    """Reads one response frame; returns its payload (correlation id first)."""
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    assert 0 <= size < 64 << 20, f"absurd response size {size}"
    return recv_exact(sock, size)


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def closed_by_peer(sock, timeout=10):
    """True when the peer closes (EOF or reset) within timeout; False if it stays open."""
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


# -- record batch v2 -----------------------------------------------------------
def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def zigzag(n):
    n = (n << 1) ^ (n >> 63)
    out = b""
    while True:
        if n < 0x80:
            return out + bytes([n])
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7


def record(offset_delta, value, key=None):
    body = b"\x00" + zigzag(0) + zigzag(offset_delta)
    body += zigzag(-1) if key is None else zigzag(len(key)) + key
    body += zigzag(len(value)) + value + zigzag(0)
    return zigzag(len(body)) + body


def record_batch(values, count=None, ts=None, producer_id=-1, epoch=-1, base_sequence=-1, attributes=0):
    """A valid uncompressed record batch v2 (CRC-32C over [21, end)); count
    overrides the record count field, producer_id/epoch/base_sequence default
    to "none" (-1)."""
    ts = int(time.time() * 1000) if ts is None else ts
    records = b"".join(record(i, v) for i, v in enumerate(values))
    n = len(values) if count is None else count
    after_crc = struct.pack(">hiqqqhii", attributes, len(values) - 1, ts, ts, producer_id, epoch, base_sequence,
                            n) + records
    crc = crc32c(after_crc)
    after_len = struct.pack(">ibI", 0, 2, crc) + after_crc
    return struct.pack(">qi", 0, len(after_len)) + after_len


# -- Produce ------------------------------------------------------------------
def produce_v3(topic, partition, batch, acks=1):
    """Produce v3..v7 request body for one batch to one partition."""
    body = kstr(None) + struct.pack(">hi", acks, 10000)
    body += struct.pack(">i", 1) + kstr(topic) + struct.pack(">i", 1)
    body += struct.pack(">ii", partition, len(batch)) + batch
    return body
