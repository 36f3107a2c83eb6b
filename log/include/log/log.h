// SPDX-License-Identifier: Apache-2.0
/* weir's process log: one line per event on stderr, timestamped and tagged
 * with the component. Thread-safe (one write(2) per line). It does not rotate
 * files or ship logs anywhere; run under a supervisor for that. */
#ifndef WEIR_LOG_LOG_H
#define WEIR_LOG_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { LOG_LEVEL_DEBUG = 0, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR, LOG_LEVEL_OFF } log_level_t;

/* Sets the lowest level written (default LOG_LEVEL_INFO). */
void log_set_level(log_level_t level);

/* Parses "debug", "info", "warn", "error" or "off" (case-insensitive).
 * Returns 0 and sets *out, or -1 if the name is unknown. */
int log_level_parse(const char *name, log_level_t *out);

/* Writes one line: "<ISO-8601 UTC time> <LEVEL> <component>: <message>". */
void log_write(log_level_t level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(comp, ...) log_write(LOG_LEVEL_DEBUG, comp, __VA_ARGS__)
#define log_info(comp, ...) log_write(LOG_LEVEL_INFO, comp, __VA_ARGS__)
#define log_warn(comp, ...) log_write(LOG_LEVEL_WARN, comp, __VA_ARGS__)
#define log_error(comp, ...) log_write(LOG_LEVEL_ERROR, comp, __VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif
