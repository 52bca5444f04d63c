/* SPDX-License-Identifier: MIT */
/*
 * cli_json.c - a string as JSON, for every command's JSON output (dgen
 * verify's report, dgen info --json): quotes, backslashes and control
 * characters escaped, other bytes as they are.
 *
 * Not here: the documents themselves (each command's report).
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

void cli_json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			putc(*p, out);
	}
	putc('"', out);
}
