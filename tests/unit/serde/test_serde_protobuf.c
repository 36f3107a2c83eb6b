// SPDX-License-Identifier: Apache-2.0
/* Tests of serde_protobuf.c, serde_protobuf_c.c and serde_protobuf_schema.c:
 * Protobuf records through the registry paths Avro uses (subject
 * strategies, auto-register, lookup, use.latest.version, schemas by id with
 * references), imports turned into references, message indexes in frames
 * (golden bytes of the spec and of confluent-kafka-python 1.7.0, whose
 * legacy form use.deprecated.format reads and writes), protobuf-c generated
 * messages both ways, and the errors of bad frames. A small fake Schema
 * Registry runs on a loopback port in a thread of the test. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pb_int.h"
#include "serde_core.h"
#include "test_pb_helpers.h"

/* ---- a fake registry ---------------------------------------------------------------------- */

typedef struct fake_schema {
  int id, version;
  char *subject, *type, *text;
  json_t *refs; /* array, owned */
} fake_schema_t;

static struct {
  int fd, port;
  pthread_t thread;
  volatile int stop;
  pthread_mutex_t lock;
  fake_schema_t items[64];
  size_t n;
  int next_id;
  char log[512][200]; /* "GET /schemas/ids/1" */
  size_t n_log;
} reg;

static void reg_reset(void) {
  pthread_mutex_lock(&reg.lock);
  for (size_t i = 0; i < reg.n; i++) {
    free(reg.items[i].subject);
    free(reg.items[i].type);
    free(reg.items[i].text);
    json_decref(reg.items[i].refs);
  }
  reg.n = 0;
  reg.n_log = 0;
  reg.next_id = 1;
  pthread_mutex_unlock(&reg.lock);
}

/* Adds (subject, text): same text and type anywhere keeps its id. */
static const fake_schema_t *reg_add_locked(const char *subject, const char *type, const char *text,
                                           json_t *refs, int id) {
  int version = 1;
  for (size_t i = 0; i < reg.n; i++) {
    fake_schema_t *s = &reg.items[i];
    if (!strcmp(s->type, type) && !strcmp(s->text, text) && id <= 0) {
      id = s->id;
    }
    if (!strcmp(s->subject, subject)) {
      if (!strcmp(s->text, text) && !strcmp(s->type, type)) {
        json_decref(refs);
        return s;
      }
      version = s->version + 1;
    }
  }
  assert_true(reg.n < 64);
  fake_schema_t *s = &reg.items[reg.n++];
  *s = (fake_schema_t){id > 0 ? id : reg.next_id++, version, strdup(subject), strdup(type), strdup(text),
                       refs ? refs : json_array()};
  if (s->id >= reg.next_id) {
    reg.next_id = s->id + 1;
  }
  return s;
}

static int reg_add(const char *subject, const char *type, const char *text, const char *refs_json, int id) {
  pthread_mutex_lock(&reg.lock);
  const fake_schema_t *s =
      reg_add_locked(subject, type, text, refs_json ? json_loads(refs_json, 0, NULL) : NULL, id);
  int got = s->id;
  pthread_mutex_unlock(&reg.lock);
  return got;
}

static json_t *schema_json(const fake_schema_t *s, bool with_subject) {
  json_t *o = json_pack("{s:s, s:s, s:O}", "schema", s->text, "schemaType", s->type, "references", s->refs);
  if (with_subject) {
    json_object_set_new(o, "subject", json_string(s->subject));
    json_object_set_new(o, "version", json_integer(s->version));
    json_object_set_new(o, "id", json_integer(s->id));
  }
  return o;
}

