// SPDX-License-Identifier: Apache-2.0
/* weir's process log: one line per event on stderr, timestamped, with its
 * level and component, as text or as one JSON object per line (for log
 * shippers). Thread-safe (one write(2) per line). Control characters in
 * messages are escaped, so client input cannot forge log lines. It does not
 * rotate files or ship logs anywhere; run under a supervisor for that. */
#ifndef WEIR_LOG_LOG_H
#define WEIR_LOG_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { LOG_LEVEL_DEBUG = 0, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR, LOG_LEVEL_OFF } log_level_t;

typedef enum {
  LOG_FORMAT_TEXT = 0, /* <ISO-8601 UTC time> <LEVEL> <component>: <message> */
  LOG_FORMAT_JSON      /* {"ts":"<ISO-8601 UTC time>","level":"INFO","component":"...","msg":"..."} */
} log_format_t;

/* Sets the lowest level written (default LOG_LEVEL_INFO). */
void log_set_level(log_level_t level);

/* Parses "debug", "info", "warn", "error" or "off" (case-insensitive).
 * Returns 0 and sets *out, or -1 if the name is unknown. */
int log_level_parse(const char *name, log_level_t *out);

/* Sets the line format (default LOG_FORMAT_TEXT). */
void log_set_format(log_format_t format);

/* Parses "text" or "json" (case-insensitive). Returns 0 and sets *out, or -1. */
int log_format_parse(const char *name, log_format_t *out);

/* Writes one line in the current format. Messages longer than about 2 KiB
 * are truncated. */
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
