// SPDX-License-Identifier: Apache-2.0
/* Group members: lookup by member id and by static instance id, member id
 * generation ("<clientId>-<uuid>", KIP-394), protocol lists, session timers
 * and the pending ids handed out with MEMBER_ID_REQUIRED. Adding and
 * dropping members here is bookkeeping only; the state transitions a
 * departure causes are brk_group_rebalance.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "brk_group_int.h"

brk_gmember_t *brk__group_member(const brk_group_t *g, const char *member_id) {
  for (size_t i = 0; i < g->n_members; i++)
    if (strcmp(g->members[i]->id, member_id) == 0) return g->members[i];
  return NULL;
}

brk_gmember_t *brk__group_static_member(const brk_group_t *g, const char *instance_id) {
  if (!instance_id) return NULL;
  for (size_t i = 0; i < g->n_members; i++)
    if (g->members[i]->instance_id && strcmp(g->members[i]->instance_id, instance_id) == 0)
      return g->members[i];
  return NULL;
}

bool brk__group_fenced(const brk_group_t *g, const char *member_id, const char *instance_id) {
  brk_gmember_t *m = brk__group_static_member(g, instance_id);
  return m && (!member_id || strcmp(m->id, member_id) != 0);
}

/* splitmix64: the ids only need to be unique within this broker's life. */
static uint64_t next_rand(brk_groups_t *gs) {
  if (gs->id_seq == 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    gs->id_seq = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
  }
  uint64_t z = (gs->id_seq += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

char *brk__group_new_member_id(brk_groups_t *gs, const char *client_id) {
  uint64_t hi = next_rand(gs), lo = next_rand(gs);
  size_t n = strlen(client_id) + 40;
  char *id = malloc(n);
  if (!id) return NULL;
  snprintf(id, n, "%s-%08x-%04x-4%03x-%04x-%012llx", client_id, (unsigned)(hi >> 32),
           (unsigned)(hi >> 16) & 0xffffu, (unsigned)hi & 0xfffu,
           (unsigned)(0x8000u | ((lo >> 48) & 0x3fffu)), (unsigned long long)(lo & 0xffffffffffffull));
  return id;
}

static void protos_free(brk_gproto_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(p[i].name);
    free(p[i].meta);
  }
  free(p);
}

bool brk__gmember_set_protos(brk_gmember_t *m, const brk_gproto_t *protos, size_t n) {
  brk_gproto_t *p = calloc(n ? n : 1, sizeof *p);
  if (!p) return false;
  for (size_t i = 0; i < n; i++) {
    p[i].name = strdup(protos[i].name);
    p[i].meta_len = protos[i].meta_len > 0 ? protos[i].meta_len : 0;
    p[i].meta = malloc(p[i].meta_len ? (size_t)p[i].meta_len : 1);
    if (!p[i].name || !p[i].meta) {
      protos_free(p, i + 1);
      return false;
    }
    if (p[i].meta_len) memcpy(p[i].meta, protos[i].meta, (size_t)p[i].meta_len);
  }
  protos_free(m->protos, m->n_protos);
  m->protos = p;
  m->n_protos = n;
  return true;
}

const brk_gproto_t *brk__gmember_proto(const brk_gmember_t *m, const char *name) {
  for (size_t i = 0; name && i < m->n_protos; i++)
    if (strcmp(m->protos[i].name, name) == 0) return &m->protos[i];
  return NULL;
}

bool brk__gmember_matches(const brk_gmember_t *m, const brk_gproto_t *protos, size_t n) {
  if (m->n_protos != n) return false;
  for (size_t i = 0; i < n; i++) {
    int32_t len = protos[i].meta_len > 0 ? protos[i].meta_len : 0;
    if (strcmp(m->protos[i].name, protos[i].name) != 0 || m->protos[i].meta_len != len) return false;
    if (len && memcmp(m->protos[i].meta, protos[i].meta, (size_t)len) != 0) return false;
  }
  return true;
}

brk_gmember_t *brk__group_add_member(brk_group_t *g, const char *id, const char *client_id,
                                     const char *client_host) {
  if (g->n_members == g->cap_members) {
    size_t cap = g->cap_members ? g->cap_members * 2 : 8;
    brk_gmember_t **nm = realloc(g->members, cap * sizeof *nm);
    if (!nm) return NULL;
    g->members = nm;
    g->cap_members = cap;
  }
  brk_gmember_t *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->g = g;
  m->id = strdup(id);
  m->client_id = strdup(client_id);
  m->client_host = strdup(client_host);
  if (!m->id || !m->client_id || !m->client_host) {
    brk__gmember_free(m);
    return NULL;
  }
  if (!g->leader && !(g->leader = strdup(id))) {
    brk__gmember_free(m);
    return NULL;
  }
  g->members[g->n_members++] = m;
  brk__group_del_pending(g, id);
  return m;
}

void brk__gmember_free(brk_gmember_t *m) {
  if (!m) return;
  free(m->id);
  free(m->instance_id);
  free(m->client_id);
  free(m->client_host);
  protos_free(m->protos, m->n_protos);
  free(m->assignment);
  free(m);
}

void brk__group_drop_member(brk_group_t *g, brk_gmember_t *m, brk_kerr_t err) {
  brk_join_result_t res = {.err = err, .generation = -1, .member_id = m->id};
  brk__gmember_answer_join(m, &res);
  brk__gmember_answer_sync(m, err);
  brk_timer_stop(g->gs->b->loop, &m->session_timer);
  size_t i = 0;
  while (i < g->n_members && g->members[i] != m) i++;
  if (i < g->n_members) {
    memmove(&g->members[i], &g->members[i + 1], (g->n_members - i - 1) * sizeof *g->members);
    g->n_members--;
  }
  if (g->leader && strcmp(g->leader, m->id) == 0) {
    free(g->leader);
    g->leader = g->n_members ? strdup(g->members[0]->id) : NULL;
  }
  brk__gmember_free(m);
}

void brk__gmember_touch(brk_gmember_t *m) {
  brk_loop_t *loop = m->g->gs->b->loop;
  brk_timer_start(loop, &m->session_timer, brk_now_ms() + m->session_ms, brk__gmember_expire, m);
}

/* ---- pending member ids (JoinGroup v4+, MEMBER_ID_REQUIRED) ------------------------ */

bool brk__group_is_pending(const brk_group_t *g, const char *id) {
  for (const brk_gpending_t *p = g->pending; p; p = p->next)
    if (strcmp(p->id, id) == 0) return true;
  return false;
}

static void pending_expire(void *arg) {
  brk_gpending_t *p = arg;
  brk_group_t *g = p->g;
  brk__group_del_pending(g, p->id);
  if (g->state == BRK_GSTATE_PREPARING) brk__group_try_complete_join(g);
}

bool brk__group_add_pending(brk_group_t *g, const char *id, int32_t timeout_ms) {
  brk_gpending_t *p = calloc(1, sizeof *p);
  if (!p || !(p->id = strdup(id))) {
    free(p);
    return false;
  }
  p->g = g;
  p->next = g->pending;
  g->pending = p;
  brk_timer_start(g->gs->b->loop, &p->timer, brk_now_ms() + timeout_ms, pending_expire, p);
  return true;
}

void brk__group_del_pending(brk_group_t *g, const char *id) {
  for (brk_gpending_t **pp = &g->pending; *pp; pp = &(*pp)->next) {
    brk_gpending_t *p = *pp;
    if (strcmp(p->id, id) == 0) {
      *pp = p->next;
      brk_timer_stop(g->gs->b->loop, &p->timer);
      free(p->id);
      free(p);
      return;
    }
  }
}
