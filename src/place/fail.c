/* SPDX-License-Identifier: MIT */
/*
 * fail.c - the error formatter of libplace (place_internal.h).  libplace
 * has its own rather than libdgen's, which the library keeps hidden: the
 * programs link libdgen's exported functions only.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "place_internal.h"

int place_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}
