#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The one place that names the Debian packages weir needs to build, test and
# benchmark. Idempotent: installs only what is missing. Run as root (or with
# sudo available) on Debian 12.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev
  # libraries
  libavro-dev libprotobuf-c-dev protobuf-c-compiler libjansson-dev
  libcivetweb-dev libsqlite3-dev libcmocka-dev librdkafka-dev
  libcurl4-openssl-dev libssl-dev
  # record-batch codecs (gzip, snappy, lz4, zstd)
  zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev
  # real clients used by the integration tests
  curl kcat python3 python3-confluent-kafka python3-kafka python3-requests
  python3-protobuf
  # the .proto parser's test oracle (protoc) and corpus (google/protobuf/*.proto)
  protobuf-compiler libprotobuf-dev
  wrk nginx-light
)
# Node.js may already come from elsewhere (with its own npm); Debian's npm
# conflicts with such a nodejs, so only ask for them when the commands are absent.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