static void percent_decode(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    unsigned v = 0;
    if (*r == '%' && sscanf(r + 1, "%2x", &v) == 1) {
      *w++ = (char)v;
      r += 2;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
}

/* Answers one request: status and a JSON body (owned). */
static int route(const char *method, char *path, const char *body, json_t **answer) {
  char *q = strchr(path, '?');
  if (q) {
    *q = '\0';
  }
  int id = 0;
  char subject[256] = "", rest[64] = "";
  if (sscanf(path, "/schemas/ids/%d", &id) == 1 && !strcmp(method, "GET")) {
    for (size_t i = 0; i < reg.n; i++) {
      if (reg.items[i].id == id) {
        *answer = schema_json(&reg.items[i], false);
        return 200;
      }
    }
    *answer = json_pack("{s:i, s:s}", "error_code", 40403, "message", "Schema not found");
    return 404;
  }
  if (sscanf(path, "/subjects/%255[^/]%63s", subject, rest) < 1) {
    *answer = json_pack("{s:i, s:s}", "error_code", 404, "message", "no route");
    return 404;
  }
  percent_decode(subject);
  const fake_schema_t *latest = NULL;
  for (size_t i = 0; i < reg.n; i++) {
    if (!strcmp(reg.items[i].subject, subject)) {
      latest = &reg.items[i];
    }
  }
  json_t *req = body && *body ? json_loads(body, 0, NULL) : NULL;
  const char *text = req ? json_string_value(json_object_get(req, "schema")) : NULL;
  const char *type = req && json_object_get(req, "schemaType")
                         ? json_string_value(json_object_get(req, "schemaType"))
                         : "AVRO";
  int status = 404;
  *answer = NULL;
  if (!strcmp(method, "POST") && !strcmp(rest, "/versions") && text) {
    json_t *refs = json_object_get(req, "references");
    const fake_schema_t *s = reg_add_locked(subject, type, text, refs ? json_incref(refs) : NULL, 0);
    *answer = json_pack("{s:i}", "id", s->id);
    status = 200;
  } else if (!strcmp(method, "POST") && !*rest && text) {
    for (size_t i = 0; i < reg.n && !*answer; i++) {
      const fake_schema_t *s = &reg.items[i];
      if (!strcmp(s->subject, subject) && !strcmp(s->text, text) && !strcmp(s->type, type)) {
        *answer = schema_json(s, true);
        status = 200;
      }
    }
  } else if (!strcmp(method, "GET") && !strncmp(rest, "/versions/", 10)) {
    int v = !strcmp(rest + 10, "latest") ? (latest ? latest->version : -1) : atoi(rest + 10);
    for (size_t i = 0; i < reg.n && !*answer; i++) {
      if (!strcmp(reg.items[i].subject, subject) && reg.items[i].version == v) {
        *answer = schema_json(&reg.items[i], true);
        status = 200;
      }
    }
  }
  json_decref(req);
  if (!*answer) {
    *answer = json_pack("{s:i, s:s}", "error_code", latest ? 40403 : 40401, "message",
                        latest ? "Schema not found" : "Subject not found");
  }
  return status;
}

static void serve_one(int c) {
  char buf[65536];
  size_t n = 0;
  char *end = NULL;
  while (!end && n < sizeof buf - 1) {
    ssize_t r = read(c, buf + n, sizeof buf - 1 - n);
    if (r <= 0) {
      return;
    }
    n += (size_t)r;
    buf[n] = '\0';
    end = strstr(buf, "\r\n\r\n");
  }
  char *cl = strcasestr(buf, "content-length:");
  size_t want = cl && cl < end ? (size_t)atol(cl + 15) : 0;
  while ((size_t)(buf + n - (end + 4)) < want && n < sizeof buf - 1) {
    ssize_t r = read(c, buf + n, sizeof buf - 1 - n);
    if (r <= 0) {
      return;
    }
    n += (size_t)r;
    buf[n] = '\0';
  }
  char method[16] = "", path[1024] = "";
  sscanf(buf, "%15s %1023s", method, path);
  pthread_mutex_lock(&reg.lock);
  if (reg.n_log < 512) {
    snprintf(reg.log[reg.n_log++], sizeof reg.log[0], "%.15s %.180s", method, path);
  }
  json_t *answer = NULL;
  int status = route(method, path, end + 4, &answer);
  pthread_mutex_unlock(&reg.lock);
  char *text = json_dumps(answer, JSON_COMPACT);
  json_decref(answer);
  char head[256];
  int hn = snprintf(head, sizeof head,
                    "HTTP/1.1 %d X\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\n"
                    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                    status, strlen(text));
  if (write(c, head, (size_t)hn) < 0 || write(c, text, strlen(text)) < 0) {
    /* the client went away */
  }
  free(text);
}

static void *serve(void *arg) {
  (void)arg;
  while (!reg.stop) {
    struct pollfd p = {reg.fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) {
      continue;
    }
    int c = accept(reg.fd, NULL, NULL);
    if (c >= 0) {
      serve_one(c);
      close(c);
    }
  }
  return NULL;
}

static bool logged(const char *entry) {
  pthread_mutex_lock(&reg.lock);
  bool found = false;
  for (size_t i = 0; i < reg.n_log && !found; i++) {
    found = strcmp(reg.log[i], entry) == 0;
  }
  pthread_mutex_unlock(&reg.lock);
  return found;
}

static int setup(void **state) {
  (void)state;
  pthread_mutex_init(&reg.lock, NULL);
  reg.fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof a;
  if (bind(reg.fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(reg.fd, 16) != 0 ||
      getsockname(reg.fd, (struct sockaddr *)&a, &alen) != 0) {
    return -1;
  }
  reg.port = ntohs(a.sin_port);
  return pthread_create(&reg.thread, NULL, serve, NULL);
}

static int teardown(void **state) {
  (void)state;
  reg.stop = 1;
  pthread_join(reg.thread, NULL);
  close(reg.fd);
  reg_reset();
  return 0;
}

/* ---- helpers -------------------------------------------------------------------------------- */

/* A handle on the fake registry with extra properties (name, value, ..., NULL). */
static serde_t *handle(const char *name, ...) {
  serde_conf_t *conf = serde_conf_new();
  serde_error_t err = {0};
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%d", reg.port);
  assert_int_equal(serde_conf_set(conf, "schema.registry.url", url, &err), SERDE_OK);
  assert_int_equal(serde_conf_set(conf, "max.retries", "0", &err), SERDE_OK);
  va_list ap;
  va_start(ap, name);
  for (const char *n = name; n; n = va_arg(ap, const char *)) {
    assert_int_equal(serde_conf_set(conf, n, va_arg(ap, const char *), &err), SERDE_OK);
  }
  va_end(ap);
  serde_t *sd = serde_new(conf, &err);
  assert_non_null(sd);
  return sd;
}

static char *codec_text(void) {
  return tpb_read("codec.proto", NULL);
}

static serde_schema_t *codec_schema(serde_t *sd) {
  char *text = codec_text();
  serde_error_t err = {0};
  serde_schema_t *s = serde_schema_new(sd, "PROTOBUF", text, strlen(text), &err);
  if (!s) {
    fail_msg("codec.proto: %s", err.message);
  }
  free(text);
  return s;
}

static void assert_frame(const serde_buf_t *b, int32_t id, const uint8_t *rest, size_t n) {
  assert_int_equal(b->len, 5 + n);
  assert_int_equal(b->data[0], 0);
  assert_int_equal((int32_t)((uint32_t)b->data[1] << 24 | (uint32_t)b->data[2] << 16 |
                             (uint32_t)b->data[3] << 8 | b->data[4]),
                   id);
  assert_memory_equal(b->data + 5, rest, n);
}

static char *deserialize_json(serde_t *sd, const serde_buf_t *frame) {
  serde_buf_t out = {0};
  serde_error_t err = {0};
  if (serde_deserialize_protobuf_json(sd, "orders", SERDE_VALUE, frame->data, frame->len, &out, NULL, &err) !=
      SERDE_OK) {
    fail_msg("deserialize: %s", err.message);
  }
  char *text = strndup((const char *)out.data, out.len);
  serde_buf_fini(&out);
  return text;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void test_serde_protobuf_serializes_json_with_auto_register_and_reads_it_back(void **state) {
  (void)state;
  reg_reset();
  serde_t *sd = handle(NULL);
  serde_schema_t *s = codec_schema(sd);
  assert_string_equal(serde_schema_type(s), "PROTOBUF");
  assert_string_equal(serde_schema_record_name(s), "weir.test.Scalars");
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, NULL, "{\"i32\":150}", 11, &out, &err),
      SERDE_OK);
  assert_frame(&out, 1, (const uint8_t[]){0x00, 0x18, 0x96, 0x01}, 4);
  assert_true(logged("POST /subjects/orders-value/versions"));
  pthread_mutex_lock(&reg.lock);
  assert_string_equal(reg.items[0].type, "PROTOBUF");
  assert_int_equal(json_array_size(reg.items[0].refs), 0); /* well-known imports are no references */
  pthread_mutex_unlock(&reg.lock);
  /* the second record makes no registry call */
  size_t calls = reg.n_log;
  assert_int_equal(serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, NULL, "{}", 2, &out, &err),
                   SERDE_OK);
  assert_int_equal(reg.n_log, calls);
  assert_frame(&out, 1, (const uint8_t[]){0x00}, 1);
  /* nested message declared after a map field: [1, 1] (the map's entry type is nested_type 0) */
  const char *line = "{\"sku\":\"a\"}";
  assert_int_equal(serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, "weir.test.Order.Line", line,
                                                 strlen(line), &out, &err),
                   SERDE_OK);
  assert_frame(&out, 1, (const uint8_t[]){0x04, 0x02, 0x02, 0x0a, 0x01, 'a'}, 6);
  char *json = deserialize_json(sd, &out);
  assert_string_equal(json, "{\"sku\":\"a\",\"count\":0,\"price\":0.0}");
  free(json);
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_serde_protobuf_record_strategies_use_the_message_name(void **state) {
  (void)state;
  reg_reset();
  serde_t *sd = handle("value.subject.name.strategy", "RecordNameStrategy", "key.subject.name.strategy",
                       "TopicRecordNameStrategy", NULL);
  serde_schema_t *s = codec_schema(sd);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "t", SERDE_VALUE, s, "weir.test.Node", "{}", 2, &out, &err),
      SERDE_OK);
  assert_true(logged("POST /subjects/weir.test.Node/versions"));
  assert_frame(&out, 1, (const uint8_t[]){0x02, 0x06}, 2);
  assert_int_equal(serde_serialize_protobuf_json(sd, "t", SERDE_VALUE, s, NULL, "{}", 2, &out, &err),
                   SERDE_OK);
  assert_true(logged("POST /subjects/weir.test.Scalars/versions"));
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "t", SERDE_KEY, s, "weir.test.Order", "{}", 2, &out, &err), SERDE_OK);
  assert_true(logged("POST /subjects/t-weir.test.Order/versions"));
  char subject[64];
  assert_int_equal(serde_subject_name(sd, "t", SERDE_VALUE, s, subject, sizeof subject, &err), SERDE_OK);
  assert_string_equal(subject, "weir.test.Scalars");
  /* a message the schema's file does not define */
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "t", SERDE_VALUE, s, "google.protobuf.Empty", "{}", 2, &out, &err),
      SERDE_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "not defined in the schema's .proto file"));
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static const char *COMMON =
    "syntax = \"proto3\";\npackage other;\nmessage Money { int64 cents = 1; string cur = 2; }\n";
