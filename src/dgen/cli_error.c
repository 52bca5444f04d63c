/* SPDX-License-Identifier: MIT */
/*
 * cli_error.c - how every part of dgen reports an error: "dgen: " and the
 * message on standard error.  The first message of a run is kept, for the
 * JSON error document (cli_json.c) that --json writes where a command
 * fails.  A file of its own so that a test program built from some of
 * dgen's parts (tests/ranks_text.c) reports as dgen.
 *
 * Not here: the exit statuses (cli.h), what the commands report.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

static char first[1024];

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!first[0])
		vsnprintf(first, sizeof(first), fmt, ap);
	va_end(ap);
	fputs("dgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_error_first(void)
{
	return first;
}
