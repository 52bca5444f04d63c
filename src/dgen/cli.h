/*
 * cli.h - what the commands of dgen share: exit statuses, error reporting
 * and spec resolution.  Each command lives in its own cmd_*.c file.
 */
#ifndef DGEN_CLI_H
#define DGEN_CLI_H

#include <stdint.h>
#include "dgen.h"

/* Exit statuses shared by every command. */
#define EXIT_OK       0
#define EXIT_MISMATCH 1	/* verify: content differs */
#define EXIT_USAGE    2	/* bad input: arguments, names, files */

/* Print "dgen: " and a message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a size argument for option `opt`; prints the error itself. */
int cli_size_arg(const char *opt, const char *text, uint64_t *out);

/* Parse NAME into a prepared file, with base seed; prints the error itself. */
int cli_prepare(const char *name, uint64_t base_seed, struct dgen_spec *spec,
		struct dgen_file *file);

int cmd_cat(int argc, char **argv);
int cmd_info(int argc, char **argv);

#endif
