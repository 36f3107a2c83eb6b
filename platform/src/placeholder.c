// SPDX-License-Identifier: Apache-2.0
/* Placeholder so the library has a source until the HTTP glue lands; delete it then. */
int weir_platform_placeholder_(void);
int weir_platform_placeholder_(void) { return 0; }
