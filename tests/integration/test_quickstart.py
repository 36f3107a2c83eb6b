# SPDX-License-Identifier: Apache-2.0
"""docs/quickstart.md, run as a new user would, so the document cannot drift
from what weir does. The shell blocks of the document are the test script:

- every ```sh block runs, in order, under `bash` with `set -euo pipefail`,
  starting from the exported variables and working directory the previous
  block left (one terminal), and must exit 0;
- the ```text block after a ```sh block is its expected standard output
  (after the background block: weir's log). A line `...` matches any number
  of lines, `...` inside a line any text;
- `<!-- quickstart: skip -->` before a block: not run (the build from
  source; this test installs the build tree of WEIR_BIN instead);
- `<!-- quickstart: background -->` before a block: `weir start` in its
  second terminal, run in the background until the end, then SIGTERM.

The terminal starts in a fresh directory laid out like the checkout: `build`
is a symlink to the build tree of WEIR_BIN (WEIR_BIN's grandparent, or
WEIR_BUILD_DIR), `docs` one to the sources' docs/, and HOME is a fresh
directory, so the document's `cmake --install build --prefix ~/weir` installs
into a temporary prefix. Ports, mechanically: localhost:9092, localhost:8081
and localhost:8082 become localhost:<free port> in every block and expected
output, and the `weir start` line gets the three listeners as -o options; no
run block may name a default port any other way. In a sanitizer build
(WEIR_SANITIZE=ON in the build tree's CMakeCache.txt) `cc` on PATH is a
wrapper adding -fsanitize=address,undefined, because the installed library
then needs the sanitizer runtime.

Beyond the document's own expected output it checks that the records the C
consumer (docs/examples/quickstart_consumer.c) and `weir consume` print are
exactly the records the REST proxy acknowledged, with the id the registry
gave the schema; the installed tree (binary, serde.h, libweir-serde,
weir-serde.pc pointing into the prefix, the sample weir.properties accepted
by `weir config -c`, every commented-out setting in it too, the systemd unit
naming the installed binary and config); the data directory's layout; and
that SIGTERM stops the installed `weir start` with status 0 within seconds.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

from weirtest import SOURCE_DIR, free_port, run_tests, weir_bin

DOC = os.path.join(SOURCE_DIR, "docs", "quickstart.md")
SAMPLE_PROPERTIES = os.path.join(SOURCE_DIR, "packaging", "weir.properties")
DEFAULT_PORTS = ("9092", "8081", "8082")  # broker, registry, REST proxy
BLOCK_TIMEOUT = 180
START_TIMEOUT = 60
STOP_TIMEOUT = 15


# ---- the document ------------------------------------------------------------------------------

class Block:
    def __init__(self, kind, code, line):
        self.kind = kind          # "run", "skip" or "background"
        self.code = code
        self.line = line          # line of the opening fence in the document
        self.expected = None      # text of the following ```text block, if any
        self.output = None        # what it printed (run: stdout; background: the log)

    def where(self):
        return f"docs/quickstart.md block at line {self.line}"


def parse_doc(text):
    """The ```sh blocks of the document with their markers and expected output."""
    blocks = []
    lines = text.split("\n")
    i = 0
    marker = None
    last = None  # the last ```sh block, until something other than blank lines follows it
    while i < len(lines):
        line = lines[i]
        m = re.fullmatch(r"<!--\s*quickstart:\s*(\w+)\s*-->", line.strip())
        if m:
            marker = m.group(1)
            assert marker in ("skip", "background"), f"docs/quickstart.md:{i + 1}: unknown marker {marker!r}"
            i += 1
            continue
        fence = re.fullmatch(r"```(\w*)", line.strip())
        if fence:
            lang, start = fence.group(1), i
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            assert i < len(lines), f"docs/quickstart.md:{start + 1}: unclosed code block"
            code = "\n".join(body) + "\n"
            if lang == "sh":
                b = Block(marker or "run", code, start + 1)
                blocks.append(b)
                last = b
            elif lang == "text" and last is not None:
                last.expected = code
                last = None
            else:
                last = None
            marker = None
        elif line.strip():
            last = None if not line.startswith("<!--") else last
            marker = None if not line.strip().startswith("<!--") else marker
        i += 1
    return blocks


