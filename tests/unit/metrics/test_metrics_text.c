// SPDX-License-Identifier: Apache-2.0
/* Tests of metrics/src/metrics_text.c: the exact Prometheus 0.0.4 text of
 * counters, gauges and histograms, escaping of HELP text and label values,
 * and doubles spelled so Prometheus parses them back to the same value. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cmocka.h needs the standard headers above. */
#include <cmocka.h>

#include "metrics_test_util.h"

static void test_counter_renders_help_type_and_one_line_per_child(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_text_requests_total", "Requests served.", "method,code");
  metrics_inc(metrics_child(f, (const char *const[]){"GET", "200"}), 3);
  metrics_inc(metrics_child(f, (const char *const[]){"POST", "500"}), 1);
  metrics_inc(metrics_child(f, (const char *const[]){"GET", "200"}), 2);
  char *text = render_family("t_text_requests_total");
  assert_string_equal(text,
                      "# HELP t_text_requests_total Requests served.\n"
                      "# TYPE t_text_requests_total counter\n"
                      "t_text_requests_total{method=\"GET\",code=\"200\"} 5\n"
                      "t_text_requests_total{method=\"POST\",code=\"500\"} 1\n");
  free(text);
}

static void test_family_without_labels_renders_zero_before_any_update(void **state) {
  (void)state;
  metrics_counter("t_text_idle_total", "Never touched.", NULL);
  char *text = render_family("t_text_idle_total");
  assert_string_equal(text,
                      "# HELP t_text_idle_total Never touched.\n"
                      "# TYPE t_text_idle_total counter\n"
                      "t_text_idle_total 0\n");
  free(text);
}

static void test_label_values_and_help_are_escaped(void **state) {
  (void)state;
  metrics_family_t *f = metrics_gauge("t_text_escape", "Back\\slash and\nnewline \"kept\".", "v");
  metrics_set(metrics_child1(f, "a\"b\\c\nd"), 1);
  char *text = render_family("t_text_escape");
  assert_string_equal(text,
                      "# HELP t_text_escape Back\\\\slash and\\nnewline \"kept\".\n"
                      "# TYPE t_text_escape gauge\n"
                      "t_text_escape{v=\"a\\\"b\\\\c\\nd\"} 1\n");
  free(text);
}

static void test_histogram_buckets_are_cumulative_with_sum_and_count(void **state) {
  (void)state;
  static const double bounds[] = {0.25, 1, 4};
  metrics_family_t *f = metrics_histogram("t_text_latency_seconds", "Latency.", "service", bounds, 3);
  metrics_child_t *c = metrics_child1(f, "registry");
  const double obs[] = {0.125, 0.25, 0.5, 2, 100}; /* 0.25 lands in le="0.25" */
  for (size_t i = 0; i < 5; i++) metrics_observe(c, obs[i]);
  char *text = render_family("t_text_latency_seconds");
  assert_string_equal(text,
                      "# HELP t_text_latency_seconds Latency.\n"
                      "# TYPE t_text_latency_seconds histogram\n"
                      "t_text_latency_seconds_bucket{service=\"registry\",le=\"0.25\"} 2\n"
                      "t_text_latency_seconds_bucket{service=\"registry\",le=\"1\"} 3\n"
                      "t_text_latency_seconds_bucket{service=\"registry\",le=\"4\"} 4\n"
                      "t_text_latency_seconds_bucket{service=\"registry\",le=\"+Inf\"} 5\n"
                      "t_text_latency_seconds_sum{service=\"registry\"} 102.875\n"
                      "t_text_latency_seconds_count{service=\"registry\"} 5\n");
  free(text);
}

static void test_histogram_default_buckets_span_half_a_millisecond_to_ten_seconds(void **state) {
  (void)state;
  metrics_family_t *f = metrics_histogram("t_text_default_seconds", "Default.", NULL, NULL, 0);
  metrics_observe(metrics_child0(f), 0.003);
  char *text = render_family("t_text_default_seconds");
  assert_non_null(strstr(text,
                         "t_text_default_seconds_bucket{le=\"0.0005\"} 0\n"
                         "t_text_default_seconds_bucket{le=\"0.001\"} 0\n"
                         "t_text_default_seconds_bucket{le=\"0.0025\"} 0\n"
                         "t_text_default_seconds_bucket{le=\"0.005\"} 1\n"));
  assert_non_null(strstr(text,
                         "t_text_default_seconds_bucket{le=\"10\"} 1\n"
                         "t_text_default_seconds_bucket{le=\"+Inf\"} 1\n"
                         "t_text_default_seconds_sum 0.003\n"
                         "t_text_default_seconds_count 1\n"));
  free(text);
}

