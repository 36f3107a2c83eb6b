// SPDX-License-Identifier: Apache-2.0
/* The property table (librdkafka style) and the property store built on it.
 * One table row per (component, name) drives parsing, validation, `--help`,
 * `weir config` and docs/configuration.md. Names are the ones Kafka and
 * Confluent users know; a name that several components define (`listeners`)
 * can be qualified with the component: `registry.listeners`. This header does
 * not read files or argv; see props_file.h and cli.h. */
#ifndef WEIR_PLATFORM_PROPS_H
#define WEIR_PLATFORM_PROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "platform/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Components a property belongs to. WEIR_COMP_CORE properties apply to the
 * whole process and cannot be qualified. */
typedef enum {
  WEIR_COMP_CORE = 0,
  WEIR_COMP_BROKER,
  WEIR_COMP_REGISTRY,
  WEIR_COMP_REST_PROXY,
  WEIR_COMP__COUNT
} weir_component_id_t;

typedef enum {
  WEIR_PROP_STRING,  /* any text */
  WEIR_PROP_INT,     /* decimal integer within [min, max] */
  WEIR_PROP_BOOL,    /* true or false (case-insensitive) */
  WEIR_PROP_ENUM,    /* one of `choices` (case-insensitive, stored as listed) */
  WEIR_PROP_LISTENER,      /* one HTTP listener URL: http://HOST:PORT */
  WEIR_PROP_KAFKA_LISTENER /* one Kafka listener: PLAINTEXT://HOST:PORT */
} weir_prop_type_t;

typedef struct weir_prop_def {
  const char *name; /* Kafka/Confluent spelling, e.g. "listeners" */
  weir_component_id_t component;
  weir_prop_type_t type;
  const char *default_value; /* text form; never NULL; "" = not set (Kafka's null) */
  const char *choices;       /* WEIR_PROP_ENUM: "a|b|c"; else NULL */
  long long min, max;        /* WEIR_PROP_INT bounds */
  const char *alias_of;      /* deprecated spelling: name of the real property; else NULL */
  const char *description;
} weir_prop_def_t;

/* The table, in documentation order. Static; never freed. */
const weir_prop_def_t *weir_prop_table(size_t *count);

/* "core", "registry", ... (the qualifier accepted in keys). */
const char *weir_component_name(weir_component_id_t comp);

typedef struct weir_props weir_props_t;

/* A store holding every property at its default. Returns NULL when out of
 * memory. Release with weir_props_destroy. */
weir_props_t *weir_props_new(void);

/* Accepts NULL. */
void weir_props_destroy(weir_props_t *props);

/* Validates value and stores a copy. key is a property name, a deprecated
 * alias, or a qualified "<component>.<name>". A plain name that several
 * components define is set for every one of them whose type accepts the
 * value (so `listeners=PLAINTEXT://:9092` reaches the broker and
 * `listeners=http://:8081` the registry); it is an error only when none
 * accepts it (the first component's complaint is reported). Errors:
 * WEIR_ERR_CONFIG naming the key for an unknown key or a bad value,
 * WEIR_ERR_NOMEM. */
weir_code_t weir_props_set(weir_props_t *props, const char *key, const char *value, weir_error_t *err);

/* Applies one "key=value" text (the -o option). WEIR_ERR_USAGE without '='. */
weir_code_t weir_props_set_pair(weir_props_t *props, const char *pair, weir_error_t *err);

/* The current value of (comp, name), which must be in the table (asserted).
 * The pointer is valid until the property is set again. A property whose
 * default is "" and that was never set reads as "" (values set are never
 * empty), so `*value == '\0'` means "not set". */
const char *weir_props_get(const weir_props_t *props, weir_component_id_t comp, const char *name);
long long weir_props_get_int(const weir_props_t *props, weir_component_id_t comp, const char *name);
bool weir_props_get_bool(const weir_props_t *props, weir_component_id_t comp, const char *name);

/* Writes the table as a Markdown reference (`weir config --markdown`, the
 * generated part of docs/configuration.md). Returns 0, or -1 on a write error. */
int weir_props_write_markdown(FILE *out);

/* Writes every property's current value as a Java properties file that,
 * given to --config, reproduces this configuration (`weir config`): keys a
 * single component defines unqualified, shared ones (`listeners`) qualified
 * with the component; values not set are commented out; a changed value is
 * preceded by a comment naming its default. Returns 0, or -1 on a write
 * error. */
int weir_props_write_effective(const weir_props_t *props, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
