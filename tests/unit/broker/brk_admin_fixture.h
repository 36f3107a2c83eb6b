// SPDX-License-Identifier: Apache-2.0
/* Fixture for the admin API handler tests (test_brk_api_admin_*.c): a
 * broker (brk__broker_new, no socket) over a fresh temporary data dir, a
 * request writer, and the last response as a reader. Handlers are called
 * directly, without the dispatcher or request header. */
#ifndef WEIR_TESTS_BRK_ADMIN_FIXTURE_H
#define WEIR_TESTS_BRK_ADMIN_FIXTURE_H

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
// cmocka must come after the headers above
#include <cmocka.h>

#include "brk_api_admin.h"
#include "brk_broker_int.h"

typedef struct fx {
  char dir[64];
  brk_broker_t *b;
  brk_writer_t req;  /* the request body being built */
  brk_writer_t resp; /* the last response body */
  brk_reader_t rr;   /* reads resp */
} fx_t;

static inline int fx_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* cmocka setup: state = fx_t with a broker; cfg_edit may adjust the config. */
static inline int fx_setup_with(void **state, void (*cfg_edit)(brk_config_t *cfg)) {
  fx_t *fx = calloc(1, sizeof *fx);
  if (fx == NULL) return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/weir-admin-test-XXXXXX");
  if (mkdtemp(fx->dir) == NULL) return -1;
  brk_config_t cfg;
  brk_config_init(&cfg);
  cfg.data_dir = fx->dir;
  if (cfg_edit) cfg_edit(&cfg);
  char errbuf[256];
  fx->b = brk__broker_new(&cfg, errbuf, sizeof errbuf);
  if (fx->b == NULL) {
    fprintf(stderr, "brk__broker_new: %s\n", errbuf);
    return -1;
  }
  *state = fx;
  return 0;
}

static inline int fx_setup(void **state) {
  return fx_setup_with(state, NULL);
}

static inline int fx_teardown(void **state) {
  fx_t *fx = *state;
  brk__broker_free(fx->b);
  nftw(fx->dir, fx_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  brk_writer_fini(&fx->req);
  brk_writer_fini(&fx->resp);
  free(fx);
  return 0;
}

/* Runs fn on the request built in fx->req (then cleared); the response is
 * readable from fx->rr. Returns the handler's result. */
static inline int fx_call(fx_t *fx, brk_api_sync_fn fn, int16_t api_key, int16_t version) {
  brk_reqhdr_t h = {api_key, version, 7, {(const uint8_t *)"test", 4}};
  brk_reader_t r;
  brk_reader_init(&r, fx->req.buf, fx->req.len);
  brk_writer_fini(&fx->resp);
  memset(&fx->resp, 0, sizeof fx->resp);
  int rc = fn(fx->b, &h, &r, &fx->resp);
  assert_true(brk_writer_ok(&fx->resp));
  brk_reader_init(&fx->rr, fx->resp.buf, fx->resp.len);
  brk_writer_fini(&fx->req);
  memset(&fx->req, 0, sizeof fx->req);
  return rc;
}

/* Asserts the next response string equals s (NULL: a null string). */
static inline void fx_expect_string(fx_t *fx, const char *s) {
  brk_slice_t v = brk_read_string(&fx->rr);
  if (s == NULL) {
    assert_null(v.ptr);
    return;
  }
  assert_non_null(v.ptr);
  assert_int_equal(v.len, strlen(s));
  assert_memory_equal(v.ptr, s, strlen(s));
}

/* Asserts the next response string is non-null and contains part. */
static inline void fx_expect_message_containing(fx_t *fx, const char *part) {
  brk_slice_t v = brk_read_string(&fx->rr);
  assert_non_null(v.ptr);
  char buf[512];
  size_t n = (size_t)v.len < sizeof buf - 1 ? (size_t)v.len : sizeof buf - 1;
  memcpy(buf, v.ptr, n);
  buf[n] = '\0';
  if (strstr(buf, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", buf, part);
}

static inline void fx_expect_end(fx_t *fx) {
  assert_true(brk_reader_ok(&fx->rr));
  assert_int_equal(brk_reader_remaining(&fx->rr), 0);
}

/* Creates topic name with n partitions through the store. */
static inline void fx_create_topic(fx_t *fx, const char *name, int32_t n) {
  assert_int_equal(brk_store_create_topic(brk_broker_store(fx->b), name, n, NULL, 0, false), BRK_KERR_NONE);
}

#endif
