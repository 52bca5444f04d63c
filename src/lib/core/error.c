/* SPDX-License-Identifier: MIT */
/* error.c - the one formatter of libdgen's error reasons (error.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/error.h"

int dgen_vfail(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	return -1;
}

int dgen_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dgen_vfail(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}
