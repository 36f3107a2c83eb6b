# SPDX-License-Identifier: Apache-2.0
"""Driver of the serde registry client's integration test.

Starts a real `weir registry` (tests/integration/weirtest.py), the fault-
injection server (fault_server.py) over plain HTTP and, when the openssl
command is there, over TLS with a throw-away CA (a server certificate for
127.0.0.1, one for another host name, a client certificate with an
encrypted key). Then runs the cmocka program given as argv[1] with their
URLs in the environment and exits with its status. The C program holds
every assertion; this file only provides the servers.

Usage: test_serde_client.py <test_serde_client binary> [cmocka test filter]
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # weirtest
sys.path.insert(0, HERE)

import fault_server  # noqa: E402
import weirtest  # noqa: E402

KEY_PASSWORD = "k@y:pass"


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_certs(d):
    """CA, server certs (right and wrong host) and a client cert with an
    AES-encrypted key. Returns the file paths."""
    p = {n: os.path.join(d, n) for n in ("ca.pem", "ca.key", "server.pem", "server.key", "wrong.pem", "wrong.key",
                                         "client.pem", "client.key")}
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=weir-it-ca",
            "-keyout", p["ca.key"], "-out", p["ca.pem"])

    def sign(name, subj, san, key_args):
        csr, ext = os.path.join(d, name + ".csr"), os.path.join(d, name + ".ext")
        with open(ext, "w") as f:
            f.write(f"subjectAltName={san}\n" if san else "basicConstraints=CA:FALSE\n")
        openssl("req", "-new", *key_args, "-subj", subj, "-out", csr)
        openssl("x509", "-req", "-in", csr, "-CA", p["ca.pem"], "-CAkey", p["ca.key"], "-CAcreateserial",
                "-days", "2", "-extfile", ext, "-out", p[name + ".pem"])

    sign("server", "/CN=127.0.0.1", "IP:127.0.0.1,DNS:localhost",
         ["-newkey", "rsa:2048", "-nodes", "-keyout", p["server.key"]])
    sign("wrong", "/CN=wrong.example", "DNS:wrong.example",
         ["-newkey", "rsa:2048", "-nodes", "-keyout", p["wrong.key"]])
    openssl("genrsa", "-aes256", "-passout", f"pass:{KEY_PASSWORD}", "-out", p["client.key"], "2048")
    sign("client", "/CN=weir-serde-client", None,
         ["-key", p["client.key"], "-passin", f"pass:{KEY_PASSWORD}"])
    return p


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: test_serde_client.py <test_serde_client binary> [filter]")
    binary = sys.argv[1]
    # requests and libcurl honour http_proxy & co.; every server here is on loopback
    os.environ.update(no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    servers = []
    tmp = tempfile.mkdtemp(prefix="weir-it-serde-")
    registry = weirtest.Registry()
    rc = 1
    try:
        registry.start()
        fault = fault_server.FaultServer().start()
        servers.append(fault)
        env = dict(os.environ, WEIR_SERDE_IT_REGISTRY=registry.url, WEIR_SERDE_IT_FAULT=fault.url)
        if shutil.which("openssl"):
            certs = make_certs(tmp)
            tls = fault_server.FaultServer(fault_server.tls_context(certs["server.pem"], certs["server.key"],
                                                                    certs["ca.pem"])).start()
            wrong = fault_server.FaultServer(fault_server.tls_context(certs["wrong.pem"], certs["wrong.key"])).start()
            servers += [tls, wrong]
            env.update(WEIR_SERDE_IT_TLS=tls.url, WEIR_SERDE_IT_TLS_WRONG_HOST=wrong.url,
                       WEIR_SERDE_IT_CA=certs["ca.pem"], WEIR_SERDE_IT_CLIENT_CERT=certs["client.pem"],
                       WEIR_SERDE_IT_CLIENT_KEY=certs["client.key"], WEIR_SERDE_IT_KEY_PASSWORD=KEY_PASSWORD)
        else:
            print("openssl not found: the TLS tests will be skipped", flush=True)
        if len(sys.argv) > 2:
            env["WEIR_SERDE_IT_FILTER"] = sys.argv[2]
        rc = subprocess.run([binary], env=env, timeout=600).returncode
        if rc != 0:
            print(f"{binary} exited with {rc}; registry log tail:\n{registry.log_tail()}", flush=True)
    finally:
        for s in servers:
            s.stop()
        weirtest.stop_server(registry, if_alive=True)
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
