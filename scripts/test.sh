#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test weir has, on a fresh Debian 12 machine or a dev checkout:
#   1. Debian packages (scripts/install-deps.sh) and npm test clients
#   2. build/        : Release build, all ctest tests (unit + integration)
#   3. build-asan/   : ASan+UBSan Debug build, every test again (unit + integration)
#   4. build-fuzz/   : clang libFuzzer build, each fuzz_* target for a short
#                      smoke run on a fresh corpus; any crash fails
# Exits non-zero on the first failure. Environment knobs for local iteration:
#   WEIR_TEST_SKIP_DEPS=1  WEIR_TEST_SKIP_NPM=1  WEIR_TEST_SKIP_MAIN=1
#   WEIR_TEST_SKIP_ASAN=1  WEIR_TEST_SKIP_FUZZ=1
#   WEIR_FUZZ_SECONDS=25 (per target)   WEIR_TEST_JOBS=$(nproc)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${WEIR_TEST_JOBS:-$(nproc)}
FUZZ_SECONDS=${WEIR_FUZZ_SECONDS:-25}
START=$SECONDS

section() { printf '\n==== %s ==== (%ds elapsed)\n' "$*" "$((SECONDS - START))"; }
skipped() { [ "${!1:-0}" = "1" ] && { echo "skipped ($1=1)"; return 0; }; return 1; }

section "dependencies"
if ! skipped WEIR_TEST_SKIP_DEPS; then
  ./scripts/install-deps.sh
fi

section "npm test clients (tests/npm)"
if ! skipped WEIR_TEST_SKIP_NPM; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 20 ]; then
    # The pinned @confluentinc/schemaregistry's dependencies need Node.js >= 20
    # (Debian 12's own nodejs is 18). Without node_modules the node tests
    # report "Skipped" in ctest, never "Passed".
    echo "Node.js >= 20 needed for the npm test clients (have ${node_major}); node tests will be skipped"
  elif [ -f tests/npm/package-lock.json ]; then
    (cd tests/npm && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "no tests/npm/package-lock.json; nothing to install"
  fi
fi

section "build (build/, Release)"
if ! skipped WEIR_TEST_SKIP_MAIN; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j"$JOBS"
  section "tests (unit + integration)"
  (cd build && ctest --output-on-failure -j"$JOBS")
fi

section "sanitizer build (build-asan/, ASan+UBSan)"
if ! skipped WEIR_TEST_SKIP_ASAN; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWEIR_SANITIZE=ON
  cmake --build build-asan -j"$JOBS"
  # Every test, integration included: real clients drive the sanitized weir,
  # which exits non-zero (failing the test's clean-shutdown check) on a leak.
  section "all tests under ASan+UBSan"
  (cd build-asan &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --output-on-failure -j"$JOBS")
fi

section "fuzz smoke runs (build-fuzz/, clang + libFuzzer)"
if ! skipped WEIR_TEST_SKIP_FUZZ; then
  if ! command -v clang >/dev/null 2>&1; then
    echo "clang not found; fuzz smoke runs skipped"
  else
    # One target per tests/fuzz/fuzz_*.c; only those are built here.
    mapfile -t names < <(find tests/fuzz -maxdepth 1 -name 'fuzz_*.c' -printf '%f\n' | sed 's/\.c$//' | sort)
    if [ "${#names[@]}" -eq 0 ]; then
      echo "no tests/fuzz/fuzz_*.c targets"
    else
      CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEIR_FUZZ=ON
      cmake --build build-fuzz -j"$JOBS" --target "${names[@]}"
    fi
    for name in ${names[@]+"${names[@]}"}; do
      bin="$ROOT/build-fuzz/tests/fuzz/$name"
      corpus="$ROOT/build-fuzz/corpus/$name"
      rm -rf "$corpus" "$ROOT/build-fuzz/artifacts/$name"
      mkdir -p "$corpus" "$ROOT/build-fuzz/artifacts/$name"
      seeds=()
      [ -d "tests/fuzz/seeds/$name" ] && seeds+=("$ROOT/tests/fuzz/seeds/$name")
      echo "-- $name: ${FUZZ_SECONDS}s"
      log="$ROOT/build-fuzz/$name.log"
      if ! "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$ROOT/build-fuzz/artifacts/$name/" "$corpus" ${seeds[@]+"${seeds[@]}"} >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "FAIL: $name crashed; reproducer in build-fuzz/artifacts/$name/" >&2
        exit 1
      fi
      { grep -E '^stat::number_of_executed_units|^Done' "$log" || true; } | tr '\n' ' '
      echo
    done
  fi
fi

section "all tests passed"
