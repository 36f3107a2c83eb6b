// SPDX-License-Identifier: Apache-2.0
/* serde_schema_t: one parsed schema, refcounted and immutable once built,
 * holding the schemas-module model (for resolution and JSON), the avro-c
 * schema and generic class (for application values and encoding) or, for
 * PROTOBUF, the resolved .proto model (the codec's), and two
 * small tables filled as it is used: the subjects it was registered or found
 * under (the serializer's hot path) and the compiled programs that read its
 * data as other schemas. Registry fetches live in serde_refs.c. */
#include <stdlib.h>
#include <string.h>

#include "serde_core.h"

static serde_code_t to_avro_c(serde_schema_t *s, serde_error_t *err) {
  size_t len = 0;
  char *text = sch_avro_standalone_text(s->parsed, &len);
  if (!text) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  int rc = avro_schema_from_json_length(text, len, &s->avro);
  free(text);
  if (rc != 0) {
    s->avro = NULL;
    return serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "avro-c cannot use the schema: %s", avro_strerror());
  }
  s->iface = avro_generic_class_from_schema(s->avro);
  if (!s->iface) {
    return serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "avro-c cannot build values of the schema: %s",
                       avro_strerror());
  }
  return SERDE_OK;
}

serde_schema_t *serde__schema_build(const char *type, const char *text, size_t len, const sch_reference_t *refs,
                                    size_t n_refs, int32_t id, serde_error_t *err) {
  type = type && *type ? type : "AVRO";
  const sch_format_t *format = sch_format_find(type);
  bool protobuf = strcmp(type, "PROTOBUF") == 0;
  if (!format || (strcmp(type, "AVRO") != 0 && !protobuf)) {
    serde__fail(err, SERDE_ERR_SCHEMA_PARSE, "schema type \"%s\" is not supported by the serde", type);
    return NULL;
  }
  serde_schema_t *s = serde__calloc(1, sizeof *s);
  if (!s) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    return NULL;
  }
  atomic_init(&s->refs, 1);
  s->id = id;
  pthread_mutex_init(&s->lock, NULL);
  s->type = serde__strdup(type);
  s->text = serde__strndup(text, len);
  s->text_len = len;
  if (!s->type || !s->text) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    goto fail;
  }
  sch_parse_opts_t opts = {.refs = refs, .n_refs = n_refs, .validate = false};
  sch_error_t serr = {0};
  s->parsed = sch_schema_parse(format, text, len, &opts, &serr);
  if (!s->parsed) {
    serde__fail(err, serr.code == SCH_ERR_NOMEM ? SERDE_ERR_NOMEM : SERDE_ERR_SCHEMA_PARSE, "%s", serr.message);
    goto fail;
  }
  if (protobuf) {
    s->pb = sch_proto_schema_resolved(s->parsed);
    return s;
  }
  s->root = sch_avro_root(s->parsed);
  if (to_avro_c(s, err) != SERDE_OK) {
    goto fail;
  }
  return s;
fail:
  serde_schema_unref(s);
  return NULL;
}

serde_schema_t *serde_schema_new(serde_t *sd, const char *type, const char *text, size_t len, serde_error_t *err) {
  if (!sd || !text) {
    serde__fail(err, SERDE_ERR_INVALID_ARG, "handle and schema text are required");
    return NULL;
  }
  if (type && strcmp(type, "PROTOBUF") == 0) { /* imports become registry references */
    return serde_schema_new_protobuf(sd, text, len, NULL, 0, err);
  }
  serde_schema_t *s = serde__schema_build(type, text, len, NULL, 0, -1, err);
  if (s) {
    s->owner = sd;
  }
  return s;
}

serde_schema_t *serde_schema_ref(serde_schema_t *schema) {
  if (schema) {
    atomic_fetch_add(&schema->refs, 1);
  }
  return schema;
}

static void free_tables(serde_schema_t *s) {
  for (size_t i = 0; i < atomic_load(&s->n_topics); i++) {
    free(s->topics[i].topic);
    serde_schema_unref(s->topics[i].target);
  }
  for (size_t i = 0; i < atomic_load(&s->n_progs); i++) {
    serde__avro_program_destroy(s->progs[i].prog);
    serde_schema_unref(s->progs[i].reader);
  }
  serde__avro_program_destroy(atomic_load(&s->self_prog));
}

void serde_schema_unref(serde_schema_t *s) {
  if (!s || atomic_fetch_sub(&s->refs, 1) != 1) {
    return;
  }
  free_tables(s);
  for (size_t i = 0; i < s->n_refs; i++) {
    free(s->refs_list[i].name);
    free(s->refs_list[i].subject);
  }
  free(s->refs_list);
  if (s->iface) {
    avro_value_iface_decref(s->iface);
  }
  if (s->avro) {
    avro_schema_decref(s->avro);
  }
  avro_schema_t accepted = atomic_load(&s->accepted);
  if (accepted) {
    avro_schema_decref(accepted);
  }
  sch_schema_destroy(s->parsed);
  pthread_mutex_destroy(&s->lock);
  free(s->type);
  free(s->text);
  free(s);
}

