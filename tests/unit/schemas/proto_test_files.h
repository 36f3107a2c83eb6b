// SPDX-License-Identifier: Apache-2.0
/* Helpers of the .proto unit tests that hand files to protoc: checking that
 * protoc is installed and writing a file (with its directories) under a
 * temporary directory. Include after <cmocka.h>. */
#ifndef WEIR_TESTS_SCHEMAS_PROTO_TEST_FILES_H
#define WEIR_TESTS_SCHEMAS_PROTO_TEST_FILES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True if protoc can be run; says on stderr when it cannot. */
static inline bool proto_test_have_protoc(void) {
  if (system("protoc --version >/dev/null 2>&1") != 0) {
    fprintf(stderr, "skipped: protoc not found (install protobuf-compiler)\n");
    return false;
  }
  return true;
}

/* Writes len bytes to dir/name, creating name's directories. */
static inline void proto_test_write(const char *dir, const char *name, const void *data, size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  for (char *s = strchr(path + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(path, 0700);
    *s = '/';
  }
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  fclose(f);
}

#endif