static void test_gauge_doubles_are_spelled_as_prometheus_parses_them(void **state) {
  (void)state;
  metrics_family_t *f = metrics_gauge("t_text_values", "Values.", "k");
  metrics_set(metrics_child1(f, "tenth"), 0.1);
  metrics_set(metrics_child1(f, "third"), 1.0 / 3.0);
  metrics_set(metrics_child1(f, "big"), 1e21);
  metrics_set(metrics_child1(f, "inf"), INFINITY);
  metrics_set(metrics_child1(f, "ninf"), -INFINITY);
  metrics_set(metrics_child1(f, "nan"), NAN);
  metrics_child_t *sum = metrics_child1(f, "sum");
  metrics_set(sum, 1.5);
  metrics_add(sum, -0.25);
  metrics_inc(sum, 2);
  char *text = render_family("t_text_values");
  assert_string_equal(text,
                      "# HELP t_text_values Values.\n"
                      "# TYPE t_text_values gauge\n"
                      "t_text_values{k=\"tenth\"} 0.1\n"
                      "t_text_values{k=\"third\"} 0.3333333333333333\n"
                      "t_text_values{k=\"big\"} 1e+21\n"
                      "t_text_values{k=\"inf\"} +Inf\n"
                      "t_text_values{k=\"ninf\"} -Inf\n"
                      "t_text_values{k=\"nan\"} NaN\n"
                      "t_text_values{k=\"sum\"} 3.25\n");
  free(text);
}

static void test_families_render_sorted_by_name(void **state) {
  (void)state;
  metrics_counter("t_text_zz_total", "Z.", NULL);
  metrics_counter("t_text_aa_total", "A.", NULL);
  char *all = metrics_render(NULL);
  char *a = strstr(all, "# HELP t_text_aa_total");
  char *z = strstr(all, "# HELP t_text_zz_total");
  assert_non_null(a);
  assert_non_null(z);
  assert_true(a < z);
  free(all);
}

static int fail_after = -1;
static void *failing_malloc(size_t n) {
  if (fail_after == 0) return NULL;
  if (fail_after > 0) fail_after--;
  return malloc(n);
}

static void test_render_returns_null_or_whole_text_when_allocations_fail(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_text_oom_total", "OOM.", "k");
  size_t good_len = 0;
  char *good = metrics_render(&good_len);
  assert_non_null(good);
  free(good);
  metrics_alloc_set(failing_malloc, free);
  for (int n = 0; n < 12; n++) {
    fail_after = n;
    size_t len = 0;
    char *text = metrics_render(&len);
    if (text) assert_non_null(strstr(text, "t_text_oom_total"));
    free(text);
  }
  fail_after = 0;
  metrics_child_t *c = metrics_child1(f, "new");
  fail_after = -1;
  metrics_alloc_set(NULL, NULL);
  metrics_inc(c, 1); /* the overflow child when the child could not be made */
  char *text = render_family("t_text_oom_total");
  assert_string_equal(text,
                      "# HELP t_text_oom_total OOM.\n"
                      "# TYPE t_text_oom_total counter\n"
                      "t_text_oom_total{k=\"_other\"} 1\n");
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_counter_renders_help_type_and_one_line_per_child),
      cmocka_unit_test(test_family_without_labels_renders_zero_before_any_update),
      cmocka_unit_test(test_label_values_and_help_are_escaped),
      cmocka_unit_test(test_histogram_buckets_are_cumulative_with_sum_and_count),
      cmocka_unit_test(test_histogram_default_buckets_span_half_a_millisecond_to_ten_seconds),
      cmocka_unit_test(test_gauge_doubles_are_spelled_as_prometheus_parses_them),
      cmocka_unit_test(test_families_render_sorted_by_name),
      cmocka_unit_test(test_render_returns_null_or_whole_text_when_allocations_fail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
