// SPDX-License-Identifier: Apache-2.0
/* Data contracts on registration and lookup (§5.12, §5.6, §5.2 step 10):
 * merging config default/override metadata and rule sets with the request's
 * (or the previous version's), the `confluent:version` property, equality that
 * ignores that property, the compatibilityGroup filter and the
 * `confluent:reserved` field checks. It decides nothing about ids, versions
 * or storage; register/lookup/compat call it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg_service_int.h"

#define CONFLUENT_VERSION "confluent:version"
#define CONFLUENT_RESERVED "confluent:reserved"

/* ---- merging ------------------------------------------------------------------ */

/* Unique strings of a and b (arrays), a's first. New reference. */
static json_t *union_strings(json_t *a, json_t *b) {
  json_t *out = reg__json_or_oom(json_array()), *v;
  json_t *lists[2] = {a, b};
  size_t i, j;
  for (size_t l = 0; l < 2; l++) {
    json_array_foreach(lists[l], i, v) {
      bool seen = false;
      for (j = 0; j < json_array_size(out) && !seen; j++) seen = json_equal(json_array_get(out, j), v);
      if (!seen) json_array_append(out, v);
    }
  }
  return out;
}

/* Metadata.mergeMetadata: properties (newer wins), tags (per path, tag
 * union) and sensitive (union). NULL stays NULL. New reference. */
static json_t *merge_metadata(json_t *older, json_t *newer) {
  if (!json_is_object(older)) return newer ? json_incref(newer) : NULL;
  if (!json_is_object(newer)) return json_incref(older);
  json_t *out = reg__json_or_oom(json_object());
  json_t *props = reg__json_or_oom(json_object()), *tags = reg__json_or_oom(json_object());
  json_object_update(props, json_object_get(older, "properties"));
  json_object_update(props, json_object_get(newer, "properties"));
  json_object_update(tags, json_object_get(older, "tags"));
  const char *path;
  json_t *list;
  json_object_foreach(json_object_get(newer, "tags"), path, list) {
    json_object_set_new(tags, path, union_strings(json_object_get(tags, path), list));
  }
  json_t *sens = union_strings(json_object_get(older, "sensitive"), json_object_get(newer, "sensitive"));
  if (json_object_size(tags)) json_object_set(out, "tags", tags);
  if (json_object_size(props)) json_object_set(out, "properties", props);
  if (json_array_size(sens)) json_object_set(out, "sensitive", sens);
  json_decref(props), json_decref(tags), json_decref(sens);
  return out;
}

/* RuleSet.mergeRuleSets, per list: older rules not renamed by newer, then
 * newer's rules. New reference (NULL when both are NULL). */
static json_t *merge_rule_sets(json_t *older, json_t *newer) {
  static const char *const lists[] = {"migrationRules", "domainRules", "encodingRules"};
  if (!json_is_object(older)) return newer ? json_incref(newer) : NULL;
  if (!json_is_object(newer)) return json_incref(older);
  json_t *out = reg__json_or_oom(json_deep_copy(newer));
  for (size_t l = 0; l < 3; l++) {
    json_t *o = json_object_get(older, lists[l]), *n = json_object_get(newer, lists[l]), *rule;
    json_t *merged = reg__json_or_oom(json_array());
    size_t i, j;
    json_array_foreach(o, i, rule) {
      const char *name = json_string_value(json_object_get(rule, "name"));
      bool replaced = false;
      for (j = 0; name && j < json_array_size(n) && !replaced; j++) {
        const char *other = json_string_value(json_object_get(json_array_get(n, j), "name"));
        replaced = other && strcmp(name, other) == 0;
      }
      if (!replaced) json_array_append(merged, rule);
    }
    json_array_extend(merged, n);
    if (json_array_size(merged)) json_object_set(out, lists[l], merged);
    json_decref(merged);
  }
  return out;
}