static const char *MAIN =
    "syntax = \"proto3\";\npackage shop;\nimport \"other/common.proto\";\n"
    "import \"google/protobuf/timestamp.proto\";\n"
    "message Sale { other.Money price = 1; google.protobuf.Timestamp at = 2; }\n";

static void test_serde_protobuf_imports_become_registered_references(void **state) {
  (void)state;
  reg_reset();
  serde_t *sd = handle(NULL);
  serde_pb_file_t deps[] = {{"other/common.proto", COMMON, strlen(COMMON)}};
  serde_error_t err = {0};
  serde_schema_t *s = serde_schema_new_protobuf(sd, MAIN, strlen(MAIN), deps, 1, &err);
  if (!s) {
    fail_msg("%s", err.message);
  }
  assert_true(logged("POST /subjects/other%2Fcommon.proto/versions"));
  serde_buf_t out = {0};
  const char *json = "{\"price\":{\"cents\":\"250\",\"cur\":\"EUR\"},\"at\":\"2024-01-02T03:04:05Z\"}";
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "sales", SERDE_VALUE, s, NULL, json, strlen(json), &out, &err),
      SERDE_OK);
  pthread_mutex_lock(&reg.lock);
  const fake_schema_t *main_reg = &reg.items[reg.n - 1];
  assert_string_equal(main_reg->subject, "sales-value");
  assert_int_equal(json_array_size(main_reg->refs), 1);
  json_t *ref = json_array_get(main_reg->refs, 0);
  assert_string_equal(json_string_value(json_object_get(ref, "name")), "other/common.proto");
  assert_string_equal(json_string_value(json_object_get(ref, "subject")), "other/common.proto");
  assert_int_equal(json_integer_value(json_object_get(ref, "version")), 1);
  int main_id = main_reg->id;
  pthread_mutex_unlock(&reg.lock);
  /* a consumer with an empty cache fetches the schema and its reference */
  serde_t *consumer = handle(NULL);
  char *got = deserialize_json(consumer, &out);
  assert_string_equal(got, "{\"price\":{\"cents\":\"250\",\"cur\":\"EUR\"},\"at\":\"2024-01-02T03:04:05Z\"}");
  char want_get[64];
  snprintf(want_get, sizeof want_get, "GET /schemas/ids/%d", main_id);
  assert_true(logged(want_get));
  assert_true(logged("GET /subjects/other%2Fcommon.proto/versions/1"));
  free(got);
  /* without the file, the import is the subject's latest version */
  serde_schema_t *again = serde_schema_new(sd, "PROTOBUF", MAIN, strlen(MAIN), &err);
  assert_non_null(again);
  assert_true(logged("GET /subjects/other%2Fcommon.proto/versions/latest"));
  assert_int_equal(again->n_refs, 1);
  assert_int_equal(again->refs_list[0].version, 1);
  serde_schema_unref(again);
  serde_destroy(consumer);
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_serde_protobuf_unregistered_imports_fail_cleanly(void **state) {
  (void)state;
  reg_reset();
  serde_t *sd = handle("auto.register.schemas", "false", NULL);
  serde_error_t err = {0};
  assert_null(serde_schema_new(sd, "PROTOBUF", MAIN, strlen(MAIN), &err));
  assert_int_equal(err.code, SERDE_ERR_UNKNOWN_SCHEMA);
  assert_non_null(strstr(err.message, "import \"other/common.proto\""));
  /* lookup only: the given file is looked up, not registered */
  serde_pb_file_t deps[] = {{"other/common.proto", COMMON, strlen(COMMON)}};
  assert_null(serde_schema_new_protobuf(sd, MAIN, strlen(MAIN), deps, 1, &err));
  assert_int_equal(err.code, SERDE_ERR_UNKNOWN_SCHEMA);
  assert_false(logged("POST /subjects/other%2Fcommon.proto/versions"));
  assert_true(logged("POST /subjects/other%2Fcommon.proto"));
  /* a syntax error names the line */
  assert_null(serde_schema_new(sd, "PROTOBUF", "syntax = \"proto3\"; message {", 28, &err));
  assert_int_equal(err.code, SERDE_ERR_SCHEMA_PARSE);
  serde_destroy(sd);
}

