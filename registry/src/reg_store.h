// SPDX-License-Identifier: Apache-2.0
/* The registry's durable store: one SQLite database (WAL, synchronous=FULL,
 * busy timeout) and the only code in weir that speaks SQL. It persists schema
 * records, subject versions, configs, modes, per-context max ids and listed
 * contexts, offers explicit transactions, and replays everything at startup
 * through callbacks. It knows no Confluent rules. Not thread-safe: the
 * service serializes writers (and runs no store reads after startup). */
#ifndef WEIR_REGISTRY_REG_STORE_H
#define WEIR_REGISTRY_REG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reg_error.h"

typedef struct reg_store reg_store_t;

/* A schema record. JSON fields are compact JSON text or NULL (absent). */
typedef struct reg_store_schema {
  const char *ctx; /* "." or ".ctx" */
  int64_t id;
  const char *type;
  const char *text;
  size_t text_len;
  const char *refs_json;
  const char *metadata_json;
  const char *rule_set_json;
  const unsigned char *md5; /* 16 bytes */
} reg_store_schema_t;

/* A subject version; subject is qualified (":.ctx:name" or "name"). */
typedef struct reg_store_version {
  const char *subject;
  const char *ctx;
  int64_t version;
  int64_t id;
  bool deleted;
  int64_t ts;
} reg_store_version_t;

/* Startup replay callbacks, called in this order: contexts, max ids, schemas,
 * versions, configs, modes. Pointers are valid only during the call. A
 * non-zero return aborts the load with REG_ERR_STORE. Any callback may be
 * NULL. */
typedef struct reg_store_visitor {
  int (*context)(void *arg, const char *ctx);
  int (*max_id)(void *arg, const char *ctx, int64_t max_id);
  int (*schema)(void *arg, const reg_store_schema_t *rec);
  int (*version)(void *arg, const reg_store_version_t *ver);
  int (*config)(void *arg, const char *key, const char *json);
  int (*mode)(void *arg, const char *key, const char *mode);
} reg_store_visitor_t;

/* Opens (creating) the database at path and its schema. Release with
 * reg_store_close. NULL with err (REG_ERR_STORE + sqlite message). */
reg_store_t *reg_store_open(const char *path, reg_error_t *err);
void reg_store_close(reg_store_t *st); /* accepts NULL */

reg_code_t reg_store_load(reg_store_t *st, const reg_store_visitor_t *visitor, void *arg, reg_error_t *err);

/* Transactions. commit is durable when it returns REG_OK; an I/O failure on
 * commit is fatal (logs and aborts: fail-stop, never retried). rollback
 * accepts a store with no open transaction. */
reg_code_t reg_store_begin(reg_store_t *st, reg_error_t *err);
reg_code_t reg_store_commit(reg_store_t *st, reg_error_t *err);
void reg_store_rollback(reg_store_t *st);

/* Writes (inside a transaction). put_* insert or replace. */
reg_code_t reg_store_put_schema(reg_store_t *st, const reg_store_schema_t *rec, reg_error_t *err);
reg_code_t reg_store_delete_schema(reg_store_t *st, const char *ctx, int64_t id, reg_error_t *err);
reg_code_t reg_store_put_version(reg_store_t *st, const reg_store_version_t *ver, reg_error_t *err);
reg_code_t reg_store_delete_version(reg_store_t *st, const char *subject, int64_t version, reg_error_t *err);
reg_code_t reg_store_put_config(reg_store_t *st, const char *key, const char *json, reg_error_t *err);
reg_code_t reg_store_delete_config(reg_store_t *st, const char *key, reg_error_t *err);
reg_code_t reg_store_put_mode(reg_store_t *st, const char *key, const char *mode, reg_error_t *err);
reg_code_t reg_store_delete_mode(reg_store_t *st, const char *key, reg_error_t *err);
/* Raises the context's persisted max id to at least max_id (never lowers). */
reg_code_t reg_store_put_max_id(reg_store_t *st, const char *ctx, int64_t max_id, reg_error_t *err);
reg_code_t reg_store_put_context(reg_store_t *st, const char *ctx, reg_error_t *err);
reg_code_t reg_store_delete_context(reg_store_t *st, const char *ctx, reg_error_t *err);

/* A cheap read that proves the database file still answers (health checks;
 * outside a transaction). REG_ERR_STORE with SQLite's message otherwise. */
reg_code_t reg_store_ping(reg_store_t *st, reg_error_t *err);

#endif
