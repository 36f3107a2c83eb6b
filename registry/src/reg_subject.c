// SPDX-License-Identifier: Apache-2.0
/* Qualified subject names (§5.9): splitting ":.ctx:name" into context and
 * name, building the canonical qualified key, subject validation for
 * registration (§5.2 step 1, limit REG_SUBJECT_MAX_BYTES) and subjectPrefix
 * filters (":*:" = every context). Pure string work: no index, no lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg_service_int.h"

char *reg__qualify(const char *ctx, const char *name) {
  if (strcmp(ctx, REG_CTX_DEFAULT) == 0) return strdup(name);
  size_t n = strlen(ctx) + strlen(name) + 3;
  char *q = malloc(n);
  if (q) snprintf(q, n, ":%s:%s", ctx, name);
  return q;
}

char *reg__ctx_key(const char *ctx) { return reg__qualify(ctx, ""); }

reg_code_t reg__qsub_parse(const char *subject, reg_qsub_t *out, reg_error_t *err) {
  memset(out, 0, sizeof *out);
  const char *ctx = REG_CTX_DEFAULT, *name = subject;
  size_t ctx_len = 1;
  if (subject[0] == ':' && subject[1] == '.') {
    const char *colon = strchr(subject + 1, ':');
    ctx = subject + 1;
    ctx_len = colon ? (size_t)(colon - ctx) : strlen(ctx);
    name = colon ? colon + 1 : "";
  }
  out->ctx = strndup(ctx, ctx_len);
  out->name = strdup(name);
  out->qname = out->ctx && out->name ? reg__qualify(out->ctx, out->name) : NULL;
  if (!out->qname) {
    reg__qsub_fini(out);
    return reg_error_set(err, REG_ERR_NOMEM, "out of memory");
  }
  return REG_OK;
}

void reg__qsub_fini(reg_qsub_t *q) {
  if (!q) return;
  free(q->ctx);
  free(q->name);
  free(q->qname);
  memset(q, 0, sizeof *q);
}

/* ISO control characters: C0, DEL and (UTF-8 encoded) C1. */
static bool has_control(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) return true;
    if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) return true;
  }
  return false;
}

reg_code_t reg__subject_validate(const char *raw, const reg_qsub_t *q, reg_error_t *err) {
  bool bad = strlen(raw) > REG_SUBJECT_MAX_BYTES || has_control(raw) || strcmp(q->name, "__GLOBAL") == 0 ||
             strcmp(q->name, "__EMPTY") == 0 || strcmp(q->ctx, REG_CTX_GLOBAL) == 0;
  json_t *utf8 = bad ? NULL : json_string(raw); /* NULL unless valid UTF-8 */
  bad = bad || !utf8;
  json_decref(utf8);
  if (!bad) return REG_OK;
  return reg_error_set(err, REG_ERR_INVALID_SUBJECT, "The specified subject '%.*s' is not a valid.", 1200, raw);
}

bool reg__prefix_match(const reg_subject_t *subj, const char *prefix) {
  if (!prefix) return true;
  if (strncmp(prefix, ":*:", 3) == 0) return strncmp(subj->name, prefix + 3, strlen(prefix + 3)) == 0;
  reg_qsub_t q;
  if (reg__qsub_parse(prefix, &q, NULL) != REG_OK) return false;
  bool match = strcmp(q.ctx, subj->ctx->name) == 0 && strncmp(subj->name, q.name, strlen(q.name)) == 0;
  reg__qsub_fini(&q);
  return match;
}
