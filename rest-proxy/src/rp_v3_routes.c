// SPDX-License-Identifier: Apache-2.0
/* The v3 admin route table (rest-proxy.md §2.2): every /v3/clusters path
 * except produce (rp_v3_produce.c). The router takes the first matching
 * pattern, so the literal "-" segments (all topics, all brokers, all
 * partitions) come before the '*' captures they would otherwise match. */
#include "rp_v3.h"

#define CL "v3/clusters/*"

const rp_route_t rp_v3_admin_routes[] = {
    {"GET", "v3/clusters", rp_v3_clusters_list, false},
    {"GET", CL, rp_v3_cluster_get, false},

    /* brokers and broker configs */
    {"GET", CL "/brokers", rp_v3_brokers_list, false},
    {"GET", CL "/brokers/-/configs", rp_v3_broker_configs_all, false},
    {"GET", CL "/brokers/*", rp_v3_broker_get, false},
    {"GET", CL "/brokers/*/configs", rp_v3_broker_configs_list, false},
    {"POST", CL "/brokers/*/configs:alter", rp_v3_broker_configs_alter, false},
    {"GET", CL "/brokers/*/configs/*", rp_v3_broker_config_get, false},
    {"PUT", CL "/brokers/*/configs/*", rp_v3_broker_config_put, false},
    {"DELETE", CL "/brokers/*/configs/*", rp_v3_broker_config_delete, false},
    {"GET", CL "/brokers/*/partition-replicas", rp_v3_broker_replicas, false},
    {"GET", CL "/broker-configs", rp_v3_cluster_configs_list, false},
    {"POST", CL "/broker-configs:alter", rp_v3_cluster_configs_alter, false},
    {"GET", CL "/broker-configs/*", rp_v3_cluster_config_get, false},
    {"PUT", CL "/broker-configs/*", rp_v3_cluster_config_put, false},
    {"DELETE", CL "/broker-configs/*", rp_v3_cluster_config_delete, false},

    /* topics ("-" = every topic) */
    {"GET", CL "/topics", rp_v3_topics_list, false},
    {"POST", CL "/topics", rp_v3_topic_create, false},
    {"GET", CL "/topics/-/configs", rp_v3_topic_configs_all, false},
    {"GET", CL "/topics/-/partitions/-/reassignment", rp_v3_reassignments_all, false},
    {"GET", CL "/topics/*", rp_v3_topic_get, false},
    {"PATCH", CL "/topics/*", rp_v3_topic_patch, false},
    {"DELETE", CL "/topics/*", rp_v3_topic_delete, false},

    /* topic configs */
    {"GET", CL "/topics/*/configs", rp_v3_topic_configs_list, false},
    {"POST", CL "/topics/*/configs:alter", rp_v3_topic_configs_alter, false},
    {"GET", CL "/topics/*/configs/*", rp_v3_topic_config_get, false},
    {"PUT", CL "/topics/*/configs/*", rp_v3_topic_config_put, false},
    {"DELETE", CL "/topics/*/configs/*", rp_v3_topic_config_delete, false},

    /* partitions and replicas */
    {"GET", CL "/topics/*/partitions", rp_v3_partitions_list, false},
    {"GET", CL "/topics/*/partitions/-/reassignment", rp_v3_reassignments_topic, false},
    {"GET", CL "/topics/*/partitions/*", rp_v3_partition_get, false},
    {"GET", CL "/topics/*/partitions/*/offset", rp_v3_partition_offsets, false},
    {"GET", CL "/topics/*/partitions/*/reassignment", rp_v3_reassignment_get, false},
    {"GET", CL "/topics/*/partitions/*/replicas", rp_v3_replicas_list, false},
    {"GET", CL "/topics/*/partitions/*/replicas/*", rp_v3_replica_get, false},

    /* consumer groups */
    {"GET", CL "/consumer-groups", rp_v3_groups_list, false},
    {"GET", CL "/consumer-groups/*", rp_v3_group_get, false},
    {"GET", CL "/consumer-groups/*/consumers", rp_v3_consumers_list, false},
    {"GET", CL "/consumer-groups/*/consumers/*", rp_v3_consumer_get, false},
    {"GET", CL "/consumer-groups/*/consumers/*/assignments", rp_v3_assignments_list, false},
    {"GET", CL "/consumer-groups/*/consumers/*/assignments/*/partitions/*", rp_v3_assignment_get, false},
    {"GET", CL "/consumer-groups/*/lags", rp_v3_lags_list, false},
    {"GET", CL "/consumer-groups/*/lags/*/partitions/*", rp_v3_lag_get, false},
    {"GET", CL "/consumer-groups/*/lag-summary", rp_v3_lag_summary, false},

    /* ACLs (no authorizer on this cluster) */
    {"GET", CL "/acls", rp_v3_acls_list, false},
    {"POST", CL "/acls", rp_v3_acls_create, false},
    {"DELETE", CL "/acls", rp_v3_acls_delete, false},
    {"POST", CL "/acls:batch", rp_v3_acls_batch, false},
};

const size_t rp_v3_admin_route_count = sizeof rp_v3_admin_routes / sizeof rp_v3_admin_routes[0];
