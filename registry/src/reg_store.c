// SPDX-License-Identifier: Apache-2.0
/* SQLite implementation of reg_store.h: the schema of the database, its
 * pragmas (WAL, synchronous=FULL, busy timeout), one cached prepared
 * statement per operation, transactions and the startup replay. A failed
 * COMMIT with an I/O error aborts the process (the durability contract says
 * fail-stop); every other failure becomes REG_ERR_STORE with SQLite's message
 * copied into the caller's error. */
#include "reg_store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "log/log.h"

#define STORE_BUSY_TIMEOUT_MS 5000

static const char *const store_ddl =
    "CREATE TABLE IF NOT EXISTS schemas ("
    " ctx TEXT NOT NULL, id INTEGER NOT NULL, schema_type TEXT NOT NULL, schema TEXT NOT NULL,"
    " refs TEXT, metadata TEXT, rule_set TEXT, md5 BLOB NOT NULL, PRIMARY KEY (ctx, id));"
    "CREATE TABLE IF NOT EXISTS subject_versions ("
    " subject TEXT NOT NULL, version INTEGER NOT NULL, ctx TEXT NOT NULL, id INTEGER NOT NULL,"
    " deleted INTEGER NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (subject, version));"
    "CREATE TABLE IF NOT EXISTS configs (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS modes (key TEXT PRIMARY KEY, mode TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS max_ids (ctx TEXT PRIMARY KEY, max_id INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS contexts (ctx TEXT PRIMARY KEY);";

typedef enum {
  ST_BEGIN,
  ST_COMMIT,
  ST_ROLLBACK,
  ST_PUT_SCHEMA,
  ST_DEL_SCHEMA,
  ST_PUT_VERSION,
  ST_DEL_VERSION,
  ST_PUT_CONFIG,
  ST_DEL_CONFIG,
  ST_PUT_MODE,
  ST_DEL_MODE,
  ST_PUT_MAX_ID,
  ST_PUT_CONTEXT,
  ST_DEL_CONTEXT,
  ST_PING,
  ST_COUNT
} stmt_id_t;

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_PUT_SCHEMA] = "INSERT OR REPLACE INTO schemas (ctx, id, schema_type, schema, refs, metadata, rule_set, md5)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_DEL_SCHEMA] = "DELETE FROM schemas WHERE ctx = ?1 AND id = ?2",
    [ST_PUT_VERSION] = "INSERT OR REPLACE INTO subject_versions (subject, version, ctx, id, deleted, ts)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_DEL_VERSION] = "DELETE FROM subject_versions WHERE subject = ?1 AND version = ?2",
    [ST_PUT_CONFIG] = "INSERT OR REPLACE INTO configs (key, value) VALUES (?1, ?2)",
    [ST_DEL_CONFIG] = "DELETE FROM configs WHERE key = ?1",
    [ST_PUT_MODE] = "INSERT OR REPLACE INTO modes (key, mode) VALUES (?1, ?2)",
    [ST_DEL_MODE] = "DELETE FROM modes WHERE key = ?1",
    [ST_PUT_MAX_ID] = "INSERT INTO max_ids (ctx, max_id) VALUES (?1, ?2)"
                      " ON CONFLICT (ctx) DO UPDATE SET max_id = max(max_id, excluded.max_id)",
    [ST_PUT_CONTEXT] = "INSERT OR IGNORE INTO contexts (ctx) VALUES (?1)",
    [ST_DEL_CONTEXT] = "DELETE FROM contexts WHERE ctx = ?1",
    [ST_PING] = "SELECT count(*) FROM max_ids",
};

struct reg_store {
  sqlite3 *db;
  sqlite3_stmt *stmts[ST_COUNT];
  bool in_tx;
};

static reg_code_t store_fail(reg_store_t *st, reg_error_t *err, const char *what) {
  const char *msg = st && st->db ? sqlite3_errmsg(st->db) : "out of memory";
  log_error("registry", "store: %s: %s", what, msg);
  return reg_error_set(err, REG_ERR_STORE, "Error while %s: %s", what, msg);
}

static reg_code_t store_exec(reg_store_t *st, const char *sql, reg_error_t *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return REG_OK;
  reg_code_t rc = reg_error_set(err, REG_ERR_STORE, "Error while opening the store: %s", msg ? msg : "?");
  log_error("registry", "store: %s", msg ? msg : "?");
  sqlite3_free(msg);
  return rc;
}

static reg_code_t store_prepare(reg_store_t *st, reg_error_t *err) {
  for (int i = 0; i < ST_COUNT; i++) {
    if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmts[i], NULL) != SQLITE_OK)
      return store_fail(st, err, "preparing statements");
  }
  return REG_OK;
}

