#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Schema Registry benchmark: GET /schemas/ids/{id} requests/s and p99 with wrk,
# side by side with a private nginx serving the same response bytes as a
# static file (the ratio is the figure to watch; goal >= 0.8); durable new
# registrations/s from several concurrent clients; compatibility check time for
# a 200-field record against 50 versions under FULL_TRANSITIVE.
# Builds nothing: give it a built weir. Prints figures; never fails on timing.
# Everything listens on and targets 127.0.0.1 only.
#
# usage: tests/bench/bench_registry.sh [path/to/weir]
# env:   SEED=1000 (schemas registered first)  DURATION=10 (seconds per wrk run)
#        CONNS=32 THREADS=2 (wrk, read runs)   REG_CONNS=8 (wrk, registration run)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
WEIR="${1:-${WEIR_BIN:-$src/build/platform/weir}}"
SEED="${SEED:-1000}"
DURATION="${DURATION:-10}"
CONNS="${CONNS:-32}"
THREADS="${THREADS:-2}"
REG_CONNS="${REG_CONNS:-8}"
PY=/usr/bin/python3

for tool in wrk nginx "$PY"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install wrk nginx-light python3-requests)"; exit 2; }
done
[ -x "$WEIR" ] || { echo "bench: weir binary not found at $WEIR (build first, or pass its path)"; exit 2; }

work="$(mktemp -d /tmp/weir-bench.XXXXXX)"
weir_pid=""
nginx_pid=""
cleanup() {
  [ -n "$weir_pid" ] && kill -TERM "$weir_pid" 2>/dev/null && wait "$weir_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk_run <label> <url> [wrk args...]: prints "label: N req/s, p50 X, p99 Y" and keeps req/s in $rps.
wrk_run() {
  local label="$1" url="$2"; shift 2
  local out
  out="$(wrk --latency -t "$THREADS" -c "$CONNS" -d "${DURATION}s" "$@" "$url" 2>&1)"
  echo "$out" > "$work/wrk-$(echo "$label" | tr -c 'a-zA-Z0-9' '_').txt"
  rps="$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')"
  local p50 p99 errs
  p50="$(echo "$out" | awk '$1=="50%" {print $2}')"
  p99="$(echo "$out" | awk '$1=="99%" {print $2}')"
  errs="$(echo "$out" | grep -E 'Non-2xx|Socket errors|non-200' | tr '\n' ' ' || true)"
  printf '%-44s %10s req/s   p50 %-9s p99 %-9s %s\n' "$label:" "${rps:-?}" "${p50:-?}" "${p99:-?}" "$errs"
}

# --- weir registry ---------------------------------------------------------
port="$(free_port)"
url="http://127.0.0.1:$port"
"$WEIR" registry --listen "127.0.0.1:$port" --data-dir "$work/data" 2>"$work/weir.log" &
weir_pid=$!
"$PY" "$here/bench_helper.py" wait "$url"
echo "weir: $WEIR on $url, $(nproc) cores"
max_id="$("$PY" "$here/bench_helper.py" register "$url" "$SEED")"
probe_id=$(( (max_id + 1) / 2 ))

# --- nginx serving the same bytes --------------------------------------------
mkdir -p "$work/www/schemas/ids" "$work/nginx-tmp"
chmod 755 "$work"  # nginx workers run as an unprivileged user when started as root
ctype="$("$PY" "$here/bench_helper.py" fetch "$url" "$probe_id" "$work/www/schemas/ids/$probe_id")"
chmod -R a+rX "$work/www"
nport="$(free_port)"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  types { }
  default_type "${ctype%%;*}";
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    root $work/www;
    etag off;
  }
}
NGINX
nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" -g 'daemon off;' &
nginx_pid=$!
"$PY" - "$nport" "$probe_id" "$url" <<'PY'
import sys, time, requests
nport, pid, url = sys.argv[1:4]
for _ in range(200):
    try:
        a = requests.get(f"http://127.0.0.1:{nport}/schemas/ids/{pid}").content
        break
    except requests.RequestException:
        time.sleep(0.05)
b = requests.get(f"{url}/schemas/ids/{pid}").content
assert a == b, f"nginx does not serve the same bytes as weir: {a[:200]!r} vs {b[:200]!r}"
print(f"response body: {len(b)} bytes, identical on weir and nginx")
PY

echo "== GET /schemas/ids/{id}: wrk -t$THREADS -c$CONNS -d${DURATION}s =="
wrk_run "weir    GET /schemas/ids/$probe_id" "$url/schemas/ids/$probe_id"; weir_rps="$rps"
wrk_run "nginx   same bytes, static file" "http://127.0.0.1:$nport/schemas/ids/$probe_id"; nginx_rps="$rps"
"$PY" -c "import sys; w,n=float(sys.argv[1] or 0),float(sys.argv[2] or 0); print(f'ratio weir/nginx: {w/n:.2f}  (goal >= 0.8)' if n else 'ratio: n/a')" "$weir_rps" "$nginx_rps"
WEIR_BENCH_MAX_ID="$max_id" wrk_run "weir    GET /schemas/ids/{1..$max_id}" "$url" -s "$here/ids.lua"

echo "== durable registrations: wrk -t$THREADS -c$REG_CONNS -d${DURATION}s, distinct schemas, one subject each =="
CONNS="$REG_CONNS" wrk_run "weir    POST /subjects/{new}/versions" "$url" -s "$here/register.lua"
total="$(curl -s "$url/subjects" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')"
echo "subjects after the run: $total"

echo "== compatibility =="
"$PY" "$here/bench_helper.py" compat "$url" 200 50 20

t0=$(date +%s.%N)
kill -TERM "$weir_pid"; wait "$weir_pid" || echo "weir exited with $? after SIGTERM"
weir_pid=""
echo "shutdown: $(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo '?') s"
"$WEIR" registry --listen "127.0.0.1:$port" --data-dir "$work/data" 2>>"$work/weir.log" &
weir_pid=$!
t0=$(date +%s.%N)
"$PY" "$here/bench_helper.py" wait "$url"
echo "restart with $total subjects: $(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo '?') s to first answer"
