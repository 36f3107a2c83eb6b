#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts weir with its embedded defaults on a fresh Debian 12 machine or a dev
# checkout: installs missing Debian packages, builds Release into build/, and
# runs `build/platform/weir start` (registry on :8081, state in ./weir-data).
# Extra arguments go to weir, e.g. `scripts/start.sh --data-dir /tmp/w`.
set -euo pipefail

cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target weir
exec build/platform/weir start "$@"
