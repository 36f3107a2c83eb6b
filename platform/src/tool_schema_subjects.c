// SPDX-License-Identifier: Apache-2.0
/* The `weir schema` subcommands that manage subjects rather than carry
 * schema text: list (GET /subjects, GET /subjects/{s}/versions), delete
 * (DELETE /subjects/{s}[/versions/{v}], soft then ?permanent=true) and
 * config (GET or PUT /config[/{s}]). Each prints the registry's answer one
 * item per line. Schema text is tool_schema_schemas.c's business. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "platform/tools.h"
#include "tool_schema.h"

/* Prints a list answer (subject names or version numbers) one per line. */
static int items_print(const weir_ts_reply_t *reply, size_t *count) {
  if (json_is_integer(reply->json)) { /* DELETE of one version answers its number */
    printf("%lld\n", (long long)json_integer_value(reply->json));
    *count = 1;
    return WEIR_EXIT_OK;
  }
  if (!json_is_array(reply->json))
    return weir_ts_failed("%s: the registry's answer is not a list", reply->what);
  size_t i;
  const json_t *item;
  json_array_foreach(reply->json, i, item) {
    if (json_is_string(item))
      puts(json_string_value(item));
    else if (json_is_integer(item))
      printf("%lld\n", (long long)json_integer_value(item));
    else
      return weir_ts_failed("%s: item %zu of the registry's answer is neither a name nor a number",
                            reply->what, i);
  }
  *count = json_array_size(reply->json);
  return WEIR_EXIT_OK;
}

int weir_ts_list(weir_ts_t *ts) {
  const char *deleted = ts->opt->deleted ? "?deleted=true" : "";
  char suffix[32];
  snprintf(suffix, sizeof suffix, "/versions%s", deleted);
  weir_ts_req_t req = {"GET", "/subjects", NULL, deleted, NULL};
  if (ts->subject) req = (weir_ts_req_t){"GET", "/subjects/", ts->subject, suffix, NULL};
  weir_ts_reply_t reply;
  size_t count = 0;
  int rc = weir_ts_call(ts->reg, &req, &reply);
  rc = rc == WEIR_EXIT_OK ? items_print(&reply, &count) : weir_ts_report(&reply, rc);
  weir_ts_reply_fini(&reply);
  return rc;
}

/* DELETE /subjects/{s} or /subjects/{s}/versions/{version}, soft or hard. */
static int delete_send(const weir_ts_t *ts, const char *version, bool permanent, weir_ts_reply_t *reply) {
  char suffix[64];
  snprintf(suffix, sizeof suffix, "%s%s%s", version ? "/versions/" : "", version ? version : "",
           permanent ? "?permanent=true" : "");
  weir_ts_req_t req = {"DELETE", "/subjects/", ts->subject, suffix, NULL};
  return weir_ts_call(ts->reg, &req, reply);
}

/* The registry hard-deletes only what was soft-deleted before (40405,
 * 40407 otherwise), so --permanent soft-deletes first; an answer that it was
 * soft-deleted already (40404 subject, 40406 version) is fine. "latest" is
 * pinned to the number the soft delete answered: afterwards latest would
 * name the version before it. */
int weir_ts_delete(weir_ts_t *ts) {
  weir_ts_reply_t reply;
  const char *version = ts->version;
  char number[24];
  int rc = delete_send(ts, version, false, &reply);
  if (ts->opt->permanent) {
    bool soft_before = rc != WEIR_EXIT_OK && (reply.error_code == 40404 || reply.error_code == 40406);
    if (rc == WEIR_EXIT_OK && version && json_is_integer(reply.json)) {
      snprintf(number, sizeof number, "%lld", (long long)json_integer_value(reply.json));
      version = number;
    }
    if (rc == WEIR_EXIT_OK || soft_before) {
      weir_ts_reply_fini(&reply);
      rc = delete_send(ts, version, true, &reply);
    }
  }
  size_t count = 0;
  rc = rc == WEIR_EXIT_OK ? items_print(&reply, &count) : weir_ts_report(&reply, rc);
  if (rc == WEIR_EXIT_OK)
    fprintf(stderr, "%s %zu version%s of %s\n", ts->opt->permanent ? "permanently deleted" : "soft-deleted",
            count, count == 1 ? "" : "s", ts->subject);
  weir_ts_reply_fini(&reply);
  return rc;
}

/* GET answers {"compatibilityLevel": L}; PUT echoes the request,
 * {"compatibility": L}. Either key is read from either answer. */
int weir_ts_config(weir_ts_t *ts) {
  json_t *body = ts->compatibility ? json_pack("{s:s}", "compatibility", ts->compatibility) : NULL;
  if (ts->compatibility && !body) return weir_ts_failed("out of memory");
  weir_ts_req_t req = {ts->compatibility ? "PUT" : "GET", ts->subject ? "/config/" : "/config", ts->subject,
                       ts->subject && !ts->compatibility ? "?defaultToGlobal=true" : "", body};
  weir_ts_reply_t reply;
  int rc = weir_ts_call(ts->reg, &req, &reply);
  if (rc == WEIR_EXIT_OK) {
    const char *level = json_string_value(json_object_get(reply.json, "compatibilityLevel"));
    if (!level) level = json_string_value(json_object_get(reply.json, "compatibility"));
    if (level)
      puts(level);
    else
      rc = weir_ts_failed("%s: the registry's answer has no compatibility level", reply.what);
  } else {
    rc = weir_ts_report(&reply, rc);
  }
  weir_ts_reply_fini(&reply);
  json_decref(body);
  return rc;
}