reg_store_t *reg_store_open(const char *path, reg_error_t *err) {
  reg_store_t *st = calloc(1, sizeof *st);
  if (!st) {
    reg_error_set(err, REG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    store_fail(st, err, "opening the store");
    reg_store_close(st);
    return NULL;
  }
  sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
  if (store_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;", err) ||
      store_exec(st, store_ddl, err) || store_prepare(st, err)) {
    reg_store_close(st);
    return NULL;
  }
  return st;
}

void reg_store_close(reg_store_t *st) {
  if (!st) return;
  if (st->in_tx) reg_store_rollback(st);
  for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(st->stmts[i]);
  sqlite3_close(st->db);
  free(st);
}

/* Runs a bound statement to completion and resets it. */
static reg_code_t store_run(reg_store_t *st, stmt_id_t id, reg_error_t *err, const char *what) {
  sqlite3_stmt *s = st->stmts[id];
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return REG_OK;
  return store_fail(st, err, what);
}

reg_code_t reg_store_begin(reg_store_t *st, reg_error_t *err) {
  reg_code_t rc = store_run(st, ST_BEGIN, err, "beginning a transaction");
  if (rc == REG_OK) st->in_tx = true;
  return rc;
}

static bool store_io_fatal(int rc) {
  int primary = rc & 0xff;
  return primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_FULL ||
         primary == SQLITE_NOTADB || primary == SQLITE_CANTOPEN;
}

reg_code_t reg_store_commit(reg_store_t *st, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_COMMIT];
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc == SQLITE_DONE) {
    st->in_tx = false;
    return REG_OK;
  }
  int ext = sqlite3_extended_errcode(st->db);
  if (store_io_fatal(ext)) {
    log_error("registry", "store: commit failed with an I/O error (%s); stopping to protect durability",
              sqlite3_errmsg(st->db));
    abort();
  }
  reg_code_t code = store_fail(st, err, "committing");
  reg_store_rollback(st);
  return code;
}

void reg_store_rollback(reg_store_t *st) {
  if (!st->in_tx) return;
  sqlite3_stmt *s = st->stmts[ST_ROLLBACK];
  sqlite3_step(s);
  sqlite3_reset(s);
  st->in_tx = false;
}

static void bind_text(sqlite3_stmt *s, int i, const char *text) {
  if (text)
    sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, i);
}

reg_code_t reg_store_put_schema(reg_store_t *st, const reg_store_schema_t *rec, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_PUT_SCHEMA];
  bind_text(s, 1, rec->ctx);
  sqlite3_bind_int64(s, 2, rec->id);
  bind_text(s, 3, rec->type);
  sqlite3_bind_text(s, 4, rec->text, (int)rec->text_len, SQLITE_STATIC);
  bind_text(s, 5, rec->refs_json);
  bind_text(s, 6, rec->metadata_json);
  bind_text(s, 7, rec->rule_set_json);
  sqlite3_bind_blob(s, 8, rec->md5, 16, SQLITE_STATIC);
  return store_run(st, ST_PUT_SCHEMA, err, "writing a schema");
}

reg_code_t reg_store_delete_schema(reg_store_t *st, const char *ctx, int64_t id, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_DEL_SCHEMA];
  bind_text(s, 1, ctx);
  sqlite3_bind_int64(s, 2, id);
  return store_run(st, ST_DEL_SCHEMA, err, "deleting a schema");
}

reg_code_t reg_store_put_version(reg_store_t *st, const reg_store_version_t *ver, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_PUT_VERSION];
  bind_text(s, 1, ver->subject);
  sqlite3_bind_int64(s, 2, ver->version);
  bind_text(s, 3, ver->ctx);
  sqlite3_bind_int64(s, 4, ver->id);
  sqlite3_bind_int(s, 5, ver->deleted ? 1 : 0);
  sqlite3_bind_int64(s, 6, ver->ts);
  return store_run(st, ST_PUT_VERSION, err, "writing a subject version");
}

reg_code_t reg_store_delete_version(reg_store_t *st, const char *subject, int64_t version, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_DEL_VERSION];
  bind_text(s, 1, subject);
  sqlite3_bind_int64(s, 2, version);
  return store_run(st, ST_DEL_VERSION, err, "deleting a subject version");
}

static reg_code_t store_key_value(reg_store_t *st, stmt_id_t id, const char *key, const char *value,
                                  reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[id];
  bind_text(s, 1, key);
  if (value) bind_text(s, 2, value);
  return store_run(st, id, err, value ? "writing a setting" : "deleting a setting");
}

reg_code_t reg_store_put_config(reg_store_t *st, const char *key, const char *json, reg_error_t *err) {
  return store_key_value(st, ST_PUT_CONFIG, key, json, err);
}

reg_code_t reg_store_delete_config(reg_store_t *st, const char *key, reg_error_t *err) {
  return store_key_value(st, ST_DEL_CONFIG, key, NULL, err);
}

