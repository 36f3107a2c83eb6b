// SPDX-License-Identifier: Apache-2.0
/* Names of the Kafka error codes in brk_kerr.h, for logs. */
#include "brk_kerr.h"

const char *brk_kerr_name(brk_kerr_t code) {
  switch (code) {
#define BRK_X_NAME(name, value) \
  case BRK_KERR_##name:         \
    return #name;
    BRK_KERRORS(BRK_X_NAME)
#undef BRK_X_NAME
  }
  return "UNKNOWN_ERROR_CODE";
}
