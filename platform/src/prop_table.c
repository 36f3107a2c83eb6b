// SPDX-License-Identifier: Apache-2.0
/* The property table: every configuration key weir accepts, with its type,
 * default and description. It is the single source for parsing and
 * validation (props.c), `weir config` and docs/configuration.md
 * (props_markdown.c). Adding a component's settings means adding rows here
 * and a component id in props.h; nothing else. */
#include <stddef.h>

#include "platform/props.h"

#define MIB (1024LL * 1024LL)

static const weir_prop_def_t k_props[] = {
    /* ---- core: the whole process ---- */
    {"data.dir", WEIR_COMP_CORE, WEIR_PROP_STRING, "./weir-data", NULL, 0, 0, NULL,
     "Directory holding all state; each component keeps its files in a subdirectory "
     "(the broker in `<data.dir>/broker/`, the registry in `<data.dir>/registry/`). Created if missing. Shortcut: `--data-dir DIR`."},
    {"log.level", WEIR_COMP_CORE, WEIR_PROP_ENUM, "info", "debug|info|warn|error|off", 0, 0, NULL,
     "Lowest level of log lines written to stderr."},
    {"log.format", WEIR_COMP_CORE, WEIR_PROP_ENUM, "text", "text|json", 0, 0, NULL,
     "Shape of log lines: `text` (`<time> <LEVEL> <component>: <message>`) or `json` (one object per line "
     "with `ts`, `level`, `component` and `msg`, for log shippers)."},

    /* ---- broker: the Kafka-protocol broker (Apache Kafka server.properties names) ---- */
    {"listeners", WEIR_COMP_BROKER, WEIR_PROP_KAFKA_LISTENER, "PLAINTEXT://0.0.0.0:9092", NULL, 0, 0, NULL,
     "Where the broker accepts Kafka clients: one `PLAINTEXT://HOST:PORT` (port 0 picks a free port). "
     "A plain `listeners=` reaches the broker when the value is `PLAINTEXT://` or a bare `HOST:PORT`. "
     "Shortcut for `weir broker`: `--listen HOST:PORT`."},
    {"advertised.listeners", WEIR_COMP_BROKER, WEIR_PROP_KAFKA_LISTENER, "", NULL, 0, 0, NULL,
     "The host given to clients in Metadata responses (clients connect there after bootstrapping). "
     "Only its host is used; clients are always told the bound port. Not set: the listener's host, "
     "or `localhost` when listening on 0.0.0.0."},
    {"metrics.listener", WEIR_COMP_BROKER, WEIR_PROP_LISTENER, "", NULL, 0, 0, NULL,
     "Where the broker serves Prometheus `GET /metrics` and `GET /health` over HTTP: one `http://HOST:PORT`. "
     "Not set: no listener of its own (with `weir start`, the registry's and REST proxy's `/metrics` "
     "already include the broker's metrics)."},
    {"node.id", WEIR_COMP_BROKER, WEIR_PROP_INT, "1", NULL, 0, 2147483647, NULL,
     "The broker's node id in Metadata (and its controller id)."},
    {"broker.id", WEIR_COMP_BROKER, WEIR_PROP_INT, "1", NULL, 0, 2147483647, "node.id",
     "Older Kafka spelling of `node.id`."},
    {"auto.create.topics.enable", WEIR_COMP_BROKER, WEIR_PROP_BOOL, "true", NULL, 0, 0, NULL,
     "Create a topic when a client asks for its metadata (with auto-creation allowed) or produces to it."},
    {"num.partitions", WEIR_COMP_BROKER, WEIR_PROP_INT, "1", NULL, 1, 10000, NULL,
     "Partitions of an auto-created topic (and of CreateTopics asking for the default)."},
    {"log.segment.bytes", WEIR_COMP_BROKER, WEIR_PROP_INT, "1073741824", NULL, 14, 2147483647, NULL,
     "Size at which a partition's active segment file is rolled (topic config `segment.bytes`)."},
    {"log.retention.ms", WEIR_COMP_BROKER, WEIR_PROP_INT, "", NULL, -1, 9223372036854775807LL, NULL,
     "How long records are kept; -1 keeps them forever. Wins over `log.retention.hours` when set "
     "(topic config `retention.ms`)."},
    {"log.retention.hours", WEIR_COMP_BROKER, WEIR_PROP_INT, "168", NULL, -1, 2147483647, NULL,
     "Retention in hours, used when `log.retention.ms` is not set; -1 keeps records forever."},
    {"log.retention.bytes", WEIR_COMP_BROKER, WEIR_PROP_INT, "-1", NULL, -1, 9223372036854775807LL, NULL,
     "Largest size of one partition before its oldest segments are deleted; -1 = no limit "
     "(topic config `retention.bytes`)."},
    {"log.retention.check.interval.ms", WEIR_COMP_BROKER, WEIR_PROP_INT, "300000", NULL, 1,
     9223372036854775807LL, NULL, "How often retention is applied."},
    {"log.flush.interval.messages", WEIR_COMP_BROKER, WEIR_PROP_INT, "9223372036854775807", NULL, 1,
     9223372036854775807LL, NULL,
     "1 = durable mode: produce acknowledgements wait for fsync (group commit), so acknowledged data "
     "survives power loss. Otherwise acknowledged data is in the page cache and survives `kill -9` only."},
    {"socket.request.max.bytes", WEIR_COMP_BROKER, WEIR_PROP_INT, "104857600", NULL, 1, 2147483647, NULL,
     "Largest request frame accepted; the connection of a client sending a larger one is closed."},
    {"message.max.bytes", WEIR_COMP_BROKER, WEIR_PROP_INT, "1048588", NULL, 0, 2147483647, NULL,
     "Largest record batch accepted by Produce (topic config `max.message.bytes`); larger ones get "
     "MESSAGE_TOO_LARGE."},
    {"group.initial.rebalance.delay.ms", WEIR_COMP_BROKER, WEIR_PROP_INT, "3000", NULL, 0, 300000, NULL,
     "How long a consumer group forming from no members waits before its first rebalance, so "
     "consumers starting together land in one generation (Kafka's default; tests use 0)."},
    {"offsets.retention.minutes", WEIR_COMP_BROKER, WEIR_PROP_INT, "10080", NULL, 1, 2147483647, NULL,
     "How long committed offsets of a consumer group are kept after the group has no members "
     "(for OffsetCommit v2-4 with RetentionTimeMs set: that long after the commit). Checked every "
     "`log.retention.check.interval.ms`."},

    /* ---- registry: the Schema Registry (Confluent names where Confluent has one) ---- */
    {"listeners", WEIR_COMP_REGISTRY, WEIR_PROP_LISTENER, "http://0.0.0.0:8081", NULL, 0, 0, NULL,
     "Where the Schema Registry accepts HTTP: one `http://HOST:PORT` (port 0 picks a free port). "
     "Shortcut for `weir registry`: `--listen HOST:PORT`."},
    {"schema.compatibility.level", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "backward",
     "none|backward|backward_transitive|forward|forward_transitive|full|full_transitive", 0, 0, NULL,
     "Compatibility level for subjects without their own configuration (the global default of "
     "`GET /config` until `PUT /config` changes it)."},
    {"avro.compatibility.level", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "backward",
     "none|backward|backward_transitive|forward|forward_transitive|full|full_transitive", 0, 0,
     "schema.compatibility.level", "Deprecated Confluent spelling of `schema.compatibility.level`."},
    {"mode.mutability", WEIR_COMP_REGISTRY, WEIR_PROP_BOOL, "true", NULL, 0, 0, NULL,
     "Whether `PUT /mode` may change modes; when false such requests get 42205."},
    {"thread.pool.max", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "32", NULL, 1, 1024, NULL,
     "HTTP worker threads, i.e. connections served at the same time."},
    {"request.max.bytes", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "16777216", NULL, 1024, 1024 * MIB, NULL,
     "weir extension: largest request body accepted; larger ones get HTTP 413."},
    {"schema.max.bytes", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "1048576", NULL, 1024, 256 * MIB, NULL,
     "weir extension: largest schema text accepted; larger ones get 42209."},
    {"schema.incompatible.error.code", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "40901", "40901|409", 0, 0, NULL,
     "weir extension: `error_code` in the body of a 409 for an incompatible schema. Confluent "
     "answers 409 up to 8.0.3/8.1.1 and 40901 from 8.0.4/8.1.2/8.2.0 on."},

    /* ---- rest-proxy: the REST Proxy (Confluent kafka-rest names) ---- */
    {"listeners", WEIR_COMP_REST_PROXY, WEIR_PROP_LISTENER, "http://0.0.0.0:8082", NULL, 0, 0, NULL,
     "Where the REST Proxy accepts HTTP: one `http://HOST:PORT` (port 0 picks a free port). "
     "Shortcut for `weir rest-proxy`: `--listen HOST:PORT`."},
    {"advertised.listeners", WEIR_COMP_REST_PROXY, WEIR_PROP_STRING, "", NULL, 0, 0, NULL,
     "`http://HOST:PORT` put in consumer `base_uri`s and v3 `self` links, for clients reaching the "
     "proxy through another address; empty: the request's `Host` header."},
    {"bootstrap.servers", WEIR_COMP_REST_PROXY, WEIR_PROP_STRING, "", NULL, 0, 0, NULL,
     "Kafka cluster the proxy talks to (`host:port,...`); any Kafka cluster works. When set, "
     "`weir start` runs no embedded broker. Empty: this process's broker listener "
     "(`broker.listeners`, 0.0.0.0 read as 127.0.0.1)."},
    {"schema.registry.url", WEIR_COMP_REST_PROXY, WEIR_PROP_STRING, "", NULL, 0, 0, NULL,
     "Schema Registry for Avro records (comma-separated URLs); any Confluent-compatible registry "
     "works. Empty: this process's registry listener; `none` disables schema formats."},
    {"id", WEIR_COMP_REST_PROXY, WEIR_PROP_STRING, "", NULL, 0, 0, NULL,
     "Proxy id, part of generated consumer instance names (set it per node behind a load balancer)."},
    {"thread.pool.max", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "64", NULL, 1, 1024, NULL,
     "HTTP worker threads, i.e. connections (including open v3 produce streams) served at the same time."},
    {"request.max.bytes", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "67108864", NULL, 1024, 1024 * MIB, NULL,
     "weir extension: largest request body accepted (v3 streams excepted); larger ones get HTTP 413."},
    {"consumer.request.timeout.ms", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "1000", NULL, 0, 300000, NULL,
     "Longest a v2 `GET .../records` waits for data; `?timeout=` can only shorten it."},
    {"consumer.request.max.bytes", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "67108864", NULL, 1024, 1024 * MIB, NULL,
     "Cap on `?max_bytes=` of a v2 read."},
    {"consumer.instance.timeout.ms", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "300000", NULL, 100, 2147483647, NULL,
     "v2 consumer instances idle this long are closed (they leave their group); later calls get 40403."},
    {"fetch.min.bytes", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "-1", NULL, -1, 10000000, NULL,
     "Default for new consumer instances: a read returns once more than this many bytes are "
     "gathered (-1: as soon as the available records are gathered)."},
    {"api.v3.produce.request.size.limit.max.bytes", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "8388608", NULL, 1024,
     1024 * MIB, NULL,
     "Largest single record object in a v3 produce stream; a larger one gets a 400 report and the "
     "connection is closed."},
    {"streaming.connection.max.duration.ms", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "86400000", NULL, 1000,
     9223372036854775807LL, NULL,
     "How long a v3 produce stream may stay open; later records get 408 and the connection closes."},
    {"api.v3.produce.batch.maximum.entries", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "10", NULL, 1, 50, NULL,
     "Most entries accepted by one v3 `records:batch` request."},
    {"producer.linger.ms", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "0", NULL, 0, 60000, NULL,
     "`linger.ms` of the proxy's shared producer. A request's records are handed over together, so "
     "they batch anyway; waiting longer only helps many concurrent one-record requests."},
    {"metadata.max.age.ms", WEIR_COMP_REST_PROXY, WEIR_PROP_INT, "5000", NULL, 100, 3600000, NULL,
     "How long topic metadata (partition counts) is cached; a topic not in the cache is always "
     "looked up again before a 40401."},
};

const weir_prop_def_t *weir_prop_table(size_t *count) {
  *count = sizeof k_props / sizeof k_props[0];
  return k_props;
}

const char *weir_component_name(weir_component_id_t comp) {
  switch (comp) {
    case WEIR_COMP_CORE:
      return "core";
    case WEIR_COMP_BROKER:
      return "broker";
    case WEIR_COMP_REGISTRY:
      return "registry";
    case WEIR_COMP_REST_PROXY:
      return "rest-proxy";
    case WEIR_COMP__COUNT:
      break;
  }
  return "?";
}