reg_code_t reg_store_put_mode(reg_store_t *st, const char *key, const char *mode, reg_error_t *err) {
  return store_key_value(st, ST_PUT_MODE, key, mode, err);
}

reg_code_t reg_store_delete_mode(reg_store_t *st, const char *key, reg_error_t *err) {
  return store_key_value(st, ST_DEL_MODE, key, NULL, err);
}

reg_code_t reg_store_put_max_id(reg_store_t *st, const char *ctx, int64_t max_id, reg_error_t *err) {
  sqlite3_stmt *s = st->stmts[ST_PUT_MAX_ID];
  bind_text(s, 1, ctx);
  sqlite3_bind_int64(s, 2, max_id);
  return store_run(st, ST_PUT_MAX_ID, err, "writing the max id");
}

reg_code_t reg_store_put_context(reg_store_t *st, const char *ctx, reg_error_t *err) {
  return store_key_value(st, ST_PUT_CONTEXT, ctx, NULL, err);
}

reg_code_t reg_store_delete_context(reg_store_t *st, const char *ctx, reg_error_t *err) {
  return store_key_value(st, ST_DEL_CONTEXT, ctx, NULL, err);
}

reg_code_t reg_store_ping(reg_store_t *st, reg_error_t *err) {
  return store_run(st, ST_PING, err, "checking the store");
}

/* ---- startup replay ------------------------------------------------------ */

typedef int (*row_fn)(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg);

static const char *col_text(sqlite3_stmt *s, int i) { return (const char *)sqlite3_column_text(s, i); }

static int row_context(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  return v->context ? v->context(arg, col_text(s, 0)) : 0;
}

static int row_max_id(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  return v->max_id ? v->max_id(arg, col_text(s, 0), sqlite3_column_int64(s, 1)) : 0;
}

static int row_schema(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  if (!v->schema) return 0;
  if (sqlite3_column_bytes(s, 7) != 16) return -1;
  reg_store_schema_t rec = {
      .ctx = col_text(s, 0),
      .id = sqlite3_column_int64(s, 1),
      .type = col_text(s, 2),
      .text = col_text(s, 3),
      .text_len = (size_t)sqlite3_column_bytes(s, 3),
      .refs_json = col_text(s, 4),
      .metadata_json = col_text(s, 5),
      .rule_set_json = col_text(s, 6),
      .md5 = sqlite3_column_blob(s, 7),
  };
  return v->schema(arg, &rec);
}

static int row_version(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  if (!v->version) return 0;
  reg_store_version_t ver = {
      .subject = col_text(s, 0),
      .version = sqlite3_column_int64(s, 1),
      .ctx = col_text(s, 2),
      .id = sqlite3_column_int64(s, 3),
      .deleted = sqlite3_column_int(s, 4) != 0,
      .ts = sqlite3_column_int64(s, 5),
  };
  return v->version(arg, &ver);
}

static int row_config(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  return v->config ? v->config(arg, col_text(s, 0), col_text(s, 1)) : 0;
}

static int row_mode(reg_store_t *st, sqlite3_stmt *s, const reg_store_visitor_t *v, void *arg) {
  (void)st;
  return v->mode ? v->mode(arg, col_text(s, 0), col_text(s, 1)) : 0;
}

static reg_code_t store_scan(reg_store_t *st, const char *sql, row_fn fn, const reg_store_visitor_t *v, void *arg,
                             reg_error_t *err) {
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) return store_fail(st, err, "loading");
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (fn(st, s, v, arg) != 0) {
      sqlite3_finalize(s);
      return reg_error_set(err, REG_ERR_STORE, "Error while loading the store: bad record (%s)", sql);
    }
  }
  reg_code_t code = rc == SQLITE_DONE ? REG_OK : store_fail(st, err, "loading");
  sqlite3_finalize(s);
  return code;
}

reg_code_t reg_store_load(reg_store_t *st, const reg_store_visitor_t *v, void *arg, reg_error_t *err) {
  static const struct {
    const char *sql;
    row_fn fn;
  } steps[] = {
      {"SELECT ctx FROM contexts", row_context},
      {"SELECT ctx, max_id FROM max_ids", row_max_id},
      {"SELECT ctx, id, schema_type, schema, refs, metadata, rule_set, md5 FROM schemas ORDER BY ctx, id",
       row_schema},
      {"SELECT subject, version, ctx, id, deleted, ts FROM subject_versions ORDER BY subject, version",
       row_version},
      {"SELECT key, value FROM configs", row_config},
      {"SELECT key, mode FROM modes", row_mode},
  };
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    reg_code_t rc = store_scan(st, steps[i].sql, steps[i].fn, v, arg, err);
    if (rc != REG_OK) return rc;
  }
  return REG_OK;
}
