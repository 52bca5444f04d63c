/* SPDX-License-Identifier: MIT */
/*
 * suggest.c - "did you mean": the nearest long option to a mistyped one
 * (as src/common/nearest.c measures), and for a name that does not parse,
 * the smallest set of usual slips whose mending makes libdgen's own
 * parser accept it (a missing dash between fields, '_' for '-', an
 * upper-case field letter, a unit spelled 1gb or 1GIB, a ratio written 2x
 * or 2:1).  It only suggests on
 * stderr, after the error: it never runs what it suggests.
 *
 * Not here: the error itself (cli_error.c), the name grammar (libdgen),
 * the nearest command (main.c).
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../common/nearest.h"

/* The long option argv[optind - 1] that getopt_long did not know, when
 * that is what its '?' was about (not a missing argument, not a short
 * option, not an ambiguous prefix, for which it listed the choices). */
static void suggest_option(char **argv, const struct option *longopts)
{
	const char *word;
	struct nearest n = { 0 };
	size_t len;

	if (optopt || strncmp(argv[optind - 1], "--", 2))
		return;
	word = argv[optind - 1] + 2;
	len = strcspn(word, "=");
	for (const struct option *o = longopts; o->name; o++) {
		if (len == 0 || !strncmp(o->name, word, len))
			return;
		nearest_consider(&n, word, len, o->name);
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

/* Whether p follows the number of a -d or -c field (-d2|x, -c1.5|:1). */
static bool after_ratio(const char *in, const char *p)
{
	const char *q = p;

	while (q > in && (isdigit((unsigned char)q[-1]) || q[-1] == '.'))
		q--;
	return q < p && q - in >= 2 && (q[-1] == 'd' || q[-1] == 'c') && q[-2] == '-';
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
		if (slip == SLIP_RATIO && after_ratio(in, p)) {
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
