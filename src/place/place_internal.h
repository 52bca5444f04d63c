/* SPDX-License-Identifier: MIT */
/*
 * place_internal.h - what the files of libplace share and the programs do
 * not see: the error formatter (fail.c) and the number and CPU-list
 * parsers (cpuset.c) that topology specs build on.  Not installed.
 */
#ifndef PLACE_INTERNAL_H
#define PLACE_INTERNAL_H

#include <stddef.h>

#include "place.h"

/* Format a reason into err (errlen bytes; either may be 0) and return -1,
 * so a check reads `return place_fail(err, errlen, "...", ...);`. */
int place_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse a decimal number below limit at *s, advancing *s past all its
 * digits; -1 if none, limit (reported as out of range) if it is larger. */
long place_number(const char **s, long limit);

/* Parse a CPU list at *pos that ends at stop (or the end of the string),
 * advancing *pos to that end.  Returns 0, or -1 with a reason in err. */
int place_cpulist_parse(const char **pos, char stop, struct place_cpuset *set,
			char *err, size_t errlen);

#endif
