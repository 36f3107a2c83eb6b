// SPDX-License-Identifier: Apache-2.0
/* Tests of reg_store.c: every record kind round-trips through a reopen,
 * rollback discards, max ids never go down, deletes stick. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reg_store.h"

typedef struct counts {
  int contexts, schemas, versions, configs, modes;
  int64_t max_id;
  char last_text[256];
  bool last_deleted;
} counts_t;

static int on_ctx(void *a, const char *c) {
  (void)c;
  ((counts_t *)a)->contexts++;
  return 0;
}
static int on_max(void *a, const char *c, int64_t m) {
  (void)c;
  ((counts_t *)a)->max_id = m;
  return 0;
}
static int on_schema(void *a, const reg_store_schema_t *r) {
  counts_t *c = a;
  c->schemas++;
  snprintf(c->last_text, sizeof c->last_text, "%.*s|%s", (int)r->text_len, r->text,
           r->refs_json ? r->refs_json : "-");
  return 0;
}
static int on_version(void *a, const reg_store_version_t *v) {
  counts_t *c = a;
  c->versions++;
  c->last_deleted = v->deleted;
  return 0;
}
static int on_config(void *a, const char *k, const char *j) {
  (void)k, (void)j;
  ((counts_t *)a)->configs++;
  return 0;
}
static int on_mode(void *a, const char *k, const char *m) {
  (void)k, (void)m;
  ((counts_t *)a)->modes++;
  return 0;
}
static const reg_store_visitor_t visitor = {on_ctx, on_max, on_schema, on_version, on_config, on_mode};

static char db_path[128];

static counts_t load(void) {
  reg_error_t err = {0};
  reg_store_t *st = reg_store_open(db_path, &err);
  assert_non_null(st);
  counts_t c = {0};
  assert_int_equal(reg_store_load(st, &visitor, &c, &err), REG_OK);
  reg_store_close(st);
  return c;
}

static int setup(void **state) {
  (void)state;
  char dir[] = "/tmp/weir-store-test-XXXXXX";
  if (!mkdtemp(dir)) return -1;
  snprintf(db_path, sizeof db_path, "%s/r.db", dir);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf \"$(dirname '%s')\"", db_path);
  return system(cmd) == 0 ? 0 : -1;
}

static const unsigned char md5[16] = {1, 2, 3};

static void test_store_round_trips_every_record_kind(void **state) {
  (void)state;
  reg_error_t err = {0};
  reg_store_t *st = reg_store_open(db_path, &err);
  assert_non_null(st);
  assert_int_equal(reg_store_begin(st, &err), REG_OK);
  reg_store_schema_t s = {".", 1, "AVRO", "\"string\"", 8, "[{\"name\":\"x\"}]", NULL, NULL, md5};
  assert_int_equal(reg_store_put_schema(st, &s, &err), REG_OK);
  reg_store_version_t v = {"subj", ".", 1, 1, false, 123};
  assert_int_equal(reg_store_put_version(st, &v, &err), REG_OK);
  v.deleted = true;
  assert_int_equal(reg_store_put_version(st, &v, &err), REG_OK); /* replace */
  assert_int_equal(reg_store_put_config(st, "", "{\"compatibilityLevel\":\"FULL\"}", &err), REG_OK);
  assert_int_equal(reg_store_put_mode(st, "subj", "READONLY", &err), REG_OK);
  assert_int_equal(reg_store_put_max_id(st, ".", 5, &err), REG_OK);
  assert_int_equal(reg_store_put_max_id(st, ".", 3, &err), REG_OK); /* never lowers */
  assert_int_equal(reg_store_put_context(st, ".ctx", &err), REG_OK);
  assert_int_equal(reg_store_commit(st, &err), REG_OK);
  reg_store_close(st);
  counts_t c = load();
  assert_int_equal(c.schemas, 1);
  assert_string_equal(c.last_text, "\"string\"|[{\"name\":\"x\"}]");
  assert_int_equal(c.versions, 1);
  assert_true(c.last_deleted);
  assert_int_equal(c.configs, 1);
  assert_int_equal(c.modes, 1);
  assert_int_equal(c.max_id, 5);
  assert_int_equal(c.contexts, 1);
}

static void test_store_rollback_discards_and_deletes_stick(void **state) {
  (void)state;
  reg_error_t err = {0};
  reg_store_t *st = reg_store_open(db_path, &err);
  assert_int_equal(reg_store_begin(st, &err), REG_OK);
  reg_store_schema_t s = {".", 1, "AVRO", "\"int\"", 5, NULL, NULL, NULL, md5};
  assert_int_equal(reg_store_put_schema(st, &s, &err), REG_OK);
  reg_store_rollback(st);
  reg_store_close(st);
  assert_int_equal(load().schemas, 0);
  st = reg_store_open(db_path, &err);
  assert_int_equal(reg_store_begin(st, &err), REG_OK);
  assert_int_equal(reg_store_put_schema(st, &s, &err), REG_OK);
  assert_int_equal(reg_store_put_mode(st, "k", "IMPORT", &err), REG_OK);
  assert_int_equal(reg_store_commit(st, &err), REG_OK);
  assert_int_equal(reg_store_begin(st, &err), REG_OK);
  assert_int_equal(reg_store_delete_schema(st, ".", 1, &err), REG_OK);
  assert_int_equal(reg_store_delete_mode(st, "k", &err), REG_OK);
  assert_int_equal(reg_store_commit(st, &err), REG_OK);
  reg_store_close(st);
  counts_t c = load();
  assert_int_equal(c.schemas, 0);
  assert_int_equal(c.modes, 0);
}

static void test_store_open_fails_cleanly_on_bad_path(void **state) {
  (void)state;
  reg_error_t err = {0};
  assert_null(reg_store_open("/nonexistent-dir/x/y.db", &err));
  assert_int_equal(err.code, REG_ERR_STORE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_store_round_trips_every_record_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(test_store_rollback_discards_and_deletes_stick, setup, teardown),
      cmocka_unit_test(test_store_open_fails_cleanly_on_bad_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
