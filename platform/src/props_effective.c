// SPDX-License-Identifier: Apache-2.0
/* Renders a property store as a Java properties file: the output of
 * `weir config`, i.e. the effective configuration after defaults, --config
 * and -o. The text is itself a valid --config file that reproduces the same
 * configuration. Presentation only; values and validation are props.c's. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "platform/props.h"

/* True when another component defines a property of the same name, so the
 * key must be qualified to mean this component only. */
static bool name_is_shared(const weir_prop_def_t *table, size_t count, const weir_prop_def_t *def) {
  for (size_t i = 0; i < count; i++)
    if (&table[i] != def && !table[i].alias_of && strcmp(table[i].name, def->name) == 0) return true;
  return false;
}

/* Writes value with the characters that are special in a properties file
 * value escaped (a leading space, backslash, and line breaks). */
static void write_value(FILE *out, const char *value) {
  for (const char *p = value; *p; p++) {
    if (*p == '\\' || (p == value && (*p == ' ' || *p == '\t')))
      fputc('\\', out), fputc(*p, out);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\r')
      fputs("\\r", out);
    else
      fputc(*p, out);
  }
}

int weir_props_write_effective(const weir_props_t *props, FILE *out) {
  size_t count;
  const weir_prop_def_t *table = weir_prop_table(&count);
  fputs("# weir effective configuration (`weir config`): a valid --config file.\n"
        "# A value --config or -o changed follows a \"# set; default ...\" line.\n",
        out);
  for (int c = 0; c < WEIR_COMP__COUNT; c++) {
    fprintf(out, "\n# ---- %s ----\n", weir_component_name((weir_component_id_t)c));
    for (size_t i = 0; i < count; i++) {
      const weir_prop_def_t *def = &table[i];
      if (def->component != (weir_component_id_t)c || def->alias_of) continue;
      const char *value = weir_props_get(props, def->component, def->name);
      const char *qualifier = name_is_shared(table, count, def) ? weir_component_name(def->component) : "";
      const char *dot = qualifier[0] ? "." : "";
      if (!value[0]) {
        fprintf(out, "#%s%s%s=  (not set)\n", qualifier, dot, def->name);
        continue;
      }
      if (strcmp(value, def->default_value) != 0)
        fprintf(out, "# set; default %s\n", def->default_value[0] ? def->default_value : "(not set)");
      fprintf(out, "%s%s%s=", qualifier, dot, def->name);
      write_value(out, value);
      fputc('\n', out);
    }
  }
  return ferror(out) ? -1 : 0;
}
