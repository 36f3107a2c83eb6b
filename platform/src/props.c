// SPDX-License-Identifier: Apache-2.0
/* The property store (props.h): one value slot per table row, key
 * resolution (plain, alias, `<component>.<name>`) and value validation by
 * type. It knows nothing about files, argv or components' own config
 * structs. */
#include "platform/props.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/listener.h"
#include "platform_int.h"

struct weir_props {
  size_t count;
  char **values; /* values[i] for table row i; NULL = default (and for alias rows) */
};

weir_props_t *weir_props_new(void) {
  size_t count = 0;
  weir_prop_table(&count);
  weir_props_t *props = weir__malloc(sizeof *props);
  if (!props) return NULL;
  props->count = count;
  props->values = weir__malloc(count * sizeof *props->values);
  if (!props->values) {
    weir__free(props);
    return NULL;
  }
  for (size_t i = 0; i < count; i++) props->values[i] = NULL;
  return props;
}

void weir_props_destroy(weir_props_t *props) {
  if (!props) return;
  for (size_t i = 0; i < props->count; i++) weir__free(props->values[i]);
  weir__free(props->values);
  weir__free(props);
}

/* Row index of (comp, name) among non-alias rows, or -1. */
static long find_row(weir_component_id_t comp, const char *name) {
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  for (size_t i = 0; i < count; i++)
    if (table[i].component == comp && !table[i].alias_of && strcmp(table[i].name, name) == 0) return (long)i;
  return -1;
}

/* Row that actually stores the value for row i (follows an alias). */
static size_t resolve_alias(size_t i) {
  const weir_prop_def_t *table = weir_prop_table(&(size_t){0});
  if (!table[i].alias_of) return i;
  long target = find_row(table[i].component, table[i].alias_of);
  assert(target >= 0 && "alias_of names a property of the same component");
  return (size_t)target;
}

static weir_code_t check_enum(const weir_prop_def_t *def, const char *key, const char *value, char *canon,
                              size_t canon_len, weir_error_t *err) {
  const char *p = def->choices;
  while (*p) {
    size_t n = strcspn(p, "|");
    if (strlen(value) == n && strncasecmp(p, value, n) == 0) {
      snprintf(canon, canon_len, "%.*s", (int)n, p);
      return WEIR_OK;
    }
    p += n + (p[n] == '|');
  }
  char list[256];
  snprintf(list, sizeof list, "%s", def->choices);
  for (char *c = list; *c; c++)
    if (*c == '|') *c = ',';
  return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": \"%s\" is not one of %s", key, value, list);
}

static weir_code_t check_int(const weir_prop_def_t *def, const char *key, const char *value, char *canon,
                             size_t canon_len, weir_error_t *err) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(value, &end, 10);
  if (errno || end == value || *end != '\0')
    return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": \"%s\" is not an integer", key, value);
  if (v < def->min || v > def->max)
    return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": %lld is outside [%lld, %lld]", key, v,
                          def->min, def->max);
  snprintf(canon, canon_len, "%lld", v);
  return WEIR_OK;
}

/* Validates value for def; writes the stored (canonical) form to canon. */
static weir_code_t check_value(const weir_prop_def_t *def, const char *key, const char *value, char *canon,
                               size_t canon_len, weir_error_t *err) {
  if (value[0] == '\0') return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": empty value", key);
  switch (def->type) {
    case WEIR_PROP_STRING:
      if (strlen(value) >= canon_len)
        return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": value longer than %zu bytes", key,
                              canon_len - 1);
      snprintf(canon, canon_len, "%s", value);
      return WEIR_OK;
    case WEIR_PROP_INT:
      return check_int(def, key, value, canon, canon_len, err);
    case WEIR_PROP_BOOL:
      if (strcasecmp(value, "true") && strcasecmp(value, "false"))
        return weir_error_set(err, WEIR_ERR_CONFIG, "property \"%s\": \"%s\" is not true or false", key,
                              value);
      snprintf(canon, canon_len, "%s", strcasecmp(value, "true") == 0 ? "true" : "false");
      return WEIR_OK;
    case WEIR_PROP_ENUM:
      return check_enum(def, key, value, canon, canon_len, err);
    case WEIR_PROP_LISTENER: {
      weir_listener_t l;
      weir_error_t lerr;
      if (weir_listener_parse(value, &l, &lerr) != WEIR_OK)
        return weir_error_set(err, lerr.code, "property \"%s\": %s", key, lerr.msg);
      snprintf(canon, canon_len, "%s://%s:%d", l.scheme, l.host, l.port);
      return WEIR_OK;
    }
    case WEIR_PROP_KAFKA_LISTENER: {
      weir_listener_t l;
      weir_error_t lerr;
      if (weir_listener_parse_kafka(value, &l, &lerr) != WEIR_OK)
        return weir_error_set(err, lerr.code, "property \"%s\": %s", key, lerr.msg);
      snprintf(canon, canon_len, "%s://%s:%d", l.scheme, l.host, l.port);
      return WEIR_OK;
    }
  }
  assert(false && "unknown property type");
  return WEIR_ERR_CONFIG;
}

