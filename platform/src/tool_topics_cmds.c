// SPDX-License-Identifier: Apache-2.0
/* The subcommands of `weir topics`: what each asks the cluster (through
 * tool_topics_admin.c), what its answers mean for the exit status
 * (--if-exists, --if-not-exists, "can only grow"), and the output, which
 * keeps kafka-topics.sh's shape so scripts carry over. Options are already
 * checked (tool_topics.c) when these run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/tools.h"
#include "platform_int.h"
#include "tool_topics.h"

/* ---- create, delete --------------------------------------------------------------- */

int weir_tt_cmd_create(weir_tt_t *tt) {
  const weir_cli_admin_t *o = tt->opt;
  /* -1 (not given) asks for the broker's default, CreateTopics v4+. */
  weir_tt_new_topic_t nt = {tt->topic, (int)o->partitions, (int)o->replication_factor, tt->set, tt->n_set};
  weir_tt_status_t st;
  if (weir_tt_create(tt, &nt, &st) == 0) {
    printf("Created topic %s.\n", tt->topic);
    return WEIR_EXIT_OK;
  }
  if (st.err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS && o->if_not_exists) {
    fprintf(stderr, "%s: topic %s already exists; left as it is (--if-not-exists)\n", WEIR_TT_TOOL,
            tt->topic);
    return WEIR_EXIT_OK;
  }
  return weir_tt_topic_fail("create", tt->topic, &st);
}

