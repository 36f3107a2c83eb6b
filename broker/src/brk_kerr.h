// SPDX-License-Identifier: Apache-2.0
/* Kafka wire error codes (the broker's only error vocabulary towards
 * clients), as one X-macro list. Values are the protocol's; names follow
 * Kafka's Errors enum. Append codes as handlers need them. */
#ifndef WEIR_BROKER_BRK_KERR_H
#define WEIR_BROKER_BRK_KERR_H

#define BRK_KERRORS(X)                          \
  X(UNKNOWN_SERVER_ERROR, -1)                   \
  X(NONE, 0)                                    \
  X(OFFSET_OUT_OF_RANGE, 1)                     \
  X(CORRUPT_MESSAGE, 2)                         \
  X(UNKNOWN_TOPIC_OR_PARTITION, 3)              \
  X(INVALID_FETCH_SIZE, 4)                      \
  X(LEADER_NOT_AVAILABLE, 5)                    \
  X(NOT_LEADER_OR_FOLLOWER, 6)                  \
  X(REQUEST_TIMED_OUT, 7)                       \
  X(MESSAGE_TOO_LARGE, 10)                      \
  X(COORDINATOR_NOT_AVAILABLE, 15)              \
  X(NOT_COORDINATOR, 16)                        \
  X(INVALID_TOPIC_EXCEPTION, 17)                \
  X(RECORD_LIST_TOO_LARGE, 18)                  \
  X(INVALID_REQUIRED_ACKS, 21)                  \
  X(INVALID_TIMESTAMP, 32)                      \
  X(UNSUPPORTED_VERSION, 35)                    \
  X(TOPIC_ALREADY_EXISTS, 36)                   \
  X(INVALID_PARTITIONS, 37)                     \
  X(INVALID_REPLICATION_FACTOR, 38)             \
  X(INVALID_REPLICA_ASSIGNMENT, 39)             \
  X(INVALID_CONFIG, 40)                         \
  X(INVALID_REQUEST, 42)                        \
  X(UNSUPPORTED_FOR_MESSAGE_FORMAT, 43)         \
  X(POLICY_VIOLATION, 44)                       \
  X(KAFKA_STORAGE_ERROR, 56)                    \
  X(FETCH_SESSION_ID_NOT_FOUND, 70)             \
  X(INVALID_FETCH_SESSION_EPOCH, 71)            \
  X(UNSUPPORTED_COMPRESSION_TYPE, 76)

typedef enum {
#define BRK_X_ENUM(name, value) BRK_KERR_##name = value,
  BRK_KERRORS(BRK_X_ENUM)
#undef BRK_X_ENUM
} brk_kerr_t;

/* "UNKNOWN_TOPIC_OR_PARTITION", for logs. */
const char *brk_kerr_name(brk_kerr_t code);

#endif