static void test_serde_protobuf_lookup_and_latest_version_paths(void **state) {
  (void)state;
  reg_reset();
  char *text = codec_text();
  int id = reg_add("orders-value", "PROTOBUF", text, NULL, 7);
  serde_t *lookup = handle("auto.register.schemas", "false", NULL);
  serde_schema_t *s = codec_schema(lookup);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde_serialize_protobuf_json(lookup, "orders", SERDE_VALUE, s, "weir.test.Node",
                                                 "{\"v\":1}", 7, &out, &err),
                   SERDE_OK);
  assert_true(logged("POST /subjects/orders-value"));
  assert_frame(&out, id, (const uint8_t[]){0x02, 0x06, 0x08, 0x01}, 4);
  assert_int_equal(serde_serialize_protobuf_json(lookup, "other", SERDE_VALUE, s, NULL, "{}", 2, &out, &err),
                   SERDE_ERR_UNKNOWN_SCHEMA);
  serde_schema_unref(s);
  serde_destroy(lookup);
  /* use.latest.version: the registry's latest, which lists Node first, gives the indexes */
  const char *latest =
      "syntax = \"proto3\"; package weir.test;\n"
      "message Node { int32 v = 1; Node next = 2; string extra = 3; }\n";
  int latest_id = reg_add("orders-value", "PROTOBUF", latest, NULL, 0);
  serde_t *sd = handle("auto.register.schemas", "false", "use.latest.version", "true",
                       "latest.compatibility.strict", "false", NULL);
  s = codec_schema(sd);
  assert_int_equal(serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, "weir.test.Node", "{\"v\":1}",
                                                 7, &out, &err),
                   SERDE_OK);
  assert_frame(&out, latest_id, (const uint8_t[]){0x00, 0x08, 0x01}, 3);
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, "weir.test.Order", "{}", 2, &out, &err),
      SERDE_ERR_SCHEMA_INCOMPATIBLE);
  assert_non_null(strstr(err.message, "does not define message weir.test.Order"));
  serde_schema_unref(s);
  serde_destroy(sd);
  /* with the strict check, the latest must read the application's data: it lacks three messages */
  sd = handle("auto.register.schemas", "false", "use.latest.version", "true", NULL);
  s = codec_schema(sd);
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, "weir.test.Node", "{}", 2, &out, &err),
      SERDE_ERR_SCHEMA_INCOMPATIBLE);
  assert_non_null(strstr(err.message, "latest.compatibility.strict=false"));
  serde_schema_unref(s);
  serde_destroy(sd);
  /* use.schema.id: that schema's indexes; the application's own schema passes the strict check */
  char idtext[16];
  snprintf(idtext, sizeof idtext, "%d", id);
  sd = handle("auto.register.schemas", "false", "use.schema.id", idtext, NULL);
  s = codec_schema(sd);
  assert_int_equal(serde_serialize_protobuf_json(sd, "orders", SERDE_VALUE, s, "weir.test.Node", "{\"v\":1}",
                                                 7, &out, &err),
                   SERDE_OK);
  assert_frame(&out, id, (const uint8_t[]){0x02, 0x06, 0x08, 0x01}, 4);
  char want_get[64];
  snprintf(want_get, sizeof want_get, "GET /schemas/ids/%d", id);
  assert_true(logged(want_get));
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
  free(text);
}

