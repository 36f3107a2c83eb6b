// SPDX-License-Identifier: Apache-2.0
/* Defaults of brk_config_t (broker.h), matching Kafka's broker defaults
 * where a Kafka property exists. Parsing property files is platform/'s job. */
#include <stdint.h>

#include "broker/broker.h"

void brk_config_init(brk_config_t *cfg) {
  *cfg = (brk_config_t){
      .listen = "0.0.0.0:9092",
      .advertised_host = NULL,
      .data_dir = "./weir-data",
      .node_id = 1,
      .auto_create_topics = true,
      .num_partitions = 1,
      .segment_bytes = (int64_t)1 << 30,
      .retention_ms = (int64_t)7 * 24 * 3600 * 1000,
      .retention_bytes = -1,
      .flush_interval_messages = INT64_MAX,
      .max_request_bytes = 100 * 1024 * 1024,
      .message_max_bytes = 1024 * 1024 + 12,
      .retention_check_interval_ms = 300000,
      .offsets_retention_ms = 7LL * 24 * 3600 * 1000,
      .transaction_max_timeout_ms = 900000,
      .group_initial_rebalance_delay_ms = 3000,
  };
}
