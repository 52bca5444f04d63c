// SPDX-License-Identifier: MIT
/*
 * profile_calibration.c - the [calibration] section of a version 2 profile
 * (docs/PROFILES.md): per codec family and sector count s, the literal
 * count `FAMILY.sS = LIT` that makes the family's codec store a 128 KiB
 * record of the profile's content in s sectors; keys only for the entries
 * reached.  Reading it (other sections skipped: profile_read.c reads them)
 * and writing it, each entry checked against dgen_profile_lit_range.
 * Not here: measuring it (dgen learn), using it (format3/).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "profile/profile.h"

struct section {
	struct dgen_profile_calibration *c;
	bool present;
};

/* "FAMILY.sS" into family and sectors: 0, or -1. */
static int parse_key(const char *name, unsigned *family, unsigned *sectors)
{
	for (unsigned f = 0; f < DGEN_PROFILE_FAMILIES; f++) {
		const char *fam = dgen_codec_name((enum dgen_codec)f), *at;
		size_t n = strlen(fam);
		unsigned s = 0;

		if (strncmp(name, fam, n) || name[n] != '.' || name[n + 1] != 's')
			continue;
		at = name + n + 2;
		if (*at < '1' || *at > '9' || strspn(at, "0123456789") != strlen(at) ||
		    strlen(at) > 2)
			return -1;
		for (; *at; at++)
			s = s * 10 + (unsigned)(*at - '0');
		*family = f;
		*sectors = s;
		return 0;
	}
	return -1;
}

/* lit for (family, sectors) within dgen_profile_lit_range: 0, or -1 with
 * the reason. */
static int check_entry(unsigned family, unsigned sectors, unsigned long lit,
		       char *why, size_t whylen)
{
	const char *fam = dgen_codec_name((enum dgen_codec)family);
	unsigned lo = 0, hi = 0, start;

	/* on_key has checked sectors, so the range exists */
	if (dgen_profile_lit_range((enum dgen_codec)family, sectors, &lo, &hi, &start) ||
	    lit < lo || lit > hi)
		return snprintf(why, whylen, "[%s] %s.s%u = %lu: not in [%u, %u]",
				PROFILE_CALIBRATION, fam, sectors, lit, lo, hi), -1;
	return 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value,
		  char *why, size_t whylen)
{
	struct section *sec = user;
	unsigned family, sectors;
	unsigned long lit = 0;

	if (strcmp(section, PROFILE_CALIBRATION))
		return 0;	/* profile_read.c's */
	sec->present = true;
	if (parse_key(name, &family, &sectors) || !sectors || sectors >= DGEN_PROFILE_SECTORS)
		return snprintf(why, whylen, "[%s] %s: no such key (FAMILY.sS: lz4, zstd, zlib "
				"or lzo, S from 1 to %u)", PROFILE_CALIBRATION, name,
				DGEN_PROFILE_SECTORS - 1), -1;
	if (sec->c->lit[family][sectors])
		return snprintf(why, whylen, "[%s] %s: given twice", PROFILE_CALIBRATION,
				name), -1;
	if (!*value || strspn(value, "0123456789") != strlen(value) || strlen(value) > 5)
		return snprintf(why, whylen, "[%s] %s: not a literal count", PROFILE_CALIBRATION,
				name), -1;
	for (const char *v = value; *v; v++)
		lit = lit * 10 + (unsigned long)(*v - '0');
	if (check_entry(family, sectors, lit, why, whylen))
		return -1;
	sec->c->lit[family][sectors] = (uint16_t)lit;
	return 0;
}

int dgen_profile_calibration_parse(const char *text, size_t len,
				   struct dgen_profile_calibration *c, char *err, size_t errlen)
{
	struct section sec = { .c = c };

	memset(c, 0, sizeof(*c));
	if (profile_ini(text, len, on_key, &sec, err, errlen))
		return -1;
	return sec.present ? 0 : 1;
}

size_t dgen_profile_calibration_format(const struct dgen_profile_calibration *c,
				       char *buf, size_t cap, char *err, size_t errlen)
{
	struct profile_text t = { .buf = buf, .cap = cap };

	for (unsigned i = 0; i < sizeof(c->reserved) / sizeof(c->reserved[0]); i++)
		if (c->reserved[i]) {
			snprintf(err, errlen, "calibration: reserved word %u is not zero", i);
			return 0;
		}
	profile_put(&t, "\n[%s]\n", PROFILE_CALIBRATION);
	for (unsigned f = 0; f < DGEN_PROFILE_FAMILIES; f++)
		for (unsigned s = 0; s < DGEN_PROFILE_SECTORS; s++) {
			if (!c->lit[f][s])
				continue;
			if (check_entry(f, s, c->lit[f][s], err, errlen))
				return 0;
			profile_put(&t, "%s.s%u = %u\n", dgen_codec_name((enum dgen_codec)f), s,
			    c->lit[f][s]);
		}
	if (t.len >= cap) {
		snprintf(err, errlen, "calibration: %zu bytes do not fit in %zu", t.len + 1, cap);
		return 0;
	}
	return t.len;
}
