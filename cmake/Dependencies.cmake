# SPDX-License-Identifier: Apache-2.0
# Finds the Debian-packaged libraries weir builds on and exposes each as an
# imported target named weir::<lib>. civetweb and snappy ship no pkg-config
# file, so they are found by header and library name.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(AVRO REQUIRED IMPORTED_TARGET avro-c)
pkg_check_modules(OPENSSL REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
# Record-batch codecs (spec kafka-broker.md §2.2): gzip, lz4 frame, zstd.
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
# HTTP client of the serde's registry client (Debian libcurl4-openssl-dev).
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
# Kafka client for the weir groups tool (Debian librdkafka-dev 2.0.2).
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)

find_path(CIVETWEB_INCLUDE_DIR civetweb.h REQUIRED)
find_library(CIVETWEB_LIBRARY civetweb REQUIRED)
add_library(weir::civetweb UNKNOWN IMPORTED)
set_target_properties(weir::civetweb PROPERTIES
  IMPORTED_LOCATION "${CIVETWEB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CIVETWEB_INCLUDE_DIR}")

# libsnappy-dev: C API in snappy-c.h (the library itself is C++, linked shared).
find_path(SNAPPY_INCLUDE_DIR snappy-c.h REQUIRED)
find_library(SNAPPY_LIBRARY snappy REQUIRED)
add_library(weir::snappy UNKNOWN IMPORTED)
set_target_properties(weir::snappy PROPERTIES
  IMPORTED_LOCATION "${SNAPPY_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SNAPPY_INCLUDE_DIR}")

add_library(weir::jansson ALIAS PkgConfig::JANSSON)
add_library(weir::sqlite3 ALIAS PkgConfig::SQLITE3)
add_library(weir::avro ALIAS PkgConfig::AVRO)
add_library(weir::crypto ALIAS PkgConfig::OPENSSL)
add_library(weir::zlib ALIAS PkgConfig::ZLIB)
add_library(weir::zstd ALIAS PkgConfig::ZSTD)
add_library(weir::lz4 ALIAS PkgConfig::LZ4)
add_library(weir::rdkafka ALIAS PkgConfig::RDKAFKA)
add_library(weir::curl ALIAS PkgConfig::CURL)
# Protobuf runtime (Debian libprotobuf-c-dev 1.4.1): FileDescriptorProto
# reading/writing in schemas, generated-message serde in serde.
pkg_check_modules(PROTOBUF_C REQUIRED IMPORTED_TARGET libprotobuf-c)
add_library(weir::protobuf_c ALIAS PkgConfig::PROTOBUF_C)