/* Collects the rows a key designates into rows[] (at most WEIR_COMP__COUNT). */
static size_t match_key(const char *key, size_t rows[WEIR_COMP__COUNT]) {
  size_t count, n = 0;
  const weir_prop_def_t *table = weir_prop_table(&count);
  for (size_t i = 0; i < count && n < WEIR_COMP__COUNT; i++)
    if (strcmp(table[i].name, key) == 0) rows[n++] = resolve_alias(i);
  if (n) return n;
  const char *dot = strchr(key, '.');
  if (!dot) return 0;
  for (int c = WEIR_COMP_CORE + 1; c < WEIR_COMP__COUNT; c++) {
    const char *cname = weir_component_name((weir_component_id_t)c);
    if (strlen(cname) != (size_t)(dot - key) || strncmp(cname, key, strlen(cname)) != 0) continue;
    for (size_t i = 0; i < count; i++)
      if (table[i].component == (weir_component_id_t)c && strcmp(table[i].name, dot + 1) == 0) {
        rows[0] = resolve_alias(i);
        return 1;
      }
  }
  return 0;
}

/* Stores canon as the value of row. */
static weir_code_t store(weir_props_t *props, size_t row, const char *key, const char *canon,
                         weir_error_t *err) {
  char *copy = weir__strndup(canon, strlen(canon));
  if (!copy) return weir_error_set(err, WEIR_ERR_NOMEM, "out of memory setting property \"%s\"", key);
  weir__free(props->values[row]);
  props->values[row] = copy;
  return WEIR_OK;
}

weir_code_t weir_props_set(weir_props_t *props, const char *key, const char *value, weir_error_t *err) {
  size_t rows[WEIR_COMP__COUNT];
  size_t n = match_key(key, rows);
  if (n == 0) return weir_error_set(err, WEIR_ERR_CONFIG, "unknown property \"%s\"", key);
  const weir_prop_def_t *table = weir_prop_table(&(size_t){0});
  char canon[4096];
  weir_error_t first = {0};
  size_t stored = 0;
  for (size_t k = 0; k < n; k++) {
    weir_error_t row_err = {0};
    if (check_value(&table[rows[k]], key, value, canon, sizeof canon, &row_err) != WEIR_OK) {
      if (first.code == WEIR_OK) first = row_err;
      continue; /* another component defining this name may accept it */
    }
    weir_code_t rc = store(props, rows[k], key, canon, err);
    if (rc != WEIR_OK) return rc;
    stored++;
  }
  if (stored == 0) {
    if (err) *err = first;
    return first.code;
  }
  return WEIR_OK;
}

weir_code_t weir_props_set_pair(weir_props_t *props, const char *pair, weir_error_t *err) {
  const char *eq = strchr(pair, '=');
  if (!eq || eq == pair) return weir_error_set(err, WEIR_ERR_USAGE, "-o \"%s\": expected key=value", pair);
  char key[256];
  if ((size_t)(eq - pair) >= sizeof key)
    return weir_error_set(err, WEIR_ERR_CONFIG, "-o \"%.40s...\": key too long", pair);
  snprintf(key, sizeof key, "%.*s", (int)(eq - pair), pair);
  return weir_props_set(props, key, eq + 1, err);
}

const char *weir_props_get(const weir_props_t *props, weir_component_id_t comp, const char *name) {
  long row = find_row(comp, name);
  assert(row >= 0 && "property must be in the table");
  if (row < 0) return "";
  const weir_prop_def_t *table = weir_prop_table(&(size_t){0});
  return props->values[row] ? props->values[row] : table[row].default_value;
}

long long weir_props_get_int(const weir_props_t *props, weir_component_id_t comp, const char *name) {
  return strtoll(weir_props_get(props, comp, name), NULL, 10);
}

bool weir_props_get_bool(const weir_props_t *props, weir_component_id_t comp, const char *name) {
  return strcmp(weir_props_get(props, comp, name), "true") == 0;
}
