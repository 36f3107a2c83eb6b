// SPDX-License-Identifier: Apache-2.0
/* The `weir schema` subcommands that carry schema text: register (POST
 * /subjects/{s}/versions), check (POST /compatibility/subjects/{s}/versions/
 * {v}?verbose=true) and get (GET /subjects/{s}/versions/{v}, GET
 * /schemas/ids/{id}). It owns reading the schema (--schema, --schema-file,
 * stdin), the request body with schemaType and references, and printing a
 * schema back. Subject administration is tool_schema_subjects.c's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/tools.h"
#include "platform_int.h"
#include "tool_schema.h"

/* The registry takes request bodies up to 16 MiB (registry/src/reg_server.c). */
#define MAX_SCHEMA_BYTES ((size_t)16 << 20)

/* The schema of --schema TEXT, or of --schema-file FILE ("-": stdin). */
static int schema_read(const weir_ts_t *ts, char **owned, const char **text, size_t *len) {
  const weir_cli_admin_t *o = ts->opt;
  if (o->schema) {
    *text = o->schema;
    *len = strlen(o->schema);
    return WEIR_EXIT_OK;
  }
  bool in = strcmp(o->schema_file, "-") == 0;
  weir_error_t err;
  if (weir__file_read(in ? "/dev/stdin" : o->schema_file, MAX_SCHEMA_BYTES,
                      in ? "schema (stdin)" : "schema file", owned, len, &err) != WEIR_OK) {
    fprintf(stderr, WEIR_TS_TOOL ": %s\n", err.msg);
    return WEIR_EXIT_USAGE;
  }
  *text = *owned;
  return WEIR_EXIT_OK;
}

/* Appends --reference NAME=SUBJECT:VERSION to refs as {name, subject,
 * version}. The name ends at the first '='; the version follows the last
 * ':', since subjects may hold ':' (":.context:subject"). latest is sent as
 * -1, which the registry resolves when it registers. */
static int reference_add(json_t *refs, const char *arg) {
  const char *eq = strchr(arg, '=');
  const char *colon = strrchr(arg, ':');
  if (!eq || eq == arg || !colon || colon <= eq + 1 || colon[1] == '\0')
    return weir_ts_usage_error("--reference \"%s\" is not NAME=SUBJECT:VERSION", arg);
  const char *v = colon + 1;
  char *end = NULL;
  long long version = strcasecmp(v, "latest") == 0 ? -1 : strtoll(v, &end, 10);
  if (end && (*end != '\0' || (version < 1 && version != -1) || version > INT32_MAX))
    return weir_ts_usage_error("--reference \"%s\": the version must be a number or latest", arg);
  json_t *ref = json_pack("{s:s%, s:s%, s:I}", "name", arg, (size_t)(eq - arg), "subject", eq + 1,
                          (size_t)(colon - eq - 1), "version", (json_int_t)version);
  if (json_array_append_new(refs, ref) != 0) /* releases ref; fails when ref is NULL */
    return weir_ts_usage_error("--reference \"%s\" is not UTF-8 text", arg);
  return WEIR_EXIT_OK;
}

/* {"schema": ..., "schemaType": ... (left out for AVRO, as Confluent's own
 * clients do), "references": [...]}: the body of register and check. */
static int body_build(const weir_ts_t *ts, json_t **out) {
  char *owned = NULL;
  const char *text = NULL;
  size_t len = 0;
  int rc = schema_read(ts, &owned, &text, &len);
  if (rc != WEIR_EXIT_OK) return rc;
  json_t *body = json_object();
  json_t *refs = ts->opt->n_references > 0 ? json_array() : NULL;
  if (!body || (ts->opt->n_references > 0 && !refs)) rc = weir_ts_failed("out of memory");
  if (rc == WEIR_EXIT_OK && json_object_set_new(body, "schema", json_stringn(text, len)) != 0)
    rc = weir_ts_usage_error("the schema is not UTF-8 text");
  if (rc == WEIR_EXIT_OK && strcmp(ts->schema_type, "AVRO") != 0)
    json_object_set_new(body, "schemaType", json_string(ts->schema_type));
  for (size_t i = 0; rc == WEIR_EXIT_OK && i < ts->opt->n_references; i++)
    rc = reference_add(refs, ts->opt->references[i]);
  if (rc == WEIR_EXIT_OK && refs) json_object_set(body, "references", refs);
  json_decref(refs);
  weir__free(owned);
  if (rc != WEIR_EXIT_OK) {
    json_decref(body);
    return rc;
  }
  *out = body;
  return WEIR_EXIT_OK;
}

