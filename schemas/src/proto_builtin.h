// SPDX-License-Identifier: Apache-2.0
/* The table of well-known .proto files compiled into weir (generated into
 * the build tree as proto_builtin_data.c by cmake/EmbedFiles.cmake). */
#ifndef WEIR_SCHEMAS_PROTO_BUILTIN_H
#define WEIR_SCHEMAS_PROTO_BUILTIN_H

#include <stddef.h>

typedef struct sch__pb_builtin {
  const char *path; /* import path, "google/protobuf/timestamp.proto" */
  const char *text; /* NUL-terminated */
  size_t len;
} sch__pb_builtin_t;

/* Ends with a {NULL, NULL, 0} entry. */
extern const sch__pb_builtin_t sch__pb_builtins[];

#endif
