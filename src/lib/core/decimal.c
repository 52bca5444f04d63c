/* SPDX-License-Identifier: MIT */
/* decimal.c - the one unsigned decimal parser (decimal.h). */
#include "config.h"

#include <ctype.h>

#include "core/decimal.h"

int dgen_decimal_prefix(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	for (; isdigit((unsigned char)s[n]); n++) {
		unsigned d = (unsigned)(s[n] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return n;
}

bool dgen_decimal_whole(const char *text, uint64_t min, uint64_t max,
			uint64_t *out)
{
	uint64_t v;
	int n = dgen_decimal_prefix(text, &v);

	if (n <= 0 || text[n] || v < min || v > max)
		return false;
	*out = v;
	return true;
}
