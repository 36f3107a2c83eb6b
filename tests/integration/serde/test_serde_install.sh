#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The serde as an application gets it: `cmake --install` into a fresh prefix,
# then the documented example is compiled with `pkg-config weir-serde` against
# the shared library, and a C++ program that includes serde/serde.h is
# compiled with g++ -Wall -Werror and linked against the static library.
# usage: test_serde_install.sh BUILD_DIR SOURCE_DIR
set -eu
build="$1"
src="$2"
prefix="$(mktemp -d /tmp/weir-serde-install.XXXXXX)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
pc="$(find "$prefix" -name weir-serde.pc)"
[ -n "$pc" ] || { echo "FAIL: weir-serde.pc not installed"; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
cc -Wall -Werror "$src/docs/examples/serde_avro_example.c" $(pkg-config --cflags --libs weir-serde rdkafka) \
  -o "$prefix/example"
# Run it without arguments: it must load the installed library and print usage.
libdir="$(pkg-config --variable=libdir weir-serde)"
if LD_LIBRARY_PATH="$libdir" "$prefix/example" >/dev/null 2>"$prefix/usage"; then
  echo "FAIL: example without arguments exited 0"; exit 1
fi
grep -q usage "$prefix/usage" || { echo "FAIL: example did not print usage"; cat "$prefix/usage"; exit 1; }
# Only the public API is exported from the shared library.
if nm -D --defined-only "$libdir/libweir-serde.so" | awk '{print $3}' | grep -v '^serde_'; then
  echo "FAIL: the shared library exports symbols beyond serde_*"; exit 1
fi
cat > "$prefix/app.cpp" <<'CPP'
#include <serde/serde.h>
#include <cstring>
int main() {
  serde_error_t err{};
  serde_conf_t *conf = serde_conf_new();
  if (serde_conf_set(conf, "no.such.property", "1", &err) != SERDE_ERR_CONF) return 1;
  serde_conf_destroy(conf);
  return std::strstr(err.message, "no.such.property") ? 0 : 1;
}
CPP
g++ -Wall -Werror "$prefix/app.cpp" $(pkg-config --cflags weir-serde) "$libdir/libweir-serde.a" \
  $(pkg-config --libs avro-c jansson libcurl) -lpthread -lm -o "$prefix/app"
"$prefix/app" || { echo "FAIL: C++ program against the static library"; exit 1; }
echo "PASS: installed serde builds the example (C, shared) and a C++ program (static)"
