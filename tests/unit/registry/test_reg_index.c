// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_index.c and reg_index_map.c: the hash map under growth and
 * removal, schema records by id and md5, version ordering, back-references
 * freeing unused records and empty subjects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "reg_index.h"

static void test_map_survives_growth_and_removal(void **state) {
  (void)state;
  reg_map_t m;
  reg_map_init(&m);
  char key[32];
  for (intptr_t i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "k%ld", (long)i);
    assert_int_equal(reg_map_sput(&m, key, (void *)(i + 1), NULL), 0);
  }
  assert_int_equal(m.count, 5000);
  for (intptr_t i = 0; i < 5000; i += 2) {
    snprintf(key, sizeof key, "k%ld", (long)i);
    assert_ptr_equal(reg_map_sremove(&m, key), (void *)(i + 1));
  }
  for (intptr_t i = 0; i < 5000; i++) {
    snprintf(key, sizeof key, "k%ld", (long)i);
    assert_ptr_equal(reg_map_sget(&m, key), i % 2 ? (void *)(i + 1) : NULL);
  }
  void *old = NULL;
  assert_int_equal(reg_map_sput(&m, "k1", (void *)7, &old), 0);
  assert_ptr_equal(old, (void *)2);
  assert_int_equal(m.count, 2500);
  reg_map_fini(&m, NULL);
}

static reg_schema_rec_t *add(reg_index_t *idx, reg_ctx_t *ctx, int64_t id, unsigned char tag) {
  unsigned char md5[REG_MD5_LEN] = {tag};
  reg_schema_init_t init = {id, "AVRO", "\"int\"", 5, NULL, NULL, NULL, md5};
  return reg_index_schema_add(idx, ctx, &init);
}

static void test_index_versions_sorted_and_records_freed_with_last_use(void **state) {
  (void)state;
  reg_index_t *idx = reg_index_new();
  reg_ctx_t *ctx = reg_index_ctx(idx, ".", false);
  assert_non_null(ctx);
  reg_schema_rec_t *a = add(idx, ctx, 1, 1), *b = add(idx, ctx, 7, 2);
  assert_int_equal(ctx->max_id, 7);
  unsigned char md5[REG_MD5_LEN] = {2};
  assert_ptr_equal(reg_index_schema_by_md5(ctx, md5), b);
  reg_subject_t *s = reg_index_subject_add(idx, ctx, "s", "s");
  reg_version_t v3 = {3, b, false, 0}, v1 = {1, a, false, 0}, v2 = {2, a, true, 0};
  assert_int_equal(reg_index_version_put(idx, s, &v3), 0);
  assert_int_equal(reg_index_version_put(idx, s, &v1), 0);
  assert_int_equal(reg_index_version_put(idx, s, &v2), 0);
  assert_int_equal(s->versions[0].version, 1);
  assert_int_equal(s->versions[2].version, 3);
  assert_int_equal(reg_subject_max_version(s), 3);
  assert_int_equal(reg_subject_live_count(s), 2);
  assert_int_equal(reg_subject_latest(s, false)->version, 3);
  assert_false(reg_index_version_remove(idx, s, 3));
  assert_null(reg_index_schema_by_id(ctx, 7)); /* b had no other use */
  assert_int_equal(ctx->max_id, 7);             /* max id stays */
  assert_false(reg_index_version_remove(idx, s, 1));
  assert_non_null(reg_index_schema_by_id(ctx, 1));
  assert_true(reg_index_version_remove(idx, s, 2));
  assert_null(reg_index_subject(idx, "s"));
  assert_int_equal(idx->n_schemas, 0);
  reg_index_destroy(idx);
}

static void test_index_configs_and_modes_replace(void **state) {
  (void)state;
  reg_index_t *idx = reg_index_new();
  assert_int_equal(reg_index_config_set(idx, "", json_pack("{s:s}", "compatibilityLevel", "FULL")), 0);
  assert_int_equal(reg_index_config_set(idx, "", json_pack("{s:s}", "compatibilityLevel", "NONE")), 0);
  assert_string_equal(json_string_value(json_object_get(reg_index_config(idx, ""), "compatibilityLevel")), "NONE");
  assert_int_equal(reg_index_mode_set(idx, "s", "IMPORT"), 0);
  assert_string_equal(reg_index_mode(idx, "s"), "IMPORT");
  reg_index_mode_remove(idx, "s");
  assert_null(reg_index_mode(idx, "s"));
  reg_index_destroy(idx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_map_survives_growth_and_removal),
      cmocka_unit_test(test_index_versions_sorted_and_records_freed_with_last_use),
      cmocka_unit_test(test_index_configs_and_modes_replace),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
