// SPDX-License-Identifier: Apache-2.0
/* `weir groups list|describe GROUP [--bootstrap-server HOST:PORT]`: the
 * command's argument handling and its output, modelled on Kafka's
 * kafka-consumer-groups.sh (--list prints one group id per line; --describe
 * prints per-partition offsets and lag, then the members and their
 * assignments). Talking to the broker is tool_groups_admin.c's job. */
#include "tool_groups.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "platform/tools.h"
#include "platform_int.h"

#define DEFAULT_BOOTSTRAP "localhost:9092"
#define MAX_COLS 9

/* A text table printed with columns as wide as their widest cell. */
typedef struct table {
  size_t n_cols;
  size_t width[MAX_COLS];
} table_t;

static void table_measure(table_t *t, const char *const *cells) {
  for (size_t i = 0; i < t->n_cols; i++) {
    size_t n = strlen(cells[i]);
    if (n > t->width[i]) t->width[i] = n;
  }
}

static void table_print(const table_t *t, const char *const *cells, FILE *out) {
  for (size_t i = 0; i < t->n_cols; i++) {
    if (i + 1 == t->n_cols)
      fprintf(out, "%s\n", cells[i]);
    else
      fprintf(out, "%-*s  ", (int)t->width[i], cells[i]);
  }
}

static void fmt_i64(char *buf, size_t len, int64_t v) {
  if (v < 0)
    snprintf(buf, len, "-");
  else
    snprintf(buf, len, "%" PRId64, v);
}

typedef struct row_text {
  char partition[16], current[24], end[24], lag[24];
  const char *cells[MAX_COLS];
} row_text_t;

static void row_cells(const weir_tg_group_t *g, const weir_tg_row_t *r, row_text_t *t) {
  snprintf(t->partition, sizeof t->partition, "%" PRId32, r->partition);
  fmt_i64(t->current, sizeof t->current, r->committed);
  fmt_i64(t->end, sizeof t->end, r->log_end);
  fmt_i64(t->lag, sizeof t->lag,
          r->committed >= 0 && r->log_end >= 0 ? (r->log_end > r->committed ? r->log_end - r->committed : 0)
                                               : -1);
  const weir_tg_member_t *m = r->member >= 0 ? &g->members[r->member] : NULL;
  const char *cells[MAX_COLS] = {g->group_id,
                                 r->topic,
                                 t->partition,
                                 t->current,
                                 t->end,
                                 t->lag,
                                 m ? m->member_id : "-",
                                 m ? m->host : "-",
                                 m ? m->client_id : "-"};
  memcpy(t->cells, cells, sizeof cells);
}

static void print_offsets(const weir_tg_group_t *g, FILE *out) {
  static const char *const head[MAX_COLS] = {"GROUP",          "TOPIC",          "PARTITION",
                                             "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                                             "CONSUMER-ID",    "HOST",           "CLIENT-ID"};
  table_t t = {.n_cols = MAX_COLS};
  table_measure(&t, head);
  row_text_t rt;
  for (size_t i = 0; i < g->n_rows; i++) {
    row_cells(g, &g->rows[i], &rt);
    table_measure(&t, rt.cells);
  }
  table_print(&t, head, out);
  for (size_t i = 0; i < g->n_rows; i++) {
    row_cells(g, &g->rows[i], &rt);
    table_print(&t, rt.cells, out);
  }
}

/* "orders(0,1),payments(2)": a member's assignment, grouped by topic (the
 * list arrives sorted by topic from most assignors; runs are merged). */
static void format_assignment(const weir_tg_member_t *m, char *buf, size_t len) {
  size_t pos = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < m->n_assignment && pos < len; i++) {
    const weir_tg_tp_t *tp = &m->assignment[i];
    bool same = i > 0 && strcmp(m->assignment[i - 1].topic, tp->topic) == 0;
    bool last = i + 1 == m->n_assignment || strcmp(m->assignment[i + 1].topic, tp->topic) != 0;
    int n = snprintf(buf + pos, len - pos, "%s%s%s%" PRId32 "%s", same || i == 0 ? "" : ",",
                     same ? "" : tp->topic, same ? "," : "(", tp->partition, last ? ")" : "");
    if (n < 0) break;
    pos += (size_t)n;
  }
  if (m->n_assignment == 0) snprintf(buf, len, "-");
}

