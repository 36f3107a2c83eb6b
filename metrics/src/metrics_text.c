// SPDX-License-Identifier: Apache-2.0
/* The Prometheus text exposition format, version 0.0.4: HELP and TYPE lines,
 * samples with escaped label values, histogram buckets made cumulative, and
 * doubles spelled the way Prometheus parses them (+Inf, -Inf, NaN, shortest
 * round-trip decimal). It renders; it does not decide what exists (that is
 * metrics_family.c and the collectors). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_int.h"

static bool reserve(metrics_writer_t *w, size_t n) {
  if (w->oom) return false;
  if (w->len + n + 1 <= w->cap) return true;
  size_t cap = w->cap ? w->cap : 4096;
  while (cap < w->len + n + 1) cap *= 2;
  char *grown = metrics__malloc(cap);
  if (!grown) {
    w->oom = true;
    return false;
  }
  if (w->len) memcpy(grown, w->buf, w->len);
  metrics__free(w->buf);
  w->buf = grown;
  w->cap = cap;
  return true;
}

void metrics__put(metrics_writer_t *w, const char *s, size_t n) {
  if (!reserve(w, n)) return;
  memcpy(w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = '\0';
}

void metrics__puts(metrics_writer_t *w, const char *s) {
  metrics__put(w, s, strlen(s));
}

void metrics__put_u64(metrics_writer_t *w, uint64_t v) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%" PRIu64, v);
  metrics__put(w, buf, (size_t)n);
}

/* Spells v as Prometheus reads it into buf (at least 32 bytes): +Inf, -Inf,
 * NaN, or the shortest "%.*g" that reads back as the same double. */
static size_t format_double(char *buf, size_t cap, double v) {
  if (isnan(v)) return (size_t)snprintf(buf, cap, "NaN");
  if (isinf(v)) return (size_t)snprintf(buf, cap, "%s", v > 0 ? "+Inf" : "-Inf");
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(buf, cap, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  return (size_t)n;
}

void metrics__put_double(metrics_writer_t *w, double v) {
  char buf[40];
  size_t n = format_double(buf, sizeof buf, v);
  metrics__put(w, buf, n);
}

/* Escapes `\`, and `"` too when in a label value; newline as "\n". */
static void put_escaped(metrics_writer_t *w, const char *s, bool quote) {
  const char *run = s;
  for (; *s; s++) {
    const char *esc = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" : (quote && *s == '"') ? "\\\"" : NULL;
    if (!esc) continue;
    metrics__put(w, run, (size_t)(s - run));
    metrics__puts(w, esc);
    run = s + 1;
  }
  metrics__put(w, run, (size_t)(s - run));
}

void metrics_write_header(metrics_writer_t *w, const char *name, const char *help, const char *type) {
  metrics__puts(w, "# HELP ");
  metrics__puts(w, name);
  metrics__puts(w, " ");
  put_escaped(w, help ? help : "", false);
  metrics__puts(w, "\n# TYPE ");
  metrics__puts(w, name);
  metrics__puts(w, " ");
  metrics__puts(w, type);
  metrics__puts(w, "\n");
}

/* name{l1="v1",...,extra="extra_value"} with the braces left out when there
 * are no labels at all. */
static void put_series(metrics_writer_t *w, const char *name, const char *suffix, const char *const *labels,
                       const char *const *values, size_t n, const char *extra, const char *extra_value) {
  metrics__puts(w, name);
  metrics__puts(w, suffix);
  if (n == 0 && !extra) return;
  metrics__puts(w, "{");
  for (size_t i = 0; i < n; i++) {
    if (i) metrics__puts(w, ",");
    metrics__puts(w, labels[i]);
    metrics__puts(w, "=\"");
    put_escaped(w, values[i] ? values[i] : "", true);
    metrics__puts(w, "\"");
  }
  if (extra) {
    metrics__puts(w, n ? "," : "");
    metrics__puts(w, extra);
    metrics__puts(w, "=\"");
    metrics__puts(w, extra_value);
    metrics__puts(w, "\"");
  }
  metrics__puts(w, "}");
}

void metrics_write_sample(metrics_writer_t *w, const char *name, const char *const *labels,
                          const char *const *values, size_t n, double value) {
  put_series(w, name, "", labels, values, n, NULL, NULL);
  metrics__puts(w, " ");
  metrics__put_double(w, value);
  metrics__puts(w, "\n");
}

static void write_histogram(metrics_writer_t *w, const metrics_family_t *f, metrics_child_t *c) {
  const char *const *labels = (const char *const *)f->labels;
  const char *const *values = (const char *const *)c->values;
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= f->nbounds; i++) {
    char le[40];
    format_double(le, sizeof le, i < f->nbounds ? f->bounds[i] : INFINITY);
    cumulative += atomic_load_explicit(&c->buckets[i], memory_order_relaxed);
    put_series(w, f->name, "_bucket", labels, values, f->nlabels, "le", le);
    metrics__puts(w, " ");
    metrics__put_u64(w, cumulative);
    metrics__puts(w, "\n");
  }
  /* _count is the +Inf bucket, so the two always agree within one scrape. */
  put_series(w, f->name, "_sum", labels, values, f->nlabels, NULL, NULL);
  metrics__puts(w, " ");
  metrics__put_double(w, metrics__load_double(&c->bits));
  metrics__puts(w, "\n");
  put_series(w, f->name, "_count", labels, values, f->nlabels, NULL, NULL);
  metrics__puts(w, " ");
  metrics__put_u64(w, cumulative);
  metrics__puts(w, "\n");
}

static void write_child(metrics_writer_t *w, const metrics_family_t *f, metrics_child_t *c) {
  if (f->type == METRICS__HISTOGRAM) {
    write_histogram(w, f, c);
    return;
  }
  put_series(w, f->name, "", (const char *const *)f->labels, (const char *const *)c->values, f->nlabels, NULL,
             NULL);
  metrics__puts(w, " ");
  if (f->type == METRICS__COUNTER)
    metrics__put_u64(w, atomic_load_explicit(&c->count, memory_order_relaxed));
  else
    metrics__put_double(w, metrics__load_double(&c->bits));
  metrics__puts(w, "\n");
}

void metrics__write_family(metrics_writer_t *w, metrics_family_t *f) {
  static const char *const type_names[] = {"counter", "gauge", "histogram"};
  metrics_write_header(w, f->name, f->help, type_names[f->type]);
  pthread_mutex_lock(&f->lock);
  for (size_t i = 0; i < f->nchildren; i++) write_child(w, f, f->children[i]);
  if (f->overflow_used) write_child(w, f, f->overflow);
  pthread_mutex_unlock(&f->lock);
}

static int by_name(const void *a, const void *b) {
  const metrics_family_t *fa = *(const metrics_family_t *const *)a;
  const metrics_family_t *fb = *(const metrics_family_t *const *)b;
  return strcmp(fa->name, fb->name);
}

char *metrics_render(size_t *len) {
  metrics_writer_t w = {0};
  size_t n = 0;
  metrics_family_t **fams = NULL;
  if (metrics__families(&fams, &n) != 0) w.oom = true;
  if (n) qsort(fams, n, sizeof *fams, by_name);
  for (size_t i = 0; i < n; i++) metrics__write_family(&w, fams[i]);
  metrics__free(fams);
  metrics__run_collectors(&w);
  metrics__collect_process(&w);
  if (!reserve(&w, 0)) {
    metrics__free(w.buf);
    return NULL;
  }
  if (len) *len = w.len;
  return w.buf;
}