int weir_tt_cmd_delete(weir_tt_t *tt) {
  weir_tt_status_t st;
  if (weir_tt_delete(tt, tt->topic, &st) == 0) {
    printf("Deleted topic %s.\n", tt->topic);
    return WEIR_EXIT_OK;
  }
  if (st.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return weir_tt_not_found(tt);
  return weir_tt_topic_fail("delete", tt->topic, &st);
}

/* ---- list, describe ------------------------------------------------------------- */

static int cmp_topic(const void *a, const void *b) {
  const rd_kafka_metadata_topic_t *x = *(const rd_kafka_metadata_topic_t *const *)a;
  const rd_kafka_metadata_topic_t *y = *(const rd_kafka_metadata_topic_t *const *)b;
  return strcmp(x->topic, y->topic);
}

static int cmp_partition(const void *a, const void *b) {
  const rd_kafka_metadata_partition_t *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

/* The cluster's topics (every one, or only tt->topic), sorted by name, as
 * pointers into md; *n = 0 when there is none. NULL only when out of memory. */
static const rd_kafka_metadata_topic_t **topics_select(const weir_tt_t *tt,
                                                       const struct rd_kafka_metadata *md, size_t *n) {
  const rd_kafka_metadata_topic_t **v = weir__malloc(((size_t)md->topic_cnt + 1) * sizeof *v);
  *n = 0;
  for (int i = 0; v && i < md->topic_cnt; i++) {
    const rd_kafka_metadata_topic_t *t = &md->topics[i];
    if (t->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) continue;
    if (!tt->topic || strcmp(t->topic, tt->topic) == 0) v[(*n)++] = t;
  }
  if (v && *n > 1) qsort(v, *n, sizeof *v, cmp_topic);
  return v;
}

int weir_tt_cmd_list(weir_tt_t *tt) {
  weir_tt_status_t st;
  const struct rd_kafka_metadata *md = weir_tt_metadata(tt, &st);
  if (!md) return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "cannot list topics: %s", st.msg);
  size_t n = 0;
  const rd_kafka_metadata_topic_t **v = topics_select(tt, md, &n);
  for (size_t i = 0; v && i < n; i++) printf("%s\n", v[i]->topic);
  weir__free(v);
  rd_kafka_metadata_destroy(md);
  return v ? WEIR_EXIT_OK : weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
}

static void print_ids(const char *label, const int32_t *ids, int n) {
  printf("\t%s: ", label);
  for (int i = 0; i < n; i++) printf("%s%d", i ? "," : "", (int)ids[i]);
}

/* "k=v,k=v": the configs that differ from the built-in defaults, as
 * kafka-topics.sh shows them (topic overrides and broker settings). */
static void print_configs(const weir_tt_configs_t *c) {
  printf("\tConfigs: ");
  bool first = true;
  for (size_t i = 0; i < c->n; i++) {
    if (!c->v[i].non_default) continue;
    printf("%s%s=%s", first ? "" : ",", c->v[i].name, c->v[i].value ? c->v[i].value : "<hidden>");
    first = false;
  }
}

/* kafka-topics.sh's --describe block. The TopicId field is left out, as
 * kafka-topics.sh leaves out an unknown one: librdkafka 2.0.2 does not
 * report topic ids. The partitions are sorted by id (metadata need not be). */
static int print_topic(const rd_kafka_metadata_topic_t *t, const weir_tt_configs_t *c) {
  rd_kafka_metadata_partition_t *p = NULL;
  size_t n = (size_t)t->partition_cnt;
  if (n > 0 && !(p = weir__malloc(n * sizeof *p))) return -1;
  if (n > 0) memcpy(p, t->partitions, n * sizeof *p);
  if (n > 1) qsort(p, n, sizeof *p, cmp_partition);
  printf("Topic: %s\tPartitionCount: %d\tReplicationFactor: %d", t->topic, t->partition_cnt,
         n > 0 ? p[0].replica_cnt : 0);
  print_configs(c);
  printf("\n");
  for (size_t i = 0; i < n; i++) {
    printf("\tTopic: %s\tPartition: %d\tLeader: ", t->topic, (int)p[i].id);
    if (p[i].leader >= 0)
      printf("%d", (int)p[i].leader);
    else
      printf("none");
    print_ids("Replicas", p[i].replicas, p[i].replica_cnt);
    print_ids("Isr", p[i].isrs, p[i].isr_cnt);
    printf("\n");
  }
  weir__free(p);
  return 0;
}

/* Prints each topic in v with its configs; 0, or an exit status when a
 * topic's configs could not be read (the topic is still printed). */
static int describe_topics(weir_tt_t *tt, const rd_kafka_metadata_topic_t **v, size_t n) {
  const char **names = weir__malloc(n * sizeof *names);
  weir_tt_configs_t *configs = weir__malloc(n * sizeof *configs);
  if (!names || !configs) {
    weir__free(names);
    weir__free(configs);
    return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
  }
  for (size_t i = 0; i < n; i++) names[i] = v[i]->topic;
  weir_tt_status_t st;
  int rc = WEIR_EXIT_OK;
  if (weir_tt_describe_configs(tt, names, n, configs, &st) != 0) /* every configs[i] is empty then */
    rc = weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "cannot read topic configs: %s", st.msg);
  for (size_t i = 0; rc == WEIR_EXIT_OK && i < n; i++) {
    const weir_tt_configs_t *c = &configs[i];
    if (c->status.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      fflush(stdout); /* keep the message next to the topic it is about */
      weir_tk_fail(WEIR_TT_TOOL, 0, "cannot read the configs of topic %s: %s [%s]", v[i]->topic,
                   c->status.msg, rd_kafka_err2name(c->status.err));
    }
    if (print_topic(v[i], c) != 0) rc = weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    if (configs[i].status.err != RD_KAFKA_RESP_ERR_NO_ERROR && rc == WEIR_EXIT_OK) rc = WEIR_EXIT_FAILED;
    weir_tt_configs_fini(&configs[i]);
  }
  weir__free(names);
  weir__free(configs);
  return rc;
}

int weir_tt_cmd_describe(weir_tt_t *tt) {
  weir_tt_status_t st;
  const struct rd_kafka_metadata *md = weir_tt_metadata(tt, &st);
  if (!md) return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "cannot describe topics: %s", st.msg);
  size_t n = 0;
  const rd_kafka_metadata_topic_t **v = topics_select(tt, md, &n);
  int rc;
  if (!v)
    rc = weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
  else if (n == 0 && tt->topic)
    rc = weir_tt_not_found(tt);
  else
    rc = n > 0 ? describe_topics(tt, v, n) : WEIR_EXIT_OK;
  weir__free(v);
  rd_kafka_metadata_destroy(md);
  return rc;
}
