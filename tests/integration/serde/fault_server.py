# SPDX-License-Identifier: Apache-2.0
"""A fault-injection HTTP server for the serde registry client's tests.

It answers what a real `weir registry` cannot produce on demand: 503 then
200, 401, 429, malformed JSON, a hung or dropped connection, a huge body. The
behaviour is chosen by the first two segments of the request path, which the
test puts in the client's base URL (http://127.0.0.1:PORT/<scenario>/<key>),
so every test gets its own counters by choosing a fresh key:

  ok                    200 with a body every serde call accepts
  status-<code>-<n>     <code> for the first n requests of the key, then ok;
                        n = "always" never recovers; a trailing "-html" sends
                        an HTML page instead of Confluent's JSON error body
  body-<name>           200 with BODIES[name] (malformed or unusual answers)
  hang                  reads the request and never answers
  drop                  closes the connection without an answer
  huge-chunked          streams 17 MiB, chunked (no Content-Length)
  huge-length           declares and streams 17 MiB

GET /_stats/<scenario>/<key> (not counted) returns what the key saw:
{"count", "connections", "requests": [{"method", "path", "headers" (lower-case
names), "body", "basic_user", "basic_pass", "client_cn"}]}. "connections" is
the number of TCP connections that carried requests for the key, so a test
can prove keep-alive. It deliberately knows nothing about registry paths:
only the tests do.
"""

import base64
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK_BODY = {"subject": "fault-subject", "id": 7, "version": 1, "schema": '"string"'}
HUGE = 17 * 1024 * 1024
HANG_SECONDS = 30

