/* SPDX-License-Identifier: MIT */
/* error.h - how libdgen reports a reason.  Internal header, not installed. */
#ifndef DGEN_ERROR_H
#define DGEN_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* Format a reason into err (errlen bytes; either may be 0) and return -1,
 * so a check reads `return dgen_fail(err, errlen, "...", ...);`. */
int dgen_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with a va_list, for wrappers that keep their own bookkeeping
 * (the config loader's "first error at line N"). */
int dgen_vfail(char *err, size_t errlen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