int32_t serde_schema_id(const serde_schema_t *schema) { return schema ? schema->id : -1; }

const char *serde_schema_type(const serde_schema_t *schema) { return schema ? schema->type : NULL; }

const char *serde_schema_text(const serde_schema_t *schema, size_t *len) {
  if (len) {
    *len = schema ? schema->text_len : 0;
  }
  return schema ? schema->text : NULL;
}

avro_schema_t serde_schema_avro(const serde_schema_t *schema) { return schema ? schema->avro : NULL; }

serde_code_t serde_schema_value_new(const serde_schema_t *schema, avro_value_t *out, serde_error_t *err) {
  if (!schema || !out) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "schema and out are required");
  }
  if (!schema->iface) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "the schema is %s, not AVRO", schema->type);
  }
  if (avro_generic_value_new(schema->iface, out) != 0) {
    return serde__fail(err, SERDE_ERR_NOMEM, "cannot create a value: %s", avro_strerror());
  }
  return SERDE_OK;
}

/* The cached program for reader (NULL = self), without locking. */
static const serde_avro_program_t *find_program(serde_schema_t *writer, const serde_schema_t *reader) {
  if (!reader) {
    return atomic_load_explicit(&writer->self_prog, memory_order_acquire);
  }
  size_t n = atomic_load_explicit(&writer->n_progs, memory_order_acquire);
  for (size_t i = 0; i < n; i++) {
    if (writer->progs[i].reader == reader) {
      return writer->progs[i].prog;
    }
  }
  return NULL;
}

const serde_avro_program_t *serde__schema_program(serde_schema_t *writer, serde_schema_t *reader,
                                                  serde_error_t *err) {
  if (reader == writer) {
    reader = NULL;
  }
  const serde_avro_program_t *found = find_program(writer, reader);
  if (found) {
    return found;
  }
  serde_avro_program_t *prog = serde__avro_program_new(writer->root, reader ? reader->root : NULL, err);
  if (!prog) {
    return NULL;
  }
  pthread_mutex_lock(&writer->lock);
  found = find_program(writer, reader); /* another thread may have compiled it */
  size_t n = atomic_load(&writer->n_progs);
  if (!found && !reader) {
    atomic_store_explicit(&writer->self_prog, prog, memory_order_release);
  } else if (!found && n < SERDE_SCHEMA_MAX_PROGRAMS) {
    writer->progs[n] = (serde_program_entry_t){serde_schema_ref(reader), prog};
    atomic_store_explicit(&writer->n_progs, n + 1, memory_order_release);
  }
  pthread_mutex_unlock(&writer->lock);
  if (found) {
    serde__avro_program_destroy(prog);
    return found;
  }
  if (reader && n >= SERDE_SCHEMA_MAX_PROGRAMS) {
    /* Programs are borrowed by running decodes, so none is ever replaced;
     * an application with more reader schemas per writer than this is
     * told so. */
    serde__avro_program_destroy(prog);
    serde__fail(err, SERDE_ERR_INVALID_ARG, "more than %d reader schemas for writer id %d",
                SERDE_SCHEMA_MAX_PROGRAMS, writer->id);
    return NULL;
  }
  return prog;
}

bool serde__schema_topic_get(serde_schema_t *s, serde_side_t side, const char *topic, int32_t *id,
                             serde_schema_t **target) {
  size_t n = atomic_load_explicit(&s->n_topics, memory_order_acquire);
  for (size_t i = 0; i < n; i++) {
    if (s->topics[i].side == side && strcmp(s->topics[i].topic, topic) == 0) {
      *id = s->topics[i].id;
      *target = s->topics[i].target;
      return true;
    }
  }
  return false;
}

void serde__schema_topic_put(serde_schema_t *s, serde_side_t side, const char *topic, int32_t id,
                             serde_schema_t *target) {
  int32_t old_id = 0;
  serde_schema_t *old_target = NULL;
  char *copy = serde__strdup(topic);
  if (!copy) {
    return; /* not remembered; the next call asks the cache again */
  }
  pthread_mutex_lock(&s->lock);
  size_t n = atomic_load(&s->n_topics);
  if (n < SERDE_SCHEMA_MAX_TOPICS && !serde__schema_topic_get(s, side, topic, &old_id, &old_target)) {
    s->topics[n] = (serde_topic_id_t){side, copy, id, serde_schema_ref(target)};
    atomic_store_explicit(&s->n_topics, n + 1, memory_order_release);
    copy = NULL;
  }
  pthread_mutex_unlock(&s->lock);
  free(copy);
}

bool serde__schema_accepts(serde_schema_t *s, avro_schema_t value_schema) {
  if (!s->avro || !value_schema) {
    return false;
  }
  if (value_schema == s->avro || value_schema == atomic_load_explicit(&s->accepted, memory_order_acquire)) {
    return true;
  }
  if (!avro_schema_equal(value_schema, s->avro)) {
    return false;
  }
  pthread_mutex_lock(&s->lock);
  if (!atomic_load(&s->accepted)) {
    atomic_store_explicit(&s->accepted, avro_schema_incref(value_schema), memory_order_release);
  }
  pthread_mutex_unlock(&s->lock);
  return true;
}