BODIES = {
    "notjson": "<html><body>oops</body></html>",
    "empty": "",
    "truncated": '{"id": 7, "sche',
    "array": "[1, 2]",
    "string": '"just a string"',
    "id-string": '{"id": "7", "version": 1, "schema": "\\"string\\""}',
    "id-float": '{"id": 7.5, "version": 1, "schema": "\\"string\\""}',
    "id-negative": '{"id": -1, "version": 1, "schema": "\\"string\\""}',
    "id-huge": '{"id": 4294967296, "version": 1, "schema": "\\"string\\""}',
    "id-object": '{"id": {"id": 7}, "version": 1, "schema": "\\"string\\""}',
    "schema-int": '{"id": 7, "version": 1, "schema": 5}',
    "schema-array": '{"id": 7, "version": 1, "schema": ["x"]}',
    "schema-missing": '{"id": 7, "version": 1}',
    "schema-nul": '{"id": 7, "version": 1, "schema": "a\\u0000b"}',
    "version-string": '{"id": 7, "version": "1", "schema": "\\"string\\""}',
    "version-zero": '{"id": 7, "version": 0, "schema": "\\"string\\""}',
    "subject-int": '{"id": 7, "version": 1, "schema": "\\"string\\"", "subject": 3}',
    "type-int": '{"id": 7, "version": 1, "schema": "\\"string\\"", "schemaType": 1}',
    "guid-int": '{"id": 7, "version": 1, "schema": "\\"string\\"", "guid": 1}',
    "refs-object": '{"id": 7, "version": 1, "schema": "\\"string\\"", "references": {}}',
    "refs-item-string": '{"id": 7, "version": 1, "schema": "\\"string\\"", "references": ["x"]}',
    "refs-name-int": '{"id": 7, "version": 1, "schema": "\\"string\\"", '
                     '"references": [{"name": 1, "subject": "s", "version": 1}]}',
    "refs-second-bad": '{"id": 7, "version": 1, "schema": "\\"string\\"", '
                       '"references": [{"name": "a.A", "subject": "s", "version": 1}, '
                       '{"name": "b.B", "subject": "t", "version": "2"}]}',
    "full": json.dumps({"subject": "full-subject", "id": 42, "version": 3, "schemaType": "PROTOBUF",
                        "schema": 'syntax = "proto3";\nmessage M { int32 a = 1; }\n',
                        "guid": "6f2b8c0e-3c3e-4f0a-9d8e-1a2b3c4d5e6f",
                        "references": [{"name": "other.proto", "subject": "other", "version": 2},
                                       {"name": "x/y.proto", "subject": "x/y", "version": 1}],
                        "metadata": {"properties": {"owner": "it"}}, "unknownField": [1, 2, 3]}),
    "nulls": json.dumps({"id": 7, "version": 1, "schema": '"string"', "subject": None, "schemaType": None,
                         "guid": None, "references": None}),
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.keys = {}

    def record(self, key, new_connection, req):
        with self.lock:
            k = self.keys.setdefault(key, {"count": 0, "connections": 0, "requests": []})
            k["count"] += 1
            k["connections"] += 1 if new_connection else 0
            k["requests"].append(req)
            return k["count"]

    def get(self, key):
        with self.lock:
            return json.loads(json.dumps(self.keys.get(key, {"count": 0, "connections": 0, "requests": []})))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so tests can count connections

    def setup(self):
        super().setup()
        self.seen_keys = set()

    def log_message(self, fmt, *args):  # quiet: ctest shows the C program's output
        pass

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def do_PUT(self):
        self.serve()

    def do_DELETE(self):
        self.serve()

    # -- answers ------------------------------------------------------------
    def send(self, status, body, content_type="application/vnd.schemaregistry.v1+json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_status(self, code, html):
        if html:
            self.send(code, f"<html><h1>{code} from a proxy</h1></html>", "text/html")
        else:
            self.send(code, json.dumps({"error_code": int(f"{code}01"), "message": f"injected HTTP {code}"}))

    def send_huge(self, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        block = b"[" + b"1," * (512 * 1024 - 1)  # 1 MiB of a JSON array that never ends
        try:
            for _ in range(HUGE // len(block)):
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                else:
                    self.wfile.write(block)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client hung up, as it should
        self.close_connection = True

    def client_cn(self):
        getpeercert = getattr(self.connection, "getpeercert", None)
        cert = getpeercert() if getpeercert else None
        for rdn in (cert or {}).get("subject", ()):
            for name, value in rdn:
                if name == "commonName":
                    return value
        return None

    def serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("/")
        if len(parts) >= 4 and parts[1] == "_stats":
            self.send(200, json.dumps(self.server.stats.get(f"{parts[2]}/{parts[3].split('?')[0]}")),
                      "application/json")
            return
        if len(parts) < 3:
            self.send(404, json.dumps({"error_code": 404, "message": "no scenario in the path"}))
            return
        scenario, key = parts[1], f"{parts[1]}/{parts[2].split('?')[0]}"
        user = password = None
        auth = self.headers.get("Authorization") or ""
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode("utf-8", "replace").partition(":")
        req = {"method": self.command, "path": self.path, "body": body.decode("utf-8", "replace"),
               "headers": {k.lower(): v for k, v in self.headers.items()},
               "basic_user": user, "basic_pass": password, "client_cn": self.client_cn()}
        count = self.server.stats.record(key, key not in self.seen_keys, req)
        self.seen_keys.add(key)
        self.answer(scenario, count)

    def answer(self, scenario, count):
        if scenario == "ok":
            self.send(200, json.dumps(OK_BODY))
        elif scenario.startswith("status-"):
            s = scenario.split("-")
            code, times, html = int(s[1]), s[2], len(s) > 3 and s[3] == "html"
            if times == "always" or count <= int(times):
                self.send_status(code, html)
            else:
                self.send(200, json.dumps(OK_BODY))
        elif scenario.startswith("body-") and scenario[5:] in BODIES:
            self.send(200, BODIES[scenario[5:]])
        elif scenario == "hang":
            time.sleep(HANG_SECONDS)
            self.close_connection = True
        elif scenario == "drop":
            self.close_connection = True
        elif scenario in ("huge-chunked", "huge-length"):
            self.send_huge(scenario == "huge-chunked")
        else:
            self.send(404, json.dumps({"error_code": 404, "message": f"unknown scenario {scenario}"}))


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True  # a hung handler must not keep the driver alive

    def __init__(self, tls_context=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.stats = Stats()
        if tls_context is not None:
            self.socket = tls_context.wrap_socket(self.socket, server_side=True)
        self.scheme = "https" if tls_context is not None else "http"
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self):
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


def tls_context(cert, key, client_ca=None):
    """A server context; with client_ca, client certificates are asked for
    (optional) and verified, and their CN is recorded."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.verify_mode = ssl.CERT_OPTIONAL
        ctx.load_verify_locations(client_ca)
    return ctx
