# SPDX-License-Identifier: Apache-2.0
"""Shared harness for weir's Python integration tests.

It owns starting and stopping real `weir` processes on free loopback ports
(WeirProcess: graceful SIGTERM with exit-code check, kill -9, restart on the
same data directory; broker/brokertest.py subclasses it for `weir broker`),
the `weir registry` harness with small request helpers around `requests`
(Platform: the same for `weir start`, registry and broker in one process;
ExternalPlatform: `weir start` against a separate Kafka cluster), and
a tiny test runner that prints one line per test and the closing line
"N passed, M failed".
It deliberately knows nothing about what a test asserts: the test files do.

Environment: WEIR_BIN (the weir executable; default build/platform/weir under
the source tree) and WEIR_SHARED_DIR (the shared/ folder beside the repo).
Run with /usr/bin/python3: Debian's python3-requests and python3-confluent-kafka
are only visible to that interpreter.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))

CT_V1 = "application/vnd.schemaregistry.v1+json"
CT_SR = "application/vnd.schemaregistry+json"
CT_JSON = "application/json"


def weir_bin():
    path = os.environ.get("WEIR_BIN") or os.path.join(SOURCE_DIR, "build", "platform", "weir")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"weir binary not found or not executable: {path} (set WEIR_BIN)")
    return path


def shared_dir():
    return os.environ.get("WEIR_SHARED_DIR") or os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared"))


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique(prefix="s"):
    """A fresh subject name so tests sharing one server never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class WeirProcess:
    """One `weir <command>` process on 127.0.0.1:<free port> with its own data dir.

    Subclasses name the command and say when the process is ready (ready());
    this class owns start (with retry on a port race), graceful SIGTERM with
    an exit-code check, kill -9, restart on the same data dir and the log tail.
    Use as a context manager, or call start()/stop() yourself. The data dir
    survives stop()/kill9() so restart() comes back on the same state; it is
    removed by cleanup() (called by __exit__).
    """

    command = None            # "registry", "broker": the weir subcommand
    dir_prefix = "weir-it-"   # prefix of the temporary data dir
    ready_what = None         # what ready() waits for, for the time-out message
    stop_timeout = 20.0       # default seconds stop() waits after SIGTERM
    restart_same_port = False  # default of restart(same_port=...)

    def __init__(self, data_dir=None, options=None, start_timeout=30.0):
        self.bin = weir_bin()
        self._own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix=self.dir_prefix)
        self.options = dict(options or {})
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.data_dir, f"weir-{self.command}.log")
        self.last_start_seconds = None

    def ready(self):
        """True once the started process serves; called until start_timeout."""
        raise NotImplementedError

    def command_args(self):
        """Arguments after `weir <command>` (before the -o options) for a
        start on self.port; `weir start` needs two listeners (Platform)."""
        return ["--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir]

    def _exited(self):
        """Called after the process is gone (stop() or kill9())."""

    def start(self, port=None):
        """Starts the process and waits until ready(). Retries on a port race
        (another process took the free port first)."""
        last_err = None
        for _ in range(5):
            self.port = port or free_port()
            args = [self.bin, self.command, *self.command_args()]
            for k, v in self.options.items():
                args += ["-o", f"{k}={v}"]
            t0 = time.monotonic()
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                self._wait_ready()
                self.last_start_seconds = time.monotonic() - t0
                return self
            except RuntimeError as e:
                last_err = e
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
                if port is not None:
                    break
        raise last_err

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise RuntimeError(f"weir {self.command} exited with {rc} during start-up:\n{self.log_tail()}")
            if self.ready():
                return
            time.sleep(0.05)
        raise RuntimeError(f"weir {self.command} did not {self.ready_what} within {self.start_timeout}s:\n"
                           f"{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=None):
        """SIGTERM, wait (default stop_timeout seconds), and assert a clean
        exit (code 0). Returns seconds taken."""
        timeout = self.stop_timeout if timeout is None else timeout
        if self.proc is None:
            return 0.0
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            raise AssertionError(f"weir {self.command} ignored SIGTERM for {timeout}s:\n{self.log_tail()}")
        self.proc = None
        self._exited()
        assert rc == 0, f"weir {self.command} exited with {rc} after SIGTERM:\n{self.log_tail()}"
        return time.monotonic() - t0

    def kill9(self):
        """Hard kill (SIGKILL): no chance to flush anything."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None
        self._exited()

    def restart(self, same_port=None):
        """Starts again on the same data dir (after stop() or kill9()), on the
        same port when same_port (default restart_same_port)."""
        same_port = self.restart_same_port if same_port is None else same_port
        if self.alive():
            self.stop()
        return self.start(port=self.port if same_port else None)

    def cleanup(self):
        if self.alive():
            self.kill9()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and self.alive():
                self.stop()
        finally:
            self.cleanup()
        return False


def stop_server(server, if_alive=False):
    """Module teardown: stops server (asserting a clean exit) and removes its
    data dir; None (setup never ran) is fine. With if_alive, a process that
    already died is not stopped, so its exit code is not checked."""
    if server is None:
        return
    try:
        if not if_alive or server.alive():
            server.stop()
    finally:
        server.cleanup()


class HttpVerbs:
    """get/post/put/patch/delete shortcuts over a class's request(method, path, ...)."""

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class Registry(HttpVerbs, WeirProcess):
    """One `weir registry`: ready once GET / answers 200; request helpers on a
    requests.Session that is renewed whenever the process goes away."""

    command = "registry"
    dir_prefix = "weir-it-"
    ready_what = "answer GET /"

    def __init__(self, data_dir=None, options=None, start_timeout=30.0):
        super().__init__(data_dir, options, start_timeout)
        self.session = requests.Session()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def ready(self):
        try:
            return requests.get(self.url + "/", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def _exited(self):
        self.session.close()
        self.session = requests.Session()

    # -- requests ----------------------------------------------------------
    def request(self, method, path, body=None, raw=None, headers=None, params=None, timeout=30):
        """body: a JSON-able value sent with Content-Type v1+json; raw: bytes/str sent as is."""
        h = {}
        data = None
        if body is not None:
            h["Content-Type"] = CT_V1
            data = json.dumps(body)
        elif raw is not None:
            data = raw
        if headers:
            h.update(headers)
        return self.session.request(method, self.url + path, data=data, headers=h, params=params, timeout=timeout)

    # -- common operations (assert success) --------------------------------
    def register(self, subject, schema, schema_type=None, references=None, expect=200, **extra):
        body = {"schema": schema if isinstance(schema, str) else json.dumps(schema)}
        if schema_type:
            body["schemaType"] = schema_type
        if references is not None:
            body["references"] = references
        body.update(extra)
        r = self.post(f"/subjects/{quote(subject)}/versions", body)
        check(r, expect)
        return r.json()

    def set_compat(self, subject, level):
        path = "/config" if subject is None else f"/config/{quote(subject)}"
        r = self.put(path, {"compatibility": level})
        check(r, 200)
        return r.json()


class Platform(Registry):
    """One `weir start`: the Schema Registry on self.port (request helpers
    as Registry), the Kafka broker on self.broker_port and the REST proxy on
    self.rest_port (self.rest_url), one data dir. Ready once the registry
    answers and the broker and REST proxy ports accept."""

    command = "start"
    dir_prefix = "weir-pit-"
    ready_what = "answer GET / and accept broker connections"
    stop_timeout = 30.0

    def __init__(self, data_dir=None, options=None, start_timeout=30.0):
        super().__init__(data_dir, options, start_timeout)
        self.broker_port = None
        self.rest_port = None

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.broker_port}"

    @property
    def rest_url(self):
        return f"http://127.0.0.1:{self.rest_port}"

    def command_args(self):
        self.broker_port = free_port()
        self.rest_port = free_port()
        return ["--data-dir", self.data_dir, "-o", f"registry.listeners=http://127.0.0.1:{self.port}",
                "-o", f"broker.listeners=PLAINTEXT://127.0.0.1:{self.broker_port}",
                "-o", f"rest-proxy.listeners=http://127.0.0.1:{self.rest_port}"]

    def ready(self):
        for port in (self.broker_port, self.rest_port):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    pass
            except OSError:
                return False
        return super().ready()


class ExternalPlatform(Platform):
    """`weir start -o bootstrap.servers=<bootstrap>`: the registry and REST
    proxy against an external Kafka cluster (e.g. a separate `weir broker`),
    so no embedded broker starts (self.broker_port is picked but stays
    closed). Ready once the registry answers and the REST proxy port accepts."""

    ready_what = "answer GET / and accept REST proxy connections"

    def __init__(self, bootstrap, **kw):
        super().__init__(**kw)
        self.external = bootstrap

    def command_args(self):
        return super().command_args() + ["-o", f"bootstrap.servers={self.external}"]

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.rest_port), timeout=1):
                pass
        except OSError:
            return False
        return Registry.ready(self)  # the registry answers; no broker port to wait for