/* An integer field of a JSON object, or -1. */
static long long int_field(const json_t *o, const char *key) {
  const json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

/* The version the registry gave body under the subject (POST /subjects/{s},
 * lookup), for registries whose register answer is only {"id": N}; -1 if
 * it cannot say. */
static long long version_lookup(const weir_ts_t *ts, const json_t *body) {
  weir_ts_req_t req = {"POST", "/subjects/", ts->subject, ts->opt->normalize ? "?normalize=true" : "", body};
  weir_ts_reply_t reply;
  long long version =
      weir_ts_call(ts->reg, &req, &reply) == WEIR_EXIT_OK ? int_field(reply.json, "version") : -1;
  weir_ts_reply_fini(&reply);
  return version;
}

int weir_ts_register(weir_ts_t *ts) {
  json_t *body = NULL;
  int rc = body_build(ts, &body);
  if (rc != WEIR_EXIT_OK) return rc;
  weir_ts_req_t req = {"POST", "/subjects/", ts->subject,
                       ts->opt->normalize ? "/versions?normalize=true" : "/versions", body};
  weir_ts_reply_t reply;
  rc = weir_ts_call(ts->reg, &req, &reply);
  long long id = rc == WEIR_EXIT_OK ? int_field(reply.json, "id") : -1;
  long long version = rc == WEIR_EXIT_OK ? int_field(reply.json, "version") : -1;
  if (rc != WEIR_EXIT_OK)
    rc = weir_ts_report(&reply, rc); /* 409 incompatible: 4; 422 invalid schema: 1 */
  else if (id < 0)
    rc = weir_ts_failed("%s: the registry's answer has no id", reply.what);
  weir_ts_reply_fini(&reply);
  if (rc == WEIR_EXIT_OK && version < 0) version = version_lookup(ts, body);
  if (rc == WEIR_EXIT_OK) {
    printf("%lld\n", id);
    if (version >= 0)
      fprintf(stderr, "registered %s: id %lld version %lld\n", ts->subject, id, version);
    else
      fprintf(stderr, "registered %s: id %lld\n", ts->subject, id);
  }
  json_decref(body);
  return rc;
}

/* Prints is_compatible as compatible (0) or incompatible (4), the
 * registry's reasons on stderr. */
static int check_answer(const weir_ts_reply_t *reply) {
  const json_t *verdict = json_object_get(reply->json, "is_compatible");
  if (!json_is_boolean(verdict))
    return weir_ts_failed("%s: the registry's answer has no is_compatible", reply->what);
  if (json_is_true(verdict)) {
    puts("compatible");
    return WEIR_EXIT_OK;
  }
  puts("incompatible");
  size_t i;
  const json_t *m;
  json_array_foreach(json_object_get(reply->json, "messages"), i, m) {
    if (json_is_string(m)) fprintf(stderr, "%s\n", json_string_value(m));
  }
  return WEIR_EXIT_CONFLICT;
}

int weir_ts_check(weir_ts_t *ts) {
  json_t *body = NULL;
  int rc = body_build(ts, &body);
  if (rc != WEIR_EXIT_OK) return rc;
  char suffix[64];
  snprintf(suffix, sizeof suffix, "/versions/%s?verbose=true%s", ts->version ? ts->version : "latest",
           ts->opt->normalize ? "&normalize=true" : "");
  weir_ts_req_t req = {"POST", "/compatibility/subjects/", ts->subject, suffix, body};
  weir_ts_reply_t reply;
  rc = weir_ts_call(ts->reg, &req, &reply);
  rc = rc == WEIR_EXIT_OK ? check_answer(&reply) : weir_ts_report(&reply, rc);
  weir_ts_reply_fini(&reply);
  json_decref(body);
  return rc;
}

/* Prints a schema: Protobuf as its text; Avro and JSON Schema indented,
 * unless the text is not JSON jansson can hold (an integer beyond 64 bits),
 * which is printed as it came. Reals are written with 15 digits when that
 * reads back the same (0.1, not 0.10000000000000001), else with 17. */
static void schema_print(const char *text, size_t len, const char *type) {
  json_t *parsed = strcmp(type, "PROTOBUF") == 0 ? NULL : json_loadb(text, len, JSON_DECODE_ANY, NULL);
  char *pretty = NULL;
  if (parsed) {
    size_t flags = JSON_INDENT(2) | JSON_ENCODE_ANY;
    pretty = json_dumps(parsed, flags | JSON_REAL_PRECISION(15));
    json_t *back = pretty ? json_loads(pretty, JSON_DECODE_ANY, NULL) : NULL;
    if (!json_equal(parsed, back)) {
      free(pretty);
      pretty = json_dumps(parsed, flags);
    }
    json_decref(back);
    json_decref(parsed);
  }
  if (pretty) {
    puts(pretty);
  } else {
    fwrite(text, 1, len, stdout);
    if (len == 0 || text[len - 1] != '\n') putchar('\n');
  }
  free(pretty);
}

int weir_ts_get(weir_ts_t *ts) {
  char suffix[64];
  weir_ts_req_t req = {.method = "GET", .prefix = "/subjects/", .subject = ts->subject, .suffix = suffix};
  if (ts->opt->id >= 0) {
    req.prefix = "/schemas/ids/";
    snprintf(suffix, sizeof suffix, "%lld", ts->opt->id);
  } else {
    snprintf(suffix, sizeof suffix, "/versions/%s%s", ts->version ? ts->version : "latest",
             ts->opt->deleted ? "?deleted=true" : "");
  }
  weir_ts_reply_t reply;
  int rc = weir_ts_call(ts->reg, &req, &reply);
  if (rc != WEIR_EXIT_OK) {
    rc = weir_ts_report(&reply, rc);
    weir_ts_reply_fini(&reply);
    return rc;
  }
  const json_t *schema = json_object_get(reply.json, "schema");
  const char *type = json_string_value(json_object_get(reply.json, "schemaType"));
  if (!type) type = "AVRO"; /* registries before Confluent 8 leave it out for Avro */
  if (!json_is_string(schema)) {
    rc = weir_ts_failed("%s: the registry's answer has no schema", reply.what);
  } else {
    schema_print(json_string_value(schema), json_string_length(schema), type);
    long long id = ts->opt->id >= 0 ? ts->opt->id : int_field(reply.json, "id");
    if (ts->subject)
      fprintf(stderr, "%s version %lld: id %lld, %s\n", ts->subject, int_field(reply.json, "version"), id,
              type);
    else
      fprintf(stderr, "id %lld: %s\n", id, type);
  }
  weir_ts_reply_fini(&reply);
  return rc;
}
