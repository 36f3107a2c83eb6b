// SPDX-License-Identifier: Apache-2.0
/* Placeholder entry point until platform/ lands. */
int main(void) { return 0; }