static void print_members(const weir_tg_group_t *g, FILE *out) {
  static const char *const head[] = {"GROUP",     "CONSUMER-ID", "HOST",
                                     "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"};
  table_t t = {.n_cols = 6};
  table_measure(&t, head);
  char count[16], assignment[4096];
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) table_print(&t, head, out);
    for (size_t i = 0; i < g->n_members; i++) {
      const weir_tg_member_t *m = &g->members[i];
      snprintf(count, sizeof count, "%zu", m->n_assignment);
      format_assignment(m, assignment, sizeof assignment);
      const char *cells[] = {g->group_id, m->member_id, m->host, m->client_id, count, assignment};
      if (pass == 0)
        table_measure(&t, cells);
      else
        table_print(&t, cells, out);
    }
  }
}

static int cmd_list(weir_tg_client_t *c) {
  char errbuf[512] = "";
  char **ids = NULL;
  size_t n = 0;
  if (weir_tg_list(c, &ids, &n, errbuf, sizeof errbuf) != 0) {
    fprintf(stderr, "weir groups: %s\n", errbuf);
    return 1;
  }
  for (size_t i = 0; i < n; i++) printf("%s\n", ids[i]);
  weir_tg_ids_free(ids, n);
  return 0;
}

static int cmd_describe(weir_tg_client_t *c, const char *group) {
  char errbuf[512] = "";
  weir_tg_group_t g;
  int rc = weir_tg_describe(c, group, &g, errbuf, sizeof errbuf);
  if (rc != 0) {
    fprintf(stderr, "weir groups: %s\n", errbuf[0] ? errbuf : "out of memory");
  } else if (strcmp(g.state, "Dead") == 0 && g.n_rows == 0) {
    fprintf(stderr, "weir groups: consumer group '%s' does not exist\n", group);
    rc = -1;
  } else {
    printf("GROUP %s  STATE %s  ASSIGNOR %s  MEMBERS %zu\n\n", g.group_id, g.state,
           g.assignor[0] ? g.assignor : "-", g.n_members);
    if (g.n_members == 0) printf("Consumer group '%s' has no active members.\n\n", group);
    print_offsets(&g, stdout);
    if (g.n_members > 0) {
      printf("\n");
      print_members(&g, stdout);
    }
  }
  weir_tg_group_fini(&g);
  return rc == 0 ? 0 : 1;
}

static int usage(const char *why) {
  fprintf(stderr,
          "weir groups: %s\nusage: weir groups list [--bootstrap-server HOST:PORT]\n"
          "       weir groups describe GROUP [--bootstrap-server HOST:PORT]\n",
          why);
  return 2;
}

int weir_tool_groups(const weir_cli_t *cli) {
  const char *sub = cli->n_args > 0 ? cli->args[0] : NULL;
  if (!sub) return usage("missing subcommand (list or describe)");
  bool list = strcmp(sub, "list") == 0, describe = strcmp(sub, "describe") == 0;
  if (!list && !describe) return usage("unknown subcommand");
  if (list && cli->n_args != 1) return usage("list takes no argument");
  if (describe && cli->n_args != 2) return usage("describe needs exactly one GROUP");
  char errbuf[512] = "";
  const char *bootstrap = cli->bootstrap_server ? cli->bootstrap_server : DEFAULT_BOOTSTRAP;
  weir_tg_client_t *c = weir_tg_client_new(bootstrap, errbuf, sizeof errbuf);
  if (!c) {
    fprintf(stderr, "weir groups: cannot create a client for %s: %s\n", bootstrap, errbuf);
    return 1;
  }
  int rc = list ? cmd_list(c) : cmd_describe(c, cli->args[1]);
  weir_tg_client_destroy(c);
  return rc;
}