def output_pattern(expected):
    """A regex for expected output: `...` alone matches any lines, inside a line any text."""
    parts = []
    for line in expected.rstrip("\n").split("\n"):
        line = line.rstrip()
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*?".join(re.escape(p) for p in line.split("...")) + r"\n")
    return "".join(parts)


def output_matches(expected, actual):
    norm = "".join(line.rstrip() + "\n" for line in actual.rstrip("\n").split("\n")) if actual.strip() else ""
    return re.fullmatch(output_pattern(expected), norm) is not None


# ---- the run -------------------------------------------------------------------------------------

S = {}  # state shared by the tests: dirs, ports, blocks, the background process


def build_dir():
    d = os.environ.get("WEIR_BUILD_DIR") or os.path.dirname(os.path.dirname(os.path.abspath(weir_bin())))
    assert os.path.isfile(os.path.join(d, "CMakeCache.txt")), f"{d} is not the build tree of WEIR_BIN (set WEIR_BUILD_DIR)"
    return d


def sanitizer_build(build):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        return re.search(r"^WEIR_SANITIZE:BOOL=(ON|1|TRUE|YES)$", f.read(), re.M | re.I) is not None


def base_env(root):
    """What a fresh terminal has: PATH, HOME, a locale, sanitizer options."""
    path = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
    env = {"PATH": path, "HOME": os.path.join(root, "home"), "LANG": "C.UTF-8", "TMPDIR": os.path.join(root, "tmp")}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    if sanitizer_build(S["build"]):
        wrap = os.path.join(root, "cc-wrapper")
        os.makedirs(wrap)
        with open(os.path.join(wrap, "cc"), "w") as f:
            f.write('#!/bin/sh\nexec /usr/bin/cc -fsanitize=address,undefined "$@"\n')
        os.chmod(os.path.join(wrap, "cc"), 0o755)
        env["PATH"] = wrap + ":" + env["PATH"]
    return env


def localize(text):
    for default in DEFAULT_PORTS:
        text = text.replace(f"localhost:{default}", f"localhost:{S['ports'][default]}")
    return text


def with_listeners(code):
    p = S["ports"]
    opts = (f" -o broker.listeners=PLAINTEXT://127.0.0.1:{p['9092']}"
            f" -o registry.listeners=http://127.0.0.1:{p['8081']}"
            f" -o rest-proxy.listeners=http://127.0.0.1:{p['8082']}")
    new, n = re.subn(r"^(\s*weir start\b.*)$", lambda m: m.group(1) + opts, code, flags=re.M)
    assert n == 1, f"the background block must have one `weir start` line:\n{code}"
    return new


RUNNER = """set -euo pipefail
. "$WEIR_QS_BLOCK"
pwd > "$WEIR_QS_STATE/cwd"
env -0 > "$WEIR_QS_STATE/env"
"""


def block_script(block, code):
    path = os.path.join(S["root"], f"block-{block.line}.sh")
    with open(path, "w") as f:
        f.write(code)
    return path


def block_env(block, code):
    env = dict(S["env"])
    env["WEIR_QS_BLOCK"] = block_script(block, code)
    env["WEIR_QS_STATE"] = os.path.join(S["root"], "state")
    return env