static void test_serde_protobuf_reads_frames_of_confluent_kafka_python_1_7(void **state) {
  (void)state;
  reg_reset();
  char *text = codec_text();
  reg_add("t-value", "PROTOBUF", text, NULL, 42);
  serde_t *legacy = handle("use.deprecated.format", "true", NULL);
  serde_t *current = handle(NULL);
  serde_schema_t *s = codec_schema(legacy);
  char *frames = tpb_read("python_frames.jsonl", NULL);
  int n = 0;
  for (char *line = strtok(frames, "\n"); line; line = strtok(NULL, "\n"), n++) {
    json_t *c = json_loads(line, 0, NULL);
    const char *message = json_string_value(json_object_get(c, "message"));
    size_t len = 0;
    uint8_t *frame = tpb_unhex(json_string_value(json_object_get(c, "hex")), &len);
    serde_buf_t in = {frame, len, len};
    char *json = deserialize_json(legacy, &in);
    /* weir writes the same bytes in the legacy form */
    serde_buf_t out = {0};
    serde_error_t err = {0};
    assert_int_equal(serde_frame_protobuf_json(s, 42, message, json, strlen(json), &out, &err), SERDE_OK);
    if (out.len != len || memcmp(out.data, frame, len) != 0) {
      fail_msg("%s: weir's legacy frame differs from Python's", message);
    }
    /* the indexes name the message */
    serde_pb_frame_t pf;
    assert_int_equal(serde_protobuf_frame_parse(legacy, frame, len, &pf, &err), SERDE_OK);
    assert_string_equal(serde_protobuf_message_name(s, pf.indexes, pf.n_indexes), message);
    /* a zigzag reader fails on the legacy bytes or reads another message, never crashes */
    serde_buf_t z = {0};
    serde_code_t rc = serde_deserialize_protobuf_json(current, "t", SERDE_VALUE, frame, len, &z, NULL, &err);
    assert_true(rc == SERDE_OK || rc == SERDE_ERR_FRAMING || rc == SERDE_ERR_PAYLOAD_INVALID);
    serde_buf_fini(&z);
    serde_buf_fini(&out);
    free(json);
    free(frame);
    json_decref(c);
  }
  assert_int_equal(n, 4);
  free(frames);
  free(text);
  serde_schema_unref(s);
  serde_destroy(legacy);
  serde_destroy(current);
}

