// SPDX-License-Identifier: Apache-2.0
/* The serde's configuration: one property table with Confluent's names that
 * drives parsing (serde_conf_set), the defaults and the documentation
 * (serde_conf_properties). Values are checked when set, so a typo fails at
 * start-up with the property named, never at the first record. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serde_int.h"

typedef enum { P_STRING, P_BOOL, P_LONG, P_STRATEGY, P_CRED_SOURCE, P_ENDPOINT_ALGO } prop_kind_t;

typedef struct prop {
  serde_prop_info_t info;
  prop_kind_t kind;
  size_t offset; /* into struct serde_conf */
  long min, max; /* P_LONG range */
} prop_t;

#define OFF(field) offsetof(struct serde_conf, field)
#define L(field, lo, hi) P_LONG, OFF(field), lo, hi
#define S(field) P_STRING, OFF(field), 0, 0
#define B(field) P_BOOL, OFF(field), 0, 0

static const prop_t props[] = {
    {{"schema.registry.url", "", "comma-separated registry URLs; user:password@ in a URL is basic auth"}, S(urls)},
    {{"basic.auth.user.info", "", "user:password for HTTP basic auth"}, S(user_info)},
    {{"basic.auth.credentials.source", "USER_INFO", "USER_INFO or URL (both read; SASL_INHERIT is not supported)"},
     P_CRED_SOURCE, 0, 0, 0},
    {{"bearer.auth.token", "", "static bearer token sent as Authorization: Bearer"}, S(bearer_token)},
    {{"ssl.ca.location", "", "CA bundle (PEM) to verify the registry"}, S(ssl_ca)},
    {{"ssl.certificate.location", "", "client certificate (PEM)"}, S(ssl_cert)},
    {{"ssl.key.location", "", "client private key (PEM)"}, S(ssl_key)},
    {{"ssl.key.password", "", "password of the client key"}, S(ssl_key_password)},
    {{"ssl.endpoint.identification.algorithm", "https", "https checks the registry's host name; empty or none does not"},
     P_ENDPOINT_ALGO, 0, 0, 0},
    {{"http.connect.timeout.ms", "10000", "registry connect timeout"}, L(connect_timeout_ms, 1, 3600000)},
    {{"http.read.timeout.ms", "30000", "registry request timeout"}, L(request_timeout_ms, 1, 3600000)},
    {{"max.retries", "3", "retries of 408/429/5xx answers and network errors, per URL"}, L(max_retries, 0, 100)},
    {{"retries.wait.ms", "1000", "first retry delay (doubles, full jitter)"}, L(retry_wait_ms, 0, 3600000)},
    {{"retries.max.wait.ms", "20000", "cap of the retry delay"}, L(retry_max_wait_ms, 0, 3600000)},
    {{"auto.register.schemas", "true", "register the application's schema on first use"}, B(auto_register)},
    {{"use.schema.id", "-1", "serialize with this registered id (with auto.register.schemas=false)"},
     L(use_schema_id, -1, 2147483647)},
    {{"use.latest.version", "false", "serialize and deserialize with the subject's latest version"}, B(use_latest)},
    {{"latest.compatibility.strict", "true", "with use.latest.version: latest must be able to read the app's data"},
     B(latest_strict)},
    {{"id.compatibility.strict", "true", "with use.schema.id: that schema must be able to read the app's data"},
     B(id_strict)},
    {{"normalize.schemas", "false", "send ?normalize=true on register and lookup"}, B(normalize)},
    {{"key.subject.name.strategy", "TopicNameStrategy", "TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy"},
     P_STRATEGY, OFF(key_strategy), 0, 0},
    {{"value.subject.name.strategy", "TopicNameStrategy", "as key.subject.name.strategy, for values"}, P_STRATEGY,
     OFF(value_strategy), 0, 0},
    {{"use.deprecated.format", "false",
      "Protobuf message indexes as unsigned varints (old Python and Go clients), not zigzag"},
     B(pb_deprecated_format)},
    {{"latest.cache.ttl.sec", "300", "how long a fetched latest version is reused (0 = fetch every time)"},
     L(latest_ttl_sec, 0, 31536000)},
    {{"cache.capacity", "1000", "schemas kept per cache (ids, latest versions, registrations)"},
     L(cache_capacity, 1, 10000000)},
    {{"missing.id.cache.ttl.sec", "5", "how long an unknown schema id is remembered as unknown (0 = off)"},
     L(missing_ttl_sec, 0, 86400)},
    {{"avro.fail.on.trailing.data", "true", "reject bytes after the Avro datum (Java's default is false)"},
     B(fail_on_trailing)},
    {{"max.depth", "64", "nesting limit when decoding untrusted records"}, L(max_depth, 1, 1000)},
    {{"max.items", "10000000", "array and map elements allowed in one record"}, L(max_items, 1, 1000000000)},
};

