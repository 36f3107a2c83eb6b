// SPDX-License-Identifier: Apache-2.0
/* Java-properties syntax, as Kafka and Confluent config files use it:
 * `key=value`, `key: value` or `key value`; `#` and `!` comment lines;
 * surrounding whitespace trimmed; a trailing backslash continues a line;
 * `\t \n \r \f \uXXXX` and `\<char>` escapes. Limits keep a hostile or
 * mistaken file (a binary, a log) from consuming memory or time. */
#ifndef WEIR_PLATFORM_PROPS_FILE_H
#define WEIR_PLATFORM_PROPS_FILE_H

#include <stddef.h>

#include "platform/error.h"
#include "platform/props.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WEIR_PROPS_MAX_FILE_BYTES (1024 * 1024)
#define WEIR_PROPS_MAX_LINE_BYTES (64 * 1024) /* one logical line, continuations included */
#define WEIR_PROPS_MAX_ENTRIES 10000

/* Called once per key/value pair in file order; key and value are
 * NUL-terminated and borrowed for the call. A non-zero return stops parsing
 * and is returned (err filled by the callback). */
typedef weir_code_t (*weir_props_entry_cb)(void *ctx, const char *key, const char *value, weir_error_t *err);

/* Parses text[0..len). origin names the source in messages ("weir.properties"):
 * errors read "<origin>:<line>: <what>". Errors: WEIR_ERR_CONFIG (syntax,
 * limits, NUL bytes), WEIR_ERR_NOMEM, or whatever cb returned. */
weir_code_t weir_props_parse(const char *text, size_t len, const char *origin, weir_props_entry_cb cb,
                             void *ctx, weir_error_t *err);

/* Reads path (at most WEIR_PROPS_MAX_FILE_BYTES) and sets every entry in
 * props with weir_props_set. Errors: WEIR_ERR_IO naming the file, or the
 * parse/set error prefixed with "<path>:<line>". */
weir_code_t weir_props_load_file(weir_props_t *props, const char *path, weir_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
