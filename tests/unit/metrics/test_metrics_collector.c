// SPDX-License-Identifier: Apache-2.0
/* Tests of metrics/src/metrics_collector.c: collectors write their samples
 * on every scrape, stop once removed, removal waits for a scrape that is
 * running the collector, and the table refuses a 33rd entry. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "metrics_test_util.h"

static void collect_schemas(void *ctx, metrics_writer_t *w) {
  const int *count = ctx;
  static const char *const labels[] = {"type", "note"};
  metrics_write_header(w, "t_col_schemas", "Schemas by type.", "gauge");
  metrics_write_sample(w, "t_col_schemas", labels, (const char *const[]){"AVRO", "q\"\\\n"}, 2,
                       (double)*count);
  metrics_write_sample(w, "t_col_schemas", NULL, NULL, 0, 0.5);
}

static void test_collector_samples_appear_until_it_is_removed(void **state) {
  (void)state;
  int count = 2;
  assert_int_equal(metrics_add_collector(collect_schemas, &count), 0);
  char *text = render_family("t_col_schemas");
  assert_string_equal(text,
                      "# HELP t_col_schemas Schemas by type.\n"
                      "# TYPE t_col_schemas gauge\n"
                      "t_col_schemas{type=\"AVRO\",note=\"q\\\"\\\\\\n\"} 2\n"
                      "t_col_schemas 0.5\n");
  free(text);
  count = 3;
  text = render_family("t_col_schemas");
  assert_non_null(strstr(text, "{type=\"AVRO\",note=\"q\\\"\\\\\\n\"} 3\n"));
  free(text);
  metrics_remove_collector(collect_schemas, &count);
  assert_null(render_family("t_col_schemas"));
}

typedef struct {
  atomic_int entered;
  atomic_int left;
} slow_t;

static void collect_slowly(void *ctx, metrics_writer_t *w) {
  slow_t *s = ctx;
  (void)w;
  atomic_store(&s->entered, 1);
  usleep(200 * 1000);
  atomic_store(&s->left, 1);
}

static void *scrape(void *arg) {
  (void)arg;
  free(metrics_render(NULL));
  return NULL;
}

static void test_removal_waits_for_a_scrape_in_progress(void **state) {
  (void)state;
  slow_t s;
  atomic_init(&s.entered, 0);
  atomic_init(&s.left, 0);
  assert_int_equal(metrics_add_collector(collect_slowly, &s), 0);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, scrape, NULL), 0);
  while (!atomic_load(&s.entered)) usleep(1000);
  metrics_remove_collector(collect_slowly, &s);
  assert_int_equal(atomic_load(&s.left), 1); /* s may be freed from here on */
  pthread_join(t, NULL);
}

static void collect_nothing(void *ctx, metrics_writer_t *w) {
  (void)ctx;
  (void)w;
}

static void test_collector_table_refuses_a_33rd_entry(void **state) {
  (void)state;
  int ctx[33];
  for (int i = 0; i < 32; i++) assert_int_equal(metrics_add_collector(collect_nothing, &ctx[i]), 0);
  assert_int_equal(metrics_add_collector(collect_nothing, &ctx[32]), -1);
  metrics_remove_collector(collect_nothing, &ctx[5]);
  assert_int_equal(metrics_add_collector(collect_nothing, &ctx[32]), 0);
  for (int i = 0; i < 33; i++) metrics_remove_collector(collect_nothing, &ctx[i]); /* ctx[5] twice: a no-op */
  assert_int_equal(metrics_add_collector(collect_nothing, &ctx[0]), 0);
  metrics_remove_collector(collect_nothing, &ctx[0]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_collector_samples_appear_until_it_is_removed),
      cmocka_unit_test(test_removal_waits_for_a_scrape_in_progress),
      cmocka_unit_test(test_collector_table_refuses_a_33rd_entry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
