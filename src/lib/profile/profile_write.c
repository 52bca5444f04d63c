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

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "profile.h"

struct text {
	char *buf;
	size_t cap, len;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->len < t->cap ? t->buf + t->len : NULL,
		      t->len < t->cap ? t->cap - t->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

size_t dgen_profile_format(const struct dgen_profile *p, char *buf, size_t cap,
			   char *err, size_t errlen)
{
	struct text t = { .buf = buf, .cap = cap };
	const char *section = "";
	struct profile_key k;

	if (dgen_profile_check(p, err, errlen))
		return 0;
	put(&t, "# dgen profile: what data looks like to compressors (docs/PROFILES.md)\n");
	for (size_t i = 0; !profile_key(i, &k); i++) {
		const char *at = (const char *)p + k.offset;
		uint32_t u;
		uint64_t q;
		double d;

		if (strcmp(section, k.section)) {
			put(&t, "%s[%s]\n", *section ? "\n" : "", k.section);
			section = k.section;
		}
		switch (k.kind) {
		case PROFILE_VERSION:
		case PROFILE_PPM:
			memcpy(&u, at, sizeof(u));
			put(&t, "%s = %u\n", k.name, u);
			break;
		case PROFILE_COUNT:
			memcpy(&q, at, sizeof(q));
			put(&t, "%s = %llu\n", k.name, (unsigned long long)q);
			break;
		case PROFILE_RATIO:
		case PROFILE_BITS:
			memcpy(&d, at, sizeof(d));
			put(&t, "%s = %.4f\n", k.name, d);
			break;
		}
	}
	return t.len;
}
