// SPDX-License-Identifier: Apache-2.0
/* The REST proxy error table (rp_error.h's X-macro) as lookups, and the one
 * mapping from librdkafka errors to proxy codes. */
#include "rp_error.h"

typedef struct rp_code_info {
  int status;
  int error_code;
  const char *message;
} rp_code_info_t;

static const rp_code_info_t k_codes[] = {
#define RP_X_INFO(code, status, ecode, text) {status, ecode, text},
    RP_ERRORS(RP_X_INFO)
#undef RP_X_INFO
};

static const rp_code_info_t *info(rp_code_t code) {
  size_t n = sizeof k_codes / sizeof k_codes[0];
  return (size_t)code < n ? &k_codes[code] : &k_codes[RP_ERR_INTERNAL];
}

int rp_code_status(rp_code_t code) { return info(code)->status; }
int rp_code_error_code(rp_code_t code) { return info(code)->error_code; }
const char *rp_code_message(rp_code_t code) { return info(code)->message; }

rp_code_t rp_code_from_kafka(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return RP_OK;
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
      return RP_ERR_TOPIC_NOT_FOUND;
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return RP_ERR_UNKNOWN_TOPIC_PARTITION;
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REQUEST:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
    case RD_KAFKA_RESP_ERR_TOPIC_DELETION_DISABLED:
    case RD_KAFKA_RESP_ERR_SECURITY_DISABLED:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION: /* INVALID_TOPIC_EXCEPTION */
    case RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return RP_ERR_KAFKA_BAD_REQUEST;
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
      return RP_ERR_KAFKA_AUTHN;
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
      return RP_ERR_KAFKA_AUTHZ;
    case RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED:
      return RP_ERR_THROTTLED;
    case RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND:
      return RP_ERR_GROUP_NOT_FOUND;
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
      return RP_ERR_KAFKA_RETRIABLE;
    default:
      return RP_ERR_KAFKA;
  }
}