def run_block(block):
    code = localize(block.code)
    for port in DEFAULT_PORTS:
        assert not re.search(rf"\b{port}\b", code), f"{block.where()} names port {port} other than as localhost:{port}"
    os.makedirs(os.path.join(S["root"], "state"), exist_ok=True)
    proc = subprocess.run(["bash", "-c", RUNNER], env=block_env(block, code), cwd=S["cwd"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=BLOCK_TIMEOUT)
    block.output = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, (f"{block.where()} exited {proc.returncode}:\n{code}\n--- stdout:\n{block.output}"
                                  f"\n--- stderr:\n{err}\n--- weir log:\n{weir_log_tail()}")
    state = os.path.join(S["root"], "state")
    with open(os.path.join(state, "cwd")) as f:
        S["cwd"] = f.read().strip()
    with open(os.path.join(state, "env"), "rb") as f:
        env = dict(kv.split("=", 1) for kv in f.read().decode().split("\0") if "=" in kv)
    for k in ("WEIR_QS_BLOCK", "WEIR_QS_STATE", "PWD", "OLDPWD", "SHLVL", "_"):
        env.pop(k, None)
    S["env"] = env
    if block.expected is not None:
        expected = localize(block.expected)
        assert output_matches(expected, block.output), (
            f"{block.where()}: output differs from the document.\n--- expected:\n{expected}--- got:\n{block.output}"
            f"--- stderr:\n{err}")


def weir_log_tail(n=30):
    path = S.get("weir_log")
    if not path or not os.path.exists(path):
        return "(weir not started)"
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-n:])


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def start_background(block):
    """Starts the background block on fresh free ports (again, if another
    process took one of them first) and waits until weir serves."""
    last = None
    for _ in range(3):
        S["ports"] = {p: free_port() for p in DEFAULT_PORTS}
        code = with_listeners(localize(block.code))
        S["weir_log"] = os.path.join(S["root"], f"weir-start-{S['ports']['8081']}.log")
        log = open(S["weir_log"], "wb")
        proc = subprocess.Popen(["bash", "-c", RUNNER], env=block_env(block, code), cwd=S["cwd"],
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if all(listening(S["ports"][p]) for p in DEFAULT_PORTS):
                try:
                    if requests.get(f"http://127.0.0.1:{S['ports']['8081']}/", timeout=2).status_code == 200:
                        S["background"] = (block, proc)
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        last = f"exit status {proc.poll()}:\n{weir_log_tail()}"
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            last = f"no answer within {START_TIMEOUT}s:\n{weir_log_tail()}"
    raise AssertionError(f"{block.where()}: weir start did not come up ({last})")


def weir_pid(bash_pid):
    """The weir process the background bash runs."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if ppid == bash_pid and comm == "weir":
            return int(d)
    return None


def setup_module():
    S["build"] = build_dir()
    S["root"] = tempfile.mkdtemp(prefix="weir-quickstart-")
    checkout = os.path.join(S["root"], "checkout")
    for d in ("home", "tmp", "checkout"):
        os.makedirs(os.path.join(S["root"], d))
    os.symlink(S["build"], os.path.join(checkout, "build"))
    os.symlink(os.path.join(SOURCE_DIR, "docs"), os.path.join(checkout, "docs"))
    S["cwd"] = checkout
    S["env"] = base_env(S["root"])
    S["ports"] = {p: p for p in DEFAULT_PORTS}  # until the background block picks free ones
    with open(DOC, encoding="utf-8") as f:
        S["blocks"] = parse_doc(f.read())


def teardown_module():
    bg = S.get("background")
    if bg and bg[1].poll() is None:
        os.killpg(bg[1].pid, signal.SIGKILL)
        bg[1].wait()
    if S.get("root"):
        shutil.rmtree(S["root"], ignore_errors=True)


def need(key):
    assert key in S, f"the quickstart did not get far enough to check this ({key} missing)"
    return S[key]


# ---- tests -------------------------------------------------------------------------------------

def test_output_matcher_accepts_the_documented_forms_and_rejects_differences():
    assert output_matches("a\nb\n", "a\nb\n")
    assert output_matches("...\nb\n...\n", "x\ny\nb\nz\n")
    assert output_matches('{"id":1,...}\n', '{"id":1,"version":1}\n')
    assert output_matches("...\n", "")
    assert not output_matches("a\nb\n", "a\nc\n")
    assert not output_matches("a\n", "a\nb\n")
    assert not output_matches('{"id":1,...}\n', '{"id":2,"version":1}\n')
    assert not output_matches("a...\n", "b\n")


def test_quickstart_has_the_blocks_a_new_user_runs():
    blocks = need("blocks")
    runs = [b for b in blocks if b.kind == "run"]
    assert [b.kind for b in blocks].count("background") == 1, "one background block (weir start)"
    assert any("cmake --install build" in b.code for b in runs), "the install step is run"
    assert any("application/vnd.schemaregistry.v1+json" in b.code for b in runs), "a schema is registered"
    assert any("application/vnd.kafka.avro.v2+json" in b.code and "value_schema_id" in b.code for b in runs)
    assert any("pkg-config --cflags --libs weir-serde rdkafka" in b.code for b in runs)
    assert any("./quickstart_consumer" in b.code for b in runs)
    missing = [b.where() for b in runs if b.expected is None and "export " not in b.code and "cd " not in b.code]
    assert not missing, f"run blocks without expected output: {missing}"


def test_quickstart_runs_as_documented():
    for block in need("blocks"):
        if block.kind == "skip":
            continue
        if block.kind == "background":
            start_background(block)
        else:
            run_block(block)
    S["ran"] = True


def test_installed_weir_is_the_one_on_the_documented_path():
    need("ran")
    install = [b for b in S["blocks"] if b.kind == "run" and "cmake --install build" in b.code][0]
    m = re.search(r"cmake --install build --prefix (\S+)", install.code)
    assert m, f"{install.where()}: no --prefix"
    prefix = re.sub(r"^(~|\$HOME|\$\{HOME\}|\"\$HOME)(?=/)", S["env"]["HOME"], m.group(1)).strip('"')
    assert prefix.startswith(S["env"]["HOME"] + "/"), f"install prefix {m.group(1)} is not under HOME"
    weir = shutil.which("weir", path=S["env"]["PATH"])
    assert weir == os.path.join(prefix, "bin", "weir"), f"weir on PATH after the install step: {weir}"
    S["prefix"] = prefix
    _, proc = need("background")
    pid = weir_pid(proc.pid)
    assert pid is not None, "no weir process under the background block"
    assert os.readlink(f"/proc/{pid}/exe") == weir, "weir start does not run the installed binary"
    S["weir_pid"] = pid


def test_installed_tree_has_binary_header_libraries_and_pkg_config():
    prefix = need("prefix")
    weir = os.path.join(prefix, "bin", "weir")
    assert os.access(weir, os.X_OK)
    v = subprocess.run([weir, "version"], capture_output=True, text=True, timeout=30)
    built = subprocess.run([weir_bin(), "version"], capture_output=True, text=True, timeout=30)
    assert v.returncode == 0 and v.stdout == built.stdout and v.stdout.startswith("weir "), (v, built)
    with open(os.path.join(prefix, "include", "serde", "serde.h"), "rb") as f, \
            open(os.path.join(SOURCE_DIR, "serde", "include", "serde", "serde.h"), "rb") as g:
        assert f.read() == g.read(), "installed serde.h differs from the source"
    lib = os.path.join(prefix, "lib")
    for name in ("libweir-serde.so", "libweir-serde.so.0", "libweir-serde.a"):
        assert os.path.isfile(os.path.join(lib, name)), f"{name} not installed in {lib}"
    assert os.path.isfile(os.path.join(lib, "pkgconfig", "weir-serde.pc"))
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(lib, "pkgconfig"))
    for var, want in (("libdir", lib), ("includedir", os.path.join(prefix, "include"))):
        got = subprocess.run(["pkg-config", f"--variable={var}", "weir-serde"], env=env, capture_output=True,
                             text=True, timeout=30)
        assert got.returncode == 0 and os.path.realpath(got.stdout.strip()) == os.path.realpath(want), (var, got)


def test_consumer_links_the_installed_library():
    prefix = need("prefix")
    exe = os.path.join(S["env"]["HOME"], "weir-quickstart", "quickstart_consumer")
    out = subprocess.run(["ldd", exe], env=S["env"], capture_output=True, text=True, timeout=30)
    m = re.search(r"libweir-serde\.so\.0 => (\S+)", out.stdout)
    assert m, f"quickstart_consumer does not link libweir-serde:\n{out.stdout}"
    assert os.path.realpath(m.group(1)) == os.path.realpath(os.path.join(prefix, "lib", "libweir-serde.so.0"))


def produced_records():
    """(offset, value) of every record a run block produced to orders with success, and the schema id."""
    records, schema_ids = [], set()
    for b in need("blocks"):
        if b.kind != "run" or "/topics/orders" not in b.code or b.output is None:
            continue
        m = re.search(r"--data '(.*?)'", b.code, re.S)
        answer = json.loads(b.output)
        if m is None or "offsets" not in answer:
            continue
        body = json.loads(m.group(1))
        assert len(answer["offsets"]) == len(body["records"]), answer
        for rec, off in zip(body["records"], answer["offsets"]):
            assert off["error_code"] is None, answer
            records.append((off["offset"], rec["value"]))
        schema_ids.add(answer["value_schema_id"])
    return records, schema_ids


def registered_id():
    for b in need("blocks"):
        if b.kind == "run" and "/subjects/orders-value/versions" in b.code and b.output:
            return json.loads(b.output.split("\n")[0])["id"]
    raise AssertionError("no block registered orders-value")


def test_records_consumed_are_the_records_produced():
    need("ran")
    produced, schema_ids = produced_records()
    assert len(produced) >= 3, f"the quickstart produced {produced}"
    assert schema_ids == {registered_id()}, (schema_ids, registered_id())
    consumer = [b for b in S["blocks"] if b.kind == "run" and "./quickstart_consumer" in b.code][0]
    got = []
    for line in consumer.output.splitlines():
        m = re.fullmatch(r"partition (\d+), offset (\d+), schema id (\d+): (.*)", line)
        assert m, f"unexpected consumer line {line!r}"
        assert int(m.group(3)) == registered_id()
        got.append((int(m.group(2)), json.loads(m.group(4))))
    assert got == produced, f"C consumer read {got}, the REST proxy acknowledged {produced}"
    tool = [b for b in S["blocks"] if b.kind == "run" and "weir consume" in b.code]
    for b in tool:
        values = [json.loads(line) for line in b.output.splitlines()]
        assert values == [v for _, v in produced], f"weir consume read {values}"


def test_sample_config_is_installed_and_valid():
    prefix = need("prefix")
    weir = os.path.join(prefix, "bin", "weir")
    conf = os.path.join(prefix, "etc", "weir", "weir.properties")
    with open(conf, "rb") as f, open(SAMPLE_PROPERTIES, "rb") as g:
        text = f.read()
        assert text == g.read(), "installed weir.properties differs from packaging/weir.properties"
    r = subprocess.run([weir, "config", "-c", conf], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "\ndata.dir=/var/lib/weir\n" in r.stdout, r.stdout
    # Every commented-out "#key=value" setting is valid too, all switched on together.
    settings = re.findall(r"^#([a-z][a-z0-9._-]*=.*)$", text.decode(), re.M)
    keys = {s.split("=", 1)[0] for s in settings}
    for want in ("broker.listeners", "registry.listeners", "rest-proxy.listeners", "log.flush.interval.messages",
                 "log.retention.hours", "schema.compatibility.level", "bootstrap.servers", "metrics.listener",
                 "log.level", "log.format"):
        assert want in keys, f"the sample weir.properties does not show {want}"
    every = os.path.join(S["root"], "every-setting.properties")
    with open(every, "w") as f:
        f.write("\n".join(settings) + "\n")
    r = subprocess.run([weir, "config", "-c", every], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, f"a commented-out setting of weir.properties is invalid: {r.stderr}"
    # The check above can fail: a bad key is refused, named.
    with open(every, "a") as f:
        f.write("no.such.property=1\n")
    r = subprocess.run([weir, "config", "-c", every], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "no.such.property" in r.stderr, r


def unit_settings(path):
    settings = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", ";", "[")) and "=" in line:
                k, v = line.split("=", 1)
                settings.setdefault(k.strip(), []).append(v.strip())
    return {k: v[-1] for k, v in settings.items()}


def test_systemd_unit_runs_the_installed_binary_with_the_installed_config():
    prefix = need("prefix")
    unit = os.path.join(prefix, "lib", "systemd", "system", "weir.service")
    with open(unit) as f:
        assert "@" not in f.read(), "unsubstituted @VAR@ in weir.service"
    s = unit_settings(unit)
    exe, conf = os.path.join(prefix, "bin", "weir"), os.path.join(prefix, "etc", "weir", "weir.properties")
    assert s.get("ExecStart") == f"{exe} start --config {conf}", s.get("ExecStart")
    assert os.access(exe, os.X_OK) and os.path.isfile(conf)
    want = {"User": "weir", "StateDirectory": "weir", "WorkingDirectory": "/var/lib/weir",
            "Restart": "on-failure", "KillSignal": "SIGTERM", "NoNewPrivileges": "yes",
            "WantedBy": "multi-user.target"}
    for k, v in want.items():
        assert s.get(k) == v, f"weir.service {k}={s.get(k)!r}, expected {v!r}"
    assert s.get("ProtectSystem") in ("strict", "full"), s.get("ProtectSystem")
    assert int(s.get("LimitNOFILE", "0")) >= 65536, s.get("LimitNOFILE")
    assert 10 <= int(s.get("TimeoutStopSec", "0")) <= 300, s.get("TimeoutStopSec")
    if shutil.which("systemd-analyze"):
        r = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, f"systemd-analyze verify: {r.stdout}{r.stderr}"


def test_sigterm_stops_weir_start_with_status_0():
    block, proc = need("background")
    pid = need("weir_pid")
    t0 = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    try:
        rc = proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"weir start ignored SIGTERM for {STOP_TIMEOUT}s:\n{weir_log_tail()}")
    assert rc == 0, f"weir start exited {rc} after SIGTERM:\n{weir_log_tail()}"
    with open(S["weir_log"], encoding="utf-8", errors="replace") as f:
        block.output = f.read()
    assert "INFO weir: received SIGTERM, shutting down" in block.output, weir_log_tail()
    assert block.output.rstrip().endswith("INFO weir: stopped"), weir_log_tail()
    if block.expected is not None:
        assert output_matches(localize(block.expected), block.output), (
            f"{block.where()}: log differs from the document.\n--- expected:\n{block.expected}--- got:\n{block.output}")
    print(f"  stopped in {time.monotonic() - t0:.2f}s")


def test_data_dir_has_the_documented_layout():
    need("ran")
    data = os.path.join(S["env"]["HOME"], "weir-quickstart", "weir-data")
    for path in ("broker/topics/orders/0/00000000000000000000.log", "broker/offsets/offsets.log",
                 "registry/registry.db"):
        assert os.path.isfile(os.path.join(data, path)), f"{path} missing under {data}"
    if S.get("background") and S["background"][1].poll() == 0:
        assert os.path.isfile(os.path.join(data, "broker", "clean-shutdown")), "no clean-shutdown marker after SIGTERM"


if __name__ == "__main__":
    run_tests(globals())
