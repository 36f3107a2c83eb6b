// SPDX-License-Identifier: Apache-2.0
/* Which message-typed fields of the Protobuf diff need a sub-comparison of
 * the referenced types. Confluent skips it when both types come from the
 * same registered file: both from the compared schemas themselves, or from
 * the same subject and version. weir's resolved files carry no subject or
 * version, so "the same file" is decided by content: the same .proto text
 * (printed from the syntax tree, so comments and layout do not count) with
 * the same imports, recursively. Skipping identical files changes nothing
 * in the result (they would compare clean) but avoids walking big shared
 * dependencies type by type on every field that uses them. Answers are
 * cached per pair of files for one diff. */
#include <stdlib.h>
#include <string.h>

#include "proto_diff_int.h"

static bool same_text(const sch_pb_file_t *a, const sch_pb_file_t *b, bool *oom) {
  if (!a->ast || !b->ast) return false;
  size_t la = 0, lb = 0;
  char *ta = sch_proto_print(a->ast, &la, NULL), *tb = sch_proto_print(b->ast, &lb, NULL);
  bool same = ta && tb && la == lb && memcmp(ta, tb, la) == 0;
  *oom = !ta || !tb;
  free(ta);
  free(tb);
  return same;
}

static bool cache_find(const sch__pb_diff_ctx_t *ctx, const sch_pb_file_t *a, const sch_pb_file_t *b,
                       bool *same) {
  for (size_t i = 0; i < ctx->n_same_files; i++) {
    if (ctx->same_files[i].original == a && ctx->same_files[i].update == b) {
      *same = ctx->same_files[i].same;
      return true;
    }
  }
  return false;
}

static void cache_add(sch__pb_diff_ctx_t *ctx, const sch_pb_file_t *a, const sch_pb_file_t *b, bool same) {
  if (ctx->n_same_files == ctx->cap_same_files) {
    size_t cap = ctx->cap_same_files ? ctx->cap_same_files * 2 : 8;
    sch__pb_same_file_t *v = realloc(ctx->same_files, cap * sizeof *v);
    if (!v) {
      ctx->oom = true;
      return;
    }
    ctx->same_files = v;
    ctx->cap_same_files = cap;
  }
  ctx->same_files[ctx->n_same_files++] = (sch__pb_same_file_t){a, b, same};
}

/* Same content and same imports, recursively (imports form no cycles). */
static bool same_file(sch__pb_diff_ctx_t *ctx, const sch_pb_file_t *a, const sch_pb_file_t *b) {
  bool same = false;
  if (a == b) return true;
  if (cache_find(ctx, a, b, &same)) return same;
  if (a->builtin && b->builtin) {
    same = strcmp(a->path, b->path) == 0;
  } else if (a->n_deps == b->n_deps) {
    bool oom = false;
    same = same_text(a, b, &oom);
    ctx->oom |= oom;
    for (size_t i = 0; same && i < a->n_deps; i++) same = same_file(ctx, a->deps[i], b->deps[i]);
  }
  cache_add(ctx, a, b, same);
  return same;
}

bool sch__pb_diff_same_source(sch__pb_diff_ctx_t *ctx, const sch_pb_message_t *original,
                              const sch_pb_message_t *update) {
  const sch_pb_file_t *a = original->file, *b = update->file;
  if (!a || !b) return false;
  if (a == ctx->original_file && b == ctx->update_file) return true;
  if (a == ctx->original_file || b == ctx->update_file) return false;
  return same_file(ctx, a, b);
}
