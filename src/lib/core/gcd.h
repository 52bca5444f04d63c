/* SPDX-License-Identifier: MIT */
/*
 * gcd.h - the greatest common divisor of two 64-bit integers (Euclid),
 * for the closed forms of fixed-block dedup (format2/blocks.c,
 * format3/layout3.c).  Inline; internal header, not installed.
 */
#ifndef DGEN_CORE_GCD_H
#define DGEN_CORE_GCD_H

#include <stdint.h>

/* gcd(a, 0) = a */
static inline uint64_t dgen_gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

#endif
