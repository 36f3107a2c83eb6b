// SPDX-License-Identifier: Apache-2.0
/* The Schema Registry as a weir component: maps the registry's properties
 * onto reg_config_t and calls reg_server_start/stop. The only platform file
 * that includes registry/registry.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "component.h"
#include "log/log.h"
#include "platform/listener.h"
#include "registry/registry.h"

#define REG WEIR_COMP_REGISTRY

/* Buffers the reg_config_t strings point into (reg_server_start copies them). */
typedef struct registry_strings {
  char listen[300];
  char level[32];
} registry_strings_t;

static void registry_config(const weir_props_t *props, reg_config_t *cfg, registry_strings_t *s) {
  reg_config_init(cfg);
  weir_listener_t l;
  weir_code_t rc = weir_listener_parse(weir_props_get(props, REG, "listeners"), &l, NULL);
  (void)rc; /* validated when set */
  snprintf(s->listen, sizeof s->listen, "%s:%d", l.host, l.port);
  const char *level = weir_props_get(props, REG, "schema.compatibility.level");
  size_t i = 0;
  for (; level[i] && i + 1 < sizeof s->level; i++) s->level[i] = (char)toupper((unsigned char)level[i]);
  s->level[i] = '\0';
  cfg->listen = s->listen;
  cfg->data_dir = weir_props_get(props, WEIR_COMP_CORE, "data.dir");
  cfg->num_threads = (int)weir_props_get_int(props, REG, "thread.pool.max");
  cfg->max_request_bytes = (size_t)weir_props_get_int(props, REG, "request.max.bytes");
  cfg->max_schema_bytes = (size_t)weir_props_get_int(props, REG, "schema.max.bytes");
  cfg->default_compatibility = s->level;
  cfg->incompatible_error_code = (int)weir_props_get_int(props, REG, "schema.incompatible.error.code");
  cfg->mode_mutability = weir_props_get_bool(props, REG, "mode.mutability");
}

static void *registry_start(const weir_props_t *props, weir_error_t *err) {
  reg_config_t cfg;
  registry_strings_t s;
  registry_config(props, &cfg, &s);
  char errbuf[512] = "";
  reg_server_t *srv = reg_server_start(&cfg, errbuf, sizeof errbuf);
  if (!srv) {
    weir_error_set(err, WEIR_ERR_START, "registry: cannot start on %s: %s", cfg.listen, errbuf);
    return NULL;
  }
  weir_listener_t l;
  weir_listener_parse(weir_props_get(props, REG, "listeners"), &l, NULL);
  log_info("registry", "listening on http://%s:%d (data dir %s)", l.host, reg_server_port(srv), cfg.data_dir);
  weir__component_bound_port_set(REG, reg_server_port(srv));
  return srv;
}

static void registry_stop(void *handle) {
  weir__component_bound_port_set(REG, 0);
  reg_server_stop(handle);
}

const weir_component_t weir__component_registry = {
    .id = WEIR_COMP_REGISTRY,
    .name = "registry",
    .start = registry_start,
    .stop = registry_stop,
};
