// SPDX-License-Identifier: Apache-2.0
/* Renders the property table as Markdown: the output of `weir config --markdown` and
 * the generated part of docs/configuration.md (a unit test keeps the two in
 * sync). Presentation only; values and validation are props.c's. */
#include <stdio.h>
#include <string.h>

#include "platform/props.h"

static const char *type_text(const weir_prop_def_t *def) {
  switch (def->type) {
    case WEIR_PROP_STRING:
      return "string";
    case WEIR_PROP_INT:
      return "int";
    case WEIR_PROP_BOOL:
      return "bool";
    case WEIR_PROP_ENUM:
      return "enum";
    case WEIR_PROP_LISTENER:
    case WEIR_PROP_KAFKA_LISTENER:
      return "listener";
  }
  return "?";
}

/* Writes the "allowed values" cell. */
static void write_allowed(FILE *out, const weir_prop_def_t *def) {
  if (def->type == WEIR_PROP_ENUM) {
    for (const char *p = def->choices; *p; p++) {
      if (*p == '|')
        fputs(", ", out);
      else
        fputc(*p, out);
    }
  } else if (def->type == WEIR_PROP_INT) {
    fprintf(out, "%lld .. %lld", def->min, def->max);
  } else if (def->type == WEIR_PROP_BOOL) {
    fputs("true, false", out);
  } else if (def->type == WEIR_PROP_LISTENER) {
    fputs("http://HOST:PORT", out);
  } else if (def->type == WEIR_PROP_KAFKA_LISTENER) {
    fputs("PLAINTEXT://HOST:PORT", out);
  } else {
    fputs("any text", out);
  }
}

static void write_section(FILE *out, weir_component_id_t comp) {
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  fprintf(out, "### %s\n\n", weir_component_name(comp));
  fputs("| property | type | default | allowed | description |\n", out);
  fputs("|---|---|---|---|---|\n", out);
  for (size_t i = 0; i < count; i++) {
    const weir_prop_def_t *def = &table[i];
    if (def->component != comp) continue;
    if (def->default_value[0])
      fprintf(out, "| `%s` | %s | `%s` | ", def->name, type_text(def), def->default_value);
    else
      fprintf(out, "| `%s` | %s | (not set) | ", def->name, type_text(def));
    write_allowed(out, def);
    fprintf(out, " | %s |\n", def->description);
  }
  fputc('\n', out);
}

int weir_props_write_markdown(FILE *out) {
  for (int c = 0; c < WEIR_COMP__COUNT; c++) write_section(out, (weir_component_id_t)c);
  return ferror(out) ? -1 : 0;
}
