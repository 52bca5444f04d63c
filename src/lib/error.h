/* SPDX-License-Identifier: MIT */
/* error.h - how libdgen reports a reason.  Internal header, not installed. */
#ifndef DGEN_ERROR_H
#define DGEN_ERROR_H

#include <stddef.h>

/* Format a reason into err (errlen bytes; either may be 0) and return -1,
 * so a check reads `return dgen_fail(err, errlen, "...", ...);`. */
int dgen_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
