// SPDX-License-Identifier: Apache-2.0
/* The group APIs that only read or drop whole groups: FindCoordinator
 * (key 10, v0-2), DescribeGroups (15, v0-4), ListGroups (16, v0-2) and
 * DeleteGroups (42, v0-1) (shared/spec/kafka-broker.md §1.6.6, §4). Groups
 * that only have committed offsets (brk_offsets) show as Empty. Membership
 * changes are the coordinator's (brk_group_*.c). */
#include <stdlib.h>
#include <string.h>

#include "brk_group_int.h"

#define AUTHORIZED_OPS_OMITTED INT32_MIN /* DescribeGroups v3+ when not computed */

int brk__api_find_coordinator(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  int16_t v = h->api_version;
  brk_read_string(r); /* Key: every group and transactional id lives here */
  int8_t key_type = v >= 1 ? brk_read_i8(r) : 0;
  if (!brk_reader_ok(r)) return -1;
  bool ok = key_type == 0 || key_type == 1;
  if (v >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)(ok ? BRK_KERR_NONE : BRK_KERR_INVALID_REQUEST));
  if (v >= 1) brk_write_string(w, NULL); /* ErrorMessage */
  brk_write_i32(w, ok ? b->cfg.node_id : -1);
  brk_write_string(w, ok ? b->advertised_host : "");
  brk_write_i32(w, ok ? b->port : -1);
  return 0;
}

static void write_member(brk_writer_t *w, int16_t v, const brk_group_t *g, const brk_gmember_t *m) {
  bool stable = g->state == BRK_GSTATE_STABLE;
  const brk_gproto_t *p = stable ? brk__gmember_proto(m, g->protocol) : NULL;
  brk_write_string(w, m->id);
  if (v >= 4) brk_write_string(w, m->instance_id);
  brk_write_string(w, m->client_id);
  brk_write_string(w, m->client_host);
  brk_write_bytes(w, p ? p->meta : NULL, p ? p->meta_len : 0);
  brk_write_bytes(w, stable ? m->assignment : NULL, stable && m->assignment ? m->assignment_len : 0);
}

static void describe_one(brk_broker_t *b, int16_t v, brk_writer_t *w, const char *id) {
  brk_group_t *g = id[0] ? brk__group_find(b->groups, id) : NULL;
  const char *state = "Dead";
  if (g)
    state = brk__group_state_name(g->state);
  else if (id[0] && b->offsets && brk_offsets_has_group(b->offsets, id))
    state = "Empty";
  brk_write_i16(w, (int16_t)(id[0] ? BRK_KERR_NONE : BRK_KERR_INVALID_GROUP_ID));
  brk_write_string(w, id);
  brk_write_string(w, state);
  brk_write_string(w, g && g->protocol_type ? g->protocol_type : "");
  brk_write_string(w, g && g->state == BRK_GSTATE_STABLE && g->protocol ? g->protocol : "");
  brk_write_i32(w, g ? (int32_t)g->n_members : 0);
  for (size_t i = 0; g && i < g->n_members; i++) write_member(w, v, g, g->members[i]);
  if (v >= 3) brk_write_i32(w, AUTHORIZED_OPS_OMITTED);
}

int brk__api_describe_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  int16_t v = h->api_version;
  int32_t n = brk_read_array_len(r, 2);
  if (!brk_reader_ok(r)) return -1;
  brk_slice_t *ids = calloc(n > 0 ? (size_t)n : 1, sizeof *ids);
  if (!ids) return -1;
  for (int32_t i = 0; i < n; i++) ids[i] = brk_read_string(r);
  if (v >= 3) brk_read_i8(r); /* IncludeAuthorizedOperations */
  int rc = brk_reader_ok(r) ? 0 : -1;
  if (v >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n);
  for (int32_t i = 0; rc == 0 && i < n; i++) {
    char *id = brk__gstr(ids[i]);
    if (!id)
      rc = -1;
    else
      describe_one(b, v, w, id);
    free(id);
  }
  free(ids);
  return rc;
}

typedef struct list_ctx {
  brk_broker_t *b;
  brk_writer_t *w;
  int32_t n;
} list_ctx_t;

static void list_offsets_group(void *arg, const char *group) {
  list_ctx_t *lc = arg;
  brk_group_t *g = brk__group_find(lc->b->groups, group);
  if (g && g->state != BRK_GSTATE_DEAD) return; /* listed with its members */
  brk_write_string(lc->w, group);
  brk_write_string(lc->w, "");
  lc->n++;
}

int brk__api_list_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)r;
  if (h->api_version >= 1) brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i16(w, (int16_t)BRK_KERR_NONE);
  size_t count_pos = brk_write_placeholder_i32(w);
  list_ctx_t lc = {b, w, 0};
  for (brk_group_t *g = b->groups->head; g; g = g->next) {
    if (g->state == BRK_GSTATE_DEAD) continue;
    brk_write_string(w, g->id);
    brk_write_string(w, g->protocol_type ? g->protocol_type : "");
    lc.n++;
  }
  if (b->offsets) brk_offsets_foreach_group(b->offsets, list_offsets_group, &lc);
  brk_writer_patch_i32(w, count_pos, lc.n);
  return 0;
}

static brk_kerr_t delete_one(brk_broker_t *b, const char *id) {
  if (!id[0]) return BRK_KERR_INVALID_GROUP_ID;
  brk_group_t *g = brk__group_find(b->groups, id);
  bool has_offsets = b->offsets && brk_offsets_has_group(b->offsets, id);
  if (g && (g->n_members > 0 || g->state != BRK_GSTATE_EMPTY)) return BRK_KERR_NON_EMPTY_GROUP;
  if (!g && !has_offsets) return BRK_KERR_GROUP_ID_NOT_FOUND;
  if (has_offsets) {
    brk_kerr_t err = brk_offsets_delete_group(b->offsets, id);
    if (err != BRK_KERR_NONE) return err;
  }
  if (g) brk__group_remove(b->groups, g);
  return BRK_KERR_NONE;
}

int brk__api_delete_groups(brk_broker_t *b, const brk_reqhdr_t *h, brk_reader_t *r, brk_writer_t *w) {
  (void)h;
  int32_t n = brk_read_array_len(r, 2);
  if (!brk_reader_ok(r)) return -1;
  brk_write_i32(w, 0); /* ThrottleTimeMs */
  brk_write_i32(w, n);
  for (int32_t i = 0; i < n; i++) {
    char *id = brk__gstr(brk_read_string(r));
    if (!id || !brk_reader_ok(r)) {
      free(id);
      return -1;
    }
    brk_kerr_t err = delete_one(b, id);
    brk_write_string(w, id);
    brk_write_i16(w, (int16_t)err);
    free(id);
  }
  return 0;
}
