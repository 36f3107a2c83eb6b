// SPDX-License-Identifier: Apache-2.0
/* Integration test of the serde's registry client (serde/src/serde_http.c and
 * serde_client.c): real requests against a real `weir registry` and against
 * fault_server.py (statuses, bodies and connection faults weir never
 * produces on demand), both started by test_serde_client.py, which passes
 * their URLs in WEIR_SERDE_IT_* variables. Retry counts, headers, paths and
 * connection reuse are read back from the fault server's /_stats. It tests
 * no caching and no serializing: those are above this layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serde_client.h"

#define V1                                                                                           \
  "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it.serde\",\"fields\":[{\"name\":\"id\"," \
  "\"type\":\"long\"}]}"
/* BACKWARD-incompatible with V1: a new field without a default. */
#define V2_BAD                                                                                       \
  "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it.serde\",\"fields\":[{\"name\":\"id\"," \
  "\"type\":\"long\"},"                                                                              \
  "{\"name\":\"note\",\"type\":\"string\"}]}"
#define OTHER "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}"

/* ---- helpers ------------------------------------------------------------------------ */

static const char *env_or_skip(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v) {
    print_message("SKIP: %s is not set (run through test_serde_client.py)\n", name);
    skip();
  }
  return v;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A loopback port nothing listens on (bound, then closed). */
static int closed_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

/* Defaults, then small waits so retry tests run fast. Strings are borrowed
 * (the conf is never passed to serde_conf_destroy). */
static struct serde_conf test_conf(const char *urls) {
  struct serde_conf conf;
  serde__conf_defaults(&conf);
  conf.urls = (char *)urls;
  conf.connect_timeout_ms = 2000;
  conf.request_timeout_ms = 10000;
  conf.max_retries = 3;
  conf.retry_wait_ms = 10;
  conf.retry_max_wait_ms = 40;
  return conf;
}

static serde_http_t *http_new_ok(const struct serde_conf *conf) {
  serde_error_t err = {0};
  serde_http_t *http = serde__http_new(conf, &err);
  if (!http) fail_msg("serde__http_new: %s", err.message);
  return http;
}

static serde_schema_body_t avro(const char *text) {
  return (serde_schema_body_t){.schema_type = "AVRO", .schema = text, .schema_len = strlen(text)};
}

static void unique_subject(char *out, size_t size, const char *prefix) {
  static unsigned seq;
  snprintf(out, size, "%s-%d-%u-%lld", prefix, (int)getpid(), ++seq, now_ms());
}

/* A scenario of one fault server under a fresh key: url is the base URL the
 * client is given, key names the counters in /_stats. */
typedef struct fault {
  const char *server; /* http(s)://127.0.0.1:PORT */
  char key[128];
  char url[384];
} fault_t;

static void fault_on(fault_t *f, const char *server_env, const char *scenario) {
  static unsigned seq;
  f->server = env_or_skip(server_env);
  snprintf(f->key, sizeof f->key, "%s/k%d-%u", scenario, (int)getpid(), ++seq);
  snprintf(f->url, sizeof f->url, "%s/%s", f->server, f->key);
}

static void fault(fault_t *f, const char *scenario) {
  fault_on(f, "WEIR_SERDE_IT_FAULT", scenario);
}

static size_t collect(char *p, size_t size, size_t n, void *ud) {
  return serde__buf_put(ud, p, size * n) == SERDE_OK ? size * n : 0;
}

/* GET <server>/_stats/<key> with plain libcurl (not the code under test). */
static json_t *fault_stats(const fault_t *f) {
  char url[512];
  snprintf(url, sizeof url, "%s/_stats/%s", f->server, f->key);
  serde_buf_t body = {0};
  CURL *c = curl_easy_init();
  assert_non_null(c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  if (getenv("WEIR_SERDE_IT_CA")) curl_easy_setopt(c, CURLOPT_CAINFO, getenv("WEIR_SERDE_IT_CA"));
  CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) fail_msg("GET %s: %s", url, curl_easy_strerror(rc));
  json_t *stats = json_loadb((const char *)body.data, body.len, 0, NULL);
  serde_buf_fini(&body);
  assert_true(json_is_object(stats));
  return stats;
}

static long long stats_int(const fault_t *f, const char *field) {
  json_t *stats = fault_stats(f);
  long long v = json_integer_value(json_object_get(stats, field));
  json_decref(stats);
  return v;
}

static long long fault_count(const fault_t *f) {
  return stats_int(f, "count");
}

/* A string field of request i (NULL when null); copied into out. */
static const char *request_field(const fault_t *f, size_t i, const char *field, char *out, size_t size) {
  json_t *stats = fault_stats(f);
  json_t *req = json_array_get(json_object_get(stats, "requests"), i);
  assert_non_null(req);
  json_t *v = json_object_get(req, field);
  const char *s = json_string_value(v);
  if (s) snprintf(out, size, "%s", s);
  json_decref(stats);
  return s ? out : NULL;
}

static const char *request_header(const fault_t *f, size_t i, const char *name, char *out, size_t size) {
  json_t *stats = fault_stats(f);
  json_t *req = json_array_get(json_object_get(stats, "requests"), i);
  assert_non_null(req);
  const char *s = json_string_value(json_object_get(json_object_get(req, "headers"), name));
  if (s) snprintf(out, size, "%s", s);
  json_decref(stats);
  return s ? out : NULL;
}

/* One GET /schemas/ids/1 through a fresh transport on conf. */
static serde_code_t by_id_once(const struct serde_conf *conf, serde_error_t *err) {
  serde_http_t *http = http_new_ok(conf);
  serde_registered_t out = {0};
  serde_code_t rc = serde__client_by_id(http, 1, NULL, &out, err);
  serde__registered_fini(&out);
  serde__http_destroy(http);
  return rc;
}

