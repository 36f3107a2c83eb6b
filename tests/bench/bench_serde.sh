#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Serde benchmark: serialize and deserialize records/s of the serde (Confluent
# framing, warm registry caches) for a 10-field and a 100-field record, side
# by side in the same run with plain avro-c encoding and decoding the same
# values; the ratio serde/avro-c is the figure to watch (goal <= 1.05). Runs
# bench_serde (built by CMake next to weir) against a fresh `weir registry`.
# Builds nothing. Prints figures; never fails on timing (exit 1 only when
# serde's bytes or values differ from avro-c's). 127.0.0.1 only.
#
# usage: tests/bench/bench_serde.sh [path/to/weir]
# env:   BENCH_SERDE=<weir's build dir>/tests/bench/bench_serde
#        RUN_SECONDS=0.3 (per measurement)  ROUNDS=5 (alternating A/B rounds per pair)
#        ITERATIONS= (fixed iterations per measurement instead of RUN_SECONDS)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
WEIR="${1:-${WEIR_BIN:-$src/build/platform/weir}}"
BENCH="${BENCH_SERDE:-$(cd "$(dirname "$WEIR")/.." 2>/dev/null && pwd)/tests/bench/bench_serde}"
RUN_SECONDS="${RUN_SECONDS:-0.3}"
ROUNDS="${ROUNDS:-5}"
ITERATIONS="${ITERATIONS:-}"
PY=/usr/bin/python3

[ -x "$PY" ] || { echo "bench: $PY is missing (apt-get install python3-requests)"; exit 2; }
[ -x "$WEIR" ] || { echo "bench: weir binary not found at $WEIR (build first, or pass its path)"; exit 2; }
[ -x "$BENCH" ] || {
  echo "bench: bench_serde not found at $BENCH (cmake --build <dir> --target bench_serde, or set BENCH_SERDE)"
  exit 2
}

work="$(mktemp -d /tmp/weir-bench-serde.XXXXXX)"
registry=""
finish() {
  if [ -n "$registry" ]; then
    kill -TERM "$registry" 2>/dev/null || true
    wait "$registry" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT

# A free loopback port, then weir registry on it with an empty data dir.
port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
"$WEIR" registry --listen "127.0.0.1:$port" --data-dir "$work/data" 2>"$work/registry.log" &
registry=$!
if ! "$PY" "$here/bench_helper.py" wait "$url"; then
  echo "bench: weir registry did not answer; its log:"
  cat "$work/registry.log"
  exit 2
fi
echo "weir: $WEIR registry on $url; bench: $BENCH"

args=(-t "$RUN_SECONDS" -r "$ROUNDS")
[ -n "$ITERATIONS" ] && args+=(-n "$ITERATIONS")
status=0
"$BENCH" "${args[@]}" "$url" || status=$?
exit "$status"
