/* SPDX-License-Identifier: MIT */
/*
 * nearest.h - "did you mean": the nearest of some words to a mistyped one,
 * for dgen's commands and options and dgenfs's -o options.  What to
 * suggest and how to say it is each program's.
 */
#ifndef DGEN_COMMON_NEAREST_H
#define DGEN_COMMON_NEAREST_H

/* The nearest of the candidates considered to what was typed, within a
 * slip (two edits, a swap of neighbours counting as one, and no more than
 * a third of the candidate); best is NULL when none is. */
struct nearest {
	const char *best;
	unsigned edits;
};

/* Consider candidate; typed is compared up to typed_len bytes (an option
 * before its '=').  Returns whether typed is the candidate exactly. */
int nearest_consider(struct nearest *n, const char *typed, unsigned long typed_len,
		     const char *candidate);

#endif
