/* SPDX-License-Identifier: MIT */
/*
 * nearest.c - the nearest word to a mistyped one (nearest.h): optimal
 * string alignment distance (insert, delete, replace, swap neighbours),
 * bounded to a slip.  It prints nothing.
 */
#include "config.h"

#include <string.h>

#include "nearest.h"

#define EDITS_MAX 2		/* farther than this is no longer a slip */
#define WORD_MAX 64

/* Edits from a (la bytes) to b; more than EDITS_MAX is EDITS_MAX + 1. */
static unsigned edits(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b);
	unsigned d[WORD_MAX + 1][WORD_MAX + 1];

	if (la > WORD_MAX || lb > WORD_MAX)
		return EDITS_MAX + 1;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb] > EDITS_MAX ? EDITS_MAX + 1 : d[la][lb];
}

int nearest_consider(struct nearest *n, const char *typed, unsigned long typed_len,
		     const char *candidate)
{
	unsigned d = edits(typed, typed_len, candidate);

	if (d == 0)
		return 1;
	/* a short word is near only one edit away: "ls" is not "cat" */
	if (d > EDITS_MAX || d * 3 > strlen(candidate))
		return 0;
	if (!n->best || d < n->edits) {
		n->best = candidate;
		n->edits = d;
	}
	return 0;
}
