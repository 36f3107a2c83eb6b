// SPDX-License-Identifier: Apache-2.0
/* The API table entries of the groups (JoinGroup, SyncGroup, Heartbeat, ...) area: key, advertised
 * versions, first flexible version, handler. The dispatcher and ApiVersions
 * read every area's table (brk_dispatch.c). JoinGroup and SyncGroup are
 * async: their responses are parked until the rebalance completes. */
#include "brk_group_int.h"

const brk_api_entry_t brk__api_group_entries[] = {
    {10, 0, 2, 3, brk__api_find_coordinator, NULL, "FindCoordinator"},
    {11, 0, 5, 6, NULL, brk__api_join_group, "JoinGroup"},
    {12, 0, 3, 4, brk__api_heartbeat, NULL, "Heartbeat"},
    {13, 0, 1, 4, brk__api_leave_group, NULL, "LeaveGroup"},
    {14, 0, 3, 4, NULL, brk__api_sync_group, "SyncGroup"},
    {15, 0, 4, 5, brk__api_describe_groups, NULL, "DescribeGroups"},
    {16, 0, 2, 3, brk__api_list_groups, NULL, "ListGroups"},
    {42, 0, 1, 2, brk__api_delete_groups, NULL, "DeleteGroups"},
};
const size_t brk__api_group_count = sizeof brk__api_group_entries / sizeof brk__api_group_entries[0];
