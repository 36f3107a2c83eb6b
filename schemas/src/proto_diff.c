// SPDX-License-Identifier: Apache-2.0
/* The entry point of the Protobuf compatibility diff (Confluent's
 * SchemaDiff.compare, schema-registry.md §6.2) and the walk's context: the
 * path differences are reported at, the change list, the messages whose
 * comparison is under way, and the sub-comparison Confluent runs for message
 * types of other files. What is compared lives in proto_diff_types.c,
 * proto_diff_message.c, proto_diff_field.c and proto_diff_enum.c (and
 * whether imported types need comparing in proto_diff_files.c); the
 * reporting order of hash sets in proto_diff_order.c; wording in
 * proto_diff_describe.c. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"

static const struct {
  const char *name;
  bool compatible;
} diff_types[SCH__PB_DIFF_TYPE_COUNT] = {
#define SCH__PB_DIFF_ROW(name, ok, text) {#name, ok},
    SCH__PB_DIFF_TYPES(SCH__PB_DIFF_ROW)
#undef SCH__PB_DIFF_ROW
};

/* ---- changes --------------------------------------------------------------- */

void sch__pb_diff_add(sch__pb_diff_ctx_t *ctx, sch__pb_diff_type_t type) {
  sch_pb_changes_t *c = ctx->out;
  if (ctx->oom || ctx->path.oom) {
    ctx->oom = true;
    return;
  }
  if (c->count == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 8;
    sch_pb_change_t *items = realloc(c->items, cap * sizeof *items);
    if (!items) {
      ctx->oom = true;
      return;
    }
    c->items = items;
    c->cap = cap;
  }
  const char *path = ctx->path.len ? ctx->path.data : "";
  char *text = malloc(strlen(path) + 3);
  if (!text) {
    ctx->oom = true;
    return;
  }
  snprintf(text, strlen(path) + 3, "#/%s", path);
  c->items[c->count++] = (sch_pb_change_t){diff_types[type].name, text, diff_types[type].compatible};
}

void sch_pb_changes_fini(sch_pb_changes_t *changes) {
  if (!changes) return;
  for (size_t i = 0; i < changes->count; i++) free(changes->items[i].path);
  free(changes->items);
  *changes = (sch_pb_changes_t){0};
}

/* ---- path ------------------------------------------------------------------ */

size_t sch__pb_diff_enter(sch__pb_diff_ctx_t *ctx, const char *segment) {
  size_t mark = ctx->path.len;
  if (mark) sch__buf_putc(&ctx->path, '/');
  sch__buf_puts(&ctx->path, segment);
  return mark;
}

size_t sch__pb_diff_enter_tag(sch__pb_diff_ctx_t *ctx, int32_t tag) {
  char text[16];
  snprintf(text, sizeof text, "%d", (int)tag);
  return sch__pb_diff_enter(ctx, text);
}

void sch__pb_diff_leave(sch__pb_diff_ctx_t *ctx, size_t mark) {
  if (ctx->path.oom || mark >= ctx->path.len) return;
  ctx->path.len = mark;
  ctx->path.data[mark] = '\0';
}

/* ---- messages under comparison ------------------------------------------------ */

bool sch__pb_diff_activate(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *m) {
  for (size_t i = 0; i < ctx->n_active; i++) {
    if (ctx->active[i] == m) return false;
  }
  if (ctx->n_active == ctx->cap_active) {
    size_t cap = ctx->cap_active ? ctx->cap_active * 2 : 16;
    const sch_pb_message_t **active = realloc(ctx->active, cap * sizeof *active);
    if (!active) {
      ctx->oom = true;
      return false;
    }
    ctx->active = active;
    ctx->cap_active = cap;
  }
  ctx->active[ctx->n_active++] = m;
  return true;
}

void sch__pb_diff_deactivate(sch__pb_diff_ctx_t *ctx) {
  assert(ctx->n_active > 0);
  ctx->n_active--;
}

/* ---- sub-comparison ---------------------------------------------------------- */

bool sch__pb_diff_subcompare(sch__pb_diff_ctx_t *ctx, const char *local_name,
                             const sch_pb_message_t *original, const sch_pb_message_t *update) {
  if (ctx->sub_depth >= SCH__PB_DIFF_MAX_SUBCOMPARE) return true;
  char *saved = ctx->path.len ? strdup(ctx->path.data) : NULL;
  if (ctx->path.len && !saved) {
    ctx->oom = true;
    return false;
  }
  size_t first = ctx->out->count;
  sch__pb_diff_leave(ctx, 0);
  /* Context.setFullName: the path restarts at the type's dotted local name. */
  for (const char *p = local_name; *p; p++) sch__buf_putc(&ctx->path, *p == '.' ? '/' : *p);
  ctx->sub_depth++;
  sch__pb_diff_message(ctx, original, update);
  ctx->sub_depth--;
  sch__pb_diff_leave(ctx, 0);
  if (saved) sch__buf_puts(&ctx->path, saved);
  free(saved);
  bool incompatible = false;
  for (size_t i = first; i < ctx->out->count; i++) incompatible |= !ctx->out->items[i].compatible;
  return incompatible;
}

/* ---- entry point -------------------------------------------------------------- */

static sch__pb_types_t file_types(const sch_pb_file_t *f) {
  return (sch__pb_types_t){f->messages, f->n_messages, f->enums, f->n_enums, NULL};
}

static bool same_package(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

sch_code_t sch_pb_diff(const sch_pb_schema_t *original, const sch_pb_schema_t *update, sch_pb_changes_t *out,
                       sch_error_t *err) {
  *out = (sch_pb_changes_t){0};
  sch__pb_diff_ctx_t ctx = {
      .out = out, .original_file = sch_pb_schema_file(original), .update_file = sch_pb_schema_file(update)};
  if (!same_package(ctx.original_file->package, ctx.update_file->package)) {
    sch__pb_diff_add(&ctx, SCH__PB_PACKAGE_CHANGED);
  }
  sch__pb_types_t o = file_types(ctx.original_file), u = file_types(ctx.update_file);
  sch__pb_diff_types(&ctx, &o, &u);
  bool oom = ctx.oom || ctx.path.oom;
  sch__buf_fini(&ctx.path);
  free(ctx.active);
  free(ctx.same_files);
  if (oom) {
    sch_pb_changes_fini(out);
    return sch__error_set(err, SCH_ERR_NOMEM, "out of memory comparing protobuf schemas");
  }
  return SCH_OK;
}
