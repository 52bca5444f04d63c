/* SPDX-License-Identifier: MIT */
/* error.c - the one formatter of libdgen's error reasons (error.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int dgen_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