/* Registers text under subject on the real registry; returns the id. */
static int32_t register_ok(serde_http_t *http, const char *subject, const serde_schema_body_t *body) {
  serde_error_t err = {0};
  serde_registered_t out = {0};
  serde_code_t rc = serde__client_register(http, subject, body, false, &out, &err);
  if (rc != SERDE_OK) fail_msg("register %s: %s", subject, err.message);
  int32_t id = out.id;
  assert_true(id > 0);
  serde__registered_fini(&out);
  return id;
}

/* ---- against weir registry ---------------------------------------------------------- */

static void test_register_lookup_by_id_and_versions_agree(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[128];
  unique_subject(subject, sizeof subject, "orders-value");
  serde_schema_body_t body = avro(V1);
  serde_error_t err = {0};
  serde_registered_t r = {0};

  int32_t id = register_ok(http, subject, &body);
  assert_int_equal(register_ok(http, subject, &body), id); /* idempotent */

  assert_int_equal(serde__client_lookup(http, subject, &body, false, &r, &err), SERDE_OK);
  assert_int_equal(r.id, id);
  assert_int_equal(r.version, 1);
  assert_string_equal(r.subject, subject);
  assert_string_equal(r.schema_type, "AVRO");
  assert_non_null(r.schema);
  assert_int_equal(r.schema_len, strlen(r.schema));
  serde__registered_fini(&r);

  assert_int_equal(serde__client_by_id(http, id, NULL, &r, &err), SERDE_OK);
  assert_int_equal(r.id, id);
  assert_non_null(strstr(r.schema, "Order"));
  assert_string_equal(r.schema_type, "AVRO");
  assert_int_equal(r.n_refs, 0);
  serde__registered_fini(&r);

  assert_int_equal(serde__client_by_id(http, id, subject, &r, &err), SERDE_OK);
  assert_int_equal(r.id, id);
  serde__registered_fini(&r);

  for (int v = 1; v >= -1; v -= 2) { /* version 1, then latest */
    assert_int_equal(serde__client_version(http, subject, v, &r, &err), SERDE_OK);
    assert_int_equal(r.id, id);
    assert_int_equal(r.version, 1);
    assert_string_equal(r.subject, subject);
    assert_non_null(strstr(r.schema, "Order"));
    serde__registered_fini(&r);
  }

  /* normalize=true, in a subject of its own: what normalizing does to ids is the registry's business */
  char normalized[160];
  snprintf(normalized, sizeof normalized, "%s-normalized", subject);
  assert_int_equal(serde__client_register(http, normalized, &body, true, &r, &err), SERDE_OK);
  int32_t nid = r.id;
  assert_true(nid > 0);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_lookup(http, normalized, &body, true, &r, &err), SERDE_OK);
  assert_int_equal(r.id, nid);
  assert_string_equal(r.subject, normalized);
  serde__registered_fini(&r);
  serde__http_destroy(http);
}

static void test_unknown_id_is_unknown_schema_with_404_and_40403(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_by_id(http, 987654321, NULL, &r, &err), SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.code, SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.http_status, 404);
  assert_int_equal(err.error_code, 40403);
  assert_non_null(strstr(err.message, "schema id 987654321"));
  assert_null(r.schema);
  serde__http_destroy(http);
}

static void test_unknown_subject_version_and_schema_are_unknown_schema(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[128], nobody[128];
  unique_subject(subject, sizeof subject, "known");
  unique_subject(nobody, sizeof nobody, "never-registered");
  serde_schema_body_t v1 = avro(V1), other = avro(OTHER);
  register_ok(http, subject, &v1);
  serde_error_t err = {0};
  serde_registered_t r = {0};

  assert_int_equal(serde__client_version(http, nobody, -1, &r, &err), SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.http_status, 404);
  assert_int_equal(err.error_code, 40401);
  assert_int_equal(serde__client_version(http, subject, 99, &r, &err), SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.error_code, 40402);
  assert_int_equal(serde__client_lookup(http, subject, &other, false, &r, &err), SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.error_code, 40403);
  assert_int_equal(serde__client_lookup(http, nobody, &other, false, &r, &err), SERDE_ERR_UNKNOWN_SCHEMA);
  assert_int_equal(err.error_code, 40401);
  serde__http_destroy(http);
}

static void test_subject_with_slash_space_colon_and_unicode_round_trips(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[160];
  /* a/b c:ä ✓ ? # % + & = . ~ */
  unique_subject(subject, sizeof subject, "a/b c:\xc3\xa4 \xe2\x9c\x93 ?#%+&=.~");
  serde_schema_body_t v1 = avro(V1);
  int32_t id = register_ok(http, subject, &v1);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_version(http, subject, -1, &r, &err), SERDE_OK);
  assert_string_equal(r.subject, subject);
  assert_int_equal(r.id, id);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_lookup(http, subject, &v1, false, &r, &err), SERDE_OK);
  assert_string_equal(r.subject, subject);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_by_id(http, id, subject, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  serde__http_destroy(http);
}

static void test_incompatible_schema_is_rejected_with_409(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[128];
  unique_subject(subject, sizeof subject, "compat");
  serde_schema_body_t v1 = avro(V1), v2 = avro(V2_BAD);
  register_ok(http, subject, &v1);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_register(http, subject, &v2, false, &r, &err), SERDE_ERR_REGISTRY_REJECTED);
  assert_int_equal(err.http_status, 409);
  assert_true(err.error_code == 409 || err.error_code / 100 == 409);
  assert_non_null(strstr(err.message, "register under subject"));
  assert_null(r.schema);
  serde__http_destroy(http);
}

