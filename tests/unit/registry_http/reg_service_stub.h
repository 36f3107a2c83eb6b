// SPDX-License-Identifier: Apache-2.0
/* A recording stand-in for reg_service (reg_service.h) so the HTTP edge can be
 * tested without a store: every reg_svc_* call records its name and decoded
 * arguments in stub_last and answers with stub_next_code (REG_OK gives a
 * small JSON value). Not thread-safe; tests are single-threaded. */
#ifndef WEIR_TESTS_REG_SERVICE_STUB_H
#define WEIR_TESTS_REG_SERVICE_STUB_H

#include "reg_service.h"

typedef struct stub_call {
  char fn[64];
  char subject[256];
  char version[64];
  int64_t id;
  bool has_subject, has_version;
  reg_query_t q;
  char q_subject[256], q_subject_prefix[256];
  reg_schema_req_t req; /* pointers invalid after the call; copy below */
  char schema[256], schema_type[32];
  int refs;
  char body[256]; /* PUT config/mode body, dumped */
} stub_call_t;

extern stub_call_t stub_last;
extern reg_code_t stub_next_code;
void stub_reset(void);

#endif
