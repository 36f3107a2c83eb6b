// SPDX-License-Identifier: Apache-2.0
/* The API table entries of the committed offsets (OffsetCommit, OffsetFetch) area: key, advertised
 * versions, first flexible version, handler. The dispatcher and ApiVersions
 * read every area's table (brk_dispatch.c). Versions per
 * shared/spec/kafka-broker.md §1.3: no flexible version is advertised. */
#include "brk_broker_int.h"
#include "brk_offsets_int.h"

const brk_api_entry_t brk__api_offsets_entries[] = {
    {8, 2, 7, 8, brk__api_offset_commit, NULL, "OffsetCommit"},
    {9, 1, 5, 6, brk__api_offset_fetch, NULL, "OffsetFetch"},
};
const size_t brk__api_offsets_count = sizeof brk__api_offsets_entries / sizeof brk__api_offsets_entries[0];