static void test_serde_protobuf_frames_match_the_spec_golden_bytes(void **state) {
  (void)state;
  reg_reset();
  const char *text = "syntax = \"proto3\"; message A { int32 x = 1; } message B { int32 x = 1; }\n";
  serde_t *sd = handle(NULL);
  serde_error_t err = {0};
  serde_schema_t *s = serde_schema_new(sd, "PROTOBUF", text, strlen(text), &err);
  assert_non_null(s);
  serde_buf_t out = {0};
  assert_int_equal(serde_frame_protobuf_json(s, 42, "B", "{\"x\":150}", 9, &out, &err), SERDE_OK);
  const uint8_t want[] = {0x00, 0x00, 0x00, 0x00, 0x2a, 0x02, 0x02, 0x08, 0x96, 0x01};
  assert_int_equal(out.len, sizeof want);
  assert_memory_equal(out.data, want, sizeof want);
  int32_t idx[4];
  assert_int_equal(serde_protobuf_message_indexes(s, "B", idx, 4), 1);
  assert_int_equal(idx[0], 1);
  assert_int_equal(serde_protobuf_message_indexes(s, "C", idx, 4), 0);
  assert_null(serde_protobuf_message_name(s, (const int32_t[]){2}, 1));
  assert_string_equal(serde_protobuf_message_name(s, NULL, 0), "A");
  /* the unframed conversions */
  assert_int_equal(serde_protobuf_from_json(s, "B", "{\"x\":-1}", 8, &out, &err), SERDE_OK);
  assert_int_equal(out.len, 11);
  serde_buf_t js = {0};
  assert_int_equal(serde_protobuf_to_json(s, "B", out.data, out.len, &js, &err), SERDE_OK);
  assert_int_equal(js.len, 8);
  assert_memory_equal(js.data, "{\"x\":-1}", 8);
  assert_int_equal(serde_protobuf_to_json(s, NULL, (const uint8_t *)"\x08\x05", 2, &js, &err), SERDE_OK);
  assert_int_equal(js.len, 7);
  assert_memory_equal(js.data, "{\"x\":5}", 7);
  serde_buf_fini(&js);
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void assert_read_fails(serde_t *sd, const uint8_t *data, size_t len, serde_code_t code,
                              const char *want) {
  serde_buf_t out = {0};
  serde_error_t err = {0};
  serde_code_t rc = serde_deserialize_protobuf_json(sd, "t", SERDE_VALUE, data, len, &out, NULL, &err);
  if (rc != code || !strstr(err.message, want)) {
    fail_msg("got %d \"%s\", want %d \"%s\"", rc, err.message, code, want);
  }
  assert_int_equal(out.len, 0);
  serde_buf_fini(&out);
}

static void test_serde_protobuf_rejects_bad_frames(void **state) {
  (void)state;
  reg_reset();
  char *text = codec_text();
  reg_add("t-value", "PROTOBUF", text, NULL, 5);
  reg_add("a-value", "AVRO", "\"string\"", NULL, 6);
  serde_t *sd = handle(NULL);
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0}, 4, SERDE_ERR_FRAMING, "shorter than the 5-byte");
  assert_read_fails(sd, (const uint8_t[]){1, 0, 0, 0, 5, 0}, 6, SERDE_ERR_FRAMING, "unknown magic byte 1");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 5}, 5, SERDE_ERR_FRAMING,
                    "message indexes are absent or malformed");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 5, 0x01}, 6, SERDE_ERR_FRAMING, "invalid count -1");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 5, 0x02, 0x14}, 7, SERDE_ERR_PAYLOAD_INVALID,
                    "invalid message indexes: path [10] points at nothing in schema id 5");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 5, 0x04, 0x02, 0x40}, 8, SERDE_ERR_PAYLOAD_INVALID,
                    "path [1, 32] points at nothing");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 6, 0x00}, 6, SERDE_ERR_SCHEMA_INCOMPATIBLE,
                    "schema id 6 is AVRO, not PROTOBUF");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 9, 0x00}, 6, SERDE_ERR_UNKNOWN_SCHEMA, "");
  assert_read_fails(sd, (const uint8_t[]){0, 0, 0, 0, 5, 0x00, 0x72, 0x05, 'a'}, 9, SERDE_ERR_PAYLOAD_INVALID,
                    "record with schema id 5 (weir.test.Scalars): $: length 5 exceeds the 1 bytes left");
  /* a Kafka null is null */
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde_deserialize_protobuf_json(sd, "t", SERDE_VALUE, NULL, 0, &out, NULL, &err),
                   SERDE_OK);
  assert_int_equal(out.len, 4);
  assert_memory_equal(out.data, "null", 4);
  /* an Avro reader refuses a Protobuf writer, and the other way round */
  avro_value_t v = {0};
  assert_int_equal(serde_deserialize_avro(sd, "t", SERDE_VALUE, (const uint8_t[]){0, 0, 0, 0, 5, 0}, 6, NULL,
                                          &v, NULL, &err),
                   SERDE_ERR_SCHEMA_INCOMPATIBLE);
  assert_non_null(strstr(err.message, "schema id 5 is PROTOBUF, not AVRO"));
  serde_buf_fini(&out);
  serde_destroy(sd);
  free(text);
}