const serde_prop_info_t *serde_conf_properties(size_t *n) {
  static serde_prop_info_t infos[sizeof props / sizeof props[0]];
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    infos[i] = props[i].info;
  }
  *n = sizeof props / sizeof props[0];
  return infos;
}

static int parse_strategy(const char *v, serde_strategy_t *out) {
  /* Java class names (any package), Python's TOPIC/RECORD/TOPIC_RECORD, lower case. */
  const char *base = strrchr(v, '.');
  base = base ? base + 1 : v;
  if (!strcasecmp(base, "TopicNameStrategy") || !strcasecmp(base, "topic")) {
    *out = SERDE_STRATEGY_TOPIC;
  } else if (!strcasecmp(base, "RecordNameStrategy") || !strcasecmp(base, "record")) {
    *out = SERDE_STRATEGY_RECORD;
  } else if (!strcasecmp(base, "TopicRecordNameStrategy") || !strcasecmp(base, "topic_record")) {
    *out = SERDE_STRATEGY_TOPIC_RECORD;
  } else {
    return -1;
  }
  return 0;
}

static int parse_bool(const char *v, bool *out) {
  if (!strcasecmp(v, "true")) {
    *out = true;
  } else if (!strcasecmp(v, "false")) {
    *out = false;
  } else {
    return -1;
  }
  return 0;
}

static int parse_long(const char *v, long min, long max, long *out) {
  char *end = NULL;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < min || n > max) {
    return -1;
  }
  *out = n;
  return 0;
}

static serde_code_t apply(struct serde_conf *conf, const prop_t *p, const char *value, serde_error_t *err) {
  char *at = (char *)conf + p->offset;
  long n = 0;
  switch (p->kind) {
  case P_STRING: {
    char *copy = serde__strdup(value);
    if (!copy) {
      return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    }
    free(*(char **)at);
    *(char **)at = copy;
    return SERDE_OK;
  }
  case P_BOOL:
    if (parse_bool(value, (bool *)at) == 0) {
      return SERDE_OK;
    }
    break;
  case P_LONG:
    if (parse_long(value, p->min, p->max, &n) == 0) {
      *(long *)at = n;
      return SERDE_OK;
    }
    break;
  case P_STRATEGY:
    if (parse_strategy(value, (serde_strategy_t *)at) == 0) {
      return SERDE_OK;
    }
    break;
  case P_CRED_SOURCE:
    if (!strcasecmp(value, "USER_INFO") || !strcasecmp(value, "URL")) {
      return SERDE_OK;
    }
    break;
  case P_ENDPOINT_ALGO:
    conf->ssl_verify_host = strcasecmp(value, "https") == 0;
    if (conf->ssl_verify_host || !*value || !strcasecmp(value, "none")) {
      return SERDE_OK;
    }
    break;
  }
  return serde__fail(err, SERDE_ERR_CONF, "property \"%s\": invalid value \"%s\"", p->info.name, value);
}

serde_code_t serde_conf_set(serde_conf_t *conf, const char *name, const char *value, serde_error_t *err) {
  if (!conf || !name || !value) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "conf, name and value are required");
  }
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    if (strcmp(props[i].info.name, name) == 0) {
      return apply(conf, &props[i], value, err);
    }
  }
  return serde__fail(err, SERDE_ERR_CONF, "unknown property \"%s\"", name);
}

void serde__conf_defaults(struct serde_conf *conf) {
  memset(conf, 0, sizeof *conf);
  for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
    if (props[i].kind != P_STRING) {
      serde_code_t rc = apply(conf, &props[i], props[i].info.deflt, NULL);
      (void)rc; /* defaults are valid by construction (a unit test sets each) */
    }
  }
}

serde_conf_t *serde_conf_new(void) {
  serde_conf_t *conf = serde__malloc(sizeof *conf);
  if (conf) {
    serde__conf_defaults(conf);
  }
  return conf;
}

void serde_conf_destroy(serde_conf_t *conf) {
  if (!conf) {
    return;
  }
  char **strings[] = {&conf->urls,    &conf->user_info, &conf->bearer_token,    &conf->ssl_ca,
                      &conf->ssl_cert, &conf->ssl_key,   &conf->ssl_key_password};
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    free(*strings[i]);
  }
  free(conf);
}