static void test_invalid_schema_is_rejected_with_422(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[128];
  unique_subject(subject, sizeof subject, "invalid");
  serde_schema_body_t bad = avro("{\"type\": \"no-such-type\"}");
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_register(http, subject, &bad, false, &r, &err), SERDE_ERR_REGISTRY_REJECTED);
  assert_int_equal(err.http_status, 422);
  assert_int_equal(err.error_code, 42201);
  serde__http_destroy(http);
}

static void test_references_are_registered_and_read_back(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char addr_subject[128], person_subject[128];
  unique_subject(addr_subject, sizeof addr_subject, "it/address");
  unique_subject(person_subject, sizeof person_subject, "person");
  serde_schema_body_t addr = avro(
      "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.acme\",\"fields\":[{\"name\":\"city\","
      "\"type\":\"string\"}]}");
  register_ok(http, addr_subject, &addr);
  serde_reg_ref_t ref = {.name = "com.acme.Address", .subject = addr_subject, .version = 1};
  serde_schema_body_t person = avro(
      "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"com.acme\",\"fields\":[{\"name\":\"home\","
      "\"type\":\"com.acme.Address\"}]}");
  person.refs = &ref;
  person.n_refs = 1;
  int32_t id = register_ok(http, person_subject, &person);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_by_id(http, id, NULL, &r, &err), SERDE_OK);
  assert_int_equal(r.n_refs, 1);
  assert_string_equal(r.refs[0].name, "com.acme.Address");
  assert_string_equal(r.refs[0].subject, addr_subject);
  assert_int_equal(r.refs[0].version, 1);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_lookup(http, person_subject, &person, false, &r, &err), SERDE_OK);
  assert_int_equal(r.id, id);
  assert_int_equal(r.n_refs, 1);
  serde__registered_fini(&r);
  serde__http_destroy(http);
}

static void test_failover_from_a_closed_port_to_the_registry_succeeds(void **state) {
  (void)state;
  const char *registry = env_or_skip("WEIR_SERDE_IT_REGISTRY");
  char urls[512];
  snprintf(urls, sizeof urls, "http://127.0.0.1:%d, %s", closed_port(), registry);
  struct serde_conf conf = test_conf(urls);
  serde_http_t *http = http_new_ok(&conf);
  char subject[128];
  unique_subject(subject, sizeof subject, "failover");
  serde_schema_body_t v1 = avro(V1);
  int32_t id = register_ok(http, subject, &v1);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_by_id(http, id, NULL, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  serde__http_destroy(http);
}

/* Threads sharing one transport (and its handle pool). */
typedef struct worker {
  serde_http_t *http;
  int32_t id;
  int failures;
} worker_t;

static void *worker_run(void *arg) {
  worker_t *w = arg;
  for (int i = 0; i < 25; i++) {
    serde_error_t err = {0};
    serde_registered_t r = {0};
    if (serde__client_by_id(w->http, w->id, NULL, &r, &err) != SERDE_OK || r.id != w->id) w->failures++;
    serde__registered_fini(&r);
  }
  return NULL;
}

static void test_concurrent_calls_from_threads_all_succeed(void **state) {
  (void)state;
  struct serde_conf conf = test_conf(env_or_skip("WEIR_SERDE_IT_REGISTRY"));
  serde_http_t *http = http_new_ok(&conf);
  char subject[128];
  unique_subject(subject, sizeof subject, "threads");
  serde_schema_body_t v1 = avro(V1);
  int32_t id = register_ok(http, subject, &v1);
  pthread_t threads[8];
  worker_t workers[8];
  for (int i = 0; i < 8; i++) {
    workers[i] = (worker_t){.http = http, .id = id};
    assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
  }
  for (int i = 0; i < 8; i++) {
    pthread_join(threads[i], NULL);
    assert_int_equal(workers[i].failures, 0);
  }
  serde__http_destroy(http);
}

/* ---- unreachable and slow registries ---------------------------------------------------- */

static void test_unreachable_registry_is_unavailable_without_a_status(void **state) {
  (void)state;
  char urls[256];
  int p1 = closed_port(), p2 = closed_port();
  snprintf(urls, sizeof urls, "http://user:s3cret@127.0.0.1:%d/,http://127.0.0.1:%d", p1, p2);
  struct serde_conf conf = test_conf(urls);
  serde_error_t err = {0};
  long long t0 = now_ms();
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  long long took = now_ms() - t0;
  assert_true(took < 3000); /* refused at once; 3 short backoffs per URL */
  assert_int_equal(err.http_status, 0);
  assert_int_equal(err.error_code, 0);
  char port[32];
  snprintf(port, sizeof port, "127.0.0.1:%d", p2);
  assert_non_null(strstr(err.message, port)); /* names the last URL tried */
  assert_non_null(strstr(err.message, "schema id 1"));
  assert_null(strstr(err.message, "s3cret"));
}

static void test_hung_registry_times_out_as_unavailable(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "hang");
  struct serde_conf conf = test_conf(f.url);
  conf.request_timeout_ms = 300;
  conf.max_retries = 1;
  serde_error_t err = {0};
  long long t0 = now_ms();
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  long long took = now_ms() - t0;
  assert_true(took >= 500 && took < 3000);
  assert_int_equal(fault_count(&f), 2); /* first try and one retry */
  assert_non_null(strstr(err.message, "imeout"));
}

/* ---- retries ------------------------------------------------------------------------------ */

static void test_503_then_200_is_retried_until_it_succeeds(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "status-503-2");
  struct serde_conf conf = test_conf(f.url);
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  assert_int_equal(fault_count(&f), 3);
}

