/* SPDX-License-Identifier: MIT */
/*
 * fuzz_profile.c - fuzz target for the profile reader (dgen_profile_parse,
 * docs/PROFILES.md).  The input is a profile file's text.  A rejection
 * must say why; an accepted profile must check, write back
 * (dgen_profile_format) under 64 KiB, and what it writes must read back
 * and write again as the same bytes (its figures rounded once, then
 * stable).  Its statistics are walked as reports walk them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgen.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[DGEN_PROFILE_MAX_BYTES], again[DGEN_PROFILE_MAX_BYTES];
	struct dgen_profile p, q;
	char err[DGEN_ERRLEN] = "", name[64];
	size_t len, len2, stats = 0;
	double v;

	if (dgen_profile_parse((const char *)data, size, &p, err, sizeof(err))) {
		FUZZ_CHECK(err[0], "a rejection without a reason");
		FUZZ_CHECK(strlen(err) < sizeof(err), "an unterminated reason");
		return 0;
	}
	FUZZ_CHECK(!dgen_profile_check(&p, err, sizeof(err)), "accepted, then %s", err);
	len = dgen_profile_format(&p, text, sizeof(text), err, sizeof(err));
	FUZZ_CHECK(len > 0 && len < sizeof(text), "format: %zu bytes (%s)", len, err);
	FUZZ_CHECK(!dgen_profile_parse(text, len, &q, err, sizeof(err)),
		   "its own text refused: %s", err);
	len2 = dgen_profile_format(&q, again, sizeof(again), err, sizeof(err));
	FUZZ_CHECK(len2 == len && !memcmp(text, again, len), "written twice, the texts differ");
	while (dgen_profile_stat(&p, stats, name, sizeof(name), &v) >= 0)
		stats++;
	FUZZ_CHECK(stats > 300, "%zu statistics", stats);
	return 0;
}
