// SPDX-License-Identifier: Apache-2.0
/* Kafka's topic name rule, in one place for every part of weir that takes a
 * topic name from outside: the broker (CreateTopics, Metadata
 * auto-creation, directories on disk), the REST proxy (paths and bodies)
 * and `weir topics`. Depends on nothing; a module that links it pulls in
 * only brk_topic_name.c. */
#ifndef WEIR_BROKER_TOPIC_NAME_H
#define WEIR_BROKER_TOPIC_NAME_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest legal topic name. */
#define BRK_TOPIC_NAME_MAX 249

/* 1..249 characters of [A-Za-z0-9._-], and not "." or "..". */
bool brk_topic_name_valid(const char *name, size_t len);

/* NULL when name[0..len) follows the rule, else why not, in words a user
 * can act on (written to buf, or a static string). */
const char *brk_topic_name_problem(const char *name, size_t len, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