/* Takes *slot's reference and replaces it with merge(default, *slot, override). */
static void merge_into(json_t **slot, json_t *cfg, const char *dflt, const char *over,
                       json_t *(*merge)(json_t *, json_t *)) {
  json_t *a = merge(json_object_get(cfg, dflt), *slot);
  json_t *b = merge(a, json_object_get(cfg, over));
  json_decref(a);
  json_decref(*slot);
  *slot = b;
}

bool reg__contract_configured(json_t *cfg) {
  return json_object_get(cfg, "defaultMetadata") || json_object_get(cfg, "overrideMetadata") ||
         json_object_get(cfg, "defaultRuleSet") || json_object_get(cfg, "overrideRuleSet");
}

void reg__contract_merge(reg_candidate_t *cand, json_t *cfg, const reg_schema_rec_t *prev) {
  json_t *md = cand->metadata ? cand->metadata : prev ? prev->metadata : NULL;
  json_t *rs = cand->rule_set ? cand->rule_set : prev ? prev->rule_set : NULL;
  md = md ? reg__json_or_oom(json_deep_copy(md)) : NULL;
  rs = rs ? reg__json_or_oom(json_deep_copy(rs)) : NULL;
  merge_into(&md, cfg, "defaultMetadata", "overrideMetadata", merge_metadata);
  merge_into(&rs, cfg, "defaultRuleSet", "overrideRuleSet", merge_rule_sets);
  json_decref(cand->owned_metadata);
  json_decref(cand->owned_rule_set);
  cand->metadata = cand->owned_metadata = md;
  cand->rule_set = cand->owned_rule_set = rs;
}

void reg__contract_set_version(reg_candidate_t *cand, bool requested, int64_t version) {
  json_t *props = json_object_get(cand->metadata, "properties");
  if (!requested && !json_object_get(props, CONFLUENT_VERSION)) return;
  if (!cand->owned_metadata || cand->owned_metadata != cand->metadata) {
    json_t *copy = reg__json_or_oom(cand->metadata ? json_deep_copy(cand->metadata) : json_object());
    json_decref(cand->owned_metadata);
    cand->metadata = cand->owned_metadata = copy;
  }
  props = json_object_get(cand->metadata, "properties");
  if (!json_is_object(props)) {
    props = reg__json_or_oom(json_object());
    json_object_set_new(cand->metadata, "properties", props);
  }
  char text[24];
  snprintf(text, sizeof text, "%lld", (long long)version);
  json_object_set_new(props, CONFLUENT_VERSION, json_string(text));
}

/* ---- equality ignoring confluent:version --------------------------------------- */

/* metadata without the confluent:version property (NULL when nothing is
 * left). New reference. */
static json_t *without_version(json_t *md) {
  if (!json_is_object(md)) return NULL;
  json_t *copy = reg__json_or_oom(json_deep_copy(md));
  json_t *props = json_object_get(copy, "properties");
  json_object_del(props, CONFLUENT_VERSION);
  if (props && !json_object_size(props)) json_object_del(copy, "properties");
  if (json_object_size(copy)) return copy;
  json_decref(copy);
  return NULL;
}

static bool same_json(json_t *a, json_t *b) {
  return (!a && !b) || (a && b && json_equal(a, b));
}

bool reg__contract_same(const reg_schema_rec_t *rec, const reg_candidate_t *cand) {
  size_t len = 0;
  const char *canon = cand->parsed ? sch_schema_canonical(cand->parsed, &len) : NULL;
  json_t *refs = json_array_size(cand->deps.resolved) ? cand->deps.resolved : NULL;
  json_t *rrefs = json_array_size(rec->refs) ? rec->refs : NULL;
  if (!canon || strcmp(rec->type, cand->type) != 0 || rec->text_len != len ||
      memcmp(rec->text, canon, len) != 0 || !same_json(refs, rrefs) ||
      !same_json(cand->rule_set, rec->rule_set))
    return false;
  json_t *a = without_version(cand->metadata), *b = without_version(rec->metadata);
  bool same = same_json(a, b);
  json_decref(a), json_decref(b);
  return same;
}

/* ---- compatibilityGroup ------------------------------------------------------------ */