static void test_retriable_statuses_are_retried_exactly_max_retries_times(void **state) {
  (void)state;
  static const struct {
    const char *scenario;
    serde_code_t code;
    int status;
  } cases[] = {
      {"status-408-always", SERDE_ERR_REGISTRY_UNAVAILABLE, 408},
      {"status-429-always", SERDE_ERR_REGISTRY_THROTTLED, 429},
      {"status-500-always", SERDE_ERR_REGISTRY_UNAVAILABLE, 500},
      {"status-502-always", SERDE_ERR_REGISTRY_UNAVAILABLE, 502},
      {"status-503-always", SERDE_ERR_REGISTRY_UNAVAILABLE, 503},
      {"status-504-always", SERDE_ERR_REGISTRY_UNAVAILABLE, 504},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fault_t f;
    fault(&f, cases[i].scenario);
    struct serde_conf conf = test_conf(f.url);
    conf.max_retries = 3;
    serde_error_t err = {0};
    assert_int_equal(by_id_once(&conf, &err), cases[i].code);
    assert_int_equal(err.http_status, cases[i].status);
    assert_int_equal(err.error_code, cases[i].status * 100 + 1); /* from the JSON error body */
    assert_non_null(strstr(err.message, "injected HTTP"));
    assert_int_equal(fault_count(&f), 4); /* 1 + max.retries */
  }
}

static void test_other_4xx_are_never_retried(void **state) {
  (void)state;
  static const struct {
    const char *scenario;
    serde_code_t code;
  } cases[] = {
      {"status-400-always", SERDE_ERR_INVALID_ARG},   {"status-401-always", SERDE_ERR_REGISTRY_AUTH},
      {"status-403-always", SERDE_ERR_REGISTRY_AUTH}, {"status-404-always", SERDE_ERR_UNKNOWN_SCHEMA},
      {"status-405-always", SERDE_ERR_INVALID_ARG},   {"status-409-always", SERDE_ERR_REGISTRY_REJECTED},
      {"status-415-always", SERDE_ERR_INVALID_ARG},   {"status-422-always", SERDE_ERR_REGISTRY_REJECTED},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fault_t f;
    fault(&f, cases[i].scenario);
    struct serde_conf conf = test_conf(f.url);
    serde_http_t *http = http_new_ok(&conf);
    serde_schema_body_t v1 = avro(V1);
    serde_error_t err = {0};
    serde_registered_t r = {0};
    assert_int_equal(serde__client_register(http, "s", &v1, false, &r, &err), cases[i].code);
    assert_int_equal(err.error_code / 100, atoi(cases[i].scenario + 7));
    assert_int_equal(fault_count(&f), 1);
    serde__http_destroy(http);
  }
}

static void test_dropped_connections_are_retried_then_unavailable(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "drop");
  struct serde_conf conf = test_conf(f.url);
  conf.max_retries = 2;
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  assert_int_equal(err.http_status, 0);
  assert_int_equal(fault_count(&f), 3);
}

static void test_zero_max_retries_sends_one_request(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "status-503-always");
  struct serde_conf conf = test_conf(f.url);
  conf.max_retries = 0;
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  assert_int_equal(fault_count(&f), 1);
}

static void test_after_retries_the_next_url_is_tried_and_remembered(void **state) {
  (void)state;
  fault_t bad, good;
  fault(&bad, "status-503-always");
  fault(&good, "ok");
  char urls[800];
  snprintf(urls, sizeof urls, "%s,%s", bad.url, good.url);
  struct serde_conf conf = test_conf(urls);
  serde_http_t *http = http_new_ok(&conf);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_by_id(http, 1, NULL, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  assert_int_equal(fault_count(&bad), 4);
  assert_int_equal(fault_count(&good), 1);
  /* the next call starts at the URL that answered */
  assert_int_equal(serde__client_by_id(http, 1, NULL, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  assert_int_equal(fault_count(&bad), 4);
  assert_int_equal(fault_count(&good), 2);
  serde__http_destroy(http);
}

static void test_an_error_page_that_is_not_json_keeps_the_status(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "status-502-always-html");
  struct serde_conf conf = test_conf(f.url);
  conf.max_retries = 1;
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  assert_int_equal(err.http_status, 502);
  assert_int_equal(err.error_code, 0);
  assert_non_null(strstr(err.message, "from a proxy"));
  assert_int_equal(fault_count(&f), 2);
}

/* ---- answers ------------------------------------------------------------------------------ */

static void test_malformed_answers_are_registry_response_errors(void **state) {
  (void)state;
  static const char *bodies[] = {
      "notjson",        "empty",       "truncated",        "array",         "string",          "id-string",
      "id-float",       "id-negative", "id-huge",          "id-object",     "schema-int",      "schema-array",
      "schema-missing", "schema-nul",  "version-string",   "version-zero",  "subject-int",     "type-int",
      "guid-int",       "refs-object", "refs-item-string", "refs-name-int", "refs-second-bad",
  };
  for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    char scenario[64];
    snprintf(scenario, sizeof scenario, "body-%s", bodies[i]);
    fault_t f;
    fault(&f, scenario);
    struct serde_conf conf = test_conf(f.url);
    serde_http_t *http = http_new_ok(&conf);
    serde_schema_body_t v1 = avro(V1);
    serde_error_t err = {0};
    serde_registered_t r = {0};
    /* lookup and version need id, version and schema: every body above fails them */
    assert_int_equal(serde__client_lookup(http, "s", &v1, false, &r, &err), SERDE_ERR_REGISTRY_RESPONSE);
    assert_null(r.schema);
    assert_null(r.refs);
    assert_int_equal(serde__client_version(http, "s", 1, &r, &err), SERDE_ERR_REGISTRY_RESPONSE);
    assert_non_null(strstr(err.message, "invalid registry answer"));
    /* by id needs only the schema; register only the id */
    serde_code_t rc = serde__client_by_id(http, 7, NULL, &r, &err);
    assert_true(rc == SERDE_OK || rc == SERDE_ERR_REGISTRY_RESPONSE);
    serde__registered_fini(&r);
    rc = serde__client_register(http, "s", &v1, false, &r, &err);
    assert_true(rc == SERDE_OK || rc == SERDE_ERR_REGISTRY_RESPONSE);
    serde__registered_fini(&r);
    assert_int_equal(fault_count(&f), 4); /* a bad 200 is never retried */
    serde__http_destroy(http);
  }
}

static void test_full_answers_are_read_and_nulls_are_absent(void **state) {
  (void)state;
  fault_t f, n;
  fault(&f, "body-full");
  fault(&n, "body-nulls");
  struct serde_conf conf = test_conf(f.url);
  serde_http_t *http = http_new_ok(&conf);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  assert_int_equal(serde__client_version(http, "full-subject", -1, &r, &err), SERDE_OK);
  assert_int_equal(r.id, 42);
  assert_int_equal(r.version, 3);
  assert_string_equal(r.subject, "full-subject");
  assert_string_equal(r.schema_type, "PROTOBUF");
  assert_string_equal(r.guid, "6f2b8c0e-3c3e-4f0a-9d8e-1a2b3c4d5e6f");
  assert_int_equal(r.schema_len, strlen("syntax = \"proto3\";\nmessage M { int32 a = 1; }\n"));
  assert_int_equal(r.n_refs, 2);
  assert_string_equal(r.refs[1].name, "x/y.proto");
  assert_string_equal(r.refs[1].subject, "x/y");
  assert_int_equal(r.refs[0].version, 2);
  serde__registered_fini(&r);
  assert_null(r.schema); /* fini zeroes */
  serde__http_destroy(http);

  conf = test_conf(n.url);
  http = http_new_ok(&conf);
  assert_int_equal(serde__client_by_id(http, 7, NULL, &r, &err), SERDE_OK);
  assert_string_equal(r.schema_type, "AVRO");
  assert_null(r.subject);
  assert_null(r.guid);
  assert_int_equal(r.n_refs, 0);
  assert_string_equal(r.schema, "\"string\"");
  serde__registered_fini(&r);
  serde__http_destroy(http);
}

static void test_huge_answers_are_refused_not_buffered(void **state) {
  (void)state;
  const char *scenarios[] = {"huge-chunked", "huge-length"};
  for (size_t i = 0; i < 2; i++) {
    fault_t f;
    fault(&f, scenarios[i]);
    struct serde_conf conf = test_conf(f.url);
    serde_error_t err = {0};
    assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_RESPONSE);
    assert_non_null(strstr(err.message, "exceeds 16777216 bytes"));
    assert_int_equal(fault_count(&f), 1);
  }
}

