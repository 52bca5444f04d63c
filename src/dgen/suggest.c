/* SPDX-License-Identifier: MIT */
/*
 * suggest.c - "did you mean": the nearest command or long option to a
 * mistyped one (edit distance, a swap of two letters counting as one
 * edit), and for a name that does not parse, the smallest set of usual
 * slips whose mending makes libdgen's own parser accept it (a missing
 * dash between fields, '_' for '-', an upper-case field letter, a unit
 * spelled 1gb or 1GIB, a ratio written 2x or 2:1).  It only suggests on
 * stderr, after the error: it never runs what it suggests.
 *
 * Not here: the error itself (cli_error.c), the name grammar (libdgen).
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define EDITS_MAX 2		/* farther than this is no longer a slip */
#define WORD_MAX 64

/* Edits from a to b (optimal string alignment: insert, delete, replace,
 * swap two neighbours); more than EDITS_MAX is reported as EDITS_MAX + 1. */
static unsigned edits(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
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

void cli_nearest_consider(struct cli_nearest *n, const char *typed,
			  const char *candidate)
{
	unsigned d = edits(typed, candidate);

	/* a short word is near only one edit away: "ls" is not "cat" */
	if (d > EDITS_MAX || d * 3 > strlen(candidate))
		return;
	if (!n->best || d < n->edits) {
		n->best = candidate;
		n->edits = d;
	}
}

/* The long option argv[optind - 1] that getopt_long did not know, when
 * that is what its '?' was about (not a missing argument, not a short
 * option, not an ambiguous prefix, for which it listed the choices). */
static void suggest_option(char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	char word[WORD_MAX + 1];
	struct cli_nearest n = { 0 };
	size_t len;

	if (optopt || strncmp(arg, "--", 2))
		return;
	len = strcspn(arg + 2, "=");
	if (len == 0 || len > WORD_MAX)
		return;
	memcpy(word, arg + 2, len);
	word[len] = '\0';
	for (const struct option *o = longopts; o->name; o++) {
		if (!strncmp(o->name, word, len))
			return;
		cli_nearest_consider(&n, word, o->name);
	}
	if (n.best)
		cli_error("did you mean '--%s'?", n.best);
}

int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	int c = getopt_long(argc, argv, shortopts, longopts, NULL);

	if (c == '?')
		suggest_option(argv, longopts);
	return c;
}

/* ---- names ---- */

/* The usual slips in a name, each mended by one rewrite of the whole
 * name from `in` to `out` (room for twice its length, plus one). */
enum slip {
	SLIP_UNDERSCORE,	/* 1G_d2 */
	SLIP_UNIT,		/* 1gb, 1GIB, 1Gib */
	SLIP_RATIO,		/* -d2x, -d2:1 */
	SLIP_DASH,		/* 1G-d2c3 */
	SLIP_CASE,		/* 1G-D2 */
	SLIPS
};

static bool is_field(char c)
{
	return c && strchr("dcuefs", tolower((unsigned char)c));
}

static void mend(enum slip slip, const char *in, char *out)
{
	const char *p = in;
	char *o = out;

	if (slip == SLIP_UNIT) {
		/* the size's letters, before the first field */
		while (isdigit((unsigned char)*p) || *p == '.')
			*o++ = *p++;
		if (isalpha((unsigned char)p[0]) && strchr("KMGTPE", toupper((unsigned char)p[0]))) {
			*o++ = (char)toupper((unsigned char)*p++);
			if (tolower((unsigned char)p[0]) == 'i' && tolower((unsigned char)p[1]) == 'b') {
				*o++ = 'i';
				*o++ = 'B';
				p += 2;
			} else if (tolower((unsigned char)p[0]) == 'b') {
				*o++ = 'B';
				p++;
			}
		}
	}
	for (; *p; p++) {
		if (slip == SLIP_UNDERSCORE && *p == '_') {
			*o++ = '-';
			continue;
		}
		if (slip == SLIP_RATIO && p > in && isdigit((unsigned char)p[-1])) {
			if ((*p == 'x' || *p == 'X') && (!p[1] || p[1] == '-' || p[1] == '.'))
				continue;
			if (p[0] == ':' && p[1] == '1' && !isdigit((unsigned char)p[2])) {
				p++;
				continue;
			}
		}
		if (slip == SLIP_DASH && p > in && isalnum((unsigned char)p[-1]) &&
		    is_field(*p) && isdigit((unsigned char)p[1]))
			*o++ = '-';
		if (slip == SLIP_CASE && p > in && p[-1] == '-' && is_field(*p)) {
			*o++ = (char)tolower((unsigned char)*p);
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
}

void cli_suggest_name(const char *name)
{
	char a[2 * 256 + 1], b[sizeof(a)], err[DGEN_ERRLEN];
	struct dgen_spec spec;
	size_t len = strlen(name);

	if (len > 255)
		return;
	/* fewest slips first: each set of them, by its size */
	for (unsigned count = 1; count <= SLIPS; count++)
		for (unsigned set = 1; set < 1u << SLIPS; set++) {
			if ((unsigned)__builtin_popcount(set) != count)
				continue;
			memcpy(a, name, len + 1);
			for (int s = 0; s < SLIPS; s++)
				if (set & 1u << s) {
					mend((enum slip)s, a, b);
					memcpy(a, b, strlen(b) + 1);
				}
			if (strcmp(a, name) && strlen(a) <= 255 &&
			    !dgen_name_parse(a, &spec, err, sizeof(err))) {
				cli_error("did you mean '%s'?", a);
				return;
			}
		}
}