def quote(subject):
    """URL-encodes a subject as one path segment (so '/' becomes %2F)."""
    return requests.utils.quote(subject, safe="")


def check(r, status, error_code=None):
    """Asserts the HTTP status (and for errors the Confluent error body)."""
    try:
        body = r.json()
    except ValueError:
        body = r.text
    where = f"{r.request.method} {r.request.url}"
    assert r.status_code == status, f"{where}: expected HTTP {status}, got {r.status_code}: {body!r}"
    if error_code is not None:
        assert isinstance(body, dict), f"{where}: error body is not a JSON object: {body!r}"
        assert body.get("error_code") == error_code, f"{where}: expected error_code {error_code}, got {body!r}"
        assert isinstance(body.get("message"), str), f"{where}: error body lacks a string message: {body!r}"
    return body


def check_error(r, error_code):
    """Status is the first three digits of a 5-digit code, else the code itself."""
    status = int(str(error_code)[:3])
    return check(r, status, error_code)


def avro_record(name, fields, namespace=None):
    """Builds an Avro record schema string; fields are (name, type[, default]) tuples."""
    fs = []
    for f in fields:
        d = {"name": f[0], "type": f[1]}
        if len(f) > 2:
            d["default"] = f[2]
        fs.append(d)
    s = {"type": "record", "name": name, "fields": fs}
    if namespace:
        s["namespace"] = namespace
    return json.dumps(s)


