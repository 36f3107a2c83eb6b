// SPDX-License-Identifier: Apache-2.0
/* The format-neutral compatibility driver for Confluent's seven levels
 * (CompatibilityChecker + SchemaValidatorBuilder): which previous versions are
 * compared, in which direction, and the messages Confluent appends after a
 * failing version. The reader/writer rules themselves belong to each format. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sch_int.h"

#define OLD_SCHEMA_MAX 10240

static const char *const level_names[] = {
    [SCH_COMPAT_NONE] = "NONE",
    [SCH_COMPAT_BACKWARD] = "BACKWARD",
    [SCH_COMPAT_BACKWARD_TRANSITIVE] = "BACKWARD_TRANSITIVE",
    [SCH_COMPAT_FORWARD] = "FORWARD",
    [SCH_COMPAT_FORWARD_TRANSITIVE] = "FORWARD_TRANSITIVE",
    [SCH_COMPAT_FULL] = "FULL",
    [SCH_COMPAT_FULL_TRANSITIVE] = "FULL_TRANSITIVE",
};

const char *sch_compat_level_name(sch_compat_level_t level) {
  if ((size_t)level >= sizeof level_names / sizeof level_names[0]) {
    return NULL;
  }
  return level_names[level];
}

int sch_compat_level_parse(const char *text, sch_compat_level_t *out) {
  for (size_t i = 0; text && i < sizeof level_names / sizeof level_names[0]; i++) {
    if (strcasecmp(text, level_names[i]) == 0) {
      *out = (sch_compat_level_t)i;
      return 0;
    }
  }
  return -1;
}

/* One direction: Java's isBackwardCompatible plus formatErrorMessages. */
typedef struct direction {
  const sch_schema_t *reader, *writer, *existing;
  const char *reader_role, *writer_role;
  int version;
  bool append_schema;
} direction_t;

static sch_code_t append_old_schema(const direction_t *d, sch_messages_t *msgs) {
  sch_code_t code = SCH_OK;
  if (d->version > 0) {
    code = sch_messages_addf(msgs, "{oldSchemaVersion: %d}", d->version);
  }
  const char *text = d->existing->canonical ? d->existing->canonical : "";
  size_t len = strlen(text);
  if (code == SCH_OK && len <= OLD_SCHEMA_MAX) {
    code = sch_messages_addf(msgs, "{oldSchema: '%s'}", text);
  } else if (code == SCH_OK) {
    size_t cut = OLD_SCHEMA_MAX;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) {
      cut--; /* never split a UTF-8 sequence */
    }
    code = sch_messages_addf(msgs, "{oldSchema: <truncated to %d characters> '%.*s'}", OLD_SCHEMA_MAX, (int)cut,
                             text);
  }
  return code;
}

static sch_code_t run_direction(const direction_t *d, bool *ok, sch_messages_t *msgs, sch_error_t *err) {
  size_t before = msgs ? msgs->count : 0;
  sch_code_t code = SCH_OK;
  if (d->reader->format != d->writer->format) {
    *ok = false;
    code = msgs ? sch_messages_addf(msgs, "Incompatible because of different schema type") : SCH_OK;
  } else if (d->reader->format->can_read_pair) {
    sch_compat_pair_t pair = {d->reader, d->writer, d->reader_role, d->writer_role};
    code = d->reader->format->can_read_pair(&pair, ok, msgs, err);
  } else {
    code = d->reader->format->can_read(d->reader, d->writer, ok, msgs, err);
  }
  if (code == SCH_OK && msgs && d->append_schema && msgs->count > before) {
    code = append_old_schema(d, msgs);
  }
  if (code != SCH_OK && err && err->code != code) {
    sch__error_set(err, code, "%s", sch_code_name(code));
  }
  return code;
}

static bool is_forward(sch_compat_level_t l) {
  return l == SCH_COMPAT_FORWARD || l == SCH_COMPAT_FORWARD_TRANSITIVE;
}

static bool is_full(sch_compat_level_t l) { return l == SCH_COMPAT_FULL || l == SCH_COMPAT_FULL_TRANSITIVE; }

/* canRead / canBeRead / mutualRead strategies against one existing version. */
static sch_code_t check_one(sch_compat_level_t level, const sch_schema_t *candidate, const sch_compat_prev_t *prev,
                            bool *ok, sch_messages_t *msgs, sch_error_t *err) {
  direction_t fwd = {prev->schema, candidate, prev->schema, "old", "new", prev->version, !is_full(level)};
  direction_t back = {candidate, prev->schema, prev->schema, "new", "old", prev->version, true};
  bool ok_fwd = true, ok_back = true;
  sch_code_t code = SCH_OK;
  if (is_forward(level) || is_full(level)) {
    code = run_direction(&fwd, &ok_fwd, msgs, err);
  }
  if (code == SCH_OK && !is_forward(level)) {
    code = run_direction(&back, &ok_back, msgs, err);
  }
  *ok = ok_fwd && ok_back;
  return code;
}

sch_code_t sch_compat_check(sch_compat_level_t level, const sch_schema_t *candidate, const sch_compat_prev_t *prev,
                            size_t n, bool *compatible, sch_messages_t *msgs, sch_error_t *err) {
  *compatible = true;
  if (level == SCH_COMPAT_NONE || n == 0) {
    return SCH_OK;
  }
  bool transitive = level == SCH_COMPAT_BACKWARD_TRANSITIVE || level == SCH_COMPAT_FORWARD_TRANSITIVE ||
                    level == SCH_COMPAT_FULL_TRANSITIVE;
  size_t stop = transitive ? 0 : n - 1;
  for (size_t i = n; i-- > stop;) {
    bool ok = true;
    sch_code_t code = check_one(level, candidate, &prev[i], &ok, msgs, err);
    if (code != SCH_OK) {
      return code;
    }
    if (!ok) {
      *compatible = false;
      return SCH_OK;
    }
  }
  return SCH_OK;
}