const char *reg__contract_property(json_t *metadata, const char *key) {
  return key ? json_string_value(json_object_get(json_object_get(metadata, "properties"), key)) : NULL;
}

bool reg__contract_in_group(const reg_schema_rec_t *rec, const char *group, const char *value) {
  if (!group) return true;
  const char *have = reg__contract_property(rec->metadata, group);
  return (!have && !value) || (have && value && strcmp(have, value) == 0);
}

/* ---- confluent:reserved ---------------------------------------------------------------- */

/* Is `name` in the comma-separated list (blanks around items ignored)? */
static bool list_has(const char *list, const char *name, size_t name_len) {
  for (const char *p = list; p && *p;) {
    while (*p == ' ' || *p == ',') p++;
    const char *end = p + strcspn(p, ",");
    const char *last = end;
    while (last > p && last[-1] == ' ') last--;
    if ((size_t)(last - p) == name_len && name_len && memcmp(p, name, name_len) == 0) return true;
    p = end;
  }
  return false;
}

/* Top-level field names of the candidate: Avro record fields, JSON Schema
 * properties (Protobuf is not checked). New array reference or NULL. */
static json_t *top_level_fields(const reg_candidate_t *cand) {
  size_t len = 0;
  const char *canon = sch_schema_canonical(cand->parsed, &len);
  bool avro = strcmp(cand->type, "AVRO") == 0, js = strcmp(cand->type, "JSON") == 0;
  if (!avro && !js) return NULL;
  json_t *doc = json_loadb(canon, len, JSON_DECODE_ANY, NULL), *names = reg__json_or_oom(json_array());
  json_t *f;
  size_t i;
  const char *key;
  if (avro) {
    json_array_foreach(json_object_get(doc, "fields"), i, f) {
      json_t *n = json_object_get(f, "name");
      if (json_is_string(n)) json_array_append(names, n);
    }
  } else {
    json_object_foreach(json_object_get(doc, "properties"), key, f) {
      json_array_append_new(names, json_string(key));
    }
  }
  json_decref(doc);
  return names;
}

/* One reserved name (item, n bytes). With `now` (the new schema's list) it
 * must still be listed there; without, no top-level field may carry it. */
static void check_reserved_item(const char *item, size_t n, const char *now, json_t *fields,
                                sch_messages_t *msgs) {
  if (now && !list_has(now, item, n)) /* only called for the previous version's list */
    sch_messages_addf(
        msgs,
        "{errorType:'RESERVED_FIELD_REMOVED', description:'The new schema has reserved field %.*s "
        "removed from its metadata which is present in the old schema's metadata.'}",
        (int)n, item);
  size_t i;
  json_t *f;
  json_array_foreach(fields, i, f) {
    if (!now && json_string_length(f) == n && memcmp(json_string_value(f), item, n) == 0)
      sch_messages_addf(
          msgs,
          "{errorType:'FIELD_CONFLICTS_WITH_RESERVED_FIELD', description:'The new schema has field "
          "that conflicts with the reserved field %.*s.'}",
          (int)n, item);
  }
}

/* Calls check_reserved_item for each item of list. */
static void each_item(const char *list, const char *now, json_t *fields, sch_messages_t *msgs) {
  for (const char *p = list; p && *p;) {
    while (*p == ' ' || *p == ',') p++;
    const char *end = p + strcspn(p, ",");
    const char *last = end;
    while (last > p && last[-1] == ' ') last--;
    if (last > p) check_reserved_item(p, (size_t)(last - p), now, fields, msgs);
    p = end;
  }
}

void reg__contract_check_reserved(const reg_candidate_t *cand, const reg_schema_rec_t *prev,
                                  sch_messages_t *msgs) {
  const char *now = reg__contract_property(cand->metadata, CONFLUENT_RESERVED);
  const char *before = prev ? reg__contract_property(prev->metadata, CONFLUENT_RESERVED) : NULL;
  if (before) each_item(before, now ? now : "", NULL, msgs);
  if (!now) return;
  json_t *fields = top_level_fields(cand);
  each_item(now, NULL, fields, msgs);
  json_decref(fields);
}
