# SPDX-License-Identifier: Apache-2.0
# Runs inside `cmake --install` (packaging/CMakeLists.txt sets the WEIR_PKG_*
# variables first). Installs
#   <sysconfdir>/weir/weir.properties   the sample configuration
#   <unitdir>/weir.service              the systemd unit, ExecStart naming the
#                                       installed binary and config file
# where relative directories are taken under the install prefix, except that
# the prefix /usr keeps its configuration in /etc (as GNUInstallDirs does).
# An existing weir.properties that differs from the sample is an
# administrator's edited file: it is kept, and the sample is written beside it
# as weir.properties.new. DESTDIR is honoured by file(INSTALL).

# Absolute directory for a GNUInstallDirs-style relative or absolute one.
function(weir_pkg_full_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(full "${dir}")
  elseif(dir STREQUAL "etc" AND CMAKE_INSTALL_PREFIX MATCHES "^/usr/?$")
    set(full "/etc")
  else()
    set(full "${CMAKE_INSTALL_PREFIX}/${dir}")
  endif()
  string(REGEX REPLACE "//+" "/" full "${full}")
  set(${out} "${full}" PARENT_SCOPE)
endfunction()

weir_pkg_full_dir(WEIR_FULL_BINDIR "${WEIR_PKG_BINDIR}")
weir_pkg_full_dir(WEIR_FULL_SYSCONFDIR "${WEIR_PKG_SYSCONFDIR}")
weir_pkg_full_dir(WEIR_FULL_UNITDIR "${WEIR_PKG_UNITDIR}")

# ---- weir.properties ----
set(conf_dir "${WEIR_FULL_SYSCONFDIR}/weir")
set(sample "${WEIR_PKG_SOURCE_DIR}/weir.properties")
set(existing "$ENV{DESTDIR}${conf_dir}/weir.properties")
set(conf_name weir.properties)
if(EXISTS "${existing}")
  file(SHA256 "${existing}" existing_sum)
  file(SHA256 "${sample}" sample_sum)
  if(NOT existing_sum STREQUAL sample_sum)
    set(conf_name weir.properties.new)
    message(STATUS "Keeping the edited ${existing}; the new sample is ${conf_name} beside it")
  endif()
endif()
file(INSTALL "${sample}" DESTINATION "${conf_dir}" RENAME "${conf_name}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# ---- weir.service ----
set(WEIR_EXECUTABLE "${WEIR_FULL_BINDIR}/weir")
set(WEIR_CONFIG_FILE "${conf_dir}/weir.properties")
# Generated in a directory of its own per destination, so installs of one
# build tree into several prefixes at once (parallel tests) do not race.
string(SHA1 dest_id "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}")
set(unit "${WEIR_PKG_BINARY_DIR}/unit-${dest_id}/weir.service")
configure_file("${WEIR_PKG_SOURCE_DIR}/weir.service.in" "${unit}" @ONLY)
file(INSTALL "${unit}" DESTINATION "${WEIR_FULL_UNITDIR}"
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
