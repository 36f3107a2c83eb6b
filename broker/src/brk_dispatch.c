// SPDX-License-Identifier: Apache-2.0
/* The request dispatcher: parses request headers v1/v2
 * (shared/spec/kafka-broker.md §1.1), holds the API table (key -> advertised
 * versions -> handler, §1.3), applies the ApiVersions fallback rule (§1.2)
 * and closes connections that send unknown keys or versions. It writes the
 * response header; handlers write bodies. It also counts each request
 * (weir_broker_requests_total) and stamps its response slot so the duration
 * is observed when the response is queued (brk_conn.c). */
#include <stdio.h>

#include "brk_broker_int.h"
#include "log/log.h"

/* The core data and admin APIs; groups, offsets and transactions register
 * theirs in brk_api_group_table.c, brk_api_offsets_table.c and
 * brk_api_txn_table.c. */
static const brk_api_entry_t core_entries[] = {
    {0, 3, 7, 9, NULL, brk__api_produce, "Produce"},
    {1, 4, 11, 12, NULL, brk__api_fetch, "Fetch"},
    {2, 1, 3, 6, brk__api_list_offsets, NULL, "ListOffsets"},
    {3, 0, 4, 9, brk__api_metadata, NULL, "Metadata"},
    {18, 0, 3, 3, brk__api_api_versions, NULL, "ApiVersions"},
    {19, 0, 4, 5, brk_api_create_topics, NULL, "CreateTopics"},
    {20, 0, 1, 4, brk_api_delete_topics, NULL, "DeleteTopics"},
    {21, 0, 1, 2, brk_api_delete_records, NULL, "DeleteRecords"},
    {32, 0, 2, 4, brk_api_describe_configs, NULL, "DescribeConfigs"},
    {33, 0, 1, 2, brk_api_alter_configs, NULL, "AlterConfigs"},
    {37, 0, 1, 2, brk_api_create_partitions, NULL, "CreatePartitions"},
    {44, 0, 0, 1, brk_api_incremental_alter_configs, NULL, "IncrementalAlterConfigs"},
};

typedef struct api_area {
  const brk_api_entry_t *entries;
  const size_t *count;
} api_area_t;

static const size_t core_count = sizeof core_entries / sizeof core_entries[0];

static const api_area_t areas[] = {
    {core_entries, &core_count},
    {brk__api_group_entries, &brk__api_group_count},
    {brk__api_offsets_entries, &brk__api_offsets_count},
    {brk__api_txn_entries, &brk__api_txn_count},
};

size_t brk__api_list(const brk_api_entry_t **out, size_t max) {
  size_t n = 0;
  for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++)
    for (size_t i = 0; i < *areas[a].count && n < max; i++) out[n++] = &areas[a].entries[i];
  return n;
}

static const brk_api_entry_t *find_api(int16_t key) {
  for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++)
    for (size_t i = 0; i < *areas[a].count; i++)
      if (areas[a].entries[i].api_key == key) return &areas[a].entries[i];
  return NULL;
}

/* ApiVersions above our max: a v0 response with UNSUPPORTED_VERSION, header v0. */
static int answer_api_versions_fallback(brk_conn_t *c, const brk_reqhdr_t *h) {
  brk_resp_t *resp = brk_conn_resp_begin(c, h->correlation_id, false);
  if (!resp) return -1;
  brk__api_versions_fallback(&resp->w);
  return brk_resp_finish(resp) ? 0 : -1;
}

static int run_handler(brk_broker_t *b, brk_conn_t *c, const brk_api_entry_t *api, const brk_reqhdr_t *h,
                       brk_reader_t *r) {
  /* ApiVersions responses always use header v0, even when flexible (§1.1). */
  bool header_v1 = h->api_version >= api->first_flexible && h->api_key != 18;
  brk_resp_t *resp = brk_conn_resp_begin(c, h->correlation_id, header_v1);
  if (!resp) return -1;
  unsigned slot = brk__metrics_api_slot(h->api_key);
  resp->m_duration = b->metrics.duration[slot];
  resp->m_errors = b->metrics.errors[slot];
  resp->start_ns = brk__metrics_now_ns();
  if (api->async_fn) return api->async_fn(b, h, r, resp);
  if (api->sync_fn(b, h, r, &resp->w) != 0) return -1;
  return brk_resp_finish(resp) ? 0 : -1;
}

int brk__dispatch(brk_broker_t *b, brk_conn_t *c, uint8_t *frame, size_t len) {
  brk_reader_t r;
  brk_reader_init(&r, frame, len);
  brk_reqhdr_t h;
  h.api_key = brk_read_i16(&r);
  h.api_version = brk_read_i16(&r);
  h.correlation_id = brk_read_i32(&r);
  h.client_id = brk_read_string(&r);
  if (!brk_reader_ok(&r)) {
    log_warn("broker", "closing connection: malformed request header");
    return -1;
  }
  const brk_api_entry_t *api = find_api(h.api_key);
  unsigned slot = brk__metrics_api_slot(api ? h.api_key : (int16_t)-1);
  metrics_inc(b->metrics.requests[slot], 1);
  if (api && h.api_key == 18 && h.api_version > api->max_version) return answer_api_versions_fallback(c, &h);
  if (!api || h.api_version < api->min_version || h.api_version > api->max_version) {
    log_warn("broker", "closing connection: unsupported request api_key %d version %d (client %.*s)", h.api_key,
             h.api_version, h.client_id.len > 0 ? h.client_id.len : 0,
             h.client_id.ptr ? (const char *)h.client_id.ptr : "");
    metrics_inc(b->metrics.errors[slot], 1);
    return -1;
  }
  if (h.api_version >= api->first_flexible) brk_skip_tagged_fields(&r);
  if (!brk_reader_ok(&r)) {
    metrics_inc(b->metrics.errors[slot], 1);
    return -1;
  }
  if (run_handler(b, c, api, &h, &r) != 0) {
    metrics_inc(b->metrics.errors[slot], 1);
    log_warn("broker", "closing connection: malformed %s v%d request", api->name, h.api_version);
    return -1;
  }
  return 0;
}
