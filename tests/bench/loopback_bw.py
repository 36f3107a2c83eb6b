# SPDX-License-Identifier: Apache-2.0
"""Loopback TCP bandwidth: one sender pushes 1 MiB writes to one receiver over
127.0.0.1 for a few seconds; prints "loopback_MBps <value>" (MB = 10^6 bytes).
The ceiling any broker on this machine can reach for bytes moved through a
socket. Benchmark helper for bench_broker.sh; not a test."""

import socket
import sys
import threading
import time

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
CHUNK = 1 << 20


def receiver(srv, total):
    conn, _ = srv.accept()
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    n = 0
    while True:
        got = conn.recv_into(view)
        if not got:
            break
        n += got
    total.append(n)
    conn.close()


def main():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    total = []
    t = threading.Thread(target=receiver, args=(srv, total))
    t.start()
    c = socket.create_connection(srv.getsockname())
    data = b"\0" * CHUNK
    t0 = time.monotonic()
    while time.monotonic() - t0 < SECONDS:
        c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    t.join()
    elapsed = time.monotonic() - t0
    c.close()
    srv.close()
    print(f"loopback_MBps {total[0] / elapsed / 1e6:.1f}")


if __name__ == "__main__":
    main()
