/* SPDX-License-Identifier: MIT */
/*
 * decimal.h - the one parser of unsigned decimal integers, for names
 * (names/name.c), config values (dataset/keys.c) and CPU lists (topology.c).  It knows
 * no suffixes, signs or spaces; sizes, ratios and seeds build on it in
 * name.c.  Internal header, not installed.
 */
#ifndef DGEN_DECIMAL_H
#define DGEN_DECIMAL_H

#include <stdbool.h>
#include <stdint.h>

/* Leading decimal digits of s into *out: returns the digits used, 0 if
 * there are none, or -1 if they overflow 64 bits (*out is then unset). */
int dgen_decimal_prefix(const char *s, uint64_t *out);

/* The whole of text is decimal digits whose value lies in [min, max]. */
bool dgen_decimal_whole(const char *text, uint64_t min, uint64_t max,
			uint64_t *out);

#endif
