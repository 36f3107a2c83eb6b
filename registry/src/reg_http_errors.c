// SPDX-License-Identifier: Apache-2.0
/* The registry's single mapping from reg_code_t to HTTP status + Confluent
 * error_code (schema-registry.md §2), and the renderers that turn a service
 * answer into a response body. The same numbers mean other things in the REST
 * proxy, which has its own table. */
#include <stdlib.h>
#include <string.h>

#include "reg_http.h"

/* Indexed by reg_code_t. INCOMPATIBLE's error_code comes from the config
 * (409 before Confluent 8.0.4, 40901 since). */
static const struct {
  int status;
  int error_code;
} error_map[] = {
    [REG_OK] = {200, 0},
    [REG_ERR_BAD_REQUEST] = {400, 400},
    [REG_ERR_UNPROCESSABLE] = {422, 422},
    [REG_ERR_SUBJECT_NOT_FOUND] = {404, 40401},
    [REG_ERR_VERSION_NOT_FOUND] = {404, 40402},
    [REG_ERR_SCHEMA_NOT_FOUND] = {404, 40403},
    [REG_ERR_SUBJECT_SOFT_DELETED] = {404, 40404},
    [REG_ERR_SUBJECT_NOT_SOFT_DELETED] = {404, 40405},
    [REG_ERR_VERSION_SOFT_DELETED] = {404, 40406},
    [REG_ERR_VERSION_NOT_SOFT_DELETED] = {404, 40407},
    [REG_ERR_SUBJECT_CONFIG_NOT_FOUND] = {404, 40408},
    [REG_ERR_SUBJECT_MODE_NOT_FOUND] = {404, 40409},
    [REG_ERR_INCOMPATIBLE] = {409, 40901},
    [REG_ERR_INVALID_SCHEMA] = {422, 42201},
    [REG_ERR_INVALID_VERSION] = {422, 42202},
    [REG_ERR_INVALID_COMPATIBILITY] = {422, 42203},
    [REG_ERR_INVALID_MODE] = {422, 42204},
    [REG_ERR_NOT_PERMITTED] = {422, 42205},
    [REG_ERR_REFERENCE_EXISTS] = {422, 42206},
    [REG_ERR_INVALID_SUBJECT] = {422, 42208},
    [REG_ERR_SCHEMA_TOO_LARGE] = {422, 42209},
    [REG_ERR_INVALID_RULESET] = {422, 42210},
    [REG_ERR_CONTEXT_NOT_EMPTY] = {422, 42211},
    [REG_ERR_STORE] = {500, 50001},
    [REG_ERR_NOMEM] = {500, 500},
};

void reg_http__map_error(reg_code_t code, int incompatible_error_code, int *status, int *error_code) {
  size_t i = (size_t)code;
  if (i >= sizeof error_map / sizeof error_map[0] || error_map[i].status == 0) {
    *status = 500, *error_code = 500; /* a code added without a mapping */
    return;
  }
  *status = error_map[i].status;
  *error_code = error_map[i].error_code;
  if (code == REG_ERR_INCOMPATIBLE && incompatible_error_code > 0) *error_code = incompatible_error_code;
}

void reg_http__error(reg_http_call_t *c, reg_code_t code, const char *message) {
  int status, error_code;
  reg_http__map_error(code, c->rh->incompatible_error_code, &status, &error_code);
  http_response_error(c->resp, status, error_code, message && *message ? message : NULL);
}

void reg_http__http_error(reg_http_call_t *c, int status, const char *message) {
  http_response_error(c->resp, status, status, message);
}

void reg_http__reply(reg_http_call_t *c, reg_code_t rc, json_t *out, const reg_error_t *err) {
  if (rc != REG_OK) {
    json_decref(out);
    reg_http__error(c, rc, err ? err->message : NULL);
    return;
  }
  if (!out) {
    http_response_set_take(c->resp, 204, NULL, 0);
    return;
  }
  char *text = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(out);
  if (!text) {
    reg_http__error(c, REG_ERR_NOMEM, "out of memory");
    return;
  }
  http_response_set_take(c->resp, 200, text, strlen(text));
}

void reg_http__reply_text(reg_http_call_t *c, reg_code_t rc, char *text, const reg_error_t *err) {
  if (rc != REG_OK || !text) {
    free(text);
    reg_http__error(c, rc != REG_OK ? rc : REG_ERR_NOMEM, err ? err->message : NULL);
    return;
  }
  http_response_set_take(c->resp, 200, text, strlen(text));
}
