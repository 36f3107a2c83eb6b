// SPDX-License-Identifier: Apache-2.0
/* Tests of metrics/src/metrics_process.c: the process_* families are in
 * every scrape with plausible values read from this very process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "metrics_test_util.h"

/* The value of the sample line "name value" in text; -1 if absent. */
static double sample(const char *text, const char *name) {
  char key[128];
  snprintf(key, sizeof key, "\n%s ", name);
  const char *p = strstr(text, key);
  return p ? strtod(p + strlen(key), NULL) : -1;
}

static void test_process_families_describe_this_process(void **state) {
  (void)state;
  char *text = metrics_render(NULL);
  assert_non_null(strstr(text, "# TYPE process_cpu_seconds_total counter\n"));
  assert_non_null(strstr(text, "# TYPE process_start_time_seconds gauge\n"));
  double start = sample(text, "process_start_time_seconds");
  double now = (double)time(NULL);
  assert_true(start > now - 3600 && start <= now + 1);
  assert_true(sample(text, "process_resident_memory_bytes") > 100000);
  assert_true(sample(text, "process_open_fds") >= 3);
  assert_true(sample(text, "process_threads") >= 1);
  assert_true(sample(text, "process_cpu_seconds_total") >= 0);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_process_families_describe_this_process),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