# -- runner ---------------------------------------------------------------
def run_tests(module_globals, argv=None):
    """Runs every callable test_* of the calling module in definition order.
    A module may define setup_module()/teardown_module(). A test that raises
    SkipTest is counted as skipped. Prints "N passed, M failed" and exits
    non-zero when anything failed."""
    argv = sys.argv[1:] if argv is None else argv
    tests = [(n, f) for n, f in module_globals.items() if n.startswith("test_") and callable(f)]
    if argv:
        tests = [(n, f) for n, f in tests if any(a in n for a in argv)]
    passed = failed = skipped = 0
    failures = []
    setup = module_globals.get("setup_module")
    teardown = module_globals.get("teardown_module")
    try:
        if setup:
            setup()
    except Exception:
        traceback.print_exc()
        print(f"0 passed, {len(tests)} failed")
        sys.exit(1)
    try:
        for name, fn in tests:
            t0 = time.monotonic()
            try:
                fn()
            except SkipTest as e:
                skipped += 1
                print(f"SKIP {name}: {e}", flush=True)
                continue
            except Exception as e:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                failures.append(name)
                print(f"FAIL {name} ({time.monotonic() - t0:.2f}s)", flush=True)
                print("".join(traceback.format_exception(type(e), e, e.__traceback__)), flush=True)
                continue
            passed += 1
            print(f"PASS {name} ({time.monotonic() - t0:.2f}s)", flush=True)
    finally:
        if teardown:
            try:
                teardown()
            except Exception:
                traceback.print_exc()
                failed += 1
                failures.append("teardown_module")
    if failures:
        print("failed tests: " + ", ".join(failures))
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    sys.exit(1 if failed else 0)


class SkipTest(Exception):
    pass
