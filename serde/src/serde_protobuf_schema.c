// SPDX-License-Identifier: Apache-2.0
/* Application .proto schemas whose imports are registry references, the
 * way Confluent's Java and Python serializers treat them: every import that
 * is not a well-known type is a schema under the subject named by its
 * import path (the default reference subject name strategy). Imports the
 * application supplies are registered there (or looked up, without
 * auto.register.schemas), their own imports first; the others are that
 * subject's latest version. The references with their versions are kept in
 * the schema for its own register and lookup requests, and the schema is
 * then built from the registry's texts (serde_refs.c), so what the
 * serializer writes with is what the registry holds. */
#include <stdlib.h>
#include <string.h>

#include "pb_codec.h"
#include "schemas/proto_model.h"
#include "serde_core.h"

#define MAX_IMPORT_DEPTH 32

typedef struct imports_ctx {
  serde_t *sd;
  const serde_pb_file_t *given;
  size_t n_given;
} imports_ctx_t;

typedef struct ref_list {
  serde_reg_ref_t *items;
  size_t n;
} ref_list_t;

static void refs_free(ref_list_t *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->items[i].name);
    free(l->items[i].subject);
  }
  free(l->items);
  *l = (ref_list_t){0};
}

static int resolve_import(const imports_ctx_t *ctx, const char *path, int depth, serde_error_t *err);

/* The references of `text`: one per import that is not a well-known type. */
static serde_code_t collect_refs(const imports_ctx_t *ctx, const char *text, size_t len, int depth,
                                 ref_list_t *out, serde_error_t *err) {
  sch_error_t serr = {0};
  sch_proto_file_t *file = sch_proto_parse(text, len, &serr);
  if (!file) {
    return serde__fail(err, serr.code == SCH_ERR_NOMEM ? SERDE_ERR_NOMEM : SERDE_ERR_SCHEMA_PARSE, "%s",
                       serr.message);
  }
  serde_code_t rc = SERDE_OK;
  for (const sch_proto_import_t *imp = file->imports; imp && rc == SERDE_OK; imp = imp->next) {
    size_t builtin_len = 0;
    if (sch_pb_builtin_text(imp->path, &builtin_len)) {
      continue; /* skip.known.types */
    }
    int version = resolve_import(ctx, imp->path, depth + 1, err);
    if (version < 0) {
      rc = err->code;
      break;
    }
    serde_reg_ref_t *items = serde__realloc(out->items, (out->n + 1) * sizeof *items);
    char *name = serde__strdup(imp->path), *subject = serde__strdup(imp->path);
    if (items) {
      out->items = items;
    }
    if (!items || !name || !subject) {
      free(name);
      free(subject);
      rc = serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
      break;
    }
    out->items[out->n++] = (serde_reg_ref_t){name, subject, version};
  }
  sch_proto_file_destroy(file);
  return rc;
}

/* Builds `text` with references `refs` from the registry's texts. The
 * schema owns refs on success (they are its register request's). */
static serde_schema_t *build(serde_t *sd, const char *text, size_t len, ref_list_t *refs,
                             serde_error_t *err) {
  serde_registered_t reg = {.id = -1,
                            .schema_type = "PROTOBUF",
                            .schema = (char *)text,
                            .schema_len = len,
                            .refs = refs->items,
                            .n_refs = refs->n};
  serde_schema_t *s = serde__schema_from_registered(sd, &reg, err);
  if (s) {
    s->id = -1;
    s->refs_list = refs->items;
    s->n_refs = refs->n;
    *refs = (ref_list_t){0};
  }
  return s;
}

/* Registers (or looks up) a supplied import under its path; its version. */
static int publish(const imports_ctx_t *ctx, const serde_pb_file_t *file, int depth, serde_error_t *err) {
  ref_list_t refs = {0};
  serde_schema_t *dep = NULL;
  int32_t id = -1;
  int version = -1;
  serde_code_t rc = collect_refs(ctx, file->text, file->len, depth, &refs, err);
  if (rc == SERDE_OK && !(dep = build(ctx->sd, file->text, file->len, &refs, err))) {
    rc = err->code;
  }
  if (rc == SERDE_OK && ctx->sd->conf->auto_register) {
    rc = serde_register(ctx->sd, file->path, dep, &id, err);
  }
  if (rc == SERDE_OK) {
    rc = serde_lookup_version(ctx->sd, file->path, dep, &id, &version, err);
  }
  serde_schema_unref(dep);
  refs_free(&refs);
  return rc == SERDE_OK ? version : -1;
}

/* The version of the subject an import names; -1 with err set. */
static int resolve_import(const imports_ctx_t *ctx, const char *path, int depth, serde_error_t *err) {
  if (depth > MAX_IMPORT_DEPTH) {
    serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "imports nest deeper than %d levels (a cycle?)",
                MAX_IMPORT_DEPTH);
    return -1;
  }
  for (size_t i = 0; i < ctx->n_given; i++) {
    if (ctx->given[i].path && ctx->given[i].text && strcmp(ctx->given[i].path, path) == 0) {
      int version = publish(ctx, &ctx->given[i], depth, err);
      if (version < 0) {
        serde__error_prefix(err, "import \"%s\"", path);
      }
      return version;
    }
  }
  int version = -1;
  serde_schema_t *latest = serde_schema_version(ctx->sd, path, -1, &version, err);
  if (!latest) {
    serde__error_prefix(err, "import \"%s\" (subject \"%s\", latest version)", path, path);
    return -1;
  }
  serde_schema_unref(latest);
  return version;
}

serde_schema_t *serde_schema_new_protobuf(serde_t *sd, const char *text, size_t len,
                                          const serde_pb_file_t *imports, size_t n_imports,
                                          serde_error_t *err) {
  serde_error_t local;
  local.code = SERDE_OK;
  err = err ? err : &local;
  if (!sd || !text || (n_imports && !imports)) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and schema text are required");
    return NULL;
  }
  imports_ctx_t ctx = {sd, imports, n_imports};
  ref_list_t refs = {0};
  serde_schema_t *s = NULL;
  if (collect_refs(&ctx, text, len, 0, &refs, err) == SERDE_OK) {
    s = build(sd, text, len, &refs, err);
  }
  refs_free(&refs);
  return s;
}
