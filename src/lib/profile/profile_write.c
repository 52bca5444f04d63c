/* SPDX-License-Identifier: MIT */
/*
 * profile_write.c - a profile's text (docs/PROFILES.md): a comment, then
 * each key of profile.h in its order under its section, counts and shares
 * as integers and ratios and bits with 4 decimals, so the same profile
 * always gives the same bytes.  The caller writes them where it likes
 * (libdgen does no output).  Not here: the keys (profile_keys.c), reading
 * (profile_read.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "profile.h"

size_t dgen_profile_format(const struct dgen_profile *p, char *buf, size_t cap,
			   char *err, size_t errlen)
{
	struct profile_text t = { .buf = buf, .cap = cap };
	const char *section = "";
	struct profile_key k;

	if (dgen_profile_check(p, err, errlen))
		return 0;
	profile_put(&t, "# dgen profile: what data looks like to compressors (docs/PROFILES.md)\n");
	for (size_t i = 0; !profile_key(i, &k); i++) {
		const char *at = (const char *)p + k.offset;
		uint32_t u;
		uint64_t q;
		double d;

		if (strcmp(section, k.section)) {
			profile_put(&t, "%s[%s]\n", *section ? "\n" : "", k.section);
			section = k.section;
		}
		switch (k.kind) {
		case PROFILE_VERSION:
		case PROFILE_PPM:
			memcpy(&u, at, sizeof(u));
			profile_put(&t, "%s = %u\n", k.name, u);
			break;
		case PROFILE_COUNT:
			memcpy(&q, at, sizeof(q));
			profile_put(&t, "%s = %llu\n", k.name, (unsigned long long)q);
			break;
		case PROFILE_RATIO:
		case PROFILE_BITS:
			memcpy(&d, at, sizeof(d));
			profile_put(&t, "%s = %.4f\n", k.name, d);
			break;
		}
	}
	return t.len;
}
