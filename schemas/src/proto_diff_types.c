// SPDX-License-Identifier: Apache-2.0
/* One level of the Protobuf diff: the messages and enums declared at a
 * file's top level or inside a message (Confluent's
 * SchemaDiff.compareTypeElements). Types are matched by simple name: a
 * message only on one side is MESSAGE_ADDED/REMOVED, a message on both is
 * compared and, if its position among the level's messages changed,
 * MESSAGE_MOVED; enums likewise with ENUM_ADDED/REMOVED. Map-entry and group
 * messages are not types here, as in the .proto text Confluent parses.
 * Comparing the matched types is the business of proto_diff_message.c and
 * proto_diff_enum.c. */
#include <stdlib.h>

#include "proto_diff_int.h"
#include "proto_resolve_int.h"

static bool group_of(const sch_pb_field_t *f, const sch_pb_message_t *m) {
  return f->type == SCH_PB_GROUP && f->message == m;
}

bool sch__pb_diff_hidden_message(const sch_pb_message_t *m, const sch_pb_message_t *parent) {
  if (m->map_entry) return true;
  for (size_t i = 0; parent && i < parent->n_fields; i++) {
    if (group_of(&parent->fields[i], m)) return true;
  }
  /* Groups declared in `extend` blocks sit beside the extend, at any level. */
  size_t n = 0;
  const sch__pb_extension_t *ext = m->file ? sch__pb_file_extensions(m->file, &n) : NULL;
  for (size_t i = 0; i < n; i++) {
    if (group_of(&ext[i].field, m)) return true;
  }
  return false;
}

/* The level's visible messages in declaration order (their index is their
 * position here, as Confluent counts it) with their names as keys. */
typedef struct level_messages {
  const sch_pb_message_t **items;
  sch__pb_key_t *keys;
  size_t n;
} level_messages_t;

static bool level_messages_init(level_messages_t *l, const sch__pb_types_t *t) {
  size_t cap = t->n_messages ? t->n_messages : 1;
  l->n = 0;
  l->items = malloc(cap * sizeof *l->items);
  l->keys = malloc(cap * sizeof *l->keys);
  if (!l->items || !l->keys) return false;
  for (size_t i = 0; i < t->n_messages; i++) {
    const sch_pb_message_t *m = t->messages[i];
    if (sch__pb_diff_hidden_message(m, t->parent)) continue;
    l->items[l->n] = m;
    l->keys[l->n++] = (sch__pb_key_t){m->name, 0};
  }
  return true;
}

static void level_messages_fini(level_messages_t *l) {
  free(l->items);
  free(l->keys);
}

static void compare_messages(sch__pb_diff_ctx_t *ctx, const sch__pb_types_t *original,
                             const sch__pb_types_t *update) {
  level_messages_t o = {0}, u = {0};
  sch__pb_pair_t *pairs = NULL;
  size_t n = 0;
  if (!level_messages_init(&o, original) || !level_messages_init(&u, update) ||
      !(pairs = sch__pb_java_union(o.keys, o.n, u.keys, u.n, &n))) {
    ctx->oom = true;
    goto out;
  }
  for (size_t i = 0; i < n && !ctx->oom; i++) {
    size_t oi = pairs[i].original, ui = pairs[i].update;
    size_t mark = sch__pb_diff_enter(ctx, oi != SCH__PB_NONE ? o.items[oi]->name : u.items[ui]->name);
    if (ui == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_MESSAGE_REMOVED);
    } else if (oi == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_MESSAGE_ADDED);
    } else {
      sch__pb_diff_message(ctx, o.items[oi], u.items[ui]);
      /* Message indexes are relative to the schema of each id, so moving a
       * message is compatible; it is still reported. */
      if (oi != ui) sch__pb_diff_add(ctx, SCH__PB_MESSAGE_MOVED);
    }
    sch__pb_diff_leave(ctx, mark);
  }
out:
  free(pairs);
  level_messages_fini(&o);
  level_messages_fini(&u);
}

static sch__pb_key_t *enum_keys(const sch__pb_types_t *t) {
  sch__pb_key_t *keys = malloc((t->n_enums ? t->n_enums : 1) * sizeof *keys);
  for (size_t i = 0; keys && i < t->n_enums; i++) keys[i] = (sch__pb_key_t){t->enums[i]->name, 0};
  return keys;
}

static void compare_enums(sch__pb_diff_ctx_t *ctx, const sch__pb_types_t *original,
                          const sch__pb_types_t *update) {
  sch__pb_key_t *o = enum_keys(original), *u = enum_keys(update);
  sch__pb_pair_t *pairs = NULL;
  size_t n = 0;
  if (!o || !u || !(pairs = sch__pb_java_union(o, original->n_enums, u, update->n_enums, &n))) {
    ctx->oom = true;
    goto out;
  }
  for (size_t i = 0; i < n && !ctx->oom; i++) {
    size_t oi = pairs[i].original, ui = pairs[i].update;
    size_t mark = sch__pb_diff_enter(ctx, oi != SCH__PB_NONE ? o[oi].name : u[ui].name);
    if (ui == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_ENUM_REMOVED);
    } else if (oi == SCH__PB_NONE) {
      sch__pb_diff_add(ctx, SCH__PB_ENUM_ADDED);
    } else {
      sch__pb_diff_enum(ctx, original->enums[oi], update->enums[ui]);
    }
    sch__pb_diff_leave(ctx, mark);
  }
out:
  free(pairs);
  free(o);
  free(u);
}

void sch__pb_diff_types(sch__pb_diff_ctx_t *ctx, const sch__pb_types_t *original,
                        const sch__pb_types_t *update) {
  compare_messages(ctx, original, update);
  compare_enums(ctx, original, update);
}