/* ---- auth, headers, paths ------------------------------------------------------------------ */

/* http://<userinfo>@127.0.0.1:PORT/<scenario>/<key> */
static void url_with_userinfo(char *out, size_t size, const fault_t *f, const char *userinfo) {
  const char *hostport = strstr(f->server, "://") + 3;
  snprintf(out, size, "http://%s@%s/%s", userinfo, hostport, f->key);
}

static void assert_basic(const fault_t *f, const char *user, const char *pass) {
  char got[256];
  assert_non_null(request_field(f, 0, "basic_user", got, sizeof got));
  assert_string_equal(got, user);
  assert_non_null(request_field(f, 0, "basic_pass", got, sizeof got));
  assert_string_equal(got, pass);
}

static void test_basic_auth_user_info_keeps_at_and_colon_in_the_password(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  char url[512];
  url_with_userinfo(url, sizeof url, &f, "ignored:ignored"); /* basic.auth.user.info wins */
  struct serde_conf conf = test_conf(url);
  conf.user_info = "alice:p@ss:w/rd %41";
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  assert_basic(&f, "alice", "p@ss:w/rd %41"); /* verbatim: no percent-decoding */
}

static void test_basic_auth_from_url_userinfo_is_percent_decoded(void **state) {
  (void)state;
  static const struct {
    const char *userinfo, *user, *pass;
  } cases[] = {
      {"bob:p%40ss%3Aw%2Frd%25", "bob", "p@ss:w/rd%"},
      {"carol:p@ss:w/rd", "carol", "p@ss:w/rd"}, /* unencoded: the last '@' ends the userinfo */
      {"d%C3%A9v:%E2%9C%93", "d\xc3\xa9v", "\xe2\x9c\x93"},
      {"eve:", "eve", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fault_t f;
    fault(&f, "ok");
    char url[512];
    url_with_userinfo(url, sizeof url, &f, cases[i].userinfo);
    struct serde_conf conf = test_conf(url);
    serde_error_t err = {0};
    assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
    assert_basic(&f, cases[i].user, cases[i].pass);
  }
}

static void test_bearer_token_is_sent_and_conflicts_with_basic_auth(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  struct serde_conf conf = test_conf(f.url);
  conf.bearer_token = "eyJ.tok-en_1";
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  char got[256];
  assert_non_null(request_header(&f, 0, "authorization", got, sizeof got));
  assert_string_equal(got, "Bearer eyJ.tok-en_1");

  conf.user_info = "u:p";
  assert_null(serde__http_new(&conf, &err));
  assert_int_equal(err.code, SERDE_ERR_CONF);
  conf.bearer_token = "a\r\nX-Injected: 1";
  conf.user_info = NULL;
  assert_null(serde__http_new(&conf, &err));
  assert_int_equal(err.code, SERDE_ERR_CONF);
}

static void test_requests_carry_confluent_headers_encoded_paths_and_json_bodies(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  struct serde_conf conf = test_conf(f.url);
  serde_http_t *http = http_new_ok(&conf);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  const char *subject = "a/b c:\xc3\xa4~._-?#%+";
  serde_schema_body_t v1 = avro(V1);
  assert_int_equal(serde__client_register(http, subject, &v1, true, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  serde_reg_ref_t refs[2] = {{"other.proto", "other", 2}, {"x/y.proto", "x/y", -1}};
  serde_schema_body_t proto = {
      .schema_type = "PROTOBUF", .schema = "syntax = \"proto3\";", .refs = refs, .n_refs = 2};
  proto.schema_len = strlen(proto.schema);
  assert_int_equal(serde__client_lookup(http, subject, &proto, false, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_by_id(http, 5, subject, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  assert_int_equal(serde__client_version(http, ".", 12, &r, &err), SERDE_OK);
  serde__registered_fini(&r);
  serde__http_destroy(http);

  char want[512], got[1024];
  const char *enc = "a%2Fb%20c%3A%C3%A4~._-%3F%23%25%2B";
  snprintf(want, sizeof want, "/%s/subjects/%s/versions?normalize=true", f.key, enc);
  assert_string_equal(request_field(&f, 0, "path", got, sizeof got), want);
  assert_string_equal(request_field(&f, 0, "method", got, sizeof got), "POST");
  snprintf(want, sizeof want, "/%s/subjects/%s", f.key, enc);
  assert_string_equal(request_field(&f, 1, "path", got, sizeof got), want);
  snprintf(want, sizeof want, "/%s/schemas/ids/5?subject=%s", f.key, enc);
  assert_string_equal(request_field(&f, 2, "path", got, sizeof got), want);
  assert_string_equal(request_field(&f, 2, "method", got, sizeof got), "GET");
  snprintf(want, sizeof want, "/%s/subjects/%%2E/versions/12", f.key); /* no dot-segment */
  assert_string_equal(request_field(&f, 3, "path", got, sizeof got), want);

  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(request_header(&f, i, "accept", got, sizeof got),
                        "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, "
                        "application/json");
    assert_string_equal(request_header(&f, i, "confluent-client-version", got, sizeof got), "weir-serde/0.1");
    assert_null(request_header(&f, i, "authorization", got, sizeof got));
  }
  assert_string_equal(request_header(&f, 0, "content-type", got, sizeof got),
                      "application/vnd.schemaregistry.v1+json");
  assert_null(request_header(&f, 2, "content-type", got, sizeof got)); /* no body, no Content-Type */

  /* AVRO omits schemaType, as Java does; other types and references are sent */
  json_t *body = json_loads(request_field(&f, 0, "body", got, sizeof got), 0, NULL);
  assert_string_equal(json_string_value(json_object_get(body, "schema")), V1);
  assert_null(json_object_get(body, "schemaType"));
  assert_null(json_object_get(body, "references"));
  json_decref(body);
  body = json_loads(request_field(&f, 1, "body", got, sizeof got), 0, NULL);
  assert_string_equal(json_string_value(json_object_get(body, "schemaType")), "PROTOBUF");
  json_t *sent = json_object_get(body, "references");
  assert_int_equal(json_array_size(sent), 2);
  assert_string_equal(json_string_value(json_object_get(json_array_get(sent, 1), "name")), "x/y.proto");
  assert_string_equal(json_string_value(json_object_get(json_array_get(sent, 1), "subject")), "x/y");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(sent, 1), "version")), -1);
  json_decref(body);
}

static void test_trailing_slashes_in_urls_do_not_double_slashes(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  char url[512];
  snprintf(url, sizeof url, " %s/// ", f.url); /* spaces around list entries are trimmed too */
  struct serde_conf conf = test_conf(url);
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  char want[256], got[512];
  snprintf(want, sizeof want, "/%s/schemas/ids/1", f.key);
  assert_string_equal(request_field(&f, 0, "path", got, sizeof got), want);
}

static void test_connections_are_kept_alive_across_calls(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  struct serde_conf conf = test_conf(f.url);
  serde_http_t *http = http_new_ok(&conf);
  serde_schema_body_t v1 = avro(V1);
  for (int i = 0; i < 6; i++) {
    serde_error_t err = {0};
    serde_registered_t r = {0};
    serde_code_t rc = i % 2 ? serde__client_by_id(http, 1, NULL, &r, &err)
                            : serde__client_register(http, "s", &v1, false, &r, &err);
    assert_int_equal(rc, SERDE_OK);
    serde__registered_fini(&r);
  }
  serde__http_destroy(http);
  assert_int_equal(fault_count(&f), 6);
  assert_int_equal(stats_int(&f, "connections"), 1);
}

/* ---- configuration and arguments ------------------------------------------------------------- */

static void test_bad_urls_are_conf_errors(void **state) {
  (void)state;
  static const char *bad[] = {
      NULL,
      "",
      " , ",
      "localhost:8081",
      "ftp://registry",
      "http://",
      "https:///path",
      "http://:8081",
      "http://host/a b",
      "http://host:8081/?x=1",
      "http://host#top",
      "http://u:%00@host",
      "http://ok:8081,file:///etc/passwd",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct serde_conf conf = test_conf(bad[i]);
    serde_error_t err = {0};
    serde_http_t *http = serde__http_new(&conf, &err);
    if (http) fail_msg("URL list \"%s\" was accepted", bad[i] ? bad[i] : "(null)");
    assert_int_equal(err.code, SERDE_ERR_CONF);
  }
  struct serde_conf conf = test_conf("HTTPS://Host:1/base, http://[::1]:8081");
  serde_error_t err = {0};
  serde__http_destroy(http_new_ok(&conf)); /* case-insensitive scheme, IPv6 literal */
  conf.user_info = "no-colon";
  assert_null(serde__http_new(&conf, &err));
  assert_int_equal(err.code, SERDE_ERR_CONF);
  conf = test_conf("ftp://user:hunter2@host");
  assert_null(serde__http_new(&conf, &err));
  assert_null(strstr(err.message, "hunter2")); /* credentials are never shown */
  serde__http_destroy(NULL);
}

static void test_bad_arguments_are_invalid_arg_without_a_request(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "ok");
  struct serde_conf conf = test_conf(f.url);
  serde_http_t *http = http_new_ok(&conf);
  serde_error_t err = {0};
  serde_registered_t r = {0};
  serde_schema_body_t v1 = avro(V1), none = {0};
  assert_int_equal(serde__client_register(http, "", &v1, false, &r, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__client_register(http, NULL, &v1, false, &r, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__client_lookup(http, "s", &none, false, &r, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__client_version(http, "s", 0, &r, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__client_version(http, "s", -2, &r, &err), SERDE_ERR_INVALID_ARG);
  assert_int_equal(serde__client_by_id(http, -1, NULL, &r, &err), SERDE_ERR_INVALID_ARG);
  serde_schema_body_t latin1 = {.schema = "\"caf\xe9\"", .schema_len = 6};
  assert_int_equal(serde__client_register(http, "s", &latin1, false, &r, &err), SERDE_ERR_INVALID_ARG);
  serde_reg_ref_t no_name = {.subject = "x", .version = 1};
  serde_schema_body_t ref_body = {.schema = V1, .schema_len = strlen(V1), .refs = &no_name, .n_refs = 1};
  assert_int_equal(serde__client_register(http, "s", &ref_body, false, &r, &err), SERDE_ERR_INVALID_ARG);
  serde__http_destroy(http);
  assert_int_equal(fault_count(&f), 0);
}

static void test_client_error_maps_statuses_and_reads_the_error_body(void **state) {
  (void)state;
  static const struct {
    long status;
    const char *body;
    serde_code_t code;
    int error_code;
  } cases[] = {
      {401, "{\"error_code\":40101,\"message\":\"bad\\ncredentials\"}", SERDE_ERR_REGISTRY_AUTH, 40101},
      {403, "", SERDE_ERR_REGISTRY_AUTH, 0},
      {404, "{\"error_code\":40403,\"message\":\"Schema 3 not found\"}", SERDE_ERR_UNKNOWN_SCHEMA, 40403},
      {408, "{\"error_code\":\"408\"}", SERDE_ERR_REGISTRY_UNAVAILABLE, 0},
      {409, "{\"error_code\":40901,\"message\":5}", SERDE_ERR_REGISTRY_REJECTED, 40901},
      {422, "[\"not an object\"]", SERDE_ERR_REGISTRY_REJECTED, 0},
      {429, "{\"error_code\":42901}", SERDE_ERR_REGISTRY_THROTTLED, 42901},
      {400, "{\"error_code\":1e99}", SERDE_ERR_INVALID_ARG, 0},
      {418, "teapot", SERDE_ERR_INVALID_ARG, 0},
      {500, "{\"error_code\":50001,\"message\":\"store\"}", SERDE_ERR_REGISTRY_UNAVAILABLE, 50001},
      {599, "{", SERDE_ERR_REGISTRY_UNAVAILABLE, 0},
      {302, "", SERDE_ERR_REGISTRY_RESPONSE, 0},
      {101, "", SERDE_ERR_REGISTRY_RESPONSE, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    serde_http_resp_t resp = {
        .status = cases[i].status, .body = (char *)cases[i].body, .body_len = strlen(cases[i].body)};
    serde_error_t err = {0};
    assert_int_equal(serde__client_error(&resp, "what", &err), cases[i].code);
    assert_int_equal(err.code, cases[i].code);
    assert_int_equal(err.http_status, (int)cases[i].status);
    assert_int_equal(err.error_code, cases[i].error_code);
    assert_true(strncmp(err.message, "what: ", 6) == 0);
    assert_null(strchr(err.message, '\n'));
    assert_int_equal(serde__client_error(&resp, "what", NULL), cases[i].code);
  }
  serde_http_resp_t empty = {.status = 503};
  serde_error_t err = {0};
  assert_int_equal(serde__client_error(&empty, "what", &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
}

/* Fails every allocation the serde makes in turn, through a transport's
 * life: each step must end in NOMEM (or OK), never crash, never leak. */
static void test_allocation_failures_return_nomem_and_leak_nothing(void **state) {
  (void)state;
  fault_t f;
  fault(&f, "body-full");
  char url[512];
  url_with_userinfo(url, sizeof url, &f, "us%40er:pa%3Ass");
  struct serde_conf conf = test_conf(url);
  serde_schema_body_t v1 = avro(V1);
  serde_reg_ref_t ref = {"a.B", "sub/ject", 1};
  v1.refs = &ref;
  v1.n_refs = 1;
  long n = 1;
  for (; n < 1000; n++) {
    serde__alloc_fail_at(n);
    serde_error_t err = {0};
    serde_registered_t r = {0};
    serde_code_t rc[3] = {SERDE_OK, SERDE_OK, SERDE_OK};
    serde_http_t *http = serde__http_new(&conf, &err);
    rc[0] = http ? SERDE_OK : err.code;
    if (http) rc[1] = serde__client_register(http, "s/1", &v1, true, &r, &err);
    serde__registered_fini(&r);
    if (http) rc[2] = serde__client_version(http, "s/1", -1, &r, &err);
    serde__registered_fini(&r);
    serde__http_destroy(http);
    serde__alloc_fail_at(0);
    for (int i = 0; i < 3; i++) {
      if (rc[i] != SERDE_OK && rc[i] != SERDE_ERR_NOMEM) fail_msg("allocation %ld, step %d: %d", n, i, rc[i]);
    }
    if (rc[0] == SERDE_OK && rc[1] == SERDE_OK && rc[2] == SERDE_OK) break;
  }
  assert_true(n > 10 && n < 1000); /* failures happened, then a clean run */
}

/* ---- TLS --------------------------------------------------------------------------------------- */

static void test_https_verifies_the_registry_with_the_configured_ca(void **state) {
  (void)state;
  fault_t f;
  fault_on(&f, "WEIR_SERDE_IT_TLS", "ok");
  struct serde_conf conf = test_conf(f.url);
  conf.ssl_ca = (char *)env_or_skip("WEIR_SERDE_IT_CA");
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  assert_int_equal(fault_count(&f), 1);

  conf.ssl_ca = NULL; /* the system store does not know the test CA */
  long long t0 = now_ms();
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  assert_true(now_ms() - t0 < 2000);
  assert_non_null(strstr(err.message, "certificate"));
  assert_int_equal(fault_count(&f), 1);
}

static void test_https_host_name_mismatch_fails_unless_verification_is_off(void **state) {
  (void)state;
  fault_t f;
  fault_on(&f, "WEIR_SERDE_IT_TLS_WRONG_HOST", "ok");
  struct serde_conf conf = test_conf(f.url);
  conf.ssl_ca = (char *)env_or_skip("WEIR_SERDE_IT_CA");
  conf.ssl_verify_host = true;
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  conf.ssl_verify_host = false; /* ssl.endpoint.identification.algorithm= (empty) */
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
}

static void test_https_client_certificate_with_encrypted_key_is_presented(void **state) {
  (void)state;
  fault_t f;
  fault_on(&f, "WEIR_SERDE_IT_TLS", "ok");
  struct serde_conf conf = test_conf(f.url);
  conf.ssl_ca = (char *)env_or_skip("WEIR_SERDE_IT_CA");
  conf.ssl_cert = (char *)env_or_skip("WEIR_SERDE_IT_CLIENT_CERT");
  conf.ssl_key = (char *)env_or_skip("WEIR_SERDE_IT_CLIENT_KEY");
  conf.ssl_key_password = (char *)env_or_skip("WEIR_SERDE_IT_KEY_PASSWORD");
  serde_error_t err = {0};
  assert_int_equal(by_id_once(&conf, &err), SERDE_OK);
  char cn[128];
  assert_non_null(request_field(&f, 0, "client_cn", cn, sizeof cn));
  assert_string_equal(cn, "weir-serde-client");
  conf.ssl_key_password = "wrong";
  assert_int_equal(by_id_once(&conf, &err), SERDE_ERR_REGISTRY_UNAVAILABLE);
  assert_int_equal(fault_count(&f), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_register_lookup_by_id_and_versions_agree),
      cmocka_unit_test(test_unknown_id_is_unknown_schema_with_404_and_40403),
      cmocka_unit_test(test_unknown_subject_version_and_schema_are_unknown_schema),
      cmocka_unit_test(test_subject_with_slash_space_colon_and_unicode_round_trips),
      cmocka_unit_test(test_incompatible_schema_is_rejected_with_409),
      cmocka_unit_test(test_invalid_schema_is_rejected_with_422),
      cmocka_unit_test(test_references_are_registered_and_read_back),
      cmocka_unit_test(test_failover_from_a_closed_port_to_the_registry_succeeds),
      cmocka_unit_test(test_concurrent_calls_from_threads_all_succeed),
      cmocka_unit_test(test_unreachable_registry_is_unavailable_without_a_status),
      cmocka_unit_test(test_hung_registry_times_out_as_unavailable),
      cmocka_unit_test(test_503_then_200_is_retried_until_it_succeeds),
      cmocka_unit_test(test_retriable_statuses_are_retried_exactly_max_retries_times),
      cmocka_unit_test(test_other_4xx_are_never_retried),
      cmocka_unit_test(test_dropped_connections_are_retried_then_unavailable),
      cmocka_unit_test(test_zero_max_retries_sends_one_request),
      cmocka_unit_test(test_after_retries_the_next_url_is_tried_and_remembered),
      cmocka_unit_test(test_an_error_page_that_is_not_json_keeps_the_status),
      cmocka_unit_test(test_malformed_answers_are_registry_response_errors),
      cmocka_unit_test(test_full_answers_are_read_and_nulls_are_absent),
      cmocka_unit_test(test_huge_answers_are_refused_not_buffered),
      cmocka_unit_test(test_basic_auth_user_info_keeps_at_and_colon_in_the_password),
      cmocka_unit_test(test_basic_auth_from_url_userinfo_is_percent_decoded),
      cmocka_unit_test(test_bearer_token_is_sent_and_conflicts_with_basic_auth),
      cmocka_unit_test(test_requests_carry_confluent_headers_encoded_paths_and_json_bodies),
      cmocka_unit_test(test_trailing_slashes_in_urls_do_not_double_slashes),
      cmocka_unit_test(test_connections_are_kept_alive_across_calls),
      cmocka_unit_test(test_bad_urls_are_conf_errors),
      cmocka_unit_test(test_bad_arguments_are_invalid_arg_without_a_request),
      cmocka_unit_test(test_client_error_maps_statuses_and_reads_the_error_body),
      cmocka_unit_test(test_allocation_failures_return_nomem_and_leak_nothing),
      cmocka_unit_test(test_https_verifies_the_registry_with_the_configured_ca),
      cmocka_unit_test(test_https_host_name_mismatch_fails_unless_verification_is_off),
      cmocka_unit_test(test_https_client_certificate_with_encrypted_key_is_presented),
  };
  if (getenv("WEIR_SERDE_IT_FILTER")) cmocka_set_test_filter(getenv("WEIR_SERDE_IT_FILTER"));
  curl_global_init(CURL_GLOBAL_DEFAULT); /* for fault_stats, before any thread */
  int failed = cmocka_run_group_tests_name("serde registry client", tests, NULL, NULL);
  curl_global_cleanup();
  return failed;
}