static void test_serde_protobuf_c_messages_round_trip(void **state) {
  (void)state;
  reg_reset();
  serde_t *sd = handle(NULL);
  serde_schema_t *s = codec_schema(sd);
  TpbLine line;
  tpb_line_init(&line.base);
  line.sku = (char *)"x";
  line.count = 3;
  line.price = 1.5;
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(serde_serialize_protobuf(sd, "lines", SERDE_VALUE, s, &line.base, &out, &err), SERDE_OK);
  assert_frame(
      &out, 1,
      (const uint8_t[]){0x04, 0x02, 0x02, 0x0a, 0x01, 'x', 0x10, 0x03, 0x19, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f},
      17);
  ProtobufCMessage *msg = NULL;
  serde_schema_t *writer = NULL;
  assert_int_equal(serde_deserialize_protobuf(sd, "lines", SERDE_VALUE, out.data, out.len,
                                              &tpb_line_descriptor, &msg, &writer, &err),
                   SERDE_OK);
  TpbLine *back = (TpbLine *)msg;
  assert_string_equal(back->sku, "x");
  assert_int_equal(back->count, 3);
  assert_true(back->price == 1.5);
  assert_int_equal(serde_schema_id(writer), 1);
  protobuf_c_message_free_unpacked(msg, NULL);
  serde_schema_unref(writer);
  /* the frame's message must be the descriptor's */
  assert_int_equal(serde_deserialize_protobuf(sd, "lines", SERDE_VALUE, out.data, out.len,
                                              &tpb_node_descriptor, &msg, NULL, &err),
                   SERDE_ERR_SCHEMA_INCOMPATIBLE);
  assert_string_equal(err.message, "the record holds weir.test.Order.Line (schema id 1), not weir.test.Node");
  assert_null(msg);
  /* a null stays null */
  assert_int_equal(
      serde_deserialize_protobuf(sd, "lines", SERDE_VALUE, NULL, 0, &tpb_line_descriptor, &msg, NULL, &err),
      SERDE_OK);
  assert_null(msg);
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

static void test_serde_protobuf_c_refuses_a_depth_bomb_before_unpack(void **state) {
  (void)state;
  reg_reset();
  char *text = codec_text();
  reg_add("t-value", "PROTOBUF", text, NULL, 3);
  serde_t *sd = handle(NULL);
  /* frame | [3] (Node) | 10,000 levels of next */
  serde_buf_t b = {0};
  assert_int_equal(serde__buf_put(&b, "\x08\x01", 2), SERDE_OK);
  for (int i = 0; i < 10000; i++) {
    serde_buf_t outer = {0};
    assert_int_equal(serde__buf_put(&outer, "\x00\x00\x00\x00\x03\x02\x06", i == 9999 ? 7 : 0), SERDE_OK);
    assert_int_equal(serde__pb_put_tag(&outer, 2, PB_LEN), SERDE_OK);
    assert_int_equal(serde__pb_put_varint(&outer, b.len), SERDE_OK);
    assert_int_equal(serde__buf_put(&outer, b.data, b.len), SERDE_OK);
    serde_buf_fini(&b);
    b = outer;
  }
  ProtobufCMessage *msg = NULL;
  serde_error_t err = {0};
  assert_int_equal(
      serde_deserialize_protobuf(sd, "t", SERDE_VALUE, b.data, b.len, &tpb_node_descriptor, &msg, NULL, &err),
      SERDE_ERR_PAYLOAD_INVALID);
  assert_string_equal(err.message, "messages nest deeper than 100 levels");
  assert_null(msg);
  serde_buf_fini(&b);
  serde_destroy(sd);
  free(text);
}

static void test_serde_protobuf_deprecated_format_property(void **state) {
  (void)state;
  reg_reset();
  size_t n = 0;
  const serde_prop_info_t *props = serde_conf_properties(&n);
  bool found = false;
  for (size_t i = 0; i < n; i++) {
    found = found || (!strcmp(props[i].name, "use.deprecated.format") && !strcmp(props[i].deflt, "false"));
  }
  assert_true(found);
  serde_t *sd = handle("use.deprecated.format", "true", NULL);
  serde_schema_t *s = codec_schema(sd);
  serde_buf_t out = {0};
  serde_error_t err = {0};
  assert_int_equal(
      serde_serialize_protobuf_json(sd, "t", SERDE_VALUE, s, "weir.test.Order.Line", "{}", 2, &out, &err),
      SERDE_OK);
  assert_frame(&out, 1, (const uint8_t[]){0x02, 0x01, 0x01}, 3);
  char *json = deserialize_json(sd, &out);
  assert_string_equal(json, "{\"sku\":\"\",\"count\":0,\"price\":0.0}");
  free(json);
  serde_conf_t *conf = serde_conf_new();
  assert_int_equal(serde_conf_set(conf, "use.deprecated.format", "maybe", &err), SERDE_ERR_CONF);
  serde_conf_destroy(conf);
  serde_buf_fini(&out);
  serde_schema_unref(s);
  serde_destroy(sd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_serde_protobuf_serializes_json_with_auto_register_and_reads_it_back),
      cmocka_unit_test(test_serde_protobuf_record_strategies_use_the_message_name),
      cmocka_unit_test(test_serde_protobuf_imports_become_registered_references),
      cmocka_unit_test(test_serde_protobuf_unregistered_imports_fail_cleanly),
      cmocka_unit_test(test_serde_protobuf_lookup_and_latest_version_paths),
      cmocka_unit_test(test_serde_protobuf_reads_frames_of_confluent_kafka_python_1_7),
      cmocka_unit_test(test_serde_protobuf_frames_match_the_spec_golden_bytes),
      cmocka_unit_test(test_serde_protobuf_rejects_bad_frames),
      cmocka_unit_test(test_serde_protobuf_c_messages_round_trip),
      cmocka_unit_test(test_serde_protobuf_c_refuses_a_depth_bomb_before_unpack),
      cmocka_unit_test(test_serde_protobuf_deprecated_format_property),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
