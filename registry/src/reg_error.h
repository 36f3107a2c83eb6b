// SPDX-License-Identifier: Apache-2.0
/* The registry's own error codes (one X-macro list) and its caller-owned
 * error struct. The mapping of each code to HTTP status + Confluent
 * error_code lives only at the HTTP edge (reg_http_errors.c). */
#ifndef WEIR_REGISTRY_REG_ERROR_H
#define WEIR_REGISTRY_REG_ERROR_H

#define REG_ERRORS(X)                                                     \
  X(REG_OK)                                                               \
  X(REG_ERR_BAD_REQUEST)              /* 400: malformed body/params   */  \
  X(REG_ERR_UNPROCESSABLE)            /* 422: generic (e.g. missing body) */ \
  X(REG_ERR_SUBJECT_NOT_FOUND)        /* 40401 */                         \
  X(REG_ERR_VERSION_NOT_FOUND)        /* 40402 */                         \
  X(REG_ERR_SCHEMA_NOT_FOUND)         /* 40403 */                         \
  X(REG_ERR_SUBJECT_SOFT_DELETED)     /* 40404 */                         \
  X(REG_ERR_SUBJECT_NOT_SOFT_DELETED) /* 40405 */                         \
  X(REG_ERR_VERSION_SOFT_DELETED)     /* 40406 */                         \
  X(REG_ERR_VERSION_NOT_SOFT_DELETED) /* 40407 */                         \
  X(REG_ERR_SUBJECT_CONFIG_NOT_FOUND) /* 40408 */                         \
  X(REG_ERR_SUBJECT_MODE_NOT_FOUND)   /* 40409 */                         \
  X(REG_ERR_INCOMPATIBLE)             /* 409 / 40901 */                   \
  X(REG_ERR_INVALID_SCHEMA)           /* 42201 */                         \
  X(REG_ERR_INVALID_VERSION)          /* 42202 */                         \
  X(REG_ERR_INVALID_COMPATIBILITY)    /* 42203 */                         \
  X(REG_ERR_INVALID_MODE)             /* 42204 */                         \
  X(REG_ERR_NOT_PERMITTED)            /* 42205 */                         \
  X(REG_ERR_REFERENCE_EXISTS)         /* 42206 */                         \
  X(REG_ERR_INVALID_SUBJECT)          /* 42208 */                         \
  X(REG_ERR_SCHEMA_TOO_LARGE)         /* 42209 */                         \
  X(REG_ERR_INVALID_RULESET)          /* 42210 */                         \
  X(REG_ERR_CONTEXT_NOT_EMPTY)        /* 42211 */                         \
  X(REG_ERR_STORE)                    /* 50001 */                         \
  X(REG_ERR_NOMEM)                    /* 500 */

typedef enum {
#define REG_X_ENUM(code) code,
  REG_ERRORS(REG_X_ENUM)
#undef REG_X_ENUM
} reg_code_t;

/* Caller-owned; message is the exact Confluent message text the HTTP edge
 * puts in the body (e.g. "Subject 'foo' not found."). */
typedef struct reg_error {
  reg_code_t code;
  char message[2048];
} reg_error_t;

/* Sets err (if not NULL) and returns code. */
reg_code_t reg_error_set(reg_error_t *err, reg_code_t code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The enum name ("REG_ERR_STORE"), for logs. */
const char *reg_code_name(reg_code_t code);

#endif
