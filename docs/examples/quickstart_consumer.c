// SPDX-License-Identifier: Apache-2.0
/* The consumer of docs/quickstart.md: reads Avro records in the Confluent
 * wire format from a topic with librdkafka and prints each one as Avro JSON,
 * decoded by weir's serde with the writer schema fetched from the Schema
 * Registry by the id in the record. It stops after COUNT records, or fails
 * after 30 seconds without them. Build against an installed serde:
 *
 *   cc -Wall -o quickstart_consumer quickstart_consumer.c $(pkg-config --cflags --libs weir-serde rdkafka)
 *   ./quickstart_consumer localhost:9092 http://localhost:8081 orders 3
 *
 * Exit status: 0 when COUNT records were printed, 1 on a Kafka or serde
 * error or the timeout, 2 on bad arguments. (weir's test suite runs the
 * quickstart, and so this program, against the installed library.) */
#include <librdkafka/rdkafka.h>
#include <serde/serde.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define TIMEOUT_SECONDS 30

/* Creates a consumer subscribed to topic, or NULL after printing why. */
static rd_kafka_t *consumer_new(const char *bootstrap, const char *topic) {
  char errstr[512];
  /* A group is needed to subscribe. Nothing is committed and reading starts
   * at the earliest offset, so every run prints the same records. */
  const char *settings[][2] = {
      {"bootstrap.servers", bootstrap},
      {"group.id", "quickstart"},
      {"auto.offset.reset", "earliest"},
      {"enable.auto.commit", "false"},
  };
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
    if (rd_kafka_conf_set(conf, settings[i][0], settings[i][1], errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      fprintf(stderr, "kafka config %s: %s\n", settings[i][0], errstr);
      rd_kafka_conf_destroy(conf);
      return NULL;
    }
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr); /* takes conf */
  if (!rk) {
    fprintf(stderr, "kafka consumer: %s\n", errstr);
    rd_kafka_conf_destroy(conf);
    return NULL;
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t kerr = rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (kerr) {
    fprintf(stderr, "subscribe to %s: %s\n", topic, rd_kafka_err2str(kerr));
    rd_kafka_destroy(rk);
    return NULL;
  }
  return rk;
}

/* Decodes one record value and prints it. Returns 0, or -1 after printing
 * why the record could not be read. */
static int print_record(serde_t *sd, const rd_kafka_message_t *msg, serde_buf_t *json) {
  const char *topic = rd_kafka_topic_name(msg->rkt);
  serde_schema_t *writer = NULL;
  serde_error_t err = {0};
  /* Magic byte 0 + 4-byte schema id + Avro binary: the schema is fetched by
   * id from the registry once, then served from serde's cache. */
  if (serde_deserialize_avro_json(sd, topic, SERDE_VALUE, msg->payload, msg->len, json, &writer, &err) != SERDE_OK) {
    fprintf(stderr, "%s partition %d offset %lld: %s\n", topic, (int)msg->partition, (long long)msg->offset,
            err.message);
    return -1;
  }
  printf("partition %d, offset %lld, schema id %d: %.*s\n", (int)msg->partition, (long long)msg->offset,
         (int)(writer ? serde_schema_id(writer) : -1), (int)json->len, (const char *)json->data);
  fflush(stdout);
  serde_schema_unref(writer);
  return 0;
}

/* Polls until count records were printed, an error, or the deadline.
 * Returns the number of records printed, or -1 on an error. */
static long consume(serde_t *sd, rd_kafka_t *rk, long count) {
  serde_buf_t json = {0}; /* reused for every record */
  long seen = 0;
  time_t deadline = time(NULL) + TIMEOUT_SECONDS;
  while (seen < count && time(NULL) < deadline) {
    rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 500);
    if (!msg) continue; /* nothing within 500 ms */
    int rc = 0;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      /* the end of a partition for now: keep waiting */
    } else if (msg->err) {
      fprintf(stderr, "kafka: %s\n", rd_kafka_message_errstr(msg));
      rc = -1;
    } else if ((rc = print_record(sd, msg, &json)) == 0) {
      seen++;
    }
    rd_kafka_message_destroy(msg);
    if (rc != 0) {
      seen = -1;
      break;
    }
  }
  serde_buf_fini(&json);
  return seen;
}

int main(int argc, char **argv) {
  if (argc != 5 || atol(argv[4]) <= 0) {
    fprintf(stderr, "usage: %s BOOTSTRAP REGISTRY_URL TOPIC COUNT\n"
                    "  e.g. %s localhost:9092 http://localhost:8081 orders 3\n",
            argv[0], argv[0]);
    return 2;
  }
  const char *bootstrap = argv[1], *registry = argv[2], *topic = argv[3];
  long count = atol(argv[4]);

  serde_error_t err = {0};
  serde_conf_t *conf = serde_conf_new();
  if (!conf || serde_conf_set(conf, "schema.registry.url", registry, &err) != SERDE_OK) {
    fprintf(stderr, "serde config: %s\n", conf ? err.message : "out of memory");
    serde_conf_destroy(conf);
    return 2;
  }
  serde_t *sd = serde_new(conf, &err); /* takes conf; one handle for the whole application */
  if (!sd) {
    fprintf(stderr, "serde: %s\n", err.message);
    return 1;
  }
  rd_kafka_t *rk = consumer_new(bootstrap, topic);
  if (!rk) {
    serde_destroy(sd);
    return 1;
  }

  long seen = consume(sd, rk, count);
  if (seen >= 0 && seen < count)
    fprintf(stderr, "timed out after %d s: %ld of %ld records\n", TIMEOUT_SECONDS, seen, count);
  else if (seen == count)
    fprintf(stderr, "consumed %ld records from %s\n", seen, topic);

  rd_kafka_consumer_close(rk); /* leaves the group */
  rd_kafka_destroy(rk);
  serde_destroy(sd);
  return seen == count ? 0 : 1;
}
