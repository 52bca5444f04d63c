/* SPDX-License-Identifier: MIT */
/*
 * profile_read.c - reading a profile file (docs/PROFILES.md): the text,
 * never trusted, line by line (profile_text.c's walker); every key of profile.h must
 * appear exactly once, in its section, with a value of its kind, and the
 * whole must then pass dgen_profile_check; a version 2 text must hold a
 * valid [calibration] section, a version 1 text none.  The first fault is
 * reported with its line and key.  Not here: the keys (profile_keys.c),
 * writing (profile_write.c), the [calibration] keys
 * (profile_calibration.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define KEYS_MAX 512		/* above profile_keys() */

struct keys {
	struct dgen_profile *p;
	bool seen[KEYS_MAX];
};

/* Digits only: an unsigned decimal up to max. */
static bool parse_uint(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;

	if (!*v)
		return false;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || x > (max - (uint64_t)(*v - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*v - '0');
	}
	*out = x;
	return true;
}

/* DIGITS[.DIGITS], read with strtod (the text is checked first, so no
 * locale, sign, exponent or "nan" gets through). */
static bool parse_real(const char *v, double *out)
{
	size_t ip = strspn(v, "0123456789");

	if (!ip || (v[ip] && (v[ip] != '.' || !v[ip + 1] ||
			      v[ip + 1 + strspn(v + ip + 1, "0123456789")])) ||
	    strlen(v) > 32)
		return false;
	*out = strtod(v, NULL);
	return true;
}

static int on_key(void *user, const char *section, const char *name, const char *value,
		  char *why, size_t whylen)
{
	struct keys *r = user;
	struct profile_key k;
	char *at;
	size_t i;
	uint64_t u = 0;
	double d;

	if (!strcmp(section, PROFILE_CALIBRATION))
		return 0;	/* calibration.c's */
	for (i = 0; !profile_key(i, &k); i++)
		if (!strcmp(k.section, section) && !strcmp(k.name, name))
			break;
	if (profile_key(i, &k))
		return snprintf(why, whylen, "[%s] %s: no such key in a profile "
				"(docs/PROFILES.md)", section, name), -1;
	if (r->seen[i])
		return snprintf(why, whylen, "[%s] %s: given twice", section, name), -1;
	r->seen[i] = true;
	at = (char *)r->p + k.offset;
	switch (k.kind) {
	case PROFILE_VERSION:
	case PROFILE_PPM:
		if (!parse_uint(value, UINT32_MAX, &u))
			goto bad;
		memcpy(at, &(uint32_t){ (uint32_t)u }, sizeof(uint32_t));
		break;
	case PROFILE_COUNT:
		if (!parse_uint(value, UINT64_MAX, &u))
			goto bad;
		memcpy(at, &u, sizeof(u));
		break;
	case PROFILE_RATIO:
	case PROFILE_BITS:
		if (!parse_real(value, &d))
			goto bad;
		memcpy(at, &d, sizeof(d));
		break;
	}
	if (k.kind == PROFILE_VERSION && (u < 1 || u > DGEN_PROFILE_VERSION))
		return snprintf(why, whylen, "[profile] version %s: this dgen reads versions 1 "
				"to %u", value, DGEN_PROFILE_VERSION), -1;
	return 0;
bad:
	snprintf(why, whylen, "[%s] %s: not a value of its kind (docs/PROFILES.md)", section,
		 name);
	return -1;
}

int dgen_profile_parse(const char *text, size_t len, struct dgen_profile *p,
		       char *err, size_t errlen)
{
	struct dgen_profile_calibration c;
	struct keys *r;
	struct profile_key k;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!(r = calloc(1, sizeof(*r)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->p = p;
	rc = profile_ini(text, len, on_key, r, err, errlen);
	for (size_t i = 0; !rc && !profile_key(i, &k); i++)
		if (!r->seen[i]) {
			snprintf(err, errlen, "[%s] %s: missing (a profile has every key)",
				 k.section, k.name);
			rc = -1;
		}
	free(r);
	if (rc || dgen_profile_check(p, err, errlen))
		return -1;
	rc = dgen_profile_calibration_parse(text, len, &c, err, errlen);
	if (rc < 0)
		return -1;
	if (p->version == 1 && !rc) {
		snprintf(err, errlen, "[%s]: a version 1 profile has none (version 2 does)",
			 PROFILE_CALIBRATION);
		return -1;
	}
	if (p->version > 1 && rc) {
		snprintf(err, errlen, "[%s]: missing (a version %u profile has one)",
			 PROFILE_CALIBRATION, p->version);
		return -1;
	}
	return 0;
}

int dgen_profile_load(const char *path, struct dgen_profile *p, char *err, size_t errlen)
{
	char *text, why[DGEN_ERRLEN];
	size_t len;
	int rc;

	memset(p, 0, sizeof(*p));
	if (profile_read_file(path, &text, &len, err, errlen))
		return -1;
	rc = dgen_profile_parse(text, len, p, why, sizeof(why));
	if (rc)
		snprintf(err, errlen, "%s:%s%s", path, *why >= '0' && *why <= '9' ? "" : " ",
			 why);
	free(text);
	return rc;
}
