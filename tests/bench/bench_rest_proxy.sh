#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# REST proxy benchmark: produce records/s over HTTP, v2 batches and v3
# streaming, side by side in the same run with librdkafka producing the same
# records straight to the same broker (the ratio is the figure). Starts a
# fresh `weir start` (broker + registry + proxy) on free loopback ports and
# runs bench_rest_proxy (built by CMake next to weir). Builds nothing. Prints
# figures; never fails on timing (exit 1 only when a record is not
# acknowledged).
#
# usage: tests/bench/bench_rest_proxy.sh [path/to/weir]
# env:   BENCH_REST_PROXY=<weir's build dir>/tests/bench/bench_rest_proxy
#        RECORDS=200000 VALUE_BYTES=100 BATCH=1000 (records per v2 request / v3 chunk) CONNECTIONS=4
#        WEIR_OPTS="-o rest-proxy.producer.linger.ms=5" (extra weir start options)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
WEIR="${1:-${WEIR_BIN:-$src/build/platform/weir}}"
BENCH="${BENCH_REST_PROXY:-$(cd "$(dirname "$WEIR")/.." 2>/dev/null && pwd)/tests/bench/bench_rest_proxy}"
PY=/usr/bin/python3

[ -x "$WEIR" ] || { echo "bench: weir binary not found at $WEIR (build first, or pass its path)"; exit 2; }
[ -x "$BENCH" ] || { echo "bench: bench_rest_proxy not found at $BENCH (cmake --build <dir> --target bench_rest_proxy)"; exit 2; }

work="$(mktemp -d /tmp/weir-bench-rp.XXXXXX)"
weir=""
finish() {
  if [ -n "$weir" ]; then
    kill -TERM "$weir" 2>/dev/null || true
    wait "$weir" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
bport="$(free_port)"; rport="$(free_port)"; pport="$(free_port)"
"$WEIR" start --data-dir "$work/data" -o "broker.listeners=PLAINTEXT://127.0.0.1:$bport" \
  -o "registry.listeners=http://127.0.0.1:$rport" -o "rest-proxy.listeners=http://127.0.0.1:$pport" \
  -o num.partitions=4 ${WEIR_OPTS:-} 2>"$work/weir.log" &
weir=$!
"$PY" "$here/bench_helper.py" wait "http://127.0.0.1:$pport" || { tail -20 "$work/weir.log"; exit 1; }
cid="$("$PY" - "$pport" "127.0.0.1:$bport" <<'PYEOF'
import sys, requests
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[2]})
for f in admin.create_topics([NewTopic(t, num_partitions=4, replication_factor=1)
                              for t in ("bench-direct", "bench-v2", "bench-v3")]).values():
    f.result(30)
print(requests.get(f"http://127.0.0.1:{sys.argv[1]}/v3/clusters", timeout=10).json()["data"][0]["cluster_id"])
PYEOF
)"
"$BENCH" "$pport" "127.0.0.1:$bport" "$cid" "${RECORDS:-200000}" "${VALUE_BYTES:-100}" "${BATCH:-1000}" "${CONNECTIONS:-4}"
