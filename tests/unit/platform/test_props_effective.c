// SPDX-License-Identifier: Apache-2.0
/* Tests of platform/src/props_effective.c (`weir config`): the output is a
 * properties file that loads back into the same configuration, shared names
 * are qualified, unset values are commented out, changes name their default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "platform/props.h"
#include "platform/props_file.h"

static char *render(const weir_props_t *props) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_int_equal(weir_props_write_effective(props, f), 0);
  fclose(f);
  return text;
}

static weir_props_t *changed_props(void) {
  weir_props_t *props = weir_props_new();
  weir_error_t err = {0};
  assert_int_equal(weir_props_set(props, "num.partitions", "3", &err), WEIR_OK);
  assert_int_equal(weir_props_set(props, "registry.listeners", "http://127.0.0.1:18081", &err), WEIR_OK);
  assert_int_equal(weir_props_set(props, "data.dir", "/tmp/a dir\\with\\backslashes", &err), WEIR_OK);
  assert_int_equal(weir_props_set(props, "bootstrap.servers", "k1:9092,k2:9092", &err), WEIR_OK);
  return props;
}

static void test_output_loads_back_into_the_same_configuration(void **state) {
  (void)state;
  weir_props_t *props = changed_props();
  char *text = render(props);
  char path[] = "/tmp/weir-test-effective-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  weir_props_t *back = weir_props_new();
  weir_error_t err = {0};
  weir_code_t rc = weir_props_load_file(back, path, &err);
  unlink(path);
  if (rc != WEIR_OK) fail_msg("reloading `weir config` output: %s", err.msg);
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  for (size_t i = 0; i < count; i++) {
    if (table[i].alias_of) continue;
    const char *a = weir_props_get(props, table[i].component, table[i].name);
    const char *b = weir_props_get(back, table[i].component, table[i].name);
    if (strcmp(a, b) != 0)
      fail_msg("%s.%s: \"%s\" became \"%s\"", weir_component_name(table[i].component), table[i].name, a, b);
  }
  weir_props_destroy(back);
  weir_props_destroy(props);
  free(text);
}

static void test_shared_names_are_qualified_and_changes_name_their_default(void **state) {
  (void)state;
  weir_props_t *props = changed_props();
  char *text = render(props);
  assert_non_null(strstr(text, "\n# set; default http://0.0.0.0:8081\nregistry.listeners=http://127.0.0.1:18081\n"));
  assert_non_null(strstr(text, "\nrest-proxy.listeners=http://0.0.0.0:8082\n"));
  assert_non_null(strstr(text, "\nbroker.listeners=PLAINTEXT://0.0.0.0:9092\n"));
  assert_non_null(strstr(text, "\n# set; default 1\nnum.partitions=3\n"));
  assert_non_null(strstr(text, "\n#log.retention.ms=  (not set)\n"));
  assert_null(strstr(text, "\nlisteners="));
  assert_null(strstr(text, "broker.id")); /* aliases are not repeated */
  weir_props_destroy(props);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_output_loads_back_into_the_same_configuration),
      cmocka_unit_test(test_shared_names_are_qualified_and_changes_name_their_default),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
