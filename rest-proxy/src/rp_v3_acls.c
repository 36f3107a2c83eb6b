// SPDX-License-Identifier: Apache-2.0
/* v3 ACL endpoints (rest-proxy.md §2.2) against a broker that has no
 * authorizer: GET /acls checks its filters like Confluent and answers an
 * empty KafkaAclList (nothing is ever denied, so nothing is listed); POST
 * /acls, POST /acls:batch and DELETE /acls answer 400/40002 "No Authorizer
 * is configured on the broker", the SecurityDisabledException Confluent
 * reports for such a cluster. Nothing here talks to Kafka. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rp_v3.h"

static const char *const k_resource_types[] = {
    "UNKNOWN", "ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN", NULL};
static const char *const k_pattern_types[] = {"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED", NULL};
static const char *const k_operations[] = {"UNKNOWN",
                                           "ANY",
                                           "ALL",
                                           "READ",
                                           "WRITE",
                                           "CREATE",
                                           "DELETE",
                                           "ALTER",
                                           "DESCRIBE",
                                           "CLUSTER_ACTION",
                                           "DESCRIBE_CONFIGS",
                                           "ALTER_CONFIGS",
                                           "IDEMPOTENT_WRITE",
                                           NULL};
static const char *const k_permissions[] = {"UNKNOWN", "ANY", "DENY", "ALLOW", NULL};

static bool one_of(const char *s, const char *const *names) {
  for (size_t i = 0; names[i]; i++)
    if (strcasecmp(s, names[i]) == 0) return true;
  return false;
}

/* Checks the enum query parameters; false after answering 400. */
static bool check_filters(rp_call_t *c) {
  static const struct {
    const char *param;
    const char *const *names;
  } k_enums[] = {{"resource_type", k_resource_types},
                 {"pattern_type", k_pattern_types},
                 {"operation", k_operations},
                 {"permission", k_permissions}};
  for (size_t i = 0; i < sizeof k_enums / sizeof k_enums[0]; i++) {
    const char *s = http_query_get(&c->query, k_enums[i].param);
    if (s && *s && !one_of(s, k_enums[i].names)) {
      rp_reply_error(c, RP_ERR_BAD_REQUEST, "Invalid %s: %.64s.", k_enums[i].param, s);
      return false;
    }
  }
  return true;
}

static void reply_no_authorizer(rp_call_t *c) {
  rp_reply_error(c, RP_ERR_KAFKA_BAD_REQUEST,
                 "No Authorizer is configured on the broker: this cluster does not support ACLs.");
}

void rp_v3_acls_list(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true) || !check_filters(c)) return;
  rp_v3_reply(&v, 200, rp_v3_list("KafkaAclList", rp_v3_url(&v, "acls", NULL), json_array()));
}

void rp_v3_acls_create(rp_call_t *c) {
  rp_v3_t v;
  if (rp_v3_open(c, &v, true) && rp_call_body(c, true)) reply_no_authorizer(c);
}

void rp_v3_acls_batch(rp_call_t *c) {
  rp_v3_t v;
  if (rp_v3_open(c, &v, true) && rp_call_body(c, true)) reply_no_authorizer(c);
}

void rp_v3_acls_delete(rp_call_t *c) {
  rp_v3_t v;
  if (!rp_v3_open(c, &v, true) || !check_filters(c)) return;
  const char *rt = http_query_get(&c->query, "resource_type");
  if (!rt || !*rt || strcasecmp(rt, "UNKNOWN") == 0) {
    rp_reply_error(c, RP_ERR_BAD_REQUEST, "resource_type is required to delete ACLs.");
    return;
  }
  reply_no_authorizer(c);
}
