// SPDX-License-Identifier: Apache-2.0
/* `weir topics alter TOPIC [--partitions N] [--config K=V]... [--delete-config
 * K]...`: the partition count may only grow (CreatePartitions), and configs
 * change one by one although librdkafka 2.0.2 only has the classic,
 * non-incremental AlterConfigs, which replaces a topic's whole set of
 * overrides: this file reads the current overrides (DescribeConfigs), merges
 * the changes into them and sends the full set. Configs go first, so a
 * rejected config leaves the partition count alone. */
#include <stdio.h>
#include <string.h>

#include "platform/tools.h"
#include "platform_int.h"
#include "tool_topics.h"

static bool listed(const char *const *keys, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(keys[i], name) == 0) return true;
  return false;
}

static bool set_listed(const weir_tt_t *tt, const char *name) {
  for (size_t i = 0; i < tt->n_set; i++)
    if (strcmp(tt->set[i].name, name) == 0) return true;
  return false;
}

static bool override_listed(const weir_tt_configs_t *cur, const char *name) {
  for (size_t i = 0; i < cur->n; i++)
    if (cur->v[i].is_override && strcmp(cur->v[i].name, name) == 0) return true;
  return false;
}

/* merged = the current overrides that are neither deleted nor replaced, then
 * every --config; *changes counts the --config entries and the deletes that
 * hit an override. Names and values are borrowed from cur and tt. 0 or an
 * exit status. (A race with another client altering the topic between the read
 * and the write is possible, as with kafka-configs.sh on old brokers.) */
static int merge(const weir_tt_t *tt, const weir_tt_configs_t *cur, weir_tt_kv_t *merged, size_t *n,
                 size_t *changes) {
  const weir_cli_admin_t *o = tt->opt;
  *n = 0;
  *changes = tt->n_set;
  for (size_t i = 0; i < cur->n; i++) {
    const weir_tt_config_t *c = &cur->v[i];
    if (!c->is_override || listed(o->delete_configs, o->n_delete_configs, c->name) || set_listed(tt, c->name))
      continue;
    if (!c->value) /* the non-incremental write would reset what it cannot repeat */
      return weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED,
                          "cannot alter topic %s: the broker hides the value of its config %s, which a "
                          "full AlterConfigs would reset",
                          tt->topic, c->name);
    merged[(*n)++] = (weir_tt_kv_t){c->name, c->value};
  }
  for (size_t i = 0; i < tt->n_set; i++) merged[(*n)++] = tt->set[i];
  for (size_t i = 0; i < o->n_delete_configs; i++) {
    if (override_listed(cur, o->delete_configs[i]))
      (*changes)++;
    else
      fprintf(stderr, "%s: config %s is not set on topic %s; nothing to delete\n", WEIR_TT_TOOL,
              o->delete_configs[i], tt->topic);
  }
  return WEIR_EXIT_OK;
}

static int alter_configs(weir_tt_t *tt) {
  weir_tt_configs_t cur;
  weir_tt_status_t st;
  const char *topics[1] = {tt->topic};
  if (weir_tt_describe_configs(tt, topics, 1, &cur, &st) != 0)
    return weir_tt_topic_fail("alter the configs of", tt->topic, &st);
  if (cur.status.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    st = cur.status;
    weir_tt_configs_fini(&cur);
    return weir_tt_topic_fail("alter the configs of", tt->topic, &st);
  }
  weir_tt_kv_t *merged = weir__malloc((cur.n + tt->n_set + 1) * sizeof *merged);
  size_t n = 0, changes = 0;
  int rc = merged ? merge(tt, &cur, merged, &n, &changes)
                  : weir_tk_fail(WEIR_TT_TOOL, WEIR_EXIT_FAILED, "out of memory");
  if (rc == WEIR_EXIT_OK && changes > 0 && weir_tt_alter_configs(tt, tt->topic, merged, n, &st) != 0)
    rc = weir_tt_topic_fail("alter the configs of", tt->topic, &st);
  if (rc == WEIR_EXIT_OK && changes > 0) printf("Updated the configs of topic %s.\n", tt->topic);
  weir__free(merged);
  weir_tt_configs_fini(&cur);
  return rc;
}

/* The topic's partition count into *count (-1 when the topic does not
 * exist). 0 or an exit status. */
static int partition_count(weir_tt_t *tt, int *count) {
  weir_tt_status_t st;
  const struct rd_kafka_metadata *md = weir_tt_metadata(tt, &st);
  if (!md) return weir_tt_topic_fail("alter", tt->topic, &st);
  const rd_kafka_metadata_topic_t *t = weir_tt_md_topic(md, tt->topic);
  *count = t ? t->partition_cnt : -1;
  rd_kafka_metadata_destroy(md);
  return WEIR_EXIT_OK;
}

int weir_tt_cmd_alter(weir_tt_t *tt) {
  const weir_cli_admin_t *o = tt->opt;
  int current = 0;
  int rc = partition_count(tt, &current);
  if (rc != WEIR_EXIT_OK) return rc;
  if (current < 0) return weir_tt_not_found(tt);
  if (o->partitions >= 0 && o->partitions < current)
    return weir_tk_fail(
        WEIR_TT_TOOL, WEIR_EXIT_FAILED,
        "cannot alter topic %s: it has %d partitions and the count can only grow, not go down "
        "to %lld",
        tt->topic, current, o->partitions);
  if (o->partitions == current)
    fprintf(stderr, "%s: topic %s already has %d partition%s; the count stays\n", WEIR_TT_TOOL, tt->topic,
            current, current == 1 ? "" : "s");
  if (o->n_configs > 0 || o->n_delete_configs > 0) rc = alter_configs(tt);
  if (rc != WEIR_EXIT_OK || o->partitions <= current) return rc;
  weir_tt_status_t st;
  if (weir_tt_create_partitions(tt, tt->topic, (int)o->partitions, &st) != 0)
    return weir_tt_topic_fail("add partitions to", tt->topic, &st);
  printf("Increased the partition count of topic %s from %d to %lld.\n", tt->topic, current, o->partitions);
  return WEIR_EXIT_OK;
}
