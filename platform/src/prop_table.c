// SPDX-License-Identifier: Apache-2.0
/* The property table: every configuration key weir accepts, with its type,
 * default and description. It is the single source for parsing and
 * validation (props.c), `weir config` and docs/configuration.md
 * (props_markdown.c). Adding a component's settings means adding rows here
 * and a component id in props.h; nothing else. */
#include <stddef.h>

#include "platform/props.h"

#define MIB (1024LL * 1024LL)

static const weir_prop_def_t k_props[] = {
    /* ---- core: the whole process ---- */
    {"data.dir", WEIR_COMP_CORE, WEIR_PROP_STRING, "./weir-data", NULL, 0, 0, NULL,
     "Directory holding all state; each component keeps its files in a subdirectory "
     "(the registry in `<data.dir>/registry/`). Created if missing. Shortcut: `--data-dir DIR`."},
    {"log.level", WEIR_COMP_CORE, WEIR_PROP_ENUM, "info", "debug|info|warn|error|off", 0, 0, NULL,
     "Lowest level of log lines written to stderr."},

    /* ---- registry: the Schema Registry (Confluent names where Confluent has one) ---- */
    {"listeners", WEIR_COMP_REGISTRY, WEIR_PROP_LISTENER, "http://0.0.0.0:8081", NULL, 0, 0, NULL,
     "Where the Schema Registry accepts HTTP: one `http://HOST:PORT` (port 0 picks a free port). "
     "Shortcut for `weir registry`: `--listen HOST:PORT`."},
    {"schema.compatibility.level", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "backward",
     "none|backward|backward_transitive|forward|forward_transitive|full|full_transitive", 0, 0, NULL,
     "Compatibility level for subjects without their own configuration (the global default of "
     "`GET /config` until `PUT /config` changes it)."},
    {"avro.compatibility.level", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "backward",
     "none|backward|backward_transitive|forward|forward_transitive|full|full_transitive", 0, 0,
     "schema.compatibility.level", "Deprecated Confluent spelling of `schema.compatibility.level`."},
    {"mode.mutability", WEIR_COMP_REGISTRY, WEIR_PROP_BOOL, "true", NULL, 0, 0, NULL,
     "Whether `PUT /mode` may change modes; when false such requests get 42205."},
    {"thread.pool.max", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "32", NULL, 1, 1024, NULL,
     "HTTP worker threads, i.e. connections served at the same time."},
    {"request.max.bytes", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "16777216", NULL, 1024, 1024 * MIB, NULL,
     "weir extension: largest request body accepted; larger ones get HTTP 413."},
    {"schema.max.bytes", WEIR_COMP_REGISTRY, WEIR_PROP_INT, "1048576", NULL, 1024, 256 * MIB, NULL,
     "weir extension: largest schema text accepted; larger ones get 42209."},
    {"schema.incompatible.error.code", WEIR_COMP_REGISTRY, WEIR_PROP_ENUM, "40901", "40901|409", 0, 0, NULL,
     "weir extension: `error_code` in the body of a 409 for an incompatible schema. Confluent "
     "answers 409 up to 8.0.3/8.1.1 and 40901 from 8.0.4/8.1.2/8.2.0 on."},
};

const weir_prop_def_t *weir_prop_table(size_t *count) {
  *count = sizeof k_props / sizeof k_props[0];
  return k_props;
}

const char *weir_component_name(weir_component_id_t comp) {
  switch (comp) {
    case WEIR_COMP_CORE:
      return "core";
    case WEIR_COMP_REGISTRY:
      return "registry";
    case WEIR_COMP__COUNT:
      break;
  }
  return "?";
}
