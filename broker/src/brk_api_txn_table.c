// SPDX-License-Identifier: Apache-2.0
/* The API table entries of the idempotent and transactional producers area
 * (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit): key, advertised versions, first flexible version,
 * handler. The dispatcher and ApiVersions read every area's table
 * (brk_dispatch.c). EndTxn is synchronous: markers are appended before the
 * answer and re-written on recovery if they were not yet durable. */
#include "brk_txn_int.h"

const brk_api_entry_t brk__api_txn_entries[] = {
    {22, 0, 4, 2, brk__api_init_producer_id, NULL, "InitProducerId"},
    {24, 0, 1, 3, brk__api_add_partitions_to_txn, NULL, "AddPartitionsToTxn"},
    {25, 0, 1, 3, brk__api_add_offsets_to_txn, NULL, "AddOffsetsToTxn"},
    {26, 0, 1, 3, brk__api_end_txn, NULL, "EndTxn"},
    {28, 0, 2, 3, brk__api_txn_offset_commit, NULL, "TxnOffsetCommit"},
};
const size_t brk__api_txn_count = sizeof brk__api_txn_entries / sizeof brk__api_txn_entries[0];
