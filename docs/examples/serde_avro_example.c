// SPDX-License-Identifier: Apache-2.0
/* Produces three Avro records with librdkafka + weir serde, then consumes
 * them back and prints each as Avro JSON. Build against an installed serde:
 *
 *   cc serde_avro_example.c $(pkg-config --cflags --libs weir-serde rdkafka) -o serde_avro_example
 *   ./serde_avro_example localhost:9092 http://localhost:8081 payments
 *
 * (weir's test suite builds and runs this file against `weir start`.) */
#include <librdkafka/rdkafka.h>
#include <serde/serde.h>
#include <stdio.h>
#include <string.h>

static const char *SCHEMA =
    "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"example\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}";

static int produce(serde_t *sd, const char *brokers, const char *topic) {
  char errstr[512];
  serde_error_t err = {0};
  rd_kafka_conf_t *kconf = rd_kafka_conf_new();
  rd_kafka_conf_set(kconf, "bootstrap.servers", brokers, errstr, sizeof errstr);
  rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, kconf, errstr, sizeof errstr);
  serde_schema_t *schema = serde_schema_new(sd, "AVRO", SCHEMA, strlen(SCHEMA), &err);
  if (!producer || !schema) {
    fprintf(stderr, "setup failed: %s%s\n", producer ? "" : errstr, schema ? "" : err.message);
    return 1;
  }
  avro_value_t value, field;
  serde_schema_value_new(schema, &value, &err);
  serde_buf_t buf = {0}; /* reused for every record */
  int failed = 0;
  for (int i = 0; i < 3; i++) {
    char id[16];
    snprintf(id, sizeof id, "p-%d", i);
    avro_value_get_by_name(&value, "id", &field, NULL);
    avro_value_set_string(&field, id);
    avro_value_get_by_name(&value, "amount", &field, NULL);
    avro_value_set_double(&field, 10.5 * (i + 1));
    /* Registers the schema under "<topic>-value" on first use, then frames
     * 0x00 | id | Avro binary into buf. */
    if (serde_serialize_avro(sd, topic, SERDE_VALUE, schema, &value, &buf, &err) != SERDE_OK) {
      fprintf(stderr, "serialize: %s\n", err.message);
      failed = 1;
      break;
    }
    rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(buf.data, buf.len),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  }
  if (rd_kafka_flush(producer, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    failed = 1;
  }
  serde_buf_fini(&buf);
  avro_value_decref(&value);
  serde_schema_unref(schema);
  rd_kafka_destroy(producer);
  return failed;
}

static int consume(serde_t *sd, const char *brokers, const char *topic) {
  char errstr[512];
  rd_kafka_conf_t *kconf = rd_kafka_conf_new();
  rd_kafka_conf_set(kconf, "bootstrap.servers", brokers, errstr, sizeof errstr);
  rd_kafka_conf_set(kconf, "group.id", "serde-example", errstr, sizeof errstr);
  rd_kafka_conf_set(kconf, "auto.offset.reset", "earliest", errstr, sizeof errstr);
  rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, kconf, errstr, sizeof errstr);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  serde_buf_t json = {0};
  int seen = 0, failed = 0;
  for (int polls = 0; seen < 3 && polls < 60 && !failed; polls++) {
    rd_kafka_message_t *msg = rd_kafka_consumer_poll(consumer, 500);
    if (!msg) {
      continue;
    }
    if (!msg->err) {
      serde_error_t err = {0};
      /* The writer schema is fetched once per id, then cached. */
      if (serde_deserialize_avro_json(sd, topic, SERDE_VALUE, msg->payload, msg->len, &json, NULL, &err) ==
          SERDE_OK) {
        printf("%.*s\n", (int)json.len, (const char *)json.data);
        seen++;
      } else {
        fprintf(stderr, "deserialize: %s\n", err.message);
        failed = 1;
      }
    }
    rd_kafka_message_destroy(msg);
  }
  serde_buf_fini(&json);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  return failed || seen != 3;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s BOOTSTRAP REGISTRY_URL TOPIC\n", argv[0]);
    return 2;
  }
  serde_error_t err = {0};
  serde_conf_t *conf = serde_conf_new();
  if (serde_conf_set(conf, "schema.registry.url", argv[2], &err) != SERDE_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 2;
  }
  serde_t *sd = serde_new(conf, &err); /* shared by all threads */
  if (!sd) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  int rc = produce(sd, argv[1], argv[3]) || consume(sd, argv[1], argv[3]);
  serde_destroy(sd);
  return rc;
}
