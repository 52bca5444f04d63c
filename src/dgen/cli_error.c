/* SPDX-License-Identifier: MIT */
/*
 * cli_error.c - how every part of dgen reports an error: "dgen: " and the
 * message on standard error.  A file of its own so that a test program
 * built from some of dgen's parts (tests/ranks_text.c) reports as dgen.
 *
 * Not here: the exit statuses (cli.h), what the commands report.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
