// SPDX-License-Identifier: Apache-2.0
/* Which registry schema a produced key or value uses, for v2 and v3 alike:
 * by id, by subject version, raw text registered under its subject (found
 * again when already there), or the subject's latest version. Subjects come
 * from an explicit name or the strategy (TopicName, RecordName,
 * TopicRecordName). serde does the registry calls and caching. */
#include <stdio.h>
#include <string.h>

#include "rp_codec.h"

void rp_schema_ref_fini(rp_schema_ref_t *ref) {
  serde_schema_unref(ref->schema);
  ref->schema = NULL;
}

/* The record's full name (Avro record, Protobuf first message), into out;
 * false if the schema has none. */
static bool record_name(const serde_schema_t *schema, char *out, size_t size) {
  const char *name = schema ? serde_schema_record_name(schema) : NULL;
  if (!name) return false;
  int n = snprintf(out, size, "%s", name);
  return n > 0 && (size_t)n < size;
}

static const char *strategy_name(rp_strategy_t st) {
  return st == RP_STRATEGY_RECORD ? "RECORD_NAME" : st == RP_STRATEGY_TOPIC_RECORD ? "TOPIC_RECORD_NAME" : "TOPIC_NAME";
}

/* Fills out->subject from sel (explicit or strategy; schema may be NULL). */
static rp_code_t subject_of(const rp_schema_sel_t *sel, const char *topic, serde_side_t side,
                            const serde_schema_t *schema, rp_schema_ref_t *out, char *msg, size_t msg_size) {
  const char *suffix = side == SERDE_KEY ? "key" : "value";
  char rec[400];
  int n = 0;
  if (sel->subject) {
    n = snprintf(out->subject, sizeof out->subject, "%s", sel->subject);
  } else if (sel->strategy == RP_STRATEGY_TOPIC) {
    n = snprintf(out->subject, sizeof out->subject, "%s-%s", topic, suffix);
  } else if (!schema) {
    snprintf(msg, msg_size, "Cannot use schema_subject_strategy=%s without schema_id or schema.",
             strategy_name(sel->strategy));
    return RP_ERR_BAD_REQUEST;
  } else if (!record_name(schema, rec, sizeof rec)) {
    snprintf(msg, msg_size, "Cannot use schema_subject_strategy=%s with a schema that has no record name.",
             strategy_name(sel->strategy));
    return RP_ERR_BAD_REQUEST;
  } else if (sel->strategy == RP_STRATEGY_RECORD) {
    n = snprintf(out->subject, sizeof out->subject, "%s", rec);
  } else {
    n = snprintf(out->subject, sizeof out->subject, "%s-%s", topic, rec);
  }
  if (n <= 0 || (size_t)n >= sizeof out->subject) {
    snprintf(msg, msg_size, "Subject name is too long.");
    return RP_ERR_BAD_REQUEST;
  }
  return RP_OK;
}

/* The proxy code for a failed registry call. */
static rp_code_t from_serde(const serde_error_t *err, const char *what, char *msg, size_t msg_size) {
  switch (err->code) {
    case SERDE_ERR_UNKNOWN_SCHEMA:
      snprintf(msg, msg_size, "%s not found in the Schema Registry: %s", what, err->message);
      return RP_ERR_INVALID_SCHEMA;
    case SERDE_ERR_SCHEMA_PARSE:
    case SERDE_ERR_REGISTRY_REJECTED:
      snprintf(msg, msg_size, "Invalid schema: %s", err->message);
      return RP_ERR_INVALID_SCHEMA;
    case SERDE_ERR_NOMEM:
      snprintf(msg, msg_size, "Out of memory");
      return RP_ERR_NOMEM;
    default:
      snprintf(msg, msg_size, "Error when contacting the Schema Registry: %s", err->message);
      return RP_ERR_SCHEMA_REGISTRY;
  }
}

/* Fills out->version by looking the schema up under its subject (cached by
 * serde); left -1 when the subject does not hold it. */
static void find_version(rp_t *rp, rp_schema_ref_t *out) {
  serde_error_t err = {0};
  int32_t id = -1;
  int version = -1;
  if (out->version >= 0 || !out->subject[0]) return;
  if (serde_lookup_version(rp->serde, out->subject, out->schema, &id, &version, &err) == SERDE_OK && id == out->id)
    out->version = version;
}

