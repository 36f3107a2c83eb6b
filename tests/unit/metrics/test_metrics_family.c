// SPDX-License-Identifier: Apache-2.0
/* Tests of metrics/src/metrics_family.c: registration returns the same
 * family for the same name, children are found again by their label values,
 * the METRICS_MAX_CHILDREN bound sends the rest to the "_other" child, and
 * concurrent updates from several threads add up exactly. */
#include <pthread.h>
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

static void test_registering_a_name_twice_returns_the_same_family(void **state) {
  (void)state;
  metrics_family_t *a = metrics_counter("t_fam_twice_total", "Twice.", "x,y");
  metrics_family_t *b = metrics_counter("t_fam_twice_total", "Other help.", "x, y");
  assert_ptr_equal(a, b);
}

static void test_children_are_found_again_by_label_values(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_fam_children_total", "Children.", "a,b");
  metrics_child_t *ab = metrics_child(f, (const char *const[]){"x", "yz"});
  metrics_child_t *ab2 = metrics_child(f, (const char *const[]){"x", "yz"});
  metrics_child_t *split = metrics_child(f, (const char *const[]){"xy", "z"});
  assert_ptr_equal(ab, ab2);
  assert_ptr_not_equal(ab, split);
  assert_ptr_equal(metrics_child1(metrics_gauge("t_fam_one", "One.", "k"), "v"),
                   metrics_child1(metrics_gauge("t_fam_one", "One.", "k"), "v"));
  metrics_family_t *none = metrics_gauge("t_fam_none", "None.", NULL);
  assert_ptr_equal(metrics_child0(none), metrics_child(none, NULL));
}

static void test_children_past_the_bound_share_the_other_child(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_fam_bounded_total", "Bounded.", "path");
  metrics_child_t *first = metrics_child1(f, "/p0");
  char path[32];
  for (int i = 1; i < METRICS_MAX_CHILDREN; i++) {
    snprintf(path, sizeof path, "/p%d", i);
    metrics_inc(metrics_child1(f, path), 1);
  }
  metrics_child_t *over1 = metrics_child1(f, "/hostile/1");
  metrics_child_t *over2 = metrics_child1(f, "/hostile/2");
  assert_ptr_equal(over1, over2);
  assert_ptr_equal(metrics_child1(f, "/p0"), first); /* known ones still resolve */
  metrics_inc(over1, 5);
  metrics_inc(over2, 2);
  char *text = render_family("t_fam_bounded_total");
  assert_int_equal(count_lines(text), 2 + METRICS_MAX_CHILDREN + 1);
  assert_non_null(strstr(text, "\nt_fam_bounded_total{path=\"_other\"} 7\n"));
  assert_non_null(strstr(text, "\nt_fam_bounded_total{path=\"/p0\"} 0\n"));
  free(text);
}

static void test_other_child_is_not_rendered_until_used(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_fam_quiet_total", "Quiet.", "k");
  metrics_inc(metrics_child1(f, "v"), 1);
  char *text = render_family("t_fam_quiet_total");
  assert_null(strstr(text, "_other"));
  free(text);
}

static void test_updates_of_the_wrong_type_or_null_child_are_ignored(void **state) {
  (void)state;
  metrics_family_t *f = metrics_counter("t_fam_typed_total", "Typed.", NULL);
  metrics_child_t *c = metrics_child0(f);
  metrics_set(c, 5);
  metrics_add(c, 5);
  metrics_observe(c, 5);
  metrics_inc(NULL, 1);
  metrics_observe(NULL, 1);
  assert_null(metrics_child0(NULL));
  metrics_inc(c, 1);
  char *text = render_family("t_fam_typed_total");
  assert_non_null(strstr(text, "\nt_fam_typed_total 1\n"));
  free(text);
}

enum { THREADS = 8, ROUNDS = 100000 };

static void *hammer(void *arg) {
  (void)arg;
  metrics_family_t *c = metrics_counter("t_fam_race_total", "Race.", "k");
  metrics_family_t *g = metrics_gauge("t_fam_race_gauge", "Race.", NULL);
  metrics_family_t *h = metrics_histogram("t_fam_race_seconds", "Race.", NULL, (const double[]){0.5, 1.5}, 2);
  metrics_child_t *cc = metrics_child1(c, "same");
  metrics_child_t *gc = metrics_child0(g);
  metrics_child_t *hc = metrics_child0(h);
  for (int i = 0; i < ROUNDS; i++) {
    metrics_inc(cc, 1);
    metrics_add(gc, 1);
    metrics_observe(hc, 1.0);
    if (i % 1000 == 0) /* lookups race with updates and with each other */
      metrics_inc(metrics_child1(c, "looked-up"), 1);
  }
  return NULL;
}

static void test_concurrent_updates_from_several_threads_sum_exactly(void **state) {
  (void)state;
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, hammer, NULL), 0);
  for (int i = 0; i < 20; i++) /* scrapes race with the updates */
    free(metrics_render(NULL));
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  char *c = render_family("t_fam_race_total");
  char *g = render_family("t_fam_race_gauge");
  char *h = render_family("t_fam_race_seconds");
  assert_non_null(strstr(c, "t_fam_race_total{k=\"same\"} 800000\n"));
  assert_non_null(strstr(c, "t_fam_race_total{k=\"looked-up\"} 800\n"));
  assert_non_null(strstr(g, "\nt_fam_race_gauge 800000\n"));
  assert_non_null(strstr(h,
                         "t_fam_race_seconds_bucket{le=\"0.5\"} 0\n"
                         "t_fam_race_seconds_bucket{le=\"1.5\"} 800000\n"
                         "t_fam_race_seconds_bucket{le=\"+Inf\"} 800000\n"
                         "t_fam_race_seconds_sum 800000\n"
                         "t_fam_race_seconds_count 800000\n"));
  free(c);
  free(g);
  free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_registering_a_name_twice_returns_the_same_family),
      cmocka_unit_test(test_children_are_found_again_by_label_values),
      cmocka_unit_test(test_children_past_the_bound_share_the_other_child),
      cmocka_unit_test(test_other_child_is_not_rendered_until_used),
      cmocka_unit_test(test_updates_of_the_wrong_type_or_null_child_are_ignored),
      cmocka_unit_test(test_concurrent_updates_from_several_threads_sum_exactly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
