// SPDX-License-Identifier: Apache-2.0
/* Producer ids, idempotence and transactions: the producer-id allocator,
 * the transaction coordinator (transactional.id -> producer id/epoch, state,
 * partitions and groups in the transaction, timeouts), control markers on
 * EndTxn, and pending transactional offset commits applied on commit. The
 * per-partition sequence checks and last-stable-offset bookkeeping live with
 * the partition logs (brk_log). Durable state under <data_dir>/broker/.
 * Loop thread only. */
#ifndef WEIR_BROKER_BRK_TXN_H
#define WEIR_BROKER_BRK_TXN_H

typedef struct brk_broker brk_broker_t;
typedef struct brk_txn brk_txn_t;

/* Opens (recovering) the coordinator state. NULL + errbuf on failure. */
brk_txn_t *brk_txn_new(brk_broker_t *b, char *errbuf, size_t errbuf_len);
void brk_txn_free(brk_txn_t *t); /* accepts NULL */

#endif