/* A registry schema must be of the request's format (unless sel->any_type);
 * on a mismatch releases it and says so in msg. */
static bool type_fits(rp_format_t fmt, const rp_schema_sel_t *sel, rp_schema_ref_t *out, const char *what, char *msg,
                      size_t msg_size) {
  if (sel->any_type || rp_format_of_schema(out->schema) == fmt) return true;
  snprintf(msg, msg_size, "%s is a %s schema, not %s.", what, serde_schema_type(out->schema), rp_format_name(fmt));
  rp_schema_ref_fini(out);
  return false;
}

rp_code_t rp_schema_resolve(rp_t *rp, rp_format_t fmt, const char *topic, serde_side_t side,
                            const rp_schema_sel_t *sel, rp_schema_ref_t *out, char *msg, size_t msg_size) {
  memset(out, 0, sizeof *out);
  out->id = -1, out->version = -1;
  if (fmt != RP_FMT_AVRO && fmt != RP_FMT_PROTOBUF) {
    snprintf(msg, msg_size,
             "%s records are not supported yet by this REST proxy; use AVRO, PROTOBUF, BINARY, JSON or STRING.",
             rp_format_name(fmt));
    return RP_ERR_BAD_REQUEST;
  }
  if (!rp->serde) {
    snprintf(msg, msg_size, "Schema Registry is not configured (schema.registry.url is empty).");
    return RP_ERR_BAD_REQUEST;
  }
  serde_error_t err = {0};
  rp_code_t rc = RP_OK;
  char what[64];
  if (sel->schema_id >= 0) {
    if (sel->schema_id > INT32_MAX) {
      snprintf(msg, msg_size, "Schema id %lld is out of range.", (long long)sel->schema_id);
      return RP_ERR_UNPROCESSABLE;
    }
    snprintf(what, sizeof what, "Schema %lld", (long long)sel->schema_id);
    out->schema = serde_schema_by_id(rp->serde, (int32_t)sel->schema_id, &err);
    if (!out->schema) return from_serde(&err, what, msg, msg_size);
    if (!type_fits(fmt, sel, out, what, msg, msg_size)) return RP_ERR_UNPROCESSABLE;
    out->id = (int32_t)sel->schema_id;
    if (subject_of(sel, topic, side, out->schema, out, msg, msg_size) != RP_OK) out->subject[0] = '\0';
    find_version(rp, out);
    return RP_OK;
  }
  if (sel->schema_text) {
    out->schema = serde_schema_new(rp->serde, rp_format_name(fmt), sel->schema_text, strlen(sel->schema_text), &err);
    if (!out->schema) return from_serde(&err, "Schema", msg, msg_size);
    rc = subject_of(sel, topic, side, out->schema, out, msg, msg_size);
    if (rc == RP_OK && serde_register(rp->serde, out->subject, out->schema, &out->id, &err) != SERDE_OK)
      rc = from_serde(&err, "Schema", msg, msg_size);
  } else {
    rc = subject_of(sel, topic, side, NULL, out, msg, msg_size);
    if (rc != RP_OK) return rc;
    int version = -1;
    if (sel->schema_version >= 0) {
      if (sel->schema_version < 1 || sel->schema_version > INT32_MAX) {
        snprintf(msg, msg_size, "Schema version %lld is out of range.", (long long)sel->schema_version);
        return RP_ERR_UNPROCESSABLE;
      }
      snprintf(what, sizeof what, "Schema version %lld", (long long)sel->schema_version);
      out->schema = serde_schema_version(rp->serde, out->subject, (int)sel->schema_version, &version, &err);
    } else {
      snprintf(what, sizeof what, "Latest schema of subject");
      out->schema = serde_schema_latest(rp->serde, out->subject, &err);
    }
    if (!out->schema) return from_serde(&err, what, msg, msg_size);
    if (!type_fits(fmt, sel, out, what, msg, msg_size)) return RP_ERR_UNPROCESSABLE;
    out->id = serde_schema_id(out->schema);
    out->version = version;
  }
  if (rc != RP_OK) {
    rp_schema_ref_fini(out);
  } else {
    find_version(rp, out);
  }
  return rc;
}
