// SPDX-License-Identifier: Apache-2.0
/* Public API of the Schema Registry service: start it on a listener with a
 * data directory, ask which port it bound, stop it. Everything else (routes,
 * domain rules, storage) is internal to registry/. */
#ifndef WEIR_REGISTRY_REGISTRY_H
#define WEIR_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct reg_config {
  const char *listen;            /* "host:port"; port 0 = any free port. Default "0.0.0.0:8081" */
  const char *data_dir;          /* the registry keeps <data_dir>/registry/registry.db. Default "./weir-data" */
  int num_threads;               /* HTTP worker threads. Default 32 */
  size_t max_request_bytes;      /* larger bodies get 413. Default 16 MiB */
  size_t max_schema_bytes;       /* larger schemas get 42209. Default 1 MiB */
  const char *default_compatibility; /* server default level ("BACKWARD") */
  int incompatible_error_code;   /* body error_code for 409s: 40901 (default) or 409 */
  bool mode_mutability;          /* false: mode changes answer 42205. Default true */
} reg_config_t;

/* Fills every field with its default. */
void reg_config_init(reg_config_t *cfg);

typedef struct reg_server reg_server_t;

/* Opens the store (creating it), loads the in-memory index and starts
 * serving. Returns NULL and writes a message to errbuf on failure. The config
 * strings are copied. Release with reg_server_stop. */
reg_server_t *reg_server_start(const reg_config_t *cfg, char *errbuf, size_t errbuf_len);

/* The TCP port actually bound (useful with port 0). */
int reg_server_port(const reg_server_t *srv);

/* Stops serving, waits for in-flight requests, closes the store. Accepts NULL. */
void reg_server_stop(reg_server_t *srv);

#ifdef __cplusplus
}
#endif
#endif
