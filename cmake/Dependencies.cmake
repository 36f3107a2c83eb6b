# SPDX-License-Identifier: Apache-2.0
# Finds the Debian-packaged libraries weir builds on and exposes each as an
# imported target named weir::<lib>. civetweb ships no pkg-config file.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(AVRO REQUIRED IMPORTED_TARGET avro-c)
pkg_check_modules(OPENSSL REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)

find_path(CIVETWEB_INCLUDE_DIR civetweb.h REQUIRED)
find_library(CIVETWEB_LIBRARY civetweb REQUIRED)
add_library(weir::civetweb UNKNOWN IMPORTED)
set_target_properties(weir::civetweb PROPERTIES
  IMPORTED_LOCATION "${CIVETWEB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${CIVETWEB_INCLUDE_DIR}")

add_library(weir::jansson ALIAS PkgConfig::JANSSON)
add_library(weir::sqlite3 ALIAS PkgConfig::SQLITE3)
add_library(weir::avro ALIAS PkgConfig::AVRO)
add_library(weir::crypto ALIAS PkgConfig::OPENSSL)
