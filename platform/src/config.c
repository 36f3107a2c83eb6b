// SPDX-License-Identifier: Apache-2.0
/* Assembles the effective configuration of one invocation (config.h):
 * defaults, then --config, then -o in order, then the --data-dir and
 * --listen shortcuts. Errors are prefixed with the option they came from. */
#include "platform/config.h"

#include <stdio.h>

#include "platform/props_file.h"

/* The one server component a command runs, or -1 if it runs none or several. */
static int single_component(unsigned components) {
  int found = -1;
  for (int c = WEIR_COMP_CORE + 1; c < WEIR_COMP__COUNT; c++) {
    if (!(components & (1u << c))) continue;
    if (found >= 0) return -1;
    found = c;
  }
  if (found < 0 || components != (1u << found)) return -1;
  return found;
}

static weir_code_t apply_listen(weir_props_t *props, const weir_cli_t *cli, weir_error_t *err) {
  int comp = cli->command ? single_component(cli->command->components) : -1;
  if (comp < 0)
    return weir_error_set(err, WEIR_ERR_USAGE,
                          "--listen applies to single-server commands such as `weir broker` or "
                          "`weir registry`; otherwise use -o broker.listeners=PLAINTEXT://HOST:PORT "
                          "or -o registry.listeners=http://HOST:PORT");
  char key[128];
  snprintf(key, sizeof key, "%s.listeners", weir_component_name((weir_component_id_t)comp));
  weir_code_t rc = weir_props_set(props, key, cli->listen, err);
  if (rc != WEIR_OK) weir_error_prefix(err, "--listen");
  return rc;
}

static weir_code_t apply_all(weir_props_t *props, const weir_cli_t *cli, weir_error_t *err) {
  weir_code_t rc = WEIR_OK;
  if (cli->config_file) rc = weir_props_load_file(props, cli->config_file, err);
  for (size_t i = 0; rc == WEIR_OK && i < cli->n_overrides; i++) {
    rc = weir_props_set_pair(props, cli->overrides[i], err);
    if (rc != WEIR_OK) weir_error_prefix(err, "-o");
  }
  if (rc == WEIR_OK && cli->data_dir) {
    rc = weir_props_set(props, "data.dir", cli->data_dir, err);
    if (rc != WEIR_OK) weir_error_prefix(err, "--data-dir");
  }
  if (rc == WEIR_OK && cli->listen) rc = apply_listen(props, cli, err);
  return rc;
}

weir_props_t *weir_config_build(const weir_cli_t *cli, weir_error_t *err) {
  weir_props_t *props = weir_props_new();
  if (!props) {
    weir_error_set(err, WEIR_ERR_NOMEM, "out of memory building the configuration");
    return NULL;
  }
  if (apply_all(props, cli, err) != WEIR_OK) {
    weir_props_destroy(props);
    return NULL;
  }
  return props;
}
